"""The report: every task assessed once, with totals that add up."""

from __future__ import annotations

from datetime import date, timedelta

from bot.economics import Frequency, QuoteUnit, Verdict
from bot.money import Money
from bot.services import analysis, tasks, workspaces
from bot.services.scope import Scope

TEAM = Scope("T1")
MONDAY = date(2026, 11, 23)


def test_report_totals_are_the_sum_of_the_hand_off_tasks(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    for name, minutes, quote in (("posts", 120, 6000), ("invoices", 60, 2000), ("calls", 60, 1)):
        tasks.log_time(
            session, TEAM, "U1", name, minutes, MONDAY, MONDAY, frequency=Frequency.WEEKLY
        )
        if name != "calls":
            tasks.set_quote(
                session, TEAM, name, Money(quote, "USD"), QuoteUnit.OCCURRENCE, "task", None,
                MONDAY, user_id="U1",
            )  # fmt: skip
    rep = analysis.report(session, TEAM, MONDAY)
    assert [t.name for t in rep.tasks][:2] == ["posts", "invoices"]
    assert rep.hand_off_count == 2
    assert rep.savings_week == 8400 + 5200  # ($160 − 16 − 60) + ($80 − 8 − 20), in cents
    assert rep.savings_year == (8400 + 5200) * 52
    assert rep.window_start == MONDAY - timedelta(days=27)
    assert rep.tasks[2].assessment.verdict is Verdict.NEEDS_QUOTE


def test_entries_outside_the_window_do_not_count(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    old = MONDAY - timedelta(days=28)
    tasks.log_time(session, TEAM, "U1", "posts", 600, old, MONDAY, frequency=Frequency.WEEKLY)
    rep = analysis.report(session, TEAM, MONDAY)
    assert rep.tasks[0].assessment.verdict is Verdict.NO_DATA
