"""The weekly digest: who may configure it, when it is due, the exactly-once claim, its content.

Exactly once: a due digest is claimed by inserting the (workspace, scheduled instant) row of
``digest_run`` — unique, so only one process's insert commits — in the same transaction that
moves the schedule's ``next_run_at`` on with a compare-and-set. Only the claimant posts.

A claim is a lease. The claimant renews it (``renew``) right before each post attempt and
stops if it was taken; a run still ``claimed`` a lease after its last renewal belonged to a
process that died, and ``reclaim_stale`` hands it to one other process with a compare-and-set
on ``attempts``. That process must look in the channel before posting (bot.jobs.digest): the dead
one may have posted before it died.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, CursorResult, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import DigestRun, DigestSchedule, Engagement, Entry, Member, Workspace
from bot.economics import CategoryTotals, Verdict, by_category, per_year
from bot.errors import UserError
from bot.services import analysis, handoffs, workspaces
from bot.services.analysis import TaskReport
from bot.services.handoffs import HandoffStatus
from bot.services.overhead import HANDOFF
from bot.services.scope import Scope
from bot.weekly import Weekly

CATCH_UP = timedelta(days=6)  # a digest later than this is skipped: next week's is near
MAX_CLAIMS = 5  # a run whose claimants keep dying is given up, not retried until CATCH_UP


def weekly(s: DigestSchedule) -> Weekly:
    hh, mm = s.local_time.split(":")
    return Weekly(s.weekday, time(int(hh), int(mm)), ZoneInfo(s.timezone))


def _schedule_of(session: Session, workspace_id: int) -> DigestSchedule | None:
    return session.scalars(
        select(DigestSchedule).where(DigestSchedule.workspace_id == workspace_id)
    ).first()


# ---- configuration ------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    channel_id: str
    weekday: int
    local_time: str
    timezone: str
    next_run_at: datetime
    enabled: bool
    owner_user_id: str
    last_status: str | None = None
    last_error: str | None = None


def _setting(s: DigestSchedule) -> Setting:
    return Setting(
        s.channel_id,
        s.weekday,
        s.local_time,
        s.timezone,
        s.next_run_at,
        s.enabled,
        s.owner_user_id,
        s.last_status,
        s.last_error,
    )


def current(session: Session, scope: Scope) -> Setting | None:
    ws = workspaces.find_workspace(session, scope)
    if ws is None:
        return None
    s = _schedule_of(session, ws.id)
    return _setting(s) if s else None


def check_may_change(session: Session, scope: Scope, user_id: str, is_admin: bool) -> None:
    """Admins and owners, or whoever first set the digest up, may change it."""
    ws = workspaces.workspace(session, scope)
    s = _schedule_of(session, ws.id)
    if s is None or is_admin or s.owner_user_id == user_id:
        return
    owner = workspaces.member(session, scope, s.owner_user_id)
    raise UserError(
        f"only workspace admins and owners, or {owner.display_name or owner.user_id} who set up "
        "the digest, can change it. You can still see this week's digest",
        command="digest",
    )


def configure(
    session: Session,
    scope: Scope,
    user_id: str,
    channel_id: str,
    weekday: int,
    at: time,
    tz: str,
    now: datetime,
) -> Setting:
    ws = workspaces.workspace(session, scope)
    rule = Weekly(weekday, at, ZoneInfo(tz))
    s = _schedule_of(session, ws.id)
    if s is None:
        s = DigestSchedule(workspace_id=ws.id, owner_user_id=user_id)
        session.add(s)
    s.channel_id = channel_id
    s.weekday = weekday
    s.local_time = at.strftime("%H:%M")
    s.timezone = tz
    s.next_run_at = rule.next_after(now)  # the first digest is the first slot after now
    s.enabled = True
    s.configured_by = user_id
    s.last_status = s.last_error = None
    session.flush()
    return _setting(s)


def turn_off(session: Session, scope: Scope) -> Setting | None:
    ws = workspaces.workspace(session, scope)
    s = _schedule_of(session, ws.id)
    if s is None:
        return None
    s.enabled = False
    return _setting(s)


# ---- delivery: what is due, and claiming it ------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A run this process holds the claim to: post it, or find that it was posted."""

    workspace_id: int
    scope: Scope
    channel_id: str
    configured_by: str
    timezone: str
    scheduled_for: datetime
    run_id: int
    attempt: int = 1  # which claim of the run this is: the lease's compare-and-set token
    claimed_at: datetime | None = None  # the first claim: nothing was posted before it
    reclaimed: bool = False  # a dead process held it: it may have posted already
    expired: bool = False  # reclaimed too late (or too often) to post: only look, then fail


