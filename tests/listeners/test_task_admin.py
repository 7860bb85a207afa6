"""/logtask rename, merge and delete task through signed HTTP."""

from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import Entry, Task
from tests.support.slack_sim import flatten


def names(db) -> list[str]:
    with db.transaction() as s:
        return sorted(s.scalars(select(Task.name)))


def test_rename_keeps_the_tasks_time_and_settings(bot, db):
    bot.command('"writ blog post" 1h weekly #content')
    bot.command('"writ blog post" 30m')
    text = bot.reply_text("rename writ blog post to write blog post")
    assert "Renamed *writ blog post* to *write blog post*; its 2 entries and settings stay" in text
    with db.transaction() as s:
        task = s.scalars(select(Task)).one()
        assert (task.name, task.frequency, task.category) == (
            "write blog post",
            "weekly",
            "content",
        )
        assert s.scalar(select(func.sum(Entry.minutes))) == 60 + 30


def test_rename_onto_another_task_is_refused_and_suggests_merging(bot, db):
    bot.command('"writ blog post" 1h')
    bot.command('"write blog post" 2h')
    text = bot.reply_text("rename writ blog post to Write Blog Post")
    assert "There is already a task called *write blog post*" in text
    assert "`/logtask merge writ blog post into write blog post`" in text
    assert names(db) == ["writ blog post", "write blog post"]


def test_rename_may_change_only_the_case(bot, db):
    bot.command("seo audit 1h")
    assert "Renamed *seo audit* to *SEO audit*" in bot.reply_text("rename seo audit to SEO audit")
    assert names(db) == ["SEO audit"]


def test_a_near_miss_is_not_acted_on_and_gets_the_command_to_type(bot, db):
    bot.command("write blog post 1h")
    text = bot.reply_text("delete task writ blog post")
    assert "No task called *writ blog post*. Did you mean *write blog post*?" in text
    assert "Try: `/logtask delete task write blog post`" in text
    assert names(db) == ["write blog post"]
    text = bot.reply_text("rename writ blog post to blog")
    assert "Try: `/logtask rename write blog post to blog`" in text


def test_a_near_miss_on_a_merges_target_rebuilds_the_command_with_it(bot):
    bot.command("write blog post 1h")
    bot.command('"blog" 30m')
    text = bot.reply_text("merge blog into writ blog post")
    assert "Try: `/logtask merge blog into write blog post`" in text


def test_a_near_miss_on_a_merge_never_offers_the_target_itself(bot):
    bot.command("write blog post 1h")
    bot.command('"writ blog post" 1h')
    text = bot.reply_text("merge writ blg post into write blog post")
    assert "Did you mean *writ blog post*?" in text
    assert "merge write blog post into" not in text


def test_a_name_with_to_in_it_is_read_by_the_task_list(bot, db):
    bot.command("how to videos 1h")
    bot.command("rename how to videos to tutorials")
    assert names(db) == ["tutorials"]


def test_merge_moves_the_entries_and_the_report_adds_them_up(bot, db):
    bot.command("rate $80/h")
    bot.command("write blog post 2h weekly")
    bot.command('"writ blog post" 1h yesterday')
    bot.command("quote write blog post $60/post")
    text = bot.reply_text("merge writ blog post into write blog post")
    assert "Merged *writ blog post* into *write blog post*: 1 entry (1h) moved" in text
    assert names(db) == ["write blog post"]
    # Weekly, two occurrences of 2h and 1h: (2 + 1) / 2 = 1.5h a week × $80 = $120 in-house;
    # overhead 10%, $12; savings 120 − 12 − 60 = $48/week, × 52 = $2,496/year.
    assert "savings $48/week · $2,496/year" in bot.reply_text("report")


def test_merge_moves_the_quote_only_when_the_target_has_none(bot):
    bot.command("write blog post 1h")
    bot.command('"writ blog post" 1h')
    bot.command("quote writ blog post $50/post")
    text = bot.reply_text("merge writ blog post into write blog post")
    assert "Its quote ($50 per post) moved to *write blog post*" in text
    bot.command('"blog" 1h')
    bot.command("quote blog $70/post")
    text = bot.reply_text("merge blog into write blog post")
    assert (
        "Its quote ($70 per post) was dropped: *write blog post* keeps its own ($50 per post)"
        in text
    )


def test_merge_target_keeps_its_frequency_and_category_unless_it_has_none(bot, db):
    bot.command("a 1h daily #x")
    bot.command("b 1h weekly")
    text = bot.reply_text("merge a into b")
    assert "*b* had no category: it takes #x." in text
    assert "had no frequency" not in text
    with db.transaction() as s:
        assert s.execute(select(Task.frequency, Task.category)).one() == ("weekly", "x")


def test_merging_a_task_into_itself_is_refused(bot):
    bot.command("a 1h")
    assert "are the same task" in bot.reply_text("merge a into A")


def test_delete_task_says_what_went(bot, db, slack):
    bot.command("podcast 1h", user="U1")
    bot.command("podcast 30m", user="U2")
    bot.command("quote podcast $45/episode")
    text = bot.reply_text("delete task podcast")
    assert (
        "Deleted the task *podcast*: 2 entries (1h 30m) by 2 members, "
        "and its quote ($45 per episode)." in text
    )
    with db.transaction() as s:
        assert s.scalar(select(func.count(Entry.id))) == 0
    assert names(db) == []


def test_deleting_a_task_with_others_time_needs_its_creator_or_an_admin(bot, db, slack):
    slack.add_user("U1", name="Jane")
    slack.add_user("U3", name="Ann", is_admin=True)
    bot.command("podcast 1h", user="U1")  # Jane creates it
    bot.command("podcast 30m", user="U2")
    text = bot.reply_text("delete task podcast", user="U2")
    assert "has time logged by 1 other member: only its creator (Jane) or a workspace admin" in text
    assert names(db) == ["podcast"]
    assert "Deleted the task *podcast*" in bot.reply_text("delete task podcast", user="U1")
    bot.command("podcast 1h", user="U2")
    bot.command("podcast 1h", user="U1")
    assert "Deleted the task" in bot.reply_text("delete task podcast", user="U3")


def test_merging_away_a_task_with_others_time_needs_its_creator_or_an_admin(bot, db, slack):
    bot.command("podcast 1h", user="U1")
    bot.command("podcast 30m", user="U2")
    bot.command("audio 1h", user="U2")
    text = bot.reply_text("merge podcast into audio", user="U2")
    assert "only its creator (u1) or a workspace admin can merge it away" in text
    assert names(db) == ["audio", "podcast"]


def test_a_task_only_you_logged_on_is_yours_to_delete(bot, db):
    bot.command("quote podcast $45/episode", user="U2")  # U2 creates it, logs nothing
    bot.command("podcast 1h", user="U1")
    assert "Deleted the task *podcast*" in bot.reply_text("delete task podcast", user="U1")


def test_delete_without_task_suggests_the_command(bot):
    bot.command("write blog post 1h")
    text = flatten(bot.command("delete write blog post"))
    assert "Try: `/logtask delete task write blog post`" in text
