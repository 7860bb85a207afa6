"""Replies about fixing what was logged: history, edit and delete, rename, merge, undo."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.economics import QuoteUnit, Verdict
from bot.money import format_money
from bot.parse.duration import format_minutes
from bot.parse.logtask import example, typed
from bot.services.analysis import TaskQuote, TaskReport
from bot.services.changes import AskFirst, NothingToUndo, Part, Refused, Undone, UndoOutcome
from bot.services.entries import EntryChange
from bot.services.task_admin import Deleted, Merged, Renamed
from bot.services.tasks import HistoryLine
from bot.text import escape
from bot.views import verdict
from bot.views.common import Message, code, context, day, message, name, plain, section, user

RUN_ACTION = "logtask_run"  # a button whose value is run as a /logtask command for the clicker
UNDO_CONFIRM = "undo confirm"
UNDO_AGAIN = f"{code(typed('undo'))} again goes one further back."


# ---- history, edit, delete ----------------------------------------------------------------


def history(lines: list[HistoryLine], today: date) -> Message:
    if not lines:
        return message(
            "You haven't logged anything yet.",
            [section(f"You haven't logged anything yet. Try {code(example('log'))}")],
        )
    body = "\n".join(
        f"• `#{h.number}` {name(h.task)} · {format_minutes(h.minutes)} · {day(h.day, today)}"
        for h in lines
    )
    n = lines[0].number
    return message(
        f"Your last {len(lines)} entries.",
        [
            section(f"Your last {len(lines)} entr{'y' if len(lines) == 1 else 'ies'}:\n{body}"),
            context(
                f"Fix one: {code(typed('edit', f'#{n}', '45m'))} · "
                f"{code(typed('delete', f'#{n}'))} · {code(typed('undo'))} undoes your last change"
            ),
        ],
    )


def _whose(change: EntryChange) -> str:
    return f" ({user(change.author)}'s entry)" if change.author else ""


def _verdict_line(report: TaskReport | None, currency: str) -> list[str]:
    if report is None or report.assessment.verdict is Verdict.NO_DATA:
        return []
    return [verdict.short(report, currency)]


def entry_edited(change: EntryChange, today: date) -> Message:
    what = []
    if change.minutes != change.minutes_before:
        what.append(f"{format_minutes(change.minutes_before)} → {format_minutes(change.minutes)}")
    if change.day != change.day_before:
        what.append(f"{day(change.day_before, today)} → {day(change.day, today)}")
    lead = f"`#{change.number}` {name(change.task)}: {', '.join(what)}{_whose(change)}."
    return message(
        plain(lead),
        [
            section("\n".join([lead, *_verdict_line(change.report, change.currency)])),
            context(f"{code(typed('undo'))} puts it back."),
        ],
    )


def entry_deleted(change: EntryChange, today: date) -> Message:
    lead = (
        f"Deleted `#{change.number}`: {format_minutes(change.minutes)} on {name(change.task)} "
        f"for {day(change.day, today)}{_whose(change)}."
    )
    return message(
        plain(lead),
        [
            section("\n".join([lead, *_verdict_line(change.report, change.currency)])),
            context(f"{code(typed('undo'))} brings it back."),
        ],
    )


# ---- rename, merge, delete a task ---------------------------------------------------------


def _entries(n: int) -> str:
    return "no entries" if n == 0 else f"{n} entr{'y' if n == 1 else 'ies'}"


def task_renamed(r: Renamed) -> Message:
    lead = f"Renamed {name(r.old)} to {name(r.new)}; its {_entries(r.entries)} and settings stay with it."
    return message(plain(lead), [section(lead), context(f"{code(typed('undo'))} renames it back.")])


def tasks_merged(m: Merged) -> Message:
    target = name(m.target.name)
    moved = f"{_entries(m.entries)} ({format_minutes(m.minutes)})" if m.entries else "no entries"
    lines = [f"Merged {name(m.source)} into {target}: {moved} moved, and {name(m.source)} is gone."]
    for q in m.quotes_moved:
        lines.append(f"Its quote ({_quote(q, m.currency)}) moved to {target}.")
    for q, own in m.quotes_dropped:
        lines.append(
            f"Its quote ({_quote(q, m.currency)}) was dropped: {target} keeps "
            f"its own ({_quote(own, m.currency)})."
        )
    for what, value in m.taken:
        shown = f"#{user(value)}" if what == "category" else user(value)
        lines.append(f"{target} had no {what}: it takes {shown}.")
    lines += _verdict_line(m.target, m.currency)
    return message(
        plain(lines[0]),
        [section("\n".join(lines)), context(f"{code(typed('undo'))} splits them again.")],
    )


def task_deleted(d: Deleted) -> Message:
    what = _entries(d.entries)
    if d.entries:
        members = f" by {d.members} members" if d.members > 1 else ""
        what += f" ({format_minutes(d.minutes)}){members}"
    if len(d.quotes) == 1:
        what += f", and its quote ({_quote(d.quotes[0], d.currency)})"
    elif d.quotes:
        shown = ", ".join(_quote(q, d.currency) for q in d.quotes)
        what += f", and its {len(d.quotes)} quotes ({shown})"
    lead = f"Deleted the task {name(d.name)}: {what}."
    return message(plain(lead), [section(lead), context(f"{code(typed('undo'))} brings it back.")])


def no_such_task(task: str, suggestions: Sequence[tuple[str, str]]) -> Message:
    """``suggestions``: (a close task name, the command with it in place of ``task``)."""
    lead = f":warning: No task called {name(task)}."
    if not suggestions:
        lines = [lead, f"{code(typed('report'))} lists every task."]
    else:
        names = " or ".join(name(n) for n, _ in suggestions)
        lines = [
            f"{lead} Did you mean {names}?",
            "Try: " + " or ".join(code(c) for _, c in suggestions),
        ]
    return message(plain(lines[0]), [section("\n".join(lines))])


def name_taken(task: str, other: str, merge: str) -> Message:
    lines = [
        f":warning: There is already a task called {name(other)}.",
        f"To move the time of {name(task)} into it: {code(merge)}",
    ]
    return message(plain(lines[0]), [section("\n".join(lines))])


# ---- undo ---------------------------------------------------------------------------------


def when(made_at: datetime, tz: ZoneInfo, now: datetime) -> str:
    """When a change was made, in the member's timezone: today 14:05, yesterday 09:10, Mon 16 Nov."""
    local, today = made_at.astimezone(tz), now.astimezone(tz).date()
    if local.date() == today:
        return f"today {local:%H:%M}"
    if local.date() == today - timedelta(days=1):
        return f"yesterday {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b}" + (
        "" if local.year == today.year else f" {local.year}"
    )


