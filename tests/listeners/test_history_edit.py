"""/logtask history, edit and delete through signed HTTP: numbered entries anyone can fix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db.models import Entry


def local_today(tz: str = "UTC"):
    return datetime.now(UTC).astimezone(ZoneInfo(tz)).date()


def short(d) -> str:
    return f"{d:%a} {d.day} {d:%b}"


def test_history_lists_the_last_ten_entries_with_number_task_time_and_day(bot):
    for i in range(1, 12):
        bot.command(f'"task {i}" {i}m')
    text = bot.reply_text("history")
    assert "Your last 10 entries:" in text
    today = local_today()
    assert f"• `#11` *task 11* · 11m · today ({short(today)})" in text
    assert "`#2` *task 2*" in text
    assert "`#1` *task 1*" not in text  # the eleventh back is not shown
    assert text.index("`#11`") < text.index("`#2`")
    assert "`/logtask edit #11 45m` · `/logtask delete #11`" in text


def test_a_log_reply_gives_the_entry_its_number(bot):
    bot.command("a 10m")
    assert "as `#2`" in bot.reply_text("b 20m")


def test_history_days_are_in_the_members_calendar(bot, slack):
    slack.add_user("U1", tz="Pacific/Kiritimati")  # UTC+14: often already tomorrow
    bot.command("bookkeeping 30m yesterday")
    yesterday = local_today("Pacific/Kiritimati") - timedelta(days=1)
    assert f"yesterday ({short(yesterday)})" in bot.reply_text("history")


def test_edit_changes_the_time_and_says_what_changed(bot, db):
    bot.command("write blog post 1h")
    text = bot.reply_text("edit #1 45m")
    assert "`#1` *write blog post*: 1h → 45m." in text
    with db.transaction() as s:
        assert s.scalar(select(Entry.minutes)) == 45


def test_edit_moves_an_entry_to_another_day_of_the_members_calendar(bot, db, slack):
    slack.add_user("U1", tz="America/Los_Angeles")
    bot.command("write blog post 1h")
    today = local_today("America/Los_Angeles")
    text = bot.reply_text("edit #1 yesterday")
    yesterday = today - timedelta(days=1)
    assert f"today ({short(today)}) → yesterday ({short(yesterday)})" in text
    with db.transaction() as s:
        assert s.scalar(select(Entry.day)) == yesterday


def test_edit_changes_time_and_day_together(bot, db):
    bot.command("write blog post 1h")
    day = local_today() - timedelta(days=3)
    text = bot.reply_text(f"edit #1 1h30m {day.isoformat()}")
    assert "1h → 1h 30m, today" in text
    assert f"→ {short(day)}" in text
    with db.transaction() as s:
        assert s.execute(select(Entry.minutes, Entry.day)).one() == (90, day)


def test_edited_time_changes_the_report_by_hand_arithmetic(bot):
    bot.command("rate $80/h")
    bot.command("write blog post 2h weekly")
    bot.command("quote write blog post $60/post")
    bot.command("edit #1 3h")
    # Weekly, one 3h occurrence: 3h × $80 = $240 in-house; overhead 10% of 3h = 0.3h × $80 = $24;
    # savings 240 − 24 − 60 = $156 a week, × 52 = $8,112 a year.
    assert "savings $156/week · $8,112/year" in bot.reply_text("report")


def test_delete_removes_the_entry_and_says_what_went(bot, db):
    bot.command("write blog post 1h")
    bot.command("podcast 30m")
    text = bot.reply_text("delete #1")
    assert f"Deleted `#1`: 1h on *write blog post* for today ({short(local_today())})." in text
    assert "`/logtask undo` brings it back" in text
    with db.transaction() as s:
        assert s.scalars(select(Entry.number)).all() == [2]


def test_only_the_author_or_an_admin_may_change_an_entry(bot, db, slack):
    slack.add_user("U1", name="Jane")
    slack.add_user("U2", name="Sam")
    slack.add_user("U3", name="Ann", is_admin=True)
    bot.command("write blog post 1h", user="U1")
    text = bot.reply_text("edit #1 45m", user="U2")
    assert "#1 is Jane's entry: only they or a workspace admin can change it" in text
    assert "only they" in bot.reply_text("delete #1", user="U2")
    assert "1h → 20m (Jane's entry)" in bot.reply_text("edit #1 20m", user="U3")
    with db.transaction() as s:
        assert s.scalar(select(Entry.minutes)) == 20


def test_an_owner_may_change_anyones_entry(bot, db, slack):
    slack.add_user("U9", is_owner=True)
    bot.command("write blog post 1h", user="U1")
    assert "Deleted `#1`" in bot.reply_text("delete #1", user="U9")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_an_unknown_number_says_so_and_points_at_history(bot):
    bot.command("write blog post 1h")
    text = bot.reply_text("edit #99 45m")
    assert "There is no entry #99 in this workspace" in text
    assert "`/logtask history`" in text


def test_another_workspaces_number_is_unknown_here(bot, db):
    bot.command("write blog post 1h", team="T2")
    assert "no entry #1 in this workspace" in bot.reply_text("delete #1", team="T1")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 1


def test_an_edit_that_changes_nothing_says_so(bot):
    bot.command("write blog post 1h")
    assert "already has that time and day" in bot.reply_text("edit #1 60m")


def test_edit_without_a_change_shows_the_command_to_type(bot):
    bot.command("write blog post 1h")
    text = bot.reply_text("edit #1")
    assert "What should #1 become?" in text
    assert "Try: `/logtask edit #1 45m`" in text


def test_edit_refuses_a_future_day_and_saves_nothing(bot, db):
    bot.command("write blog post 1h")
    assert "future" in bot.reply_text("edit #1 tomorrow")
    with db.transaction() as s:
        assert s.scalar(select(Entry.day)) == local_today()
