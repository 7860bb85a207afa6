"""Delivering digests to Slack: the scheduler's job and `/logtask digest now`.

Everything here talks to Slack; what to post and who may post it come from
bot.services.digest. One workspace's failure is recorded, reported to whoever configured
its digest, and never stops the others.

**Once, and not lost.** chat.postMessage has no idempotency key, so a scheduled digest
carries its run in Slack message metadata (``marker``). Whenever a post may have landed
without our hearing of it — a timeout, a dropped connection, an HTTP 5xx, Slack's own
``internal_error``/``fatal_error`` — and whenever a run is taken over from a process that
died, the channel's recent history is read (conversations.history with
include_all_metadata, from the run's first claim) before posting again, and a message with
the marker is recorded as the post. If the history cannot be read (the install predates
the ``channels:history`` scope, Slack keeps failing), the digest is *not* posted again:
at most once was the older promise and stays the stronger one — a double post cannot be
taken back, a missing one the configurer is told about and can post with
`/logtask digest now`.

**Retries.** What did not reach Slack, or what Slack calls temporary, is tried again within
the round after BACKOFF (1 s, 4 s, 15 s: four tries in about 20 s, enough to ride out a
blip, short enough to stay in the slot's minute); 429s wait their Retry-After (the client's
RateLimitErrorRetryHandler already waits out three of them). Errors that need a person
(``channel_not_found``, ``not_in_channel``, ``is_archived``, ``invalid_auth``…) fail at once.
A workspace waiting for its retry does not hold up the others: its retry is queued.

**Leases.** A claim lasts LEASE (10 minutes) from its claimant's last renewal, which comes
right before each post attempt. A longer post than that is impossible (the client times out
after 15 s), so a run still ``claimed`` after it belongs to a dead process; the next round of
any process takes it over (bot.services.digest.reclaim_stale), looks in the channel, and
records or posts. A claimant that finds its lease taken stops without posting.

**Final failures** are recorded on the run and the schedule, and the member in
``configured_by`` gets a DM saying why in plain words and what to do.

**Charts.** A digest's chart (matplotlib, about a tenth of a second of CPU) goes in its
thread after the text is out and recorded. A round of POOL_MIN_CHARTS or more renders its
charts in a process pool made for the round and shut down at its end: each chart is handed to
the pool as soon as its digest is built, and uploaded once drawn, while the round goes on
posting the next digests — the drawing uses the other cores while this process mostly waits
on Slack. A smaller round, `/logtask digest now` and `handoff digest send` draw in their own
thread. A chart that cannot be drawn or uploaded is logged; the text digest stands. The
round waits at most CHART_TIMEOUT for a chart, then stops the pool, so a stuck worker cannot
hold it.

**Whose token.** ``clients`` is one WebClient (single-workspace mode) or a function giving
each workspace's own (multi-workspace mode: bot.oauth.tokens.Tokens.client_for, which renews
an expiring token first); a workspace where Handoff is no longer installed fails alone.
"""

from __future__ import annotations

import copy
import heapq
import http.client
import itertools
import logging
import multiprocessing
import os
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.oauth.tokens import NotInstalled
from bot.services import digest as service
from bot.services.scope import Scope
from bot.views.digest import digest_message, problem_dm
from bot.views.digest_chart import ChartData, chart_data, cost_chart, render

log = logging.getLogger(__name__)

MARKER_TYPE = "handoff_digest"
BACKOFF: tuple[float, ...] = (1.0, 4.0, 15.0)  # waits before the 2nd, 3rd and 4th try
LEASE = timedelta(minutes=10)
# Our clock and Slack's may disagree a little; a wider window only costs a longer page.
HISTORY_MARGIN = timedelta(minutes=2)
# Slack serves conversations.history to apps outside its Marketplace 15 messages at a time
# (and about once a minute): the digest is near the newest, so a few pages are plenty.
HISTORY_LIMIT = 15
HISTORY_PAGES = 4

