"""The reminder's schedule: its next run as a UTC instant that keeps the member's local hour
across daylight-saving switches, and the claim that moves it on."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

from bot.services import reminders
from bot.services.scope import Scope
from bot.weekly import Weekdays

NY = "America/New_York"
FRIDAY = 4


def test_next_run_keeps_1600_local_when_clocks_fall_back(session):
    # Friday 30 Oct 2026, 16:30 EDT (UTC−4) = 20:30 UTC. Clocks fall back on Sunday 1 Nov,
    # so the next Friday 16:00 is EST (UTC−5): 16 + 5 = 21:00 UTC on 6 Nov.
    now = datetime(2026, 10, 30, 20, 30, tzinfo=UTC)
    setting = reminders.configure(session, Scope("T1"), "U1", (FRIDAY,), time(16), NY, now)
    assert setting.next_run_at == datetime(2026, 11, 6, 21, 0, tzinfo=UTC)

    due, _ = reminders.claim_due(session, setting.next_run_at, "me")
    assert [d.scheduled_for for d in due] == [datetime(2026, 11, 6, 21, 0, tzinfo=UTC)]
    assert reminders.current(session, Scope("T1"), "U1").next_run_at == datetime(
        2026, 11, 13, 21, 0, tzinfo=UTC
    )


def test_next_run_keeps_1600_local_when_clocks_spring_forward(session):
    # Friday 12 Mar 2027, 16:00 EST = 21:00 UTC; clocks go forward on Sunday 14 Mar, so
    # Friday 19 Mar 16:00 is EDT (UTC−4): 16 + 4 = 20:00 UTC.
    slot = datetime(2027, 3, 12, 21, 0, tzinfo=UTC)
    reminders.configure(session, Scope("T1"), "U1", (FRIDAY,), time(16), NY, slot.replace(hour=20))
    due, _ = reminders.claim_due(session, slot, "me")
    assert [d.scheduled_for for d in due] == [slot]
    assert reminders.current(session, Scope("T1"), "U1").next_run_at == datetime(
        2027, 3, 19, 20, 0, tzinfo=UTC
    )


def test_several_weekdays_run_on_the_nearest_one():
    rule = Weekdays((0, 2), time(9), ZoneInfo("Europe/Berlin"))
    # Monday 23 Nov 2026, 09:00 CET (UTC+1) = 08:00 UTC has passed at 10:00 UTC:
    # the next is Wednesday 25 Nov 09:00 CET = 08:00 UTC.
    after = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert rule.next_after(after) == datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    assert rule.latest_at_or_before(after) == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


def test_a_claimed_slot_is_not_claimed_again(session):
    slot = datetime(2026, 11, 6, 21, 0, tzinfo=UTC)
    reminders.configure(session, Scope("T1"), "U1", (FRIDAY,), time(16), NY, slot.replace(hour=12))
    first, _ = reminders.claim_due(session, slot, "a")
    second, _ = reminders.claim_due(session, slot, "b")
    assert (len(first), second) == (1, [])
