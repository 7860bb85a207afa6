"""change log (undo any change), entry numbers per workspace, who created a task

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMNs: on SQLite a batch rebuild of workspace or task would drop the old table,
    # and with foreign keys on that cascades to every row that points at it.
    op.add_column(
        "workspace",
        sa.Column("last_entry_number", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("task", sa.Column("created_by", sa.Integer(), nullable=True))
    # An existing task was created by whoever logged its first entry.
    op.execute(
        "UPDATE task SET created_by = (SELECT e.member_id FROM entry e WHERE e.task_id = task.id "
        "ORDER BY e.created_at, e.id LIMIT 1)"
    )

    # Nothing points at entry, so rebuilding it in batch mode is safe.
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.Integer(), nullable=True))
    # Existing entries are numbered in the order they were made, from #1 in each workspace.
    op.execute(
        "UPDATE entry SET number = (SELECT n.number FROM (SELECT id, ROW_NUMBER() OVER "
        "(PARTITION BY workspace_id ORDER BY created_at, id) AS number FROM entry) n "
        "WHERE n.id = entry.id)"
    )
    op.execute(
        "UPDATE workspace SET last_entry_number = (SELECT COALESCE(MAX(e.number), 0) "
        "FROM entry e WHERE e.workspace_id = workspace.id)"
    )
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint(
            batch_op.f("uq_entry_workspace_id_number"), ["workspace_id", "number"]
        )

    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_change_log_member_id_member"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_change_log_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index(
            "ix_change_log_member", ["workspace_id", "member_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_member")
    op.drop_table("change_log")
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_entry_workspace_id_number"), type_="unique")
        batch_op.drop_column("number")
    op.drop_column("task", "created_by")
    op.drop_column("workspace", "last_entry_number")
