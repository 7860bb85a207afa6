"""The days /logtask export covers, in the member's calendar."""

from __future__ import annotations

from datetime import date

import pytest

from bot.services.export import span_days


@pytest.mark.parametrize(
    ("today", "first"),
    [
        (date(2026, 1, 1), date(2026, 1, 1)),
        (date(2026, 3, 31), date(2026, 1, 1)),
        (date(2026, 4, 1), date(2026, 4, 1)),
        (date(2026, 8, 15), date(2026, 7, 1)),
        (date(2026, 12, 31), date(2026, 10, 1)),
    ],
)
def test_a_quarter_starts_on_the_first_of_january_april_july_or_october(today, first):
    assert span_days("quarter", today) == (first, today)


def test_a_month_is_this_calendar_month_so_far():
    assert span_days("month", date(2026, 2, 28)) == (date(2026, 2, 1), date(2026, 2, 28))


def test_all_has_no_first_day():
    assert span_days("all", date(2026, 5, 5)) == (None, date(2026, 5, 5))
