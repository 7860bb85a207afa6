"""Every view, rendered with names built to ping, link or overflow: nothing live, nothing too big.

User text reaches views as typed (the parser has already turned Slack's markup into plain
text), so a task may be called ``<!channel>`` verbatim. Escaping ``&``, ``<`` and ``>`` at
render time is what keeps it inert.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.economics import Frequency, MemberTime, Quote, QuoteUnit, TaskFacts, assess
from bot.errors import UserError
from bot.money import Money
from bot.services import changes
from bot.services.analysis import TaskQuote, TaskReport, summarise
from bot.services.entries import EntryChange
from bot.services.questions import Answer, DidYouMean, TopCandidates, Unknown
from bot.services.task_admin import Deleted, Merged, Renamed
from bot.services.tasks import Change, HistoryLine, Logged, TaskChange
from bot.views import answers, edits
from bot.views import logtask as views
from bot.views.common import MAX_BLOCKS, MAX_SECTION, error

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

HOSTILE = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<@U123ABC>",
    "<#C123|general>",
    "<https://evil.example/login|Jane>",
    "<mailto:a@evil.example>",
    "R&D <b>",
    "x" * 3000,
    "<!channel> " * 300,
]

# Live markup in mrkdwn: a mention, a channel link, a special mention or a link.
LIVE = re.compile(r"<[!@#]|<(?:https?|mailto):", re.IGNORECASE)


def texts(node: Any) -> Iterator[str]:
    """Every string Slack would parse: the fallback and every text object, at any depth."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "text" and isinstance(value, str):
                yield value
            else:
                yield from texts(value)
    elif isinstance(node, list):
        for item in node:
            yield from texts(item)


def assert_safe(msg: dict[str, Any]) -> None:
    for text in texts(msg):
        assert not LIVE.search(text), text[:200]
    assert len(msg["blocks"]) <= MAX_BLOCKS
    for block in msg["blocks"]:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION
        if block["type"] == "context":
            assert all(len(e["text"]) <= MAX_SECTION for e in block["elements"])


def report_of(name: str, *, rate: int | None = 8000, quote: bool = True, **kw: Any) -> TaskReport:
    q = TaskQuote(6000, QuoteUnit.OCCURRENCE, name, name, datetime(2026, 11, 1, tzinfo=UTC))
    facts = TaskFacts(
        TODAY,
        [MemberTime(120, rate)] if kw.get("minutes", True) else [],
        2 if kw.get("minutes", True) else 0,
        2,
        TODAY,
        Frequency.WEEKLY,
        Quote(q.amount_minor, q.unit) if quote else None,
        is_core=kw.get("core", False),
    )
    return TaskReport(
        1, name, name, Frequency.WEEKLY, facts.is_core, q if quote else None, assess(facts)
    )


def every_verdict(name: str) -> list[TaskReport]:
    return [
        report_of(name),  # hand off
        report_of(name, quote=False),  # needs a quote
        report_of(name, rate=1000),  # keep
        report_of(name, rate=None),  # no rate
        report_of(name, minutes=False),  # no data
        report_of(name, core=True),  # core
    ]


