"""providers: a shortlist of quotes per task, trials and hand-offs, reviews and payments

Every task's quote becomes the first entry on its shortlist, from its provider (a new
``provider`` row per distinct name in the workspace) or unnamed; then the task's own quote
columns go (the downgrade puts each task's newest quote back in them).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 15:40:00.000000
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    # bot.names.task_key as it was when this ran: a migration never imports app code.
    name = " ".join(name.split()).strip("\"'“”‘’ ").rstrip(".,;:!?…").strip()
    return re.sub(r"\s+", " ", name).casefold()


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspace.id"],
        name=op.f(f"fk_{table}_workspace_id_workspace"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "provider",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("provider"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
        sa.UniqueConstraint("workspace_id", "key", name=op.f("uq_provider_workspace_id_key")),
    )
    op.create_table(
        "quote",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("unit", sa.String(length=16), nullable=False),
        sa.Column("per", sa.String(length=24), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_quote_amount_positive")),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_quote_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_quote_task_id_task"), ondelete="CASCADE"
        ),
        _workspace_fk("quote"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote")),
        sa.UniqueConstraint("task_id", "provider_id", name=op.f("uq_quote_task_id_provider_id")),
    )
    op.create_table(
        "engagement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("one_off", sa.Boolean(), nullable=False),
        sa.Column("baseline_hours", sa.String(length=64), nullable=True),
        sa.Column("baseline_in_house", sa.String(length=64), nullable=True),
        sa.Column("baseline_savings", sa.String(length=64), nullable=True),
        sa.Column("baseline_worth", sa.String(length=64), nullable=True),
        sa.Column("baseline_occurrences", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('trial', 'handoff')", name=op.f("ck_engagement_kind_known")),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_engagement_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_engagement_task_id_task"), ondelete="CASCADE"
        ),
        _workspace_fk("engagement"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_engagement")),
    )
    op.create_index(
        "ix_engagement_task", "engagement", ["workspace_id", "task_id", "ended_on"], unique=False
    )
    op.create_index(
        "ix_engagement_provider", "engagement", ["workspace_id", "provider_id"], unique=False
    )
    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("score >= 1 AND score <= 5", name=op.f("ck_review_score_range")),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_review_engagement_id_engagement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_review_provider_id_provider"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_review_task_id_task"), ondelete="CASCADE"
        ),
        _workspace_fk("review"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review")),
    )
    op.create_index("ix_review_provider", "review", ["workspace_id", "provider_id"], unique=False)
    op.create_table(
        "payment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=True),
        sa.Column("engagement_id", sa.Integer(), nullable=True),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("amount_minor", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_payment_amount_positive")),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_payment_engagement_id_engagement"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["provider.id"],
            name=op.f("fk_payment_provider_id_provider"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_payment_task_id_task"), ondelete="CASCADE"
        ),
        _workspace_fk("payment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
    )
    op.create_index(
        "ix_payment_task_day", "payment", ["workspace_id", "task_id", "day"], unique=False
    )
    # A plain ADD COLUMN: no batch rebuild of the biggest table.
    op.add_column(
        "entry", sa.Column("overhead", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    # The aggregates leave overhead out: the indexes that cover them carry it too.
    _entry_indexes(with_overhead=True)
    _copy_quotes_to_shortlists()
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_task_quote_positive"), type_="check")
        for column in QUOTE_COLUMNS:
            batch_op.drop_column(column)


QUOTE_COLUMNS = ("quote_minor", "quote_unit", "quote_per", "quote_provider", "quote_at")


def _copy_quotes_to_shortlists() -> None:
    conn = op.get_bind()
    task = sa.table(
        "task",
        sa.column("id", sa.Integer),
        sa.column("workspace_id", sa.Integer),
        sa.column("quote_minor", sa.Integer),
        sa.column("quote_unit", sa.String),
        sa.column("quote_per", sa.String),
        sa.column("quote_provider", sa.String),
        sa.column("quote_at", sa.DateTime(timezone=True)),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    provider = sa.table(
        "provider",
        sa.column("id", sa.Integer),
        sa.column("workspace_id", sa.Integer),
        sa.column("name", sa.String),
        sa.column("key", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    quote = sa.table(
        "quote",
        sa.column("workspace_id", sa.Integer),
        sa.column("task_id", sa.Integer),
        sa.column("provider_id", sa.Integer),
        sa.column("amount_minor", sa.Integer),
        sa.column("unit", sa.String),
        sa.column("per", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    rows = conn.execute(
        sa.select(task)
        .where(task.c.quote_minor.is_not(None), task.c.quote_unit.is_not(None))
        .order_by(task.c.id)
    ).all()
    providers: dict[tuple[int, str], int] = {}
    for row in rows:
        when = row.quote_at or row.created_at
        provider_id = None
        name = " ".join((row.quote_provider or "").split())
        if name:
            key = (row.workspace_id, _key(name))
            if key not in providers:
                providers[key] = conn.execute(
                    provider.insert()
                    .values(workspace_id=row.workspace_id, name=name, key=key[1], created_at=when)
                    .returning(provider.c.id)
                ).scalar_one()
            provider_id = providers[key]
        conn.execute(
            quote.insert().values(
                workspace_id=row.workspace_id,
                task_id=row.id,
                provider_id=provider_id,
                amount_minor=row.quote_minor,
                unit=row.quote_unit,
                per=row.quote_per or "task",
                created_at=when,
            )
        )


def _put_newest_quotes_back() -> None:
    """Each task's newest quote into its old columns (the last given wins a tie)."""
    conn = op.get_bind()
    quote = sa.table(
        "quote",
        sa.column("id", sa.Integer),
        sa.column("task_id", sa.Integer),
        sa.column("provider_id", sa.Integer),
        sa.column("amount_minor", sa.Integer),
        sa.column("unit", sa.String),
        sa.column("per", sa.String),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    provider = sa.table("provider", sa.column("id", sa.Integer), sa.column("name", sa.String))
    rows = conn.execute(
        sa.select(quote, provider.c.name)
        .select_from(quote.outerjoin(provider, provider.c.id == quote.c.provider_id))
        .order_by(quote.c.task_id, quote.c.created_at, quote.c.id)
    ).all()
    newest = {row.task_id: row for row in rows}
    task = sa.table(
        "task",
        sa.column("id", sa.Integer),
        sa.column("quote_minor", sa.Integer),
        sa.column("quote_unit", sa.String),
        sa.column("quote_per", sa.String),
        sa.column("quote_provider", sa.String),
        sa.column("quote_at", sa.DateTime(timezone=True)),
    )
    for task_id, row in newest.items():
        conn.execute(
            task.update()
            .where(task.c.id == task_id)
            .values(
                quote_minor=row.amount_minor,
                quote_unit=row.unit,
                quote_per=row.per,
                quote_provider=row.name,
                quote_at=row.created_at,
            )
        )


_ENTRY_INDEXES = {
    "ix_entry_task_day": ["workspace_id", "task_id", "day"],
    "ix_entry_window": ["workspace_id", "day", "task_id", "member_id", "minutes"],
}


def _entry_indexes(*, with_overhead: bool) -> None:
    for name, columns in _ENTRY_INDEXES.items():
        op.drop_index(name, table_name="entry")
        op.create_index(name, "entry", [*columns, "overhead"] if with_overhead else columns)


def downgrade() -> None:
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.add_column(sa.Column("quote_minor", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("quote_unit", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("quote_per", sa.String(length=24), nullable=True))
        batch_op.add_column(sa.Column("quote_provider", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("quote_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_task_quote_positive"), "quote_minor IS NULL OR quote_minor > 0"
        )
    _put_newest_quotes_back()
    _entry_indexes(with_overhead=False)
    with op.batch_alter_table("entry", schema=None) as batch_op:
        batch_op.drop_column("overhead")
    op.drop_index("ix_payment_task_day", table_name="payment")
    op.drop_table("payment")
    op.drop_index("ix_review_provider", table_name="review")
    op.drop_table("review")
    op.drop_index("ix_engagement_provider", table_name="engagement")
    op.drop_index("ix_engagement_task", table_name="engagement")
    op.drop_table("engagement")
    op.drop_table("quote")
    op.drop_table("provider")