def claim_due(session: Session, now: datetime, claimant: str) -> tuple[list[Due], list[str]]:
    """Claim every digest due at ``now``; returns what to post and notes on what was skipped.

    Several missed weeks collapse into one digest for the latest slot; a slot more than
    CATCH_UP late is skipped. Either way the schedule moves to the next slot after ``now``.
    """
    due, skipped = [], []
    for s in session.scalars(
        select(DigestSchedule).where(
            DigestSchedule.enabled.is_(True), DigestSchedule.next_run_at <= now
        )
    ).all():
        rule = weekly(s)
        latest = rule.latest_at_or_before(now)
        moved = session.execute(
            update(DigestSchedule)
            .where(DigestSchedule.id == s.id, DigestSchedule.next_run_at == s.next_run_at)
            .values(next_run_at=rule.next_after(now))
            .execution_options(synchronize_session=False)
        )
        if cast(CursorResult[Any], moved).rowcount != 1:
            continue  # another scheduler moved it first: theirs to post
        late = now - latest
        status = "claimed" if late < CATCH_UP else "skipped"
        run = DigestRun(
            workspace_id=s.workspace_id,
            scheduled_for=latest,
            status=status,
            claimed_by=claimant,
            claimed_at=now,
            leased_at=now,
            attempts=1,
            channel_id=s.channel_id,
        )
        try:
            with session.begin_nested():
                session.add(run)
        except IntegrityError:
            continue  # this slot was already claimed: someone else posts it
        ws = session.get(Workspace, s.workspace_id)
        assert ws is not None
        scope = Scope(ws.team_id, ws.enterprise_id or None)
        if status == "skipped":
            run.finished_at = now
            run.error = f"{late} late; more than {CATCH_UP.days} days"
            skipped.append(f"{scope.team_id}: digest for {latest.isoformat()} skipped, {late} late")
            continue
        due.append(
            Due(
                s.workspace_id,
                scope,
                s.channel_id,
                s.configured_by,
                s.timezone,
                latest,
                run.id,
                attempt=1,
                claimed_at=now,
            )
        )
    return due, skipped


def reclaim_stale(session: Session, now: datetime, claimant: str, lease: timedelta) -> list[Due]:
    """Take over every run still ``claimed`` a ``lease`` after its claimant last renewed it."""
    taken = (
        take_over(session, run_id, seen, claimant, now)
        for run_id, seen in stale(session, now, lease)
    )
    return [d for d in taken if d is not None]


def stale(session: Session, now: datetime, lease: timedelta) -> list[tuple[int, int]]:
    """(run id, attempts) of every claim whose lease ran out."""
    rows = session.execute(
        select(DigestRun.id, DigestRun.attempts).where(
            DigestRun.status == "claimed", DigestRun.leased_at <= now - lease
        )
    )
    return [(run_id, attempts) for run_id, attempts in rows]


def take_over(session: Session, run_id: int, seen: int, claimant: str, now: datetime) -> Due | None:
    """Claim a stale run seen at its ``seen``-th claim; None if someone claimed it since.

    The compare-and-set on ``attempts`` lets one process win however many look at once. A
    run taken over CATCH_UP after its slot, or for the MAX_CLAIMS-th time, comes back
    ``expired``: the caller only checks whether it was posted, and records it failed if not.
    """
    won = session.execute(
        update(DigestRun)
        .where(DigestRun.id == run_id, DigestRun.status == "claimed", DigestRun.attempts == seen)
        .values(claimed_by=claimant, leased_at=now, attempts=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], won).rowcount != 1:
        return None
    run = session.get(DigestRun, run_id, populate_existing=True)
    assert run is not None
    ws = session.get(Workspace, run.workspace_id)
    assert ws is not None
    schedule = _schedule_of(session, run.workspace_id)
    return Due(
        run.workspace_id,
        Scope(ws.team_id, ws.enterprise_id or None),
        run.channel_id or (schedule.channel_id if schedule else ""),
        schedule.configured_by if schedule else "",
        schedule.timezone if schedule else "UTC",
        run.scheduled_for,
        run.id,
        attempt=seen + 1,
        claimed_at=run.claimed_at,
        reclaimed=True,
        expired=now - run.scheduled_for >= CATCH_UP or seen + 1 > MAX_CLAIMS,
    )


