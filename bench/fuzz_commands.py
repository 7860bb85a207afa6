"""Does every /logtask command get a clear answer or a clear refusal?

Starts the bot in this process — waitress on loopback, the Slack stand-in, a migrated scratch
database — and sends it N signed /logtask commands from a seeded generator: commands from the
README's grammar, mutations of them (typos, swapped or missing words) and hostile text
(mentions, links, control characters, 3,000–10,000-character words, 40-digit numbers, 10,000
digits after `overhead`, over-long quote units, unicode, unbalanced quotes). Every reply on the
response_url is classified and one line per class is printed, with example inputs for the
failing ones:

- HTTP status other than 200; no reply within 15 s;
- the generic "Sorry — something went wrong on my side" instead of an answer or a refusal;
- live markup in the reply (``<!…``, ``<@…``, ``<http…``, any ``<scheme:…``, a ``<#…>``
  other than the bare channel links ``<#C123>`` the digest replies use): echoed input
  that would ping or link;
- a refusal (``:warning:…``) or a "Sorry, nothing was saved" after which the workspace has more
  or fewer tasks or entries: every sender has a workspace of its own and waits for each reply
  before the next command, so the counts are attributable;
- Block Kit over Slack's limits: a section or context text over 3,000 characters, a header over
  150, more than 50 blocks.

    .venv/bin/python bench/fuzz_commands.py [--commands 10000] [--seed 1] [--concurrency 6]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/test]

With PYTHONPATH set, the bot (and tests/support) come from there, so the same script measures
another checkout: ``cd /tmp/old && PYTHONPATH=/tmp/old .venv/bin/python bench/fuzz_commands.py``.
It prints which ``bot`` it imported. Benchmarks assert nothing: the exit code is always 0.
"""

from __future__ import annotations

import argparse
import inspect
import logging
import os
import random
import re
import string
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
if os.environ.get("PYTHONPATH"):
    # PYTHONPATH names the checkout to measure: this repository only fills in what it lacks.
    sys.path.append(str(ROOT))
else:
    sys.path.insert(0, str(ROOT))

try:
    import bot
    from bench.common import scratch_database
    from bot.app import create_app
    from bot.console.local_slack import Call, LocalSlack
    from bot.db import migrate
    from bot.db.engine import Database
    from bot.server import make_server, shutdown
    from bot.settings import Settings
    from tests.support.slack_sim import SlackSim, flatten
except ImportError as missing:
    raise SystemExit(
        f"fuzz_commands.py needs bot.app.create_app, bot.server.make_server/shutdown, "
        f"bot.console.local_slack.LocalSlack, bot.settings.Settings, bot.db.migrate and "
        f"tests.support.slack_sim: {missing}"
    ) from None

SECRET = "fuzz-secret"  # noqa: S105  (signs requests to a server in this process only)
REPLY_TIMEOUT = 15.0
USERS_PER_SENDER = 3
SORRY_MARK = "something went wrong on my side"
# Markup Slack acts on: specials (<!channel>), mentions (<@U1>), links (<https://…|x>,
# <mailto:…>) and channel links. The digest replies name channels as bare <#C123>: allowed.
LIVE_MARKUP = re.compile(r"<(?:[!@]|#(?![CG][A-Z0-9]+>)|[A-Za-z][A-Za-z0-9+.-]*:)")
MAX_TEXT = 3000
MAX_HEADER = 150
MAX_BLOCKS = 50

FAILURES = {
    "http": "HTTP status != 200",
    "no_reply": f"no reply within {REPLY_TIMEOUT:.0f} s",
    "sorry": "generic “Sorry — something went wrong”",
    "markup": "live markup in the reply (<! <@ <# <http…)",
    "saved_refused": "refusal, yet tasks/entries changed",
    "saved_sorry": "“nothing was saved”, yet tasks/entries changed",
    "oversize": "Block Kit over Slack's limits",
    "several": "more than one reply to one command",
}


# ---- the commands ------------------------------------------------------------------------

