"""Buttons: a click runs the /logtask command in the button's value, as the member who clicked.

Buttons built with ``command_button`` (bot/views/common.py) carry /logtask text as their value
("write blog post 2h 2026-11-23", "undo confirm"). The click is acked at once; the command then
runs on a worker through the slash command's own path, for the member, workspace and channel
the click came from. Its answer replaces the message that held the button when that was the
member's own ephemeral reply; under a channel message (the digest's "Why?") it goes to the
clicker alone and the message stays. A value is no
more trusted than typed text: it runs with the clicker's own rights, and a stale or forged one
gets the answer that text would get.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App, BoltContext, Respond
from slack_sdk import WebClient

from bot.db.engine import Database
from bot.listeners.errors import acknowledge
from bot.listeners.logtask import run_for
from bot.slack.members import Caller, scope_of
from bot.views.common import RUN_COMMAND


def register(app: App, db: Database) -> None:
    def run(
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        def caller() -> Caller:
            return Caller(db, client, scope_of(context), body["user"]["id"], _channel(body))

        value = action.get("value")
        # A button on an ephemeral reply is the clicker's own: the answer takes its place. One
        # on a channel message (the digest) is everyone's: the answer goes to the clicker alone.
        own = bool((body.get("container") or {}).get("is_ephemeral"))
        run_for(
            caller, value if isinstance(value, str) else "", respond, logger, replace_original=own
        )

    app.action(RUN_COMMAND)(ack=acknowledge, lazy=[run])


def _channel(body: dict[str, Any]) -> str:
    container = body.get("container") or {}
    channel = body.get("channel") or {}
    return str(container.get("channel_id") or channel.get("id") or "")
