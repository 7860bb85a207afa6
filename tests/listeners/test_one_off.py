"""One-off jobs (`once`) are weighed whole, in totals, and kept out of the weekly figures."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Task
from tests.listeners.test_messages import answer_text
from tests.support.database import shortlist_of
from tests.support.slack_sim import flatten


def website_redesign(bot) -> None:
    """The issue's case: 6h, 5h and 4h of a one-off redesign on three days, at $80/h."""
    bot.command("rate $80/h")
    bot.command("website redesign 6h once 2 days ago")
    bot.command("website redesign 5h yesterday")
    bot.command("website redesign 4h")


def test_a_one_off_job_with_a_lump_sum_gets_a_verdict_in_totals(bot):
    # 15h × $80 = $1,200 in-house; review 10% = $120; Studio's $3,000 for the job:
    # 1,200 − 120 − 3,000 = −$1,920 → keep. Break-even: $1,200 × 0.9 = $1,080 for the job.
    website_redesign(bot)
    text = bot.reply_text("quote website redesign $3000 total from Studio")
    assert "Quote set: $3,000 in total from Studio for *website redesign*." in text
    assert (
        "*Keep it* — outsourcing costs $1,920 more on the job than doing it yourself; "
        "break-even $1,080 for the whole job." in text
    )
    assert "/week" not in text
    assert "/year" not in text


def test_should_on_a_one_off_job_shows_the_arithmetic_in_totals(bot):
    website_redesign(bot)
    bot.command("quote website redesign $3000 total from Studio")
    text = bot.reply_text("should website redesign")
    assert (
        "No — keep doing it yourself: handing it off would cost you $1,920 more on the job" in text
    )
    assert "• The whole job: *15h* — all the time logged on it, on 3 days" in text
    assert "• In-house cost: $1,200 for the job" in text
    assert "• Outsourcing: $3,000 for the job ($3,000 in total from *Studio*" in text
    assert "• Your review overhead (10%): $120" in text
    assert "• Savings: *-$1,920 on the job*" in text
    assert "• Break-even price: $1,080 for the whole job" in text
    assert "week" not in text
    assert "year" not in text


def test_a_bare_price_on_a_one_off_job_prices_the_whole_job(bot, db):
    website_redesign(bot)
    text = bot.reply_text("quote website redesign $3000")
    assert "I read the price as the whole job's" in text
    assert "costs $1,920 more on the job" in text  # the same $3,000 total as above
    assert shortlist_of(db, "website redesign") == [(300000, "total", "job", None)]


def test_a_price_each_on_a_one_off_job_is_the_price_of_the_job(bot):
    # Logged on 3 days, but the job happens once: $3,000 each costs $3,000, not 3 × $3,000.
    website_redesign(bot)
    assert "costs $1,920 more on the job" in bot.reply_text("quote website redesign $3000 each")


def test_an_estimate_replaces_the_time_logged_so_far(bot, db):
    # Estimated at 40h: 40 × $80 = $3,200; review $320; $2,500 total → saves 3,200 − 320 −
    # 2,500 = $380 on the job. Cleared, the 15h logged give 1,200 − 120 − 2,500 = −$1,420.
    website_redesign(bot)
    bot.command("quote website redesign $2,500 total")
    text = bot.reply_text("estimate website redesign 40h")
    assert "Estimate set: 40h in all for *website redesign*." in text
    assert "*Hand it off* — saves $380 on the job; break-even $2,880 for the whole job." in text
    should = bot.reply_text("should website redesign")
    assert "Yes — hand it off: it saves you $380 on the job, your review time counted." in should
    assert "• The whole job: *40h* — your estimate for the whole job (15h logged so far" in should
    with db.transaction() as s:
        assert s.scalar(select(Task.estimate_minutes)) == 40 * 60
    cleared = bot.reply_text("estimate website redesign none")
    assert "Estimate cleared for *website redesign*." in cleared
    assert "costs $1,420 more on the job" in cleared


