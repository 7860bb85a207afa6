"""Installations and OAuth states in slack_sdk's tables, every token encrypted.

Our own stores on the tables of slack_sdk's SQLAlchemyInstallationStore and
SQLAlchemyOAuthStateStore (bot/db/installations.py) rather than those stores themselves: a
token must be encrypted before it reaches the database and decrypted after, a token refresh
must hold a lock on its installation across the read and the write (``refresh``), and
timestamps must stay aware UTC. The semantics are upstream's: a row per install, the latest
one (by ``installed_at``) answers; a user's row lends its bot token from the latest bot.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from slack_sdk.oauth.installation_store import Bot, Installation, InstallationStore
from slack_sdk.oauth.state_store import OAuthStateStore
from sqlalchemy import ColumnElement, CursorResult, Select, delete, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.db.installations import ENCRYPTED_COLUMNS, SlackBot, SlackInstallation, SlackOAuthState
from bot.oauth.crypto import TokenCipher

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InstallKey:
    """Whose installation: a workspace (``team_id``), or an Enterprise Grid org as a whole
    (``team_id`` None: an org-wide install)."""

    enterprise_id: str | None
    team_id: str | None

    @classmethod
    def of(
        cls, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None
    ) -> InstallKey:
        # As upstream: an org-wide install answers every workspace of its org.
        return cls(enterprise_id or None, None if is_enterprise_install else team_id)


def _is(column: InstrumentedAttribute[Any], value: str | None) -> ColumnElement[bool]:
    return column.is_(None) if value is None else column == value


def _epoch(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


def _when(epoch: int | float | None) -> datetime | None:
    return datetime.fromtimestamp(epoch, tz=UTC) if epoch is not None else None


class EncryptedInstallationStore(InstallationStore):
    def __init__(self, db: Database, cipher: TokenCipher, client_id: str) -> None:
        self.db = db
        self.cipher = cipher
        self.client_id = client_id

    @property
    def logger(self) -> logging.Logger:
        return log

    # ---- reading --------------------------------------------------------------------------

    def _installations(self, key: InstallKey) -> Select[SlackInstallation]:
        i = SlackInstallation
        return (
            select(i)
            .where(
                i.client_id == self.client_id,
                _is(i.enterprise_id, key.enterprise_id),
                _is(i.team_id, key.team_id),
            )
            .order_by(i.installed_at.desc(), i.id.desc())
        )

    def _installation(self, row: SlackInstallation) -> Installation:
        d = self.cipher.decrypt
        return Installation(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id,
            enterprise_name=row.enterprise_name,
            enterprise_url=row.enterprise_url,
            team_id=row.team_id,
            team_name=row.team_name,
            bot_token=d(row.bot_token),
            bot_id=row.bot_id,
            bot_user_id=row.bot_user_id,
            bot_scopes=row.bot_scopes or "",
            bot_refresh_token=d(row.bot_refresh_token),
            bot_token_expires_at=_epoch(row.bot_token_expires_at),
            user_id=row.user_id,
            user_token=d(row.user_token),
            user_scopes=row.user_scopes or "",
            user_refresh_token=d(row.user_refresh_token),
            user_token_expires_at=_epoch(row.user_token_expires_at),
            incoming_webhook_url=d(row.incoming_webhook_url),
            incoming_webhook_channel=row.incoming_webhook_channel,
            incoming_webhook_channel_id=row.incoming_webhook_channel_id,
            incoming_webhook_configuration_url=row.incoming_webhook_configuration_url,
            is_enterprise_install=row.is_enterprise_install,
            token_type=row.token_type,
            installed_at=row.installed_at,
        )

    def _bot(self, row: SlackBot) -> Bot:
        return Bot(
            app_id=row.app_id,
            enterprise_id=row.enterprise_id,
            enterprise_name=row.enterprise_name,
            team_id=row.team_id,
            team_name=row.team_name,
            bot_token=self.cipher.decrypt(row.bot_token) or "",
            bot_id=row.bot_id or "",
            bot_user_id=row.bot_user_id or "",
            bot_scopes=row.bot_scopes or "",
            bot_refresh_token=self.cipher.decrypt(row.bot_refresh_token),
            bot_token_expires_at=_epoch(row.bot_token_expires_at),
            is_enterprise_install=row.is_enterprise_install,
            installed_at=row.installed_at,
        )

    def find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        key = InstallKey.of(enterprise_id, team_id, is_enterprise_install)
        b = SlackBot
        query = (
            select(b)
            .where(
                b.client_id == self.client_id,
                _is(b.enterprise_id, key.enterprise_id),
                _is(b.team_id, key.team_id),
                b.bot_token.is_not(None),
            )
            .order_by(b.installed_at.desc(), b.id.desc())
            .limit(1)
        )
        with self.db.snapshot() as s:
            row = s.scalars(query).first()
            return self._bot(row) if row is not None else None

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        key = InstallKey.of(enterprise_id, team_id, is_enterprise_install)
        query = self._installations(key)
        if user_id is not None:
            query = query.where(SlackInstallation.user_id == user_id)
        with self.db.snapshot() as s:
            row = s.scalars(query.limit(1)).first()
            found = self._installation(row) if row is not None else None
        if found is not None and (user_id is not None or found.bot_token is None):
            # As upstream: a user's row, or one without a bot, carries the latest bot token.
            bot = self.find_bot(
                enterprise_id=key.enterprise_id,
                team_id=key.team_id,
                is_enterprise_install=key.team_id is None,
            )
            if bot is not None:
                found.bot_id, found.bot_user_id = bot.bot_id, bot.bot_user_id
                found.bot_token, found.bot_scopes = bot.bot_token, bot.bot_scopes
                found.bot_refresh_token = bot.bot_refresh_token
                found.bot_token_expires_at = bot.bot_token_expires_at
        return found

    def expiring(self, within: timedelta) -> list[InstallKey]:
        """Installations whose latest row has a renewable token expiring within ``within``.

        Read from the expiry columns alone: nothing is decrypted for the installations (most of
        them, most of the time) that need nothing."""
        i = SlackInstallation
        limit = utcnow() + within
        with self.db.snapshot() as s:
            found = s.execute(
                select(
                    i.enterprise_id,
                    i.team_id,
                    (i.bot_refresh_token.is_not(None) & (i.bot_token_expires_at <= limit))
                    | (i.user_refresh_token.is_not(None) & (i.user_token_expires_at <= limit)),
                )
                .where(i.client_id == self.client_id)
                .order_by(i.installed_at.desc(), i.id.desc())
            ).all()
        seen: set[InstallKey] = set()
        due = []
        for enterprise_id, team_id, expiring in found:
            key = InstallKey(enterprise_id, team_id)
            if key not in seen:  # the latest row of each installation decides
                seen.add(key)
                if expiring:
                    due.append(key)
        return due

    # ---- writing --------------------------------------------------------------------------

    def _row(
        self, model: type[SlackInstallation] | type[SlackBot], values: dict[str, Any]
    ) -> dict[str, Any]:
        """slack_sdk's dict of an installation or bot as a row: our client id, tokens encrypted."""
        encrypted = ENCRYPTED_COLUMNS[model]
        row = {c.name: values.get(c.name) for c in model.__table__.columns if c.name != "id"}
        row["client_id"] = self.client_id
        return {k: self.cipher.encrypt(v) if k in encrypted else v for k, v in row.items()}

    def save(self, installation: Installation) -> None:
        row = self._row(SlackInstallation, installation.to_dict())
        with self.db.transaction() as s:
            found = s.scalars(
                select(SlackInstallation.id).where(
                    SlackInstallation.client_id == self.client_id,
                    _is(SlackInstallation.enterprise_id, installation.enterprise_id),
                    _is(SlackInstallation.team_id, installation.team_id),
                    SlackInstallation.installed_at == row["installed_at"],
                )
            ).first()
            if found is None:
                s.add(SlackInstallation(**row))
            else:
                s.execute(
                    update(SlackInstallation).where(SlackInstallation.id == found).values(**row)
                )
            self._save_bot(s, installation.to_bot())

    def save_bot(self, bot: Bot) -> None:
        with self.db.transaction() as s:
            self._save_bot(s, bot)

    def _save_bot(self, s: Session, bot: Bot) -> None:
        row = self._row(SlackBot, bot.to_dict())
        found = s.scalars(
            select(SlackBot.id).where(
                SlackBot.client_id == self.client_id,
                _is(SlackBot.enterprise_id, bot.enterprise_id),
                _is(SlackBot.team_id, bot.team_id),
                SlackBot.installed_at == row["installed_at"],
            )
        ).first()
        if found is None:
            s.add(SlackBot(**row))
        else:
            s.execute(update(SlackBot).where(SlackBot.id == found).values(**row))

    def delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        with self.db.transaction() as s:
            s.execute(
                delete(SlackBot).where(
                    SlackBot.client_id == self.client_id,
                    _is(SlackBot.enterprise_id, enterprise_id),
                    _is(SlackBot.team_id, team_id),
                )
            )

    def delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        i = SlackInstallation
        query = delete(i).where(
            i.client_id == self.client_id,
            _is(i.enterprise_id, enterprise_id),
            _is(i.team_id, team_id),
        )
        if user_id is not None:
            query = query.where(i.user_id == user_id)
        with self.db.transaction() as s:
            s.execute(query)

    # ---- refreshing -----------------------------------------------------------------------

    def refresh(
        self, key: InstallKey, rotate: Callable[[Installation], Installation | None]
    ) -> Installation | None:
        """The installation's latest row, refreshed by ``rotate`` under a lock on it.

        ``rotate`` gets the row as it is once the lock is held, so a refresh another worker
        finished while we waited is seen (and ``rotate`` returns None: nothing to do). The lock
        is a row lock on PostgreSQL (SELECT … FOR UPDATE) and the write lock on SQLite (every
        transaction here begins IMMEDIATE): two workers never spend one refresh token.
        ``rotate`` calls Slack while the lock is held, so it must be quick (a short timeout,
        no retries). Returns None when there is no installation.
        """
        with self.db.transaction() as s:
            row = s.scalars(self._installations(key).limit(1).with_for_update()).first()
            if row is None:
                return None
            current = self._installation(row)
            refreshed = rotate(current)
            if refreshed is None:
                return current
            e = self.cipher.encrypt
            bot = {
                "bot_token": e(refreshed.bot_token),
                "bot_refresh_token": e(refreshed.bot_refresh_token),
                "bot_token_expires_at": _when(refreshed.bot_token_expires_at),
            }
            user = {
                "user_token": e(refreshed.user_token),
                "user_refresh_token": e(refreshed.user_refresh_token),
                "user_token_expires_at": _when(refreshed.user_token_expires_at),
            }
            for name, value in {**bot, **user}.items():
                setattr(row, name, value)
            s.execute(
                update(SlackBot)
                .where(
                    SlackBot.client_id == self.client_id,
                    _is(SlackBot.enterprise_id, key.enterprise_id),
                    _is(SlackBot.team_id, key.team_id),
                    SlackBot.installed_at == row.installed_at,
                )
                .values(**bot)
            )
            return refreshed


