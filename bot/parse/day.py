"""The day an entry belongs to, in the member's own calendar.

Only unambiguous forms are read: today, yesterday, a weekday, `last tuesday`, `3 days ago`,
`Nov 18` or `18 Nov`, and ISO dates. `03/04` is refused rather than guessed (month first or
day first?), which is why no general date parser is used here.
"""

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


MONTHS = {
    **{m: i for i, m in enumerate(
        ["january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"], 1)},
    **{m: i for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)},
    "sept": 9,
}  # fmt: skip
MAX_BACK = timedelta(days=366)  # a log is about recent work; older is almost surely a typo
_AGO = re.compile(r"^(\d{1,3}) (day|days|week|weeks) ago$")
_LAST = re.compile(r"^last (\w+)$")
_MONTH_DAY = re.compile(r"^(?:([a-z]+)\.? (\d{1,2})|(\d{1,2}) ([a-z]+)\.?)$")


def day_phrase_length(words: list[str]) -> int:
    """How many of the last words (three at most) name a day; 0 if they don't."""
    for size in (3, 2):
        if len(words) >= size and _is_phrase(" ".join(words[-size:]).lower()):
            return size
    return 1 if words and looks_like_day(words[-1]) else 0


def _is_phrase(text: str) -> bool:
    if m := _AGO.match(text):
        return True
    if m := _LAST.match(text):
        return weekday_index(m.group(1)) is not None
    if m := _MONTH_DAY.match(text):
        return (m.group(1) or m.group(4)) in MONTHS
    return False


def looks_like_day(word: str) -> bool:
    w = word.lower()
    return (
        w in ("today", "yesterday", "tomorrow")
        or bool(_ISO.match(w))
        or weekday_index(w) is not None
    )


def parse_day(word: str, today: date) -> date:
    """A day no later than today and at most a year back, from the forms in the docstring above.

    A weekday is the latest one, today included; `last <weekday>` the latest before today;
    `Nov 18` the latest Nov 18 that is not in the future.
    """
    day = _read_day(" ".join(word.lower().split()), word, today)
    if day > today:
        raise DayError(
            f"{word} is in the future — log time you have already spent "
            f"(today is {today.isoformat()})"
        )
    if today - day > MAX_BACK:
        raise DayError(f"{word} is more than a year ago — log recent work")
    return day


def _read_day(w: str, word: str, today: date) -> date:
    if m := _AGO.match(w):
        n = int(m.group(1)) * (7 if m.group(2).startswith("week") else 1)
        return today - timedelta(days=n)
    if (m := _LAST.match(w)) and (idx := weekday_index(m.group(1))) is not None:
        return today - timedelta(days=(today.weekday() - idx - 1) % 7 + 1)
    if (m := _MONTH_DAY.match(w)) and (month := MONTHS.get(m.group(1) or m.group(4) or "")):
        day_of_month = int(m.group(2) or m.group(3))
        for year in (today.year, today.year - 1):
            try:
                candidate = date(year, month, day_of_month)
            except ValueError:
                raise DayError(f"{word} is not a real date") from None
            if candidate <= today:
                return candidate
        raise AssertionError("last year's date is always in the past")  # pragma: no cover
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
