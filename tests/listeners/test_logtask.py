"""/logtask through the real HTTP endpoint, signed like Slack, answered via response_url."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.db.models import Entry, Member, Task, Workspace
from tests.support.slack_sim import flatten


def worked_example(bot) -> None:
    # A weekly post on three days: 2h, 1.5h and 2.5h (an occurrence is one task on one day).
    bot.command("rate $80/h")
    for d, when in (("2h", "2 weeks ago"), ("1.5h", "1 week ago"), ("2.5h", "today")):
        bot.command(f"write blog post {d} weekly #content {when}")
    bot.command("quote write blog post $60/post from Jane")


def test_every_reply_is_ephemeral(bot):
    assert bot.command("help")["response_type"] == "ephemeral"


def test_log_time_says_what_was_understood(bot):
    text = bot.reply_text("write newsletter 1h30m weekly #content")
    assert "Logged 1h 30m on *write newsletter* for today" in text
    assert "New task: weekly · #content" in text
    assert "This week: 1h 30m on this task" in text


def test_log_time_bare_number_is_echoed_as_hours(bot):
    assert "I read the bare number as 2h — hours" in bot.reply_text("proofreading 2")


def test_log_time_on_a_past_day_uses_the_members_timezone(bot, slack, db):
    slack.add_user("U1", tz="Pacific/Kiritimati")  # UTC+14: often already tomorrow
    bot.command("bookkeeping 30m yesterday")
    local_today = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    with db.transaction() as s:
        assert s.scalar(select(Entry.day)) == local_today - timedelta(days=1)


def test_log_time_refuses_future_days(bot, db):
    text = bot.reply_text("bookkeeping 30m 2999-01-01")
    assert "in the future" in text
    assert "Try: `/logtask" in text
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_log_time_too_long_suggests_a_fix_and_saves_nothing(bot, db):
    text = bot.reply_text("write newsletter 25h")
    assert "25h is more than a day — did you mean 2.5h?" in text
    assert "Try: `/logtask write newsletter 1h30m weekly #content`" in text
    with db.transaction() as s:
        assert s.scalar(select(func.count(Task.id))) == 0


def test_log_time_without_duration_explains(bot):
    assert "couldn't find how long" in bot.reply_text("write newsletter")


def test_task_names_match_case_spacing_and_end_punctuation(bot, db):
    bot.command("Write  Newsletter 1h")
    bot.command("write newsletter. 30m")
    with db.transaction() as s:
        assert s.scalars(select(Task.name)).all() == ["Write Newsletter"]
        assert s.scalar(select(func.sum(Entry.minutes))) == 90


def test_reply_includes_this_weeks_total_and_the_verdict(bot):
    worked_example(bot)
    text = bot.reply_text("write blog post 2h")
    assert "This week: 4h 30m on this task" in text  # today's 2.5h + 2h
    assert "*Hand it off*" in text


def test_worked_example_in_the_log_reply(bot):
    bot.command("rate $80/h")
    bot.command("write blog post 2h weekly 2 weeks ago")
    bot.command("write blog post 1.5h 1 week ago")
    bot.command("quote write blog post $60/post from Jane")
    text = bot.reply_text("write blog post 2.5h")
    assert "saves $84/week ($4,368/year); break-even $144 per post" in text


def test_worked_example_in_the_report(bot):
    worked_example(bot)
    text = bot.reply_text("report")
    assert "Handing off *1* task would save *$84/week* ($4,368/year)" in text
    assert (
        "2h/week · in-house $160/week · outsourcing $60/week ($60 per post) · savings $84/week · $4,368/year"
        in text
    )
    assert "break-even $144 per post" in text


def test_rate_set_and_shown(bot, db):
    assert "You haven't set your hourly worth" in bot.reply_text("rate")
    assert "Set your hourly worth to *$85.50/hour*" in bot.reply_text("rate $85.50/h")
    assert "Your hourly worth is *$85.50/hour*" in bot.reply_text("rate")
    with db.transaction() as s:
        assert s.scalar(select(Member.rate_minor)) == 8550


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ("0", "more than zero"),
        ("-5", "more than zero"),
        ("2000000", "more than I accept"),
        ("€40", "/logtask currency EUR"),
    ],
)
def test_rate_refuses_bad_amounts(bot, amount, problem):
    text = bot.reply_text(f"rate {amount}")
    assert problem in text
    assert ":warning:" in text


def test_quote_per_hour_week_and_month(bot):
    bot.command("rate 100")
    bot.command("bookkeeping 2h weekly")
    assert "Quote set: $30/hour" in bot.reply_text("quote bookkeeping $30/h")
    assert "Quote set: $50/week" in bot.reply_text("quote bookkeeping 50 per week")
    bot.command("quote bookkeeping none")  # else the $50/week stays on the shortlist, cheaper
    assert "Quote set: $520/month from Acme Books" in bot.reply_text(
        "quote bookkeeping $520/mo from Acme Books"
    )
    assert "outsourcing $120/week ($520/month)" in bot.reply_text("report")


def test_quote_none_removes_it(bot):
    bot.command("quote blog $60")
    assert "Removed the quote" in bot.reply_text("quote blog none")
    assert "has no quote to remove" in bot.reply_text("quote blog none")


def test_quote_for_a_new_task_creates_it(bot):
    assert "(new task)" in bot.reply_text("quote podcast editing $45/episode")


def test_quote_without_price_explains(bot):
    assert "A quote is a task, then a price" in bot.reply_text("quote blog")


def test_freq_sets_frequency_without_logging(bot, db):
    assert "Frequency set to monthly (every month)" in bot.reply_text("freq invoices monthly")
    with db.transaction() as s:
        assert s.scalar(select(Task.frequency)) == "monthly"
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_core_and_notcore(bot):
    bot.command("rate 80")
    bot.command("strategy calls 2h weekly")
    assert "*Core expertise* — keep it." in bot.reply_text("core strategy calls")
    assert "Yes — hand it off" not in bot.reply_text("should strategy calls")
    assert "No longer core" in bot.reply_text("notcore strategy calls")
    assert "no task called “nothing”" in bot.reply_text("notcore nothing")


def test_report_lists_hand_off_candidates_first_by_savings(bot):
    bot.command("rate 100")
    bot.command("small win 1h weekly")
    bot.command("big win 3h weekly")
    bot.command("loser 1h weekly")
    bot.command("quote small win 20")
    bot.command("quote big win 20")
    bot.command("quote loser 500")
    text = bot.reply_text("report")
    assert text.index("*big win*") < text.index("*small win*") < text.index("*loser*")


def test_report_with_no_tasks_says_how_to_start(bot):
    assert "No tasks yet" in bot.reply_text("list")


def test_should_shows_the_numbers(bot):
    worked_example(bot)
    text = bot.reply_text("should write blog post")
    assert (
        "Yes — hand it off: it saves you $84 a week ($4,368 a year), your review time counted."
        in text
    )
    assert "• Savings: *$84/week* ($4,368/year)" in text
    assert "• Break-even price: $144 per post" in text


def test_should_unknown_task_says_how_to_log_it(bot):
    assert "`/logtask podcast 1h weekly`" in bot.reply_text("should podcast")


def test_history_and_undo(bot, db):
    bot.command("a 10m")
    bot.command("b 20m")
    text = bot.reply_text("history")
    assert text.index("*b*") < text.index("*a*")
    assert "Undid: logged 20m on *b* for today" in bot.reply_text("undo")
    assert "Undid: logged 10m on *a* for today" in bot.reply_text("undo")
    assert "Nothing to undo" in bot.reply_text("undo")


def test_undo_only_touches_your_own_entries(bot, db):
    bot.command("a 10m", user="U1")
    assert "Nothing to undo" in bot.reply_text("undo", user="U2")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 1


def test_overhead_set_and_shown(bot):
    assert "Overhead is *10%*" in bot.reply_text("overhead")
    assert "Overhead set to *15%*" in bot.reply_text("overhead 15%")
    assert "Overhead is *15%*" in bot.reply_text("overhead")
    assert "under 100%" in bot.reply_text("overhead 100")


def test_overhead_changes_the_math(bot):
    worked_example(bot)
    bot.command("overhead 20%")
    assert "$68/week" in bot.reply_text("should write blog post")  # 160 − 32 − 60


def test_currency_switch_keeps_numbers_and_says_so(bot, db):
    bot.command("rate 80")
    text = bot.reply_text("currency EUR")
    assert "now counts in *EUR* (was USD)" in text
    assert "not converted" in text
    assert "€80/hour" in bot.reply_text("rate")
    assert "/logtask currency USD" in bot.reply_text("rate $90")
    assert "not an ISO currency code" in bot.reply_text("currency XYZ")


def test_help_and_empty_command(bot):
    assert "/logtask write newsletter 1h30m weekly #content" in bot.reply_text("help")
    assert bot.reply_text("") == bot.reply_text("help")


def test_subcommand_word_as_task_name_needs_quotes(bot):
    text = bot.reply_text("report writing 1h")
    assert "put its name in quotes" in text
    assert '/logtask "report writing" 1h' in text
    assert "Logged 1h on *report writing*" in bot.reply_text('"report writing" 1h')


def test_task_named_channel_mention_pings_no_one(bot, slack):
    for raw in ("<!channel> 1h", "&lt;!channel&gt; 1h", "&lt;!here&gt; &amp; &lt;@U1&gt; 1h"):
        reply = bot.command(raw)
        whole = flatten(reply)
        assert "<!channel>" not in whole
        assert "<!here>" not in whole
        assert "<@U1>" not in whole
    assert "&lt;!here&gt; &amp; &lt;@U1&gt;" in bot.reply_text("report")


def test_workspaces_never_see_each_others_tasks(bot):
    bot.command("secret project 1h", team="T1")
    assert "secret project" not in bot.reply_text("report", team="T2")
    assert "No tasks yet" in bot.reply_text("report", team="T2")


def test_enterprise_id_scopes_the_workspace(bot, db):
    bot.command("a 1h", team="T1", enterprise="E1")
    bot.command("a 1h", team="T1")
    with db.transaction() as s:
        assert sorted(s.scalars(select(Workspace.enterprise_id))) == ["", "E1"]


def test_users_info_is_cached(bot, slack):
    bot.command("a 1h")
    bot.command("b 1h")
    assert len(slack.api_calls("users.info")) == 1


def test_users_info_failure_falls_back_to_utc(bot, slack):
    slack.fail("users.info", "user_not_found")
    assert "Logged 1h on *a*" in bot.reply_text("a 1h")


def test_a_failure_inside_the_bot_apologises_and_saves_nothing(bot, db, monkeypatch):
    from bot.services import tasks

    def broken(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks, "_record_log", broken)  # after the entry's INSERT
    text = bot.reply_text("a 1h")
    assert "something went wrong on my side and nothing was saved" in text
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_a_failure_working_out_the_figures_says_the_time_is_saved(bot, db, monkeypatch, caplog):
    from bot.services import tasks

    def broken(*a, **k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(tasks.analysis, "task_report", broken)  # read after the commit
    text = bot.reply_text("R&D 1h")
    assert text.startswith(":face_with_head_bandage: Logged 1h on *R&amp;D* for today")
    assert "as `#1`. Something went wrong on my side working out its figures" in text
    assert "nothing was saved" not in text
    assert "`/logtask should R&amp;D` shows them" in text
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 1
    assert "RuntimeError" in caplog.text


@pytest.mark.parametrize(
    "text",
    [
        "write newsletter",
        "write newsletter 0m",
        "1h",
        '"open quote 1h',
        '"a" 1h "b"',
        "x" * 81 + " 1h",
        "write 1h #not/a/tag",
        "write 1h 2026-02-30",
        "report writing 1h",
        "history please",
        "rate $85/week",
        "rate 12.345",
        "quote blog",
        "quote blog €40",
        "quote blog none from Jane",
        "freq blog sometimes",
        "freq weekly",
        "notcore nothing",
        "should",
        "overhead lots",
        "overhead 12.345%",
        "currency euro",
    ],
)
def test_every_malformed_command_gets_a_warning_an_example_and_saves_nothing(bot, db, text):
    reply = bot.reply_text(text)
    assert ":warning:" in reply
    assert "Try: `/logtask" in reply
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0
        assert s.scalar(select(func.count(Task.id))) == 0


@pytest.mark.parametrize(
    ("quote", "break_even"),
    [
        # $80/h, 2h a week → $160 in-house; with 10% review time a provider breaks even at
        # $144 a week, $144 × 52 / 12 = $624 a month, $72 an hour, $144 per post.
        ("$100/week", "break-even $144 a week"),
        ("$500/month", "break-even $624 a month"),
        ("$30/h", "break-even $72 an hour"),
        ("$60/post", "break-even $144 per post"),
    ],
)
def test_break_even_is_given_in_the_quotes_own_unit(bot, quote, break_even):
    bot.command("rate $80/h")
    bot.command("write blog post 2h weekly")
    assert break_even in bot.reply_text(f"quote write blog post {quote}")


def test_the_answers_first_line_gives_the_same_savings_as_the_report(bot):
    worked_example(bot)
    answer = bot.reply_text("should write blog post")
    report = bot.reply_text("report")
    assert "Yes — hand it off: it saves you $84 a week ($4,368 a year)" in answer
    assert "savings $84/week · $4,368/year" in report


def test_keep_says_how_much_more_handing_off_would_cost(bot):
    # $80/h, 1h a week: $80 in-house, $8 review; a $100/week quote costs 100 + 8 − 80 = $28 more.
    bot.command("rate $80/h")
    bot.command("invoices 1h weekly")
    bot.command("quote invoices $100/week")
    text = bot.reply_text("should invoices")
    assert "No — keep doing it yourself: handing it off would cost you $28 a week more" in text


def test_category_sets_and_clears_a_tasks_category(bot, db):
    bot.command("write newsletter 1h weekly")
    assert "Category set to #content for *write newsletter*" in bot.reply_text(
        "category write newsletter #content"
    )
    with db.transaction() as s:
        assert s.scalar(select(Task.category)) == "content"
    assert "Category cleared for *write newsletter*" in bot.reply_text(
        "category write newsletter none"
    )
    with db.transaction() as s:
        assert s.scalar(select(Task.category)) is None


def test_category_without_one_explains_with_the_tables_examples(bot):
    text = bot.reply_text("category write newsletter")
    assert "Give the task, then its #category" in text
    assert "Try: `/logtask category write newsletter #content`" in text


def test_a_log_line_that_changes_frequency_or_category_says_so(bot, db):
    bot.command("write newsletter 1h weekly #content")
    text = bot.reply_text("write newsletter 1h daily #marketing")
    assert "Frequency changed: weekly → daily." in text
    assert "Category changed: #content → #marketing." in text
    with db.transaction() as s:
        assert s.execute(select(Task.frequency, Task.category)).one() == ("daily", "marketing")


def test_a_log_line_that_repeats_the_settings_changes_nothing(bot):
    bot.command("write newsletter 1h weekly #content")
    assert "changed" not in bot.reply_text("write newsletter 1h weekly #content")


def test_a_backdated_entry_is_counted_with_its_own_week(bot, slack):
    # Logged on a day of last week: the echo sums that week, not this one.
    from datetime import UTC, datetime, timedelta

    slack.add_user("U1", tz="UTC")
    today = datetime.now(UTC).date()
    last_monday = today - timedelta(days=today.weekday() + 7)
    bot.command(f"write blog post 30m {last_monday.isoformat()}")
    text = bot.reply_text(f"write blog post 45m {(last_monday + timedelta(days=1)).isoformat()}")
    assert f"Week of Mon {last_monday.day} {last_monday:%b}" in text
    assert ": 1h 15m on this task" in text  # 30m + 45m, both in that week
    assert "This week: 0m" not in text


@pytest.mark.parametrize(
    "text", ["rate $480/day 8h", "rate $480/day for 8h", "rate $480 a day for 8 hours"]
)
def test_rate_per_day_is_divided_by_its_hours_and_says_so(bot, db, text):
    reply = bot.reply_text(text)
    assert "Set your hourly worth to *$60/hour* ($480 a day ÷ 8 h = $60/h)." in reply
    with db.transaction() as s:
        assert s.scalar(select(Member.rate_minor)) == 6000  # 48000 ÷ 8


def test_rate_per_week_is_divided_by_its_hours(bot, db):
    # $2,400 ÷ 37.5 h = $64 an hour.
    reply = bot.reply_text("rate $2,400/week 37.5h")
    assert "($2,400 a week ÷ 37.5 h = $64/h)" in reply
    assert "Your hourly worth is *$64/hour*" in bot.reply_text("rate")


def test_rate_converted_with_a_remainder_is_rounded_once(bot, db):
    # $500 ÷ 7.5 h = $66.666… → $66.67.
    assert "($500 a day ÷ 7.5 h = $66.67/h)" in bot.reply_text("rate $500/day 7.5h")
    with db.transaction() as s:
        assert s.scalar(select(Member.rate_minor)) == 6667


def test_rate_per_day_without_hours_asks_for_them_and_saves_nothing(bot, db):
    reply = bot.reply_text("rate $480/day")
    assert ":warning: Your hourly worth is per hour: how many hours is $480 a day for?" in reply
    assert "Try: `/logtask rate $480/day 8h`" in reply
    with db.transaction() as s:
        assert s.scalar(select(Member.rate_minor)) is None
