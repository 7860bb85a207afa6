"""The /logtask grammar: one table of commands, and text in, a typed command out.

Each command is declared once in TABLE: the words that start it, its usage, a one-line
summary, examples, and the function that parses the rest. The table drives the parser's
dispatch, `/logtask help` (and `help <command>`), and the examples every usage error offers.
To add a command: a Spec here, a service function, a view, and a case in the listener.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from bot import money
from bot.economics import Frequency, FrequencyError, Period, QuoteUnit
from bot.errors import CommandError
from bot.names import MAX_NAME, clean_name
from bot.parse import commands as c
from bot.parse.day import DayError, day_phrase_length, parse_clock, parse_day, weekday_index
from bot.parse.digest import parse_digest
from bot.parse.duration import DurationError, format_minutes, parse_duration
from bot.text import ECHO, from_slack, shorten

COMMAND = "/logtask"
MAX_COMMAND = 4000  # about what Slack's own box takes; anything longer is not typed by hand
MAX_PER = 24  # "$60/post": the word after the slash, as stored
MAX_CATEGORY = 40

FREQUENCY_WORDS = {
    "daily": Frequency.DAILY,
    "weekdays": Frequency.WEEKDAYS,
    "weekly": Frequency.WEEKLY,
    "biweekly": Frequency.BIWEEKLY,
    "fortnightly": Frequency.BIWEEKLY,
    "monthly": Frequency.MONTHLY,
    "quarterly": Frequency.QUARTERLY,
    "yearly": Frequency.YEARLY,
    "annually": Frequency.YEARLY,
    "once": Frequency.ONCE,
    "one-off": Frequency.ONCE,
    "oneoff": Frequency.ONCE,
}
FREQUENCY_FORMS = (
    "daily, weekdays, weekly, biweekly, monthly, quarterly, yearly, once (a one-off job), "
    "or a count: 3x/week, twice a month, every 2 weeks, every weekday"
)
PERIOD_WORDS = {
    **dict.fromkeys(("day", "days"), Period.DAY),
    **dict.fromkeys(("weekday", "weekdays"), Period.WEEKDAY),
    **dict.fromkeys(("week", "weeks", "wk", "wks"), Period.WEEK),
    **dict.fromkeys(("month", "months", "mo", "mos"), Period.MONTH),
    **dict.fromkeys(("quarter", "quarters", "qtr"), Period.QUARTER),
    **dict.fromkeys(("year", "years", "yr", "yrs"), Period.YEAR),
}
_COUNT = r"(?:(?P<n>\d{1,3})\s*(?:x|times)|(?P<word>once|twice|thrice))"
_UNIT = r"(?P<unit>[a-z]+)"
_FREQUENCY_PATTERNS = (
    # 3x/week, 3x a week, 3 times per week, twice a month, once a week
    re.compile(rf"{_COUNT}\s*(?:/\s*|\s(?:a|an|per|each|every)\s){_UNIT}"),
    # 3x every 2 weeks
    re.compile(rf"{_COUNT}\s+every\s+(?P<every>\d{{1,3}}|other)\s+{_UNIT}"),
    # every 2 weeks, every other week, every month, every weekday, every monday
    re.compile(rf"every\s+(?:(?P<every>\d{{1,3}}|other)\s+)?{_UNIT}"),
    # per week, a month, each quarter
    re.compile(rf"(?:a|per|each)\s+{_UNIT}"),
)
_COUNT_WORDS = {"once": 1, "twice": 2, "thrice": 3}
# A tail that reads like a frequency we could not read ("every 1.5 weeks") is refused as one,
# rather than as a duration or a task name.
_FREQUENCY_HINT = re.compile(r"\b(?:every|times|twice|thrice|\d+x)\b|\d+x/")
HOUR_WORDS = r"(?:h|hr|hrs|hour|hours)"
MAX_ESTIMATE_HOURS = 5000  # about two and a half years of full-time work: past that, a typo
HOUR_UNITS = {"h", "hr", "hrs", "hour", "hours"}
WEEK_UNITS = {"w", "wk", "week", "weeks"}
MONTH_UNITS = {"mo", "mon", "month", "months"}
OCCURRENCE_WORDS = {"each", "occurrence", "time"}


def typed(*words: str) -> str:
    """A command as the user would type it: ``typed("should", name)``."""
    return " ".join((COMMAND, *words))


@dataclass(frozen=True)
class Args:
    """What a command's parser gets: the words after its own, plain and as Slack sent them."""

    text: str  # Slack's markup turned to plain text, control characters dropped
    raw: str  # as Slack sent it: channel links intact, for the digest
    ctx: c.Context
    word: str = ""  # the command's word as typed ("list" for the report), for error messages


@dataclass(frozen=True)
class Spec:
    name: str
    words: tuple[str, ...]  # the first words that select it; () only for logging time
    usage: str
    summary: str
    examples: tuple[str, ...]  # whole commands, as typed
    parse: Callable[[Args], c.Command]
    makes: tuple[type, ...]  # the commands it can produce (the table's own test checks them)


# ---- the grammar of each command ----------------------------------------------------------

_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|(\S+)')


@dataclass(frozen=True)
class _Token:
    text: str
    quoted: bool


def _tokens(text: str) -> list[_Token]:
    if text.count('"') % 2 or text.count("“") != text.count("”"):
        raise CommandError("a quote is left open")
    out = []
    for m in _QUOTED.finditer(text):
        if m.group(3) is not None:
            out.append(_Token(m.group(3), False))
        else:
            out.append(_Token(m.group(1) if m.group(1) is not None else m.group(2), True))
    return out


def _task_name(text: str) -> str:
    name = clean_name(text)
    if not name:
        raise CommandError("which task? Name it after the command")
    if len(name) > MAX_NAME:
        raise CommandError(
            f"task names are at most {MAX_NAME} characters; that one has {len(name)}"
        )
    return name


_CLOSING = {'"': '"', "“": "”"}


