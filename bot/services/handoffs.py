"""Hand-offs: handing a task off, what was paid, taking it back, and what it has saved.

``handoff`` freezes the task's baseline (bot/economics.py ``freeze_baseline``) in the
engagement row; ``paid`` records payments; ``takeback`` ends it. The read models
(``HandoffStatus``, ``Overview``) feed the report, the digest, the App Home, the CSV export
and the providers list, so they all show the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from bot import money
from bot.db.models import Engagement, Entry, Payment, Provider, Review, Task, TaskQuote
from bot.db.models import Workspace as WorkspaceRow
from bot.economics import (
    WINDOW_DAYS,
    Baseline,
    Frequency,
    Quote,
    QuoteUnit,
    Realized,
    Shortfall,
    cost_at_baseline,
    freeze_baseline,
    hours_week_change,
    next_to_try,
    realized_between,
    realized_savings,
    shortfalls,
    weeks_handed_off,
)
from bot.errors import UserError
from bot.services import analysis, changes, overhead, providers, workspaces
from bot.services.overhead import HANDOFF, TRIAL
from bot.services.scope import Scope
from bot.services.tasks import FixWith, existing_task

# ---- read models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteSeen:
    """A quote on the shortlist as the hand-off views show it."""

    provider: str
    amount_minor: int
    unit: QuoteUnit
    per: str
    cost: Fraction | None  # at the hand-off's baseline: a week (one-off: the job)


@dataclass(frozen=True)
class HandoffStatus:
    """One hand-off (active or taken back) and what it has saved so far."""

    engagement_id: int
    task_id: int
    task: str
    category: str | None
    provider_id: int
    provider: str
    started_on: date
    ended_on: date | None
    baseline: Baseline
    realized: Realized
    average_score: Fraction | None  # the provider's, over all their reviews
    reviews: int
    shortfalls: tuple[Shortfall, ...]
    next_quote: QuoteSeen | None  # under the bar: the provider to try next, and their quote

    @property
    def active(self) -> bool:
        return self.ended_on is None

    @property
    def under_bar(self) -> bool:
        return bool(self.shortfalls)


@dataclass(frozen=True)
class HoursChange:
    """A task's hours a week logged in the last 28 days against the 28 days before."""

    task_id: int
    task: str
    minutes_now: int
    minutes_before: int

    @property
    def change(self) -> Fraction:
        return hours_week_change(self.minutes_now, self.minutes_before)


@dataclass(frozen=True)
class Overview:
    """Every hand-off of the workspace and the total saved, as of ``today``."""

    currency: str
    today: date
    handoffs: list[HandoffStatus]  # active first (earliest started first), then taken back
    changes: dict[int, HoursChange] = field(default_factory=dict)  # by task id

    @property
    def active(self) -> list[HandoffStatus]:
        return [h for h in self.handoffs if h.active]

    @property
    def saved_so_far(self) -> Fraction:
        """Realized savings of every hand-off, active or taken back."""
        return sum((h.realized.realized for h in self.handoffs), Fraction(0))

    @property
    def projected_so_far(self) -> Fraction:
        return sum((h.realized.projected for h in self.handoffs), Fraction(0))

    @property
    def under_bar(self) -> list[HandoffStatus]:
        return [h for h in self.active if h.under_bar]


# ---- reading hand-offs ----------------------------------------------------------------------


def _fraction(text: str | None) -> Fraction:
    return Fraction(text) if text else Fraction(0)


def baseline_of(e: Engagement) -> Baseline:
    return Baseline(
        one_off=e.one_off,
        hours=_fraction(e.baseline_hours),
        in_house=_fraction(e.baseline_in_house),
        savings=_fraction(e.baseline_savings),
        worth=_fraction(e.baseline_worth),
        occurrences=_fraction(e.baseline_occurrences),
    )


def _end(e: Engagement, today: date) -> date:
    """The first day after the hand-off's days: the day it was taken back, or tomorrow."""
    return e.ended_on if e.ended_on is not None else today + timedelta(days=1)


