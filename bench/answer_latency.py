"""How long does "should I outsource X?" take in a big workspace?

Fills one workspace with 10,000 tasks and 1,000,000 time entries (5 members, 90 days), then
times the whole answer path a DM goes through — parse the question, find the task (fuzzy),
SQL aggregates, the money math, Block Kit — for exact names, typos, plurals and unknown
names, and separately for "what should I outsource?", which assesses every task.

    .venv/bin/python bench/answer_latency.py                      # SQLite file
    .venv/bin/python bench/answer_latency.py --database postgresql+psycopg://postgres@127.0.0.1/test
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

from sqlalchemy import insert, text, update

from bench.common import occurrence_quote, percentile, scratch_database, settle
from bot.db import migrate
from bot.db.engine import Database
from bot.db.models import Entry, Member, Task, TaskQuote, Workspace
from bot.gc_tuning import tune_for_serving
from bot.names import task_key
from bot.parse.question import AboutTask, Maybe, WhatToHandOff, parse_question
from bot.services import analysis, questions
from bot.services.scope import Scope
from bot.views import answers
from bot.views import logtask as logtask_views

WORDS = [
    "write",
    "edit",
    "publish",
    "review",
    "schedule",
    "design",
    "record",
    "draft",
    "update",
    "send",
    "plan",
    "research",
    "newsletter",
    "blog",
    "podcast",
    "video",
    "invoice",
    "report",
    "thumbnail",
    "email",
    "outreach",
    "ad",
    "campaign",
    "landing",
    "page",
    "seo",
    "audit",
    "social",
    "post",
    "client",
    "onboarding",
    "bookkeeping",
    "payroll",
    "support",
    "ticket",
]
SCOPE = Scope("TBENCH")
TODAY = date(2026, 11, 23)


def task_names(n: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add(" ".join(rng.sample(WORDS, 3)) + f" {len(names)}")
    return sorted(names)


def fill(db: Database, tasks: int, entries: int, rng: random.Random) -> list[str]:
    now = datetime.now(UTC)
    names = task_names(tasks, rng)
    with db.engine.begin() as conn:
        ws_id = conn.execute(
            insert(Workspace)
            .values(
                team_id=SCOPE.team_id,
                enterprise_id="",
                currency="USD",
                overhead_bp=1000,
                created_at=now,
            )
            .returning(Workspace.id)
        ).scalar_one()
        member_ids = [
            conn.execute(
                insert(Member)
                .values(
                    workspace_id=ws_id,
                    user_id=f"U{i}",
                    rate_minor=6000 + 1000 * i,
                    is_admin=False,
                    created_at=now,
                )
                .returning(Member.id)
            ).scalar_one()
            for i in range(5)
        ]
        freqs = ["weekly", "daily", "monthly", None, "weekdays"]
        conn.execute(
            insert(Task),
            [
                {
                    "workspace_id": ws_id,
                    "name": n,
                    "key": task_key(n),
                    "frequency": freqs[i % 5],
                    "is_core": i % 50 == 0,
                    "created_at": now,
                }
                for i, n in enumerate(names)
            ],
        )
        task_ids = [row[0] for row in conn.execute(text("SELECT id FROM task ORDER BY id"))]
        # Two of every three tasks have a quote on their shortlist (unnamed).
        conn.execute(
            insert(TaskQuote),
            [
                occurrence_quote(ws_id, task_id, 3000 + (i % 7) * 1000, now)
                for i, task_id in enumerate(task_ids)
                if i % 3
            ],
        )
        batch = []
        for number in range(1, entries + 1):
            batch.append(
                {
                    "workspace_id": ws_id,
                    "task_id": rng.choice(task_ids),
                    "member_id": rng.choice(member_ids),
                    "number": number,
                    "minutes": rng.randint(10, 180),
                    "day": TODAY - timedelta(days=rng.randint(0, 89)),
                    "created_at": now,
                }
            )
            if len(batch) == 20_000:
                conn.execute(insert(Entry), batch)
                batch = []
        if batch:
            conn.execute(insert(Entry), batch)
        conn.execute(update(Workspace).values(last_entry_number=entries))
    settle(db.engine)
    return names


def answer(db: Database, question: str) -> float:
    """A DM's path (bot/listeners/messages.py): parse, one snapshot, the service, Block Kit."""
    started = time.perf_counter()
    asked = parse_question(question)
    with db.snapshot() as s:
        match asked:
            case WhatToHandOff():
                answers.render(questions.top(s, SCOPE, TODAY))
            case AboutTask(task=name):
                answers.render(questions.about(s, SCOPE, name, TODAY))
            case Maybe(text=name):
                answers.render(questions.about(s, SCOPE, name, TODAY, asked=False))
            case _:
                raise AssertionError(f"not a question this benchmark asks: {question!r}")
    return (time.perf_counter() - started) * 1000


