"""Whose time a task takes: the blended rate, each member's share and the hours they get back."""

from __future__ import annotations


def shared_task(bot) -> None:
    # A weekly report: U1 (at $100/h) spent 1h on it a week ago, U2 (at $60/h) 3h today.
    bot.command("rate $100/h", user="U1")
    bot.command("rate $60/h", user="U2")
    bot.command("weekly report 1h weekly 1 week ago", user="U1")
    bot.command("weekly report 3h", user="U2")


def test_should_shows_the_blended_rate_and_each_members_share(bot):
    # 240 min over 2 occurrences = 2h a time → 2h a week. Blended: (60 × 100 + 180 × 60) / 240
    # = $70/h. U2 has 180/240 = 75%: 1h30m a week, 1h30m × 0.9 = 1h21m back; U1 25%: 30m, 27m.
    shared_task(bot)
    text = bot.reply_text("should weekly report", user="U1")
    assert "• Hourly worth: $70/hour — blended: each person's hourly worth, weighted" in text
    assert "• Whose time:" in text
    assert "<@U2>: 75% of the time · $60/hour · 1h 30m a week, 1h 21m back once handed off" in text
    assert "<@U1>: 25% of the time · $100/hour · 30m a week, 27m back once handed off" in text
    assert text.index("<@U2>") < text.index("<@U1>")  # most time first


def test_a_member_without_an_hourly_worth_is_named_but_left_out_of_the_blend(bot):
    # U3 has no rate: the blend is U1's $100 alone, but U3's half of the time is still theirs.
    bot.command("rate $100/h", user="U1")
    bot.command("filing 1h weekly 1 week ago", user="U1")
    bot.command("filing 1h weekly", user="U3")
    text = bot.reply_text("should filing", user="U1")
    assert "• Hourly worth: $100/hour — blended" in text
    assert "<@U3>: 50% of the time · no hourly worth set" in text


def test_one_member_gets_no_share_lines(bot):
    bot.command("rate $80/h")
    bot.command("filing 1h weekly")
    text = bot.reply_text("should filing")
    assert "Whose time" not in text
    assert "blended" not in text


def test_shares_of_a_one_off_job_are_of_the_whole_job(bot):
    # 6h by U1 and 2h by U2 on a one-off job: 75% = 6h of it (5h 24m back), 25% = 2h (1h 48m).
    bot.command("rate $80/h", user="U1")
    bot.command("rate $80/h", user="U2")
    bot.command("site launch 6h once", user="U1")
    bot.command("site launch 2h", user="U2")
    text = bot.reply_text("should site launch", user="U1")
    assert "<@U1>: 75% of the time · $80/hour · 6h of the job, 5h 24m back once handed off" in text
    assert "<@U2>: 25% of the time · $80/hour · 2h of the job, 1h 48m back once handed off" in text
