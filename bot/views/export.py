"""`/logtask export`: the three CSV files (stdlib csv) and the replies around sending them.

Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula,
so such a cell gets a leading apostrophe (OWASP's advice for CSV injection): a task named
``=HYPERLINK(…)`` stays text. Numbers we write ourselves (a negative saving) are left alone.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from fractions import Fraction

from bot.money import decimal_amount
from bot.services.export import ALL, MONTH, Export
from bot.views.common import Message, code, message, section

ENTRIES_TITLE = "Handoff entries"
REPORT_TITLE = "Handoff report"
HANDOFFS_TITLE = "Handoff hand-offs"
HANDOFFS_HEADER = (
    "task",
    "provider",
    "started_on",
    "ended_on",
    "weeks",
    "baseline_hours",
    "baseline_in_house",
    "baseline_savings",
    "hourly_worth",
    "one_off",
    "paid",
    "overhead_hours",
    "overhead_hours_week",
    "realized_savings",
    "projected_savings",
    "average_score",
    "reviews",
    "paying_off",
    "next_provider",
    "currency",
)
ENTRIES_HEADER = (
    "date",
    "member_id",
    "member",
    "task",
    "category",
    "minutes",
    "frequency",
    "entry",
    "overhead",
)
REPORT_HEADER = (
    "task",
    "category",
    "frequency",
    "core",
    "verdict",
    "hours_per_week",
    "hourly_worth",
    "in_house_week",
    "overhead_week",
    "outsourcing_week",
    "savings_week",
    "one_off",
    "job_hours",
    "in_house_total",
    "outsourcing_total",
    "savings_total",
    "quote",
    "quote_per",
    "provider",
    "currency",
    "window_start",
    "window_end",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str | None) -> str:
    """User text made safe for a spreadsheet."""
    if not text:
        return ""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    # A byte-order mark, so Excel reads the names as UTF-8 rather than its locale's code page.
    return out.getvalue().encode("utf-8-sig")


def _number(value: Fraction | None, places: int = 2) -> str:
    return "" if value is None else f"{float(value):.{places}f}"


def entries_csv(export: Export) -> bytes:
    return _csv(
        ENTRIES_HEADER,
        (
            (
                e.day.isoformat(),
                e.user_id,
                cell(e.member_name),
                cell(e.task),
                cell(e.category),
                str(e.minutes),
                e.frequency or "",
                str(e.number),
                "yes" if e.overhead else "no",
            )
            for e in export.entries
        ),
    )


def report_csv(export: Export) -> bytes:
    rep = export.report
    cur = rep.currency

    def amount(value: Fraction | int | None) -> str:
        return "" if value is None else decimal_amount(value, cur)

    rows = []
    for t in rep.tasks:
        a = t.assessment
        rows.append(
            (
                cell(t.name),
                cell(t.category),
                t.frequency.code if t.frequency else "",
                "yes" if t.is_core else "no",
                a.verdict.value,
                "" if a.one_off else _number(a.hours_per_week),
                amount(a.hourly_worth),
                amount(a.in_house_week),
                amount(a.overhead_week),
                amount(a.outsourcing_week),
                amount(a.savings_week),
                "yes" if a.one_off else "no",
                _number(a.job_hours),
                amount(a.in_house_total),
                amount(a.outsourcing_total),
                amount(a.savings_total),
                amount(t.quote.amount_minor) if t.quote else "",
                t.quote.unit.value if t.quote else "",
                cell(t.quote.provider) if t.quote else "",
                cur,
                rep.window_start.isoformat(),
                rep.today.isoformat(),
            )
        )
    return _csv(REPORT_HEADER, rows)


def handoffs_csv(export: Export) -> bytes:
    """Every hand-off, with the figures the report's Handed off section shows."""
    loop = export.loop
    cur = export.report.currency

    def amount(value: Fraction | int | None) -> str:
        return "" if value is None else decimal_amount(value, cur)

    rows = []
    for h in loop.handoffs if loop is not None else []:
        b, r = h.baseline, h.realized
        rows.append(
            (
                cell(h.task),
                cell(h.provider),
                h.started_on.isoformat(),
                h.ended_on.isoformat() if h.ended_on else "",
                _number(r.weeks),
                _number(b.hours),
                amount(b.in_house),
                amount(b.savings),
                amount(b.worth),
                "yes" if b.one_off else "no",
                amount(r.paid),
                _number(r.overhead_hours),
                _number(r.overhead_hours_week),
                amount(r.realized),
                amount(r.projected),
                _number(h.average_score),
                str(h.reviews),
                "" if not h.active else ("no" if h.under_bar else "yes"),
                cell(h.next_quote.provider) if h.next_quote else "",
                cur,
            )
        )
    return _csv(HANDOFFS_HEADER, rows)


def filename(export: Export, kind: str) -> str:
    return f"handoff-{kind}-{export.span}-{export.last_day.isoformat()}.csv"


def span_text(export: Export) -> str:
    """The days the file covers, said the way the member asked for them."""
    last = export.last_day
    if export.first_day is None:
        return f"all time, up to {_day(last)}"
    what = "this month" if export.span == MONTH else "this quarter"
    return f"{what}, {_day(export.first_day)} to {_day(last)}"


def _day(d: date) -> str:
    return f"{d.day} {d:%B %Y}"


def dm_comment(export: Export) -> str:
    whose = "Everyone's entries" if export.whole_workspace else "Your entries"
    report = (
        f"the report's figures per task ({_day(export.report.window_start)} to "
        f"{_day(export.report.today)}, the days every report weighs)"
    )
    return (
        f"{whose} for {span_text(export)} ({len(export.entries)}), {report}, and every "
        "hand-off with what it saved so far."
    )


def sent(export: Export) -> Message:
    whose = "everyone's entries" if export.whole_workspace else "your entries"
    rows = f"{len(export.entries)} {'entry' if len(export.entries) == 1 else 'entries'}"
    tail = "" if export.span == ALL else " · `/logtask export all` for every entry"
    text = (
        f"Sent you a DM with three CSV files: {whose} for {span_text(export)} ({rows}), "
        f"the report's figures per task, and every hand-off with what it saved{tail}."
    )
    return message(text, [section(text)])


def upload_refused(error: str) -> str:
    """What to do when Slack refused the files, for the member who asked."""
    if error == "missing_scope":
        return (
            "I'm not allowed to send files in this workspace yet (Slack said `missing_scope`): "
            "an admin needs to reinstall Handoff so it gets the `files:write` and `im:write` "
            "permissions, then try again"
        )
    if error in ("invalid_auth", "token_revoked", "account_inactive", "not_installed"):
        return f"Handoff is not installed properly here (Slack said {code(error)}): reinstall it"
    return f"Slack refused the files ({code(error)}): try again in a minute"
