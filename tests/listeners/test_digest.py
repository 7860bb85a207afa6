"""/logtask digest through the signed HTTP path."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.db.models import DigestSchedule
from tests.support.slack_sim import flatten


@pytest.fixture
def team(bot, slack):
    slack.add_user("U1", name="Owner", tz="Europe/Berlin")
    slack.add_user("U2", name="Member", tz="America/New_York")
    slack.add_user("UADMIN", name="Admin", tz="UTC", is_admin=True)
    slack.add_channel("C1", "general", is_member=True)
    slack.add_channel("CPUB", "team-digest")
    slack.add_channel("CPRIV", "secret", is_private=True)
    return bot


def test_digest_here_defaults_to_monday_0900_in_the_members_timezone(team, db):
    text = team.reply_text("digest here", user="U1")
    assert "goes to <#C1> on Mondays at 09:00 (Europe/Berlin)" in text
    with db.transaction() as s:
        sched = s.scalars(select(DigestSchedule)).one()
    local = sched.next_run_at.astimezone(ZoneInfo("Europe/Berlin"))
    assert (local.weekday(), local.hour, local.minute) == (0, 9, 0)
    assert sched.next_run_at > datetime.now(UTC)
    assert f"Next digest: *Monday {local.day} {local:%B %Y} at 09:00*" in text


def test_digest_in_a_public_channel_joins_it(team, slack):
    text = team.reply_text("digest <#CPUB|team-digest> friday 16:30", user="U1")
    assert "goes to <#CPUB> on Fridays at 16:30 (Europe/Berlin)" in text
    assert "I joined the channel" in text
    assert [c.params["channel"] for c in slack.api_calls("conversations.join")] == ["CPUB"]


def test_digest_in_a_private_channel_says_how_to_invite_and_saves_nothing(team, db):
    text = team.reply_text("digest <#CPRIV|secret>", user="U1")
    assert "/invite @Handoff" in text
    with db.transaction() as s:
        assert s.scalars(select(DigestSchedule)).first() is None


def test_only_admins_or_the_first_member_may_change_it(team):
    team.command("digest here", user="U1")
    refused = team.reply_text("digest <#CPUB|team-digest>", user="U2")
    assert (
        "Only workspace admins and owners, or Owner who set up the digest, can change it" in refused
    )
    assert "Mondays at 09:00" in team.reply_text("digest", user="U2")  # it did not change
    assert "Fridays at 10:00" in team.reply_text("digest here friday 10:00", user="U1")
    assert "Tuesdays at 08:00 (UTC)" in team.reply_text("digest here tuesday 8am", user="UADMIN")
    assert "Only workspace admins" in team.reply_text("digest off", user="U2")
    assert "Only workspace admins" in team.reply_text("digest now", user="U2")


def test_show_and_off(team):
    assert "No weekly digest is set up" in team.reply_text("digest", user="U1")
    team.command("digest here", user="U1")
    assert "Weekly digest turned off" in team.reply_text("digest off", user="U1")
    assert "The weekly digest is *off*" in team.reply_text("digest", user="U1")


def test_preview_is_only_for_you_and_posts_nothing(team, slack):
    team.command("rate 80", user="U1")
    team.command("newsletter 2h weekly", user="U1")
    reply = team.command("digest preview", user="U1")
    assert reply["response_type"] == "ephemeral"
    assert "Preview — only you can see this" in flatten(reply)
    assert "Weekly digest ·" in flatten(reply)
    assert slack.api_calls("chat.postMessage") == []


def test_now_posts_in_the_channel_and_keeps_the_schedule(team, slack, db):
    team.command("digest here", user="U1")
    with db.transaction() as s:
        before = s.scalar(select(DigestSchedule.next_run_at))
    assert "Posted this week's digest in <#C1>" in team.reply_text("digest now", user="U1")
    (posted,) = slack.api_calls("chat.postMessage")
    assert posted.params["channel"] == "C1"
    with db.transaction() as s:
        assert s.scalar(select(DigestSchedule.next_run_at)) == before


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("digest #nope", "I can't see a channel called #nope"),
        ("digest here funday", "I couldn't read “funday” as a weekday or a time"),
        ("digest here 25:00", "I couldn't read “25:00”"),
        ("digest sometimes", "I don't know “digest sometimes”"),
        ("digest now", "set up the digest first"),
    ],
)
def test_bad_digest_commands_explain(team, text, problem):
    reply = team.reply_text(text, user="U1")
    assert problem.lower() in reply.lower()
    assert "Try: `/logtask digest" in reply


def test_a_channel_the_bot_may_not_inspect_is_accepted_and_checked_on_delivery(team, slack):
    slack.fail("conversations.info", "missing_scope", channel="CPRIV")
    assert "goes to <#CPRIV>" in team.reply_text("digest <#CPRIV|secret>", user="U1")
