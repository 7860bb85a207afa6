"""A stand-in for the Slack Web API on loopback, recording every call.

`handoff console` talks to it so the bot can run with no Slack at all, and the tests
talk to it to see exactly what the bot asked Slack to do. It answers the methods
Handoff uses with Slack's shapes, and can be told to fail (with ``ok: false`` or an HTTP
status), rate-limit a method, or hold a call — including "delivered, then the answer is
lost". Messages it accepts through chat.postMessage are kept per channel and read back by
conversations.history, metadata and all, which is how the digest checks what it posted.

For multi-workspace mode it also plays Slack's side of "Add to Slack": ``register_app`` gives it
the app's credentials, ``approve`` is the consent page (a code for the redirect),
oauth.v2.access exchanges the code for a bot token per workspace — or, with token rotation, a
12-hour token and a refresh token, each refresh token good for one refresh — and ``uninstall``
revokes a workspace's tokens. auth.test answers for the token it is given, a call with a
revoked or expired token fails as Slack's would, and every call records its token
(``Call.token``).
"""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qs, parse_qsl, urlparse

T = TypeVar("T")

BOT_USER_ID = "UHANDOFF"
BOT_ID = "BHANDOFF"
HOLD_LIMIT = 30.0  # seconds a held call waits for its gate before going on by itself

Delivery = Literal["after", "before", "never"]


@dataclass
class Call:
    """One request the bot made: a Web API method, a response_url post or a file upload."""

    kind: str  # "api", "respond" or "upload"
    method: str  # Web API method, response_url id or upload id
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)
    peer: tuple[str, int] | None = None  # the client's address: one per connection

    @property
    def token(self) -> str | None:
        """The token the call was made with (a Bearer header, or a ``token`` parameter)."""
        auth = self.headers.get("authorization", "")
        if auth.startswith("Bearer "):
            return auth[len("Bearer ") :]
        token = self.params.get("token")
        return str(token) if token else None


@dataclass
class _Failure:
    error: str
    status: int = 200
    retry_after: int | None = None
    channel: str | None = None  # only calls about this channel fail


@dataclass
class _App:
    client_id: str
    client_secret: str
    app_id: str


@dataclass
class Workspace:
    """Where an app is installed: a workspace, or (``org_wide``) a whole Enterprise Grid org."""

    team_id: str | None
    team_name: str | None = None
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    org_wide: bool = False
    installer: str = "UINSTALLER"

    @property
    def key(self) -> str:
        return str(self.team_id if not self.org_wide else self.enterprise_id)


@dataclass
class _Token:
    kind: str  # "bot"
    where: Workspace
    app: _App
    scopes: str
    expires_at: float | None = None
    revoked: bool = False

    @property
    def bot_user_id(self) -> str:
        return f"UB{self.where.key}"

    @property
    def bot_id(self) -> str:
        return f"BB{self.where.key}"


@dataclass
class _Grant:
    """A code from the consent page, or a refresh token: each is good once."""

    where: Workspace
    app: _App
    scopes: str
    redirect_uri: str | None = None
    used: bool = False


@dataclass
class _Hold:
    gate: threading.Event
    deliver: Delivery
    left: int | None  # calls still to hold; None: every call until the gate is set


