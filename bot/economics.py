"""The money math: is a task worth handing off?

Pure functions over plain values: no Slack, no database. Every figure is an exact
``Fraction`` until it is rounded once, to integer minor units, for display.
docs/economics.md explains the same rules to users.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from typing import ClassVar, TypeVar

WINDOW_DAYS = 28
MIN_SPAN_DAYS = 7
WEEKS_PER_YEAR = 52
DEFAULT_OVERHEAD = Fraction(1, 10)


class Period(StrEnum):
    """What a frequency counts in. ``ONCE`` is a one-off job: it does not recur."""

    DAY = "day"
    WEEKDAY = "weekday"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    ONCE = "once"


_PERIOD_PER_WEEK = {
    Period.DAY: Fraction(7),
    Period.WEEKDAY: Fraction(5),
    Period.WEEK: Fraction(1),
    Period.MONTH: Fraction(12, WEEKS_PER_YEAR),
    Period.QUARTER: Fraction(4, WEEKS_PER_YEAR),
    Period.YEAR: Fraction(1, WEEKS_PER_YEAR),
    Period.ONCE: Fraction(0),
}
# An occurrence is one task on one day, so nothing recurs more than daily; and work rarer
# than once a year is better priced as a one-off job than spread over a year of weeks.
MAX_PER_WEEK = Fraction(7)
MIN_PER_WEEK = Fraction(1, WEEKS_PER_YEAR)
MAX_CODE = 16  # task.frequency's column


_NAMED = {
    (1, 1, Period.DAY): "daily",
    (1, 1, Period.WEEKDAY): "weekdays",
    (1, 1, Period.WEEK): "weekly",
    (1, 2, Period.WEEK): "biweekly",
    (1, 1, Period.MONTH): "monthly",
    (1, 1, Period.QUARTER): "quarterly",
    (1, 1, Period.YEAR): "yearly",
    (1, 1, Period.ONCE): "once",
}


class FrequencyError(ValueError):
    """A frequency that makes no sense (0 times, more than daily…), said for the user."""


@dataclass(frozen=True)
class Frequency:
    """How often a task happens: ``times`` occurrences every ``every`` periods.

    ``per_week`` is exact; ``code`` is what task.frequency stores (the long-standing words
    daily, weekdays, weekly, biweekly, monthly, quarterly and once keep their meaning);
    ``phrase`` is how it reads in a sentence ("3 times a week", "every 2 weeks").
    """

    times: int = 1
    every: int = 1
    period: Period = Period.WEEK

    DAILY: ClassVar[Frequency]
    WEEKDAYS: ClassVar[Frequency]
    WEEKLY: ClassVar[Frequency]
    BIWEEKLY: ClassVar[Frequency]
    MONTHLY: ClassVar[Frequency]
    QUARTERLY: ClassVar[Frequency]
    YEARLY: ClassVar[Frequency]
    ONCE: ClassVar[Frequency]

    def __post_init__(self) -> None:
        if self.times < 1:
            raise FrequencyError("a task that happens 0 times doesn't need logging — at least once")
        if self.every < 1:
            raise FrequencyError(f"nothing happens every 0 {self.period.value}s — every 1 or more")
        if self.period in (Period.ONCE, Period.WEEKDAY) and (self.times, self.every) != (1, 1):
            raise FrequencyError(
                f"“{self.period.value}” takes no count — say every weekday, or a count a week "
                "like 3x/week"
                if self.period is Period.WEEKDAY
                else "once takes no count: it is one job"
            )
        if self.period is Period.ONCE:
            return
        if self.per_week > MAX_PER_WEEK:
            raise FrequencyError(
                "that is more than once a day — an occurrence is one task on one day, so log a "
                "day's time on it as one entry (or several that add up) and call it daily"
            )
        if self.per_week < MIN_PER_WEEK:
            raise FrequencyError(
                "that is less than once a year — price work that rare as a one-off job (`once`)"
            )
        if len(self.code) > MAX_CODE:
            raise FrequencyError("that frequency is too long to keep — write it more simply")

    @cached_property
    def per_week(self) -> Fraction:
        # Cached: every assessment of a task with a frequency reads it.
        return self.times * _PERIOD_PER_WEEK[self.period] / self.every

    @property
    def is_once(self) -> bool:
        return self.period is Period.ONCE

    @property
    def code(self) -> str:
        """The short canonical form stored in task.frequency: "weekly", "3x/week", "every 3 weeks"."""
        if named := _NAMED.get((self.times, self.every, self.period)):
            return named
        unit = self.period.value
        if self.every == 1:
            return f"{self.times}x/{unit}"
        if self.times == 1:
            return f"every {self.every} {unit}s"
        return f"{self.times}x/{self.every} {unit}s"

    @property
    def value(self) -> str:
        """The stored code, under the name the enum this replaced used."""
        return self.code

    @property
    def phrase(self) -> str:
        """How the frequency reads in a sentence: "every week", "twice a month", "every 2 weeks"."""
        unit = self.period.value
        if self.is_once:
            return "once"
        span = f"a {unit}" if self.every == 1 else f"every {self.every} {unit}s"
        if self.times == 1:
            return f"every {unit}" if self.every == 1 else span
        count = "twice" if self.times == 2 else f"{self.times} times"
        return f"{count} {span}"

    @property
    def noun(self) -> str:
        return self.phrase

    def canonical(self) -> Frequency:
        """The shared instance for a named frequency ("every 2 weeks" is BIWEEKLY), else self."""
        return _BY_NAME.get(self.code, self)

    @classmethod
    def from_code(cls, code: str) -> Frequency:
        """The frequency task.frequency holds; ValueError for anything ``code`` never wrote."""
        if code in _BY_NAME:
            return _BY_NAME[code]
        m = _CODE.fullmatch(code)
        if not m:
            raise ValueError(f"not a stored frequency: {code!r}")
        if m.group("every_n"):
            return cls(1, int(m.group("every_n")), Period(m.group("every_unit")))
        return cls(
            int(m.group("times")),
            int(m.group("every") or 1),
            Period(m.group("units") or m.group("unit")),
        )


_CODE = re.compile(
    r"(?P<times>\d+)x/(?:(?P<every>\d+) (?P<units>[a-z]+)s|(?P<unit>[a-z]+))"
    r"|every (?P<every_n>\d+) (?P<every_unit>[a-z]+)s"
)

_BY_NAME = {name: Frequency(*key) for key, name in _NAMED.items()}
Frequency.DAILY = _BY_NAME["daily"]
Frequency.WEEKDAYS = _BY_NAME["weekdays"]
Frequency.WEEKLY = _BY_NAME["weekly"]
Frequency.BIWEEKLY = _BY_NAME["biweekly"]
Frequency.MONTHLY = _BY_NAME["monthly"]
Frequency.QUARTERLY = _BY_NAME["quarterly"]
Frequency.YEARLY = _BY_NAME["yearly"]
Frequency.ONCE = _BY_NAME["once"]


class QuoteUnit(StrEnum):
    OCCURRENCE = "occurrence"
    HOUR = "hour"
    WEEK = "week"
    MONTH = "month"
    TOTAL = "total"  # a lump sum for the whole job: one-off tasks only


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


def quote_fits(unit: QuoteUnit, one_off: bool) -> bool:
    """Whether a price in ``unit`` can be compared with the task at all.

    A lump sum prices one whole job, so it says nothing about a task that recurs; a price per
    week or month says nothing about a job that happens once.
    """
    if one_off:
        return unit not in (QuoteUnit.WEEK, QuoteUnit.MONTH)
    return unit is not QuoteUnit.TOTAL


@dataclass(frozen=True)
class MemberTime:
    """Minutes one member logged on the task, and their hourly worth.

    The minutes are those inside the window for a recurring task, all of them for a one-off
    job. ``who`` is the member's Slack user id, for saying whose time it was.
    """

    minutes: int
    rate_minor: int | None
    who: str | None = None


@dataclass(frozen=True)
class TaskFacts:
    """Everything the math needs to know about one task, already aggregated.

    ``entries`` counts entries; ``distinct_days`` counts occurrences, since entries for a task
    on the same day (by anyone) are one occurrence whose minutes add up. For a one-off task
    (frequency once) members, entries and days cover all time, not the window.
    ``estimate_minutes`` is a one-off job's estimated size; ``estimate_rate_minor`` the hourly
    worth of whoever estimated it, used when nobody who logged time on it has one.
    """

    today: date
    members: Sequence[MemberTime]
    entries: int
    distinct_days: int
    first_entry_day: date | None
    frequency: Frequency | None = None
    quote: Quote | None = None
    is_core: bool = False
    overhead: Fraction = DEFAULT_OVERHEAD
    estimate_minutes: int | None = None
    estimate_rate_minor: int | None = None


@dataclass(frozen=True)
class Share:
    """One member's part of the task's time, and the hours handing it off gives them back.

    ``hours`` are per week for a recurring task, for the whole job for a one-off.
    """

    who: str | None
    minutes: int
    rate_minor: int | None
    share: Fraction
    hours: Fraction
    hours_back: Fraction


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
    overhead_share: Fraction = DEFAULT_OVERHEAD
    window_days: int = WINDOW_DAYS  # the days of entries the figures come from
    occurrences: int = 0  # distinct days with time logged
    quote_fits: bool = True  # False: the quote's unit says nothing about this task
    # Who logged the time; ``shares`` splits the hours by it when a view asks. Computing the
    # shares of every task costs a third of an assessment, and most views show few of them.
    members: tuple[MemberTime, ...] = ()
    # A one-off job is weighed whole: no weekly figures, totals instead.
    one_off: bool = False
    job_hours: Fraction | None = None
    from_estimate: bool = False
    in_house_total: Fraction | None = None
    overhead_total: Fraction | None = None
    outsourcing_total: Fraction | None = None
    savings_total: Fraction | None = None

    # The break-evens follow from the figures above. Computed when a view shows them: most
    # assessments (a report's thousands of rows) never are, and they were a fifth of the math.

    @cached_property
    def break_even_occurrence(self) -> Fraction | None:
        """The most a price per occurrence can be (recurring work with an in-house cost)."""
        if self.one_off or self.in_house_week is None or self.hourly_worth is None:
            return None
        return Fraction(self.minutes, 60 * self.occurrences) * self.hourly_worth * self._kept

    @cached_property
    def break_even_hour(self) -> Fraction | None:
        """The most an hourly price can be, where there is an in-house cost."""
        in_house = self.in_house_total if self.one_off else self.in_house_week
        if in_house is None or self.hourly_worth is None:
            return None
        return self.hourly_worth * self._kept

    @cached_property
    def break_even_week(self) -> Fraction | None:
        """Savings are zero when outsourcing costs this a week (recurring work)."""
        if self.one_off or self.in_house_week is None:
            return None
        return self.in_house_week * self._kept

    @cached_property
    def break_even_total(self) -> Fraction | None:
        """Savings are zero when the one-off job costs this."""
        if not self.one_off or self.in_house_total is None:
            return None
        return self.in_house_total * self._kept

    @property
    def _kept(self) -> Fraction:
        """The share of the in-house cost that handing off saves: all but the overhead."""
        return 1 - self.overhead_share

    @cached_property
    def shares(self) -> tuple[Share, ...]:
        """Each member's part of the hours (a week; a one-off job: the job's), most time first."""
        hours = (self.job_hours or Fraction(0)) if self.one_off else self.hours_per_week
        return shares(self.members, hours, self.overhead_share)

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
    def savings(self) -> Fraction | None:
        """The headline figure: savings a week, or on the whole job for a one-off."""
        return self.savings_total if self.one_off else self.savings_week

    @property
    def hours_freed_week(self) -> Fraction:
        """Owner hours a week freed by handing off: the time minus what review still takes."""
        return self.hours_per_week * (1 - self.overhead_share)

    @property
    def hours_freed_total(self) -> Fraction:
        """A one-off job's hours freed by handing it off, review time counted."""
        return (self.job_hours or Fraction(0)) * (1 - self.overhead_share)


