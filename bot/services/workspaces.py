"""Workspaces and their members: found or created on first use, settings changed here."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any, TypeVar

from sqlalchemy import Select, bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import money
from bot.db.base import Base, utcnow
from bot.db.models import Engagement, Member, Payment, Task, TaskQuote, Workspace
from bot.errors import UserError
from bot.services import changes
from bot.services.scope import Scope

PROFILE_TTL = timedelta(hours=12)

M = TypeVar("M", bound=Base)


def get_or_create(
    session: Session, model: type[M], defaults: Mapping[str, Any] | None = None, **lookup: Any
) -> tuple[M, bool]:
    """The row matching ``lookup`` (a unique key), created with ``defaults`` if there is none;
    and whether it was created here.

    Two transactions may both miss the row and both insert it: the insert runs in a
    savepoint, so the loser's unique violation undoes only that insert, and it reads the
    winner's row (committed by then: PostgreSQL makes the second insert wait for the first).
    """
    query = _lookup(model, tuple(sorted(lookup)))
    found = session.scalars(query, lookup).first()
    if found is not None:
        return found, False
    try:
        with session.begin_nested():
            obj = model(**lookup, **(defaults or {}))
            session.add(obj)
            session.flush()
        return obj, True
    except IntegrityError:
        return session.scalars(query, lookup).one(), False


@functools.cache
def _lookup(model: type[M], keys: tuple[str, ...]) -> Select[M]:
    """``model``'s row by ``keys``, as a statement built once with bound parameters: every
    command looks up its workspace and member this way, and building the statement each
    time cost more than running it."""
    return select(model).where(*(getattr(model, k) == bindparam(k) for k in keys))


def _workspace_key(scope: Scope) -> dict[str, str]:
    """The workspace row's unique key: its team, and its Enterprise Grid org ("" for none)."""
    return {"team_id": scope.team_id, "enterprise_id": scope.enterprise_id or ""}


def workspace(session: Session, scope: Scope) -> Workspace:
    """The workspace's row, read (or created) once per session: a command that asks for it
    several times (the member, the service, the reply) costs one SELECT."""
    key = ("workspace", scope)
    if key not in session.info:
        session.info[key] = get_or_create(session, Workspace, None, **_workspace_key(scope))[0]
    ws: Workspace = session.info[key]
    return ws


@dataclass(frozen=True)
class Settings:
    currency: str
    overhead_bp: int


def forget_rows(session: Session) -> None:
    """Drop the workspace and member rows ``workspace()`` and ``member()`` keep per session
    (after deleting them, say)."""
    for key in [k for k in session.info if isinstance(k, tuple) and k[0] in _KEPT]:
        del session.info[key]


_KEPT = ("workspace", "member")


def settings(session: Session, scope: Scope) -> Settings:
    ws = workspace(session, scope)
    return Settings(ws.currency, ws.overhead_bp)


def rate(session: Session, scope: Scope, user_id: str) -> tuple[int | None, str]:
    """The member's hourly worth in minor units (None: not set yet), and its currency."""
    return member(session, scope, user_id).rate_minor, workspace(session, scope).currency


def find_workspace(session: Session, scope: Scope) -> Workspace | None:
    """The workspace's row if it exists (kept for ``workspace()``), never creating it: what a
    read-only session can do."""
    key = ("workspace", scope)
    if key in session.info:
        found: Workspace = session.info[key]
        return found
    lookup = _workspace_key(scope)
    ws = session.scalars(_lookup(Workspace, tuple(sorted(lookup))), lookup).first()
    if ws is not None:
        session.info[key] = ws
    return ws


def member(session: Session, scope: Scope, user_id: str) -> Member:
    """The member's row, read (or created) once per session; with the workspace's in one
    query when neither has been read yet (the usual case: a command's first lookup)."""
    key = ("member", scope, user_id)
    if key not in session.info and ("workspace", scope) not in session.info:
        params = {**_workspace_key(scope), "user_id": user_id}
        row = session.execute(_WORKSPACE_AND_MEMBER, params).first()
        if row is not None:
            session.info[("workspace", scope)] = row[0]
            if row[1] is not None:
                session.info[key] = row[1]
    if key not in session.info:
        session.info[key] = get_or_create(
            session, Member, workspace_id=workspace(session, scope).id, user_id=user_id
        )[0]
    m: Member = session.info[key]
    return m


_WORKSPACE_AND_MEMBER = (
    select(Workspace, Member)
    .outerjoin(
        Member,
        (Member.workspace_id == Workspace.id) & (Member.user_id == bindparam("user_id")),
    )
    .where(
        Workspace.team_id == bindparam("team_id"),
        Workspace.enterprise_id == bindparam("enterprise_id"),
    )
)


def profile_is_fresh(m: Member, now: datetime | None = None) -> bool:
    checked = m.profile_checked_at
    return checked is not None and (now or utcnow()) - checked < PROFILE_TTL


@dataclass(frozen=True)
class Profile:
    tz: str | None
    display_name: str | None
    is_admin: bool


def remember_profile(session: Session, scope: Scope, user_id: str, profile: Profile) -> Member:
    m = member(session, scope, user_id)
    m.tz = profile.tz
    m.display_name = profile.display_name
    m.is_admin = profile.is_admin
    m.profile_checked_at = utcnow()
    return m


