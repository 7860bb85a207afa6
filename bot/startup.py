"""Checks a process makes before it starts, so a wrong setup stops it with one line that names
the cause and the fix — before it creates a database file or starts serving anything.

The database: a SQLite file must be creatable and writable where DATABASE_URL puts it. The
port: free to listen on. Slack: the tokens are accepted (auth.test, and apps.connections.open
for Socket Mode's app token), tried again with a growing pause while Slack cannot be reached
or answers that it is unavailable, for at most SLACK_STARTUP_WAIT_SECONDS.
"""

from __future__ import annotations

import errno
import http.client
import logging
import re
import socket
import tempfile
import time
import urllib.error
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url

from bot.settings import Settings

log = logging.getLogger(__name__)

FIRST_PAUSE = 1.0  # seconds before the second try; each pause doubles: 1, 2, 4, 8…
MAX_REQUEST_SECONDS = 10.0

# Slack's answers that it cannot serve the request right now.
TEMPORARY = {
    "service_unavailable",
    "request_timeout",
    "internal_error",
    "fatal_error",
    "ratelimited",
}

# The SDK logs every failed request at ERROR; here a failed try is expected and retried, and
# the give-up line says what happened, so its log goes nowhere (ours says each try at DEBUG).
_sdk_log = logging.getLogger("bot.startup.slack_sdk")
_sdk_log.addHandler(logging.NullHandler())
_sdk_log.propagate = False


class StartupError(Exception):
    """The process cannot start: the message names the cause and the fix, on one line."""


# ---- the database -----------------------------------------------------------------------


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite URL names (absolute), or None: another database, or in memory."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite":
        return None
    name = u.database or ""
    if name in ("", ":memory:") or name.startswith("file:") or u.query.get("uri"):
        return None
    return Path(name).expanduser().absolute()


def check_database_path(url: str) -> None:
    """A SQLite database can be created, or written, where ``url`` says; StartupError if not.

    SQLite writes its journal (the -wal and -shm files) beside the database, so the folder
    must take new files even when the database file exists. Nothing is left behind.
    """
    path = sqlite_file(url)
    if path is None:
        return
    fix = "set DATABASE_URL to a file in a folder this user can write (see .env.example)"
    folder = path.parent
    if path.is_dir():
        raise StartupError(f"the database {path} is a folder, not a file — {fix}")
    if not folder.exists():
        raise StartupError(
            f"the folder {folder} for the database does not exist — "
            f"create it (mkdir -p {folder}) or {fix}"
        )
    if not folder.is_dir():
        raise StartupError(f"{folder}, where the database should go, is a file — {fix}")
    if path.exists():
        try:
            with path.open("r+b"):
                pass
        except OSError as e:
            raise StartupError(
                f"cannot write to the database {path} ({e.strerror}) — "
                f"give this user write access to it, or {fix}"
            ) from None
    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as e:
        raise StartupError(
            f"cannot create files in {folder} ({e.strerror}), where SQLite keeps the database "
            f"and its journal — give this user write access to the folder, or {fix}"
        ) from None


# ---- the port ---------------------------------------------------------------------------


def port_problem(port: int, error: OSError) -> StartupError:
    """The one-line refusal for an OSError from listening on ``port``."""
    if error.errno == errno.EADDRINUSE:
        return StartupError(
            f"port {port} is in use — stop the other process listening on it, "
            "or set PORT (or --port) to a free one"
        )
    if error.errno == errno.EACCES:
        return StartupError(
            f"port {port} needs administrator rights on this machine — "
            "set PORT (or --port) to 1024 or above, e.g. 3000, and forward to it"
        )
    return StartupError(f"cannot listen on port {port} ({error.strerror}) — set PORT (or --port)")


