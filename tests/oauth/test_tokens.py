"""Token rotation: renewed before expiry by requests and by the scheduler, once, under a lock."""

from __future__ import annotations

import functools
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import update

from bot.app import make_client
from bot.console.local_slack import Workspace
from bot.db.engine import Database
from bot.db.models import DigestSchedule
from bot.jobs.digest import run_due
from bot.jobs.scheduler import make_scheduler
from bot.oauth.flow import tokens_for
from bot.oauth.tokens import REQUEST_AHEAD
from bot.services import digest as digest_service
from bot.services.scope import Scope
from tests.conftest import CLIENT_ID, CLIENT_SECRET
from tests.support.browser import install

ACME = Workspace("T1", "Acme")
GLOBEX = Workspace("T2", "Globex")
TWELVE_HOURS = 12 * 3600


def refreshes(slack) -> list:
    return [
        c
        for c in slack.api_calls("oauth.v2.access")
        if c.params.get("grant_type") == "refresh_token"
    ]


def install_expiring(bot, slack, where: Workspace, seconds: int) -> str:
    """Install with a token that expires in ``seconds``; Slack's later tokens last 12 hours."""
    slack.token_lifetime = seconds
    install(bot.bot_url, slack, where)
    slack.token_lifetime = TWELVE_HOURS
    (token,) = slack.bot_tokens(where)
    return token


def test_the_stand_in_takes_each_refresh_token_once(slack):
    # What the lock below guards against: Slack refuses a refresh token spent already.
    slack.register_app(CLIENT_ID, CLIENT_SECRET, token_lifetime=TWELVE_HOURS)
    client = WebClient(base_url=slack.api_url)
    code = slack.approve(
        f"https://slack.com/oauth/v2/authorize?client_id={CLIENT_ID}&scope=commands", ACME
    )["code"]
    refresh = client.oauth_v2_access(client_id=CLIENT_ID, client_secret=CLIENT_SECRET, code=code)[
        "refresh_token"
    ]

    def spend() -> object:
        return client.oauth_v2_access(
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            grant_type="refresh_token",
            refresh_token=refresh,
        )

    spend()
    with pytest.raises(SlackApiError, match="invalid_refresh_token"):
        spend()


def test_a_request_renews_a_token_about_to_expire_and_uses_the_new_one(oauth_bot, slack):
    old = install_expiring(oauth_bot, slack, ACME, seconds=300)  # within REQUEST_AHEAD (10 min)

    oauth_bot.reply_text("write newsletter 1h weekly", team="T1")
    oauth_bot.reply_text("report", team="T1", user="U2")

    assert len(refreshes(slack)) == 1  # renewed once, and stored: the second command reuses it
    old_again, new = slack.bot_tokens(ACME)
    assert old_again == old
    assert [c.token for c in slack.api_calls("users.info")] == [new, new]


def test_a_token_far_from_expiry_is_not_renewed_by_a_request(oauth_bot, slack):
    install_expiring(oauth_bot, slack, ACME, seconds=TWELVE_HOURS)

    oauth_bot.reply_text("write newsletter 1h weekly", team="T1")

    assert refreshes(slack) == []


def test_a_failed_renewal_keeps_answering_with_the_current_token(oauth_bot, slack):
    old = install_expiring(oauth_bot, slack, ACME, seconds=300)
    slack.fail("oauth.v2.access", "invalid_refresh_token")

    reply = oauth_bot.reply_text("write newsletter 1h weekly", team="T1")

    assert "write newsletter" in reply
    assert [c.token for c in slack.api_calls("users.info")] == [old]


def test_the_scheduler_renews_the_tokens_no_request_uses(oauth_bot, slack, tokens):
    install_expiring(oauth_bot, slack, ACME, seconds=3600)  # within BACKGROUND_AHEAD (2 h)
    install_expiring(oauth_bot, slack, GLOBEX, seconds=TWELVE_HOURS)

    assert tokens.refresh_expiring() == 1
    assert tokens.refresh_expiring() == 0  # Acme's new token lasts 12 hours

    assert len(refreshes(slack)) == 1
    assert len(slack.bot_tokens(ACME)) == 2
    assert len(slack.bot_tokens(GLOBEX)) == 1


def schedule_digest(db, team: str, channel: str, due: datetime) -> None:
    with db.transaction() as s:
        digest_service.configure(
            s, Scope(team), "U1", channel, due.weekday(), due.time(), "UTC", due - timedelta(1)
        )
        s.execute(
            update(DigestSchedule)
            .values(next_run_at=due)
            .where(DigestSchedule.channel_id == channel)
        )


def test_the_scheduler_posts_each_workspaces_digest_with_its_own_token(
    oauth_bot, slack, db, tokens
):
    acme = install_expiring(oauth_bot, slack, ACME, seconds=TWELVE_HOURS)
    globex_old = install_expiring(oauth_bot, slack, GLOBEX, seconds=600)  # expiring: renewed
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    schedule_digest(db, "T1", "C1", now)
    schedule_digest(db, "T2", "C2", now)

    assert run_due(db, tokens.client_for, now) == 2

    globex_old_again, globex = slack.bot_tokens(GLOBEX)
    assert globex_old_again == globex_old
    posts = {c.params["channel"]: c.token for c in slack.api_calls("chat.postMessage")}
    assert posts == {"C1": acme, "C2": globex}


def test_two_workers_renewing_at_once_spend_the_refresh_token_once(
    oauth_bot, slack, oauth_settings, database_url, tokens
):
    install_expiring(oauth_bot, slack, ACME, seconds=300)
    other = Database(database_url)  # a second process: its own connections
    workers = [
        tokens,
        tokens_for(oauth_settings, other, functools.partial(make_client, oauth_settings)),
    ]
    gate = slack.hold("oauth.v2.access", times=1)  # the first renewal waits inside "Slack"
    got: dict[int, str | None] = {}

    def renew(n: int) -> None:
        found = workers[n].installation(None, "T1", False, REQUEST_AHEAD)
        got[n] = found.bot_token if found else None

    first = threading.Thread(target=renew, args=(0,))
    first.start()
    slack.wait_for(lambda: refreshes(slack))
    second = threading.Thread(target=renew, args=(1,))
    second.start()
    time.sleep(0.5)  # the second worker, meanwhile, waits for the installation's lock
    assert len(refreshes(slack)) == 1
    gate.set()
    first.join(10)
    second.join(10)
    other.dispose()

    assert len(refreshes(slack)) == 1
    _, new = slack.bot_tokens(ACME)
    assert got == {0: new, 1: new}


def test_the_scheduler_runs_the_renewal_every_poll(oauth_bot, slack, db, tokens):
    install_expiring(oauth_bot, slack, ACME, seconds=3600)
    scheduler = make_scheduler(db, tokens.client_for, 1, refresh_tokens=tokens.refresh_expiring)
    scheduler.start()
    try:
        slack.wait_for(lambda: refreshes(slack), timeout=10)
    finally:
        scheduler.shutdown(wait=True)

    assert len(refreshes(slack)) == 1
    assert len(slack.bot_tokens(ACME)) == 2
