"""Uninstalling forgets: app_uninstalled and tokens_revoked through signed events."""

from __future__ import annotations

import json
import logging
import time
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from bot.console.local_slack import Workspace
from bot.db.base import Base
from bot.db.installations import SlackBot, SlackInstallation
from bot.db.models import DigestSchedule
from bot.db.models import Workspace as WorkspaceRow
from bot.jobs.digest import run_due
from bot.services.uninstall import _workspace_column
from tests.listeners.test_messages import ask, dm
from tests.support.browser import install
from tests.support.database import saved_rows
from tests.support.slack_sim import flatten

ACME = Workspace("T1", "Acme")
GLOBEX = Workspace("T2", "Globex")
ORG = Workspace(None, None, "E1", "Initech", org_wide=True)


def send_event(bot, event: dict, team: str | None, enterprise: str | None = None) -> None:
    """A signed Events API delivery, authorized for ``team`` (None: an org-wide install)."""
    payload = {
        "token": "legacy-unused",
        "team_id": team or enterprise,
        "enterprise_id": enterprise,
        "api_app_id": "A0HANDOFF",
        "type": "event_callback",
        "event_id": f"Ev{time.monotonic_ns()}",
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": enterprise,
                "team_id": team,
                "user_id": "UB",
                "is_bot": True,
                "is_enterprise_install": team is None,
            }
        ],
        "event": event,
    }
    assert bot.post(json.dumps(payload).encode(), "application/json").status == 200
    bot.idle()


def use_everything(bot, db, tokens, team: str, enterprise: str | None = None, org: bool = False):
    """Rows in every table a workspace has: members, tasks with quotes and categories, entries,
    its settings, a digest schedule and a posted run, an answered DM."""
    kw = {"team": team, "enterprise": enterprise, "org_install": org}
    bot.command("rate $80/h", **kw)
    bot.command("write newsletter 2h weekly #content", **kw)
    bot.command("write newsletter 1h", user="U2", **kw)
    bot.command("quote write newsletter $60/post from Jane", **kw)
    bot.command("currency EUR", **kw)
    bot.command("digest here", **kw)
    send_event(
        bot,
        {"type": "message", "channel_type": "im", "channel": "D1", "user": "U1", "text": "hi"},
        None if org else team,
        enterprise,
    )
    now = datetime.now(UTC)
    with db.transaction() as s:
        ws = select(WorkspaceRow.id).where(WorkspaceRow.team_id == team).scalar_subquery()
        s.execute(
            update(DigestSchedule).where(DigestSchedule.workspace_id == ws).values(next_run_at=now)
        )
    assert run_due(db, tokens.client_for, now) == 1


def rows_of(db, team: str) -> dict[str, int]:
    """Rows per table that belong to workspace ``team``."""
    counts: dict[str, int] = {}
    with db.transaction() as s:
        ids = s.scalars(select(WorkspaceRow.id).where(WorkspaceRow.team_id == team)).all()
        for table in Base.metadata.sorted_tables:
            column = _workspace_column(table)
            if column is not None:
                n = s.scalar(select(func.count()).select_from(table).where(column.in_(ids)))
                if n:
                    counts[table.name] = n
        counts["workspace"] = len(ids)
    return counts


def installations(db) -> list[tuple[str | None, str | None]]:
    with db.transaction() as s:
        return sorted(
            s.execute(select(SlackInstallation.enterprise_id, SlackInstallation.team_id)).all(),
            key=str,
        )


