"""The /logtask grammar: text in, a typed command (or a CommandError with an example) out.

Parsing knows nothing of the database: amounts stay text here because only the
workspace knows its currency, and days stay words because only the member's
timezone knows what "today" is.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from fractions import Fraction

from bot.economics import Frequency, QuoteUnit
from bot.errors import UserError
from bot.money import MONEY_PATTERN
from bot.parse.day import looks_like_day
from bot.parse.duration import Duration, DurationError, parse_duration
from bot.parse.names import MAX_NAME, clean_name
from bot.text import from_slack

FREQUENCY_WORDS = {
    "daily": Frequency.DAILY,
    "weekdays": Frequency.WEEKDAYS,
    "weekly": Frequency.WEEKLY,
    "biweekly": Frequency.BIWEEKLY,
    "fortnightly": Frequency.BIWEEKLY,
    "monthly": Frequency.MONTHLY,
    "quarterly": Frequency.QUARTERLY,
    "once": Frequency.ONCE,
    "one-off": Frequency.ONCE,
    "oneoff": Frequency.ONCE,
}
HOUR_UNITS = {"h", "hr", "hrs", "hour", "hours"}
WEEK_UNITS = {"w", "wk", "week"}
MONTH_UNITS = {"mo", "mon", "month"}
DEFAULT_PER = "task"
MAX_COMMAND = 4000  # about what Slack's own box takes; anything longer is not typed by hand
MAX_PER = 24  # "$60/post": the word after the slash, as stored

EXAMPLE_LOG = "/logtask write newsletter 1h30m weekly #content"


class CommandError(UserError):
    """A /logtask command that does not parse."""


@dataclass(frozen=True)
class LogTime:
    task: str
    duration: Duration
    frequency: Frequency | None = None
    category: str | None = None
    day: str | None = None


@dataclass(frozen=True)
class Rate:
    amount: str | None  # None: show the current rate


@dataclass(frozen=True)
class SetQuote:
    task: str
    amount: str | None  # None: remove the quote
    unit: QuoteUnit = QuoteUnit.OCCURRENCE
    per: str = DEFAULT_PER
    provider: str | None = None


@dataclass(frozen=True)
class SetFrequency:
    task: str
    frequency: Frequency


@dataclass(frozen=True)
class SetCore:
    task: str
    core: bool


@dataclass(frozen=True)
class Report:
    pass


@dataclass(frozen=True)
class Should:
    task: str


@dataclass(frozen=True)
class History:
    pass


@dataclass(frozen=True)
class Undo:
    pass


@dataclass(frozen=True)
class Overhead:
    share: Fraction | None  # None: show the current overhead


@dataclass(frozen=True)
class Currency:
    code: str | None  # None: show the current currency


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Digest:
    """``/logtask digest …``: the words after "digest", as Slack sent them (channel links intact)."""

    words: list[str] = field(default_factory=list)


Command = (
    LogTime
    | Rate
    | SetQuote
    | SetFrequency
    | SetCore
    | Report
    | Should
    | History
    | Undo
    | Overhead
    | Currency
    | Help
    | Digest
)

_NO_ARGUMENTS: dict[str, Command] = {
    "report": Report(),
    "list": Report(),
    "history": History(),
    "undo": Undo(),
}

SUBCOMMANDS = [
    "rate",
    "quote",
    "freq",
    "core",
    "notcore",
    "report",
    "list",
    "should",
    "history",
    "undo",
    "overhead",
    "currency",
    "help",
    "digest",
]

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


@dataclass(frozen=True)
class _Token:
    text: str
    quoted: bool


def _tokens(text: str) -> list[_Token]:
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        raise CommandError("a quote is left open", '/logtask "top 10 list" 45m')
    out = []
    for m in _QUOTED.finditer(text):
        if m.group(3) is not None:
            out.append(_Token(m.group(3), False))
        else:
            out.append(_Token(m.group(1) if m.group(1) is not None else m.group(2), True))
    return out


def parse(raw: str) -> Command:
    """Parse the text of a /logtask command as Slack sends it (escaped)."""
    if len(raw) > MAX_COMMAND:
        raise CommandError(
            f"that command is {len(raw):,} characters long; a command is at most "
            f"{MAX_COMMAND:,} characters",
            EXAMPLE_LOG,
        )
    text = from_slack(raw).strip()
    tokens = _tokens(text)
    if not tokens:
        return Help()
    head = tokens[0]
    word = head.text.lower()
    if head.quoted or word not in SUBCOMMANDS:
        return _parse_log(tokens)
    rest = text[len(head.text) :].strip()
    match word:
        case "help":
            return Help()
        case "report" | "list" | "history" | "undo":
            if rest:
                raise _takes_nothing(word, rest)
            return _NO_ARGUMENTS[word]
        case "rate":
            return _parse_rate(rest)
        case "quote":
            return _parse_quote(rest)
        case "freq":
            return _parse_freq(rest)
        case "core" | "notcore":
            name = _task_name(rest, f"/logtask {word} client strategy calls")
            return SetCore(name, word == "core")
        case "should":
            return Should(_task_name(rest, "/logtask should write newsletter"))
        case "overhead":
            return _parse_overhead(rest)
        case "currency":
            return _parse_currency(rest)
        case "digest":
            raw_rest = raw.strip()[len(raw.strip().split(None, 1)[0]) :]
            return Digest(raw_rest.split())
    raise AssertionError(word)  # pragma: no cover - every subcommand is matched above


def _takes_nothing(word: str, rest: str) -> CommandError:
    return CommandError(
        f"`{word}` takes nothing after it. If “{word} {rest}” is a task, put its name in quotes",
        f'/logtask "{word} {rest.split()[0]}" 1h',
    )


def _task_name(text: str, example: str) -> str:
    name = clean_name(text)
    if not name:
        raise CommandError("which task? Name it after the command", example)
    if len(name) > MAX_NAME:
        raise CommandError(
            f"task names are at most {MAX_NAME} characters; that one has {len(name)}", example
        )
    return name


def _parse_log(tokens: list[_Token]) -> LogTime:
    name_tokens: list[_Token]
    if tokens[0].quoted:
        name_tokens, rest = tokens[:1], [t.text for t in tokens[1:]]
    else:
        name_tokens, rest = [], [t.text for t in tokens]
    rest_quoted = [t for t in tokens[1:] if t.quoted]
    if rest_quoted:
        raise CommandError(
            "only the task name goes in quotes",
            '/logtask "top 10 list" 45m weekly',
        )

    day = category = None
    frequency: Frequency | None = None
    while rest:
        last = rest[-1]
        low = last.lower()
        if day is None and looks_like_day(low):
            day = low
            rest.pop()
            if rest and rest[-1].lower() == "on":
                rest.pop()
        elif category is None and low.startswith("#") and len(low) > 1:
            category = last[1:]
            rest.pop()
        elif frequency is None and low in FREQUENCY_WORDS:
            frequency = FREQUENCY_WORDS[low]
            rest.pop()
        else:
            break

    duration = None
    keep = 0 if name_tokens else 1  # an unquoted name needs at least one word
    for size in range(min(4, len(rest) - keep), 0, -1):
        try:
            duration = parse_duration(" ".join(rest[-size:]))
        except DurationError as e:
            raise CommandError(str(e), EXAMPLE_LOG) from None
        if duration is not None:
            del rest[-size:]
            break
    if duration is None and not name_tokens and rest:
        with contextlib.suppress(DurationError):
            if parse_duration(" ".join(rest)) is not None:
                raise CommandError(f"which task took {' '.join(rest)}? Name it first", EXAMPLE_LOG)
    if duration is None:
        what = " ".join(t.text for t in tokens)
        raise CommandError(
            f"I couldn't find how long “{what}” took — add a duration like 45m, 1h30m or 1:30",
            EXAMPLE_LOG,
        )
    if name_tokens and rest:
        raise CommandError(f"I couldn't read “{' '.join(rest)}”", EXAMPLE_LOG)
    name = _task_name(name_tokens[0].text if name_tokens else " ".join(rest), EXAMPLE_LOG)
    if category is not None and not re.fullmatch(r"[\w-]{1,40}", category):
        raise CommandError(
            "a #category is one word (letters, digits, - or _), up to 40 characters", EXAMPLE_LOG
        )
    return LogTime(name, duration, frequency, category.lower() if category else None, day)


def _parse_rate(rest: str) -> Rate:
    if not rest:
        return Rate(None)
    m = re.fullmatch(r"(?P<amount>.+?)\s*(?:(?:/|\bper\s+|\ban?\s+)(?P<unit>[a-z]+))?", rest, re.I)
    assert m is not None
    unit = (m.group("unit") or "h").lower()
    if unit not in HOUR_UNITS:
        raise CommandError(
            "your hourly worth is per hour — what an hour of your expertise earns",
            "/logtask rate $85/h",
        )
    return Rate(m.group("amount"))


_QUOTE = re.compile(
    rf"^(?P<task>.+?)\s+(?:(?P<none>none|remove|delete)|(?P<amount>{MONEY_PATTERN})"
    r"\s*(?:(?:/\s*|\bper\s+|\ban?\s+)(?P<unit>[a-z]+))?)"
    r"(?:\s+from\s+(?P<provider>.+))?$",
    re.IGNORECASE,
)
EXAMPLE_QUOTE = "/logtask quote write newsletter $60/post from Jane"


def _parse_quote(rest: str) -> SetQuote:
    m = _QUOTE.match(rest)
    if not m:
        raise CommandError("a quote is a task, then a price and what it is per", EXAMPLE_QUOTE)
    task = _task_name(m.group("task"), EXAMPLE_QUOTE)
    if m.group("none"):
        if m.group("provider"):
            raise CommandError(
                "to remove a quote, write just `none`", "/logtask quote write newsletter none"
            )
        return SetQuote(task, None)
    unit_word = (m.group("unit") or "").lower()
    provider = clean_name(m.group("provider") or "") or None
    if provider and len(provider) > MAX_NAME:
        raise CommandError(f"a provider name is at most {MAX_NAME} characters", EXAMPLE_QUOTE)
    if not unit_word:
        return SetQuote(task, m.group("amount"), QuoteUnit.OCCURRENCE, DEFAULT_PER, provider)
    if unit_word in HOUR_UNITS:
        return SetQuote(task, m.group("amount"), QuoteUnit.HOUR, "hour", provider)
    if unit_word in WEEK_UNITS | {"weeks"}:
        return SetQuote(task, m.group("amount"), QuoteUnit.WEEK, "week", provider)
    if unit_word in MONTH_UNITS | {"months"}:
        return SetQuote(task, m.group("amount"), QuoteUnit.MONTH, "month", provider)
    # Anything else names one occurrence: /task, /each, /post, /video…
    per = DEFAULT_PER if unit_word in ("each", "occurrence", "time") else unit_word
    if len(per) > MAX_PER:
        raise CommandError(
            f"what a price is per (the word after the /) is at most {MAX_PER} characters",
            EXAMPLE_QUOTE,
        )
    return SetQuote(task, m.group("amount"), QuoteUnit.OCCURRENCE, per, provider)


EXAMPLE_FREQ = "/logtask freq write newsletter weekly"


def _parse_freq(rest: str) -> SetFrequency:
    words = rest.split()
    if len(words) < 2 or words[-1].lower() not in FREQUENCY_WORDS:
        raise CommandError(
            "give the task, then how often: daily, weekdays, weekly, biweekly, monthly, "
            "quarterly or once",
            EXAMPLE_FREQ,
        )
    return SetFrequency(
        _task_name(" ".join(words[:-1]), EXAMPLE_FREQ), FREQUENCY_WORDS[words[-1].lower()]
    )


def _parse_overhead(rest: str) -> Overhead:
    if not rest:
        return Overhead(None)
    # Bounded digits: a percentage under 100 needs no more, and Fraction of 10,000 digits fails.
    m = re.fullmatch(r"(\d{1,3}(?:[.,]\d{1,4})?)\s*%?", rest)
    if not m:
        raise CommandError(
            "overhead is a percentage of the task's time, from 0% to 99.99%",
            "/logtask overhead 15%",
        )
    share = Fraction(m.group(1).replace(",", ".")) / 100
    if share >= 1:
        raise CommandError(
            "overhead must be under 100% — at 100% handing off saves no time at all",
            "/logtask overhead 15%",
        )
    return Overhead(share)


def _parse_currency(rest: str) -> Currency:
    if not rest:
        return Currency(None)
    if not re.fullmatch(r"[A-Za-z]{3}", rest):
        raise CommandError("a currency is a three-letter ISO code", "/logtask currency EUR")
    return Currency(rest.upper())