def _named(text: str) -> tuple[str, bool]:
    """The task a command names, and whether it was quoted (then taken literally).

    Unquoted names may be matched loosely to an existing task; a quoted one never is.
    """
    text = text.strip()
    close = _CLOSING.get(text[:1])
    if close is None:
        return _task_name(text), False
    end = text.find(close, 1)
    if end == -1:
        raise CommandError("a quote is left open")
    if text[end + 1 :].strip():
        raise CommandError("put the whole task name in quotes, and nothing else")
    return _task_name(text[1:end]), True


def _money(text: str, ctx: c.Context) -> money.Money:
    try:
        return money.parse_money(text, ctx.currency)
    except money.MoneyError as e:
        switch = typed("currency", e.other_currency) if e.other_currency else None
        raise CommandError(str(e), switch) from None


def frequency_phrase(text: str) -> Frequency | None:
    """The frequency ``text`` says in full, None if it says none; CommandError if nonsense."""
    low = " ".join(text.lower().split())
    if low in FREQUENCY_WORDS:
        return FREQUENCY_WORDS[low]
    for pattern in _FREQUENCY_PATTERNS:
        if not (m := pattern.fullmatch(low)):
            continue
        groups = m.groupdict()
        unit = groups["unit"]
        times = (
            int(groups["n"]) if groups.get("n") else _COUNT_WORDS.get(groups.get("word") or "", 1)
        )
        every_word = groups.get("every")
        every = 2 if every_word == "other" else int(every_word or 1)
        if unit in PERIOD_WORDS:
            period = PERIOD_WORDS[unit]
        elif weekday_index(unit) is not None and times == every == 1 and low.startswith("every"):
            period = Period.WEEK  # every monday: once a week
        else:
            return None
        try:
            return Frequency(times, every, period).canonical()
        except FrequencyError as e:
            raise CommandError(f"“{text}”: {e}") from None
    return None


def _frequency_at_end(words: list[str]) -> tuple[int, Frequency] | None:
    """How many of the last words (four at most) say how often, and the frequency they say."""
    for size in range(min(4, len(words)), 0, -1):
        if (freq := frequency_phrase(" ".join(words[-size:]))) is not None:
            return size, freq
    tail = " ".join(words[-4:]).lower()
    last = words[-1].lower() if words else ""
    if _FREQUENCY_HINT.search(tail) and (last in PERIOD_WORDS or re.search(r"\d+x/", last)):
        raise CommandError(
            f"I couldn't read how often in “{' '.join(words[-4:])}” — {FREQUENCY_FORMS}"
        )
    return None


def _estimate_minutes(text: str) -> int | None:
    """A one-off job's size in hours (40h, 40 hours, 12.5h, 1h 30m); None if ``text`` isn't one."""
    s = re.sub(r"(?<=\d),(?=\d)", ".", " ".join(text.lower().split()))
    if re.fullmatch(r"\d[\d.]*\s*(?:d|days?|w|wks?|weeks?)", s):
        raise CommandError(
            "give the estimate in hours, like 40h — a day's work is not the same length everywhere"
        )
    if m := re.fullmatch(rf"(\d{{1,6}}(?:\.\d{{1,2}})?)\s*{HOUR_WORDS}?", s):
        minutes = round(Fraction(m.group(1)) * 60)
    elif m := re.fullmatch(rf"(\d{{1,6}})\s*{HOUR_WORDS}\s*(\d{{1,2}})\s*(?:m|mins?|minutes?)", s):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    elif m := re.fullmatch(r"(\d{1,6})\s*(?:m|mins?|minutes?)", s):
        minutes = int(m.group(1))
    else:
        return None
    if minutes < 1:
        raise CommandError("an estimate of no time at all sizes nothing — give at least 1h")
    if minutes > MAX_ESTIMATE_HOURS * 60:
        raise CommandError(f"an estimate is at most {MAX_ESTIMATE_HOURS:,} hours; “{text}” is more")
    return minutes


def _estimate(a: Args) -> c.SetEstimate:
    words = a.text.split()
    if len(words) >= 2 and words[-1].lower() in ("none", "remove", "clear"):
        task, literal = _named(" ".join(words[:-1]))
        return c.SetEstimate(task, None, literal)
    for size in range(min(3, len(words) - 1), 0, -1):
        if (minutes := _estimate_minutes(" ".join(words[-size:]))) is not None:
            task, literal = _named(" ".join(words[:-size]))
            return c.SetEstimate(task, minutes, literal)
    raise CommandError(
        "give the task, then how many hours the whole job takes (like 40h), or `none` to clear it"
    )


def _log(a: Args) -> c.LogTime:
    tokens = _tokens(a.text)
    name_tokens: list[_Token]
    if tokens[0].quoted:
        name_tokens, rest = tokens[:1], [t.text for t in tokens[1:]]
    else:
        name_tokens, rest = [], [t.text for t in tokens]
    if any(t.quoted for t in tokens[1:]):
        raise CommandError("only the task name goes in quotes")

    day_word = category = None
    frequency: Frequency | None = None
    while rest:
        last = rest[-1]
        low = last.lower()
        if frequency is None and (found := _frequency_at_end(rest)):
            size, frequency = found
            del rest[-size:]
        elif day_word is None and (size := day_phrase_length(rest)):
            day_word = " ".join(rest[-size:])
            del rest[-size:]
            if rest and rest[-1].lower() == "on":
                rest.pop()
        elif category is None and low.startswith("#") and len(low) > 1:
            category = last[1:]
            rest.pop()
        else:
            break

    duration = None
    keep = 0 if name_tokens else 1  # an unquoted name needs at least one word
    for size in range(min(4, len(rest) - keep), 0, -1):
        try:
            duration = parse_duration(" ".join(rest[-size:]))
        except DurationError as e:
            raise CommandError(str(e)) from None
        if duration is not None:
            del rest[-size:]
            break
    if duration is None and not name_tokens and rest:
        try:
            alone = parse_duration(" ".join(rest))
        except DurationError:
            alone = None
        if alone is not None:
            raise CommandError(f"which task took {' '.join(rest)}? Name it first")
    if duration is None and not name_tokens and len(tokens) > 1:
        try:
            leading = parse_duration(tokens[0].text)
        except DurationError:
            leading = None
        if leading is not None:
            rest_words = " ".join(t.text for t in tokens[1:])
            raise CommandError(
                "the duration goes after the task's name", log_command(rest_words, tokens[0].text)
            )
    if duration is None:
        what = " ".join(t.text for t in tokens)
        raise CommandError(
            f"I couldn't find how long “{what}” took — add a duration like 45m, 1h30m or 1:30"
        )
    if name_tokens and rest:
        raise CommandError(f"I couldn't read “{' '.join(rest)}”")
    name = _task_name(name_tokens[0].text if name_tokens else " ".join(rest))
    if category is not None:
        category = checked_category(category)
    try:
        day = parse_day(day_word or "today", a.ctx.today)
    except DayError as e:
        raise CommandError(str(e)) from None
    return c.LogTime(
        name,
        duration.minutes,
        day,
        frequency,
        category,
        duration.bare_hours,
        literal=bool(name_tokens),
    )