TASKS = [
    "write newsletter",
    "podcast edit",
    "bookkeeping",
    "client strategy calls",
    "social media posts",
    "invoice run",
    "seo audit",
    "record video",
    "customer support inbox",
    "design thumbnails",
]
DURATIONS = [
    "30m",
    "45m",
    "90m",
    "90 min",
    "1h",
    "1.5h",
    "1,5h",
    "1h30m",
    "1h 30m",
    "1 hr 30 mins",
    "2 hours",
    "1:30",
    "2",
    "15 minutes",
    "24h",
]
FREQUENCIES = [
    "daily",
    "weekdays",
    "weekly",
    "biweekly",
    "fortnightly",
    "monthly",
    "quarterly",
    "once",
    "one-off",
]
DAYS = ["today", "yesterday", "monday", "on friday", "sunday", "2026-11-20", "2026-01-05"]
CATEGORIES = ["#content", "#admin", "#ops", "#sales"]
AMOUNTS = ["85", "$85", "85.50", "$1,200", "1200 USD", "€40", "40 EUR", "$60", "$0.99"]
RATE_UNITS = ["/h", "/hr", " per hour", " an hour", ""]
QUOTE_UNITS = ["/post", "/each", "/task", "/h", "/week", "/month", "/video", " per hour", ""]
PROVIDERS = ["Jane", "Acme Ltd", "a Fiverr freelancer", "Bob &amp; Co"]  # Slack sends & as &amp;
CURRENCIES = ["USD", "EUR", "GBP", "JPY", "usd"]
DIGESTS = [
    "digest",
    "digest preview",
    "digest here",
    "digest here friday 16:00",
    "digest <#C1|general> monday 09:00",
    "digest off",
]
JUNK_WORDS = ["asdf", "per", "from", "/", "$", "%", "#", "h", "none", "on", "the", "-1", "0"]

# What Slack sends for mentions and links, and typed text that looks like them (escaped).
MARKUP = [
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!here|here>",
    "<@U123ABC>",
    "<@U123ABC|bob>",
    "<#C999|secret>",
    "<!subteam^S123|@team>",
    "<https://evil.example/login|Jane>",
    "<https://evil.example>",
    "<mailto:a@evil.example|Jane>",
    "&amp;",
    "&lt;!channel&gt;",
    "&lt;@U123ABC&gt;",
    "&lt;https://evil.example|click&gt;",
    "&lt;script&gt;",
    "&amp;lt;!channel&amp;gt;",
    "*bold*",
    "`code`",
    "~strike~",
    "_it_",
    "> quote",
]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9f"]
UNICODE = [
    "écrire l'infolettre",
    "写新闻稿",
    "🚀 launch",
    "ｒａｔｅ",
    "١٢٣",
    "e\u0301te\u0301",
    "\u202eevil",
    "\u200b",
    "\ufeffbom",
    "ﬁle taxes",
    "İstanbul trip",
    "straße",
    "ΣΑΣ",
    "\u3000",
    "１h",
    "👩‍👩‍👧‍👦 family",
]
UNBALANCED = [
    '"top 10 list 45m',
    "“smart quotes 1h",
    "”reversed“ 1h",
    'write "news letter 1h',
    '"a" "b" 1h',
    '"" 1h',
    '""',
    "'single 1h",
    '"quote" 45m "extra"',
    '"unclosed',
]


@dataclass(frozen=True)
class Job:
    kind: str  # which generator made it, to say what fails
    text: str
    user: int  # index among the sender's users


