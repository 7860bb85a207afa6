"""One figure everywhere: the verdict, the report, the digest and a DM answer agree."""

from __future__ import annotations

from tests.listeners.test_messages import answer_text
from tests.support.slack_sim import flatten


def test_the_savings_figure_is_the_same_on_every_surface(bot):
    # Client invoices, twice a week. A week ago U1 (at $90/h) and U2 (at $50/h) spent 1h
    # each on it: one occurrence of 2h. Today U2 spent 2h: a second occurrence of 2h.
    # 240 min over 2 occurrences = 2h a time × 2 a week = 4h a week.
    # Blended worth: (60 × $90 + 180 × $50) / 240 = $60/h → in-house 4 × $60 = $240/week.
    # Review 10% = $24; $40 a run × 2 = $80/week; savings 240 − 24 − 80 = $136/week,
    # × 52 = $7,072/year.
    bot.command("rate $90/h", user="U1")
    bot.command("rate $50/h", user="U2")
    bot.command("client invoices 1h 2x/week 1 week ago", user="U1")
    bot.command("client invoices 1h 2x/week 1 week ago", user="U2")
    bot.command("client invoices 2h", user="U2")
    verdict = bot.reply_text("quote client invoices $40 each", user="U1")
    should = bot.reply_text("should client invoices", user="U1")
    report = bot.reply_text("report", user="U1")
    digest = flatten(bot.command("digest preview", user="U1"))
    dm = answer_text(bot, "should I outsource client invoices?", user="U2")

    assert "*Hand it off* — saves $136/week ($7,072/year)" in verdict
    assert "Yes — hand it off: it saves you $136 a week ($7,072 a year)" in should
    assert "savings $136/week · $7,072/year" in report
    assert "saves *$136/week* ($7,072/year)" in digest
    assert "Yes — hand it off: it saves you $136 a week ($7,072 a year)" in dm
