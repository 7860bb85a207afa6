"""The scheduler: APScheduler jobs that post whatever digests and send whatever reminders are due.

Schedules live in the database, so any number of scheduler processes can run this
job against the same database: the claim in bot.services.digest makes each digest
go out once, and its lease lets another process finish what a dead one claimed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from bot.db.engine import Database
from bot.jobs import reminders
from bot.jobs.digest import LEASE, Clients, run_due


def make_scheduler(
    db: Database,
    client: Clients,
    poll_seconds: int,
    blocking: bool = False,
    lease: timedelta = LEASE,
    refresh_tokens: Callable[[], object] | None = None,
) -> BaseScheduler:
    """``lease``: how long a claimed digest is its claimant's before another process may take
    it over. Keep it well above the Web API client's timeout (15 s): a lease that runs out
    while its claimant still waits for Slack's answer lets a second process post too.

    ``client``: one client, or each workspace's (multi-workspace mode). ``refresh_tokens``:
    renew the tokens about to expire (multi-workspace mode with token rotation); it runs
    every poll too, since nothing else would renew a token no request uses."""
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if blocking else BackgroundScheduler(timezone=UTC)
    )
    scheduler.add_job(
        run_due,
        IntervalTrigger(seconds=poll_seconds),
        args=[db, client],
        kwargs={"lease": lease},
        id="digests",
        name="post due weekly digests",
        max_instances=1,  # a slow round is not overlapped by the next
        coalesce=True,
        next_run_time=datetime.now(UTC),  # look once at start: catch up after downtime
        misfire_grace_time=None,
    )
    scheduler.add_job(
        reminders.run_due,
        IntervalTrigger(seconds=poll_seconds),
        args=[db, client],
        id="reminders",
        name="send due reminders to log time",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
        misfire_grace_time=None,
    )
    if refresh_tokens is not None:
        scheduler.add_job(
            refresh_tokens,
            IntervalTrigger(seconds=poll_seconds),
            id="tokens",
            name="refresh tokens about to expire",
            max_instances=1,
            coalesce=True,
            next_run_time=datetime.now(UTC),
            misfire_grace_time=None,
        )
    return scheduler
