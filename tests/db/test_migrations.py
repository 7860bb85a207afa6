"""Alembic owns the schema: it upgrades, downgrades and matches the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

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


def check_numbering_backfill(url: str) -> None:
    """0006 numbers existing entries per workspace in the order they were made, gives each
    task the author of its first entry as its creator, and carries on counting from there."""
    migrate.upgrade(url, "0004")
    engine = make_engine(url)
    t = "2026-11-20 10:00:00"
    with engine.begin() as conn:
        for sql in (
            f"INSERT INTO workspace (id, team_id, enterprise_id, currency, overhead_bp, created_at) VALUES (1, 'T1', '', 'USD', 1000, '{t}'), (2, 'T2', '', 'USD', 1000, '{t}')",
            f"INSERT INTO member (id, workspace_id, user_id, is_admin, created_at) VALUES (1, 1, 'U1', false, '{t}'), (2, 1, 'U2', false, '{t}'), (3, 2, 'U1', false, '{t}')",
            f"INSERT INTO task (id, workspace_id, name, key, is_core, created_at) VALUES (1, 1, 'a', 'a', false, '{t}'), (2, 2, 'b', 'b', false, '{t}'), (3, 1, 'quoted only', 'quoted only', false, '{t}')",
            # Made out of id order: U2's entry on task 1 came first.
            "INSERT INTO entry (id, workspace_id, task_id, member_id, minutes, day, created_at) VALUES "
            "(1, 1, 1, 1, 30, '2026-11-20', '2026-11-20 12:00:00'), "
            "(2, 2, 2, 3, 30, '2026-11-20', '2026-11-20 12:00:00'), "
            "(3, 1, 1, 2, 30, '2026-11-20', '2026-11-20 11:00:00')",
        ):
            conn.execute(text(sql))
    migrate.upgrade(url)
    with engine.connect() as conn:
        numbers = conn.execute(text("SELECT id, number FROM entry ORDER BY id")).all()
        creators = conn.execute(text("SELECT id, created_by FROM task ORDER BY id")).all()
        last = conn.execute(text("SELECT id, last_entry_number FROM workspace ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in numbers] == [(1, 2), (2, 1), (3, 1)]
    assert [tuple(r) for r in creators] == [(1, 2), (2, 3), (3, None)]
    assert [tuple(r) for r in last] == [(1, 2), (2, 1)]


def test_sqlite_migration_numbers_existing_entries_and_finds_creators(tmp_path):
    check_numbering_backfill(f"sqlite:///{tmp_path}/n.db")


@pytest.mark.postgres
def test_postgres_migration_numbers_existing_entries_and_finds_creators():
    admin = require_postgres()
    url = fresh_pg_database(admin)
    try:
        check_numbering_backfill(url)
    finally:
        drop_pg_database(admin, url)


def test_sqlite_upgrades_keep_every_row_of_tables_they_rebuild(tmp_path):
    """Batch migrations rebuild tables on SQLite; with foreign keys on, dropping the old `task`
    would cascade to every entry. Each step from the first must keep every row."""
    url = f"sqlite:///{tmp_path}/k.db"
    migrate.upgrade(url, "0004")
    engine = make_engine(url)
    t = "2026-11-20 10:00:00"
    with engine.begin() as conn:
        for sql in (
            f"INSERT INTO workspace (id, team_id, enterprise_id, currency, overhead_bp, created_at) VALUES (1, 'T1', '', 'USD', 1000, '{t}')",
            f"INSERT INTO member (id, workspace_id, user_id, is_admin, created_at) VALUES (1, 1, 'U1', false, '{t}')",
            f"INSERT INTO task (id, workspace_id, name, key, is_core, quote_minor, quote_unit, created_at) VALUES (1, 1, 'a', 'a', false, 6000, 'occurrence', '{t}')",
            "INSERT INTO entry (id, workspace_id, task_id, member_id, minutes, day, created_at) VALUES "
            f"(1, 1, 1, 1, 30, '2026-11-19', '{t}'), (2, 1, 1, 1, 45, '2026-11-20', '{t}')",
        ):
            conn.execute(text(sql))
    migrate.upgrade(url)
    with engine.connect() as conn:
        entries = conn.execute(text("SELECT id, minutes FROM entry ORDER BY id")).all()
        tasks = conn.execute(text("SELECT task_id, amount_minor FROM quote")).all()
        fk = conn.exec_driver_sql("PRAGMA foreign_keys").scalar()
    engine.dispose()
    assert [tuple(r) for r in entries] == [(1, 30), (2, 45)]
    assert [tuple(r) for r in tasks] == [(1, 6000)]
    assert fk == 1  # the checks are back on for the app's connections


def check_quotes_become_shortlists(url: str) -> None:
    """0009 makes each task's quote the first on its shortlist: one provider row per distinct
    name in a workspace (spelling and case aside), none for an unnamed quote."""
    migrate.upgrade(url, "0008")
    engine = make_engine(url)
    t = "2026-11-20 10:00:00"
    with engine.begin() as conn:
        for sql in (
            f"INSERT INTO workspace (id, team_id, enterprise_id, currency, overhead_bp, last_entry_number, created_at) VALUES (1, 'T1', '', 'USD', 1000, 0, '{t}'), (2, 'T2', '', 'USD', 1000, 0, '{t}')",
            "INSERT INTO task (id, workspace_id, name, key, is_core, quote_minor, quote_unit, quote_per, quote_provider, quote_at, created_at) VALUES "
            f"(1, 1, 'a', 'a', false, 6000, 'occurrence', 'post', 'Jane', '{t}', '{t}'), "
            f"(2, 1, 'b', 'b', false, 2500, 'hour', 'hour', 'jane ', NULL, '{t}'), "
            f"(3, 1, 'c', 'c', false, 900, 'week', 'week', NULL, '{t}', '{t}'), "
            f"(4, 2, 'a', 'a', false, 7000, 'total', 'job', 'Jane', '{t}', '{t}'), "
            f"(5, 2, 'd', 'd', false, NULL, NULL, NULL, NULL, NULL, '{t}')",
        ):
            conn.execute(text(sql))
    migrate.upgrade(url, "0009")
    with engine.connect() as conn:
        providers = conn.execute(
            text("SELECT workspace_id, name, key FROM provider ORDER BY workspace_id")
        ).all()
        quotes = conn.execute(
            text(
                "SELECT q.task_id, p.key, q.amount_minor, q.unit, q.per FROM quote q "
                "LEFT JOIN provider p ON p.id = q.provider_id ORDER BY q.task_id"
            )
        ).all()
        overhead = conn.execute(text("SELECT count(*) FROM entry WHERE overhead")).scalar()
    engine.dispose()
    assert [tuple(r) for r in providers] == [(1, "Jane", "jane"), (2, "Jane", "jane")]
    assert [tuple(r) for r in quotes] == [
        (1, "jane", 6000, "occurrence", "post"),
        (2, "jane", 2500, "hour", "hour"),
        (3, None, 900, "week", "week"),
        (4, "jane", 7000, "total", "job"),
    ]
    assert overhead == 0


def test_sqlite_migration_turns_quotes_into_shortlists(tmp_path):
    check_quotes_become_shortlists(f"sqlite:///{tmp_path}/q.db")


@pytest.mark.postgres
def test_postgres_migration_turns_quotes_into_shortlists():
    admin = require_postgres()
    url = fresh_pg_database(admin)
    try:
        check_quotes_become_shortlists(url)
    finally:
        drop_pg_database(admin, url)


def check_downgrade_puts_the_newest_quote_back(url: str) -> None:
    """Down from 0009, each task's columns get its newest quote, with its provider's name."""
    migrate.upgrade(url, "0009")
    engine = make_engine(url)
    with engine.begin() as conn:
        for sql in (
            "INSERT INTO workspace (id, team_id, enterprise_id, currency, overhead_bp, last_entry_number, created_at) VALUES (1, 'T1', '', 'USD', 1000, 0, '2026-11-20 10:00:00')",
            "INSERT INTO task (id, workspace_id, name, key, is_core, created_at) VALUES (1, 1, 'a', 'a', false, '2026-11-20 10:00:00'), (2, 1, 'b', 'b', false, '2026-11-20 10:00:00')",
            "INSERT INTO provider (id, workspace_id, name, key, created_at) VALUES (1, 1, 'Jane', 'jane', '2026-11-20 10:00:00'), (2, 1, 'Ada', 'ada', '2026-11-20 10:00:00')",
            "INSERT INTO quote (id, workspace_id, task_id, provider_id, amount_minor, unit, per, created_at) VALUES "
            "(1, 1, 1, 2, 2500, 'hour', 'hour', '2026-11-21 10:00:00'), "
            "(2, 1, 1, 1, 6000, 'occurrence', 'post', '2026-11-20 10:00:00')",
        ):
            conn.execute(text(sql))
    migrate.downgrade(url, "0008")
    with engine.connect() as conn:
        tasks = conn.execute(
            text(
                "SELECT id, quote_minor, quote_unit, quote_per, quote_provider FROM task ORDER BY id"
            )
        ).all()
    engine.dispose()
    assert [tuple(r) for r in tasks] == [
        (1, 2500, "hour", "hour", "Ada"),
        (2, None, None, None, None),
    ]


def test_sqlite_downgrade_puts_the_newest_quote_back(tmp_path):
    check_downgrade_puts_the_newest_quote_back(f"sqlite:///{tmp_path}/d.db")


@pytest.mark.postgres
def test_postgres_downgrade_puts_the_newest_quote_back():
    admin = require_postgres()
    url = fresh_pg_database(admin)
    try:
        check_downgrade_puts_the_newest_quote_back(url)
    finally:
        drop_pg_database(admin, url)
