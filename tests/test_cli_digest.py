"""`handoff digest preview|send --team T…` as a real process, for workspaces that are not there."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db.models import Workspace
from bot.services import digest as service
from bot.services.scope import Scope
from tests.support.cli import handoff, one_line


def teams(db) -> list[str]:
    with db.transaction() as s:
        return sorted(s.scalars(select(Workspace.team_id)).all())


@pytest.mark.parametrize("action", ["preview", "send"])
def test_a_digest_with_no_database_says_so_and_creates_none(tmp_path, action):
    result = handoff(
        tmp_path,
        "digest",
        action,
        "--team",
        "T0NOPE",
        DATABASE_URL=f"sqlite:///{tmp_path}/handoff.db",
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
    )
    assert result.returncode == 2
    assert one_line(result) == (
        f"handoff: no workspace T0NOPE: there is no database at {tmp_path}/handoff.db — "
        "check DATABASE_URL, or run this in the folder the bot runs in"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("action", ["preview", "send"])
def test_a_digest_for_an_unknown_workspace_says_so_and_adds_no_workspace(
    tmp_path, database_url, db, bot, slack, action
):
    bot.command("podcast 1h")  # T1 exists
    result = handoff(
        tmp_path,
        "digest",
        action,
        "--team",
        "T0NOPE",
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=slack.api_url,
    )
    assert result.returncode == 2
    line = one_line(result)
    assert line.startswith("handoff: no workspace T0NOPE in the database at ")
    assert "check --team" in line
    assert teams(db) == ["T1"]
    assert slack.api_calls("chat.postMessage") == []


def test_a_digest_slack_refuses_to_post_ends_with_one_line(tmp_path, database_url, db, bot, slack):
    bot.command("podcast 1h")
    with db.transaction() as s:
        service.configure(
            s, Scope("T1"), "U1", "CGONE", 0, datetime.now(UTC).time(), "UTC", datetime.now(UTC)
        )
    slack.fail("chat.postMessage", "channel_not_found")
    result = handoff(
        tmp_path,
        "digest",
        "send",
        "--team",
        "T1",
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN="xoxb-test",
        SLACK_SIGNING_SECRET="secret",
        SLACK_API_URL=slack.api_url,
    )
    assert result.returncode == 2
    assert one_line(result).startswith(
        "handoff: the digest for T1 was not posted in CGONE (channel_not_found) — "
    )
