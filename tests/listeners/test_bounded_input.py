"""Input past sane bounds gets a clear refusal naming the limit: never "Sorry", never a partial save.

Each case here crashed into the generic failure reply before (issue #8's fuzz run).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import Entry, Member, Task, Workspace
from tests.support.slack_sim import flatten

SORRY = "something went wrong on my side"


def counts(db) -> tuple[int, int, int | None]:
    with db.transaction() as s:
        return (
            s.scalar(select(func.count(Task.id))) or 0,
            s.scalar(select(func.count(Entry.id))) or 0,
            s.scalar(select(func.max(Member.rate_minor))),
        )


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("rate 9999999999999999999999999999999999999999", "at most $1,000,000"),
        ("rate $" + "9" * 3900, "at most $1,000,000"),
        ("overhead " + "1" * 3900, "from 0% to 99.99%"),
        ("overhead 0." + "1" * 3900, "from 0% to 99.99%"),
        ("overhead " + "1" * 10_000, "at most 4,000 characters"),
        ("quote posts $5/" + "a" * 40, "at most 24 characters"),
        ("quote posts $" + "9" * 60 + "/post", "at most $1,000,000"),
        ("write blog post " + "9" * 400 + "h", "more than a day"),
        ("write blog post 1h " + "#" + "c" * 500, "#category is one word"),
        ("x" * 5000 + " 1h", "at most 4,000 characters"),
        ("a" * 200 + " 1h", "at most 80 characters"),
    ],
)
def test_out_of_bounds_input_is_refused_with_the_limit(bot, db, text, says):
    before = counts(db)
    reply = flatten(bot.command(text))
    assert SORRY not in reply
    assert says in reply
    assert reply.count(":warning:") == 1
    assert counts(db) == before


@pytest.mark.parametrize(
    "text",
    [
        "write\x00blog post 1h",
        "write blog post\x00 1h",
        "\x07write blog post 1h",
        "write blog post 1h\x1b",
    ],
)
def test_control_characters_are_dropped_not_stored(bot, db, text):
    reply = flatten(bot.command(text))
    assert SORRY not in reply
    with db.transaction() as s:
        names = s.scalars(select(Task.name)).all()
    assert names, reply
    assert all(ch.isprintable() for name in names for ch in name)


def test_a_nul_only_command_is_help_not_a_crash(bot):
    assert "Handoff" in flatten(bot.command("\x00\x00"))


def test_a_long_question_in_a_dm_gets_an_answer_not_sorry(bot, slack):
    bot.event(
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "user": "U1",
            "text": "should I outsource " + "newsletter " * 150 + "?",
            "ts": "1.1",
        }
    )
    post = slack.wait_for(lambda: slack.api_calls("chat.postMessage"))[0]
    assert SORRY not in flatten(post.params)
    bot.idle()


def test_a_very_long_error_echo_fits_in_one_section(bot):
    reply = bot.command("write " + "blog " * 1500)
    text = flatten(reply)
    assert SORRY not in text
    assert all(len(b["text"]["text"]) <= 3000 for b in reply["blocks"] if b["type"] == "section")


def test_refused_input_creates_no_workspace_rows_beyond_the_member(bot, db):
    bot.command("quote posts $5/" + "a" * 40)
    with db.transaction() as s:
        assert s.scalar(select(func.count(Workspace.id))) <= 1
        assert s.scalar(select(func.count(Task.id))) == 0
