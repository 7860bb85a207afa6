"""The near-miss question as Block Kit: what it says, its buttons, and hostile or long names."""

from __future__ import annotations

from datetime import date

import pytest

from bot.economics import Frequency
from bot.money import Money
from bot.names import MAX_NAME
from bot.parse import commands as c
from bot.services.questions import DidYouMean
from bot.services.tasks import NearMiss
from bot.views import answers, near_miss
from bot.views.common import MAX_BUTTON_TEXT, RUN_COMMAND, button_label
from bot.views.plaintext import render
from tests.support.slack_sim import buttons
from tests.views.test_hostile_names import HOSTILE, assert_safe

TODAY = date(2026, 11, 23)
CTX = c.Context(TODAY, "USD")

COMMANDS = [
    c.LogTime("typed", 90, date(2026, 11, 20), Frequency.WEEKLY, "content"),
    c.SetQuote("typed", Money(6000, "USD"), per="post", provider="Jane"),
    c.RemoveQuote("typed"),
    c.SetFrequency("typed", Frequency.MONTHLY),
    c.SetCategory("typed", None),
    c.SetCore("typed", True),
]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda cmd: type(cmd).__name__)
@pytest.mark.parametrize("name", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_names_stay_inert_and_within_slack_limits(cmd, name):
    assert_safe(near_miss.ask(cmd, NearMiss(name, [name, name + " 2"], True), CTX))


def test_every_button_runs_its_command_for_the_clicker():
    cmd = c.LogTime("writ blog post", 90, TODAY)
    msg = near_miss.ask(cmd, NearMiss("writ blog post", ["write blog post"], True), CTX)
    assert [(b["action_id"], b["value"]) for b in buttons(msg)] == [
        (RUN_COMMAND, "write blog post 1h30m 2026-11-23"),
        (RUN_COMMAND, '"writ blog post" 1h30m 2026-11-23'),
    ]


def test_without_a_create_option_only_the_candidates_are_offered():
    cmd = c.SetCore("writ", False)
    msg = near_miss.ask(cmd, NearMiss("writ", ["write", "writer"], False), CTX)
    assert [b["text"]["text"] for b in buttons(msg)] == [
        "Unmark as core: write",
        "Unmark as core: writer",
    ]
    assert "Did you mean *write* or *writer*?" in msg["blocks"][0]["text"]["text"]


def test_long_names_are_cut_in_the_label_but_whole_in_the_value():
    long = "w" * MAX_NAME
    cmd = c.SetQuote("typed", Money(6000, "USD"), per="post", provider="J" * MAX_NAME)
    msg = near_miss.ask(cmd, NearMiss("typed", [long], False), CTX)
    (button,) = buttons(msg)
    assert len(button["text"]["text"]) == MAX_BUTTON_TEXT
    assert button["text"]["text"].endswith("w…")
    assert button["value"] == f"quote {long} $60/post from {'J' * MAX_NAME}"


def test_a_label_is_cut_after_escaping_never_inside_an_escape():
    label = button_label("a" * 70 + "&&&")
    assert len(label) <= MAX_BUTTON_TEXT
    assert label == "a" * 70 + "…"


def test_should_offers_a_button_per_task_when_typed_as_a_command():
    msg = answers.render(DidYouMean("blog", ["write blog post", "blog images"]), slash=True)
    assert [(b["text"]["text"], b["value"]) for b in buttons(msg)] == [
        ("Should I hand off write blog post?", "should write blog post"),
        ("Should I hand off blog images?", "should blog images"),
    ]
    assert buttons(answers.render(DidYouMean("blog", ["write blog post"]))) == []  # a DM


def test_the_console_numbers_the_buttons():
    cmd = c.LogTime("writ blog post", 120, TODAY)
    msg = near_miss.ask(cmd, NearMiss("writ blog post", ["write blog post"], True), CTX)
    assert render(msg).splitlines() == [
        "🔍 No task called writ blog post, so nothing was saved. Did you mean write blog post?",
        "`/logtask write blog post 2h`",
        "  [1] Log 2h on write blog post",
        '`/logtask "writ blog post" 2h` — a new task called writ blog post',
        "  [2] Log 2h on new task “writ blog post”",
    ]
