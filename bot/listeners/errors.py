"""Acks, and failures: logged once, and the user always hears that something went wrong.

Bolt's ``@app.error`` handler covers failures up to the ack. The work after the ack runs as a
Bolt lazy listener, and Bolt only logs what a lazy listener raises (its whole message, which
may hold what the member typed) — the member would hear nothing. So the work runs inside
``after_ack``. Both routes end in ``report``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from slack_bolt import Ack, App, BoltContext, Respond

from bot.logs import brief_traceback, describe
from bot.slack.replies import deliver

SORRY = (
    ":face_with_head_bandage: Sorry — something went wrong on my side and nothing was saved. "
    "Please try again in a minute."
)


Notify = Callable[[str], object]


class AfterSave(Exception):
    """A failure once the command's change was committed: the member hears ``said`` (that
    it is saved) instead of SORRY's "nothing was saved"."""

    def __init__(self, said: str) -> None:
        super().__init__("failed after the change was saved")
        self.said = said


def acknowledge(ack: Ack) -> None:
    """The ack half of every listener: nothing that can wait on Slack or the database."""
    ack()


def report(error: BaseException, logger: logging.Logger, notify: Notify | None) -> None:
    cause = error.__cause__ if isinstance(error, AfterSave) and error.__cause__ else error
    # Not exc_info: a traceback would quote the whole message, often the member's input.
    logger.error("listener failed: %s\n%s", describe(cause), brief_traceback(cause))
    if notify is None:
        return
    try:
        notify(error.said if isinstance(error, AfterSave) else SORRY)
    except Exception as e:
        logger.error("could not tell the user about the failure: %s", describe(e))


def ephemeral(respond: Respond | None, logger: logging.Logger) -> Notify | None:
    if respond is None or respond.response_url is None:
        return None
    return lambda text: deliver(respond, logger, text=text, response_type="ephemeral")


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
        report(error, logger, ephemeral(respond, logger) if context.get(VERIFIED) else None)
