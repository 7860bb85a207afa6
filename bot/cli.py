"""The `handoff` command: run, console, migrate, scheduler, digest, rotate-key."""

from __future__ import annotations

import argparse
import functools
import logging
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from types import FrameType
from typing import TYPE_CHECKING

# Only what `handoff --help` needs is imported here: Bolt, SQLAlchemy and Alembic take about a
# second to import, so each command imports what it uses (bench/startup.py times it).
from bot.gc_tuning import tune_for_serving
from bot.logs import CappedFormatter, describe
from bot.services.scope import Scope
from bot.settings import NEW_KEY_HINT, Settings, SettingsError, load_settings, read_dotenv

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.db.engine import Database
    from bot.jobs.digest import Clients
    from bot.oauth.tokens import Tokens

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
    run.add_argument(
        "--workers",
        type=int,
        default=1,
        help="HTTP: processes serving the port, one per core (default: 1)",
    )
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
    args = parser().parse_args(argv)  # --help and usage errors end here, before the imports
    from bot.startup import StartupError, check_database_path, check_slack

    read_dotenv()  # the working directory's .env; the real environment wins over it
    try:
        settings = load_settings()
        configure_logging(
            settings, quiet=args.command == "console" or _console_likely(args, settings)
        )
        # Everything that can be checked is checked before the database is created or
        # upgraded: a process that refuses to start leaves nothing behind.
        match args.command:
            case "migrate":
                print(migrate_database(settings))
            case "console":
                prepare_database(settings)
                console(settings, args.user)
            case "run" if not settings.has_slack_credentials:
                if not _interactive():
                    raise CliError(NO_CREDENTIALS)
                prepare_database(settings)
                console(settings, "you", banner=CONSOLE_INSTEAD)
            case "run":
                http = args.http or not settings.socket_mode
                check_run(settings, http, args.port or settings.port)
                upgrade(settings)
                if args.workers < 1:
                    raise CliError("--workers must be 1 or more")
                if http and args.workers > 1:
                    run_workers(
                        settings, args.port or settings.port, args.workers, not args.no_scheduler
                    )
                else:
                    run(settings, http=args.http, port=args.port, scheduler=not args.no_scheduler)
            case "scheduler":
                check_database_path(settings.database_url)
                if not settings.oauth:  # multi-workspace tokens are checked once decrypted
                    _bot_client(settings)
                    check_slack(settings, socket_mode=False)
                upgrade(settings)
                scheduler(settings)
            case "digest":
                digest(settings, args.action, Scope(args.team, args.enterprise))
            case "rotate-key":
                upgrade(settings)
                rotate_key(settings)
    except (SettingsError, CliError, StartupError) as e:
        print(f"handoff: {e}", file=sys.stderr)
        return 2
    return 0


CONSOLE_INSTEAD = "No Slack credentials are set, so here is the local console."


def configure_logging(settings: Settings, quiet: bool = False) -> None:
    """Log lines for a server; in the console only warnings and errors, kept off the chat."""
    handler = logging.StreamHandler()
    handler.setFormatter(CappedFormatter())  # a huge input must not flood the log
    logging.basicConfig(level=logging.WARNING if quiet else settings.log_level, handlers=[handler])
    # Each migration step and each scheduler poll logs at INFO: useful when debugging,
    # noise in a server's log.
    chatty = logging.NOTSET if settings.log_level == "DEBUG" else logging.WARNING
    for name in ("alembic", "apscheduler"):
        logging.getLogger(name).setLevel(chatty)
    logging.getLogger("bot.app").addFilter(_BoltTokenNotice())


class _BoltTokenNotice(logging.Filter):
    """Drops Bolt's warning that the token "will be unused" beside our client: Bolt reads
    SLACK_BOT_TOKEN from the environment by itself, and our client holds that same token
    (the console's holds its own, and has no use for the real one)."""

    def __init__(self) -> None:
        from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

        super().__init__()
        self.notice = warning_client_prioritized_and_token_skipped()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != self.notice


def _console_likely(args: argparse.Namespace, settings: Settings) -> bool:
    return args.command == "run" and not settings.has_slack_credentials and _interactive()


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def check_run(settings: Settings, http: bool, port: int) -> None:
    """What `handoff run` needs before it touches the database: the settings of its mode, the
    database's folder, a free port (HTTP) and tokens Slack accepts."""
    from bot.startup import check_database_path, check_port, check_slack

    if http and not settings.slack_signing_secret:
        raise CliError(
            "HTTP mode needs SLACK_SIGNING_SECRET (Slack app settings → Basic Information)"
        )
    check_database_path(settings.database_url)
    if http:
        check_port(port)
    if not settings.oauth:  # multi-workspace mode has no token of its own to check
        check_slack(settings, socket_mode=not http)


