"""digest run lease: a claim expires, so a run whose claimant died is taken over

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="1", nullable=False))
        batch_op.add_column(sa.Column("leased_at", sa.DateTime(timezone=True), nullable=True))
    # Runs claimed before this migration hold their lease from their claim.
    op.execute("UPDATE digest_run SET leased_at = claimed_at")
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.alter_column("leased_at", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch_op.create_index("ix_digest_run_claimed", ["status", "leased_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("digest_run", schema=None) as batch_op:
        batch_op.drop_index("ix_digest_run_claimed")
        batch_op.drop_column("leased_at")
        batch_op.drop_column("attempts")
