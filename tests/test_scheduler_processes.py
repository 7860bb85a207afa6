"""Two `handoff scheduler` processes on one database post each digest exactly once."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from bot.db.models import DigestRun, DigestSchedule
from bot.services import digest as service
from bot.services.scope import Scope

WORKSPACES = 6


def test_two_scheduler_processes_post_each_digest_once(database_url, db, slack, tmp_path):
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with db.transaction() as s:
        for i in range(WORKSPACES):
            service.configure(
                s,
                Scope(f"T{i}"),
                "U1",
                f"C{i}",
                now.weekday(),
                now.time(),
                "UTC",
                now - timedelta(minutes=1),
            )
        s.execute(update(DigestSchedule).values(next_run_at=now))  # all due the moment they start
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "s",
        "SLACK_API_URL": slack.api_url,
        "DIGEST_POLL_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
    }
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "scheduler"],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    try:
        slack.wait_for(lambda: len(slack.api_calls("chat.postMessage")) >= WORKSPACES, timeout=60)
        time.sleep(3)  # both processes keep polling; nothing more may be posted
    finally:
        for p in procs:
            p.terminate()
        logs = [p.communicate(timeout=20)[0] for p in procs]
    channels = sorted(c.params["channel"] for c in slack.api_calls("chat.postMessage"))
    assert channels == sorted(f"C{i}" for i in range(WORKSPACES)), logs
    with db.transaction() as s:
        runs = s.scalars(select(DigestRun)).all()
    assert len(runs) == WORKSPACES
    assert {r.status for r in runs} == {"posted"}
    assert len({r.claimed_by for r in runs}) >= 1
