"""Digest delivery: claims, catch-up, Slack failures, the chart — real database, Slack stand-in."""

from __future__ import annotations

import json
import multiprocessing
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime, timedelta
from typing import ClassVar

import pytest
from sqlalchemy import select, update

from bot.app import make_client
from bot.db.models import DigestRun, DigestSchedule
from bot.jobs import digest as digest_job
from bot.jobs.digest import run_due
from bot.services import digest as service
from bot.services.scope import Scope
from bot.views.digest_chart import cost_chart
from tests.support import stuck_chart
from tests.support.slack_sim import buttons, flatten


def schedule(db, team: str, channel: str, slot: datetime, user: str = "U1") -> None:
    """A digest for ``team`` whose latest weekly slot is ``slot`` and has not run yet."""
    with db.transaction() as s:
        service.configure(
            s,
            Scope(team),
            user,
            channel,
            slot.weekday(),
            slot.time().replace(second=0, microsecond=0),
            "UTC",
            slot - timedelta(minutes=1),
        )
        s.execute(
            update(DigestSchedule)
            .values(next_run_at=slot.replace(second=0, microsecond=0))
            .where(DigestSchedule.channel_id == channel)
        )


@pytest.fixture
def client(settings):
    return make_client(settings)


@pytest.fixture
def now() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def posts(slack, channel: str | None = None) -> list[dict]:
    return [
        c.params
        for c in slack.api_calls("chat.postMessage")
        if channel is None or c.params.get("channel") == channel
    ]


def test_due_digest_is_posted_once_with_its_chart_in_the_thread(bot, db, slack, client, now):
    bot.command("rate $80/h")
    # Three weeks' posts: an occurrence is one day, so each is logged on its own day.
    for d, when in (("2h", "2 weeks ago"), ("1.5h", "1 week ago"), ("2.5h", "today")):
        bot.command(f"write blog post {d} weekly {when}")
    bot.command("quote write blog post $60/post from Jane")
    schedule(db, "T1", "CDIGEST", now - timedelta(minutes=5))

    assert run_due(db, client, now) == 1
    assert run_due(db, client, now + timedelta(minutes=1)) == 0
    (posted,) = posts(slack, "CDIGEST")
    text = flatten(posted)
    assert (
        "*write blog post* — 2h/week · in-house $160 · outsourcing $60 · saves *$84/week* ($4,368/year) · from *Jane*"
        in text
    )
    assert "Together: *$84/week* ($4,368/year) saved, and *1h 48m/week* freed" in text
    assert (
        "write blog post: saves $84/week ($4,368/year)" in posted["text"]
    )  # the plain fallback is complete
    assert [c.method for c in slack.calls if c.kind == "upload"]
    (complete,) = slack.api_calls("files.completeUploadExternal")
    with db.transaction() as s:
        run = s.scalars(select(DigestRun)).one()
    assert run.status == "posted"
    assert run.ts is not None
    assert complete.params["thread_ts"] == run.ts


