"""Time entries by their number (#12): numbering, editing and deleting one.

Numbers count up per workspace and are never given out twice, so a number someone saw in
their history always means the same entry. Only an entry's author or a workspace admin
(or owner) may change it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from bot.db.models import Entry, Member, Workspace
from bot.errors import UserError
from bot.services import analysis, changes, overhead, workspaces
from bot.services.analysis import TaskReport
from bot.services.scope import Scope


def next_number(session: Session, ws: Workspace) -> int:
    """The next entry number in ``ws``; the workspace row's lock (on SQLite, the database's
    write lock) makes concurrent loggers take turns until their transaction ends.

    Tried and measured on PostgreSQL: taking the number in a transaction of its own, committed
    at once, so the row is locked for one statement. The lock waits went (sampled in
    pg_stat_activity under 16 concurrent logs: 1,124 of ~1,900 samples waiting on this
    UPDATE), but on a machine whose cores were already busy the logs then competed with the
    acks for them: the burst's ack p99 rose from 31–41 ms to 49–58 ms for no throughput beyond
    the benchmark's noise, and a failed log would have left a gap in the numbers. So the
    number is taken here, as late as the log can take it (tasks.save_log).
    """
    number = session.scalar(_NEXT_NUMBER, {"ws": ws.id})
    assert number is not None
    return number


# Built once, with a bound parameter: every log takes a number.
_NEXT_NUMBER = (
    update(Workspace)
    .where(Workspace.id == bindparam("ws"))
    .values(last_entry_number=Workspace.last_entry_number + 1)
    .returning(Workspace.last_entry_number)  # one statement (SQLite ≥ 3.35, PostgreSQL)
    .execution_options(synchronize_session=False)
)


@dataclass(frozen=True)
class EntryChange:
    """An entry as it was and as it is now; ``author`` is set when it is someone else's."""

    number: int
    task: str
    minutes_before: int
    day_before: date
    minutes: int
    day: date
    author: str | None
    report: TaskReport | None  # the task's verdict after the change
    currency: str


def _entry_for_change(session: Session, ws: Workspace, member: Member, number: int) -> Entry:
    e = changes.find_entry(session, ws, number)
    if e is None:
        raise UserError(
            f"there is no entry #{number} in this workspace — your history lists yours "
            "with their numbers",
            command="history",
        )
    if e.member_id != member.id and not member.is_admin:
        raise UserError(
            f"#{number} is {_author(session, e)}'s entry: only they or a workspace admin "
            "can change it",
            command="history",
        )
    return e


def _author(session: Session, e: Entry) -> str:
    author = session.get(Member, e.member_id)
    return (author.display_name if author else None) or "another member"


def edit_entry(
    session: Session,
    scope: Scope,
    user_id: str,
    number: int,
    minutes: int | None,
    day: date | None,
    today: date,
) -> EntryChange:
    """Give entry #``number`` new minutes, a new day, or both (None: keep it)."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    e = _entry_for_change(session, ws, member, number)
    before = changes.fields(e, ("minutes", "day"))
    old_minutes, old_day = e.minutes, e.day
    if minutes is not None:
        e.minutes = minutes
    if day is not None:
        e.day = day
        # A day moved into or out of a hand-off makes the entry overhead, or in-house again.
        e.overhead = overhead.covering(session, ws.id, e.task_id, e.day, e.created_at) is not None
    after = changes.fields(e, ("minutes", "day"))
    if after == before:
        raise UserError(f"#{number} already has that time and day — nothing to change")
    session.flush()
    summary: list[str | changes.Part] = [
        "edited ",
        changes.entry(number),
        " ",
        changes.name(e.task.name),
        ": ",
    ]
    if after["minutes"] != before["minutes"]:
        summary += [changes.minutes(old_minutes), " → ", changes.minutes(e.minutes)]
    if after["day"] != before["day"]:
        if after["minutes"] != before["minutes"]:
            summary.append(", ")
        summary += [changes.day(old_day), " → ", changes.day(e.day)]
    changes.record(
        session, ws, member, "edit", summary, {"number": number, "before": before, "after": after}
    )
    return EntryChange(
        number,
        e.task.name,
        old_minutes,
        old_day,
        e.minutes,
        e.day,
        None if e.member_id == member.id else _author(session, e),
        analysis.task_report(session, ws, e.task, today),
        ws.currency,
    )


def delete_entry(
    session: Session, scope: Scope, user_id: str, number: int, today: date
) -> EntryChange:
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    e = _entry_for_change(session, ws, member, number)
    task = e.task
    changes.record(
        session,
        ws,
        member,
        "delete",
        ["deleted ", changes.entry(number), ": ", changes.minutes(e.minutes), " on ",
         changes.name(task.name), " for ", changes.day(e.day)],
        {"entry": changes.row(e), "task": changes.ref(task), "task_name": task.name},
    )  # fmt: skip
    gone = EntryChange(
        number,
        task.name,
        e.minutes,
        e.day,
        e.minutes,
        e.day,
        None if e.member_id == member.id else _author(session, e),
        None,
        ws.currency,
    )
    session.delete(e)
    session.flush()
    return replace(gone, report=analysis.task_report(session, ws, task, today))
