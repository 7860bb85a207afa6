"""Starting `handoff run` and `handoff scheduler` as real processes: a wrong setup stops the
start with one line naming the cause and the fix, exit code 2, and nothing created; a right
one starts without warnings about what its mode does not use."""

from __future__ import annotations

import socket
import time

import pytest

from bot.startup import pauses
from tests.support.cli import Running, free_port, handoff, one_line
from tests.support.slack_sim import http


def slack_env(slack, tmp_path, **extra: str) -> dict[str, str]:
    """HTTP-mode settings against the stand-in, on a database file that does not exist yet."""
    return {
        "DATABASE_URL": f"sqlite:///{tmp_path}/handoff.db",
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "secret",
        "SLACK_API_URL": slack.api_url,
        "SLACK_STARTUP_WAIT_SECONDS": "0",
        **extra,
    }


START = {
    "run": ("run", "--http", "--port", "0"),
    "scheduler": ("scheduler",),
}


@pytest.mark.parametrize("command", START)
def test_a_bot_token_slack_refuses_stops_the_start_with_one_line(tmp_path, slack, command):
    slack.fail("auth.test", "invalid_auth")
    result = handoff(tmp_path, *START[command], **slack_env(slack, tmp_path))
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith("handoff: Slack refused SLACK_BOT_TOKEN (invalid_auth) — ")
    assert "OAuth & Permissions" in line
    assert not (tmp_path / "handoff.db").exists(), "checked before the database is created"


def test_an_app_token_slack_refuses_stops_socket_mode_with_one_line(tmp_path, slack):
    slack.fail("apps.connections.open", "invalid_auth")
    env = slack_env(slack, tmp_path, SLACK_APP_TOKEN="xapp-test", SLACK_SIGNING_SECRET="")
    result = handoff(tmp_path, "run", **env)
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith("handoff: Slack refused SLACK_APP_TOKEN (invalid_auth) — ")
    assert "connections:write" in line
    assert not (tmp_path / "handoff.db").exists()


@pytest.mark.parametrize("command", START)
def test_unreachable_slack_is_tried_again_then_given_up_with_one_line(tmp_path, slack, command):
    nowhere = f"http://127.0.0.1:{free_port()}/api/"  # nothing listens there
    started = time.monotonic()
    result = handoff(
        tmp_path,
        *START[command],
        **slack_env(slack, tmp_path, SLACK_API_URL=nowhere, SLACK_STARTUP_WAIT_SECONDS="2"),
    )
    took = time.monotonic() - started
    assert result.returncode == 2
    line = one_line(result)
    # 2 s of waiting: tries at 0, 1 and 2 s.
    assert line.startswith(
        f"handoff: could not reach Slack at {nowhere} (Connection refused; 3 tries"
    )
    assert "SLACK_API_URL" in line
    assert took >= 2
    assert not (tmp_path / "handoff.db").exists()


def test_the_pauses_between_tries_double_and_add_up_to_the_wait():
    assert pauses(15) == [1, 2, 4, 8]  # tries at 0, 1, 3, 7 and 15 s
    assert pauses(10) == [1, 2, 4, 3]  # 1 + 2 + 4 + 3 = 10
    assert pauses(2) == [1, 1]
    assert pauses(0) == []


def test_slack_unavailable_for_a_moment_is_waited_out_and_the_bot_starts(tmp_path, slack):
    slack.fail("auth.test", "service_unavailable", times=2, status=503)
    port = free_port()
    bot = Running(
        tmp_path,
        "run",
        "--http",
        "--no-scheduler",
        **slack_env(slack, tmp_path, PORT=str(port), SLACK_STARTUP_WAIT_SECONDS="10"),
    )
    try:
        bot.wait_for_line(lambda line: "Listening on" in line)
        assert http(f"http://127.0.0.1:{port}/healthz").status == 200
    finally:
        lines = bot.stop()
    # Two 503s, our third try, then Bolt's own auth.test.
    assert len(slack.api_calls("auth.test")) == 4
    assert not [line for line in lines if "WARNING" in line or "ERROR" in line], lines


def test_a_port_in_use_stops_the_start_with_one_line(tmp_path, slack):
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))  # noqa: S104  (as the bot would listen)
        taken.listen()
        port = taken.getsockname()[1]
        result = handoff(tmp_path, "run", **slack_env(slack, tmp_path, PORT=str(port)))
    assert result.returncode == 2
    assert one_line(result) == (
        f"handoff: port {port} is in use — stop the other process listening on it, "
        "or set PORT (or --port) to a free one"
    )
    assert not (tmp_path / "handoff.db").exists()
    assert slack.api_calls() == [], "the port is checked before Slack is asked"


