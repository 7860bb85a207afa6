"""The "Log time" modal's fields, read with the same rules as typed /logtask text.

Each field has its own block in the modal, so a problem is reported against the field that
has it (``FormErrors``: block id to message), the way Slack shows errors in a modal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.economics import Frequency
from bot.errors import CommandError
from bot.names import MAX_NAME, clean_name
from bot.parse.day import DayError, parse_day
from bot.parse.duration import DurationError, parse_duration
from bot.parse.logtask import FREQUENCY_FORMS, checked_category, frequency_phrase

# The modal's block ids: errors name the block they belong under.
TASK = "task"
NEW_TASK = "new_task"
DURATION = "duration"
DAY = "day"
FREQUENCY = "frequency"
CATEGORY = "category"
_QUOTES = "\"“”'‘’"


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(", ".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class LogForm:
    """What the member filled in: raw strings (None when left empty)."""

    task_id: str | None
    new_name: str | None
    duration: str | None
    day: str | None
    frequency: str | None
    category: str | None


@dataclass(frozen=True)
class LogRequest:
    task_id: int | None  # picked from the list
    name: str | None  # typed as a new task
    literal: bool  # the typed name was quoted: that task or a new one, never a near one
    minutes: int
    bare_hours: bool
    day: date
    frequency: Frequency | None
    category: str | None


def parse_log_form(form: LogForm, today: date) -> LogRequest:
    """The request the form makes, or FormErrors naming every field that needs fixing."""
    errors: dict[str, str] = {}
    task_id: int | None = None
    name: str | None = None
    literal = False
    typed = (form.new_name or "").strip()
    if form.task_id and typed:
        errors[NEW_TASK] = "Pick a task from the list or type a new one, not both."
    elif form.task_id:
        if form.task_id.isdigit():
            task_id = int(form.task_id)
        else:
            errors[TASK] = "Pick a task from the list."
    elif typed:
        literal = typed[0] in _QUOTES
        name = clean_name(typed)
        if not name:
            errors[NEW_TASK] = "Type the task's name."
        elif len(name) > MAX_NAME:
            errors[NEW_TASK] = (
                f"Task names are at most {MAX_NAME} characters; that has {len(name)}."
            )
    else:
        errors[TASK] = "Pick a task, or type a new task's name below."

    minutes, bare_hours = 0, False
    try:
        duration = parse_duration(form.duration or "")
    except DurationError as e:
        errors[DURATION] = sentence(str(e))
    else:
        if duration is None:
            errors[DURATION] = "Type how long it took, like 45m, 1h30m or 1:30."
        else:
            minutes, bare_hours = duration.minutes, duration.bare_hours

    day = today
    if form.day:
        try:
            day = parse_day(form.day, today)
        except DayError as e:
            errors[DAY] = sentence(str(e))

    frequency = None
    if form.frequency and form.frequency.strip():
        try:
            frequency = frequency_phrase(form.frequency)
        except CommandError as e:
            errors[FREQUENCY] = sentence(str(e))
        else:
            if frequency is None:
                errors[FREQUENCY] = f"I couldn't read how often. Try {FREQUENCY_FORMS}."

    category = None
    if form.category and form.category.strip():
        try:
            category = checked_category(form.category.strip().removeprefix("#"))
        except CommandError as e:
            errors[CATEGORY] = sentence(str(e))

    if errors:
        raise FormErrors(errors)
    return LogRequest(task_id, name, literal, minutes, bare_hours, day, frequency, category)


def sentence(text: str) -> str:
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
