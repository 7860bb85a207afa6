from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.economics import Frequency, QuoteUnit
from bot.parse import logtask as c
from bot.parse.logtask import CommandError, parse


def test_log_time_with_every_option():
    cmd = parse("write newsletter 1h30m weekly #content yesterday")
    assert cmd == c.LogTime(
        "write newsletter", cmd.duration, Frequency.WEEKLY, "content", "yesterday"
    )
    assert cmd.duration.minutes == 90


def test_quoted_name_may_start_with_a_subcommand_word():
    cmd = parse('"report writing" 45m')
    assert isinstance(cmd, c.LogTime)
    assert cmd.task == "report writing"


def test_task_name_ending_in_a_number_keeps_it():
    cmd = parse("top 10 list 45m")
    assert isinstance(cmd, c.LogTime)
    assert cmd.task == "top 10 list"
    assert cmd.duration.minutes == 45


def test_multi_word_durations_are_found_after_the_name():
    cmd = parse("client call 1 hr 30 mins on 2026-11-20")
    assert isinstance(cmd, c.LogTime)
    assert (cmd.task, cmd.duration.minutes, cmd.day) == ("client call", 90, "2026-11-20")


@pytest.mark.parametrize(
    ("word", "freq"),
    [
        ("fortnightly", Frequency.BIWEEKLY),
        ("one-off", Frequency.ONCE),
        ("weekdays", Frequency.WEEKDAYS),
    ],
)
def test_frequency_aliases(word, freq):
    cmd = parse(f"backup 10m {word}")
    assert isinstance(cmd, c.LogTime)
    assert cmd.frequency is freq


def test_slack_channel_link_is_read_as_a_category():
    cmd = parse("write newsletter 1h <#C0123|content>")
    assert isinstance(cmd, c.LogTime)
    assert cmd.category == "content"


def test_mentions_in_names_become_inert_text():
    assert parse("<!channel> 1h").task == "@channel"  # type: ignore[union-attr]
    assert parse("&lt;!channel&gt; 1h").task == "<!channel>"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", c.Help()),
        ("help", c.Help()),
        ("report", c.Report()),
        ("list", c.Report()),
        ("history", c.History()),
        ("undo", c.Undo()),
        ("rate", c.Rate(None)),
        ("rate $85/h", c.Rate("$85")),
        ("rate 85 per hour", c.Rate("85")),
        ("overhead", c.Overhead(None)),
        ("overhead 15%", c.Overhead(Fraction(15, 100))),
        ("currency", c.Currency(None)),
        ("currency eur", c.Currency("EUR")),
        ("freq write newsletter monthly", c.SetFrequency("write newsletter", Frequency.MONTHLY)),
        ("core client calls", c.SetCore("client calls", True)),
        ("notcore client calls", c.SetCore("client calls", False)),
        ("should write newsletter?", c.Should("write newsletter")),
        ("quote blog none", c.SetQuote("blog", None)),
        ("quote blog $60", c.SetQuote("blog", "$60", QuoteUnit.OCCURRENCE, "task")),
        (
            "quote blog $60/post from Jane",
            c.SetQuote("blog", "$60", QuoteUnit.OCCURRENCE, "post", "Jane"),
        ),
        ("quote blog 25 per hour", c.SetQuote("blog", "25", QuoteUnit.HOUR, "hour")),
        ("quote blog 1200 USD/mo", c.SetQuote("blog", "1200 USD", QuoteUnit.MONTH, "month")),
        ("quote top 10 list €40/week", c.SetQuote("top 10 list", "€40", QuoteUnit.WEEK, "week")),
        ("digest <#C1|general> fri 10:00", c.Digest(["<#C1|general>", "fri", "10:00"])),
    ],
)
def test_subcommands(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("write newsletter", "couldn't find how long"),
        ("write newsletter 25h", "more than a day"),
        ("1h", "(?i)which task"),
        ('"open quote 1h', "quote is left open"),
        ("report writing 1h", "takes nothing after it"),
        ("rate $85/week", "per hour"),
        ("quote blog", "a quote is a task"),
        ("freq blog sometimes", "how often"),
        ("overhead lots", "percentage"),
        ("overhead 100", "under 100%"),
        ("currency euro", "three-letter"),
        ("should", "(?i)which task"),
        ("x" * 81 + " 1h", "at most 80"),
        ("write 1h #not/a/tag", "#category is one word"),
    ],
)
def test_malformed_commands_explain_and_show_an_example(text, problem):
    with pytest.raises(CommandError, match=problem) as e:
        parse(text)
    assert e.value.example
    assert e.value.example.startswith("/logtask")


@given(st.text(max_size=60))
def test_any_text_parses_or_gives_a_command_error(text):
    try:
        parse(text)
    except CommandError as e:
        assert e.problem
        assert e.example
