"""The digest's chart: per task, what it costs a week in-house and outsourced.

matplotlib's Agg canvas renders a PNG without a display; it runs in the scheduler's thread,
never while a request waits. Each thread keeps one Figure and clears it for the next chart
(no pyplot: no global figure registry, no figure made and torn down per digest), and
matplotlib is imported only when the first chart is drawn.
"""

from __future__ import annotations

import io
import threading
from typing import TYPE_CHECKING

from bot.money import format_money, precision
from bot.services.digest import Digest

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_BARS = 12
WIDTH_INCHES = 8
DPI = 120

_local = threading.local()


def _figure() -> Figure:
    """This thread's Figure, on an Agg canvas, made on first use."""
    fig: Figure | None = getattr(_local, "figure", None)
    if fig is None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        fig = Figure(dpi=DPI)
        FigureCanvasAgg(fig)
        _local.figure = fig
    return fig


def cost_chart(d: Digest) -> bytes | None:
    """A PNG, or None when no task has both figures to compare."""
    rows = [
        r
        for r in d.hand_off + d.keep
        if r.assessment.in_house_week is not None and r.assessment.outsourcing_week is not None
    ]
    rows = sorted(rows, key=lambda r: -(r.assessment.in_house_week or 0))[:MAX_BARS]
    if not rows:
        return None

    names = [r.name if len(r.name) <= 32 else r.name[:31] + "…" for r in rows][::-1]
    digits = 10 ** precision(d.currency)  # minor units → major units for the axis
    in_house = [float(r.assessment.in_house_week or 0) / digits for r in rows][::-1]
    outsourced = [float(r.assessment.outsourcing_week or 0) / digits for r in rows][::-1]
    fig = _figure()
    fig.clear()
    fig.set_size_inches(WIDTH_INCHES, 0.5 * len(rows) + 1.5)
    ax = fig.add_subplot()
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], in_house, height=0.4, label="in-house", color="#e01e5a")
    ax.barh([i - 0.2 for i in y], outsourced, height=0.4, label="outsourced", color="#2eb67d")
    ax.set_yticks(list(y), names)
    ax.set_xlabel(f"cost per week ({d.currency})")
    ax.set_title(
        f"In-house vs outsourced, per week — total savings {format_money(d.savings_week, d.currency)}/week"
    )
    ax.legend(loc="lower right")
    # Margins from the longest name (about 0.075 in a character at 10 pt) and fixed ones
    # elsewhere: tight_layout would measure every label, the costliest step after drawing.
    height = 0.5 * len(rows) + 1.5
    left = min(0.5, (0.3 + 0.075 * max(len(n) for n in names)) / WIDTH_INCHES)
    fig.subplots_adjust(left=left, right=0.97, bottom=0.75 / height, top=1 - 0.45 / height)
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
