"""The tables. Every row belongs to a workspace; money is integer minor units."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.db.base import Base, UTCDateTime, utcnow


class Workspace(Base):
    """A Slack workspace (team), inside an Enterprise Grid org when ``enterprise_id`` is set."""

    __tablename__ = "workspace"
    __table_args__ = (UniqueConstraint("enterprise_id", "team_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    # "" rather than NULL outside Enterprise Grid, so the unique key works on every backend.
    enterprise_id: Mapped[str] = mapped_column(String(32), default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    overhead_bp: Mapped[int] = mapped_column(default=1000)  # basis points: 1000 = 10%
    # The last entry number given out here (#1, #2…): numbers are never reused, even after a delete.
    last_entry_number: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Member(Base):
    __tablename__ = "member"
    __table_args__ = (
        UniqueConstraint("workspace_id", "user_id"),
        CheckConstraint("rate_minor IS NULL OR rate_minor > 0", name="rate_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    display_name: Mapped[str | None] = mapped_column(String(120))
    rate_minor: Mapped[int | None]
    tz: Mapped[str | None] = mapped_column(String(64))
    is_admin: Mapped[bool] = mapped_column(default=False)
    profile_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Task(Base):
    __tablename__ = "task"
    __table_args__ = (
        UniqueConstraint("workspace_id", "key"),
        CheckConstraint(
            "estimate_minutes IS NULL OR estimate_minutes > 0", name="estimate_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80))
    category: Mapped[str | None] = mapped_column(String(40))
    frequency: Mapped[str | None] = mapped_column(String(16))
    is_core: Mapped[bool] = mapped_column(default=False)
    # Its quotes are its shortlist: the ``quote`` table (TaskQuote).
    # A one-off job's estimated size, and who gave it (their hourly worth values it until
    # someone with one logs time on it).
    estimate_minutes: Mapped[int | None]
    estimate_member_id: Mapped[int | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    # The member who created it (may delete or merge it away). A plain id, not a foreign key:
    # adding one would make SQLite rebuild the task table, and dropping the old table cascades
    # to every entry. Members are only ever deleted with their workspace, tasks and all.
    created_by: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Entry(Base):
    """Minutes one member spent on one task, on a day of their own calendar."""

    __tablename__ = "entry"
    __table_args__ = (
        CheckConstraint("minutes > 0 AND minutes <= 1440", name="minutes_in_a_day"),
        UniqueConstraint("workspace_id", "number"),
        # ``overhead`` ends both indexes so that they still cover the aggregates that leave
        # overhead out (bot/services/analysis.py): without it every row is read from the table.
        Index("ix_entry_task_day", "workspace_id", "task_id", "day", "overhead"),
        Index("ix_entry_member_created", "workspace_id", "member_id", "created_at"),
        # Covers the 28-day window aggregates over a whole workspace (report, digest).
        Index(
            "ix_entry_window", "workspace_id", "day", "task_id", "member_id", "minutes", "overhead"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    # #12: what members see and type; per workspace, never reused (Workspace.last_entry_number).
    number: Mapped[int]
    minutes: Mapped[int]
    # Time logged on a task while it is handed off is the owner's overhead (briefing,
    # reviewing, fixing), not in-house work: set when the entry's day falls in a hand-off.
    overhead: Mapped[bool] = mapped_column(default=False, server_default=false())
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    task: Mapped[Task] = relationship(lazy="joined")


class Provider(Base):
    """Someone a task can be handed off to: a freelancer, an agency, a service (#11)."""

    __tablename__ = "provider"
    __table_args__ = (UniqueConstraint("workspace_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(80))
    key: Mapped[str] = mapped_column(String(80))  # bot.names.task_key(name)
    created_by: Mapped[int | None]  # a member id, like task.created_by
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class TaskQuote(Base):
    """One price for handing a task off: the task's shortlist is all of its quotes.

    At most one per provider per task, and one without a provider ("unnamed"); the services
    keep that rule under the task's lock, since NULLs never collide in a unique key.
    """

    __tablename__ = "quote"
    __table_args__ = (
        UniqueConstraint("task_id", "provider_id"),
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        # A workspace's shortlists are read by workspace (report, digest, questions).
        Index("ix_quote_workspace_task", "workspace_id", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    amount_minor: Mapped[int]
    unit: Mapped[str] = mapped_column(String(16))  # economics.QuoteUnit
    per: Mapped[str] = mapped_column(String(24))  # the word the member used: "post", "task"
    member_id: Mapped[int | None]  # who entered it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    provider: Mapped[Provider | None] = relationship(lazy="joined")


class Engagement(Base):
    """A provider working on a task: a ``trial``, or the ``handoff`` itself.

    A hand-off freezes its baseline when it starts: the task's hours a week, in-house cost a
    week and projected savings a week (one-off work: the job's hours and totals), as exact
    fractions ("num/den" text), so realized savings are measured against what was projected
    then, not against figures that drift as the window moves. ``ended_on`` is set by
    ``takeback`` (or by a trial ending); the row stays as history.
    """

    __tablename__ = "engagement"
    __table_args__ = (
        CheckConstraint("kind IN ('trial', 'handoff')", name="kind_known"),
        Index("ix_engagement_task", "workspace_id", "task_id", "ended_on"),
        Index("ix_engagement_provider", "workspace_id", "provider_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    started_on: Mapped[date] = mapped_column(Date)  # the starter's local day
    ended_on: Mapped[date | None] = mapped_column(Date)
    member_id: Mapped[int | None]  # who started it
    one_off: Mapped[bool] = mapped_column(default=False)
    baseline_hours: Mapped[str | None] = mapped_column(String(64))
    baseline_in_house: Mapped[str | None] = mapped_column(String(64))
    baseline_savings: Mapped[str | None] = mapped_column(String(64))
    baseline_worth: Mapped[str | None] = mapped_column(String(64))  # hourly worth then
    # occurrences a week then (one-off: 0), to price the other quotes on the shortlist alike
    baseline_occurrences: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Inner: provider_id is never NULL, and PostgreSQL locks no row on an outer join's nullable side.
    provider: Mapped[Provider] = relationship(lazy="joined", innerjoin=True)


class Review(Base):
    """A member's score (1–5) for a provider's work, on a task, with its date."""

    __tablename__ = "review"
    __table_args__ = (
        CheckConstraint("score >= 1 AND score <= 5", name="score_range"),
        Index("ix_review_provider", "workspace_id", "provider_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement.id", ondelete="SET NULL")
    )
    member_id: Mapped[int | None]  # the author
    score: Mapped[int]
    on_time: Mapped[bool | None]  # None: not said
    note: Mapped[str | None] = mapped_column(String(300))
    day: Mapped[date] = mapped_column(Date)  # the author's local day
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Payment(Base):
    """What was actually paid for a handed-off task, on a day, to a provider when known."""

    __tablename__ = "payment"
    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="amount_positive"),
        Index("ix_payment_task_day", "workspace_id", "task_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("task.id", ondelete="CASCADE"))
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id", ondelete="SET NULL"))
    engagement_id: Mapped[int | None] = mapped_column(
        ForeignKey("engagement.id", ondelete="SET NULL")
    )
    member_id: Mapped[int | None]  # who recorded it
    amount_minor: Mapped[int]
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ChangeRecord(Base):
    """One member's change, kept so that they can undo it (bot/services/changes.py).

    ``summary`` says what the change was, in parts a view renders; ``state`` holds what undoing
    it needs: the state before, and the state after to check that nobody has changed it since.
    """

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_member", "workspace_id", "member_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(24))
    summary: Mapped[list[Any]] = mapped_column(JSON)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class HandledEvent(Base):
    """Events API deliveries already answered, so a retry never gets a second answer."""

    __tablename__ = "handled_event"
    __table_args__ = (UniqueConstraint("team_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(64))
    handled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class DigestSchedule(Base):
    """Where and when a workspace hears its weekly digest; ``next_run_at`` is a UTC instant."""

    __tablename__ = "digest_schedule"
    __table_args__ = (
        UniqueConstraint("workspace_id"),
        CheckConstraint("weekday >= 0 AND weekday <= 6", name="weekday_range"),
        Index("ix_digest_schedule_due", "enabled", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    channel_id: Mapped[str] = mapped_column(String(32))
    weekday: Mapped[int]
    local_time: Mapped[str] = mapped_column(String(5))  # HH:MM
    timezone: Mapped[str] = mapped_column(String(64))
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    enabled: Mapped[bool] = mapped_column(default=True)
    owner_user_id: Mapped[str] = mapped_column(String(32))  # who first set it up
    configured_by: Mapped[str] = mapped_column(String(32))  # who last changed it (gets problem DMs)
    last_status: Mapped[str | None] = mapped_column(String(16))
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DigestRun(Base):
    """One scheduled digest. The unique (workspace, instant) row is the claim to post it.

    A claim is a lease: its claimant renews ``leased_at`` before every post attempt, and a run
    still ``claimed`` a lease after that is taken over by another process (``attempts`` counts
    the claims, and is what the compare-and-set compares). ``claimed_at`` stays the first
    claim: nothing for this run can have been posted before it.
    """

    __tablename__ = "digest_run"
    __table_args__ = (
        UniqueConstraint("workspace_id", "scheduled_for"),
        Index("ix_digest_run_claimed", "status", "leased_at"),  # stale claims, every poll
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # claimed, posted, failed, skipped
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    leased_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=1, server_default="1")
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    channel_id: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(String(200))


class Reminder(Base):
    """A member's weekly nudge to log their time: weekdays and a wall-clock time in their
    timezone; ``next_run_at`` is the next one as a UTC instant (bot/weekly.py's rule)."""

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("workspace_id", "member_id"),
        Index("ix_reminder_due", "enabled", "next_run_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))  # where the DM goes
    weekdays: Mapped[str] = mapped_column(String(16))  # "0,2,4": Monday = 0
    local_time: Mapped[str] = mapped_column(String(5))  # HH:MM
    timezone: Mapped[str] = mapped_column(String(64))
    next_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
    enabled: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class ReminderRun(Base):
    """One reminder sent (or tried). The unique (reminder, instant) row is the claim to send it."""

    __tablename__ = "reminder_run"
    __table_args__ = (UniqueConstraint("reminder_id", "scheduled_for"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    reminder_id: Mapped[int] = mapped_column(ForeignKey("reminder.id", ondelete="CASCADE"))
    scheduled_for: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[str] = mapped_column(String(16))  # claimed, sent, failed, skipped
    claimed_by: Mapped[str] = mapped_column(String(64))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(String(200))


# slack_sdk's installation and OAuth state tables, registered on the same metadata.
from bot.db.installations import SlackBot, SlackInstallation, SlackOAuthState  # noqa: E402, F401
