"""Real `handoff scheduler` processes on one database: each digest goes out exactly once,
also when a process is killed between claiming a digest and recording it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.console.local_slack import LocalSlack
from bot.db.models import DigestRun, DigestSchedule
from bot.services import digest as service
from bot.services.scope import Scope

WORKSPACES = 6


def due_now(db, teams: int) -> None:
    """``teams`` workspaces whose digest is due the moment a scheduler starts."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with db.transaction() as s:
        for i in range(teams):
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
        s.execute(update(DigestSchedule).values(next_run_at=now))


def scheduler(database_url: str, slack: LocalSlack, cwd: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "scheduler"],
        cwd=cwd,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "s",
            "SLACK_API_URL": slack.api_url,
            "DIGEST_POLL_SECONDS": "1",
            "LOG_LEVEL": "WARNING",
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def stop(*procs: subprocess.Popen[str]) -> list[str]:
    for p in procs:
        p.terminate()
    return [p.communicate(timeout=20)[0] for p in procs]


def runs(db) -> list[DigestRun]:
    with db.transaction() as s:
        return list(s.scalars(select(DigestRun)).all())


def eventually(probe: Callable[[], object], timeout: float = 60.0) -> None:
    """Poll the database (which, unlike the stand-in, cannot wake us) until ``probe()``."""
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            raise TimeoutError("the database never got there")
        time.sleep(0.1)


def test_two_scheduler_processes_post_each_digest_once(database_url, db, slack, tmp_path):
    due_now(db, WORKSPACES)
    procs = [scheduler(database_url, slack, tmp_path) for _ in range(2)]
    try:
        slack.wait_for(lambda: len(slack.api_calls("chat.postMessage")) >= WORKSPACES, timeout=60)
        time.sleep(3)  # both processes keep polling; nothing more may be posted
    finally:
        logs = stop(*procs)
    channels = sorted(c.params["channel"] for c in slack.api_calls("chat.postMessage"))
    assert channels == sorted(f"C{i}" for i in range(WORKSPACES)), logs
    assert len(runs(db)) == WORKSPACES
    assert {r.status for r in runs(db)} == {"posted"}


@pytest.mark.parametrize(
    ("landed", "deliver"), [(False, "never"), (True, "before")], ids=["before", "after"]
)
def test_a_scheduler_killed_mid_post_is_taken_over_and_the_digest_goes_out_once(
    database_url, db, slack, tmp_path, landed, deliver
):
    due_now(db, 1)
    # The first post hangs; "before": Slack accepted it, "never": it never reached Slack.
    gate = slack.hold("chat.postMessage", times=1, deliver=deliver)
    lease = {"DIGEST_LEASE_SECONDS": "2"}
    try:
        first = scheduler(database_url, slack, tmp_path, **lease)
        try:
            slack.wait_for(lambda: slack.api_calls("chat.postMessage"), timeout=60)
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=20)
        assert [r.status for r in runs(db)] == ["claimed"]  # the claim outlived its process
        assert len(slack.messages("C0")) == (1 if landed else 0)

        second = scheduler(database_url, slack, tmp_path, **lease)
        try:
            eventually(lambda: runs(db)[0].status != "claimed")
            time.sleep(3)  # it keeps polling; nothing more may be posted
        finally:
            (log,) = stop(second)
    finally:
        gate.set()
    (message,) = slack.messages("C0")
    (run,) = runs(db)
    assert (run.status, run.ts, run.attempts) == ("posted", message["ts"], 2), log
    # Taken over after delivery, it looked and recorded; before, it looked and posted.
    assert len(slack.api_calls("chat.postMessage")) == (1 if landed else 2)
    assert len(slack.api_calls("conversations.history")) == 1