def checked_category(word: str) -> str:
    if not re.fullmatch(rf"[\w-]{{1,{MAX_CATEGORY}}}", word):
        raise CommandError(
            f"a #category is one word (letters, digits, - or _), up to {MAX_CATEGORY} characters"
        )
    return word.lower()


def _category(a: Args) -> c.SetCategory:
    words = a.text.split()
    last = words[-1].lower() if words else ""
    if len(words) < 2 or not (last == "none" or (last.startswith("#") and len(last) > 1)):
        raise CommandError("give the task, then its #category, or `none` to clear it")
    category = None if last == "none" else checked_category(words[-1][1:])
    task, literal = _named(" ".join(words[:-1]))
    return c.SetCategory(task, category, literal)


def _nothing(make: c.Command) -> Callable[[Args], c.Command]:
    def parse(a: Args) -> c.Command:
        if a.text:
            first = a.text.split()[0]
            raise CommandError(
                f"`{a.word}` takes nothing after it. If “{a.word} {a.text}” is a task, "
                "put its name in quotes",
                typed(f'"{a.word} {first}"', "1h"),
            )
        return make

    return parse


# "$480/day 8h", "$480 a day for 8 hours", "$2,400/week 40h": the hours a day's or week's pay is for.
_RATE_HOURS = re.compile(
    r"[\s,]+(?:for\s+|over\s+)?(?P<hours>\d{1,3}(?:[.,]\d{1,2})?)\s*(?:h|hr|hrs|hour|hours)"
    r"(?:\s*(?:/\s*|\ban?\s+|\bper\s+)(?P<unit>[a-z]+))?$",
    re.IGNORECASE,
)
DAY_UNITS = {"d", "day", "days"}
RATE_HOURS = {"day": 24, "week": 7 * 24}  # the most hours a day's or a week's pay can be for
RATE_EXAMPLE_HOURS = {"day": "8h", "week": "40h"}


def _rate_per(word: str | None) -> str | None:
    """ "h", "day", "wk"… as "hour", "day" or "week"; None when no unit was given."""
    if not word:
        return None
    w = word.lower()
    if w in HOUR_UNITS:
        return "hour"
    if w in DAY_UNITS:
        return "day"
    if w in WEEK_UNITS:
        return "week"
    return w


def _rate(a: Args) -> c.Rate:
    if not a.text:
        return c.Rate(None)
    text, hours, hours_per = a.text, None, None
    if h := _RATE_HOURS.search(text):
        hours = Fraction(h.group("hours").replace(",", "."))
        hours_per = _rate_per(h.group("unit"))
        text = text[: h.start()]
    m = re.fullmatch(r"(?P<amount>.+?)\s*(?:(?:/|\bper\s+|\ban?\s+)(?P<unit>[a-z]+))?", text, re.I)
    assert m is not None
    per = _rate_per(m.group("unit")) or hours_per
    if per is None and hours is None:
        per = "hour"
    if per is not None and per not in ("hour", *RATE_HOURS):
        raise CommandError(
            "your hourly worth is per hour — what an hour of your expertise earns. A day's or "
            "a week's pay works too, with the hours it is for",
            typed("rate $480/day 8h"),
        )
    amount = _money(m.group("amount"), a.ctx)
    shown = money.format_money(amount.minor, amount.currency)
    if per == "hour":
        if hours is not None:
            raise CommandError("an hourly worth needs no hours after it", typed(f"rate {shown}/h"))
        return c.Rate(amount)
    if per is None or (hours_per is not None and hours_per != per):
        assert hours is not None  # no unit at all is an hourly amount, handled above
        raise CommandError(
            f"is {shown} for {_hours_text(hours)} a day's pay or a week's?",
            typed(f"rate {shown}/day {_hours_text(hours)}"),
        )
    return c.Rate(*_per_hour(amount, per, hours))


def _hours_text(hours: Fraction) -> str:
    return f"{float(hours):g}h"


def _per_hour(
    amount: money.Money, per: str, hours: Fraction | None
) -> tuple[money.Money, c.RateConversion]:
    shown = money.format_money(amount.minor, amount.currency)
    if hours is None:
        raise CommandError(
            f"your hourly worth is per hour: how many hours is {shown} a {per} for? "
            "Add them and I'll work out the hourly worth",
            typed(f"rate {shown}/{per} {RATE_EXAMPLE_HOURS[per]}"),
        )
    if not 0 < hours <= RATE_HOURS[per]:
        problem = (
            f"a {per} has at most {RATE_HOURS[per]} hours"
            if hours
            else "the hours must be more than zero"
        )
        raise CommandError(problem, typed(f"rate {shown}/{per} {RATE_EXAMPLE_HOURS[per]}"))
    hourly = money.per_hour(amount, hours)
    if hourly.minor <= 0:
        raise CommandError(
            f"{shown} a {per} over {_hours_text(hours)} is less than "
            f"{money.format_money(1, amount.currency)} an hour"
        )
    most = money.MAX_AMOUNT * 10 ** money.precision(amount.currency)
    if hourly.minor > most:
        raise CommandError(
            f"{shown} a {per} over {_hours_text(hours)} is more than "
            f"{money.format_money(most, amount.currency)} an hour, the most I accept"
        )
    return hourly, c.RateConversion(amount, per, hours)