def scores(session: Session, ws_id: int) -> dict[int, tuple[Fraction, int]]:
    """Each reviewed provider's average score (exact) and how many reviews it averages."""
    return {
        provider_id: (Fraction(int(total), int(n)), int(n))
        for provider_id, total, n in session.execute(
            select(Review.provider_id, func.sum(Review.score), func.count())
            .where(Review.workspace_id == ws_id)
            .group_by(Review.provider_id)
        )
    }


def statuses(
    session: Session,
    ws: WorkspaceRow,
    today: date,
    *,
    engagements: Sequence[Engagement] | None = None,
    since: date | None = None,
) -> list[HandoffStatus]:
    """The status of ``engagements`` (default: every hand-off of the workspace).

    ``since``: what the hand-offs saved over ``since``…today (the digest's week:
    ``economics.realized_between``) instead of everything since each began.
    """
    if engagements is None:
        engagements = session.scalars(
            select(Engagement)
            .where(Engagement.workspace_id == ws.id, Engagement.kind == HANDOFF)
            .order_by(Engagement.ended_on.is_not(None), Engagement.started_on, Engagement.id)
        ).all()
    if not engagements:
        return []
    ids = [e.id for e in engagements]
    paid_where = [Payment.workspace_id == ws.id, Payment.engagement_id.in_(ids)]
    if since is not None:
        paid_where.append(Payment.day >= since)
    paid: dict[int | None, int] = {
        e_id: int(total)
        for e_id, total in session.execute(
            select(Payment.engagement_id, func.sum(Payment.amount_minor))
            .where(*paid_where)
            .group_by(Payment.engagement_id)
        )
    }
    minutes: dict[int, int] = defaultdict(int)
    for e in engagements:
        start = max(e.started_on, since) if since is not None else e.started_on
        minutes[e.id] = int(
            session.scalar(
                select(func.coalesce(func.sum(Entry.minutes), 0)).where(
                    Entry.workspace_id == ws.id,
                    Entry.task_id == e.task_id,
                    Entry.overhead.is_(True),
                    Entry.day >= start,
                    Entry.day < _end(e, today),
                    Entry.day <= today,
                )
            )
            or 0
        )
    tasks = {
        t.id: t
        for t in session.scalars(
            select(Task).where(Task.id.in_({e.task_id for e in engagements}))
        ).all()
    }
    score = scores(session, ws.id)
    quotes = _shortlists(session, ws.id, {e.task_id for e in engagements})
    out = []
    for e in engagements:
        b = baseline_of(e)
        if since is None:
            weeks = weeks_handed_off(e.started_on, today, e.ended_on)
            r = realized_savings(b, weeks, paid.get(e.id, 0), minutes[e.id])
        else:
            r = realized_between(
                b, e.started_on, since, today, paid.get(e.id, 0), minutes[e.id], e.ended_on
            )
        avg, n = score.get(e.provider_id, (None, 0))
        # The bar is judged on the whole hand-off, never on one week of it.
        whole = r if since is None else None
        short: tuple[Shortfall, ...] = ()
        if e.ended_on is None:
            if whole is None:
                whole = statuses(session, ws, today, engagements=[e])[0].realized
            short = shortfalls(whole, avg)
        task = tasks[e.task_id]
        out.append(
            HandoffStatus(
                engagement_id=e.id,
                task_id=e.task_id,
                task=task.name,
                category=task.category,
                provider_id=e.provider_id,
                provider=e.provider.name,
                started_on=e.started_on,
                ended_on=e.ended_on,
                baseline=b,
                realized=r,
                average_score=avg,
                reviews=n,
                shortfalls=short,
                next_quote=_next(quotes.get(e.task_id, []), e.provider_id, b) if short else None,
            )
        )
    return out


