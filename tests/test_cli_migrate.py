"""`handoff migrate` as a real process: what it says, what it logs, and where its settings come
from (the working directory's .env, under the real environment)."""

from __future__ import annotations

from bot.db import migrate
from tests.support.cli import handoff


def test_migrate_says_what_it_did_and_logs_no_alembic_lines(tmp_path):
    url = f"sqlite:///{tmp_path}/handoff.db"
    first = handoff(tmp_path, "migrate", DATABASE_URL=url)  # LOG_LEVEL unset: INFO
    assert first.returncode == 0, first.stderr
    head = migrate.head()
    assert first.stdout == (
        f"Database is up to date ({url}): upgraded from empty to migration {head}.\n"
    )
    assert first.stderr == ""
    again = handoff(tmp_path, "migrate", DATABASE_URL=url)
    assert again.stdout == f"Database is up to date ({url}, migration {head}).\n"


def test_alembic_lines_show_at_debug_level(tmp_path):
    result = handoff(
        tmp_path, "migrate", DATABASE_URL=f"sqlite:///{tmp_path}/h.db", LOG_LEVEL="DEBUG"
    )
    assert result.returncode == 0
    assert "INFO alembic.runtime.migration: Running upgrade  -> 0001" in result.stderr


def test_dotenv_is_read_from_the_working_directory(tmp_path):
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\n")
    result = handoff(tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert "(sqlite:///from-dotenv.db)" in result.stdout
    assert (tmp_path / "from-dotenv.db").exists()


def test_the_real_environment_wins_over_dotenv(tmp_path):
    (tmp_path / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\nLOG_LEVEL=LOUD\n")
    result = handoff(tmp_path, "migrate", DATABASE_URL="sqlite:///from-env.db", LOG_LEVEL="WARNING")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "from-env.db").exists()
    assert not (tmp_path / "from-dotenv.db").exists()


def test_a_dotenv_in_a_parent_folder_is_not_read(tmp_path):
    (tmp_path / ".env").write_text("LOG_LEVEL=LOUD\n")
    below = tmp_path / "below"
    below.mkdir()
    result = handoff(below, "migrate", DATABASE_URL=f"sqlite:///{below}/h.db")
    assert result.returncode == 0, result.stderr
