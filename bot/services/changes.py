"""Undo: every change a member makes is recorded with what it takes to put things back.

A change is one row of ``change_log``: its kind, who made it and when, a summary for the
reply, and a JSON state. A service records its change with one call to ``record`` in the
same transaction as the change; each kind has one restore function, listed in ``RESTORE``.

The summary is a list of parts (text, a task name, minutes, a day, an amount…) that the
view renders in the member's calendar, escaping what members typed. The state holds the
state before the change and the state it left: a restore first checks that what the change
left is still there, and refuses (``Conflict``) rather than overwrite a later change by
someone else. A restore runs in a savepoint, so a refusal writes nothing.

Undo is per member (mine never undoes yours), newest first. At least the newest
``KEEP_COUNT`` changes of each member, and all of the last ``KEEP_FOR``, are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Delete, bindparam, delete, func, insert, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from bot.db.base import Base, utcnow
from bot.db.models import (
    ChangeRecord,
    Engagement,
    Entry,
    Member,
    Payment,
    Provider,
    Review,
    Task,
    TaskQuote,
    Workspace,
)
from bot.services import overhead

KEEP_COUNT = 20
KEEP_FOR = timedelta(days=7)
ASK_AFTER = timedelta(days=1)  # undoing an older change asks first

Part = dict[str, Any]
State = dict[str, Any]
M = TypeVar("M", bound=Base)

# ---- the parts of a summary ---------------------------------------------------------------


def name(text: str) -> Part:
    """A task's name (shown in bold, escaped)."""
    return {"name": text}


def value(text: str) -> Part:
    """Other text a member typed or chose: a category, a frequency (shown escaped)."""
    return {"value": text}


def minutes(n: int) -> Part:
    return {"minutes": n}


def day(d: date) -> Part:
    return {"day": d.isoformat()}


def entry(number: int) -> Part:
    return {"entry": number}


def money(minor: int | None, currency: str, per: str = "") -> Part:
    """An amount in minor units (None: not set); ``per`` is what it is per ("hour")."""
    return {"money": minor, "currency": currency, "per": per}


def quote(q: TaskQuote | None, currency: str) -> Part:
    """One quote on a task's shortlist (or none)."""
    if q is None:
        return {"quote": None}
    return {
        "quote": q.amount_minor,
        "unit": q.unit,
        "per": q.per,
        "provider": q.provider.name if q.provider is not None else None,
        "currency": currency,
    }


def provider(text: str) -> Part:
    """A provider's name (shown escaped, like other text members typed)."""
    return {"value": text}


def percent(bp: int) -> Part:
    return {"percent": bp}


def count(n: int, noun: str) -> Part:
    """``3 entries``: the plural is the view's."""
    return {"count": n, "noun": noun}


def _parts(summary: Iterable[str | Part]) -> list[Part]:
    return [{"text": p} if isinstance(p, str) else p for p in summary]


# ---- rows as JSON -------------------------------------------------------------------------


