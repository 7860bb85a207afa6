"""Answers to questions — in a DM, a thread, or /logtask should.

"Should I outsource X?", "X or Y?", "how much does X cost me?", "how many hours did I spend
on X this week?", "what should I outsource?".
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.economics import Frequency, Verdict
from bot.parse.duration import format_minutes
from bot.parse.logtask import example, log_command, typed
from bot.services.analysis import TaskReport
from bot.services.questions import (
    Answer,
    Comparison,
    Cost,
    DidYouMean,
    NotAQuestion,
    Reply,
    Spent,
    TopCandidates,
    Unknown,
)
from bot.views import handoffs as handoff_views
from bot.views import verdict
from bot.views.common import (
    Message,
    code,
    command_button,
    context,
    day,
    hours,
    message,
    money,
    name,
    plain,
    section,
    truncate,
    user,
)

EXAMPLES = (
    "should I outsource the newsletter?",
    "is it worth outsourcing bookkeeping?",
    "newsletter or bookkeeping?",
    "how much does the newsletter cost me?",
    "how many hours did I spend on the newsletter this week?",
    "what should I outsource?",
)
MAX_FIELD = 2000  # Slack's limit for one field of a section


def render(reply: Reply, slash: bool = False) -> Message:
    """``slash``: the user typed /logtask should, so suggestions are commands, not questions."""
    match reply:
        case Answer():
            return answer(reply)
        case DidYouMean():
            return did_you_mean(reply, slash)
        case Unknown():
            return unknown(reply)
        case TopCandidates():
            return top(reply)
        case NotAQuestion():
            return help_message()
        case Comparison():
            return comparison(reply)
    raise AssertionError(reply)  # pragma: no cover


def answer(a: Answer) -> Message:
    """The verdict in plain words first, then the task it is about and the arithmetic."""
    r, cur = a.report, a.currency
    first = verdict.first_line(r, cur)
    step = verdict.next_step(r, cur)
    if (h := a.handoff) is not None:
        # Handed off already: say what it has saved, not to go and do it.
        first = (
            f"Handed off to {user(h.provider)} since {day(h.started_on, a.today)}: "
            f"{handoff_views.saved_text(h, cur)}."
        )
        step = (
            handoff_views.advice(h, cur)
            if h.under_bar
            else f"Record what you pay with {code(typed('paid', r.name, '<amount>'))} and score "
            f"the work with {code(typed('review', h.provider, '<1-5>'))}; "
            f"{code(typed('takeback', r.name))} brings it back in-house."
        )
    lines = [
        f"About {name(r.name)}:",
        *verdict.numbers(r, cur, a.overhead_bp),
        "",
        f"*Next step:* {step}",
    ]
    blocks: list[Block] = [section(first), section(truncate("\n".join(lines)))]
    if r.shortlist:
        n = len(r.shortlist)
        head = f"*Shortlist* — {n} quote{'s' if n != 1 else ''}"
        blocks.append(section(truncate("\n".join([head, *verdict.shortlist(r, cur)]))))
    blocks.append(context(f"Same numbers as {code(example('report'))}"))
    return message(f"{r.name}: {plain(first)}", blocks)


def did_you_mean(d: DidYouMean, slash: bool) -> Message:
    def ask(task: str) -> str:
        return (
            code(typed("should", task))
            if slash
            else f"“should I outsource {user(task)}?” or {code(typed('should', task))}"
        )

    lead = f"I'm not sure which task you mean by {name(d.asked)}. Did you mean:"
    fallback = f"Did you mean {' or '.join(d.candidates)}?"
    if slash:  # a button per task, which asks about it right there
        return message(
            fallback,
            [
                section(lead),
                *(
                    section(
                        f"• {name(c)} — {ask(c)}",
                        command_button(f"Should I hand off {c}?", f"should {c}"),
                    )
                    for c in d.candidates
                ),
            ],
        )
    options = "\n".join(f"• {name(c)} — {ask(c)}" for c in d.candidates)
    return message(fallback, [section(f"{lead}\n{options}")])


def unknown(u: Unknown) -> Message:
    return message(
        f"There is no task called {u.asked} yet.",
        [
            section(
                f"I don't know a task called {name(u.asked)} yet. Log the time it takes and I'll "
                f"tell you: {code(log_command(u.asked, '1h', 'weekly'))}"
            )
        ],
    )


def top(t: TopCandidates) -> Message:
    cur = t.currency
    if not t.tasks:
        return message(
            "Nothing is losing you money yet.",
            [
                section(
                    "Nothing is losing you money yet: no recurring task costs you more than a quote. "
                    f"See which ones need a quote: {code(example('report'))}"
                )
            ],
        )
    lines = []
    for i, r in enumerate(t.tasks, 1):
        a = r.assessment
        provider = f" · {name(r.quote.provider)}" if r.quote and r.quote.provider else ""
        lines.append(
            f"{i}. {name(r.name)} — saves {money(a.savings_week, cur)}/week "
            f"({money(a.savings_year, cur)}/year){provider}"
        )
    total = (
        f"Handing these off saves *{money(t.total_week, cur)}/week* "
        f"({money(t.total_year, cur)}/year) and frees {hours(t.hours_freed_week)} a week "
        "for your expertise."
    )
    if t.more:
        total += (
            f"\n{t.more} more task{'s' if t.more != 1 else ''} would save "
            f"{money(t.more_week, cur)}/week on top: {code(example('report'))}"
        )
    return message(
        f"Hand these off first: {', '.join(r.name for r in t.tasks)}.",
        [section("*Hand these off first:*\n" + truncate("\n".join(lines))), section(total)],
    )


def help_message() -> Message:
    examples = "\n".join(f"• _{e}_" for e in EXAMPLES)
    return message(
        "Ask me whether to hand off a task, e.g. “should I outsource the newsletter?”",
        [
            section(
                f"I can tell you whether a task is worth handing off. Ask me, for example:\n{examples}"
            ),
            context(f"Log time with {code(example('log'))} · {code(example('help'))}"),
        ],
    )


def did_you_mean_asking(d: DidYouMean, question: Callable[[str], str]) -> Message:
    """ "Did you mean…?" for a question other than "should I…": ``question`` asks it again."""
    options = "\n".join(f"• {name(c)} — “{question(user(c))}”" for c in d.candidates)
    return message(
        f"Did you mean {' or '.join(d.candidates)}?",
        [section(f"I'm not sure which task you mean by {name(d.asked)}. Did you mean:\n{options}")],
    )


# ---- "X or Y?" ------------------------------------------------------------------------------


def comparison(c: Comparison) -> Message:
    """Which saves more first, then each verdict in its own column."""
    lead = _which_saves_more(c)
    fields = [
        MarkdownTextObject(
            text=truncate(f"{name(r.name)}\n{verdict.short(r, c.currency)}", MAX_FIELD)
        )
        for r in c.reports
    ]
    return message(
        plain(lead),
        [
            SectionBlock(text=MarkdownTextObject(text=truncate(lead)), fields=fields),
            context(f"Same numbers as {code(example('report'))}"),
        ],
    )


def _which_saves_more(c: Comparison) -> str:
    cur = c.currency
    two = len(c.reports) == 2
    if c.best:
        week = money(c.best[0].assessment.savings_week, cur)
        if len(c.best) == 1:
            head = f"{name(c.best[0].name)} saves {'more' if two else 'the most'}: {week} a week"
        else:
            head = f"{' and '.join(name(r.name) for r in c.best)} save the same: {week} a week each"
        rest = [r for r in c.reports if r not in c.best]
    elif len(c.ranked) == len(c.reports):
        head = "Neither pays to hand off: keep both" if two else "None pays to hand off: keep them"
        rest = c.reports
    else:
        head = "Neither saves money yet" if two else "None saves money yet"
        rest = c.reports
    return head + "".join(f"; {_saving(r, cur)}" for r in rest) + "."


def _saving(r: TaskReport, cur: str) -> str:
    """One task's part of the comparison line: what handing it off saves or costs a week."""
    a = r.assessment
    if a.one_off and a.savings_total is not None and a.verdict in (Verdict.HAND_OFF, Verdict.KEEP):
        # A whole job's total and a weekly figure are different things: say it, don't rank it.
        if a.verdict is Verdict.HAND_OFF:
            job = f"saves {money(a.savings_total, cur)} on the job"
        else:
            job = f"would cost {money(-a.savings_total, cur)} more on the job"
        return f"{name(r.name)} is one-off work: handing it off {job}, not a weekly figure"
    if a.savings_week is None or a.verdict not in (Verdict.HAND_OFF, Verdict.KEEP):
        return f"{name(r.name)} has no saving to compare yet"
    if a.verdict is Verdict.HAND_OFF:
        return f"{name(r.name)} saves {money(a.savings_week, cur)} a week"
    return f"handing off {name(r.name)} would cost {money(-a.savings_week, cur)} a week more"


