"""The task service: logging time, quotes, frequencies and core flags, on plain values."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import Entry, Task
from bot.economics import Frequency, QuoteUnit, Verdict
from bot.errors import UserError
from bot.money import Money
from bot.services import changes, tasks, workspaces
from bot.services.scope import Scope

TEAM = Scope("T1")
OTHER = Scope("T2")
MONDAY = date(2026, 11, 23)


def log(session, minutes, *, task="write blog post", day=MONDAY, user="U1", scope=TEAM, **kw):
    return tasks.log_time(session, scope, user, task, minutes, day, MONDAY, **kw)


def test_logging_creates_the_task_once_and_sums_the_week(session):
    first = log(session, 120, frequency=Frequency.WEEKLY, category="content")
    again = log(session, 90, task="Write  Blog Post.")
    assert (first.created, again.created) == (True, False)
    assert again.week_minutes == 210
    assert session.scalar(select(func.count(Task.id))) == 1
    assert session.scalar(select(func.sum(Entry.minutes))) == 210
    assert again.task.frequency is Frequency.WEEKLY
    assert again.task.category == "content"


def test_the_worked_example_hands_off_for_84_a_week(session):
    # $80/h; 2h, 1.5h, 2.5h of a weekly post → 2h a week → $160 in-house; overhead 10% = $16;
    # a $60/post quote → savings 160 − 16 − 60 = $84 a week. Three posts on three days.
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    for minutes, back in ((120, 14), (90, 7), (150, 0)):
        log(session, minutes, day=MONDAY - timedelta(days=back), frequency=Frequency.WEEKLY)
    change = tasks.set_quote(
        session, TEAM, "write blog post", Money(6000, "USD"), QuoteUnit.OCCURRENCE, "post",
        "Jane", MONDAY, user_id="U1",
    )  # fmt: skip
    a = change.task.assessment
    assert a.verdict is Verdict.HAND_OFF
    assert (a.in_house_week, a.overhead_week, a.savings_week) == (16000, 1600, 8400)
    assert a.savings_year == 8400 * 52


def test_removing_a_quote_that_is_not_there_names_the_quote_command(session):
    log(session, 60)
    with pytest.raises(UserError, match="has no quote to remove") as e:
        tasks.remove_quote(session, TEAM, "write blog post", MONDAY, user_id="U1")
    assert e.value.command == "quote"


def test_a_quote_in_a_currency_the_workspace_left_is_refused(session):
    workspaces.set_currency(session, TEAM, "EUR", user_id="U1")
    with pytest.raises(UserError, match="now counts in EUR, not USD"):
        tasks.set_quote(
            session, TEAM, "posts", Money(6000, "USD"), QuoteUnit.OCCURRENCE, "post", None,
            MONDAY, user_id="U1",
        )  # fmt: skip
    assert session.scalar(select(func.count(Task.id))) == 0


def test_undo_removes_only_the_members_latest_entry(session):
    log(session, 30, user="U1")
    log(session, 45, user="U2")
    assert isinstance(tasks.undo(session, TEAM, "U1"), changes.Undone)
    assert session.scalars(select(Entry.minutes)).all() == [45]


def test_workspaces_never_see_each_others_tasks(session):
    log(session, 30, scope=TEAM)
    log(session, 45, scope=OTHER)
    assert [h.minutes for h in tasks.history(session, TEAM, "U1")] == [30]
    assert [h.minutes for h in tasks.history(session, OTHER, "U1")] == [45]


def test_a_name_close_to_a_task_raises_near_miss_before_saving(session):
    log(session, 120)
    with pytest.raises(tasks.NearMiss) as e:
        log(session, 60, task="writ blog post")
    assert (e.value.typed, e.value.candidates, e.value.can_create) == (
        "writ blog post",
        ["write blog post"],
        True,
    )
    assert session.scalar(select(func.count(Entry.id))) == 1


def test_a_literal_name_is_its_own_task_however_close(session):
    log(session, 120)
    assert log(session, 60, task="writ blog post", literal=True).created
    assert session.scalar(select(func.count(Task.id))) == 2


def test_a_change_that_cannot_create_offers_only_the_close_tasks(session):
    log(session, 120)
    with pytest.raises(tasks.NearMiss) as e:
        tasks.set_core(session, TEAM, "writ blog post", False, MONDAY, user_id="U1")
    assert (e.value.candidates, e.value.can_create) == (["write blog post"], False)
