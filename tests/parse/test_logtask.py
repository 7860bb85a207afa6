from datetime import date, time
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.console.chat import escape_like_slack
from bot.economics import Frequency, QuoteUnit
from bot.errors import CommandError
from bot.money import Money
from bot.parse import commands as c
from bot.parse import logtask

TODAY = date(2026, 11, 23)  # a Monday
CTX = c.Context(TODAY, "USD")


def parse(text: str) -> c.Command:
    return logtask.parse(text, CTX)


def usd(major: int) -> Money:
    return Money(major * 100, "USD")


def test_log_time_with_every_option():
    cmd = parse("write newsletter 1h30m weekly #content yesterday")
    assert cmd == c.LogTime("write newsletter", 90, date(2026, 11, 22), Frequency.WEEKLY, "content")


def test_quoted_name_may_start_with_a_subcommand_word():
    cmd = parse('"report writing" 45m')
    assert isinstance(cmd, c.LogTime)
    assert cmd.task == "report writing"


def test_task_name_ending_in_a_number_keeps_it():
    cmd = parse("top 10 list 45m")
    assert isinstance(cmd, c.LogTime)
    assert cmd.task == "top 10 list"
    assert cmd.minutes == 45


def test_multi_word_durations_are_found_after_the_name():
    cmd = parse("client call 1 hr 30 mins on 2026-11-20")
    assert isinstance(cmd, c.LogTime)
    assert (cmd.task, cmd.minutes, cmd.day) == ("client call", 90, date(2026, 11, 20))


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
        ("rate $85/h", c.Rate(usd(85))),
        ("rate 85 per hour", c.Rate(usd(85))),
        ("overhead", c.Overhead(None)),
        ("overhead 15%", c.Overhead(Fraction(15, 100))),
        ("currency", c.Currency(None)),
        ("currency eur", c.Currency("EUR")),
        ("freq write newsletter monthly", c.SetFrequency("write newsletter", Frequency.MONTHLY)),
        ("core client calls", c.SetCore("client calls", True)),
        ("notcore client calls", c.SetCore("client calls", False)),
        ("should write newsletter?", c.Should("write newsletter")),
        ("quote blog none", c.RemoveQuote("blog")),
        ("quote blog $60", c.SetQuote("blog", usd(60), QuoteUnit.OCCURRENCE, "task", bare=True)),
        (
            "quote blog $60/post from Jane",
            c.SetQuote("blog", usd(60), QuoteUnit.OCCURRENCE, "post", "Jane"),
        ),
        ("quote blog 25 per hour", c.SetQuote("blog", usd(25), QuoteUnit.HOUR, "hour")),
        ("quote blog 1200 USD/mo", c.SetQuote("blog", usd(1200), QuoteUnit.MONTH, "month")),
        ("quote top 10 list $40/week", c.SetQuote("top 10 list", usd(40), QuoteUnit.WEEK, "week")),
        ("digest <#C1|general> fri 10:00", c.DigestConfigure("C1", 4, time(10, 0))),
        ("digest", c.DigestShow()),
        ("digest preview", c.DigestPreview()),
        ("help quote", c.Help("quote")),
        ("help list", c.Help("report")),
        ("help me", c.Help()),
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
    assert e.value.command in logtask.BY_NAME or e.value.example.startswith("/logtask ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("bookkeeping 30m 2999-01-01", "in the future"),
        ("rate €40", "counts in USD, not EUR"),
        ("quote blog $99999999", r"at most \$1,000,000"),
        ("rate $12.34567", "too many decimals: at most 4"),
        ("currency XYZ", "not an ISO currency code"),
        ("overhead 12.345", "at most two decimals"),
    ],
)
def test_values_are_checked_while_parsing(text, problem):
    with pytest.raises(CommandError, match=problem):
        parse(text)


@given(st.text(max_size=60))
def test_any_text_parses_or_gives_a_command_error(text):
    try:
        parse(text)
    except CommandError as e:
        assert e.problem
        assert e.example or e.command in logtask.BY_NAME


def test_a_word_that_takes_nothing_is_named_as_typed():
    with pytest.raises(CommandError, match="`list` takes nothing after it") as e:
        parse("list foo")
    assert e.value.example == '/logtask "list foo" 1h'


@pytest.mark.parametrize("spec", logtask.TABLE, ids=lambda s: s.name)
def test_every_example_in_the_table_parses_to_the_command_it_documents(spec):
    assert spec.examples
    for example in spec.examples:
        assert example.startswith(logtask.COMMAND + " ")
        # As Slack sends it: a #channel picked from the list arrives as a channel link.
        text = escape_like_slack(example.removeprefix(logtask.COMMAND).strip(), {"general": "C1"})
        cmd = parse(text)
        assert isinstance(cmd, spec.makes), (example, cmd)


@pytest.mark.parametrize("spec", logtask.TABLE, ids=lambda s: s.name)
def test_every_command_has_help(spec):
    assert spec.summary
    assert spec.usage
    for word in spec.words:
        assert parse(f"help {word}") == c.Help(spec.name)


