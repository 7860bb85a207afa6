"""Views are pure: data in, Block Kit dicts out, always inside Slack's limits."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

from bot.economics import Frequency, MemberTime, Quote, QuoteUnit, TaskFacts, assess
from bot.errors import UserError
from bot.services.analysis import TaskQuote, TaskReport, summarise
from bot.views import logtask as views
from bot.views.common import MAX_BLOCKS, MAX_SECTION, error
from bot.views.plaintext import render

TODAY = date(2026, 11, 23)


def task(name: str, i: int = 0) -> TaskReport:
    q = TaskQuote(1000 + i, QuoteUnit.OCCURRENCE, "post", "Jane & <Co>", None)
    facts = TaskFacts(
        TODAY,
        [MemberTime(120 + i, 8000)],
        2,
        2,
        TODAY,
        Frequency.WEEKLY,
        Quote(q.amount_minor, q.unit),
    )
    return TaskReport(i, name, "content", Frequency.WEEKLY, False, q, assess(facts))


def test_report_of_500_tasks_stays_within_block_kit_limits():
    rep = summarise("USD", 1000, TODAY, [task("t" * 80 + str(i), i) for i in range(500)])
    msg = views.report(rep)
    assert len(msg["blocks"]) <= MAX_BLOCKS
    assert all(
        len(b["text"]["text"]) <= MAX_SECTION for b in msg["blocks"] if b["type"] == "section"
    )
    assert "…and 455 more tasks." in render(msg)


def test_names_are_escaped_in_blocks_and_fallback():
    msg = views.report(summarise("USD", 1000, TODAY, [task("<!channel> & <@U1>")]))
    assert "<!channel>" not in str(msg)
    assert "<@U1>" not in str(msg)
    assert "&lt;!channel&gt; &amp; &lt;@U1&gt;" in msg["blocks"][4]["text"]["text"]


def test_error_message_escapes_what_the_user_typed():
    msg = error(UserError("I couldn't read “<!here>”", "/logtask a <b>"))
    assert "<!here>" not in str(msg)
    assert (
        msg["blocks"][0]["text"]["text"]
        == ":warning: I couldn't read “&lt;!here&gt;”.\nTry: `/logtask a &lt;b&gt;`"
    )


def test_plaintext_rendering_reads_like_the_message():
    text = render(views.overhead_set(Fraction(3, 20)))
    assert (
        text == "Overhead set to 15% of a task's time for briefing and reviewing handed-off work."
    )


def test_a_task_with_a_frequency_but_no_entries_explains_itself():
    from bot.views.verdict import derivation

    facts = TaskFacts(TODAY, [], 0, 0, None, Frequency.MONTHLY)
    r = TaskReport(1, "filing", None, Frequency.MONTHLY, False, None, assess(facts))
    assert derivation(r) == "nothing logged in the last 28 days"


def test_plaintext_names_channels_the_way_slack_shows_them():
    from bot.views.plaintext import mrkdwn

    assert (
        mrkdwn("in <#C1> and <#C2|ops> and <#C9>", channels={"C1": "general"})
        == "in #general and #ops and #C9"
    )
