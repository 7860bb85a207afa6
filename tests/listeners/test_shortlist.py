"""A task's shortlist of quotes (#11): one per provider, the verdict weighing the best."""

from __future__ import annotations

from tests.listeners.test_logtask import worked_example
from tests.support.database import shortlist_of


def test_the_verdict_uses_the_cheaper_of_two_providers(bot, db):
    # Worked example: 2h a week at $80/h = $160, review $16. Jane $60/post = $60 a week;
    # Ada $25/h × 2h = $50 a week, cheaper: saves $160 − $16 − $50 = $94 a week.
    worked_example(bot)
    bot.command("quote write blog post $25/h from Ada")
    assert shortlist_of(db, "write blog post") == [
        (6000, "occurrence", "post", "Jane"),
        (2500, "hour", "hour", "Ada"),
    ]
    text = bot.reply_text("report")
    assert "outsourcing $50/week ($25/hour)" in text
    assert "savings $94/week" in text


def test_a_new_quote_from_the_same_provider_replaces_theirs_and_keeps_the_others(bot, db):
    worked_example(bot)
    bot.command("quote write blog post $25/h from Ada")
    text = bot.reply_text("quote write blog post $70/post from jane")  # her name, any case
    assert "Quote set: $70 per post from Jane" in text
    assert shortlist_of(db, "write blog post") == [
        (2500, "hour", "hour", "Ada"),  # Jane's is now the later one given
        (7000, "occurrence", "post", "Jane"),
    ]


def test_a_quote_without_a_provider_is_kept_as_unnamed_beside_theirs(bot, db):
    worked_example(bot)
    bot.command("quote write blog post $55")
    bot.command("quote write blog post $50")  # replaces the unnamed $55
    assert shortlist_of(db, "write blog post") == [
        (6000, "occurrence", "post", "Jane"),
        (5000, "occurrence", "task", None),
    ]


def test_none_from_a_provider_removes_only_theirs(bot, db):
    worked_example(bot)
    bot.command("quote write blog post $25/h from Ada")
    text = bot.reply_text("quote write blog post none from Ada")
    assert "Removed the quote from Ada for *write blog post*" in text
    assert shortlist_of(db, "write blog post") == [(6000, "occurrence", "post", "Jane")]


def test_none_removes_every_quote(bot, db):
    worked_example(bot)
    bot.command("quote write blog post $25/h from Ada")
    assert "Removed all 2 quotes for *write blog post*" in bot.reply_text(
        "quote write blog post none"
    )
    assert shortlist_of(db, "write blog post") == []


def test_none_from_a_provider_with_no_quote_on_the_task_says_so(bot, db):
    worked_example(bot)
    bot.command("quote other task $10 from Ada")
    text = bot.reply_text("quote write blog post none from Ada")
    assert "“write blog post” has no quote from “Ada” to remove" in text
    assert shortlist_of(db, "write blog post") == [(6000, "occurrence", "post", "Jane")]


def test_undo_puts_back_the_providers_previous_quote(bot, db):
    worked_example(bot)
    bot.command("quote write blog post $70/post from Jane")
    assert "Undid: set the quote on *write blog post*" in bot.reply_text("undo")
    assert shortlist_of(db, "write blog post") == [(6000, "occurrence", "post", "Jane")]


def test_undo_of_removing_every_quote_puts_them_all_back(bot, db):
    worked_example(bot)
    bot.command("quote write blog post $25/h from Ada")
    bot.command("quote write blog post none")
    bot.command("undo")
    assert shortlist_of(db, "write blog post") == [
        (6000, "occurrence", "post", "Jane"),
        (2500, "hour", "hour", "Ada"),
    ]