class Commands:
    """A seeded stream of /logtask texts: valid, mutated and hostile."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def next(self) -> tuple[str, str]:
        r = self.rng.random()
        if r < 0.45:
            return self.valid()
        if r < 0.70:
            kind, cmd = self.valid()
            return "mutated " + kind, self.mutate(cmd)
        return self.hostile()

    # -- valid ------------------------------------------------------------------------------

    def valid(self) -> tuple[str, str]:
        rng = self.rng
        makers: list[tuple[str, int, Callable[[], str]]] = [
            ("log", 35, self.log),
            ("rate", 6, lambda: f"rate {rng.choice(AMOUNTS)}{rng.choice(RATE_UNITS)}"),
            ("rate", 1, lambda: "rate"),
            ("quote", 12, self.quote),
            ("freq", 5, lambda: f"freq {self.task()} {rng.choice(FREQUENCIES)}"),
            ("core", 4, lambda: f"{rng.choice(['core', 'notcore'])} {self.task()}"),
            ("report", 6, lambda: rng.choice(["report", "list"])),
            ("should", 8, lambda: f"should {self.task()}"),
            ("history", 3, lambda: "history"),
            ("undo", 3, lambda: "undo"),
            ("overhead", 4, lambda: rng.choice(["overhead", "overhead 15%", "overhead 7.5"])),
            ("currency", 2, lambda: rng.choice(["currency", f"currency {rng.choice(CURRENCIES)}"])),
            ("help", 2, lambda: rng.choice(["help", "", "  "])),
            ("digest", 5, lambda: rng.choice(DIGESTS)),
        ]
        kind, _, make = rng.choices(makers, weights=[w for _, w, _ in makers])[0]
        return kind, make()

    def task(self) -> str:
        return self.rng.choice(TASKS)

    def log(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            parts = [f'"{rng.choice(["top 10 list", "report card", "rate review"])}"']
        else:
            parts = [self.task()]
        parts.append(rng.choice(DURATIONS))
        for pool in (FREQUENCIES, CATEGORIES, DAYS):
            if rng.random() < 0.3:
                parts.append(rng.choice(pool))
        return " ".join(parts)

    def quote(self) -> str:
        rng = self.rng
        if rng.random() < 0.1:
            return f"quote {self.task()} none"
        q = f"quote {self.task()} {rng.choice(AMOUNTS)}{rng.choice(QUOTE_UNITS)}"
        return q + (f" from {rng.choice(PROVIDERS)}" if rng.random() < 0.5 else "")

    # -- mutated ----------------------------------------------------------------------------

    def mutate(self, cmd: str) -> str:
        rng = self.rng
        words = cmd.split() or [""]
        for _ in range(rng.randint(1, 2)):
            i = rng.randrange(len(words))
            op = rng.randrange(7)
            if op == 0 and words[i]:  # a typo: a letter dropped, doubled, swapped or wrong
                w, j = words[i], rng.randrange(len(words[i]))
                words[i] = rng.choice(
                    [
                        w[:j] + w[j + 1 :],
                        w[:j] + w[j] + w[j:],
                        w[:j] + w[j + 1 : j + 2] + w[j : j + 1] + w[j + 2 :],
                        w[:j] + rng.choice(string.ascii_lowercase) + w[j + 1 :],
                    ]
                )
            elif op == 1 and len(words) > 1:
                j = rng.randrange(len(words))
                words[i], words[j] = words[j], words[i]
            elif op == 2 and len(words) > 1:
                del words[i]
            elif op == 3:
                words.insert(i, words[i])
            elif op == 4:
                words.insert(rng.randrange(len(words) + 1), rng.choice(JUNK_WORDS))
            elif op == 5:
                words = words[:-1] or words
            else:
                words[i] = words[i].upper()
        return " ".join(words)

    # -- hostile ----------------------------------------------------------------------------

    def digits(self, n: int) -> str:
        return str(self.rng.randint(1, 9)) + "".join(self.rng.choices(string.digits, k=n - 1))

    def long_word(self) -> str:
        rng = self.rng
        n = rng.randint(3000, 10000)
        unit = rng.choice(["a", "ab", "<!channel>", "&amp;", "é", "🚀", "x y ", "9"])
        return (unit * (n // len(unit) + 1))[:n]

    def hostile_token(self) -> tuple[str, str]:
        rng = self.rng
        pick = rng.randrange(6)
        if pick == 0:
            return "markup", rng.choice(MARKUP)
        if pick == 1:
            word = rng.choice(["write", "news", "x", ""])
            j = rng.randint(0, len(word))
            return "control", word[:j] + rng.choice(CONTROLS) + word[j:]
        if pick == 2:
            return "long word", self.long_word()
        if pick == 3:
            return "huge number", self.digits(rng.randint(40, 60))
        if pick == 4:
            return "unicode", rng.choice(UNICODE)
        return "quotes", rng.choice(['"', "“", "”", '"x', "x”"])

    def hostile(self) -> tuple[str, str]:
        rng = self.rng
        r = rng.random()
        task = self.task()
        if r < 0.04:
            return "overhead 10,000 digits", f"overhead {self.digits(10_000)}"
        if r < 0.10:
            n = rng.randint(40, 60)
            return "huge number", rng.choice(
                [
                    f"rate {self.digits(n)}",
                    f"rate ${self.digits(n)}/h",
                    f"overhead {self.digits(n)}%",
                    f"quote {task} ${self.digits(n)}/post",
                    f"{task} {self.digits(n)}h",
                    f"{task} {self.digits(n)}m",
                    f"{task} 1h {self.digits(n)}",
                    f"{task} 1h 2026-11-{self.digits(n)}",
                ]
            )
        if r < 0.15:
            letters = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(25, 60)))
            return "long quote unit", f"quote {task} $5/{letters}"
        if r < 0.22:
            return "unbalanced quotes", rng.choice(UNBALANCED)
        if r < 0.30:
            cmd = self.valid()[1]
            j = rng.randint(0, len(cmd))
            return "control", cmd[:j] + rng.choice(CONTROLS) + cmd[j:]
        kind, tok = self.hostile_token()
        template = rng.choice(
            [
                "{t}",
                "{t} 1h",
                "write {t} 30m weekly",
                '"{t}" 45m',
                "{task} 1h #{t}",
                "{task} {t}",
                "{task} 1h {t}",
                "rate {t}",
                "rate $80/{t}",
                "quote {task} $60/post from {t}",
                "quote {t} $60/post",
                "quote {task} $5/{t}",
                "quote {task} {t}",
                "freq {t} weekly",
                "freq {task} {t}",
                "core {t}",
                "should {t}",
                "report {t}",
                "history {t}",
                "overhead {t}",
                "currency {t}",
                "digest {t}",
                "digest here {t}",
                "{t} {t} {t}",
            ]
        )
        return kind, template.format(t=tok, task=task)


# ---- replies -----------------------------------------------------------------------------


class Replies:
    """Every response_url post the stand-in receives, by response_url, taken as they come."""

    def __init__(self, slack: LocalSlack) -> None:
        self._slack = slack
        self._cond = threading.Condition()
        self._first: dict[str, dict[str, Any]] = {}
        self.count: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replies", daemon=True)
        self._thread.start()

    def _take(self) -> list[Call] | None:
        # wait_for runs this under the stand-in's lock, so emptying its record here is safe;
        # otherwise every wait rescans every call of a 10,000-command run.
        calls = list(self._slack.calls)
        self._slack.forget_calls()
        return calls or None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                calls = self._slack.wait_for(self._take, timeout=0.5)
            except TimeoutError:
                continue
            with self._cond:
                for c in calls:
                    if c.kind == "respond":
                        self.count[c.method] += 1
                        if self.count[c.method] == 1:
                            self._first[c.method] = c.params
                self._cond.notify_all()

    def wait(self, url: str, timeout: float) -> dict[str, Any] | None:
        key = url.rsplit("/", 1)[-1]
        with self._cond:
            self._cond.wait_for(lambda: key in self._first, timeout)
            return self._first.pop(key, None)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)


# ---- classifying -------------------------------------------------------------------------


@dataclass
class Outcome:
    job: Job
    status: int
    reply: dict[str, Any] | None
    rows_changed: bool
    url: str
    classes: list[str] = field(default_factory=list)


def texts(reply: dict[str, Any]) -> list[str]:
    """The fallback and the first block's text: where a reply says what it is."""
    out = [str(reply.get("text") or "")]
    blocks = reply.get("blocks") or []
    if isinstance(blocks, list) and blocks and isinstance(blocks[0], dict):
        t = blocks[0].get("text")
        if isinstance(t, dict):
            out.append(str(t.get("text") or ""))
    return out


