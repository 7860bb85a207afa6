"""Tasks and time entries: logging, quotes, frequencies, core flags, history and undo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import bindparam, insert, select
from sqlalchemy.orm import Session

from bot import matching, money
from bot.db.base import utcnow
from bot.db.models import Entry, Member, Provider, Task, TaskQuote, Workspace
from bot.economics import Frequency, QuoteUnit, quote_fits
from bot.errors import UserError
from bot.names import task_key
from bot.services import analysis, changes, entries, overhead, providers, workspaces
from bot.services.analysis import TaskReport
from bot.services.scope import Scope

HISTORY_SIZE = 10
ESTIMATE_FIELDS = ("estimate_minutes", "estimate_member_id", "frequency")


class FixWith(UserError):
    """Refused, with the command that does what was meant: its words after /logtask.

    Services know what would work but not how commands are typed; the view puts the words
    together (``bot.views.logtask.fix_with``).
    """

    def __init__(self, problem: str, *words: str) -> None:
        super().__init__(problem)
        self.words = words


_BY_KEY = select(Task).where(Task.workspace_id == bindparam("ws"), Task.key == bindparam("key"))


def find_task(session: Session, ws: Workspace, name: str) -> Task | None:
    # Built once (bound parameters): every log looks its task up.
    return session.scalars(_BY_KEY, {"ws": ws.id, "key": task_key(name)}).first()


def task_for(
    session: Session, ws: Workspace, name: str, creator: Member | None = None
) -> tuple[Task, bool]:
    """The workspace's task called ``name``, created (by ``creator``) if new; and whether it was."""
    return workspaces.get_or_create(
        session,
        Task,
        {"name": name, "created_by": creator.id if creator else None},
        workspace_id=ws.id,
        key=task_key(name),
    )


@dataclass(frozen=True)
class Change:
    """A setting of the task that a log line changed: the reply says so."""

    what: str  # "frequency", "category"
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Logged:
    task: TaskReport
    created: bool
    minutes: int
    day: date
    today: date
    week_minutes: int  # on this task in the week of ``day`` (Monday to Sunday), up to today
    currency: str
    changes: tuple[Change, ...] = ()
    number: int | None = None  # the entry's #number, for edit and delete
    handed_off_to: str | None = None  # the day is in a hand-off: the entry is overhead


def log_time(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    minutes: int,
    day: date,
    today: date,
    *,
    frequency: Frequency | None = None,
    category: str | None = None,
    literal: bool = False,
) -> Logged:
    """Save ``minutes`` on ``task_name`` (created if new) for ``day`` of the member's calendar,
    and read the reply's figures in the same transaction.

    NearMiss, and nothing saved, when an unquoted (not ``literal``) name is close to a task.
    """
    saved = save_log(
        session,
        scope,
        user_id,
        task_name,
        minutes,
        day,
        today,
        frequency=frequency,
        category=category,
        literal=literal,
    )
    return logged(session, saved)


@dataclass(frozen=True)
class Saved:
    """A log saved: what its reply says, and the rows (loaded, usable once their session is
    closed) its figures are read for."""

    workspace: Workspace
    task: Task
    created: bool
    minutes: int
    day: date
    today: date
    changes: tuple[Change, ...]
    number: int
    handed_off_to: str | None  # the day is in a hand-off to them: the entry is overhead


