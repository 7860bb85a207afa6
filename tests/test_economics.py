from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest

from bot.economics import (
    Frequency,
    FrequencyError,
    MemberTime,
    Period,
    Quote,
    QuoteCost,
    QuoteUnit,
    TaskFacts,
    Verdict,
    assess,
    pick_quote,
    quote_cost,
    to_minor,
    weighted_hourly_worth,
    with_quote,
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


# ---- frequencies ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "per_week"),
    [
        ("daily", Fraction(7)),
        ("weekdays", Fraction(5)),
        ("weekly", Fraction(1)),
        ("biweekly", Fraction(1, 2)),
        ("monthly", Fraction(12, 52)),
        ("quarterly", Fraction(4, 52)),
        ("once", Fraction(0)),
    ],
)
def test_stored_frequency_words_keep_reading_the_same(code, per_week):
    f = Frequency.from_code(code)
    assert f.per_week == per_week
    assert f.code == code


@pytest.mark.parametrize(
    ("freq", "per_week", "code", "phrase"),
    [
        (Frequency(3, 1, Period.WEEK), Fraction(3), "3x/week", "3 times a week"),
        (Frequency(2, 1, Period.WEEK), Fraction(2), "2x/week", "twice a week"),
        (Frequency(2, 1, Period.MONTH), Fraction(2 * 12, 52), "2x/month", "twice a month"),
        (Frequency(1, 3, Period.WEEK), Fraction(1, 3), "every 3 weeks", "every 3 weeks"),
        (Frequency(1, 2, Period.WEEK), Fraction(1, 2), "biweekly", "every 2 weeks"),
        (Frequency(1, 1, Period.WEEKDAY), Fraction(5), "weekdays", "every weekday"),
        (Frequency(1, 2, Period.DAY), Fraction(7, 2), "every 2 days", "every 2 days"),
        (Frequency(3, 2, Period.MONTH), Fraction(3 * 12, 2 * 52), "3x/2 months", "3 times every 2 months"),
    ],
)  # fmt: skip
def test_a_frequency_is_times_per_period_with_an_exact_rate_and_a_phrase(
    freq, per_week, code, phrase
):
    assert freq.per_week == per_week
    assert freq.code == code
    assert freq.phrase == phrase
    assert len(code) <= 16  # task.frequency is String(16)
    assert Frequency.from_code(code) == freq


def test_a_named_frequency_is_the_shared_instance():
    assert Frequency(1, 2, Period.WEEK).canonical() is Frequency.BIWEEKLY
    assert Frequency.from_code("weekly") is Frequency.WEEKLY


@pytest.mark.parametrize(
    ("times", "every", "period", "problem"),
    [
        (0, 1, Period.WEEK, "0 times"),
        (1, 0, Period.WEEK, "every 0 weeks"),
        (8, 1, Period.WEEK, "more than once a day"),  # 8 a week > 7
        (2, 1, Period.DAY, "more than once a day"),
        (31, 1, Period.MONTH, "more than once a day"),  # 31 × 12 / 52 ≈ 7.15 > 7
        (1, 2, Period.YEAR, "less than once a year"),
        (1, 13, Period.MONTH, "less than once a year"),  # 12 / 52 / 13 < 1 / 52
        (2, 1, Period.WEEKDAY, "takes no count"),
    ],
)
def test_nonsense_frequencies_are_refused(times, every, period, problem):
    with pytest.raises(FrequencyError, match=problem):
        Frequency(times, every, period)


def test_the_bounds_themselves_are_accepted():
    assert Frequency(7, 1, Period.WEEK).per_week == 7
    assert Frequency(30, 1, Period.MONTH).per_week == Fraction(30 * 12, 52)  # 6.92 a week
    assert Frequency(1, 12, Period.MONTH).per_week == Fraction(1, 52)


def test_hours_per_week_follow_a_custom_frequency():
    # 4h30m over 3 days at 3x/week: 1.5h a time × 3 = 4.5h a week; × $80 = $360;
    # overhead $36; a $40 quote per post × 3 = $120; savings 360 − 36 − 120 = $204.
    a = assess(
        facts(
            members=[MemberTime(270, 8000)],
            frequency=Frequency(3, 1, Period.WEEK),
            quote=Quote(4000, QuoteUnit.OCCURRENCE),
        )
    )
    assert a.hours_per_week == Fraction(9, 2)
    assert to_minor(a.in_house_week) == 36000
    assert to_minor(a.outsourcing_week) == 12000
    assert to_minor(a.savings_week) == 20400


# ---- an occurrence is one task on one day ---------------------------------------------------


def test_entries_on_one_day_are_one_occurrence():
    # 2h + 1.5h + 2.5h all on one day of a weekly task: one 6h occurrence, so 6h a week.
    # In-house 6 × $80 = $480; overhead $48; $60 a post → savings 480 − 48 − 60 = $372.
    # Break-even per post: 6h × $80 × 0.9 = $432.
    a = assess(facts(entries=3, distinct_days=1))
    assert a.occurrences == 1
    assert a.hours_per_week == 6
    assert to_minor(a.savings_week) == 37200
    assert to_minor(a.break_even_occurrence) == 43200


