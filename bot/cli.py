"""The `handoff` command: run, console, migrate, scheduler, digest, rotate-key."""

from __future__ import annotations

import argparse
import functools
import logging
import signal
import sys
from collections.abc import Callable, Sequence
from types import FrameType

from dotenv import load_dotenv
from slack_sdk import WebClient

from bot.app import create_app, make_client
from bot.db import migrate
from bot.db.engine import Database
from bot.jobs.digest import Clients
from bot.logs import CappedFormatter
from bot.oauth.crypto import TokenCipher, UndecryptableToken
from bot.oauth.flow import INSTALL_PATH, tokens_for
from bot.oauth.store import check_keys, reencrypt_all
from bot.oauth.tokens import NotInstalled, Tokens
from bot.parse.logtask import examples
from bot.services.scope import Scope
from bot.settings import NEW_KEY_HINT, Settings, SettingsError, load_settings

log = logging.getLogger("handoff")

NO_CREDENTIALS = (
    "no Slack credentials: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (HTTP) or "
    "SLACK_APP_TOKEN (Socket Mode) in .env — see README.md — or try `handoff console`"
)


class CliError(Exception):
    """Ends the command with one line on stderr and exit code 2."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="handoff", description="Handoff: what to outsource, in Slack.")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="migrate the database, then start the bot")
    run.add_argument(
        "--http", action="store_true", help="serve HTTP even when SLACK_APP_TOKEN is set"
    )
    run.add_argument("--port", type=int, help="HTTP port (default: PORT or 3000)")
    console = sub.add_parser("console", help="chat with the bot locally, no Slack needed")
    console.add_argument("--user", default="you", help="your name in the console")
    sub.add_parser("migrate", help="upgrade the database to the newest migration")
    sub.add_parser("scheduler", help="run only the weekly digest scheduler")
    sub.add_parser(
        "rotate-key",
        help="re-encrypt every stored token with the newest HANDOFF_ENCRYPTION_KEY key",
    )
    digest = sub.add_parser("digest", help="a workspace's weekly digest, now")
    digest.add_argument(
        "action", choices=["preview", "send"], help="print it, or post it to its channel"
    )
    digest.add_argument("--team", required=True, help="the workspace's team id (T…)")
    digest.add_argument("--enterprise", help="the Enterprise Grid org id (E…), if any")
    run.add_argument(
        "--no-scheduler", action="store_true", help="do not post digests from this process"
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    load_dotenv(override=False)  # the real environment wins over .env
    try:
        settings = load_settings()
        configure_logging(
            settings, quiet=args.command == "console" or _console_likely(args, settings)
        )
        match args.command:
            case "migrate":
                upgrade(settings)
                print(f"Database is up to date ({_safe_url(settings.database_url)}).")
            case "console":
                upgrade(settings)
                console(settings, args.user)
            case "run":
                if not settings.has_slack_credentials and not _interactive():
                    raise CliError(NO_CREDENTIALS)
                upgrade(settings)
                run(settings, http=args.http, port=args.port, scheduler=not args.no_scheduler)
            case "scheduler":
                upgrade(settings)
                scheduler(settings)
            case "digest":
                upgrade(settings)
                digest(settings, args.action, Scope(args.team, args.enterprise))
            case "rotate-key":
                upgrade(settings)
                rotate_key(settings)
    except (SettingsError, CliError) as e:
        print(f"handoff: {e}", file=sys.stderr)
        return 2
    return 0


def configure_logging(settings: Settings, quiet: bool = False) -> None:
    """Log lines for a server; in the console only warnings and errors, kept off the chat."""
    handler = logging.StreamHandler()
    handler.setFormatter(CappedFormatter())  # a huge input must not flood the log
    logging.basicConfig(level=logging.WARNING if quiet else settings.log_level, handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING if quiet else logging.INFO)


def _console_likely(args: argparse.Namespace, settings: Settings) -> bool:
    return args.command == "run" and not settings.has_slack_credentials and _interactive()


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def upgrade(settings: Settings) -> None:
    try:
        migrate.upgrade(settings.database_url)
    except Exception as e:
        raise CliError(
            f"could not migrate the database at {_safe_url(settings.database_url)}: "
            f"{str(e).splitlines()[0]} — check DATABASE_URL"
        ) from e


def console(settings: Settings, user: str, banner: str | None = None) -> None:
    from bot.console.chat import Console

    db = Database(settings.database_url)
    c = Console(settings, db, user=user, color=sys.stdout.isatty())
    try:
        c.loop(banner=banner)
    finally:
        c.close()
        db.dispose()


def _bot_client(settings: Settings) -> WebClient:
    if not settings.slack_bot_token:
        raise CliError(
            "SLACK_BOT_TOKEN is missing: digests are posted with the bot token (see .env.example)"
        )
    return make_client(settings)


def _tokens(settings: Settings, db: Database) -> Tokens:
    """Multi-workspace mode's tokens; CliError if the stored ones cannot be decrypted."""
    tokens = tokens_for(settings, db, functools.partial(make_client, settings))
    try:
        with db.snapshot() as s:
            check_keys(s, tokens.store.cipher)
    except UndecryptableToken as e:
        raise CliError(str(e)) from None
    return tokens


