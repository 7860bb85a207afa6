"""entry window index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 02:21:23.196689
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.create_index(
            "ix_entry_window",
            ["workspace_id", "day", "task_id", "member_id", "minutes"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_index("ix_entry_window")