LUMP_SUM_WORDS = {"total", "flat", "fixed", "lump"}
_QUOTE = re.compile(
    # A quoted task is tried first, so a price or "from" inside the quotes stays in the name.
    r'^(?P<task>"[^"]*"|“[^”]*”|.+?)'
    rf"\s+(?:(?P<none>none|remove|delete)|(?P<amount>{money.MONEY_PATTERN})"
    r"(?:\s*(?:/\s*|\bper\s+|\ban?\s+)(?P<unit>[a-z]+)"
    r"|\s+(?P<lump>total|in\s+total|flat(?:\s+fee)?|fixed(?:\s+price)?|lump[\s-]sum"
    r"|for\s+the\s+(?:whole\s+)?job)"
    r"|\s+(?P<each>each))?)"
    r"(?:\s+from\s+(?P<provider>.+))?$",
    re.IGNORECASE,
)


def _quote(a: Args) -> c.SetQuote | c.RemoveQuote:
    m = _QUOTE.match(a.text)
    if not m:
        raise CommandError("a quote is a task, then a price and what it is per")
    task, literal = _named(m.group("task"))
    provider, by_name = None, False
    if m.group("provider"):
        provider, by_name = provider_named(m.group("provider"))
    if m.group("none"):
        return c.RemoveQuote(task, literal, provider, by_name)

    def quote(unit: QuoteUnit, per: str, bare: bool = False) -> c.SetQuote:
        return c.SetQuote(task, amount, unit, per, provider, literal, bare, by_name)

    amount = _money(m.group("amount"), a.ctx)
    unit_word = (m.group("unit") or "").lower()
    if m.group("lump") or unit_word in LUMP_SUM_WORDS:
        return quote(QuoteUnit.TOTAL, "job")
    if m.group("each"):
        return quote(QuoteUnit.OCCURRENCE, "task")
    if not unit_word:
        return quote(QuoteUnit.OCCURRENCE, "task", True)
    if unit_word in HOUR_UNITS:
        return quote(QuoteUnit.HOUR, "hour")
    if unit_word in WEEK_UNITS:
        return quote(QuoteUnit.WEEK, "week")
    if unit_word in MONTH_UNITS:
        return quote(QuoteUnit.MONTH, "month")
    # Anything else names one occurrence: /task, /each, /post, /video…
    per = "task" if unit_word in OCCURRENCE_WORDS else unit_word
    if len(per) > MAX_PER:
        raise CommandError(
            f"what a price is per (the word after the /) is at most {MAX_PER} characters"
        )
    return quote(QuoteUnit.OCCURRENCE, per)


def provider_named(text: str) -> tuple[str, bool]:
    """A provider's name as typed, and whether it was quoted (then taken literally)."""
    text = text.strip()
    close = _CLOSING.get(text[:1])
    literal = close is not None and text.endswith(close) and len(text) > 1
    name = clean_name(text[1:-1] if literal else text)
    if not name:
        raise CommandError("which provider? Name them after `from`")
    if len(name) > MAX_NAME:
        raise CommandError(f"a provider name is at most {MAX_NAME} characters")
    return name, literal


# The last "with" splits the task from the provider, unless the provider is quoted whole.
_TRIAL_QUOTED = re.compile(
    r'^(?P<task>"[^"]*"|“[^”]*”|.+?)\s+with\s+(?P<provider>"[^"]*"|“[^”]*”)$', re.IGNORECASE
)
_TRIAL = re.compile(r'^(?P<task>"[^"]*"|“[^”]*”|.+)\s+with\s+(?P<provider>.+)$', re.IGNORECASE)


def _trial(a: Args) -> c.StartTrial:
    m = _TRIAL_QUOTED.match(a.text) or _TRIAL.match(a.text)
    if not m:
        raise CommandError("give the task, then `with`, then the provider trying it")
    task, literal = _named(m.group("task"))
    provider, by_name = provider_named(m.group("provider"))
    return c.StartTrial(task, provider, literal, by_name)


MAX_NOTE = 300  # review.note's column
_REVIEW = re.compile(
    r'^(?P<provider>"[^"]*"|“[^”]*”|.+?)'
    r'(?:\s+for\s+(?P<task>"[^"]*"|“[^”]*”|.+?))?'
    r"\s+(?P<score>[1-5])(?:\s*/\s*5)?"
    r"(?:\s+(?P<rest>.*))?$",
    re.IGNORECASE | re.DOTALL,
)
_ON_TIME = re.compile(r"^(?:(?P<late>late)|(?P<on_time>on[\s-]time))\b[\s,:;.-]*", re.IGNORECASE)


def _review(a: Args) -> c.AddReview:
    m = _REVIEW.match(a.text)
    if not m:
        if bad := re.search(r"\s(\d+(?:[.,]\d+)?)(?:\s*/\s*\d+)?(?:\s|$)", a.text):
            who = a.text[: bad.start()].strip() or "<provider>"
            raise CommandError(
                f"a score is a whole number from 1 to 5, not {bad.group(1)}",
                typed("review", who, "4"),
            )
        raise CommandError("give the provider, then a score from 1 to 5")
    provider, by_name = provider_named(m.group("provider"))
    task, literal = _named(m.group("task")) if m.group("task") else (None, False)
    rest = (m.group("rest") or "").strip()
    on_time: bool | None = None
    if found := _ON_TIME.match(rest):
        on_time = found.group("on_time") is not None
        rest = rest[found.end() :]
    note = " ".join(rest.split()) or None
    if note is not None and len(note) > MAX_NOTE:
        raise CommandError(f"a review's note is at most {MAX_NOTE} characters")
    return c.AddReview(provider, int(m.group("score")), on_time, note, task, by_name, literal)


def _providers(a: Args) -> c.Providers:
    if a.text:
        raise CommandError("`providers` takes nothing more: to see one, `provider <name>`")
    return c.Providers()


