"""Answering "should I outsource X?": find X, assess it with the same math as the report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from bot.economics import Verdict, per_year
from bot.parse.question import AboutTask, Maybe, Question, WhatToHandOff
from bot.services import analysis, tasks, workspaces
from bot.services.analysis import TaskReport
from bot.services.scope import Scope

TOP = 5
MAX_BARE_WORDS = 6  # longer free text is chatter, not a task's name


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
    tasks: list[TaskReport]
    total_week: Fraction
    total_year: Fraction
    hours_freed_week: Fraction
    currency: str


@dataclass(frozen=True)
class NotAQuestion:
    pass


Reply = Answer | DidYouMean | Unknown | TopCandidates | NotAQuestion


def answer(session: Session, scope: Scope, question: Question, today: date) -> Reply:
    ws = workspaces.workspace(session, scope)
    match question:
        case WhatToHandOff():
            candidates = [
                r
                for r in analysis.assess_tasks(session, ws, today, quoted_only=True)
                if r.assessment.verdict is Verdict.HAND_OFF and r.assessment.recurring
            ]
            return TopCandidates(
                candidates[:TOP],
                total := analysis.total_savings_week(candidates),
                per_year(total),
                analysis.total_hours_freed_week(candidates),
                ws.currency,
            )
        case Maybe(text=name) if not name or len(name.split()) > MAX_BARE_WORDS:
            return NotAQuestion()
        case AboutTask(task=name) | Maybe(text=name):
            match = tasks.match_task(session, ws, name)
            if match.task is not None:
                report = analysis.task_report(session, ws, match.task, today)
                return Answer(report, ws.currency, ws.overhead_bp, today)
            if isinstance(question, Maybe):
                # Free text that names no task is not a question we understand.
                return NotAQuestion()
            if match.candidates:
                return DidYouMean(name, match.candidates)
            return Unknown(name)
    raise AssertionError(question)  # pragma: no cover
