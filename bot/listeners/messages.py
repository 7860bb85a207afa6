"""Questions in direct messages and mentions: acked at once, answered once on a worker."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.engine import Database
from bot.listeners.errors import acknowledge, after_ack
from bot.parse.question import (
    AboutTask,
    Chatter,
    Compare,
    CostOf,
    Maybe,
    TimeSpent,
    WhatToHandOff,
    parse_question,
)
from bot.services import events, questions
from bot.slack.members import Caller, scope_of
from bot.views import answers


def register(app: App, db: Database) -> None:
    def on_mention(
        event: dict[str, Any],
        body: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        if str(event.get("channel", "")).startswith("D") or _not_for_us(event, context):
            return  # a DM arrives as message.im too; answer it there, once
        thread = event.get("thread_ts") or event["ts"]

        def post(**reply: Any) -> object:
            return client.chat_postMessage(channel=event["channel"], thread_ts=thread, **reply)

        _answer_once(db, client, context, body, event, logger, post)

    def on_message(
        event: dict[str, Any],
        body: dict[str, Any],
        client: WebClient,
        context: BoltContext,
        logger: logging.Logger,
    ) -> None:
        if event.get("channel_type") != "im" or _not_for_us(event, context):
            return  # channel chatter, edits, deletions and bots' messages get no answer

        def post(**reply: Any) -> object:
            return client.chat_postMessage(channel=event["channel"], **reply)

        _answer_once(db, client, context, body, event, logger, post)

    app.event("app_mention")(ack=acknowledge, lazy=[on_mention])
    app.event("message")(ack=acknowledge, lazy=[on_message])


def _answer_once(
    db: Database,
    client: WebClient,
    context: BoltContext,
    body: dict[str, Any],
    event: dict[str, Any],
    logger: logging.Logger,
    post: Callable[..., object],
) -> None:
    """Answer the question in ``event`` with ``post``, unless this delivery is a retry.

    "Sorry" only when working out the answer failed. Posting the answer is tried once: a
    post that timed out may well have arrived, and a second message — the answer again, or
    "Sorry" under it — would be wrong; so a failed post is logged instead.
    """
    reply: dict[str, Any] | None = None
    with after_ack(logger, lambda text: post(text=text)):
        if _first_delivery(db, body, context):
            reply = _reply(db, client, context, event)
    if reply is None:
        return
    try:
        post(**reply)
    except SlackApiError as e:
        logger.warning("answer not posted: Slack said %s", e.response.get("error"))
    except Exception as e:
        logger.warning("answer not posted: %s", type(e).__name__)


def _not_for_us(event: dict[str, Any], context: BoltContext) -> bool:
    return bool(
        event.get("subtype")  # message_changed, message_deleted, bot_message, …
        or event.get("bot_id")
        or not event.get("user")
        or event.get("user") == context.bot_user_id
    )


def _first_delivery(db: Database, body: dict[str, Any], context: BoltContext) -> bool:
    with db.transaction() as s:
        return events.claim(s, context.team_id or "", str(body.get("event_id", "")))


def _reply(
    db: Database, client: WebClient, context: BoltContext, event: dict[str, Any]
) -> dict[str, Any]:
    question = parse_question(event.get("text") or "")
    if isinstance(question, Chatter):
        return answers.help_message()
    scope = scope_of(context)
    caller = Caller(db, client, scope, event["user"])
    today = caller.today
    with caller.snapshot() as s:
        match question:
            case WhatToHandOff():
                return answers.render(questions.top(s, scope, today))
            case AboutTask(task=name):
                return answers.render(questions.about(s, scope, name, today))
            case Maybe(text=name):
                return answers.render(questions.about(s, scope, name, today, asked=False))
            case Compare(tasks=names, whole=whole, asked=asked):
                return answers.render(questions.compare(s, scope, names, whole, today, asked=asked))
            case CostOf(task=name):
                return answers.render_cost(questions.cost(s, scope, name, today))
            case TimeSpent(task=name, everyone=everyone, period=period):
                return answers.render_spent(
                    questions.time_spent(
                        s, scope, event["user"], name, period, today, everyone=everyone
                    )
                )
    raise AssertionError(question)  # pragma: no cover