def over_limits(reply: dict[str, Any]) -> bool:
    blocks = reply.get("blocks") or []
    if not isinstance(blocks, list):
        return False
    if len(blocks) > MAX_BLOCKS:
        return True
    for b in blocks:
        if not isinstance(b, dict):
            continue
        t = b.get("text")
        size = len(str(t.get("text", ""))) if isinstance(t, dict) else 0
        if size > (MAX_HEADER if b.get("type") == "header" else MAX_TEXT):
            return True
        for e in b.get("elements") or []:
            if isinstance(e, dict) and len(str(e.get("text", ""))) > MAX_TEXT:
                return True
    return False


def classify(o: Outcome) -> list[str]:
    if o.status != 200:
        return ["http"]
    if o.reply is None:
        return ["no_reply"]
    whole = flatten(o.reply)
    out = []
    if SORRY_MARK in whole:
        out.append("sorry")
        if o.rows_changed:
            out.append("saved_sorry")
    if o.rows_changed and any(t.startswith(":warning:") for t in texts(o.reply)):
        out.append("saved_refused")
    if LIVE_MARKUP.search(whole):
        out.append("markup")
    if over_limits(o.reply):
        out.append("oversize")
    return out


# ---- running -----------------------------------------------------------------------------

ROW_COUNTS = text(
    "SELECT (SELECT count(*) FROM task t JOIN workspace w ON w.id = t.workspace_id"
    " WHERE w.team_id = :team),"
    " (SELECT count(*) FROM entry e JOIN workspace w ON w.id = e.workspace_id"
    " WHERE w.team_id = :team)"
)