# A round with this many digests or more draws their charts in a process pool. A worker's
# start (a fresh interpreter importing matplotlib: about 1.2 s of CPU, measured) costs about
# a dozen charts; from about 20 digests drawing beside the posting wins it back, and a
# smaller round draws in the scheduler's thread as before.
POOL_MIN_CHARTS = 20
# Digests built together (service.build_many) when a round reaches one without its figures.
BUILD_AHEAD = 50
POOL_MAX_WORKERS = 4  # each worker holds matplotlib (about 60 MB) for the round's length
# A chart takes about 50 ms. The round waits at most this long for one, when it uploads it
# or, for charts it never uploads (their digest failed), at its end; then the pool is taken
# as stuck (a hung worker would otherwise hold the round, and every later round, forever):
# its workers are killed, that digest goes without its chart, and the rest are drawn here.
CHART_TIMEOUT = 60.0

# Errors that need a person to fix something: no retry, and the DM says what to do.
NEEDS_A_PERSON = {
    "channel_not_found",
    "not_in_channel",
    "is_archived",
    "token_revoked",
    "invalid_auth",
    "account_inactive",
}
# ok:false errors Slack documents as temporary. The first two say some of the operation may
# have happened (the post may be out: look before posting again); the others that nothing did.
RETRY_UNSURE = {"internal_error", "fatal_error"}
RETRY_UNSENT = {"service_unavailable", "request_timeout", "ratelimited"}


# One client for every workspace, or each workspace's own.
Clients = WebClient | Callable[[Scope], WebClient]


def claimant() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class ChannelThrottle:
    """At most one message per second per channel, Slack's posting limit."""

    def __init__(
        self,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.interval = interval
        self._clock, self._sleep = clock, sleep
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, channel: str) -> None:
        with self._lock:
            now = self._clock()
            ready = max(now, self._next.get(channel, now))
            self._next[channel] = ready + self.interval  # reserve the slot before sleeping
        if ready > now:
            self._sleep(ready - now)


THROTTLE = ChannelThrottle()


def post_digest(
    db: Database, client: WebClient, scope: Scope, channel_id: str, tz: str, now: datetime
) -> str:
    """Post the digest and its chart once; returns the message ts. SlackApiError if it fails.

    `/logtask digest now` and `handoff digest send`: someone is watching and can try again,
    so there is no retry here, and no run to mark.
    """
    with db.transaction() as s:
        content = service.build(s, scope, service.local_today(tz, now))
    THROTTLE.wait(channel_id)
    ts = str(client.chat_postMessage(channel=channel_id, **digest_message(content))["ts"])
    _upload_chart(client, scope, channel_id, ts, lambda: cost_chart(content))
    return ts


def marker(due: service.Due) -> dict[str, Any]:
    """The message metadata that names a scheduled digest's run, to find it again."""
    return {
        "event_type": MARKER_TYPE,
        "event_payload": {
            "team_id": due.scope.team_id,
            "run_id": due.run_id,
            "scheduled_for": due.scheduled_for.isoformat(),
        },
    }


def _is_marked(message: dict[str, Any], due: service.Due) -> bool:
    metadata = message.get("metadata") or {}
    payload = metadata.get("event_payload") or {}
    want = marker(due)["event_payload"]
    return metadata.get("event_type") == MARKER_TYPE and all(
        str(payload.get(k)) == str(v) for k, v in want.items()
    )