def test_without_frequency_occurrences_per_week_count_days_not_entries():
    # 5 entries on 2 days, first 13 days ago: span 14 days = 2 weeks → 1 occurrence a week.
    a = assess(
        facts(
            frequency=None, entries=5, distinct_days=2, first_entry_day=TODAY - timedelta(days=13)
        )
    )
    assert a.occurrences_per_week == 1
    # A $60 per-time quote costs $60 a week, not 5 / 2 × $60.
    assert to_minor(a.outsourcing_week) == 6000


# ---- one-off jobs -----------------------------------------------------------------------------


def job(**kw):
    base = dict(
        members=[MemberTime(900, 8000)],  # 6h + 5h + 4h over three days
        entries=3,
        distinct_days=3,
        frequency=Frequency.ONCE,
        quote=Quote(300000, QuoteUnit.TOTAL),
    )
    base.update(kw)
    return facts(**base)


def test_a_one_off_job_is_weighed_whole_in_totals():
    # 15h × $80 = $1,200 in-house; review 10% = $120; quote $3,000 for the job:
    # savings 1,200 − 120 − 3,000 = −$1,920 → keep. Break-even: $1,200 × 0.9 = $1,080.
    a = assess(job())
    assert a.one_off
    assert not a.recurring
    assert a.job_hours == 15
    assert to_minor(a.in_house_total) == 120000
    assert to_minor(a.overhead_total) == 12000
    assert to_minor(a.outsourcing_total) == 300000
    assert to_minor(a.savings_total) == -192000
    assert to_minor(a.break_even_total) == 108000
    assert a.verdict is Verdict.KEEP
    assert a.savings == a.savings_total


def test_a_one_off_job_has_no_weekly_or_yearly_figures():
    a = assess(job())
    assert a.hours_per_week == 0
    assert a.hours_freed_week == 0
    assert (a.in_house_week, a.outsourcing_week, a.savings_week, a.savings_year) == (None,) * 4


def test_an_estimate_replaces_the_hours_logged():
    # Estimated 40h: 40 × $80 = $3,200; review $320; a $2,500 total → saves $380 on the job.
    a = assess(job(estimate_minutes=40 * 60, quote=Quote(250000, QuoteUnit.TOTAL)))
    assert a.from_estimate
    assert a.job_hours == 40
    assert to_minor(a.savings_total) == 38000
    assert a.verdict is Verdict.HAND_OFF
    assert a.hours_freed_total == 36  # 40h × 0.9


def test_an_estimate_with_no_time_logged_is_valued_at_the_estimators_worth():
    # 10h estimated by a member at $80/h, nobody has logged: 800 − 80 − 500 = $220.
    a = assess(
        job(members=[], entries=0, distinct_days=0, estimate_minutes=600, estimate_rate_minor=8000,
            quote=Quote(50000, QuoteUnit.TOTAL))
    )  # fmt: skip
    assert a.hourly_worth == 8000
    assert to_minor(a.savings_total) == 22000


def test_a_one_off_job_with_neither_time_nor_estimate_has_no_data():
    assert assess(job(members=[], entries=0, distinct_days=0)).verdict is Verdict.NO_DATA


def test_a_price_per_time_on_a_one_off_job_is_the_price_of_the_job():
    # Logged on 3 days, but the job happens once: $3,000 each is $3,000, not 3 × $3,000.
    a = assess(job(quote=Quote(300000, QuoteUnit.OCCURRENCE)))
    assert to_minor(a.outsourcing_total) == 300000


def test_an_hourly_price_on_a_one_off_job_is_hours_times_rate():
    # 15h × $50 = $750; 1,200 − 120 − 750 = $330 saved; break-even $80 × 0.9 = $72 an hour.
    a = assess(job(quote=Quote(5000, QuoteUnit.HOUR)))
    assert to_minor(a.outsourcing_total) == 75000
    assert to_minor(a.savings_total) == 33000
    assert to_minor(a.break_even_hour) == 7200


def test_a_weekly_price_does_not_fit_a_one_off_job():
    a = assess(job(quote=Quote(50000, QuoteUnit.WEEK)))
    assert not a.quote_fits
    assert a.savings_total is None
    assert a.verdict is Verdict.NEEDS_QUOTE


def test_a_lump_sum_does_not_fit_a_recurring_task():
    a = assess(facts(quote=Quote(300000, QuoteUnit.TOTAL)))
    assert not a.quote_fits
    assert a.savings_week is None
    assert a.verdict is Verdict.NEEDS_QUOTE


# ---- whose time -------------------------------------------------------------------------------


