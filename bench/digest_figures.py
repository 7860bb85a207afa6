"""Target 3, the digest's figures: a scheduler round's digests against one GROUP BY (the floor).

Fills ``--workspaces`` workspaces (12 quoted tasks of mixed frequencies, 3 members and
``--entries`` entries each over the last 28 days: 1,000 × 1,000 = 1,000,000 entries by
default), then times, in one snapshot each:

- the floor: one hand-written ``GROUP BY`` over every workspace that yields each task's
  minutes and occurrences (distinct days) in the 28-day window;
- the figures: ``bot.services.digest.build_many`` for every workspace, as a scheduler round
  calls it: the 7 days' minutes per member, every task's assessment, the hand-off lines;
- for comparison, ``build`` called once per workspace (``--per-workspace``).

No Slack and no Block Kit: only the figures. Each time is the median of ``--repeats`` runs.
Target (issue #13): the figures in at most 2x the floor's time.

    .venv/bin/python bench/digest_figures.py [--workspaces 1000] [--entries 1000] [--database URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import distinct, func, insert, select

from bench.common import occurrence_quote, scratch_database, settle
from bot.db import migrate
from bot.db.engine import Database
from bot.db.models import Entry, Member, Task, TaskQuote, Workspace
from bot.economics import WINDOW_DAYS
from bot.gc_tuning import tune_for_serving
from bot.names import task_key
from bot.services import digest
from bot.services.scope import Scope

TASKS = ["newsletter", "podcast edit", "invoices", "client calls", "thumbnails", "ads"]
TASKS += [f"{t} (team)" for t in TASKS]
FREQUENCIES = ["weekly", "daily", None, "monthly"]
BATCH = 20_000


def fill(db: Database, workspaces: int, entries: int, today: date) -> list[int]:
    """The workspaces' ids, filled in bulk (a few statements per table, not per row)."""
    rng = random.Random(13)
    now = datetime.now(UTC)
    with db.engine.begin() as conn:
        conn.execute(
            insert(Workspace),
            [
                {
                    "team_id": f"T{w}",
                    "enterprise_id": "",
                    "currency": "USD",
                    "overhead_bp": 1000,
                    "last_entry_number": entries,
                    "created_at": now,
                }
                for w in range(workspaces)
            ],
        )
        ws_ids = list(conn.scalars(select(Workspace.id).order_by(Workspace.id)))
        conn.execute(
            insert(Member),
            [
                {
                    "workspace_id": ws_id,
                    "user_id": f"U{i}",
                    "rate_minor": 6000 + 1000 * i,
                    "is_admin": i == 0,
                    "created_at": now,
                }
                for ws_id in ws_ids
                for i in range(3)
            ],
        )
        conn.execute(
            insert(Task),
            [
                {
                    "workspace_id": ws_id,
                    "name": name,
                    "key": task_key(name),
                    "frequency": FREQUENCIES[i % len(FREQUENCIES)],
                    "is_core": i == 11,
                    "created_at": now,
                }
                for ws_id in ws_ids
                for i, name in enumerate(TASKS)
            ],
        )
        members: dict[int, list[int]] = {w: [] for w in ws_ids}
        for ws_id, member_id in conn.execute(select(Member.workspace_id, Member.id)):
            members[ws_id].append(member_id)
        tasks: dict[int, list[int]] = {w: [] for w in ws_ids}
        for ws_id, task_id in conn.execute(select(Task.workspace_id, Task.id)):
            tasks[ws_id].append(task_id)
        # Nine of the twelve tasks have a quote, per occurrence: candidates and keeps.
        conn.execute(
            insert(TaskQuote),
            [
                occurrence_quote(ws_id, task_id, 2000 + 500 * i, now)
                for ws_id in ws_ids
                for i, task_id in enumerate(tasks[ws_id])
                if i % 4
            ],
        )
        batch: list[dict[str, object]] = []
        for ws_id in ws_ids:
            for n in range(entries):
                batch.append(
                    {
                        "workspace_id": ws_id,
                        "task_id": rng.choice(tasks[ws_id]),
                        "member_id": rng.choice(members[ws_id]),
                        "number": n + 1,
                        "minutes": rng.randint(15, 180),
                        "day": today - timedelta(days=rng.randint(0, WINDOW_DAYS - 1)),
                        "created_at": now,
                    }
                )
                if len(batch) == BATCH:
                    conn.execute(insert(Entry), batch)
                    batch = []
        if batch:
            conn.execute(insert(Entry), batch)
    settle(db.engine)
    return ws_ids


def floor(db: Database, today: date) -> int:
    """One GROUP BY: every task's minutes and occurrences in the window, all workspaces."""
    with db.snapshot() as s:
        rows = s.execute(
            select(
                Entry.workspace_id,
                Entry.task_id,
                func.sum(Entry.minutes),
                func.count(distinct(Entry.day)),
            )
            .where(
                Entry.overhead.is_(False),
                Entry.day >= today - timedelta(days=WINDOW_DAYS - 1),
                Entry.day <= today,
            )
            .group_by(Entry.workspace_id, Entry.task_id)
        ).all()
    return len(rows)


def figures(db: Database, ws_ids: list[int], today: date) -> int:
    with db.snapshot() as s:
        built = digest.build_many(s, [(ws_id, today) for ws_id in ws_ids])
    return sum(len(d.hand_off) + len(d.get_quote) + len(d.keep) for d in built.values())


def per_workspace(db: Database, workspaces: int, today: date) -> int:
    n = 0
    with db.snapshot() as s:
        for w in range(workspaces):
            d = digest.build(s, Scope(f"T{w}"), today)
            n += len(d.hand_off) + len(d.get_quote) + len(d.keep)
    return n


def timed(fn: object, repeats: int, *args: object) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--workspaces", type=int, default=1000)
    args.add_argument("--entries", type=int, default=1000, help="per workspace")
    args.add_argument("--repeats", type=int, default=3)
    args.add_argument("--per-workspace", action="store_true", help="also time build() one by one")
    args.add_argument("--database", help="a server's SQLAlchemy URL (default: a SQLite file)")
    opts = args.parse_args()
    today = datetime.now(UTC).date()
    with scratch_database(opts.database) as url:
        migrate.upgrade(url)
        db = Database(url)
        started = time.perf_counter()
        ws_ids = fill(db, opts.workspaces, opts.entries, today)
        tune_for_serving()  # as `handoff run` and the scheduler are, once started
        loaded = time.perf_counter() - started
        rows = floor(db, today)  # warm: the first read also loads pages from disk
        shown = figures(db, ws_ids, today)
        base = timed(floor, opts.repeats, db, today)
        built = timed(figures, opts.repeats, db, ws_ids, today)
        one_by_one = (
            timed(per_workspace, 1, db, opts.workspaces, today) if opts.per_workspace else None
        )
        db.dispose()
    n, total = opts.workspaces, opts.workspaces * opts.entries
    print(
        f"digest figures · {url.split(':')[0]} · {n:,} workspaces, {total:,} entries "
        f"(loaded in {loaded:.0f} s): {rows:,} task rows, {shown:,} task lines"
    )
    print(f"  floor, one GROUP BY (median of {opts.repeats}): {base * 1000:.0f} ms")
    print(
        f"  figures, digest.build_many (median of {opts.repeats}): {built * 1000:.0f} ms · "
        f"{built / base:.1f}x the floor  [target: <= 2x]"
    )
    if one_by_one is not None:
        print(
            f"  figures, digest.build one workspace at a time: {one_by_one * 1000:.0f} ms · "
            f"{one_by_one / base:.1f}x the floor"
        )


if __name__ == "__main__":
    main()
