"""`/logtask digest …`: configure, show, preview and post the weekly digest."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.base import utcnow
from bot.db.engine import Database
from bot.digests import post_digest
from bot.errors import UserError
from bot.listeners.logtask import DigestHandler
from bot.listeners.members import member_clock, member_profile, zone
from bot.parse import logtask as cmds
from bot.parse.digest import Configure, Now, Off, Preview, Show, parse_digest
from bot.services import digest as service
from bot.services.scope import Scope
from bot.views import digest as views
from bot.views.common import Message


def handler(db: Database) -> DigestHandler:
    def handle(
        cmd: cmds.Digest, command: dict[str, Any], scope: Scope, client: WebClient
    ) -> Message:
        user_id = command["user_id"]
        sub = parse_digest(cmd.words)
        now = utcnow()
        match sub:
            case Show():
                with db.transaction() as s:
                    return views.shown(service.current(s, scope))
            case Preview():
                today = member_clock(db, client, scope, user_id).today
                with db.transaction() as s:
                    content = service.build(s, scope, today)
                return views.preview_note(views.digest_message(content))

        profile = member_profile(db, client, scope, user_id)
        with db.transaction() as s:
            service.check_may_change(s, scope, user_id, profile.is_admin)
            setting = service.current(s, scope)
        match sub:
            case Off():
                with db.transaction() as s:
                    return views.turned_off(service.turn_off(s, scope))
            case Now():
                if setting is None:
                    raise UserError(
                        "set up the digest first, so I know which channel to post in",
                        "/logtask digest here",
                    )
                try:
                    post_digest(db, client, scope, setting.channel_id, setting.timezone, now)
                except SlackApiError as e:
                    raise UserError(
                        f"Slack refused the post: {e.response.get('error')}", "/logtask digest here"
                    ) from None
                return views.posted_now(setting.channel_id)
            case Configure(channel_id=channel, weekday=weekday, at=at):
                channel = channel or command.get("channel_id", "")
                if channel.startswith("D"):
                    raise UserError(
                        "a digest is for a channel, not a direct message: name one",
                        "/logtask digest #general",
                    )
                joined = _ensure_member(client, channel)
                if joined is None:
                    return views.needs_invite(channel)
                with db.transaction() as s:
                    setting = service.configure(
                        s, scope, user_id, channel, weekday, at, zone(profile.tz).key, now
                    )
                return views.configured(setting, joined)
        raise AssertionError(sub)  # pragma: no cover

    return handle


def _ensure_member(client: WebClient, channel: str) -> bool | None:
    """True if the bot just joined, False if it was already in, None if it can't join (private)."""
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as e:
        error = e.response.get("error")
        if error == "channel_not_found":
            return None  # a private channel the bot is not in looks like no channel at all
        if error == "missing_scope":
            # Private channels need groups:read, which Handoff does not ask for; if the bot
            # is not in fact there, the first digest reports not_in_channel to this member.
            return False
        raise
    if info.get("is_member"):
        return False
    if info.get("is_private"):
        return None
    client.conversations_join(channel=channel)
    return True
