"""How a task's verdict reads: one line for lists, a full answer with the arithmetic.

A recurring task reads per week (and per year); a one-off job reads in totals, for the
whole job, and never gets a weekly or yearly figure.
"""

from __future__ import annotations

import re
from fractions import Fraction

from bot.economics import Frequency, QuoteUnit, Share, Verdict
from bot.parse.logtask import example, log_command, typed
from bot.services.analysis import QUOTED, ShortlistLine, TaskQuote, TaskReport
from bot.views.common import code, hours, money, name, user

USER_ID = re.compile(r"[UW][A-Z0-9]{1,20}")


def _per(quote: TaskQuote | None) -> str:
    if quote is None or quote.unit is QuoteUnit.OCCURRENCE:
        return quote.per if quote else "time"
    return quote.unit.value


def frequency_text(f: Frequency) -> str:
    """The stored word and how it reads: "3x/week (3 times a week)", "once (a one-off job)"."""
    if f.is_once:
        return "once (a one-off job)"
    return f.code if f.code == f.phrase else f"{f.code} ({f.phrase})"


def quote_text(q: TaskQuote, currency: str) -> str:
    if q.unit is QuoteUnit.TOTAL:
        return f"{money(q.amount_minor, currency)} in total"
    per = {QuoteUnit.HOUR: "/hour", QuoteUnit.WEEK: "/week", QuoteUnit.MONTH: "/month"}.get(
        q.unit, f" per {user(q.per)}"
    )
    return f"{money(q.amount_minor, currency)}{per}"


def _job_break_even(r: TaskReport, currency: str) -> str:
    a, q = r.assessment, r.quote
    if q is not None and a.quote_fits and q.unit is QuoteUnit.HOUR:
        return f"{money(a.break_even_hour, currency)} an hour"
    if q is not None and a.quote_fits:
        return f"{money(a.break_even_total, currency)} for the whole job"
    return (
        f"{money(a.break_even_total, currency)} for the whole job "
        f"(or {money(a.break_even_hour, currency)} an hour)"
    )


def break_even(r: TaskReport, currency: str) -> str:
    """The most a provider can charge before handing off stops paying, in the quote's terms."""
    a, q = r.assessment, r.quote
    if a.one_off:
        return _job_break_even(r, currency)
    if q is not None and q.unit is QuoteUnit.OCCURRENCE:
        return f"{money(a.break_even_occurrence, currency)} per {user(q.per)}"
    if q is not None and q.unit is QuoteUnit.HOUR:
        return f"{money(a.break_even_hour, currency)} an hour"
    if q is not None and q.unit is QuoteUnit.WEEK:
        return f"{money(a.break_even_week, currency)} a week"
    if q is not None and q.unit is QuoteUnit.MONTH:
        return f"{money(a.break_even_month, currency)} a month"
    return (
        f"{money(a.break_even_occurrence, currency)} each time "
        f"(or {money(a.break_even_hour, currency)} an hour)"
    )


def _misfit(r: TaskReport) -> str:
    """Why the task's quote can't be weighed against it."""
    if r.assessment.one_off:
        return "a price per week or month says nothing about what a one-off job costs in total"
    return "a price for the whole job says nothing about a task that recurs"


def savings_text(r: TaskReport, currency: str) -> str:
    """The headline figure, as every surface shows it: "$84/week ($4,368/year)", "$1,800 on the job"."""
    a = r.assessment
    if a.one_off:
        return f"{money(a.savings_total, currency)} on the job"
    return f"{money(a.savings_week, currency)}/week ({money(a.savings_year, currency)}/year)"


def _extra_cost(r: TaskReport, currency: str) -> str:
    a = r.assessment
    if a.one_off:
        return f"{money(-(a.savings_total or 0), currency)} more on the job"
    return f"{money(-(a.savings_week or 0), currency)}/week more"


def _no_data(r: TaskReport) -> str:
    if r.assessment.one_off:
        return (
            f"no time is logged on this one-off job and it has no estimate. Estimate it: "
            f"{code(typed('estimate', r.name, '40h'))}"
        )
    return f"no time logged in the last {r.assessment.window_days} days."