def per_year(per_week: Fraction) -> Fraction:
    return per_week * WEEKS_PER_YEAR


def weighted_hourly_worth(members: Sequence[MemberTime]) -> Fraction | None:
    """Hourly worth of the people who did the work, weighted by their minutes."""
    rated = [m for m in members if m.rate_minor is not None and m.minutes > 0]
    total = sum(m.minutes for m in rated)
    if not total:
        return None
    return Fraction(sum(m.minutes * (m.rate_minor or 0) for m in rated), total)


def shares(members: Sequence[MemberTime], hours: Fraction, overhead: Fraction) -> tuple[Share, ...]:
    """Each member's part of ``hours`` by their minutes, most time first."""
    total = sum(m.minutes for m in members if m.minutes > 0)
    if not total:
        return ()
    out = []
    for m in sorted(members, key=lambda m: -m.minutes):
        if m.minutes <= 0:
            continue
        part = Fraction(m.minutes, total)
        out.append(
            Share(m.who, m.minutes, m.rate_minor, part, part * hours, part * hours * (1 - overhead))
        )
    return tuple(out)


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
        case QuoteUnit.TOTAL:
            raise ValueError("a lump sum has no weekly cost")


def outsourcing_cost_job(quote: Quote, job_hours: Fraction) -> Fraction:
    """What handing off a one-off job costs: a lump sum, or one price per job, or hours × rate."""
    match quote.unit:
        case QuoteUnit.TOTAL | QuoteUnit.OCCURRENCE:
            # A one-off job happens once: a price per time is the price of the job.
            return Fraction(quote.amount_minor)
        case QuoteUnit.HOUR:
            return quote.amount_minor * job_hours
        case QuoteUnit.WEEK | QuoteUnit.MONTH:
            raise ValueError("a weekly or monthly price has no total for a one-off job")


