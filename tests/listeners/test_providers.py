"""Providers, trials and reviews (#11), through the signed HTTP path."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import Engagement, Provider, Review
from tests.listeners.test_logtask import worked_example
from tests.listeners.test_messages import answer_text
from tests.listeners.test_near_miss import click, labels
from tests.support.database import shortlist_of
from tests.support.slack_sim import flatten


def count(db, model) -> int:
    with db.transaction() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def two_quotes(bot) -> None:
    # Worked example: 2h a week at $80/h = $160 in-house, $16 review.
    # Jane $60/post → $60 a week, saves $84; Ada $25/h × 2h → $50 a week, saves $94.
    worked_example(bot)
    bot.command("quote write blog post $25/h from Ada")


def test_should_shows_the_shortlist_with_cost_savings_score_and_status(bot):
    two_quotes(bot)
    bot.command("trial write blog post with Jane")
    bot.command("review Jane 4")
    bot.command("review Jane 5 on time")  # (4 + 5) / 2 = 4.5
    text = bot.reply_text("should write blog post")
    assert "*Shortlist* — 2 quotes" in text
    assert (
        "• *Ada*: $25/hour — costs $50/week, saves $94/week · not reviewed yet ← the verdict's"
        in text
    )
    assert (
        "• *Jane*: $60 per post — costs $60/week, saves $84/week · 4.5/5 (2 reviews) · *trial*"
        in text
    )


def test_the_dm_question_shows_the_shortlist_too(bot):
    two_quotes(bot)
    text = answer_text(bot, "should I outsource write blog post?")
    assert "*Shortlist* — 2 quotes" in text
    assert "• *Ada*: $25/hour — costs $50/week, saves $94/week" in text


def test_an_unnamed_quote_is_on_the_shortlist_without_a_score(bot):
    worked_example(bot)
    bot.command("quote write blog post $70")
    text = bot.reply_text("should write blog post")
    # $70 a post, 1 a week: $160 − $16 − $70 = $74 a week.
    assert "• _unnamed_: $70 per task — costs $70/week, saves $74/week" in text


def test_a_trial_starts_today_and_a_second_one_is_refused(bot, db):
    two_quotes(bot)
    text = bot.reply_text("trial write blog post with ada")
    assert "Trial started: *Ada* on *write blog post* from today" in text
    assert "Their quote: $25/hour." in text
    assert "Ada is trying “write blog post” since" in bot.reply_text(
        "trial write blog post with Ada"
    )
    assert count(db, Engagement) == 1


def test_a_trial_with_a_new_provider_says_there_is_no_quote_yet(bot, db):
    worked_example(bot)
    text = bot.reply_text('trial write blog post with "Bo"')
    assert "(a new provider)" in text
    assert "`/logtask quote write blog post &lt;price&gt; from Bo`" in text


def test_a_trial_on_no_task_is_refused(bot, db):
    assert "There is no task called “podcast”" in bot.reply_text("trial podcast with Ada")
    assert count(db, Engagement) == 0
    assert count(db, Provider) == 0


def test_a_review_goes_to_the_providers_one_current_trial(bot, db):
    two_quotes(bot)
    bot.command("trial write blog post with Ada")
    text = bot.reply_text("review Ada 2 late slow to reply")
    assert "Reviewed *Ada*'s trial of *write blog post*: 2/5, late." in text
    assert "Note: slow to reply" in text
    assert "*Ada* averages 2/5 (1 review); *write blog post* averages 2/5 (1 review)." in text


def test_a_review_with_several_current_trials_asks_which_task(bot, db):
    two_quotes(bot)
    bot.command("podcast 1h weekly")
    bot.command("trial write blog post with Ada")
    bot.command("trial podcast with Ada")
    text = bot.reply_text("review Ada 4")
    assert "Ada is working on 2 tasks (podcast, write blog post): say which" in text
    assert count(db, Review) == 0
    assert "Reviewed *Ada*'s trial of *podcast*: 4/5." in bot.reply_text("review Ada for podcast 4")


def test_a_review_of_a_provider_with_nothing_going_on_says_so(bot, db):
    two_quotes(bot)
    text = bot.reply_text("review Jane 3")
    assert "Jane has no trial or hand-off going on" in text
    assert count(db, Review) == 0


def test_a_score_outside_1_to_5_is_refused(bot, db):
    two_quotes(bot)
    bot.command("trial write blog post with Ada")
    text = bot.reply_text("review Ada 6")
    assert "A score is a whole number from 1 to 5, not 6." in text
    assert "Try: `/logtask review Ada 4`" in text
    assert count(db, Review) == 0


def test_providers_lists_quotes_trials_scores_and_on_time_share(bot):
    two_quotes(bot)
    bot.command("podcast 1h weekly")
    bot.command("quote podcast $40 from Ada")
    bot.command("trial write blog post with Ada")
    bot.command("review Ada 5 on time")
    bot.command("review Ada 2 late")
    bot.command("review Ada 3")
    text = bot.reply_text("providers")
    # Ada: 2 tasks quoted; 1 trial going on; (5 + 2 + 3) / 3 = 3.3; on time 1 of the 2 that
    # said = 50%.
    assert (
        "*Ada* — 2 tasks quoted · 1 trial (1 going on) · score 3.3/5 (3 reviews) · on time 50%"
        in text
    )
    assert "*Jane* — 1 task quoted · score not reviewed yet" in text


def test_provider_shows_one_with_quotes_history_and_reviews(bot):
    two_quotes(bot)
    bot.command("trial write blog post with Ada")
    bot.command("review Ada 4 on time tidy work")
    text = bot.reply_text("provider ada")
    assert "*Ada* — 1 task quoted · 1 trial (1 going on)" in text
    assert "• *write blog post*: $25/hour — costs $50/week, saves $94/week" in text
    assert "• trial of *write blog post*: from today (" in text
    assert "— going on" in text
    assert "on *write blog post*: 4/5 · on time by <@U1> — tidy work" in text


def test_an_unknown_provider_says_so(bot):
    assert "There is no provider called “Zed”" in bot.reply_text("provider Zed")


def test_a_provider_near_miss_asks_with_a_button_and_saves_nothing(bot, db):
    two_quotes(bot)
    reply = bot.command("quote write blog post $20/h from Adda")
    assert "No provider called *Adda*, so nothing was saved. Did you mean *Ada*?" in flatten(reply)
    assert labels(reply) == ["Quote from Ada", "Quote from new provider “Adda”"]
    assert len(shortlist_of(db, "write blog post")) == 2
    click(bot, reply, "Quote from Ada")
    assert shortlist_of(db, "write blog post") == [
        (6000, "occurrence", "post", "Jane"),
        (2000, "hour", "hour", "Ada"),
    ]


def test_a_quoted_provider_name_is_taken_literally(bot, db):
    two_quotes(bot)
    bot.command('quote write blog post $20/h from "Adda"')
    assert [q[3] for q in shortlist_of(db, "write blog post")] == ["Jane", "Ada", "Adda"]


def test_undo_ends_a_trial_and_drops_the_provider_it_added(bot, db):
    worked_example(bot)
    bot.command('trial write blog post with "Bo"')
    assert "Undid: started a trial of Bo on *write blog post*" in bot.reply_text("undo")
    assert count(db, Engagement) == 0
    assert count(db, Provider) == 1  # Jane, from the quote


def test_undo_removes_a_review(bot, db):
    two_quotes(bot)
    bot.command("trial write blog post with Ada")
    bot.command("review Ada 4")
    assert "Undid: reviewed Ada on *write blog post*: 4/5" in bot.reply_text("undo")
    assert count(db, Review) == 0


def test_undo_of_a_trial_that_has_been_reviewed_is_refused(bot, db):
    two_quotes(bot)
    bot.command("trial write blog post with Ada")
    bot.command("review Ada 4", user="U2")
    text = bot.reply_text("undo")
    assert "has been reviewed since" in text
    assert count(db, Engagement) == 1


def test_a_trial_on_a_near_miss_task_asks_which_task(bot, db):
    two_quotes(bot)
    reply = bot.command("trial writ blog post with Ada")
    assert labels(reply) == ["Trial of Ada on write blog post"]
    assert count(db, Engagement) == 0
    assert "Trial started: *Ada* on *write blog post*" in flatten(
        click(bot, reply, "Trial of Ada on write blog post")
    )


def test_a_review_of_a_near_miss_provider_asks_and_offers_no_new_one(bot, db):
    two_quotes(bot)
    bot.command("trial write blog post with Ada")
    reply = bot.command("review Adda 4 on time")
    assert labels(reply) == ["Review Ada"]
    assert count(db, Review) == 0
    assert "Reviewed *Ada*'s trial of *write blog post*: 4/5, on time." in flatten(
        click(bot, reply, "Review Ada")
    )


def test_a_providers_page_leads_each_quote_with_its_task_even_with_a_colon_in_the_name(bot):
    worked_example(bot)
    bot.command('quote write blog post $25/h from "Ada: Studio"')
    text = bot.reply_text('provider "Ada: Studio"')
    # 2h a week × $25 = $50 a week; $160 − $16 − $50 = $94 saved.
    assert "• *write blog post*: $25/hour — costs $50/week, saves $94/week" in text
