"""From stored entries to assessments: SQL aggregates in, bot.economics does the math.

One implementation serves /logtask report, should, the digest and the questions,
so they always show the same numbers.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Container, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Date, Select, bindparam, distinct, exists, func, select
from sqlalchemy.orm import Session

from bot.db import models
from bot.db.aggregates import MAX_MASK_DAYS, days_mask
from bot.db.models import Engagement, Entry, Member, Provider, Review, Task, Workspace
from bot.economics import (
    WINDOW_DAYS,
    Assessment,
    Frequency,
    MemberTime,
    Quote,
    QuoteUnit,
    TaskFacts,
    Verdict,
    assess,
    best_quote,
    per_year,
    quote_cost,
    report_order,
    with_quote,
)
from bot.services import workspaces
from bot.services.scope import Scope


@dataclass(frozen=True)
class TaskQuote:
    amount_minor: int
    unit: QuoteUnit
    per: str
    provider: str | None
    given_at: datetime | None
    provider_id: int | None = None  # None: an unnamed quote


QUOTED, TRIAL, HANDED_OFF = "quoted", "trial", "handed off"
T = TypeVar("T")


@dataclass(frozen=True)
class ShortlistLine:
    """One quote on a task's shortlist, weighed by bot.economics like the verdict's.

    ``cost`` and ``savings`` are a week's (a one-off job: the whole job's); None where the
    quote's unit does not fit the task, or (savings) the in-house cost is not known.
    """

    quote: TaskQuote
    fits: bool
    cost: Fraction | None
    savings: Fraction | None
    score: Fraction | None  # the provider's average review score, all tasks
    reviews: int
    status: str  # QUOTED, TRIAL or HANDED_OFF
    chosen: bool  # the quote the verdict uses


@dataclass(frozen=True)
class TaskReport:
    """One task as every view shows it: its settings and its assessment."""

    task_id: int
    name: str
    category: str | None
    frequency: Frequency | None
    is_core: bool
    quote: TaskQuote | None  # the one the verdict uses (economics.pick_quote)
    assessment: Assessment
    shortlist: tuple[ShortlistLine, ...] = ()
    handed_off_to: int | None = None  # the provider of the task's active hand-off

    @property
    def shortlist_quotes(self) -> tuple[TaskQuote, ...]:
        return tuple(line.quote for line in self.shortlist)


@dataclass(frozen=True)
class WorkspaceReport:
    """Every task, hand-off candidates first, with the totals the report leads with.

    The weekly totals are the recurring work's; one-off jobs are totalled apart, per job.
    """

    currency: str
    overhead_bp: int
    today: date
    window_start: date
    tasks: list[TaskReport]
    hand_off_count: int
    savings_week: Fraction
    savings_year: Fraction
    one_off_hand_off_count: int = 0
    one_off_savings_total: Fraction = Fraction(0)

    @property
    def ongoing(self) -> list[TaskReport]:
        """Every task but the one-off jobs, in report order."""
        return [t for t in self.tasks if not t.assessment.one_off]

    @property
    def one_off(self) -> list[TaskReport]:
        return [t for t in self.tasks if t.assessment.one_off]


def total_savings_week(reports: Sequence[TaskReport]) -> Fraction:
    return sum((r.assessment.savings_week or Fraction(0) for r in reports), Fraction(0))


def total_hours_freed_week(reports: Sequence[TaskReport]) -> Fraction:
    return sum((r.assessment.hours_freed_week for r in reports), Fraction(0))


def window_start(today: date) -> date:
    return today - timedelta(days=WINDOW_DAYS - 1)


class _TaskRow(Protocol):
    """What an assessment reads of a task: a Task, or a row of _TASK_COLUMNS."""

    @property
    def id(self) -> int: ...
    @property
    def workspace_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def category(self) -> str | None: ...
    @property
    def frequency(self) -> str | None: ...
    @property
    def is_core(self) -> bool: ...
    @property
    def estimate_minutes(self) -> int | None: ...
    @property
    def estimate_member_id(self) -> int | None: ...


# Whole workspaces read these columns, not Task objects: the ORM's identity map and
# instance state for 10,000 tasks cost more than their assessments' SQL.
_TASK_COLUMNS = (
    Task.id,
    Task.workspace_id,
    Task.name,
    Task.category,
    Task.frequency,
    Task.is_core,
    Task.estimate_minutes,
    Task.estimate_member_id,
)


def assess_tasks(
    session: Session,
    ws: Workspace,
    today: date,
    tasks: Sequence[Task] | None = None,
    *,
    quoted_only: bool = False,
) -> list[TaskReport]:
    """Assess ``tasks`` (default: all of the workspace's), hand-off candidates first.

    ``quoted_only`` (with the default ``tasks``) keeps to the tasks that can be handed off at
    all (quoted, not core), filtered in SQL, for "what should I outsource?" in workspaces with
    thousands of tasks.
    """
    of_tasks = [Task.workspace_id == ws.id]
    if quoted_only:
        quoted = exists().where(models.TaskQuote.task_id == Task.id)
        of_tasks += [quoted, Task.is_core.is_(False)]
    whole = tasks is None
    rows: Sequence[_TaskRow] = (
        session.execute(select(*_TASK_COLUMNS).where(*of_tasks)).all() if tasks is None else tasks
    )
    if not rows:
        return []
    return _assess(session, [ws], today, rows, whole=whole)[ws.id]


def assess_workspaces(
    session: Session, wss: Sequence[Workspace], today: date
) -> dict[int, list[TaskReport]]:
    """``assess_tasks`` of every task of each of ``wss`` (workspace id: its reports), with
    the same few queries whatever the number of workspaces: the weekly digests of a round.
    """
    out: dict[int, list[TaskReport]] = {w.id: [] for w in wss}
    for chunk in _chunks(list(wss), 500):
        tasks = session.execute(
            select(*_TASK_COLUMNS).where(Task.workspace_id.in_([w.id for w in chunk]))
        ).all()
        if tasks:
            out.update(_assess(session, chunk, today, tasks, whole=True))
    return out


def _assess(
    session: Session,
    wss: Sequence[Workspace],
    today: date,
    tasks: Sequence[_TaskRow],
    *,
    whole: bool,
) -> dict[int, list[TaskReport]]:
    """Assess ``tasks`` of the workspaces ``wss`` (``whole``: all their tasks, or more), in
    report order per workspace. Every query is scoped to ``wss``."""
    ws_ids = [w.id for w in wss]
    ids = {t.id for t in tasks}
    of = _Of(ws_ids, None if whole else [t.id for t in tasks])
    per_member, days = _time_logged(session, of, ids, window_start(today), today)
    # A one-off job is weighed whole: all the time ever logged on it, not the window's.
    one_off = [t.id for t in tasks if t.frequency == Frequency.ONCE.code]
    for jobs in _chunks(one_off):
        job_members, job_days = _time_logged(session, _Of(ws_ids, jobs), ids, None, today)
        for task_id in jobs:
            per_member[task_id] = job_members.get(task_id, [])
            days[task_id] = job_days.get(task_id, 0)
    first = _first_days(session, ws_ids, [t.id for t in tasks if t.frequency is None])
    member_ids = {m for rows in per_member.values() for m, _, _ in rows}
    member_ids |= {t.estimate_member_id for t in tasks if t.estimate_member_id is not None}
    # Keyed by workspace too: a member counts only in their own workspace.
    people: dict[tuple[int, int], tuple[int | None, str]] = {}
    for chunk in _chunks(sorted(member_ids)):
        people.update(
            ((ws_id, member_id), (rate, user_id))
            for ws_id, member_id, rate, user_id in session.execute(
                _PEOPLE, {"ws_ids": ws_ids, "member_ids": chunk}
            )
        )

    by_id = {w.id: w for w in wss}
    overheads = {w.id: workspaces.overhead(w) for w in wss}
    task_ids = None if whole else [t.id for t in tasks]
    lists = _shortlists(session, ws_ids, task_ids)
    handed = _active_handoffs(session, ws_ids, task_ids)
    out: dict[int, list[TaskReport]] = {w.id: [] for w in wss}
    for t in tasks:
        if t.workspace_id not in by_id:
            continue
        ws_id = t.workspace_id
        rows = per_member.get(t.id, [])
        estimator = people.get((ws_id, t.estimate_member_id)) if t.estimate_member_id else None
        facts = TaskFacts(
            today=today,
            members=[
                MemberTime(minutes, *people.get((ws_id, mid), (None, None)))
                for mid, minutes, _ in rows
            ],
            entries=sum(c for _, _, c in rows),
            distinct_days=int(days.get(t.id, 0)),
            first_entry_day=first.get(t.id),
            frequency=Frequency.from_code(t.frequency) if t.frequency else None,
            is_core=t.is_core,
            overhead=overheads[ws_id],
            estimate_minutes=t.estimate_minutes,
            estimate_rate_minor=estimator[0] if estimator else None,
        )
        out[ws_id].append(_report(t, facts, lists.get(t.id), handed.get(t.id)))
    for reports in out.values():
        _sort(reports)
    return out


def _sort(reports: list[TaskReport]) -> None:
    """Report order (economics.report_order), then by name.

    Exact Fractions compare slowly, and a sort of 10,000 rows compares them 130,000 times.
    Each savings is keyed by its float first: rounding to a float never reverses an order
    (x < y gives float(x) <= float(y)), so the Fraction after it decides only float ties,
    and the order is exactly that of report_order.
    """

    def key(r: TaskReport) -> tuple[int, float, Fraction, str]:
        verdict, savings = report_order(r.assessment)
        return verdict, float(savings), savings, r.name.casefold()

    reports.sort(key=key)


@dataclass(frozen=True)
class _Of:
    """Whose entries an aggregate reads: the workspaces', all their tasks or ``task_ids``."""

    ws_ids: Sequence[int]
    task_ids: Sequence[int] | None

    def params(self) -> dict[str, object]:
        many = len(self.ws_ids) > 1
        out: dict[str, object] = {
            "ws_ids" if many else "ws_id": self.ws_ids if many else self.ws_ids[0]
        }
        if self.task_ids is not None:
            out["task_ids"] = self.task_ids
        return out

    def shape(self) -> tuple[bool, bool]:
        return len(self.ws_ids) > 1, self.task_ids is not None


def _time_logged(
    session: Session, of: _Of, task_ids: Container[int], start: date | None, today: date
) -> tuple[dict[int, list[tuple[int, int, int]]], dict[int, int]]:
    """Per task of ``task_ids``: each member's minutes and entries, and the distinct days
    (occurrences), from ``start`` (None: the first entry) to ``today``."""
    params = {**of.params(), "today": today}
    per_member: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    if start is None:
        per_member_sql, days_sql = _history_statements(*of.shape())
        for task_id, member_id, minutes, count in session.execute(per_member_sql, params):
            if task_id in task_ids:
                per_member[task_id].append((member_id, int(minutes), int(count)))
        days: dict[int, int] = {
            task_id: int(n)
            for task_id, n in session.execute(days_sql, params)
            if task_id in task_ids
        }
        return per_member, days
    if (today - start).days >= MAX_MASK_DAYS:
        raise ValueError(f"a window of {(today - start).days + 1} days has more days than a mask")
    params["start"] = start
    masks: dict[int, int] = defaultdict(int)
    for task_id, member_id, minutes, count, mask in session.execute(
        _window_statement(*of.shape()), params
    ):
        if task_id in task_ids:
            per_member[task_id].append((member_id, int(minutes), int(count)))
            masks[task_id] |= int(mask)
    return per_member, {task_id: mask.bit_count() for task_id, mask in masks.items()}


def _entries_where(many_workspaces: bool, some_tasks: bool) -> list[ColumnElement[bool]]:
    """Which entries ``_time_logged`` reads, up to ``today``; the caller adds the start.

    Time logged while a task is handed off is the owner's overhead, not in-house work. No
    join on task: over a whole workspace the window's rows come from the covering
    ix_entry_window alone (a join read every row from the table, 3x slower), and rows of
    tasks not asked about are dropped by the caller; a few tasks are looked up by
    ix_entry_task_day.
    """
    where: list[ColumnElement[bool]] = [
        (
            Entry.workspace_id.in_(bindparam("ws_ids", expanding=True))
            if many_workspaces
            else Entry.workspace_id == bindparam("ws_id")
        ),
        Entry.overhead.is_(False),
        Entry.day <= bindparam("today", type_=Date),
    ]
    if some_tasks:
        where.append(Entry.task_id.in_(bindparam("task_ids", expanding=True)))
    return where


@functools.cache
def _window_statement(many_workspaces: bool, some_tasks: bool) -> Select[int, int, int, int, int]:
    """``_time_logged`` over the window: one GROUP BY by (task, member) with the days each
    member logged as a mask, so the distinct days of a task need no second pass over the
    window's rows (the two passes were most of a digest round's SQL).

    Built once per shape with bound parameters: a /logtask reply or a question about one
    task runs it every time, and building it cost more than SQLite takes to run it for one
    task.
    """
    start = bindparam("start", type_=Date)
    return (
        select(
            Entry.task_id,
            Entry.member_id,
            func.sum(Entry.minutes),
            func.count(),
            days_mask(Entry.day, start),
        )
        .where(*_entries_where(many_workspaces, some_tasks), Entry.day >= start)
        .group_by(Entry.task_id, Entry.member_id)
    )


@functools.cache
def _history_statements(
    many_workspaces: bool, some_tasks: bool
) -> tuple[Select[int, int, int, int], Select[int, int]]:
    """``_time_logged`` over all time (one-off jobs): any number of days, so no mask."""
    where = _entries_where(many_workspaces, some_tasks)
    per_member = (
        select(Entry.task_id, Entry.member_id, func.sum(Entry.minutes), func.count())
        .where(*where)
        .group_by(Entry.task_id, Entry.member_id)
    )
    days = (
        select(Entry.task_id, func.count(distinct(Entry.day))).where(*where).group_by(Entry.task_id)
    )
    return per_member, days


_PEOPLE = select(Member.workspace_id, Member.id, Member.rate_minor, Member.user_id).where(
    Member.workspace_id.in_(bindparam("ws_ids", expanding=True)),
    Member.id.in_(bindparam("member_ids", expanding=True)),
)


def _first_days(
    session: Session, ws_ids: Sequence[int], task_ids: Sequence[int]
) -> dict[int, date]:
    """The day of each task's first entry (overhead aside), for ``task_ids``.

    It only matters where hours are spread over time (no frequency). One index seek per task
    on ix_entry_task_day (workspace, task, day, ...) rather than a min(day) over every entry
    the workspace ever logged.
    """
    out: dict[int, date] = {}
    for chunk in _chunks(task_ids):
        rows = session.execute(_FIRST_DAYS, {"ws_ids": ws_ids, "task_ids": chunk})
        out.update((task_id, day) for task_id, day in rows if day is not None)
    return out


_FIRST_DAYS = select(
    Task.id,
    select(func.min(Entry.day))
    .where(
        Entry.workspace_id == Task.workspace_id,
        Entry.task_id == Task.id,
        Entry.overhead.is_(False),
    )
    .scalar_subquery(),
).where(
    Task.workspace_id.in_(bindparam("ws_ids", expanding=True)),
    Task.id.in_(bindparam("task_ids", expanding=True)),
)


def _chunks(ids: Sequence[T], size: int = 5000) -> Iterator[Sequence[T]]:
    """``ids`` in slices small enough for any driver's limit on bound parameters."""
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


@dataclass(frozen=True)
class _Shortlist:
    """A task's quotes, earliest given first, with their providers' status and scores."""

    quotes: list[TaskQuote]
    status: dict[int, str]  # provider id: TRIAL or HANDED_OFF while active
    scores: dict[int, tuple[Fraction, int]]  # provider id: average score, reviews


def shortlists(
    session: Session, ws: Workspace, task_ids: Sequence[int] | None
) -> dict[int, _Shortlist]:
    """The shortlists of ``task_ids`` (None: every task of the workspace), in one query.

    A hand-off to a provider with no quote on the task is no line of its shortlist, and
    picks no quote: the verdict then weighs the best one.
    """
    return _shortlists(session, [ws.id], task_ids)


def _shortlists(
    session: Session, ws_ids: Sequence[int], task_ids: Sequence[int] | None
) -> dict[int, _Shortlist]:
    """``shortlists`` of the workspaces ``ws_ids``: each quote weighed in its own workspace."""
    params: dict[str, object] = {"ws_ids": ws_ids}
    if task_ids is not None:
        params["task_ids"] = task_ids
    out: dict[int, _Shortlist] = {}
    for task_id, provider_id, amount, unit, per, given, name, handed, trial, total, n in session.execute(
        _shortlists_statement(task_ids is not None), params
    ):  # fmt: skip
        sl = out.setdefault(task_id, _Shortlist([], {}, {}))
        sl.quotes.append(TaskQuote(amount, QuoteUnit(unit), per, name, given, provider_id))
        if provider_id is None:
            continue
        if handed or trial:
            sl.status[provider_id] = HANDED_OFF if handed else TRIAL
        if n:
            sl.scores[provider_id] = (Fraction(int(total), int(n)), int(n))
    return out


@functools.cache
def _shortlists_statement(some_tasks: bool) -> Select[Any]:
    """``_shortlists``' query, built once (it has four subqueries: building it each time cost
    more than running it for one task), with bound parameters."""
    q = models.TaskQuote

    def active(kind: str) -> ColumnElement[bool]:
        return (
            select(Engagement.id)
            .where(
                Engagement.workspace_id == q.workspace_id,  # ix_engagement_task's first column
                Engagement.task_id == q.task_id,
                Engagement.provider_id == q.provider_id,
                Engagement.kind == kind,
                Engagement.ended_on.is_(None),
            )
            .exists()
        )

    reviews = select(Review.score).where(
        Review.workspace_id == q.workspace_id, Review.provider_id == q.provider_id
    )
    score_sum = reviews.with_only_columns(func.sum(Review.score)).scalar_subquery()
    score_count = reviews.with_only_columns(func.count(Review.id)).scalar_subquery()
    where = [q.workspace_id.in_(bindparam("ws_ids", expanding=True))]
    if some_tasks:
        where.append(q.task_id.in_(bindparam("task_ids", expanding=True)))
    return (
        select(
            q.task_id, q.provider_id, q.amount_minor, q.unit, q.per, q.created_at, Provider.name,
            active("handoff"), active("trial"), score_sum, score_count,
        )
        .outerjoin(Provider, Provider.id == q.provider_id)
        .where(*where)
        .order_by(q.task_id, q.created_at, q.id)
    )  # fmt: skip


def active_handoffs(
    session: Session, ws: Workspace, task_ids: Sequence[int] | None
) -> dict[int, int]:
    """Task id: the provider it is handed off to now, for ``task_ids`` (None: all tasks).

    From the hand-offs themselves, not the shortlist: a task stays handed off when its
    provider's quote is removed later.
    """
    return _active_handoffs(session, [ws.id], task_ids)


def _active_handoffs(
    session: Session, ws_ids: Sequence[int], task_ids: Sequence[int] | None
) -> dict[int, int]:
    if task_ids is None:
        rows = session.execute(_ACTIVE_HANDOFFS, {"ws_ids": ws_ids})
    else:
        rows = session.execute(_ACTIVE_HANDOFFS_OF, {"ws_ids": ws_ids, "task_ids": task_ids})
    return {task_id: provider_id for task_id, provider_id in rows}


_ACTIVE_HANDOFFS = select(Engagement.task_id, Engagement.provider_id).where(
    Engagement.workspace_id.in_(bindparam("ws_ids", expanding=True)),
    Engagement.kind == "handoff",
    Engagement.ended_on.is_(None),
)
_ACTIVE_HANDOFFS_OF = _ACTIVE_HANDOFFS.where(
    Engagement.task_id.in_(bindparam("task_ids", expanding=True))
)


def _report(
    t: _TaskRow, facts: TaskFacts, shortlist: _Shortlist | None, handed_to: int | None
) -> TaskReport:
    """The task's assessment with the quote economics.best_quote picks from its shortlist."""
    base = assess(facts)
    quotes = shortlist.quotes if shortlist else []
    priced = [Quote(q.amount_minor, q.unit) for q in quotes]
    handed_index = next(
        (i for i, q in enumerate(quotes) if handed_to is not None and q.provider_id == handed_to),
        None,
    )
    weighed = [quote_cost(p, base) for p in priced]
    chosen = best_quote(weighed, handed_index)
    assessment = (
        base if chosen is None else with_quote(base, facts, priced[chosen], weighed[chosen])
    )
    lines = []
    for i, (q, w) in enumerate(zip(quotes, weighed, strict=True)):
        score = shortlist.scores.get(q.provider_id) if shortlist and q.provider_id else None
        lines.append(
            ShortlistLine(
                quote=q,
                fits=w.fits,
                cost=w.cost,
                savings=w.savings,
                score=score[0] if score else None,
                reviews=score[1] if score else 0,
                status=(
                    shortlist.status.get(q.provider_id, QUOTED)
                    if shortlist and q.provider_id
                    else QUOTED
                ),
                chosen=i == chosen,
            )
        )
    return TaskReport(
        task_id=t.id,
        name=t.name,
        category=t.category,
        frequency=facts.frequency,
        is_core=t.is_core,
        quote=quotes[chosen] if chosen is not None else None,
        assessment=assessment,
        shortlist=tuple(lines),
        handed_off_to=handed_to,
    )


def report(session: Session, scope: Scope, today: date) -> WorkspaceReport:
    ws = workspaces.workspace(session, scope)
    return summarise(ws.currency, ws.overhead_bp, today, assess_tasks(session, ws, today))


def summarise(
    currency: str, overhead_bp: int, today: date, tasks: list[TaskReport]
) -> WorkspaceReport:
    """The report of ``tasks`` (in report order), with its totals."""
    # A task handed off already is no candidate: its savings are measured as realized.
    hand_off = [
        t for t in tasks if t.assessment.verdict is Verdict.HAND_OFF and t.handed_off_to is None
    ]
    jobs = [t for t in hand_off if t.assessment.one_off]
    hand_off = [t for t in hand_off if not t.assessment.one_off]
    savings = total_savings_week(hand_off)
    return WorkspaceReport(
        currency=currency,
        overhead_bp=overhead_bp,
        today=today,
        window_start=window_start(today),
        tasks=tasks,
        hand_off_count=len(hand_off),
        savings_week=savings,
        savings_year=per_year(savings),
        one_off_hand_off_count=len(jobs),
        one_off_savings_total=sum(
            (t.assessment.savings_total or Fraction(0) for t in jobs), Fraction(0)
        ),
    )


def task_report(session: Session, ws: Workspace, task: Task, today: date) -> TaskReport:
    if task.workspace_id != ws.id:  # a caller's bug: every query here is scoped to ``ws``
        raise ValueError(f"task {task.id} is not of workspace {ws.id}")
    return assess_tasks(session, ws, today, [task])[0]


def minutes_between(session: Session, ws: Workspace, task: Task, start: date, end: date) -> int:
    params = {"ws_id": ws.id, "task_id": task.id, "start": start, "end": end}
    return int(session.scalar(_MINUTES_BETWEEN, params) or 0)


_MINUTES_BETWEEN = select(func.coalesce(func.sum(Entry.minutes), 0)).where(
    Entry.workspace_id == bindparam("ws_id"),
    Entry.task_id == bindparam("task_id"),
    Entry.day.between(bindparam("start", type_=Date), bindparam("end", type_=Date)),
)