@pytest.mark.parametrize(
    ("where", "says"),
    [
        (
            "{tmp}/no/such/folder/handoff.db",
            "the folder {tmp}/no/such/folder for the database does not exist",
        ),
        ("{tmp}/a-file/handoff.db", "{tmp}/a-file, where the database should go, is a file"),
        ("/sys/handoff.db", "cannot create files in /sys ("),  # not writable, even by root
    ],
    ids=["missing-folder", "folder-is-a-file", "unwritable-folder"],
)
def test_a_database_path_that_cannot_be_written_stops_migrate_with_one_line(tmp_path, where, says):
    (tmp_path / "a-file").write_text("not a folder")
    url = "sqlite:///" + where.format(tmp=tmp_path)
    result = handoff(tmp_path, "migrate", DATABASE_URL=url)
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith("handoff: " + says.format(tmp=tmp_path))
    assert "set DATABASE_URL" in line


@pytest.mark.parametrize("command", ["console", "scheduler", "run", "digest"])
def test_every_command_checks_the_database_folder_before_anything_else(tmp_path, slack, command):
    args = {"run": ("run", "--port", "0"), "digest": ("digest", "send", "--team", "T1")}
    missing = tmp_path / "missing"
    result = handoff(
        tmp_path,
        *args.get(command, (command,)),
        **slack_env(slack, tmp_path, DATABASE_URL=f"sqlite:///{missing}/handoff.db"),
    )
    assert result.returncode == 2
    line = one_line(result)
    assert f"{missing}" in line
    assert not missing.exists()
    if command != "digest":  # the digest first says there is no such database at all
        assert slack.api_calls() == [], "nothing asked of Slack before the database is checked"


@pytest.mark.parametrize(
    ("command", "env"),
    [
        (("scheduler",), {}),  # no bot token to post digests with
        (("run",), {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "PORT": "x"}),
        (("run", "--http"), {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}),
        (("migrate",), {"LOG_LEVEL": "LOUD"}),
        (("digest", "send", "--team", "T1"), {}),  # no bot token
    ],
    ids=["scheduler-no-token", "run-bad-port", "http-no-secret", "migrate-bad-setting", "send"],
)
def test_a_settings_problem_stops_the_command_before_the_database_file_is_created(
    tmp_path, command, env
):
    result = handoff(tmp_path, *command, DATABASE_URL=f"sqlite:///{tmp_path}/h.db", **env)
    assert result.returncode == 2
    assert one_line(result).startswith("handoff: ")
    assert not (tmp_path / "h.db").exists()


# ---- what a good start logs -------------------------------------------------------------


@pytest.mark.parametrize("app_token", [None, "xapp-unused"], ids=["http", "http-with-app-token"])
def test_http_mode_starts_without_warnings_or_migration_lines(tmp_path, slack, app_token):
    port = free_port()
    env = slack_env(slack, tmp_path, PORT=str(port))
    if app_token:
        env["SLACK_APP_TOKEN"] = app_token  # present, but --http does not use it
    bot = Running(tmp_path, "run", "--http", **env)  # LOG_LEVEL unset: INFO
    try:
        bot.wait_for_line(lambda line: "Listening on" in line)
    finally:
        lines = bot.stop()
    assert not [line for line in lines if " WARNING " in line or " ERROR " in line], lines
    assert not [line for line in lines if "alembic" in line], lines
    assert any("Listening on http://0.0.0.0:" in line for line in lines)
    assert slack.api_calls("apps.connections.open") == [], "HTTP mode leaves the app token be"


def test_socket_mode_starts_without_warnings_about_the_signing_secret(tmp_path, slack):
    env = slack_env(slack, tmp_path, SLACK_APP_TOKEN="xapp-test", SLACK_SIGNING_SECRET="")
    bot = Running(tmp_path, "run", **env)
    try:
        # What comes after is the WebSocket, which the stand-in does not speak.
        start = bot.wait_for_line(lambda line: "Connecting to Slack over Socket Mode" in line)
    finally:
        bot.stop()
    assert not [line for line in start if " WARNING " in line or " ERROR " in line], start
    assert not [line for line in start if "alembic" in line], start


def test_the_console_says_nothing_about_the_slack_tokens_it_does_not_use(tmp_path, slack):
    result = handoff(
        tmp_path, "console", stdin="/logtask podcast 1h\n", **slack_env(slack, tmp_path)
    )
    assert result.returncode == 0
    assert "Logged 1h on podcast" in result.stdout
    assert result.stderr == ""
