"""Uninstalling forgets: the installation's tokens and, on uninstall, all of a workspace's data.

Every table with a foreign key to ``workspace`` is emptied of the workspace's rows by an
explicit, counted DELETE (dependents first), then the workspace row goes, so the counts say
what was deleted; ON DELETE CASCADE catches whatever a table reaches through another one.
A table added later with a ``workspace_id`` foreign key is included without a change here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import (
    Column,
    ColumnElement,
    CursorResult,
    Delete,
    Table,
    Update,
    delete,
    select,
    update,
)
from sqlalchemy.orm import Session

from bot.db.base import Base
from bot.db.installations import SlackBot, SlackInstallation
from bot.db.models import HandledEvent, Workspace
from bot.services import workspaces


@dataclass(frozen=True)
class Where:
    """An uninstalled (or revoked) installation: a workspace, or a whole Grid org."""

    enterprise_id: str | None
    team_id: str | None
    org_wide: bool = False


@dataclass
class Deleted:
    """Rows deleted, by table; only the tables that had any."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, n: int) -> None:
        if n > 0:
            self.rows[table] = self.rows.get(table, 0) + n

    def __str__(self) -> str:
        return ", ".join(f"{n} {t}" for t, n in sorted(self.rows.items())) or "nothing"


def _workspace_column(table: Table) -> Column[int] | None:
    for fk in table.foreign_keys:
        if fk.column.table.name == Workspace.__tablename__ and fk.parent.table is table:
            return fk.parent
    return None


def _count(session: Session, statement: Delete | Update) -> int:
    return cast(CursorResult[Any], session.execute(statement)).rowcount


def _installed(
    model: type[SlackInstallation] | type[SlackBot], where: Where
) -> ColumnElement[bool]:
    enterprise = (
        model.enterprise_id.is_(None)
        if where.enterprise_id is None
        else model.enterprise_id == where.enterprise_id
    )
    if where.org_wide:
        return enterprise & model.team_id.is_(None)
    return enterprise & (model.team_id == where.team_id)


def forget_tokens(session: Session, where: Where, deleted: Deleted | None = None) -> Deleted:
    """Delete the installation rows (every token) of ``where``."""
    deleted = deleted or Deleted()
    for model in (SlackInstallation, SlackBot):
        n = _count(session, delete(model).where(_installed(model, where)))
        deleted.add(model.__tablename__, n)
    return deleted


def forget_user_tokens(session: Session, where: Where, user_ids: list[str]) -> Deleted:
    """Clear the user tokens of ``user_ids`` (revoked): their installation rows stay."""
    deleted = Deleted()
    if user_ids:
        i = SlackInstallation
        n = _count(
            session,
            update(i)
            .where(_installed(i, where), i.user_id.in_(user_ids), i.user_token.is_not(None))
            .values(
                user_token=None,
                user_refresh_token=None,
                user_token_expires_at=None,
                user_scopes=None,
            ),
        )
        deleted.add("user tokens", n)
    return deleted


def uninstall(session: Session, where: Where) -> Deleted:
    """The installation and every row of its workspace(s), in the caller's transaction."""
    deleted = forget_tokens(session, where)
    query = select(Workspace.id, Workspace.team_id).where(
        Workspace.enterprise_id == (where.enterprise_id or "")
    )
    if not where.org_wide:
        query = query.where(Workspace.team_id == where.team_id)
    else:  # a workspace of the org with an install of its own keeps its data
        i = SlackInstallation
        own = select(i.team_id).where(
            i.enterprise_id == where.enterprise_id, i.team_id.is_not(None)
        )
        query = query.where(Workspace.team_id.not_in(own))
    found = session.execute(query).all()
    ids = [row.id for row in found]
    teams = {row.team_id for row in found} | ({where.team_id} if where.team_id else set())
    if ids:
        for table in reversed(Base.metadata.sorted_tables):  # dependents first
            column = _workspace_column(table)
            if column is not None:
                n = _count(session, delete(table).where(column.in_(ids)))
                deleted.add(table.name, n)
        n = _count(session, delete(Workspace).where(Workspace.id.in_(ids)))
        deleted.add(Workspace.__tablename__, n)
        workspaces.forget_rows(session)
    if teams:
        n = _count(session, delete(HandledEvent).where(HandledEvent.team_id.in_(teams)))
        deleted.add(HandledEvent.__tablename__, n)
    return deleted
