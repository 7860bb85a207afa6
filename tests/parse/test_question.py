import pytest

from bot.parse.question import (
    AboutTask,
    Chatter,
    Compare,
    CostOf,
    Maybe,
    TimeSpent,
    WhatToHandOff,
    parse_question,
)
from bot.periods import Period


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
        ("is it worth it to outsource the newsletter?", "newsletter"),
        ("is the newsletter worth outsourcing?", "newsletter"),
        ("would bookkeeping be worth handing off", "bookkeeping"),
        ("worth handing off the invoices?", "invoices"),
        ("should I outsource the newsletter or not?", "newsletter"),
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


@pytest.mark.parametrize(
    ("text", "task"),
    [
        ("shoud I outsorce the newsletter", "newsletter"),
        ("shuold i outsoruce the newsletter?", "newsletter"),
        ("sholud we delegte bookkeeping", "bookkeeping"),
        ("is it wroth outsourcing client calls?", "client calls"),
    ],
)
def test_typos_in_the_question_are_read_as_meant(text, task):
    assert parse_question(text) == AboutTask(task)


def test_a_typo_correction_leaves_the_task_as_typed():
    # "weekly" is one slip from no question word, and "outsorce" must not drag it along.
    assert parse_question("shoud I outsorce weekly reports") == AboutTask("weekly reports")
    assert parse_question("shoud I outsorce costing") == AboutTask("costing")


@pytest.mark.parametrize("text", ["shoulder pain?", "hosting", "delegation"])
def test_words_near_question_words_are_still_just_names(text):
    assert parse_question(text) == Maybe(text.rstrip("?"))


@pytest.mark.parametrize(
    "text",
    [
        "how much does the newsletter cost me?",
        "How much does the newsletter cost us per week",
        "how much is the newsletter costing me",
        "how much does it cost me to do the newsletter?",
        "what does the newsletter cost me",
        "what's the cost of the newsletter?",
        "what’s the weekly cost of the newsletter",
        "how mcuh does the newsletter cost me?",
    ],
)
def test_cost_questions(text):
    assert parse_question(text) == CostOf("newsletter")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "how many hours did I spend on the newsletter this week?",
            TimeSpent("newsletter", everyone=False, period=Period.THIS_WEEK),
        ),
        (
            "How many hours did we spend on bookkeeping this month",
            TimeSpent("bookkeeping", everyone=True, period=Period.THIS_MONTH),
        ),
        (
            "how much time did I spend on the newsletter last week",
            TimeSpent("newsletter", everyone=False, period=Period.LAST_WEEK),
        ),
        (
            "how many hours did the team spend this month on client calls?",
            TimeSpent("client calls", everyone=True, period=Period.THIS_MONTH),
        ),
        (
            "how long did we spend on podcast editing last month",
            TimeSpent("podcast editing", everyone=True, period=Period.LAST_MONTH),
        ),
        (
            "how many hours have I put into the newsletter",  # no period: this week
            TimeSpent("newsletter", everyone=False, period=Period.THIS_WEEK),
        ),
        (
            "how many hours did I spned on the newsletter this week",
            TimeSpent("newsletter", everyone=False, period=Period.THIS_WEEK),
        ),
    ],
)
def test_time_spent_questions(text, expected):
    assert parse_question(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "should I outsource the newsletter or bookkeeping?",
            Compare(("newsletter", "bookkeeping"), "newsletter or bookkeeping"),
        ),
        (
            "is it worth outsourcing the newsletter or the invoices",
            Compare(("newsletter", "invoices"), "newsletter or the invoices"),
        ),
        (
            "should I hand off the newsletter, invoices or calls",
            Compare(("newsletter", "invoices", "calls"), "newsletter, invoices or calls"),
        ),
        (
            "should I hand off newsletter, or invoices",
            Compare(("newsletter", "invoices"), "newsletter, or invoices"),
        ),
        (
            "newsletter or bookkeeping?",
            Compare(("newsletter", "bookkeeping"), "newsletter or bookkeeping", asked=False),
        ),
        (
            "newsletter vs bookkeeping",
            Compare(("newsletter", "bookkeeping"), "newsletter vs bookkeeping", asked=False),
        ),
    ],
)
def test_either_or_questions_compare(text, expected):
    assert parse_question(text) == expected


def test_a_comma_without_or_is_part_of_one_name():
    assert parse_question("should I outsource research, writing") == AboutTask("research, writing")


def test_more_than_three_alternatives_are_one_name():
    assert parse_question("should I outsource w or x or y or z") == AboutTask("w or x or y or z")


def test_long_chatter_is_not_a_question():
    assert parse_question("good morning, how are you today my friend?") == Chatter()
