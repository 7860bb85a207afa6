"""/logtask: acknowledge at once; then, on a worker, parse, run the service, answer ephemerally."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.db.engine import Database
from bot.errors import UserError
from bot.listeners import digest, export, reminders
from bot.listeners.errors import AfterSave, after_ack, ephemeral
from bot.money import Money
from bot.parse import commands as c
from bot.parse.logtask import (
    COMMAND,
    delete_task_command,
    merge_command,
    parse,
    rename_command,
)
from bot.services import (
    analysis,
    categories,
    entries,
    handoffs,
    providers,
    questions,
    task_admin,
    tasks,
    workspaces,
)
from bot.slack.members import Caller, scope_of
from bot.slack.replies import deliver
from bot.views import answers, edits, near_miss
from bot.views import handoffs as handoff_views
from bot.views import logtask as views
from bot.views import providers as provider_views
from bot.views.common import Message
from bot.views.common import error as error_message

# Runs its argument on the listener pool (bot.app.ListenerPool.take_slot).
Start = Callable[[Callable[[], object]], object]

BUSY = (
    ":hourglass: I'm swamped with commands right now, so I did not run this one and nothing "
    "was saved. Please send it again in a minute."
)


def register(app: App, db: Database, take_slot: Callable[[], Start | None]) -> None:
    """/logtask acks in the request thread and hands the work to the listener pool itself
    (not as a Bolt lazy listener, which would copy the request twice and queue even when
    the pool is full): ``take_slot`` gives a place in the pool's backlog, or None, and then
    the ack says "busy" and nothing runs."""

    def handle(
        ack: Ack,
        command: dict[str, Any],
        respond: Respond,
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        scope, user_id = scope_of(context), command["user_id"]
        channel_id, text = command.get("channel_id", ""), command.get("text") or ""

        def caller() -> Caller:
            return Caller(db, client, scope, user_id, channel_id)

        start = take_slot()  # from here on, only ack (which sets the response) before start
        if start is None:
            ack(text=BUSY, response_type="ephemeral")
            return
        ack()
        start(lambda: run_for(caller, text, respond, logger))

    app.command(COMMAND)(handle)


def run_for(
    caller: Callable[[], Caller],
    text: str,
    respond: Respond,
    logger: logging.Logger,
    **delivery: bool,
) -> None:
    """Run the /logtask ``text`` for ``caller`` and answer through the response_url.

    The slash command's path, and a button's (bot/listeners/actions.py), which passes
    ``replace_original`` so the answer takes the place of the message clicked.
    """
    reply: Message | None = None
    with after_ack(logger, ephemeral(respond, logger)):
        reply = reply_to(text, caller())
    if reply is not None:  # a failure to deliver it is logged by deliver, never "Sorry"
        deliver(respond, logger, **reply, response_type="ephemeral", **delivery)


def reply_to(text: str, caller: Caller) -> Message:
    ctx = parse_context(caller)
    try:
        cmd = parse(text, ctx)
    except UserError as e:
        return error_message(e)
    try:
        return answer(cmd, caller)
    except tasks.NearMiss as e:  # nothing was saved: ask which task was meant
        return near_miss.ask(cmd, e, ctx)
    except providers.ProviderNearMiss as e:  # the same, for a provider's name
        return near_miss.ask_provider(cmd, e, ctx)
    except tasks.FixWith as e:
        return views.fix_with(e)
    except UserError as e:
        return error_message(e)


def parse_context(caller: Caller) -> c.Context:
    """What the grammar needs: the member's today (their Slack timezone) and the currency."""
    return _LazyContext(caller)


class _LazyContext(c.Context):
    """A parse context that reads the workspace's currency only when the grammar asks for it
    (an amount): a plain log never does, and saves the transaction (on SQLite a turn at the
    write lock) that reading it costs."""

    def __init__(self, caller: Caller) -> None:  # c.Context is frozen: set as dataclasses do
        object.__setattr__(self, "today", caller.today)
        object.__setattr__(self, "_caller", caller)

    @functools.cached_property
    def currency(self) -> str:
        caller: Caller = self.__dict__["_caller"]
        with caller.db.transaction() as s:
            return workspaces.settings(s, caller.scope).currency


