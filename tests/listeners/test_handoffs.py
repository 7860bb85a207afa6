"""The delegation loop's second half (#11), through the signed HTTP path: hand-off, overhead,
paid, the report's Handed off section, the digest, the not-paying-off advice, takeback, undo.

The running example is docs/economics.md's: $80/h, a weekly newsletter logged 2h, 1.5h and
2.5h on three days (2h a week, $160/week in-house), Jane's $60 a post (saves
160 − 16 − 60 = $84 a week) and Ana's $70 a post. Later weeks are reached by moving the
members' clock forward (``later``); every figure is worked out in the comment above it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Engagement, Entry, Payment
from bot.slack import members
from tests.listeners.test_export import sent_files
from tests.listeners.test_home import open_home
from tests.support.slack_sim import flatten


def today() -> date:
    return datetime.now(UTC).date()


def short(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b}"


@pytest.fixture
def later(monkeypatch):
    """Move the members' calendar ``days`` ahead: what they type lands on that day."""

    def move(days: int) -> date:
        shifted = datetime.now(UTC) + timedelta(days=days)
        monkeypatch.setattr(members, "utcnow", lambda: shifted)
        return shifted.date()

    return move


def newsletter(bot) -> None:
    bot.command("rate $80/h")
    bot.command("newsletter 2h weekly 2 weeks ago")
    bot.command("newsletter 1.5h 1 week ago")
    bot.command("newsletter 2.5h")
    bot.command("quote newsletter $60/post from Jane")
    bot.command("quote newsletter $70/post from Ana")


def handed_off(bot) -> None:
    newsletter(bot)
    bot.command("handoff newsletter to Jane")


def test_handoff_freezes_the_baseline_and_says_so(bot, db):
    newsletter(bot)
    text = bot.reply_text("handoff newsletter to Jane")
    assert "Handed off *newsletter* to Jane from today" in text
    # 2h/week × $80 = $160/week in-house; Jane's $60 a post: 160 − 16 − 60 = $84/week.
    assert "Baseline kept: 2h/week, $160/week in-house; Jane's $60 per post projects " in text
    assert "*$84/week* saved" in text
    with db.transaction() as s:
        e = s.scalars(select(Engagement)).one()
        assert (e.kind, e.started_on, e.ended_on) == ("handoff", today(), None)
        assert (e.baseline_hours, e.baseline_in_house, e.baseline_savings) == ("2", "16000", "8400")
        # Today's 2.5h was logged before the hand-off: in-house work, which the baseline
        # counts, so not overhead as well.
        assert s.scalars(select(Entry.overhead).where(Entry.day == today())).one() is False


def test_hand_off_in_two_words_works_too(bot):
    newsletter(bot)
    assert "Handed off *newsletter* to Ana" in bot.reply_text("hand off newsletter to Ana")


def test_handoff_to_a_provider_without_a_quote_asks_for_their_quote_first(bot, db):
    newsletter(bot)
    text = bot.reply_text("handoff newsletter to Bob")
    assert "There is no provider called “Bob” with a quote on “newsletter”" in text
    assert "`/logtask quote newsletter &lt;price&gt; from Bob`" in text
    with db.transaction() as s:
        assert s.scalars(select(Engagement)).first() is None


def test_handoff_of_an_unknown_task_is_refused(bot):
    assert "There is no task called “podcast”" in bot.reply_text("handoff podcast to Jane")


def test_handoff_needs_an_hourly_worth(bot):
    bot.command("newsletter 2h weekly")
    bot.command("quote newsletter $60/post from Jane")
    assert "your hourly worth: set it first" in bot.reply_text("handoff newsletter to Jane")


def test_handoff_ends_the_tasks_trial(bot, db):
    newsletter(bot)
    bot.command("trial newsletter with Ana")
    text = bot.reply_text("handoff newsletter to Jane")
    assert "Trial ended: Ana." in text
    with db.transaction() as s:
        trial = s.scalars(select(Engagement).where(Engagement.kind == "trial")).one()
        assert trial.ended_on == today()


