"""Undo through the services: every kind of change comes back exactly, or is refused."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from sqlalchemy import func, select, update

from bot.db.base import utcnow
from bot.db.models import (
    ChangeRecord,
    Engagement,
    Entry,
    Member,
    Review,
    Task,
    TaskQuote,
    Workspace,
)
from bot.economics import Frequency, QuoteUnit
from bot.money import Money
from bot.services import changes, entries, providers, task_admin, tasks, workspaces
from bot.services.scope import Scope
from tests.support.database import shortlist

TEAM = Scope("T1")
OTHER = Scope("T2")
MONDAY = date(2026, 11, 23)


def log(session, minutes, task="write blog post", user="U1", day=MONDAY, **kw):
    return tasks.log_time(session, TEAM, user, task, minutes, day, MONDAY, **kw)


def quote(session, task, major, user="U1"):
    return tasks.set_quote(
        session, TEAM, task, Money(major * 100, "USD"), QuoteUnit.OCCURRENCE, "post", "Jane",
        MONDAY, user_id=user,
    )  # fmt: skip


def undo(session, user="U1", scope=TEAM, confirm=False):
    return tasks.undo(session, scope, user, confirm=confirm)


def task_rows(session) -> dict[str, dict]:
    """Every task, keyed by name, with every column but its id (an undo may renumber none)."""
    return {t.name: changes.row(t) for t in session.scalars(select(Task))}


def entry_rows(session) -> list[dict]:
    return sorted(
        (
            {k: v for k, v in changes.row(e).items() if k != "id"}
            for e in session.scalars(select(Entry))
        ),
        key=lambda r: r["number"],
    )


def quote_rows(session) -> list[tuple]:
    """Every quote as (task, provider, amount, unit, per, when given), with no ids."""
    return sorted(
        (t.name, q.provider.name if q.provider else None, q.amount_minor, q.unit, q.per,
         changes.row(q)["created_at"])
        for q, t in session.execute(select(TaskQuote, Task).join(Task, Task.id == TaskQuote.task_id))
    )  # fmt: skip


def snapshot(session) -> tuple:
    session.flush()
    session.expire_all()
    return task_rows(session), entry_rows(session), quote_rows(session)


def test_undoing_a_log_line_removes_its_entry_and_the_task_it_created(session):
    log(session, 60, task="podcast")
    before = snapshot(session)
    log(session, 30, task="newsletter", frequency=Frequency.WEEKLY, category="content")
    assert isinstance(undo(session), changes.Undone)
    assert snapshot(session) == before


def test_undoing_a_log_line_puts_back_the_frequency_and_category_it_changed(session):
    log(session, 60, frequency=Frequency.WEEKLY, category="content")
    before = snapshot(session)
    log(session, 30, frequency=Frequency.DAILY, category="blog")
    assert session.scalar(select(Task.frequency)) == "daily"
    undo(session)
    assert snapshot(session) == before


def test_undoing_a_log_line_keeps_a_task_someone_else_has_logged_on_since(session):
    log(session, 60, task="podcast", user="U1")
    log(session, 45, task="podcast", user="U2")
    undo(session, "U1")
    assert session.scalars(select(Task.name)).all() == ["podcast"]
    assert session.scalars(select(Entry.minutes)).all() == [45]


def test_undoing_an_edit_restores_the_time_and_day(session):
    logged = log(session, 60)
    before = snapshot(session)
    entries.edit_entry(session, TEAM, "U1", logged.number, 45, MONDAY - timedelta(days=2), MONDAY)
    undo(session)
    assert snapshot(session) == before


def test_undoing_a_deleted_entry_brings_it_back_with_its_number(session):
    log(session, 30)
    logged = log(session, 60)
    before = snapshot(session)
    entries.delete_entry(session, TEAM, "U1", logged.number, MONDAY)
    undo(session)
    assert snapshot(session) == before
    assert [h.number for h in tasks.history(session, TEAM, "U1")] == [2, 1]


def test_entry_numbers_count_per_workspace_and_are_never_given_twice(session):
    assert [log(session, 10).number for _ in range(3)] == [1, 2, 3]
    assert tasks.log_time(session, OTHER, "U1", "x", 10, MONDAY, MONDAY).number == 1
    entries.delete_entry(session, TEAM, "U1", 3, MONDAY)
    assert log(session, 10).number == 4


def test_undoing_a_rename_restores_the_name(session):
    log(session, 60, task="writ blog post")
    before = snapshot(session)
    task_admin.rename_task(session, TEAM, "U1", [("writ blog post", "write blog post")])
    undo(session)
    assert snapshot(session) == before


def test_a_rename_someone_renamed_again_since_is_refused_and_left_alone(session):
    log(session, 60, task="a")
    task_admin.rename_task(session, TEAM, "U1", [("a", "b")])
    task_admin.rename_task(session, TEAM, "U2", [("b", "c")])
    before = snapshot(session)
    refused = undo(session, "U1")
    assert isinstance(refused, changes.Refused)
    assert changes.name("c") in refused.reason
    assert snapshot(session) == before
    # It is off U1's list: the next undo goes one further back (the log line).
    assert isinstance(undo(session, "U1"), changes.Undone)
    assert session.scalar(select(func.count(Entry.id))) == 0


def test_undoing_a_merge_splits_the_tasks_again(session):
    log(session, 60, task="writ blog post", frequency=Frequency.WEEKLY, category="blog")
    log(session, 30, task="writ blog post", user="U2")
    quote(session, "writ blog post", 60)
    log(session, 120, task="write blog post", literal=True)
    before = snapshot(session)
    merged = task_admin.merge_tasks(
        session, TEAM, "U1", [("writ blog post", "write blog post")], MONDAY
    )
    assert (merged.entries, merged.minutes) == (2, 60 + 30)
    target = session.scalars(select(Task)).one()
    # The target had no quote, frequency or category: it takes the merged task's.
    assert (target.frequency, target.category) == ("weekly", "blog")
    assert shortlist(session, "write blog post") == [(6000, "occurrence", "post", "Jane")]
    undo(session)
    assert snapshot(session) == before


def test_a_merge_keeps_the_targets_own_quote_frequency_and_category(session):
    log(session, 60, task="a", frequency=Frequency.DAILY, category="x")
    quote(session, "a", 10)
    log(session, 60, task="b", frequency=Frequency.WEEKLY, category="y")
    quote(session, "b", 20)
    merged = task_admin.merge_tasks(session, TEAM, "U1", [("a", "b")], MONDAY)
    # Both quotes are Jane's: the target keeps its own, and the source's is dropped.
    assert [(q.amount_minor, own.amount_minor) for q, own in merged.quotes_dropped] == [
        (1000, 2000)
    ]
    assert merged.quotes_moved == ()
    target = session.scalars(select(Task)).one()
    assert (target.frequency, target.category) == ("weekly", "y")
    assert shortlist(session, "b") == [(2000, "occurrence", "post", "Jane")]


def test_undoing_a_deleted_task_restores_its_entries_quote_and_settings(session):
    log(session, 60, task="podcast", frequency=Frequency.WEEKLY, category="audio")
    log(session, 45, task="podcast", user="U2", day=MONDAY - timedelta(days=3))
    quote(session, "podcast", 80)
    tasks.set_core(session, TEAM, "podcast", True, MONDAY, user_id="U1")
    log(session, 10, task="other")
    before = snapshot(session)
    deleted = task_admin.delete_task(session, TEAM, "U1", "podcast", MONDAY)
    assert (deleted.entries, deleted.minutes, deleted.members) == (2, 60 + 45, 2)
    assert session.scalars(select(Task.name)).all() == ["other"]
    undo(session)
    assert snapshot(session) == before


def history_rows(session) -> list[tuple]:
    """Every trial and review, with its task's and provider's names, no ids."""
    trials = sorted(
        (t.name, e.provider.name, e.kind, e.started_on, e.ended_on)
        for e, t in session.execute(
            select(Engagement, Task).join(Task, Task.id == Engagement.task_id)
        )
    )
    reviews = sorted(
        (t.name, r.score, r.engagement_id is not None)
        for r, t in session.execute(select(Review, Task).join(Task, Task.id == Review.task_id))
    )
    return [*trials, *reviews]


def shortlist_with_history(session) -> None:
    log(session, 60, task="a", frequency=Frequency.WEEKLY)
    quote(session, "a", 10)  # Jane's
    tasks.set_quote(
        session, TEAM, "a", Money(3000, "USD"), QuoteUnit.HOUR, "hour", "Ada", MONDAY, user_id="U1"
    )
    providers.start_trial(session, TEAM, "U1", "a", "Ada", MONDAY)
    providers.add_review(session, TEAM, "U1", "Ada", 4, MONDAY)
    log(session, 30, task="b", frequency=Frequency.WEEKLY)
    quote(session, "b", 20)  # Jane's too: b keeps its own


def test_a_merge_carries_the_shortlist_and_history_and_undo_splits_them(session):
    shortlist_with_history(session)
    before = snapshot(session), history_rows(session)
    merged = task_admin.merge_tasks(session, TEAM, "U1", [("a", "b")], MONDAY)
    # Ada's quote moves to b; Jane's $10 is dropped for b's own $20 from her.
    assert [q.provider for q in merged.quotes_moved] == ["Ada"]
    assert [(q.amount_minor, own.amount_minor) for q, own in merged.quotes_dropped] == [
        (1000, 2000)
    ]
    assert shortlist(session, "b") == [  # earliest given first: Ada's came before b's
        (3000, "hour", "hour", "Ada"),
        (2000, "occurrence", "post", "Jane"),
    ]
    assert history_rows(session) == [("b", "Ada", "trial", MONDAY, None), ("b", 4, True)]
    undo(session)
    assert (snapshot(session), history_rows(session)) == before


def test_undoing_a_deleted_task_brings_back_its_shortlist_and_history(session):
    shortlist_with_history(session)
    before = snapshot(session), history_rows(session)
    deleted = task_admin.delete_task(session, TEAM, "U1", "a", MONDAY)
    assert [q.provider for q in deleted.quotes] == ["Jane", "Ada"]
    assert history_rows(session) == []
    undo(session)
    assert (snapshot(session), history_rows(session)) == before


@pytest.mark.parametrize(
    "change",
    [
        lambda s: quote(s, "podcast", 99),
        lambda s: tasks.remove_quote(s, TEAM, "podcast", MONDAY, user_id="U1"),
        lambda s: tasks.set_frequency(s, TEAM, "podcast", Frequency.DAILY, MONDAY, user_id="U1"),
        lambda s: tasks.set_category(s, TEAM, "podcast", None, MONDAY, user_id="U1"),
        lambda s: tasks.set_core(s, TEAM, "podcast", True, MONDAY, user_id="U1"),
        lambda s: workspaces.set_rate(s, TEAM, "U1", Money(9500, "USD")),
        lambda s: workspaces.set_overhead(s, TEAM, Fraction(15, 100), user_id="U1"),
        lambda s: workspaces.set_currency(s, TEAM, "JPY", user_id="U1"),
    ],
    ids=["quote", "quote none", "freq", "category", "core", "rate", "overhead", "currency"],
)
def test_undoing_a_setting_puts_back_exactly_what_was_there(session, change):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    log(session, 60, task="podcast", frequency=Frequency.WEEKLY, category="audio")
    quote(session, "podcast", 50)
    before = snapshot(session), changes.row(workspaces.workspace(session, TEAM))
    rate = session.scalar(select(Member.rate_minor))
    change(session)
    assert isinstance(undo(session), changes.Undone)
    assert (snapshot(session), changes.row(workspaces.workspace(session, TEAM))) == before
    assert session.scalar(select(Member.rate_minor)) == rate


def test_a_setting_on_a_task_it_created_takes_the_task_away_again(session):
    quote(session, "podcast", 50)
    assert session.scalar(select(func.count(Task.id))) == 1
    undo(session)
    assert session.scalar(select(func.count(Task.id))) == 0


def test_a_change_that_changes_nothing_is_not_kept(session):
    log(session, 60, frequency=Frequency.WEEKLY)
    tasks.set_frequency(session, TEAM, "write blog post", Frequency.WEEKLY, MONDAY, user_id="U1")
    assert session.scalar(select(func.count(ChangeRecord.id))) == 1  # the log line only


def test_undo_is_per_member_and_goes_one_further_back_each_time(session):
    log(session, 10, task="a", user="U1")
    log(session, 20, task="b", user="U2")
    log(session, 30, task="c", user="U1")
    undo(session, "U1")
    assert sorted(session.scalars(select(Task.name))) == ["a", "b"]
    undo(session, "U1")
    assert session.scalars(select(Task.name)).all() == ["b"]
    assert isinstance(undo(session, "U1"), changes.NothingToUndo)


def test_undo_never_reaches_into_another_workspace(session):
    log(session, 10)
    assert isinstance(undo(session, "U1", scope=OTHER), changes.NothingToUndo)
    assert session.scalar(select(func.count(Entry.id))) == 1


def test_a_change_older_than_a_day_asks_first_and_confirm_undoes_it(session):
    log(session, 10)
    session.execute(update(ChangeRecord).values(created_at=utcnow() - timedelta(hours=25)))
    asked = undo(session)
    assert isinstance(asked, changes.AskFirst)
    assert session.scalar(select(func.count(Entry.id))) == 1
    assert isinstance(undo(session, confirm=True), changes.Undone)
    assert session.scalar(select(func.count(Entry.id))) == 0


def test_old_changes_go_only_past_the_newest_twenty_and_a_week(session):
    for i in range(25):
        log(session, 10 + i)
    mine = select(func.count(ChangeRecord.id))
    assert session.scalar(mine) == 25  # all within the week: all kept
    session.execute(update(ChangeRecord).values(created_at=utcnow() - timedelta(days=8)))
    log(session, 5)
    # The new one and the newest 19 of the old: 20 in all.
    assert session.scalar(mine) == 20


def test_an_entry_deleted_since_its_log_line_is_refused(session):
    logged = log(session, 10, user="U1")
    workspaces.remember_profile(session, TEAM, "U2", workspaces.Profile(None, "Ann", True))
    entries.delete_entry(session, TEAM, "U2", logged.number, MONDAY)
    refused = undo(session, "U1")
    assert isinstance(refused, changes.Refused)
    assert changes.entry(logged.number) in refused.reason


def test_a_deleted_task_whose_name_is_taken_again_is_refused(session):
    log(session, 10, task="podcast")
    task_admin.delete_task(session, TEAM, "U1", "podcast", MONDAY)
    log(session, 20, task="Podcast", user="U2")
    before = snapshot(session)
    assert isinstance(undo(session, "U1"), changes.Refused)
    assert snapshot(session) == before


def test_a_currency_switch_after_a_rate_change_refuses_the_rate_undo(session):
    workspaces.set_rate(session, TEAM, "U1", Money(8000, "USD"))
    workspaces.set_currency(session, TEAM, "JPY", user_id="U2")  # rescales U1's rate
    assert isinstance(undo(session, "U1"), changes.Refused)
    assert session.scalar(select(Workspace.currency)) == "JPY"