def save_log(
    session: Session,
    scope: Scope,
    user_id: str,
    task_name: str,
    minutes: int,
    day: date,
    today: date,
    *,
    frequency: Frequency | None = None,
    category: str | None = None,
    literal: bool = False,
) -> Saved:
    """The writes of ``log_time``, without the reply's figures (``logged``)."""
    member = workspaces.member(session, scope, user_id)  # and the workspace, in one query
    ws = workspaces.workspace(session, scope)
    task, created = named_task(session, ws, task_name, literal, member)
    if frequency is not None:
        _check_price_fits(session, task, frequency, ws.currency, " Nothing was logged.")
    # The number locks the workspace row until the commit (entries.next_number), so it is
    # taken once the task is found: a near miss's search over every name holds no lock. Then
    # the log writes only its own rows: the task's settings (assigned below, flushed later),
    # the entry and its change record, whose foreign keys take KEY SHARE locks, which the
    # row updates of a currency switch (members, quotes, payments, then the workspace) do not
    # wait for. A new task's row was inserted before the lock, and another log naming it
    # waits on its unique key before taking the lock: no two transactions wait in a circle.
    number = entries.next_number(session, ws)
    settings_before = changes.fields(task, ("frequency", "category"))
    said = []
    if frequency is not None and task.frequency != frequency.value:
        if not created and task.frequency is not None:
            said.append(Change("frequency", task.frequency, frequency.value))
        task.frequency = frequency.value
    if category is not None and task.category != category:
        if not created and task.category is not None:
            said.append(Change("category", task.category, category))
        task.category = category
    # Time on a task while it is handed off is the owner's overhead, not in-house work.
    handoff = overhead.covering(session, ws.id, task.id, day)
    entry = Entry(
        workspace_id=ws.id,
        task_id=task.id,
        member_id=member.id,
        number=number,
        minutes=minutes,
        day=day,
        overhead=handoff is not None,
        created_at=utcnow(),
    )
    # A Core INSERT (the row's id back): the ORM's unit of work for one new row cost more
    # than the INSERT on every log. The entry is not in the session; nothing here reads it
    # back through the session, and the reply's figures are queried from the database.
    values = {k: getattr(entry, k) for k in _ENTRY_COLUMNS}
    entry.id = session.connection().execute(_INSERT_ENTRY, values).scalar_one()
    _record_log(session, ws, member, task, entry, settings_before, created)
    return Saved(
        workspace=ws,
        task=task,
        created=created,
        minutes=minutes,
        day=day,
        today=today,
        changes=tuple(said),
        number=number,
        handed_off_to=handoff.provider.name if handoff is not None else None,
    )


def logged(session: Session, saved: Saved) -> Logged:
    """The reply to a saved log: the task's figures with the entry counted.

    /logtask reads them in a snapshot once the log is committed (bot/listeners/logtask.py),
    so that the write lock (on SQLite, the database's; on PostgreSQL, the workspace row's)
    is held for the writes alone, about half of a log's work.
    """
    ws, task, day, today = saved.workspace, saved.task, saved.day, saved.today
    # The week the entry belongs to, so a backdated entry is counted with its own week.
    monday = day - timedelta(days=day.weekday())
    week_end = min(monday + timedelta(days=6), today)
    return Logged(
        task=analysis.task_report(session, ws, task, today),
        created=saved.created,
        minutes=saved.minutes,
        day=day,
        today=today,
        week_minutes=analysis.minutes_between(session, ws, task, monday, week_end),
        currency=ws.currency,
        changes=saved.changes,
        number=saved.number,
        handed_off_to=saved.handed_off_to,
    )


_ENTRY_COLUMNS = (
    *("workspace_id", "task_id", "member_id", "number"),
    *("minutes", "day", "overhead", "created_at"),
)
_INSERT_ENTRY = insert(Entry).returning(Entry.id)


def _record_log(
    session: Session,
    ws: Workspace,
    member: Member,
    task: Task,
    entry: Entry,
    settings_before: changes.State,
    created: bool,
) -> None:
    moved = [] if created else [k for k, v in settings_before.items() if getattr(task, k) != v]
    summary: list[str | changes.Part] = [
        "logged ", changes.minutes(entry.minutes), " on ", changes.name(task.name),
        " for ", changes.day(entry.day), " as ", changes.entry(entry.number),
    ]  # fmt: skip
    for k in moved:
        summary += [
            f", which set its {k} ",
            changes.value(setting_text(k, settings_before[k])),
            " → ",
            changes.value(setting_text(k, getattr(task, k))),
        ]
    changes.record(
        session,
        ws,
        member,
        "log",
        summary,
        {
            "entry": changes.row(entry),
            "task": changes.ref(task),
            "task_name": task.name,
            "before": {k: settings_before[k] for k in moved},
            "after": changes.fields(task, moved),
            "created": changes.row(task) if created else None,
        },
    )


