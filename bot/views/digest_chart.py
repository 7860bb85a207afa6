"""The digest's chart: per task, what it costs a week in-house and outsourced.

Two steps, so that the drawing can happen in another process (bot.jobs.digest renders a
large round's charts in a process pool): ``chart_data`` picks the bars and writes the title
from a Digest (cheap, exact money formatting, in the caller's process), and ``render`` draws
a ChartData — small, plain and picklable — into a PNG.

matplotlib's Agg canvas renders without a display, never while a request waits, and is
imported only when the first chart is drawn. Each thread (each pool worker) keeps one Figure
with its axes, bars, legend and titles made once (no pyplot: no global figure registry): a
chart only sets the bars' widths, the names and the title, hides the unused bars and resizes
the figure. Building the axes and artists anew was about a third of a chart's time; what is
left is matplotlib drawing the text and the ticks.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.container import BarContainer
    from matplotlib.figure import Figure
    from matplotlib.text import Text

    from bot.services.digest import Digest

MAX_BARS = 12
NAME_LENGTH = 32
WIDTH_INCHES = 8
# 800 pixels wide: as sharp as Slack shows a thread's image, and a third fewer pixels to fill
# and compress than at 120 dpi.
DPI = 100
ROW_INCHES = 0.5
# Above the axes the title and the legend (kept out of the bars' way); below, the ticks and
# the axis label.
TOP_INCHES = 0.8
BOTTOM_INCHES = 0.6
# zlib's fastest level: a fifth of a chart's time at the default level, for a PNG about 10%
# larger (about 40 KB).
PNG_COMPRESSION = 1
IN_HOUSE_COLOR = "#e01e5a"
OUTSOURCED_COLOR = "#2eb67d"


@dataclass(frozen=True)
class ChartData:
    """What one chart shows: rows from the bottom bar pair up, amounts in major units."""

    names: tuple[str, ...]
    in_house: tuple[float, ...]
    outsourced: tuple[float, ...]
    title: str
    xlabel: str


def chart_data(d: Digest) -> ChartData | None:
    """The chart's bars and titles, or None when no task has both figures to compare."""
    # Imported here: a chart process imports this module to draw, and needs neither Babel
    # nor the services (a second less to start each).
    from bot.money import format_money, precision

    rows = [
        r
        for r in d.hand_off + d.keep
        if r.assessment.in_house_week is not None and r.assessment.outsourcing_week is not None
    ]
    rows = sorted(rows, key=lambda r: -(r.assessment.in_house_week or 0))[:MAX_BARS]
    if not rows:
        return None
    rows.reverse()  # the costliest at the top: matplotlib counts rows from the bottom
    digits = 10 ** precision(d.currency)  # minor units → major units for the axis
    return ChartData(
        names=tuple(
            r.name if len(r.name) <= NAME_LENGTH else r.name[: NAME_LENGTH - 1] + "…" for r in rows
        ),
        in_house=tuple(float(r.assessment.in_house_week or 0) / digits for r in rows),
        outsourced=tuple(float(r.assessment.outsourcing_week or 0) / digits for r in rows),
        title=(
            "In-house vs outsourced, per week — total savings "
            f"{format_money(d.savings_week, d.currency)}/week"
        ),
        xlabel=f"cost per week ({d.currency})",
    )


def cost_chart(d: Digest) -> bytes | None:
    """A PNG, or None when no task has both figures to compare."""
    data = chart_data(d)
    return render(data) if data is not None else None


class _Chart:
    """One Figure and its artists, made once and updated for each chart."""

    def __init__(self) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.fig: Figure = Figure(dpi=DPI)
        self.canvas: FigureCanvasAgg = FigureCanvasAgg(self.fig)
        self.ax: Axes = self.fig.add_subplot()
        slots = range(MAX_BARS)
        self.in_house: BarContainer = self.ax.barh(
            [i + 0.2 for i in slots], [0.0] * MAX_BARS, height=0.4, color=IN_HOUSE_COLOR
        )
        self.outsourced: BarContainer = self.ax.barh(
            [i - 0.2 for i in slots], [0.0] * MAX_BARS, height=0.4, color=OUTSOURCED_COLOR
        )
        self.ax.legend(
            [self.in_house, self.outsourced],
            ["in-house", "outsourced"],
            loc="lower right",
            bbox_to_anchor=(1, 1),
            ncols=2,
            frameon=False,
            borderaxespad=0.1,
        )
        # Centred on the figure, not on the axes, which long names push to the right.
        self.title: Text = self.fig.text(0.5, 1, "", ha="center", va="top", fontsize=12)
        self.xlabel: Text = self.ax.set_xlabel("")

    def draw(self, c: ChartData) -> bytes:
        """``c`` as a PNG."""
        from PIL import Image

        self.update(c)
        self.fig.canvas.draw()
        width, high = self.canvas.get_width_height()
        # The figure is opaque white: RGB is the same picture in three quarters of the bytes.
        rgba = self.canvas.buffer_rgba()  # type: ignore[no-untyped-call]  # untyped in matplotlib
        image = Image.frombuffer("RGBA", (width, high), rgba, "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="png", compress_level=PNG_COMPRESSION)
        return out.getvalue()

    def update(self, c: ChartData) -> None:
        """Set the artists to show ``c``."""
        n = len(c.names)
        height = ROW_INCHES * n + TOP_INCHES + BOTTOM_INCHES + 0.3
        self.fig.set_size_inches(WIDTH_INCHES, height)
        for bars, widths in ((self.in_house, c.in_house), (self.outsourced, c.outsourced)):
            for i, rect in enumerate(bars.patches):
                rect.set_visible(i < n)
                rect.set_width(widths[i] if i < n else 0.0)
        ax = self.ax
        ax.set_yticks(range(n), c.names)
        ax.set_ylim(-0.6, n - 0.4)
        # The x range by matplotlib's own autoscale (from 0, a 5% margin past the longest
        # bar), from the bars' extent set directly: relim would walk every bar's path, a
        # tenth of the drawing's time. tests/views/test_digest_chart.py checks it is the same.
        ax.dataLim.update_from_data_x(
            [min(0.0, *c.in_house, *c.outsourced), max(0.0, *c.in_house, *c.outsourced)],
            ignore=True,
        )
        ax.autoscale_view(scalex=True, scaley=False)
        self.title.set_text(c.title)
        self.title.set_y(1 - 0.12 / height)
        self.xlabel.set_text(c.xlabel)
        # Margins from the longest name (about 0.075 in a character at 10 pt) and fixed ones
        # elsewhere: tight_layout would measure every label, the costliest step after drawing.
        left = min(0.5, (0.3 + 0.075 * max(len(name) for name in c.names)) / WIDTH_INCHES)
        self.fig.subplots_adjust(
            left=left, right=0.97, bottom=BOTTOM_INCHES / height, top=1 - TOP_INCHES / height
        )


_local = threading.local()


def render(c: ChartData) -> bytes:
    """``c`` as a PNG, on this thread's Figure (made on first use)."""
    chart: _Chart | None = getattr(_local, "chart", None)
    if chart is None:
        chart = _local.chart = _Chart()
    return chart.draw(c)
