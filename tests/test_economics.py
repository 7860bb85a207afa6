from datetime import date, timedelta
from fractions import Fraction

import pytest

from bot.economics import (
    Frequency,
    MemberTime,
    Quote,
    QuoteUnit,
    TaskFacts,
    Verdict,
    assess,
    to_minor,
    weighted_hourly_worth,
)

TODAY = date(2026, 11, 23)


def facts(**kw):
    base = dict(
        today=TODAY,
        members=[MemberTime(360, 8000)],
        entries=3,
        distinct_days=3,
        first_entry_day=TODAY - timedelta(days=20),
        frequency=Frequency.WEEKLY,
        quote=Quote(6000, QuoteUnit.OCCURRENCE),
    )
    base.update(kw)
    return TaskFacts(**base)


def test_worked_example_saves_84_a_week_and_breaks_even_at_144_per_post():
    # $80/h; weekly; 2h + 1.5h + 2.5h logged; quote $60 per post; overhead 10%.
    a = assess(facts())
    assert a.hours_per_week == 2
    assert to_minor(a.in_house_week) == 16000
    assert to_minor(a.outsourcing_week) == 6000
    assert to_minor(a.overhead_week) == 1600
    assert to_minor(a.savings_week) == 8400
    assert to_minor(a.savings_year) == 436800
    assert to_minor(a.break_even_occurrence) == 14400
    assert to_minor(a.break_even_hour) == 7200
    assert a.verdict is Verdict.HAND_OFF
    assert a.recurring


def test_without_frequency_hours_spread_over_the_span_since_the_first_entry():
    # 6h over a task first logged 13 days ago: span 14 days = 2 weeks → 3h/week, 1.5 occurrences/week.
    a = assess(facts(frequency=None, first_entry_day=TODAY - timedelta(days=13), distinct_days=3))
    assert a.span_days == 14
    assert a.hours_per_week == 3
    assert a.occurrences_per_week == Fraction(3, 2)
    assert not a.from_frequency
    assert a.recurring


def test_span_is_at_least_a_week_and_at_most_the_window():
    young = assess(facts(frequency=None, first_entry_day=TODAY))
    old = assess(facts(frequency=None, first_entry_day=TODAY - timedelta(days=400)))
    assert young.span_days == 7
    assert young.hours_per_week == 6
    assert old.span_days == 28
    assert old.hours_per_week == Fraction(6, 4)


def test_entries_on_one_day_without_frequency_are_not_recurring():
    assert not assess(facts(frequency=None, distinct_days=1)).recurring


def test_once_is_never_recurring_and_uses_the_span():
    a = assess(facts(frequency=Frequency.ONCE, first_entry_day=TODAY - timedelta(days=27)))
    assert not a.recurring
    assert a.span_days == 28


def test_hourly_worth_is_weighted_by_each_members_minutes():
    # 60 min at $100 and 180 min at $60 → (6000+10800)/240*... = $70/h
    members = [MemberTime(60, 10000), MemberTime(180, 6000)]
    assert weighted_hourly_worth(members) == 7000


def test_members_without_a_rate_are_left_out_of_hourly_worth():
    members = [MemberTime(60, 10000), MemberTime(600, None)]
    assert weighted_hourly_worth(members) == 10000
    a = assess(facts(members=members, entries=4))
    assert a.hourly_worth == 10000


@pytest.mark.parametrize(
    ("unit", "amount", "expected_week"),
    [
        (QuoteUnit.HOUR, 3000, 6000),  # 2h/week × $30
        (QuoteUnit.OCCURRENCE, 6000, 6000),  # 1/week × $60
        (QuoteUnit.WEEK, 5000, 5000),
        (QuoteUnit.MONTH, 52000, 12000),  # $520 × 12 / 52
    ],
)
def test_outsourcing_cost_per_week_follows_the_quote_unit(unit, amount, expected_week):
    assert to_minor(assess(facts(quote=Quote(amount, unit))).outsourcing_week) == expected_week


def test_verdict_core_wins_over_everything():
    assert assess(facts(is_core=True)).verdict is Verdict.CORE


def test_verdict_no_data_without_entries_in_the_window():
    a = assess(facts(members=[], entries=0, distinct_days=0))
    assert a.verdict is Verdict.NO_DATA
    assert a.hours_per_week == 0


def test_verdict_no_rate_when_nobody_who_logged_has_a_rate():
    assert assess(facts(members=[MemberTime(360, None)])).verdict is Verdict.NO_RATE


def test_verdict_needs_a_quote_shows_break_even():
    a = assess(facts(quote=None))
    assert a.verdict is Verdict.NEEDS_QUOTE
    assert to_minor(a.break_even_occurrence) == 14400
    assert a.savings_week is None


def test_verdict_keep_when_outsourcing_costs_more():
    a = assess(facts(quote=Quote(15000, QuoteUnit.OCCURRENCE)))
    assert a.verdict is Verdict.KEEP
    assert to_minor(a.savings_week) == -600  # 160 − 16 − 150


def test_zero_savings_is_keep():
    assert assess(facts(quote=Quote(14400, QuoteUnit.OCCURRENCE))).verdict is Verdict.KEEP


def test_overhead_is_a_share_of_in_house_cost():
    a = assess(facts(overhead=Fraction(1, 4)))
    assert to_minor(a.overhead_week) == 4000
    assert a.hours_freed_week == Fraction(3, 2)


@pytest.mark.parametrize(
    ("value", "minor"),
    [(Fraction(1, 2), 1), (Fraction(-1, 2), -1), (Fraction(49, 100), 0), (Fraction(2501, 2), 1251)],
)
def test_rounding_to_minor_units_is_half_away_from_zero(value, minor):
    assert to_minor(value) == minor


def test_entries_without_a_first_day_spread_over_the_whole_window():
    # A report whose reads saw the entries but not their first day (another member undid
    # them between two queries) must still give a figure: 6h over 28 days is 1h30m a week.
    facts = TaskFacts(date(2026, 11, 23), [MemberTime(360, 8000)], 3, 3, None)
    a = assess(facts)
    assert a.span_days == 28
    assert a.hours_per_week == Fraction(360, 60) / Fraction(28, 7) == Fraction(3, 2)


def test_break_even_in_a_weekly_and_a_monthly_quotes_terms():
    # $80/h, 2h a week: in-house $160, 10% still yours, so a provider breaks even at
    # $160 × 0.9 = $144 a week, or $144 × 52 / 12 = $624 a month.
    facts = TaskFacts(
        date(2026, 11, 23), [MemberTime(120, 8000)], 1, 1, None, Frequency.WEEKLY,
        Quote(10000, QuoteUnit.WEEK),
    )  # fmt: skip
    a = assess(facts)
    assert a.break_even_week == 14400
    assert a.break_even_month == 62400