def _clients(settings: Settings, db: Database) -> tuple[Clients, Callable[[], object] | None]:
    """Whose token posts a workspace's digest, and the job that renews expiring tokens."""
    if not settings.oauth:
        return _bot_client(settings), None
    tokens = _tokens(settings, db)
    return tokens.client_for, tokens.refresh_expiring


def scheduler(settings: Settings) -> None:
    from bot.jobs.scheduler import make_scheduler

    db = Database(settings.database_url)
    clients, refresh = _clients(settings, db)
    log.info("Digest scheduler polling every %ss", settings.digest_poll_seconds)
    signal.signal(signal.SIGTERM, _stop)
    try:
        make_scheduler(
            db,
            clients,
            settings.digest_poll_seconds,
            blocking=True,
            lease=settings.digest_lease,
            refresh_tokens=refresh,
        ).start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        db.dispose()


def digest(settings: Settings, action: str, scope: Scope) -> None:
    from bot.db.base import utcnow
    from bot.jobs.digest import post_digest
    from bot.services import digest as service
    from bot.views.digest import digest_message
    from bot.views.plaintext import render

    db = Database(settings.database_url)
    try:
        with db.transaction() as s:
            setting = service.current(s, scope)
            tz = setting.timezone if setting else "UTC"
            if action == "preview":
                print(
                    render(
                        digest_message(service.build(s, scope, service.local_today(tz, utcnow())))
                    )
                )
                return
        if setting is None:
            raise CliError(
                f"workspace {scope.team_id} has no digest set up ({examples('digest')[1]})"
            )
        clients, _ = _clients(settings, db)
        client = clients if isinstance(clients, WebClient) else _installed(clients, scope)
        ts = post_digest(db, client, scope, setting.channel_id, tz, utcnow())
        print(f"Posted the digest in {setting.channel_id} (ts {ts}).")
    finally:
        db.dispose()


def _installed(clients: Callable[[Scope], WebClient], scope: Scope) -> WebClient:
    try:
        return clients(scope)
    except NotInstalled as e:
        raise CliError(f"{e}: install it from /slack/install") from None


def rotate_key(settings: Settings) -> None:
    if not settings.encryption_keys:
        raise CliError(f"HANDOFF_ENCRYPTION_KEY is not set — {NEW_KEY_HINT}")
    db = Database(settings.database_url)
    try:
        with db.transaction() as s:
            n = reencrypt_all(s, TokenCipher(settings.encryption_keys))
    except UndecryptableToken as e:
        raise CliError(f"nothing was changed: {e}") from None
    finally:
        db.dispose()
    older = len(settings.encryption_keys) - 1
    print(
        f"Re-encrypted {n} stored token{'s' if n != 1 else ''} with the newest key."
        + (
            f" The older key{'s' if older > 1 else ''} may now be removed from "
            "HANDOFF_ENCRYPTION_KEY."
            if older
            else ""
        )
    )


def run(
    settings: Settings, http: bool = False, port: int | None = None, scheduler: bool = True
) -> None:
    if not settings.has_slack_credentials:
        if sys.stdin.isatty() and sys.stdout.isatty():
            console(
                settings,
                "you",
                banner="No Slack credentials are set, so here is the local console.",
            )
            return
        raise CliError(NO_CREDENTIALS)
    db = Database(settings.database_url)
    app = create_app(settings, db=db)
    if scheduler:
        from bot.jobs.scheduler import make_scheduler

        clients, refresh = _clients(settings, db) if settings.oauth else (app.client, None)
        make_scheduler(
            db,
            clients,
            settings.digest_poll_seconds,
            lease=settings.digest_lease,
            refresh_tokens=refresh,
        ).start()
    elif settings.oauth:
        _tokens(settings, db)  # stop now if the stored tokens cannot be decrypted
    if settings.socket_mode and not http:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        log.info("Connecting to Slack over Socket Mode")
        SocketModeHandler(app, settings.slack_app_token).start()  # type: ignore[no-untyped-call]
        return
    if not settings.slack_signing_secret:
        raise CliError(
            "HTTP mode needs SLACK_SIGNING_SECRET (Slack app settings → Basic Information)"
        )
    from bot.server import make_server

    server = make_server(app, db, port=port or settings.port)
    signal.signal(signal.SIGTERM, _stop)
    log.info("Listening on http://0.0.0.0:%s/slack/events", server.effective_port)
    if settings.oauth:
        base = settings.public_url or f"http://localhost:{server.effective_port}"
        log.info("Add to Slack at %s%s", base, INSTALL_PATH)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        db.dispose()


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
