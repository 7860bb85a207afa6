"""Who is asking, and what day it is for them (their Slack timezone, via cached users.info)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.services import workspaces
from bot.services.scope import Scope

log = logging.getLogger(__name__)


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
    """The member's cached profile, refreshed from users.info when stale.

    The Web API call happens outside any database transaction, so no lock is held
    while Slack answers.
    """
    with db.transaction() as s:
        m = workspaces.member(s, scope, user_id)
        cached = workspaces.Profile(m.tz, m.display_name, m.is_admin)
        if workspaces.profile_is_fresh(m):
            return cached
    fetched = fetch_profile(client, user_id)
    if fetched is None:
        return cached
    with db.transaction() as s:
        workspaces.remember_profile(s, scope, user_id, fetched)
    return fetched
