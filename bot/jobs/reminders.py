"""Sending due reminders: the scheduler's job.

What is due and the exactly-once claim come from bot.services.reminders. The DM is sent to
the member's user id (chat.postMessage opens the app's DM with them). A failure is recorded
on the run and logged; it never stops the other reminders, and it is not retried: the
reminder comes again on its next day.

``clients`` is one WebClient (single-workspace mode) or a function giving each workspace's
own (multi-workspace mode), as for the digest.
"""

from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.jobs.digest import Clients, claimant
from bot.services import reminders as service
from bot.views.reminders import reminder_dm

log = logging.getLogger(__name__)


def run_due(
    db: Database, clients: Clients, now: datetime | None = None, who: str | None = None
) -> int:
    """Send every reminder due at ``now``; returns how many were sent. Never raises."""
    now = now or utcnow()
    try:
        with db.transaction() as s:
            due, skipped = service.claim_due(s, now, who or claimant())
    except Exception:
        log.exception("could not read the reminders")
        return 0
    for note in skipped:
        log.warning(note)
    sent = 0
    for d in due:
        error: str | None = None
        try:
            with db.transaction() as s:
                content = service.nudge(s, d, now)
            client = clients if isinstance(clients, WebClient) else clients(d.scope)
            client.chat_postMessage(channel=d.user_id, **reminder_dm(content))
            sent += 1
        except SlackApiError as e:
            error = str(e.response.get("error") or f"http_{e.response.status_code}")
        except Exception as e:  # a workspace no longer installed, a bug: this one alone fails
            error = type(e).__name__
            log.exception("reminder for %s in %s failed", d.user_id, d.scope.team_id)
        if error:
            log.warning("reminder for %s in %s failed: %s", d.user_id, d.scope.team_id, error)
        try:
            with db.transaction() as s:
                service.record(s, d, utcnow(), error)
        except Exception:
            log.exception("could not record reminder run %s", d.run_id)
    return sent
