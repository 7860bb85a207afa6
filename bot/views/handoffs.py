"""Hand-offs as every view shows them: the replies to handoff, paid and takeback, the
report's Handed off section, the not-paying-off advice, and the report by category."""

from __future__ import annotations

from fractions import Fraction

from slack_sdk.models.blocks import Block

from bot.economics import QuoteUnit, Shortfall
from bot.parse.logtask import typed
from bot.services.categories import CategoryReport
from bot.services.handoffs import (
    HandedOff,
    HandoffStatus,
    HoursChange,
    Overview,
    PaidResult,
    QuoteSeen,
    TakenBack,
)
from bot.views.common import (
    MAX_BLOCKS,
    Message,
    code,
    context,
    day,
    divider,
    header,
    hours,
    message,
    money,
    name,
    plain,
    section,
    truncate,
    user,
)

UP, DOWN = "▲", "▼"


def weeks_text(weeks: Fraction) -> str:
    """``3 weeks``, ``1 week``, ``2.4 weeks`` (to a tenth)."""
    shown = f"{float(weeks):.1f}".removesuffix(".0")
    return f"{shown} week" + ("" if shown == "1" else "s")


def quote_text(q: QuoteSeen, currency: str) -> str:
    amount = money(q.amount_minor, currency)
    if q.unit is QuoteUnit.TOTAL:
        return f"{amount} in total"
    per = {QuoteUnit.HOUR: "/hour", QuoteUnit.WEEK: "/week", QuoteUnit.MONTH: "/month"}
    return f"{amount}{per.get(q.unit, f' per {user(q.per)}')}"


def score_text(h: HandoffStatus) -> str:
    if h.average_score is None:
        return "no reviews yet"
    shown = f"{float(h.average_score):.1f}".removesuffix(".0")
    return f"score {shown}/5 ({h.reviews} review{'s' if h.reviews != 1 else ''})"


def saved_text(h: HandoffStatus, currency: str) -> str:
    """ "Saved $X so far in N weeks (projected $Y)"; one-off work: on the job."""
    r = h.realized
    span = f"in {weeks_text(r.weeks)}"
    return (
        f"Saved *{money(r.realized, currency)}* so far {span} "
        f"(projected {money(r.projected, currency)}" + (" on the job)" if r.one_off else ")")
    )


def status_line(h: HandoffStatus, currency: str) -> str:
    """One hand-off: who, how long, paid, your overhead, realized vs projected, the score."""
    r = h.realized
    since = (
        f"since {day(h.started_on)}"
        if h.ended_on is None
        else f"{day(h.started_on)} – {day(h.ended_on)}"
    )
    bits = [
        f"{name(h.task)} → {user(h.provider)} {since} ({weeks_text(r.weeks)})",
        f"paid {money(r.paid, currency)}",
        # A one-off job has no weeks to spread its overhead over: the total.
        f"your overhead {hours(r.overhead_hours)}"
        if r.one_off
        else f"your overhead {hours(r.overhead_hours_week)}/week",
        score_text(h),
    ]
    lines = [" · ".join(bits), saved_text(h, currency)]
    if h.under_bar:
        lines.append(advice(h, currency))
    return "\n".join(lines)


def advice(h: HandoffStatus, currency: str) -> str:
    """Plainly why the hand-off isn't paying off, and whom to try next (or to get quotes)."""
    r = h.realized
    why = []
    if Shortfall.SAVINGS in h.shortfalls:
        why.append(
            f"after {weeks_text(r.weeks)} it has saved {money(r.realized, currency)}, under half "
            f"the {money(r.projected, currency)} projected"
        )
    if Shortfall.SCORE in h.shortfalls and h.average_score is not None:
        shown = f"{float(h.average_score):.1f}".removesuffix(".0")
        why.append(f"{user(h.provider)}'s reviews average {shown}/5")
    text = f":warning: *Not paying off:* {' and '.join(why)}."
    if h.next_quote is not None:
        q = h.next_quote
        cost = (
            ""
            if q.cost is None
            else f", {money(q.cost, currency)}"
            + (" for the job" if h.baseline.one_off else "/week")
        )
        text += (
            f" Try {user(q.provider)} next ({quote_text(q, currency)}{cost}): "
            f"{code(typed('handoff', h.task, 'to', q.provider))}"
        )
    else:
        text += (
            " There is no other quote on the shortlist: ask for more, "
            f"{code(typed('quote', h.task, '<price>', 'from', '<provider>'))}"
        )
    return text


def change_text(c: HoursChange) -> str:
    """``▼ 1.5h/week`` against the previous 28 days; ``no change``."""
    delta = c.change
    if delta == 0:
        return "no change in hours vs the previous 28 days"
    arrow = UP if delta > 0 else DOWN
    return f"{arrow} {hours(abs(delta))}/week vs the previous 28 days"


# ---- replies --------------------------------------------------------------------------------


