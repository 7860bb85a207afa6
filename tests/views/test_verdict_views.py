"""Verdict views: members' names are mentions or inert text, never markup."""

from __future__ import annotations

from bot.views.verdict import member


def test_a_slack_user_id_is_rendered_as_a_mention():
    assert member("U012AB3CD") == "<@U012AB3CD>"


def test_anything_else_is_escaped_text():
    assert member("<!channel>") == "&lt;!channel&gt;"
    assert member(None) == "someone"
