"""A member's weekly reminder to log their time: its setting, the exactly-once claim, its content.

Exactly once, as the digest: a due reminder is claimed by inserting the (reminder, scheduled
instant) row of ``reminder_run`` — unique, so only one process's insert commits — in the
same transaction that moves ``next_run_at`` on with a compare-and-set. Only the claimant
sends it. A reminder has no lease: one that a dying process claimed is not sent again (a
missed nudge costs less than a doubled one, and next week's comes anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Entry, Reminder, ReminderRun, Workspace
from bot.periods import Period, days
from bot.services import workspaces
from bot.services.scope import Scope
from bot.weekly import Weekdays

# A reminder more than this late (no scheduler ran) is skipped: "log this week's time" on
# the wrong day is noise.
CATCH_UP = timedelta(hours=12)


@dataclass(frozen=True)
class Setting:
    weekdays: tuple[int, ...]
    local_time: str
    timezone: str
    next_run_at: datetime
    enabled: bool


def rule(r: Reminder) -> Weekdays:
    hh, mm = r.local_time.split(":")
    weekdays = tuple(int(d) for d in r.weekdays.split(","))
    return Weekdays(weekdays, time(int(hh), int(mm)), ZoneInfo(r.timezone))


def _setting(r: Reminder) -> Setting:
    return Setting(rule(r).weekdays, r.local_time, r.timezone, r.next_run_at, r.enabled)


def _reminder_of(session: Session, scope: Scope, user_id: str) -> Reminder | None:
    me = workspaces.member(session, scope, user_id)
    return session.scalars(
        select(Reminder).where(
            Reminder.workspace_id == me.workspace_id, Reminder.member_id == me.id
        )
    ).first()


def current(session: Session, scope: Scope, user_id: str) -> Setting | None:
    r = _reminder_of(session, scope, user_id)
    return None if r is None else _setting(r)


def configure(
    session: Session,
    scope: Scope,
    user_id: str,
    weekdays: tuple[int, ...],
    at: time,
    tz: str,
    now: datetime,
) -> Setting:
    me = workspaces.member(session, scope, user_id)
    r = _reminder_of(session, scope, user_id)
    if r is None:
        r = Reminder(workspace_id=me.workspace_id, member_id=me.id, user_id=user_id)
        session.add(r)
    r.weekdays = ",".join(str(d) for d in sorted(set(weekdays)))
    r.local_time = at.strftime("%H:%M")
    r.timezone = tz
    r.next_run_at = Weekdays(tuple(sorted(set(weekdays))), at, ZoneInfo(tz)).next_after(now)
    r.enabled = True
    session.flush()
    return _setting(r)


def turn_off(session: Session, scope: Scope, user_id: str) -> Setting | None:
    r = _reminder_of(session, scope, user_id)
    if r is None:
        return None
    r.enabled = False
    return _setting(r)


@dataclass(frozen=True)
class Due:
    """A reminder this process holds the claim to send."""

    run_id: int
    scope: Scope
    workspace_id: int
    member_id: int
    user_id: str
    timezone: str
    scheduled_for: datetime


def claim_due(session: Session, now: datetime, claimant: str) -> tuple[list[Due], list[str]]:
    """Claim every reminder due at ``now``; returns what to send and notes on what was skipped.

    Missed slots collapse into the latest; one more than CATCH_UP late is skipped. Either way
    the reminder moves to its next slot after ``now``.
    """
    due, skipped = [], []
    for r in session.scalars(
        select(Reminder).where(Reminder.enabled.is_(True), Reminder.next_run_at <= now)
    ).all():
        weekdays = rule(r)
        latest = weekdays.latest_at_or_before(now)
        moved = session.execute(
            update(Reminder)
            .where(Reminder.id == r.id, Reminder.next_run_at == r.next_run_at)
            .values(next_run_at=weekdays.next_after(now))
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], moved).rowcount != 1:
            continue  # another scheduler moved it first: theirs to send
        late = now - latest
        run = ReminderRun(
            workspace_id=r.workspace_id,
            reminder_id=r.id,
            scheduled_for=latest,
            status="claimed" if late <= CATCH_UP else "skipped",
            claimed_by=claimant,
            claimed_at=now,
        )
        try:
            with session.begin_nested():
                session.add(run)
        except IntegrityError:
            continue  # this slot was already claimed: someone else sends it
        ws = session.get(Workspace, r.workspace_id)
        assert ws is not None
        scope = Scope(ws.team_id, ws.enterprise_id or None)
        if run.status == "skipped":
            run.finished_at = now
            run.error = f"{late} late"
            skipped.append(f"{scope.team_id}: reminder for {r.user_id} skipped, {late} late")
            continue
        due.append(Due(run.id, scope, r.workspace_id, r.member_id, r.user_id, r.timezone, latest))
    return due, skipped


def record(session: Session, due: Due, now: datetime, error: str | None = None) -> None:
    run = session.get(ReminderRun, due.run_id)
    if run is None:  # the workspace was uninstalled meanwhile
        return
    run.status = "failed" if error else "sent"
    run.finished_at = now
    run.error = error[:200] if error else None


@dataclass(frozen=True)
class Nudge:
    """What the reminder says: the member's time logged this week so far."""

    week_start: date
    today: date
    minutes: int
    entries: int


def nudge(session: Session, due: Due, now: datetime) -> Nudge:
    today = now.astimezone(ZoneInfo(due.timezone)).date()
    start, end = days(Period.THIS_WEEK, today)
    minutes, count = session.execute(
        select(func.coalesce(func.sum(Entry.minutes), 0), func.count(Entry.id)).where(
            Entry.workspace_id == due.workspace_id,
            Entry.member_id == due.member_id,
            Entry.day.between(start, end),
        )
    ).one()
    return Nudge(start, today, int(minutes), int(count))
