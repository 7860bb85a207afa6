"""The bot serving real HTTP on loopback, for the `bot` fixture and tests that build their own app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import App

from bot.console.local_slack import LocalSlack
from bot.db.engine import Database
from bot.server import make_server, shutdown
from tests.support.executor import TrackingExecutor
from tests.support.slack_sim import SlackSim


@contextmanager
def serving(
    app: App, db: Database, slack: LocalSlack, executor: TrackingExecutor, secret: str
) -> Iterator[SlackSim]:
    # A short loop timeout lets close() return at once instead of after waitress's default 1 s.
    server = make_server(app, db, host="127.0.0.1", port=0, asyncore_loop_timeout=0.05)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield SlackSim(f"http://127.0.0.1:{server.effective_port}", secret, slack, executor)
        executor.wait_idle()
    finally:
        shutdown(server)
        thread.join(timeout=5)
    assert not thread.is_alive()
