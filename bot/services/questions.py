"""Answering questions about tasks: find the task meant, then the same figures as the report.

"Should I outsource X?", "X or Y?", "how much does X cost me?", "how many hours did I spend
on X this week?".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import periods
from bot.db.models import Entry, Member, Task, Workspace
from bot.economics import Verdict, per_year
from bot.periods import Period
from bot.services import analysis, handoffs, tasks, workspaces
from bot.services.analysis import TaskReport
from bot.services.scope import Scope

TOP = 5


@dataclass(frozen=True)
class Answer:
    report: TaskReport
    currency: str
    overhead_bp: int
    today: date
    # The task is handed off already: what that has saved, in place of advice to do it.
    handoff: handoffs.HandoffStatus | None = None


@dataclass(frozen=True)
class DidYouMean:
    asked: str
    candidates: list[str]


@dataclass(frozen=True)
class Unknown:
    asked: str


@dataclass(frozen=True)
class TopCandidates:
    """The first hand-offs, with what handing off exactly these saves; and the rest, counted."""

    tasks: list[TaskReport]
    total_week: Fraction
    total_year: Fraction
    hours_freed_week: Fraction
    currency: str
    more: int = 0  # candidates not listed
    more_week: Fraction = Fraction(0)  # what handing those off too would save a week


@dataclass(frozen=True)
class NotAQuestion:
    pass


@dataclass(frozen=True)
class Comparison:
    """Two or three tasks side by side, in the order asked.

    ``ranked``: those with a savings figure to compare (hand off or keep), most saved first;
    ``best``: the one that saves the most a week (several on a tie), none when none saves.
    """

    reports: list[TaskReport]
    ranked: list[TaskReport]
    best: list[TaskReport]
    currency: str


@dataclass(frozen=True)
class Cost:
    """What a task costs in-house a week: its hours a week × the hourly worth of who does it."""

    report: TaskReport
    currency: str


@dataclass(frozen=True)
class Spent:
    """Minutes logged on a task from ``start`` to ``end`` (the member's calendar, inclusive)."""

    task: str
    minutes: int
    everyone: bool  # everyone's entries ("we"), or only the asker's ("I")
    period: Period
    start: date
    end: date
    today: date


Reply = Answer | DidYouMean | Unknown | TopCandidates | NotAQuestion | Comparison


def top(session: Session, scope: Scope, today: date) -> TopCandidates:
    """The recurring tasks to hand off first, and what handing them all off saves."""
    ws = workspaces.workspace(session, scope)
    candidates = [
        r
        for r in analysis.assess_tasks(session, ws, today, quoted_only=True)
        if r.assessment.verdict is Verdict.HAND_OFF
        and r.assessment.recurring
        and r.handed_off_to is None  # handed off already: measured as realized savings
    ]
    shown, rest = candidates[:TOP], candidates[TOP:]
    total = analysis.total_savings_week(shown)
    return TopCandidates(
        shown,
        total,
        per_year(total),
        analysis.total_hours_freed_week(shown),
        ws.currency,
        more=len(rest),
        more_week=analysis.total_savings_week(rest),
    )


def about(
    session: Session,
    scope: Scope,
    name: str,
    today: date,
    *,
    asked: bool = True,
    literal: bool = False,
) -> Answer | DidYouMean | Unknown | NotAQuestion:
    """The verdict on the task ``name`` means, forgiving how it was typed.

    ``asked``: the words came from a question about a task. Bare text ("newsletter?") that
    names no task is not a question we understand, so it gets NotAQuestion, not Unknown.
    ``literal``: the name was quoted, so only that exact task will do.
    """
    ws = workspaces.workspace(session, scope)
    if literal:
        match = tasks.Match(tasks.find_task(session, ws, name), [])
    else:
        match = tasks.match_task(session, ws, name)
    if match.task is not None:
        report = analysis.task_report(session, ws, match.task, today)
        status = None
        if report.handed_off_to is not None:
            engagement = handoffs.active_handoff(session, match.task)
            if engagement is not None:
                (status,) = handoffs.statuses(session, ws, today, engagements=[engagement])
        return Answer(report, ws.currency, ws.overhead_bp, today, status)
    if not asked:
        return NotAQuestion()
    if match.candidates:
        return DidYouMean(name, match.candidates)
    return Unknown(name)


def _find(session: Session, ws: Workspace, name: str) -> Task | DidYouMean | Unknown:
    match = tasks.match_task(session, ws, name)
    if match.task is not None:
        return match.task
    if match.candidates:
        return DidYouMean(name, match.candidates)
    return Unknown(name)


def compare(
    session: Session,
    scope: Scope,
    names: Sequence[str],
    whole: str,
    today: date,
    *,
    asked: bool = True,
) -> Comparison | Answer | DidYouMean | Unknown | NotAQuestion:
    """The verdicts on ``names`` side by side, and which saves the most.

    ``whole`` ("trick or treat") is one task when a task has exactly that name. ``asked``:
    as in ``about``; bare names of which none is a task are not a question.
    """
    ws = workspaces.workspace(session, scope)
    if tasks.find_task(session, ws, whole) is not None:
        return about(session, scope, whole, today)
    found = [_find(session, ws, n) for n in names]
    missing = [f for f in found if not isinstance(f, Task)]
    if missing:
        if not asked and all(isinstance(f, Unknown) for f in found):
            return NotAQuestion()
        return missing[0]
    chosen = list({t.id: t for t in found if isinstance(t, Task)}.values())
    if len(chosen) == 1:
        return about(session, scope, chosen[0].name, today)
    by_id = {r.task_id: r for r in analysis.assess_tasks(session, ws, today, chosen)}
    reports = [by_id[t.id] for t in chosen]
    ranked = sorted(
        (
            r
            for r in reports
            if r.assessment.savings_week is not None
            and r.assessment.verdict in (Verdict.HAND_OFF, Verdict.KEEP)
        ),
        key=lambda r: -(r.assessment.savings_week or Fraction(0)),
    )
    most = ranked[0].assessment.savings_week if ranked else None
    best = (
        [r for r in ranked if r.assessment.savings_week == most]
        if most is not None and most > 0
        else []
    )
    return Comparison(reports, ranked, best, ws.currency)


def cost(session: Session, scope: Scope, name: str, today: date) -> Cost | DidYouMean | Unknown:
    """The task ``name`` means, with the in-house cost the report shows for it."""
    ws = workspaces.workspace(session, scope)
    found = _find(session, ws, name)
    if not isinstance(found, Task):
        return found
    return Cost(analysis.task_report(session, ws, found, today), ws.currency)


def time_spent(
    session: Session,
    scope: Scope,
    user_id: str,
    name: str,
    period: Period,
    today: date,
    *,
    everyone: bool,
) -> Spent | DidYouMean | Unknown:
    """Minutes logged on the task ``name`` in ``period`` of the asker's calendar.

    ``everyone``: all members' entries ("we"); otherwise only ``user_id``'s ("I").
    """
    ws = workspaces.workspace(session, scope)
    found = _find(session, ws, name)
    if not isinstance(found, Task):
        return found
    start, end = periods.days(period, today)
    query = select(func.coalesce(func.sum(Entry.minutes), 0)).where(
        Entry.workspace_id == ws.id, Entry.task_id == found.id, Entry.day.between(start, end)
    )
    if not everyone:
        query = query.join(Member, Member.id == Entry.member_id).where(
            Member.workspace_id == ws.id, Member.user_id == user_id
        )
    minutes = int(session.scalar(query) or 0)
    return Spent(found.name, minutes, everyone, period, start, end, today)
