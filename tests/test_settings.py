import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import (
    DEFAULT_BOT_SCOPES,
    DEFAULT_DATABASE_URL,
    Settings,
    SettingsError,
    load_settings,
)


def test_defaults_need_nothing():
    s = load_settings({})
    assert s == Settings()
    assert s.database_url == DEFAULT_DATABASE_URL
    assert s.port == 3000
    assert not s.has_slack_credentials


def test_http_mode_settings():
    s = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "PORT": "8080"})
    assert s.has_slack_credentials
    assert not s.socket_mode
    assert s.port == 8080


def test_postgres_urls_use_psycopg_3():
    s = load_settings({"DATABASE_URL": "postgresql://u@h/db"})
    assert s.database_url == "postgresql+psycopg://u@h/db"


def test_settings_are_frozen():
    with pytest.raises(AttributeError):
        Settings().port = 1  # type: ignore[misc]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "nope"}, "SLACK_APP_TOKEN"),
        ({"DATABASE_URL": "handoff.db"}, "DATABASE_URL"),
        ({"PORT": "web"}, "PORT"),
        ({"PORT": "70000"}, "PORT"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"SLACK_API_URL": "slack.com"}, "SLACK_API_URL"),
        ({"DIGEST_POLL_SECONDS": "0"}, "DIGEST_POLL_SECONDS"),
    ],
)
def test_a_bad_setting_is_named_with_how_to_fix_it(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env)


def test_digest_lease_comes_from_settings_with_a_clear_error():
    assert load_settings({"DIGEST_LEASE_SECONDS": "90"}).digest_lease.total_seconds() == 90
    assert load_settings({}).digest_lease.total_seconds() == 600
    with pytest.raises(SettingsError, match="DIGEST_LEASE_SECONDS must be a whole number"):
        load_settings({"DIGEST_LEASE_SECONDS": "ten"})


# ---- multi-workspace (OAuth) mode -----------------------------------------------------------

KEY = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY="
OLD_KEY = "T0xEb2xkT0xEb2xkT0xEb2xkT0xEb2xkT0xEb2xkMDE="
OAUTH = {
    "SLACK_CLIENT_ID": "1111.2222",
    "SLACK_CLIENT_SECRET": "shh",
    "SLACK_SIGNING_SECRET": "s",
    "HANDOFF_ENCRYPTION_KEY": KEY,
}


def test_oauth_mode_settings_default_to_the_manifests_scopes():
    s = load_settings(OAUTH)
    assert s.oauth
    assert s.has_slack_credentials
    assert s.slack_scopes == DEFAULT_BOT_SCOPES
    assert s.encryption_keys == (KEY,)
    assert s.public_url is None
    assert not load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}).oauth


def test_oauth_mode_takes_several_keys_newest_first_scopes_and_a_public_url():
    s = load_settings(
        {
            **OAUTH,
            "HANDOFF_ENCRYPTION_KEY": f" {KEY} , {OLD_KEY} ",
            "SLACK_SCOPES": "commands, chat:write",
            "HANDOFF_PUBLIC_URL": "https://handoff.example.com/",
        }
    )
    assert s.encryption_keys == (KEY, OLD_KEY)
    assert s.slack_scopes == ("commands", "chat:write")
    assert s.public_url == "https://handoff.example.com"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**OAUTH, "SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_BOT_TOKEN and SLACK_CLIENT_ID"),
        ({**OAUTH, "SLACK_APP_TOKEN": "xapp-1"}, "SLACK_APP_TOKEN is set with SLACK_CLIENT_ID"),
        ({**OAUTH, "SLACK_CLIENT_ID": ""}, "SLACK_CLIENT_ID is missing"),
        ({**OAUTH, "SLACK_CLIENT_SECRET": ""}, "SLACK_CLIENT_SECRET is missing"),
        ({**OAUTH, "SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is missing"),
        ({**OAUTH, "HANDOFF_ENCRYPTION_KEY": ""}, "HANDOFF_ENCRYPTION_KEY is missing"),
        ({**OAUTH, "HANDOFF_ENCRYPTION_KEY": "hunter2"}, "HANDOFF_ENCRYPTION_KEY is not a Fernet"),
        (
            {**OAUTH, "HANDOFF_ENCRYPTION_KEY": f"{KEY},short"},
            r"HANDOFF_ENCRYPTION_KEY \(key 2 of 2\) is not",
        ),
        ({**OAUTH, "SLACK_SCOPES": "commands,chat write"}, "SLACK_SCOPES must be Slack bot scopes"),
        ({**OAUTH, "HANDOFF_PUBLIC_URL": "handoff.example.com"}, "HANDOFF_PUBLIC_URL must be"),
    ],
)
def test_mixed_or_incomplete_oauth_settings_name_what_to_fix(env, named):
    with pytest.raises(SettingsError, match=named):
        load_settings(env)


def test_a_missing_key_says_how_to_make_one():
    with pytest.raises(SettingsError, match=r"Fernet\.generate_key"):
        load_settings({**OAUTH, "HANDOFF_ENCRYPTION_KEY": ""})


def test_the_default_scopes_are_the_manifests_bot_scopes():
    manifest = (Path(__file__).resolve().parents[1] / "deploy" / "slack-manifest.yml").read_text()
    bot = manifest.split("    bot:\n", 1)[1]
    scopes = re.findall(r"^      - ([a-z:._]+)", bot.split("\nsettings:", 1)[0], re.MULTILINE)
    assert tuple(scopes) == DEFAULT_BOT_SCOPES


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**OAUTH, "SLACK_BOT_TOKEN": "xoxb-1"}, "choose one mode"),
        ({**OAUTH, "HANDOFF_ENCRYPTION_KEY": ""}, "HANDOFF_ENCRYPTION_KEY is missing"),
    ],
)
def test_handoff_run_stops_with_one_line_naming_what_to_fix(tmp_path, env, named):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HANDOFF_"))}
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "run", "--http"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "DATABASE_URL": f"sqlite:///{tmp_path}/h.db", **env},
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith("handoff: ")
    assert named in line