# ---- hourly worth -------------------------------------------------------------------------


def set_rate(session: Session, scope: Scope, user_id: str, amount: money.Money) -> money.Money:
    ws = workspace(session, scope)
    check_currency(ws, amount)
    m = member(session, scope, user_id)
    before = m.rate_minor
    m.rate_minor = amount.minor
    if before != amount.minor:
        changes.record(
            session,
            ws,
            m,
            "rate",
            ["set your hourly worth: ", changes.money(before, ws.currency, "hour"), " → ",
             changes.money(amount.minor, ws.currency, "hour")],
            {"member": m.id, "what": "hourly worth", "before": {"rate_minor": before},
             "after": {"rate_minor": amount.minor}},
        )  # fmt: skip
    return amount


def check_currency(ws: Workspace, amount: money.Money) -> None:
    """An amount read in one currency is refused if the workspace switched since."""
    if amount.currency != ws.currency:
        raise UserError(
            f"this workspace now counts in {ws.currency}, not {amount.currency}: "
            "give the amount again"
        )


# ---- workspace settings --------------------------------------------------------------------


def set_overhead(session: Session, scope: Scope, share: Fraction, *, user_id: str) -> Fraction:
    """``share`` in whole basis points (a percentage with at most two decimals)."""
    bp = share * 10_000
    if bp.denominator != 1:
        raise ValueError(f"overhead {share} is not a whole number of basis points")
    ws = workspace(session, scope)
    before = ws.overhead_bp
    ws.overhead_bp = int(bp)
    if before != ws.overhead_bp:
        changes.record(
            session,
            ws,
            member(session, scope, user_id),
            "overhead",
            ["set the overhead: ", changes.percent(before), " → ", changes.percent(ws.overhead_bp)],
            {"what": "overhead", "before": {"overhead_bp": before},
             "after": {"overhead_bp": ws.overhead_bp}},
        )  # fmt: skip
    return share


def overhead(ws: Workspace) -> Fraction:
    return Fraction(ws.overhead_bp, 10_000)


@dataclass(frozen=True)
class CurrencyChange:
    old: str
    new: str
    amounts_kept: int  # rates, quotes, payments, baselines: their numbers read in the new one


# A hand-off's baseline fields that are money (minor units); its hours are not.
BASELINE_MONEY = ("baseline_in_house", "baseline_savings", "baseline_worth")


def set_currency(session: Session, scope: Scope, code: str, *, user_id: str) -> CurrencyChange:
    """Switch to ``code`` (a known ISO code), keeping the numbers of rates and quotes."""
    ws = workspace(session, scope)
    old = ws.currency
    if old == code:
        return CurrencyChange(old, code, 0)
    # What undo needs to put the old numbers back: [member id, old, new], [quote id, task
    # name, old, new].
    rates: list[list[int]] = []
    quotes: list[list[object]] = []
    # Keep the numbers people typed (80 stays 80) even where the minor unit differs (USD→JPY).
    for m in session.scalars(
        select(Member).where(Member.workspace_id == ws.id, Member.rate_minor.is_not(None))
    ):
        before = m.rate_minor or 0
        m.rate_minor = max(1, money.rescale(before, old, code))
        rates.append([m.id, before, m.rate_minor])
    for q, task_name in session.execute(
        select(TaskQuote, Task.name)
        .join(Task, Task.id == TaskQuote.task_id)
        .where(TaskQuote.workspace_id == ws.id)
        .order_by(TaskQuote.id)
    ):
        before = q.amount_minor
        q.amount_minor = max(1, money.rescale(before, old, code))
        quotes.append([q.id, task_name, before, q.amount_minor])
    # What was paid, and the money in hand-offs' frozen baselines, read on in the new numbers
    # too, so realized savings still weigh like against like: [id, old, new].
    paid: list[list[int]] = []
    for p in session.scalars(
        select(Payment).where(Payment.workspace_id == ws.id).order_by(Payment.id)
    ):
        before = p.amount_minor
        p.amount_minor = max(1, money.rescale(before, old, code))
        paid.append([p.id, before, p.amount_minor])
    baselines: list[list[object]] = []
    for e in session.scalars(
        select(Engagement)
        .where(Engagement.workspace_id == ws.id, Engagement.baseline_in_house.is_not(None))
        .order_by(Engagement.id)
    ):
        before_fields = {f: getattr(e, f) for f in BASELINE_MONEY}
        for f in BASELINE_MONEY:
            value = getattr(e, f)
            if value is not None:
                setattr(e, f, str(money.rescale_exact(Fraction(value), old, code)))
        baselines.append([e.id, before_fields, {f: getattr(e, f) for f in BASELINE_MONEY}])
    ws.currency = code
    kept = len(rates) + len(quotes) + len(paid) + len(baselines)
    changes.record(
        session,
        ws,
        member(session, scope, user_id),
        "currency",
        ["switched the currency: ", changes.value(old), " → ", changes.value(code)],
        {"what": "currency", "before": {"currency": old}, "after": {"currency": code},
         "rates": rates, "quotes": quotes, "paid": paid, "baselines": baselines},
    )  # fmt: skip
    return CurrencyChange(old, code, kept)
