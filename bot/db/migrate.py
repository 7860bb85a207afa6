"""Running Alembic from code: `handoff migrate`, `handoff run` and the tests all come here."""

from __future__ import annotations

from importlib.resources import files

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db.engine import make_engine

# The top-level migrations/ directory is packaged as bot._migrations (see pyproject.toml), so an
# installed wheel finds it next to its own code and an editable install finds it in the checkout.
MIGRATIONS_PACKAGE = "bot._migrations"


def script_location() -> str:
    return str(files(MIGRATIONS_PACKAGE))


def alembic_config(url: str) -> Config:
    # Built in code rather than read from alembic.ini: an installed wheel has no alembic.ini.
    config = Config()
    config.set_main_option("script_location", script_location())
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(url), revision)


def current(url: str) -> str | None:
    """The migration the database is at; None when it has none (no Handoff tables yet)."""
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    """The newest migration."""
    return str(ScriptDirectory.from_config(alembic_config("")).get_current_head())