def test_time_logged_on_a_handed_off_task_is_overhead_and_the_reply_says_so(bot, db):
    handed_off(bot)
    text = bot.reply_text("newsletter 30m")
    assert "The task is handed off to Jane, so this is *your overhead*" in text
    with db.transaction() as s:
        flags = s.scalars(select(Entry.overhead).order_by(Entry.number)).all()
    # The three entries logged before the hand-off (today's 2.5h too), and the new one.
    assert flags == [False, False, False, True]


def test_editing_an_entrys_day_out_of_the_hand_off_makes_it_in_house_again(bot, db):
    handed_off(bot)
    bot.command("newsletter 30m")  # #4, overhead
    bot.command("edit #4 yesterday")
    with db.transaction() as s:
        assert s.scalars(select(Entry.overhead).where(Entry.number == 4)).one() is False
    bot.command("undo")  # back to today: in the hand-off again
    with db.transaction() as s:
        assert s.scalars(select(Entry.overhead).where(Entry.number == 4)).one() is True


def test_paid_counts_against_the_hand_off(bot, db):
    handed_off(bot)
    text = bot.reply_text("paid newsletter $60")
    assert f"Recorded $60 paid to Jane for *newsletter* on today ({short(today())})" in text
    # Week 1: avoided $160; paid $60; no overhead logged since the hand-off: 160 − 60 = $100.
    # Projected $84.
    assert "Saved *$100* so far in 1 week (projected $84)" in text
    with db.transaction() as s:
        assert s.scalars(select(Payment.amount_minor)).one() == 6000


def test_paid_on_a_task_that_is_not_handed_off_is_refused(bot, db):
    newsletter(bot)
    text = bot.reply_text("paid newsletter $60")
    assert "“newsletter” wasn't handed off (or on trial) today" in text
    assert "`/logtask handoff newsletter to &lt;provider&gt;`" in text
    with db.transaction() as s:
        assert s.scalars(select(Payment)).first() is None


def the_loop(bot, later) -> date:
    """Three weeks handed off: 1h and 30m of overhead, $60 paid each week.

    The hand-off day's 2.5h was logged before it, so it is overhead too; the figures below
    start the hand-off tomorrow, with a fresh entry, to keep the arithmetic plain.
    """
    bot.command("rate $80/h")
    bot.command("newsletter 2h weekly 13 days ago")
    bot.command("newsletter 1.5h 6 days ago")
    bot.command("newsletter 2.5h")
    bot.command("quote newsletter $60/post from Jane")
    bot.command("quote newsletter $70/post from Ana")
    later(1)
    bot.command("handoff newsletter to Jane")  # day H = today + 1
    end = later(21)  # H + 20: 21 days = 3 weeks
    bot.command("newsletter 1h 10 days ago")
    bot.command("newsletter 30m")
    bot.command("paid newsletter $60 14 days ago")
    bot.command("paid newsletter $60 7 days ago")
    bot.command("paid newsletter $60")
    return end


def test_the_report_shows_what_the_hand_off_saved_against_the_projection(bot, later):
    end = the_loop(bot, later)
    text = bot.reply_text("report")
    # 3 weeks: avoided 3 × $160 = $480; paid 3 × $60 = $180; overhead 1.5h × $80 = $120.
    # Realized 480 − 300 = $180; projected 3 × $84 = $252; overhead 1.5h / 3 = 0.5h/week.
    assert "*Handed off* — saved *$180* so far in all (projected $252)." in text
    assert "*newsletter* → Jane since" in text
    assert "(3 weeks) · paid $180 · your overhead 30m/week · no reviews yet" in text
    assert "Saved *$180* so far in 3 weeks (projected $252)" in text
    assert "Not paying off" not in text
    # Last 28 days (H−7 … H+20): 1.5h + 2.5h + 1h + 30m = 330 min; the 28 before: 2h = 120 min.
    # (330 − 120) / 60 / 4 = 0.875h = 52.5 min a week more, shown to the minute as 52m.
    assert "Your time on it: ▲ 52m/week vs the previous 28 days" in text
    assert end == today() + timedelta(days=21)


