"""The day an entry belongs to, in the member's own calendar."""

from __future__ import annotations

import re
from datetime import date, timedelta

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
    return w in ("today", "yesterday") or bool(_ISO.match(w)) or weekday_index(w) is not None


def parse_day(word: str, today: date) -> date:
    """today, yesterday, a weekday (the latest one, today included) or YYYY-MM-DD."""
    w = word.lower()
    if w == "today":
        return today
    if w == "yesterday":
        return today - timedelta(days=1)
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
