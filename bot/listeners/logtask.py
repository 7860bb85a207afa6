"""/logtask: acknowledge at once; then, on a worker, parse, run the service, answer ephemerally."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.db.engine import Database
from bot.errors import UserError
from bot.listeners.errors import acknowledge, after_ack, ephemeral
from bot.listeners.members import Clock, member_clock, scope_of
from bot.listeners.replies import deliver
from bot.parse import logtask as cmds
from bot.parse.question import AboutTask
from bot.services import analysis, questions, tasks, workspaces
from bot.services.scope import Scope
from bot.views import answers
from bot.views import logtask as views
from bot.views.common import Message
from bot.views.common import error as error_message

COMMAND = "/logtask"

DigestHandler = Callable[[cmds.Digest, dict[str, Any], Scope, WebClient], Message]


def register(app: App, db: Database, digest: DigestHandler | None = None) -> None:
    def run(
        command: dict[str, Any],
        respond: Respond,
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        reply: Message | None = None
        with after_ack(logger, ephemeral(respond, logger)):
            reply = reply_to(command, scope_of(context), command["user_id"], client)
        if reply is not None:  # a failure to deliver it is logged by deliver, never "Sorry"
            deliver(respond, logger, **reply, response_type="ephemeral")

    app.command(COMMAND)(ack=acknowledge, lazy=[run])

    def reply_to(command: dict[str, Any], scope: Scope, user_id: str, client: WebClient) -> Message:
        try:
            cmd = cmds.parse(command.get("text") or "")
            if isinstance(cmd, cmds.Digest) and digest is not None:
                reply = digest(cmd, command, scope, client)
            else:
                reply = answer(
                    cmd, db, scope, user_id, lambda: member_clock(db, client, scope, user_id)
                )
        except UserError as e:
            reply = error_message(e)
        return reply


def answer(
    cmd: cmds.Command, db: Database, scope: Scope, user_id: str, clock: Callable[[], Clock]
) -> Message:
    """Run one parsed command and render its reply; UserError for anything the user must fix."""
    match cmd:
        case cmds.Help() | cmds.Digest():
            return views.help_message()
        case cmds.Rate(amount=None):
            with db.transaction() as s:
                ws = workspaces.workspace(s, scope)
                return views.rate_shown(
                    workspaces.member(s, scope, user_id).rate_minor, ws.currency
                )
        case cmds.Rate(amount=str(amount)):
            with db.transaction() as s:
                return views.rate_set(workspaces.set_rate(s, scope, user_id, amount))
        case cmds.Overhead(share=None):
            with db.transaction() as s:
                return views.overhead_shown(workspaces.workspace(s, scope).overhead_bp)
        case cmds.Overhead(share=Fraction() as share):
            with db.transaction() as s:
                return views.overhead_set(workspaces.set_overhead(s, scope, share))
        case cmds.Currency(code=None):
            with db.transaction() as s:
                return views.currency_shown(workspaces.workspace(s, scope).currency)
        case cmds.Currency(code=str(code)):
            with db.transaction() as s:
                return views.currency_set(workspaces.set_currency(s, scope, code))

    today = clock().today  # everything below depends on the member's calendar
    match cmd:
        case cmds.LogTime():
            with db.transaction() as s:
                return views.logged(tasks.log_time(s, scope, user_id, cmd, today))
        case cmds.SetQuote():
            with db.transaction() as s:
                return views.quote_set(tasks.set_quote(s, scope, cmd, today))
        case cmds.SetFrequency(task=name, frequency=frequency):
            with db.transaction() as s:
                return views.frequency_set(tasks.set_frequency(s, scope, name, frequency, today))
        case cmds.SetCore(task=name, core=core):
            with db.transaction() as s:
                return views.core_set(tasks.set_core(s, scope, name, core, today))
        case cmds.Report():
            with db.transaction() as s:
                return views.report(analysis.report(s, scope, today))
        case cmds.Should(task=name):
            return should(db, scope, name, today)
        case cmds.History():
            with db.transaction() as s:
                return views.history(tasks.history(s, scope, user_id), today)
        case cmds.Undo():
            with db.transaction() as s:
                return views.undone(tasks.undo(s, scope, user_id), today)
    raise AssertionError(f"unhandled command {cmd!r}")  # pragma: no cover


def should(db: Database, scope: Scope, name: str, today: date) -> Message:
    with db.transaction() as s:
        return answers.render(questions.answer(s, scope, AboutTask(name), today), slash=True)
