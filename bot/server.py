"""HTTP mode: Bolt behind a threaded WSGI server (waitress), plus a health check.

Every POST is checked here before Bolt sees it: size, then Slack's signature, then the body.
A request that fails any check gets its status and nothing else — no listener, no error
handler, no outbound call. Bolt's own signature check stays on behind this one as a second
line; it can no longer be reached by anything this layer would have refused.

In multi-workspace mode two GETs are pages for a browser, not requests from Slack: the
install page and the OAuth redirect (bot.oauth.flow), unsigned by nature.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import hmac
import json
import logging
import os
import re
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltContext
from slack_bolt.oauth import OAuthFlow
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import build_context
from slack_bolt.response import BoltResponse
from waitress.server import create_server

from bot.app import HandoffApp
from bot.db.engine import Database
from bot.logs import describe
from bot.oauth.pages import failure_page

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger(__name__)

SERVER_THREADS = 16
EVENTS_PATH = "/slack/events"
# Slack's payloads are a few kB, but a command typed with 4,000+ emoji is ~100 kB URL-encoded:
# it must reach the parser, which refuses it in words, rather than fail as a bare 413.
MAX_BODY_BYTES = 1024 * 1024
MAX_CLOCK_SKEW_SECONDS = 5 * 60  # Slack's replay window, in either direction
_TIMESTAMP = re.compile(r"[0-9]{1,15}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
# Headers Bolt reads to re-run a lazy listener on FaaS; Slack never sends them.
_BOLT_INTERNAL_HEADER = "x-slack-bolt-"


class Refused(Exception):
    def __init__(self, status: HTTPStatus, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature_is_valid(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, now: float
) -> bool:
    """Slack's v0 signature over "v0:timestamp:body", with a timestamp of ASCII digits only
    within MAX_CLOCK_SKEW_SECONDS of ``now``, compared in constant time."""
    if timestamp is None or signature is None:
        return False
    if not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
        return False
    if abs(now - int(timestamp)) > MAX_CLOCK_SKEW_SECONDS:
        return False
    base = b"v0:" + timestamp.encode("ascii") + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), signature.encode("ascii"))


def parse_body(raw: bytes, content_type: str | None) -> dict[str, Any]:
    """The fields of a Slack request body, or Refused(400).

    JSON exactly when Bolt would take it for JSON (its content type, or a leading "{"), else a
    form; an interactivity form's ``payload`` is JSON too. Strict where Bolt is lenient:
    UTF-8 only, no malformed fields, and the fields Handoff's listeners rely on present.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(HTTPStatus.BAD_REQUEST, "body is not UTF-8") from None
    media_type = (content_type or "").split(";")[0].strip().lower()
    if media_type == "application/json" or text.startswith("{"):
        return _json_object(text)
    try:
        fields = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True, errors="strict"))
    except (ValueError, UnicodeDecodeError):
        raise Refused(HTTPStatus.BAD_REQUEST, "malformed form body") from None
    if "payload" in fields:
        return _json_object(fields["payload"])
    if not all(fields.get(k) for k in ("command", "user_id", "response_url")):
        raise Refused(HTTPStatus.BAD_REQUEST, "form without command, user_id or response_url")
    return fields


