"""The App Home: one member's dashboard, and the tasks the "Log time" modal offers.

Every figure comes from the report's own implementation (``analysis``, ``questions.top``);
the only sum made here is the member's own minutes this week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Entry, Member, Task
from bot.economics import Verdict
from bot.services import analysis, digest, handoffs, questions, workspaces
from bot.services.analysis import TaskReport
from bot.services.questions import TopCandidates
from bot.services.scope import Scope

SHOWN = 10  # tasks listed per section; the report has the rest
MAX_OPTIONS = 100  # Slack's limit for a static select's options


@dataclass(frozen=True)
class Home:
    today: date
    week_start: date  # Monday of the member's week
    week_minutes: int  # the member's own minutes from week_start to today
    top: TopCandidates
    needs_quote: list[TaskReport]
    needs_quote_more: int
    one_off: list[TaskReport]
    one_off_more: int
    digest: digest.Setting | None
    currency: str
    loop: handoffs.Overview | None = None  # the hand-offs, as the report shows them


@dataclass(frozen=True)
class TaskOption:
    task_id: int
    name: str


def dashboard(session: Session, scope: Scope, user_id: str, today: date) -> Home:
    """The member's Home, as of ``today`` in their calendar."""
    ws = workspaces.workspace(session, scope)
    monday = today - timedelta(days=today.weekday())
    minutes = session.scalar(
        select(func.coalesce(func.sum(Entry.minutes), 0))
        .join(Member, Member.id == Entry.member_id)
        .where(
            Entry.workspace_id == ws.id,
            Member.workspace_id == ws.id,
            Member.user_id == user_id,
            Entry.day.between(monday, today),
        )
    )
    report = analysis.summarise(
        ws.currency, ws.overhead_bp, today, analysis.assess_tasks(session, ws, today)
    )
    quote = [t for t in report.ongoing if t.assessment.verdict is Verdict.NEEDS_QUOTE]
    jobs = report.one_off
    return Home(
        today=today,
        week_start=monday,
        week_minutes=int(minutes or 0),
        top=questions.top(session, scope, today),
        needs_quote=quote[:SHOWN],
        needs_quote_more=max(0, len(quote) - SHOWN),
        one_off=jobs[:SHOWN],
        one_off_more=max(0, len(jobs) - SHOWN),
        digest=digest.current(session, scope),
        currency=ws.currency,
        loop=handoffs.overview(session, scope, today),
    )


def recent_tasks(session: Session, scope: Scope, limit: int = MAX_OPTIONS) -> list[TaskOption]:
    """The workspace's tasks with time logged most recently first, then the newest unlogged."""
    ws = workspaces.workspace(session, scope)
    last = (
        select(Entry.task_id, func.max(Entry.id).label("last"))
        .where(Entry.workspace_id == ws.id)
        .group_by(Entry.task_id)
        .subquery()
    )
    rows = session.execute(
        select(Task.id, Task.name)
        .outerjoin(last, last.c.task_id == Task.id)
        .where(Task.workspace_id == ws.id)
        .order_by(last.c.last.desc().nulls_last(), Task.id.desc())
        .limit(limit)
    )
    return [TaskOption(task_id, name) for task_id, name in rows]


def task_name(session: Session, scope: Scope, task_id: int) -> str | None:
    """The name of this workspace's task ``task_id``; None if it is not (or no longer) one."""
    ws = workspaces.workspace(session, scope)
    return session.scalar(select(Task.name).where(Task.workspace_id == ws.id, Task.id == task_id))
