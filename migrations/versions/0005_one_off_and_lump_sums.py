"""one-off jobs: a task's estimated size, and who estimated it

Lump-sum quotes need no column: quote_unit holds "total". Custom frequencies need none
either: task.frequency holds their short canonical form ("3x/week", "every 3 weeks").

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("estimate_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("estimate_member_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_task_estimate_member_id_member"),
            "member",
            ["estimate_member_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            op.f("ck_task_estimate_positive"), "estimate_minutes IS NULL OR estimate_minutes > 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_task_estimate_positive"), type_="check")
        batch_op.drop_constraint(op.f("fk_task_estimate_member_id_member"), type_="foreignkey")
        batch_op.drop_column("estimate_member_id")
        batch_op.drop_column("estimate_minutes")
