"""The digest's chart: what it shows, and that reusing one figure changes nothing drawn."""

from __future__ import annotations

import io
import threading
from datetime import date
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from bot.economics import Frequency, MemberTime, Quote, QuoteUnit, TaskFacts, assess
from bot.money import format_money
from bot.services.analysis import TaskQuote, TaskReport
from bot.services.digest import Digest
from bot.views import digest_chart
from bot.views.digest_chart import MAX_BARS, ChartData, chart_data, cost_chart, render

TODAY = date(2026, 11, 23)


def report(i: int, name: str, minutes: int, rate: int, quote: int | None) -> TaskReport:
    facts = TaskFacts(
        TODAY,
        [MemberTime(minutes, rate)],
        2,
        2,
        TODAY,
        Frequency.WEEKLY,
        Quote(quote, QuoteUnit.OCCURRENCE) if quote else None,
    )
    q = TaskQuote(quote, QuoteUnit.OCCURRENCE, "task", None, None) if quote else None
    return TaskReport(i, name, None, Frequency.WEEKLY, False, q, assess(facts))


def digest(reports: list[TaskReport], currency: str = "USD") -> Digest:
    half = len(reports) // 2
    return Digest(
        TODAY,
        TODAY,
        currency,
        0,
        [],
        hand_off=reports[:half],
        keep=reports[half:],
        saved_so_far=Fraction(1),
    )


def chart(n: int, seed: int = 0, currency: str = "USD") -> ChartData:
    data = chart_data(
        digest(
            [
                report(i, f"task {i} " + "x" * ((i * 7 + seed) % 40), 30 + 17 * i + seed, 8000, 900)
                for i in range(n)
            ],
            currency,
        )
    )
    assert data is not None
    return data


def test_the_costliest_tasks_in_house_are_the_bars_from_the_top():
    reports = [report(i, f"task {i}", 30 * (i + 1), 6000, 1500) for i in range(15)]
    reports.append(report(99, "no quote", 600, 6000, None))  # nothing to compare it with
    reports.append(report(98, "y" * 40, 45, 6000, 2000))
    d = digest(reports)
    data = chart_data(d)
    assert data is not None
    ranked = sorted(
        (r for r in reports if r.assessment.outsourcing_week is not None),
        key=lambda r: -(r.assessment.in_house_week or 0),
    )[:MAX_BARS]
    assert len(data.names) == MAX_BARS
    # matplotlib counts rows from the bottom: the last is drawn at the top.
    assert data.names == tuple(
        r.name if len(r.name) <= 32 else r.name[:31] + "…" for r in reversed(ranked)
    )
    assert data.in_house == tuple(
        float(r.assessment.in_house_week or 0) / 100 for r in reversed(ranked)
    )
    assert data.outsourced == tuple(
        float(r.assessment.outsourcing_week or 0) / 100 for r in reversed(ranked)
    )
    assert "no quote" not in data.names
    assert data.title == (
        f"In-house vs outsourced, per week — total savings {format_money(d.savings_week, 'USD')}/week"
    )
    assert data.xlabel == "cost per week (USD)"


def test_long_names_are_cut_and_amounts_follow_the_currency():
    r = report(1, "z" * 50, 120, 8000, 1000)
    data = chart_data(digest([r], "JPY"))
    assert data is not None
    assert data.names == ("z" * 31 + "…",)
    assert data.in_house == (float(r.assessment.in_house_week or 0),)  # yen have no minor units
    assert data.xlabel == "cost per week (JPY)"


def test_no_task_to_compare_draws_no_chart():
    assert chart_data(digest([report(1, "alone", 120, 8000, None)])) is None
    assert cost_chart(digest([])) is None


def test_a_chart_is_an_800_pixel_png_taller_with_more_rows():
    sizes = [Image.open(io.BytesIO(render(chart(n)))).size for n in (1, 6, 12)]
    assert [w for w, _ in sizes] == [800, 800, 800]
    assert sizes[0][1] < sizes[1][1] < sizes[2][1]


def fresh(data: ChartData) -> bytes:
    """``data`` drawn on a figure of its own (a new thread's)."""
    out: list[bytes] = []
    t = threading.Thread(target=lambda: out.append(render(data)))
    t.start()
    t.join()
    return out[0]


def test_a_reused_figure_draws_exactly_what_a_fresh_one_draws():
    charts = [chart(12, 1), chart(3, 2, "JPY"), chart(1, 3, "EUR"), chart(7, 4), chart(12, 5)]
    drawn = [render(c) for c in charts]  # one figure, one chart after another
    assert drawn == [fresh(c) for c in charts]


amounts = st.floats(min_value=0, max_value=1e7, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(amounts, amounts), min_size=1, max_size=MAX_BARS), st.integers(0, 11))
def test_the_x_range_is_matplotlibs_autoscale_of_the_same_bars(rows, before):
    """The reused figure sets the bars' extent instead of measuring them (relim): the range
    must be the one a fresh axes autoscales to with the same bars."""
    from matplotlib.figure import Figure

    data = ChartData(
        names=tuple(f"t{i}" for i in range(len(rows))),
        in_house=tuple(a for a, _ in rows),
        outsourced=tuple(b for _, b in rows),
        title="t",
        xlabel="x",
    )
    reused = digest_chart._Chart()
    reused.update(chart(before + 1))  # an earlier chart's bars and range
    reused.update(data)
    ax = Figure().add_subplot()
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], data.in_house, height=0.4)
    ax.barh([i - 0.2 for i in y], data.outsourced, height=0.4)
    assert reused.ax.get_xlim() == ax.get_xlim()
