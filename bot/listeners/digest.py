"""`/logtask digest …`: configure, show, preview and post the weekly digest."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.db.base import utcnow
from bot.errors import UserError
from bot.jobs.digest import post_digest
from bot.parse import commands as c
from bot.services import digest as service
from bot.slack.members import Caller, zone
from bot.views import digest as views
from bot.views.common import Message


def answer(cmd: c.DigestCommand, caller: Caller) -> Message:
    """Show, preview, post, configure or stop the weekly digest, for ``caller``."""
    db, client, scope, user_id = caller.db, caller.client, caller.scope, caller.user_id
    match cmd:
        case c.DigestShow():
            with db.transaction() as s:
                return views.shown(service.current(s, scope))
        case c.DigestPreview():
            with caller.snapshot() as s:
                content = service.build(s, scope, caller.today)
            return views.preview_note(views.digest_message(content))

    with db.transaction() as s:
        service.check_may_change(s, scope, user_id, caller.profile.is_admin)
        setting = service.current(s, scope)
    match cmd:
        case c.DigestOff():
            with db.transaction() as s:
                return views.turned_off(service.turn_off(s, scope))
        case c.DigestNow():
            if setting is None:
                raise UserError(
                    "set up the digest first, so I know which channel to post in",
                    command="digest",
                )
            try:
                post_digest(db, client, scope, setting.channel_id, setting.timezone, utcnow())
            except SlackApiError as e:
                raise UserError(
                    f"Slack refused the post: {e.response.get('error')}", command="digest"
                ) from None
            return views.posted_now(setting.channel_id)
        case c.DigestConfigure(channel_id=channel, weekday=weekday, at=at):
            channel = channel or caller.channel_id
            if channel.startswith("D"):
                raise UserError(
                    "a digest is for a channel, not a direct message: name one", command="digest"
                )
            joined = _ensure_member(client, channel)
            if joined is None:
                return views.needs_invite(channel)
            with db.transaction() as s:
                setting = service.configure(
                    s, scope, user_id, channel, weekday, at, zone(caller.profile.tz).key, utcnow()
                )
            return views.configured(setting, joined)
    raise AssertionError(cmd)  # pragma: no cover


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
