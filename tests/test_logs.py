"""Logs: nothing a member typed at INFO, and no record that quotes a whole input."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy.exc import IntegrityError

from bot.db.models import Workspace
from bot.logs import CappedFormatter, brief_traceback, describe, redact
from tests.support.slack_sim import flatten

TASK = "quarterly zebra audit"  # distinctive, so any log line quoting it is found
HUGE = "q" * 100_000  # the probe's fuzz inputs made 1.3 MB of log


def test_at_info_a_command_logs_nothing_the_member_typed(bot, caplog):
    caplog.set_level(logging.INFO)  # every logger: Bolt, slack_sdk, SQLAlchemy, waitress, ours
    assert f"Logged 1h on *{TASK}*" in bot.reply_text(f"{TASK} 1h")
    assert f"*{TASK}*" in bot.reply_text(f"should {TASK}")
    bot.idle()
    assert [r.getMessage() for r in caplog.records if "zebra" in r.getMessage()] == []


def test_a_failure_quoting_a_huge_input_logs_a_few_kilobytes(bot, caplog, monkeypatch):
    from bot.listeners import logtask

    def fail(*args: object, **kwargs: object) -> None:
        try:
            raise ValueError(f"cannot read {HUGE!r}")
        except ValueError as e:
            raise RuntimeError(f"while handling {HUGE}") from e

    monkeypatch.setattr(logtask, "answer", fail)
    assert "something went wrong on my side" in flatten(bot.command(f"{TASK} 1h"))
    bot.idle()
    (failure,) = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert "RuntimeError: while handling qqq" in failure.getMessage()
    assert "ValueError" in failure.getMessage()  # the cause is still there, clipped
    assert len(caplog.text) < 5_000
    assert "q" * 1_000 not in caplog.text


def test_the_capped_formatter_keeps_the_head_and_tail_of_a_long_record():
    try:
        raise ValueError(HUGE)
    except ValueError:
        record = logging.LogRecord(
            "bot", logging.ERROR, __file__, 1, "failed on %s", (HUGE,), sys.exc_info()
        )
    text = CappedFormatter(limit=4_000).format(record)
    assert len(text) < 4_100
    assert "failed on qqq" in text  # the head: what happened
    assert text.rstrip().endswith("q")  # the tail: the end of the traceback
    assert "characters cut" in text


def test_configure_logging_caps_every_record(tmp_path):
    script = textwrap.dedent(
        """
        import logging
        from bot.cli import configure_logging
        from bot.settings import Settings

        configure_logging(Settings(log_level="INFO"))
        try:
            raise ValueError("q" * 100_000)
        except ValueError:
            logging.getLogger("slack_bolt.App").exception("Failed to run: %s", "q" * 100_000)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert "Failed to run: qqq" in result.stderr
    assert len(result.stderr) < 5_000


def test_describe_gives_the_type_and_the_start_of_the_message():
    text = describe(ValueError("bad\ninput " + HUGE))
    assert text.startswith("ValueError: bad input qqq")
    assert len(text) < 300
    assert describe(KeyError()) == "KeyError"


def test_a_brief_traceback_names_every_frame_and_clips_every_message():
    def inner() -> None:
        raise ValueError(HUGE)

    try:
        try:
            inner()
        except ValueError as e:
            raise RuntimeError(HUGE) from e
    except RuntimeError as e:
        text = brief_traceback(e)
    assert "in inner" in text
    assert "ValueError: qqq" in text
    assert "RuntimeError: qqq" in text
    assert len(text) < 4_100


def test_sql_errors_do_not_echo_the_values(db):
    with db.transaction() as s:
        s.add(Workspace(team_id="TZEBRA"))
    with db.transaction() as s:
        s.add(Workspace(team_id="TZEBRA"))
        with pytest.raises(IntegrityError) as raised:
            s.flush()
        s.rollback()
    assert "parameters hidden" in str(raised.value)


@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234-5678-abcdefABCDEF",
        "xoxp-1-2-3-abc",
        "xoxe.xoxb-1-MS0yLTEyMzQ",
        "xoxe-1-My0xLTEyMzQ1Ng",
        "xapp-1-A0-123-abc",
    ],
)
def test_a_slack_token_never_reaches_a_log_line(secret):
    record = logging.LogRecord(
        "slack_sdk.web.base_client",
        logging.DEBUG,
        __file__,
        1,
        'Received the following response - body: {"ok":true,"access_token":"%s"}',
        (secret,),
        None,
    )

    text = CappedFormatter().format(record)

    assert secret not in text
    assert '"access_token":"[redacted]"' in text


def test_a_client_secret_in_a_form_or_json_is_redacted():
    text = redact('client_secret=abc123&code=1 {"client_secret": "def456"}')

    assert "abc123" not in text
    assert "def456" not in text
    assert text == 'client_secret=[redacted]&code=1 {"client_secret": "[redacted]"}'
