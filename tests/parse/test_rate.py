"""`rate`: an hourly amount, or a day's or a week's pay divided by the hours it is for."""

from datetime import date
from fractions import Fraction

import pytest

from bot.errors import CommandError
from bot.money import Money
from bot.parse import commands as c
from bot.parse import logtask

CTX = c.Context(date(2026, 11, 23), "USD")


def parse(text: str) -> c.Command:
    return logtask.parse(text, CTX)


def usd(minor: int) -> Money:
    return Money(minor, "USD")


@pytest.mark.parametrize(
    "text",
    [
        "rate $480/day 8h",
        "rate $480/day for 8h",
        "rate $480/day 8 hours",
        "rate $480 a day for 8 hours",
        "rate $480 per day, 8h",
        "rate 480 for 8h a day",
    ],
)
def test_a_days_pay_is_divided_by_its_hours(text):
    # $480 ÷ 8 h = $60 an hour.
    day = c.RateConversion(usd(48000), "day", Fraction(8))
    assert parse(text) == c.Rate(usd(6000), day)


def test_a_weeks_pay_is_divided_by_its_hours():
    # $2,400 ÷ 37.5 h = $64 an hour.
    week = c.RateConversion(usd(240000), "week", Fraction(75, 2))
    assert parse("rate $2,400/week 37.5h") == c.Rate(usd(6400), week)


def test_hours_with_a_decimal_comma():
    # $500 ÷ 7.5 h = $66.666… → $66.67, rounded once.
    assert parse("rate $500/day 7,5h") == c.Rate(
        usd(6667), c.RateConversion(usd(50000), "day", Fraction(15, 2))
    )


def test_an_hourly_amount_is_unchanged():
    assert parse("rate $85/h") == c.Rate(usd(8500))
    assert parse("rate 85 per hour") == c.Rate(usd(8500))


@pytest.mark.parametrize(
    ("text", "problem", "example"),
    [
        ("rate $480/day", r"how many hours is \$480 a day for", "/logtask rate $480/day 8h"),
        (
            "rate $2,400/week",
            r"how many hours is \$2,400 a week for",
            "/logtask rate $2,400/week 40h",
        ),
        ("rate $480 8h", "a day's pay or a week's", "/logtask rate $480/day 8h"),
        ("rate $480/day 8h/week", "a day's pay or a week's", "/logtask rate $480/day 8h"),
        ("rate $60/h 8h", "needs no hours", "/logtask rate $60/h"),
        ("rate $480/day 25h", "a day has at most 24 hours", "/logtask rate $480/day 8h"),
        ("rate $4,800/week 170h", "a week has at most 168 hours", "/logtask rate $4,800/week 40h"),
        ("rate $480/day 0h", "more than zero", "/logtask rate $480/day 8h"),
        ("rate $8,000/month 160h", "per hour", "/logtask rate $480/day 8h"),
    ],
)
def test_a_pay_that_cannot_be_converted_says_what_to_type(text, problem, example):
    with pytest.raises(CommandError, match=problem) as e:
        parse(text)
    assert e.value.example == example


def test_a_conversion_below_a_cent_an_hour_is_refused():
    # $0.01 ÷ 24 h is less than a cent: a rate of zero would value the time at nothing.
    with pytest.raises(CommandError, match=r"less than \$0\.01 an hour"):
        parse("rate $0.01/day 24h")


def test_a_conversion_above_the_largest_amount_is_refused():
    # $1,000,000 ÷ 0.5 h = $2,000,000 an hour: over the $1,000,000 any amount may be.
    with pytest.raises(CommandError, match=r"more than \$1,000,000 an hour"):
        parse("rate $1,000,000/day 0.5h")


def test_the_amount_is_read_before_the_hours_are_asked_for():
    with pytest.raises(CommandError, match="counts in USD, not EUR"):
        parse("rate €480/day")
