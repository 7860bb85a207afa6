"""Alembic owns the schema: it upgrades, downgrades and matches the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from bot.db import migrate
from bot.db.base import Base
from bot.db.engine import make_engine
from tests.conftest import drop_pg_database, fresh_pg_database, require_postgres


def check_round_trip(url: str) -> None:
    migrate.upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= set(Base.metadata.tables)
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata
        )
        assert diff == [], f"models and migrations differ: {diff}"
    migrate.downgrade(url, "base")
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(url)
    engine.dispose()


def test_sqlite_upgrade_downgrade_and_no_drift(tmp_path):
    check_round_trip(f"sqlite:///{tmp_path}/m.db")


@pytest.mark.postgres
def test_postgres_upgrade_downgrade_and_no_drift():
    admin = require_postgres()
    url = fresh_pg_database(admin)
    try:
        check_round_trip(url)
    finally:
        drop_pg_database(admin, url)


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path}/w.db")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    engine.dispose()