def _provider(a: Args) -> c.ProviderShow:
    if not a.text:
        raise CommandError("which provider? Name them after `provider`")
    name, literal = provider_named(a.text)
    return c.ProviderShow(name, literal)


def _freq(a: Args) -> c.SetFrequency:
    words = a.text.split()
    found = _frequency_at_end(words[1:]) if len(words) >= 2 else None
    if found is None:
        raise CommandError(f"give the task, then how often it happens: {FREQUENCY_FORMS}")
    size, frequency = found
    task, literal = _named(" ".join(words[:-size]))
    return c.SetFrequency(task, frequency, literal)


def _core(core: bool) -> Callable[[Args], c.SetCore]:
    def parse(a: Args) -> c.SetCore:
        task, literal = _named(a.text)
        return c.SetCore(task, core, literal)

    return parse


def _should(a: Args) -> c.Should:
    return c.Should(*_named(a.text))


def _overhead(a: Args) -> c.Overhead:
    if not a.text:
        return c.Overhead(None)
    # Bounded digits: a percentage under 100 needs no more, and Fraction of 10,000 digits fails.
    m = re.fullmatch(r"(\d{1,3}(?:[.,]\d{1,2})?)\s*(%?)", a.text)
    if not m:
        raise CommandError(
            "overhead is a percentage of the task's time, from 0% to 99.99% "
            "with at most two decimals"
        )
    number = Fraction(m.group(1).replace(",", "."))
    if not m.group(2) and 0 < number < 1:
        # "0.15" is how a share is written, not 0.15%: read it as 15%, and say so.
        return c.Overhead(number, as_fraction=m.group(1))
    share = number / 100
    if share >= 1:
        raise CommandError("overhead must be under 100% — at 100% handing off saves no time at all")
    return c.Overhead(share)


def _currency(a: Args) -> c.Currency:
    if not a.text:
        return c.Currency(None)
    if not re.fullmatch(r"[A-Za-z]{3}", a.text):
        raise CommandError("a currency is a three-letter ISO code")
    if not money.is_currency(a.text):
        raise CommandError(f"“{a.text}” is not an ISO currency code I know")
    return c.Currency(a.text.upper())


def _help(a: Args) -> c.Help:
    if not a.text:
        return c.Help()
    topic = a.text.split()[0].lower()
    spec = BY_WORD.get(topic) or BY_NAME.get(topic)
    # "help me", "help please": words that name no command still ask for help.
    return c.Help(spec.name if spec else None)


def _digest(a: Args) -> c.DigestCommand:
    return parse_digest(a.raw.split())


def _export(a: Args) -> c.Export:
    if not a.text:
        return c.Export()
    span = a.text.lower()
    if span not in c.EXPORT_SPANS:
        raise CommandError(
            "export takes `month` (this calendar month, the default), `quarter` or `all`"
        )
    return c.Export(span)


_EVERY_DAY = {"daily": range(7), "everyday": range(7), "weekdays": range(5), "weekday": range(5)}


def _remind(a: Args) -> c.RemindCommand:
    words = a.text.replace(",", " ").split()
    if not words:
        return c.RemindShow()
    if len(words) == 1 and words[0].lower() in ("off", "stop"):
        return c.RemindOff()
    at = parse_clock(words[-1])
    if at is None:
        raise CommandError(
            f"a reminder needs its days and a time, like `remind friday 16:00` "
            f"(I couldn't read “{words[-1]}” as a time)"
        )
    days: set[int] = set()
    for word in words[:-1]:
        if word.lower() in ("every", "on", "and", "at"):
            continue
        if (every := _EVERY_DAY.get(word.lower())) is not None:
            days.update(every)
        elif (day := weekday_index(word)) is not None:
            days.add(day)
        else:
            raise CommandError(
                f"I couldn't read “{word}” as a weekday: use day names (`mon,wed`), "
                "`weekdays` or `daily`"
            )
    if not days:
        raise CommandError(
            "say on which days, like `remind friday 16:00` or `remind weekdays 17:30`"
        )
    return c.RemindSet(tuple(sorted(days)), at)


def _undo(a: Args) -> c.Undo:
    if a.text.lower() == "confirm":
        return c.Undo(confirm=True)
    cmd = _nothing(c.Undo())(a)  # refuses anything else after the word
    assert isinstance(cmd, c.Undo)
    return cmd


_ENTRY_NUMBER = re.compile(r"#?(\d{1,9})")


def _entry_number(word: str) -> int:
    m = _ENTRY_NUMBER.fullmatch(word)
    if m is None:
        raise CommandError(
            f"which entry? Give its number from {typed('history')}, like #12 — "
            f"not “{shorten(word, ECHO)}”"
        )
    return int(m.group(1))


def _edit(a: Args) -> c.EditEntry:
    words = a.text.split()
    if not words:
        raise CommandError("which entry, and what should it become? Give its #number first")
    number = _entry_number(words[0])
    rest = words[1:]
    day_words: list[str] = []
    if size := day_phrase_length(rest):
        day_words, rest = rest[-size:], rest[:-size]
        if rest and rest[-1].lower() == "on":
            rest.pop()
    else:  # the day may come first: "edit #12 yesterday 45m"
        for size in (3, 2, 1):
            if len(rest) > size and day_phrase_length(rest[:size]) == size:
                day_words, rest = rest[:size], rest[size:]
                break
    example = typed("edit", f"#{number}", "45m")
    if not rest and not day_words:
        raise CommandError(
            f"what should #{number} become? Give a duration, a day, or both", example
        )
    minutes = None
    if rest:
        try:
            duration = parse_duration(" ".join(rest))
        except DurationError as e:
            raise CommandError(str(e), example) from None
        if duration is None:
            raise CommandError(
                f"I couldn't read “{shorten(' '.join(rest), ECHO)}” — give a duration like 45m, "
                "a day like yesterday, or both",
                example,
            )
        minutes = duration.minutes
    day = None
    if day_words:
        try:
            day = parse_day(" ".join(day_words), a.ctx.today)
        except DayError as e:
            raise CommandError(str(e), typed("edit", f"#{number}", "yesterday")) from None
    return c.EditEntry(number, minutes, day)


