"""A scheduled digest is not lost and not doubled: retries, lost answers, dead claimants.

The real delivery code against the Slack stand-in made to fail, and a real database. The
backoff's sleep is recorded instead of slept; `slack.messages(channel)` is what Slack
accepted, which is what the channel shows.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import make_client
from bot.db.models import DigestRun, DigestSchedule
from bot.jobs.digest import deliver, marker, run_due
from bot.services import digest as service
from tests.support.slack_sim import flatten
from tests.test_digests import posts, schedule

CHANNEL = "CDIGEST"
OWNER = "UOWNER"


class FakeTime:
    """The backoff's clock: sleeping advances it at once, and each wait is kept."""

    def __init__(self) -> None:
        self.t, self.slept = 0.0, []

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 3))
        self.t += seconds

    def clock(self) -> float:
        return self.t


@pytest.fixture
def client(settings):
    return make_client(settings)


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


@pytest.fixture
def due_now(db, now):
    schedule(db, "T1", CHANNEL, now - timedelta(minutes=1), user=OWNER)


def run_round(db, client, now, fake, **kwargs):
    return run_due(db, client, now, sleep=fake.sleep, clock=fake.clock, **kwargs)


def the_run(db) -> DigestRun:
    with db.transaction() as s:
        return s.scalars(select(DigestRun)).one()


def claimed_by_a_dead_process(db, slot: datetime, at: datetime) -> service.Due:
    """A run claimed at ``at`` by a process that then died: it never posted, never recorded."""
    schedule(db, "T1", CHANNEL, slot, user=OWNER)
    with db.transaction() as s:
        (due,), _ = service.claim_due(s, at, "deadhost:1")
    return due


def looked(slack) -> int:
    return len(slack.api_calls("conversations.history"))


def test_a_503_then_success_posts_once_and_records_the_run_posted(
    db, slack, client, now, fake, due_now
):
    slack.fail("chat.postMessage", "service_unavailable", status=503)
    assert run_round(db, client, now, fake) == 1
    (message,) = slack.messages(CHANNEL)
    run = the_run(db)
    assert (run.status, run.ts) == ("posted", message["ts"])
    assert len(posts(slack, CHANNEL)) == 2
    assert fake.slept == [1.0]
    assert looked(slack) == 1  # a 5xx may hide a delivered post: it looked before posting again


@pytest.mark.parametrize(
    ("error", "looks"), [("internal_error", 1), ("fatal_error", 1), ("service_unavailable", 0)]
)
def test_a_temporary_slack_error_then_success_posts_once(
    db, slack, client, now, fake, due_now, error, looks
):
    slack.fail("chat.postMessage", error)
    assert run_round(db, client, now, fake) == 1
    assert len(slack.messages(CHANNEL)) == 1
    assert the_run(db).status == "posted"
    assert looked(slack) == looks  # internal_error and fatal_error may have half-happened


def post_and_lose_the_answer(db, slack, client, now, fake) -> dict:
    """One round whose post Slack accepts but whose answer never comes back in time.

    The round must still count the digest as posted; returns the one message in the channel.
    """
    client.timeout = 1
    gate = slack.hold("chat.postMessage", times=1, deliver="before")
    try:
        assert run_round(db, client, now, fake) == 1
    finally:
        gate.set()
    (message,) = slack.messages(CHANNEL)
    return message


def test_a_post_delivered_whose_answer_times_out_is_not_posted_again(
    db, slack, client, now, fake, due_now
):
    message = post_and_lose_the_answer(db, slack, client, now, fake)
    assert len(posts(slack, CHANNEL)) == 1
    run = the_run(db)
    assert (run.status, run.ts, run.error) == ("posted", message["ts"], None)


def test_a_connection_dropped_before_delivery_is_checked_then_posted_once(
    db, slack, client, now, fake, due_now
):
    slack.hold("chat.postMessage", times=1, deliver="never").set()  # dropped unanswered
    assert run_round(db, client, now, fake) == 1
    assert len(posts(slack, CHANNEL)) == 2
    assert len(slack.messages(CHANNEL)) == 1
    assert looked(slack) == 1
    assert the_run(db).status == "posted"


def test_retries_exhausted_mark_the_run_failed_and_tell_the_configurer(
    db, slack, client, now, fake, due_now
):
    slack.fail("chat.postMessage", "service_unavailable", times=4, status=503, channel=CHANNEL)
    assert run_round(db, client, now, fake) == 0
    assert slack.messages(CHANNEL) == []
    assert len(posts(slack, CHANNEL)) == 4
    assert fake.slept == [1.0, 4.0, 15.0, 1.0]  # three retries, then one last look
    run = the_run(db)
    assert (run.status, run.error) == ("failed", "http_503")
    (dm,) = posts(slack, OWNER)
    text = flatten(dm)
    assert "could not be posted in <#CDIGEST>: Slack had an outage (HTTP 503)" in text
    assert "/logtask digest now" in text
    with db.transaction() as s:
        assert s.scalar(select(DigestSchedule.last_status)) == "failed"


def test_an_error_that_needs_a_person_is_not_retried(db, slack, client, now, fake, due_now):
    slack.fail("chat.postMessage", "not_in_channel", channel=CHANNEL)
    assert run_round(db, client, now, fake) == 0
    assert len(posts(slack, CHANNEL)) == 1
    assert fake.slept == []
    (dm,) = posts(slack, OWNER)
    assert "invite me with `/invite @Handoff`" in flatten(dm)


