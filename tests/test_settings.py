import pytest

from bot.settings import DEFAULT_DATABASE_URL, Settings, SettingsError, load_settings


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
