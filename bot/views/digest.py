"""The weekly digest as Block Kit, with a complete plain-text fallback; the digest settings."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import Block, ButtonElement

from bot.economics import CategoryTotals
from bot.parse.duration import format_minutes
from bot.parse.logtask import example, examples, typed
from bot.services.analysis import TaskReport
from bot.services.digest import Digest, Setting
from bot.services.handoffs import HandoffStatus
from bot.text import escape, shorten
from bot.views import handoffs as handoff_views
from bot.views import verdict
from bot.views.common import (
    MAX_BLOCKS,
    MAX_SECTION,
    MAX_SHOWN_NAME,
    Message,
    code,
    command_button,
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
from bot.weekly import WEEKDAY_NAMES

MAX_LISTED = 25  # tasks per list before "…and N more"
WHY_BUTTONS = 5  # the top money-losers get a "Why?" button each; the rest are listed
KEEP_LISTED = 8


def _span(d: Digest) -> str:
    start, end = d.week_start, d.week_end
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b %Y}"
    return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"


def _hand_off_line(r: TaskReport, cur: str) -> str:
    a = r.assessment
    who = f" · from {name(r.quote.provider)}" if r.quote and r.quote.provider else ""
    return (
        f"• {name(r.name)} — {hours(a.hours_per_week)}/week · in-house {money(a.in_house_week, cur)}"
        f" · outsourcing {money(a.outsourcing_week, cur)} · saves *{money(a.savings_week, cur)}/week*"
        f" ({money(a.savings_year, cur)}/year){who}"
    )


def _quote_line(r: TaskReport, cur: str) -> str:
    return (
        f"• {name(r.name)} — hand it off if someone does it for under {verdict.break_even(r, cur)}"
    )


def _keep_line(r: TaskReport, cur: str) -> str:
    extra = -(r.assessment.savings_week or 0)
    return f"• {name(r.name)} — outsourcing costs {money(extra, cur)}/week more"


def _listed(
    title: str,
    items: list[TaskReport],
    line: Callable[[TaskReport, str], str],
    cur: str,
    limit: int,
) -> list[Block]:
    """A titled list in as many sections as it takes, cut off with "…and N more"."""
    lines = [line(r, cur) for r in items[:limit]]
    if len(items) > limit:
        lines.append(f"…and {len(items) - limit} more")
    blocks: list[Block] = []
    chunk = f"*{title}*" if title else ""
    for ln in lines:
        if chunk and len(chunk) + 1 + len(ln) > MAX_SECTION:
            blocks.append(section(chunk))
            chunk = ln
        else:
            chunk = f"{chunk}\n{ln}" if chunk else ln
    if chunk:
        blocks.append(section(chunk))
    return blocks


def _hand_offs(items: list[TaskReport], cur: str) -> list[Block]:
    """The money-losers: the first few each with a "Why?" button, the rest as a list."""
    blocks: list[Block] = [section("*Losing money — hand these off*")]
    for r in items[:WHY_BUTTONS]:
        blocks.append(section(_hand_off_line(r, cur), _why(r.name)))
    if rest := items[WHY_BUTTONS:]:
        lines = _listed("", rest, _hand_off_line, cur, MAX_LISTED - WHY_BUTTONS)
        blocks += lines
    return blocks


def _why(task: str) -> ButtonElement | None:
    """A button showing whoever clicks it the arithmetic behind a task's line (`should`)."""
    for left, right in (('"', '"'), ("“", "”")):
        if left not in task and right not in task:
            return command_button("Why?", f"should {left}{task}{right}")
    return None  # a name holding both kinds of quotes: its line still says it all


