"""Names under concurrent commands on PostgreSQL, where each statement of a transaction sees
the latest commits: a task or provider that another member's command created between a
command's lookup by name and its search for near names is that task, not a near miss."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy.orm import Session

from bot.db.engine import Database
from bot.db.models import Workspace
from bot.services import providers, task_admin, tasks, workspaces
from bot.services.scope import Scope

TODAY = date(2026, 11, 23)
TEAM = Scope("TNAMES")


def log(db: Database, user: str, name: str) -> int:
    with db.transaction() as s:
        return tasks.save_log(s, TEAM, user, name, 30, TODAY, TODAY).number


def test_a_task_another_log_creates_meanwhile_is_logged_on_not_a_near_miss(db, monkeypatch):
    if db.is_sqlite:
        pytest.skip("SQLite lets one transaction write at a time: no log sees another's commit")
    assert log(db, "U1", "invoices") == 1  # the workspace exists
    search = tasks.match_task
    others: list[threading.Thread] = []

    def created_meanwhile(session: Session, ws: Workspace, name: str) -> tasks.Match:
        # Another member's first log of "newsletter" commits between this log's lookup by
        # name and its search for near names (the other log searches too: once is enough).
        if not others:
            others.append(threading.Thread(target=log, args=(db, "U2", "newsletter")))
            others[0].start()
            others[0].join(timeout=10)
        return search(session, ws, name)

    monkeypatch.setattr(tasks, "match_task", created_meanwhile)
    with db.transaction() as s:
        saved = tasks.save_log(s, TEAM, "U1", "newsletter", 30, TODAY, TODAY)
    assert (saved.task.name, saved.created, saved.number) == ("newsletter", False, 3)


def test_a_provider_another_command_adds_meanwhile_is_that_provider_not_a_near_miss(
    db, monkeypatch
):
    if db.is_sqlite:
        pytest.skip("SQLite lets one transaction write at a time: no command sees another's commit")

    def add(name: str) -> None:  # as typed in quotes: it is added even beside a near name
        with db.transaction() as s:
            providers.named_provider(s, workspaces.workspace(s, TEAM), name, literal=True)

    add("Acme Studio")  # the workspace, and a provider whose name is near
    search = providers._match
    others: list[threading.Thread] = []

    def added_meanwhile(session: Session, ws: Workspace, name: str) -> providers._Match:
        if not others:  # the other command searches too: once is enough
            others.append(threading.Thread(target=add, args=("Acme Studios",)))
            others[0].start()
            others[0].join(timeout=10)
        return search(session, ws, name)

    monkeypatch.setattr(providers, "_match", added_meanwhile)
    with db.transaction() as s:
        found, added = providers.named_provider(
            s, workspaces.workspace(s, TEAM), "Acme Studios", literal=False
        )
    assert (found.name, added) == ("Acme Studios", False)


def test_a_task_created_meanwhile_is_found_by_a_command_that_changes_a_task(db, monkeypatch):
    if db.is_sqlite:
        pytest.skip("SQLite lets one transaction write at a time: no command sees another's commit")
    assert log(db, "U1", "invoices") == 1  # the workspace exists
    search = tasks.match_task
    others: list[threading.Thread] = []

    def created_meanwhile(session: Session, ws: Workspace, name: str) -> tasks.Match:
        if not others:  # the member's own log of it, from another device, commits meanwhile
            others.append(threading.Thread(target=log, args=(db, "U1", "newsletter")))
            others[0].start()
            others[0].join(timeout=10)
        return search(session, ws, name)

    monkeypatch.setattr(tasks, "match_task", created_meanwhile)
    with db.transaction() as s:
        deleted = task_admin.delete_task(s, TEAM, "U1", "newsletter", TODAY)
    assert (deleted.name, deleted.minutes) == ("newsletter", 30)
