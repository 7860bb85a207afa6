"""The answers to "X or Y?", "how much does X cost me?" and "how many hours did I spend…?"
as Block Kit: hostile names stay inert and every block within Slack's limits."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.periods import Period
from bot.services.questions import Comparison, Cost, DidYouMean, Spent
from bot.views import answers
from tests.views.test_hostile_names import (
    HOSTILE,
    TODAY,
    assert_safe,
    every_verdict,
    report_of,
    texts,
)

MAX_FIELD = 2000
MAX_FIELDS = 10


def assert_fields_fit(msg: dict[str, Any]) -> None:
    for block in msg["blocks"]:
        if "fields" in block:
            assert len(block["fields"]) <= MAX_FIELDS
            assert all(len(f["text"]) <= MAX_FIELD for f in block["fields"])


def renderings(name: str):
    reports = every_verdict(name)
    for r in reports:
        v = r.assessment.verdict.value
        yield f"cost/{v}", lambda r=r: answers.render_cost(Cost(r, "USD"))
        pair = Comparison([r, report_of(name + " 2")], [], [], "USD")
        yield f"compare/{v}", lambda pair=pair: answers.render(pair)
    hand_off = reports[0]
    three = Comparison([hand_off] * 3, [hand_off] * 3, [hand_off] * 2, "USD")
    yield "compare/tie", lambda: answers.render(three)
    spent = Spent(name, 90, True, Period.THIS_WEEK, date(2026, 11, 23), TODAY, TODAY)
    yield "spent", lambda: answers.render_spent(spent)
    none = Spent(name, 0, False, Period.LAST_MONTH, date(2026, 10, 1), date(2026, 10, 31), TODAY)
    yield "spent/none", lambda: answers.render_spent(none)
    yield "cost/did_you_mean", lambda: answers.render_cost(DidYouMean(name, [name, name + "2"]))
    yield "spent/did_you_mean", lambda: answers.render_spent(DidYouMean(name, [name]))


CASES = [
    pytest.param(name, render, id=f"{label}-{i}")
    for i, name in enumerate(HOSTILE)
    for label, render in renderings(name)
]


@pytest.mark.parametrize(("name", "render"), CASES)
def test_answers_render_user_text_inert_and_within_slack_limits(name, render):
    msg = render()
    assert_safe(msg)
    assert_fields_fit(msg)


def test_the_comparison_puts_each_task_in_its_own_column():
    a, b = report_of("posts"), report_of("calls", rate=1000)
    msg = answers.render(Comparison([a, b], [a, b], [a], "USD"))
    (side_by_side,) = [block for block in msg["blocks"] if "fields" in block]
    assert [f["text"].split("\n")[0] for f in side_by_side["fields"]] == ["*posts*", "*calls*"]


def test_the_question_suggested_again_is_escaped():
    msg = answers.render_cost(DidYouMean("<!here> posts", ["<!here> post"]))
    body = "\n".join(texts(msg))
    assert "“how much does &lt;!here&gt; post cost me?”" in body


def test_time_spent_on_one_day_names_it_once():
    one_day = Spent("posts", 45, False, Period.THIS_WEEK, TODAY, TODAY, TODAY)
    body = "\n".join(texts(answers.render_spent(one_day)))
    assert "You spent *45m* on *posts* this week (today, Mon 23 Nov)." in body
