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


def test_sqlite_writers_of_one_process_take_turns_and_one_kept_waiting_too_long_fails(
    tmp_path, monkeypatch
):
    # SQLite alone, whichever database the suite runs on: PostgreSQL locks rows, not the file.
    db = Database(f"sqlite:///{tmp_path}/turns.db")
    with db.transaction() as s:
        s.execute(text("CREATE TABLE workspace (overhead_bp INTEGER)"))
        s.execute(text("INSERT INTO workspace VALUES (1000)"))
    monkeypatch.setattr("bot.db.engine.SQLITE_BUSY_TIMEOUT_MS", 200)
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:
        with db.transaction() as s:
            s.execute(text("UPDATE workspace SET overhead_bp = 0"))
            holding.set()
            release.wait(10)

    def write() -> None:
        try:
            with db.transaction() as s:
                s.execute(text("UPDATE workspace SET overhead_bp = 1"))
        except BaseException as e:
            failures.append(e)

    holder = threading.Thread(target=hold)
    holder.start()
    holding.wait(10)
    late = threading.Thread(target=write)
    late.start()
    late.join(10)  # its turn never comes while the holder holds
    release.set()
    holder.join(10)
    assert [type(e) for e in failures] == [TimeoutError]
    write()  # the turn is free again
    db.dispose()
    assert len(failures) == 1
