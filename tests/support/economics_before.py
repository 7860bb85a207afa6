"""The money math as it was before issue #13 made it cheaper: the reference the new code is
proven against (tests/test_economics_equivalence.py). A frozen copy, never used by the bot.

Copied from bot/economics.py at 28af805 (assess, the one-off assessment, shares and
with_quote); an assessment is a plain record of every figure, computed eagerly.
"""

# ruff: noqa
# mypy: ignore-errors

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from fractions import Fraction

from bot.economics import (
    DEFAULT_OVERHEAD,
    MIN_SPAN_DAYS,
    WINDOW_DAYS,
    MemberTime,
    Quote,
    QuoteCost,
    Share,
    TaskFacts,
    Verdict,
    outsourcing_cost_job,
    outsourcing_cost_week,
    quote_cost,
    quote_fits,
)

DEFAULTS = dict(
    break_even_week=None,
    overhead_share=DEFAULT_OVERHEAD,
    window_days=WINDOW_DAYS,
    occurrences=0,
    quote_fits=True,
    shares=(),
    one_off=False,
    job_hours=None,
    from_estimate=False,
    in_house_total=None,
    overhead_total=None,
    outsourcing_total=None,
    savings_total=None,
    break_even_total=None,
)


class _Result:
    """Every figure of an assessment by name, with the old Assessment's defaults."""

    def __init__(self, **figures):
        self.figures = {**DEFAULTS, **figures}

    def __getattr__(self, name):
        try:
            return self.__dict__["figures"][name]
        except KeyError:
            raise AttributeError(name) from None


def _replace(base: _Result, **changes) -> _Result:
    return _Result(**{**base.figures, **changes})


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


def assess(facts: TaskFacts) -> _Result:
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
    be_occurrence = be_hour = be_week = None
    if worth is not None and n:
        in_house = hours * worth
        overhead = o * in_house
        be_occurrence = Fraction(minutes, 60 * occurrences) * worth * (1 - o)
        be_hour = worth * (1 - o)
        be_week = in_house * (1 - o)  # savings are zero when outsourcing costs this a week
        if facts.quote is not None and fits:
            outsourcing = outsourcing_cost_week(facts.quote, hours, per_week_occurrences)
            savings = in_house - overhead - outsourcing

    return _Result(
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
        break_even_occurrence=be_occurrence,
        break_even_hour=be_hour,
        break_even_week=be_week,
        overhead_share=o,
        occurrences=occurrences,
        quote_fits=fits,
        shares=shares(facts.members, hours, o),
    )


def _assess_one_off(facts: TaskFacts) -> _Result:
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

    in_house = overhead = outsourcing = savings = be_total = be_hour = None
    if worth is not None and job_minutes:
        in_house = job_hours * worth
        overhead = o * in_house
        be_total = in_house * (1 - o)  # savings are zero when the job costs this
        be_hour = worth * (1 - o)
        if facts.quote is not None and fits:
            outsourcing = outsourcing_cost_job(facts.quote, job_hours)
            savings = in_house - overhead - outsourcing

    return _Result(
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
        break_even_occurrence=None,
        break_even_hour=be_hour,
        overhead_share=o,
        occurrences=facts.distinct_days,
        quote_fits=fits,
        shares=shares(facts.members, job_hours, o),
        one_off=True,
        job_hours=job_hours,
        from_estimate=from_estimate,
        in_house_total=in_house,
        overhead_total=overhead,
        outsourcing_total=outsourcing,
        savings_total=savings,
        break_even_total=be_total,
    )


def with_quote(
    base: _Result, facts: TaskFacts, quote: Quote, weighed: QuoteCost | None = None
) -> _Result:
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
        return _replace(
            base,
            verdict=verdict,
            quote_fits=weighed.fits,
            outsourcing_total=cost,
            savings_total=weighed.savings,
        )
    cost = weighed.cost if weighed.fits and base.in_house_week is not None else None
    return _replace(
        base,
        verdict=verdict,
        quote_fits=weighed.fits,
        outsourcing_week=cost,
        savings_week=weighed.savings,
    )