def report(db: Database) -> float:
    """`/logtask report`'s path (bot/listeners/logtask.py): the service and Block Kit."""
    started = time.perf_counter()
    with db.snapshot() as s:
        logtask_views.report(analysis.report(s, SCOPE, TODAY))
    return (time.perf_counter() - started) * 1000


def typo(name: str, rng: random.Random) -> str:
    word = max(name.split()[:-1], key=len)
    i = rng.randrange(1, len(word) - 1)
    return name.replace(word, word[:i] + word[i + 1 :], 1)


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument(
        "--database", help="SQLAlchemy URL of a server to create a scratch database on"
    )
    args.add_argument("--tasks", type=int, default=10_000)
    args.add_argument("--entries", type=int, default=1_000_000)
    args.add_argument("--questions", type=int, default=300)
    args.add_argument("--repeats", type=int, default=10, help="of each whole-workspace answer")
    opts = args.parse_args()
    rng = random.Random(7)

    with scratch_database(opts.database) as url:
        migrate.upgrade(url)
        db = Database(url)
        started = time.perf_counter()
        names = fill(db, opts.tasks, opts.entries, rng)
        tune_for_serving()  # as `handoff run` and the scheduler are, once started
        print(
            f"{url.split(':')[0]}: {opts.tasks:,} tasks, {opts.entries:,} entries loaded in {time.perf_counter() - started:.0f} s"
        )

        asks = []
        for i in range(opts.questions):
            name = rng.choice(names)
            asks.append(
                [
                    f"should I outsource {name}?",
                    f"is it worth outsourcing the {typo(name, rng)}?",
                    f"what about {name}s",
                    f"should I outsource quantum gardening {i}?",
                ][i % 4]
            )
        for q in asks[:10]:
            answer(db, q)  # warm caches
        ms = [answer(db, q) for q in asks]
        print(
            f"  one task ({len(ms)} questions: exact, typo, plural, unknown): p50 {percentile(ms, 50):.1f} ms · "
            f"p99 {percentile(ms, 99):.1f} ms · max {max(ms):.1f} ms · mean {statistics.mean(ms):.1f} ms"
            "  [target: p99 ≤ 100 ms]"
        )
        top = [answer(db, "what should I outsource?") for _ in range(opts.repeats)]
        print(
            f"  “what should I outsource?” over all {opts.tasks:,} tasks: p50 {percentile(top, 50):.0f} ms · "
            f"p99 {percentile(top, 99):.0f} ms · max {max(top):.0f} ms  [target: p99 ≤ 300 ms]"
        )
        whole = [report(db) for _ in range(opts.repeats)]
        print(
            f"  /logtask report over all {opts.tasks:,} tasks: p50 {percentile(whole, 50):.0f} ms · "
            f"p99 {percentile(whole, 99):.0f} ms · max {max(whole):.0f} ms  [target: p99 ≤ 300 ms]"
        )
        db.dispose()


if __name__ == "__main__":
    main()
