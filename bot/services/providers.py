"""Providers: who a task can be handed off to, found by a forgivingly typed name (#11).

A provider is named like a task: case, spacing and end punctuation aside (``task_key``); an
unquoted name close to a provider's raises ``ProviderNearMiss`` before anything is saved; a
quoted (``literal``) name is that provider exactly, or a new one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import matching
from bot.db.models import Member, Provider, Workspace
from bot.errors import UserError
from bot.names import task_key
from bot.services import workspaces


class ProviderNearMiss(UserError):
    """An unquoted name that is no provider but close to some: nothing was done.

    ``can_create``: the command would add the provider as typed, so that is an option too.
    """

    def __init__(self, typed: str, candidates: list[str], can_create: bool) -> None:
        meant = ", ".join(f"“{c}”" for c in candidates[:-1])
        meant = f"{meant} or “{candidates[-1]}”" if meant else f"“{candidates[-1]}”"
        super().__init__(f"there is no provider called “{typed}”. Did you mean {meant}?")
        self.typed = typed
        self.candidates = candidates
        self.can_create = can_create


def find_provider(session: Session, ws: Workspace, name: str) -> Provider | None:
    return session.scalars(
        select(Provider).where(Provider.workspace_id == ws.id, Provider.key == task_key(name))
    ).first()


@dataclass(frozen=True)
class _Match:
    provider: Provider | None
    candidates: list[str]


def _match(session: Session, ws: Workspace, name: str) -> _Match:
    exact = find_provider(session, ws, name)
    if exact is not None:
        return _Match(exact, [])
    rows = session.execute(
        select(Provider.id, Provider.name).where(Provider.workspace_id == ws.id)
    ).all()
    found = matching.best_match(name, ((pid, pname) for pid, pname in rows))
    return _Match(session.get(Provider, found.id) if found.id else None, found.candidates)


def _close_names(session: Session, ws: Workspace, name: str) -> list[str]:
    m = _match(session, ws, name)
    return [m.provider.name] if m.provider is not None else m.candidates


def existing_provider(session: Session, ws: Workspace, name: str, literal: bool) -> Provider:
    """The provider called ``name``: ProviderNearMiss if close to some, UserError if none."""
    found = find_provider(session, ws, name)
    if found is not None:
        return found
    if not literal and (near := _close_names(session, ws, name)):
        raise ProviderNearMiss(name, near, can_create=False)
    raise UserError(
        f"there is no provider called “{name}” — add one with a quote from them",
        command="quote",
    )


def named_provider(
    session: Session, ws: Workspace, name: str, literal: bool, creator: Member | None = None
) -> tuple[Provider, bool]:
    """The provider called ``name``, added (by ``creator``) if new, and whether it was;
    ProviderNearMiss when an unquoted name is close to another provider's."""
    found = find_provider(session, ws, name)
    if found is not None:
        return found, False
    if not literal and (near := _close_names(session, ws, name)):
        raise ProviderNearMiss(name, near, can_create=True)
    return workspaces.get_or_create(
        session,
        Provider,
        {"name": name, "created_by": creator.id if creator else None},
        workspace_id=ws.id,
        key=task_key(name),
    )