def digest_message(d: Digest) -> Message:
    cur = d.currency
    title = f"Weekly digest · {_span(d)}"
    if d.minutes_total == 0 and not (d.hand_off or d.get_quote or d.keep or d.handoffs):
        return message(
            f"{title}: no time was logged this week. Start with {example('log')}",
            [
                header(title),
                section(
                    "No time was logged in the last 7 days, so there is nothing to weigh up yet.\n"
                    f"Log what you work on — {code(example('log'))} — "
                    f"set your hourly worth with {code(example('rate'))}, and next week I'll "
                    "tell you which tasks are costing you money."
                ),
            ],
        )

    people = ", ".join(f"{user(who)} {format_minutes(m)}" for who, m in d.minutes_by_member[:10])
    blocks: list[Block] = [
        header(title),
        section(
            f"*{format_minutes(d.minutes_total)}* logged in the last 7 days"
            + (f": {people}" if people else ".")
        ),
        divider(),
    ]
    fallback = [title, f"{format_minutes(d.minutes_total)} logged in the last 7 days."]
    if d.hand_off:
        blocks += _hand_offs(d.hand_off, cur)
        total = (
            f"Together: *{money(d.savings_week, cur)}/week* ({money(d.savings_year, cur)}/year) saved, "
            f"and *{hours(d.hours_freed_week)}/week* freed for your expertise."
        )
        blocks.append(section(total))
        fallback.append("Losing money — hand these off:")
        fallback += [
            f"- {shorten(r.name, MAX_SHOWN_NAME)}: saves {money(r.assessment.savings_week, cur)}/week ({money(r.assessment.savings_year, cur)}/year)"
            for r in d.hand_off[:MAX_LISTED]
        ]
        fallback.append(plain(total))
    else:
        blocks.append(
            section(
                "*Losing money:* nothing this week — no recurring task costs you more than its quote."
            )
        )
        fallback.append("Losing money: nothing this week.")
    if d.get_quote:
        blocks += _listed("Get a quote for", d.get_quote, _quote_line, cur, MAX_LISTED)
        fallback.append("Get a quote for:")
        fallback += [
            f"- {shorten(r.name, MAX_SHOWN_NAME)}: under {plain(verdict.break_even(r, cur))}"
            for r in d.get_quote[:MAX_LISTED]
        ]
    if d.keep:
        blocks += _listed("Keep doing yourself", d.keep, _keep_line, cur, KEEP_LISTED)
        fallback.append(
            "Keep doing yourself: "
            + ", ".join(shorten(r.name, MAX_SHOWN_NAME) for r in d.keep[:KEEP_LISTED])
        )
    loop, loop_text = _handoffs(d)
    blocks += loop
    fallback += loop_text
    if d.categories:
        lines = [_category_line(c, cur) for c in d.categories[:MAX_LISTED]]
        if len(d.categories) > MAX_LISTED:
            lines.append(f"…and {len(d.categories) - MAX_LISTED} more")
        blocks.append(section(truncate("*Per category* (a week)\n" + "\n".join(lines))))
        fallback.append("Per category: " + "; ".join(plain(ln[2:]) for ln in lines))
    if d.core:
        shown = ", ".join(name(r.name) for r in d.core[:10]) + (
            f" and {len(d.core) - 10} more" if len(d.core) > 10 else ""
        )
        blocks.append(
            section(
                f"*Core expertise:* {len(d.core)} task{'s' if len(d.core) != 1 else ''} kept — {shown}."
            )
        )
        fallback.append(f"Core expertise: {len(d.core)} tasks kept.")
    blocks.append(
        context(
            f"{code(example('report'))} for every task · {code(typed('digest', 'off'))} to stop these"
        )
    )
    assert len(blocks) <= MAX_BLOCKS
    return message("\n".join(fallback), blocks)


def _when(s: Setting) -> str:
    return f"{WEEKDAY_NAMES[s.weekday]}s at {s.local_time} ({s.timezone})"


