"""The day an entry belongs to, in the member's own calendar."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DayError(ValueError):
    pass


_WEEKDAY_WORDS = {
    **{name: i for i, name in enumerate(WEEKDAYS)},
    **{name[:3]: i for i, name in enumerate(WEEKDAYS)},
    "tues": 1,
    "thur": 3,
    "thurs": 3,
}


def weekday_index(word: str) -> int | None:
    return _WEEKDAY_WORDS.get(word.lower().rstrip("."))


def looks_like_day(word: str) -> bool:
    w = word.lower()
    return (
        w in ("today", "yesterday", "tomorrow")
        or bool(_ISO.match(w))
        or weekday_index(w) is not None
    )


def parse_day(word: str, today: date) -> date:
    """today, yesterday, a weekday (the latest one, today included) or YYYY-MM-DD."""
    w = word.lower()
    if w == "today":
        return today
    if w == "yesterday":
        return today - timedelta(days=1)
    if w == "tomorrow":
        raise DayError("I can't log time in the future — log it once you have spent it")
    if _ISO.match(w):
        try:
            day = date.fromisoformat(w)
        except ValueError:
            raise DayError(f"{word} is not a real date") from None
        if day > today:
            raise DayError(
                f"{word} is in the future — log time you have already spent "
                f"(today is {today.isoformat()})"
            )
        return day
    idx = weekday_index(w)
    if idx is None:
        raise DayError(f"I don't know the day “{word}”")
    return today - timedelta(days=(today.weekday() - idx) % 7)


def parse_clock(text: str) -> time | None:
    """09:00, 9:00, 9am, 5pm, 17:30 → a time; None when it is not a time of day."""
    s = text.strip().lower().replace(".", ":")
    if m := re.fullmatch(r"(\d{1,2})(?::([0-5]\d))?\s*(am|pm)", s):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12:
            return None
        return time((hour % 12) + (12 if m.group(3) == "pm" else 0), minute)
    if m := re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", s):
        return time(int(m.group(1)), int(m.group(2)))
    return None
