"""Calendar periods as the days they cover: weeks Monday to Sunday, months by the calendar."""

from datetime import date

import pytest

from bot.periods import Period, days

WEDNESDAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("period", "first", "last"),
    [
        (Period.THIS_WEEK, date(2026, 11, 23), WEDNESDAY),  # Monday 23 to today
        (Period.LAST_WEEK, date(2026, 11, 16), date(2026, 11, 22)),  # Monday 16 to Sunday 22
        (Period.THIS_MONTH, date(2026, 11, 1), WEDNESDAY),  # the 1st to today
        (Period.LAST_MONTH, date(2026, 10, 1), date(2026, 10, 31)),  # all of October
    ],
)
def test_each_period_on_a_wednesday(period, first, last):
    assert days(period, WEDNESDAY) == (first, last)


def test_on_a_monday_this_week_is_today_alone_and_last_week_the_seven_days_before():
    monday = date(2026, 11, 23)
    assert days(Period.THIS_WEEK, monday) == (monday, monday)
    assert days(Period.LAST_WEEK, monday) == (date(2026, 11, 16), date(2026, 11, 22))


def test_on_a_sunday_this_week_started_six_days_ago():
    sunday = date(2026, 11, 29)
    assert days(Period.THIS_WEEK, sunday) == (date(2026, 11, 23), sunday)


def test_a_week_across_the_new_year():
    # Friday 1 January 2027: its week began on Monday 28 December 2026.
    assert days(Period.THIS_WEEK, date(2027, 1, 1)) == (date(2026, 12, 28), date(2027, 1, 1))
    assert days(Period.LAST_WEEK, date(2027, 1, 1)) == (date(2026, 12, 21), date(2026, 12, 27))


def test_last_month_in_january_is_last_years_december():
    assert days(Period.LAST_MONTH, date(2027, 1, 15)) == (date(2026, 12, 1), date(2026, 12, 31))


def test_last_month_of_march_ends_on_the_last_day_of_february():
    assert days(Period.LAST_MONTH, date(2028, 3, 31)) == (date(2028, 2, 1), date(2028, 2, 29))