def setting_text(what: str, value: str | None) -> str:
    """A frequency or category as a summary shows it: ``weekly``, ``#content``, ``none``."""
    if value is None:
        return "none"
    return f"#{value}" if what == "category" else value


def _record_setting(
    session: Session,
    ws: Workspace,
    member: Member,
    kind: str,
    task: Task,
    before: changes.State,
    created: bool,
    summary: list[str | changes.Part],
) -> None:
    """Record a change to some of a task's columns (``before`` holds their old values)."""
    after = changes.fields(task, before)
    if after == before and not created:
        return
    session.flush()
    changes.record(
        session,
        ws,
        member,
        kind,
        summary,
        {
            "task": changes.ref(task),
            "task_name": task.name,
            "what": kind,
            "before": before,
            "after": after,
            "created": changes.row(task) if created else None,
        },
    )


@dataclass(frozen=True)
class TaskChange:
    """The outcome of quote/freq/core/estimate: the task as it now stands."""

    task: TaskReport
    created: bool
    currency: str
    removed_quote: bool = False
    quote: analysis.TaskQuote | None = None  # the quote just given
    removed_quotes: int = 0  # how many quotes a removal took off the shortlist
    removed_from: str | None = None  # the provider whose quote was removed
    made_one_off: bool = False  # it had no frequency; a lump sum or an estimate made it once
    price_for_job: bool = False  # a price with no unit on a one-off job: read as the whole job
    removed_estimate: bool = False


def _frequency(task: Task) -> Frequency | None:
    return Frequency.from_code(task.frequency) if task.frequency else None


def _from(provider: str | None) -> tuple[str, ...]:
    return ("from", provider) if provider else ()


