"""Answering questions: the task meant, a short list to ask about, or the top hand-offs."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from bot.economics import Frequency, QuoteUnit
from bot.money import Money
from bot.periods import Period
from bot.services import questions, tasks, workspaces
from bot.services.scope import Scope

TEAM = Scope("T1")
MONDAY = date(2026, 11, 23)


def quoted_task(session, name, minutes, quote_major):
    tasks.log_time(
        session, TEAM, "U1", name, minutes, MONDAY, MONDAY, frequency=Frequency.WEEKLY, literal=True
    )
    tasks.set_quote(
        session, TEAM, name, Money(quote_major * 100, "USD"), QuoteUnit.OCCURRENCE, "task", None,
        MONDAY, user_id="U1",
    )  # fmt: skip


def test_a_typo_finds_the_task(session):
    quoted_task(session, "write newsletter", 60, 20)
    reply = questions.about(session, TEAM, "newsleter", MONDAY)
    assert isinstance(reply, questions.Answer)
    assert reply.report.name == "write newsletter"


def test_two_close_tasks_are_offered(session):
    quoted_task(session, "write blog post", 60, 20)
    quoted_task(session, "write blog posts weekly", 60, 20)
    reply = questions.about(session, TEAM, "write blog", MONDAY)
    assert isinstance(reply, questions.DidYouMean)


def test_bare_words_that_name_no_task_are_not_a_question(session):
    assert questions.about(session, TEAM, "lunch", MONDAY, asked=False) == questions.NotAQuestion()
    assert questions.about(session, TEAM, "lunch", MONDAY) == questions.Unknown("lunch")


def test_top_candidates_add_up_by_hand(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    quoted_task(session, "posts", 120, 60)  # $160 − $16 − $60 = $84/week
    quoted_task(session, "invoices", 60, 20)  # $80 − $8 − $20 = $52/week
    quoted_task(session, "calls", 60, 100)  # $80 − $8 − $100 < 0: keep
    top = questions.top(session, TEAM, MONDAY)
    assert [r.name for r in top.tasks] == ["posts", "invoices"]
    assert top.total_week == 8400 + 5200
    assert top.total_year == (8400 + 5200) * 52
    assert top.hours_freed_week == Fraction(3) * Fraction(9, 10)  # 3h a week, 10% still yours


def test_the_top_five_total_is_the_sum_of_the_five_listed(session):
    # Seven tasks each saving $84 a week ($160 − $16 − $60): five are listed, saving
    # 5 × $84 = $420 a week; the other two would save 2 × $84 = $168 more.
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    for i in range(7):
        quoted_task(session, f"task {i}", 120, 60)
    top = questions.top(session, TEAM, MONDAY)
    assert len(top.tasks) == 5
    assert top.total_week == 5 * 8400
    assert top.total_year == 5 * 8400 * 52
    assert top.hours_freed_week == 5 * Fraction(2) * Fraction(9, 10)
    assert (top.more, top.more_week) == (2, 2 * 8400)


# ---- "how many hours did I/we spend on X?" ---------------------------------------------------

WEDNESDAY = date(2026, 11, 25)


def log(session, user, name, minutes, day):
    tasks.log_time(session, TEAM, user, name, minutes, day, WEDNESDAY)


def spent(session, name, period, *, everyone, user="U1"):
    reply = questions.time_spent(session, TEAM, user, name, period, WEDNESDAY, everyone=everyone)
    assert isinstance(reply, questions.Spent)
    return reply


def test_i_counts_only_the_askers_entries_and_we_counts_everyones(session):
    log(session, "U1", "newsletter", 60, date(2026, 11, 23))
    log(session, "U1", "newsletter", 30, WEDNESDAY)
    log(session, "U2", "newsletter", 45, WEDNESDAY)
    assert spent(session, "newsletter", Period.THIS_WEEK, everyone=False).minutes == 60 + 30
    assert spent(session, "newsletter", Period.THIS_WEEK, everyone=True).minutes == 60 + 30 + 45
    assert spent(session, "newsletter", Period.THIS_WEEK, everyone=False, user="U2").minutes == 45


def test_this_week_runs_from_monday_to_today_and_last_week_monday_to_sunday(session):
    log(session, "U1", "newsletter", 20, date(2026, 11, 15))  # Sunday before last week
    log(session, "U1", "newsletter", 40, date(2026, 11, 16))  # Monday of last week
    log(session, "U1", "newsletter", 50, date(2026, 11, 22))  # Sunday of last week
    log(session, "U1", "newsletter", 60, date(2026, 11, 23))  # Monday of this week
    log(session, "U2", "newsletter", 90, date(2026, 11, 26))  # tomorrow here, today further east
    this_week = spent(session, "newsletter", Period.THIS_WEEK, everyone=True)
    assert this_week.minutes == 60
    assert (this_week.start, this_week.end) == (date(2026, 11, 23), WEDNESDAY)
    assert spent(session, "newsletter", Period.LAST_WEEK, everyone=True).minutes == 40 + 50


def test_this_month_is_the_calendar_month_up_to_today(session):
    log(session, "U1", "bookkeeping", 15, date(2026, 10, 31))  # last month
    log(session, "U1", "bookkeeping", 25, date(2026, 11, 1))
    log(session, "U1", "bookkeeping", 35, WEDNESDAY)
    assert spent(session, "bookkeeping", Period.THIS_MONTH, everyone=False).minutes == 25 + 35
    assert spent(session, "bookkeeping", Period.LAST_MONTH, everyone=False).minutes == 15


def test_other_tasks_and_other_workspaces_are_not_counted(session):
    log(session, "U1", "newsletter", 60, WEDNESDAY)
    log(session, "U1", "bookkeeping", 30, WEDNESDAY)
    tasks.log_time(session, Scope("T2"), "U1", "newsletter", 45, WEDNESDAY, WEDNESDAY)
    assert spent(session, "newsletter", Period.THIS_WEEK, everyone=True).minutes == 60


def test_a_member_who_logged_nothing_spent_nothing(session):
    log(session, "U1", "newsletter", 60, WEDNESDAY)
    assert spent(session, "newsletter", Period.THIS_WEEK, everyone=False, user="U9").minutes == 0


def test_time_spent_finds_the_task_loosely(session):
    log(session, "U1", "write newsletter", 60, WEDNESDAY)
    reply = spent(session, "newsleter", Period.THIS_WEEK, everyone=False)
    assert (reply.task, reply.minutes) == ("write newsletter", 60)
    unknown = questions.time_spent(
        session, TEAM, "U1", "taxes", Period.THIS_WEEK, WEDNESDAY, everyone=False
    )
    assert unknown == questions.Unknown("taxes")


# ---- "how much does X cost me?" ------------------------------------------------------------


def test_cost_is_hours_a_week_times_the_blended_hourly_worth(session):
    # U1 ($80/h) and U2 ($40/h) each logged 2h of a weekly task on the same day: one
    # occurrence of 240 minutes. Hours a week = 240 / 60 / 1 × 1 = 4;
    # worth = (120 × $80 + 120 × $40) / 240 = $60; in-house = 4 × $60 = $240 a week.
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    workspaces.set_rate(session, TEAM, "U2", Money(4000, "USD"))
    for user in ("U1", "U2"):
        tasks.log_time(
            session, TEAM, user, "calls", 120, MONDAY, MONDAY, frequency=Frequency.WEEKLY
        )
    reply = questions.cost(session, TEAM, "calls", MONDAY)
    assert isinstance(reply, questions.Cost)
    a = reply.report.assessment
    assert (a.hours_per_week, a.hourly_worth, a.in_house_week) == (4, 6000, 24000)


def test_cost_of_an_unknown_task(session):
    assert questions.cost(session, TEAM, "taxes", MONDAY) == questions.Unknown("taxes")


# ---- "X or Y?" ------------------------------------------------------------------------------


def compare(session, *names, whole=None, asked=True):
    whole = whole or " or ".join(names)
    return questions.compare(session, TEAM, names, whole, MONDAY, asked=asked)


def test_compare_keeps_the_order_asked_and_ranks_by_savings(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    quoted_task(session, "invoices", 60, 20)  # $80 − $8 − $20 = $52/week
    quoted_task(session, "posts", 120, 60)  # $160 − $16 − $60 = $84/week
    quoted_task(session, "calls", 60, 100)  # $80 − $8 − $100 = −$28/week
    reply = compare(session, "invoices", "posts", "calls")
    assert isinstance(reply, questions.Comparison)
    assert [r.name for r in reply.reports] == ["invoices", "posts", "calls"]
    assert [r.name for r in reply.ranked] == ["posts", "invoices", "calls"]
    assert [r.assessment.savings_week for r in reply.ranked] == [8400, 5200, -2800]
    assert [r.name for r in reply.best] == ["posts"]


def test_compare_ties_name_every_task_that_saves_the_most(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    quoted_task(session, "posts", 120, 60)  # $84/week
    quoted_task(session, "videos", 120, 60)  # $84/week
    reply = compare(session, "posts", "videos")
    assert isinstance(reply, questions.Comparison)
    assert [r.name for r in reply.best] == ["posts", "videos"]


def test_compare_has_no_best_when_none_saves(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    quoted_task(session, "calls", 60, 100)  # −$28/week
    tasks.log_time(session, TEAM, "U1", "filing", 60, MONDAY, MONDAY)  # no quote: no savings
    reply = compare(session, "calls", "filing")
    assert isinstance(reply, questions.Comparison)
    assert [r.name for r in reply.ranked] == ["calls"]
    assert reply.best == []


def test_a_task_named_with_or_is_one_task(session):
    quoted_task(session, "trick or treat", 60, 20)
    quoted_task(session, "trick", 60, 20)
    reply = compare(session, "trick", "treat")
    assert isinstance(reply, questions.Answer)
    assert reply.report.name == "trick or treat"


def test_compare_says_which_task_it_does_not_know(session):
    quoted_task(session, "posts", 120, 60)
    assert compare(session, "posts", "taxes") == questions.Unknown("taxes")


def test_bare_names_that_are_no_tasks_are_not_a_question(session):
    quoted_task(session, "posts", 120, 60)
    assert compare(session, "sun", "rain", asked=False) == questions.NotAQuestion()
    assert compare(session, "posts", "rain", asked=False) == questions.Unknown("rain")


def test_the_same_task_twice_is_one_answer(session):
    quoted_task(session, "write newsletter", 60, 20)
    reply = compare(session, "newsletter", "newsletters")
    assert isinstance(reply, questions.Answer)
