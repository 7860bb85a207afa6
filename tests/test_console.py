"""The console: a real `handoff console` process, typed at through stdin."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.console.chat import Console, escape_like_slack
from bot.db.base import utcnow
from bot.db.engine import Database
from bot.db.models import DigestSchedule, Reminder
from bot.settings import Settings

HANDOFF = [sys.executable, "-m", "bot.cli"]


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": f"sqlite:///{tmp_path}/console.db", "TZ": "UTC", **extra})
    return env


def handoff(
    tmp_path: Path, *args: str, stdin: str | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the `handoff` command in ``tmp_path``, where no .env is: a developer's settings stay out."""
    return subprocess.run(
        [*HANDOFF, *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean_env(tmp_path), **env},
        timeout=60,
        check=False,
    )


def run_console(tmp_path: Path, lines: list[str]) -> subprocess.CompletedProcess[str]:
    return handoff(tmp_path, "console", "--user", "Sam", stdin="\n".join(lines) + "\n")


def test_console_session_shows_the_worked_example(tmp_path):
    result = run_console(
        tmp_path,
        [
            "/logtask rate $80/h",
            "/logtask write blog post 2h weekly 2 weeks ago",
            "/logtask write blog post 1.5h 1 week ago",
            "/logtask write blog post 2.5h",
            "/logtask quote write blog post $60/post from Jane",
            "/logtask report",
        ],
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Handoff console — you are Sam" in out
    assert "bot> Logged 2h 30m on write blog post" in out
    assert "Handing off 1 task would save $84/week ($4,368/year)." in out
    assert "break-even $144 per post" in out
    assert "Traceback" not in out + result.stderr


def test_console_answers_bad_input_clearly(tmp_path):
    out = run_console(
        tmp_path, ["/logtask write newsletter 25h", "/logtask rate -5", "/nope"]
    ).stdout
    assert "⚠ 25h is more than a day — did you mean 2.5h?" in out
    assert "Try: `/logtask write newsletter 1h30m weekly #content`" in out
    assert "⚠ The amount must be more than zero." in out
    assert "Unknown command /nope — try /logtask help" in out


def test_console_keeps_data_between_sessions(tmp_path):
    run_console(tmp_path, ["/logtask podcast 1h"])
    assert "`#1` podcast · 1h" in run_console(tmp_path, ["/logtask history"]).stdout


def test_console_types_like_slack_escapes():
    assert escape_like_slack("R&D <b> @channel") == "R&amp;D &lt;b&gt; <!channel>"
    assert escape_like_slack("#general #nope", {"general": "C1"}) == "<#C1|general> #nope"


@pytest.fixture
def console(tmp_path):
    """A console on a fresh, migrated database, driven in-process."""
    from bot.db import migrate

    url = f"sqlite:///{tmp_path}/c.db"
    migrate.upgrade(url)
    db = Database(url)
    # The scheduler looks every second, as DIGEST_POLL_SECONDS=1 would have it.
    chat = Console(Settings(database_url=url, digest_poll_seconds=1), db, user="Ana")
    yield chat
    chat.close()
    db.dispose()


def test_console_drives_the_same_listeners_in_process(console):
    (reply,) = console.handle("/logtask a 1h")
    assert reply.startswith("Logged 1h on a")
    assert console.slack.responses(), "the reply went through response_url like in Slack"


def test_run_without_credentials_or_terminal_exits_2(tmp_path):
    result = handoff(tmp_path, "run")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("handoff: no Slack credentials")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_BOT_TOKEN": "nope"}, "SLACK_BOT_TOKEN"),
        ({"PORT": "x"}, "PORT"),
        ({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/x"}, "DATABASE_URL"),
    ],
)
def test_bad_settings_exit_2_with_one_line(tmp_path, env, named):
    result = handoff(tmp_path, "migrate", **env)
    assert result.returncode == 2
    assert named in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_migrate_creates_the_database(tmp_path):
    result = handoff(tmp_path, "migrate")
    assert result.returncode == 0
    assert "up to date" in result.stdout
    assert (tmp_path / "console.db").exists()


def test_console_shows_a_digest_preview(tmp_path):
    out = run_console(
        tmp_path,
        [
            "/logtask rate $80/h",
            "/logtask newsletter 2h weekly",
            "/logtask quote newsletter $60",
            "/logtask digest preview",
        ],
    ).stdout
    assert "Weekly digest ·" in out
    assert "Losing money — hand these off" in out
    assert (
        "• newsletter — 2h/week · in-house $160 · outsourcing $60 · saves $84/week ($4,368/year)"
        in out
    )
    assert "Preview — only you can see this. Nothing was posted." in out


def test_console_reads_a_command_mentioning_payload_like_the_server_does(console):
    (reply,) = console.handle("/logtask payload review 1h")
    assert reply.startswith("Logged 1h on payload review")


def make_digest_due(db: Database) -> None:
    """Time passes: the configured digest's slot is now."""
    with db.transaction() as s:
        s.execute(update(DigestSchedule).values(next_run_at=utcnow()))


NEWSLETTER_LINE = (
    # 2h/week × $80 = $160 in-house; $60 quote + 10% review overhead ($16) = $76;
    # $160 − $76 = $84/week, × 52 = $4,368/year.
    "• newsletter — 2h/week · in-house $160 · outsourcing $60 · saves $84/week ($4,368/year)"
)


def test_a_due_digest_appears_in_the_console_as_a_channel_post(console):
    for line in [
        "/logtask rate $80/h",
        "/logtask newsletter 2h weekly",
        "/logtask quote newsletter $60",
        "/logtask digest here monday 09:00",
    ]:
        console.handle(line)
    assert console.channel_posts == []
    make_digest_due(console.db)
    deadline = time.monotonic() + 30
    while not console.channel_posts and time.monotonic() < deadline:
        time.sleep(0.1)
    post = console.channel_posts[0]
    assert post.startswith("#general · Handoff: Weekly digest · ")
    assert NEWSLETTER_LINE in post
    assert [c.params["channel"] for c in console.slack.api_calls("chat.postMessage")] == [
        "C0GENERAL"
    ]


def test_a_due_reminder_appears_in_the_console_as_a_dm(console):
    console.handle("/logtask newsletter 2h weekly")
    console.handle("/logtask remind friday 16:00")
    now = utcnow().replace(second=0, microsecond=0)
    with console.db.transaction() as s:  # time passes: the reminder's slot is now
        s.execute(
            update(Reminder).values(
                weekdays=str(now.weekday()),
                local_time=f"{now:%H:%M}",
                timezone="UTC",
                next_run_at=now,
            )
        )
    deadline = time.monotonic() + 30
    while not console.channel_posts and time.monotonic() < deadline:
        time.sleep(0.1)
    (post,) = console.channel_posts
    assert post.startswith("Handoff, to you: ")
    assert "2h" in post  # this week's time so far, in the nudge


def test_a_digest_due_while_the_console_was_closed_is_posted_when_it_opens(tmp_path):
    run_console(
        tmp_path,
        [
            "/logtask rate $80/h",
            "/logtask newsletter 2h weekly",
            "/logtask quote newsletter $60",
            "/logtask digest here monday 09:00",
        ],
    )
    db = Database(f"sqlite:///{tmp_path}/console.db")
    try:
        make_digest_due(db)
    finally:
        db.dispose()
    result = run_console(tmp_path, ["/logtask digest"])
    assert result.returncode == 0, result.stderr
    _banner, posted = result.stdout.split("Ctrl-D to quit.\n", 1)
    assert posted.startswith("#general · Handoff: Weekly digest · ")
    assert NEWSLETTER_LINE in posted
    assert "#general · Handoff, in the thread: [chart uploaded]" in posted
    assert posted.index(NEWSLETTER_LINE) < posted.index("you> /logtask digest")
    assert result.stderr == ""


def test_console_clicks_a_button_by_its_number(console):
    console.handle("/logtask write blog post 2h")
    (question,) = console.handle("/logtask writ blog post 1h")
    assert "  [1] Log 1h on write blog post" in question.splitlines()
    assert "  [2] Log 1h on new task “writ blog post”" in question.splitlines()
    (reply,) = console.handle("1")
    assert reply.startswith("Logged 1h on write blog post")
    assert "This week: 3h on this task." in reply


def test_console_names_the_buttons_there_are(console):
    console.handle("/logtask write blog post 2h")
    console.handle("/logtask writ blog post 1h")
    assert console.handle("[3]") == ["There is no button [3]; the last reply has [1], [2]."]
    (reply,) = console.handle("[2]")
    assert reply.startswith("Logged 1h on writ blog post")
