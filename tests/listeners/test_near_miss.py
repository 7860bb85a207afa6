"""A name close to a task but not one saves nothing and asks; a quoted name is taken as typed.

Through signed HTTP: the command, the question with its buttons, and a click on one of them.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from bot.db.models import Entry, Member, Task
from tests.support.database import saved_rows, shortlist_of
from tests.support.slack_sim import buttons, flatten
from tests.views.test_hostile_names import LIVE, texts


def labels(reply: dict) -> list[str]:
    return [b["text"]["text"] for b in buttons(reply)]


def click(bot, reply: dict, label: str, user: str = "U1") -> dict:
    (chosen,) = [b for b in buttons(reply) if b["text"]["text"] == label]
    result, url = bot.click(chosen, user=user)
    assert result.status == 200
    return bot.slack.wait_for_response(url)


def task(db, name: str) -> Task | None:
    with db.transaction() as s:
        found = s.scalars(select(Task).where(Task.name == name)).first()
        if found is not None:
            s.expunge(found)
        return found


def minutes_on(db, name: str) -> int:
    with db.transaction() as s:
        return s.scalar(
            select(func.coalesce(func.sum(Entry.minutes), 0)).join(Task).where(Task.name == name)
        )


@pytest.fixture
def blog(bot):
    bot.command("write blog post 2h")
    return bot


def test_a_typo_saves_nothing_and_asks_with_a_button_each(blog, db):
    before = saved_rows(db)
    reply = blog.command("writ blog post 2h")
    text = flatten(reply)
    assert "No task called *writ blog post*, so nothing was saved." in text
    assert "Did you mean *write blog post*?" in text
    assert "`/logtask write blog post 2h`" in text
    assert '`/logtask "writ blog post" 2h` — a new task called *writ blog post*' in text
    assert labels(reply) == ["Log 2h on write blog post", "Log 2h on new task “writ blog post”"]
    assert saved_rows(db) == before


def test_the_fallback_text_gives_the_commands_to_type(blog):
    assert blog.command("writ blog post 2h")["text"] == (
        "No task called writ blog post. Did you mean write blog post?\n"
        "/logtask write blog post 2h\n"
        '/logtask "writ blog post" 2h (a new task)'
    )


def test_clicking_the_task_meant_logs_the_time_there(bot, db):
    bot.command("rate $80/h")
    bot.command("write blog post 2h weekly 3 days ago")
    bot.command("quote write blog post $60/post")
    reply = click(bot, bot.command("writ blog post 1h"), "Log 1h on write blog post")
    assert reply["replace_original"] is True
    assert "Logged 1h on *write blog post* for today" in flatten(reply)
    assert minutes_on(db, "write blog post") == 180
    assert task(db, "writ blog post") is None
    # Weekly, 2h and 1h on two days: 1.5 h a week × $80 = $120 in-house; overhead 10% of
    # that is $12; a $60 post → saves 120 − 12 − 60 = $48 a week, × 52 = $2,496 a year.
    assert "Handing off *1* task would save *$48/week* ($2,496/year)" in bot.reply_text("report")


def test_the_button_logs_the_day_typed_as_a_date(blog, db):
    yesterday = datetime.now(UTC).date() - timedelta(days=1)
    reply = blog.command("writ blog post 45m yesterday")
    (meant, _) = buttons(reply)
    assert meant["value"] == f"write blog post 45m {yesterday.isoformat()}"
    click(blog, reply, "Log 45m on write blog post")
    with db.transaction() as s:
        assert s.scalar(select(Entry.day).where(Entry.minutes == 45)) == yesterday


def test_the_button_keeps_frequency_and_category(blog, db):
    reply = blog.command("writ blog post 30m monthly #content")
    click(blog, reply, "Log 30m on write blog post")
    found = task(db, "write blog post")
    assert found is not None
    assert (found.frequency, found.category) == ("monthly", "content")


def test_clicking_new_task_creates_it_as_typed(blog, db):
    reply = click(blog, blog.command("writ blog post 2h"), "Log 2h on new task “writ blog post”")
    assert "Logged 2h on *writ blog post*" in flatten(reply)
    assert "New task" in flatten(reply)
    assert (minutes_on(db, "writ blog post"), minutes_on(db, "write blog post")) == (120, 120)


def test_a_quoted_name_is_taken_literally_at_once(blog, db):
    text = blog.reply_text('"writ blog post" 2h')
    assert "Logged 2h on *writ blog post*" in text
    assert "New task" in text
    assert minutes_on(db, "writ blog post") == 120


@pytest.mark.parametrize(
    "typed",
    [
        "write blog posts",  # plural
        "blog post write",  # word order
        "the write blog post",  # filler
    ],
)
def test_plurals_word_order_and_filler_ask_too(blog, db, typed):
    reply = blog.command(f"{typed} 1h")
    assert labels(reply)[0] == "Log 1h on write blog post"
    assert f"No task called *{typed}*" in flatten(reply)
    with db.transaction() as s:
        assert s.scalar(select(func.count(Task.id))) == 1


def test_a_name_close_to_no_task_creates_it_in_one_step(blog, db):
    text = blog.reply_text("bookkeeping 1h")
    assert "Logged 1h on *bookkeeping*" in text
    assert "New task" in text


def test_several_close_tasks_are_all_offered(bot):
    bot.command('"write blog post" 1h')
    bot.command('"write blog posts weekly" 1h')
    reply = bot.command("write blog 1h")
    assert "Did you mean *write blog post* or *write blog posts weekly*?" in flatten(reply)
    assert labels(reply) == [
        "Log 1h on write blog post",
        "Log 1h on write blog posts weekly",
        "Log 1h on new task “write blog”",
    ]


def test_a_click_by_another_member_logs_as_them(blog, db):
    click(blog, blog.command("writ blog post 2h"), "Log 2h on write blog post", user="U2")
    with db.transaction() as s:
        rows = s.execute(select(Member.user_id, Entry.minutes).join(Entry)).all()
    assert sorted(rows) == [("U1", 120), ("U2", 120)]


def test_a_stale_button_gets_a_clear_answer(blog, db):
    reply = blog.command("quote writ blog post $60/post")
    blog.command("currency EUR")
    text = flatten(click(blog, reply, "Set the quote on write blog post"))
    assert ":warning:" in text
    assert "`/logtask currency USD`" in text
    assert shortlist_of(db, "write blog post") == []


# ---- the other commands that name a task ----------------------------------------------------


def test_quote_asks_then_sets_it_on_the_task_meant(blog, db):
    reply = blog.command("quote writ blog post $60/post from Jane")
    assert labels(reply) == [
        "Set the quote on write blog post",
        "Set the quote on new task “writ blog post”",
    ]
    assert "`/logtask quote write blog post $60/post from Jane`" in flatten(reply)
    assert shortlist_of(db, "write blog post") == []
    assert "Quote set: $60 per post from Jane for *write blog post*" in flatten(
        click(blog, reply, "Set the quote on write blog post")
    )
    assert shortlist_of(db, "write blog post") == [(6000, "occurrence", "post", "Jane")]


def test_removing_a_quote_from_a_near_miss_only_suggests(blog, db):
    blog.command("quote write blog post $60")
    reply = blog.command("quote writ blog post none")
    assert labels(reply) == ["Remove the quote from write blog post"]
    assert shortlist_of(db, "write blog post") == [(6000, "occurrence", "task", None)]
    click(blog, reply, "Remove the quote from write blog post")
    assert shortlist_of(db, "write blog post") == []


def test_freq_asks_then_sets_the_task_meant(blog, db):
    reply = blog.command("freq writ blog post monthly")
    assert labels(reply) == [
        "Set monthly on write blog post",
        "Set monthly on new task “writ blog post”",
    ]
    assert task(db, "write blog post").frequency is None  # type: ignore[union-attr]
    click(blog, reply, "Set monthly on write blog post")
    assert task(db, "write blog post").frequency == "monthly"  # type: ignore[union-attr]


def test_category_asks_then_sets_the_task_meant(blog, db):
    reply = blog.command("category writ blog post #content")
    assert labels(reply)[0] == "Put in #content: write blog post"
    click(blog, reply, "Put in #content: write blog post")
    assert task(db, "write blog post").category == "content"  # type: ignore[union-attr]


def test_core_asks_and_can_mark_a_new_task(blog, db):
    reply = blog.command("core writ blog post")
    assert labels(reply) == [
        "Mark as core: write blog post",
        "Mark as core: new task “writ blog post”",
    ]
    assert task(db, "writ blog post") is None
    click(blog, reply, "Mark as core: new task “writ blog post”")
    assert task(db, "writ blog post").is_core is True  # type: ignore[union-attr]
    assert task(db, "write blog post").is_core is False  # type: ignore[union-attr]


def test_notcore_on_a_near_miss_only_suggests(blog, db):
    blog.command("core write blog post")
    reply = blog.command("notcore writ blog post")
    assert labels(reply) == ["Unmark as core: write blog post"]
    assert task(db, "write blog post").is_core is True  # type: ignore[union-attr]
    assert "No longer core for *write blog post*" in flatten(
        click(blog, reply, "Unmark as core: write blog post")
    )


@pytest.mark.parametrize(
    ("command", "check"),
    [
        (
            'quote "writ blog post" $60',
            lambda t, db: shortlist_of(db, t.name) == [(6000, "occurrence", "task", None)],
        ),
        ('freq "writ blog post" weekly', lambda t, db: t.frequency == "weekly"),
        ('category "writ blog post" #content', lambda t, db: t.category == "content"),
        ('core "writ blog post"', lambda t, db: t.is_core),
    ],
)
def test_quoted_names_create_the_task_at_once(blog, db, command, check):
    assert "(new task)" in blog.reply_text(command)
    found = task(db, "writ blog post")
    assert found is not None
    assert check(found, db)


def test_notcore_of_a_quoted_name_that_is_no_task_says_so(blog):
    text = blog.reply_text('notcore "writ blog post"')
    assert "There is no task called “writ blog post”." in text
    assert buttons(blog.command('notcore "writ blog post"')) == []


def test_should_answers_a_confident_match_directly(blog):
    assert "About *write blog post*" in blog.reply_text("should writ blog post")


def test_should_offers_a_button_per_close_task(bot):
    bot.command('"write blog post" 1h')
    bot.command('"write blog posts weekly" 1h')
    reply = bot.command("should write blog")
    assert labels(reply) == [
        "Should I hand off write blog post?",
        "Should I hand off write blog posts weekly?",
    ]
    answer = click(bot, reply, "Should I hand off write blog posts weekly?")
    assert "About *write blog posts weekly*" in flatten(answer)


def test_should_with_a_quoted_name_does_not_guess(blog):
    assert "I don't know a task called *writ blog post* yet" in blog.reply_text(
        'should "writ blog post"'
    )


# ---- names that try to ping -----------------------------------------------------------------


def test_hostile_names_are_escaped_in_text_and_buttons_and_still_run(bot, db):
    # What Slack sends when a member types <!channel> post: the markup escaped.
    bot.command('"&lt;!channel&gt; post" 1h')
    reply = bot.command("&lt;!channel&gt; posts 2h")
    for text in texts(reply):
        assert not LIVE.search(text), text
    meant = buttons(reply)[0]
    assert meant["text"]["text"] == "Log 2h on &lt;!channel&gt; post"
    today = datetime.now(UTC).date().isoformat()
    assert meant["value"] == f"&lt;!channel&gt; post 2h {today}"  # as Slack sends typed text
    click(bot, reply, "Log 2h on &lt;!channel&gt; post")
    assert minutes_on(db, "<!channel> post") == 180
