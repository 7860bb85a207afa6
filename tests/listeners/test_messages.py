"""Questions in DMs and mentions, through the signed Events API path."""

from __future__ import annotations

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
