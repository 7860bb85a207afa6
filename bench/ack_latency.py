"""Target 1, the ack path: /logtask plain logs against a bare Bolt app doing the same work.

Both run on the same server configuration (waitress, bot.server's threads and request
verification, ``--workers`` processes each: by default one per core, as the README
recommends) against the same Slack stand-in, each on a fresh scratch
database, in one run: first the bare Bolt app (bench/bare_bolt.py: ack, one INSERT, one
response_url POST), then `handoff run --http` as the README runs it. The load is
`concurrency` clients sending signed plain logs back to back (wrk if installed, else
Python threads), then the load generator alone against a trivial endpoint (/healthz), whose
rate is the ceiling the server figures must stay well below to be the server's.

Throughput is counted two ways. In the burst (wrk, or Python threads, sending back to back):
acks a second, and commands saved and replied to (through the response_url) a second, from
the load's start to the last reply; a command Handoff told "busy" in its ack (its listener
backlog full, bot.app.LISTENER_BACKLOG) counts only as an ack, while the bare app queues every
command. Then reply-paced (Python threads): ``concurrency`` commands in flight, each until its
reply reached the stand-in, so every command is saved and replied to (or counted lost) — the
figure target 1 is about: Handoff's saved-and-replied rate ≥ 0.7× the bare app's, every
reply delivered, p99 ack ≤ 50 ms at 16 concurrent commands. The machine's load moves these
figures: compare the two in the same run, on a quiet machine.

    .venv/bin/python bench/ack_latency.py [--seconds 10] [--concurrency 16] [--workers 2]
        [--paced 2000] [--database URL]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import load
from bench.common import (
    MEMBERS,
    WORKERS,
    Load,
    free_port,
    handoff_http,
    log_command,
    scratch_database,
    serving,
)
from bot.console.local_slack import LocalSlack

BARE = str(Path(__file__).with_name("bare_bolt.py"))


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--seconds", type=float, default=10, help="each load's length (wrk)")
    args.add_argument(
        "--requests", type=int, default=2000, help="each load's size (Python generator)"
    )
    args.add_argument("--concurrency", type=int, default=16)
    args.add_argument(
        "--workers", type=int, default=WORKERS, help="processes of each server (default: cores)"
    )
    args.add_argument("--paced", type=int, default=2000, help="commands of each reply-paced load")
    args.add_argument("--python", action="store_true", help="the Python generator even with wrk")
    args.add_argument(
        "--database",
        help="a server's SQLAlchemy URL to make scratch databases on (default: SQLite files)",
    )
    opts = args.parse_args()
    use_wrk = load.WRK is not None and not opts.python

    def run(base: str, slack: LocalSlack, with_body: bool = True) -> Load:
        def body(i: int) -> tuple[str, str, str]:
            text, user = log_command(i)
            return text, user, slack.new_response_url()

        if use_wrk:
            return load.wrk(base, opts.concurrency, opts.seconds, body if with_body else None)
        return load.python_load(base, opts.concurrency, opts.requests, body if with_body else None)

    with LocalSlack(team_id="T1") as slack:
        kind = (opts.database or "sqlite").split(":")[0]
        print(
            f"ack path · {kind} · signed plain logs · {opts.concurrency} clients back to back · "
            f"{opts.workers} server processes each"
        )
        figures: dict[str, Load] = {}
        saved: dict[str, float] = {}
        paced: dict[str, load.Paced] = {}
        for name in ("bare", "handoff"):
            with server(name, slack, opts.database, opts.workers) as base:
                warm_up(base, slack)
                before = len(slack.responses())
                started = time.perf_counter()
                figures[name] = got = run(base, slack)
                delivered = wait_delivered(slack, before + got.requests) - before
                # The work runs after the ack: replies may trail the acks by a queue. A reply
                # through the response_url is sent once its entry is saved; a command refused
                # as busy is answered in its ack and counts only as an ack.
                replied = time.perf_counter() - started
                saved[name] = delivered / replied
                label = "bare Bolt app (the floor)" if name == "bare" else "handoff run --http"
                print(
                    f"  {label}: {got.rate:.0f} acks/s · p50 {got.p50_ms:.1f} ms · "
                    f"p99 {got.p99_ms:.1f} ms · {got.errors} errors · "
                    f"{delivered} saved and replied to of {got.requests} acked "
                    f"({max(0, got.requests - delivered)} told busy or lost), the last reply after "
                    f"{replied:.1f} s: {saved[name]:.0f} saved and replied a second"
                    + ("  [target: p99 ≤ 50 ms]" if name == "handoff" else "")
                )
                paced[name] = got_paced = paced_run(base, slack, opts.concurrency, opts.paced)
                print(
                    f"    reply-paced ({opts.concurrency} commands in flight, each until its reply): "
                    f"{got_paced.rate:.0f} saved and replied a second · "
                    f"{got_paced.delivered} of {opts.paced} replied · ack p50 "
                    f"{got_paced.acks.p50_ms:.1f} ms, p99 {got_paced.acks.p99_ms:.1f} ms · reply "
                    f"p50 {got_paced.reply_p50_ms:.1f} ms, p99 {got_paced.reply_p99_ms:.1f} ms"
                    + ("  [target: p99 ack ≤ 50 ms]" if name == "handoff" else "")
                )
                if name == "handoff":
                    ceiling = run(base, slack, with_body=False)
                    python_ceiling = load.python_load(base, opts.concurrency, opts.paced)
        ratio = figures["handoff"].rate / figures["bare"].rate
        print(f"  acks a second, handoff / bare: {ratio:.2f}×")
        print(
            "  saved and replied a second in the burst, handoff / bare: "
            f"{saved['handoff'] / saved['bare']:.2f}×  (Handoff tells commands past its backlog "
            "it is busy; the bare app queues them all)"
        )
        print(
            "  saved and replied a second, reply-paced, handoff / bare: "
            f"{paced['handoff'].rate / paced['bare'].rate:.2f}×  [target: ≥ 0.70×, every reply "
            "delivered]"
        )
        print(
            f"  load generator ({ceiling.tool}) alone, GET /healthz: {ceiling.rate:.0f} req/s · "
            f"p99 {ceiling.p99_ms:.1f} ms  [the ceiling: the figures above must stay below it]"
        )
        print(
            f"  Python generator alone (the reply-paced load's), GET /healthz: "
            f"{python_ceiling.rate:.0f} req/s · p99 {python_ceiling.p99_ms:.1f} ms  [its ceiling]"
        )


@contextmanager
def server(name: str, slack: LocalSlack, database: str | None, workers: int) -> Iterator[str]:
    port = free_port()
    with scratch_database(database) as url:
        if name == "bare":
            argv = [
                sys.executable,
                BARE,
                "--port",
                str(port),
                "--database",
                url,
                "--api",
                slack.api_url,
                "--workers",
                str(workers),
            ]
            env: dict[str, str] = {}
        else:
            argv, env = handoff_http(slack.api_url, url, port, workers)
        with serving(argv, port, env):
            yield f"http://127.0.0.1:{port}"


def paced_run(base: str, slack: LocalSlack, concurrency: int, requests: int) -> load.Paced:
    """Every command saved and replied to: ``concurrency`` in flight, each until its reply."""

    def body(i: int) -> tuple[str, str, str]:
        text, user = log_command(i)
        return text, user, slack.new_response_url()

    return load.paced_load(base, concurrency, requests, body, slack.replied)


def warm_up(base: str, slack: LocalSlack) -> None:
    """One command per member, one at a time: connections, profiles, statement caches."""
    before = len(slack.responses())

    def body(i: int) -> tuple[str, str, str]:
        text, user = log_command(i)
        return text, user, slack.new_response_url()

    load.python_load(base, 1, MEMBERS, body)
    wait_delivered(slack, before + MEMBERS)


def wait_delivered(slack: LocalSlack, expected: int, quiet_for: float = 10) -> int:
    """Replies received so far, once ``expected`` have come or none for ``quiet_for`` s."""
    seen, last_change = len(slack.responses()), time.monotonic()
    while seen < expected and time.monotonic() - last_change < quiet_for:
        time.sleep(0.2)
        now = len(slack.responses())
        if now != seen:
            seen, last_change = now, time.monotonic()
    return seen


if __name__ == "__main__":
    main()
