"""Alembic's scripts; the wheel ships this directory as the package bot._migrations."""
