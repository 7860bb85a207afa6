"""`/logtask report by category`: the recurring tasks' weekly figures, added up per category."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.economics import CategoryTotals, by_category
from bot.services import analysis, workspaces
from bot.services.scope import Scope


@dataclass(frozen=True)
class CategoryReport:
    currency: str
    today: date
    rows: list[CategoryTotals]  # most savings available first


def report(session: Session, scope: Scope, today: date) -> CategoryReport:
    """The same assessments as /logtask report, rolled up by bot.economics.by_category."""
    ws = workspaces.workspace(session, scope)
    tasks = analysis.assess_tasks(session, ws, today)
    return CategoryReport(
        ws.currency,
        today,
        by_category([(t.category, t.assessment, t.handed_off_to is not None) for t in tasks]),
    )
