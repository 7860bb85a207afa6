"""Errors that point at the fix: what was wrong, and the command that would have worked."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import Entry, Workspace


def saved_entries(db) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count(Entry.id))) or 0


def test_a_duration_before_the_name_suggests_the_right_order(bot, db):
    text = bot.reply_text("2h blog post")
    assert "The duration goes after the task's name" in text
    assert "Try: `/logtask blog post 2h`" in text
    assert saved_entries(db) == 0


def test_the_suggested_order_quotes_a_name_that_starts_with_a_command_word(bot):
    assert 'Try: `/logtask "report writing" 2h`' in bot.reply_text("2h report writing")


def test_tomorrow_is_refused_as_the_future_not_blamed_on_the_duration(bot, db):
    text = bot.reply_text("write blog post 1h tomorrow")
    assert "can't log time in the future" in text
    assert "couldn't find how long" not in text
    assert saved_entries(db) == 0


def test_a_clock_duration_past_a_day_says_the_limit(bot, db):
    assert "at most 24 h a day" in bot.reply_text("write blog post 25:00")
    assert saved_entries(db) == 0


def test_overhead_written_as_a_share_is_read_as_a_percentage_and_says_so(bot, db):
    text = bot.reply_text("overhead 0.15")
    assert "Overhead set to *15%*" in text
    assert "I read 0.15 as 15%" in text
    with db.transaction() as s:
        assert s.scalar(select(Workspace.overhead_bp)) == 1500  # 15% in basis points


def test_overhead_with_a_percent_sign_is_taken_as_typed(bot, db):
    text = bot.reply_text("overhead 0.5%")
    assert "Overhead set to *0.5%*" in text
    assert "I read" not in text
    with db.transaction() as s:
        assert s.scalar(select(Workspace.overhead_bp)) == 50


def test_natural_days_are_read_in_the_members_calendar(bot, slack, db):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    slack.add_user("U1", tz="Pacific/Kiritimati")  # UTC+14: often already tomorrow
    today = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    bot.command("bookkeeping 30m 3 days ago")
    bot.command("bookkeeping 30m last tuesday")
    with db.transaction() as s:
        days = sorted(s.scalars(select(Entry.day)).all())
    last_tuesday = today - timedelta(days=(today.weekday() - 1 - 1) % 7 + 1)
    assert days == sorted([today - timedelta(days=3), last_tuesday])