def _next(s: Setting) -> str:
    local = s.next_run_at.astimezone(ZoneInfo(s.timezone))
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def configured(s: Setting, joined: bool) -> Message:
    lines = [
        f"The weekly digest goes to <#{s.channel_id}> on {_when(s)}.",
        f"Next digest: *{_next(s)}*.",
    ]
    if joined:
        lines.append("I joined the channel so I can post there.")
    return message(
        f"Weekly digest set: {WEEKDAY_NAMES[s.weekday]}s at {s.local_time} ({s.timezone}); next {_next(s)}.",
        [
            section("\n".join(lines)),
            context(f"{code(typed('digest', 'preview'))} shows it now, only to you"),
        ],
    )


def shown(s: Setting | None) -> Message:
    if s is None:
        return message(
            "No weekly digest is set up.",
            [
                section(
                    "No weekly digest is set up. Post it in this channel every Monday at 09:00: "
                    f"{code(typed('digest', 'here'))}, or pick a channel, day and time: "
                    f"{code(examples('digest')[0])}"
                )
            ],
        )
    if not s.enabled:
        return message(
            "The weekly digest is off.",
            [
                section(
                    f"The weekly digest is *off* (it was for <#{s.channel_id}>, {_when(s)}). Turn it on again: {code(typed('digest', 'here'))}"
                )
            ],
        )
    problem = (
        f"\n:warning: The last digest failed: {escape(s.last_error)}."
        if s.last_status == "failed" and s.last_error
        else ""
    )
    return message(
        f"Weekly digest: {_when(s)}; next {_next(s)}.",
        [
            section(
                f"The weekly digest goes to <#{s.channel_id}> on {_when(s)}.\nNext digest: *{_next(s)}*.{problem}"
            )
        ],
    )


def turned_off(s: Setting | None) -> Message:
    if s is None:
        return shown(None)
    return message(
        "Weekly digest turned off.",
        [section(f"Weekly digest turned off. Turn it back on: {code(typed('digest', 'here'))}")],
    )


def posted_now(channel_id: str) -> Message:
    return message(
        "Digest posted.",
        [
            section(
                f"Posted this week's digest in <#{channel_id}>. The weekly schedule is unchanged."
            )
        ],
    )


def needs_invite(channel_id: str) -> Message:
    return message(
        "Invite the bot to that channel first.",
        [
            section(
                f"I'm not in <#{channel_id}> and can't join it by myself (it's private). Invite me there with {code('/invite @Handoff')}, then run the command again."
            )
        ],
    )


def preview_note(msg: Message) -> Message:
    blocks = [
        *msg["blocks"],
        context("Preview — only you can see this. Nothing was posted.").to_dict(),
    ]
    return {"text": msg["text"], "blocks": blocks[:MAX_BLOCKS]}


# Why a post failed, in plain words, for errors no one needs to fix: trying again may work.
_TRANSIENT = {
    "timeout": "Slack didn't answer in time",
    "connection_error": "I couldn't reach Slack",
    "internal_error": "Slack had an internal error",
    "fatal_error": "Slack had an internal error",
    "service_unavailable": "Slack was unavailable",
    "request_timeout": "Slack didn't receive the whole message",
    "ratelimited": "Slack kept asking me to slow down",
    "interrupted": "the scheduler stopped while it was posting it",
    "expired": "the scheduler stopped while it was posting it, and now it is too late for this week",
}
PICK_CHANNEL = typed("digest", "#channel")
RETRY_NOW = f"post it now with `{typed('digest', 'now')}`"


def _reason(error: str) -> str:
    if error in _TRANSIENT:
        return _TRANSIENT[error]
    if error.startswith("http_") and error[5:].isdigit():
        return f"Slack had an outage (HTTP {error[5:]})"
    return f"Slack answered “{escape(error)}”"


