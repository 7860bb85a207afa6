"""Hand-off math (#11): the frozen baseline, weeks since, realized savings, the bar, categories.

Every figure is worked out by hand in the comment above its assertion. The running example
is docs/economics.md's: $80/h, a weekly blog post of 2h, a $60-per-post quote, 10% overhead.
"""

from datetime import date, timedelta
from fractions import Fraction

import pytest

from bot.economics import (
    Baseline,
    Frequency,
    MemberTime,
    Quote,
    QuoteUnit,
    Shortfall,
    TaskFacts,
    assess,
    by_category,
    freeze_baseline,
    hours_week_change,
    next_to_try,
    realized_between,
    realized_savings,
    shortfalls,
    to_minor,
    weeks_between,
    weeks_handed_off,
)

TODAY = date(2026, 11, 23)
POST = Quote(6000, QuoteUnit.OCCURRENCE)


def blog_post(**kw):
    base = dict(
        today=TODAY,
        members=[MemberTime(360, 8000)],
        entries=3,
        distinct_days=3,
        first_entry_day=TODAY - timedelta(days=20),
        frequency=Frequency.WEEKLY,
        quote=POST,
    )
    base.update(kw)
    return assess(TaskFacts(**base))


BLOG = Baseline(
    one_off=False,
    hours=Fraction(2),
    in_house=Fraction(16000),
    savings=Fraction(8400),
    worth=Fraction(8000),
    occurrences=Fraction(1),
)


def test_the_baseline_freezes_hours_in_house_cost_and_projected_savings_a_week():
    # 360 min / 60 / 3 days × 1 a week = 2h; C = 2 × $80 = $160; S = 160 − 16 − 60 = $84.
    assert freeze_baseline(blog_post(), POST) == BLOG


def test_the_baseline_prices_the_chosen_providers_quote_not_the_assessments():
    # The assessment used $60/post; handing off to a $25/h provider: Q = 25 × 2h = $50,
    # S = 160 − 16 − 50 = $94 a week.
    b = freeze_baseline(blog_post(), Quote(2500, QuoteUnit.HOUR))
    assert b.savings == 9400
    assert b.in_house == 16000


def test_a_one_off_baseline_is_the_jobs_totals():
    # 15h at $80 = $1,200 in-house; O = $120; $900 for the job: S = 1,200 − 120 − 900 = $180.
    a = blog_post(members=[MemberTime(900, 8000)], frequency=Frequency.ONCE)
    b = freeze_baseline(a, Quote(90000, QuoteUnit.TOTAL))
    assert b == Baseline(True, Fraction(15), Fraction(120000), Fraction(18000), Fraction(8000))


def test_no_baseline_without_an_hourly_worth_time_logged_or_a_fitting_quote():
    with pytest.raises(ValueError, match="hourly worth"):
        freeze_baseline(blog_post(members=[MemberTime(360, None)]), POST)
    with pytest.raises(ValueError, match="in-house"):
        freeze_baseline(blog_post(members=[], entries=0, distinct_days=0), POST)
    with pytest.raises(ValueError, match="unit"):
        freeze_baseline(blog_post(), Quote(300000, QuoteUnit.TOTAL))


def test_weeks_count_the_hand_off_day_and_today_and_are_at_least_one():
    # Handed off today: 1 day → at least 1 week. 20 days ago: 21 days = 3 weeks exactly.
    # 9 days ago: 10 days = 10/7 weeks. Taken back 14 days after it started: 14 days = 2 weeks.
    assert weeks_handed_off(TODAY, TODAY) == 1
    assert weeks_handed_off(TODAY - timedelta(days=20), TODAY) == 3
    assert weeks_handed_off(TODAY - timedelta(days=9), TODAY) == Fraction(10, 7)
    start = TODAY - timedelta(days=30)
    assert weeks_handed_off(start, TODAY, start + timedelta(days=14)) == 2