def run_due(
    db: Database,
    client: Clients,
    now: datetime | None = None,
    who: str | None = None,
    *,
    lease: timedelta = LEASE,
    backoff: Sequence[float] = BACKOFF,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Post every digest due at ``now``, and take over runs whose claimant died.

    Returns how many digests this call got out (posted, or found already posted). Never
    raises. ``sleep`` and ``clock`` are the backoff's, for tests.
    """
    now = now or utcnow()
    who = who or claimant()
    due: list[service.Due] = []
    try:
        with db.transaction() as s:
            claimed, skipped = service.claim_due(s, now, who)
        due += claimed
        for note in skipped:
            log.warning(note)
    except Exception:
        log.exception("could not read the digest schedule")
    try:
        with db.transaction() as s:
            reclaimed = service.reclaim_stale(s, now, who, lease)
        for d in reclaimed:
            log.warning(
                "taking over the digest for %s (%s): its claimant stopped renewing its lease",
                d.scope.team_id,
                d.scheduled_for.isoformat(),
            )
        due += reclaimed
    except Exception:
        log.exception("could not look for abandoned digest claims")
    return deliver(db, client, due, now, backoff=backoff, sleep=sleep, clock=clock)


def deliver(
    db: Database,
    client: Clients,
    due: Sequence[service.Due],
    now: datetime,
    *,
    backoff: Sequence[float] = BACKOFF,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Get out each run of ``due`` this process has claimed; how many got out. Never raises."""
    return _Round(db, client, now, backoff, sleep, clock).run(due)


@dataclass(frozen=True)
class Failure:
    error: str  # for the record and the DM: a Slack error, "http_503", "timeout"…
    retry: bool  # worth another try within the slot
    unsure: bool = False  # the post may have landed: look before posting again
    wait: float | None = None  # Slack's Retry-After


class TooMuchHistory(Exception):
    """More messages since the claim than we read: whether the digest is there is unknown."""


class LostLease(Exception):
    """Another process took this run over: it posts, not us."""


def classify(e: Exception) -> Failure:
    if isinstance(e, SlackApiError):
        status = e.response.status_code
        error = str(e.response.get("error") or f"http_{status}")
        if status == 429 or error == "ratelimited":
            after = e.response.headers.get("Retry-After") or e.response.headers.get("retry-after")
            wait = float(after[0] if isinstance(after, list) else after) if after else None
            return Failure("ratelimited", True, wait=wait)
        if status >= 500:
            return Failure(f"http_{status}", True, unsure=True)
        if error in RETRY_UNSURE:
            return Failure(error, True, unsure=True)
        return Failure(error, error in RETRY_UNSENT)
    if isinstance(e, TooMuchHistory):
        return Failure("too_much_history", False)
    if isinstance(e, NotInstalled):
        return Failure("not_installed", False)
    if isinstance(e, TimeoutError):
        return Failure("timeout", True, unsure=True)
    if isinstance(e, OSError | http.client.HTTPException):  # URLError, resets, disconnects
        return Failure("connection_error", True, unsure=True)
    return Failure(type(e).__name__, False)


@dataclass
class _Chart:
    """A digest's chart: being drawn in the round's pool (``future``), or to draw here."""

    data: ChartData
    future: Future[bytes] | None = None
    charts: _Charts | None = None  # the round's, which drew it in its pool

    def ready(self) -> bool:
        return self.future is None or self.future.done()

    def png(self) -> bytes:
        if self.future is not None:
            try:
                return self.future.result(timeout=CHART_TIMEOUT)
            except BrokenProcessPool:  # a worker died (killed, out of memory): draw it here
                log.warning("the chart processes stopped; drawing a chart in this one")
            except TimeoutError:
                if self.charts is not None:
                    self.charts.abandon()
                raise
        return render(self.data)


class _Charts:
    """A round's charts: drawn in a process pool made on the first chart of a large round
    (``pooled``), else each in this thread when it is uploaded."""

    def __init__(self, pooled: bool) -> None:
        self.pooled = pooled
        self._pool: ProcessPoolExecutor | None = None
        self._drawing: set[Future[bytes]] = set()  # submitted, not yet drawn
        self._lock = threading.Lock()  # the pool's thread discards what it has drawn

    def start(self, scope: Scope, content: service.Digest) -> _Chart | None:
        """The digest's chart (None: no task to compare), handed to the pool at once."""
        try:
            data = chart_data(content)
        except Exception:  # the text digest goes out all the same
            log.warning("digest chart for %s could not be laid out", scope.team_id, exc_info=True)
            return None
        if data is None:
            return None
        if not self.pooled:
            return _Chart(data)
        try:
            if self._pool is None:
                # A fresh interpreter ("spawn"), not a fork of this one: other threads (the
                # server's, the scheduler's) may hold locks a forked child would inherit held.
                self._pool = ProcessPoolExecutor(
                    max_workers=max(1, min(POOL_MAX_WORKERS, os.cpu_count() or 1)),
                    mp_context=multiprocessing.get_context("spawn"),
                )
            future = self._pool.submit(render, data)
            with self._lock:
                self._drawing.add(future)
            future.add_done_callback(self._drawn)
            return _Chart(data, future, self)
        except Exception:  # no processes to be had (limits, a broken pool): draw here
            log.warning("could not draw charts in a process pool", exc_info=True)
            self.pooled = False
            return _Chart(data)

    def _drawn(self, future: Future[bytes]) -> None:
        with self._lock:
            self._drawing.discard(future)

    def abandon(self) -> None:
        """Kill the pool's workers, stuck on a chart: the charts still in it come back
        BrokenProcessPool (drawn here), and the round's next ones are drawn here too."""
        log.error("a chart process drew nothing in %.0f s; stopping them", CHART_TIMEOUT)
        self.pooled = False
        if self._pool is not None:
            _kill_workers(self._pool)

    def close(self) -> None:
        if self._pool is not None:
            # shutdown waits for the charts being drawn: a stuck one would hold it forever.
            with self._lock:
                drawing = set(self._drawing)
            if wait(drawing, timeout=CHART_TIMEOUT).not_done:
                self.abandon()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    kill = getattr(pool, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    # Before 3.14 there is no public way to stop a pool's workers. The executor sees them
    # die and fails what they held with BrokenProcessPool, as when one is killed from outside.
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.kill()


@dataclass
class _Delivery:
    due: service.Due
    verify: bool  # the digest may be out already: look in the channel before posting
    retries: int = 0
    exhausted: bool = False  # no tries left: one last look, then fail
    content: service.Digest | None = None
    chart: _Chart | None = None  # set with content
    last: Failure | None = None


class _Round:
    def __init__(
        self,
        db: Database,
        clients: Clients,
        now: datetime,
        backoff: Sequence[float],
        sleep: Callable[[float], object],
        clock: Callable[[], float],
    ) -> None:
        self.db, self.now = db, now
        self._clients = clients
        self._pairs: dict[Scope, tuple[WebClient, WebClient]] = {}
        self.backoff, self.sleep, self.clock = list(backoff), sleep, clock
        self.done = 0
        self._charts = _Charts(pooled=False)
        self._uploads: deque[tuple[_Delivery, _Chart, str]] = deque()  # posted, chart to go
        self._unbuilt: deque[_Delivery] = deque()  # in the order the round takes them

    def _pair(self, scope: Scope) -> tuple[WebClient, WebClient]:
        """The workspace's client, and its poster: the same without the connection-error retry,
        which would post again after a reset that came after delivery (here every retry of a
        post goes through the history check instead)."""
        if scope not in self._pairs:
            clients = self._clients
            client = clients if isinstance(clients, WebClient) else clients(scope)
            poster = copy.copy(client)
            poster.retry_handlers = [
                h for h in client.retry_handlers if not isinstance(h, ConnectionErrorRetryHandler)
            ]
            self._pairs[scope] = (client, poster)
        return self._pairs[scope]

    def run(self, due: Sequence[service.Due]) -> int:
        order = itertools.count()
        start = self.clock()
        queue = [(start, next(order), _Delivery(d, verify=d.reclaimed)) for d in due]
        self._unbuilt = deque(d for _, _, d in queue)
        heapq.heapify(queue)
        self._charts = _Charts(pooled=len(due) >= POOL_MIN_CHARTS)
        try:
            while queue:
                at, _, d = heapq.heappop(queue)
                if (left := at - self.clock()) > 0:
                    self._upload(wait=False)
                    self.sleep(left)
                try:
                    wait = self._step(d)
                except Exception:  # a bug here must not cost the other workspaces their digest
                    log.exception("digest for %s failed", d.due.scope.team_id)
                    wait = None
                if wait is not None:
                    heapq.heappush(queue, (self.clock() + wait, next(order), d))
                self._upload(wait=False)
        finally:
            self._upload(wait=True)
            self._charts.close()
        return self.done

    def _upload(self, wait: bool) -> None:
        """Upload the charts of posted digests, in order: those drawn so far, or (``wait``) all."""
        while self._uploads and (wait or self._uploads[0][1].ready()):
            d, chart, ts = self._uploads.popleft()
            try:
                client = self._pair(d.due.scope)[0]
            except Exception:  # uninstalled since the post
                log.warning("no client to upload the chart for %s", d.due.scope.team_id)
                continue
            _upload_chart(client, d.due.scope, d.due.channel_id, ts, chart.png)

    def _retry_after(self, d: _Delivery, f: Failure) -> float | None:
        """Seconds until the next try, or None when the tries are used up."""
        if not f.retry or d.retries >= len(self.backoff):
            return None
        d.retries += 1
        return f.wait if f.wait is not None else self.backoff[d.retries - 1]

    def _step(self, d: _Delivery) -> float | None:
        """One try at a delivery: seconds until the next, or None when it is settled."""
        due = d.due
        if d.verify:
            try:
                ts = self._find(due)
            except Exception as e:
                f = classify(e)
                if not d.exhausted and (wait := self._retry_after(d, f)) is not None:
                    return wait
                # No try of ours yet means a dead process's: it stopped mid-post.
                self._fail(d, d.last or Failure("interrupted", False), unverified=f)
                return None
            if ts is not None:
                log.warning("digest for %s was already posted (ts %s)", due.scope.team_id, ts)
                # A run we took over may have its chart already; one of ours cannot.
                self._posted(d, ts, chart=not due.reclaimed)
                return None
            if due.expired:
                self._fail(d, Failure("expired", False))
                return None
            if d.exhausted:
                assert d.last is not None
                self._fail(d, d.last)
                return None
        try:
            ts = self._post(d)
        except LostLease:
            log.warning("digest for %s was taken over by another process", due.scope.team_id)
            return None
        except Exception as e:
            f = d.last = classify(e)
            if f.error not in NEEDS_A_PERSON:
                log.warning("digest for %s failed: %s", due.scope.team_id, f.error, exc_info=e)
            d.verify = d.verify or f.unsure
            if (wait := self._retry_after(d, f)) is not None:
                return wait
            if f.retry and d.verify:  # out of tries, but the last one may have landed
                d.exhausted = True
                return self.backoff[0] if self.backoff else 0.0
            self._fail(d, f)
            return None
        self._posted(d, ts, chart=True)
        return None

    def _post(self, d: _Delivery) -> str:
        due = d.due
        if d.content is None:
            self._build(d)
        if d.content is None:  # not in the batch (its workspace is new since the claim)
            with self.db.transaction() as s:
                d.content = service.build(s, due.scope, service.local_today(due.timezone, self.now))
            d.chart = self._charts.start(due.scope, d.content)
        THROTTLE.wait(due.channel_id)
        with self.db.transaction() as s:
            if not service.renew(s, due, utcnow()):
                raise LostLease
        response = self._pair(due.scope)[1].chat_postMessage(
            channel=due.channel_id, metadata=marker(due), **digest_message(d.content)
        )
        return str(response["ts"])

    def _build(self, d: _Delivery) -> None:
        """The digests of ``d`` and of the next BUILD_AHEAD - 1 deliveries still without one,
        from one read snapshot and a few queries (service.build_many), not a dozen queries
        each; their charts start drawing at once (in the pool, while these are posted)."""
        batch = [d]
        while self._unbuilt and len(batch) < BUILD_AHEAD:
            other = self._unbuilt.popleft()
            if other is not d and other.content is None:
                batch.append(other)
        try:  # a timezone gone from the machine fails only its own digest, when posted
            wanted = [
                (x.due.workspace_id, service.local_today(x.due.timezone, self.now)) for x in batch
            ]
            with self.db.snapshot() as s:
                built = service.build_many(s, wanted)
        except Exception:  # each is built on its own when posted
            log.warning("could not build a batch of %s digests", len(batch), exc_info=True)
            return
        for x in batch:
            if (content := built.get(x.due.workspace_id)) is not None:
                x.content = content
                x.chart = self._charts.start(x.due.scope, content)

    def _find(self, due: service.Due) -> str | None:
        """The ts of this run's digest in its channel, or None if it is not there."""
        oldest = (due.claimed_at or due.scheduled_for) - HISTORY_MARGIN
        cursor: str | None = None
        for _ in range(HISTORY_PAGES):
            page = self._pair(due.scope)[0].conversations_history(
                channel=due.channel_id,
                oldest=f"{oldest.timestamp():.6f}",
                limit=HISTORY_LIMIT,
                include_all_metadata=True,
                cursor=cursor,
            )
            for message in page.get("messages") or []:
                if _is_marked(message, due):
                    return str(message["ts"])
            cursor = (page.get("response_metadata") or {}).get("next_cursor") or None
            if cursor is None:
                return None
        raise TooMuchHistory

    def _posted(self, d: _Delivery, ts: str, chart: bool) -> None:
        self.done += 1
        if not self._record(d, ts=ts):
            log.error(
                "digest for %s was posted (ts %s) after its run was taken over",
                d.due.scope.team_id,
                ts,
            )
        if chart and d.chart is not None:
            self._uploads.append((d, d.chart, ts))
            # Drawn here, the chart goes at once, as it always did; from the pool, when drawn.
            self._upload(wait=not self._charts.pooled)

    def _fail(self, d: _Delivery, f: Failure, unverified: Failure | None = None) -> None:
        due = d.due
        error = f.error if unverified is None else f"{f.error}; unverified: {unverified.error}"
        log.warning("digest for %s finally failed: %s", due.scope.team_id, error)
        # Only the holder of the claim tells anyone: a run taken over is someone else's now.
        if self._record(d, error=error) and due.configured_by:
            try:
                client = self._pair(due.scope)[0]
            except Exception as e:  # no token to tell anyone with: uninstalled
                log.warning("could not tell %s about the failed digest: %s", due.configured_by, e)
                return
            _tell(
                client,
                due,
                problem_dm(
                    due.channel_id,
                    f.error,
                    unverified=unverified.error if unverified else None,
                ),
            )

    def _record(self, d: _Delivery, *, ts: str | None = None, error: str | None = None) -> bool:
        try:
            with self.db.transaction() as s:
                return service.record(s, d.due, ts=ts, error=error)
        except Exception:
            # The run stays claimed; when its lease runs out another round finds the post
            # in the channel, or not, and records it then.
            log.exception("could not record digest run %s", d.due.run_id)
            return False


def _upload_chart(
    client: WebClient, scope: Scope, channel_id: str, ts: str, chart: Callable[[], bytes | None]
) -> None:
    try:
        png = chart()
        if png is not None:
            client.files_upload_v2(
                channel=channel_id,
                thread_ts=ts,
                content=png,
                filename="handoff-digest.png",
                title="In-house vs outsourced cost per week",
            )
    except Exception:  # the text digest is out; a missing chart is only logged
        log.warning(
            "digest chart for %s could not be rendered or uploaded", scope.team_id, exc_info=True
        )


def _tell(client: WebClient, due: service.Due, dm: dict[str, Any]) -> None:
    try:
        client.chat_postMessage(channel=due.configured_by, **dm)
    except Exception as e:
        log.warning("could not tell %s about the failed digest: %s", due.configured_by, e)
