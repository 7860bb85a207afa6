"""The workspace and member rows a session keeps, so a command reads each once."""

from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Member, Workspace
from bot.services import uninstall, workspaces
from bot.services.scope import Scope

TEAM = Scope("T1")


def test_a_workspace_uninstalled_in_the_session_is_not_remembered_after(session):
    gone = workspaces.workspace(session, TEAM)
    workspaces.member(session, TEAM, "U1")
    uninstall.uninstall(session, uninstall.Where(enterprise_id=None, team_id="T1"))
    ws = workspaces.workspace(session, TEAM)  # made anew: the old row is deleted
    member = workspaces.member(session, TEAM, "U1")
    assert ws is not gone
    assert session.scalars(select(Workspace)).all() == [ws]
    assert session.scalars(select(Member)).all() == [member]
    assert member.workspace_id == ws.id
