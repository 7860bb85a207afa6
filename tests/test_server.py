"""The HTTP surface: signatures, the ack, health."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

from bot.db.engine import Database
from bot.server import HealthProbe, wsgi_app
from tests.support.database import database_locked
from tests.support.signing import signed_headers
from tests.support.slack_sim import http

SLACK_ACK_DEADLINE = 3.0  # seconds; a correctness bound, far above a normal answer

FORM = "application/x-www-form-urlencoded"


def command_body(bot, text="help") -> bytes:
    return urlencode(
        {
            "team_id": "T1",
            "user_id": "U1",
            "command": "/logtask",
            "text": text,
            "response_url": bot.slack.new_response_url(),
        }
    ).encode()


def test_unsigned_request_is_401(bot):
    assert bot.post(command_body(bot), FORM, signed=False).status == 401


def test_wrong_signature_is_401(bot):
    body = command_body(bot)
    headers = signed_headers("not-the-secret", body)
    assert bot.post(body, FORM, headers=headers, signed=False).status == 401


def test_stale_timestamp_is_401(bot):
    body = command_body(bot)
    headers = signed_headers(bot.secret, body, timestamp=int(time.time()) - 6 * 60)
    assert bot.post(body, FORM, headers=headers, signed=False).status == 401


def test_rejected_requests_reach_no_listener(bot, slack):
    before = len(slack.calls)
    bot.post(command_body(bot), FORM, signed=False)
    bot.idle()
    assert slack.calls[before:] == []


def test_ack_does_not_wait_for_the_slack_web_api(bot, slack):
    gate = slack.hold("users.info")  # Slack's users.info hangs until released
    result, url = bot.send_command("a 1h")
    assert result.status == 200  # acknowledged while users.info is still unanswered
    assert slack.responses(url) == []
    gate.set()
    assert "Logged 1h on *a*" in str(slack.wait_for_response(url))


def test_healthz_reports_the_database(bot):
    r = http(bot.bot_url + "/healthz")
    assert r.status == 200
    assert r.json() == {"status": "ok", "database": True}


def test_healthz_answers_from_memory_while_the_database_is_locked(bot, db):
    with database_locked(db):
        r = http(bot.bot_url + "/healthz")
    assert r.seconds < SLACK_ACK_DEADLINE
    assert r.status in (200, 503)


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    db = Database(f"sqlite:///{tmp_path}/missing/dir/x.db")
    probe = HealthProbe(db)
    assert probe.check() is False
    statuses = []
    body = wsgi_app(None, db, health=probe)(  # type: ignore[arg-type]
        {"PATH_INFO": "/healthz", "REQUEST_METHOD": "GET"},
        lambda status, headers: statuses.append(status),
    )
    assert statuses == ["503 Service Unavailable"]
    assert json.loads(b"".join(body)) == {"status": "unavailable", "database": False}


def test_a_ping_that_has_not_come_back_counts_as_unhealthy(db):
    probe = HealthProbe(db, stale_after=-1.0)  # every answer is already too old
    assert probe.check() is True
    assert probe.healthy() is False


def test_healthz_is_503_before_the_first_ping_has_answered(db):
    assert HealthProbe(db).healthy(first_wait=0) is False  # never started


def test_url_verification_challenge_is_answered(bot):
    r = bot.post(
        b'{"type": "url_verification", "challenge": "abc123", "token": "x"}', "application/json"
    )
    assert r.status == 200
    assert b"abc123" in r.body
