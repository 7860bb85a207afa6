"""Which entries are the owner's overhead: time logged on a task while it is handed off.

An entry is overhead when its day falls in one of its task's hand-offs: on or after the
day it started, and before the day it ended (``takeback``) if it has. ``Entry.overhead``
keeps that flag so the in-house aggregates can leave such time out; every change that can
move an entry into or out of a hand-off (logging, editing its day, handing off, taking back,
merging tasks, and undoing any of them) sets it again from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import Session

from bot.db.models import Engagement, Entry

HANDOFF = "handoff"
TRIAL = "trial"


def _covers(day: Any) -> ColumnElement[bool]:
    """A hand-off that ``day`` (a date, or the entry's day column) falls in."""
    return and_(
        Engagement.kind == HANDOFF,
        Engagement.started_on <= day,
        or_(Engagement.ended_on.is_(None), Engagement.ended_on > day),
    )


def covering(session: Session, workspace_id: int, task_id: int, day: date) -> Engagement | None:
    """The hand-off of the task that ``day`` falls in, if any (the latest started)."""
    return session.scalars(
        select(Engagement)
        .where(Engagement.workspace_id == workspace_id, Engagement.task_id == task_id, _covers(day))
        .order_by(Engagement.started_on.desc(), Engagement.id.desc())
        .limit(1)
    ).first()


def refresh(session: Session, workspace_id: int, task_ids: Iterable[int]) -> None:
    """Set ``Entry.overhead`` again on every entry of these tasks, from their hand-offs."""
    ids = sorted(set(task_ids))
    if not ids:
        return
    session.flush()
    in_handoff = exists().where(
        Engagement.workspace_id == Entry.workspace_id,
        Engagement.task_id == Entry.task_id,
        _covers(Entry.day),
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
