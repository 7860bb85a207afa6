"""Settings, read once at start: the environment (and .env, via python-dotenv) into a frozen object."""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from dotenv import load_dotenv

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///handoff.db"
# The bot scopes of deploy/slack-manifest.yml: what an "Add to Slack" install asks for.
DEFAULT_BOT_SCOPES = (
    "commands",
    "chat:write",
    "users:read",
    "app_mentions:read",
    "im:history",
    "channels:read",
    "channels:join",
    "files:write",
    "im:write",
    "channels:history",
    "groups:history",
)
_SCOPE = re.compile(r"[a-z]+(?:[:.][a-z_]+)*")
NEW_KEY_HINT = (
    'make one with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


class SettingsError(ValueError):
    """One setting is wrong; the message names it and says how to fix it."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    database_url: str = DEFAULT_DATABASE_URL
    slack_api_url: str = DEFAULT_SLACK_API_URL
    port: int = 3000
    log_level: str = "INFO"
    digest_poll_seconds: int = 60
    digest_lease_seconds: int = 600
    slack_startup_wait_seconds: int = 15
    # Multi-workspace (OAuth) mode: set together, instead of slack_bot_token.
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    encryption_keys: tuple[str, ...] = ()  # Fernet keys, newest first
    slack_scopes: tuple[str, ...] = DEFAULT_BOT_SCOPES
    public_url: str | None = None  # where Slack and browsers reach Handoff, no trailing /

    @property
    def has_slack_credentials(self) -> bool:
        return bool(
            self.slack_bot_token
            or self.slack_app_token
            or self.slack_signing_secret
            or self.slack_client_id
        )

    @property
    def oauth(self) -> bool:
        """Multi-workspace mode: installed with "Add to Slack", a token per workspace."""
        return self.slack_client_id is not None

    @property
    def digest_lease(self) -> timedelta:
        return timedelta(seconds=self.digest_lease_seconds)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Build Settings from ``env`` (default: the process environment).

    Raises SettingsError naming the first bad setting and how to fix it.
    """
    env = os.environ if env is None else env

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    bot_token = get("SLACK_BOT_TOKEN")
    if bot_token and not bot_token.startswith("xoxb-"):
        raise SettingsError(
            "SLACK_BOT_TOKEN must be a bot token starting with xoxb- "
            "(Slack app settings → OAuth & Permissions → Bot User OAuth Token)"
        )
    app_token = get("SLACK_APP_TOKEN")
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError(
            "SLACK_APP_TOKEN must be an app-level token starting with xapp- "
            "(Slack app settings → Basic Information → App-Level Tokens, scope connections:write)"
        )
    secret = get("SLACK_SIGNING_SECRET")
    keys = _encryption_keys(get("HANDOFF_ENCRYPTION_KEY"))
    client_id, client_secret = get("SLACK_CLIENT_ID"), get("SLACK_CLIENT_SECRET")
    if client_id or client_secret:
        _check_oauth(client_id, client_secret, secret, keys, bot_token, app_token)
    elif (app_token or secret) and not bot_token:
        raise SettingsError(
            "SLACK_BOT_TOKEN is missing: set it in .env next to the other Slack settings "
            "(Slack app settings → OAuth & Permissions)"
        )
    if bot_token and not (secret or app_token):
        raise SettingsError(
            "SLACK_SIGNING_SECRET is missing: HTTP mode needs it to verify requests "
            "(Slack app settings → Basic Information → Signing Secret), "
            "or set SLACK_APP_TOKEN for Socket Mode"
        )
    url = get("DATABASE_URL") or DEFAULT_DATABASE_URL
    if "://" not in url:
        raise SettingsError(
            "DATABASE_URL must be an SQLAlchemy URL such as sqlite:///handoff.db "
            "or postgresql+psycopg://user:pass@host/db"
        )
    if url.startswith(("postgresql://", "postgres://")):
        # SQLAlchemy's default PostgreSQL driver is psycopg2; we ship psycopg 3.
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError("SLACK_API_URL must start with http:// or https://")
    if not api_url.endswith("/"):
        api_url += "/"
    public_url = get("HANDOFF_PUBLIC_URL")
    if public_url is not None and not public_url.startswith(("https://", "http://")):
        raise SettingsError(
            "HANDOFF_PUBLIC_URL must be the address Slack reaches Handoff at, "
            "such as https://handoff.example.com"
        )
    level = (get("LOG_LEVEL") or "INFO").upper()
    if not isinstance(logging.getLevelName(level), int):
        raise SettingsError("LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR")
    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=secret,
        slack_app_token=app_token,
        database_url=url,
        slack_api_url=api_url,
        port=_int(get("PORT"), "PORT", 3000, 1, 65535),
        log_level=level,
        digest_poll_seconds=_int(get("DIGEST_POLL_SECONDS"), "DIGEST_POLL_SECONDS", 60, 1, 3600),
        # Seconds are for tests; in production keep it well above the Web API timeout (15 s).
        digest_lease_seconds=_int(
            get("DIGEST_LEASE_SECONDS"), "DIGEST_LEASE_SECONDS", 600, 1, 86_400
        ),
        slack_startup_wait_seconds=_int(
            get("SLACK_STARTUP_WAIT_SECONDS"), "SLACK_STARTUP_WAIT_SECONDS", 15, 0, 600
        ),
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        encryption_keys=keys,
        slack_scopes=_scopes(get("SLACK_SCOPES")),
        public_url=public_url.rstrip("/") if public_url else None,
    )


