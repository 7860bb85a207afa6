"""app_uninstalled and tokens_revoked: one listener, because Bolt runs only the first that matches.

Uninstalled: the installation and all of the workspace's data go, in one transaction, and
the log says how many rows of each table. Tokens revoked: the revoked tokens go, the data
stays (the workspace may authorize again). Slack sends both on an uninstall; either order
ends the same.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import App, BoltContext

from bot.db.engine import Database
from bot.listeners.errors import acknowledge, after_ack
from bot.services import uninstall as service

EVENTS = re.compile(r"\A(?:app_uninstalled|tokens_revoked)\Z")


def register(app: App, db: Database) -> None:
    def forget(event: dict[str, Any], context: BoltContext, logger: logging.Logger) -> None:
        org_wide = bool(context.is_enterprise_install)
        where = service.Where(
            context.enterprise_id, None if org_wide else context.team_id, org_wide
        )
        who = f"org {where.enterprise_id}" if org_wide else str(where.team_id)
        with after_ack(logger):
            if event["type"] == "app_uninstalled":
                with db.transaction() as s:
                    deleted = service.uninstall(s, where)
                logger.info("uninstalled from %s: deleted %s", who, deleted)
                return
            tokens = event.get("tokens") or {}
            with db.transaction() as s:
                deleted = service.Deleted()
                if tokens.get("bot"):
                    deleted = service.forget_tokens(s, where)
                users = [str(u) for u in tokens.get("oauth") or []]
                deleted.rows.update(service.forget_user_tokens(s, where, users).rows)
            logger.info("tokens revoked in %s: deleted %s", who, deleted)

    app.event(EVENTS)(ack=acknowledge, lazy=[forget])