def _shortlists(
    session: Session, ws_id: int, task_ids: set[int]
) -> dict[int, list[tuple[int, str, TaskQuote]]]:
    """Each task's named quotes, earliest given first: (provider id, provider name, quote)."""
    out: dict[int, list[tuple[int, str, TaskQuote]]] = defaultdict(list)
    for q, name in session.execute(
        select(TaskQuote, Provider.name)
        .join(Provider, Provider.id == TaskQuote.provider_id)
        .where(TaskQuote.workspace_id == ws_id, TaskQuote.task_id.in_(task_ids))
        .order_by(TaskQuote.created_at, TaskQuote.id)
    ):
        assert q.provider_id is not None
        out[q.task_id].append((q.provider_id, name, q))
    return out


def _next(
    shortlist: list[tuple[int, str, TaskQuote]], current: int, baseline: Baseline
) -> QuoteSeen | None:
    pick = next_to_try(
        current,
        [(pid, Quote(q.amount_minor, QuoteUnit(q.unit))) for pid, _, q in shortlist],
        baseline,
    )
    for pid, name, q in shortlist:
        if pid == pick:
            unit = QuoteUnit(q.unit)
            cost = cost_at_baseline(Quote(q.amount_minor, unit), baseline)
            return QuoteSeen(name, q.amount_minor, unit, q.per, cost)
    return None


def hours_changes(session: Session, ws_id: int, today: date) -> dict[int, HoursChange]:
    """Per task, the minutes logged (overhead too: it is your time) in the last 28 days and
    in the 28 days before."""
    start = analysis.window_start(today)
    before = start - timedelta(days=WINDOW_DAYS)
    now: dict[int, int] = defaultdict(int)
    prev: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for task_id, task_name, recent, total in session.execute(
        select(
            Entry.task_id,
            Task.name,
            func.sum(func.coalesce(Entry.minutes, 0)).filter(Entry.day >= start),
            func.sum(Entry.minutes),
        )
        .join(Task, Task.id == Entry.task_id)
        .where(Entry.workspace_id == ws_id, Entry.day >= before, Entry.day <= today)
        .group_by(Entry.task_id, Task.name)
    ):
        names[task_id] = task_name
        now[task_id] = int(recent or 0)
        prev[task_id] = int(total or 0) - now[task_id]
    return {t: HoursChange(t, names[t], now[t], prev[t]) for t in names}


def overview(session: Session, scope: Scope, today: date) -> Overview:
    """Every hand-off, what each saved, and each task's change in hours a week."""
    ws = workspaces.workspace(session, scope)
    return Overview(
        ws.currency, today, statuses(session, ws, today), hours_changes(session, ws.id, today)
    )


def week_overview(session: Session, ws: WorkspaceRow, today: date) -> list[HandoffStatus]:
    """The figures of the hand-offs that ran in the last 7 days (today included), for the
    digest: the active ones, and those taken back after the week began."""
    since = today - timedelta(days=6)
    ran = session.scalars(
        select(Engagement)
        .where(
            Engagement.workspace_id == ws.id,
            Engagement.kind == HANDOFF,
            or_(Engagement.ended_on.is_(None), Engagement.ended_on > since),
        )
        .order_by(Engagement.started_on, Engagement.id)
    ).all()
    return statuses(session, ws, today, engagements=ran, since=since)


def saved_by_provider(session: Session, ws_id: int, today: date) -> dict[int, Fraction]:
    """Realized savings so far of each provider's hand-offs, active or taken back."""
    ws = session.get(WorkspaceRow, ws_id)
    assert ws is not None
    out: dict[int, Fraction] = defaultdict(Fraction)
    for h in statuses(session, ws, today):
        out[h.provider_id] += h.realized.realized
    return dict(out)


# ---- finding the provider -------------------------------------------------------------------


def _provider(session: Session, ws: WorkspaceRow, task: Task, name: str, literal: bool) -> Provider:
    """The provider called ``name``, matched like a task (a near miss asks which was meant).

    A name that is no provider at all is refused with the command that quotes them first.
    """
    try:
        return providers.existing_provider(session, ws, name, literal)
    except providers.ProviderNearMiss:
        raise
    except UserError:
        pass
    raise FixWith(
        f"there is no provider called “{name}” with a quote on “{task.name}” — a task is "
        "handed off to a provider who quoted it, so its savings can be measured: give "
        "their quote first",
        "quote", task.name, "<price>", "from", name,
    )  # fmt: skip


