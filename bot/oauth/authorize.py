"""Which token answers a request: the installation of the workspace (or org) it comes from.

Bolt's InstallationStoreAuthorize calls auth.test on every request before the ack, and its
token rotator talks to slack.com whatever SLACK_API_URL says. This one answers from the
stored installation alone (its bot and team ids came from auth.test at install time), and
renews through Tokens, at SLACK_API_URL, under the installation's lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize

from bot.logs import describe
from bot.oauth.tokens import REQUEST_AHEAD, Tokens

log = logging.getLogger(__name__)


class InstalledAuthorize(Authorize):
    def __init__(self, tokens: Tokens) -> None:
        self.tokens = tokens

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        try:
            found = self.tokens.serving(
                enterprise_id, team_id, context.is_enterprise_install, REQUEST_AHEAD
            )
        except Exception as e:
            log.error("could not read the installation of %s: %s", team_id, describe(e))
            return None
        if found is None or not found.bot_token:
            log.warning(
                "a request from %s (%s), where Handoff is not installed", team_id, enterprise_id
            )
            return None
        return AuthorizeResult(
            enterprise_id=found.enterprise_id,
            team_id=found.team_id or team_id,
            team=found.team_name,
            bot_user_id=found.bot_user_id,
            bot_id=found.bot_id,
            bot_token=found.bot_token,
            bot_scopes=found.bot_scopes,
            user_id=user_id,
        )


def org_workspace(context: BoltContext, body: dict[str, Any], next: Callable[[], None]) -> None:
    """In an org-wide install, an event's authorization names the org but no workspace; the
    workspace it happened in comes from the payload, so data stays scoped per workspace."""
    if context.team_id is None and context.is_enterprise_install:
        event, team, user = (_dict(body.get(k)) for k in ("event", "team", "user"))
        for candidate in (
            body.get("team_id"),
            event.get("team"),
            event.get("user_team"),
            team.get("id"),
            user.get("team_id"),
        ):
            if isinstance(candidate, str) and candidate.startswith("T"):
                context["team_id"] = candidate
                break
    next()


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