def test_each_members_share_and_the_hours_they_get_back():
    # U1 1h at $100 and U2 3h at $60 on a weekly task over 2 days: 2h a time → 2h a week.
    # Blended worth (60 × 100 + 180 × 60) / 240 = $70. U2 has 75%: 1.5h a week, 1.35h back
    # after 10% review; U1 25%: 0.5h, 0.45h back.
    a = assess(
        facts(
            members=[MemberTime(60, 10000, "U1"), MemberTime(180, 6000, "U2")],
            entries=2,
            distinct_days=2,
        )
    )
    assert a.hours_per_week == 2
    assert a.hourly_worth == 7000
    (u2, u1) = a.shares
    assert (u2.who, u2.share, u2.hours, u2.hours_back) == (
        "U2",
        Fraction(3, 4),
        Fraction(3, 2),
        Fraction(27, 20),
    )
    assert (u1.who, u1.share, u1.hours, u1.hours_back) == (
        "U1",
        Fraction(1, 4),
        Fraction(1, 2),
        Fraction(9, 20),
    )


# ---- the shortlist: which quote the verdict uses ------------------------------------------


def test_quote_cost_weighs_a_quote_against_the_task_like_the_verdict():
    # The worked example (2h a week, 1 post a week, $80/h): in-house $160, review $16.
    # $25/h → 2h × $25 = $50 a week; saves $160 − $16 − $50 = $94.
    a = assess(facts(quote=None))
    weighed = quote_cost(Quote(2500, QuoteUnit.HOUR), a)
    assert (weighed.fits, weighed.cost, weighed.savings) == (True, 5000, 9400)


def test_quote_cost_of_a_lump_sum_on_a_recurring_task_does_not_fit():
    a = assess(facts(quote=None))
    assert quote_cost(Quote(90000, QuoteUnit.TOTAL), a) == QuoteCost(False, None, None)


def test_quote_cost_of_a_one_off_job_is_for_the_whole_job():
    # 6h once at $80/h: $480 in-house, $48 review; $30/h × 6h = $180; saves $480 − $48 − $180.
    a = assess(facts(quote=None, frequency=Frequency.ONCE))
    weighed = quote_cost(Quote(3000, QuoteUnit.HOUR), a)
    assert (weighed.cost, weighed.savings) == (18000, 48000 - 4800 - 18000)


def test_pick_quote_takes_the_lowest_cost_a_week():
    # 1 post a week, 2h: $60/post = $60 a week; $25/h = $50 a week; $240/month = $240 × 12 / 52
    # = $55.38 a week. The $25/h is cheapest.
    a = assess(facts(quote=None))
    quotes = [
        Quote(6000, QuoteUnit.OCCURRENCE),
        Quote(2500, QuoteUnit.HOUR),
        Quote(24000, QuoteUnit.MONTH),
    ]
    assert pick_quote(quotes, a) == 1


def test_pick_quote_breaks_a_tie_for_the_earliest_given():
    # $60 a post = $60 a week = $30/h × 2h: the same; the first given wins.
    a = assess(facts(quote=None))
    assert pick_quote([Quote(6000, QuoteUnit.OCCURRENCE), Quote(3000, QuoteUnit.HOUR)], a) == 0
    assert pick_quote([Quote(3000, QuoteUnit.HOUR), Quote(6000, QuoteUnit.OCCURRENCE)], a) == 0


def test_pick_quote_skips_quotes_that_do_not_fit_the_task():
    # A one-off job: $50/week says nothing about it; $900 for the job does.
    a = assess(facts(quote=None, frequency=Frequency.ONCE))
    assert pick_quote([Quote(5000, QuoteUnit.WEEK), Quote(90000, QuoteUnit.TOTAL)], a) == 1


def test_pick_quote_with_none_fitting_takes_the_earliest_so_the_verdict_says_why():
    a = assess(facts(quote=None, frequency=Frequency.ONCE))
    assert pick_quote([Quote(5000, QuoteUnit.WEEK), Quote(100, QuoteUnit.MONTH)], a) == 0


def test_pick_quote_of_a_handed_off_task_is_its_providers_even_if_dearer():
    a = assess(facts(quote=None))
    quotes = [Quote(2500, QuoteUnit.HOUR), Quote(9000, QuoteUnit.OCCURRENCE)]
    assert pick_quote(quotes, a, handed_off=1) == 1


def test_pick_quote_of_an_empty_shortlist_is_none():
    assert pick_quote([], assess(facts(quote=None))) is None


@pytest.mark.parametrize(
    "quote",
    [
        Quote(6000, QuoteUnit.OCCURRENCE),
        Quote(2500, QuoteUnit.HOUR),
        Quote(5000, QuoteUnit.WEEK),
        Quote(24000, QuoteUnit.MONTH),
        Quote(90000, QuoteUnit.TOTAL),
        Quote(99999999, QuoteUnit.OCCURRENCE),  # a keep
    ],
    ids=repr,
)
@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"frequency": None},
        {"frequency": Frequency.ONCE},
        {
            "frequency": Frequency.ONCE,
            "members": [],
            "entries": 0,
            "estimate_minutes": 600,
            "estimate_rate_minor": 9000,
        },
        {"members": [MemberTime(360, None)]},
        {"members": [], "entries": 0, "distinct_days": 0},
        {"is_core": True},
    ],
    ids=["weekly", "no frequency", "one-off", "estimate", "no rate", "no data", "core"],
)
def test_with_quote_is_assess_with_that_quote(quote, kw):
    f = facts(quote=None, **kw)
    assert with_quote(assess(f), f, quote) == assess(replace(f, quote=quote))
