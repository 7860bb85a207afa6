"""The money math: is a task worth handing off?

Pure functions over plain values: no Slack, no database. Every figure is an exact
``Fraction`` until it is rounded once, to integer minor units, for display.
docs/economics.md explains the same rules to users.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

WINDOW_DAYS = 28
MIN_SPAN_DAYS = 7
WEEKS_PER_YEAR = 52
DEFAULT_OVERHEAD = Fraction(1, 10)


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ONCE = "once"

    @property
    def per_week(self) -> Fraction:
        return _PER_WEEK[self]

    @property
    def noun(self) -> str:
        """How the frequency reads after "a": "a week", "a month"."""
        return _NOUN[self]


_PER_WEEK = {
    Frequency.DAILY: Fraction(7),
    Frequency.WEEKDAYS: Fraction(5),
    Frequency.WEEKLY: Fraction(1),
    Frequency.BIWEEKLY: Fraction(1, 2),
    Frequency.MONTHLY: Fraction(12, 52),
    Frequency.QUARTERLY: Fraction(4, 52),
    Frequency.ONCE: Fraction(0),
}
_NOUN = {
    Frequency.DAILY: "every day",
    Frequency.WEEKDAYS: "every weekday",
    Frequency.WEEKLY: "every week",
    Frequency.BIWEEKLY: "every two weeks",
    Frequency.MONTHLY: "every month",
    Frequency.QUARTERLY: "every quarter",
    Frequency.ONCE: "once",
}


class QuoteUnit(StrEnum):
    OCCURRENCE = "occurrence"
    HOUR = "hour"
    WEEK = "week"
    MONTH = "month"


class Verdict(StrEnum):
    CORE = "core"
    NO_DATA = "no data"
    NO_RATE = "no rate"
    NEEDS_QUOTE = "needs a quote"
    HAND_OFF = "hand off"
    KEEP = "keep"


@dataclass(frozen=True)
class Quote:
    amount_minor: int
    unit: QuoteUnit


@dataclass(frozen=True)
class MemberTime:
    """Minutes one member logged on the task inside the window, and their hourly worth."""

    minutes: int
    rate_minor: int | None


@dataclass(frozen=True)
class TaskFacts:
    """Everything the math needs to know about one task, already aggregated."""

    today: date
    members: Sequence[MemberTime]
    entries: int
    distinct_days: int
    first_entry_day: date | None
    frequency: Frequency | None = None
    quote: Quote | None = None
    is_core: bool = False
    overhead: Fraction = DEFAULT_OVERHEAD


@dataclass(frozen=True)
class Assessment:
    verdict: Verdict
    minutes: int
    entries: int
    recurring: bool
    from_frequency: bool
    span_days: int
    hours_per_week: Fraction
    occurrences_per_week: Fraction
    hourly_worth: Fraction | None
    in_house_week: Fraction | None
    overhead_week: Fraction | None
    outsourcing_week: Fraction | None
    savings_week: Fraction | None
    break_even_occurrence: Fraction | None
    break_even_hour: Fraction | None
    break_even_week: Fraction | None = None
    overhead_share: Fraction = DEFAULT_OVERHEAD
    window_days: int = WINDOW_DAYS  # the days of entries the figures come from

    @property
    def break_even_month(self) -> Fraction | None:
        """The most a monthly price can be: a week's break-even over a month of weeks."""
        if self.break_even_week is None:
            return None
        return self.break_even_week * WEEKS_PER_YEAR / 12

    @property
    def savings_year(self) -> Fraction | None:
        return None if self.savings_week is None else per_year(self.savings_week)

    @property
    def hours_freed_week(self) -> Fraction:
        """Owner hours a week freed by handing off: the time minus what review still takes."""
        return self.hours_per_week * (1 - self.overhead_share)


def per_year(per_week: Fraction) -> Fraction:
    return per_week * WEEKS_PER_YEAR


def weighted_hourly_worth(members: Sequence[MemberTime]) -> Fraction | None:
    """Hourly worth of the people who did the work, weighted by their minutes."""
    rated = [m for m in members if m.rate_minor is not None and m.minutes > 0]
    total = sum(m.minutes for m in rated)
    if not total:
        return None
    return Fraction(sum(m.minutes * (m.rate_minor or 0) for m in rated), total)