def prepare_database(settings: Settings) -> None:
    from bot.startup import check_database_path

    check_database_path(settings.database_url)
    upgrade(settings)


def migrate_database(settings: Settings) -> str:
    """Upgrade the database; says from which migration to which."""
    from bot.db import migrate
    from bot.startup import check_database_path

    check_database_path(settings.database_url)
    try:
        before = migrate.current(settings.database_url)
    except Exception as e:
        raise _database_problem(settings, e) from e
    upgrade(settings)
    where, after = _safe_url(settings.database_url), migrate.head()
    if before == after:
        return f"Database is up to date ({where}, migration {after})."
    return (
        f"Database is up to date ({where}): upgraded from "
        f"{f'migration {before}' if before else 'empty'} to migration {after}."
    )


def upgrade(settings: Settings) -> None:
    from bot.db import migrate

    try:
        migrate.upgrade(settings.database_url)
    except Exception as e:
        raise _database_problem(settings, e) from e


def _database_problem(settings: Settings, e: Exception) -> CliError:
    return CliError(
        f"could not migrate the database at {_safe_url(settings.database_url)}: "
        f"{str(e).splitlines()[0] if str(e) else type(e).__name__} — check DATABASE_URL"
    )


def console(settings: Settings, user: str, banner: str | None = None) -> None:

    from bot.console.chat import Console
    from bot.db.engine import Database

    db = Database(settings.database_url)
    tune_for_serving()  # before the console's threads start: nothing of theirs is frozen
    c = Console(settings, db, user=user, color=sys.stdout.isatty())
    try:
        c.loop(banner=banner)
    finally:
        c.close()
        db.dispose()


def _bot_client(settings: Settings) -> WebClient:
    from bot.app import make_client

    if not settings.slack_bot_token:
        raise CliError(
            "SLACK_BOT_TOKEN is missing: digests are posted with the bot token (see .env.example)"
        )
    return make_client(settings)


def _tokens(settings: Settings, db: Database) -> Tokens:
    """Multi-workspace mode's tokens; CliError if the stored ones cannot be decrypted."""
    from bot.app import make_client
    from bot.oauth.crypto import UndecryptableToken
    from bot.oauth.flow import tokens_for
    from bot.oauth.store import check_keys

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

    from bot.db.engine import Database
    from bot.jobs.scheduler import make_scheduler

    db = Database(settings.database_url)
    clients, refresh = _clients(settings, db)
    log.info("Digest scheduler polling every %ss", settings.digest_poll_seconds)
    signal.signal(signal.SIGTERM, _stop)
    tune_for_serving()
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

    from slack_sdk import WebClient

    from bot.db.base import utcnow
    from bot.db.engine import Database
    from bot.jobs.digest import post_digest
    from bot.parse.logtask import examples
    from bot.services import digest as service
    from bot.services import workspaces
    from bot.startup import check_database_path
    from bot.views.digest import digest_message
    from bot.views.plaintext import render

    client = _bot_client(settings) if action == "send" and not settings.oauth else None
    _check_has_data(settings, scope)
    check_database_path(settings.database_url)
    upgrade(settings)
    db = Database(settings.database_url)
    try:
        with db.transaction() as s:
            # Looked up, not created: building a digest would create a workspace it names.
            if workspaces.find_workspace(s, scope) is None:
                raise CliError(
                    f"no workspace {_workspace(scope)} in the database at "
                    f"{_safe_url(settings.database_url)} — check --team: a workspace's id "
                    "starts with T and is in its Slack web address (app.slack.com/client/T…)"
                )
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
        if client is None:  # multi-workspace mode: the workspace's own token
            clients, _ = _clients(settings, db)
            client = clients if isinstance(clients, WebClient) else _installed(clients, scope)
        try:
            ts = post_digest(db, client, scope, setting.channel_id, tz, utcnow())
        except Exception as e:
            raise CliError(
                f"the digest for {_workspace(scope)} was not posted in {setting.channel_id} "
                f"({_slack_error(e)}) — check the bot's token and that the bot is in the "
                "channel, then try again"
            ) from e
        print(f"Posted the digest in {setting.channel_id} (ts {ts}).")
    finally:
        db.dispose()


def _check_has_data(settings: Settings, scope: Scope) -> None:
    """The database exists and has Handoff's tables; CliError naming the workspace if not,
    before anything creates the database."""
    from bot.db import migrate
    from bot.startup import sqlite_file

    path = sqlite_file(settings.database_url)
    if path is not None and not path.exists():
        raise CliError(
            f"no workspace {_workspace(scope)}: there is no database at {path} — "
            "check DATABASE_URL, or run this in the folder the bot runs in"
        )
    try:
        found = migrate.current(settings.database_url)
    except Exception as e:
        raise _database_problem(settings, e) from e
    if found is None:
        raise CliError(
            f"no workspace {_workspace(scope)}: the database at "
            f"{_safe_url(settings.database_url)} has no Handoff tables — check DATABASE_URL"
        )


