"""The Bolt app factory: everything Slack-facing is wired here, nothing at import time."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.db.engine import Database
from bot.listeners import digest, errors, logtask, messages
from bot.settings import Settings

# Few threads: listener work shares the GIL with acks, and SQLite serialises writes anyway.
LISTENER_THREADS = 4


def make_client(settings: Settings) -> WebClient:
    """A WebClient that waits out Slack's 429s (Retry-After) instead of failing."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url, timeout=15)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=3))
    return client


class HandoffApp(App):
    """Bolt's App, keeping the signing secret for bot.server, which verifies before Bolt does."""

    def __init__(self, *, signing_secret: str | None, **kwargs: Any) -> None:
        super().__init__(signing_secret=signing_secret, **kwargs)
        self.signing_secret = signing_secret


def create_app(
    settings: Settings,
    client: WebClient | None = None,
    *,
    db: Database | None = None,
    executor: ThreadPoolExecutor | None = None,
    process_before_response: bool = False,
) -> App:
    """Build the app. Listeners run after the ack on ``executor`` unless process_before_response."""
    db = db or Database(settings.database_url)
    app = HandoffApp(
        signing_secret=settings.slack_signing_secret,
        # HTTP mode cannot start without a secret (bot.cli); only the console, whose
        # requests never cross a network, and Socket Mode run without one.
        request_verification_enabled=settings.slack_signing_secret is not None,
        client=client or make_client(settings),
        process_before_response=process_before_response,
        listener_executor=executor
        or ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
        logger=logging.getLogger("bot.app"),
    )
    errors.register(app)
    logtask.register(app, db, digest=digest.handler(db))
    messages.register(app, db)
    return app