def renderings(name: str) -> Iterator[tuple[str, Callable[[], dict[str, Any]]]]:
    for r in every_verdict(name):
        v = r.assessment.verdict.value
        logged = Logged(r, True, 90, TODAY, TODAY, 90, "USD")
        change = TaskChange(r, True, "USD")
        yield f"logged/{v}", lambda logged=logged: views.logged(logged)
        moved = Logged(
            r, False, 90, TODAY, TODAY, 90, "USD", (Change("category", name, name + "2"),)
        )
        yield f"logged_change/{v}", lambda moved=moved: views.logged(moved)
        yield f"category_set/{v}", lambda change=change: views.category_set(change)
        yield f"quote_set/{v}", lambda change=change: views.quote_set(change)
        yield f"frequency_set/{v}", lambda change=change: views.frequency_set(change)
        yield f"core_set/{v}", lambda change=change: views.core_set(change)
        answer = Answer(r, "USD", 1000, TODAY)
        yield f"answer/{v}", lambda answer=answer: answers.render(answer)
        yield f"should/{v}", lambda answer=answer: answers.render(answer, slash=True)
    reports = every_verdict(name)
    yield "report", lambda: views.report(summarise("USD", 1000, TODAY, reports))
    yield (
        "top",
        lambda: answers.render(
            TopCandidates(reports[:1], Fraction(84), Fraction(84 * 52), Fraction(2), "USD")
        ),
    )
    yield "did_you_mean", lambda: answers.render(DidYouMean(name, [name, name + " 2"]))
    yield "did_you_mean/slash", lambda: answers.render(DidYouMean(name, [name]), slash=True)
    yield "unknown", lambda: answers.render(Unknown(name))
    line = HistoryLine(12, name, 45, TODAY, datetime(2026, 11, 23, tzinfo=UTC))
    yield "history", lambda: edits.history([line] * 10, TODAY)
    entry = EntryChange(12, name, 60, TODAY, 45, TODAY, name, reports[0], "USD")
    yield "entry_edited", lambda: edits.entry_edited(entry, TODAY)
    yield "entry_deleted", lambda: edits.entry_deleted(entry, TODAY)
    yield "task_renamed", lambda: edits.task_renamed(Renamed(name, name + "2", 3))
    q = reports[0].quote
    merged = Merged(name, reports[0], 3, 90, (q,), ((q, q),), (("category", name),), "USD")
    yield "tasks_merged", lambda: edits.tasks_merged(merged)
    yield "task_deleted", lambda: edits.task_deleted(Deleted(name, 3, 90, 2, (q, q), "USD"))
    yield "no_such_task", lambda: edits.no_such_task(name, [(name, f"/logtask rename {name}")])
    yield "name_taken", lambda: edits.name_taken(name, name, f"/logtask merge {name}")
    parts = [
        {"text": name}, changes.name(name), changes.value(name), changes.minutes(90),
        changes.day(TODAY), changes.entry(12), changes.money(8000, "USD", name),
        {"quote": 6000, "unit": "occurrence", "per": name, "provider": name, "currency": "USD"},
    ]  # fmt: skip
    made = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    for outcome in (
        changes.Undone(parts, made),
        changes.AskFirst(parts, made),
        changes.Refused(parts, made, parts),
    ):
        yield (
            f"undo/{type(outcome).__name__}",
            lambda outcome=outcome: edits.undo_outcome(outcome, ZoneInfo("UTC"), NOW),
        )
    yield "error", lambda: error(UserError(f"I couldn't read “{name}”", f"/logtask {name} 1h"))
    yield "rate_set", lambda: views.rate_set(Money(8000, "USD"))


CASES = [
    pytest.param(name, render, id=f"{label}-{i}")
    for i, name in enumerate(HOSTILE)
    for label, render in renderings(name)
]


@pytest.mark.parametrize(("name", "render"), CASES)
def test_no_view_renders_user_text_as_live_markup_or_over_slack_limits(name, render):
    assert_safe(render())


def test_a_hostile_provider_in_the_next_step_is_inert():
    msg = answers.render(Answer(report_of("posts"), "USD", 1000, TODAY))
    body = "\n".join(texts(msg))
    assert "Brief it to posts" in body  # the provider is named, escaped: not dropped
    hostile = report_of("<!channel>")
    body = "\n".join(texts(answers.render(Answer(hostile, "USD", 1000, TODAY))))
    assert "Brief it to &lt;!channel&gt; this week" in body


def test_did_you_mean_escapes_the_question_it_suggests():
    msg = answers.render(DidYouMean("<!here> posts", ["<!here> post"]))
    body = "\n".join(texts(msg))
    assert "“should I outsource &lt;!here&gt; post?”" in body


def test_a_fallback_built_from_mrkdwn_is_escaped_once_not_twice():
    r = report_of("R&D", minutes=False)  # the no-data first line names the task
    msg = answers.render(Answer(r, "USD", 1000, TODAY))
    assert "R&amp;D" in msg["text"]
    assert "&amp;amp;" not in msg["text"]
