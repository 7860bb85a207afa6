"""The floor the ack path is compared to: a bare Bolt app doing the same work as a plain log.

It parses nothing: it acks, then (a lazy listener, as Handoff's) INSERTs one row and POSTs one
reply to the command's response_url. It is served the way Handoff is — waitress with
bot.server's thread count behind bot.server's request verification, Bolt's listener pool as
big as Handoff's — and on the same kind of database engine (bot.db.engine.make_engine).

    .venv/bin/python bench/bare_bolt.py --port 3001 --database sqlite:///bare.db --api URL
"""

from __future__ import annotations

import argparse
import signal
import socket
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, insert
from waitress.server import create_server

from bench.common import SECRET
from bot.app import LISTENER_THREADS
from bot.db.base import utcnow
from bot.db.engine import Database
from bot.server import (
    MAX_BODY_BYTES,
    SERVER_THREADS,
    HealthProbe,
    bind,
    fork_workers,
    supervise,
    wsgi_app,
)

metadata = MetaData()
entry = Table(
    "bare_entry",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("team_id", String(32), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("text", String(4000), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def make_app(db: Database, api_url: str) -> App:
    app = App(
        signing_secret=SECRET,
        client=WebClient(token="xoxb-bench", base_url=api_url),  # noqa: S106  (the stand-in's)
        token_verification_enabled=False,
        # As Handoff's: the ack runs in the request thread, the lazy work on the pool, so an
        # ack never queues behind other requests' work (Bolt's default queues it).
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(LISTENER_THREADS),
    )

    def ack_now(ack: Ack) -> None:
        ack()

    def work(command: dict[str, Any], respond: Respond) -> None:
        with db.engine.begin() as conn:
            conn.execute(
                insert(entry).values(
                    team_id=command["team_id"],
                    user_id=command["user_id"],
                    text=command.get("text") or "",
                    created_at=utcnow(),
                )
            )
        respond(text="Logged.", response_type="ephemeral")

    app.command("/logtask")(ack=ack_now, lazy=[work])
    return app


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--port", type=int, required=True)
    args.add_argument("--database", required=True)
    args.add_argument("--api", required=True, help="the Slack stand-in's Web API URL")
    args.add_argument("--workers", type=int, default=1, help="processes, as handoff run's")
    opts = args.parse_args()
    setup = Database(opts.database)  # the table first, once, then fork
    metadata.create_all(setup.engine)
    setup.dispose()

    def serve(sock: socket.socket) -> None:
        db = Database(opts.database)
        server = create_server(
            wsgi_app(
                make_app(db, opts.api), db, signing_secret=SECRET, health=HealthProbe(db).start()
            ),
            sockets=[sock],
            threads=SERVER_THREADS,
            max_request_body_size=MAX_BODY_BYTES,
        )
        server.run()  # until SIGTERM ends the process

    socks = bind("127.0.0.1", opts.port, opts.workers)
    if opts.workers == 1:
        serve(socks[0])
        return
    pids = fork_workers(socks, serve)
    for sock in socks:
        sock.close()  # the workers have them
    signal.signal(signal.SIGTERM, _interrupt)
    supervise(pids)  # on SIGTERM, stops the workers


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    main()