def _json(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v  # datetime is a date too


def fields(obj: Base, names: Iterable[str]) -> State:
    """Some columns of a row, JSON-ready."""
    return {n: _json(getattr(obj, n)) for n in names}


def row(obj: Base) -> State:
    """Every column of a row, JSON-ready."""
    return fields(obj, (a.key for a in inspect(type(obj)).column_attrs))


def _python_type(model: type[Base], key: str) -> type | None:
    column_type = inspect(model).column_attrs[key].columns[0].type
    if isinstance(column_type, TypeDecorator):  # UTCDateTime: the type under it says datetime
        column_type = column_type.impl_instance
    try:
        t: type = column_type.python_type
    except NotImplementedError:
        return None
    return t


def _decoded(model: type[Base], data: State) -> State:
    out = {}
    for key, v in data.items():
        t = _python_type(model, key)
        if isinstance(v, str) and t is datetime:
            v = datetime.fromisoformat(v)
        elif isinstance(v, str) and t is date:
            v = date.fromisoformat(v)
        out[key] = v
    return out


def assign(obj: Base, data: State) -> None:
    """Set the columns in ``data`` (from ``fields``) back on ``obj``."""
    for key, v in _decoded(type(obj), data).items():
        setattr(obj, key, v)


def rebuilt(model: type[M], data: State, *, drop: Sequence[str] = ()) -> M:
    """A new row from ``row``'s JSON; columns added since it was saved keep their defaults."""
    known = {a.key for a in inspect(model).column_attrs}
    kept = {k: v for k, v in data.items() if k in known and k not in drop}
    return model(**_decoded(model, kept))


def ref(task: Task) -> State:
    """Which task: its id and when it was made (SQLite may give a deleted task's id again)."""
    return {"id": task.id, "created_at": _json(task.created_at)}


# ---- recording ----------------------------------------------------------------------------


def record(
    session: Session,
    ws: Workspace,
    member: Member,
    kind: str,
    summary: Iterable[str | Part],
    state: State,
) -> None:
    """Keep a change ``member`` just made so they can undo it; ``kind`` names its restore."""
    if kind not in RESTORE:
        raise ValueError(f"no restore for changes of kind {kind!r}")
    now = utcnow()
    # A Core INSERT: nothing reads the record back in this session, and the ORM's unit of
    # work cost more than the INSERT itself on every log.
    session.connection().execute(
        _INSERT,
        {
            "workspace_id": ws.id,
            "member_id": member.id,
            "kind": kind,
            "summary": _parts(summary),
            "state": state,
            "created_at": now,
        },
    )
    _prune(session, ws, member, now)


_INSERT = insert(ChangeRecord)


def _prune_statement() -> Delete:
    """The DELETE of ``_prune``, built once: it runs after every change (every log), and
    building a statement with a subquery costs more than SQLite takes to run it."""
    mine = (
        ChangeRecord.workspace_id == bindparam("workspace_id"),
        ChangeRecord.member_id == bindparam("member_id"),
    )
    beyond = (
        select(ChangeRecord.id)
        .where(*mine)
        .order_by(ChangeRecord.created_at.desc(), ChangeRecord.id.desc())
        .offset(KEEP_COUNT)
        .scalar_subquery()
    )
    # No session synchronisation: the ORM would otherwise evaluate the condition against
    # every ChangeRecord in the session, on every log, and no caller holds pruned ones.
    return (
        delete(ChangeRecord)
        .where(*mine, ChangeRecord.created_at < bindparam("cutoff"), ChangeRecord.id.in_(beyond))
        .execution_options(synchronize_session=False)
    )


_PRUNE = _prune_statement()


def _prune(session: Session, ws: Workspace, member: Member, now: datetime) -> None:
    """Drop the member's changes that are both past their newest KEEP_COUNT and KEEP_FOR old."""
    session.execute(
        _PRUNE, {"workspace_id": ws.id, "member_id": member.id, "cutoff": now - KEEP_FOR}
    )


# ---- undoing ------------------------------------------------------------------------------


class Conflict(Exception):
    """The state has moved on since the change: undoing it would overwrite a later one."""

    def __init__(self, *reason: str | Part) -> None:
        super().__init__("conflict")
        self.reason = _parts(reason)


@dataclass(frozen=True)
class Undone:
    summary: list[Part]
    made_at: datetime


@dataclass(frozen=True)
class AskFirst:
    """The change is older than ASK_AFTER: the member confirms before it is undone."""

    summary: list[Part]
    made_at: datetime


@dataclass(frozen=True)
class Refused:
    """Undoing it would overwrite a later change; it is dropped from the member's list."""

    summary: list[Part]
    made_at: datetime
    reason: list[Part]


@dataclass(frozen=True)
class NothingToUndo:
    pass


UndoOutcome = Undone | AskFirst | Refused | NothingToUndo


def undo(session: Session, ws: Workspace, member: Member, *, confirm: bool = False) -> UndoOutcome:
    """Undo the member's newest change, unless it is older than a day and not ``confirm``."""
    latest = session.scalars(
        select(ChangeRecord)
        .where(ChangeRecord.workspace_id == ws.id, ChangeRecord.member_id == member.id)
        .order_by(ChangeRecord.created_at.desc(), ChangeRecord.id.desc())
        .limit(1)
        .with_for_update()
    ).first()
    if latest is None:
        return NothingToUndo()
    summary, made_at = list(latest.summary), latest.created_at
    if not confirm and utcnow() - made_at > ASK_AFTER:
        return AskFirst(summary, made_at)
    try:
        with session.begin_nested():
            RESTORE[latest.kind](session, ws, latest.state)
            session.flush()
    except Conflict as e:
        session.delete(latest)
        return Refused(summary, made_at, e.reason)
    session.delete(latest)
    return Undone(summary, made_at)


# ---- finding what a change touched --------------------------------------------------------


def find_task(session: Session, ws: Workspace, task_ref: State) -> Task | None:
    """The task ``ref`` names, if it still exists (the same one, not a new one on its id)."""
    task = session.get(Task, task_ref["id"], with_for_update=True)
    if task is None or task.workspace_id != ws.id:
        return None
    return task if _json(task.created_at) == task_ref["created_at"] else None


def find_entry(session: Session, ws: Workspace, number: int) -> Entry | None:
    return session.scalars(
        select(Entry)
        .where(Entry.workspace_id == ws.id, Entry.number == number)
        .with_for_update(of=Entry)
    ).first()


def task_called(session: Session, ws: Workspace, key: str) -> Task | None:
    return session.scalars(select(Task).where(Task.workspace_id == ws.id, Task.key == key)).first()


def entry_count(session: Session, task: Task) -> int:
    return session.scalar(select(func.count(Entry.id)).where(Entry.task_id == task.id)) or 0


def _task_gone(task_name: str) -> Conflict:
    return Conflict("the task ", name(task_name), " has been deleted or merged away since")


def _changed_since(task: Task, what: str) -> Conflict:
    return Conflict(f"the {what} of ", name(task.name), " has been changed since")


def _put_task_back(session: Session, ws: Workspace, data: State) -> Task:
    """A deleted task again, on its old id where that is free."""
    if task_called(session, ws, data["key"]) is not None:
        raise Conflict(
            "there is a task called ", name(data["name"]), " again — rename or merge it first"
        )
    taken = session.get(Task, data["id"]) is not None
    task = rebuilt(Task, data, drop=("id",) if taken else ())
    session.add(task)
    session.flush()
    return task


def _put_entries_back(session: Session, ws: Workspace, task: Task, rows: list[State]) -> None:
    for data in rows:
        if find_entry(session, ws, data["number"]) is not None:
            raise Conflict("entry ", entry(data["number"]), " is already back")
        e = rebuilt(Entry, data, drop=("id",))
        e.task_id = task.id
        e.overhead = overhead.covering(session, ws.id, task.id, e.day, e.created_at) is not None
        session.add(e)


def quote_rows(session: Session, task: Task) -> list[State]:
    """A task's shortlist as JSON rows, by id: what a quote change keeps to undo it."""
    return [
        row(q)
        for q in session.scalars(
            select(TaskQuote).where(TaskQuote.task_id == task.id).order_by(TaskQuote.id)
        )
    ]


def put_quotes_back(session: Session, task: Task, rows: list[State]) -> None:
    """Make ``task``'s shortlist ``rows`` again, keeping the ids of the quotes still there."""
    current = {
        q.id: q for q in session.scalars(select(TaskQuote).where(TaskQuote.task_id == task.id))
    }
    wanted = {data["id"] for data in rows}
    for quote_id, q in current.items():
        if quote_id not in wanted:
            session.delete(q)
    session.flush()
    for data in rows:
        if data["id"] in current:
            assign(current[data["id"]], {k: v for k, v in data.items() if k != "id"})
            continue
        taken = session.get(TaskQuote, data["id"]) is not None
        q = rebuilt(TaskQuote, data, drop=("id",) if taken else ())
        q.task_id = task.id
        session.add(q)
    session.flush()


def provider_in_use(session: Session, provider_id: int) -> bool:
    """Whether anything still refers to the provider (a quote, a trial or hand-off…)."""
    return any(
        session.scalar(select(func.count()).where(col == provider_id))
        for col in (
            TaskQuote.provider_id,
            Engagement.provider_id,
            Review.provider_id,
            Payment.provider_id,
        )
    )


def drop_unused_providers(session: Session, ws: Workspace, made: Iterable[State]) -> None:
    """The providers a change made go with it, unless something refers to them since."""
    for data in made:
        p = session.get(Provider, data["id"])
        if p is None or p.workspace_id != ws.id or row(p) != data:
            continue
        if not provider_in_use(session, p.id):
            session.delete(p)


def _has_history(session: Session, task: Task) -> bool:
    """Time logged on it, or a trial or hand-off: deleting it would lose them."""
    return entry_count(session, task) > 0 or bool(
        session.scalar(select(func.count()).where(Engagement.task_id == task.id))
    )


def _before_shortlists(state: State) -> bool:
    """A change recorded before quotes moved to the shortlist table (migration 0009)."""
    return any(k.startswith("quote_") for k in (*state.get("after", {}), *state.get("before", {})))


_OLD_FORMAT = "it was made before quotes became shortlists"


# ---- one restore function per kind of change ----------------------------------------------


def _restore_log(session: Session, ws: Workspace, state: State) -> None:
    """A log line: its entry goes; the settings it changed go back; a task it made goes."""
    logged = state["entry"]
    e = find_entry(session, ws, logged["number"])
    if e is None:
        raise Conflict("entry ", entry(logged["number"]), " has been deleted since")
    if fields(e, ("minutes", "day")) != {"minutes": logged["minutes"], "day": logged["day"]}:
        raise Conflict("entry ", entry(logged["number"]), " has been edited since")
    task = find_task(session, ws, state["task"])
    if state["after"]:
        if task is None:
            raise _task_gone(state["task_name"])
        if fields(task, state["after"]) != state["after"]:
            raise _changed_since(task, " and ".join(state["after"]))
        assign(task, state["before"])
    session.delete(e)
    session.flush()
    made = state["created"]
    # The task this line created goes too, unless someone has logged on it or set it up since.
    if (
        made is not None
        and task is not None
        and entry_count(session, task) == 0
        and row(task) == made
    ):
        session.delete(task)


def _restore_entry_edit(session: Session, ws: Workspace, state: State) -> None:
    e = find_entry(session, ws, state["number"])
    if e is None:
        raise Conflict("entry ", entry(state["number"]), " has been deleted since")
    if fields(e, state["after"]) != state["after"]:
        raise Conflict("entry ", entry(state["number"]), " has been edited again since")
    assign(e, state["before"])
    e.overhead = overhead.covering(session, ws.id, e.task_id, e.day, e.created_at) is not None


def _restore_entry_delete(session: Session, ws: Workspace, state: State) -> None:
    task = find_task(session, ws, state["task"])
    if task is None:
        raise _task_gone(state["task_name"])
    _put_entries_back(session, ws, task, [state["entry"]])


def _restore_rename(session: Session, ws: Workspace, state: State) -> None:
    before, after = state["before"], state["after"]
    task = find_task(session, ws, state["task"])
    if task is None:
        raise _task_gone(after["name"])
    if task.name != after["name"]:
        raise Conflict(name(after["name"]), " has been renamed to ", name(task.name), " since")
    other = task_called(session, ws, before["key"])
    if other is not None and other.id != task.id:
        raise Conflict("there is a task called ", name(other.name), " again — rename or merge it")
    assign(task, before)


def _restore_merge(session: Session, ws: Workspace, state: State) -> None:
    """The merged-away task comes back with the entries that moved and are still there."""
    if _before_shortlists(state):
        raise Conflict(_OLD_FORMAT)
    target = find_task(session, ws, state["target"])
    if target is None:
        raise _task_gone(state["target_name"])
    if fields(target, state["after"]) != state["after"]:
        raise _changed_since(target, state["what"])
    source = _put_task_back(session, ws, state["source"])
    numbers = state["entries"]
    if numbers:
        for e in session.scalars(
            select(Entry).where(
                Entry.workspace_id == ws.id,
                Entry.task_id == target.id,
                Entry.number.in_(numbers),
            )
        ):
            e.task = source
    _take_back(session, target, source, TaskQuote, state.get("quotes_moved", []))
    for model in _HISTORY:
        _take_back(
            session, target, source, model, state.get("history", {}).get(model.__tablename__, [])
        )
    session.flush()
    # The quotes the target kept its own over come back as they were.
    moved = set(state.get("quotes_moved", []))
    dropped = [q for q in state.get("source_quotes", []) if q["id"] not in moved]
    _rebuild_rows(session, TaskQuote, source, dropped)
    assign(target, state["before"])
    session.flush()
    overhead.refresh(session, ws.id, [source.id, target.id])


_HISTORY = (Engagement, Review, Payment)


def _take_back(
    session: Session, target: Task, source: Task, model: type[Any], ids: Sequence[int]
) -> None:
    """The rows a merge moved from ``source`` to ``target`` that are still there go back."""
    if ids:
        for r in session.scalars(
            select(model).where(model.task_id == target.id, model.id.in_(ids))
        ):
            r.task_id = source.id


def _rebuild_rows(
    session: Session, model: type[M], task: Task, rows: list[State]
) -> dict[int, int]:
    """Deleted rows of ``task`` again, on their old ids where free: old id → id now."""
    ids = {}
    for data in rows:
        taken = session.get(model, data["id"]) is not None
        obj = rebuilt(model, data, drop=("id",) if taken else ())
        obj.task_id = task.id  # type: ignore[attr-defined]
        session.add(obj)
        session.flush()
        ids[data["id"]] = obj.id  # type: ignore[attr-defined]
    return ids


def _restore_task_delete(session: Session, ws: Workspace, state: State) -> None:
    task = _put_task_back(session, ws, state["task"])
    _put_entries_back(session, ws, task, state["entries"])
    _rebuild_rows(session, TaskQuote, task, state.get("quotes", []))
    history = state.get("history", {})
    engagements = _rebuild_rows(session, Engagement, task, history.get("engagement", []))
    for model in (Review, Payment):
        rows = [
            {**r, "engagement_id": engagements.get(r["engagement_id"], r["engagement_id"])}
            if r.get("engagement_id") is not None
            else r
            for r in history.get(model.__tablename__, [])
        ]
        _rebuild_rows(session, model, task, rows)
    # The entries went back before the hand-offs they fall in: flag them now.
    overhead.refresh(session, ws.id, [task.id])


def _restore_quotes(session: Session, ws: Workspace, state: State) -> None:
    """A task's shortlist (and the frequency a lump sum set) back as it was; the task and the
    providers the change made go, unless used since."""
    if "quotes_after" not in state:
        raise Conflict(_OLD_FORMAT)
    task = find_task(session, ws, state["task"])
    if task is None:
        raise _task_gone(state["task_name"])
    if fields(task, state["after"]) != state["after"]:
        raise _changed_since(task, " and ".join(state["after"]))
    if quote_rows(session, task) != state["quotes_after"]:
        raise Conflict("the quotes on ", name(task.name), " have been changed since")
    made = state["created"]
    put_quotes_back(session, task, state["quotes_before"])
    if made is not None and row(task) == made and not _has_history(session, task):
        session.delete(task)
        session.flush()
    else:
        assign(task, state["before"])
    drop_unused_providers(session, ws, state.get("providers_made", []))


def _restore_task_fields(session: Session, ws: Workspace, state: State) -> None:
    """A setting (estimate, frequency, category, core) back as it was; a task it made goes."""
    task = find_task(session, ws, state["task"])
    if task is None:
        raise _task_gone(state["task_name"])
    if fields(task, state["after"]) != state["after"]:
        raise _changed_since(task, state["what"])
    made = state["created"]
    if made is not None and row(task) == made and entry_count(session, task) == 0:
        session.delete(task)
        return
    assign(task, state["before"])


def _locked(session: Session, model: type[M], row_id: int) -> M | None:
    """The row, locked: only its own table's row (PostgreSQL locks no outer-joined provider)."""
    return session.scalars(
        select(model).where(model.id == row_id).with_for_update(of=model)  # type: ignore[attr-defined]
    ).first()


def _restore_trial(session: Session, ws: Workspace, state: State) -> None:
    """A trial goes, unless it has changed (ended, become a hand-off) or been reviewed since."""
    data = state["engagement"]
    e = _locked(session, Engagement, data["id"])
    if e is None or e.workspace_id != ws.id or row(e) != data:
        raise Conflict("the trial on ", name(state["task_name"]), " has changed since")
    for model in (Review, Payment):
        if session.scalar(select(func.count()).where(model.engagement_id == e.id)):
            raise Conflict("the trial on ", name(state["task_name"]), " has been reviewed since")
    session.delete(e)
    session.flush()
    drop_unused_providers(session, ws, state.get("providers_made", []))


def _restore_review(session: Session, ws: Workspace, state: State) -> None:
    data = state["review"]
    r = session.get(Review, data["id"], with_for_update=True)
    if r is None or r.workspace_id != ws.id or row(r) != data:
        raise Conflict("that review has been deleted since")
    session.delete(r)


def _restore_member_fields(session: Session, ws: Workspace, state: State) -> None:
    m = session.get(Member, state["member"], with_for_update=True)
    if m is None or m.workspace_id != ws.id:
        raise Conflict("that member is no longer in this workspace")
    if fields(m, state["after"]) != state["after"]:
        raise Conflict(f"the {state['what']} has been changed since")
    assign(m, state["before"])


def _restore_workspace_fields(session: Session, ws: Workspace, state: State) -> None:
    session.refresh(ws, with_for_update=True)
    if fields(ws, state["after"]) != state["after"]:
        raise Conflict(f"the {state['what']} has been changed since")
    assign(ws, state["before"])


def _restore_currency(session: Session, ws: Workspace, state: State) -> None:
    """The old currency, and the old numbers of what the switch rescaled: rates, quotes,
    payments and hand-offs' baselines."""
    _restore_workspace_fields(session, ws, state)
    for member_id, old, new in state["rates"]:
        m = session.get(Member, member_id, with_for_update=True)
        if m is None or m.workspace_id != ws.id:
            continue
        if m.rate_minor != new:
            raise Conflict("an hourly worth has been set since")
        m.rate_minor = old
    for quote_id, task_name, old, new in state["quotes"]:
        if isinstance(quote_id, dict):
            raise Conflict(_OLD_FORMAT)
        q = _locked(session, TaskQuote, quote_id)
        if q is None or q.workspace_id != ws.id:
            continue
        if q.amount_minor != new:
            raise Conflict("a quote on ", name(task_name), " has been changed since")
        q.amount_minor = old
    for payment_id, old, new in state.get("paid", []):
        p = session.get(Payment, payment_id, with_for_update=True)
        if p is None or p.workspace_id != ws.id:
            continue
        if p.amount_minor != new:
            raise Conflict("a payment has been changed since")
        p.amount_minor = old
    for engagement_id, old_fields, new_fields in state.get("baselines", []):
        e = session.get(Engagement, engagement_id, with_for_update=True)
        if e is None or e.workspace_id != ws.id:
            continue
        for field, value in old_fields.items():
            if getattr(e, field) != new_fields[field]:
                raise Conflict("a hand-off's baseline has changed since")
            setattr(e, field, value)


# Hand-offs (bot/services/handoffs.py): a hand-off, a payment, a takeback.


def _restore_handoff(session: Session, ws: Workspace, state: State) -> None:
    e = session.get(Engagement, state["engagement"], with_for_update=True)
    if e is None or e.workspace_id != ws.id:
        raise Conflict("that hand-off has been removed since")
    if e.ended_on is not None:
        raise Conflict("the hand-off of ", name(state["task_name"]), " has been ended since")
    later = session.scalar(
        select(func.count(Payment.id)).where(Payment.engagement_id == e.id)
    ) or session.scalar(select(func.count(Review.id)).where(Review.engagement_id == e.id))
    if later:
        raise Conflict(
            "payments or reviews were recorded on the hand-off of ",
            name(state["task_name"]),
            " since — undo them first",
        )
    for e_id, ended_on in state["ended"]:
        other = session.get(Engagement, e_id, with_for_update=True)
        if other is None:
            continue
        if fields(other, ("ended_on",))["ended_on"] != e.started_on.isoformat():
            raise Conflict("a trial or hand-off of ", name(state["task_name"]),
                                   " has changed since")  # fmt: skip
        other.ended_on = date.fromisoformat(ended_on) if ended_on else None
    task_id = e.task_id
    session.delete(e)
    session.flush()
    overhead.refresh(session, ws.id, [task_id])


def _restore_paid(session: Session, ws: Workspace, state: State) -> None:
    p = session.get(Payment, state["payment"]["id"], with_for_update=True)
    if p is None or p.workspace_id != ws.id:
        raise Conflict("that payment has been removed since")
    session.delete(p)


def _restore_takeback(session: Session, ws: Workspace, state: State) -> None:
    e = session.get(Engagement, state["engagement"], with_for_update=True)
    if e is None or e.workspace_id != ws.id:
        raise Conflict("that hand-off has been removed since")
    if e.ended_on is None or e.ended_on.isoformat() != state["ended_on"]:
        raise Conflict("the hand-off of ", name(state["task_name"]), " has changed since")
    again = session.scalar(
        select(func.count(Engagement.id)).where(
            Engagement.task_id == e.task_id,
            Engagement.kind == overhead.HANDOFF,
            Engagement.ended_on.is_(None),
        )
    )
    if again:
        raise Conflict(name(state["task_name"]), " has been handed off again since")
    e.ended_on = None
    session.flush()
    overhead.refresh(session, ws.id, [e.task_id])


RESTORE: dict[str, Callable[[Session, Workspace, State], None]] = {
    "log": _restore_log,
    "edit": _restore_entry_edit,
    "delete": _restore_entry_delete,
    "rename": _restore_rename,
    "merge": _restore_merge,
    "delete task": _restore_task_delete,
    "quote": _restore_quotes,
    "trial": _restore_trial,
    "review": _restore_review,
    "estimate": _restore_task_fields,
    "frequency": _restore_task_fields,
    "category": _restore_task_fields,
    "core": _restore_task_fields,
    "rate": _restore_member_fields,
    "overhead": _restore_workspace_fields,
    "currency": _restore_currency,
    "handoff": _restore_handoff,
    "paid": _restore_paid,
    "takeback": _restore_takeback,
}
