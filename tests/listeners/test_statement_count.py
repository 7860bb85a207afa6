"""How many SQL statements a plain log costs: a behaviour check on the hot path, not a timing.

Every statement is a round trip (and on SQLite a turn at the write lock), so a regression
that adds queries to `/logtask <task> <duration>` shows here before it shows in bench/.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from bot.db.engine import Database

# A known member logging time on a known task. The writes, in one transaction (its BEGIN
# counted, 1): the workspace and member (read once, in one query, 1), the entry's number (UPDATE …
# RETURNING, 1), the task (1), whether the day falls in a hand-off (then the entry is
# overhead, 1), the entry (1), the change log and its trim (2). Then, in a read snapshot once
# they are committed (on SQLite its PRAGMA query_only and BEGIN, 2), the figures the reply
# shows (6, the task's shortlist among them). The workspace's currency is read only for a
# command with an amount, and the member's profile comes from memory (bot/slack/members.py).
# 1 + 1 + 1 + 1 + 1 + 1 + 2 + 2 + 6 = 16.
MAX_STATEMENTS_PER_PLAIN_LOG = 16


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    seen: list[str] = []
    lock = threading.Lock()

    def record(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        with lock:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def test_a_plain_log_runs_at_most_a_handful_of_statements(bot, db):
    assert "Logged 1h on *newsletter*" in bot.reply_text("newsletter 1h")  # member, task exist
    with statements(db) as seen:
        assert "Logged 30m on *newsletter*" in bot.reply_text("newsletter 30m")
    assert 0 < len(seen) <= MAX_STATEMENTS_PER_PLAIN_LOG, seen
    # One write transaction: SQLite's BEGIN IMMEDIATE once (PostgreSQL's BEGIN is not a
    # statement), and the figures read after it, outside the write lock.
    assert sum(s.startswith("BEGIN IMMEDIATE") for s in seen) <= 1, seen
    begins = [i for i, s in enumerate(seen) if s.startswith("BEGIN")]
    if len(begins) == 2:  # SQLite: the snapshot's deferred BEGIN comes after the writes
        assert not any(
            s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for s in seen[begins[1] :]
        ), seen