def short(r: TaskReport, currency: str) -> str:
    """One line, for the /logtask reply and the report."""
    a = r.assessment
    match a.verdict:
        case Verdict.HAND_OFF:
            return (
                f"*Hand it off* — saves {savings_text(r, currency)}; "
                f"break-even {break_even(r, currency)}."
            )
        case Verdict.KEEP:
            return (
                f"*Keep it* — outsourcing costs {_extra_cost(r, currency)} "
                f"than doing it yourself; break-even {break_even(r, currency)}."
            )
        case Verdict.NEEDS_QUOTE if not a.quote_fits:
            return (
                f"*Get a quote that fits* — {_misfit(r)}; handing it off pays under "
                f"{break_even(r, currency)}."
            )
        case Verdict.NEEDS_QUOTE:
            return f"*Get a quote* — handing it off pays under {break_even(r, currency)}."
        case Verdict.NO_RATE:
            return f"*No verdict yet* — set your hourly worth: {code(example('rate'))}"
        case Verdict.CORE:
            return "*Core expertise* — keep it."
        case Verdict.NO_DATA:
            return f"*No verdict yet* — {_no_data(r)}"


def first_line(r: TaskReport, currency: str) -> str:
    """The verdict in plain words, as a business partner would say it."""
    a = r.assessment
    match a.verdict:
        case Verdict.HAND_OFF if a.one_off:
            return (
                f"Yes — hand it off: it saves you {money(a.savings_total, currency)} on the job, "
                "your review time counted."
            )
        case Verdict.HAND_OFF:
            return (
                f"Yes — hand it off: it saves you {money(a.savings_week, currency)} a week "
                f"({money(a.savings_year, currency)} a year), your review time counted."
            )
        case Verdict.KEEP if a.one_off:
            return (
                "No — keep doing it yourself: handing it off would cost you "
                f"{money(-(a.savings_total or 0), currency)} more on the job, your review time "
                "counted."
            )
        case Verdict.KEEP:
            return (
                "No — keep doing it yourself: handing it off would cost you "
                f"{money(-(a.savings_week or 0), currency)} a week more, your review time counted."
            )
        case Verdict.CORE:
            return "No — this is your core expertise; keep it."
        case Verdict.NEEDS_QUOTE if not a.quote_fits:
            return (
                f"Maybe — but its quote doesn't fit: {_misfit(r)}. Handing it off pays if it "
                f"costs under {break_even(r, currency)}."
            )
        case Verdict.NEEDS_QUOTE:
            return f"Maybe — get a quote. Handing it off pays if it costs under {break_even(r, currency)}."
        case Verdict.NO_DATA if a.one_off:
            return (
                f"I can't tell yet — no time is logged on {name(r.name)} and it has no estimate. "
                f"Estimate the whole job: {code(typed('estimate', r.name, '40h'))}"
            )
        case Verdict.NO_DATA:
            return (
                f"I can't tell yet — no time is logged on {name(r.name)} in the last "
                f"{a.window_days} days. Log it: {code(log_command(r.name, '1h', 'weekly'))}"
            )
        case Verdict.NO_RATE:
            return (
                f"I can't tell yet — nobody who logged {name(r.name)} has set an hourly worth. "
                f"Set yours: {code(example('rate'))}"
            )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def derivation(r: TaskReport) -> str:
    a = r.assessment
    logged = hours(Fraction(a.minutes, 60))
    if a.one_off:
        days = _count(a.occurrences, "day")
        if a.from_estimate:
            so_far = f"{logged} logged so far on {days}" if a.minutes else "nothing logged yet"
            return f"your estimate for the whole job ({so_far})"
        return f"all the time logged on it, on {days}"
    if a.entries == 0:
        return f"nothing logged in the last {a.window_days} days"
    times = f"{_count(a.occurrences, 'time')} in the last {a.window_days} days"
    if a.entries != a.occurrences:
        times += f": {a.entries} entries on {_count(a.occurrences, 'day')}"
    if a.from_frequency and r.frequency is not None:
        per_time = hours(a.hours_per_week / a.occurrences_per_week)
        return f"{per_time} a time ({times}) × {frequency_text(r.frequency)}"
    note = " — set how often it happens for a sharper figure" if r.frequency is None else ""
    return (
        f"{logged} logged on {_count(a.occurrences, 'day')} over the last {a.span_days} days{note}"
    )