def _delete(a: Args) -> c.DeleteEntry | c.DeleteTask:
    first, _, rest = a.text.partition(" ")
    if first.lower() == "task":
        return c.DeleteTask(_task_name(rest))
    if _ENTRY_NUMBER.fullmatch(first):
        if rest:
            raise CommandError("one entry at a time", typed("delete", first))
        return c.DeleteEntry(_entry_number(first))
    if not a.text:
        raise CommandError("delete what? An entry, by its number, or a task")
    # "delete write blog post": a task, most likely; the command says so.
    raise CommandError(
        "to delete a task, say `task` first (an entry is deleted by its #number)",
        typed("delete", "task", shorten(a.text, MAX_NAME)),
    )


def _readings(a: Args, word: str) -> list[tuple[str, str]]:
    """Every way to split the words at ``word`` (unquoted) into two task names."""
    tokens = _tokens(a.text)
    out = []
    for i, t in enumerate(tokens):
        if t.quoted or t.text.lower() != word or i in (0, len(tokens) - 1):
            continue
        left, right = tokens[:i], tokens[i + 1 :]
        if not (_one_name(left) and _one_name(right)):
            continue
        out.append((" ".join(x.text for x in left), " ".join(x.text for x in right)))
    if not out:
        raise CommandError(
            f"give the task, then `{word}`, then the other name; quote a name that has "
            f"“{word}” in it"
        )
    first = (_task_name(out[0][0]), _task_name(out[0][1]))
    others = []
    for old, new in out[1:]:
        try:
            others.append((_task_name(old), _task_name(new)))
        except CommandError:
            continue
    return [first, *others]


def _one_name(tokens: list[_Token]) -> bool:
    """A quoted name is a whole side of the command, never a part of one."""
    return len(tokens) == 1 or not any(t.quoted for t in tokens)


def _rename(a: Args) -> c.RenameTask:
    (task, new), *others = _readings(a, "to")
    return c.RenameTask(task, new, tuple(others))


def _merge(a: Args) -> c.MergeTasks:
    (task, into), *others = _readings(a, "into")
    return c.MergeTasks(task, into, tuple(others))


def _provider_name(text: str) -> tuple[str, bool]:
    """A provider's name as typed after `to`/`from`, and whether it was quoted (then literal)."""
    text = text.strip()
    quoted = text[:1] in _CLOSING and text.endswith(_CLOSING[text[:1]]) and len(text) > 1
    name = clean_name(text[1:-1] if quoted else text)
    if not name:
        raise CommandError("which provider? Name them after `to`")
    if len(name) > MAX_NAME:
        raise CommandError(f"a provider name is at most {MAX_NAME} characters")
    return name, quoted


def _at_last(tokens: list[_Token], word: str) -> int | None:
    """Where the last unquoted ``word`` is, with words on both sides of it."""
    for i in range(len(tokens) - 2, 0, -1):
        if not tokens[i].quoted and tokens[i].text.lower() == word:
            return i
    return None


def _joined(tokens: list[_Token]) -> str:
    """Tokens back as text, a quoted one in its quotes again (it is then taken literally)."""
    return " ".join(f'"{t.text}"' if t.quoted else t.text for t in tokens)


def _handoff(a: Args) -> c.HandOff | c.LogTime:
    text = a.text
    if a.word.lower() == "hand":
        first, _, rest = text.partition(" ")
        if first.lower() != "off":
            # "hand lettering 2h": a task that starts with "hand", not the command.
            return _log(Args(f"{a.word} {text}", f"{a.word} {a.raw}", a.ctx))
        text = rest.strip()
    tokens = _tokens(text)
    at = _at_last(tokens, "to")
    if at is None:
        raise CommandError(
            "give the task, then `to`, then the provider; quote a provider name that has “to” in it"
        )
    task, literal = _named(_joined(tokens[:at]))
    provider, provider_literal = _provider_name(_joined(tokens[at + 1 :]))
    return c.HandOff(task, provider, literal, provider_literal)


_MONEY_WORDS = re.compile(money.MONEY_PATTERN)


def _paid(a: Args) -> c.Paid | c.LogTime:
    tokens = _tokens(a.text)
    provider: str | None = None
    provider_literal = False
    if (at := _at_last(tokens, "to")) is not None:
        provider, provider_literal = _provider_name(_joined(tokens[at + 1 :]))
        tokens = tokens[:at]
    # The amount is the last word (or two: "40 EUR") that reads as money with a task before it
    # and nothing but a day after it.
    for i in range(len(tokens) - 1, 0, -1):
        for size in (2, 1):
            words = tokens[i : i + size]
            if len(words) < size or any(t.quoted for t in words):
                continue
            amount_text = " ".join(t.text for t in words)
            if not _MONEY_WORDS.fullmatch(amount_text):
                continue
            after = " ".join(t.text for t in tokens[i + size :])
            try:
                day = parse_day(after or "today", a.ctx.today)
            except DayError as e:
                if day_phrase_length(after.split()) == len(after.split()):
                    raise CommandError(str(e)) from None
                continue
            task, literal = _named(_joined(tokens[:i]))
            amount = _money(amount_text, a.ctx)
            return c.Paid(task, amount, day, provider, literal, provider_literal)
    # "paid ads 2h": no amount anywhere, but a log line on a task that starts with "paid".
    try:
        return _log(Args(f"{a.word} {a.text}", f"{a.word} {a.raw}", a.ctx))
    except CommandError:
        pass
    raise CommandError(
        "give the task, then the amount paid, then optionally the day and `to <provider>`"
    )


def _takeback(a: Args) -> c.TakeBack:
    task, literal = _named(a.text)
    return c.TakeBack(task, literal)


def _report(a: Args) -> c.Report:
    words = a.text.lower().split()
    if words in (["by", "category"], ["by", "categories"], ["categories"]):
        return c.Report(by_category=True)
    cmd = _nothing(c.Report())(a)  # refuses anything else after the word
    assert isinstance(cmd, c.Report)
    return cmd


