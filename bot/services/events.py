"""Events API deliveries already handled: Slack retries, we answer once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.base import utcnow
from bot.db.models import HandledEvent

KEEP_FOR = timedelta(hours=2)  # Slack retries for about an hour at most


def claim(session: Session, team_id: str, event_id: str) -> bool:
    """True for the first delivery of ``event_id``; False for a retry of a handled one.

    The unique (team_id, event_id) row is the claim, so two processes receiving the same
    retry cannot both answer it.
    """
    session.execute(delete(HandledEvent).where(HandledEvent.handled_at < utcnow() - KEEP_FOR))
    if session.scalar(
        select(HandledEvent.id).where(
            HandledEvent.team_id == team_id, HandledEvent.event_id == event_id
        )
    ):
        return False
    try:
        with session.begin_nested():
            session.add(HandledEvent(team_id=team_id, event_id=event_id))
    except IntegrityError:
        return False
    return True
