"""Answering "should I outsource X?": find X, assess it with the same math as the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from bot.economics import Verdict, per_year
from bot.services import analysis, tasks, workspaces
from bot.services.analysis import TaskReport
from bot.services.scope import Scope

TOP = 5


@dataclass(frozen=True)
class Answer:
    report: TaskReport
    currency: str
    overhead_bp: int
    today: date


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


Reply = Answer | DidYouMean | Unknown | TopCandidates | NotAQuestion


def top(session: Session, scope: Scope, today: date) -> TopCandidates:
    """The recurring tasks to hand off first, and what handing them all off saves."""
    ws = workspaces.workspace(session, scope)
    candidates = [
        r
        for r in analysis.assess_tasks(session, ws, today, quoted_only=True)
        if r.assessment.verdict is Verdict.HAND_OFF and r.assessment.recurring
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
        return Answer(report, ws.currency, ws.overhead_bp, today)
    if not asked:
        return NotAQuestion()
    if match.candidates:
        return DidYouMean(name, match.candidates)
    return Unknown(name)
