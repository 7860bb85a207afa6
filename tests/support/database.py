"""What the bot saved, table by table, for tests that check nothing was."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.db.base import Base
from bot.db.engine import Database
from bot.db.models import Provider, Task, TaskQuote


def saved_rows(db: Database) -> dict[str, int]:
    """Row counts of the tables that hold any rows."""
    counts = {}
    with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            n = s.scalar(select(func.count()).select_from(table))
            if n:
                counts[table.name] = n
    return counts


@contextmanager
def database_locked(db: Database) -> Iterator[None]:
    """Another connection holds the database: SQLite's write lock, or PostgreSQL table locks
    on the tables every command touches."""
    if db.is_sqlite:
        conn = sqlite3.connect(str(make_url(db.url).database), isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.rollback()
            conn.close()
        return
    with db.engine.connect() as pg:
        pg.execute(text("LOCK TABLE workspace, member IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            pg.rollback()


def shortlist(session: Session, task_name: str) -> list[tuple[int, str, str, str | None]]:
    """A task's quotes as (amount in minor units, unit, per, provider), earliest given first."""
    rows = session.execute(
        select(TaskQuote.amount_minor, TaskQuote.unit, TaskQuote.per, Provider.name)
        .join(Task, Task.id == TaskQuote.task_id)
        .outerjoin(Provider, Provider.id == TaskQuote.provider_id)
        .where(Task.name == task_name)
        .order_by(TaskQuote.created_at, TaskQuote.id)
    ).all()
    return [(a, u, p, n) for a, u, p, n in rows]


def shortlist_of(db: Database, task_name: str) -> list[tuple[int, str, str, str | None]]:
    with db.transaction() as s:
        return shortlist(s, task_name)
