"""The hand-off commands' grammar: handoff / hand off, paid, takeback, report by category."""

from datetime import date

import pytest

from bot.errors import CommandError
from bot.money import Money
from bot.parse import commands as c
from bot.parse import logtask

TODAY = date(2026, 11, 23)  # a Monday
CTX = c.Context(TODAY, "USD")


def parse(text: str) -> c.Command:
    return logtask.parse(text, CTX)


def test_handoff_names_the_task_then_the_provider_after_the_last_to():
    assert parse("handoff move to cloud to Jane Doe") == c.HandOff("move to cloud", "Jane Doe")


def test_hand_off_in_two_words_is_the_same_command():
    assert parse("hand off newsletter to Jane") == c.HandOff("newsletter", "Jane")


def test_a_task_starting_with_hand_is_still_logged():
    cmd = parse("hand lettering 2h")
    assert isinstance(cmd, c.LogTime)
    assert (cmd.task, cmd.minutes) == ("hand lettering", 120)


def test_quoted_names_are_literal_on_both_sides():
    assert parse('handoff "news" to "Jane to Go"') == c.HandOff("news", "Jane to Go", True, True)


def test_handoff_without_to_says_how():
    with pytest.raises(CommandError, match="then `to`, then the provider"):
        parse("handoff newsletter Jane")


def test_paid_takes_the_amount_after_the_task():
    assert parse("paid top 10 list $60") == c.Paid("top 10 list", Money(6000, "USD"), TODAY)


def test_paid_takes_a_day_and_a_provider():
    cmd = parse("paid newsletter $60 3 days ago to Jane")
    assert cmd == c.Paid("newsletter", Money(6000, "USD"), date(2026, 11, 20), "Jane")


def test_paid_in_the_future_is_refused():
    with pytest.raises(CommandError, match="in the future"):
        parse("paid newsletter $60 2026-12-01")


def test_paid_without_an_amount_on_a_task_starting_with_paid_is_a_log_line():
    cmd = parse("paid ads 2h")
    assert isinstance(cmd, c.LogTime)
    assert cmd.task == "paid ads"


def test_paid_without_an_amount_says_what_to_give():
    with pytest.raises(CommandError, match="then the amount paid"):
        parse("paid newsletter")


def test_takeback_names_a_task():
    assert parse('takeback "newsletter"') == c.TakeBack("newsletter", True)


def test_report_by_category():
    assert parse("report by category") == c.Report(by_category=True)
    assert parse("report") == c.Report()
    with pytest.raises(CommandError):
        parse("report by month")