def test_two_claimers_at_once_post_one_digest(db, slack, client, now):
    for i in range(5):
        schedule(db, f"T{i}", f"C{i}", now - timedelta(minutes=1))
    barrier = threading.Barrier(2)
    counts = []

    def claimer(name: str) -> None:
        barrier.wait()
        counts.append(run_due(db, client, now, who=name))

    threads = [threading.Thread(target=claimer, args=(n,)) for n in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 5
    assert sorted(p["channel"] for p in posts(slack)) == [f"C{i}" for i in range(5)]


def test_catch_up_after_downtime_posts_one_digest_for_several_missed_weeks(db, slack, client, now):
    slot = now - timedelta(days=2)
    schedule(db, "T1", "CCATCH", slot)
    with db.transaction() as s:  # the scheduler was down for three weeks
        s.execute(update(DigestSchedule).values(next_run_at=slot - timedelta(weeks=3)))
    assert run_due(db, client, now) == 1
    assert run_due(db, client, now + timedelta(hours=1)) == 0
    assert len(posts(slack, "CCATCH")) == 1
    with db.transaction() as s:
        assert s.scalar(select(DigestSchedule.next_run_at)) == slot + timedelta(weeks=1)
        assert s.scalar(select(DigestRun.scheduled_for)) == slot


def test_a_digest_more_than_six_days_late_is_skipped_and_the_next_scheduled(db, slack, client, now):
    slot = now - timedelta(days=6, hours=12)
    schedule(db, "T1", "CLATE", slot)
    assert run_due(db, client, now) == 0
    assert posts(slack) == []
    with db.transaction() as s:
        run = s.scalars(select(DigestRun)).one()
        assert run.status == "skipped"
        assert s.scalar(select(DigestSchedule.next_run_at)) == slot + timedelta(weeks=1)


def test_slack_429_is_retried_after_retry_after(db, slack, client, now):
    schedule(db, "T1", "CBUSY", now - timedelta(minutes=1))
    slack.rate_limit("chat.postMessage", retry_after=1)
    assert run_due(db, client, now) == 1
    calls = posts(slack, "CBUSY")
    assert len(calls) == 2  # the 429, then the retry
    with db.transaction() as s:
        assert s.scalar(select(DigestRun.status)) == "posted"


def test_an_error_in_one_workspace_does_not_stop_another_and_its_owner_hears_why(
    db, slack, client, now
):
    schedule(db, "TBAD", "CGONE", now - timedelta(minutes=1), user="UOWNER")
    schedule(db, "TGOOD", "COK", now - timedelta(minutes=1))
    slack.fail("chat.postMessage", "channel_not_found", channel="CGONE")
    assert run_due(db, client, now) == 1
    assert len(posts(slack, "COK")) == 1
    (dm,) = posts(slack, "UOWNER")
    assert "could not be posted" in flatten(dm)
    assert "pick another with `/logtask digest #channel`" in flatten(dm)
    with db.transaction() as s:
        failed = s.scalars(select(DigestSchedule).where(DigestSchedule.channel_id == "CGONE")).one()
        assert (failed.last_status, failed.last_error) == ("failed", "channel_not_found")


def test_a_failed_chart_upload_still_posts_the_text(bot, db, slack, client, now):
    bot.command("rate 80")
    bot.command("newsletter 2h weekly")
    bot.command("quote newsletter 60")
    slack.fail("files.getUploadURLExternal", "internal_error")
    schedule(db, "T1", "CCHART", now - timedelta(minutes=1))
    assert run_due(db, client, now) == 1
    assert "*newsletter*" in flatten(posts(slack, "CCHART")[0])


def test_a_quiet_week_gets_a_short_digest_on_how_to_start(db, slack, client, now):
    schedule(db, "T1", "CQUIET", now - timedelta(minutes=1))
    run_due(db, client, now)
    text = flatten(posts(slack, "CQUIET")[0])
    assert "No time was logged in the last 7 days" in text
    assert "/logtask write newsletter 1h30m weekly" in text


def test_a_task_named_channel_pings_no_one_in_the_digest(bot, db, slack, client, now):
    bot.command("rate 80")
    bot.command("<!channel> 2h weekly")
    bot.command("&lt;!here&gt; 1h weekly")
    bot.command('quote "@channel" 10')
    schedule(db, "T1", "CPING", now - timedelta(minutes=1))
    run_due(db, client, now)
    posted = posts(slack, "CPING")[0]
    assert "<!channel>" not in str(posted)
    assert "<!here>" not in str(posted)
    assert "&lt;!here&gt;" in flatten(posted)


def test_posts_to_one_channel_are_spaced_a_second_apart_others_are_not_held_up():
    from bot.jobs.digest import ChannelThrottle

    now, slept = [100.0], []
    throttle = ChannelThrottle(1.0, clock=lambda: now[0], sleep=slept.append)
    for channel in ("C1", "C1", "C2", "C1"):
        throttle.wait(channel)
    assert slept == [1.0, 2.0]  # C1's 2nd and 3rd posts wait for their slots; C2 does not


def test_why_on_a_digest_line_shows_the_clicker_alone_its_arithmetic(bot, db, slack, client, now):
    bot.command("rate $80/h")
    for d, when in (("2h", "2 weeks ago"), ("1.5h", "1 week ago"), ("2.5h", "today")):
        bot.command(f"write blog post {d} weekly {when}")
    bot.command("quote write blog post $60/post from Jane")
    schedule(db, "T1", "CDIGEST", now - timedelta(minutes=5))
    assert run_due(db, client, now) == 1
    (posted,) = posts(slack, "CDIGEST")
    blocks = (
        posted["blocks"] if isinstance(posted["blocks"], list) else json.loads(posted["blocks"])
    )
    (why,) = buttons({"blocks": blocks})
    assert why["text"]["text"] == "Why?"

    # Anyone in the channel may ask; the answer is theirs alone and the digest stays.
    result, url = bot.click(why, user="U2", channel="CDIGEST", ephemeral=False)
    assert result.status == 200
    answer = slack.wait_for_response(url)
    assert answer["response_type"] == "ephemeral"
    assert not answer.get("replace_original")
    # 2h a week × $80 = $160 in-house; $60 quote + $16 review = $76; $160 − $76 = $84 a week.
    assert "Savings: *$84/week* ($4,368/year)" in flatten(answer)


def chart_uploads(slack) -> list[bytes]:
    return [c.params["_body"] for c in slack.calls if c.kind == "upload"]


def log_a_week(bot) -> None:
    bot.command("rate 80")
    bot.command("newsletter 2h weekly")
    bot.command("quote newsletter 60")
    bot.command("podcast edit 3h weekly")
    bot.command("quote podcast edit 150")


def test_a_large_rounds_charts_are_drawn_in_a_process_pool(
    bot, db, slack, client, now, monkeypatch
):
    log_a_week(bot)
    schedule(db, "T1", "CPOOL", now - timedelta(minutes=1))
    monkeypatch.setattr(digest_job, "POOL_MIN_CHARTS", 1)
    pools: list[ProcessPoolExecutor] = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            pools.append(self)

    monkeypatch.setattr(digest_job, "ProcessPoolExecutor", Recorded)
    assert run_due(db, client, now) == 1
    with db.transaction() as s:
        content = service.build(s, Scope("T1"), service.local_today("UTC", now))
        run = s.scalars(select(DigestRun)).one()
    (pool,) = pools
    assert pool._shutdown_thread  # shut down with the round
    # The same chart as one drawn here, in the posted digest's thread.
    (body,) = chart_uploads(slack)
    png = cost_chart(content)
    assert png is not None
    assert png in body
    (complete,) = slack.api_calls("files.completeUploadExternal")
    assert complete.params["thread_ts"] == run.ts


class DeadPool:
    """A process pool whose workers died: every chart comes back BrokenProcessPool."""

    made: ClassVar[list[DeadPool]] = []

    def __init__(self, *args, **kwargs):
        self.closed = False
        DeadPool.made.append(self)

    def submit(self, fn, *args):
        future: Future[bytes] = Future()
        future.set_exception(BrokenProcessPool("a worker died"))
        return future

    def shutdown(self, wait=True, cancel_futures=False):
        self.closed = True


def test_a_chart_whose_process_died_is_drawn_here(bot, db, slack, client, now, monkeypatch):
    log_a_week(bot)
    schedule(db, "T1", "CDEAD", now - timedelta(minutes=1))
    monkeypatch.setattr(digest_job, "POOL_MIN_CHARTS", 1)
    monkeypatch.setattr(digest_job, "ProcessPoolExecutor", DeadPool)
    DeadPool.made.clear()
    assert run_due(db, client, now) == 1
    (pool,) = DeadPool.made
    assert pool.closed
    with db.transaction() as s:
        content = service.build(s, Scope("T1"), service.local_today("UTC", now))
    (body,) = chart_uploads(slack)
    png = cost_chart(content)
    assert png is not None
    assert png in body


def run_due_within(db, client, now, seconds: float) -> int:
    """run_due in a thread, failing (rather than hanging the suite) if it takes longer."""
    posted: list[int] = []
    worker = threading.Thread(target=lambda: posted.append(run_due(db, client, now)))
    worker.start()
    worker.join(timeout=seconds)
    assert not worker.is_alive(), f"the round took more than {seconds} s"
    return posted[0]


def test_a_stuck_chart_process_is_stopped_and_the_round_ends(
    bot, db, slack, client, now, monkeypatch, caplog
):
    log_a_week(bot)
    schedule(db, "T1", "CSTUCK", now - timedelta(minutes=1))
    monkeypatch.setattr(digest_job, "POOL_MIN_CHARTS", 1)
    monkeypatch.setattr(digest_job, "render", stuck_chart.stuck)  # a real worker, sleeping
    monkeypatch.setattr(digest_job, "CHART_TIMEOUT", 1.0)
    # Waited for without a timeout, the round would take stuck_chart.STUCK_SECONDS.
    assert run_due_within(db, client, now, 30) == 1
    assert slack.api_calls("chat.postMessage")  # the text digest went out
    assert chart_uploads(slack) == []  # that chart is given up
    assert multiprocessing.active_children() == []  # the worker was killed, not left running
    assert "a chart process drew nothing in 1 s" in caplog.text
    with db.transaction() as s:
        assert s.scalars(select(DigestRun)).one().status == "posted"


def test_a_stuck_chart_of_a_digest_that_failed_does_not_hold_the_round(
    bot, db, slack, client, now, monkeypatch, caplog
):
    log_a_week(bot)
    schedule(db, "T1", "CGONE", now - timedelta(minutes=1))
    slack.fail("chat.postMessage", "channel_not_found", channel="CGONE")
    monkeypatch.setattr(digest_job, "POOL_MIN_CHARTS", 1)
    monkeypatch.setattr(digest_job, "render", stuck_chart.stuck)
    monkeypatch.setattr(digest_job, "CHART_TIMEOUT", 1.0)
    # Its chart was handed to the pool with its figures, and is never uploaded: the round's
    # end waits for it no longer than for any other.
    assert run_due_within(db, client, now, 30) == 0
    assert chart_uploads(slack) == []
    assert multiprocessing.active_children() == []
    assert "a chart process drew nothing in 1 s" in caplog.text


def test_a_small_round_draws_its_charts_without_a_pool(bot, db, slack, client, now, monkeypatch):
    log_a_week(bot)
    schedule(db, "T1", "CSMALL", now - timedelta(minutes=1))

    def no_pool(*args, **kwargs):
        raise AssertionError("a round of one needs no process pool")

    monkeypatch.setattr(digest_job, "ProcessPoolExecutor", no_pool)
    assert run_due(db, client, now) == 1
    assert len(chart_uploads(slack)) == 1