def _task(session: Session, ws: WorkspaceRow, name: str, literal: bool, command: str) -> Task:
    task = existing_task(session, ws, name, literal)
    if task is None:
        raise UserError(f"there is no task called “{name}”", command=command)
    locked = session.get(Task, task.id, with_for_update=True, populate_existing=True)
    assert locked is not None
    return locked


def active_handoff(session: Session, task: Task) -> Engagement | None:
    return session.scalars(
        select(Engagement)
        .where(
            Engagement.task_id == task.id,
            Engagement.kind == HANDOFF,
            Engagement.ended_on.is_(None),
        )
        .order_by(Engagement.started_on.desc(), Engagement.id.desc())
        .limit(1)
    ).first()


# ---- handoff --------------------------------------------------------------------------------


@dataclass(frozen=True)
class HandedOff:
    status: HandoffStatus
    quote: QuoteSeen
    ended_trials: tuple[str, ...]  # providers whose trial on the task ended
    replaced: str | None  # the provider it was handed off to until today, if any
    assessed_on: date  # the day whose assessment the baseline froze
    currency: str


def _last_handoff(session: Session, task: Task) -> Engagement | None:
    """The task's latest hand-off, active or taken back."""
    return session.scalars(
        select(Engagement)
        .where(Engagement.task_id == task.id, Engagement.kind == HANDOFF)
        .order_by(Engagement.started_on.desc(), Engagement.id.desc())
        .limit(1)
    ).first()


def _baseline_day(session: Session, task: Task, today: date, current: Engagement | None) -> date:
    """The day the baseline is assessed on: the last day the task was done in-house.

    Today, unless the task is handed off now (a switch to another provider: the day before
    the current hand-off began), or has no in-house time in the last 28 days since an
    earlier hand-off (the day before that one began).
    """
    if current is not None:
        return current.started_on - timedelta(days=1)
    in_house = session.scalar(
        select(func.count(Entry.id)).where(
            Entry.task_id == task.id,
            Entry.overhead.is_(False),
            Entry.day >= analysis.window_start(today),
            Entry.day <= today,
        )
    )
    if in_house:
        return today
    last = _last_handoff(session, task)
    return last.started_on - timedelta(days=1) if last is not None else today


