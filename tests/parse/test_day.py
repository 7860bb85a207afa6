from datetime import date

import pytest

from bot.parse.day import DayError, looks_like_day, parse_day

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("today", MONDAY),
        ("yesterday", date(2026, 11, 22)),
        ("monday", MONDAY),  # today included
        ("mon", MONDAY),
        ("friday", date(2026, 11, 20)),
        ("tue", date(2026, 11, 17)),
        ("2026-11-01", date(2026, 11, 1)),
    ],
)
def test_days_are_read_in_the_members_calendar(word, expected):
    assert parse_day(word, MONDAY) == expected


def test_future_days_are_refused():
    with pytest.raises(DayError, match="in the future"):
        parse_day("2026-11-24", MONDAY)


def test_impossible_dates_are_refused():
    with pytest.raises(DayError, match="not a real date"):
        parse_day("2026-02-30", MONDAY)


@pytest.mark.parametrize(
    ("word", "is_day"), [("fri", True), ("2026-01-01", True), ("list", False), ("may", False)]
)
def test_looks_like_day(word, is_day):
    assert looks_like_day(word) is is_day


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("last tuesday", date(2026, 11, 17)),  # the latest Tuesday before Monday 23 Nov
        ("last monday", date(2026, 11, 16)),  # not today: a week back
        ("last sunday", date(2026, 11, 22)),
        ("3 days ago", date(2026, 11, 20)),
        ("2 weeks ago", date(2026, 11, 9)),
        ("nov 18", date(2026, 11, 18)),
        ("18 November", date(2026, 11, 18)),
        ("Dec 25", date(2025, 12, 25)),  # the latest one that is not in the future
    ],
)
def test_natural_day_phrases(phrase, expected):
    assert parse_day(phrase, MONDAY) == expected


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("400 days ago", "more than a year ago"),
        ("2025-11-01", "more than a year ago"),
        ("feb 30", "not a real date"),
        ("tomorrow", "can't log time in the future"),
    ],
)
def test_days_out_of_range_are_refused(phrase, problem):
    with pytest.raises(DayError, match=problem):
        parse_day(phrase, MONDAY)
