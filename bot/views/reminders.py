"""`/logtask remind`: the setting's replies, and the reminder DM itself."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.parse.duration import format_minutes
from bot.parse.logtask import typed
from bot.services.reminders import Nudge, Setting
from bot.views.common import Message, code, command_button, context, message, section
from bot.views.home import LOG_TIME
from bot.weekly import WEEKDAY_NAMES

_WEEKDAYS = (0, 1, 2, 3, 4)
_EVERY_DAY = (0, 1, 2, 3, 4, 5, 6)


def days_text(weekdays: tuple[int, ...]) -> str:
    """ "Fridays", "weekdays", "every day", "Mondays and Wednesdays"."""
    if weekdays == _EVERY_DAY:
        return "every day"
    if weekdays == _WEEKDAYS:
        return "weekdays"
    names = [f"{WEEKDAY_NAMES[d]}s" for d in weekdays]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _when(s: Setting) -> str:
    return f"{days_text(s.weekdays)} at {s.local_time} ({s.timezone})"


def _next(s: Setting) -> str:
    local = s.next_run_at.astimezone(ZoneInfo(s.timezone))
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def configured(s: Setting) -> Message:
    text = f"I'll remind you to log your time on {_when(s)}. Next reminder: *{_next(s)}*."
    return message(
        text, [section(text), context(f"{code(typed('remind', 'off'))} stops the reminders")]
    )


def shown(s: Setting | None) -> Message:
    if s is None:
        text = (
            "You have no reminder to log your time. Set one: "
            f"{code(typed('remind', 'friday', '16:00'))}"
        )
    elif not s.enabled:
        text = (
            f"Your reminder is *off* (it was on {_when(s)}). Set it again: "
            f"{code(typed('remind', 'friday', '16:00'))}"
        )
    else:
        text = f"You're reminded to log your time on {_when(s)}. Next reminder: *{_next(s)}*."
    return message(text, [section(text)])


def turned_off(s: Setting | None) -> Message:
    if s is None:
        return shown(None)
    text = "Reminders turned off."
    return message(
        text,
        [section(f"{text} Turn them back on: {code(typed('remind', 'friday', '16:00'))}")],
    )


def reminder_dm(n: Nudge) -> Message:
    """The DM: this week's time so far; buttons open the Log time form and show the entries."""
    so_far = (
        f"you've logged *{format_minutes(n.minutes)}* this week "
        f"({n.entries} {'entry' if n.entries == 1 else 'entries'} since Monday "
        f"{n.week_start.day} {n.week_start:%B})"
        if n.minutes
        else "you haven't logged any time this week yet"
    )
    text = f"Time to log this week's time: {so_far}."
    # Log time opens the App Home's form (bot/listeners/home.py), wherever it is clicked.
    actions: list[ButtonElement] = [
        ButtonElement(text="Log time", action_id=LOG_TIME, style="primary")
    ]
    if (entries := command_button("Show my entries", "history")) is not None:
        actions.append(entries)
    blocks = [
        section(text),
        ActionsBlock(elements=actions),
        context(
            f"Log time: {code(typed('write newsletter', '1h30m'))} · "
            f"{code(typed('remind', 'off'))} stops these reminders"
        ),
    ]
    return message(text, blocks)
