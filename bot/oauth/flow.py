"""Multi-workspace mode wired into Bolt: its OAuthFlow with our stores, pages and authorize.

``GET /slack/install`` (bot.server) issues a state, sets it in a cookie and serves the "Add
to Slack" page; ``GET /slack/oauth_redirect`` checks the cookie against the state, uses the
state up, exchanges the code with oauth.v2.access (at SLACK_API_URL, like every Web API call)
and stores the installation, its tokens encrypted.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.error import BoltError
from slack_bolt.oauth import OAuthFlow
from slack_bolt.oauth.callback_options import CallbackOptions, FailureArgs, SuccessArgs
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store import Installation

from bot.db.engine import Database
from bot.logs import describe
from bot.oauth import pages
from bot.oauth.authorize import InstalledAuthorize
from bot.oauth.crypto import TokenCipher
from bot.oauth.store import DatabaseStateStore, EncryptedInstallationStore
from bot.oauth.tokens import Tokens
from bot.settings import Settings
from bot.text import shorten

log = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
STATE_SECONDS = 600


@dataclass(frozen=True)
class Multi:
    """What multi-workspace mode adds to the app: Bolt's keyword arguments and our tokens."""

    flow: OAuthFlow
    authorize: InstalledAuthorize
    tokens: Tokens
    public_url: str | None = None

    def app_kwargs(self) -> dict[str, Any]:
        return {
            "oauth_flow": self.flow,
            "authorize": self.authorize,
            "user_facing_authorize_error_message": not_installed(self.public_url),
        }


def not_installed(public_url: str | None) -> str:
    """What a member hears from a workspace without an installation (uninstalled, or revoked)."""
    where = f" from <{public_url}{INSTALL_PATH}|the install page>" if public_url else ""
    return (
        ":wave: Handoff is not installed in this workspace any more, so it cannot answer here. "
        f"An admin can reinstall it{where}."
    )


def tokens_for(settings: Settings, db: Database, make_client: Any) -> Tokens:
    """The installations' tokens, for the app and for processes without one (the scheduler)."""
    if not (settings.slack_client_id and settings.slack_client_secret):
        raise ValueError("multi-workspace mode needs SLACK_CLIENT_ID and SLACK_CLIENT_SECRET")
    store = EncryptedInstallationStore(
        db, TokenCipher(settings.encryption_keys), settings.slack_client_id
    )
    return Tokens(
        store,
        settings.slack_client_id,
        settings.slack_client_secret,
        settings.slack_api_url,
        make_client,
    )


def multi_workspace(settings: Settings, db: Database, client: WebClient, make_client: Any) -> Multi:
    """``client``: the app's token-less client, which the OAuth exchange goes through."""
    tokens = tokens_for(settings, db, make_client)
    oauth = OAuthSettings(
        client_id=tokens.store.client_id,
        client_secret=settings.slack_client_secret,
        scopes=list(settings.slack_scopes),
        user_scopes=[],
        redirect_uri=settings.public_url + REDIRECT_PATH if settings.public_url else None,
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=tokens.store,
        state_store=DatabaseStateStore(db, STATE_SECONDS),
        state_expiration_seconds=STATE_SECONDS,
        callback_options=CallbackOptions(success=_succeeded, failure=_failed),
        logger=logging.getLogger("bot.oauth.bolt"),
    )
    return Multi(
        HandoffOAuthFlow(client=client, settings=oauth),
        InstalledAuthorize(tokens),
        tokens,
        settings.public_url,
    )


class HandoffOAuthFlow(OAuthFlow):
    def build_install_page_html(self, url: str, request: BoltRequest) -> str:
        return pages.install_page(url)

    def store_installation(self, request: BoltRequest, installation: Installation) -> None:
        # Bolt turns only a BoltError into its "storage_error" page; anything else would be a
        # bare 500 after Slack had already issued the tokens.
        try:
            super().store_installation(request, installation)
        except Exception as e:
            log.error(
                "could not save the installation of %s: %s", installation.team_id, describe(e)
            )
            raise BoltError("could not save the installation") from e


def _headers(args: SuccessArgs | FailureArgs) -> dict[str, Any]:
    return {
        "Content-Type": "text/html; charset=utf-8",
        # The state is used up either way; the browser may forget it.
        "Set-Cookie": [args.settings.state_utils.build_set_cookie_for_deletion()],
    }


def _succeeded(args: SuccessArgs) -> BoltResponse:
    i = args.installation
    log.info(
        "installed in %s%s (%d bot scopes)",
        i.team_id or "the whole org",
        f" of {i.enterprise_id}" if i.enterprise_id else "",
        len(i.bot_scopes or []),
    )
    page = pages.success_page(
        app_id=i.app_id,
        team_id=i.team_id,
        team_name=i.team_name,
        enterprise_name=i.enterprise_name,
        enterprise_url=i.enterprise_url,
        org_wide=i.is_enterprise_install,
    )
    return BoltResponse(status=200, body=page, headers=_headers(args))


def _failed(args: FailureArgs) -> BoltResponse:
    log.warning("an install did not complete: %r", shorten(args.reason, 80))
    page = pages.failure_page(args.reason, args.settings.install_path)
    return BoltResponse(status=args.suggested_status_code, body=page, headers=_headers(args))
