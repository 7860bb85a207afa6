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
