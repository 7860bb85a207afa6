"""Lump-sum prices (`total`, `flat`, `fixed`, `for the job`) price a whole one-off job."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from bot.db.models import Entry, Task
from tests.support.database import shortlist_of


@pytest.mark.parametrize("words", ["total", "flat", "fixed", "for the job"])
def test_a_lump_sum_prices_the_whole_job(bot, db, words):
    bot.command("brand book 2h once")
    text = bot.reply_text(f"quote brand book $1,200 {words} from Ada")
    assert "Quote set: $1,200 in total from Ada for *brand book*." in text
    assert shortlist_of(db, "brand book") == [(120000, "total", "job", "Ada")]


def test_each_is_a_price_per_time(bot, db):
    bot.command("post 1h weekly")
    assert "Quote set: $60 per task for *post*." in bot.reply_text("quote post $60 each")
    assert shortlist_of(db, "post") == [(6000, "occurrence", "task", None)]


def test_a_lump_sum_on_a_task_with_no_frequency_makes_it_one_off_and_says_so(bot, db):
    # 4h logged today at $80/h: $320 in-house, $32 review; $200 for the job → saves $88.
    bot.command("rate $80/h")
    bot.command("office move 4h")
    text = bot.reply_text("quote office move $200 total")
    assert "It had no frequency, so I'm treating it as a one-off job (frequency: once)" in text
    assert "*Hand it off* — saves $88 on the job" in text
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) == "once"


def test_a_lump_sum_on_a_recurring_task_is_refused_with_the_price_per_time_to_give(bot, db):
    bot.command("post 1h weekly")
    text = bot.reply_text("quote post $1,500 total from Jane")
    assert "“post” happens every week, so a price for the whole job can't be weighed" in text
    assert "Try: `/logtask quote post $1,500 each from Jane`" in text
    assert shortlist_of(db, "post") == []


def test_a_lump_sum_on_a_task_logged_on_several_days_is_refused(bot, db):
    bot.command("bookkeeping 1h 1 week ago")
    bot.command("bookkeeping 1h")
    text = bot.reply_text("quote bookkeeping $900 flat")
    assert "looks recurring" in text
    assert "If it is one job, set its frequency to once first" in text
    assert "Try: `/logtask quote bookkeeping $900 each`" in text
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) is None
    assert shortlist_of(db, "bookkeeping") == []


def test_a_recurring_frequency_on_a_lump_sum_task_is_refused(bot, db):
    bot.command("office move 4h once")
    bot.command("quote office move $3,000 total from Movers")
    text = bot.reply_text("freq office move weekly")
    assert "“office move” is priced as one whole job ($3,000 in total)" in text
    assert "Try: `/logtask quote office move $3,000 each from Movers`" in text
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) == "once"


def test_a_log_line_making_a_lump_sum_task_recurring_logs_nothing(bot, db):
    bot.command("office move 4h once")
    bot.command("quote office move $3,000 total")
    text = bot.reply_text("office move 1h 3x/week")
    assert "happens 3 times a week. Nothing was logged." in text
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 1
        assert s.scalar(select(Task.frequency)) == "once"


def test_a_weekly_price_on_a_one_off_job_is_refused_with_the_total_to_give(bot, db):
    bot.command("office move 4h once")
    text = bot.reply_text("quote office move $500/week")
    assert "“office move” is a one-off job: a price per week says nothing" in text
    assert "Try: `/logtask quote office move $500 total`" in text
    assert shortlist_of(db, "office move") == []
