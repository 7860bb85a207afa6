"""The App Home: publish the dashboard; open its modals (Log time, Add a quote, Set my rate)
and take their submissions.

The dashboard and the modal are built after the ack, on a worker. A modal's submission is
different: Slack shows errors in the modal only when they come back in the ack itself, and a
near-miss name is only known by looking at the workspace's tasks. So the submission is read
and saved inside the ack (the database, never the Web API: the member's timezone came along
in the modal's private_metadata); the DM confirming it and the republished Home follow after.

"Add a quote" and "Set my rate" are forms for one /logtask command each: the ack checks the
text they make with the /logtask grammar (a problem comes back in the modal), and the
command then runs after the ack exactly as typed, its answer sent as a DM.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import datetime
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.errors import UserError
from bot.listeners.errors import acknowledge, after_ack
from bot.listeners.logtask import reply_to
from bot.parse import home_forms
from bot.parse import log_form as form
from bot.parse.commands import Context
from bot.parse.log_form import FormErrors, LogForm, parse_log_form
from bot.services import home as service
from bot.services import tasks, workspaces
from bot.services.scope import Scope
from bot.slack.members import Caller, scope_of, zone
from bot.views import home as views
from bot.views import logtask as logtask_views
from bot.views.common import Message

LOGGED = "home_logged"  # context key: the confirmation the ack saved, for the worker to send
COMMAND_TEXT = "home_command"  # context key: the /logtask text a modal's ack checked, to run
# Homes published before the modals carried these ids on the same two buttons.
OLD_BUTTONS = {"home_how_to_quote": views.ADD_QUOTE, "home_how_to_rate": views.SET_RATE}


def register(app: App, db: Database) -> None:
    def opened(
        event: dict[str, Any], client: WebClient, context: BoltContext, logger: logging.Logger
    ) -> None:
        if event.get("tab") != "home":
            return  # the Messages tab: nothing to publish
        with after_ack(logger):
            publish(Caller(db, client, scope_of(context), str(event.get("user", ""))))

    def open_log_modal(
        body: dict[str, Any], client: WebClient, context: BoltContext, logger: logging.Logger
    ) -> None:
        with after_ack(logger):
            caller = Caller(db, client, scope_of(context), body["user"]["id"])
            today, tz = caller.today, zone(caller.profile.tz).key
            with db.transaction() as s:
                options = service.recent_tasks(s, caller.scope)
            client.views_open(
                trigger_id=body["trigger_id"], view=views.log_modal(options, today, tz)
            )

    def open_command_modal(
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        which = OLD_BUTTONS.get(action.get("action_id", ""), action.get("action_id"))
        with after_ack(logger):
            caller = Caller(db, client, scope_of(context), body["user"]["id"])
            tz = zone(caller.profile.tz).key
            with db.transaction() as s:
                if which == views.ADD_QUOTE:
                    view = views.quote_modal(service.recent_tasks(s, caller.scope), tz)
                else:
                    view = views.rate_modal(*workspaces.rate(s, caller.scope, caller.user_id), tz)
            client.views_open(trigger_id=body["trigger_id"], view=view)

    def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        user_id = body["user"]["id"]
        try:
            context[LOGGED] = save(db, scope_of(context), user_id, view, utcnow())
        except FormErrors as e:
            ack(response_action="errors", errors=e.errors)
            return
        ack()

    def check_command(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext
    ) -> None:
        try:
            context[COMMAND_TEXT] = command_text(db, scope_of(context), view, utcnow())
        except FormErrors as e:
            ack(response_action="errors", errors=e.errors)
            return
        ack()

    def run_command(
        body: dict[str, Any], client: WebClient, context: BoltContext, logger: logging.Logger
    ) -> None:
        text = context.get(COMMAND_TEXT)
        if text is None:
            return
        caller = Caller(db, client, scope_of(context), body["user"]["id"])
        with after_ack(logger):
            client.chat_postMessage(channel=caller.user_id, **reply_to(text, caller))
        with after_ack(logger):
            publish(caller)

    def confirm(
        body: dict[str, Any], client: WebClient, context: BoltContext, logger: logging.Logger
    ) -> None:
        reply = context.get(LOGGED)
        if reply is None:
            return
        user_id = body["user"]["id"]
        with after_ack(logger):
            # To the member's DM with the app: a modal opened from the Home has no channel to
            # answer in ephemerally, and the DM keeps the receipt where the member can find it.
            client.chat_postMessage(channel=user_id, **reply)
        with after_ack(logger):
            publish(Caller(db, client, scope_of(context), user_id))

    app.event("app_home_opened")(ack=acknowledge, lazy=[opened])
    app.action(views.LOG_TIME)(ack=acknowledge, lazy=[open_log_modal])
    buttons = (views.ADD_QUOTE, views.SET_RATE, *OLD_BUTTONS)
    app.action(re.compile("^(" + "|".join(buttons) + ")$"))(
        ack=acknowledge, lazy=[open_command_modal]
    )
    app.view(views.LOG_MODAL)(ack=submit, lazy=[confirm])
    app.view(re.compile(f"^({views.QUOTE_MODAL}|{views.RATE_MODAL})$"))(
        ack=check_command, lazy=[run_command]
    )


def publish(caller: Caller) -> None:
    """Publish the member's Home as it is now."""
    today = caller.today
    with caller.db.transaction() as s:
        dashboard = service.dashboard(s, caller.scope, caller.user_id, today)
    caller.client.views_publish(user_id=caller.user_id, view=views.home(dashboard))


