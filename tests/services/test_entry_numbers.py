"""Entry numbers under concurrent logs, with committed transactions on a real database
(SQLite, or PostgreSQL with TEST_DATABASE_URL): bot.services.entries.next_number."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from bot.db.engine import Database
from bot.services import tasks
from bot.services.scope import Scope

TODAY = date(2026, 11, 23)
TEAM = Scope("TNUM")


def log(db: Database, user: str, name: str, minutes: int = 30, literal: bool = False) -> int:
    with db.transaction() as s:
        return tasks.save_log(s, TEAM, user, name, minutes, TODAY, TODAY, literal=literal).number


def test_concurrent_logs_in_one_workspace_get_every_number_once(db):
    assert log(db, "U0", "newsletter") == 1  # the workspace exists before the rush
    numbers: list[int] = []
    lock = threading.Lock()

    def logger(user: str) -> None:
        for _ in range(10):
            n = log(db, user, "newsletter")
            with lock:
                numbers.append(n)

    threads = [threading.Thread(target=logger, args=(f"U{i}",)) for i in range(1, 7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(numbers) == list(range(2, 62))


def test_a_near_miss_takes_no_number(db):
    assert log(db, "U1", "newsletter") == 1
    with pytest.raises(tasks.NearMiss):
        log(db, "U1", "newsleter")
    assert log(db, "U1", "newsletter") == 2


def test_a_workspaces_first_log_numbers_it_from_one(db):
    assert log(db, "U1", "newsletter") == 1  # the workspace is created in that transaction
    assert log(db, "U1", "invoices") == 2


def test_on_postgresql_a_log_in_progress_does_not_hold_up_the_next_ones_number(db):
    if db.is_sqlite:
        pytest.skip("SQLite lets one transaction write at a time: the next log waits anyway")
    assert log(db, "U1", "newsletter") == 1
    done: list[int] = []
    with db.transaction() as s:  # a log that has taken its number and not yet committed
        first = tasks.save_log(s, TEAM, "U1", "newsletter", 30, TODAY, TODAY)
        other = threading.Thread(target=lambda: done.append(log(db, "U2", "newsletter")))
        other.start()
        other.join(timeout=10)
        # Taken in the log's own transaction, the number kept the workspace row locked
        # until the commit, and this second log waited for it.
        assert done == [3]
    assert first.number == 2