def handed_off(out: HandedOff) -> Message:
    h, cur, b = out.status, out.currency, out.status.baseline
    lead = f"Handed off {name(h.task)} to {user(h.provider)} from today ({day(h.started_on)})."
    if out.replaced:
        lead += f" It was handed off to {user(out.replaced)} until today."
    if out.ended_trials:
        lead += f" Trial ended: {', '.join(user(t) for t in out.ended_trials)}."
    q = quote_text(out.quote, cur)
    if b.one_off:
        frozen = (
            f"Baseline kept: the job's {hours(b.hours)}, {money(b.in_house, cur)} in-house; "
            f"{user(h.provider)}'s {q} projects *{money(b.savings, cur)}* saved on the job."
        )
    else:
        frozen = (
            f"Baseline kept: {hours(b.hours)}/week, {money(b.in_house, cur)}/week in-house; "
            f"{user(h.provider)}'s {q} projects *{money(b.savings, cur)}/week* saved."
        )
    if out.assessed_on != h.started_on:
        frozen += f" (The task's figures as of {day(out.assessed_on)}, its last in-house day.)"
    notes = [
        "From now on, time you log on it is *your overhead* (briefing, reviewing, fixing): "
        "it counts against the savings (what you logged before now stays in-house work, in the "
        "baseline). "
        f"Record payments: {code(typed('paid', h.task, '<amount>'))}"
    ]
    return message(
        f"Handed off {h.task} to {h.provider}.",
        [section(lead), section(frozen), context(" ".join(notes))],
    )


def paid(out: PaidResult) -> Message:
    cur = out.currency
    lead = (
        f"Recorded {money(out.amount_minor, cur)} paid to {user(out.provider)} for "
        f"{name(out.task)} on {day(out.day, out.today)}"
    )
    if out.kind != "handoff":
        lead += " (its trial)."
        return message(plain(lead), [section(lead)])
    lead += "."
    lines = [lead]
    if out.status is not None:
        lines.append(saved_text(out.status, cur))
        if out.status.under_bar:
            lines.append(advice(out.status, cur))
    return message(plain(lead), [section("\n".join(lines))])


def taken_back(out: TakenBack) -> Message:
    h, cur = out.status, out.currency
    lead = (
        f"Took back {name(h.task)} from {user(h.provider)}: from today it is in-house again. "
        "Its hand-off history stays."
    )
    r = h.realized
    result = (
        f"Over {weeks_text(r.weeks)} the hand-off saved *{money(r.realized, cur)}* "
        f"(projected {money(r.projected, cur)}); paid {money(r.paid, cur)}, your overhead "
        f"{hours(r.overhead_hours)}."
    )
    lines = [lead, result]
    if out.back_in_house:
        n = out.back_in_house
        lines.append(
            f"{n} entr{'ies' if n != 1 else 'y'} from today "
            f"count{'s' if n == 1 else ''} as in-house work again."
        )
    return message(plain(lead), [section("\n".join(lines))])


def overhead_note(provider: str) -> str:
    """What the reply to a log on a handed-off task adds."""
    return (
        f"The task is handed off to {user(provider)}, so this is *your overhead* (briefing, "
        "reviewing, fixing): it counts against the hand-off's savings, not as in-house work."
    )


# ---- the report -----------------------------------------------------------------------------


def report_section(ov: Overview, room: int) -> list[Block]:
    """The report's Handed off section, in at most ``room`` blocks (none if nothing was)."""
    if not ov.handoffs or room < 3:
        return []
    cur = ov.currency
    active = ov.active
    total = (
        f"*Handed off* — saved *{money(ov.saved_so_far, cur)}* so far in all "
        f"(projected {money(ov.projected_so_far, cur)})"
    )
    if len(active) != len(ov.handoffs):
        total += f", {len(ov.handoffs) - len(active)} of them taken back"
    blocks: list[Block] = [divider(), section(total + ".")]
    shown = active[: room - 3]
    for h in shown:
        line = status_line(h, cur)
        if (c := ov.changes.get(h.task_id)) is not None:
            line += f"\nYour time on it: {change_text(c)}"
        blocks.append(section(truncate(line)))
    if len(active) > len(shown):
        blocks.append(context(f"…and {len(active) - len(shown)} more hand-offs."))
    return blocks


# ---- report by category ---------------------------------------------------------------------


def by_category(rep: CategoryReport) -> Message:
    rows, currency = rep.rows, rep.currency
    if not rows:
        return message(
            "No recurring tasks yet.",
            [section("No recurring tasks yet: log time on one to see it per category.")],
        )
    blocks: list[Block] = [
        header("Per category — most savings available first"),
        context("Recurring work, a week, from the last 28 days; one-off jobs are not included."),
    ]
    lines = []
    room = MAX_BLOCKS - len(blocks) - 1
    for row in rows[:room]:
        title = f"#{user(row.category)}" if row.category else "uncategorised"
        n = row.tasks
        text = (
            f"*{title}* ({n} task{'s' if n != 1 else ''}) · {hours(row.hours_week)}/week · "
            f"in-house {money(row.in_house_week, currency)}/week · savings available "
            f"*{money(row.savings_week, currency)}/week*"
        )
        blocks.append(section(text))
        lines.append(plain(text))
    if len(rows) > room:
        blocks.append(context(f"…and {len(rows) - room} more categories."))
    return message("\n".join(lines), blocks)
