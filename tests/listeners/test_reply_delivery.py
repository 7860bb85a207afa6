"""Replies are delivered, or their loss is logged: retried once, never doubled by "Sorry"."""

from __future__ import annotations

import logging
import socket

import pytest
from slack_sdk import WebClient

from bot.app import create_app
from tests.support.serving import serving
from tests.support.slack_sim import flatten

TASK = "quarterly zebra audit"  # distinctive: must not appear in any log line


def respond_id(url: str) -> str:
    return url.rsplit("/", 1)[-1]


@pytest.mark.parametrize("status", [500, 404, 503])
def test_a_reply_the_response_url_refuses_once_is_sent_again(bot, slack, caplog, status):
    url = slack.new_response_url()
    slack.fail(respond_id(url), "server_error", status=status)
    result, _ = bot.send_command(f"{TASK} 1h", response_url=url)
    assert result.status == 200
    bot.idle()
    attempts = slack.responses(url)
    assert len(attempts) == 2
    assert f"Logged 1h on *{TASK}*" in flatten(attempts[1].params)
    assert not warnings(caplog)


def test_a_reply_refused_twice_is_logged_without_its_text(bot, slack, caplog):
    url = slack.new_response_url()
    slack.fail(respond_id(url), "server_error", times=2, status=500)
    with caplog.at_level(logging.DEBUG, logger="bot"):
        bot.send_command(f"{TASK} 1h", response_url=url)
        bot.idle()
    assert len(slack.responses(url)) == 2
    (lost,) = warnings(caplog)
    assert "reply lost" in lost.getMessage()
    assert "HTTP 500" in lost.getMessage()
    assert all(TASK not in r.getMessage() for r in caplog.records if r.levelno >= logging.INFO)


def test_a_response_url_that_refuses_connections_is_logged(bot, caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]  # nothing listens here once the socket is closed
    url = f"http://127.0.0.1:{closed_port}/respond/gone"
    result, _ = bot.send_command(f"{TASK} 1h", response_url=url)
    assert result.status == 200
    bot.idle()
    (lost,) = warnings(caplog)
    assert "reply lost" in lost.getMessage()


def test_sorry_for_a_failed_command_is_retried_too(bot, slack, monkeypatch):
    from bot.listeners import logtask

    monkeypatch.setattr(logtask, "answer", lambda *a, **k: 1 / 0)
    url = slack.new_response_url()
    slack.fail(respond_id(url), "server_error", status=500)
    bot.send_command(f"{TASK} 1h", response_url=url)
    bot.idle()
    attempts = slack.responses(url)
    assert len(attempts) == 2
    assert "something went wrong on my side" in flatten(attempts[1].params)


def test_a_dm_answer_whose_post_times_out_is_not_followed_by_sorry(
    settings, db, slack, executor, caplog
):
    # Slack takes the message but its answer never comes back: the client times out.
    client = WebClient(token="xoxb-test", base_url=slack.api_url, timeout=1)
    app = create_app(settings, client, db=db, executor=executor)
    gate = slack.hold("chat.postMessage", deliver="before")
    try:
        with serving(app, db, slack, executor, settings.slack_signing_secret) as bot:
            event = {
                "type": "message",
                "channel_type": "im",
                "channel": "D1",
                "user": "U1",
                "text": f"what about {TASK}?",
                "ts": "1700000000.000100",
            }
            assert bot.event(event).status == 200
            bot.idle()
    finally:
        gate.set()
    (posted,) = slack.api_calls("chat.postMessage")
    assert "something went wrong" not in flatten(posted.params)
    assert any("answer not posted" in r.getMessage() for r in caplog.records)


def test_a_dm_whose_answer_cannot_be_worked_out_gets_sorry_once(bot, slack, monkeypatch):
    from bot.listeners import messages

    monkeypatch.setattr(messages, "_reply", lambda *a, **k: 1 / 0)
    event = {
        "type": "message",
        "channel_type": "im",
        "channel": "D1",
        "user": "U1",
        "text": "what about x?",
        "ts": "1700000000.000100",
    }
    assert bot.event(event).status == 200
    bot.idle()
    (posted,) = slack.api_calls("chat.postMessage")
    assert "something went wrong on my side" in flatten(posted.params)


def warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The bot's warnings: not waitress's note that a request waited for a thread, which a
    loaded test machine makes now and then."""
    return [
        r for r in caplog.records if r.levelno >= logging.WARNING and r.name != "waitress.queue"
    ]