def reencrypt_all(session: Session, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token with the newest key; how many tokens.

    UndecryptableToken if a key is missing (the caller's transaction then changes nothing).
    """
    count = 0
    for model, columns in ENCRYPTED_COLUMNS.items():
        for row in session.scalars(select(model)):
            for column in columns:
                value = getattr(row, column)
                if value is not None:
                    setattr(row, column, cipher.rotate(value))
                    count += 1
    return count


def check_keys(session: Session, cipher: TokenCipher) -> None:
    """UndecryptableToken unless the newest stored token decrypts with the configured keys."""
    row = session.scalars(
        select(SlackInstallation)
        .where(SlackInstallation.bot_token.is_not(None))
        .order_by(SlackInstallation.installed_at.desc())
        .limit(1)
    ).first()
    if row is not None:
        cipher.decrypt(row.bot_token)


class DatabaseStateStore(OAuthStateStore):
    """OAuth states in slack_oauth_states: issued by the install page, used up once."""

    def __init__(self, db: Database, expiration_seconds: int) -> None:
        self.db = db
        self.expiration = timedelta(seconds=expiration_seconds)

    @property
    def logger(self) -> logging.Logger:
        return log

    def issue(self, *args: Any, **kwargs: Any) -> str:
        state = str(uuid.uuid4())
        now = utcnow()
        with self.db.transaction() as s:
            # Abandoned installs leave their states behind; sweep them as new ones come.
            s.execute(delete(SlackOAuthState).where(SlackOAuthState.expire_at <= now))
            s.add(SlackOAuthState(state=state, expire_at=now + self.expiration))
        return state

    def consume(self, state: str) -> bool:
        # One DELETE: of two redirects racing with one state, exactly one deletes the row.
        with self.db.transaction() as s:
            result = s.execute(
                delete(SlackOAuthState).where(
                    SlackOAuthState.state == state, SlackOAuthState.expire_at > utcnow()
                )
            )
        return bool(cast(CursorResult[Any], result).rowcount)
