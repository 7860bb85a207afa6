"""Which workspace a request belongs to. Every service call starts from one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    team_id: str
    enterprise_id: str | None = None