# ---- "how much does X cost me?" -------------------------------------------------------------


def render_cost(reply: Cost | DidYouMean | Unknown) -> Message:
    match reply:
        case Cost():
            return cost(reply)
        case DidYouMean():
            return did_you_mean_asking(reply, lambda task: f"how much does {task} cost me?")
        case Unknown():
            return unknown(reply)
    raise AssertionError(reply)  # pragma: no cover


def cost(c: Cost) -> Message:
    """The in-house cost a week, with the multiplication that gives it."""
    r, cur = c.report, c.currency
    a = r.assessment
    task = name(r.name)
    if r.frequency is Frequency.ONCE:
        text = (
            f"{task} is one-off work, so it has no cost a week. Whether to hand it off: "
            f"{code(typed('should', r.name))}"
        )
    elif a.verdict is Verdict.NO_DATA:
        text = (
            f"No time is logged on {task} in the last {a.window_days} days, so I can't put a cost "
            f"on it. Log it: {code(log_command(r.name, '1h', 'weekly'))}"
        )
    elif a.in_house_week is None or a.hourly_worth is None:
        text = (
            f"{task} takes {hours(a.hours_per_week)} a week, but nobody who logged it has set an "
            f"hourly worth, so I can't put a cost on it. Set yours: {code(example('rate'))}"
        )
    else:
        text = (
            f"{task} costs you *{money(a.in_house_week, cur)} a week* in-house: "
            f"{hours(a.hours_per_week)} a week × {money(a.hourly_worth, cur)}/hour.\n"
            f"Hours per week: {verdict.derivation(r)}."
        )
    return message(
        plain(text.split("\n")[0]),
        [section(text), context(f"Same numbers as {code(example('report'))}")],
    )


# ---- "how many hours did I spend on X this week?" -------------------------------------------


def render_spent(reply: Spent | DidYouMean | Unknown) -> Message:
    match reply:
        case Spent():
            return spent(reply)
        case DidYouMean():
            return did_you_mean_asking(
                reply, lambda task: f"how many hours did I spend on {task} this week?"
            )
        case Unknown():
            return unknown(reply)
    raise AssertionError(reply)  # pragma: no cover


def spent(s: Spent) -> Message:
    who = "Everyone together" if s.everyone else "You"
    if s.start == s.end:  # "this week" on a Monday: one day, named without nested brackets
        days = f"{'today, ' if s.start == s.today else ''}{day(s.start)}"
    else:
        days = f"{day(s.start)} – {'today' if s.end == s.today else day(s.end)}"
    if s.minutes:
        text = f"{who} spent *{format_minutes(s.minutes)}* on {name(s.task)} {s.period} ({days})."
    else:
        nobody = "Nobody logged" if s.everyone else "You logged"
        none = "any" if s.everyone else "no"
        text = f"{nobody} {none} time on {name(s.task)} {s.period} ({days})."
    return message(plain(text), [section(text)])