# ---- the table ------------------------------------------------------------------------------

LOG = Spec(
    "log",
    (),
    "<task> <duration> [frequency] [#category] [day]",
    "log time on a task; frequency, #category and day are optional",
    (
        typed("write newsletter 1h30m weekly #content"),
        typed('"top 10 list" 45m yesterday'),
    ),
    _log,
    (c.LogTime,),
)

TABLE: tuple[Spec, ...] = (
    LOG,
    Spec(
        "rate",
        ("rate",),
        "rate [<amount>/h] · rate <amount>/day <hours>h · rate <amount>/week <hours>h",
        "set or show your hourly worth (what an hour of your expertise earns); a day's or "
        "week's pay is divided by its hours",
        (typed("rate $85/h"), typed("rate"), typed("rate $480/day 8h")),
        _rate,
        (c.Rate,),
    ),
    Spec(
        "quote",
        ("quote",),
        "quote <task> <price>[/post|/h|/week|/month|each|total] [from <provider>] · "
        "quote <task> none [from <provider>]",
        "a provider's price for a task — per time, hour, week or month, or `total` for a "
        "one-off job; `none` removes it",
        (
            typed("quote write newsletter $60/post from Jane"),
            typed("quote website redesign $3,000 total from Studio"),
            typed("quote write newsletter none from Jane"),
            typed("quote write newsletter none"),
        ),
        _quote,
        (c.SetQuote, c.RemoveQuote),
    ),
    Spec(
        "trial",
        ("trial",),
        "trial <task> with <provider>",
        "a provider starts a trial on a task today",
        (typed("trial write newsletter with Jane"),),
        _trial,
        (c.StartTrial,),
    ),
    Spec(
        "review",
        ("review",),
        "review <provider> [for <task>] <1-5> [late|on time] [note]",
        "score a provider's work on their current trial or hand-off (`for <task>` picks one)",
        (
            typed("review Jane 4 on time clear and quick"),
            typed("review Jane for write newsletter 2 late"),
        ),
        _review,
        (c.AddReview,),
    ),
    Spec(
        "providers",
        ("providers",),
        "providers",
        "every provider: tasks quoted, trials, hand-offs, average score, on time, saved so far",
        (typed("providers"),),
        _providers,
        (c.Providers,),
    ),
    Spec(
        "provider",
        ("provider",),
        "provider <name>",
        "one provider: their quotes, trials and hand-offs, and reviews",
        (typed("provider Jane"),),
        _provider,
        (c.ProviderShow,),
    ),
    Spec(
        "freq",
        ("freq",),
        "freq <task> <daily|weekdays|weekly|biweekly|monthly|quarterly|yearly|once|3x/week|"
        "every 2 weeks…>",
        "how often a task happens, without logging time",
        (
            typed("freq write newsletter weekly"),
            typed("freq team standup notes 3x/week"),
            typed("freq payroll every 2 weeks"),
        ),
        _freq,
        (c.SetFrequency,),
    ),
    Spec(
        "estimate",
        ("estimate",),
        "estimate <task> <hours> · estimate <task> none",
        "how many hours a one-off job takes in all; its verdict weighs them instead of the time "
        "logged so far",
        (typed("estimate website redesign 40h"), typed("estimate website redesign none")),
        _estimate,
        (c.SetEstimate,),
    ),
    Spec(
        "category",
        ("category",),
        "category <task> #category · category <task> none",
        "put a task in a category for the report; `none` clears it",
        (typed("category write newsletter #content"), typed("category write newsletter none")),
        _category,
        (c.SetCategory,),
    ),
    Spec(
        "core",
        ("core",),
        "core <task>",
        "mark your core expertise: never recommended for hand-off",
        (typed("core client strategy calls"),),
        _core(True),
        (c.SetCore,),
    ),
    Spec(
        "notcore",
        ("notcore",),
        "notcore <task>",
        "a task is no longer core expertise",
        (typed("notcore client strategy calls"),),
        _core(False),
        (c.SetCore,),
    ),
    Spec(
        "report",
        ("report", "list"),
        "report · report by category",
        "every task: hours a week, in-house cost, quote, savings, verdict, and what hand-offs "
        "saved; `by category` adds them up per category",
        (typed("report"), typed("report by category")),
        _report,
        (c.Report,),
    ),
    Spec(
        "should",
        ("should",),
        "should <task>",
        "one task's verdict with the arithmetic",
        (typed("should write newsletter"),),
        _should,
        (c.Should,),
    ),
    Spec(
        "history",
        ("history",),
        "history",
        "your last 10 entries, with the #number to edit or delete one",
        (typed("history"),),
        _nothing(c.History()),
        (c.History,),
    ),
    Spec(
        "edit",
        ("edit",),
        "edit #<number> [<duration>] [<day>]",
        "change an entry's time, its day, or both (its #number is in your history)",
        (typed("edit #12 45m"), typed("edit #12 yesterday"), typed("edit #12 45m 2026-11-18")),
        _edit,
        (c.EditEntry,),
    ),
    Spec(
        "delete",
        ("delete",),
        "delete #<number> · delete task <task>",
        "delete an entry, or a task with all its time and its quote",
        (typed("delete #12"), typed("delete task write newsletter")),
        _delete,
        (c.DeleteEntry, c.DeleteTask),
    ),
    Spec(
        "rename",
        ("rename",),
        "rename <task> to <new name>",
        "rename a task, keeping its time and settings; quote a name that has “to” in it",
        (typed("rename newsletter to write newsletter"),),
        _rename,
        (c.RenameTask,),
    ),
    Spec(
        "merge",
        ("merge",),
        "merge <task> into <task>",
        "move a task's time into another and delete it; the other keeps its own quote, "
        "frequency and category, and takes these only where it has none",
        (typed("merge writ newsletter into write newsletter"),),
        _merge,
        (c.MergeTasks,),
    ),
    Spec(
        "undo",
        ("undo",),
        "undo [confirm]",
        "undo your last change of any kind (again to go further back); `confirm` for one "
        "over a day old",
        (typed("undo"), typed("undo confirm")),
        _undo,
        (c.Undo,),
    ),
    Spec(
        "handoff",
        ("handoff", "hand"),
        "handoff <task> to <provider> · hand off <task> to <provider>",
        "from today a provider who quoted the task does it: its hours, in-house cost and "
        "projected savings are kept to measure what the hand-off really saves",
        (typed("handoff write newsletter to Jane"), typed("hand off bookkeeping to Ledger Co")),
        _handoff,
        (c.HandOff, c.LogTime),
    ),
    Spec(
        "paid",
        ("paid",),
        "paid <task> <amount> [day] [to <provider>]",
        "what you actually paid for a handed-off task (or a trial)",
        (
            typed("paid write newsletter $60"),
            typed("paid write newsletter $120 yesterday to Jane"),
        ),
        _paid,
        (c.Paid, c.LogTime),
    ),
    Spec(
        "takeback",
        ("takeback",),
        "takeback <task>",
        "end a task's hand-off: from today it is in-house again (its history stays)",
        (typed("takeback write newsletter"),),
        _takeback,
        (c.TakeBack,),
    ),
    Spec(
        "overhead",
        ("overhead",),
        "overhead [<percent>]",
        "the share of a task's time you still spend briefing and reviewing once it is handed off",
        (typed("overhead 15%"),),
        _overhead,
        (c.Overhead,),
    ),
    Spec(
        "currency",
        ("currency",),
        "currency [<ISO code>]",
        "the workspace currency (amounts are not converted)",
        (typed("currency EUR"),),
        _currency,
        (c.Currency,),
    ),
    Spec(
        "digest",
        ("digest",),
        "digest [here|#channel] [weekday] [HH:MM] · digest preview|now|off",
        "a weekly digest in a channel of the tasks that are losing money",
        (
            typed("digest #general monday 09:00"),
            typed("digest here friday 16:00"),
            typed("digest preview"),
            typed("digest off"),
        ),
        _digest,
        (c.DigestShow, c.DigestOff, c.DigestPreview, c.DigestNow, c.DigestConfigure),
    ),
    Spec(
        "export",
        ("export",),
        "export [month|quarter|all]",
        "your entries (everyone's, for admins) and the report's figures as CSV files, in a DM",
        (typed("export"), typed("export quarter"), typed("export all")),
        _export,
        (c.Export,),
    ),
    Spec(
        "remind",
        ("remind",),
        "remind <weekdays> <HH:MM> · remind · remind off",
        "a DM on those days, at that time in your timezone, to log your week's time",
        (
            typed("remind friday 16:00"),
            typed("remind weekdays 17:30"),
            typed("remind mon,wed 9:00"),
            typed("remind off"),
        ),
        _remind,
        (c.RemindShow, c.RemindOff, c.RemindSet),
    ),
    Spec(
        "help",
        ("help",),
        "help [<command>]",
        "what Handoff does, and every command",
        (typed("help"), typed("help quote")),
        _help,
        (c.Help,),
    ),
)
BY_NAME = {s.name: s for s in TABLE}
BY_WORD = {word: s for s in TABLE for word in s.words}