def _workspace(scope: Scope) -> str:
    return f"{scope.team_id} (org {scope.enterprise_id})" if scope.enterprise_id else scope.team_id


def _slack_error(e: Exception) -> str:
    from slack_sdk.errors import SlackApiError

    if isinstance(e, SlackApiError):
        return str(e.response.get("error") or f"HTTP {e.response.status_code}")
    return describe(e)


def _installed(clients: Callable[[Scope], WebClient], scope: Scope) -> WebClient:
    from bot.oauth.tokens import NotInstalled

    try:
        return clients(scope)
    except NotInstalled as e:
        raise CliError(f"{e}: install it from /slack/install") from None


def rotate_key(settings: Settings) -> None:
    from bot.db.engine import Database
    from bot.oauth.crypto import TokenCipher, UndecryptableToken
    from bot.oauth.store import reencrypt_all

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
    """Serve Slack: Socket Mode when SLACK_APP_TOKEN is set (unless ``http``), else HTTP.
    main() has checked the settings, the port and the tokens (check_run)."""
    from bot.app import create_app
    from bot.db.engine import Database
    from bot.oauth.flow import INSTALL_PATH
    from bot.startup import port_problem

    db = Database(settings.database_url)
    try:
        app = create_app(settings, db=db)
    except Exception as e:  # Bolt's own auth.test: Slack went away since check_run
        raise CliError(
            f"could not start: Slack did not answer auth.test ({_slack_error(e)}) — "
            "try again; if it keeps failing, check SLACK_BOT_TOKEN and the network"
        ) from e
    tune_for_serving()  # before the scheduler starts: a round's objects must not be frozen
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
        log.info("Posting due digests (looking every %s s)", settings.digest_poll_seconds)
    elif settings.oauth:
        _tokens(settings, db)  # stop now if the stored tokens cannot be decrypted
    if settings.socket_mode and not http:
        from slack_bolt.adapter.socket_mode import SocketModeHandler
        from slack_sdk.errors import SlackApiError

        log.info("Connecting to Slack over Socket Mode")
        try:
            SocketModeHandler(app, settings.slack_app_token).start()  # type: ignore[no-untyped-call]
        except SlackApiError as e:
            raise CliError(
                f"could not open the Socket Mode connection ({_slack_error(e)}) — "
                "check SLACK_APP_TOKEN (connections:write) and that Socket Mode is on"
            ) from e
        return
    from bot.server import make_server

    port = port or settings.port
    try:
        server = make_server(app, db, port=port)
    except OSError as e:  # taken since check_port
        raise CliError(str(port_problem(port, e))) from e
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


def run_workers(settings: Settings, port: int, workers: int, scheduler: bool) -> None:
    """HTTP on ``port`` served by ``workers`` processes (bot.server.fork_workers), each with
    its own app and database pool; this process runs the digest scheduler (unless not
    ``scheduler``) and stops them all on SIGTERM. main() has checked the settings (check_run).
    """
    from bot.app import create_app
    from bot.db.engine import Database
    from bot.server import bind, fork_workers, make_server, supervise
    from bot.startup import port_problem

    def serve(sock: socket.socket) -> None:
        signal.signal(signal.SIGTERM, _stop)
        db = Database(settings.database_url)
        server = make_server(create_app(settings, db=db), db, sock=sock)
        tune_for_serving()
        try:
            server.run()
        except KeyboardInterrupt:
            pass
        finally:
            server.close()
            db.dispose()

    try:
        socks = bind("0.0.0.0", port, workers)  # noqa: S104  (a server for Slack to reach)
    except OSError as e:  # taken since check_port
        raise CliError(str(port_problem(port, e))) from e
    signal.signal(signal.SIGTERM, _stop)
    tune_for_serving()  # before the fork: the workers share these pages rather than copy them
    pids = fork_workers(socks, serve)
    for sock in socks:
        sock.close()  # the workers have them
    log.info("Listening on http://0.0.0.0:%s/slack/events (%s processes)", port, workers)
    db: Database | None = None
    if scheduler:  # after the fork: its threads and connections are this process's alone
        from bot.jobs.scheduler import make_scheduler

        db = Database(settings.database_url)
        clients, refresh = _clients(settings, db)
        make_scheduler(
            db,
            clients,
            settings.digest_poll_seconds,
            lease=settings.digest_lease,
            refresh_tokens=refresh,
        ).start()
        log.info("Posting due digests (looking every %s s)", settings.digest_poll_seconds)
    try:
        code = supervise(pids)
    finally:
        if db is not None:
            db.dispose()
    if code:
        raise CliError("a web worker stopped, so the others were stopped too (see the log)")


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


if __name__ == "__main__":
    sys.exit(main())
