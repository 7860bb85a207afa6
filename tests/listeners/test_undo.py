"""/logtask undo through signed HTTP: any change, newest first, per member, said exactly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.db.models import ChangeRecord, Entry, Member, Task, Workspace
from tests.support.slack_sim import buttons, flatten


def made_at(db) -> datetime:
    with db.transaction() as s:
        return s.scalars(select(ChangeRecord.created_at).order_by(ChangeRecord.id.desc())).first()


def age_changes(db, by: timedelta) -> None:
    with db.transaction() as s:
        for record in s.scalars(select(ChangeRecord)):
            record.created_at -= by


def test_undo_says_what_it_undid_and_when_in_the_members_timezone(bot, db, slack):
    slack.add_user("U1", tz="Asia/Tokyo")
    bot.command("write blog post 1h weekly")
    local = made_at(db).astimezone(ZoneInfo("Asia/Tokyo"))
    today = datetime.now(UTC).astimezone(ZoneInfo("Asia/Tokyo")).date()
    text = bot.reply_text("undo")
    assert (
        f"Undid: logged 1h on *write blog post* for today ({today:%a} {today.day} {today:%b}) "
        "as #1." in text
    )
    assert f"You made that change today {local:%H:%M}." in text
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_undo_again_goes_one_further_back(bot, db):
    bot.command("rate $80/h")
    bot.command("podcast 1h")
    bot.command("quote podcast $45/episode")
    assert "Undid: set the quote on *podcast*: none → $45 per episode." in bot.reply_text("undo")
    assert "Undid: logged 1h on *podcast*" in bot.reply_text("undo")
    assert "Undid: set your hourly worth: not set → $80/hour." in bot.reply_text("undo")
    assert "Nothing to undo" in bot.reply_text("undo")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Task.id))) == 0
        assert s.scalar(select(Member.rate_minor)) is None


def test_undo_of_a_log_line_also_restores_the_frequency_it_changed(bot, db):
    bot.command("newsletter 1h weekly #content")
    assert "Frequency changed: weekly → daily." in bot.reply_text("newsletter 20m daily")
    text = bot.reply_text("undo")
    assert "which set its frequency weekly → daily" in text
    with db.transaction() as s:
        assert s.execute(select(Task.frequency, Task.category)).one() == ("weekly", "content")
        assert s.scalars(select(Entry.minutes)).all() == [60]


def test_undo_brings_a_deleted_task_back_with_the_same_figures(bot):
    bot.command("rate $80/h")
    bot.command("podcast 2h weekly #audio")
    bot.command("podcast 1h yesterday", user="U2")
    bot.command("quote podcast $60/episode")
    bot.command("core podcast")
    bot.command("notcore podcast")
    before = bot.reply_text("report")
    bot.command("delete task podcast")
    assert "No tasks yet" in bot.reply_text("report")
    text = bot.reply_text("undo")
    assert "Undid: deleted the task *podcast* (2 entries, 3h, its quote $60 per episode)." in text
    assert bot.reply_text("report") == before


def test_undo_splits_a_merge_and_each_task_has_its_figures_again(bot):
    bot.command("rate $80/h")
    bot.command("write blog post 2h weekly")
    bot.command('"writ blog post" 1h yesterday')
    bot.command("quote write blog post $60/post")
    bot.command("merge writ blog post into write blog post")
    # Merged: (2h + 1h) / 2 occurrences = 1.5h a week: $120 − $12 overhead − $60 = $48/week.
    assert "savings $48/week" in bot.reply_text("report")
    assert "Undid: merged *writ blog post* into *write blog post* (1 entry)." in bot.reply_text(
        "undo"
    )
    # Split again: 2h a week: $160 − $16 overhead − $60 = $84/week, × 52 = $4,368/year.
    report = bot.reply_text("report")
    assert "savings $84/week · $4,368/year" in report
    assert "*writ blog post*" in report


def test_undo_of_an_edit_says_both_sides(bot, db):
    bot.command("write blog post 1h")
    bot.command("edit #1 45m")
    assert "Undid: edited #1 *write blog post*: 1h → 45m." in bot.reply_text("undo")
    with db.transaction() as s:
        assert s.scalar(select(Entry.minutes)) == 60


def test_undo_of_workspace_settings_says_what_they_were(bot, db):
    bot.command("overhead 15%")
    bot.command("currency EUR")
    assert "Undid: switched the currency: USD → EUR." in bot.reply_text("undo")
    assert "Undid: set the overhead: 10% → 15%." in bot.reply_text("undo")
    with db.transaction() as s:
        assert s.execute(select(Workspace.currency, Workspace.overhead_bp)).one() == ("USD", 1000)


def test_undo_never_undoes_another_members_change(bot, db):
    bot.command("podcast 1h", user="U1")
    bot.command("newsletter 1h", user="U2")
    assert "*podcast*" in bot.reply_text("undo", user="U1")
    assert "Nothing to undo" in bot.reply_text("undo", user="U1")
    with db.transaction() as s:
        assert s.scalars(select(Task.name)).all() == ["newsletter"]


def test_a_change_older_than_a_day_asks_first_with_a_button(bot, db):
    bot.command("write blog post 1h")
    age_changes(db, timedelta(days=3))
    reply = bot.command("undo")
    text = flatten(reply)
    when = made_at(db)
    assert f"Your last change is from {when:%a} {when.day} {when:%b}: logged 1h on" in text
    assert "Or type `/logtask undo confirm`" in text
    (button,) = buttons(reply)
    assert (button["action_id"], button["value"]) == ("logtask_run", "undo confirm")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 1  # asked, not undone
    assert "Undid: logged 1h on *write blog post*" in bot.reply_text("undo confirm")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0


def test_undo_refuses_when_someone_else_changed_it_since(bot, db):
    bot.command("a 1h", user="U1")
    bot.command("rename a to b", user="U1")
    bot.command("rename b to c", user="U2")
    text = bot.reply_text("undo", user="U1")
    assert "Your last change" in text
    assert "was: renamed *a* to *b*. I can't undo it: *b* has been renamed to *c* since." in text
    assert "`/logtask undo` now goes one further back" in text
    with db.transaction() as s:
        assert s.scalars(select(Task.name)).all() == ["c"]


def test_after_a_refusal_the_next_undo_goes_further_back(bot, db):
    bot.command("a 1h", user="U1")
    bot.command("rename a to b", user="U1")
    bot.command("rename b to c", user="U2")
    bot.command("undo", user="U1")
    assert "Undid: logged 1h on *a*" in bot.reply_text("undo", user="U1")
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0