def next_step(r: TaskReport, currency: str) -> str:
    a = r.assessment
    match a.verdict:
        case Verdict.HAND_OFF if a.one_off:
            who = f" to {user(r.quote.provider)}" if r.quote and r.quote.provider else ""
            return f"Brief it{who} and spend the {hours(a.hours_freed_total)} on your expertise."
        case Verdict.HAND_OFF:
            who = f" to {user(r.quote.provider)}" if r.quote and r.quote.provider else ""
            return f"Brief it{who} this week and spend the {hours(a.hours_freed_week)}/week on your expertise."
        case Verdict.KEEP if a.one_off:
            return "Keep it, or look for a cheaper quote: " + code(
                typed("quote", r.name, "<price>", "total")
            )
        case Verdict.KEEP:
            return "Keep it, or look for a cheaper quote: " + code(
                typed("quote", r.name, f"<price>/{_per(r.quote)}")
            )
        case Verdict.NEEDS_QUOTE if a.one_off:
            return "Ask for a price for the whole job, then: " + code(
                typed("quote", r.name, "<price>", "total", "from <name>")
            )
        case Verdict.NEEDS_QUOTE:
            return "Ask a freelancer for a price, then: " + code(
                typed("quote", r.name, "<price>/task from <name>")
            )
        case Verdict.NO_DATA if a.one_off:
            return "Estimate the job, or log the time as you go."
        case Verdict.NO_DATA:
            return "Log the time it takes next time you do it."
        case Verdict.NO_RATE:
            return f"Set your hourly worth: {code(example('rate'))}"
        case Verdict.CORE:
            return "Protect the time for it; hand off what keeps you from it."


def member(who: str | None) -> str:
    """A member as Slack shows them: a mention of their user id, which Slack renders safely."""
    if who is not None and USER_ID.fullmatch(who):
        return f"<@{who}>"
    return user(who) if who else "someone"


def _share_line(s: Share, currency: str, one_off: bool) -> str:
    pct = f"{round(float(s.share * 100))}%"
    rate = f"{money(s.rate_minor, currency)}/hour" if s.rate_minor else "no hourly worth set"
    span = "of the job" if one_off else "a week"
    return (
        f"    ◦ {member(s.who)}: {pct} of the time · {rate} · {hours(s.hours)} {span}, "
        f"{hours(s.hours_back)} back once handed off"
    )


def whose_time(r: TaskReport, currency: str) -> list[str]:
    """Each member's share when several logged the task; nothing when one did."""
    a = r.assessment
    if len(a.shares) < 2:
        return []
    return ["• Whose time:", *(_share_line(s, currency, a.one_off) for s in a.shares)]


def _worth_line(r: TaskReport, currency: str) -> str:
    a = r.assessment
    line = f"• Hourly worth: {money(a.hourly_worth, currency)}/hour"
    if len(a.shares) > 1:
        line += " — blended: each person's hourly worth, weighted by their minutes"
    elif not a.shares and a.from_estimate:
        line += " — of whoever gave the estimate"
    return line


def _quote_line(r: TaskReport, cost: str, currency: str) -> str:
    q = r.quote
    assert q is not None
    source = f" from {name(q.provider)}" if q.provider else ""
    when = f", quoted {q.given_at:%-d %b %Y}" if q.given_at else ""
    fits = "" if r.assessment.quote_fits else f" — doesn't fit: {_misfit(r)}"
    return f"• Outsourcing: {cost}({quote_text(q, currency)}{source}{when}){fits}"


