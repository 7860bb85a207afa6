"""Services against a real database, each test inside a transaction that is rolled back.

The pattern warehouse and polar use: one migrated database for the whole run, a
connection per test with an outer transaction, and a Session joined to it with
savepoints, so a service's own savepoints and flushes work and nothing outlives the test.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from bot.db import migrate
from bot.db.engine import make_engine
from tests.conftest import drop_pg_database, fresh_pg_database, pg_admin_url


@pytest.fixture(scope="session")
def services_engine(
    _migrated_template: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    admin = pg_admin_url()
    if admin:
        url = fresh_pg_database(admin)
        migrate.upgrade(url)
        engine = create_engine(url)
        yield engine
        engine.dispose()
        drop_pg_database(admin, url)
        return
    path = tmp_path_factory.mktemp("services") / "services.db"
    shutil.copy(_migrated_template, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()


@pytest.fixture
def session(services_engine: Engine) -> Iterator[Session]:
    with services_engine.connect() as conn:
        outer = conn.begin()
        with Session(bind=conn, join_transaction_mode="create_savepoint") as s:
            yield s
        outer.rollback()
