"""Providers (#11): `providers`, `provider <name>`, and the replies to `trial` and `review`."""

from __future__ import annotations

from fractions import Fraction

from slack_sdk.models.blocks import Block

from bot.parse.logtask import typed
from bot.services.providers import (
    HANDOFF_KIND,
    ProviderDetail,
    ProviderList,
    ProviderSummary,
    ReviewAdded,
    TrialStarted,
)
from bot.views import verdict
from bot.views.common import (
    MAX_BLOCKS,
    Message,
    code,
    context,
    day,
    header,
    message,
    money,
    name,
    plain,
    section,
    truncate,
    user,
)

KIND = {"trial": "trial", HANDOFF_KIND: "hand-off"}


def _percent(share: Fraction) -> str:
    return f"{round(float(share) * 100)}%"


def summary_line(p: ProviderSummary, currency: str) -> str:
    """One provider in a line: what they quoted, tried and took on, and how it went."""
    parts = [f"{p.tasks_quoted} task{'s' if p.tasks_quoted != 1 else ''} quoted"]
    if p.trials:
        now = f" ({p.trials_active} going on)" if p.trials_active else ""
        parts.append(f"{p.trials} trial{'s' if p.trials != 1 else ''}{now}")
    if p.handoffs:
        now = f" ({p.handoffs_active} going on)" if p.handoffs_active else ""
        parts.append(f"{p.handoffs} hand-off{'s' if p.handoffs != 1 else ''}{now}")
    parts.append(f"score {verdict.score_text(p.average_score, p.reviews)}")
    if p.on_time is not None:
        parts.append(f"on time {_percent(p.on_time)}")
    if p.saved_so_far is not None:
        parts.append(f"saved {money(p.saved_so_far, currency)} so far")
    return f"{name(p.name)} — " + " · ".join(parts)


def provider_list(pl: ProviderList) -> Message:
    if not pl.providers:
        text = (
            "No providers yet. A quote from someone adds them: "
            f"{code(typed('quote', '<task>', '<price>', 'from', '<provider>'))}"
        )
        return message(plain(text), [section(text)])
    blocks: list[Block] = [header("Providers")]
    room = MAX_BLOCKS - 3
    for p in pl.providers[:room]:
        blocks.append(section(truncate(summary_line(p, pl.currency))))
    if len(pl.providers) > room:
        blocks.append(context(f"…and {len(pl.providers) - room} more."))
    blocks.append(context(f"{code(typed('provider', '<name>'))} shows one with its history"))
    lines = [plain(summary_line(p, pl.currency)) for p in pl.providers]
    return message(truncate("\n".join(lines)), blocks)


def provider_detail(d: ProviderDetail) -> Message:
    cur, s = d.currency, d.summary
    lead = summary_line(s, cur)
    blocks: list[Block] = [section(truncate(lead))]
    if d.quotes:
        lines = ["*Quotes*"]
        for q in d.quotes:
            # Led by the task, not the provider: the page is the provider's.
            one_off = d.one_off.get(q.task, False)
            lines.append(verdict.shortlist_line(q.line, one_off, cur, who=name(q.task)))
        blocks.append(section(truncate("\n".join(lines))))
    if d.engagements:
        lines = ["*Trials and hand-offs*"]
        for e in d.engagements:
            until = f" to {day(e.ended_on, d.today)}" if e.ended_on else " — going on"
            lines.append(
                f"• {KIND[e.kind]} of {name(e.task)}: from {day(e.started_on, d.today)}{until}"
            )
        blocks.append(section(truncate("\n".join(lines))))
    if d.reviews:
        lines = ["*Reviews*"]
        for r in d.reviews:
            when = {True: " · on time", False: " · late", None: ""}[r.on_time]
            on = f" on {name(r.task)}" if r.task else ""
            by = f" by {verdict.member(r.author)}" if r.author else ""
            note = f" — {user(r.note)}" if r.note else ""
            lines.append(f"• {day(r.day, d.today)}{on}: {r.score}/5{when}{by}{note}")
        blocks.append(section(truncate("\n".join(lines))))
    if not (d.quotes or d.engagements or d.reviews):
        blocks.append(section("No quotes, trials or reviews yet."))
    return message(plain(lead), blocks)


def trial_started(t: TrialStarted) -> Message:
    lead = (
        f"Trial started: {name(t.provider)} on {name(t.task)} from {day(t.started_on, t.started_on)}"
        f"{' (a new provider)' if t.new_provider else ''}."
    )
    lines = [lead]
    if t.quote is None:
        lines.append(
            f"No quote from them on it yet: "
            f"{code(typed('quote', t.task, '<price>', 'from', t.provider))}"
        )
    else:
        lines.append(f"Their quote: {verdict.quote_text(t.quote, t.currency)}.")
    lines.append(
        f"Score their work as it goes: {code(typed('review', t.provider, '<1-5>', '[late|on time]'))}"
    )
    return message(plain(lead), [section(truncate("\n".join(lines)))])


def review_added(r: ReviewAdded) -> Message:
    when = {True: ", on time", False: ", late", None: ""}[r.on_time]
    lead = (
        f"Reviewed {name(r.provider)}'s {KIND.get(r.kind, r.kind)} of {name(r.task)}: "
        f"{r.score}/5{when}."
    )
    lines = [lead]
    if r.note:
        lines.append(f"Note: {user(r.note)}")
    lines.append(
        f"{name(r.provider)} averages {verdict.score_text(r.provider_average, r.provider_reviews)}; "
        f"{name(r.task)} averages {verdict.score_text(r.task_average, r.task_reviews)}."
    )
    return message(plain(lead), [section(truncate("\n".join(lines)))])