def handoff(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    provider_name: str,
    today: date,
    *,
    literal: bool = False,
    provider_literal: bool = False,
) -> HandedOff:
    """From today ``provider_name`` does the task: freeze the baseline, end its trials.

    The provider must have a quote on the task (the projection needs a price). A task handed
    off to someone else switches to the new provider today.
    """
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task = _task(session, ws, task_name, literal, "handoff")
    provider = _provider(session, ws, task, provider_name, provider_literal)
    q = session.scalars(
        select(TaskQuote).where(TaskQuote.task_id == task.id, TaskQuote.provider_id == provider.id)
    ).first()
    if q is None:
        raise FixWith(
            f"{provider.name} has no quote on “{task.name}”: give their price first, so the "
            "hand-off's savings can be projected and measured",
            "quote", task.name, "<price>", "from", provider.name,
        )  # fmt: skip
    current = active_handoff(session, task)
    if current is not None and current.provider_id == provider.id:
        raise UserError(
            f"“{task.name}” is already handed off to {provider.name}, since "
            f"{current.started_on.isoformat()}",
            command="takeback",
        )
    if task.frequency == Frequency.ONCE.code:
        before = _last_handoff(session, task)
        if before is not None:
            # Its in-house cost can be saved only once: a second hand-off would count it again.
            raise UserError(
                f"“{task.name}” is a one-off job, handed off already to {before.provider.name} "
                f"on {before.started_on.isoformat()}: a job is handed off once, so its "
                "in-house cost is counted as saved once. Record what anyone was paid for it "
                "with `paid`",
                command="paid",
            )
    day = _baseline_day(session, task, today, current)
    report = analysis.task_report(session, ws, task, day)
    unit = QuoteUnit(q.unit)
    try:
        baseline = freeze_baseline(report.assessment, Quote(q.amount_minor, unit))
    except ValueError as why:
        raise _no_baseline(str(why), task, provider, q, ws.currency) from None
    ended: list[Engagement] = list(
        session.scalars(
            select(Engagement)
            .where(Engagement.task_id == task.id, Engagement.ended_on.is_(None))
            .order_by(Engagement.id)
        )
    )
    # What undo puts back: their state before this hand-off ended them.
    ended_before = [[x.id, changes.fields(x, ("ended_on",))["ended_on"]] for x in ended]
    for e in ended:
        e.ended_on = today
    e = Engagement(
        workspace_id=ws.id,
        task_id=task.id,
        provider_id=provider.id,
        kind=HANDOFF,
        started_on=today,
        member_id=member.id,
        one_off=baseline.one_off,
        baseline_hours=str(baseline.hours),
        baseline_in_house=str(baseline.in_house),
        baseline_savings=str(baseline.savings),
        baseline_worth=str(baseline.worth),
        baseline_occurrences=str(baseline.occurrences),
    )
    session.add(e)
    session.flush()
    overhead.refresh(session, ws.id, [task.id])
    changes.record(
        session, ws, member, "handoff",
        ["handed off ", changes.name(task.name), " to ", changes.value(provider.name)],
        {
            "engagement": e.id,
            "task": changes.ref(task),
            "task_name": task.name,
            "ended": ended_before,
        },
    )  # fmt: skip
    status = statuses(session, ws, today, engagements=[e])[0]
    trials = tuple(x.provider.name for x in ended if x.kind == TRIAL)
    replaced = next((x.provider.name for x in ended if x.kind == HANDOFF), None)
    return HandedOff(
        status=status,
        quote=QuoteSeen(
            provider.name,
            q.amount_minor,
            unit,
            q.per,
            cost_at_baseline(Quote(q.amount_minor, unit), baseline),
        ),
        ended_trials=trials,
        replaced=replaced,
        assessed_on=day,
        currency=ws.currency,
    )


def _no_baseline(
    reason: str, task: Task, provider: Provider, q: TaskQuote, currency: str
) -> UserError:
    if "time" in reason:
        return FixWith(
            f"there is no in-house time on “{task.name}” in the last 28 days to measure the "
            "hand-off against — log the time it takes you first",
            task.name, "1h",
        )  # fmt: skip
    if "worth" in reason:
        return UserError(
            f"handing off “{task.name}” needs its in-house cost, so your hourly worth: set it "
            "first",
            command="rate",
        )
    shown = money.format_money(q.amount_minor, currency)
    return FixWith(
        f"{provider.name}'s quote on “{task.name}” ({shown} per {q.unit}) can't price how the "
        "task happens, so the hand-off's savings can't be projected — give a price that fits",
        "quote", task.name, "<price>", "each", "from", provider.name,
    )  # fmt: skip


# ---- paid -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaidResult:
    task: str
    provider: str
    amount_minor: int
    day: date
    kind: str  # the engagement paid for: "handoff" or "trial"
    status: HandoffStatus | None  # the hand-off's figures after it (a trial: None)
    currency: str
    today: date


def _covering(
    session: Session, task: Task, day: date, provider: Provider | None
) -> list[Engagement]:
    """The task's trials and hand-offs ``day`` falls in (of ``provider`` if given), hand-offs
    first."""
    where = [
        Engagement.task_id == task.id,
        Engagement.started_on <= day,
        or_(Engagement.ended_on.is_(None), Engagement.ended_on > day),
    ]
    if provider is not None:
        where.append(Engagement.provider_id == provider.id)
    return list(
        session.scalars(
            select(Engagement)
            .where(*where)
            .order_by(Engagement.kind != HANDOFF, Engagement.started_on.desc(), Engagement.id)
        )
    )


