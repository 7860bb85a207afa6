"""Fuzzing /logtask through signed HTTP: whatever is typed gets a clear reply.

Hypothesis strings together the grammar's own words with hostile ones (mentions, links,
control characters, huge numbers, very long tokens). Every command must get exactly one
reply that is not the generic failure, with no live markup, and a refusal saves nothing.
bench/fuzz_commands.py runs the same idea at 10,000 commands.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.db.models import Entry, Member, Task
from tests.support.slack_sim import flatten

GRAMMAR = [
    "rate", "quote", "freq", "core", "notcore", "report", "list", "should", "history",
    "undo", "overhead", "currency", "help", "digest", "preview", "from", "none", "to",
    "weekly", "daily", "weekdays", "monthly", "once", "yesterday", "today", "monday",
    "2026-11-18", "2999-01-01", "#content", "#", "1h", "90m", "1:30", "2", "1h30m", "25h",
    "0m", "$60/post", "$85/h", "$100/month", "€40", "40 EUR", "15%", "0.15", "EUR", "usd",
    "write", "blog", "post", '"top 10 list"', '"', "“", "Jane", "per", "/",
    "edit", "delete", "rename", "merge", "task", "into", "confirm", "#1", "#2", "1",
]  # fmt: skip
HOSTILE = [
    "<!channel>", "<!here>", "<!everyone>", "<@U123ABC>", "<#C999|secret>",
    "<https://evil.example/login|Jane>", "&lt;!channel&gt;", "&amp;", "&", "<", ">",
    "\x00", "\x07", "\u202e", "\ufeff", "9" * 45, "$" + "9" * 45, "1" * 400 + "h",
    "x" * 3000, "é" * 90, "🙂" * 50, "$5/" + "a" * 40, "#" + "c" * 60,
]  # fmt: skip

HEADS = [
    "", "", "", "rate", "quote", "quote posts", "freq", "core", "notcore", "should",
    "overhead", "currency", "digest", "report", "history", "undo", "help",
    "edit #1", "delete", "delete task", "rename", "merge",
]  # fmt: skip
token = st.one_of(
    st.sampled_from(GRAMMAR),
    st.sampled_from(HOSTILE),
    st.sampled_from(HOSTILE),  # twice: hostile words are what this test is for
    st.text(min_size=1, max_size=12),
)
command_text = st.builds(
    lambda head, rest: " ".join([head, *rest]).strip(),
    st.sampled_from(HEADS),
    st.lists(token, min_size=0, max_size=6),
)

SORRY = "something went wrong on my side"
# Live mrkdwn: special mentions, user mentions, links. Channel links are only ever the
# channel the command came from (C1), in digest replies.
LIVE = re.compile(r"<[!@]|<(?:https?|mailto):|<#(?!C1>)", re.IGNORECASE)


def counts(db) -> tuple[int, int, int]:
    with db.transaction() as s:
        return (
            s.scalar(select(func.count(Task.id))) or 0,
            s.scalar(select(func.count(Entry.id))) or 0,
            s.scalar(select(func.count(Member.rate_minor))) or 0,
        )


@settings(
    max_examples=250,
    deadline=None,
    derandomize=True,  # the same cases on every run: a red build is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=command_text)
# What the probe in issue #8 saw crash into "Sorry", kept as fixed cases:
@example(text="rate " + "9" * 40)
@example(text="overhead " + "1" * 3900)
@example(text="quote social posts $5/" + "a" * 40)
@example(text="quote social posts $100/month from <!channel>")
@example(text="write blog post 1h " + "x" * 3000)
@example(text="write\x00blog post 1h")
def test_any_command_gets_a_clear_reply_and_a_refusal_saves_nothing(bot, db, text):
    before = counts(db)
    reply = bot.command(text)
    body = flatten(reply)
    assert body.strip()
    assert SORRY not in body
    assert not LIVE.search(body), body[:300]
    assert all(len(b["text"]["text"]) <= 3000 for b in reply["blocks"] if b["type"] == "section")
    if ":warning:" in body:
        assert counts(db) == before