def examples(command: str) -> tuple[str, ...]:
    return BY_NAME[command].examples


def example(command: str) -> str:
    return BY_NAME[command].examples[0]


def _name_in(command_name: str, separator: str) -> str:
    """A task name inside a command, quoted where its words would be misread."""
    words = command_name.lower().split()
    if separator not in words:
        return command_name
    return f"“{command_name}”" if '"' in command_name else f'"{command_name}"'


def rename_command(task: str, new_name: str) -> str:
    return typed("rename", _name_in(task, "to"), "to", _name_in(new_name, "to"))


def merge_command(task: str, into: str) -> str:
    return typed("merge", _name_in(task, "into"), "into", _name_in(into, "into"))


def delete_task_command(task: str) -> str:
    return typed("delete", "task", task)


def log_command(task: str, *words: str) -> str:
    """Logging time on ``task``, quoted when its name would be read as another command."""
    first = task.split(None, 1)[0].lower() if task.split() else ""
    name = f'"{task}"' if first in BY_WORD or '"' in task else task
    return typed(name, *words)


def parse(raw: str, ctx: c.Context) -> c.Command:
    """Parse the text of a /logtask command as Slack sends it (escaped).

    CommandError names what is wrong; unless the grammar suggested a command of its own, it
    carries the command whose examples the reply offers.
    """
    if len(raw) > MAX_COMMAND:
        raise CommandError(
            f"that command is {len(raw):,} characters long; a command is at most "
            f"{MAX_COMMAND:,} characters",
            command=LOG.name,
        )
    text = from_slack(raw).strip()
    if not text:
        return c.Help()
    first = text.split(None, 1)[0]
    spec = BY_WORD.get(first.lower()) if not first.startswith(('"', "“")) else None
    if spec is None:
        spec, args = LOG, Args(text, raw.strip(), ctx)
    else:
        after = raw.strip().split(None, 1)
        args = Args(text[len(first) :].strip(), after[1] if len(after) > 1 else "", ctx, first)
    try:
        return spec.parse(args)
    except CommandError as e:
        if e.example is None and spec.name in _NEW_WORDS:
            e.example = _as_log_line(text, ctx)
        if e.example is None and e.command is None:
            e.command = spec.name
        raise


# Words that became commands after tasks may have been named with them ("edit video 1h").
_NEW_WORDS = {
    "edit", "delete", "rename", "merge", "export", "remind", "trial", "review", "provider",
    "providers", "handoff", "takeback",
}  # fmt: skip


def _as_log_line(text: str, ctx: c.Context) -> str | None:
    """The log line ``text`` would be with its task's name quoted, if it reads as one."""
    try:
        cmd = LOG.parse(Args(text, text, ctx))
    except CommandError:
        return None
    if not isinstance(cmd, c.LogTime):
        return None
    return log_command(cmd.task, format_minutes(cmd.minutes).replace(" ", ""))