def check_port(port: int, host: str = "0.0.0.0") -> None:  # noqa: S104  (what the server binds)
    """``port`` is free to listen on; StartupError if not. The server binds it a moment later;
    a process that takes it in between is caught there (bot.cli) with the same message."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        # As waitress does: a port whose old connections are still closing is free to it.
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as e:
            raise port_problem(port, e) from None


# ---- Slack ------------------------------------------------------------------------------


class _Unreachable(Exception):
    """This try did not get an answer from Slack, or Slack said to come back later."""

    def __init__(self, reason: str, answered: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.answered = answered  # Slack answered (5xx, unavailable) rather than nothing


class _Refused(Exception):
    """Slack answered with an error that trying again will not change (invalid_auth…)."""

    def __init__(self, error: str) -> None:
        super().__init__(error)
        self.error = error


def check_slack(
    settings: Settings,
    *,
    socket_mode: bool,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Slack accepts the bot token (and, for Socket Mode, the app token); StartupError if not.

    While Slack cannot be reached, or answers that it is unavailable, try again after 1, 2,
    4… seconds (``pauses``), for about ``settings.slack_startup_wait_seconds``.
    """
    deadline = clock() + settings.slack_startup_wait_seconds
    client = WebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        retry_handlers=[],  # the pauses are ours, below
        logger=_sdk_log,
    )

    def ask(method: str) -> None:
        def once() -> None:
            # A request must not outlast the wait: a network that drops packets answers nothing.
            client.timeout = max(1, int(min(MAX_REQUEST_SECONDS, deadline - clock())))
            with _answers(client.base_url):
                if method == "apps.connections.open":
                    client.apps_connections_open(app_token=settings.slack_app_token or "")
                else:
                    client.auth_test()

        _with_retries(once, settings, deadline, sleep, clock)

    try:
        ask("auth.test")
    except _Refused as e:
        raise StartupError(
            f"Slack refused SLACK_BOT_TOKEN ({e.error}) — copy the Bot User OAuth Token "
            "(xoxb-…) again from your Slack app's settings → OAuth & Permissions, "
            "and reinstall the app to the workspace if it was removed"
        ) from None
    if socket_mode:
        try:
            ask("apps.connections.open")
        except _Refused as e:
            raise StartupError(
                f"Slack refused SLACK_APP_TOKEN ({e.error}) — turn Socket Mode on and create "
                "an app-level token with connections:write (Slack app settings → Basic "
                "Information → App-Level Tokens), or leave SLACK_APP_TOKEN empty for HTTP mode"
            ) from None


@contextmanager
def _answers(api_url: str) -> Iterator[None]:
    """Sorts what a call to Slack raised: _Refused, _Unreachable or StartupError."""
    try:
        yield
    except SlackApiError as e:
        status = e.response.status_code
        data: Any = e.response.data
        error = str(data.get("error") or "") if isinstance(data, dict) else ""
        if status == 429 or status >= 500 or error in TEMPORARY:
            raise _Unreachable(error or f"HTTP {status}", answered=True) from None
        if re.fullmatch(r"[a-z_]+", error):
            raise _Refused(error) from None
        raise StartupError(
            f"{api_url} answered HTTP {status}, not as Slack's Web API does — "
            "check SLACK_API_URL (leave it unset for Slack itself)"
        ) from None
    except urllib.error.URLError as e:
        reason = e.reason
        text = reason.strerror if isinstance(reason, OSError) and reason.strerror else str(reason)
        raise _Unreachable(text or "no answer", answered=False) from None
    except TimeoutError:
        raise _Unreachable("timed out", answered=False) from None
    except (OSError, http.client.HTTPException) as e:
        reason = getattr(e, "strerror", None) or type(e).__name__
        raise _Unreachable(reason, answered=False) from None


def pauses(wait: float) -> list[float]:
    """The pauses between tries: 1, 2, 4… seconds, the last cut short so that they add up to
    ``wait``. 15 s: tries at 0, 1, 3, 7 and 15 s."""
    out: list[float] = []
    pause = FIRST_PAUSE
    while sum(out) < wait:
        out.append(min(pause, wait - sum(out)))
        pause *= 2
    return out


def _with_retries(
    call: Callable[[], None],
    settings: Settings,
    deadline: float,
    sleep: Callable[[float], object],
    clock: Callable[[], float],
) -> None:
    tries, started = 0, clock()
    planned = iter(pauses(settings.slack_startup_wait_seconds))
    while True:
        tries += 1
        try:
            call()
            return
        except _Unreachable as e:
            pause = next(planned, None)
            # Past the deadline too when each try waited out its timeout (packets dropped).
            if pause is None or clock() >= deadline:
                raise _gave_up(settings, e, tries, clock() - started) from None
            log.debug("Slack: %s (try %d); trying again in %.0f s", e.reason, tries, pause)
            sleep(pause)


def _gave_up(settings: Settings, e: _Unreachable, tries: int, seconds: float) -> StartupError:
    over = f"{tries} {'try' if tries == 1 else 'tries'} in {seconds:.0f} s"
    if e.answered:
        return StartupError(
            f"Slack is not available at {settings.slack_api_url} ({e.reason}; {over}) — "
            "try again in a few minutes (status.slack.com), or check SLACK_API_URL"
        )
    return StartupError(
        f"could not reach Slack at {settings.slack_api_url} ({e.reason}; {over}) — "
        "check this machine's network, DNS and proxy settings, or SLACK_API_URL; "
        "SLACK_STARTUP_WAIT_SECONDS sets how long to keep trying"
    )
