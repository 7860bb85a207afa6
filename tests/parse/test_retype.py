"""A parsed command written back as text on another task: the text parses back to exactly it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bot.console.chat import escape_like_slack
from bot.money import Money
from bot.parse import commands as c
from bot.parse import logtask
from bot.parse.retype import Named, NamesProvider, retype, retype_provider

TODAY = date(2026, 11, 23)
CTX = c.Context(TODAY, "USD")

NAMES = ["write blog post", "report writing", "standup daily", "<!channel> & co", "top 10 list"]


def named_examples() -> list[Named]:
    """Every example of the command table that names a task, parsed."""
    found = []
    for spec in logtask.TABLE:
        for example in spec.examples:
            text = escape_like_slack(
                example.removeprefix(logtask.COMMAND).strip(), {"general": "C1"}
            )
            cmd = logtask.parse(text, CTX)
            if isinstance(cmd, Named):
                found.append(cmd)
    return found


@pytest.mark.parametrize("cmd", named_examples(), ids=repr)
@pytest.mark.parametrize("name", NAMES)
def test_every_task_command_retypes_to_itself_on_any_name(cmd, name):
    for quoted in (False, True):
        text = retype(cmd, name, CTX, quoted=quoted)
        assert text is not None, (cmd, name, quoted)
        back = logtask.parse(escape_like_slack(text), CTX)
        assert replace(back, literal=False) == replace(cmd, task=name, literal=False)
        assert back.literal or not quoted


def test_unquoted_is_preferred_and_quotes_come_only_when_needed():
    cmd = c.Should("x")
    assert retype(cmd, "write blog post", CTX, quoted=False) == "should write blog post"
    log = c.LogTime("x", 90, TODAY)
    assert retype(log, "report writing", CTX, quoted=False) == '"report writing" 1h30m 2026-11-23'


def test_a_log_line_is_dated_unless_today_is_left_out():
    log = c.LogTime("x", 45, date(2026, 11, 20), category="content")
    assert retype(log, "a", CTX, quoted=True) == '"a" 45m #content 2026-11-20'
    today = c.LogTime("x", 45, TODAY)
    assert retype(today, "a", CTX, quoted=True, dated=False) == '"a" 45m'


def test_a_bare_number_of_hours_is_retyped_with_its_unit():
    cmd = logtask.parse("x 2", CTX)
    assert isinstance(cmd, c.LogTime)
    assert cmd.bare_hours
    assert retype(cmd, "a", CTX, quoted=False, dated=False) == "a 2h"


def test_amounts_people_write_differently_are_written_with_their_code():
    ctx = c.Context(TODAY, "CHF")
    cmd = c.SetQuote("x", Money(150050, "CHF"), per="post")
    assert retype(cmd, "a", ctx, quoted=False) == "quote a 1500.50 CHF/post"


def test_a_name_no_quotes_can_hold_is_not_offered():
    assert retype(c.LogTime("x", 60, TODAY), '5" “screen”', CTX, quoted=True) is None


def provider_examples() -> list[NamesProvider]:
    """Every example of the command table that names a provider, parsed."""
    found = []
    for spec in logtask.TABLE:
        for example in spec.examples:
            text = escape_like_slack(
                example.removeprefix(logtask.COMMAND).strip(), {"general": "C1"}
            )
            cmd = logtask.parse(text, CTX)
            if isinstance(cmd, NamesProvider) and getattr(cmd, "provider", None):
                found.append(cmd)
    return found


PROVIDERS = ["Jane", "Studio 54", "Acme with Co", "<!channel> & co"]


@pytest.mark.parametrize("cmd", provider_examples(), ids=repr)
@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_provider_command_retypes_to_itself_on_any_provider(cmd, provider):
    for quoted in (False, True):
        text = retype_provider(cmd, provider, CTX, quoted=quoted)
        if text is None:
            # Only an unquoted name that reads as something else may be left out unquoted.
            assert not quoted, (cmd, provider)
            continue
        back = logtask.parse(escape_like_slack(text), CTX)
        assert back == replace(cmd, provider=provider, provider_literal=back.provider_literal)
        assert back.provider_literal or not quoted