def lock(session: Session, task: Task) -> None:
    """Hold the task's row until the transaction ends: its shortlist and frequency change
    one at a time. The row is read again under the lock, so ``task`` is what another
    transaction committed while this one waited, not what it read before."""
    session.execute(
        select(Task)
        .where(Task.id == task.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def quotes_of(session: Session, task: Task) -> list[TaskQuote]:
    """The task's shortlist, earliest given first."""
    return list(
        session.scalars(
            select(TaskQuote)
            .where(TaskQuote.task_id == task.id)
            .order_by(TaskQuote.created_at, TaskQuote.id)
        )
    )


def _quote_of(session: Session, task: Task, provider: Provider | None) -> TaskQuote | None:
    """The task's quote from ``provider`` (None: its unnamed quote)."""
    return next((q for q in quotes_of(session, task) if q.provider_id == _id(provider)), None)


def _id(provider: Provider | None) -> int | None:
    return provider.id if provider is not None else None


def _provider_name(q: TaskQuote) -> str | None:
    return q.provider.name if q.provider is not None else None


def _check_price_fits(
    session: Session,
    task: Task,
    frequency: Frequency,
    currency: str,
    outcome: str = "",
    *,
    replacing: TaskQuote | None = None,
) -> None:
    """Refuse a frequency that a quote on the shortlist cannot price: the reply names the
    quote to give. ``replacing``: a quote about to be replaced, which does not count."""
    for q in quotes_of(session, task):
        unit = QuoteUnit(q.unit)
        if q is replacing or quote_fits(unit, frequency.is_once):
            continue
        amount = money.format_money(q.amount_minor, currency)
        provider = _from(_provider_name(q))
        if frequency.is_once:
            raise FixWith(
                f"“{task.name}” is priced per {unit.value} ({amount}), which says nothing about "
                f"what a one-off job costs in total.{outcome} Quote the whole job first",
                "quote", task.name, "<price>", "total", *provider,
            )  # fmt: skip
        raise FixWith(
            f"“{task.name}” is priced as one whole job ({amount} in total), which says nothing "
            f"about a task that happens {frequency.phrase}.{outcome} Quote one time first, then "
            "set how often it happens",
            "quote", task.name, amount, "each", *provider,
        )  # fmt: skip


def _record_quotes(
    session: Session,
    ws: Workspace,
    member: Member,
    task: Task,
    before: changes.State,
    quotes_before: list[changes.State],
    created: bool,
    providers_made: list[changes.State],
    summary: list[str | changes.Part],
) -> None:
    session.flush()
    changes.record(
        session,
        ws,
        member,
        "quote",
        summary,
        {
            "task": changes.ref(task),
            "task_name": task.name,
            "what": "quotes",
            "before": before,
            "after": changes.fields(task, before),
            "quotes_before": quotes_before,
            "quotes_after": changes.quote_rows(session, task),
            "providers_made": providers_made,
            "created": changes.row(task) if created else None,
        },
    )


def _read(q: TaskQuote) -> analysis.TaskQuote:
    return analysis.TaskQuote(
        q.amount_minor, QuoteUnit(q.unit), q.per, _provider_name(q), q.created_at, q.provider_id
    )


def set_quote(
    session: Session,
    scope: Scope,
    task_name: str,
    amount: money.Money,
    unit: QuoteUnit,
    per: str,
    provider: str | None,
    today: date,
    *,
    user_id: str,
    literal: bool = False,
    bare: bool = False,
    provider_literal: bool = False,
) -> TaskChange:
    """Put ``provider``'s quote (None: the unnamed one) on the task's shortlist, replacing
    theirs and keeping the others'. ``bare``: the price came with no unit; on a one-off job
    it prices the whole job."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    workspaces.check_currency(ws, amount)
    task, created = named_task(session, ws, task_name, literal, member)
    lock(session, task)
    who: Provider | None = None
    made: list[changes.State] = []
    if provider is not None:
        who, new_provider = providers.named_provider(
            session, ws, provider, provider_literal, member
        )
        if new_provider:
            made.append(changes.row(who))
    shown_from = _from(who.name if who else None)
    # The frequency too: a lump sum on a task with none makes it a one-off job.
    before = changes.fields(task, ("frequency",))
    quotes_before = changes.quote_rows(session, task)
    existing = _quote_of(session, task, who)
    old = changes.quote(existing, ws.currency)
    frequency = _frequency(task)
    one_off = frequency is not None and frequency.is_once
    price_for_job = bare and one_off
    if price_for_job:
        unit, per = QuoteUnit.TOTAL, "job"
    shown = money.format_money(amount.minor, amount.currency)
    made_one_off = False
    if unit is QuoteUnit.TOTAL and not one_off:
        if frequency is not None:
            raise FixWith(
                f"“{task.name}” happens {frequency.phrase}, so a price for the whole job can't "
                "be weighed against it — give the price of one time",
                "quote", task.name, shown, "each", *shown_from,
            )  # fmt: skip
        if analysis.task_report(session, ws, task, today).assessment.recurring:
            raise FixWith(
                f"“{task.name}” has time logged on different days, so it looks recurring: give "
                "the price of one time. If it is one job, set its frequency to once first",
                "quote", task.name, shown, "each", *shown_from,
            )  # fmt: skip
        _check_price_fits(
            session, task, Frequency.ONCE, ws.currency, " Nothing was saved.", replacing=existing
        )
        task.frequency = Frequency.ONCE.code
        made_one_off = True
    if unit in (QuoteUnit.WEEK, QuoteUnit.MONTH) and one_off:
        raise FixWith(
            f"“{task.name}” is a one-off job: a price per {unit.value} says nothing about what "
            "the whole job costs — give the price for the job",
            "quote", task.name, shown, "total", *shown_from,
        )  # fmt: skip
    q = existing or TaskQuote(workspace_id=ws.id, task_id=task.id, provider_id=_id(who))
    q.amount_minor = amount.minor
    q.unit = unit.value
    q.per = per
    q.member_id = member.id
    q.created_at = utcnow()
    if existing is None:
        session.add(q)
    session.flush()
    q.provider = who
    _record_quotes(
        session, ws, member, task, before, quotes_before, created, made,
        ["set the quote on ", changes.name(task.name), ": ", old, " → ",
         changes.quote(q, ws.currency)],
    )  # fmt: skip
    return TaskChange(
        analysis.task_report(session, ws, task, today),
        created,
        ws.currency,
        quote=_read(q),
        made_one_off=made_one_off,
        price_for_job=price_for_job,
    )


def remove_quote(
    session: Session,
    scope: Scope,
    task_name: str,
    today: date,
    *,
    user_id: str,
    literal: bool = False,
    provider: str | None = None,
    provider_literal: bool = False,
) -> TaskChange:
    """Take ``provider``'s quote off the task's shortlist; with no provider, every quote."""
    ws = workspaces.workspace(session, scope)
    task = existing_task(session, ws, task_name, literal)
    if task is None:
        raise UserError(f"“{task_name}” has no quote to remove", command="quote")
    lock(session, task)
    before, quotes_before = changes.fields(task, ("frequency",)), changes.quote_rows(session, task)
    summary: list[str | changes.Part]
    if provider is not None:
        who = providers.existing_provider(session, ws, provider, provider_literal)
        q = _quote_of(session, task, who)
        if q is None:
            raise UserError(
                f"“{task.name}” has no quote from “{who.name}” to remove", command="quote"
            )
        gone = [q]
        summary = ["removed the quote on ", changes.name(task.name), " (",
                   changes.quote(q, ws.currency), ")"]  # fmt: skip
    else:
        gone = quotes_of(session, task)
        if not gone:
            raise UserError(f"“{task.name}” has no quote to remove", command="quote")
        if len(gone) == 1:
            summary = ["removed the quote on ", changes.name(task.name), " (",
                       changes.quote(gone[0], ws.currency), ")"]  # fmt: skip
        else:
            summary = ["removed ", changes.count(len(gone), "quote"), " on ",
                       changes.name(task.name)]  # fmt: skip
    removed_from = _provider_name(gone[0]) if provider is not None else None
    for q in gone:
        session.delete(q)
    _record_quotes(
        session, ws, workspaces.member(session, scope, user_id), task, before, quotes_before,
        False, [], summary,
    )  # fmt: skip
    return TaskChange(
        analysis.task_report(session, ws, task, today),
        False,
        ws.currency,
        True,
        removed_quotes=len(gone),
        removed_from=removed_from,
    )


def set_frequency(
    session: Session,
    scope: Scope,
    name: str,
    frequency: Frequency,
    today: date,
    *,
    user_id: str,
    literal: bool = False,
) -> TaskChange:
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task, created = named_task(session, ws, name, literal, member)
    lock(session, task)  # a lump-sum quote given meanwhile must be checked against
    _check_price_fits(session, task, frequency, ws.currency)
    before = changes.fields(task, ("frequency",))
    task.frequency = frequency.value
    _record_setting(
        session, ws, member, "frequency", task, before, created,
        ["set the frequency of ", changes.name(task.name), ": ",
         changes.value(setting_text("frequency", before["frequency"])), " → ",
         changes.value(frequency.value)],
    )  # fmt: skip
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


def set_estimate(
    session: Session,
    scope: Scope,
    user_id: str,
    name: str,
    minutes: int | None,
    today: date,
    *,
    literal: bool = False,
) -> TaskChange:
    """Size a one-off job in hours (``minutes`` None clears it); its verdict then uses them.

    A task with no frequency becomes a one-off job; a recurring one is refused: its hours
    come from the time logged each time it happens.
    """
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    if minutes is None:
        found = existing_task(session, ws, name, literal)
        if found is None or found.estimate_minutes is None:
            raise UserError(f"“{name}” has no estimate to remove", command="estimate")
        before = changes.fields(found, ESTIMATE_FIELDS)
        old = found.estimate_minutes
        found.estimate_minutes = found.estimate_member_id = None
        _record_setting(
            session, ws, member, "estimate", found, before, False,
            ["removed the estimate of ", changes.name(found.name), " (",
             changes.minutes(old), ")"],
        )  # fmt: skip
        report = analysis.task_report(session, ws, found, today)
        return TaskChange(report, False, ws.currency, removed_estimate=True)
    task, created = named_task(session, ws, name, literal, member)
    before = changes.fields(task, ESTIMATE_FIELDS)
    frequency = _frequency(task)
    made_one_off = False
    if frequency is not None and not frequency.is_once:
        raise UserError(
            f"“{task.name}” happens {frequency.phrase}: its hours come from the time logged "
            "each time. An estimate sizes a one-off job",
            command="estimate",
        )
    if frequency is None:
        if analysis.task_report(session, ws, task, today).assessment.recurring:
            raise FixWith(
                f"“{task.name}” has time logged on different days, so it looks recurring. "
                "If it is one job, set its frequency to once first",
                "freq", task.name, "once",
            )  # fmt: skip
        task.frequency = Frequency.ONCE.code
        made_one_off = True
    task.estimate_minutes = minutes
    task.estimate_member_id = member.id
    _record_setting(
        session, ws, member, "estimate", task, before, created,
        ["set the estimate of ", changes.name(task.name), " to ", changes.minutes(minutes)],
    )  # fmt: skip
    return TaskChange(
        analysis.task_report(session, ws, task, today),
        created,
        ws.currency,
        made_one_off=made_one_off,
    )


def set_category(
    session: Session,
    scope: Scope,
    name: str,
    category: str | None,
    today: date,
    *,
    user_id: str,
    literal: bool = False,
) -> TaskChange:
    """``category`` None clears it."""
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    task, created = named_task(session, ws, name, literal, member)
    before = changes.fields(task, ("category",))
    task.category = category
    _record_setting(
        session, ws, member, "category", task, before, created,
        ["set the category of ", changes.name(task.name), ": ",
         changes.value(setting_text("category", before["category"])), " → ",
         changes.value(setting_text("category", category))],
    )  # fmt: skip
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


def set_core(
    session: Session,
    scope: Scope,
    name: str,
    core: bool,
    today: date,
    *,
    user_id: str,
    literal: bool = False,
) -> TaskChange:
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    if core:
        task, created = named_task(session, ws, name, literal, member)
    else:
        found = existing_task(session, ws, name, literal)
        if found is None:
            raise UserError(f"there is no task called “{name}”", command="notcore")
        task, created = found, False
    before = changes.fields(task, ("is_core",))
    task.is_core = core
    _record_setting(
        session, ws, member, "core", task, before, created,
        ["marked ", changes.name(task.name),
         " as core expertise" if core else " as no longer core"],
    )  # fmt: skip
    return TaskChange(analysis.task_report(session, ws, task, today), created, ws.currency)


@dataclass(frozen=True)
class HistoryLine:
    number: int  # the entry's #number in its workspace
    task: str
    minutes: int
    day: date
    logged_at: datetime


def _latest_entries(session: Session, scope: Scope, user_id: str, limit: int) -> list[Entry]:
    ws = workspaces.workspace(session, scope)
    member = workspaces.member(session, scope, user_id)
    return list(
        session.scalars(
            select(Entry)
            .where(Entry.workspace_id == ws.id, Entry.member_id == member.id)
            .order_by(Entry.created_at.desc(), Entry.id.desc())
            .limit(limit)
        )
    )


def _line(e: Entry) -> HistoryLine:
    return HistoryLine(e.number, e.task.name, e.minutes, e.day, e.created_at)


def history(
    session: Session, scope: Scope, user_id: str, limit: int = HISTORY_SIZE
) -> list[HistoryLine]:
    return [_line(e) for e in _latest_entries(session, scope, user_id, limit)]


def undo(
    session: Session, scope: Scope, user_id: str, *, confirm: bool = False
) -> changes.UndoOutcome:
    """Undo the member's latest change of any kind (bot/services/changes.py)."""
    return changes.undo(
        session,
        workspaces.workspace(session, scope),
        workspaces.member(session, scope, user_id),
        confirm=confirm,
    )


# ---- finding a task by a loosely typed name -----------------------------------------------


@dataclass(frozen=True)
class Match:
    task: Task | None
    candidates: list[str]


def match_task(session: Session, ws: Workspace, text: str) -> Match:
    """The task ``text`` names: exactly (case, spacing, end punctuation), else loosely."""
    exact = find_task(session, ws, text)
    if exact is not None:
        return Match(exact, [])
    # Core, not the ORM's row processing: a workspace may have thousands of tasks. (Core
    # does not autoflush; find_task's query above just did.)
    names = session.connection().execute(_NAMES, {"ws": ws.id})
    found = matching.best_match(text, ((task_id, name) for task_id, name in names))
    return Match(session.get(Task, found.id) if found.id is not None else None, found.candidates)


_NAMES = select(Task.id, Task.name).where(Task.workspace_id == bindparam("ws"))


class NearMiss(UserError):
    """An unquoted name that is no task but close to some: nothing was done; ask which was meant.

    ``can_create``: the command would create the task as typed, so that is an option too.
    """

    def __init__(self, typed: str, candidates: list[str], can_create: bool) -> None:
        meant = ", ".join(f"“{c}”" for c in candidates[:-1])
        meant = f"{meant} or “{candidates[-1]}”" if meant else f"“{candidates[-1]}”"
        super().__init__(f"there is no task called “{typed}”. Did you mean {meant}?")
        self.typed = typed
        self.candidates = candidates
        self.can_create = can_create


def existing_task(session: Session, ws: Workspace, name: str, literal: bool) -> Task | None:
    """The task called ``name``; None if there is none; NearMiss if it is close to some.

    A ``literal`` (quoted) name is only ever that exact task. Even one confident loose match
    is asked about: a command that changes a task must not silently pick another one.
    """
    task = find_task(session, ws, name)
    if task is None and not literal:
        task = _created_since_or_near_miss(session, ws, name, can_create=False)
    return task


def named_task(
    session: Session, ws: Workspace, name: str, literal: bool, creator: Member | None = None
) -> tuple[Task, bool]:
    """The task called ``name``, created (by ``creator``) if new (and whether it was), unless
    it is a near miss."""
    task = find_task(session, ws, name)
    if task is None and not literal:
        task = _created_since_or_near_miss(session, ws, name, can_create=True)
    if task is not None:
        return task, False
    return task_for(session, ws, name, creator)


def _created_since_or_near_miss(
    session: Session, ws: Workspace, name: str, can_create: bool
) -> Task | None:
    """For a name no task has: NearMiss if it is close to some task's, else None.

    On PostgreSQL each statement sees the latest commits, so another member's log may have
    created the task since the caller's lookup, and the search then finds it by its own name:
    that is the task (returned), not a near miss. Only a near miss pays for the second lookup.
    """
    match = match_task(session, ws, name)
    near = [match.task.name] if match.task is not None else match.candidates
    if not near:
        return None
    if (task := find_task(session, ws, name)) is not None:
        return task
    raise NearMiss(name, near, can_create=can_create)