def outsourcing_cost_week(
    quote: Quote, hours_per_week: Fraction, occurrences_per_week: Fraction
) -> Fraction:
    match quote.unit:
        case QuoteUnit.HOUR:
            return quote.amount_minor * hours_per_week
        case QuoteUnit.OCCURRENCE:
            return quote.amount_minor * occurrences_per_week
        case QuoteUnit.WEEK:
            return Fraction(quote.amount_minor)
        case QuoteUnit.MONTH:
            return Fraction(quote.amount_minor * 12, WEEKS_PER_YEAR)


def assess(facts: TaskFacts) -> Assessment:
    minutes = sum(m.minutes for m in facts.members)
    n = facts.entries
    per_week = facts.frequency.per_week if facts.frequency is not None else None
    from_frequency = per_week is not None and per_week > 0

    span = WINDOW_DAYS
    if n == 0:
        hours, occurrences = Fraction(0), Fraction(0)
    elif from_frequency:
        assert per_week is not None
        hours = Fraction(minutes, 60 * n) * per_week
        occurrences = per_week
    else:
        # Facts read outside one snapshot can lose the first day while entries were counted;
        # then the whole window is the span, the lower and so the cautious estimate.
        first = facts.first_entry_day or facts.today - timedelta(days=WINDOW_DAYS - 1)
        days = (facts.today - first).days + 1
        span = min(max(days, MIN_SPAN_DAYS), WINDOW_DAYS)
        weeks = Fraction(span, 7)
        hours = Fraction(minutes, 60) / weeks
        occurrences = n / weeks

    recurring = from_frequency or (facts.frequency is None and facts.distinct_days >= 2)
    worth = weighted_hourly_worth(facts.members)
    o = facts.overhead

    in_house = overhead = outsourcing = savings = None
    be_occurrence = be_hour = be_week = None
    if worth is not None and n:
        in_house = hours * worth
        overhead = o * in_house
        be_occurrence = Fraction(minutes, 60 * n) * worth * (1 - o)
        be_hour = worth * (1 - o)
        be_week = in_house * (1 - o)  # savings are zero when outsourcing costs this a week
        if facts.quote is not None:
            outsourcing = outsourcing_cost_week(facts.quote, hours, occurrences)
            savings = in_house - overhead - outsourcing

    if facts.is_core:
        verdict = Verdict.CORE
    elif n == 0:
        verdict = Verdict.NO_DATA
    elif worth is None:
        verdict = Verdict.NO_RATE
    elif savings is None:
        verdict = Verdict.NEEDS_QUOTE
    elif savings > 0:
        verdict = Verdict.HAND_OFF
    else:
        verdict = Verdict.KEEP

    return Assessment(
        verdict=verdict,
        minutes=minutes,
        entries=n,
        recurring=recurring,
        from_frequency=from_frequency,
        span_days=span,
        hours_per_week=hours,
        occurrences_per_week=occurrences,
        hourly_worth=worth,
        in_house_week=in_house,
        overhead_week=overhead,
        outsourcing_week=outsourcing,
        savings_week=savings,
        break_even_occurrence=be_occurrence,
        break_even_hour=be_hour,
        break_even_week=be_week,
        overhead_share=o,
    )


def to_minor(amount: Fraction) -> int:
    """Round an exact amount to whole minor units, halves away from zero."""
    sign = -1 if amount < 0 else 1
    whole, rest = divmod(abs(amount), 1)
    return sign * int(whole + (1 if rest >= Fraction(1, 2) else 0))


# Order in which reports list verdicts: what to act on first.
VERDICT_ORDER = {
    Verdict.HAND_OFF: 0,
    Verdict.NEEDS_QUOTE: 1,
    Verdict.KEEP: 2,
    Verdict.NO_RATE: 3,
    Verdict.NO_DATA: 4,
    Verdict.CORE: 5,
}


def report_order(a: Assessment) -> tuple[int, Fraction]:
    """Sort key: hand-off candidates first, biggest savings first."""
    return (VERDICT_ORDER[a.verdict], -(a.savings_week or Fraction(0)))
