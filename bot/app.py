"""The Bolt app factory: everything Slack-facing is wired here, nothing at import time."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any, TypeVar

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.db.engine import Database
from bot.listeners import actions, errors, home, logtask, messages, uninstall
from bot.listeners.logtask import Start
from bot.oauth.authorize import org_workspace
from bot.oauth.flow import multi_workspace
from bot.settings import Settings

T = TypeVar("T")

# Few threads: listener work shares the GIL with acks, and SQLite serialises writes anyway.
LISTENER_THREADS = 4
# Work queued behind the acks, at most: a few seconds of plain logs. Past it a command is
# answered "busy" in its ack (nothing saved) instead of a reply minutes late, and the
# queue (each item a copy of its request) cannot grow without bound in a burst.
LISTENER_BACKLOG = 256


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


class ListenerPool(ThreadPoolExecutor):
    """The listeners' thread pool, counting the work submitted and not yet finished.

    Bolt's lazy listeners ``submit`` and are always taken. /logtask takes a slot first
    (``take_slot``) and, when ``backlog`` are waiting or running, gets none: it answers
    "busy" in its ack and queues nothing, so a burst cannot grow the queue (each item holds
    a copy of its request) without bound.
    """

    def __init__(self, threads: int = LISTENER_THREADS, backlog: int = LISTENER_BACKLOG) -> None:
        super().__init__(threads, thread_name_prefix="listener")
        self.backlog = backlog
        self._pending = 0
        self._lock = threading.Lock()

    @property
    def pending(self) -> int:
        return self._pending

    def take_slot(self) -> Start | None:
        """A function that runs its argument on the pool, or None when the backlog is full."""
        with self._lock:
            if self._pending >= self.backlog:
                return None
            self._pending += 1
        return self._run

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        with self._lock:
            self._pending += 1
        return self._run(fn, *args, **kwargs)

    def _run(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._finished()
            raise
        future.add_done_callback(lambda _: self._finished())
        return future

    def _finished(self) -> None:
        with self._lock:
            self._pending -= 1


def slot_taker(executor: Executor) -> Callable[[], Start | None]:
    """``take_slot`` of a ListenerPool; any other executor always has room."""
    if isinstance(executor, ListenerPool):
        return executor.take_slot
    return lambda: executor.submit


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

    Every listener is split in two (Bolt's lazy listeners; /logtask hands its work to the
    pool itself, see ListenerPool): the ack, which runs in the request thread and touches
    neither Slack nor the database, and the work, which runs on ``executor`` (default: a
    ListenerPool). So the ack never waits for a free worker or a slow database — Slack
    gives up on an ack after 3 seconds. ``process_before_response``: run the work in the
    request thread as well, so it is done when dispatch returns (the console prints each
    reply before the next prompt).
    """
    db = db or Database(settings.database_url)
    if process_before_response:
        executor = InlineExecutor()
    client = client or make_client(settings)
    pool = executor or ListenerPool()
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
        listener_executor=pool,
        logger=logging.getLogger("bot.app"),
        **multi,
    )
    errors.register(app)
    app.use(org_workspace)
    uninstall.register(app, db)
    logtask.register(app, db, slot_taker(pool))
    actions.register(app, db)
    messages.register(app, db)
    home.register(app, db)
    return app
