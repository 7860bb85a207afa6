"""`handoff run --http` as a real process: health, signed commands, and the in-process scheduler."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import update

from bot.console.local_slack import Workspace
from bot.db.models import DigestSchedule
from bot.services import digest as service
from bot.services.scope import Scope
from tests.conftest import CLIENT_ID, CLIENT_SECRET, ENCRYPTION_KEY
from tests.support.browser import install
from tests.support.signing import signed_headers
from tests.support.slack_sim import flatten, http

SECRET = "process-secret"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def env_for(database_url: str, slack, **extra: str) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("SLACK_")},
        "DATABASE_URL": database_url,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DIGEST_POLL_SECONDS": "1",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


@pytest.fixture(params=[1, 2], ids=["one process", "two worker processes"])
def running_bot(request, database_url, slack, tmp_path):
    port = free_port()
    workers = ["--workers", str(request.param)]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port), *workers],
        cwd=tmp_path,
        env=env_for(database_url, slack),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if http(base + "/healthz").status == 200:
                break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail(proc.communicate()[0])
    yield base
    proc.terminate()
    assert proc.wait(20) == 0, "SIGTERM stops the server cleanly"


def test_run_serves_signed_commands_and_posts_due_digests(running_bot, db, slack):
    body = urlencode(
        {
            "team_id": "T1",
            "user_id": "U1",
            "command": "/logtask",
            "text": "podcast 1h",
            "response_url": (url := slack.new_response_url()),
        }
    ).encode()
    r = http(
        running_bot + "/slack/events",
        body,
        {"Content-Type": "application/x-www-form-urlencoded", **signed_headers(SECRET, body)},
    )
    assert r.status == 200
    assert "Logged 1h on *podcast*" in flatten(slack.wait_for_response(url))
    assert (
        http(
            running_bot + "/slack/events",
            body,
            {"Content-Type": "application/x-www-form-urlencoded"},
        ).status
        == 401
    )

    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with db.transaction() as s:
        service.configure(
            s,
            Scope("T1"),
            "U1",
            "CRUN",
            now.weekday(),
            now.time(),
            "UTC",
            now - timedelta(minutes=1),
        )
        s.execute(update(DigestSchedule).values(next_run_at=now))
    posted = slack.wait_for(
        lambda: [
            c for c in slack.api_calls("chat.postMessage") if c.params.get("channel") == "CRUN"
        ],
        timeout=30,
    )
    assert "*1h* logged in the last 7 days" in flatten(posted[0].params)


def test_digest_preview_and_send_from_the_command_line(database_url, db, slack, tmp_path, bot):
    bot.command("rate 80")
    bot.command("newsletter 2h weekly")
    bot.command("quote newsletter 60")

    def run(*a):
        return subprocess.run(
            [sys.executable, "-m", "bot.cli", "digest", *a],
            cwd=tmp_path,
            env=env_for(database_url, slack),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    preview = run("preview", "--team", "T1")
    assert preview.returncode == 0, preview.stderr
    assert (
        "newsletter — 2h/week · in-house $160 · outsourcing $60 · saves $84/week" in preview.stdout
    )
    unset = run("send", "--team", "T1")
    assert unset.returncode == 2
    assert "no digest set up" in unset.stderr
    with db.transaction() as s:
        service.configure(
            s,
            Scope("T1"),
            "U1",
            "CCLI",
            0,
            datetime.now(UTC).time().replace(microsecond=0),
            "UTC",
            datetime.now(UTC),
        )
    sent = run("send", "--team", "T1")
    assert sent.returncode == 0, sent.stderr
    assert [c.params["channel"] for c in slack.api_calls("chat.postMessage")] == ["CCLI"]


def test_run_in_multi_workspace_mode_installs_and_answers_with_each_workspaces_token(
    database_url, db, slack, tmp_path
):
    slack.register_app(CLIENT_ID, CLIENT_SECRET)
    port = free_port()
    env = {
        **{k: v for k, v in env_for(database_url, slack).items() if k != "SLACK_BOT_TOKEN"},
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "HANDOFF_ENCRYPTION_KEY": ENCRYPTION_KEY,
        "LOG_LEVEL": "INFO",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if http(base + "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        acme, globex = Workspace("T1", "Acme"), Workspace("T2", "Globex")
        assert install(base, slack, acme).status == 200
        assert install(base, slack, globex).status == 200

        for team, channel in (("T1", "CA"), ("T2", "CG")):
            body = urlencode(
                {
                    "team_id": team,
                    "user_id": "U1",
                    "command": "/logtask",
                    "text": "podcast 1h",
                    "response_url": (url := slack.new_response_url()),
                }
            ).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            r = http(base + "/slack/events", body, {**headers, **signed_headers(SECRET, body)})
            assert r.status == 200
            assert "Logged 1h on *podcast*" in flatten(slack.wait_for_response(url))
            now = datetime.now(UTC).replace(second=0, microsecond=0)
            with db.transaction() as s:
                service.configure(
                    s, Scope(team), "U1", channel, now.weekday(), now.time(), "UTC", now
                )
                s.execute(
                    update(DigestSchedule)
                    .where(DigestSchedule.channel_id == channel)
                    .values(next_run_at=now)
                )
        posted = slack.wait_for(
            lambda: (
                len(slack.api_calls("chat.postMessage")) == 2
                and slack.api_calls("chat.postMessage")
            ),
            timeout=30,
        )
        assert {c.params["channel"]: c.token for c in posted} == {
            "CA": slack.bot_tokens(acme)[0],
            "CG": slack.bot_tokens(globex)[0],
        }
    finally:
        proc.terminate()
        out = proc.communicate(timeout=20)[0]
    assert proc.returncode == 0, out
    assert f"Add to Slack at http://localhost:{port}/slack/install" in out
    assert [t for t in slack.tokens if t in out] == []


def test_when_one_web_worker_dies_the_others_stop_and_run_exits_with_an_error(
    database_url, slack, tmp_path
):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port), "--workers", "2"],
        cwd=tmp_path,
        env=env_for(database_url, slack),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if http(base + "/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert len(children) == 2
        os.kill(int(children[0]), signal.SIGKILL)
        assert proc.wait(20) == 2  # a CliError: systemd (Restart=on-failure) starts it again
        assert "a web worker stopped" in proc.communicate()[0]
        for pid in children:
            assert (
                not Path(f"/proc/{pid}").exists()
                or "zombie" in Path(f"/proc/{pid}/status").read_text()
            )
    finally:
        proc.kill()
        proc.wait()
