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


def test_a_near_miss_is_answered_while_another_log_holds_the_number(db):
    if db.is_sqlite:
        pytest.skip("SQLite lets one transaction write at a time: every log waits for it")
    assert log(db, "U1", "newsletter") == 1
    answered: list[BaseException] = []

    def near_miss() -> None:
        try:
            log(db, "U2", "newsleter")
        except tasks.NearMiss as e:
            answered.append(e)

    with db.transaction() as s:  # a log that has taken its number and not yet committed
        assert tasks.save_log(s, TEAM, "U1", "newsletter", 30, TODAY, TODAY).number == 2
        other = threading.Thread(target=near_miss)
        other.start()
        other.join(timeout=10)
        # The near miss is found before a number is taken: it does not wait for this log.
        assert len(answered) == 1
    assert log(db, "U1", "newsletter") == 3  # and it took no number


def test_a_workspaces_first_log_numbers_it_from_one(db):
    assert log(db, "U1", "newsletter") == 1  # the workspace is created in that transaction
    assert log(db, "U1", "invoices") == 2