def test_the_not_paying_off_advice_names_the_next_provider_with_their_quote(bot, later):
    the_loop(bot, later)
    text = bot.reply_text("paid newsletter $300")
    # Paid 180 + 300 = $480: 480 − (480 + 120) = −$120, under half of $252 ($126).
    assert "Saved *-$120* so far in 3 weeks (projected $252)" in text
    assert "*Not paying off:* after 3 weeks it has saved -$120, under half the $252 projected." in (
        text
    )
    # Ana: $70 a post × 1 post a week = $70/week.
    assert "Try Ana next ($70 per post, $70/week): `/logtask handoff newsletter to Ana`" in text


def test_a_low_score_is_under_the_bar_at_once(bot):
    handed_off(bot)
    bot.command("review Jane 2 late")
    text = bot.reply_text("report")
    assert "score 2/5 (1 review)" in text
    assert "*Not paying off:* Jane's reviews average 2/5." in text
    assert "Try Ana next" in text


def test_with_no_other_quote_the_advice_asks_for_more(bot):
    bot.command("rate $80/h")
    bot.command("newsletter 2h weekly")
    bot.command("quote newsletter $60/post from Jane")
    bot.command("handoff newsletter to Jane")
    bot.command("review Jane 1")
    text = bot.reply_text("report")
    assert "There is no other quote on the shortlist: ask for more" in text
    assert "`/logtask quote newsletter &lt;price&gt; from &lt;provider&gt;`" in text


def test_the_digest_shows_this_weeks_savings_so_far_and_the_next_provider(bot, later):
    the_loop(bot, later)
    bot.command("paid newsletter $300")
    text = flatten(bot.command("digest preview"))
    # This week (H+14 … H+20, 7 days): avoided $160; paid $60 + $300 = $360; overhead 30m = $40:
    # 160 − 400 = −$240, projected $84. So far −$120, projected $252.
    assert (
        "*newsletter* → Jane: saved *-$240* this week (projected $84) · -$120 so far in 3 weeks "
        "(projected $252)" in text
    )
    assert "Hand-offs saved *-$240* this week (projected $84) and *-$120* so far" in text
    assert "*Under the bar*" in text
    assert "Try Ana next ($70 per post, $70/week)" in text


def test_takeback_ends_the_hand_off_and_keeps_its_history(bot, db, later):
    the_loop(bot, later)
    text = bot.reply_text("takeback newsletter")
    assert "Took back *newsletter* from Jane: from today it is in-house again." in text
    # Ended today (H+20): its days H … H+19 are 20 days = 20/7 ≈ 2.9 weeks. Avoided
    # 160 × 20/7 = $457.14…; paid $180; overhead 1h (today's 30m is in-house again) = $80:
    # 457.14 − 260 = $197.14; projected 84 × 20/7 = $240.
    assert "Over 2.9 weeks the hand-off saved *$197.14* (projected $240)" in text
    assert "1 entry from today counts as in-house work again." in text
    with db.transaction() as s:
        assert s.scalars(select(Engagement.ended_on)).one() is not None
    log = bot.reply_text("newsletter 30m")
    assert "your overhead" not in log
    again = bot.reply_text("takeback newsletter")
    assert "“newsletter” isn't handed off to anyone" in again