def _still_held(due: Due) -> tuple[ColumnElement[bool], ...]:
    """The run is still claimed, and by this claim: no other process has taken it over."""
    return (
        DigestRun.id == due.run_id,
        DigestRun.status == "claimed",
        DigestRun.attempts == due.attempt,
    )


def renew(session: Session, due: Due, now: datetime) -> bool:
    """Extend this process's lease on ``due``; False if another process has taken it over."""
    renewed = session.execute(
        update(DigestRun)
        .where(*_still_held(due))
        .values(leased_at=now)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], renewed).rowcount == 1


def record(session: Session, due: Due, *, ts: str | None = None, error: str | None = None) -> bool:
    """The run's outcome, if this process still holds its claim; False (nothing written) if not.

    A post recorded late — the process died after posting — is found in the channel by
    whoever reclaims the run, so no outcome depends on this write alone.
    """
    status = "failed" if error else "posted"
    done = session.execute(
        update(DigestRun)
        .where(*_still_held(due))
        .values(status=status, ts=ts, error=error and error[:200], finished_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], done).rowcount != 1:
        return False
    schedule = _schedule_of(session, due.workspace_id)
    if schedule is not None:
        schedule.last_status = status
        schedule.last_error = error and error[:200]
    return True


# ---- content ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    week_start: date
    week_end: date
    currency: str
    minutes_total: int
    minutes_by_member: list[tuple[str, int]]
    hand_off: list[TaskReport] = field(default_factory=list)
    get_quote: list[TaskReport] = field(default_factory=list)
    keep: list[TaskReport] = field(default_factory=list)
    core: list[TaskReport] = field(default_factory=list)
    # #11: the active hand-offs over the whole of each (so far) and over these 7 days, in the
    # same order; every hand-off ever, for the total saved so far; one line per category.
    handoffs: list[HandoffStatus] = field(default_factory=list)
    handoffs_week: list[HandoffStatus] = field(default_factory=list)
    saved_so_far: Fraction = Fraction(0)
    projected_so_far: Fraction = Fraction(0)
    categories: list[CategoryTotals] = field(default_factory=list)

    @property
    def under_bar(self) -> list[HandoffStatus]:
        return [h for h in self.handoffs if h.under_bar]

    @property
    def saved_week(self) -> Fraction:
        return sum((h.realized.realized for h in self.handoffs_week), Fraction(0))

    @property
    def projected_week(self) -> Fraction:
        return sum((h.realized.projected for h in self.handoffs_week), Fraction(0))

    @property
    def savings_week(self) -> Fraction:
        return analysis.total_savings_week(self.hand_off)

    @property
    def savings_year(self) -> Fraction:
        return per_year(self.savings_week)

    @property
    def hours_freed_week(self) -> Fraction:
        return analysis.total_hours_freed_week(self.hand_off)


def build(session: Session, scope: Scope, today: date) -> Digest:
    """This week's digest: the 7 days ending ``today`` and the usual 28-day assessments."""
    ws = workspaces.workspace(session, scope)
    return _build_all(session, [(ws, today)])[ws.id]


