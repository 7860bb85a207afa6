"""Shared by the benchmark scripts: percentiles, a scratch database to fill and throw away, a
server process to measure, and signed /logtask requests."""

from __future__ import annotations

import hashlib
import hmac
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


@contextmanager
def scratch_database(server_url: str | None) -> Iterator[str]:
    """A new empty database on ``server_url``'s server (dropped afterwards), or a SQLite file."""
    if not server_url:
        yield f"sqlite:///{tempfile.mkdtemp()}/bench.db"
        return
    name = f"handoff_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def occurrence_quote(
    ws_id: int, task_id: int, amount_minor: int, now: datetime
) -> dict[str, object]:
    """A task_quote row for a bulk INSERT: an unnamed price per occurrence of the task."""
    return {
        "workspace_id": ws_id,
        "task_id": task_id,
        "amount_minor": amount_minor,
        "unit": "occurrence",
        "per": "task",
        "created_at": now,
    }


def settle(engine: Engine) -> None:
    """After a bulk load, what a running database would have done by itself: statistics for
    the planner and, on PostgreSQL, autovacuum's visibility map, without which no scan of the
    new rows can be index-only."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")


# ---- a server process to measure -------------------------------------------------------------

SECRET = "bench-secret"  # noqa: S105  (signs requests to a local process only)
ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{base} did not become healthy")


@contextmanager
def serving(argv: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """``argv`` running in its own process (as in production) until the block ends."""
    proc = subprocess.Popen(
        argv,
        cwd=tempfile.mkdtemp(),
        env={**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}")
        yield proc
    finally:
        proc.terminate()
        proc.wait(10)


# The README's recommendation: one web process per core.
WORKERS = os.cpu_count() or 1


def handoff_http(
    slack_api_url: str, database_url: str, port: int, workers: int = 1
) -> tuple[list[str], dict[str, str]]:
    """`handoff run --http --workers N`, the production server the README recommends, against
    the stand-in."""
    argv = [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port)]
    return [*argv, "--workers", str(workers)], {
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack_api_url,
        "DATABASE_URL": database_url,
    }


def rss_mb(pid: int) -> float:
    """The process's resident set size (Linux /proc), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def command_form(text: str, user: str, response_url: str, n: int) -> bytes:
    return urlencode(
        {
            "token": "legacy-unused",
            "team_id": "T1",
            "team_domain": "acme",
            "channel_id": "C1",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/logtask",
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": f"{n}.1.abc",
        }
    ).encode()


def signed_headers(body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = int(time.time()) if timestamp is None else timestamp
    base = b"v0:" + str(ts).encode() + b":" + body
    sig = "v0=" + hmac.new(SECRET.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": sig,
    }


# Log commands as members type them: a few tasks, 20 members.
LOG_COMMANDS = ["write newsletter 30m", "podcast edit 1h", "invoices 15m", "client calls 45m"]
MEMBERS = 20


def log_command(i: int) -> tuple[str, str]:
    """The ``i``th plain log of a run: (text, user)."""
    return LOG_COMMANDS[i % len(LOG_COMMANDS)], f"U{i % MEMBERS}"


@dataclass
class Load:
    """What a load generator measured: completed requests, seconds, ack times in ms."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    tool: str

    @property
    def rate(self) -> float:
        return self.requests / self.seconds
