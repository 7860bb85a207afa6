"""Fixing the task list: renaming a task, merging one into another, deleting one.

These commands name tasks exactly (case, spacing and end punctuation aside): a near-miss
is never acted on, it is offered back (UnknownTask) so the member can confirm it. Deleting or
merging away a task that holds other members' time needs its creator or a workspace admin.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.db.models import Engagement, Entry, Member, Payment, Review, Task, Workspace
from bot.errors import UserError
from bot.names import task_key
from bot.services import analysis, changes, overhead, tasks, workspaces
from bot.services.analysis import TaskQuote, TaskReport
from bot.services.scope import Scope

# A task's trials and hand-offs, reviews and payments: its history with providers.
HISTORY: tuple[type[Engagement] | type[Review] | type[Payment], ...] = (Engagement, Review, Payment)

SETTINGS_TAKEN = ("frequency", "category")  # the target takes these only where it has none


class UnknownTask(UserError):
    """No task has this name; ``candidates`` are the close ones to offer instead.

    ``role`` says which name of the command it was ("task", or "into" for a merge's target),
    so the reply can rebuild the command with a candidate in its place.
    """

    def __init__(self, name: str, candidates: Sequence[str], role: str = "task") -> None:
        super().__init__(f"no task called “{name}”")
        self.name = name
        self.candidates = list(candidates)
        self.role = role


class NameTaken(UserError):
    """A rename onto another task's name: merging is what was meant, if anything."""

    def __init__(self, task: str, other: str) -> None:
        super().__init__(f"there is already a task called “{other}”")
        self.task = task
        self.other = other


def _resolve(session: Session, ws: Workspace, name: str, role: str = "task") -> Task:
    task = tasks.find_task(session, ws, name)
    if task is not None:
        return task
    match = tasks.match_task(session, ws, name)
    # Another member's command may have created it since the lookup (PostgreSQL: each
    # statement sees the latest commits), and the search then offers its own name back.
    if (task := tasks.find_task(session, ws, name)) is not None:
        return task
    raise UnknownTask(name, [match.task.name] if match.task else match.candidates, role)


def _resolve_reading(
    session: Session, ws: Workspace, readings: Sequence[tuple[str, str]]
) -> tuple[Task, str]:
    """The first reading whose first name is a task; else UnknownTask for the first reading.

    "rename how to videos to tutorials" reads two ways; the task list decides which.
    """
    for name, other in readings:
        task = tasks.find_task(session, ws, name)
        if task is not None:
            return task, other
    return _resolve(session, ws, readings[0][0]), readings[0][1]


def _other_members(session: Session, task: Task, member: Member) -> int:
    """How many members other than ``member`` have time on ``task``."""
    n = session.scalar(
        select(func.count(func.distinct(Entry.member_id))).where(
            Entry.task_id == task.id, Entry.member_id != member.id
        )
    )
    return int(n or 0)


def _may_remove(session: Session, task: Task, member: Member, verb: str) -> None:
    if member.is_admin or task.created_by == member.id:
        return
    others = _other_members(session, task, member)
    if others:
        creator = session.get(Member, task.created_by) if task.created_by else None
        who = (
            f"its creator ({creator.display_name})"
            if creator and creator.display_name
            else "its creator"
        )
        raise UserError(
            f"“{task.name}” has time logged by {others} other member{'s' if others != 1 else ''}: "
            f"only {who} or a workspace admin can {verb}"
        )


@dataclass(frozen=True)
class Renamed:
    old: str
    new: str
    entries: int


def rename_task(
    session: Session, scope: Scope, user_id: str, readings: Sequence[tuple[str, str]]
) -> Renamed:
    """``readings``: (task, new name) pairs, the way the command can be read, likeliest first."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task, new = _resolve_reading(session, ws, readings)
    if new == task.name:
        raise UserError(f"“{task.name}” is already called that")
    other = tasks.find_task(session, ws, new)
    if other is not None and other.id != task.id:
        raise NameTaken(task.name, other.name)
    before = changes.fields(task, ("name", "key"))
    task.name, task.key = new, task_key(new)
    session.flush()
    changes.record(
        session,
        ws,
        member,
        "rename",
        ["renamed ", changes.name(before["name"]), " to ", changes.name(new)],
        {"task": changes.ref(task), "before": before, "after": changes.fields(task, before)},
    )
    return Renamed(before["name"], new, changes.entry_count(session, task))


@dataclass(frozen=True)
class Merged:
    source: str
    target: TaskReport
    entries: int
    minutes: int
    # The source's quotes now on the target's shortlist, and those dropped because the
    # target has its own from the same provider (or its own unnamed one): (dropped, kept).
    quotes_moved: tuple[TaskQuote, ...]
    quotes_dropped: tuple[tuple[TaskQuote, TaskQuote], ...]
    taken: tuple[tuple[str, str], ...]  # (setting, value) the target took from the source
    currency: str


def merge_tasks(
    session: Session,
    scope: Scope,
    user_id: str,
    readings: Sequence[tuple[str, str]],
    today: date,
) -> Merged:
    """Move every entry of one task into another, then delete it (undo splits them again)."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    try:
        source, into = _resolve_reading(session, ws, readings)
    except UnknownTask as e:
        # "Did you mean" never offers to merge the target into itself.
        target_key = task_key(readings[0][1])
        e.candidates = [n for n in e.candidates if task_key(n) != target_key]
        raise
    try:
        target = _resolve(session, ws, into, role="into")
    except UnknownTask as e:
        e.candidates = [n for n in e.candidates if task_key(n) != source.key]
        raise
    if target.id == source.id:
        raise UserError(f"“{source.name}” and “{into}” are the same task")
    _may_remove(session, source, member, "merge it away")

    tasks.lock(session, target)
    _no_two_hand_offs(session, source, target)
    source_quotes = {
        q.provider_id: q for q in analysis.task_report(session, ws, source, today).shortlist_quotes
    }
    target_quotes = {
        q.provider_id: q for q in analysis.task_report(session, ws, target, today).shortlist_quotes
    }
    moved = list(
        session.scalars(select(Entry).where(Entry.task_id == source.id).order_by(Entry.number))
    )
    numbers = [e.number for e in moved]
    minutes = sum(e.minutes for e in moved)
    source_row = changes.row(source)
    source_quote_rows = changes.quote_rows(session, source)

    changed = [k for k in SETTINGS_TAKEN if getattr(target, k) is None and getattr(source, k)]
    before = changes.fields(target, changed)
    for k in changed:
        setattr(target, k, getattr(source, k))
    for entry in moved:
        entry.task = target
    # The source's shortlist joins the target's, but for the providers the target has its own
    # quote from; its history (trials, hand-offs, reviews, payments) moves with its time.
    quotes_moved = []
    for q in tasks.quotes_of(session, source):
        if q.provider_id not in target_quotes:
            q.task_id = target.id
            quotes_moved.append(q.id)
    session.flush()
    history = {
        model.__tablename__: list(
            session.scalars(select(model.id).where(model.task_id == source.id).order_by(model.id))
        )
        for model in HISTORY
    }
    for model in HISTORY:
        session.execute(
            update(model).where(model.task_id == source.id).values(task_id=target.id),
            execution_options={"synchronize_session": "fetch"},
        )
    session.flush()
    session.delete(source)
    session.flush()
    overhead.refresh(session, ws.id, [target.id])  # the moved time in the target's hand-offs
    what = [k for k in changed if k in SETTINGS_TAKEN]
    changes.record(
        session,
        ws,
        member,
        "merge",
        ["merged ", changes.name(source_row["name"]), " into ", changes.name(target.name), " (",
         changes.count(len(numbers), "entry"), ")"],
        {"source": source_row, "target": changes.ref(target), "target_name": target.name,
         "entries": numbers, "before": before, "after": changes.fields(target, changed),
         "what": " and ".join(what), "source_quotes": source_quote_rows,
         "quotes_moved": quotes_moved, "history": history},
    )  # fmt: skip
    return Merged(
        source=source_row["name"],
        target=analysis.task_report(session, ws, target, today),
        entries=len(numbers),
        minutes=minutes,
        quotes_moved=tuple(q for p, q in source_quotes.items() if p not in target_quotes),
        quotes_dropped=tuple(
            (q, target_quotes[p]) for p, q in source_quotes.items() if p in target_quotes
        ),
        taken=tuple((k, str(getattr(target, k))) for k in SETTINGS_TAKEN if k in changed),
        currency=ws.currency,
    )


def _no_two_hand_offs(session: Session, source: Task, target: Task) -> None:
    active = session.scalars(
        select(Engagement).where(
            Engagement.task_id.in_([source.id, target.id]),
            Engagement.kind == "handoff",
            Engagement.ended_on.is_(None),
        )
    ).all()
    if {e.task_id for e in active} == {source.id, target.id}:
        raise UserError(
            f"“{source.name}” and “{target.name}” are both handed off: take one back first",
            command="merge",
        )


@dataclass(frozen=True)
class Deleted:
    name: str
    entries: int
    minutes: int
    members: int  # how many members had time on it
    quotes: tuple[TaskQuote, ...]  # its shortlist, gone with it
    currency: str


def delete_task(session: Session, scope: Scope, user_id: str, name: str, today: date) -> Deleted:
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task = _resolve(session, ws, name)
    _may_remove(session, task, member, "delete it")
    shortlist = analysis.task_report(session, ws, task, today).shortlist_quotes
    gone = list(
        session.scalars(select(Entry).where(Entry.task_id == task.id).order_by(Entry.number))
    )
    minutes = sum(e.minutes for e in gone)
    summary: list[str | changes.Part] = [
        "deleted the task ", changes.name(task.name), " (", changes.count(len(gone), "entry"),
    ]  # fmt: skip
    if minutes:
        summary += [", ", changes.minutes(minutes)]
    quote_rows = tasks.quotes_of(session, task)
    if len(quote_rows) == 1:
        summary += [", its quote ", changes.quote(quote_rows[0], ws.currency)]
    elif quote_rows:
        summary += [", ", changes.count(len(quote_rows), "quote")]
    summary.append(")")
    changes.record(
        session,
        ws,
        member,
        "delete task",
        summary,
        {
            "task": changes.row(task),
            "entries": [changes.row(e) for e in gone],
            "quotes": changes.quote_rows(session, task),
            "history": {
                model.__tablename__: [
                    changes.row(r)
                    for r in session.scalars(
                        select(model).where(model.task_id == task.id).order_by(model.id)
                    )
                ]
                for model in HISTORY
            },
        },
    )
    deleted = Deleted(
        task.name, len(gone), minutes, len({e.member_id for e in gone}), shortlist, ws.currency
    )
    for e in gone:
        session.delete(e)
    session.delete(task)
    session.flush()
    return deleted