def _verdict(
    facts: TaskFacts, has_data: bool, worth: Fraction | None, savings: Fraction | None
) -> Verdict:
    if facts.is_core:
        return Verdict.CORE
    if not has_data:
        return Verdict.NO_DATA
    if worth is None:
        return Verdict.NO_RATE
    if savings is None:
        return Verdict.NEEDS_QUOTE
    return Verdict.HAND_OFF if savings > 0 else Verdict.KEEP


def assess(facts: TaskFacts) -> Assessment:
    if facts.frequency is not None and facts.frequency.is_once:
        return _assess_one_off(facts)
    minutes = sum(m.minutes for m in facts.members)
    n = facts.entries
    # Occurrences are days; reads outside one snapshot may see entries but no day yet.
    occurrences = max(facts.distinct_days, 1) if n else 0
    per_week = facts.frequency.per_week if facts.frequency is not None else None
    from_frequency = per_week is not None and per_week > 0

    span = WINDOW_DAYS
    if n == 0:
        hours, per_week_occurrences = Fraction(0), Fraction(0)
    elif from_frequency:
        assert per_week is not None
        hours = Fraction(minutes, 60 * occurrences) * per_week
        per_week_occurrences = per_week
    else:
        # Facts read outside one snapshot can lose the first day while entries were counted;
        # then the whole window is the span, the lower and so the cautious estimate.
        first = facts.first_entry_day or facts.today - timedelta(days=WINDOW_DAYS - 1)
        days = (facts.today - first).days + 1
        span = min(max(days, MIN_SPAN_DAYS), WINDOW_DAYS)
        weeks = Fraction(span, 7)
        hours = Fraction(minutes, 60) / weeks
        per_week_occurrences = occurrences / weeks

    recurring = from_frequency or (facts.frequency is None and facts.distinct_days >= 2)
    worth = weighted_hourly_worth(facts.members)
    o = facts.overhead
    fits = facts.quote is None or quote_fits(facts.quote.unit, one_off=False)

    in_house = overhead = outsourcing = savings = None
    if worth is not None and n:
        in_house = hours * worth
        overhead = o * in_house
        if facts.quote is not None and fits:
            outsourcing = outsourcing_cost_week(facts.quote, hours, per_week_occurrences)
            savings = in_house - overhead - outsourcing

    return Assessment(
        verdict=_verdict(facts, n > 0, worth, savings),
        minutes=minutes,
        entries=n,
        recurring=recurring,
        from_frequency=from_frequency,
        span_days=span,
        hours_per_week=hours,
        occurrences_per_week=per_week_occurrences,
        hourly_worth=worth,
        in_house_week=in_house,
        overhead_week=overhead,
        outsourcing_week=outsourcing,
        savings_week=savings,
        overhead_share=o,
        occurrences=occurrences,
        quote_fits=fits,
        members=tuple(facts.members),
    )


