"""The wheel's contents are listed by hand in pyproject.toml; these catch a list gone stale."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _setuptools() -> dict[str, object]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return dict(config["tool"]["setuptools"])


def test_every_package_under_bot_is_listed_for_the_wheel():
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "bot").rglob("__init__.py")
    }
    assert on_disk <= set(_setuptools()["packages"])


def test_migrations_ship_as_the_package_alembic_is_pointed_at():
    from bot.db import migrate

    assert _setuptools()["package-dir"] == {migrate.MIGRATIONS_PACKAGE: "migrations"}
    assert Path(migrate.script_location()) == ROOT / "migrations"
