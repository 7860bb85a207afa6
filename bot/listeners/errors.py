"""Failures: logged once, and the user always hears that something went wrong.

Bolt's ``@app.error`` handler covers failures before the ack. Failures after the ack go
through ``after_ack`` instead: when a listener raises within Bolt's ack-polling interval,
Bolt's runner discards the ack it already has and Slack would see a 404. Both routes end
in ``report``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_bolt import App, BoltContext, Respond

SORRY = (
    ":face_with_head_bandage: Sorry — something went wrong on my side and nothing was saved. "
    "Please try again in a minute."
)


Notify = Callable[[str], object]


def report(error: BaseException, logger: logging.Logger, notify: Notify | None) -> None:
    logger.error("listener failed: %s", error, exc_info=error)
    if notify is None:
        return
    try:
        notify(SORRY)
    except Exception:
        logger.exception("could not tell the user about the failure")


def ephemeral(respond: Respond | None) -> Notify | None:
    if respond is None or respond.response_url is None:
        return None
    return lambda text: respond(text=text, response_type="ephemeral")


@contextmanager
def after_ack(logger: logging.Logger, notify: Notify | None = None) -> Iterator[None]:
    try:
        yield
    except Exception as e:
        report(e, logger, notify)


# Set by a global middleware, which Bolt runs only after its signature check and authorization.
VERIFIED = "handoff_verified"


def register(app: App) -> None:
    @app.use
    def mark_verified(context: BoltContext, next: Callable[[], None]) -> None:
        context[VERIFIED] = True
        next()

    @app.error
    def on_error(
        error: Exception,
        context: BoltContext,
        logger: logging.Logger,
        respond: Respond | None = None,
    ) -> None:
        # A failure before verification must not make the bot post to a URL the sender chose.
        report(error, logger, ephemeral(respond) if context.get(VERIFIED) else None)