def _assess_one_off(facts: TaskFacts) -> Assessment:
    """A job done once, weighed whole: its hours × hourly worth against the quote, in totals."""
    minutes = sum(m.minutes for m in facts.members)
    from_estimate = facts.estimate_minutes is not None
    job_minutes = facts.estimate_minutes if facts.estimate_minutes is not None else minutes
    job_hours = Fraction(job_minutes, 60)
    worth = weighted_hourly_worth(facts.members)
    if worth is None and facts.estimate_rate_minor is not None and from_estimate:
        worth = Fraction(facts.estimate_rate_minor)
    o = facts.overhead
    fits = facts.quote is None or quote_fits(facts.quote.unit, one_off=True)

    in_house = overhead = outsourcing = savings = None
    if worth is not None and job_minutes:
        in_house = job_hours * worth
        overhead = o * in_house
        if facts.quote is not None and fits:
            outsourcing = outsourcing_cost_job(facts.quote, job_hours)
            savings = in_house - overhead - outsourcing

    return Assessment(
        verdict=_verdict(facts, job_minutes > 0, worth, savings),
        minutes=minutes,
        entries=facts.entries,
        recurring=False,
        from_frequency=False,
        span_days=WINDOW_DAYS,
        hours_per_week=Fraction(0),
        occurrences_per_week=Fraction(0),
        hourly_worth=worth,
        in_house_week=None,
        overhead_week=None,
        outsourcing_week=None,
        savings_week=None,
        overhead_share=o,
        occurrences=facts.distinct_days,
        quote_fits=fits,
        members=tuple(facts.members),
        one_off=True,
        job_hours=job_hours,
        from_estimate=from_estimate,
        in_house_total=in_house,
        overhead_total=overhead,
        outsourcing_total=outsourcing,
        savings_total=savings,
    )