def row_counts(engine: Engine, team: str) -> tuple[int, int]:
    with engine.connect() as conn:
        tasks, entries = conn.execute(ROW_COUNTS, {"team": team}).one()
    return int(tasks), int(entries)


def send_all(
    sim: SlackSim, replies: Replies, counts: Engine, team: str, jobs: list[Job]
) -> list[Outcome]:
    """One sender: its own workspace, its users, one command at a time."""
    outcomes = []
    last = row_counts(counts, team)
    for job in jobs:
        user = f"U{team[2:]}X{job.user}"
        try:
            result, url = sim.send_command(job.text, user=user, team=team)
            status = result.status
        except OSError:
            status, url = 0, ""
        reply = replies.wait(url, REPLY_TIMEOUT) if status == 200 else None
        now = row_counts(counts, team)
        outcomes.append(Outcome(job, status, reply, now != last, url))
        last = now
    return outcomes


class Log(logging.Handler):
    """Keeps the bot's log off the screen, counting the failures it reports."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.errors: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[1] is not None:
            e = record.exc_info[1]
            self.errors[f"{type(e).__module__}.{type(e).__name__}: {str(e)[:90]!r}"] += 1


def check_api() -> None:
    """Fail clearly if this checkout's bot no longer has what the script calls."""
    wanted: list[tuple[Callable[..., Any], set[str]]] = [
        (create_app, {"settings", "db", "executor"}),
        (make_server, {"app", "db", "host", "port"}),
        (Settings, {"slack_bot_token", "slack_signing_secret", "database_url", "slack_api_url"}),
        (LocalSlack, {"team_id"}),
    ]
    for fn, params in wanted:
        missing = params - set(inspect.signature(fn).parameters)
        if missing:
            raise SystemExit(f"{fn.__module__}.{fn.__qualname__} no longer takes {sorted(missing)}")
    for name in ("new_response_url", "add_channel", "wait_for"):
        if not hasattr(LocalSlack, name):
            raise SystemExit(f"LocalSlack has no {name} any more")


def fuzz(url: str, n: int, seed: int, concurrency: int) -> None:
    migrate.upgrade(url)
    gen = Commands(seed)
    jobs: list[list[Job]] = [[] for _ in range(concurrency)]
    for i in range(n):
        kind, cmd = gen.next()
        jobs[i % concurrency].append(Job(kind, cmd, gen.rng.randrange(USERS_PER_SENDER)))

    slack = LocalSlack(team_id="T1").start()
    slack.add_channel("C1", "general", is_member=True)
    db = Database(url)
    settings = Settings(
        slack_bot_token="xoxb-fuzz",  # noqa: S106  (the stand-in accepts any token)
        slack_signing_secret=SECRET,
        database_url=url,
        slack_api_url=slack.api_url,
    )
    listeners = ThreadPoolExecutor(4, thread_name_prefix="listener")
    app = create_app(settings, db=db, executor=listeners)
    server = make_server(app, db, host="127.0.0.1", port=0, asyncore_loop_timeout=0.05)
    serving = threading.Thread(target=server.run, daemon=True)
    serving.start()
    replies = Replies(slack)
    counts = create_engine(url, pool_size=concurrency)
    sim = SlackSim(f"http://127.0.0.1:{server.effective_port}", SECRET, slack, executor=None)  # type: ignore[arg-type]
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as senders:
            teams = [f"TF{i}" for i in range(concurrency)]
            parts = senders.map(lambda t, j: send_all(sim, replies, counts, t, j), teams, jobs)
            outcomes = [o for part in parts for o in part]
        seconds = time.perf_counter() - started
        time.sleep(1)  # a second reply to any command would have come by now
    finally:
        replies.stop()
        shutdown(server)
        serving.join(timeout=5)
        listeners.shutdown(wait=True)
        slack.stop()
        counts.dispose()
        db.dispose()
    for o in outcomes:
        o.classes = classify(o)
        if o.url and replies.count[o.url.rsplit("/", 1)[-1]] > 1:
            o.classes.append("several")
    report(outcomes, url, seed, concurrency, seconds)


