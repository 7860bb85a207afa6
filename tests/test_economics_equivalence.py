"""Issue #13 made the money math cheaper (break-evens and shares computed when shown, a
faster with_quote, the report order keyed by floats): every figure must stay exactly what it
was. Random facts, the new code against a frozen copy of the old (tests/support)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.economics import (
    Frequency,
    MemberTime,
    Period,
    Quote,
    QuoteUnit,
    TaskFacts,
    assess,
    quote_cost,
    report_order,
    with_quote,
)
from bot.services.analysis import TaskReport, _sort
from tests.support import economics_before as before

TODAY = date(2026, 11, 23)

frequencies = st.one_of(
    st.none(),
    st.sampled_from(
        [
            Frequency.DAILY,
            Frequency.WEEKDAYS,
            Frequency.WEEKLY,
            Frequency.BIWEEKLY,
            Frequency.MONTHLY,
            Frequency.QUARTERLY,
            Frequency.YEARLY,
            Frequency.ONCE,
            Frequency(3, 1, Period.WEEK),
            Frequency(2, 3, Period.MONTH),
            Frequency(1, 6, Period.WEEK),
        ]
    ),
)
quotes = st.builds(
    Quote, st.integers(min_value=0, max_value=200_000), st.sampled_from(list(QuoteUnit))
)
members = st.builds(
    MemberTime,
    st.integers(min_value=0, max_value=3_000),
    st.one_of(st.none(), st.integers(min_value=0, max_value=90_000)),
    st.sampled_from(["U1", "U2", "U3", None]),
)
facts = st.builds(
    TaskFacts,
    today=st.just(TODAY),
    members=st.lists(members, max_size=5),
    entries=st.integers(min_value=0, max_value=60),
    distinct_days=st.integers(min_value=0, max_value=28),
    first_entry_day=st.one_of(
        st.none(), st.integers(min_value=-5, max_value=90).map(lambda d: TODAY - timedelta(d))
    ),
    frequency=frequencies,
    quote=st.one_of(st.none(), quotes),
    is_core=st.booleans(),
    overhead=st.integers(min_value=0, max_value=9_999).map(lambda bp: Fraction(bp, 10_000)),
    estimate_minutes=st.one_of(st.none(), st.integers(min_value=1, max_value=20_000)),
    estimate_rate_minor=st.one_of(st.none(), st.integers(min_value=0, max_value=90_000)),
)


def assert_same(new: object, old: before._Result) -> None:
    for name, value in old.figures.items():
        assert getattr(new, name) == value, name


@settings(max_examples=600, deadline=None)
@given(facts)
def test_assess_gives_every_figure_it_gave_before(f: TaskFacts) -> None:
    assert_same(assess(f), before.assess(f))


@settings(max_examples=400, deadline=None)
@given(replace_quote=quotes, f=facts)
def test_with_quote_gives_every_figure_it_gave_before(replace_quote: Quote, f: TaskFacts) -> None:
    base = assess(replace(f, quote=None))
    new = with_quote(base, f, replace_quote)
    assert_same(new, before.with_quote(before.assess(replace(f, quote=None)), f, replace_quote))
    # And, as its docstring promises, the same as assessing with the quote.
    assert new == assess(replace(f, quote=replace_quote))
    assert_same(new, before.assess(replace(f, quote=replace_quote)))


@settings(max_examples=200, deadline=None)
@given(f=facts, q=quotes)
def test_nothing_cached_on_the_base_leaks_into_the_quoted_copy(f: TaskFacts, q: Quote) -> None:
    base = assess(replace(f, quote=None))
    _ = (base.shares, base.break_even_week, base.break_even_hour, base.break_even_total)
    assert with_quote(base, f, q) == assess(replace(f, quote=q))
    assert_same(with_quote(base, f, q), before.assess(replace(f, quote=q)))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(facts, quotes, st.sampled_from(["b", "B", "a", "c d"])), max_size=40))
def test_report_order_is_the_order_of_the_key_tuple(
    rows: list[tuple[TaskFacts, Quote, str]],
) -> None:
    reports = [
        TaskReport(
            task_id=i,
            name=name,
            category=None,
            frequency=f.frequency,
            is_core=f.is_core,
            quote=None,
            assessment=with_quote(assess(f), f, q),
        )
        for i, (f, q, name) in enumerate(rows)
    ]
    expected = sorted(reports, key=lambda r: (*report_order(r.assessment), r.name.casefold()))
    _sort(reports)
    assert [r.task_id for r in reports] == [r.task_id for r in expected]


def test_savings_a_float_cannot_tell_apart_are_still_ordered_exactly() -> None:
    base = Fraction(10**17)
    tiny = [base + Fraction(1, d) for d in (3, 2, 5)]
    assert len({float(t) for t in tiny}) == 1
    facts_ = TaskFacts(TODAY, [MemberTime(60, 100)], 1, 1, None, Frequency.WEEKLY)
    a = assess(facts_)
    reports = [
        TaskReport(i, f"t{i}", None, None, False, None, replace(a, savings_week=s))
        for i, s in enumerate(tiny)
    ]
    _sort(reports)
    assert [r.assessment.savings_week for r in reports] == sorted(tiny, reverse=True)


def test_quote_cost_reads_the_same_figures_from_a_lazy_assessment() -> None:
    f = TaskFacts(TODAY, [MemberTime(90, 6000), MemberTime(30, 9000)], 3, 2, None, Frequency.DAILY)
    for unit in QuoteUnit:
        q = Quote(2500, unit)
        assert quote_cost(q, assess(f)) == quote_cost(q, before.assess(f))