def _job_numbers(r: TaskReport, currency: str, overhead_bp: int) -> list[str]:
    a = r.assessment
    lines = [f"• The whole job: *{hours(a.job_hours or 0)}* — {derivation(r)}"]
    if a.hourly_worth is not None:
        lines.append(_worth_line(r, currency))
    lines += whose_time(r, currency)
    if a.in_house_total is not None:
        lines.append(f"• In-house cost: {money(a.in_house_total, currency)} for the job")
    if r.quote is not None:
        cost = (
            f"{money(a.outsourcing_total, currency)} for the job "
            if a.outsourcing_total is not None
            else ""
        )
        lines.append(_quote_line(r, cost, currency))
    if a.overhead_total is not None:
        lines.append(
            f"• Your review overhead ({overhead_bp / 100:g}%): {money(a.overhead_total, currency)}"
        )
    if a.savings_total is not None:
        lines.append(f"• Savings: *{money(a.savings_total, currency)} on the job*")
        if a.verdict is Verdict.HAND_OFF:
            lines.append(f"• Hours freed: {hours(a.hours_freed_total)}")
    if a.break_even_total is not None:
        lines.append(f"• Break-even price: {break_even(r, currency)}")
    return lines


def numbers(r: TaskReport, currency: str, overhead_bp: int) -> list[str]:
    """The arithmetic behind the verdict, one fact a line."""
    a = r.assessment
    if a.one_off:
        return _job_numbers(r, currency, overhead_bp)
    lines = [f"• Hours per week: *{hours(a.hours_per_week)}* — {derivation(r)}"]
    if a.hourly_worth is not None:
        lines.append(_worth_line(r, currency))
    lines += whose_time(r, currency)
    if a.in_house_week is not None:
        lines.append(f"• In-house cost: {money(a.in_house_week, currency)}/week")
    if r.quote is not None:
        cost = (
            f"{money(a.outsourcing_week, currency)}/week " if a.outsourcing_week is not None else ""
        )
        lines.append(_quote_line(r, cost, currency))
    if a.overhead_week is not None:
        lines.append(
            f"• Your review overhead ({overhead_bp / 100:g}%): {money(a.overhead_week, currency)}/week"
        )
    if a.savings_week is not None:
        lines.append(
            f"• Savings: *{money(a.savings_week, currency)}/week* "
            f"({money(a.savings_year, currency)}/year)"
        )
        if a.verdict is Verdict.HAND_OFF:
            lines.append(f"• Hours freed: {hours(a.hours_freed_week)}/week")
    if a.break_even_occurrence is not None:
        lines.append(f"• Break-even price: {break_even(r, currency)}")
    return lines


def score_text(average: Fraction | None, reviews: int) -> str:
    """A provider's average score: "4.5/5 (2 reviews)", or "not reviewed yet"."""
    if average is None or not reviews:
        return "not reviewed yet"
    shown = f"{float(average):.1f}".removesuffix(".0")
    return f"{shown}/5 ({reviews} review{'s' if reviews != 1 else ''})"


def shortlist_line(
    line: ShortlistLine, one_off: bool, currency: str, who: str | None = None
) -> str:
    """One quote on a shortlist: its price, cost and savings (a week, or on the job), the
    provider's score and status, and whether the verdict uses it. ``who`` leads the line in
    place of the provider's name (mrkdwn, escaped already): the task, in a provider's list."""
    q = line.quote
    if who is None:
        who = name(q.provider) if q.provider else "_unnamed_"
    span = " on the job" if one_off else "/week"
    if not line.fits:
        figures = "doesn't fit this task's frequency"
    else:
        figures = f"costs {money(line.cost, currency)}{span if not one_off else ' for the job'}"
        if line.savings is not None:
            figures += f", saves {money(line.savings, currency)}{span}"
    parts = [f"• {who}: {quote_text(q, currency)} — {figures}"]
    if q.provider_id is not None:
        parts.append(score_text(line.score, line.reviews))
        if line.status != QUOTED:
            parts.append(f"*{line.status}*")
    text = " · ".join(parts)
    return text + (" ← the verdict's" if line.chosen else "")


def shortlist(r: TaskReport, currency: str) -> list[str]:
    """The task's shortlist, the verdict's quote first, then in the order given."""
    lines = sorted(r.shortlist, key=lambda line: not line.chosen)
    return [shortlist_line(line, r.assessment.one_off, currency) for line in lines]
