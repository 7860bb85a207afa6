"""Custom frequencies and occurrences, through the signed /logtask path."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import Entry, Task


@pytest.mark.parametrize(
    ("phrase", "stored", "shown"),
    [
        ("twice a week", "2x/week", "2x/week (twice a week)"),
        ("3x/week", "3x/week", "3x/week (3 times a week)"),
        ("3x a week", "3x/week", "3x/week (3 times a week)"),
        ("3 times a week", "3x/week", "3x/week (3 times a week)"),
        ("every 2 weeks", "biweekly", "biweekly (every 2 weeks)"),
        ("every 3 weeks", "every 3 weeks", "every 3 weeks"),
        ("every month", "monthly", "monthly (every month)"),
        ("2x/month", "2x/month", "2x/month (twice a month)"),
        ("every weekday", "weekdays", "weekdays (every weekday)"),
        ("fortnightly", "biweekly", "biweekly (every 2 weeks)"),
        ("once", "once", "once (a one-off job)"),
    ],
)
def test_freq_understands_custom_frequencies_and_stores_a_short_form(
    bot, db, phrase, stored, shown
):
    text = bot.reply_text(f"freq team standup notes {phrase}")
    assert f"Frequency set to {shown} for *team standup notes*" in text
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) == stored


def test_a_log_line_takes_a_custom_frequency(bot, db):
    text = bot.reply_text("post 1h 3x/week yesterday")
    assert "Logged 1h on *post* for yesterday" in text
    assert "New task: 3x/week." in text
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) == "3x/week"


def test_a_log_line_changing_to_a_custom_frequency_says_so(bot):
    bot.command("post 1h weekly")
    assert "Frequency changed: weekly → 2x/week." in bot.reply_text("post 1h twice a week")


def test_a_custom_frequency_drives_the_hours_per_week(bot):
    # 1h30m a time on three days, 3 times a week: 4h30m a week; at $80/h, $360 in-house;
    # review 10% = $36; $40 a post × 3 = $120; savings 360 − 36 − 120 = $204 a week.
    bot.command("rate $80/h")
    for when in ("2 weeks ago", "1 week ago", "today"):
        bot.command(f"post 1h30m 3x/week {when}")
    bot.command("quote post $40/post")
    text = bot.reply_text("should post")
    assert (
        "• Hours per week: *4h 30m* — 1h 30m a time (3 times in the last 28 days) × 3x/week" in text
    )
    assert "• In-house cost: $360/week" in text
    assert "• Outsourcing: $120/week ($40 per post" in text
    assert "it saves you $204 a week ($10,608 a year)" in text  # 204 × 52


@pytest.mark.parametrize(
    ("phrase", "problem"),
    [
        ("0x/week", "0 times"),
        ("every 0 weeks", "every 0 weeks"),
        ("8x/week", "more than once a day"),
        ("2x/day", "more than once a day"),
        ("every 2 years", "less than once a year"),
        ("every 1.5 weeks", "couldn't read how often"),
    ],
)
def test_nonsense_frequencies_are_refused_and_nothing_is_saved(bot, db, phrase, problem):
    assert problem in bot.reply_text(f"post 1h {phrase}")
    assert problem in bot.reply_text(f"freq post {phrase}")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Task.id))) == 0
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_entries_on_the_same_day_by_anyone_are_one_occurrence(bot):
    # U1 and U2 each log 30m of the weekly invoice run today: one 1h occurrence, so 1h a week.
    # Both $80/h: $80 in-house, $8 review, a $50 run → saves 80 − 8 − 50 = $22 a week.
    # (Counted as two 30m occurrences it would read 40 − 4 − 50 = −$14: keep.)
    # Break-even per run: 1h × $80 × 0.9 = $72.
    for user in ("U1", "U2"):
        bot.command("rate $80/h", user=user)
        bot.command("invoice run 30m weekly", user=user)
    text = bot.reply_text("quote invoice run $50 each")
    assert "*Hand it off* — saves $22/week ($1,144/year); break-even $72 per task." in text
    should = bot.reply_text("should invoice run")
    assert "1h a time (1 time in the last 28 days: 2 entries on 1 day) × weekly" in should
