"""The digest scheduler: one APScheduler job that posts whatever digests are due.

Schedules live in the database, so any number of scheduler processes can run this
job against the same database: the claim in bot.services.digest makes each digest
go out once, and its lease lets another process finish what a dead one claimed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from slack_sdk import WebClient

from bot.db.engine import Database
from bot.jobs.digest import LEASE, run_due

LEASE_ENV = "DIGEST_LEASE_SECONDS"


def lease_from_env(env: Mapping[str, str] | None = None) -> timedelta:
    """DIGEST_LEASE_SECONDS, or LEASE (10 minutes).

    Read here rather than in bot.settings only until Settings carries it. It must stay well
    above the Web API client's timeout (15 s): a lease that runs out while its claimant is
    still waiting for Slack's answer lets a second process post too.
    """
    value = (os.environ if env is None else env).get(LEASE_ENV, "").strip()
    if not value:
        return LEASE
    seconds = int(value)
    if not 1 <= seconds <= 86_400:
        raise ValueError(f"{LEASE_ENV} must be between 1 and 86400 seconds, not {seconds}")
    return timedelta(seconds=seconds)


def make_scheduler(
    db: Database,
    client: WebClient,
    poll_seconds: int,
    blocking: bool = False,
    lease: timedelta | None = None,
) -> BaseScheduler:
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if blocking else BackgroundScheduler(timezone=UTC)
    )
    scheduler.add_job(
        run_due,
        IntervalTrigger(seconds=poll_seconds),
        args=[db, client],
        kwargs={"lease": lease or lease_from_env()},
        id="digests",
        name="post due weekly digests",
        max_instances=1,  # a slow round is not overlapped by the next
        coalesce=True,
        next_run_time=datetime.now(UTC),  # look once at start: catch up after downtime
        misfire_grace_time=None,
    )
    return scheduler
