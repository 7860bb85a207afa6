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

# A known member logging time on a known task, in two transactions (BEGINs counted):
# the workspace's currency for the parser (2); the log itself (15): the workspace and member,
# the entry's number, the task, whether the day falls in a hand-off (then the entry is
# overhead), the entry, the change log and its trim, and the figures the reply shows (the
# time logged, and the task's shortlist in one query). The member's profile comes from memory
# (bot/slack/members.py), not a third.
MAX_STATEMENTS_PER_PLAIN_LOG = 19


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
