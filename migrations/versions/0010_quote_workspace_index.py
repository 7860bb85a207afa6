"""quote workspace index

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-23 19:30:00.000000

A workspace's shortlists (the report, the digest, "what should I outsource?") read its
quotes by workspace: without an index that starts with workspace_id every workspace's
quotes were scanned.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.create_index("ix_quote_workspace_task", ["workspace_id", "task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("quote", schema=None) as batch_op:
        batch_op.drop_index("ix_quote_workspace_task")