@dataclass(frozen=True)
class QuoteCost:
    """One quote on a task's shortlist, weighed against the task.

    ``cost`` is what handing the task off at that price costs a week (a one-off job: the
    whole job); ``savings`` what that saves, once the in-house cost is known. A quote whose
    unit says nothing about the task (``fits`` False) has neither.
    """

    fits: bool
    cost: Fraction | None
    savings: Fraction | None


def quote_cost(quote: Quote, a: Assessment) -> QuoteCost:
    """Weigh ``quote`` against the task ``a`` assessed (with any quote, or none)."""
    if not quote_fits(quote.unit, a.one_off):
        return QuoteCost(False, None, None)
    if a.one_off:
        cost = outsourcing_cost_job(quote, a.job_hours or Fraction(0))
        in_house, overhead = a.in_house_total, a.overhead_total
    else:
        cost = outsourcing_cost_week(quote, a.hours_per_week, a.occurrences_per_week)
        in_house, overhead = a.in_house_week, a.overhead_week
    if in_house is None or overhead is None:
        return QuoteCost(True, cost, None)
    return QuoteCost(True, cost, in_house - overhead - cost)


def pick_quote(quotes: Sequence[Quote], a: Assessment, handed_off: int | None = None) -> int | None:
    """Which of a task's ``quotes`` (earliest given first) its verdict uses: an index, or None.

    The quote of the provider the task is handed off to (``handed_off``, an index) if any;
    else the best quote: the lowest outsourcing cost a week (a one-off job: for the job) among
    the quotes whose unit fits the task, the earliest given on a tie. When none fits, the
    earliest, so the verdict can say why it does not fit.
    """
    return best_quote([quote_cost(q, a) for q in quotes], handed_off)