def test_when_the_history_cannot_be_read_a_post_that_may_have_landed_is_not_repeated(
    db, slack, client, now, fake, due_now
):
    slack.fail("chat.postMessage", "internal_error")
    slack.fail("conversations.history", "missing_scope")
    assert run_round(db, client, now, fake) == 0
    assert len(posts(slack, CHANNEL)) == 1
    run = the_run(db)
    assert (run.status, run.error) == ("failed", "internal_error; unverified: missing_scope")
    text = flatten(posts(slack, OWNER)[0])
    assert "may not have been posted in <#CDIGEST>" in text
    assert "so I didn't post it again. If it isn't there, post it now with" in text
    assert "reinstall Handoff so it may read the channel's history" in text


def test_a_claim_within_its_lease_is_left_alone(db, slack, client, now, fake):
    claimed_by_a_dead_process(db, now - timedelta(minutes=6), now - timedelta(minutes=5))
    assert run_round(db, client, now, fake, lease=timedelta(minutes=10)) == 0
    assert slack.calls == []
    assert the_run(db).status == "claimed"


def test_a_run_left_claimed_by_a_dead_claimant_is_reclaimed_and_posted_once(
    db, slack, client, now, fake
):
    claimed_by_a_dead_process(db, now - timedelta(minutes=21), now - timedelta(minutes=20))
    assert run_round(db, client, now, fake, who="alive:2", lease=timedelta(minutes=10)) == 1
    assert run_round(db, client, now + timedelta(minutes=1), fake, who="alive:2") == 0
    (message,) = slack.messages(CHANNEL)
    assert looked(slack) == 1  # it looked for the dead process's post first
    run = the_run(db)
    assert (run.status, run.ts, run.claimed_by, run.attempts) == (
        "posted",
        message["ts"],
        "alive:2",
        2,
    )
    assert message["metadata"] == marker(
        service.Due(1, service.Scope("T1"), CHANNEL, OWNER, "UTC", run.scheduled_for, run.id)
    )


def test_a_stale_claim_whose_message_was_posted_is_recorded_without_a_second_post(
    db, slack, client, now, fake
):
    due = claimed_by_a_dead_process(db, now - timedelta(minutes=21), now - timedelta(minutes=20))
    # The dead process got its post out, then died before recording it.
    ts = client.chat_postMessage(channel=CHANNEL, text="digest", metadata=marker(due))["ts"]
    assert run_round(db, client, now, fake) == 1
    assert len(posts(slack, CHANNEL)) == 1  # only the dead process's
    run = the_run(db)
    assert (run.status, run.ts) == ("posted", ts)


def test_two_reclaimers_racing_post_once(db, slack, client, now):
    claimed_by_a_dead_process(db, now - timedelta(minutes=21), now - timedelta(minutes=20))
    barrier = threading.Barrier(2)
    counts = []

    def reclaimer(name: str) -> None:
        barrier.wait()
        counts.append(run_due(db, client, now, who=name, sleep=lambda s: None))

    threads = [threading.Thread(target=reclaimer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(counts) == [0, 1]
    assert len(slack.messages(CHANNEL)) == 1
    assert the_run(db).attempts == 2


def test_a_stale_claim_past_the_catch_up_window_is_failed_and_the_configurer_told(
    db, slack, client, now, fake
):
    slot = now - timedelta(days=6, minutes=5)
    claimed_by_a_dead_process(db, slot, slot + timedelta(minutes=1))
    assert run_round(db, client, now, fake) == 0
    assert slack.messages(CHANNEL) == []
    run = the_run(db)
    assert (run.status, run.error) == ("failed", "expired")
    assert "now it is too late for this week" in flatten(posts(slack, OWNER)[0])


def test_a_claimant_whose_run_was_taken_over_does_not_post(db, slack, client, now, fake):
    due = claimed_by_a_dead_process(db, now - timedelta(minutes=21), now - timedelta(minutes=20))
    assert run_round(db, client, now, fake, who="other:2") == 1  # it was slow, not dead
    assert deliver(db, client, [due], now, sleep=fake.sleep, clock=fake.clock) == 0
    assert len(slack.messages(CHANNEL)) == 1
    assert the_run(db).claimed_by == "other:2"


def test_a_takeover_loses_to_one_committed_after_it_looked(db, now):
    claimed_by_a_dead_process(db, now - timedelta(minutes=21), now - timedelta(minutes=20))
    with db.transaction() as s:  # both reclaimers see the same stale claim...
        ((run_id, seen),) = service.stale(s, now, timedelta(minutes=10))
    with db.transaction() as s:  # ...one takes it over...
        assert service.take_over(s, run_id, seen, "a", now) is not None
    with db.transaction() as s:  # ...and the other's compare-and-set finds it moved on
        assert service.take_over(s, run_id, seen, "b", now) is None
    assert the_run(db).claimed_by == "a"


def test_a_post_found_after_its_answer_was_lost_gets_its_chart_in_the_thread(
    bot, db, slack, client, now, fake
):
    bot.command("rate 80")
    bot.command("newsletter 2h weekly")
    bot.command("quote newsletter 60")
    schedule(db, "T1", CHANNEL, now - timedelta(minutes=1), user=OWNER)
    message = post_and_lose_the_answer(db, slack, client, now, fake)
    (complete,) = slack.api_calls("files.completeUploadExternal")
    assert complete.params["thread_ts"] == message["ts"]