class LocalSlack:
    def __init__(self, team_id: str = "T0LOCAL", host: str = "127.0.0.1", port: int = 0) -> None:
        self.team_id = team_id
        self.calls: list[Call] = []
        # The replies to each response_url, by its key: a load waiting on thousands of them
        # must not scan every call on every arrival.
        self._replies: dict[str, list[Call]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self._failures: dict[str, list[_Failure]] = {}
        self._holds: dict[str, list[_Hold]] = {}
        self._messages: dict[str, list[dict[str, Any]]] = {}  # channel → accepted, oldest first
        self._cond = threading.Condition()
        self._ts = itertools.count(1)
        self._apps: dict[str, _App] = {}
        self.tokens: dict[str, _Token] = {}
        self._codes: dict[str, _Grant] = {}
        self.refresh_tokens: dict[str, _Grant] = {}
        self.token_lifetime: int | None = None  # seconds; None: tokens do not rotate
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # ---- lifecycle ------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def api_url(self) -> str:
        return self.base_url + "api/"

    def start(self) -> LocalSlack:
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), name="local-slack", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LocalSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- arranging ------------------------------------------------------------------------

    def new_response_url(self) -> str:
        return f"{self.base_url}respond/{uuid.uuid4().hex}"

    def add_user(
        self,
        user_id: str,
        name: str | None = None,
        tz: str = "UTC",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
    ) -> None:
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name or user_id.lower(),
            "real_name": name or user_id,
            "tz": tz,
            "is_admin": is_admin,
            "is_owner": is_owner,
            "is_bot": is_bot,
            "profile": {"display_name": name or user_id, "real_name": name or user_id},
        }

    def add_channel(
        self, channel_id: str, name: str, is_private: bool = False, is_member: bool = False
    ) -> None:
        self.channels[channel_id] = {
            "id": channel_id,
            "name": name,
            "is_channel": not is_private,
            "is_private": is_private,
            "is_member": is_member,
            "is_archived": False,
        }

    def fail(
        self,
        method: str,
        error: str,
        times: int = 1,
        channel: str | None = None,
        status: int = 200,
    ) -> None:
        """The next ``times`` calls of ``method`` (about ``channel``, if given) answer
        ``{"ok": false, "error": error}`` with HTTP ``status`` (200, as Slack answers most
        errors; 500 or 503 for an outage). A failed call accepts nothing."""
        self._failures.setdefault(method, []).extend(
            _Failure(error, status, channel=channel) for _ in range(times)
        )

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` answer HTTP 429 with Retry-After."""
        self._failures.setdefault(method, []).extend(
            _Failure("ratelimited", 429, retry_after) for _ in range(times)
        )

    def hold(
        self, method: str, times: int | None = None, deliver: Delivery = "after"
    ) -> threading.Event:
        """Calls of ``method`` wait, unanswered, until the returned event is set (or
        HOLD_LIMIT seconds pass). ``times``: only the next that many calls; by default all.

        ``deliver`` says what Slack did with a held call: "after" — handled when released;
        "before" — accepted at once, only the answer waits (the message is out, but a client
        that stops waiting never learns its ts); "never" — dropped: released, the connection
        closes with no answer and nothing was accepted (a request lost on the way in).
        """
        gate = threading.Event()
        with self._cond:
            self._holds.setdefault(method, []).append(_Hold(gate, deliver, times))
        return gate

    # ---- Add to Slack ---------------------------------------------------------------------

    def register_app(
        self,
        client_id: str,
        client_secret: str,
        app_id: str = "A0HANDOFF",
        token_lifetime: int | None = None,
    ) -> None:
        """An app Slack knows; ``token_lifetime`` (seconds) turns on token rotation."""
        self._apps[client_id] = _App(client_id, client_secret, app_id)
        self.token_lifetime = token_lifetime

    def approve(self, authorize_url: str, where: Workspace) -> dict[str, str]:
        """Slack's consent page, approved: the query its redirect carries (code and state).

        Reads the authorize URL as Slack does: an unknown client_id is refused here."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        app = self._apps.get(query.get("client_id", ""))
        if app is None:
            raise ValueError(f"no app with client_id {query.get('client_id')!r}")
        code = f"{int(time.time())}.{secrets.token_hex(16)}"
        with self._cond:
            self._codes[code] = _Grant(
                where, app, query.get("scope", ""), redirect_uri=query.get("redirect_uri")
            )
        return {"code": code, "state": query.get("state", "")}

    def uninstall(self, where: Workspace) -> None:
        """The app was removed: every token of ``where`` stops working."""
        with self._cond:
            for token in self.tokens.values():
                if token.where.key == where.key:
                    token.revoked = True

    def bot_tokens(self, where: Workspace) -> list[str]:
        """Every bot token issued for ``where``, oldest first."""
        with self._cond:
            return [t for t, info in self.tokens.items() if info.where.key == where.key]

    def _issue(self, where: Workspace, app: _App, scopes: str) -> dict[str, Any]:
        lifetime = self.token_lifetime
        secret = secrets.token_hex(12)
        token = (
            f"xoxe.xoxb-1-{secret}" if lifetime else f"xoxb-{where.key}-{next(self._ts)}-{secret}"
        )
        info = _Token("bot", where, app, scopes)
        answer: dict[str, Any] = {"access_token": token, "token_type": "bot", "scope": scopes}
        if lifetime:
            info.expires_at = time.time() + lifetime
            refresh = f"xoxe-1-{secrets.token_hex(16)}"
            self.refresh_tokens[refresh] = _Grant(where, app, scopes)
            answer |= {"expires_in": lifetime, "refresh_token": refresh}
        self.tokens[token] = info
        return answer | {
            "app_id": app.app_id,
            "bot_user_id": info.bot_user_id,
            "team": {"id": where.team_id, "name": where.team_name} if not where.org_wide else None,
            "enterprise": (
                {"id": where.enterprise_id, "name": where.enterprise_name}
                if where.enterprise_id
                else None
            ),
            "is_enterprise_install": where.org_wide,
        }

    def _oauth_access(self, p: dict[str, Any], auth: str) -> dict[str, Any]:
        client_id, client_secret = p.get("client_id"), p.get("client_secret")
        if auth.startswith("Basic "):
            try:
                client_id, _, client_secret = (
                    base64.b64decode(auth[len("Basic ") :]).decode().partition(":")
                )
            except (binascii.Error, UnicodeDecodeError):
                return {"ok": False, "error": "invalid_client_id"}
        app = self._apps.get(str(client_id))
        if app is None:
            return {"ok": False, "error": "invalid_client_id"}
        if client_secret != app.client_secret:
            return {"ok": False, "error": "bad_client_secret"}
        with self._cond:
            if p.get("grant_type") == "refresh_token":
                grant = self.refresh_tokens.get(str(p.get("refresh_token")))
                if grant is None or grant.used or grant.app is not app:
                    return {"ok": False, "error": "invalid_refresh_token"}
            else:
                grant = self._codes.get(str(p.get("code")))
                if grant is None or grant.used or grant.app is not app:
                    return {"ok": False, "error": "invalid_code"}
                if grant.redirect_uri != p.get("redirect_uri"):
                    return {"ok": False, "error": "bad_redirect_uri"}
            grant.used = True
            answer = self._issue(grant.where, app, grant.scopes)
        if p.get("grant_type") != "refresh_token":
            answer["authed_user"] = {"id": grant.where.installer}
        return {"ok": True, **answer}

    def _refused(self, token: str | None) -> dict[str, Any] | None:
        info = self.tokens.get(token or "")
        if info is None:
            return None  # a token this stand-in never issued: single-workspace mode's
        if info.revoked:
            return {"ok": False, "error": "token_revoked"}
        if info.expires_at is not None and info.expires_at <= time.time():
            return {"ok": False, "error": "token_expired"}
        return None

    def _auth_test(self, token: str | None) -> dict[str, Any]:
        info = self.tokens.get(token or "")
        if info is None:
            return {
                "user_id": BOT_USER_ID,
                "bot_id": BOT_ID,
                "team_id": self.team_id,
                "user": "handoff",
                "team": "Local",
            }
        where = info.where
        return {
            "url": (
                f"https://{where.enterprise_id or 'org'}.enterprise.slack.com/"
                if where.org_wide
                else f"https://{where.team_id}.slack.com/"
            ),
            "team": where.team_name,
            "user": "handoff",
            "team_id": where.team_id if not where.org_wide else where.enterprise_id,
            "user_id": info.bot_user_id,
            "bot_id": info.bot_id,
            "enterprise_id": where.enterprise_id,
            "is_enterprise_install": where.org_wide,
        }

    # ---- observing ------------------------------------------------------------------------

    def api_calls(self, method: str | None = None) -> list[Call]:
        with self._cond:
            return [
                c for c in self.calls if c.kind == "api" and (method is None or c.method == method)
            ]

    def responses(self, url: str | None = None) -> list[Call]:
        with self._cond:
            if url:
                return list(self._replies.get(url.rsplit("/", 1)[-1], []))
            return [c for c in self.calls if c.kind == "respond"]

    def forget_calls(self) -> None:
        """Drop every call recorded so far (a long benchmark's memory)."""
        with self._cond:
            self.calls.clear()
            self._replies.clear()

    def wait_for(self, probe: Callable[[], T | None], timeout: float = 10.0) -> T:
        """Wait until ``probe()`` returns something truthy (checked whenever a call arrives)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                result = probe()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(
                        f"nothing matched within {timeout}s; calls: {self.summary()}"
                    )
                self._cond.wait(left)

    def replied(self, url: str, timeout: float = 10.0) -> bool:
        """Whether a reply reached ``url`` within ``timeout`` seconds."""
        try:
            self.wait_for(lambda: self.responses(url), timeout)
        except TimeoutError:
            return False
        return True

    def wait_for_response(self, url: str, timeout: float = 10.0) -> dict[str, Any]:
        return self.wait_for(lambda: self.responses(url), timeout)[0].params

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Messages accepted in ``channel`` (not thread replies), oldest first."""
        with self._cond:
            return list(self._messages.get(channel, []))

    def summary(self) -> list[str]:
        return [f"{c.kind}:{c.method}" for c in self.calls]

    # ---- answering ------------------------------------------------------------------------

    def _record(self, call: Call) -> tuple[_Failure | None, _Hold | None]:
        with self._cond:
            self.calls.append(call)
            if call.kind == "respond":
                self._replies.setdefault(call.method, []).append(call)
            queue = self._failures.get(call.method, [])
            failure = next(
                (f for f in queue if f.channel is None or f.channel == call.params.get("channel")),
                None,
            )
            if failure is not None:
                queue.remove(failure)
            hold = next((h for h in self._holds.get(call.method, []) if h.left != 0), None)
            if hold is not None and hold.left is not None:
                hold.left -= 1
            self._cond.notify_all()
            return failure, hold

    def _answer(self, method: str, p: dict[str, Any], call: Call) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        token = call.token
        if method == "oauth.v2.access":
            return self._oauth_access(p, call.headers.get("authorization", ""))
        refused = self._refused(token)
        if refused is not None:
            return refused
        match method:
            case "auth.test":
                return {**ok, **self._auth_test(token)}
            case "users.info":
                user = self.users.get(str(p.get("user")))
                if user is None:
                    user = {
                        "id": p.get("user"),
                        "name": str(p.get("user", "")).lower(),
                        "tz": "UTC",
                        "is_admin": False,
                        "is_owner": False,
                        "is_bot": False,
                    }
                return {**ok, "user": user}
            case "chat.postMessage":
                ts = f"{int(time.time())}.{next(self._ts):06d}"
                self._accept(p, ts)
                return {
                    **ok,
                    "channel": p.get("channel"),
                    "ts": ts,
                    "message": {"text": p.get("text"), "ts": ts},
                }
            case "chat.postEphemeral":
                return {**ok, "message_ts": f"{int(time.time())}.{next(self._ts):06d}"}
            case "conversations.info":
                channel = self.channels.get(str(p.get("channel")))
                if channel is None:
                    return {"ok": False, "error": "channel_not_found"}
                return {**ok, "channel": channel}
            case "conversations.join":
                channel = self.channels.get(str(p.get("channel")))
                if channel is None:
                    return {"ok": False, "error": "channel_not_found"}
                if channel["is_private"]:
                    return {"ok": False, "error": "method_not_supported_for_channel_type"}
                channel["is_member"] = True
                return {**ok, "channel": channel}
            case "conversations.history":
                return {**ok, **self._history(p)}
            case "conversations.open":
                return {**ok, "channel": {"id": "D" + str(p.get("users", "X")).split(",")[0]}}
            case "files.getUploadURLExternal":
                file_id = "F" + uuid.uuid4().hex[:10].upper()
                return {**ok, "upload_url": f"{self.base_url}upload/{file_id}", "file_id": file_id}
            case "files.completeUploadExternal":
                files = p.get("files")
                if isinstance(files, str):
                    files = json.loads(files)
                return {
                    **ok,
                    "files": [{"id": f["id"], "title": f.get("title")} for f in files or []],
                }
        return ok

    def _accept(self, p: dict[str, Any], ts: str) -> None:
        if p.get("thread_ts"):
            return  # a reply lives in its thread, not in the channel's history
        message: dict[str, Any] = {
            "type": "message",
            "ts": ts,
            "text": p.get("text"),
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
        }
        metadata = p.get("metadata")
        if isinstance(metadata, str):
            metadata = json.loads(metadata)
        if metadata:
            message["metadata"] = metadata
        with self._cond:
            self._messages.setdefault(str(p.get("channel")), []).append(message)
            self._cond.notify_all()

    def _history(self, p: dict[str, Any]) -> dict[str, Any]:
        """Newest first, after ``oldest`` and before ``latest``, ``limit`` at a time."""
        oldest, latest = float(p.get("oldest") or 0), float(p.get("latest") or "inf")
        inclusive = str(p.get("inclusive", "")).lower() in ("1", "true")
        with_metadata = str(p.get("include_all_metadata", "")).lower() in ("1", "true")

        def within(ts: float) -> bool:
            return oldest <= ts <= latest if inclusive else oldest < ts < latest

        found = [
            m for m in reversed(self.messages(str(p.get("channel")))) if within(float(m["ts"]))
        ]
        start, limit = int(p.get("cursor") or 0), int(p.get("limit") or 100)
        page = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in found[start : start + limit]
        ]
        more = start + limit < len(found)
        return {
            "messages": page,
            "has_more": more,
            "response_metadata": {"next_cursor": str(start + limit) if more else ""},
        }

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        slack = self

        class Handler(BaseHTTPRequestHandler):
            # Kept-alive connections, as Slack's own endpoints allow (every answer has a
            # Content-Length); a client that sends "Connection: close" still gets it.
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY the second waits
            # for the client's delayed ACK (40 ms) on a kept-alive connection.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _params(self) -> dict[str, Any]:
                url = urlparse(self.path)
                params: dict[str, Any] = dict(parse_qsl(url.query))
                length = int(self.headers.get("Content-Length") or 0)
                if length < 0:
                    raise ValueError("negative Content-Length")
                if self.headers.get("Transfer-Encoding"):  # a body this server does not read
                    self.close_connection = True
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if url.path.startswith("/upload/"):
                    # A file's bytes, whatever the content type says; kept, so that a test
                    # can read the file the bot sent.
                    params["_body_bytes"] = len(raw)
                    params["_body"] = raw
                elif raw and "json" in ctype:
                    params.update(json.loads(raw))
                elif raw and "x-www-form-urlencoded" in ctype:
                    params.update(parse_qsl(raw.decode()))
                elif raw:
                    params["_body_bytes"] = len(raw)
                return params

            def _send(
                self, status: int, body: dict[str, Any] | str, headers: dict[str, str] | None = None
            ) -> None:
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type", "application/json" if isinstance(body, dict) else "text/plain"
                )
                self.send_header("Content-Length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _handle(self) -> None:
                path = urlparse(self.path).path
                try:
                    params = self._params()
                except (ValueError, UnicodeDecodeError):
                    self.close_connection = True  # the body may be unread: no next request
                    self._send(400, {"ok": False, "error": "invalid_form_data"})
                    return
                headers = {k.lower(): v for k, v in self.headers.items()}
                kind, _, name = path.strip("/").partition("/")
                if kind not in ("api", "respond", "upload"):
                    self._send(404, {"ok": False, "error": "unknown_path"})
                    return
                call = Call(kind, name, params, headers, peer=self.client_address[:2])
                failure, hold = slack._record(call)
                answer: dict[str, Any] | None = None
                if hold is not None and hold.deliver == "before" and failure is None:
                    answer = slack._answer(name, params, call) if kind == "api" else None
                if hold is not None:
                    hold.gate.wait(timeout=HOLD_LIMIT)
                    if hold.deliver == "never":
                        self.close_connection = True
                        return
                try:
                    if failure is not None:
                        extra = (
                            {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
                        )
                        self._send(failure.status, {"ok": False, "error": failure.error}, extra)
                    elif kind == "api":
                        self._send(200, answer or slack._answer(name, params, call))
                    elif kind == "upload":
                        self._send(200, f"OK - {params.get('_body_bytes', 0)}")
                    else:
                        self._send(200, "ok")
                except OSError:  # the caller stopped waiting (a client timeout, a killed process)
                    self.close_connection = True

            do_GET = _handle
            do_POST = _handle

        return Handler
