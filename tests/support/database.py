"""What the bot saved, table by table, for tests that check nothing was."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.base import Base
from bot.db.engine import Database


def saved_rows(db: Database) -> dict[str, int]:
    """Row counts of the tables that hold any rows."""
    counts = {}
    with db.transaction() as s:
        for table in Base.metadata.sorted_tables:
            n = s.scalar(select(func.count()).select_from(table))
            if n:
                counts[table.name] = n
    return counts
