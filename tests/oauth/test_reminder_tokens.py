"""Multi-workspace mode: each workspace's reminders go out with that workspace's own token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from bot.console.local_slack import Workspace
from bot.db.models import Reminder
from bot.jobs import reminders as job
from bot.services import reminders
from bot.services.scope import Scope
from tests.support.browser import install

ACME = Workspace("T1", "Acme")
GLOBEX = Workspace("T2", "Globex")


def test_each_workspaces_reminders_are_sent_with_its_own_token(oauth_bot, slack, db, tokens):
    install(oauth_bot.bot_url, slack, ACME)
    install(oauth_bot.bot_url, slack, GLOBEX)
    (acme,) = slack.bot_tokens(ACME)
    (globex,) = slack.bot_tokens(GLOBEX)
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with db.transaction() as s:
        for team, user in (("T1", "UA"), ("T2", "UG")):
            reminders.configure(
                s, Scope(team), user, (now.weekday(),), now.time(), "UTC", now - timedelta(1)
            )
        s.execute(update(Reminder).values(next_run_at=now))

    assert job.run_due(db, tokens.client_for, now) == 2

    sent = {c.params["channel"]: c.token for c in slack.api_calls("chat.postMessage")}
    assert sent == {"UA": acme, "UG": globex}