def answer(cmd: c.Command, caller: Caller) -> Message:
    """Run one parsed command and render its reply; UserError for anything the user must fix."""
    db, scope, user_id = caller.db, caller.scope, caller.user_id
    today = caller.today
    match cmd:
        case c.Help(topic=None):
            return views.help_message()
        case c.Help(topic=str(topic)):
            return views.command_help(topic)
        case c.LogTime():
            with db.transaction() as s:
                saved = tasks.save_log(
                    s,
                    scope,
                    user_id,
                    cmd.task,
                    cmd.minutes,
                    cmd.day,
                    today,
                    frequency=cmd.frequency,
                    category=cmd.category,
                    literal=cmd.literal,
                )
            # The figures after the commit, in a snapshot: the write lock is held for the
            # writes alone (see tasks.logged). The entry is saved whatever happens now.
            try:
                with db.snapshot() as s:
                    logged = tasks.logged(s, saved)
                return views.logged(logged, bare_hours=cmd.bare_hours)
            except Exception as e:
                raise AfterSave(views.saved_without_figures(saved)) from e
        case c.Rate(amount=None):
            with db.transaction() as s:
                return views.rate_shown(*workspaces.rate(s, scope, user_id))
        case c.Rate(amount=Money() as amount):
            with db.transaction() as s:
                return views.rate_set(workspaces.set_rate(s, scope, user_id, amount), cmd.converted)
        case c.SetQuote():
            with db.transaction() as s:
                change = tasks.set_quote(
                    s,
                    scope,
                    cmd.task,
                    cmd.amount,
                    cmd.unit,
                    cmd.per,
                    cmd.provider,
                    today,
                    user_id=user_id,
                    literal=cmd.literal,
                    bare=cmd.bare,
                    provider_literal=cmd.provider_literal,
                )
            return views.quote_set(change)
        case c.RemoveQuote():
            with db.transaction() as s:
                change = tasks.remove_quote(
                    s,
                    scope,
                    cmd.task,
                    today,
                    user_id=user_id,
                    literal=cmd.literal,
                    provider=cmd.provider,
                    provider_literal=cmd.provider_literal,
                )
            return views.quote_set(change)
        case c.StartTrial():
            with db.transaction() as s:
                started = providers.start_trial(
                    s,
                    scope,
                    user_id,
                    cmd.task,
                    cmd.provider,
                    today,
                    literal=cmd.literal,
                    provider_literal=cmd.provider_literal,
                )
            return provider_views.trial_started(started)
        case c.AddReview():
            with db.transaction() as s:
                reviewed = providers.add_review(
                    s,
                    scope,
                    user_id,
                    cmd.provider,
                    cmd.score,
                    today,
                    on_time=cmd.on_time,
                    note=cmd.note,
                    task_name=cmd.task,
                    provider_literal=cmd.provider_literal,
                    literal=cmd.literal,
                )
            return provider_views.review_added(reviewed)
        case c.Providers():
            with caller.snapshot() as s:
                return provider_views.provider_list(providers.provider_list(s, scope, today))
        case c.ProviderShow():
            with caller.snapshot() as s:
                detail = providers.provider_detail(
                    s, scope, cmd.provider, today, literal=cmd.provider_literal
                )
            return provider_views.provider_detail(detail)
        case c.SetFrequency(task=name, frequency=frequency, literal=literal):
            with db.transaction() as s:
                change = tasks.set_frequency(
                    s, scope, name, frequency, today, user_id=user_id, literal=literal
                )
            return views.frequency_set(change)
        case c.SetEstimate(task=name, minutes=minutes, literal=literal):
            with db.transaction() as s:
                change = tasks.set_estimate(
                    s, scope, user_id, name, minutes, today, literal=literal
                )
            return views.estimate_set(change)
        case c.SetCategory(task=name, category=category, literal=literal):
            with db.transaction() as s:
                change = tasks.set_category(
                    s, scope, name, category, today, user_id=user_id, literal=literal
                )
            return views.category_set(change)
        case c.SetCore(task=name, core=core, literal=literal):
            with db.transaction() as s:
                return views.core_set(
                    tasks.set_core(s, scope, name, core, today, user_id=user_id, literal=literal)
                )
        case c.Report(by_category=True):
            with caller.snapshot() as s:
                return handoff_views.by_category(categories.report(s, scope, today))
        case c.Report():
            with caller.snapshot() as s:
                return views.report(
                    analysis.report(s, scope, today), handoffs.overview(s, scope, today)
                )
        case c.HandOff():
            with db.transaction() as s:
                handed = handoffs.handoff(
                    s,
                    scope,
                    user_id,
                    cmd.task,
                    cmd.provider,
                    today,
                    literal=cmd.literal,
                    provider_literal=cmd.provider_literal,
                )
            return handoff_views.handed_off(handed)
        case c.Paid():
            with db.transaction() as s:
                recorded = handoffs.paid(
                    s,
                    scope,
                    user_id,
                    cmd.task,
                    cmd.amount,
                    cmd.day,
                    today,
                    provider_name=cmd.provider,
                    literal=cmd.literal,
                    provider_literal=cmd.provider_literal,
                )
            return handoff_views.paid(recorded)
        case c.TakeBack():
            with db.transaction() as s:
                back = handoffs.takeback(s, scope, user_id, cmd.task, today, literal=cmd.literal)
            return handoff_views.taken_back(back)
        case c.Should(task=name, literal=literal):
            with caller.snapshot() as s:
                reply = questions.about(s, scope, name, today, literal=literal)
                return answers.render(reply, slash=True)
        case c.History():
            with db.transaction() as s:
                return edits.history(tasks.history(s, scope, user_id), today)
        case c.Undo(confirm=confirm):
            with db.transaction() as s:
                outcome = tasks.undo(s, scope, user_id, confirm=confirm)
            return edits.undo_outcome(outcome, caller.clock.tz, caller.clock.now)
        case c.EditEntry(number=number, minutes=minutes, day=day):
            with db.transaction() as s:
                edited = entries.edit_entry(s, scope, user_id, number, minutes, day, today)
            return edits.entry_edited(edited, today)
        case c.DeleteEntry(number=number):
            with db.transaction() as s:
                return edits.entry_deleted(
                    entries.delete_entry(s, scope, user_id, number, today), today
                )
        case c.RenameTask() | c.MergeTasks() | c.DeleteTask():
            return _task_admin(cmd, caller)
        case c.Overhead(share=None):
            with db.transaction() as s:
                return views.overhead_shown(workspaces.settings(s, scope).overhead_bp)
        case c.Overhead(share=Fraction() as share):
            with db.transaction() as s:
                return views.overhead_set(
                    workspaces.set_overhead(s, scope, share, user_id=user_id), cmd.as_fraction
                )
        case c.Currency(code=None):
            with db.transaction() as s:
                return views.currency_shown(workspaces.settings(s, scope).currency)
        case c.Currency(code=str(code)):
            with db.transaction() as s:
                return views.currency_set(workspaces.set_currency(s, scope, code, user_id=user_id))
        case (
            c.DigestShow() | c.DigestOff() | c.DigestPreview() | c.DigestNow() | c.DigestConfigure()
        ):
            return digest.answer(cmd, caller)
        case c.Export():
            return export.answer(cmd, caller)
        case c.RemindShow() | c.RemindOff() | c.RemindSet():
            return reminders.answer(cmd, caller)
    raise AssertionError(f"unhandled command {cmd!r}")  # pragma: no cover


