"""Tokens at rest: encrypted in the database, never in a log line, re-encrypted by rotate-key."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.app import create_app
from bot.console.local_slack import Workspace
from bot.db.installations import ENCRYPTED_COLUMNS, SlackBot, SlackInstallation
from bot.logs import CappedFormatter
from bot.oauth.crypto import TokenCipher, UndecryptableToken
from tests.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    ENCRYPTION_KEY,
    OLD_ENCRYPTION_KEY,
    SIGNING_SECRET,
)
from tests.support.browser import install
from tests.support.serving import serving

ACME = Workspace("T1", "Acme")
GLOBEX = Workspace("T2", "Globex")


def every_secret(slack) -> list[str]:
    """Every access and refresh token the stand-in issued."""
    return [*slack.tokens, *slack.refresh_tokens]


def stored_values(db) -> list[str]:
    with db.transaction() as s:
        return [
            getattr(row, column)
            for model, columns in ENCRYPTED_COLUMNS.items()
            for row in s.scalars(select(model))
            for column in columns
            if getattr(row, column) is not None
        ]


def install_rotating(bot, slack, tokens) -> None:
    """Two workspaces with rotating tokens, one renewed: old, new and refresh tokens issued."""
    slack.token_lifetime = 600
    install(bot.bot_url, slack, ACME)
    slack.token_lifetime = 12 * 3600
    install(bot.bot_url, slack, GLOBEX)
    assert tokens.refresh_expiring() == 1
    bot.command("write newsletter 1h weekly", team="T1")


def test_no_token_is_stored_in_clear(oauth_bot, slack, db, tokens, database_url):
    install_rotating(oauth_bot, slack, tokens)
    secrets = every_secret(slack)
    assert len(secrets) == 6  # Acme: token and refresh token, renewed once; Globex: one pair

    values = stored_values(db)
    assert len(values) == 8  # bot token and refresh token, in both tables, for both workspaces
    assert not [v for v in values if any(s in v for s in secrets)]
    # what is stored is the current pairs: Acme's renewed one and Globex's, in both tables
    current = [
        *(t for t in slack.tokens if t != slack.bot_tokens(ACME)[0]),
        *(r for r, grant in slack.refresh_tokens.items() if not grant.used),
    ]
    cipher = TokenCipher([ENCRYPTION_KEY])
    assert sorted(cipher.decrypt(v) or "" for v in values) == sorted(current * 2)
    if db.is_sqlite:  # and not in the file's bytes either, write-ahead log included
        path = Path(str(make_url(database_url).database))
        files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
        data = b"".join(p.read_bytes() for p in files)
        assert len(data) > 0
        assert [s for s in secrets if s.encode() in data] == []


def test_no_token_appears_in_any_log_line(oauth_bot, slack, tokens):
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.setFormatter(CappedFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)  # slack_sdk then logs Slack's whole answers, tokens included
    try:
        install_rotating(oauth_bot, slack, tokens)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)

    text = out.getvalue()
    assert "oauth.v2.access" in text  # the exchanges were logged…
    assert '"access_token":"[redacted]"' in text.replace(" ", "")  # …with their tokens blanked
    assert [s for s in every_secret(slack) if s in text] == []
    assert CLIENT_SECRET not in text


def handoff(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The `handoff` command in ``tmp_path`` (no .env there), with only these settings."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HANDOFF_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), **env},
        timeout=60,
        check=False,
    )


def problems(stderr: str) -> list[str]:
    """The lines `handoff` stopped with (the migrations log their progress around them)."""
    lines = stderr.splitlines()
    assert lines[-1].startswith("handoff: ")
    return [line for line in lines if line.startswith("handoff: ")]


@pytest.fixture
def old_key_bot(oauth_settings, db, slack, executor):
    """The bot with tokens stored under OLD_ENCRYPTION_KEY."""
    settings = replace(oauth_settings, encryption_keys=(OLD_ENCRYPTION_KEY,))
    app = create_app(settings, db=db, executor=executor)
    with serving(app, db, slack, executor, SIGNING_SECRET) as sim:
        yield sim


def oauth_env(database_url: str, keys: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "SLACK_CLIENT_ID": CLIENT_ID,
        "SLACK_CLIENT_SECRET": CLIENT_SECRET,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "HANDOFF_ENCRYPTION_KEY": keys,
    }


def test_rotate_key_reencrypts_every_stored_token_with_the_newest_key(
    old_key_bot, slack, db, database_url, tmp_path
):
    install(old_key_bot.bot_url, slack, ACME)
    (token,) = slack.bot_tokens(ACME)

    done = handoff(
        tmp_path, "rotate-key", **oauth_env(database_url, f"{ENCRYPTION_KEY},{OLD_ENCRYPTION_KEY}")
    )

    assert done.returncode == 0, done.stderr
    # the bot token, once in slack_installations and once in slack_bots
    assert done.stdout.strip() == (
        "Re-encrypted 2 stored tokens with the newest key. "
        "The older key may now be removed from HANDOFF_ENCRYPTION_KEY."
    )
    with db.transaction() as s:
        stored = [
            *s.scalars(select(SlackInstallation.bot_token)),
            *s.scalars(select(SlackBot.bot_token)),
        ]
    assert [TokenCipher([ENCRYPTION_KEY]).decrypt(v) for v in stored] == [token, token]
    with pytest.raises(UndecryptableToken):
        TokenCipher([OLD_ENCRYPTION_KEY]).decrypt(stored[0])


def test_rotate_key_without_the_old_key_changes_nothing_and_says_which_key_to_add_back(
    old_key_bot, slack, db, database_url, tmp_path
):
    install(old_key_bot.bot_url, slack, ACME)
    before = stored_values(db)

    done = handoff(tmp_path, "rotate-key", **oauth_env(database_url, ENCRYPTION_KEY))

    assert done.returncode == 2
    (line,) = problems(done.stderr)
    assert line.startswith("handoff: nothing was changed: a stored token cannot be decrypted")
    assert "put back the key it was encrypted with" in line
    assert stored_values(db) == before


def test_run_stops_when_the_key_cannot_decrypt_the_stored_tokens(
    old_key_bot, slack, database_url, tmp_path
):
    install(old_key_bot.bot_url, slack, ACME)

    done = handoff(tmp_path, "run", "--http", **oauth_env(database_url, ENCRYPTION_KEY))

    assert done.returncode == 2
    (line,) = problems(done.stderr)
    assert "cannot be decrypted with any key in HANDOFF_ENCRYPTION_KEY" in line
