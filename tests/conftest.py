"""Shared fixtures: a real database, the Slack stand-in, and the bot serving real HTTP."""

from __future__ import annotations

import functools
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.app import create_app, make_client
from bot.console.local_slack import LocalSlack
from bot.db import migrate
from bot.db.base import Base
from bot.db.engine import Database
from bot.jobs import digest as digest_job
from bot.oauth.flow import tokens_for
from bot.oauth.tokens import Tokens
from bot.settings import Settings
from tests.support.executor import TrackingExecutor
from tests.support.serving import serving
from tests.support.slack_sim import SlackSim

SIGNING_SECRET = "test-signing-secret"
PG_ENV = "TEST_DATABASE_URL"


def pg_admin_url() -> str | None:
    url = os.environ.get(PG_ENV)
    if not url:
        return None
    return (
        url.replace("postgresql://", "postgresql+psycopg://", 1)
        if url.startswith("postgresql://")
        else url
    )


def fresh_pg_database(admin_url: str) -> str:
    """CREATE a new, empty database beside TEST_DATABASE_URL's; returns its URL."""
    name = f"handoff_test_{uuid.uuid4().hex[:10]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_pg_database(admin_url: str, url: str) -> None:
    name = make_url(url).database
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def require_postgres() -> str:
    """The admin URL, or skip (and fail instead when CI demands PostgreSQL)."""
    url = pg_admin_url()
    if url is None:
        if os.environ.get("HANDOFF_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{PG_ENV} is not set but HANDOFF_REQUIRE_POSTGRES=1")
        pytest.skip(f"set {PG_ENV} to run PostgreSQL tests")
    return url


@pytest.fixture(autouse=True)
def _fresh_channel_throttle(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no recent posts: channel ids repeat across tests, and the
    process-wide one-a-second throttle would otherwise make a test wait for the last one."""
    monkeypatch.setattr(digest_job, "THROTTLE", digest_job.ChannelThrottle())


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database at the newest migration: a SQLite file to copy, or a PostgreSQL database."""
    admin = pg_admin_url()
    if admin:
        url = fresh_pg_database(admin)
        migrate.upgrade(url)
        yield url
        drop_pg_database(admin, url)
        return
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    yield str(path)


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """A real, migrated, empty database for one test."""
    if pg_admin_url():
        engine = create_engine(_migrated_template)
        with engine.begin() as conn:
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return _migrated_template
    path = tmp_path / "handoff.db"
    shutil.copy(_migrated_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    yield database
    database.dispose()


@pytest.fixture
def slack() -> Iterator[LocalSlack]:
    with LocalSlack(team_id="T1") as stand_in:
        yield stand_in


@pytest.fixture
def settings(database_url: str, slack: LocalSlack) -> Settings:
    return Settings(
        slack_bot_token="xoxb-test-token",
        slack_signing_secret=SIGNING_SECRET,
        database_url=database_url,
        slack_api_url=slack.api_url,
    )


@pytest.fixture
def executor() -> Iterator[TrackingExecutor]:
    pool = TrackingExecutor()
    yield pool
    pool.shutdown(wait=True)


@pytest.fixture
def bot(
    settings: Settings, db: Database, slack: LocalSlack, executor: TrackingExecutor
) -> Iterator[SlackSim]:
    """The bot serving real HTTP on loopback, and a Slack simulator to talk to it."""
    app = create_app(settings, db=db, executor=executor)
    with serving(app, db, slack, executor, SIGNING_SECRET) as sim:
        yield sim


# ---- multi-workspace (OAuth) mode ----------------------------------------------------------

CLIENT_ID = "1111.2222"
CLIENT_SECRET = "test-client-secret-3f9a"
# Fernet keys (32 url-safe base64 bytes), fixed so a failing test can be replayed.
ENCRYPTION_KEY = "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY="
OLD_ENCRYPTION_KEY = "T0xEb2xkT0xEb2xkT0xEb2xkT0xEb2xkT0xEb2xkMDE="


@pytest.fixture
def oauth_settings(database_url: str, slack: LocalSlack) -> Settings:
    """Multi-workspace mode against the stand-in, which knows the app's credentials."""
    slack.register_app(CLIENT_ID, CLIENT_SECRET)
    return Settings(
        slack_signing_secret=SIGNING_SECRET,
        slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET,
        encryption_keys=(ENCRYPTION_KEY,),
        database_url=database_url,
        slack_api_url=slack.api_url,
    )


@pytest.fixture
def oauth_bot(
    oauth_settings: Settings, db: Database, slack: LocalSlack, executor: TrackingExecutor
) -> Iterator[SlackSim]:
    """The bot in multi-workspace mode, serving real HTTP on loopback."""
    app = create_app(oauth_settings, db=db, executor=executor)
    with serving(app, db, slack, executor, SIGNING_SECRET) as sim:
        yield sim


@pytest.fixture
def tokens(oauth_settings: Settings, db: Database) -> Tokens:
    """The installations' tokens as a process without requests (the scheduler) has them."""
    return tokens_for(oauth_settings, db, functools.partial(make_client, oauth_settings))
