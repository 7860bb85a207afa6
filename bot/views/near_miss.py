"""The reply to a name that is no task but close to some: which one did you mean?

Nothing was saved. Each option is the member's command again, on a close task or on a new
task called exactly what they typed: a command to type, and a button that runs it.
"""

from __future__ import annotations

from bot.parse import commands as c
from bot.parse.duration import format_minutes
from bot.parse.logtask import typed
from bot.parse.retype import Named, NamesProvider, retype, retype_provider
from bot.services.providers import ProviderNearMiss
from bot.services.tasks import NearMiss
from bot.views.common import (
    Message,
    code,
    command_button,
    error,
    message,
    name,
    section,
)


def ask(cmd: c.Command, miss: NearMiss, ctx: c.Context) -> Message:
    """``cmd`` named ``miss.typed``, which is no task: offer it on each candidate, or as new."""
    if not isinstance(cmd, Named):  # pragma: no cover  (only commands that name a task miss)
        return error(miss)
    meant = _one_of([name(t) for t in miss.candidates])
    first = f":mag: No task called {name(miss.typed)}, so nothing was saved. Did you mean {meant}?"
    fallback = [f"No task called {miss.typed}. Did you mean {_one_of(miss.candidates)}?"]
    blocks = [section(first)]
    options = [(t, False) for t in miss.candidates]
    if miss.can_create:
        options.append((miss.typed, True))
    for task, new in options:
        shown = retype(cmd, task, ctx, quoted=new, dated=False)
        value = retype(cmd, task, ctx, quoted=new)
        if shown is None or value is None:
            continue  # no text says it (a name no quotes can hold): not offered
        subject = f"new task “{task}”" if new else task
        note = f" — a new task called {name(task)}" if new else ""
        blocks.append(
            section(f"{code(typed(shown))}{note}", command_button(_label(cmd, subject), value))
        )
        fallback.append(typed(shown) + (" (a new task)" if new else ""))
    return message("\n".join(fallback), blocks)


def ask_provider(cmd: c.Command, miss: ProviderNearMiss, ctx: c.Context) -> Message:
    """``cmd`` named the provider ``miss.typed``, who is none: offer each close one, or new."""
    if not isinstance(cmd, NamesProvider):  # pragma: no cover  (only these name a provider)
        return error(miss)
    meant = _one_of([name(p) for p in miss.candidates])
    first = (
        f":mag: No provider called {name(miss.typed)}, so nothing was saved. Did you mean {meant}?"
    )
    fallback = [f"No provider called {miss.typed}. Did you mean {_one_of(miss.candidates)}?"]
    blocks = [section(first)]
    options = [(p, False) for p in miss.candidates]
    if miss.can_create:
        options.append((miss.typed, True))
    for provider, new in options:
        text = retype_provider(cmd, provider, ctx, quoted=new)
        if text is None:
            continue
        note = f" — a new provider called {name(provider)}" if new else ""
        label = f"{_provider_label(cmd)} {'new provider “' + provider + '”' if new else provider}"
        blocks.append(section(f"{code(typed(text))}{note}", command_button(label, text)))
        fallback.append(typed(text) + (" (a new provider)" if new else ""))
    return message("\n".join(fallback), blocks)


def _provider_label(cmd: NamesProvider) -> str:
    match cmd:
        case c.SetQuote():
            return "Quote from"
        case c.RemoveQuote():
            return "Remove the quote from"
        case c.StartTrial():
            return "Start a trial with"
        case c.AddReview():
            return "Review"
        case c.ProviderShow():
            return "Show"
        case c.HandOff():
            return "Hand off to"
        case c.Paid():
            return "Paid"
    raise AssertionError(cmd)  # pragma: no cover


def _label(cmd: Named, subject: str) -> str:
    """What a button does, naming its task last, where a long name may be cut."""
    match cmd:
        case c.LogTime():
            return f"Log {format_minutes(cmd.minutes)} on {subject}"
        case c.SetQuote():
            return f"Set the quote on {subject}"
        case c.RemoveQuote():
            return f"Remove the quote from {subject}"
        case c.StartTrial():
            return f"Trial of {cmd.provider} on {subject}"
        case c.SetFrequency():
            return f"Set {cmd.frequency.code} on {subject}"
        case c.SetEstimate():
            if cmd.minutes is None:
                return f"Clear the estimate of {subject}"
            return f"Estimate {format_minutes(cmd.minutes)} for {subject}"
        case c.SetCategory():
            if cmd.category is None:
                return f"Clear the category of {subject}"
            return f"Put in #{cmd.category}: {subject}"
        case c.SetCore():
            return f"{'Mark' if cmd.core else 'Unmark'} as core: {subject}"
        case c.HandOff():
            return f"Hand off {subject}"
        case c.Paid():
            return f"Record the payment for {subject}"
        case c.TakeBack():
            return f"Take back {subject}"
    raise AssertionError(cmd)  # pragma: no cover


def _one_of(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