def test_realized_savings_are_the_in_house_cost_avoided_less_paid_and_overhead():
    # 3 weeks: avoided 3 × $160 = $480; paid $180; overhead 90 min = 1.5h × $80 = $120.
    # Realized 480 − (180 + 120) = $180; projected 3 × $84 = $252; overhead 1.5h / 3 = 0.5h/week.
    r = realized_savings(BLOG, Fraction(3), 18000, 90)
    assert to_minor(r.avoided) == 48000
    assert to_minor(r.overhead_cost) == 12000
    assert to_minor(r.realized) == 18000
    assert to_minor(r.projected) == 25200
    assert r.overhead_hours_week == Fraction(1, 2)


def test_a_one_off_jobs_in_house_cost_is_avoided_once():
    # Job baseline $1,200 in-house, $180 projected; paid $900, 1h overhead ($80), after 5 weeks:
    # 1,200 − (900 + 80) = $220 realized, against $180 projected (not × 5).
    job = Baseline(True, Fraction(15), Fraction(120000), Fraction(18000), Fraction(8000))
    r = realized_savings(job, Fraction(5), 90000, 60)
    assert to_minor(r.realized) == 22000
    assert to_minor(r.projected) == 18000


def test_three_weeks_below_half_the_projection_is_under_the_bar():
    # Paid $300, overhead 3h ($240): 480 − 540 = −$60, below half of $252 ($126).
    r = realized_savings(BLOG, Fraction(3), 30000, 180)
    assert to_minor(r.realized) == -6000
    assert shortfalls(r, None) == (Shortfall.SAVINGS,)


def test_before_three_weeks_the_savings_rule_waits():
    # 20 days = 20/7 weeks: realized 160 × 20/7 − 540 < 0, but it is not 3 weeks yet.
    r = realized_savings(BLOG, Fraction(20, 7), 30000, 180)
    assert r.realized < 0
    assert shortfalls(r, None) == ()


def test_at_half_the_projection_exactly_it_is_paying_off():
    # Half of $252 is $126: paid $354, no overhead → 480 − 354 = $126, not below it.
    r = realized_savings(BLOG, Fraction(3), 35400, 0)
    assert r.realized == 12600
    assert shortfalls(r, None) == ()


def test_an_average_score_of_two_or_less_is_under_the_bar_from_the_start():
    # Scores 2 and 3 average 5/2 (fine); 2 and 2 average 2 (under the bar).
    r = realized_savings(BLOG, Fraction(1), 6000, 0)
    assert shortfalls(r, Fraction(5, 2)) == ()
    assert shortfalls(r, Fraction(2)) == (Shortfall.SCORE,)


def test_hours_a_week_change_compares_two_four_week_windows():
    # 4h in the last 28 days, 10h in the 28 before: (240 − 600) / 60 / 4 = −1.5h a week.
    assert hours_week_change(240, 600) == Fraction(-3, 2)
    assert hours_week_change(600, 240) == Fraction(3, 2)


def test_categories_add_up_their_tasks_most_savings_available_first():
    # #content: the blog post (2h, $160, saves $84) and a keep task (1h, $80, $0 available);
    # #admin: 3h, $240, saves $100; uncategorised: 0.5h, $40, no savings; a one-off is left out.
    keep = blog_post(members=[MemberTime(180, 8000)], quote=Quote(7900, QuoteUnit.OCCURRENCE))
    admin = blog_post(members=[MemberTime(540, 8000)], quote=Quote(11600, QuoteUnit.OCCURRENCE))
    loose = blog_post(members=[MemberTime(90, 8000)], quote=None)
    job = blog_post(frequency=Frequency.ONCE)
    # keep: 1h, $80, 80 − 8 − 79 = −$7 → keep. admin: 3h, $240, 240 − 24 − 116 = $100 → hand off.
    assert to_minor(keep.savings_week) == -700
    assert to_minor(admin.savings_week) == 10000
    rows = by_category(
        [
            ("content", blog_post(), False),
            ("content", keep, False),
            ("admin", admin, False),
            (None, loose, False),
            ("x", job, False),
        ]
    )
    assert [r.category for r in rows] == ["admin", "content", None]
    content = rows[1]
    assert (content.tasks, content.hours_week) == (2, 3)  # 2h + 1h
    assert to_minor(content.in_house_week) == 24000  # $160 + $80
    assert to_minor(content.savings_week) == 8400  # only the hand-off's $84
    assert (rows[2].hours_week, rows[2].savings_week) == (Fraction(1, 2), 0)  # 90 min / 3 days