def test_an_estimate_before_any_time_is_valued_at_the_estimators_worth(bot):
    # A new job, 10h estimated by a member at $80/h: 800 − 80 − 500 = $220 on the job.
    bot.command("rate $80/h")
    text = bot.reply_text("estimate logo design 10h")
    assert "(new task)" in text
    assert "treating it as a one-off job" in text
    assert "saves $220 on the job" in bot.reply_text("quote logo design $500 total")


def test_an_estimate_on_a_recurring_task_is_refused(bot, db):
    bot.command("newsletter 2h weekly")
    text = bot.reply_text("estimate newsletter 40h")
    assert "“newsletter” happens every week: its hours come from the time logged" in text
    with db.transaction() as s:
        assert s.scalar(select(Task.estimate_minutes)) is None


def test_an_estimate_on_a_task_that_looks_recurring_asks_to_mark_it_once(bot, db):
    bot.command("bookkeeping 1h 1 week ago")
    bot.command("bookkeeping 1h")
    text = bot.reply_text("estimate bookkeeping 40h")
    assert "looks recurring" in text
    assert "Try: `/logtask freq bookkeeping once`" in text
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) is None


def test_estimates_are_hours_and_bounded(bot):
    assert "in hours, like 40h" in bot.reply_text("estimate redesign 3 days")
    assert "at most 5,000 hours" in bot.reply_text("estimate redesign 6000h")
    assert "no estimate to remove" in bot.reply_text("estimate redesign none")


def test_a_one_off_job_counts_all_its_time_not_just_the_window(bot):
    # 10h forty days ago and 5h today: all 15h count, so 15 × $80 = $1,200 in-house.
    bot.command("rate $80/h")
    bot.command("migration project 10h once 40 days ago")
    bot.command("migration project 5h")
    text = bot.reply_text("should migration project")
    assert "• The whole job: *15h*" in text
    assert "• In-house cost: $1,200 for the job" in text


def test_the_report_lists_one_off_work_apart_in_totals(bot):
    # Recurring: 2h a week at $80 = $160, $16 review, $60 quote → $84 a week.
    # One-off: 15h at $80 = $1,200, $120 review, $500 total → $580 on the job.
    website_redesign(bot)
    bot.command("quote website redesign $500 total")
    for when in ("1 week ago", "today"):
        bot.command(f"write blog post 2h weekly {when}")
    bot.command("quote write blog post $60/post")
    text = bot.reply_text("report")
    assert "Handing off *1* task would save *$84/week* ($4,368/year)." in text
    assert "*One-off work* — each job weighed whole, in totals, not per week." in text
    assert "Handing off *1* of them would save *$580* in all." in text
    assert (
        "15h logged · in-house $1,200 · outsourcing $500 ($500 in total) · "
        "savings $580 on the job" in text
    )
    blocks = text[text.index("Your tasks") :]  # past the plain fallback
    assert blocks.index("write blog post") < blocks.index("One-off work") < blocks.index("redesign")


def test_one_off_jobs_stay_out_of_the_digest_and_the_top_list(bot):
    # The redesign saves 1,200 − 120 − 500 = $580 on the job, but it is not recurring work.
    website_redesign(bot)
    bot.command("quote website redesign $500 total")
    for when in ("1 week ago", "today"):
        bot.command(f"write blog post 2h weekly {when}")
    bot.command("quote write blog post $60/post")
    digest = flatten(bot.command("digest preview"))
    assert "write blog post" in digest
    assert "redesign" not in digest
    top = answer_text(bot, "what should I outsource?")
    assert "write blog post" in top
    assert "redesign" not in top
    assert "Handing these off saves *$84/week*" in top


def test_a_dm_question_about_a_one_off_job_answers_in_totals(bot):
    # The same figure as the verdict above: 1,200 − 120 − 3,000 = −$1,920 on the job.
    website_redesign(bot)
    bot.command("quote website redesign $3000 total from Studio")
    text = answer_text(bot, "should I outsource the website redesign?")
    assert "handing it off would cost you $1,920 more on the job" in text
    assert "• Savings: *-$1,920 on the job*" in text
