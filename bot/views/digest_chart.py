"""The digest's chart: per task, what it costs a week in-house and outsourced.

matplotlib with the Agg backend renders a PNG without a display; it runs in the
scheduler's thread, never while a request waits.
"""

from __future__ import annotations

import io

from bot.money import format_money, precision
from bot.services.digest import Digest

MAX_BARS = 12


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

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    names = [r.name if len(r.name) <= 32 else r.name[:31] + "…" for r in rows][::-1]
    digits = 10 ** precision(d.currency)  # minor units → major units for the axis
    in_house = [float(r.assessment.in_house_week or 0) / digits for r in rows][::-1]
    outsourced = [float(r.assessment.outsourcing_week or 0) / digits for r in rows][::-1]
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.5), dpi=120)
    y = range(len(rows))
    ax.barh([i + 0.2 for i in y], in_house, height=0.4, label="in-house", color="#e01e5a")
    ax.barh([i - 0.2 for i in y], outsourced, height=0.4, label="outsourced", color="#2eb67d")
    ax.set_yticks(list(y), names)
    ax.set_xlabel(f"cost per week ({d.currency})")
    ax.set_title(
        f"In-house vs outsourced, per week — total savings {format_money(d.savings_week, d.currency)}/week"
    )
    ax.legend(loc="lower right")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()
