"""The tables of slack_sdk's SQLAlchemy installation and OAuth state stores, owned by Alembic.

Same names and columns as ``SQLAlchemyInstallationStore.build_installations_table``,
``build_bots_table`` and ``SQLAlchemyOAuthStateStore.build_oauth_states_table``, with two
changes that bot.oauth.store relies on: token columns are Text, because they hold Fernet
ciphertext (about 1.4 times the token plus 76 characters, past the upstream 200 for a rotating
token), and timestamps are aware UTC like every other table (upstream stores naive datetimes
and reads them back as local time).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.db.base import Base, UTCDateTime, utcnow


class SlackInstallation(Base):
    """One "Add to Slack": a workspace's (or, org-wide, an Enterprise Grid org's) tokens."""

    __tablename__ = "slack_installations"
    __table_args__ = (
        Index(
            "slack_installations_idx",
            "client_id",
            "enterprise_id",
            "team_id",
            "user_id",
            "installed_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(32))
    app_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    enterprise_url: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(32))  # None: an org-wide install
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(Text)  # encrypted
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)  # encrypted
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    user_id: Mapped[str] = mapped_column(String(32))  # who installed
    user_token: Mapped[str | None] = mapped_column(Text)  # encrypted
    user_scopes: Mapped[str | None] = mapped_column(String(1000))
    user_refresh_token: Mapped[str | None] = mapped_column(Text)  # encrypted
    user_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    incoming_webhook_url: Mapped[str | None] = mapped_column(Text)  # encrypted: it is a credential
    incoming_webhook_channel: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_channel_id: Mapped[str | None] = mapped_column(String(200))
    incoming_webhook_configuration_url: Mapped[str | None] = mapped_column(String(200))
    is_enterprise_install: Mapped[bool] = mapped_column(default=False)
    token_type: Mapped[str | None] = mapped_column(String(32))
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SlackBot(Base):
    """The bot half of an installation, as slack_sdk's stores keep it."""

    __tablename__ = "slack_bots"
    __table_args__ = (
        Index("slack_bots_idx", "client_id", "enterprise_id", "team_id", "installed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(32))
    app_id: Mapped[str] = mapped_column(String(32))
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    enterprise_name: Mapped[str | None] = mapped_column(String(200))
    team_id: Mapped[str | None] = mapped_column(String(32))
    team_name: Mapped[str | None] = mapped_column(String(200))
    bot_token: Mapped[str | None] = mapped_column(Text)  # encrypted
    bot_id: Mapped[str | None] = mapped_column(String(32))
    bot_user_id: Mapped[str | None] = mapped_column(String(32))
    bot_scopes: Mapped[str | None] = mapped_column(String(1000))
    bot_refresh_token: Mapped[str | None] = mapped_column(Text)  # encrypted
    bot_token_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_enterprise_install: Mapped[bool] = mapped_column(default=False)
    installed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SlackOAuthState(Base):
    """An install started at /slack/install: its state, until the redirect uses it up."""

    __tablename__ = "slack_oauth_states"

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[str] = mapped_column(String(200))
    expire_at: Mapped[datetime] = mapped_column(UTCDateTime())


# The tables that hold tokens, and their encrypted columns (bot.oauth.store, `handoff rotate-key`).
ENCRYPTED_COLUMNS: dict[type[Base], tuple[str, ...]] = {
    SlackInstallation: (
        "bot_token",
        "bot_refresh_token",
        "user_token",
        "user_refresh_token",
        "incoming_webhook_url",
    ),
    SlackBot: ("bot_token", "bot_refresh_token"),
}
