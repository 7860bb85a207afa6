"""Unverified or malformed requests are refused before any work: no listener, no call out."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlencode

import pytest

from bot.server import MAX_BODY_BYTES
from tests.support.database import saved_rows
from tests.support.signing import signed_headers, signed_with_timestamp
from tests.support.slack_sim import flatten

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def command_body(bot, text: str = "audit 1h") -> bytes:
    return urlencode(
        {
            "team_id": "T1",
            "user_id": "U1",
            "channel_id": "C1",
            "command": "/logtask",
            "text": text,
            "response_url": bot.slack.new_response_url(),
        }
    ).encode()


def assert_no_work(bot, db, calls_before: int) -> None:
    bot.idle()
    assert bot.slack.calls[calls_before:] == []
    assert saved_rows(db) == {}


@pytest.mark.parametrize(
    "timestamp",
    ["abc", "", "1e9", "NOW.0", " NOW", "+NOW", "-NOW", "¹"],
    ids=["letters", "empty", "exponent", "decimal", "space", "plus", "minus", "superscript"],
)
def test_a_timestamp_that_is_not_plain_digits_is_401_even_when_signed(bot, db, timestamp):
    timestamp = timestamp.replace("NOW", str(int(time.time())))
    body = command_body(bot)
    before = len(bot.slack.calls)
    result = bot.post(body, FORM, signed_with_timestamp(bot.secret, body, timestamp), signed=False)
    assert result.status == 401
    assert_no_work(bot, db, before)


@pytest.mark.parametrize("offset", [-6 * 60, 6 * 60], ids=["stale", "future"])
def test_a_timestamp_more_than_five_minutes_off_is_401(bot, db, offset):
    body = command_body(bot)
    before = len(bot.slack.calls)
    headers = signed_headers(bot.secret, body, timestamp=int(time.time()) + offset)
    assert bot.post(body, FORM, headers, signed=False).status == 401
    assert_no_work(bot, db, before)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Slack-Request-Timestamp": "TS"},
        {"X-Slack-Signature": "SIG"},
        {"X-Slack-Request-Timestamp": "TS", "X-Slack-Signature": "v0=deadbeef"},
        {"X-Slack-Request-Timestamp": "TS", "X-Slack-Signature": "OTHER"},
        {"X-Slack-Request-Timestamp": "TS", "X-Slack-Signature": "SIG-UPPER"},
    ],
    ids=["none", "no-signature", "no-timestamp", "short-signature", "other-secret", "uppercase"],
)
def test_a_missing_or_wrong_signature_is_401(bot, db, headers):
    body = command_body(bot)
    good = signed_headers(bot.secret, body)
    other = signed_headers("not-the-secret", body, int(good["X-Slack-Request-Timestamp"]))
    fill = {
        "TS": good["X-Slack-Request-Timestamp"],
        "SIG": good["X-Slack-Signature"],
        "SIG-UPPER": good["X-Slack-Signature"].upper(),
        "OTHER": other["X-Slack-Signature"],
    }
    headers = {k: fill.get(v, v) for k, v in headers.items()}
    before = len(bot.slack.calls)
    assert bot.post(body, FORM, headers, signed=False).status == 401
    assert_no_work(bot, db, before)


def test_an_unsigned_request_with_a_bad_timestamp_posts_nothing_to_its_response_url(bot, db):
    # The probe's request: before, Bolt raised on int("abc") and its error handler said
    # "Sorry" to the response_url in the body — any address the sender chose.
    body = command_body(bot)
    url = parse_qs(body.decode())["response_url"][0]
    before = len(bot.slack.calls)
    result = bot.post(body, FORM, {"X-Slack-Request-Timestamp": "abc"}, signed=False)
    assert result.status == 401
    assert_no_work(bot, db, before)
    assert bot.slack.responses(url) == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"{not json", JSON),
        (b"[1, 2]", JSON),
        (b'{"token": "x"}', JSON),
        (b'{"type": "event_callback", "event": "x"}', JSON),
        (b"team_id=T1&user_id=U1&text=audit+1h", FORM),
        (b"command=%2Flogtask&user_id=U1", FORM),
        (b"command=/logtask&user_id=U1&response_url=http://x/&text=\xff\xfe", FORM),
        (b"command=/logtask&user_id=U1&response_url=http://x/&text=%ff", FORM),
        (b"command=/logtask&user_id=U1&&&response_url", FORM),
        (b"payload=%7Bbroken", FORM),
        (b"", FORM),
    ],
    ids=[
        "bad-json",
        "json-array",
        "json-without-type",
        "event-without-event",
        "form-without-command",
        "command-without-response-url",
        "non-utf8-bytes",
        "non-utf8-escape",
        "malformed-fields",
        "bad-payload",
        "empty",
    ],
)
def test_a_signed_malformed_body_is_400(bot, db, body, content_type):
    before = len(bot.slack.calls)
    assert bot.post(body, content_type).status == 400
    assert_no_work(bot, db, before)


def test_a_body_over_the_cap_is_413(bot, db):
    body = command_body(bot, "x" * (MAX_BODY_BYTES + 1))
    before = len(bot.slack.calls)
    assert bot.post(body, FORM).status == 413
    assert_no_work(bot, db, before)


def test_a_command_of_thousands_of_emoji_is_refused_in_words_not_413(bot):
    # ~9,000 emoji are ~110 kB URL-encoded: still under the cap, so the parser answers.
    reply = flatten(bot.command("history " + "🚀" * 9000))
    assert "a command is at most 4,000 characters" in reply


def test_a_signed_command_is_answered(bot):
    assert "Logged 1h on *audit*" in bot.reply_text("audit 1h")


def test_a_command_that_mentions_payload_is_answered(bot):
    # Bolt's own parser takes any form containing "payload" for an interactivity payload.
    assert "Logged 1h on *payload review*" in bot.reply_text("payload review 1h")


def test_bolt_internal_headers_from_outside_are_ignored(bot):
    body = command_body(bot)
    url = parse_qs(body.decode())["response_url"][0]
    headers = {"X-Slack-Bolt-Lazy-Only": "1", "X-Slack-Bolt-Lazy-Function-Name": "nothing"}
    assert bot.post(body, FORM, headers).status == 200
    assert "Logged 1h on *audit*" in flatten(bot.slack.wait_for_response(url))


def test_slacks_unsigned_ssl_check_is_answered_without_work(bot, db):
    before = len(bot.slack.calls)
    result = bot.post(b"ssl_check=1&token=x", FORM, signed=False)
    assert result.status == 200
    assert_no_work(bot, db, before)
