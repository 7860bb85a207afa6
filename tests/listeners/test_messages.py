"""Questions in DMs and mentions, through the signed Events API path."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.app import create_app
from bot.server import make_server, shutdown
from tests.support.slack_sim import SlackSim, flatten


def dm(text: str, user: str = "U1", **extra) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": user,
        "text": text,
        "ts": "1700000000.000100",
        **extra,
    }


def mention(text: str, user: str = "U1", ts: str = "1700000000.000200", **extra) -> dict:
    return {
        "type": "app_mention",
        "channel": "C1",
        "user": user,
        "text": f"<@UHANDOFF> {text}",
        "ts": ts,
        **extra,
    }


def ask(bot: SlackSim, event: dict, **kw) -> list[dict]:
    """Send the event and return every chat.postMessage it caused."""
    before = len(bot.slack.api_calls("chat.postMessage"))
    result = bot.event(event, **kw)
    assert result.status == 200
    bot.idle()
    return [c.params for c in bot.slack.api_calls("chat.postMessage")[before:]]


def answer_text(bot: SlackSim, text: str, **kw) -> str:
    (posted,) = ask(bot, dm(text, **kw))
    return flatten(posted)


@pytest.fixture
def tasks(bot):
    bot.command("rate $80/h")
    for name in (
        "write newsletter",
        "write blog post",
        "blog post images",
        "bookkeeping",
        "social media posts",
    ):
        bot.command(f'"{name}" 2h weekly')  # quoted: distinct tasks, however alike
    bot.command("quote write newsletter $60/issue from Jane")
    bot.command("quote bookkeeping $200/issue")
    bot.command("core social media posts")
    return bot


@pytest.mark.parametrize(
    "question",
    [
        "should I outsource the newsletter?",
        "should I delegate the newsletter",
        "should I hand off newsletter?",
        "should I hire someone for the newsletter?",
        "should I get someone to do the newsletter",
        "is it worth outsourcing the newsletter?",
        "what about the newsletter",
        "NEWSLETTER?",
        "write newsletter",
    ],
)
def test_phrasings_find_the_task(tasks, question):
    text = answer_text(tasks, question)
    assert "About *write newsletter*" in text
    assert text.startswith("write newsletter: Yes — hand it off")


@pytest.mark.parametrize(
    ("question", "task"),
    [
        ("should I outsource the newsleter?", "write newsletter"),  # typo
        ("should I outsource newsletters?", "write newsletter"),  # plural
        ("should I outsource our bookkeeping?", "bookkeeping"),  # filler
        ("should I outsource posts for social media?", "social media posts"),  # word order
    ],
)
def test_fuzzy_matches(tasks, question, task):
    assert f"About *{task}*" in answer_text(tasks, question)


def test_ambiguous_names_ask_which(tasks):
    text = answer_text(tasks, "should I outsource blog posts?")
    assert "Did you mean" in text
    assert "*write blog post*" in text
    assert "*blog post images*" in text
    assert "`/logtask should write blog post`" in text


def test_unknown_task_says_how_to_log_it(tasks):
    text = answer_text(tasks, "should I outsource my taxes?")
    assert "I don't know a task called *taxes*" in text
    assert "`/logtask taxes 1h weekly`" in text


def test_verdict_hand_off_first_line_and_figures(tasks):
    text = answer_text(tasks, "should I outsource the newsletter?")
    assert (
        "Yes — hand it off: it saves you $84 a week ($4,368 a year), your review time counted."
        in text
    )
    for fact in (
        "Hourly worth: $80/hour",
        "In-house cost: $160/week",
        "Your review overhead (10%): $16/week",
        "Savings: *$84/week* ($4,368/year)",
        "Hours freed: 1h 48m/week",
        "from *Jane*, quoted",
    ):
        assert fact in text


def test_verdict_keep(tasks):
    text = answer_text(tasks, "should I outsource bookkeeping?")
    assert (
        "No — keep doing it yourself: handing it off would cost you $56 a week more, your review time counted."
        in text
    )


def test_verdict_core(tasks):
    assert "No — this is your core expertise; keep it." in answer_text(
        tasks, "should I outsource social media posts?"
    )


def test_verdict_needs_a_quote(tasks):
    text = answer_text(tasks, "should I outsource blog post images?")
    assert (
        "Maybe — get a quote. Handing it off pays if it costs under $144 each time (or $72 an hour)."
        in text
    )


def test_verdict_no_rate_names_the_command(bot):
    bot.command("filing 1h weekly", user="U9")
    text = answer_text(bot, "should I outsource filing?")
    assert "I can't tell yet — nobody who logged *filing* has set an hourly worth" in text
    assert "`/logtask rate $85/h`" in text


def test_verdict_no_data_names_the_command(bot):
    bot.command("freq filing monthly")
    text = answer_text(bot, "should I outsource filing?")
    assert "I can't tell yet — no time is logged on *filing*" in text
    assert "`/logtask filing 1h weekly`" in text


def test_what_should_i_outsource_lists_candidates_and_total(tasks):
    bot = tasks
    bot.command("podcast editing 3h weekly")
    bot.command("quote podcast editing $30/h")
    text = answer_text(bot, "What should I outsource?")
    assert text.index("*podcast editing*") < text.index("*write newsletter*")  # $126 > $84 a week
    assert "Handing these off saves *$210/week* ($10,920/year)" in text


def test_what_should_i_outsource_totals_only_the_tasks_it_lists(bot):
    # Seven weekly tasks of 2h at $80/h, each quoted $60: each saves 160 − 16 − 60 = $84.
    bot.command("rate $80/h")
    for i in range(7):
        bot.command(f'"chore {i}" 2h weekly')
        bot.command(f'quote "chore {i}" $60')
    text = answer_text(bot, "What should I outsource?")
    assert text.count("saves $84/week") == 5
    assert "Handing these off saves *$420/week* ($21,840/year)" in text  # 5 × $84, × 52
    assert "2 more tasks would save $168/week on top" in text


def test_anything_else_gets_friendly_help(tasks):
    text = answer_text(tasks, "good morning, how are you today my friend?")
    assert "should I outsource the newsletter?" in text
    assert "what should I outsource?" in text


def test_same_numbers_as_the_report(tasks):
    report = tasks.reply_text("report")
    answer = answer_text(tasks, "should I outsource the newsletter?")
    assert "savings $84/week · $4,368/year" in report
    assert "Savings: *$84/week* ($4,368/year)" in answer


def test_mention_is_answered_in_its_thread(tasks):
    (posted,) = ask(tasks, mention("should I outsource the newsletter?", ts="1700000000.000777"))
    assert posted["channel"] == "C1"
    assert posted["thread_ts"] == "1700000000.000777"
    assert "Yes — hand it off" in flatten(posted)


def test_mention_inside_a_thread_stays_in_that_thread(tasks):
    (posted,) = ask(
        tasks,
        mention("what about the newsletter", ts="1700000000.000900", thread_ts="1700000000.000100"),
    )
    assert posted["thread_ts"] == "1700000000.000100"


def test_mention_from_someone_who_logged_nothing_answers_for_the_workspace(tasks):
    (posted,) = ask(tasks, mention("should I outsource the newsletter?", user="U_NEW"))
    assert "Yes — hand it off" in flatten(posted)


def test_retried_event_is_answered_once(tasks):
    event = dm("should I outsource the newsletter?")
    assert len(ask(tasks, event, event_id="Ev1")) == 1
    assert ask(tasks, event, event_id="Ev1", retry_num=1) == []
    assert ask(tasks, event, event_id="Ev1", retry_num=2) == []


def test_retried_event_is_answered_once_after_a_restart(tasks, settings, db, slack, executor):
    event = dm("should I outsource the newsletter?")
    assert len(ask(tasks, event, event_id="EvRestart")) == 1
    # A second bot process on the same database (the first one "restarted").
    server = make_server(
        create_app(settings, db=db, executor=executor),
        db,
        host="127.0.0.1",
        port=0,
        asyncore_loop_timeout=0.05,
    )
    import threading

    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        restarted = SlackSim(
            f"http://127.0.0.1:{server.effective_port}", tasks.secret, slack, executor
        )
        assert ask(restarted, event, event_id="EvRestart", retry_num=1) == []
    finally:
        shutdown(server)
        thread.join(5)


@pytest.mark.parametrize(
    "event",
    [
        dm("should I outsource the newsletter?", bot_id="B999"),  # another bot
        dm("should I outsource the newsletter?", user="UHANDOFF"),  # ourselves
        dm("should I outsource the newsletter?", subtype="message_changed"),  # an edit
        {
            "type": "message",
            "channel_type": "im",
            "channel": "D1",
            "subtype": "message_deleted",
            "ts": "1.2",
        },
        {
            "type": "message",
            "channel_type": "channel",
            "channel": "C1",
            "user": "U1",
            "text": "should I outsource the newsletter?",
            "ts": "1.3",
        },
    ],
)
def test_no_answer_to_bots_edits_deletions_or_channel_chatter(tasks, event):
    assert ask(tasks, event) == []


def test_question_text_is_escaped_in_the_answer(tasks):
    text = answer_text(tasks, "should I outsource &lt;!channel&gt;?")
    assert "<!channel>" not in text
    assert "&lt;!channel&gt;" in text


def test_a_failure_while_answering_says_sorry_in_place(tasks, monkeypatch):
    from bot.services import questions

    monkeypatch.setattr(questions.analysis, "task_report", lambda *a, **k: 1 / 0)
    text = answer_text(tasks, "should I outsource the newsletter?")
    assert "something went wrong on my side" in text


def test_slash_should_uses_the_same_matching(tasks):
    text = tasks.reply_text("should newsleter")
    assert "Yes — hand it off" in text
    assert "About *write newsletter*" in text


# ---- more ways to ask (issue #10 §4) --------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "is it worth it to outsource the newsletter?",
        "is the newsletter worth outsourcing?",
        "worth handing off the newsletter?",
        "shoud I outsorce the newsletter",
        "shuold i outsoruce the newsletter?",
    ],
)
def test_worth_it_phrasings_and_verb_typos_give_the_verdict(tasks, question):
    text = answer_text(tasks, question)
    assert text.startswith("write newsletter: Yes — hand it off")
    assert "Savings: *$84/week* ($4,368/year)" in text  # $160 − $16 − $60


def test_a_verb_typo_in_a_mention_is_read_as_meant(tasks):
    (posted,) = ask(tasks, mention("shoud I outsorce bookkeeping?"))
    assert "No — keep doing it yourself" in flatten(posted)


def test_x_or_y_compares_both_verdicts_side_by_side(tasks):
    (posted,) = ask(tasks, dm("should I outsource the newsletter or bookkeeping?"))
    text = flatten(posted)
    # Newsletter: $160 − $16 − $60 = $84 a week; bookkeeping: $160 − $16 − $200 = −$56.
    assert (
        "*write newsletter* saves more: $84 a week; handing off *bookkeeping* would cost "
        "$56 a week more." in text
    )
    (side_by_side,) = [b for b in posted["blocks"] if b.get("fields")]
    columns = [f["text"] for f in side_by_side["fields"]]
    assert columns[0].startswith("*write newsletter*\n*Hand it off* — saves $84/week")
    assert columns[1].startswith("*bookkeeping*\n*Keep it* — outsourcing costs $56/week more")


def test_bare_x_or_y_ranks_two_hand_offs(tasks):
    tasks.command("quote blog post images $20")  # $160 − $16 − $20 = $124 a week
    text = answer_text(tasks, "newsletter or blog post images?")
    assert (
        "*blog post images* saves more: $124 a week; *write newsletter* saves $84 a week." in text
    )


def test_x_or_y_names_one_off_work_in_totals_not_a_week(tasks):
    # A one-off job: 5h + 5h on two days at $80/h = $800; review 10% = $80; quote $500 for the
    # job: $800 − $80 − $500 = $220 saved on the job — a total, never ranked against weeks.
    tasks.command('"site audit" 5h once yesterday')
    tasks.command("site audit 5h")
    tasks.command("quote site audit $500 total")
    text = answer_text(tasks, "should I outsource the newsletter or site audit?")
    assert (
        "*write newsletter* saves more: $84 a week; *site audit* is one-off work: handing it off "
        "saves $220 on the job, not a weekly figure." in text
    )


def test_x_or_y_where_neither_pays_says_keep_both(tasks):
    # Jane's new price replaces her $60: $160 − $16 − $150 = −$6 a week.
    tasks.command("quote write newsletter $150 from Jane")
    text = answer_text(tasks, "should I outsource the newsletter or bookkeeping?")
    assert (
        "Neither pays to hand off: keep both; handing off *write newsletter* would cost $6 a week "
        "more; handing off *bookkeeping* would cost $56 a week more." in text
    )


def test_x_or_y_without_a_quote_on_one_says_so(tasks):
    text = answer_text(tasks, "should I outsource the newsletter or the blog post images?")
    assert (
        "*write newsletter* saves more: $84 a week; *blog post images* has no saving to compare "
        "yet." in text
    )
    assert "*Get a quote* — handing it off pays under $144 each time" in text


def test_x_or_y_with_an_unknown_task_names_it_escaped(tasks):
    text = answer_text(tasks, "should I outsource the newsletter or &lt;!channel&gt;?")
    assert "I don't know a task called *&lt;!channel&gt;*" in text
    assert "<!channel>" not in text


def test_cost_states_the_in_house_cost_and_its_arithmetic(tasks):
    # 2h a week × $80/hour = $160 a week, as the report's in-house column.
    text = answer_text(tasks, "how much does the newsletter cost me?")
    assert "*write newsletter* costs you *$160 a week* in-house: 2h a week × $80/hour." in text
    assert "in-house $160/week" in tasks.reply_text("report")


def test_cost_of_work_shared_at_two_rates_uses_the_blended_worth(bot):
    # U1 at $80/h and U2 at $40/h each log 1h30m of a weekly task on the same day: one
    # occurrence of 3 h, so 3 h a week; blended worth (90 × $80 + 90 × $40) / 180 = $60;
    # 3 × $60 = $180 a week.
    bot.command("rate $80/h", user="U1")
    bot.command("rate $40/h", user="U2")
    bot.command("client calls 1h30m weekly", user="U1")
    bot.command("client calls 1h30m weekly", user="U2")
    text = answer_text(bot, "what does client calls cost us?")
    assert "*client calls* costs you *$180 a week* in-house: 3h a week × $60/hour." in text


def test_cost_without_an_hourly_worth_says_how_to_set_it(bot):
    bot.command("filing 1h weekly", user="U9")
    text = answer_text(bot, "how much does filing cost me?")
    assert "*filing* takes 1h a week, but nobody who logged it has set an hourly worth" in text
    assert "`/logtask rate $85/h`" in text


def test_cost_of_an_ambiguous_name_asks_which_with_the_same_question(tasks):
    text = answer_text(tasks, "how much do blog posts cost me?")
    assert "Did you mean" in text
    assert "“how much does write blog post cost me?”" in text


def test_cost_of_an_unknown_task_says_how_to_log_it(tasks):
    text = answer_text(tasks, "how much does &lt;b&gt;taxes cost me?")
    assert "I don't know a task called *&lt;b&gt;taxes*" in text


def _days(today):
    from datetime import timedelta

    monday = today - timedelta(days=today.weekday())
    return monday, monday - timedelta(days=1)  # this Monday, and the Sunday before it


def test_hours_i_spent_this_week_are_my_own_from_monday_to_today(bot, slack):
    from datetime import UTC, datetime, timedelta

    slack.add_user("U1", tz="UTC")
    slack.add_user("U2", tz="UTC")
    today = datetime.now(UTC).date()
    monday, last_sunday = _days(today)
    bot.command(f"write newsletter 1h {monday.isoformat()}", user="U1")
    bot.command("write newsletter 30m", user="U1")  # today
    bot.command(f"write newsletter 2h {last_sunday.isoformat()}", user="U1")  # last week
    bot.command("write newsletter 45m", user="U2")  # someone else
    mine = answer_text(bot, "how many hours did I spend on the newsletter this week?")
    assert "You spent *1h 30m* on *write newsletter* this week" in mine  # 1h + 30m
    ours = answer_text(bot, "how many hours did we spend on the newsletter this week?")
    assert "Everyone together spent *2h 15m* on *write newsletter* this week" in ours  # + 45m
    last = answer_text(bot, "how much time did I spend on the newsletter last week?")
    assert "You spent *2h* on *write newsletter* last week" in last
    last_monday = monday - timedelta(days=7)
    assert (
        f"({last_monday:%a} {last_monday.day} {last_monday:%b} – "
        f"{last_sunday:%a} {last_sunday.day} {last_sunday:%b})" in last
    )


def test_hours_we_spent_this_month_count_from_the_first(bot, slack):
    from datetime import UTC, datetime, timedelta

    slack.add_user("U1", tz="UTC")
    today = datetime.now(UTC).date()
    first = today.replace(day=1)
    bot.command(f"bookkeeping 25m {first.isoformat()}")
    bot.command(f"bookkeeping 40m {(first - timedelta(days=1)).isoformat()}")  # last month
    bot.command("bookkeeping 35m")
    text = answer_text(bot, "how many hours did we spend on bookkeeping this month?")
    assert "Everyone together spent *1h* on *bookkeeping* this month" in text  # 25m + 35m


def test_hours_spent_counts_the_askers_own_calendar(bot, slack):
    from datetime import UTC, datetime

    # UTC+14: today there may be tomorrow in UTC; the week is the asker's week.
    slack.add_user("U1", tz="Pacific/Kiritimati")
    today = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati")).date()
    bot.command("write newsletter 50m")
    text = answer_text(bot, "how many hours did I spend on the newsletter this week?")
    assert "You spent *50m* on *write newsletter* this week" in text
    monday, _ = _days(today)
    days = (
        f"({monday:%a} {monday.day} {monday:%b} – today)"
        if monday != today
        else f"(today, {today:%a} {today.day} {today:%b})"
    )
    assert days in text


def test_no_hours_spent_says_so_with_the_days(tasks):
    text = answer_text(tasks, "how many hours did I spend on bookkeeping last week?")
    assert "You logged no time on *bookkeeping* last week" in text


def test_hours_spent_on_an_ambiguous_name_asks_which(tasks):
    text = answer_text(tasks, "how many hours did I spend on blog posts this week?")
    assert "“how many hours did I spend on write blog post this week?”" in text


def test_help_lists_the_new_questions(tasks):
    text = answer_text(tasks, "good morning, how are you today my friend?")
    assert "how much does the newsletter cost me?" in text
    assert "how many hours did I spend on the newsletter this week?" in text
    assert "newsletter or bookkeeping?" in text


def test_cost_of_one_off_work_has_no_weekly_figure(bot):
    bot.command("rate $80/h")
    bot.command("website redesign 6h once")
    text = answer_text(bot, "how much does the website redesign cost me?")
    assert "*website redesign* is one-off work, so it has no cost a week" in text
    assert "`/logtask should website redesign`" in text
    assert "/week" not in text
