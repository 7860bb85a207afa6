"""Delivering digests to Slack: the scheduler's job and `/logtask digest now`.

Everything here talks to Slack; what to post and who may post it come from
bot.services.digest. One workspace's failure is recorded and reported to whoever
configured its digest, and never stops the others.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.charts import cost_chart
from bot.db.base import utcnow
from bot.db.engine import Database
from bot.services import digest as service
from bot.services.scope import Scope
from bot.views.digest import digest_message, problem_dm

log = logging.getLogger(__name__)

# Errors that need a person to fix something; anything else is logged and retried next week.
NEEDS_A_PERSON = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "token_revoked",
    "invalid_auth",
    "account_inactive",
}


def claimant() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class ChannelThrottle:
    """At most one message per second per channel, Slack's posting limit."""

    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        with self._lock:
            now = self._clock()
            ready = max(now, self._next.get(channel, now))
            self._next[channel] = ready + self.interval  # reserve the slot before sleeping
        if ready > now:
            self._sleep(ready - now)


THROTTLE = ChannelThrottle()


def post_digest(
    db: Database, client: WebClient, scope: Scope, channel_id: str, tz: str, now: datetime
) -> str:
    """Post the digest and its chart; returns the message ts. SlackApiError if the post fails."""
    with db.transaction() as s:
        content = service.build(s, scope, service.local_today(tz, now))
    THROTTLE.wait(channel_id)
    ts = str(client.chat_postMessage(channel=channel_id, **digest_message(content))["ts"])
    try:
        png = cost_chart(content)
        if png is not None:
            client.files_upload_v2(
                channel=channel_id,
                thread_ts=ts,
                content=png,
                filename="handoff-digest.png",
                title="In-house vs outsourced cost per week",
            )
    except Exception:  # the text digest is out; a missing chart is only logged
        log.warning(
            "digest chart for %s could not be rendered or uploaded", scope.team_id, exc_info=True
        )
    return ts


def run_due(
    db: Database, client: WebClient, now: datetime | None = None, who: str | None = None
) -> int:
    """Post every digest due at ``now``. Returns how many were posted. Never raises."""
    now = now or utcnow()
    try:
        with db.transaction() as s:
            due, skipped = service.claim_due(s, now, who or claimant())
    except Exception:
        log.exception("could not read the digest schedule")
        return 0
    for note in skipped:
        log.warning(note)
    posted = 0
    for d in due:
        try:
            ts = post_digest(db, client, d.scope, d.channel_id, d.timezone, now)
        except SlackApiError as e:
            error = str(e.response.get("error") or "unknown_error")
            log.warning("digest for %s failed: %s", d.scope.team_id, error)
            _record(db, d.run_id, error=error)
            if error in NEEDS_A_PERSON:
                _tell(client, d, error)
            continue
        except Exception as e:
            log.exception("digest for %s failed", d.scope.team_id)
            _record(db, d.run_id, error=type(e).__name__)
            continue
        _record(db, d.run_id, ts=ts)
        posted += 1
    return posted


def _record(db: Database, run_id: int, *, ts: str | None = None, error: str | None = None) -> None:
    try:
        with db.transaction() as s:
            service.record(s, run_id, ts=ts, error=error)
    except Exception:
        log.exception("could not record digest run %s", run_id)


def _tell(client: WebClient, d: service.Due, error: str) -> None:
    try:
        client.chat_postMessage(channel=d.configured_by, **problem_dm(d.channel_id, error))
    except SlackApiError as e:
        log.warning(
            "could not tell %s about the failed digest: %s",
            d.configured_by,
            e.response.get("error"),
        )