def summary(parts: Sequence[Part], today: date) -> str:
    """A change's summary as mrkdwn: what members typed is escaped, task names in bold."""
    return "".join(_part(p, today) for p in parts)


def _part(p: dict[str, Any], today: date) -> str:
    if "text" in p:
        return escape(str(p["text"]))
    if "name" in p:
        return name(str(p["name"]))
    if "value" in p:
        return user(str(p["value"]))
    if "minutes" in p:
        return format_minutes(int(p["minutes"]))
    if "day" in p:
        return day(date.fromisoformat(p["day"]), today)
    if "entry" in p:
        return f"#{int(p['entry'])}"
    if "money" in p:
        if p["money"] is None:
            return "not set"
        per = f"/{user(str(p['per']))}" if p["per"] else ""
        return format_money(int(p["money"]), str(p["currency"])) + per
    if "quote" in p:
        if p["quote"] is None:
            return "none"
        try:
            unit = QuoteUnit(p["unit"])
        except ValueError:
            return format_money(int(p["quote"]), p["currency"])
        q = TaskQuote(int(p["quote"]), unit, p["per"] or "task", p["provider"], None)
        return _quote(q, p["currency"])
    if "percent" in p:
        return f"{int(p['percent']) / 100:g}%"
    if "count" in p:
        n, noun = int(p["count"]), str(p["noun"])
        return _entries(n) if noun == "entry" else f"{n} {noun}{'s' if n != 1 else ''}"
    return ""  # a part this version does not know: leave it out rather than fail


def _quote(q: TaskQuote, currency: str) -> str:
    provider = f" from {user(q.provider)}" if q.provider else ""
    return verdict.quote_text(q, currency) + provider


def undo_outcome(outcome: UndoOutcome, tz: ZoneInfo, now: datetime) -> Message:
    today = now.astimezone(tz).date()
    match outcome:
        case NothingToUndo():
            text = (
                "Nothing to undo: you have made no changes that I still keep "
                "(your last 20, or a week's)."
            )
            return message(text, [section(text)])
        case Undone(summary=parts, made_at=made_at):
            lead = f"Undid: {summary(parts, today)}."
            return message(
                plain(lead),
                [
                    section(f"{lead}\nYou made that change {when(made_at, tz, now)}."),
                    context(UNDO_AGAIN),
                ],
            )
        case AskFirst(summary=parts, made_at=made_at):
            lead = f"Your last change is from {when(made_at, tz, now)}: {summary(parts, today)}."
            return message(
                plain(lead),
                [
                    section(f"{lead}\nIt is over a day old: undo it?"),
                    ActionsBlock(
                        elements=[
                            ButtonElement(
                                text="Undo it",
                                action_id=RUN_ACTION,
                                value=UNDO_CONFIRM,
                                style="primary",
                            )
                        ]
                    ),
                    context(f"Or type {code(typed(UNDO_CONFIRM))}"),
                ],
            )
        case Refused(summary=parts, made_at=made_at, reason=reason):
            lead = (
                f":warning: Your last change, from {when(made_at, tz, now)}, was: "
                f"{summary(parts, today)}. I can't undo it: {summary(reason, today)}."
            )
            return message(
                plain(lead),
                [
                    section(
                        f"{lead}\nUndoing it would overwrite that, so I've taken it off your undo "
                        f"list: {code(typed('undo'))} now goes one further back."
                    )
                ],
            )
    raise AssertionError(f"unhandled undo outcome {outcome!r}")  # pragma: no cover
