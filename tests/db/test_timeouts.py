"""Database timeouts: a database that hangs fails a unit of work instead of holding it forever."""

from __future__ import annotations

import socket
import threading

import pytest
from sqlalchemy import text

from bot.db.engine import Database


def test_a_database_that_accepts_connections_but_never_answers_fails_the_ping():
    silent = _silent_listener()
    db = Database(f"postgresql+psycopg://nobody@127.0.0.1:{silent.getsockname()[1]}/x")
    answered: list[bool] = []
    pinger = threading.Thread(target=lambda: answered.append(db.ping()), daemon=True)
    pinger.start()
    pinger.join(timeout=20)  # the connect timeout is 5 s; without one this waits forever
    silent.close()
    db.dispose()
    assert answered == [False]


def test_postgresql_statements_time_out(db):
    if db.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite waits out locks with its busy timeout")
    with db.transaction() as s:
        assert s.scalar(text("SHOW statement_timeout")) == "15s"


def _silent_listener() -> socket.socket:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(8)  # connections complete in the kernel's backlog; nothing ever answers
    return s
