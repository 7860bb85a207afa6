"""Issue #13: many workspaces' assessments and digests from the same few queries must be what
each workspace alone gets, and no workspace's rows may leak into another's."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from bot.economics import Frequency, QuoteUnit
from bot.money import Money
from bot.services import analysis, digest, handoffs, questions, task_admin, tasks, workspaces
from bot.services.scope import Scope

MONDAY = date(2026, 11, 23)
TEAMS = [Scope("T1"), Scope("T2"), Scope("T3"), Scope("T4")]


def fill(session, scope: Scope, k: int) -> None:
    """A workspace whose figures differ from the others' (rates, overhead, quotes)."""
    workspaces.set_rate(session, scope, "U1", Money(6000 + 1000 * k, "USD"))
    workspaces.set_rate(session, scope, "U2", Money(9000, "USD"))
    workspaces.set_overhead(session, scope, Fraction(k, 20), user_id="U1")
    day = MONDAY - timedelta(days=3)
    for user, name, minutes, freq, back in (
        ("U1", "newsletter", 60 + 15 * k, Frequency.WEEKLY, 0),
        ("U2", "newsletter", 30, None, 7),
        ("U1", "invoices", 45, Frequency.MONTHLY, 2),
        ("U2", "calls", 20 * (k + 1), None, 10),  # no frequency: the first entry's day counts
        ("U1", "calls", 25, None, 40),  # before the window: counts for the first day only
        ("U1", "site redesign", 600, Frequency.ONCE, 50),  # one-off: all time counts
        ("U2", "bookkeeping", 90, Frequency.DAILY, 1),
    ):
        tasks.log_time(
            session, scope, user, name, minutes, day - timedelta(days=back), MONDAY,
            frequency=freq,
        )  # fmt: skip
    for name, amount, unit, provider in (
        ("newsletter", 3000 + 500 * k, QuoteUnit.OCCURRENCE, "Jane"),
        ("newsletter", 2500, QuoteUnit.HOUR, None),
        ("invoices", 1000, QuoteUnit.MONTH, "Ann"),
        ("site redesign", 20000 * k + 1, QuoteUnit.TOTAL, None),
        ("bookkeeping", 900, QuoteUnit.OCCURRENCE, "Jane"),
    ):
        tasks.set_quote(
            session, scope, name, Money(amount, "USD"), unit, "task", provider, MONDAY,
            user_id="U1",
        )  # fmt: skip
    tasks.set_core(session, scope, "invoices", k == 2, MONDAY, user_id="U1")


def test_assess_workspaces_is_assess_tasks_of_each(session):
    for k, scope in enumerate(TEAMS):
        fill(session, scope, k)
    handoffs.handoff(session, TEAMS[1], "U1", "newsletter", "Jane", MONDAY - timedelta(days=2))
    wss = [workspaces.workspace(session, s) for s in TEAMS[:3]]  # T4 is not asked about
    many = analysis.assess_workspaces(session, wss, MONDAY)
    assert set(many) == {ws.id for ws in wss}
    for ws in wss:
        alone = analysis.assess_tasks(session, ws, MONDAY)
        assert many[ws.id] == alone
        assert [r.assessment.shares for r in many[ws.id]] == [r.assessment.shares for r in alone]
    assert any(r.handed_off_to is not None for r in many[wss[1].id])


def test_digests_built_together_are_the_digests_built_one_by_one(session):
    for k, scope in enumerate(TEAMS):
        fill(session, scope, k)
    handoffs.handoff(session, TEAMS[0], "U1", "bookkeeping", "Jane", MONDAY - timedelta(days=1))
    ids = [workspaces.workspace(session, s).id for s in TEAMS]
    # Workspaces in different time zones can have different todays in one round.
    days = [MONDAY, MONDAY, MONDAY - timedelta(days=1), MONDAY + timedelta(days=1)]
    together = digest.build_many(session, [*zip(ids, days, strict=True), (10**9, MONDAY)])
    assert set(together) == set(ids)  # a workspace gone since is left out
    for scope, ws_id, today in zip(TEAMS, ids, days, strict=True):
        assert together[ws_id] == digest.build(session, scope, today)
    assert together[ids[0]].handoffs


def test_the_one_task_answer_is_the_reports_row(session):
    fill(session, TEAMS[0], 1)
    ws = workspaces.workspace(session, TEAMS[0])
    every = {r.task_id: r for r in analysis.assess_tasks(session, ws, MONDAY)}
    for task_id, row in every.items():
        task = tasks.find_task(session, ws, row.name)
        assert task is not None
        assert task.id == task_id
        assert analysis.task_report(session, ws, task, MONDAY) == row


def test_a_renamed_task_is_found_by_its_new_name_and_not_its_old(session):
    scope = TEAMS[0]
    fill(session, scope, 1)
    assert isinstance(questions.about(session, scope, "newsleter", MONDAY), questions.Answer)
    task_admin.rename_task(session, scope, "U1", [("newsletter", "weekly digest email")])
    assert isinstance(questions.about(session, scope, "newsleter", MONDAY), questions.Unknown)
    found = questions.about(session, scope, "weekly digest emails", MONDAY)
    assert isinstance(found, questions.Answer)
    assert found.report.name == "weekly digest email"


def test_a_merged_task_is_no_longer_matched(session):
    scope = TEAMS[0]
    fill(session, scope, 1)
    assert isinstance(questions.about(session, scope, "invoice", MONDAY), questions.Answer)
    task_admin.merge_tasks(session, scope, "U1", [("invoices", "bookkeeping")], MONDAY)
    assert not isinstance(questions.about(session, scope, "invoice", MONDAY), questions.Answer)
