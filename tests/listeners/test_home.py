"""The App Home and its "Log time" modal, through signed HTTP to the real bot."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.console.local_slack import LocalSlack
from tests.support.slack_sim import SlackSim, buttons, flatten


def published(bot: SlackSim, user: str = "U1") -> dict[str, Any]:
    """The last Home published for ``user``."""
    bot.idle()
    calls = [c for c in bot.slack.api_calls("views.publish") if c.params["user_id"] == user]
    assert calls, "no views.publish for " + user
    view = calls[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def home_text(bot: SlackSim, user: str = "U1") -> str:
    return flatten(published(bot, user))


def open_home(bot: SlackSim, user: str = "U1") -> str:
    assert bot.home_opened(user=user).status == 200
    return home_text(bot, user)


def home_button(bot: SlackSim, label: str, user: str = "U1") -> dict[str, Any]:
    return next(b for b in buttons(published(bot, user)) if b["text"]["text"] == label)


def open_modal(bot: SlackSim, user: str = "U1") -> dict[str, Any]:
    open_home(bot, user)
    before = len(bot.slack.api_calls("views.open"))
    result, _ = bot.click(home_button(bot, "Log time", user), user=user)
    assert result.status == 200
    bot.idle()
    calls = bot.slack.api_calls("views.open")
    assert len(calls) == before + 1
    view = calls[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def dms(slack: LocalSlack, user: str = "U1") -> list[str]:
    return [
        flatten(c.params)
        for c in slack.api_calls("chat.postMessage")
        if c.params.get("channel") == user
    ]


def ack_of(result: Any) -> dict[str, Any]:
    assert result.status == 200
    return json.loads(result.body) if result.body.strip() else {}


def today_utc() -> str:
    return datetime.now(UTC).date().isoformat()


def test_opening_the_home_tab_publishes_your_hours_this_week(bot):
    today = datetime.now(UTC).date()
    week_ago = (today - timedelta(days=7)).isoformat()  # always before this Monday
    bot.command("write blog post 1h30m today", user="U1")
    bot.command("client invoices 45m today", user="U1")
    bot.command("write blog post 2h " + week_ago, user="U1")
    bot.command("write blog post 1h today", user="U2")

    text = open_home(bot, "U1")

    # U1 this week: 90 + 45 = 135 min = 2h 15m; last week's 2h and U2's 1h are not U1's week.
    assert "Your hours this week" in text
    assert "*2h 15m*" in text


def test_the_messages_tab_publishes_nothing(bot):
    assert bot.home_opened(user="U1", tab="messages").status == 200
    bot.idle()
    assert bot.slack.api_calls("views.publish") == []


def test_the_home_shows_the_top_hand_off_with_the_reports_savings(bot):
    # Client invoices, weekly: 2h at $90/h = $180 in-house a week; review 10% = $18;
    # a $40 quote a run × 1 a week = $40; savings 180 − 18 − 40 = $122/week, × 52 = $6,344/year.
    bot.command("rate $90/h", user="U1")
    bot.command("client invoices 2h weekly", user="U1")
    bot.command("quote client invoices $40 each", user="U1")
    report = bot.reply_text("report", user="U1")

    text = open_home(bot, "U1")

    assert "savings $122/week · $6,344/year" in report
    assert "*client invoices* — saves *$122/week* ($6,344/year)" in text


def test_the_home_lists_tasks_that_need_a_quote_and_one_off_work(bot):
    bot.command("rate $90/h", user="U1")
    bot.command("newsletter 1h weekly", user="U1")
    bot.command("website redesign 3h once", user="U1")

    text = open_home(bot, "U1")

    assert "Needs a quote" in text
    assert "*newsletter* — hand it off if someone does it for under" in text
    assert "One-off work" in text
    assert "*website redesign*" in text


def test_the_home_shows_the_digest_setting(bot):
    text = open_home(bot, "U1")
    assert "No weekly digest is set up." in text


def test_the_home_escapes_hostile_task_names(bot):
    bot.command("rate $90/h", user="U1")
    # Slack sends typed < > & escaped; the name stored is the raw "<!here> & <@U2>".
    bot.command('"&lt;!here&gt; &amp; &lt;@U2&gt;" 1h weekly', user="U1")

    text = open_home(bot, "U1")

    assert "*&lt;!here&gt; &amp; &lt;@U2&gt;* — hand it off" in text
    assert "<!here>" not in text
    assert "<@U2>" not in text


def test_log_time_opens_a_modal_with_todays_date_and_recent_tasks(bot):
    bot.slack.add_user("U1", tz="Pacific/Kiritimati")  # UTC+14: often a day ahead of UTC
    bot.command("client invoices 45m", user="U1")

    view = open_modal(bot, "U1")

    kiritimati_today = datetime.now(UTC).astimezone(ZoneInfo("Pacific/Kiritimati"))
    day_block = next(b for b in view["blocks"] if b["block_id"] == "day")
    assert day_block["element"]["initial_date"] == kiritimati_today.date().isoformat()
    task_block = next(b for b in view["blocks"] if b["block_id"] == "task")
    assert [o["text"]["text"] for o in task_block["element"]["options"]] == ["client invoices"]


def test_submitting_the_modal_with_a_picked_task_logs_and_confirms_in_a_dm(bot):
    bot.command("client invoices 45m", user="U1")
    view = open_modal(bot, "U1")
    task_id = next(b for b in view["blocks"] if b["block_id"] == "task")["element"]["options"][0][
        "value"
    ]

    ack = ack_of(
        bot.view_submission(view, {"task": task_id, "duration": "1h30m", "day": today_utc()})
    )
    bot.idle()

    assert ack == {}
    # 45m + 1h30m = 2h 15m on the task this week
    assert any(
        "Logged 1h 30m on *client invoices*" in m and "2h 15m on this task" in m
        for m in dms(bot.slack)
    )
    assert "*2h 15m*" in home_text(bot, "U1")  # the Home was republished with the new entry


def test_a_new_task_typed_in_the_modal_is_created_with_its_frequency_and_category(bot):
    view = open_modal(bot, "U1")

    ack = ack_of(
        bot.view_submission(
            view,
            {
                "new_task": "payroll",
                "duration": "2",
                "day": today_utc(),
                "frequency": "monthly",
                "category": "#finance",
            },
        )
    )
    bot.idle()

    assert ack == {}
    confirmation = dms(bot.slack)[-1]
    assert "Logged 2h on *payroll*" in confirmation
    assert "I read the bare number as 2h" in confirmation
    assert "monthly" in confirmation
    assert "#finance" in confirmation


def test_invalid_modal_input_is_answered_in_the_modal_and_nothing_is_saved(bot):
    view = open_modal(bot, "U1")
    tomorrow = (datetime.now(UTC).date() + timedelta(days=2)).isoformat()

    ack = ack_of(
        bot.view_submission(
            view,
            {"new_task": "payroll", "duration": "soon", "day": tomorrow, "frequency": "sometimes"},
        )
    )
    bot.idle()

    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"duration", "day", "frequency"}
    assert "45m" in ack["errors"]["duration"]
    assert "in the future" in ack["errors"]["day"]
    assert dms(bot.slack) == []
    assert "No tasks yet" in bot.reply_text("report", user="U1")


def test_a_near_miss_name_in_the_modal_asks_in_the_modal(bot):
    bot.command("client invoices 45m", user="U1")
    view = open_modal(bot, "U1")

    ack = ack_of(
        bot.view_submission(view, {"new_task": "client invoice", "duration": "1h", "day": None})
    )
    bot.idle()

    assert ack["response_action"] == "errors"
    assert "Did you mean “client invoices”?" in ack["errors"]["new_task"]
    assert dms(bot.slack) == []


def test_a_quoted_near_miss_name_in_the_modal_makes_a_new_task(bot):
    bot.command("client invoices 45m", user="U1")
    view = open_modal(bot, "U1")

    ack = ack_of(
        bot.view_submission(view, {"new_task": '"client invoice"', "duration": "1h", "day": None})
    )
    bot.idle()

    assert ack == {}
    assert "Logged 1h on *client invoice*" in dms(bot.slack)[-1]


def open_button_modal(bot: SlackSim, label: str, user: str = "U1") -> dict[str, Any]:
    open_home(bot, user)
    before = len(bot.slack.api_calls("views.open"))
    result, _ = bot.click(home_button(bot, label, user), user=user)
    assert result.status == 200
    bot.idle()
    calls = bot.slack.api_calls("views.open")
    assert len(calls) == before + 1
    view = calls[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def task_option(view: dict[str, Any], label: str) -> str:
    block = next(b for b in view["blocks"] if b["block_id"] == "task")
    return next(o["value"] for o in block["element"]["options"] if o["text"]["text"] == label)


def test_add_a_quote_saves_the_quote_and_answers_with_the_verdict_in_a_dm(bot):
    bot.command("rate $90/h", user="U1")
    bot.command("client invoices 2h weekly", user="U1")
    view = open_button_modal(bot, "Add a quote")

    ack = ack_of(
        bot.view_submission(
            view,
            {
                "task": task_option(view, "client invoices"),
                "price": "$40 each",
                "provider": "Jane & Co",
            },
        )
    )
    bot.idle()

    assert ack == {}
    # 2h weekly at $90/h = $180 in-house, − $18 review (10%) − $40 = $122/week saved.
    answer = dms(bot.slack)[-1]
    assert "$122" in answer
    assert "from Jane &amp; Co" in answer
    assert "$122/week" in home_text(bot, "U1")  # republished with the new quote


def test_a_quote_the_grammar_cannot_read_is_answered_in_the_modal_and_nothing_is_saved(bot):
    bot.command("rate $90/h", user="U1")
    bot.command("client invoices 2h weekly", user="U1")
    view = open_button_modal(bot, "Add a quote")

    ack = ack_of(
        bot.view_submission(view, {"task": task_option(view, "client invoices"), "price": "cheap"})
    )
    bot.idle()

    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"price"}
    assert dms(bot.slack) == []
    assert "get a quote" in bot.reply_text("should client invoices", user="U1")


def test_an_empty_quote_modal_names_every_field_to_fill(bot):
    bot.command("client invoices 2h weekly", user="U1")
    view = open_button_modal(bot, "Add a quote")

    ack = ack_of(bot.view_submission(view, {}))

    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"task", "price"}


def test_a_quote_on_a_typed_near_miss_name_asks_which_task_in_the_dm(bot):
    bot.command("client invoices 2h weekly", user="U1")
    view = open_button_modal(bot, "Add a quote")

    ack = ack_of(bot.view_submission(view, {"new_task": "client invoice", "price": "$40 each"}))
    bot.idle()

    assert ack == {}
    assert "Did you mean *client invoices*?" in dms(bot.slack)[-1]


def test_set_my_rate_opens_with_your_rate_and_saves_a_new_one(bot):
    bot.command("rate $90/h", user="U1")
    view = open_button_modal(bot, "Set my rate")
    rate_block = next(b for b in view["blocks"] if b["block_id"] == "rate")
    assert rate_block["element"]["initial_value"] == "$90/hour"

    ack = ack_of(bot.view_submission(view, {"rate": "$480/day 8h"}))
    bot.idle()

    assert ack == {}
    assert "$60" in dms(bot.slack)[-1]  # $480 a day over 8 hours = $60 an hour
    assert "$60" in bot.reply_text("rate", user="U1")


def test_a_rate_the_grammar_cannot_read_is_answered_in_the_modal(bot):
    view = open_button_modal(bot, "Set my rate")

    ack = ack_of(bot.view_submission(view, {"rate": "a lot"}))
    bot.idle()

    assert ack["response_action"] == "errors"
    assert set(ack["errors"]) == {"rate"}
    assert dms(bot.slack) == []


def test_buttons_on_a_home_published_before_the_modals_open_them(bot):
    open_home(bot, "U1")
    before = len(bot.slack.api_calls("views.open"))
    old = {"type": "button", "text": {"type": "plain_text", "text": "Set my rate"}}
    result, _ = bot.click({**old, "action_id": "home_how_to_rate", "value": "rate"}, user="U1")
    bot.idle()

    assert result.status == 200
    (opened,) = bot.slack.api_calls("views.open")[before:]
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "home_rate_modal"


def test_the_home_totals_the_top_hand_offs_as_what_should_i_outsource_does(bot):
    # Client invoices weekly, 2h at $90/h: 180 − 18 review − $40 quote = $122/week.
    # Payroll weekly, 1h at $90/h: 90 − 9 review − $20 quote = $61/week.
    # Together $183/week, × 52 = $9,516/year; hours freed (2h + 1h) × 90% = 2.7h = 2h 42m.
    bot.command("rate $90/h", user="U1")
    bot.command("client invoices 2h weekly", user="U1")
    bot.command("quote client invoices $40 each", user="U1")
    bot.command("payroll 1h weekly", user="U1")
    bot.command("quote payroll $20 each", user="U1")

    text = open_home(bot, "U1")

    assert "1. *client invoices* — saves *$122/week* ($6,344/year)" in text
    assert "2. *payroll* — saves *$61/week* ($3,172/year)" in text
    assert "Together: *$183/week* ($9,516/year), 2h 42m a week freed." in text
