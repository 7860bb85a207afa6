"""The Bolt app factory: everything Slack-facing is wired here, nothing at import time."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.db.engine import Database
from bot.listeners import actions, errors, home, logtask, messages, uninstall
from bot.oauth.authorize import org_workspace
from bot.oauth.flow import multi_workspace
from bot.settings import Settings

T = TypeVar("T")

# Few threads: listener work shares the GIL with acks, and SQLite serialises writes anyway.
LISTENER_THREADS = 4


def make_client(settings: Settings, token: str | None = None) -> WebClient:
    """A WebClient that waits out Slack's 429s (Retry-After) instead of failing; with the bot
    token of single-workspace mode unless given a workspace's ``token``."""
    client = WebClient(
        token=token or settings.slack_bot_token, base_url=settings.slack_api_url, timeout=15
    )
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


class HandoffApp(App):
    """Bolt's App, keeping the signing secret for bot.server, which verifies before Bolt does."""

    def __init__(self, *, signing_secret: str | None, **kwargs: Any) -> None:
        super().__init__(signing_secret=signing_secret, **kwargs)
        self.signing_secret = signing_secret


class InlineExecutor(Executor):
    """Runs each submitted function at once, in the submitting thread."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as e:
            future.set_exception(e)
        return future


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    *,
    db: Database | None = None,
    executor: Executor | None = None,
    process_before_response: bool = False,
) -> App:
    """Build the app.

    Every listener is split in two (Bolt's lazy listeners): the ack, which runs in the request
    thread and touches neither Slack nor the database, and the work, which runs on
    ``executor``. So the ack never waits for a free worker or a slow database — Slack
    gives up on an ack after 3 seconds. ``process_before_response``: run the work in the
    request thread as well, so it is done when dispatch returns (the console prints each
    reply before the next prompt).
    """
    db = db or Database(settings.database_url)
    if process_before_response:
        executor = InlineExecutor()
    client = client or make_client(settings)
    multi: dict[str, Any] = {}
    if settings.oauth:
        multi = multi_workspace(
            settings, db, client, functools.partial(make_client, settings)
        ).app_kwargs()
    app = HandoffApp(
        signing_secret=settings.slack_signing_secret,
        # HTTP mode cannot start without a secret (bot.cli); only the console, whose
        # requests never cross a network, and Socket Mode run without one.
        request_verification_enabled=settings.slack_signing_secret is not None,
        client=client,
        # Bolt runs ack functions before answering and lazy functions on the executor.
        process_before_response=True,
        listener_executor=executor
        or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
        logger=logging.getLogger("bot.app"),
        **multi,
    )
    errors.register(app)
    app.use(org_workspace)
    uninstall.register(app, db)
    logtask.register(app, db)
    actions.register(app, db)
    messages.register(app, db)
    home.register(app, db)
    return app
