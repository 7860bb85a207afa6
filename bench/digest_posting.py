"""Target 5, posting digests: the scheduler's round for many workspaces, charts included.

Fills ``--workspaces`` workspaces (12 quoted weekly tasks, 3 members and ``--entries``
entries each, over the last 28 days), schedules each one's digest in its own channel, and
times one round of the scheduler's job (bot.jobs.digest.run_due) against the Slack
stand-in: each digest's figures, its Block Kit, chat.postMessage, and its chart rendered
and uploaded in the thread (from POOL_MIN_CHARTS digests a round, drawn in a process pool
beside the posting: bot.jobs.digest). A chart alone is timed apart (the median of 50). The
CPU time (chart processes included) and the load average are printed too: on a shared
machine the wall clock mostly says how much of the CPU the round got.
Target (issue #13): 1,000 digests in under 60 s on this machine.

    .venv/bin/python bench/digest_posting.py [--workspaces 1000] [--entries 100] [--database URL]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from slack_sdk import WebClient
from sqlalchemy import func, insert, select, update

from bench.common import occurrence_quote, scratch_database, settle
from bot.console.local_slack import LocalSlack
from bot.db import migrate
from bot.db.engine import Database
from bot.db.models import DigestRun, DigestSchedule, Entry, Member, Task, TaskQuote, Workspace
from bot.gc_tuning import tune_for_serving
from bot.jobs.digest import run_due
from bot.names import task_key
from bot.services import digest as service
from bot.services.scope import Scope
from bot.views.digest_chart import cost_chart

TASKS = ["newsletter", "podcast edit", "invoices", "client calls", "thumbnails", "ads"]
TASKS += [f"{t} (team)" for t in TASKS]


def fill(db: Database, workspaces: int, entries: int, now: datetime) -> None:
    rng = random.Random(13)
    today = now.date()
    with db.engine.begin() as conn:
        for w in range(workspaces):
            ws_id = conn.execute(
                insert(Workspace)
                .values(
                    team_id=f"T{w}",
                    enterprise_id="",
                    currency="USD",
                    overhead_bp=1000,
                    last_entry_number=entries,
                    created_at=now,
                )
                .returning(Workspace.id)
            ).scalar_one()
            members = [
                conn.execute(
                    insert(Member)
                    .values(
                        workspace_id=ws_id,
                        user_id=f"U{i}",
                        rate_minor=6000 + 1000 * i,
                        is_admin=i == 0,
                        created_at=now,
                    )
                    .returning(Member.id)
                ).scalar_one()
                for i in range(3)
            ]
            tasks = [
                conn.execute(
                    insert(Task)
                    .values(
                        workspace_id=ws_id,
                        name=name,
                        key=task_key(name),
                        frequency="weekly",
                        is_core=False,
                        created_at=now,
                    )
                    .returning(Task.id)
                ).scalar_one()
                for name in TASKS
            ]
            # Each task's shortlist: one unnamed quote a time it is done.
            conn.execute(
                insert(TaskQuote),
                [
                    occurrence_quote(ws_id, task_id, 2000 + 500 * i, now)
                    for i, task_id in enumerate(tasks)
                ],
            )
            conn.execute(
                insert(Entry),
                [
                    {
                        "workspace_id": ws_id,
                        "task_id": rng.choice(tasks),
                        "member_id": rng.choice(members),
                        "number": n + 1,
                        "minutes": rng.randint(15, 180),
                        "day": today - timedelta(days=rng.randint(0, 27)),
                        "created_at": now,
                    }
                    for n in range(entries)
                ],
            )
    for w in range(workspaces):
        with db.transaction() as s:
            service.configure(
                s,
                Scope(f"T{w}"),
                "U0",
                f"C{w}",
                now.weekday(),
                now.time(),
                "UTC",
                now - timedelta(minutes=1),
            )
    with db.transaction() as s:
        s.execute(update(DigestSchedule).values(next_run_at=now))


def cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the round's chart
    processes, shut down with the round): on a shared machine a steadier figure than the
    wall clock."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--workspaces", type=int, default=1000)
    args.add_argument("--entries", type=int, default=100, help="per workspace")
    args.add_argument("--database", help="a server's SQLAlchemy URL (default: a SQLite file)")
    opts = args.parse_args()
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with LocalSlack(team_id="T0") as slack, scratch_database(opts.database) as url:
        migrate.upgrade(url)
        db = Database(url)
        fill(db, opts.workspaces, opts.entries, now)
        settle(db.engine)
        tune_for_serving()  # as `handoff run` and the scheduler are, once started
        client = WebClient(token="xoxb-bench", base_url=slack.api_url)  # noqa: S106

        with db.snapshot() as s:
            content = service.build(s, Scope("T0"), now.date())
        cost_chart(content)  # matplotlib imported and its fonts loaded: not a digest's cost
        times = []
        for _ in range(50):
            started = time.perf_counter()
            cost_chart(content)
            times.append(time.perf_counter() - started)

        load = os.getloadavg()[0]
        cpu = cpu_seconds()
        started = time.perf_counter()
        posted = run_due(db, client, now)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu
        load = max(load, os.getloadavg()[0])
        uploads = len(slack.api_calls("files.completeUploadExternal"))
        with db.transaction() as s:
            recorded = s.scalar(
                select(func.count()).select_from(DigestRun).where(DigestRun.status == "posted")
            )
        db.dispose()
    n = opts.workspaces
    print(
        f"digest posting · {(opts.database or 'sqlite').split(':')[0]} · {n:,} workspaces × "
        f"{opts.entries} entries: {posted:,} digests posted ({recorded:,} recorded, "
        f"{uploads:,} charts) in {seconds:.1f} s, {seconds / max(posted, 1) * 1000:.0f} ms "
        f"each ({seconds / max(posted, 1) * 1000:.0f} s per 1,000)  [target: 1,000 under 60 s]"
    )
    print(f"  one chart (median of 50): {statistics.median(times) * 1000:.0f} ms")
    print(
        f"  CPU: {cpu:.1f} s, {cpu / max(posted, 1) * 1000:.0f} ms a digest (this process, the "
        "Slack stand-in's threads included, and its chart processes)"
    )
    # The machine's other work takes CPU from the round: say how much there was.
    print(
        f"  load average (1 min, the higher of before and after the round): {load:.1f} on {os.cpu_count()} cores"
    )


if __name__ == "__main__":
    main()