def read_dotenv(folder: Path | None = None) -> bool:
    """Put the settings in ``folder``/.env (default: the working directory) into the
    environment, leaving variables that are already set alone: the real environment wins.

    Only that one file: python-dotenv's default search starts from the calling module's own
    folder, which would read a checkout's .env wherever the command runs, and never the .env
    beside an installed copy's working directory.
    """
    return load_dotenv((folder or Path.cwd()) / ".env", override=False)


def _check_oauth(
    client_id: str | None,
    client_secret: str | None,
    signing_secret: str | None,
    keys: tuple[str, ...],
    bot_token: str | None,
    app_token: str | None,
) -> None:
    """Multi-workspace mode needs all of its settings and none of single-workspace mode's."""
    if bot_token:
        raise SettingsError(
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID/SLACK_CLIENT_SECRET are both set: choose one mode "
            "— remove SLACK_BOT_TOKEN for multi-workspace (Add to Slack) mode, or the client "
            "settings for a single workspace"
        )
    if app_token:
        raise SettingsError(
            "SLACK_APP_TOKEN is set with SLACK_CLIENT_ID: Socket Mode apps cannot be installed "
            "with Add to Slack — remove SLACK_APP_TOKEN for multi-workspace mode"
        )
    if not client_id:
        raise SettingsError(
            "SLACK_CLIENT_ID is missing: multi-workspace mode needs it next to "
            "SLACK_CLIENT_SECRET (Slack app settings → Basic Information → App Credentials)"
        )
    if not client_secret:
        raise SettingsError(
            "SLACK_CLIENT_SECRET is missing: multi-workspace mode needs it next to "
            "SLACK_CLIENT_ID (Slack app settings → Basic Information → App Credentials)"
        )
    if not signing_secret:
        raise SettingsError(
            "SLACK_SIGNING_SECRET is missing: multi-workspace mode needs it to verify requests "
            "(Slack app settings → Basic Information → Signing Secret)"
        )
    if not keys:
        raise SettingsError(
            "HANDOFF_ENCRYPTION_KEY is missing: multi-workspace mode stores each workspace's "
            f"tokens encrypted with it — {NEW_KEY_HINT}"
        )


def _encryption_keys(value: str | None) -> tuple[str, ...]:
    """Comma-separated Fernet keys, newest first; each must be 32 url-safe base64 bytes."""
    if value is None:
        return ()
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    for n, key in enumerate(keys, start=1):
        try:
            raw = base64.urlsafe_b64decode(key.encode("ascii"))
        except (binascii.Error, UnicodeEncodeError):
            raw = b""
        if len(raw) != 32:
            which = "" if len(keys) == 1 else f" (key {n} of {len(keys)})"
            raise SettingsError(
                f"HANDOFF_ENCRYPTION_KEY{which} is not a Fernet key (44 characters of url-safe "
                f"base64) — {NEW_KEY_HINT}"
            )
    return keys


def _scopes(value: str | None) -> tuple[str, ...]:
    if value is None:
        return DEFAULT_BOT_SCOPES
    scopes = tuple(s.strip() for s in value.split(",") if s.strip())
    bad = next((s for s in scopes if not _SCOPE.fullmatch(s)), None)
    if not scopes or bad is not None:
        raise SettingsError(
            "SLACK_SCOPES must be Slack bot scopes separated by commas, such as "
            f"commands,chat:write (not “{bad or value}”); leave it out for the manifest's scopes"
        )
    return scopes


def _int(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None:
        return default
    try:
        n = int(value)
    except ValueError:
        raise SettingsError(f"{name} must be a whole number, not “{value}”") from None
    if not low <= n <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {n}")
    return n
