import pytest

from bot.parse.question import AboutTask, Maybe, WhatToHandOff, parse_question


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("should I outsource the newsletter?", "newsletter"),
        ("Should we DELEGATE bookkeeping", "bookkeeping"),
        ("should i hand off podcast editing?", "podcast editing"),
        ("should I hire someone for social media posts", "social media posts"),
        ("should I get someone to do the invoices?", "invoices"),
        ("is it worth outsourcing client calls?", "client calls"),
        ("what about invoices", "invoices"),
        ("<@UHANDOFF> should I outsource the newsletter?", "newsletter"),
        ("hey, should I hand off the blog?", "blog"),
        ("should I outsource R&amp;D", "r&d"),
    ],
)
def test_phrasings_about_one_task(text, task):
    assert parse_question(text) == AboutTask(task)


@pytest.mark.parametrize(
    "text",
    ["What should I outsource?", "what should I hand off", "<@U1> what should we delegate first?"],
)
def test_what_to_hand_off(text):
    assert parse_question(text) == WhatToHandOff()


def test_anything_else_may_be_a_task_name():
    assert parse_question("newsletter?") == Maybe("newsletter")
