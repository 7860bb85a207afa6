"""Members working at the same time: concurrent commands through real HTTP all land.

On PostgreSQL (CI's second pass) transactions really overlap: two first logs of one new
task race on the task's unique key, and a report's reads can straddle another member's
commit. On SQLite writers queue on the database lock, so these pass there trivially.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from bot.db.models import Entry, Provider, Task, TaskQuote
from tests.support.slack_sim import flatten

SORRY = "something went wrong on my side"


def test_two_members_logging_the_same_new_task_at_once_both_land(bot, db):
    pairs = 12
    start = threading.Barrier(2)

    def log(user: str, i: int) -> str:
        start.wait()
        return flatten(bot.command(f'"new task {i}" 30m', user=user))

    with ThreadPoolExecutor(2) as pool:
        for i in range(pairs):
            replies = list(pool.map(log, ["U1", "U2"], [i, i]))
            assert all(SORRY not in r and "Logged 30m" in r for r in replies), replies
    with db.transaction() as s:
        assert s.scalar(select(func.count(Task.id))) == pairs
        assert s.scalar(select(func.count(Entry.id))) == 2 * pairs


def test_reports_while_another_member_logs_and_undoes_never_fail(bot, db):
    bot.command("rate $80/h", user="U1")
    bot.command("weekly review 1h weekly", user="U1")
    stop = threading.Event()

    def churn() -> None:
        # A task with no frequency: its hours depend on its first entry, read separately.
        while not stop.is_set():
            bot.command("inbox cleanup 20m", user="U2")
            bot.command("undo", user="U2")

    churner = threading.Thread(target=churn)
    churner.start()
    try:
        with ThreadPoolExecutor(3) as pool:
            reports = list(pool.map(lambda _: flatten(bot.command("report")), range(30)))
    finally:
        stop.set()
        churner.join()
    assert all(SORRY not in r and "weekly review" in r for r in reports)


def test_two_members_quoting_one_task_from_one_new_provider_at_once_leave_one_quote(bot, db):
    rounds = 8
    start = threading.Barrier(2)

    def quote(user: str, i: int, price: int) -> str:
        start.wait()
        return flatten(bot.command(f'quote "task {i}" ${price} from "New {i}"', user=user))

    with ThreadPoolExecutor(2) as pool:
        for i in range(rounds):
            replies = list(pool.map(quote, ["U1", "U2"], [i, i], [10, 20]))
            assert all(SORRY not in r and "Quote set" in r for r in replies), replies
    with db.transaction() as s:
        # One provider and one quote per round: the second quote replaced the first.
        assert s.scalar(select(func.count(Provider.id))) == rounds
        assert s.scalar(select(func.count(TaskQuote.id))) == rounds
