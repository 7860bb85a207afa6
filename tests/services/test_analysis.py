"""The report: every task assessed once, with totals that add up."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest

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


def test_a_day_two_members_logged_is_one_occurrence(session):
    start = MONDAY - timedelta(days=27)  # the window's first day
    for user, minutes, day in (
        ("U1", 60, start),
        ("U1", 30, MONDAY),
        ("U2", 30, MONDAY),
        ("U3", 15, MONDAY),
        ("U2", 60, MONDAY - timedelta(days=3)),
        ("U2", 45, start - timedelta(days=1)),  # the day before the window
    ):
        tasks.log_time(session, TEAM, user, "posts", minutes, day, MONDAY)
    tasks.log_time(session, TEAM, "U1", "calls", 20, MONDAY, MONDAY)

    ws = workspaces.workspace(session, TEAM)
    task = tasks.find_task(session, ws, "posts")
    assert task is not None
    whole = analysis.report(session, TEAM, MONDAY).tasks
    one = analysis.assess_tasks(session, ws, MONDAY, [task])
    for assessed in (whole, one):
        posts = next(t.assessment for t in assessed if t.name == "posts")
        assert (posts.entries, posts.minutes, posts.occurrences) == (5, 195, 3)
        assert posts.occurrences_per_week == Fraction(3, 4)  # 3 days over the 4 weeks' span


def test_a_window_longer_than_a_mask_of_days_is_refused(session):
    ws = workspaces.workspace(session, TEAM)
    of = analysis._Of([ws.id], None)
    with pytest.raises(ValueError, match="more days than a mask"):
        analysis._time_logged(session, of, set(), MONDAY - timedelta(days=63), MONDAY)


def test_a_task_of_another_workspace_is_refused_not_assessed_as_nothing(session):
    tasks.log_time(session, Scope("T2"), "U1", "posts", 30, MONDAY, MONDAY)
    other = workspaces.workspace(session, Scope("T2"))
    theirs = tasks.find_task(session, other, "posts")
    assert theirs is not None
    with pytest.raises(ValueError, match="is not of workspace"):
        analysis.task_report(session, workspaces.workspace(session, TEAM), theirs, MONDAY)
