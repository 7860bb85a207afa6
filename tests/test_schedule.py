"""Next-run computation with fixed clocks: every weekday, both DST switches, two zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.parse.day import parse_clock
from bot.weekly import Weekly

NEW_YORK = ZoneInfo("America/New_York")  # 2026: summer time from Mar 8, back on Nov 1
BERLIN = ZoneInfo("Europe/Berlin")  # 2026: summer time from Mar 29, back on Oct 25


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("tz", [NEW_YORK, BERLIN])
def test_every_weekday_runs_within_a_week_at_the_local_time(weekday, tz):
    now = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # a Wednesday
    run = Weekly(weekday, time(9, 0), tz).next_after(now)
    local = run.astimezone(tz)
    assert local.weekday() == weekday
    assert (local.hour, local.minute) == (9, 0)
    assert now < run <= now + timedelta(days=7)


@pytest.mark.parametrize(
    ("tz", "before_switch", "after_switch", "utc_before", "utc_after"),
    [
        # Monday 09:00 around spring forward: the UTC hour moves, the local hour does not.
        (
            NEW_YORK,
            datetime(2026, 3, 2, 15, tzinfo=UTC),
            datetime(2026, 3, 9, 15, tzinfo=UTC),
            14,
            13,
        ),
        (BERLIN, datetime(2026, 3, 23, 9, tzinfo=UTC), datetime(2026, 3, 30, 9, tzinfo=UTC), 8, 7),
        # …and around fall back.
        (
            NEW_YORK,
            datetime(2026, 10, 26, 15, tzinfo=UTC),
            datetime(2026, 11, 2, 15, tzinfo=UTC),
            13,
            14,
        ),
        (
            BERLIN,
            datetime(2026, 10, 19, 9, tzinfo=UTC),
            datetime(2026, 10, 26, 9, tzinfo=UTC),
            7,
            8,
        ),
    ],
)
def test_daylight_saving_switches_keep_the_local_time(
    tz, before_switch, after_switch, utc_before, utc_after
):
    rule = Weekly(0, time(9, 0), tz)
    first = rule.next_after(before_switch - timedelta(days=1))
    second = rule.next_after(first)
    assert first.hour == utc_before
    assert second.hour == utc_after
    assert second - first != timedelta(days=7)  # a 167- or 169-hour week
    assert first.astimezone(tz).time() == second.astimezone(tz).time() == time(9, 0)
    assert second.astimezone(tz).date() == after_switch.date()


@pytest.mark.parametrize(
    ("tz", "switch_day"),
    [
        (NEW_YORK, date(2026, 3, 8)),
        (BERLIN, date(2026, 3, 29)),
        (NEW_YORK, date(2026, 11, 1)),
        (BERLIN, date(2026, 10, 25)),
    ],
)
def test_a_sunday_digest_on_the_switch_day_is_at_local_time(tz, switch_day):
    saturday = datetime.combine(switch_day - timedelta(days=1), time(12), tzinfo=UTC)
    run = Weekly(6, time(9, 0), tz).next_after(saturday)
    assert run.astimezone(tz).date() == switch_day
    assert run.astimezone(tz).time() == time(9, 0)


def test_a_wall_time_skipped_by_spring_forward_runs_an_hour_later():
    run = Weekly(6, time(2, 30), BERLIN).next_after(datetime(2026, 3, 28, tzinfo=UTC))
    assert run == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)  # 03:30 CEST


def test_latest_at_or_before_includes_the_instant_itself():
    rule = Weekly(0, time(9, 0), BERLIN)
    run = rule.next_after(datetime(2026, 6, 1, tzinfo=UTC))
    assert rule.latest_at_or_before(run) == run
    assert rule.latest_at_or_before(run - timedelta(seconds=1)) == run - timedelta(days=7)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9)),
        ("9:30", time(9, 30)),
        ("9am", time(9)),
        ("5pm", time(17)),
        ("12am", time(0)),
        ("17.45", time(17, 45)),
    ],
)
def test_parse_clock(text, expected):
    assert parse_clock(text) == expected


@pytest.mark.parametrize("text", ["25:00", "9", "13pm", "noonish"])
def test_parse_clock_refuses(text):
    assert parse_clock(text) is None