def _task_admin(cmd: c.RenameTask | c.MergeTasks | c.DeleteTask, caller: Caller) -> Message:
    """Rename, merge or delete a task; a name that is not a task gets the closest ones back."""
    db, scope, user_id, today = caller.db, caller.scope, caller.user_id, caller.today
    try:
        with db.transaction() as s:
            match cmd:
                case c.RenameTask():
                    return edits.task_renamed(
                        task_admin.rename_task(s, scope, user_id, cmd.readings)
                    )
                case c.MergeTasks():
                    return edits.tasks_merged(
                        task_admin.merge_tasks(s, scope, user_id, cmd.readings, today)
                    )
                case c.DeleteTask():
                    return edits.task_deleted(
                        task_admin.delete_task(s, scope, user_id, cmd.task, today)
                    )
    except task_admin.UnknownTask as e:
        return edits.no_such_task(e.name, [(n, _with_name(cmd, e.role, n)) for n in e.candidates])
    except task_admin.NameTaken as e:
        return edits.name_taken(e.task, e.other, merge_command(e.task, e.other))
    raise AssertionError(f"unhandled command {cmd!r}")  # pragma: no cover


def _with_name(cmd: c.RenameTask | c.MergeTasks | c.DeleteTask, role: str, name: str) -> str:
    """The command again, with ``name`` in the place of the one that named no task."""
    match cmd:
        case c.RenameTask():
            return rename_command(name, cmd.new_name)
        case c.MergeTasks():
            return (
                merge_command(name, cmd.into) if role == "task" else merge_command(cmd.task, name)
            )
        case c.DeleteTask():
            return delete_task_command(name)