def best_quote(costs: Sequence[QuoteCost], handed_off: int | None = None) -> int | None:
    """``pick_quote`` from the quotes already weighed (``quote_cost``), in the same order."""
    if handed_off is not None:
        return handed_off
    if not costs:
        return None
    best: tuple[Fraction, int] | None = None
    for i, weighed in enumerate(costs):
        cost = weighed.cost
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, i)
    return best[1] if best is not None else 0


def with_quote(
    base: Assessment, facts: TaskFacts, quote: Quote, weighed: QuoteCost | None = None
) -> Assessment:
    """``assess(facts)`` with ``quote``, from ``base`` (``facts`` assessed with no quote).

    Only the quote's figures and the verdict differ, so a shortlist is weighed with one
    assessment of the task rather than one per quote; the result equals
    ``assess(replace(facts, quote=quote))``. ``weighed``: ``quote_cost(quote, base)``, if known.
    """
    weighed = weighed or quote_cost(quote, base)
    verdict = _verdict(
        facts,
        (base.job_hours or 0) > 0 if base.one_off else base.entries > 0,
        base.hourly_worth,
        weighed.savings,
    )
    if base.one_off:
        cost = weighed.cost if weighed.fits and base.in_house_total is not None else None
        return _amended(
            base,
            verdict=verdict,
            quote_fits=weighed.fits,
            outsourcing_total=cost,
            savings_total=weighed.savings,
        )
    cost = weighed.cost if weighed.fits and base.in_house_week is not None else None
    return _amended(
        base,
        verdict=verdict,
        quote_fits=weighed.fits,
        outsourcing_week=cost,
        savings_week=weighed.savings,
    )


_ASSESSMENT_FIELDS = frozenset(f.name for f in fields(Assessment))


def _amended(base: Assessment, **changes: object) -> Assessment:
    """``dataclasses.replace(base, **changes)``, without the generic machinery that made it
    most of ``with_quote``'s time. Assessment has no __post_init__ to rerun; only its fields
    are copied, so nothing cached on ``base`` (shares, break-evens) is carried over."""
    new = object.__new__(Assessment)
    state = {k: v for k, v in base.__dict__.items() if k in _ASSESSMENT_FIELDS}
    state.update(changes)
    new.__dict__.update(state)
    return new


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
    return (VERDICT_ORDER[a.verdict], -(a.savings or Fraction(0)))


# ---- hand-offs: what handing a task off has actually saved (#11) ----------------------------

UNDER_BAR_WEEKS = 3  # the savings rule waits this long: early weeks carry the set-up
UNDER_BAR_SHARE = Fraction(1, 2)  # realized below this share of the projection: under the bar
UNDER_BAR_SCORE = 2  # an average review score at or below this: under the bar


@dataclass(frozen=True)
class Baseline:
    """A hand-off's figures, frozen when it starts, that realized savings are measured against.

    Recurring work: ``hours``, ``in_house`` (minor units) and ``occurrences`` a week,
    ``savings`` projected a week. One-off work (``one_off``): the job's hours, in-house cost and projected savings in
    total. ``worth`` is the hourly worth they were valued at, which also values overhead.
    """

    one_off: bool
    hours: Fraction
    in_house: Fraction
    savings: Fraction
    worth: Fraction
    occurrences: Fraction = Fraction(0)  # a week (one-off: 0): prices other quotes alike


def freeze_baseline(a: Assessment, quote: Quote) -> Baseline:
    """The baseline of handing off the task ``a`` assesses to the provider quoting ``quote``.

    The projection is the assessment's own arithmetic (C − O − Q) with ``quote`` as Q, whichever
    quote the assessment itself used. ValueError when there is nothing to measure against: no
    in-house cost (no time logged, or no hourly worth) or a quote whose unit can't price the task.
    """
    if not (a.job_hours if a.one_off else a.minutes):
        raise ValueError("no time logged: no in-house cost")
    if a.hourly_worth is None:
        raise ValueError("no hourly worth")
    if not quote_fits(quote.unit, a.one_off):
        raise ValueError("the quote's unit can't price this task")
    o = a.overhead_share
    if a.one_off:
        assert a.in_house_total is not None
        assert a.job_hours is not None
        in_house, hours = a.in_house_total, a.job_hours
        outsourcing = outsourcing_cost_job(quote, hours)
    else:
        assert a.in_house_week is not None
        in_house, hours = a.in_house_week, a.hours_per_week
        outsourcing = outsourcing_cost_week(quote, hours, a.occurrences_per_week)
    return Baseline(
        a.one_off,
        hours,
        in_house,
        in_house - o * in_house - outsourcing,
        a.hourly_worth,
        Fraction(0) if a.one_off else a.occurrences_per_week,
    )


