"""Buttons that run /logtask text: clicked through the signed interactivity path, like Slack does."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Entry, Member, Workspace
from bot.views.common import RUN_COMMAND
from tests.support.database import database_locked
from tests.support.slack_sim import flatten

SLACK_ACK_DEADLINE = 3.0  # seconds


def button(value: str) -> dict:
    """A button as a reply carries it; any /logtask text may be its value."""
    return {
        "type": "button",
        "action_id": RUN_COMMAND,
        "text": {"type": "plain_text", "text": "Go"},
        "value": value,
    }


def click(bot, value: str, **kw) -> dict:
    result, url = bot.click(button(value), **kw)
    assert result.status == 200
    return bot.slack.wait_for_response(url)


def test_a_click_runs_its_command_and_replaces_the_message(bot, db):
    reply = click(bot, "rate $50/h")
    assert reply["replace_original"] is True
    assert reply["response_type"] == "ephemeral"
    assert "Set your hourly worth to *$50/hour*" in flatten(reply)
    with db.transaction() as s:
        assert s.scalar(select(Member.rate_minor).where(Member.user_id == "U1")) == 5000


def test_a_click_runs_as_the_member_who_clicked(bot, db):
    click(bot, "chores 1h", user="U2")
    with db.transaction() as s:
        assert s.scalars(select(Member.user_id).join(Entry)).all() == ["U2"]


def test_a_click_belongs_to_the_workspace_and_org_it_came_from(bot, db):
    click(bot, "chores 1h", team="T9", enterprise="E9")
    with db.transaction() as s:
        ws = s.scalars(select(Workspace).join(Entry, Entry.workspace_id == Workspace.id)).one()
        assert (ws.team_id, ws.enterprise_id) == ("T9", "E9")


def test_a_click_is_acked_while_the_database_is_locked(bot, db, slack):
    with database_locked(db):
        result, url = bot.click(button("chores 1h"))
        assert result.status == 200
        assert result.seconds < SLACK_ACK_DEADLINE
    assert "Logged 1h on *chores*" in flatten(slack.wait_for_response(url))


def test_a_forged_value_that_does_not_parse_gets_a_clear_answer(bot, db):
    text = flatten(click(bot, "quote nothing priced"))
    assert ":warning: A quote is a task, then a price and what it is per." in text
    assert "Try: `/logtask quote write newsletter $60/post from Jane`" in text
    with db.transaction() as s:
        assert s.scalar(select(Entry.id)) is None


def test_a_value_runs_any_command_not_only_task_ones(bot, db):
    assert "Overhead set to *15%*" in flatten(click(bot, "overhead 15%"))
    with db.transaction() as s:
        assert s.scalar(select(Workspace.overhead_bp)) == 1500
