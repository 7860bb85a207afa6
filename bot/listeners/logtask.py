"""/logtask: acknowledge at once; then, on a worker, parse, run the service, answer ephemerally."""

from __future__ import annotations

import logging
from fractions import Fraction
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.db.engine import Database
from bot.errors import UserError
from bot.listeners import digest
from bot.listeners.errors import acknowledge, after_ack, ephemeral
from bot.money import Money
from bot.parse import commands as c
from bot.parse.logtask import COMMAND, parse
from bot.services import analysis, questions, tasks, workspaces
from bot.slack.members import Caller, scope_of
from bot.slack.replies import deliver
from bot.views import answers
from bot.views import logtask as views
from bot.views.common import Message
from bot.views.common import error as error_message


def register(app: App, db: Database) -> None:
    def run(
        command: dict[str, Any],
        respond: Respond,
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        reply: Message | None = None
        with after_ack(logger, ephemeral(respond, logger)):
            caller = Caller(
                db, client, scope_of(context), command["user_id"], command.get("channel_id", "")
            )
            reply = reply_to(command.get("text") or "", caller)
        if reply is not None:  # a failure to deliver it is logged by deliver, never "Sorry"
            deliver(respond, logger, **reply, response_type="ephemeral")

    app.command(COMMAND)(ack=acknowledge, lazy=[run])


def reply_to(text: str, caller: Caller) -> Message:
    try:
        return answer(parse(text, parse_context(caller)), caller)
    except tasks.FixWith as e:
        return views.fix_with(e)
    except UserError as e:
        return error_message(e)


def parse_context(caller: Caller) -> c.Context:
    """What the grammar needs: the member's today (their Slack timezone) and the currency."""
    with caller.db.transaction() as s:
        currency = workspaces.settings(s, caller.scope).currency
    return c.Context(caller.today, currency)


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
                logged = tasks.log_time(
                    s,
                    scope,
                    user_id,
                    cmd.task,
                    cmd.minutes,
                    cmd.day,
                    today,
                    frequency=cmd.frequency,
                    category=cmd.category,
                )
            return views.logged(logged, bare_hours=cmd.bare_hours)
        case c.Rate(amount=None):
            with db.transaction() as s:
                return views.rate_shown(*workspaces.rate(s, scope, user_id))
        case c.Rate(amount=Money() as amount):
            with db.transaction() as s:
                return views.rate_set(workspaces.set_rate(s, scope, user_id, amount))
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
                    bare=cmd.bare,
                )
            return views.quote_set(change)
        case c.RemoveQuote(task=name):
            with db.transaction() as s:
                return views.quote_set(tasks.remove_quote(s, scope, name, today))
        case c.SetFrequency(task=name, frequency=frequency):
            with db.transaction() as s:
                return views.frequency_set(tasks.set_frequency(s, scope, name, frequency, today))
        case c.SetEstimate(task=name, minutes=minutes):
            with db.transaction() as s:
                change = tasks.set_estimate(s, scope, user_id, name, minutes, today)
            return views.estimate_set(change)
        case c.SetCategory(task=name, category=category):
            with db.transaction() as s:
                return views.category_set(tasks.set_category(s, scope, name, category, today))
        case c.SetCore(task=name, core=core):
            with db.transaction() as s:
                return views.core_set(tasks.set_core(s, scope, name, core, today))
        case c.Report():
            with db.snapshot() as s:
                return views.report(analysis.report(s, scope, today))
        case c.Should(task=name):
            with db.snapshot() as s:
                return answers.render(questions.about(s, scope, name, today), slash=True)
        case c.History():
            with db.transaction() as s:
                return views.history(tasks.history(s, scope, user_id), today)
        case c.Undo():
            with db.transaction() as s:
                return views.undone(tasks.undo(s, scope, user_id), today)
        case c.Overhead(share=None):
            with db.transaction() as s:
                return views.overhead_shown(workspaces.settings(s, scope).overhead_bp)
        case c.Overhead(share=Fraction() as share):
            with db.transaction() as s:
                return views.overhead_set(workspaces.set_overhead(s, scope, share), cmd.as_fraction)
        case c.Currency(code=None):
            with db.transaction() as s:
                return views.currency_shown(workspaces.settings(s, scope).currency)
        case c.Currency(code=str(code)):
            with db.transaction() as s:
                return views.currency_set(workspaces.set_currency(s, scope, code))
        case (
            c.DigestShow() | c.DigestOff() | c.DigestPreview() | c.DigestNow() | c.DigestConfigure()
        ):
            return digest.answer(cmd, caller)
    raise AssertionError(f"unhandled command {cmd!r}")  # pragma: no cover
