"""/logtask remind through signed HTTP, and the reminder DM the scheduler's job sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.app import make_client
from bot.db.models import Reminder, ReminderRun
from bot.jobs import reminders as job
from tests.support.slack_sim import buttons, flatten


@pytest.fixture
def client(settings):
    return make_client(settings)


def reminder(db) -> Reminder:
    with db.transaction() as s:
        return s.scalars(select(Reminder)).one()


def test_remind_friday_at_1600_is_in_the_members_timezone(bot, slack, db):
    slack.add_user("U1", tz="America/New_York")
    text = bot.reply_text("remind friday 16:00")
    assert "I'll remind you to log your time on Fridays at 16:00 (America/New_York)" in text
    local = reminder(db).next_run_at.astimezone(ZoneInfo("America/New_York"))
    assert (local.weekday(), local.hour, local.minute) == (4, 16, 0)
    assert reminder(db).next_run_at > datetime.now(UTC)
    assert f"Next reminder: *Friday {local.day} {local:%B %Y} at 16:00*" in text


def test_remind_several_days_and_weekdays(bot):
    assert "Mondays and Wednesdays at 09:00 (UTC)" in bot.reply_text("remind mon,wed 9:00")
    assert "on weekdays at 17:30" in bot.reply_text("remind weekdays 17:30")
    assert "You're reminded to log your time on weekdays at 17:30" in bot.reply_text("remind")


def test_remind_off_stops_it_and_remind_says_so(bot, db):
    bot.command("remind friday 16:00")
    assert "Reminders turned off." in bot.reply_text("remind off")
    assert not reminder(db).enabled
    assert "Your reminder is *off* (it was on Fridays at 16:00 (UTC))" in bot.reply_text("remind")


def test_remind_without_a_time_says_what_it_needs_and_saves_nothing(bot, db):
    text = bot.reply_text("remind friday")
    assert "a reminder needs its days and a time, like `remind friday 16:00`" in text.lower()
    assert "/logtask remind weekdays 17:30" in text
    with db.transaction() as s:
        assert s.scalars(select(Reminder)).first() is None


def test_remind_with_an_unknown_day_names_it(bot):
    text = bot.reply_text("remind fryday 16:00")
    assert "couldn't read “fryday” as a weekday" in text


def remind_at(bot, db, slot: datetime, user: str = "U1") -> datetime:
    """A reminder on ``slot``'s weekday and time (UTC), due at ``slot``."""
    bot.command(f"remind {slot:%A} {slot:%H:%M}", user=user)
    with db.transaction() as s:
        s.execute(update(Reminder).values(next_run_at=slot))
    return slot


def this_minute() -> datetime:
    return datetime.now(UTC).replace(second=0, microsecond=0)


def test_a_due_reminder_is_a_dm_with_this_weeks_time_so_far(bot, slack, db, client):
    bot.command("invoicing 1h30m")
    bot.command("filing 45m")
    now = remind_at(bot, db, this_minute())
    assert job.run_due(db, client, now) == 1
    [dm] = [c.params for c in slack.api_calls("chat.postMessage")]
    assert dm["channel"] == "U1"
    # 1h 30m + 45m = 2h 15m, both logged today, so this week.
    assert "you've logged *2h 15m* this week (2 entries since Monday" in flatten(dm)
    log_time, entries = buttons(dm)
    assert entries["value"] == "history"
    # Log time opens the App Home's form for whoever got the nudge.
    result, _url = bot.click(log_time, user="U1", channel="U1", ephemeral=False)
    assert result.status == 200
    [opened] = slack.wait_for(lambda: slack.api_calls("views.open"))
    assert opened.params["view"]["callback_id"]
    with db.transaction() as s:
        [run] = s.scalars(select(ReminderRun)).all()
        assert (run.status, run.scheduled_for) == ("sent", now)


def test_a_reminder_is_claimed_once_however_often_the_job_runs(bot, slack, db, client):
    now = remind_at(bot, db, this_minute())
    assert job.run_due(db, client, now, who="a") == 1
    assert job.run_due(db, client, now, who="b") == 0
    assert job.run_due(db, client, now + timedelta(seconds=30), who="b") == 0
    assert len(slack.api_calls("chat.postMessage")) == 1
    assert reminder(db).next_run_at > now  # moved on to next Friday


def test_a_reminder_missed_by_more_than_half_a_day_is_skipped(bot, slack, db, client):
    now = this_minute()
    remind_at(bot, db, now - timedelta(days=1))
    assert job.run_due(db, client, now) == 0
    assert not slack.api_calls("chat.postMessage")
    with db.transaction() as s:
        assert [r.status for r in s.scalars(select(ReminderRun))] == ["skipped"]


def test_a_failed_dm_is_recorded_and_the_next_reminder_still_comes(bot, slack, db, client):
    now = remind_at(bot, db, this_minute())
    slack.fail("chat.postMessage", "invalid_auth")
    assert job.run_due(db, client, now) == 0
    with db.transaction() as s:
        [run] = s.scalars(select(ReminderRun)).all()
        assert (run.status, run.error) == ("failed", "invalid_auth")
    assert reminder(db).enabled
    assert reminder(db).next_run_at > now