def problem_dm(channel_id: str, error: str, unverified: str | None = None) -> Message:
    """This week's digest finally failed: why, in plain words, and what to do.

    ``unverified``: the post may have gone through, and looking in the channel failed with
    this error, so it was not posted again — the member is asked to look.
    """
    fixes = {
        "channel_not_found": f"the channel was deleted or I can't see it — pick another with `{PICK_CHANNEL}`",
        "not_in_channel": f"I'm not in <#{channel_id}> — invite me with `/invite @Handoff` there",
        "is_archived": f"<#{channel_id}> is archived — pick another with `{PICK_CHANNEL}`",
        "token_revoked": "my access to the workspace was revoked — reinstall Handoff",
        "invalid_auth": "my token is no longer valid — reinstall Handoff",
        "account_inactive": "my token is no longer valid — reinstall Handoff",
    }
    if unverified is not None:
        scope_note = (
            " To let me check next time, reinstall Handoff so it may read the channel's history."
            if unverified == "missing_scope"
            else ""
        )
        text = (
            f":warning: This week's digest may not have been posted in <#{channel_id}>: "
            f"{_reason(error)}, and I couldn't look in the channel to see whether it got through "
            f"({_reason(unverified)}), so I didn't post it again. If it isn't there, "
            f"{RETRY_NOW}.{scope_note}"
        )
        return message(
            "This week's Handoff digest may not have been posted: please check the channel.",
            [section(text)],
        )
    if error in fixes:
        text = (
            f":warning: This week's digest could not be posted in <#{channel_id}>: {fixes[error]}."
        )
    elif error in ("expired", "interrupted"):
        text = (
            f":warning: This week's digest could not be posted in <#{channel_id}>: "
            f"{_reason(error)}. If you still want it, {RETRY_NOW}."
        )
    else:
        text = (
            f":warning: This week's digest could not be posted in <#{channel_id}>: "
            f"{_reason(error)}, and trying again didn't help. {RETRY_NOW[0].upper()}{RETRY_NOW[1:]}."
        )
    return message(
        f"This week's Handoff digest could not be posted: {plain(_reason(error))}.",
        [section(text)],
    )


def _handoff_line(h: HandoffStatus, week: HandoffStatus, cur: str) -> str:
    r, w = h.realized, week.realized
    return (
        f"• {name(h.task)} → {user(h.provider)}"
        + (f" (taken back {day(h.ended_on)})" if h.ended_on is not None else "")
        + f": saved *{money(w.realized, cur)}* this week "
        f"(projected {money(w.projected, cur)}) · {money(r.realized, cur)} so far in "
        f"{handoff_views.weeks_text(r.weeks)} (projected {money(r.projected, cur)})"
    )


def _handoffs(d: Digest) -> tuple[list[Block], list[str]]:
    """The hand-offs: what each saved this week and so far, and those under the bar."""
    if not d.handoffs:
        return [], []
    cur = d.currency
    lines = [_handoff_line(h, w, cur) for h, w in zip(d.handoffs, d.handoffs_week, strict=True)][
        :MAX_LISTED
    ]
    if len(d.handoffs) > MAX_LISTED:
        lines.append(f"…and {len(d.handoffs) - MAX_LISTED} more")
    total = (
        f"Hand-offs saved *{money(d.saved_week, cur)}* this week (projected "
        f"{money(d.projected_week, cur)}) and *{money(d.saved_so_far, cur)}* so far (projected "
        f"{money(d.projected_so_far, cur)})."
    )
    blocks: list[Block] = [
        divider(),
        section(truncate("*Handed off*\n" + "\n".join(lines))),
        section(total),
    ]
    text = ["Handed off:", *(plain(ln) for ln in lines), plain(total)]
    under = d.under_bar[:5]
    if under:
        advice = [
            f"• {name(h.task)} → {user(h.provider)}: {handoff_views.advice(h, cur)}" for h in under
        ]
        blocks.append(section(truncate("*Under the bar*\n" + "\n".join(advice))))
        text += ["Under the bar:", *(plain(a) for a in advice)]
    return blocks, text


def _category_line(c: CategoryTotals, cur: str) -> str:
    title = f"#{user(c.category)}" if c.category else "uncategorised"
    return (
        f"• {title}: {hours(c.hours_week)}/week · in-house {money(c.in_house_week, cur)}/week"
        f" · savings available {money(c.savings_week, cur)}/week"
    )