def _json_object(text: str) -> dict[str, Any]:
    try:
        body = json.loads(text)
    except ValueError:
        raise Refused(HTTPStatus.BAD_REQUEST, "malformed JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("type"), str):
        raise Refused(HTTPStatus.BAD_REQUEST, "JSON without a type")
    if body["type"] == "event_callback" and not (
        isinstance(body.get("event"), dict) and isinstance(body["event"].get("type"), str)
    ):
        raise Refused(HTTPStatus.BAD_REQUEST, "event_callback without an event")
    return body


def _is_ssl_check(raw: bytes) -> bool:
    """Slack's certificate probe for slash command URLs, which Bolt answers unsigned."""
    try:
        return dict(parse_qsl(raw.decode("ascii"))).get("ssl_check") == "1"
    except (UnicodeDecodeError, ValueError):
        return False


class SlackRequest(BoltRequest):
    """A BoltRequest with the body parse_body made of it.

    Bolt's own parser reads any form that contains the word "payload" — a slash command
    about "payload review", say — as an interactivity payload and finds nothing in it.
    Lazy listeners get a copy of the request (``to_copyable``, which Bolt then deep-copies
    again), so the copy keeps it too. A slash command's form is flat strings: a dict copy is
    a deep one, and the second copy is the first again rather than a slow ``copy.deepcopy``.
    """

    def __init__(
        self,
        *,
        body: str,
        fields: dict[str, Any],
        headers: Mapping[str, str | Sequence[str]],
        query: str | dict[str, Sequence[str]] = "",
        context: dict[str, Any] | None = None,
    ) -> None:
        # Bolt would parse ``body`` again (its way), only for us to replace the result.
        super().__init__(body="", query=query, headers=dict(headers), context=context)
        self.raw_body = body
        self.body = fields
        self.context = build_context(self.context, fields)

    def to_copyable(self) -> SlackRequest:
        flat = all(isinstance(v, str) for v in self.body.values())
        return SlackRequest(
            body=self.raw_body,
            fields=dict(self.body) if flat else copy.deepcopy(self.body),
            headers={k: list(v) for k, v in self.headers.items()},
            query={k: list(v) for k, v in self.query.items()},
            context=BoltContext(self.context.to_copyable()),
        )

    def __deepcopy__(self, memo: dict[int, Any]) -> SlackRequest:
        return self.to_copyable()


def _headers(environ: WSGIEnvironment) -> dict[str, str]:
    headers = {}
    for key, value in environ.items():
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            headers[key.lower().replace("_", "-")] = value
        elif key.startswith("HTTP_"):
            name = key[5:].lower().replace("_", "-")
            if not name.startswith(_BOLT_INTERNAL_HEADER):
                headers[name] = value
    return headers


def _read_body(environ: WSGIEnvironment) -> bytes:
    length = environ.get("CONTENT_LENGTH") or "0"
    if not length.isascii() or not length.isdigit():
        raise Refused(HTTPStatus.BAD_REQUEST, "bad Content-Length")
    if int(length) > MAX_BODY_BYTES:
        raise Refused(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "body too large")
    body: bytes = environ["wsgi.input"].read(int(length))
    return body


def _respond(
    start_response: StartResponse,
    status: int,
    body: str | bytes = b"",
    headers: Iterable[tuple[str, str]] = (),
) -> list[bytes]:
    data = body.encode() if isinstance(body, str) else body
    phrase = HTTPStatus(status).phrase
    start_response(
        f"{status} {phrase}",
        [*headers, ("Content-Length", str(len(data)))],
    )
    return [data]


class HealthProbe:
    """The database's health, pinged every ``interval`` seconds by a background thread.

    /healthz answers from this cached state and never waits on the database itself: a hung
    database must not hang the health check (nor use up the server's threads). A ping that
    has not come back for ``stale_after`` seconds counts as a failure.
    """

    def __init__(self, db: Database, interval: float = 5.0, stale_after: float = 15.0) -> None:
        self.db = db
        self.interval = interval
        self.stale_after = stale_after
        self._state: tuple[bool, float] | None = None  # (answered, monotonic time of the ping)
        self._checked = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="health-probe", daemon=True)

    def start(self) -> HealthProbe:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()

    def check(self) -> bool:
        """Ping now (in the calling thread) and remember the answer."""
        started = time.monotonic()
        ok = self.db.ping()
        self._state = (ok, started)
        self._checked.set()
        return ok

    def healthy(self, first_wait: float = 0.5) -> bool:
        """The last ping's answer, if it is recent; waits ``first_wait`` for the very first."""
        self._checked.wait(first_wait)
        state = self._state
        if state is None:
            return False
        ok, at = state
        return ok and time.monotonic() - at <= self.stale_after

    def _run(self) -> None:
        while not self._stopping.is_set():
            self.check()
            self._stopping.wait(self.interval)