def test_switching_provider_ends_the_current_hand_off(bot, db):
    handed_off(bot)
    text = bot.reply_text("handoff newsletter to Ana")
    assert "It was handed off to Jane until today." in text
    # The baseline is the task as of the day before Jane's hand-off (today − 1): 2h and 1.5h
    # on 2 days, weekly → 1.75h/week, $140/week; Ana's $70 a post: 140 − 14 − 70 = $56/week.
    assert "Baseline kept: 1h 45m/week, $140/week in-house" in text
    assert "*$56/week* saved" in text
    with db.transaction() as s:
        rows = s.scalars(select(Engagement).order_by(Engagement.id)).all()
        assert [(e.provider.name, e.ended_on) for e in rows] == [("Jane", today()), ("Ana", None)]


def test_undo_covers_handoff_paid_and_takeback(bot, db):
    handed_off(bot)
    bot.command("newsletter 30m", user="U2")  # #4, overhead (and not in U1's undo)
    bot.command("paid newsletter $60")
    bot.command("takeback newsletter")
    assert "took back" in bot.reply_text("undo").lower()
    with db.transaction() as s:
        assert s.scalars(select(Engagement.ended_on)).one() is None
        assert s.scalars(select(Entry.overhead).where(Entry.number == 4)).one() is True
    assert "recorded" in bot.reply_text("undo").lower()
    with db.transaction() as s:
        assert s.scalars(select(Payment)).first() is None
    assert "handed off" in bot.reply_text("undo").lower()
    with db.transaction() as s:
        assert s.scalars(select(Engagement)).first() is None
        assert s.scalars(select(Entry.overhead).where(Entry.number == 4)).one() is False


def test_undoing_a_hand_off_with_payments_on_it_is_refused(bot, db):
    handed_off(bot)
    bot.command("paid newsletter $60", user="U2")
    text = bot.reply_text("undo")
    assert "payments or reviews were recorded on the hand-off of *newsletter* since" in text
    with db.transaction() as s:
        assert s.scalars(select(Engagement)).one().ended_on is None


def test_report_by_category_adds_up_its_tasks(bot):
    # newsletter #content: 2h/week, $160, saves $84 (Jane). blog #content: 1h weekly, $80,
    # quote $100 a post → 80 − 8 − 100 = −$28, keep. invoices #admin: 3h weekly, $240,
    # $50 a time → 240 − 24 − 50 = $166. tidy (no category): 30m weekly, $40, no quote.
    newsletter(bot)
    bot.command("category newsletter #content")
    bot.command("blog 1h weekly #content")
    bot.command("quote blog $100/post")
    bot.command("invoices 3h weekly #admin")
    bot.command("quote invoices $50 each")
    bot.command("tidy 30m weekly")
    text = bot.reply_text("report by category")
    lines = [ln for ln in text.splitlines() if ln.startswith("*#") or ln.startswith("*unc")]
    assert lines == [
        "*#admin* (1 task) · 3h/week · in-house $240/week · savings available *$166/week*",
        # 2h + 1h = 3h; $160 + $80 = $240; only the newsletter's $84 is available.
        "*#content* (2 tasks) · 3h/week · in-house $240/week · savings available *$84/week*",
        "*uncategorised* (1 task) · 30m/week · in-house $40/week · savings available *$0/week*",
    ]


def test_a_handed_off_task_is_no_longer_a_hand_off_candidate(bot):
    handed_off(bot)
    report = bot.reply_text("report")
    assert "Nothing is losing you money yet." in report
    assert "*Handed off* — what it saves is measured below." in report
    digest = flatten(bot.command("digest preview"))
    assert "*Losing money:* nothing this week" in digest
    # Handed off today: the week is its first, 1 week: 160 − 0 paid − no overhead = $160.
    assert "saved *$160* this week (projected $84) · $160 so far in 1 week" in digest