def test_uninstall_deletes_the_installation_and_all_the_workspaces_data_and_nothing_else(
    oauth_bot, slack, db, tokens, caplog
):
    slack.add_channel("C1", "general", is_member=True)
    install(oauth_bot.bot_url, slack, ACME)
    install(oauth_bot.bot_url, slack, GLOBEX)
    use_everything(oauth_bot, db, tokens, "T1")
    use_everything(oauth_bot, db, tokens, "T2")
    acme, globex = rows_of(db, "T1"), rows_of(db, "T2")
    # every kind of data is there to be deleted: tasks, entries, members, schedule, runs
    assert acme == {
        "workspace": 1,
        "member": 2,  # U1 and U2
        "task": 1,  # write newsletter, with its quote and category
        "quote": 1,  # on its shortlist, from Jane
        "provider": 1,  # Jane
        "entry": 2,  # 2h and 1h
        "digest_schedule": 1,
        "digest_run": 1,
        "change_log": 5,  # undo's record of the rate, the two logs, the quote, the currency
    }
    assert globex == acme

    caplog.set_level(logging.INFO)
    slack.uninstall(ACME)
    send_event(oauth_bot, {"type": "app_uninstalled"}, "T1")

    assert rows_of(db, "T1") == {"workspace": 0}
    assert rows_of(db, "T2") == globex
    assert installations(db) == [(None, "T2")]
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(SlackBot)) == 1
    assert saved_rows(db)["handled_event"] == 1  # Globex's DM; Acme's (and the event) forgotten
    (line,) = [r.getMessage() for r in caplog.records if "uninstalled" in r.getMessage()]
    assert line == (
        "uninstalled from T1: deleted 5 change_log, 1 digest_run, 1 digest_schedule, 2 entry, "
        "1 handled_event, 2 member, 1 provider, 1 quote, 1 slack_bots, 1 slack_installations, "
        "1 task, 1 workspace"
    )


def test_reinstalling_after_an_uninstall_starts_clean(oauth_bot, slack, db):
    install(oauth_bot.bot_url, slack, ACME)
    oauth_bot.command("rate $80/h", team="T1")
    oauth_bot.command("bookkeeping 2h weekly", team="T1")
    slack.uninstall(ACME)
    send_event(oauth_bot, {"type": "app_uninstalled"}, "T1")

    install(oauth_bot.bot_url, slack, ACME)

    report = oauth_bot.reply_text("report", team="T1")
    assert "No tasks yet" in report
    assert "bookkeeping" not in report
    assert "haven't set your hourly worth" in oauth_bot.reply_text("rate", team="T1")
    assert rows_of(db, "T1")["workspace"] == 1
    assert "task" not in rows_of(db, "T1")


def test_revoked_tokens_are_deleted_and_the_data_kept(oauth_bot, slack, db):
    install(oauth_bot.bot_url, slack, ACME)
    oauth_bot.command("write newsletter 2h weekly", team="T1")
    before = rows_of(db, "T1")

    send_event(
        oauth_bot, {"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBT1"]}}, "T1"
    )

    assert installations(db) == []
    assert rows_of(db, "T1") == before
    assert "reinstall" in oauth_bot.reply_text("report", team="T1").lower()


def test_uninstalling_an_org_wide_install_forgets_every_workspace_it_served(oauth_bot, slack, db):
    install(oauth_bot.bot_url, slack, ORG)
    install(oauth_bot.bot_url, slack, ACME)  # outside the org
    install(oauth_bot.bot_url, slack, Workspace("TC", "Cobalt", "E1", "Initech"))  # its own
    for team in ("TA", "TB"):
        oauth_bot.command(
            "write newsletter 2h weekly", team=team, enterprise="E1", org_install=True
        )
    oauth_bot.command("write newsletter 2h weekly", team="T1")
    oauth_bot.command("write newsletter 2h weekly", team="TC", enterprise="E1")

    slack.uninstall(ORG)
    send_event(oauth_bot, {"type": "app_uninstalled"}, None, enterprise="E1")

    assert rows_of(db, "TA") == rows_of(db, "TB") == {"workspace": 0}
    assert rows_of(db, "T1")["task"] == 1
    assert rows_of(db, "TC")["task"] == 1
    assert installations(db) == [("E1", "TC"), (None, "T1")]


def test_in_single_workspace_mode_an_uninstall_forgets_the_workspace(bot, db):
    bot.command("write newsletter 2h weekly")
    assert rows_of(db, "T1")["task"] == 1

    bot.event({"type": "app_uninstalled"})
    bot.idle()

    assert rows_of(db, "T1") == {"workspace": 0}


def test_a_question_right_after_an_uninstall_is_answered_for_a_workspace_made_anew(bot, db):
    # The asker's profile is still in memory, so no profile lookup re-creates the workspace:
    # the answer's read-only snapshot must not be the first to need it.
    bot.command("write newsletter 2h weekly")
    bot.event({"type": "app_uninstalled"})
    bot.idle()

    (posted,) = ask(bot, dm("what should I outsource?"))

    assert "Sorry" not in flatten(posted)
    assert rows_of(db, "T1") == {"workspace": 1}