def build_many(session: Session, wanted: Sequence[tuple[int, date]]) -> dict[int, Digest]:
    """The digests of many workspaces at once: (workspace id, its local today) in, workspace
    id: ``build``'s digest out (a workspace id that no longer exists is left out).

    The figures come from a few queries per distinct ``today`` whatever the number of
    workspaces (``analysis.assess_workspaces``), not a dozen per workspace; only workspaces
    with hand-offs read those one by one.
    """
    days = dict(wanted)
    found: list[Workspace] = []
    for chunk in _chunks(list(days)):
        found += session.scalars(select(Workspace).where(Workspace.id.in_(chunk))).all()
    return _build_all(session, [(ws, days[ws.id]) for ws in found])


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _build_all(session: Session, wanted: Sequence[tuple[Workspace, date]]) -> dict[int, Digest]:
    by_day: dict[date, list[Workspace]] = defaultdict(list)
    for ws, today in wanted:
        by_day[today].append(ws)
    out: dict[int, Digest] = {}
    for today, wss in by_day.items():
        start = today - timedelta(days=6)
        ids = [ws.id for ws in wss]
        by_member: dict[int, dict[str, int]] = {i: defaultdict(int) for i in ids}
        with_handoffs: set[int] = set()
        for chunk in _chunks(ids):
            # Per member id from the covering ix_entry_window, then named: joining member
            # read each entry's member row. Named in (user id, name) order, as the join was.
            minutes_of = {
                (ws_id, member_id): int(minutes)
                for ws_id, member_id, minutes in session.execute(
                    select(Entry.workspace_id, Entry.member_id, func.sum(Entry.minutes))
                    .where(Entry.workspace_id.in_(chunk), Entry.day.between(start, today))
                    .group_by(Entry.workspace_id, Entry.member_id)
                )
            }
            # The chunk's members, not an IN list of ids: that could pass the drivers' limit
            # on bound parameters in a round of large workspaces.
            members = session.execute(
                select(Member.workspace_id, Member.id, Member.user_id, Member.display_name)
                .where(Member.workspace_id.in_(chunk))
                .order_by(Member.user_id, Member.display_name)
            ).all()
            for ws_id, member_id, user_id, name in members:
                if (ws_id, member_id) in minutes_of:
                    by_member[ws_id][name or user_id] += minutes_of[(ws_id, member_id)]
            # Most workspaces have no hand-off: their hand-off figures need no query at all.
            with_handoffs.update(
                session.scalars(
                    select(Engagement.workspace_id)
                    .where(Engagement.workspace_id.in_(chunk), Engagement.kind == HANDOFF)
                    .distinct()
                )
            )
        assessed = analysis.assess_workspaces(session, wss, today)
        for ws in wss:
            handed = ws.id in with_handoffs
            out[ws.id] = _digest(
                ws,
                today,
                by_member[ws.id],
                assessed[ws.id],
                handoffs.statuses(session, ws, today) if handed else [],
                handoffs.week_overview(session, ws, today) if handed else [],
            )
    return out


def _digest(
    ws: Workspace,
    today: date,
    by_member: dict[str, int],
    assessed: list[TaskReport],
    loop: list[HandoffStatus],
    week_overview: list[HandoffStatus],
) -> Digest:
    # Tasks handed off already are in the hand-off lines, not among the candidates.
    reports = [
        r for r in assessed if (r.assessment.recurring or r.is_core) and r.handed_off_to is None
    ]
    week = {h.engagement_id: h for h in week_overview}
    # The active hand-offs, and those taken back during the week: its days count too.
    ran = [h for h in loop if h.engagement_id in week]

    def pick(v: Verdict) -> list[TaskReport]:
        return [r for r in reports if r.assessment.verdict is v]

    return Digest(
        week_start=today - timedelta(days=6),
        week_end=today,
        currency=ws.currency,
        minutes_total=sum(by_member.values()),
        minutes_by_member=sorted(by_member.items(), key=lambda kv: -kv[1]),
        hand_off=pick(Verdict.HAND_OFF),
        get_quote=pick(Verdict.NEEDS_QUOTE),
        keep=pick(Verdict.KEEP),
        core=[r for r in reports if r.is_core],
        handoffs=ran,
        handoffs_week=[week[h.engagement_id] for h in ran],
        saved_so_far=sum((h.realized.realized for h in loop), Fraction(0)),
        projected_so_far=sum((h.realized.projected for h in loop), Fraction(0)),
        categories=by_category(
            [(r.category, r.assessment, r.handed_off_to is not None) for r in assessed]
        ),
    )


def local_today(tz: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(tz)).date()