def test_a_one_off_job_is_measured_in_totals(bot):
    # 6h + 5h + 4h = 15h × $80 = $1,200 in-house; review $120; Studio's $900 for the job:
    # projected 1,200 − 120 − 900 = $180 on the job.
    bot.command("rate $80/h")
    bot.command("website redesign 6h once 3 days ago")
    bot.command("website redesign 5h 2 days ago")
    bot.command("website redesign 4h yesterday")
    bot.command("quote website redesign $900 total from Studio")
    text = bot.reply_text("handoff website redesign to Studio")
    assert (
        "Baseline kept: the job's 15h, $1,200 in-house; Studio's $900 in total projects "
        "*$180* saved on the job." in text
    )
    bot.command("website redesign 1h")
    paid = bot.reply_text("paid website redesign $900")
    # 1,200 − (900 + 1h × $80) = $220 realized on the job, against $180.
    assert "Saved *$220* so far in 1 week (projected $180 on the job)" in paid
    # The job's overhead in total (1h), not a week's.
    assert "paid $900 · your overhead 1h ·" in bot.reply_text("report")


def test_providers_show_what_their_hand_offs_saved(bot):
    handed_off(bot)
    bot.command("paid newsletter $60")
    text = bot.reply_text("providers")
    # Week 1: 160 − (60 + no overhead) = $100.
    assert "saved $100 so far" in text
    jane = bot.reply_text("provider Jane")
    assert "saved $100 so far" in jane


def test_hostile_task_and_provider_names_are_escaped(bot):
    bot.command("rate $80/h")
    bot.command('"<!channel> news" 2h weekly')
    bot.command('quote "<!channel> news" $60/post from "<@U999> & co"')
    text = flatten(bot.command('handoff "<!channel> news" to "<@U999> & co"'))
    assert "<!channel>" not in text
    assert "<@U999>" not in text
    assert "*@channel news*" in text  # Slack's markup read as the text it shows
    assert "@U999 &amp; co" in text
    paid = flatten(bot.command('paid "<!channel> news" $60'))
    assert "<!channel>" not in paid
    assert "<@U999>" not in paid


def test_a_near_miss_task_or_provider_asks_which_was_meant(bot, db):
    newsletter(bot)
    task = bot.reply_text("handoff newsleter to Jane")
    assert "No task called *newsleter*, so nothing was saved. Did you mean *newsletter*?" in task
    assert "`/logtask handoff newsletter to Jane`" in task
    provider = bot.reply_text("handoff newsletter to Jnae")
    assert "No provider called *Jnae*" in provider
    assert "`/logtask handoff newsletter to Jane`" in provider
    with db.transaction() as s:
        assert s.scalars(select(Engagement)).first() is None


def test_time_merged_into_a_handed_off_task_becomes_overhead(bot, db):
    handed_off(bot)
    bot.command("misc 1h")  # #4, in-house on its own task
    bot.command("merge misc into newsletter")
    with db.transaction() as s:
        assert s.scalars(select(Entry.overhead).where(Entry.number == 4)).one() is True


def test_the_home_and_the_export_show_the_same_hand_off_figures(bot, slack):
    handed_off(bot)
    bot.command("paid newsletter $60")
    bot.command("newsletter 30m")  # overhead: logged after the hand-off
    # Week 1: 160 − (60 + 0.5h × $80) = $60, projected $84.
    home = open_home(bot)
    assert "Saved *$60* so far in 1 week (projected $84)" in home
    bot.command("export")
    [row] = sent_files(slack)["Handoff hand-offs"]
    assert (row["task"], row["provider"], row["weeks"]) == ("newsletter", "Jane", "1.00")
    assert (row["baseline_in_house"], row["baseline_savings"]) == ("160.00", "84.00")
    assert (row["paid"], row["overhead_hours"]) == ("60.00", "0.50")
    assert (row["realized_savings"], row["projected_savings"]) == ("60.00", "84.00")
    assert row["paying_off"] == "yes"


def test_undoing_a_hand_off_reopens_the_trial_it_ended(bot, db):
    newsletter(bot)
    bot.command("trial newsletter with Ana")
    bot.command("handoff newsletter to Jane")
    bot.command("undo")
    with db.transaction() as s:
        (trial,) = s.scalars(select(Engagement)).all()
        assert (trial.kind, trial.provider.name, trial.ended_on) == ("trial", "Ana", None)


