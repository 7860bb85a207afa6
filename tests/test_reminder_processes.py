"""Real `handoff scheduler` processes on one database: each reminder is sent once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.db.models import Reminder, ReminderRun
from bot.services import reminders
from bot.services.scope import Scope
from tests.test_scheduler_processes import scheduler, stop

MEMBERS = 6


def test_two_scheduler_processes_send_each_reminder_once(database_url, db, slack, tmp_path):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with db.transaction() as s:
        for i in range(MEMBERS):
            reminders.configure(
                s,
                Scope(f"T{i % 2}"),
                f"U{i}",
                (now.weekday(),),
                now.time(),
                "UTC",
                now - timedelta(minutes=1),
            )
        s.execute(update(Reminder).values(next_run_at=now))
    procs = [scheduler(database_url, slack, tmp_path) for _ in range(2)]
    try:
        slack.wait_for(lambda: len(slack.api_calls("chat.postMessage")) >= MEMBERS, timeout=60)
        time.sleep(3)  # both processes keep polling; nothing more may be sent
    finally:
        logs = stop(*procs)
    sent_to = sorted(c.params["channel"] for c in slack.api_calls("chat.postMessage"))
    assert sent_to == sorted(f"U{i}" for i in range(MEMBERS)), logs
    with db.transaction() as s:
        runs = s.scalars(select(ReminderRun)).all()
        assert sorted(r.status for r in runs) == ["sent"] * MEMBERS