def _taken_back(
    session: Session, task: Task, day: date, provider: Provider | None
) -> list[Engagement]:
    """The task's last hand-off (of ``provider`` if given) taken back by ``day``, if any."""
    where = [
        Engagement.task_id == task.id,
        Engagement.kind == HANDOFF,
        Engagement.ended_on <= day,
    ]
    if provider is not None:
        where.append(Engagement.provider_id == provider.id)
    last = session.scalars(
        select(Engagement)
        .where(*where)
        .order_by(Engagement.ended_on.desc(), Engagement.id.desc())
        .limit(1)
    ).first()
    return [last] if last is not None else []


def paid(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    amount: money.Money,
    day: date,
    today: date,
    *,
    provider_name: str | None = None,
    literal: bool = False,
    provider_literal: bool = False,
) -> PaidResult:
    """Record ``amount`` paid on ``day`` for the task's hand-off (or trial) that day, or for
    its last hand-off if it was taken back by then (a bill that came after)."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    workspaces.check_currency(ws, amount)
    task = _task(session, ws, task_name, literal, "paid")
    provider = (
        _provider(session, ws, task, provider_name, provider_literal)
        if provider_name is not None
        else None
    )
    # A bill that comes after the takeback still belongs to the hand-off that last ran.
    found = _covering(session, task, day, provider) or _taken_back(session, task, day, provider)
    when = "today" if day == today else f"on {day.isoformat()}"
    if not found:
        who = f" to {provider.name}" if provider is not None else ""
        raise FixWith(
            f"“{task.name}” wasn't handed off{who} (or on trial) {when} — a payment counts "
            "against a hand-off: hand it off first",
            "handoff", task.name, "to", provider.name if provider else "<provider>",
        )  # fmt: skip
    handoffs = [e for e in found if e.kind == HANDOFF]
    if not handoffs and len({e.provider_id for e in found}) > 1:
        names = " and ".join(sorted(e.provider.name for e in found))
        raise UserError(
            f"“{task.name}” was on trial with {names} {when}: say whom you paid, with "
            "`to <provider>`",
            command="paid",
        )
    e = (handoffs or found)[0]
    payment = Payment(
        workspace_id=ws.id,
        task_id=task.id,
        provider_id=e.provider_id,
        engagement_id=e.id,
        member_id=member.id,
        amount_minor=amount.minor,
        day=day,
    )
    session.add(payment)
    session.flush()
    changes.record(
        session, ws, member, "paid",
        ["recorded ", changes.money(amount.minor, ws.currency), " paid to ",
         changes.value(e.provider.name), " for ", changes.name(task.name), " on ",
         changes.day(day)],
        {"payment": changes.row(payment), "task_name": task.name},
    )  # fmt: skip
    status = statuses(session, ws, today, engagements=[e])[0] if e.kind == HANDOFF else None
    return PaidResult(
        task.name, e.provider.name, amount.minor, day, e.kind, status, ws.currency, today
    )


# ---- takeback -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TakenBack:
    status: HandoffStatus
    back_in_house: int  # entries from today on, no longer overhead
    currency: str
    today: date


def takeback(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    today: date,
    *,
    literal: bool = False,
) -> TakenBack:
    """End the task's hand-off today: from today its time is in-house again."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task = _task(session, ws, task_name, literal, "takeback")
    e = active_handoff(session, task)
    if e is None:
        raise UserError(f"“{task.name}” isn't handed off to anyone", command="handoff")
    back = session.scalar(
        select(func.count(Entry.id)).where(
            Entry.task_id == task.id, Entry.overhead.is_(True), Entry.day >= today
        )
    )
    e.ended_on = today
    session.flush()
    overhead.refresh(session, ws.id, [task.id])
    changes.record(
        session, ws, member, "takeback",
        ["took back ", changes.name(task.name), " from ", changes.value(e.provider.name)],
        {"engagement": e.id, "task_name": task.name, "ended_on": today.isoformat()},
    )  # fmt: skip
    status = statuses(session, ws, today, engagements=[e])[0]
    return TakenBack(status, int(back or 0), ws.currency, today)
