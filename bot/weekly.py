"""When a weekly digest is due: a weekday and a wall-clock time in an IANA timezone.

Pure functions over aware datetimes. Each run is a UTC instant computed from the local
time, so the digest keeps its local hour on both sides of a daylight-saving switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Weekly:
    weekday: int  # 0 = Monday
    at: time
    tz: ZoneInfo

    def occurrence(self, day: date) -> datetime:
        """The run on local ``day`` as a UTC instant.

        A wall time skipped by a spring-forward switch (02:30 that day) is read with the
        offset before the switch, so it runs an hour later by the clock (03:30); a time
        that happens twice when clocks fall back runs at the first of the two.
        """
        local = datetime.combine(day, self.at, tzinfo=self.tz)
        return local.astimezone(UTC)

    def next_after(self, instant: datetime) -> datetime:
        """The first run strictly after ``instant``."""
        start = instant.astimezone(self.tz).date() - timedelta(days=1)
        for offset in range(9):
            day = start + timedelta(days=offset)
            if day.weekday() == self.weekday and (run := self.occurrence(day)) > instant:
                return run
        raise AssertionError("a weekly run always falls within nine days")  # pragma: no cover

    def latest_at_or_before(self, instant: datetime) -> datetime:
        """The most recent run at or before ``instant``."""
        start = instant.astimezone(self.tz).date() + timedelta(days=1)
        for offset in range(9):
            day = start - timedelta(days=offset)
            if day.weekday() == self.weekday and (run := self.occurrence(day)) <= instant:
                return run
        raise AssertionError("a weekly run always falls within nine days")  # pragma: no cover


@dataclass(frozen=True)
class Weekdays:
    """The same rule on several weekdays (a reminder on Mondays and Wednesdays at 09:00)."""

    weekdays: tuple[int, ...]  # 0 = Monday; at least one
    at: time
    tz: ZoneInfo

    def _rules(self) -> list[Weekly]:
        return [Weekly(d, self.at, self.tz) for d in self.weekdays]

    def next_after(self, instant: datetime) -> datetime:
        """The first run strictly after ``instant``, on any of the weekdays."""
        return min(rule.next_after(instant) for rule in self._rules())

    def latest_at_or_before(self, instant: datetime) -> datetime:
        return max(rule.latest_at_or_before(instant) for rule in self._rules())


WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
