"""Engines and sessions: one Database per process, one transaction per unit of work."""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

try:
    import fcntl
except ImportError:  # Windows: SQLite's busy timeout does the waiting
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
# A database that accepts connections but never answers must not hold a listener forever.
PG_CONNECT_TIMEOUT_S = 5
PG_STATEMENT_TIMEOUT_MS = 15_000
PING_TIMEOUT_MS = 2_000

# Execution option read by the SQLite "begin" hook: "immediate" (the default: take the write
# lock up front) or "deferred" (a reader: WAL gives it one snapshot and no lock on writers).
SQLITE_BEGIN = "handoff_sqlite_begin"
_QUERY_ONLY = "handoff_query_only"  # connection-record flag: PRAGMA query_only is on


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine; no statement timeout here, so migrations may run long (see Database)."""
    # SQL errors carry the statement but not its values: those are what members typed.
    kwargs.setdefault("hide_parameters", True)
    connect_args = kwargs.pop("connect_args", {})
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, **connect_args},
            **kwargs,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "checkin", _sqlite_writable_again)
        return engine
    return create_engine(
        url,
        pool_pre_ping=True,
        connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_S, **connect_args},
        **kwargs,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # we issue BEGIN in the "begin" hook
    cursor = dbapi_connection.cursor()
    # WAL lets readers and one writer work at once across processes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(conn: Connection) -> None:
    # pysqlite's own BEGIN handling defers locks oddly; emit BEGIN ourselves so a write
    # transaction takes the lock up front and waits (busy_timeout) instead of failing late.
    if conn.get_execution_options().get(SQLITE_BEGIN) == "deferred":
        conn.exec_driver_sql("PRAGMA query_only=ON")
        conn.connection.info[_QUERY_ONLY] = True  # the pool record's, kept for checkin
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _sqlite_writable_again(dbapi_connection: Any, record: Any) -> None:
    if dbapi_connection is not None and record.info.pop(_QUERY_ONLY, False):
        dbapi_connection.execute("PRAGMA query_only=OFF")


class Database:
    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if not self.is_sqlite:
            options = f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}"
            engine_kwargs["connect_args"] = {
                "options": options,
                **engine_kwargs.get("connect_args", {}),
            }
        self.engine = make_engine(url, **engine_kwargs)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # SQLite lets one transaction write at a time, and a BEGIN IMMEDIATE that finds the
        # lock taken polls for it, sleeping 1 to 100 ms between tries: under load the
        # writers of one process spend their time asleep while the lock is free, and some
        # wait past the busy timeout. So they queue here, in this process, and each gets
        # the lock the moment the one before lets go. (Another process is still waited for
        # by the file lock below; PostgreSQL locks rows, not the database, and needs none.)
        self._writer = threading.RLock() if self.is_sqlite else None
        self._depth = 0  # this process's nested write turns; changed only by the lock's owner
        self._turns = _FileTurns(url) if self.is_sqlite else None

    @contextmanager
    def _write_turn(self) -> Iterator[None]:
        """This process's turn to write (SQLite), waited for no longer than SQLite would."""
        if self._writer is None:
            yield
            return
        deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
        if not self._writer.acquire(timeout=SQLITE_BUSY_TIMEOUT_MS / 1000):
            raise TimeoutError("database is locked: another write took its whole busy timeout")
        try:
            if self._depth == 0 and self._turns is not None:
                self._turns.acquire(deadline)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and self._turns is not None:
                    self._turns.release()
        finally:
            self._writer.release()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error."""
        with self._write_turn(), self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read-only session in one transaction whose reads all see one snapshot.

        PostgreSQL: REPEATABLE READ, READ ONLY. SQLite: a deferred BEGIN with
        ``PRAGMA query_only`` — in WAL mode the first read fixes the snapshot, and the
        transaction never takes the write lock, so writers are not held up. A write raises
        on both. Nothing is committed: the transaction is rolled back on the way out.
        """
        options: dict[str, Any] = (
            {SQLITE_BEGIN: "deferred"}
            if self.is_sqlite
            else {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        )
        with self._sessions() as session:
            session.connection(execution_options=options)
            try:
                yield session
            finally:
                session.rollback()

    def ping(self) -> bool:
        """Whether the database answers a trivial query (within PING_TIMEOUT_MS on PostgreSQL)."""
        try:
            with self.engine.connect() as conn:
                if self.is_sqlite:
                    # A reader's BEGIN: the ping must not queue for the write lock.
                    conn = conn.execution_options(**{SQLITE_BEGIN: "deferred"})
                else:
                    conn.exec_driver_sql(f"SET LOCAL statement_timeout = {PING_TIMEOUT_MS}")
                conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True

    def dispose(self) -> None:
        self.engine.dispose()


# How often a writer looks again for the turn another process holds: a write transaction
# takes milliseconds, so the turn is taken within a fraction of one after it is let go.
TURN_POLL_S = (0.0005, 0.002)


class _FileTurns:
    """Turns at writing a SQLite file across processes (``handoff run --http --workers N``).

    SQLite's own busy handler sleeps 1 to 100 ms between tries for a lock another process
    holds, so under load the processes' writers spend most of their time asleep while the
    file is free. An advisory lock on a file beside the database hands the turn over within
    a millisecond instead. It is opened in each process (a lock on a descriptor inherited
    across fork would be shared, not exclusive). Where there is no fcntl (Windows) or no
    file (an in-memory database), SQLite's busy timeout still does the waiting.
    """

    def __init__(self, url: str) -> None:
        path = make_url(url).database
        self._path = f"{path}.writer-lock" if path and path != ":memory:" else None
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int | None:
        if self._path is None or fcntl is None:
            return None
        if self._fd is None or self._pid != os.getpid():
            try:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            except OSError as e:  # a read-only directory: SQLite's busy timeout waits instead
                logging.getLogger(__name__).warning(
                    "no writer lock file at %s (%s): SQLite's busy timeout does the waiting",
                    self._path,
                    e.strerror,
                )
                self._path = None
                return None
            self._pid = os.getpid()
        return self._fd

    def acquire(self, deadline: float) -> None:
        fd = self._file()
        if fd is None:
            return
        pause, cap = TURN_POLL_S
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(
                        "database is locked: another process's write took its whole busy timeout"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, cap)

    def release(self) -> None:
        if self._fd is not None and fcntl is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
