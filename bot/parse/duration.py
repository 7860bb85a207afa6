"""Durations as people type them: 90m, 1.5h, 1,5h, 1h 30m, 1 hr 30 mins, 1:30, 2."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pytimeparse2 import parse as parse_timespan

from bot.text import ECHO, shorten

MAX_MINUTES = 24 * 60
_BARE = re.compile(r"^\d+(?:\.\d+)?$")
_CLOCK = re.compile(r"^(\d{1,2}):([0-5]\d)$")
_DECIMAL_COMMA = re.compile(r"(?<=\d),(?=\d)")
_HUGE = re.compile(r"\d{7,}")


class DurationError(ValueError):
    pass


@dataclass(frozen=True)
class Duration:
    minutes: int
    bare_hours: bool = False  # "2" was read as hours; the reply says so


def parse_duration(text: str) -> Duration | None:
    """Minutes in ``text``, or None when it is not a duration at all.

    A duration that is one but is out of range raises DurationError with a suggestion.
    pytimeparse2 reads the unit spellings (h, hr, hrs, hours, m, min, mins...); two
    forms it reads differently are ours: a bare number is hours, and 1:30 is h:mm.
    """
    s = _DECIMAL_COMMA.sub(".", text.strip().lower())
    if not s:
        return None
    if _HUGE.search(s):  # no day has a million of any unit; long digit runs also slow parsers
        raise DurationError(f"{shorten(text, ECHO)} is more than a day — log at most 24h")
    if _BARE.match(s):
        hours = float(s)
        if hours > 24:
            raise DurationError(
                f"{text} hours is more than a day — did you mean {text}m (minutes)?"
            )
        return _checked(round(hours * 60), text, bare_hours=True)
    if m := _CLOCK.match(s):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
        if minutes > MAX_MINUTES:
            raise DurationError(f"{text} is more than a day — at most 24 h a day, like 2:30")
        return _checked(minutes, text)
    if not re.search(r"\d", s) or not re.search(r"[a-z]", s):
        return None
    seconds = parse_timespan(s)
    if seconds is None:
        return None
    return _checked(round(float(seconds) / 60), text)


def _checked(minutes: int, text: str, bare_hours: bool = False) -> Duration:
    if minutes <= 0:
        raise DurationError(f"“{text}” is no time at all — log at least a minute, e.g. 15m")
    if minutes > MAX_MINUTES:
        tenth = minutes / 600
        hint = f"{tenth:g}h" if tenth >= 0.1 else "a shorter time"
        raise DurationError(f"{text} is more than a day — did you mean {hint}?")
    return Duration(minutes, bare_hours)


def format_minutes(minutes: int) -> str:
    """1h 30m, 45m, 2h."""
    h, m = divmod(int(minutes), 60)
    if h and m:
        return f"{h}h {m}m"
    return f"{h}h" if h else f"{m}m"


def format_hours(hours: float) -> str:
    """Hours a week, to the nearest minute: 2h, 1h 45m, 20m."""
    return format_minutes(round(hours * 60))