def wsgi_app(
    app: App,
    db: Database,
    signing_secret: str | None = None,
    health: HealthProbe | None = None,
) -> WSGIApplication:
    """The WSGI application; ``signing_secret`` defaults to the one create_app was given;
    without ``health``, one is started for ``db``."""
    secret = signing_secret or (app.signing_secret if isinstance(app, HandoffApp) else None)
    probe = health or HealthProbe(db).start()

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == "/healthz" and method in ("GET", "HEAD"):
            ok = probe.healthy()
            body = json.dumps({"status": "ok" if ok else "unavailable", "database": ok})
            return _respond(
                start_response,
                200 if ok else 503,
                body,
                [("Content-Type", "application/json")],
            )
        flow = app.oauth_flow
        if (
            flow is not None
            and method == "GET"
            and path in (flow.install_path, flow.redirect_uri_path)
        ):
            return oauth_page(flow, environ, start_response)
        if path != EVENTS_PATH or method != "POST":
            return _respond(start_response, 404, "Not Found", [("Content-Type", "text/plain")])
        try:
            return slack_events(environ, start_response)
        except Refused as e:
            log.info("refused a request to %s: %s", EVENTS_PATH, e.reason)
            return _respond(
                start_response, e.status, e.status.phrase, [("Content-Type", "text/plain")]
            )

    def slack_events(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        raw = _read_body(environ)
        headers = _headers(environ)
        if not secret:
            raise Refused(HTTPStatus.UNAUTHORIZED, "no signing secret configured")
        if not signature_is_valid(
            secret,
            headers.get("x-slack-request-timestamp"),
            headers.get("x-slack-signature"),
            raw,
            time.time(),
        ):
            if _is_ssl_check(raw):
                return _respond(start_response, 200)
            raise Refused(HTTPStatus.UNAUTHORIZED, "missing, stale or wrong signature")
        fields = parse_body(raw, headers.get("content-type"))
        request = SlackRequest(
            body=raw.decode("utf-8"),
            fields=fields,
            headers=headers,
            query=environ.get("QUERY_STRING", ""),
        )
        response = app.dispatch(request)
        out = [(k, v) for k, values in response.headers.items() for v in values]
        out = [(k, v) for k, v in out if k.lower() != "content-length"]
        return _respond(start_response, response.status, response.body, out)

    return application


# The install pages carry a one-time state and code: no caching, no referrer, no framing, and
# nothing loaded from anywhere (their only style is inline).
PAGE_HEADERS = [
    ("Cache-Control", "no-store"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Content-Type-Options", "nosniff"),
    (
        "Content-Security-Policy",
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
]


def oauth_page(
    flow: OAuthFlow, environ: WSGIEnvironment, start_response: StartResponse
) -> Iterable[bytes]:
    """GET /slack/install and /slack/oauth_redirect, answered by Bolt's OAuth flow."""
    headers: dict[str, str | Sequence[str]] = dict(_headers(environ))
    request = BoltRequest(body="", query=environ.get("QUERY_STRING", ""), headers=headers)
    try:
        if environ.get("PATH_INFO") == flow.install_path:
            response = flow.handle_installation(request)
        else:
            response = flow.handle_callback(request)
    except Exception as e:  # the database, most likely: say so in words, not a bare 500
        log.error("install page failed: %s", describe(e))
        page = failure_page("unavailable", flow.install_path)
        response = BoltResponse(status=500, body=page, headers={"Content-Type": "text/html"})
    out = [(k, v) for k, values in response.headers.items() for v in values]
    out = [(k, v) for k, v in out if k.lower() != "content-length"]
    return _respond(start_response, response.status, response.body, out + PAGE_HEADERS)


def make_server(
    app: App,
    db: Database,
    host: str = "0.0.0.0",  # noqa: S104  (a server for Slack to reach)
    port: int = 3000,
    sock: socket.socket | None = None,
    **options: Any,
) -> Any:
    """A waitress server on ``host``:``port``, or on the listening socket ``sock`` (a worker
    process's, see ``fork_workers``); ``.run()`` serves until ``.close()``;
    ``.effective_port`` is the port; ``.health`` its HealthProbe."""
    health = HealthProbe(db).start()
    where: dict[str, Any] = (
        {"sockets": [sock]} if sock is not None else {"host": host, "port": port}
    )
    server = create_server(
        wsgi_app(app, db, health=health),
        **where,
        threads=SERVER_THREADS,
        ident="handoff",
        # waitress refuses bigger bodies itself (413) before buffering them.
        max_request_body_size=MAX_BODY_BYTES,
        **options,
    )
    server.health = health
    return server


def shutdown(server: Any) -> None:
    """Stop a server running in another thread: close it from its own event loop."""
    server.health.stop()
    # OSError: the loop was already awake (a response had just woken it) and ran our close
    # between pull_trigger queueing it and writing the wake-up byte, closing that very pipe.
    with contextlib.suppress(OSError):
        server.trigger.pull_trigger(server.close)


# ---- several worker processes on one port ---------------------------------------------------
#
# One process runs Python on one core at a time (the GIL), and a /logtask's work after the ack
# is Python: the database and Slack calls are a small part of it. So `handoff run --http
# --workers N` binds the port once and forks N processes that each serve it with their own
# app, database pool and listener pool; the kernel hands each connection to one of them.


def bind(host: str, port: int, workers: int = 1) -> list[socket.socket]:
    """A listening socket for each of ``workers`` processes (OSError if the port is taken).

    On Linux each worker gets a socket of its own on the port (SO_REUSEPORT), and the kernel
    spreads new connections across them evenly. One socket shared by all (elsewhere) lets
    whichever worker wakes first accept: Slack and proxies keep their connections open, so a
    burst of them could all land on one worker while the others sat idle (measured: 16
    kept-alive clients, one worker at 16 s of CPU, the other at 0).
    """
    if workers > 1 and sys.platform == "linux" and hasattr(socket, "SO_REUSEPORT"):
        first = socket.create_server((host, port), backlog=1024, reuse_port=True)
        port = first.getsockname()[1]  # port 0: the one the first socket was given
        socks = [first] + [
            socket.create_server((host, port), backlog=1024, reuse_port=True)
            for _ in range(workers - 1)
        ]
    else:
        socks = [socket.create_server((host, port), backlog=1024)] * workers
    for sock in socks:
        sock.set_inheritable(True)
    return socks


def fork_workers(
    socks: Sequence[socket.socket], serve: Callable[[socket.socket], None]
) -> list[int]:
    """Fork a process for each of ``socks`` (from ``bind``), each running ``serve(its
    socket)`` until it returns; their pids.

    Call before starting any thread or opening any connection in this process: a fork copies
    only the calling thread, and a connection must not be shared by two processes. Close
    ``socks`` in this process afterwards: the workers have them.
    """
    pids = []
    for mine in socks:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                for other in {id(s): s for s in socks if s is not mine}.values():
                    other.close()  # a socket nobody accepts on would take connections
                serve(mine)
                code = 0
            except BaseException as e:
                log.error("web worker %s failed: %s", os.getpid(), describe(e))
            finally:
                logging.shutdown()
                os._exit(code)
        pids.append(pid)
    return pids


def supervise(pids: list[int]) -> int:
    """Wait for the workers: until this process is interrupted (KeyboardInterrupt, as SIGTERM
    raises in `handoff run`), or one of them exits, which stops the others too, so that the
    service manager restarts the whole. The exit status: 0 for an interrupt, else 1."""
    code = 0
    running = set(pids)
    try:
        pid, status = os.wait()
        running.discard(pid)
        log.error("web worker %s stopped (status %s): stopping the others", pid, status)
        code = 1
    except KeyboardInterrupt:
        pass
    for pid in running:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in running:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return code