def report(outcomes: list[Outcome], url: str, seed: int, concurrency: int, seconds: float) -> None:
    n = len(outcomes)
    print(
        f"fuzz /logtask · {url.split(':')[0]} · seed {seed} · {n:,} commands · "
        f"{concurrency} senders × {USERS_PER_SENDER} users · {seconds:.1f} s · {n / seconds:.1f} commands/s"
    )
    clean = [o for o in outcomes if not o.classes and o.reply is not None]
    refused = sum(any(t.startswith(":warning:") for t in texts(o.reply or {})) for o in clean)
    print(f"  {'answered':<48}{len(clean) - refused:>7,}")
    print(f"  {'refused clearly (:warning:)':<48}{refused:>7,}")
    for cls, label in FAILURES.items():
        hit = [o for o in outcomes if cls in o.classes]
        kinds = Counter(o.job.kind for o in hit).most_common(6)
        by = "  (" + ", ".join(f"{k} {c}" for k, c in kinds) + ")" if hit else ""
        print(f"  {label:<48}{len(hit):>7,}{by}")
    print(f"  {'total':<48}{n:>7,}")
    for cls, label in FAILURES.items():
        hit = [o for o in outcomes if cls in o.classes]
        if hit:
            print(f"examples · {label}:")
            for o in examples(hit, 10):
                print(f"    {shown(o.job.text)}   [{o.job.kind}]{detail(cls, o)}")


def examples(hit: list[Outcome], k: int) -> list[Outcome]:
    """Up to ``k`` distinct inputs, taking each generator's kind in turn."""
    by_kind: dict[str, list[Outcome]] = {}
    seen: set[str] = set()
    for o in hit:
        if o.job.text not in seen:
            seen.add(o.job.text)
            by_kind.setdefault(o.job.kind, []).append(o)
    out: list[Outcome] = []
    while len(out) < k and any(by_kind.values()):
        for group in by_kind.values():
            if group and len(out) < k:
                out.append(group.pop(0))
    return out


def shown(s: str) -> str:
    return repr(s[:80]) + (f" … ({len(s):,} chars)" if len(s) > 80 else "")


def detail(cls: str, o: Outcome) -> str:
    if cls == "markup" and o.reply is not None:
        whole = flatten(o.reply)
        m = LIVE_MARKUP.search(whole)
        if m:
            return f" → {whole[max(0, m.start() - 20) : m.start() + 40]!r}"
    if cls == "http":
        return f" → HTTP {o.status}"
    return ""


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--commands", type=int, default=10_000)
    args.add_argument("--seed", type=int, default=1)
    args.add_argument("--concurrency", type=int, default=6, help="senders at once (4–8)")
    args.add_argument(
        "--database",
        help="a server's SQLAlchemy URL to make a scratch database on (default: SQLite)",
    )
    opts = args.parse_args()
    print(f"bot: {Path(bot.__file__ or '?').resolve().parent}")
    check_api()
    log = Log()
    logging.basicConfig(level=logging.WARNING, handlers=[log], force=True)
    with scratch_database(opts.database) as url:
        fuzz(url, opts.commands, opts.seed, opts.concurrency)
    if log.errors:
        print("the bot's log: exceptions behind its failures")
        for what, count in log.errors.most_common(12):
            print(f"  {count:>6,}  {what}")


if __name__ == "__main__":
    main()
