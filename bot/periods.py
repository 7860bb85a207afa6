"""Calendar periods people ask about ("this week", "last month"), as days of their calendar.

Pure: a period and the member's today in, the first and last day out. Weeks run Monday to
Sunday, as the week totals after logging do; a period that is still going ends today.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum


class Period(StrEnum):
    THIS_WEEK = "this week"
    LAST_WEEK = "last week"
    THIS_MONTH = "this month"
    LAST_MONTH = "last month"


def days(period: Period, today: date) -> tuple[date, date]:
    """The first and the last day of ``period`` as seen on ``today``, both included."""
    monday = today - timedelta(days=today.weekday())
    first_of_month = today.replace(day=1)
    match period:
        case Period.THIS_WEEK:
            return monday, today
        case Period.LAST_WEEK:
            return monday - timedelta(days=7), monday - timedelta(days=1)
        case Period.THIS_MONTH:
            return first_of_month, today
        case Period.LAST_MONTH:
            last_day = first_of_month - timedelta(days=1)
            return last_day.replace(day=1), last_day
