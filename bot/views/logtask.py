"""Replies to /logtask subcommands. Every one starts with what was understood."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from slack_sdk.models.blocks import Block

from bot.economics import Verdict
from bot.errors import UserError
from bot.money import Money, format_money
from bot.parse.commands import RateConversion
from bot.parse.duration import format_minutes
from bot.parse.logtask import BY_NAME, TABLE, example, log_command, typed
from bot.services.analysis import TaskReport, WorkspaceReport
from bot.services.handoffs import HoursChange, Overview
from bot.services.tasks import FixWith, Logged, Saved, TaskChange
from bot.services.workspaces import CurrencyChange
from bot.views import handoffs as handoff_views
from bot.views import verdict
from bot.views.common import (
    MAX_BLOCKS,
    MAX_SECTION,
    Message,
    code,
    context,
    day,
    divider,
    error,
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


def _settings(r: TaskReport) -> str:
    bits = []
    if r.frequency is not None:
        bits.append(r.frequency.value)
    if r.category:
        bits.append(f"#{user(r.category)}")
    if r.is_core:
        bits.append("core")
    return " · ".join(bits)


def logged(out: Logged, bare_hours: bool = False) -> Message:
    """``bare_hours``: the duration was a bare number, read as hours; the reply says so."""
    r = out.task
    first = _logged_line(out.minutes, r.name, out.day, out.today, out.number)
    if bare_hours:
        first += f" (I read the bare number as {format_minutes(out.minutes)} — hours.)"
    details = [first]
    monday = out.day - timedelta(days=out.day.weekday())
    week = "This week" if out.today - monday < timedelta(days=7) else f"Week of {day(monday)}"
    facts = [f"{week}: {format_minutes(out.week_minutes)} on this task."]
    if settings := _settings(r):
        facts.insert(0, ("New task: " + settings if out.created else settings.capitalize()) + ".")
    elif out.created:
        facts.insert(0, "New task.")
    details.append(" ".join(facts))
    for change in out.changes:
        details.append(
            f"{change.what.capitalize()} changed: {_setting(change.what, change.old)} → {_setting(change.what, change.new)}."
        )
    if out.handed_off_to is not None:
        details.append(handoff_views.overhead_note(out.handed_off_to))
    elif r.assessment.verdict is not Verdict.NO_DATA:
        details.append(verdict.short(r, out.currency))
    return message(
        f"Logged {format_minutes(out.minutes)} on {r.name}.",
        [section("\n".join(details))],
    )


def _logged_line(minutes: int, task: str, on: date, today: date, number: int | None) -> str:
    line = f"Logged {format_minutes(minutes)} on {name(task)} for {day(on, today)}"
    return line + (f" as `#{number}`." if number is not None else ".")


def saved_without_figures(saved: Saved) -> str:
    """What a log whose figures could not be read says: it is saved all the same."""
    line = _logged_line(saved.minutes, saved.task.name, saved.day, saved.today, saved.number)
    return (
        f":face_with_head_bandage: {line} Something went wrong on my side working out its "
        f"figures: {code(f'/logtask should {saved.task.name}')} shows them."
    )


def _setting(what: str, value: str | None) -> str:
    if value is None:
        return "none"
    return f"#{user(value)}" if what == "category" else user(value)


def category_set(change: TaskChange) -> Message:
    category = change.task.category
    if category is None:
        return task_changed(change, "Category cleared", "Category cleared")
    return task_changed(
        change, f"Category set to #{user(category)}", f"Category set to #{category}"
    )


def rate_set(value: Money, converted: RateConversion | None = None) -> Message:
    shown = format_money(value.minor, value.currency)
    how = ""
    if converted is not None:
        pay = format_money(converted.amount.minor, converted.amount.currency)
        # Hours were typed with at most two decimals: :g shows them as typed ("7.5").
        how = f" ({pay} a {converted.per} ÷ {float(converted.hours):g} h = {shown}/h)"
    return message(
        f"Your hourly worth is now {shown}/hour{how}.",
        [
            section(f"Set your hourly worth to *{shown}/hour*{how}."),
            context("Your time on a task is valued at this rate when deciding what to hand off."),
        ],
    )


def rate_shown(rate_minor: int | None, currency: str) -> Message:
    if rate_minor is None:
        return message(
            "You haven't set your hourly worth yet.",
            [
                section(
                    "You haven't set your hourly worth yet — what an hour of your expertise "
                    f"earns. Set it: {code(example('rate'))}"
                )
            ],
        )
    shown = format_money(rate_minor, currency)
    return message(
        f"Your hourly worth is {shown}/hour.", [section(f"Your hourly worth is *{shown}/hour*.")]
    )


def task_changed(change: TaskChange, what: str, fallback: str, note: str = "") -> Message:
    """``what`` is mrkdwn (already escaped); ``fallback`` the same news as raw text."""
    r = change.task
    new = " (new task)" if change.created else ""
    lead = f"{what} for {name(r.name)}{new}."
    lines = [lead, note] if note else [lead]
    if r.assessment.verdict is not Verdict.NO_DATA or r.is_core or r.assessment.one_off:
        lines.append(verdict.short(r, change.currency))
    else:
        lines.append(f"Log its time to get a verdict: {code(log_command(r.name, '1h'))}")
    return message(f"{fallback} for {r.name}{new}.", [section("\n".join(lines))])


def _one_off_notes(change: TaskChange) -> str:
    notes = []
    if change.made_one_off:
        notes.append(
            "It had no frequency, so I'm treating it as a one-off job (frequency: once): it is "
            "weighed in totals for the whole job, not per week."
        )
    if change.price_for_job:
        notes.append("A one-off job happens once, so I read the price as the whole job's.")
    return " ".join(notes)


def quote_set(change: TaskChange) -> Message:
    if change.removed_quote or change.quote is None:
        if change.removed_from is not None:
            what = f"Removed the quote from {change.removed_from}"
            return task_changed(change, f"Removed the quote from {user(change.removed_from)}", what)
        if change.removed_quotes > 1:
            what = f"Removed all {change.removed_quotes} quotes"
            return task_changed(change, what, what)
        return task_changed(change, "Removed the quote", "Removed the quote")
    q = verdict.quote_text(change.quote, change.currency)
    src = f" from {change.quote.provider}" if change.quote.provider else ""
    notes = _one_off_notes(change)
    return task_changed(
        change,
        f"Quote set: {q}{user(src)}",
        f"Quote set: {plain(q)}{src}",
        notes,
    )


def frequency_set(change: TaskChange) -> Message:
    f = change.task.frequency
    assert f is not None
    what = f"Frequency set to {verdict.frequency_text(f)}"
    return task_changed(change, what, what)


def estimate_set(change: TaskChange) -> Message:
    """The estimate a one-off job now has (or that it was cleared), and the verdict it gives."""
    r = change.task
    if change.removed_estimate or not r.assessment.from_estimate:
        return task_changed(change, "Estimate cleared", "Estimate cleared")
    size = hours(r.assessment.job_hours or 0)
    what = f"Estimate set: {size} in all"
    return task_changed(change, what, what, _one_off_notes(change))


def fix_with(e: FixWith) -> Message:
    """A refusal, with the command that does what was meant."""
    return error(UserError(e.problem, typed(*e.words)))


def core_set(change: TaskChange) -> Message:
    what = (
        "Marked as core expertise (never recommended for hand-off)"
        if change.task.is_core
        else "No longer core"
    )
    return task_changed(change, what, what)


def report(rep: WorkspaceReport, loop: Overview | None = None) -> Message:
    """``loop``: the hand-offs, for the Handed off section and each task's change in hours."""
    cur = rep.currency
    if not rep.tasks:
        return message(
            "No tasks yet.",
            [section(f"No tasks yet. Log your first: {code(example('log'))}")],
        )
    n = rep.hand_off_count
    summary = (
        f"Handing off *{n}* task{'s' if n != 1 else ''} would save "
        f"*{money(rep.savings_week, cur)}/week* ({money(rep.savings_year, cur)}/year)."
        if n
        else "Nothing is losing you money yet."
    )
    blocks = [
        header("Your tasks — hand-off candidates first"),
        section(summary),
        context(
            f"Entries from {day(rep.window_start)} to {day(rep.today)} · overhead {rep.overhead_bp / 100:g}% · "
            f"{code(typed('should', '<task>'))} shows the arithmetic"
        ),
        divider(),
    ]
    ongoing, jobs = rep.ongoing, rep.one_off
    jobs_head: list[Block] = []
    if jobs:
        jobs_head = (
            [divider(), section(_one_off_summary(rep))]
            if ongoing
            else [section(_one_off_summary(rep))]
        )
    handed: list[Block] = []
    if loop is not None:
        handed = handoff_views.report_section(loop, (MAX_BLOCKS - len(blocks)) // 3)
    room = MAX_BLOCKS - len(blocks) - len(jobs_head) - len(handed) - (2 if jobs else 1)
    shown = ongoing[: max(room - len(jobs), room // 2)]
    for t in shown:
        change = loop.changes.get(t.task_id) if loop is not None else None
        blocks.append(section(truncate(_report_line(t, cur, change))))
    if len(ongoing) > len(shown):
        blocks.append(context(f"…and {len(ongoing) - len(shown)} more tasks."))
    if jobs:
        blocks += jobs_head
        shown_jobs = jobs[: room - len(shown)]
        for t in shown_jobs:
            blocks.append(section(truncate(job_line(t, cur))))
        if len(jobs) > len(shown_jobs):
            blocks.append(context(f"…and {len(jobs) - len(shown_jobs)} more one-off jobs."))
    blocks += handed
    lines = [f"{t.name}: {t.assessment.verdict.value}" for t in ongoing]
    lines += [f"{t.name} (one-off): {t.assessment.verdict.value}" for t in jobs]
    return message(summary.replace("*", "") + "\n" + truncate("\n".join(lines)), blocks)


def _one_off_summary(rep: WorkspaceReport) -> str:
    """The one-off jobs' heading: they are weighed whole, so their savings are per job."""
    n, cur = rep.one_off_hand_off_count, rep.currency
    total = (
        f"Handing off *{n}* of them would save *{money(rep.one_off_savings_total, cur)}* in all."
        if n
        else "None of them is worth handing off yet."
    )
    return f"*One-off work* — each job weighed whole, in totals, not per week. {total}"


def job_line(t: TaskReport, cur: str) -> str:
    a = t.assessment
    head = name(t.name) + (f" · {s}" if (s := _settings(t)) else "")
    size = "estimated" if a.from_estimate else "logged"
    figures = [f"{hours(a.job_hours or 0)} {size}"]
    if a.in_house_total is not None:
        figures.append(f"in-house {money(a.in_house_total, cur)}")
    if t.quote is not None:
        q = verdict.quote_text(t.quote, cur)
        figures.append(
            f"outsourcing {money(a.outsourcing_total, cur)} ({q})"
            if a.outsourcing_total is not None
            else f"quote {q}"
        )
    if a.savings_total is not None:
        figures.append(f"savings {money(a.savings_total, cur)} on the job")
    return f"{head}\n{' · '.join(figures)}\n{verdict.short(t, cur)}"


def _report_line(t: TaskReport, cur: str, change: HoursChange | None = None) -> str:
    a = t.assessment
    head = name(t.name) + (f" · {s}" if (s := _settings(t)) else "")
    figures = [f"{hours(a.hours_per_week)}/week"]
    if a.in_house_week is not None:
        figures.append(f"in-house {money(a.in_house_week, cur)}/week")
    if t.quote is not None:
        q = verdict.quote_text(t.quote, cur)
        figures.append(
            f"outsourcing {money(a.outsourcing_week, cur)}/week ({q})"
            if a.outsourcing_week is not None
            else f"quote {q}"
        )
    if a.savings_week is not None:
        figures.append(
            f"savings {money(a.savings_week, cur)}/week · {money(a.savings_year, cur)}/year"
        )
    if change is not None and change.change:
        figures.append(handoff_views.change_text(change))
    if t.handed_off_to is not None:
        return f"{head}\n{' · '.join(figures)}\n*Handed off* — what it saves is measured below."
    return f"{head}\n{' · '.join(figures)}\n{verdict.short(t, cur)}"


def overhead_shown(bp: int) -> Message:
    pct = f"{bp / 100:g}%"
    return message(
        f"Overhead is {pct}.",
        [
            section(
                f"Overhead is *{pct}*: after handing a task off you still spend {pct} of its time "
                f"briefing and reviewing. Change it: {code(example('overhead'))}"
            )
        ],
    )


def overhead_set(share: Fraction, as_fraction: str | None = None) -> Message:
    """``as_fraction``: what the member typed, read as a share (0.15 → 15%); the reply says so."""
    pct = f"{float(share * 100):g}%"
    note = f" (I read {user(as_fraction)} as {pct}.)" if as_fraction else ""
    return message(
        f"Overhead set to {pct}.",
        [
            section(
                f"Overhead set to *{pct}* of a task's time for briefing and reviewing "
                f"handed-off work.{note}"
            )
        ],
    )


def currency_shown(code_: str) -> Message:
    return message(
        f"This workspace counts in {code_}.",
        [section(f"This workspace counts in *{code_}*. Switch: {code(example('currency'))}")],
    )


def currency_set(change: CurrencyChange) -> Message:
    if change.old == change.new:
        return currency_shown(change.new)
    text = f"This workspace now counts in *{change.new}* (was {change.old})."
    if change.amounts_kept:
        text += (
            f"\n{change.amounts_kept} rate{'s' if change.amounts_kept != 1 else ''} and quotes keep "
            "their numbers and were *not converted* — set them again if they were in "
            f"{change.old}."
        )
    return message(text.replace("*", ""), [section(text)])


DETAILS = (
    "Durations: 90m, 1.5h, 1h30m, 1:30 or a bare number of hours · "
    "frequency: daily, weekdays, weekly, biweekly, monthly, quarterly, yearly, once (a one-off "
    "job), 3x/week, twice a month, every 2 weeks · "
    "day: today, yesterday, a weekday, last tuesday, 3 days ago, Nov 18 or 2026-11-20 · "
    "a task name in quotes is taken exactly as typed (a new task if none has it), which a name "
    "that starts with a command word needs"
)


def help_message() -> Message:
    """Every command of the table: what it does, and an example."""
    lines = [f"• {s.summary[:1].upper()}{s.summary[1:]}: {code(s.examples[0])}" for s in TABLE]
    return message(
        f"Handoff tells you which recurring tasks to outsource. Try {example('log')}",
        [
            section(
                "*Handoff* finds the recurring tasks that cost you more to do yourself than to hand off.\n"
                "Log the time tasks take, set your hourly worth and providers' quotes, and I'll say "
                "which to hand off."
            ),
            *(section(part) for part in in_sections(lines)),
            context(f"{DETAILS} · {code(typed('help', '<command>'))} for one command"),
        ],
    )


def in_sections(lines: list[str]) -> list[str]:
    """``lines`` in as few sections as Slack's limit on one allows, never splitting a line."""
    parts: list[str] = []
    for line in lines:
        if parts and len(parts[-1]) + 1 + len(line) <= MAX_SECTION:
            parts[-1] += "\n" + line
        else:
            parts.append(truncate(line))
    return parts


def command_help(name: str) -> Message:
    """One command: its usage, what it does, every example."""
    spec = BY_NAME[name]
    examples = "\n".join(f"• {code(e)}" for e in spec.examples)
    usage = typed(spec.usage)
    return message(
        f"{usage}: {spec.summary}",
        [
            section(f"{code(usage)}\n{spec.summary[:1].upper()}{spec.summary[1:]}."),
            section(f"Examples:\n{examples}"),
            context(DETAILS),
        ],
    )
