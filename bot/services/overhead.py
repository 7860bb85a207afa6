"""Which entries are the owner's overhead: time logged on a task while it is handed off.

An entry is overhead when its day falls in one of its task's hand-offs: on or after the
day it started, and before the day it ended (``takeback``) if it has. On the day it started,
only time logged after the hand-off was made: what was logged before it is the in-house work
the hand-off's baseline was frozen from, so counting it as overhead too would count it twice. ``Entry.overhead``
keeps that flag so the in-house aggregates can leave such time out; every change that can
move an entry into or out of a hand-off (logging, editing its day, handing off, taking back,
merging tasks, and undoing any of them) sets it again from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Select,
    and_,
    bindparam,
    exists,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.db.base import UTCDateTime
from bot.db.models import Engagement, Entry

HANDOFF = "handoff"
TRIAL = "trial"


def _covers(day: Any, logged_at: Any = None) -> ColumnElement[bool]:
    """A hand-off that an entry of ``day`` (a date, or the entry's day column) logged at
    ``logged_at`` (None: now, after every hand-off made so far) falls in."""
    started = Engagement.started_on <= day
    if logged_at is not None:
        started = or_(
            Engagement.started_on < day,
            and_(Engagement.started_on == day, Engagement.created_at <= logged_at),
        )
    return and_(
        Engagement.kind == HANDOFF,
        started,
        or_(Engagement.ended_on.is_(None), Engagement.ended_on > day),
    )


def covering(
    session: Session,
    workspace_id: int,
    task_id: int,
    day: date,
    logged_at: datetime | None = None,
) -> Engagement | None:
    """The hand-off of the task that an entry of ``day`` falls in, if any (the latest
    started); ``logged_at``: when the entry was logged, for one already there (None: now)."""
    params = {"ws": workspace_id, "task": task_id, "day": day}
    if logged_at is None:
        return session.scalars(_COVERING_NOW, params).first()
    return session.scalars(_COVERING_AT, {**params, "logged_at": logged_at}).first()


def _covering(logged_at: Any) -> Select[Engagement]:
    return (
        select(Engagement)
        .where(
            Engagement.workspace_id == bindparam("ws"),
            Engagement.task_id == bindparam("task"),
            _covers(bindparam("day", type_=Date), logged_at),
        )
        .order_by(Engagement.started_on.desc(), Engagement.id.desc())
        .limit(1)
    )


# Built once, with bound parameters: every log asks (see bot.services.workspaces._lookup).
_COVERING_NOW = _covering(None)
_COVERING_AT = _covering(bindparam("logged_at", type_=UTCDateTime()))  # the column's own type


def refresh(session: Session, workspace_id: int, task_ids: Iterable[int]) -> None:
    """Set ``Entry.overhead`` again on every entry of these tasks, from their hand-offs."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    session.flush()
    in_handoff = exists().where(
        Engagement.workspace_id == Entry.workspace_id,
        Engagement.task_id == Entry.task_id,
        _covers(Entry.day, Entry.created_at),
    )
    session.execute(
        update(Entry)
        .where(Entry.workspace_id == workspace_id, Entry.task_id.in_(ids))
        .values(overhead=in_handoff)
        .execution_options(synchronize_session=False)
    )
    for obj in list(session.identity_map.values()):
        if isinstance(obj, Entry) and obj.task_id in ids:
            session.expire(obj, ["overhead"])
