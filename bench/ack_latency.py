"""How fast does the bot acknowledge slash commands under concurrency?

Starts the real HTTP server (waitress) on loopback with a Slack stand-in and a fresh SQLite
file, sends signed /logtask commands from 16 threads at once, and prints the HTTP response
time (Slack's 3-second ack budget; our target is p99 < 100 ms) and how long the replies took.

    .venv/bin/python bench/ack_latency.py [--requests 800] [--concurrency 16] [--database URL]
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile, scratch_database
from bot.console.local_slack import LocalSlack
from tests.support.slack_sim import SlackSim, http

SECRET = "bench-secret"  # noqa: S105  (signs requests to a local process only)


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--requests", type=int, default=800)
    args.add_argument("--concurrency", type=int, default=16)
    args.add_argument(
        "--database",
        help="a server's SQLAlchemy URL to make a scratch database on (default: SQLite)",
    )
    opts = args.parse_args()

    with scratch_database(opts.database) as url:
        measure(url, opts.requests, opts.concurrency)


def measure(url: str, requests: int, concurrency: int) -> None:
    workdir = tempfile.mkdtemp()
    slack = LocalSlack(team_id="T1").start()
    port = free_port()
    # The bot runs as it does in production: its own process, `handoff run --http`.
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-bench",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": url,
        "LOG_LEVEL": "WARNING",
    }
    bot = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "run", "--http", "--port", str(port)],
        cwd=workdir,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_healthy(base)
        sim = SlackSim(base, SECRET, slack, executor=None)  # type: ignore[arg-type]
        run(sim, slack, requests, concurrency, url)
    finally:
        bot.terminate()
        bot.wait(10)
        slack.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_healthy(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if http(base + "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit("the bot did not become healthy")


def run(sim: SlackSim, slack: LocalSlack, requests: int, concurrency: int, url: str) -> None:
    commands = [
        "write newsletter 30m weekly",
        "report",
        "should write newsletter",
        "podcast edit 1h",
    ]
    for i in range(20):  # warm up: users.info for every member, connections
        sim.command("rate $80/h", user=f"U{i}")

    def one(i: int) -> tuple[float, str]:
        result, response_url = sim.send_command(commands[i % len(commands)], user=f"U{i % 20}")
        assert result.status == 200, result
        return result.seconds, response_url

    print(f"database: {url.split(':')[0]} · signed /logtask requests · {concurrency} at a time")

    # Bursts: `concurrency` requests arrive at once, the way a team's commands cluster;
    # the bot finishes answering before the next burst.
    burst_ms: list[float] = []
    with ThreadPoolExecutor(concurrency) as pool:
        for b in range(requests // concurrency):
            batch = list(pool.map(one, range(b * concurrency, (b + 1) * concurrency)))
            burst_ms += [s * 1000 for s, _ in batch]
            for _, response_url in batch:
                slack.wait_for_response(response_url, timeout=60)
    report(f"bursts of {concurrency}", burst_ms)

    # Saturation: `concurrency` clients send back to back, so the bot never idles and the
    # acks share the CPU with every listener's work.
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    acked = time.perf_counter() - started
    for _, response_url in results:
        slack.wait_for_response(response_url, timeout=300)
    answered = time.perf_counter() - started
    report(f"saturated by {concurrency} clients", [s * 1000 for s, _ in results])
    print(
        f"  throughput {requests / acked:.0f} acks/s; all {requests} replies delivered in {answered:.1f} s"
    )


def report(label: str, ms: list[float]) -> None:
    print(
        f"{label}: {len(ms)} acks · p50 {percentile(ms, 50):.1f} ms · p95 {percentile(ms, 95):.1f} ms"
        f" · p99 {percentile(ms, 99):.1f} ms · max {max(ms):.1f} ms · mean {statistics.mean(ms):.1f} ms"
    )


if __name__ == "__main__":
    main()