def test_the_next_provider_is_the_cheapest_other_quote_at_the_baseline():
    # At 2h and 1 post a week: Ana $70/post = $70; Bo $30/h = $60; Cy $250/month = 250 × 12 / 52
    # = $57.69…; Di $3,000 total can't price weekly work. Jane (current) is left out: Cy.
    quotes = [
        ("Jane", POST),
        ("Ana", Quote(7000, QuoteUnit.OCCURRENCE)),
        ("Bo", Quote(3000, QuoteUnit.HOUR)),
        ("Cy", Quote(25000, QuoteUnit.MONTH)),
        ("Di", Quote(300000, QuoteUnit.TOTAL)),
    ]
    assert next_to_try("Jane", quotes, BLOG) == "Cy"


def test_a_tie_goes_to_the_earliest_quote_and_none_left_asks_for_more():
    # Ana $60/post and Bo $30/h × 2h are both $60 a week: Ana quoted first.
    quotes = [("Jane", POST), ("Ana", POST), ("Bo", Quote(3000, QuoteUnit.HOUR))]
    assert next_to_try("Jane", quotes, BLOG) == "Ana"
    assert next_to_try("Jane", [("Jane", POST)], BLOG) is None


def test_a_periods_weeks_are_the_change_in_weeks_so_far():
    # Started today: 0 weeks before, 1 (at least one) now → the week carries 1 week.
    # Started 20 days ago, the last 7 days: 21/7 = 3 now, 14/7 = 2 before → 1 week.
    # Started 9 days ago: 10/7 now, at least 1 before (3 days) → 3/7 of a week.
    week = TODAY - timedelta(days=6)
    assert weeks_between(TODAY, week, TODAY) == 1
    assert weeks_between(TODAY - timedelta(days=20), week, TODAY) == 1
    assert weeks_between(TODAY - timedelta(days=9), week, TODAY) == Fraction(3, 7)


def test_a_weeks_savings_are_what_that_week_added_so_far():
    # Handed off today, $60 paid and 30m overhead ($40) today: 160 − 100 = $60, the same as so
    # far (1 week), projected $84.
    r = realized_between(BLOG, TODAY, TODAY - timedelta(days=6), TODAY, 6000, 30)
    assert (to_minor(r.realized), to_minor(r.projected)) == (6000, 8400)


def test_a_one_off_jobs_cost_is_avoided_in_the_week_it_was_handed_off_only():
    # Job baseline $1,200 in-house, $180 projected. Handed off 10 days ago: this week only its
    # $900 payment counts → −$900, projected $0. Handed off today: 1,200 − 900 = $300.
    job = Baseline(True, Fraction(15), Fraction(120000), Fraction(18000), Fraction(8000))
    week = TODAY - timedelta(days=6)
    old = realized_between(job, TODAY - timedelta(days=10), week, TODAY, 90000, 0)
    assert (to_minor(old.realized), to_minor(old.projected)) == (-90000, 0)
    new = realized_between(job, TODAY, week, TODAY, 90000, 0)
    assert (to_minor(new.realized), to_minor(new.projected)) == (30000, 18000)


def test_a_handed_off_tasks_savings_are_no_longer_available():
    # The blog post handed off: its 2h and $160 still count, its $84 is not available.
    [row] = by_category([("content", blog_post(), True)])
    assert (row.hours_week, to_minor(row.in_house_week), row.savings_week) == (2, 16000, 0)