def command_text(db: Database, scope: Scope, view: dict[str, Any], now: datetime) -> str:
    """The /logtask text an "Add a quote" or "Set my rate" modal makes; FormErrors if none."""
    today = now.astimezone(zone(_tz(view))).date()
    with db.transaction() as s:
        ctx = Context(today, workspaces.settings(s, scope).currency)
        fields = read_fields(view)
        if view.get("callback_id") == views.RATE_MODAL:
            return home_forms.rate_text(fields.get(home_forms.RATE), ctx)
        picked = fields.get(form.TASK)
        name = service.task_name(s, scope, int(picked)) if picked and picked.isdigit() else None
        if picked and name is None:
            raise FormErrors({form.TASK: "That task is gone: pick another, or type a name."})
    return home_forms.quote_text(
        home_forms.QuoteForm(
            picked=name,
            new_name=fields.get(form.NEW_TASK),
            price=fields.get(home_forms.PRICE),
            provider=fields.get(home_forms.PROVIDER),
        ),
        ctx,
    )


def _tz(view: dict[str, Any]) -> str | None:
    """The member's timezone, which rode along in the modal's private_metadata."""
    try:
        tz = json.loads(view.get("private_metadata") or "{}").get("tz")
    except (ValueError, AttributeError):
        return None
    return tz if isinstance(tz, str) else None


def save(db: Database, scope: Scope, user_id: str, view: dict[str, Any], now: datetime) -> Message:
    """Read the submitted modal and log the time; the confirmation /logtask would give.

    FormErrors, and nothing saved, for anything the member has to fix.
    """
    today = now.astimezone(zone(_tz(view))).date()
    request = parse_log_form(read_form(view), today)
    block = form.TASK if request.task_id is not None else form.NEW_TASK
    try:
        with db.transaction() as s:
            if request.task_id is not None:
                name = service.task_name(s, scope, request.task_id)
                if name is None:
                    raise FormErrors({block: "That task is gone: pick another, or type a name."})
                literal = True  # picked from the list: exactly that task
            else:
                assert request.name is not None
                name, literal = request.name, request.literal
            logged = tasks.log_time(
                s,
                scope,
                user_id,
                name,
                request.minutes,
                request.day,
                today,
                frequency=request.frequency,
                category=request.category,
                literal=literal,
            )
    except tasks.NearMiss as e:
        raise FormErrors({block: views.near_miss_error(e)}) from None
    except UserError as e:
        where = form.FREQUENCY if request.frequency is not None else block
        raise FormErrors({where: e.problem[:1].upper() + e.problem[1:]}) from None
    return logtask_views.logged(logged, bare_hours=request.bare_hours)


def read_fields(view: dict[str, Any]) -> dict[str, str | None]:
    """Each input block's value: what was typed, picked (an option's value) or chosen."""
    values: dict[str, Any] = (view.get("state") or {}).get("values") or {}
    fields: dict[str, str | None] = {}
    for block, inputs in values.items():
        element = (inputs or {}).get(views.VALUE) or {}
        match element.get("type"):
            case "static_select":
                value = (element.get("selected_option") or {}).get("value")
            case "datepicker":
                value = element.get("selected_date")
            case _:
                value = element.get("value")
        fields[block] = value if isinstance(value, str) else None
    return fields


def read_form(view: dict[str, Any]) -> LogForm:
    fields = read_fields(view)

    def field(block: str) -> str | None:
        return fields.get(block)

    return LogForm(
        task_id=field(form.TASK),
        new_name=field(form.NEW_TASK),
        duration=field(form.DURATION),
        day=field(form.DAY),
        frequency=field(form.FREQUENCY),
        category=field(form.CATEGORY),
    )
