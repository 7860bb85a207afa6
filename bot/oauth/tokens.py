"""Each workspace's token: found, refreshed before it expires, and made into a Web API client.

With token rotation on (the app's "token_rotation_enabled"), Slack's tokens last 12 hours
and are renewed with a refresh token through oauth.v2.access. Requests renew a token that
is about to run out (REQUEST_AHEAD: the call then happens before the ack, so it is kept
rare); the scheduler, which has no request to do it for it, renews every token well before
that (BACKGROUND_AHEAD) and before posting a workspace's digest. Every renewal happens
under the installation's lock (EncryptedInstallationStore.refresh).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackTokenRotationError
from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.token_rotation import TokenRotator

from bot.logs import describe
from bot.oauth.store import EncryptedInstallationStore, InstallKey
from bot.services.scope import Scope

log = logging.getLogger(__name__)

REQUEST_AHEAD = timedelta(minutes=10)
BACKGROUND_AHEAD = timedelta(minutes=120)  # Bolt's own default for token_rotation_expiration
# The refresh runs under the installation's lock (on SQLite, the database's write lock, which
# other writers wait 10 s for): a short timeout and no retries.
ROTATION_TIMEOUT_SECONDS = 5


class NotInstalled(Exception):
    """No installation (or no bot token) for this workspace: never installed, or uninstalled."""

    def __init__(self, scope: Scope) -> None:
        org = f" in {scope.enterprise_id}" if scope.enterprise_id else ""
        super().__init__(f"Handoff is not installed in {scope.team_id}{org}")


def expiring(installation: Installation, ahead: timedelta, now: float | None = None) -> bool:
    """Whether a token of ``installation`` that can be refreshed expires within ``ahead``."""
    limit = (time.time() if now is None else now) + ahead.total_seconds()
    return any(
        expires_at is not None and refresh is not None and expires_at <= limit
        for expires_at, refresh in (
            (installation.bot_token_expires_at, installation.bot_refresh_token),
            (installation.user_token_expires_at, installation.user_refresh_token),
        )
    )


class Tokens:
    def __init__(
        self,
        store: EncryptedInstallationStore,
        client_id: str,
        client_secret: str,
        api_url: str,
        make_client: Callable[[str], WebClient],
    ) -> None:
        self.store = store
        self.make_client = make_client
        self.rotator = TokenRotator(
            client_id=client_id,
            client_secret=client_secret,
            client=WebClient(base_url=api_url, timeout=ROTATION_TIMEOUT_SECONDS, retry_handlers=[]),
        )

    def installation(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None,
        ahead: timedelta = REQUEST_AHEAD,
    ) -> Installation | None:
        """The latest installation for the workspace (or org-wide), its tokens good for at
        least ``ahead`` when Slack renews them."""
        found = self.store.find_installation(
            enterprise_id=enterprise_id,
            team_id=team_id,
            is_enterprise_install=is_enterprise_install,
        )
        if found is None or not expiring(found, ahead):
            return found
        key = InstallKey.of(enterprise_id, team_id, is_enterprise_install)
        try:
            return self.refresh(key, ahead)
        except Exception as e:  # Slack unreachable: the current token may still do
            log.error("could not refresh the token of %s: %s", _who(key), describe(e))
            return found

    def refresh(self, key: InstallKey, ahead: timedelta) -> Installation | None:
        minutes = max(1, int(ahead.total_seconds() // 60))

        def rotate(current: Installation) -> Installation | None:
            if not expiring(current, ahead):
                return None  # another worker renewed it while we waited for the lock
            try:
                refreshed = self.rotator.perform_token_rotation(
                    installation=current, minutes_before_expiration=minutes
                )
            except SlackTokenRotationError as e:
                # The current token may still work until it expires; the next try may succeed.
                log.error("could not refresh the token of %s: %s", _who(key), _error(e))
                return None
            if refreshed is not None:
                log.info("refreshed the token of %s", _who(key))
            return refreshed

        return self.store.refresh(key, rotate)

    def serving(
        self,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
        ahead: timedelta = BACKGROUND_AHEAD,
    ) -> Installation | None:
        """The installation serving a workspace of an Enterprise Grid org: the kind the request
        says (org-wide or its own), else the other kind — an org may move from one to the other."""
        found = self.installation(enterprise_id, team_id, is_enterprise_install, ahead)
        if found is None and enterprise_id:
            found = self.installation(enterprise_id, team_id, not is_enterprise_install, ahead)
        return found

    def for_scope(self, scope: Scope, ahead: timedelta = BACKGROUND_AHEAD) -> Installation | None:
        """The installation serving a workspace: its own, else its org's org-wide one."""
        return self.serving(scope.enterprise_id, scope.team_id, False, ahead)

    def client_for(self, scope: Scope) -> WebClient:
        """A Web API client with the workspace's own bot token; NotInstalled without one."""
        found = self.for_scope(scope)
        if found is None or not found.bot_token:
            raise NotInstalled(scope)
        return self.make_client(found.bot_token)

    def refresh_expiring(self, ahead: timedelta = BACKGROUND_AHEAD) -> int:
        """Renew every token that expires within ``ahead``; how many were renewed. Never raises."""
        renewed = 0
        try:
            due = self.store.expiring(ahead)
        except Exception as e:
            log.error("could not read the installations to refresh: %s", describe(e))
            return 0
        for key in due:
            try:
                after = self.refresh(key, ahead)
            except Exception as e:  # one workspace's failure must not stop the others
                log.error("could not refresh the token of %s: %s", _who(key), describe(e))
                continue
            if after is not None and not expiring(after, ahead):
                renewed += 1
        return renewed


def _who(key: InstallKey) -> str:
    if key.team_id is None:
        return f"org {key.enterprise_id}"
    return key.team_id if key.enterprise_id is None else f"{key.team_id} ({key.enterprise_id})"


def _error(e: SlackTokenRotationError) -> str:
    return str(e.api_error.response.get("error"))
