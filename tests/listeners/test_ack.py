"""The ack comes first: it never waits for a free worker, for Slack or for the database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from slack_bolt.request import BoltRequest
from sqlalchemy import select

from bot.app import create_app
from bot.db.models import Entry
from bot.listeners.logtask import BUSY
from tests.conftest import SIGNING_SECRET
from tests.support.database import database_locked
from tests.support.executor import TrackingExecutor
from tests.support.serving import serving
from tests.support.slack_sim import flatten

SLACK_ACK_DEADLINE = 3.0  # seconds; a correctness bound, far above a normal ack


def dm(text: str, user: str) -> dict:
    return {
        "type": "message",
        "channel_type": "im",
        "channel": f"D{user}",
        "user": user,
        "text": text,
        "ts": "1700000000.000100",
    }


def test_commands_are_acked_while_every_worker_is_busy(bot, slack, executor):
    # users.info hangs: every listener worker blocks in it (each member's first command
    # looks up their timezone), and more commands arrive than there are workers.
    gate = slack.hold("users.info")
    n = executor.workers + 4
    with ThreadPoolExecutor(n) as senders:
        sent = list(senders.map(lambda i: bot.send_command("a 1h", user=f"U{i}"), range(n)))
    assert [r.status for r, _ in sent] == [200] * n
    assert max(r.seconds for r, _ in sent) < SLACK_ACK_DEADLINE
    gate.set()
    for _, url in sent:
        assert "Logged 1h on *a*" in flatten(slack.wait_for_response(url))


def test_events_are_acked_while_every_worker_is_busy(bot, slack, executor):
    gate = slack.hold("users.info")
    n = executor.workers + 4
    with ThreadPoolExecutor(n) as senders:
        results = list(senders.map(lambda i: bot.event(dm("what about x?", f"U{i}")), range(n)))
    assert [r.status for r in results] == [200] * n
    assert max(r.seconds for r in results) < SLACK_ACK_DEADLINE
    gate.set()
    bot.idle()
    answered = {c.params["channel"] for c in slack.api_calls("chat.postMessage")}
    assert answered == {f"DU{i}" for i in range(n)}


def test_a_command_is_acked_while_the_database_is_locked(bot, db, slack):
    with database_locked(db):
        result, url = bot.send_command("a 1h")
        assert result.status == 200
        assert result.seconds < SLACK_ACK_DEADLINE
    assert "Logged 1h on *a*" in flatten(slack.wait_for_response(url))


def test_socket_mode_requests_are_acked_then_answered(settings, db, slack, executor):
    # Socket Mode sends payloads as dicts with no signature; the adapter dispatches them so.
    app = create_app(settings, db=db, executor=executor)
    url = slack.new_response_url()
    body = {
        "team_id": "T1",
        "user_id": "U1",
        "channel_id": "C1",
        "command": "/logtask",
        "text": "a 1h",
        "response_url": url,
    }
    response = app.dispatch(BoltRequest(body=body, mode="socket_mode"))
    assert response.status == 200
    assert "Logged 1h on *a*" in flatten(slack.wait_for_response(url))
    executor.wait_idle()


def test_a_command_past_the_full_backlog_is_told_busy_in_its_ack_and_nothing_is_saved(
    settings, db, slack
):
    pool = TrackingExecutor(workers=2, backlog=2)
    app = create_app(settings, db=db, executor=pool)
    with serving(app, db, slack, pool, SIGNING_SECRET) as bot:
        gate = slack.hold("users.info")  # both workers block on a member's first command
        first = [bot.send_command("a 1h", user=f"U{i}") for i in range(2)]
        refused, refused_url = bot.send_command("b 2h", user="U9")
        gate.set()
        for _, url in first:
            assert "Logged 1h on *a*" in flatten(slack.wait_for_response(url))
        pool.wait_idle()

    assert refused.status == 200
    assert refused.json() == {"text": BUSY, "response_type": "ephemeral"}
    assert slack.responses(refused_url) == []
    with db.transaction() as s:  # the two logs of 1h: 2 entries, none of 2h
        assert s.scalars(select(Entry.minutes)).all() == [60, 60]
