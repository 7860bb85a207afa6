"""Answers to "should I outsource X?" — in a DM, a thread, or /logtask should."""

from __future__ import annotations

from bot.parse.logtask import example, log_command, typed
from bot.services.questions import (
    Answer,
    DidYouMean,
    NotAQuestion,
    Reply,
    TopCandidates,
    Unknown,
)
from bot.views import verdict
from bot.views.common import (
    Message,
    code,
    command_button,
    context,
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
    "what should I outsource?",
)


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
    raise AssertionError(reply)  # pragma: no cover


def answer(a: Answer) -> Message:
    """The verdict in plain words first, then the task it is about and the arithmetic."""
    r, cur = a.report, a.currency
    first = verdict.first_line(r, cur)
    lines = [
        f"About {name(r.name)}:",
        *verdict.numbers(r, cur, a.overhead_bp),
        "",
        f"*Next step:* {verdict.next_step(r, cur)}",
    ]
    return message(
        f"{r.name}: {plain(first)}",
        [
            section(first),
            section(truncate("\n".join(lines))),
            context(f"Same numbers as {code(example('report'))}"),
        ],
    )


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
