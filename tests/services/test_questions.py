"""Answering questions: the task meant, a short list to ask about, or the top hand-offs."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from bot.economics import Frequency, QuoteUnit
from bot.money import Money
from bot.services import questions, tasks, workspaces
from bot.services.scope import Scope

TEAM = Scope("T1")
MONDAY = date(2026, 11, 23)


def quoted_task(session, name, minutes, quote_major):
    tasks.log_time(session, TEAM, "U1", name, minutes, MONDAY, MONDAY, frequency=Frequency.WEEKLY)
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