def test_every_command_word_selects_exactly_one_command():
    words = [w for s in logtask.TABLE for w in s.words]
    assert len(words) == len(set(words))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"writ blog post" 2h', c.LogTime("writ blog post", 120, TODAY, literal=True)),
        ("“writ blog post” 2h", c.LogTime("writ blog post", 120, TODAY, literal=True)),
        (
            'quote "writ blog post" $60/post from Jane',
            c.SetQuote("writ blog post", usd(60), QuoteUnit.OCCURRENCE, "post", "Jane", True),
        ),
        (
            'quote "pay $5 fee from x" $6',
            c.SetQuote(
                "pay $5 fee from x", usd(6), QuoteUnit.OCCURRENCE, "task", None, True, bare=True
            ),
        ),
        ('quote "blog" none', c.RemoveQuote("blog", literal=True)),
        ('freq "writ blog post" weekly', c.SetFrequency("writ blog post", Frequency.WEEKLY, True)),
        ('category "writ blog post" #content', c.SetCategory("writ blog post", "content", True)),
        ('category "writ blog post" none', c.SetCategory("writ blog post", None, True)),
        ('core "report writing"', c.SetCore("report writing", True, True)),
        ('notcore "report writing"', c.SetCore("report writing", False, True)),
        ('should "writ blog post"', c.Should("writ blog post", literal=True)),
        ('estimate "site redo" 40h', c.SetEstimate("site redo", 2400, literal=True)),
        ('estimate "site redo" none', c.SetEstimate("site redo", None, literal=True)),
    ],
)
def test_a_quoted_task_name_is_literal_in_every_command_that_names_one(text, expected):
    assert parse(text) == expected


# ---- fixing what was logged: edit, delete, rename, merge, undo ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("edit #12 45m", c.EditEntry(12, 45, None)),
        ("edit 12 yesterday", c.EditEntry(12, None, date(2026, 11, 22))),
        ("edit #12 45m 2026-11-18", c.EditEntry(12, 45, date(2026, 11, 18))),
        ("edit #12 45m on Nov 18", c.EditEntry(12, 45, date(2026, 11, 18))),
        ("edit #12 last tuesday 1h30m", c.EditEntry(12, 90, date(2026, 11, 17))),
        ("delete #12", c.DeleteEntry(12)),
        ("delete 7", c.DeleteEntry(7)),
        ("delete task write blog post", c.DeleteTask("write blog post")),
        ('delete task "#12"', c.DeleteTask("#12")),
        (
            "rename writ blog post to write blog post",
            c.RenameTask("writ blog post", "write blog post"),
        ),
        (
            "rename how to videos to tutorials",
            c.RenameTask("how", "videos to tutorials", (("how to videos", "tutorials"),)),
        ),
        ('rename "how to videos" to tutorials', c.RenameTask("how to videos", "tutorials")),
        ('rename blog to "how to blog"', c.RenameTask("blog", "how to blog")),
        ("merge blog posts into write blog post", c.MergeTasks("blog posts", "write blog post")),
        ("undo confirm", c.Undo(confirm=True)),
    ],
)
def test_commands_that_fix_what_was_logged(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('core "writ blog post', "quote is left open"),
        ('should "writ" blog post', "whole task name in quotes"),
        ('freq "writ" blog weekly', "whole task name in quotes"),
    ],
)
def test_a_half_quoted_task_name_explains(text, problem):
    with pytest.raises(CommandError, match=problem):
        parse(text)


def test_an_unquoted_name_with_a_quote_inside_is_kept_as_typed():
    assert parse('core 5" screen') == c.SetCore('5" screen', True)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("edit", "which entry"),
        ("edit #12", "what should #12 become"),
        ("edit twelve 45m", "which entry"),
        ("edit #12 soon", "couldn't read “soon”"),
        ("edit #12 tomorrow", "future"),
        ("edit #12 25h", "more than a day"),
        ("delete", "delete what"),
        ("delete #1 #2", "one entry at a time"),
        ("rename blog", "then `to`"),
        ("merge a to b", "then `into`"),
        ("rename to b", "then `to`"),
        ("undo everything", "takes nothing"),
    ],
)
def test_fixing_commands_that_do_not_parse_say_what_is_missing(text, problem):
    with pytest.raises(CommandError, match=problem) as e:
        parse(text)
    assert e.value.command in logtask.BY_NAME or e.value.example.startswith("/logtask ")


def test_delete_with_a_task_name_suggests_delete_task():
    with pytest.raises(CommandError, match="say `task` first") as e:
        parse("delete write blog post")
    assert e.value.example == "/logtask delete task write blog post"


def test_a_task_named_after_a_new_command_word_is_logged_in_quotes():
    assert parse('"edit video" 1h') == c.LogTime("edit video", 60, TODAY, literal=True)
    with pytest.raises(CommandError) as e:
        parse("edit video 1h30m")
    assert e.value.example == '/logtask "edit video" 1h30m'
    assert logtask.log_command("merge requests", "1h") == '/logtask "merge requests" 1h'


def test_suggested_commands_quote_names_that_hold_their_separator():
    assert logtask.rename_command("blog", "write blog") == "/logtask rename blog to write blog"
    assert (
        logtask.rename_command("how to videos", "tutorials")
        == '/logtask rename "how to videos" to tutorials'
    )
    assert logtask.merge_command("a", "log into b") == '/logtask merge a into "log into b"'
    typed = logtask.merge_command("a", "log into b").removeprefix("/logtask ")
    assert parse(typed) == c.MergeTasks("a", "log into b")
