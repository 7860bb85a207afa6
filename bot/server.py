"""HTTP mode: Bolt behind a threaded WSGI server (waitress), plus a health check."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import create_server

from bot.db.engine import Database

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

SERVER_THREADS = 16
EVENTS_PATH = "/slack/events"


def wsgi_app(app: App, db: Database) -> WSGIApplication:
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            ok = db.ping()
            body = json.dumps({"status": "ok" if ok else "unavailable", "database": ok}).encode()
            start_response(
                "200 OK" if ok else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return slack(environ, start_response)

    return application


def make_server(
    app: App,
    db: Database,
    host: str = "0.0.0.0",  # noqa: S104  (a server for Slack to reach)
    port: int = 3000,
    **options: Any,
) -> Any:
    """A waitress server; ``.run()`` serves until ``.close()``; ``.effective_port`` is the port."""
    return create_server(
        wsgi_app(app, db), host=host, port=port, threads=SERVER_THREADS, ident="handoff", **options
    )


def shutdown(server: Any) -> None:
    """Stop a server running in another thread: close it from its own event loop."""
    server.trigger.pull_trigger(server.close)
