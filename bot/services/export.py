"""What `/logtask export` hands over: entries and the report, as plain values (no Slack, no CSV).

An admin gets the whole workspace's entries; anyone else their own. Both get the workspace
report, whose figures come from bot.services.analysis.report like every other view's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Entry, Member, Task
from bot.services import analysis, handoffs, workspaces
from bot.services.scope import Scope

MONTH, QUARTER, ALL = "month", "quarter", "all"


@dataclass(frozen=True)
class EntryRow:
    day: date
    user_id: str
    member_name: str | None
    task: str
    category: str | None
    minutes: int
    frequency: str | None  # the task's stored frequency code ("weekly", "3x/week", "once")
    number: int  # the entry's #number, as history shows it
    overhead: bool = False  # logged while the task was handed off: the owner's overhead


@dataclass(frozen=True)
class Export:
    span: str
    first_day: date | None  # None: from the first entry ever ("all")
    last_day: date
    whole_workspace: bool  # an admin's export: everyone's entries
    entries: list[EntryRow]
    report: analysis.WorkspaceReport
    # #11: every hand-off and what it saved, as the report's Handed off section shows them
    loop: handoffs.Overview | None = None


def span_days(span: str, today: date) -> tuple[date | None, date]:
    """The days a span covers, in the member's calendar: this month or quarter so far, or all."""
    if span == MONTH:
        return today.replace(day=1), today
    if span == QUARTER:
        return today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1), today
    if span == ALL:
        return None, today
    raise ValueError(f"unknown export span {span!r}")


def export(session: Session, scope: Scope, user_id: str, span: str, today: date) -> Export:
    ws = workspaces.workspace(session, scope)
    me = workspaces.member(session, scope, user_id)
    first, last = span_days(span, today)
    where = [Entry.workspace_id == ws.id, Entry.day <= last]
    if first is not None:
        where.append(Entry.day >= first)
    if not me.is_admin:
        where.append(Entry.member_id == me.id)
    rows = session.execute(
        select(
            Entry.day,
            Member.user_id,
            Member.display_name,
            Task.name,
            Task.category,
            Entry.minutes,
            Task.frequency,
            Entry.number,
            Entry.overhead,
        )
        .join(Task, (Task.id == Entry.task_id) & (Task.workspace_id == ws.id))
        .join(Member, (Member.id == Entry.member_id) & (Member.workspace_id == ws.id))
        .where(*where)
        .order_by(Entry.day, Entry.number)
    ).all()
    return Export(
        span=span,
        first_day=first,
        last_day=last,
        whole_workspace=me.is_admin,
        entries=[EntryRow(*row) for row in rows],
        report=analysis.report(session, scope, today),
        loop=handoffs.overview(session, scope, today),
    )