def test_undoing_a_switch_hands_the_task_back_to_the_first_provider(bot, db):
    handed_off(bot)
    bot.command("handoff newsletter to Ana")
    bot.command("undo")
    with db.transaction() as s:
        (jane,) = s.scalars(select(Engagement)).all()
        assert (jane.provider.name, jane.ended_on) == ("Jane", None)


def test_undoing_delete_task_keeps_its_overhead_entries_overhead(bot, db):
    handed_off(bot)
    bot.command("newsletter 30m")  # #4: logged after the hand-off, overhead
    bot.command("delete task newsletter")
    bot.command("undo")
    with db.transaction() as s:
        flags = s.scalars(select(Entry.overhead).order_by(Entry.number)).all()
    assert flags == [False, False, False, True]


def test_a_task_stays_handed_off_when_its_providers_quote_is_removed(bot):
    handed_off(bot)
    bot.command("quote newsletter none from Jane")  # Ana's $70 a post is left
    report = bot.reply_text("report")
    # Still handed off to Jane: no candidate, whatever Ana's quote would save.
    assert "Nothing is losing you money yet." in report
    assert "*Handed off* — what it saves is measured below." in report
    assert "savings available *$0/week*" in bot.reply_text("report by category")


def test_a_currency_switch_keeps_the_numbers_of_payments_and_baselines_too(bot):
    handed_off(bot)
    bot.command("paid newsletter $60")
    bot.command("currency JPY")
    # Every number read on in yen: 160 avoided − 60 paid = ¥100, projected ¥84.
    assert "Saved *¥100* so far in 1 week (projected ¥84)" in bot.reply_text("report")
    bot.command("undo")
    assert "Saved *$100* so far in 1 week (projected $84)" in bot.reply_text("report")


def test_a_one_off_job_is_handed_off_once(bot, db):
    bot.command("rate $80/h")
    bot.command("website redesign 6h once yesterday")
    bot.command("quote website redesign $300 total from Studio")
    bot.command("quote website redesign $250 total from Ana")
    bot.command("handoff website redesign to Studio")
    text = bot.reply_text("handoff website redesign to Ana")
    assert "a job is handed off once" in text
    with db.transaction() as s:
        (only,) = s.scalars(select(Engagement)).all()
        assert (only.provider.name, only.ended_on) == ("Studio", None)


def test_the_digest_counts_a_hand_off_taken_back_during_the_week(bot, later):
    handed_off(bot)
    later(3)
    bot.command("takeback newsletter")
    digest = flatten(bot.command("digest preview"))
    # Handed off on day 0, taken back on day 3: days 0–2 count, 3 days, at least 1 week.
    # This week (days −3…3) holds all of it: 160 × 1 − 0 paid − no overhead = $160.
    assert "• newsletter → Jane (taken back " in digest
    assert "saved *$160* this week (projected $84) · $160 so far in 1 week" in digest


def test_a_bill_paid_after_the_takeback_counts_against_the_hand_off(bot, later):
    handed_off(bot)
    later(7)
    bot.command("takeback newsletter")
    text = bot.reply_text("paid newsletter $60")
    # Days 0–6 handed off: 7 days, 1 week; 160 × 1 − 60 paid − no overhead = $100.
    assert "Saved *$100* so far in 1 week (projected $84)" in text


def test_asking_about_a_handed_off_task_says_what_it_saved_not_to_hand_it_off(bot):
    handed_off(bot)
    bot.command("paid newsletter $60")
    text = bot.reply_text("should newsletter")
    # Week 1: 160 − 60 paid − no overhead = $100, projected $84.
    assert text.startswith("newsletter: Handed off to Jane since today"), text
    assert "Saved *$100* so far in 1 week (projected $84)." in text
    assert "Yes — hand it off" not in text
    assert "`/logtask takeback newsletter` brings it back in-house" in text
