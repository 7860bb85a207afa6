"""Tasks and time entries: logging, quotes, frequencies, core flags, history and undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import matching, money
from bot.db.base import utcnow
from bot.db.models import Entry, Task, Workspace
from bot.economics import Frequency, QuoteUnit
from bot.errors import UserError
from bot.names import task_key
from bot.services import analysis, workspaces
from bot.services.analysis import TaskReport
from bot.services.scope import Scope

HISTORY_SIZE = 10


def find_task(session: Session, ws: Workspace, name: str) -> Task | None:
    return session.scalars(
        select(Task).where(Task.workspace_id == ws.id, Task.key == task_key(name))
    ).first()


def task_for(session: Session, ws: Workspace, name: str) -> tuple[Task, bool]:
    """The workspace's task called ``name``, created if new; and whether it was."""
    return workspaces.get_or_create(
        session, Task, {"name": name}, workspace_id=ws.id, key=task_key(name)
    )


@dataclass(frozen=True)
class Change:
    """A setting of the task that a log line changed: the reply says so."""

    what: str  # "frequency", "category"
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Logged:
    task: TaskReport
    created: bool
    minutes: int
    day: date
    today: date
    week_minutes: int  # on this task in the week of ``day`` (Monday to Sunday), up to today
    currency: str
    changes: tuple[Change, ...] = ()


def log_time(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    minutes: int,
    day: date,
    today: date,
    *,
    frequency: Frequency | None = None,
    category: str | None = None,
    literal: bool = False,
) -> Logged:
    """Save ``minutes`` on ``task_name`` (created if new) for ``day`` of the member's calendar.

    NearMiss, and nothing saved, when an unquoted (not ``literal``) name is close to a task.
    """
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task, created = named_task(session, ws, task_name, literal)
    changes = []
    if frequency is not None and task.frequency != frequency.value:
        if not created and task.frequency is not None:
            changes.append(Change("frequency", task.frequency, frequency.value))
        task.frequency = frequency.value
    if category is not None and task.category != category:
        if not created and task.category is not None:
            changes.append(Change("category", task.category, category))
        task.category = category
    session.add(
        Entry(workspace_id=ws.id, task_id=task.id, member_id=member.id, minutes=minutes, day=day)
    )
    session.flush()
    # The week the entry belongs to, so a backdated entry is counted with its own week.
    monday = day - timedelta(days=day.weekday())
    week_end = min(monday + timedelta(days=6), today)
    return Logged(
        task=analysis.task_report(session, ws, task, today),
        created=created,
        minutes=minutes,
        day=day,
        today=today,
        week_minutes=analysis.minutes_between(session, ws, task, monday, week_end),
        currency=ws.currency,
        changes=tuple(changes),
    )


@dataclass(frozen=True)
class TaskChange:
    """The outcome of quote/freq/core: the task as it now stands."""

    task: TaskReport
    created: bool
    currency: str
    removed_quote: bool = False


def set_quote(
    session: Session,
    scope: Scope,
    task_name: str,
    amount: money.Money,
    unit: QuoteUnit,
    per: str,
    provider: str | None,
    today: date,
    *,
    literal: bool = False,
) -> TaskChange:
    ws = workspaces.workspace(session, scope)
    workspaces.check_currency(ws, amount)
    task, created = named_task(session, ws, task_name, literal)
    task.quote_minor = amount.minor
    task.quote_unit = unit.value
    task.quote_per = per
    task.quote_provider = provider
    task.quote_at = utcnow()
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


def remove_quote(
    session: Session, scope: Scope, task_name: str, today: date, *, literal: bool = False
) -> TaskChange:
    ws = workspaces.workspace(session, scope)
    task = existing_task(session, ws, task_name, literal)
    if task is None or task.quote_minor is None:
        raise UserError(f"“{task_name}” has no quote to remove", command="quote")
    task.quote_minor = task.quote_unit = task.quote_per = task.quote_provider = None
    task.quote_at = None
    return TaskChange(analysis.task_report(session, ws, task, today), False, ws.currency, True)


def set_frequency(
    session: Session,
    scope: Scope,
    name: str,
    frequency: Frequency,
    today: date,
    *,
    literal: bool = False,
) -> TaskChange:
    ws = workspaces.workspace(session, scope)
    task, created = named_task(session, ws, name, literal)
    task.frequency = frequency.value
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