def weeks_handed_off(started_on: date, today: date, ended_on: date | None = None) -> Fraction:
    """Weeks a hand-off has run: its days over 7, exactly, and at least one week.

    Its days run from ``started_on`` through today while it is active (the hand-off day and
    today both count), or up to the day before ``ended_on`` once taken back.
    """
    end = ended_on if ended_on is not None else today + timedelta(days=1)
    return max(Fraction((end - started_on).days, 7), Fraction(1))


@dataclass(frozen=True)
class Realized:
    """What a hand-off saved over ``weeks`` (one-off work: on the job), against its projection.

    avoided = the baseline in-house cost × weeks (one-off: the job's in-house cost);
    overhead_cost = the owner's overhead hours × the baseline hourly worth;
    realized = avoided − (paid + overhead_cost); projected = baseline savings × weeks
    (one-off: the job's projected savings).
    """

    one_off: bool
    weeks: Fraction
    avoided: Fraction
    paid: Fraction
    overhead_hours: Fraction
    overhead_cost: Fraction
    realized: Fraction
    projected: Fraction

    @property
    def overhead_hours_week(self) -> Fraction:
        return self.overhead_hours / self.weeks if self.weeks else Fraction(0)


def realized_savings(
    baseline: Baseline, weeks: Fraction, paid_minor: int, overhead_minutes: int
) -> Realized:
    """Realized savings over ``weeks`` of a hand-off (from ``weeks_handed_off``, or a part of it).

    A one-off job's in-house cost is avoided once, whatever the weeks.
    """
    overhead_hours = Fraction(overhead_minutes, 60)
    overhead_cost = overhead_hours * baseline.worth
    avoided = baseline.in_house if baseline.one_off else baseline.in_house * weeks
    projected = baseline.savings if baseline.one_off else baseline.savings * weeks
    paid = Fraction(paid_minor)
    return Realized(
        one_off=baseline.one_off,
        weeks=weeks,
        avoided=avoided,
        paid=paid,
        overhead_hours=overhead_hours,
        overhead_cost=overhead_cost,
        realized=avoided - (paid + overhead_cost),
        projected=projected,
    )


def weeks_between(
    started_on: date, since: date, today: date, ended_on: date | None = None
) -> Fraction:
    """How much a hand-off's weeks (``weeks_handed_off``) grew over ``since``…today.

    Its weeks as of today (up to its takeback, ``ended_on``, if it ended after ``since``) less
    its weeks as of the day before ``since`` (none before it began), so the figures of
    consecutive periods add up to the figures so far; the first period carries the
    at-least-one-week.
    """
    before = since - timedelta(days=1)
    earlier = weeks_handed_off(started_on, before) if before >= started_on else Fraction(0)
    return weeks_handed_off(started_on, today, ended_on) - earlier


def realized_between(
    baseline: Baseline,
    started_on: date,
    since: date,
    today: date,
    paid_minor: int,
    overhead_minutes: int,
    ended_on: date | None = None,
) -> Realized:
    """What a hand-off saved over ``since``…today: the change in its so-far figures.

    ``paid_minor`` and ``overhead_minutes`` are those dated in the period; ``ended_on``, its
    takeback, if it was taken back in the period. A one-off job's in-house cost (and
    projection) counts in the period the hand-off began, and only there.
    """
    weeks = weeks_between(started_on, since, today, ended_on)
    r = realized_savings(baseline, weeks, paid_minor, overhead_minutes)
    if baseline.one_off and started_on < since:
        avoided = Fraction(0)
        return replace(
            r, avoided=avoided, realized=avoided - (r.paid + r.overhead_cost), projected=avoided
        )
    return r


