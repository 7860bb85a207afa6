"""A parsed command written back as /logtask text: the commands a near-miss reply offers.

When a name is close to a task but is none, Handoff offers the member's own command again,
on each close task, and on the name as typed (quoted, so it is taken literally). Each offer is
text the member could type, and a button runs that same text; so ``retype`` checks that the
text it writes parses back to exactly the command it was asked to write.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from bot.economics import QuoteUnit
from bot.errors import CommandError
from bot.money import Money, format_money, parse_money, precision
from bot.parse import commands as c
from bot.parse.logtask import parse
from bot.text import escape

# The commands that name one task: those a near-miss can be asked about.
Named = (
    c.LogTime
    | c.SetQuote
    | c.RemoveQuote
    | c.StartTrial
    | c.SetFrequency
    | c.SetEstimate
    | c.SetCategory
    | c.SetCore
    | c.Should
    | c.HandOff
    | c.Paid
    | c.TakeBack
)


def retype(
    cmd: Named, task: str, ctx: c.Context, *, quoted: bool, dated: bool = True
) -> str | None:
    """``cmd`` on ``task``, as the text after ``/logtask``; None when no text says exactly that.

    ``quoted``: the name in quotes, so it means that task even if it does not exist yet.
    Unquoted, the name still gets quotes when without them it would read as something else
    ("report writing", a name ending in "daily"). A log line's day is written as a date, so a
    button clicked days later logs the day meant; ``dated=False`` leaves out today's, for
    text the member reads and types today.
    """
    wanted = replace(cmd, task=task)
    if isinstance(wanted, c.LogTime):
        wanted = replace(wanted, bare_hours=False)  # retyped with its unit: nothing to explain
    spellings = (
        [(literal_name(task), True)] if quoted else [(task, False), (literal_name(task), True)]
    )
    for name, literal in spellings:
        if name is None:
            continue
        text = " ".join(_words(cmd, name, ctx, dated))
        try:
            # As Slack would send it typed: the parser unescapes what Slack escapes.
            back = parse(escape(text), ctx)
        except CommandError:
            continue
        if back == replace(wanted, literal=literal):
            return text
    return None


def _words(cmd: Named, name: str, ctx: c.Context, dated: bool) -> list[str]:
    match cmd:
        case c.LogTime():
            words = [name, _duration(cmd.minutes)]
            if cmd.frequency is not None:
                words.append(cmd.frequency.value)
            if cmd.category is not None:
                words.append(f"#{cmd.category}")
            if dated or cmd.day != ctx.today:
                words.append(cmd.day.isoformat())
            return words
        case c.SetQuote():
            words = ["quote", name, _money(cmd.amount) + _per(cmd)]
            if cmd.provider:
                words += ["from", provider_text(cmd.provider, cmd.provider_literal)]
            return words
        case c.RemoveQuote():
            words = ["quote", name, "none"]
            if cmd.provider:
                words += ["from", provider_text(cmd.provider, cmd.provider_literal)]
            return words
        case c.StartTrial():
            return ["trial", name, "with", provider_text(cmd.provider, cmd.provider_literal)]
        case c.SetFrequency():
            return ["freq", name, cmd.frequency.value]
        case c.SetEstimate():
            return ["estimate", name, "none" if cmd.minutes is None else _duration(cmd.minutes)]
        case c.SetCategory():
            return ["category", name, "none" if cmd.category is None else f"#{cmd.category}"]
        case c.SetCore():
            return ["core" if cmd.core else "notcore", name]
        case c.Should():
            return ["should", name]
        case c.HandOff():
            return ["handoff", name, "to", provider_text(cmd.provider, cmd.provider_literal)]
        case c.Paid():
            words = ["paid", name, _money(cmd.amount)]
            if dated or cmd.day != ctx.today:
                words.append(cmd.day.isoformat())
            if cmd.provider:
                words += ["to", provider_text(cmd.provider, cmd.provider_literal)]
            return words
        case c.TakeBack():
            return ["takeback", name]
    raise AssertionError(cmd)  # pragma: no cover


def provider_text(name: str, literal: bool) -> str:
    """A provider's name as a command takes it: in quotes when it was (and can be) quoted."""
    return (literal_name(name) or name) if literal else name


def literal_name(name: str) -> str | None:
    """``name`` in quotes, so that it means exactly that task; None if no quotes can hold it."""
    if '"' not in name:
        return f'"{name}"'
    if "“" not in name and "”" not in name:
        return f"“{name}”"
    return None


def _duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"{h}h{m}m" if h and m else f"{h}h" if h else f"{m}m"


def _money(amount: Money) -> str:
    """As people write it ("$1,500") when that reads back as the same amount, else "1500 CHF"."""
    shown = format_money(amount.minor, amount.currency)
    try:
        if parse_money(shown, amount.currency) == amount:
            return shown
    except ValueError:
        pass
    return f"{Decimal(amount.minor).scaleb(-precision(amount.currency))} {amount.currency}"


def _per(q: c.SetQuote) -> str:
    units = {
        QuoteUnit.HOUR: "/h",
        QuoteUnit.WEEK: "/week",
        QuoteUnit.MONTH: "/month",
        QuoteUnit.TOTAL: " total",
    }
    if q.unit in units:
        return units[q.unit]
    if q.per == "task":
        return "" if q.bare else " each"  # a bare price means per time, or the job on a one-off
    return f"/{q.per}"  # any other word is one occurrence


# The commands that name a provider: those a provider near-miss can be asked about.
NamesProvider = (
    c.SetQuote | c.RemoveQuote | c.StartTrial | c.AddReview | c.ProviderShow | c.HandOff | c.Paid
)


def retype_provider(
    cmd: NamesProvider, provider: str, ctx: c.Context, *, quoted: bool
) -> str | None:
    """``cmd`` with ``provider`` in place of the provider it named, as text after /logtask;
    None when no text says exactly that. ``quoted``: the name in quotes (a new provider)."""
    wanted = replace(cmd, provider=provider, provider_literal=quoted)
    spellings = (
        [(literal_name(provider), True)]
        if quoted
        else [(provider, False), (literal_name(provider), True)]
    )
    task = getattr(cmd, "task", None)
    task_text = (literal_name(task) if getattr(cmd, "literal", False) else task) if task else None
    if task and task_text is None:
        return None
    for name, literal in spellings:
        if name is None:
            continue
        text = " ".join(_provider_words(cmd, name, task_text or ""))
        try:
            back = parse(escape(text), ctx)
        except CommandError:
            continue
        if back == replace(wanted, provider_literal=literal):
            return text
    return None


def _provider_words(cmd: NamesProvider, provider: str, task: str) -> list[str]:
    match cmd:
        case c.SetQuote():
            return ["quote", task, _money(cmd.amount) + _per(cmd), "from", provider]
        case c.RemoveQuote():
            return ["quote", task, "none", "from", provider]
        case c.StartTrial():
            return ["trial", task, "with", provider]
        case c.AddReview():
            words = ["review", provider]
            if cmd.task is not None:
                words += ["for", task]
            words.append(str(cmd.score))
            if cmd.on_time is not None:
                words.append("on time" if cmd.on_time else "late")
            if cmd.note:
                words.append(cmd.note)
            return words
        case c.ProviderShow():
            return ["provider", provider]
        case c.HandOff():
            return ["handoff", task, "to", provider]
        case c.Paid():
            # The day as a date: a button clicked days later records the day meant.
            return ["paid", task, _money(cmd.amount), cmd.day.isoformat(), "to", provider]
    raise AssertionError(cmd)  # pragma: no cover
