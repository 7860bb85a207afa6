"""Target 4, memory: the RSS of `handoff run --http` idle, and after 10,000 requests.

Serves plain logs from 20 members (signed, 16 at a time) against the Slack stand-in and
reads the server's resident set size from /proc before and after.
Targets (issue #13): idle ≤ 150 MB; no growth over the requests.

    .venv/bin/python bench/memory.py [--requests 10000] [--database URL]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load
from bench.ack_latency import wait_delivered, warm_up
from bench.common import free_port, handoff_http, log_command, rss_mb, scratch_database, serving
from bot.console.local_slack import LocalSlack


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--requests", type=int, default=10_000)
    args.add_argument("--concurrency", type=int, default=16)
    args.add_argument("--database", help="a server's SQLAlchemy URL (default: a SQLite file)")
    opts = args.parse_args()
    port = free_port()
    with LocalSlack(team_id="T1") as slack, scratch_database(opts.database) as url:
        argv, env = handoff_http(slack.api_url, url, port)
        with serving(argv, port, env) as proc:
            base = f"http://127.0.0.1:{port}"
            time.sleep(2)
            idle = rss_mb(proc.pid)
            warm_up(base, slack)
            warm = rss_mb(proc.pid)
            before = len(slack.responses())

            def body(i: int) -> tuple[str, str, str]:
                text, user = log_command(i)
                return text, user, slack.new_response_url()

            got = load.python_load(base, opts.concurrency, opts.requests, body)
            delivered = wait_delivered(slack, before + got.requests) - before
            time.sleep(2)
            after = rss_mb(proc.pid)
    print(
        f"memory: `handoff run --http` idle {idle:.0f} MB · after warm-up {warm:.0f} MB · "
        f"after {got.requests:,} more requests ({delivered:,} replies) {after:.0f} MB "
        f"({after - warm:+.0f} MB)  [target: idle ≤ 150 MB, no growth]"
    )


if __name__ == "__main__":
    main()
