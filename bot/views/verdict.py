"""How a task's verdict reads: one line for lists, a full answer with the arithmetic."""

from __future__ import annotations

from bot.economics import QuoteUnit, Verdict
from bot.parse.logtask import example, log_command, typed
from bot.services.analysis import TaskQuote, TaskReport
from bot.views.common import code, hours, money, name, user


def _per(quote: TaskQuote | None) -> str:
    if quote is None or quote.unit is QuoteUnit.OCCURRENCE:
        return quote.per if quote else "time"
    return quote.unit.value


def quote_text(q: TaskQuote, currency: str) -> str:
    per = {QuoteUnit.HOUR: "/hour", QuoteUnit.WEEK: "/week", QuoteUnit.MONTH: "/month"}.get(
        q.unit, f" per {user(q.per)}"
    )
    return f"{money(q.amount_minor, currency)}{per}"


def break_even(r: TaskReport, currency: str) -> str:
    """The most a provider can charge before handing off stops paying, in the quote's terms."""
    a, q = r.assessment, r.quote
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


def short(r: TaskReport, currency: str) -> str:
    """One line, for the /logtask reply and the report."""
    a = r.assessment
    match a.verdict:
        case Verdict.HAND_OFF:
            return (
                f"*Hand it off* — saves {money(a.savings_week, currency)}/week "
                f"({money(a.savings_year, currency)}/year); break-even {break_even(r, currency)}."
            )
        case Verdict.KEEP:
            return (
                f"*Keep it* — outsourcing costs {money(-(a.savings_week or 0), currency)}/week more "
                f"than doing it yourself; break-even {break_even(r, currency)}."
            )
        case Verdict.NEEDS_QUOTE:
            return f"*Get a quote* — handing it off pays under {break_even(r, currency)}."
        case Verdict.NO_RATE:
            return f"*No verdict yet* — set your hourly worth: {code(example('rate'))}"
        case Verdict.CORE:
            return "*Core expertise* — keep it."
        case Verdict.NO_DATA:
            return f"*No verdict yet* — no time logged in the last {a.window_days} days."


def first_line(r: TaskReport, currency: str) -> str:
    """The verdict in plain words, as a business partner would say it."""
    a = r.assessment
    match a.verdict:
        case Verdict.HAND_OFF:
            return (
                f"Yes — hand it off: it saves you {money(a.savings_week, currency)} a week "
                f"({money(a.savings_year, currency)} a year), your review time counted."
            )
        case Verdict.KEEP:
            return (
                "No — keep doing it yourself: handing it off would cost you "
                f"{money(-(a.savings_week or 0), currency)} a week more, your review time counted."
            )
        case Verdict.CORE:
            return "No — this is your core expertise; keep it."
        case Verdict.NEEDS_QUOTE:
            return f"Maybe — get a quote. Handing it off pays if it costs under {break_even(r, currency)}."
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


def derivation(r: TaskReport) -> str:
    a = r.assessment
    if a.entries == 0:
        return f"nothing logged in the last {a.window_days} days"
    entries = f"{a.entries} entr{'y' if a.entries == 1 else 'ies'}"
    if a.from_frequency and r.frequency is not None:
        per_time = hours(a.hours_per_week / a.occurrences_per_week)
        return (
            f"{per_time} a time ({entries} in the last {a.window_days} days) × "
            f"{r.frequency.value} ({r.frequency.noun})"
        )
    note = " — set how often it happens for a sharper figure" if r.frequency is None else ""
    return f"{hours(a.minutes / 60)} logged in {entries} over the last {a.span_days} days{note}"


def next_step(r: TaskReport, currency: str) -> str:
    a = r.assessment
    match a.verdict:
        case Verdict.HAND_OFF:
            who = f" to {user(r.quote.provider)}" if r.quote and r.quote.provider else ""
            return f"Brief it{who} this week and spend the {hours(a.hours_freed_week)}/week on your expertise."
        case Verdict.KEEP:
            return "Keep it, or look for a cheaper quote: " + code(
                typed("quote", r.name, f"<price>/{_per(r.quote)}")
            )
        case Verdict.NEEDS_QUOTE:
            return "Ask a freelancer for a price, then: " + code(
                typed("quote", r.name, "<price>/task from <name>")
            )
        case Verdict.NO_DATA:
            return "Log the time it takes next time you do it."
        case Verdict.NO_RATE:
            return f"Set your hourly worth: {code(example('rate'))}"
        case Verdict.CORE:
            return "Protect the time for it; hand off what keeps you from it."


def numbers(r: TaskReport, currency: str, overhead_bp: int) -> list[str]:
    """The arithmetic behind the verdict, one fact a line."""
    a = r.assessment
    lines = [f"• Hours per week: *{hours(a.hours_per_week)}* — {derivation(r)}"]
    if a.hourly_worth is not None:
        lines.append(f"• Hourly worth: {money(a.hourly_worth, currency)}/hour")
    if a.in_house_week is not None:
        lines.append(f"• In-house cost: {money(a.in_house_week, currency)}/week")
    if r.quote is not None:
        source = f" from {name(r.quote.provider)}" if r.quote.provider else ""
        when = f", quoted {r.quote.given_at:%-d %b %Y}" if r.quote.given_at else ""
        cost = (
            f"{money(a.outsourcing_week, currency)}/week ("
            if a.outsourcing_week is not None
            else "("
        )
        lines.append(f"• Outsourcing: {cost}{quote_text(r.quote, currency)}{source}{when})")
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
