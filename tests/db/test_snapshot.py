"""Database.snapshot(): read-only, one snapshot for every read, no lock on writers."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from bot.db.engine import Database
from bot.db.models import Workspace


def add_workspace(db: Database, team: str) -> None:
    with db.transaction() as s:
        s.add(Workspace(team_id=team))


def workspaces(s) -> int:
    return s.scalar(select(func.count()).select_from(Workspace))


def test_every_read_in_a_snapshot_sees_the_same_data(db):
    add_workspace(db, "T1")
    with db.snapshot() as s:
        assert workspaces(s) == 1
        add_workspace(db, "T2")  # commits while the snapshot is open, without waiting for it
        assert workspaces(s) == 1
    with db.snapshot() as s:
        assert workspaces(s) == 2


def test_a_write_inside_a_snapshot_fails(db):
    with db.snapshot() as s:
        s.add(Workspace(team_id="T1"))
        with pytest.raises(DBAPIError):
            s.flush()
    with db.snapshot() as s:
        assert workspaces(s) == 0


def test_connections_are_writable_again_after_a_snapshot(db):
    for team in ("T1", "T2", "T3"):
        with db.snapshot() as s:
            workspaces(s)
        add_workspace(db, team)  # likely on the connection the snapshot just returned
    with db.snapshot() as s:
        assert workspaces(s) == 3
