"""Who is asking, and what day it is for them (their Slack timezone, via cached users.info)."""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.services import workspaces
from bot.services.scope import Scope

log = logging.getLogger(__name__)

# Profiles kept in memory, per Database, so a member's commands skip the profile's own
# transaction (on SQLite a BEGIN IMMEDIATE: a turn at the write lock) before their work.
# Far shorter than the stored profile's freshness (workspaces.PROFILE_TTL): a change in
# Slack shows here no later than it would from the database.
PROFILE_CACHE_SECONDS = 600.0
PROFILE_CACHE_SIZE = 10_000  # members; the oldest entries go first


class ProfileCache:
    """Members' profiles for ``ttl`` seconds (monotonic), at most ``size`` of them."""

    def __init__(
        self,
        ttl: float = PROFILE_CACHE_SECONDS,
        size: int = PROFILE_CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl = ttl
        self.size = size
        self.clock = clock
        self._lock = threading.Lock()
        self._entries: dict[tuple[Scope, str], tuple[float, workspaces.Profile]] = {}

    def get(self, scope: Scope, user_id: str) -> workspaces.Profile | None:
        with self._lock:
            entry = self._entries.get((scope, user_id))
            if entry is None or entry[0] <= self.clock():
                return None
            return entry[1]

    def put(self, scope: Scope, user_id: str, profile: workspaces.Profile) -> None:
        with self._lock:
            self._entries.pop((scope, user_id), None)
            while len(self._entries) >= self.size:
                del self._entries[next(iter(self._entries))]
            self._entries[(scope, user_id)] = (self.clock() + self.ttl, profile)


_caches: weakref.WeakKeyDictionary[Database, ProfileCache] = weakref.WeakKeyDictionary()
_caches_lock = threading.Lock()


def profile_cache(db: Database) -> ProfileCache:
    """The cache of profiles read from ``db`` (one per Database, so one per process)."""
    with _caches_lock:
        cache = _caches.get(db)
        if cache is None:
            cache = _caches[db] = ProfileCache()
        return cache


@dataclass(frozen=True)
class Clock:
    tz: ZoneInfo
    now: datetime

    @property
    def today(self) -> date:
        return self.now.astimezone(self.tz).date()


@dataclass
class Caller:
    """Who sent a command, where; their profile and today are looked up once, when needed."""

    db: Database
    client: WebClient
    scope: Scope
    user_id: str
    channel_id: str = ""

    @cached_property
    def profile(self) -> workspaces.Profile:
        return member_profile(self.db, self.client, self.scope, self.user_id)

    @cached_property
    def clock(self) -> Clock:
        return Clock(zone(self.profile.tz), utcnow())

    @property
    def today(self) -> date:
        return self.clock.today

    def snapshot(self) -> AbstractContextManager[Session]:
        return workspace_snapshot(self.db, self.scope)


@contextmanager
def workspace_snapshot(db: Database, scope: Scope) -> Iterator[Session]:
    """``db.snapshot()`` of a workspace that exists: a snapshot cannot write, and services
    create a workspace on its first command, which may be a report or a question. A new one
    (or one uninstalled and back) is created first, in a transaction of its own."""
    with db.snapshot() as s:
        if workspaces.find_workspace(s, scope) is not None:
            yield s
            return
    with db.transaction() as s:
        workspaces.workspace(s, scope)
    with db.snapshot() as s:
        yield s


def scope_of(context: Any) -> Scope:
    return Scope(team_id=context.team_id or "", enterprise_id=context.enterprise_id)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def fetch_profile(client: WebClient, user_id: str) -> workspaces.Profile | None:
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as e:
        log.warning("users.info failed for %s: %s", user_id, e.response.get("error"))
        return None
    profile = user.get("profile") or {}
    return workspaces.Profile(
        tz=user.get("tz"),
        display_name=profile.get("display_name") or user.get("real_name") or user.get("name"),
        is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")),
    )


def member_profile(
    db: Database, client: WebClient, scope: Scope, user_id: str
) -> workspaces.Profile:
    """The member's cached profile (in memory, else stored), refreshed from users.info when
    stale.

    The Web API call happens outside any database transaction, so no lock is held
    while Slack answers.
    """
    memory = profile_cache(db)
    remembered = memory.get(scope, user_id)
    if remembered is not None:
        return remembered
    with db.transaction() as s:
        m = workspaces.member(s, scope, user_id)
        cached = workspaces.Profile(m.tz, m.display_name, m.is_admin)
        fresh = workspaces.profile_is_fresh(m)
    if fresh:
        memory.put(scope, user_id, cached)
        return cached
    fetched = fetch_profile(client, user_id)
    if fetched is None:  # kept out of memory: the next command asks Slack again
        return cached
    with db.transaction() as s:
        workspaces.remember_profile(s, scope, user_id, fetched)
    memory.put(scope, user_id, fetched)
    return fetched