def set_category(
    session: Session,
    scope: Scope,
    name: str,
    category: str | None,
    today: date,
    *,
    literal: bool = False,
) -> TaskChange:
    """``category`` None clears it."""
    ws = workspaces.workspace(session, scope)
    task, created = named_task(session, ws, name, literal)
    task.category = category
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


def set_core(
    session: Session, scope: Scope, name: str, core: bool, today: date, *, literal: bool = False
) -> TaskChange:
    ws = workspaces.workspace(session, scope)
    if core:
        task, created = named_task(session, ws, name, literal)
    else:
        found = existing_task(session, ws, name, literal)
        if found is None:
            raise UserError(f"there is no task called “{name}”", command="notcore")
        task, created = found, False
    task.is_core = core
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


@dataclass(frozen=True)
class HistoryLine:
    task: str
    minutes: int
    day: date
    logged_at: datetime


def _latest_entries(session: Session, scope: Scope, user_id: str, limit: int) -> list[Entry]:
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.workspace_id == ws.id, Entry.member_id == member.id)
            .order_by(Entry.created_at.desc(), Entry.id.desc())
            .limit(limit)
        )
    )


def _line(e: Entry) -> HistoryLine:
    return HistoryLine(e.task.name, e.minutes, e.day, e.created_at)


def history(
    session: Session, scope: Scope, user_id: str, limit: int = HISTORY_SIZE
) -> list[HistoryLine]:
    return [_line(e) for e in _latest_entries(session, scope, user_id, limit)]


def undo(session: Session, scope: Scope, user_id: str) -> HistoryLine | None:
    """Delete the member's latest entry; what it was, or None when they have none."""
    latest = _latest_entries(session, scope, user_id, 1)
    if not latest:
        return None
    entry = latest[0]
    line = _line(entry)
    session.delete(entry)
    return line


# ---- finding a task by a loosely typed name -----------------------------------------------


@dataclass(frozen=True)
class Match:
    task: Task | None
    candidates: list[str]


def match_task(session: Session, ws: Workspace, text: str) -> Match:
    """The task ``text`` names: exactly (case, spacing, end punctuation), else loosely."""
    exact = find_task(session, ws, text)
    if exact is not None:
        return Match(exact, [])
    names = session.execute(select(Task.id, Task.name).where(Task.workspace_id == ws.id))
    found = matching.best_match(text, ((task_id, name) for task_id, name in names))
    return Match(session.get(Task, found.id) if found.id is not None else None, found.candidates)


class NearMiss(UserError):
    """An unquoted name that is no task but close to some: nothing was done; ask which was meant.

    ``can_create``: the command would create the task as typed, so that is an option too.
    """

    def __init__(self, typed: str, candidates: list[str], can_create: bool) -> None:
        meant = ", ".join(f"“{c}”" for c in candidates[:-1])
        meant = f"{meant} or “{candidates[-1]}”" if meant else f"“{candidates[-1]}”"
        super().__init__(f"there is no task called “{typed}”. Did you mean {meant}?")
        self.typed = typed
        self.candidates = candidates
        self.can_create = can_create


def existing_task(session: Session, ws: Workspace, name: str, literal: bool) -> Task | None:
    """The task called ``name``; None if there is none; NearMiss if it is close to some.

    A ``literal`` (quoted) name is only ever that exact task. Even one confident loose match
    is asked about: a command that changes a task must not silently pick another one.
    """
    task = find_task(session, ws, name)
    if task is None and not literal and (near := _close_names(session, ws, name)):
        raise NearMiss(name, near, can_create=False)
    return task


def named_task(session: Session, ws: Workspace, name: str, literal: bool) -> tuple[Task, bool]:
    """The task called ``name``, created if new (and whether it was), unless it is a near miss."""
    task = find_task(session, ws, name)
    if task is not None:
        return task, False
    if not literal and (near := _close_names(session, ws, name)):
        raise NearMiss(name, near, can_create=True)
    return task_for(session, ws, name)


def _close_names(session: Session, ws: Workspace, name: str) -> list[str]:
    match = match_task(session, ws, name)
    return [match.task.name] if match.task is not None else match.candidates
