"""The provider views (#11) with hostile names: nothing live, nothing over Slack's limits."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

import pytest

from bot.economics import QuoteUnit
from bot.parse.logtask import TABLE
from bot.services.analysis import HANDED_OFF, ShortlistLine, TaskQuote
from bot.services.providers import (
    ProviderDetail,
    ProviderEngagement,
    ProviderList,
    ProviderQuote,
    ProviderReview,
    ProviderSummary,
    ReviewAdded,
    TrialStarted,
)
from bot.services.questions import Answer
from bot.views import answers, verdict
from bot.views import providers as views
from bot.views.logtask import help_message, in_sections
from tests.views.test_hostile_names import HOSTILE, TODAY, assert_safe, report_of, texts


def line(name: str, *, chosen: bool = False) -> ShortlistLine:
    q = TaskQuote(6000, QuoteUnit.OCCURRENCE, name, name, datetime(2026, 11, 1, tzinfo=UTC), 7)
    return ShortlistLine(
        q, True, Fraction(6000), Fraction(8400), Fraction(9, 2), 2, HANDED_OFF, chosen
    )


def summary(name: str) -> ProviderSummary:
    return ProviderSummary(
        7, name, 2, 3, 1, 1, 1, Fraction(10, 3), 3, Fraction(1, 2), Fraction(12345)
    )


def renderings(name: str) -> Iterator[tuple[str, Callable[[], dict[str, Any]]]]:
    r = replace(report_of(name), shortlist=(line(name, chosen=True),) * 30)
    yield "should", lambda: answers.render(Answer(r, "USD", 1000, TODAY), slash=True)
    yield "providers", lambda: views.provider_list(ProviderList([summary(name)] * 60, "USD"))
    detail = ProviderDetail(
        summary(name),
        [ProviderQuote(name, line(name))] * 30,
        [ProviderEngagement(name, "trial", TODAY, None)] * 30,
        # The author is a member mention (a Slack user id, checked): tested through HTTP.
        [ProviderReview(TODAY, name, 4, True, name, None)] * 10,
        "USD",
        {name: False},
        TODAY,
    )
    yield "provider", lambda: views.provider_detail(detail)
    started = TrialStarted(name, name, TODAY, True, line(name).quote, "USD")
    yield "trial", lambda: views.trial_started(started)
    reviewed = ReviewAdded(name, name, "trial", 4, False, name, Fraction(4), 1, Fraction(4), 1)
    yield "review", lambda: views.review_added(reviewed)


CASES = [
    pytest.param(name, render, id=f"{label}-{i}")
    for i, name in enumerate(HOSTILE)
    for label, render in renderings(name)
]


@pytest.mark.parametrize(("name", "render"), CASES)
def test_no_provider_view_renders_user_text_as_live_markup_or_over_slack_limits(name, render):
    assert_safe(render())


def test_a_shortlist_line_shows_price_cost_savings_score_status_and_the_verdicts_pick():
    # $60 per post: $60 a week, saves $84 a week; scores 4 and 5 average 4.5.
    text = verdict.shortlist_line(line("Jane", chosen=True), False, "USD")
    assert text == (
        "• *Jane*: $60 per Jane — costs $60/week, saves $84/week · 4.5/5 (2 reviews) · "
        "*handed off* ← the verdict's"
    )


def test_a_providers_line_shows_saved_so_far_once_known():
    text = "\n".join(texts(views.provider_list(ProviderList([summary("Ada")], "USD"))))
    # 3 reviews averaging 10/3 = 3.3; on time 1 of 2 = 50%; $123.45 saved.
    assert "score 3.3/5 (3 reviews) · on time 50% · saved $123.45 so far" in text


def test_a_one_off_jobs_shortlist_line_reads_in_totals():
    # $3,000 for the job against $3,200 in-house and $320 review: saves −$120 on the job.
    q = TaskQuote(300000, QuoteUnit.TOTAL, "job", None, None)
    weighed = ShortlistLine(q, True, Fraction(300000), Fraction(-12000), None, 0, "quoted", True)
    assert verdict.shortlist_line(weighed, True, "USD") == (
        "• _unnamed_: $3,000 in total — costs $3,000 for the job, saves -$120 on the job"
        " ← the verdict's"
    )


def test_a_quote_that_does_not_fit_says_so_on_its_line():
    q = TaskQuote(50000, QuoteUnit.WEEK, "week", "Ada", None, 3)
    weighed = ShortlistLine(q, False, None, None, None, 0, "quoted", False)
    assert verdict.shortlist_line(weighed, True, "USD") == (
        "• *Ada*: $500/week — doesn't fit this task's frequency · not reviewed yet"
    )


def test_help_splits_the_commands_over_sections_within_slacks_limit():
    msg = help_message()
    assert_safe(msg)  # every section within Slack's 3,000 characters
    body = "\n".join(texts(msg))
    assert all(f"`{spec.examples[0]}`" in body for spec in TABLE)
    # 40 lines of 100 characters: 29 fit in one section (29 × 100 + 28 newlines ≤ 3,000).
    assert [p.count("\n") + 1 for p in in_sections(["x" * 100] * 40)] == [29, 11]