class Shortfall(StrEnum):
    """Why a hand-off is not paying off."""

    SAVINGS = "savings"  # after 3 weeks or more, realized below half the projection
    SCORE = "score"  # the provider's average score is 2 or less


def shortfalls(r: Realized, average_score: Fraction | None) -> tuple[Shortfall, ...]:
    """Why the hand-off measured by ``r`` is under the bar; () when it is paying off.

    Savings: ``weeks`` ≥ 3 and realized < projected / 2 (taken literally, also when the
    projection is zero or less). Score: the provider's average review score ≤ 2.
    """
    out = []
    if r.weeks >= UNDER_BAR_WEEKS and r.realized < r.projected * UNDER_BAR_SHARE:
        out.append(Shortfall.SAVINGS)
    if average_score is not None and average_score <= UNDER_BAR_SCORE:
        out.append(Shortfall.SCORE)
    return tuple(out)


def hours_week_change(minutes_now: int, minutes_before: int) -> Fraction:
    """Hours a week logged in the last 28 days minus those in the 28 days before them.

    Each window is 4 weeks: (now − before) / 60 / 4.
    """
    return Fraction(minutes_now - minutes_before, 60) / Fraction(WINDOW_DAYS, 7)


@dataclass(frozen=True)
class CategoryTotals:
    """One category's recurring work a week: the sums of its tasks' figures.

    ``savings`` is what handing off its *hand off* tasks would save (the savings available);
    ``category`` None is the uncategorised tasks.
    """

    category: str | None
    tasks: int
    hours_week: Fraction
    in_house_week: Fraction
    savings_week: Fraction


def by_category(
    tasks: Sequence[tuple[str | None, Assessment, bool]],
) -> list[CategoryTotals]:
    """Recurring tasks (category, assessment, handed off now) rolled up per category, most
    savings available first.

    A task handed off already is no candidate: its hours and cost count, its savings do not.
    One-off jobs have no weekly figures and are left out. Ties: more in-house cost first,
    then by name, the uncategorised last.
    """
    groups: dict[str | None, list[tuple[Assessment, bool]]] = {}
    for category, a, handed_off in tasks:
        if not a.one_off:
            groups.setdefault(category, []).append((a, handed_off))
    out = [
        CategoryTotals(
            category=category,
            tasks=len(members),
            hours_week=sum((a.hours_per_week for a, _ in members), Fraction(0)),
            in_house_week=sum((a.in_house_week or Fraction(0) for a, _ in members), Fraction(0)),
            savings_week=sum(
                (
                    a.savings_week or Fraction(0)
                    for a, handed_off in members
                    if a.verdict is Verdict.HAND_OFF and not handed_off
                ),
                Fraction(0),
            ),
        )
        for category, members in groups.items()
    ]
    out.sort(
        key=lambda t: (-t.savings_week, -t.in_house_week, t.category is None, t.category or "")
    )
    return out


K = TypeVar("K")


def cost_at_baseline(quote: Quote, baseline: Baseline) -> Fraction | None:
    """What ``quote`` costs for the hand-off's frozen work: a week (one-off: the job).

    None when its unit can't price the task. Quotes compared at the same baseline hours and
    occurrences compare like with like, however much time is logged in-house since.
    """
    if not quote_fits(quote.unit, baseline.one_off):
        return None
    if baseline.one_off:
        return outsourcing_cost_job(quote, baseline.hours)
    return outsourcing_cost_week(quote, baseline.hours, baseline.occurrences)


def next_to_try(current: K, quotes: Sequence[tuple[K, Quote]], baseline: Baseline) -> K | None:
    """The provider to try after ``current``: the cheapest other quote at the baseline.

    ``quotes`` are (provider, quote) in the order they were given; a tie goes to the earliest.
    None when no other provider's quote can price the task: ask for more quotes.
    """
    best: tuple[Fraction, K] | None = None
    for provider, quote in quotes:
        if provider == current or (cost := cost_at_baseline(quote, baseline)) is None:
            continue
        if best is None or cost < best[0]:
            best = (cost, provider)
    return None if best is None else best[1]
