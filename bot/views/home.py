"""The App Home tab and the "Log time" modal, as Block Kit. Pure: read models in, dicts out."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.money import format_money
from bot.parse import home_forms
from bot.parse import log_form as form
from bot.parse.duration import format_minutes
from bot.parse.logtask import example
from bot.services.home import Home, TaskOption
from bot.services.tasks import NearMiss
from bot.text import shorten
from bot.views import digest as digest_views
from bot.views import handoffs as handoff_views
from bot.views import verdict
from bot.views.common import (
    button_label,
    code,
    context,
    day,
    divider,
    header,
    hours,
    money,
    name,
    section,
    truncate,
)
from bot.views.logtask import job_line

MAX_HOME_BLOCKS = 100
MAX_OPTION_TEXT = 75  # Slack's limit for an option's label

# Action ids of the Home's buttons, and the modals' callback ids.
LOG_TIME = "home_log_time"
ADD_QUOTE = "home_add_quote"
SET_RATE = "home_set_rate"
LOG_MODAL = "home_log_modal"
QUOTE_MODAL = "home_quote_modal"
RATE_MODAL = "home_rate_modal"
VALUE = "value"  # every input's action id; the block id says which field it is


def home(h: Home) -> dict[str, Any]:
    """The member's dashboard: a ``home`` view for views.publish."""
    cur = h.currency
    blocks: list[Block] = [
        header("Handoff"),
        ActionsBlock(
            elements=[
                ButtonElement(text="Log time", action_id=LOG_TIME, style="primary"),
                ButtonElement(text="Add a quote", action_id=ADD_QUOTE),
                ButtonElement(text="Set my rate", action_id=SET_RATE),
            ]
        ),
        section(f"*Your hours this week* ({_week(h)}): *{format_minutes(h.week_minutes)}*"),
        divider(),
    ]
    blocks += _top(h)
    blocks.append(divider())
    blocks += _needs_quote(h)
    if h.one_off:
        blocks.append(divider())
        blocks.append(section("*One-off work* — each job weighed whole, not per week."))
        blocks += [section(job_line(t, cur)) for t in h.one_off]
        if h.one_off_more:
            blocks.append(context(f"…and {h.one_off_more} more: {code(example('report'))}"))
    if h.loop is not None:
        blocks += handoff_views.report_section(h.loop, 12)
    blocks.append(divider())
    blocks.append(section("*Weekly digest*\n" + _digest(h)))
    blocks.append(
        context(f"Everything here comes from {code(example('report'))}; updated as you log.")
    )
    if len(blocks) > MAX_HOME_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks is over the Home's limit of {MAX_HOME_BLOCKS}")
    return View(type="home", blocks=blocks).to_dict()


def _week(h: Home) -> str:
    if h.week_start == h.today:
        return day(h.today)
    return f"{day(h.week_start)} – {day(h.today)}"


def _top(h: Home) -> list[Block]:
    t, cur = h.top, h.currency
    if not t.tasks:
        return [
            section(
                "*Hand these off first*\nNothing is losing you money yet: no recurring task "
                "costs more in-house than its quote."
            )
        ]
    lines = [
        f"{i}. {name(r.name)} — saves *{money(r.assessment.savings_week, cur)}/week* "
        f"({money(r.assessment.savings_year, cur)}/year)"
        for i, r in enumerate(t.tasks, 1)
    ]
    total = (
        f"Together: *{money(t.total_week, cur)}/week* ({money(t.total_year, cur)}/year), "
        f"{hours(t.hours_freed_week)} a week freed."
    )
    if t.more:
        total += f" {t.more} more would save {money(t.more_week, cur)}/week on top."
    return [section("*Hand these off first*\n" + truncate("\n".join(lines))), context(total)]


def _needs_quote(h: Home) -> list[Block]:
    if not h.needs_quote:
        return [section("*Needs a quote*\nNo task is waiting for a quote.")]
    lines = [
        f"• {name(r.name)} — hand it off if someone does it for under "
        f"{verdict.break_even(r, h.currency)}"
        for r in h.needs_quote
    ]
    if h.needs_quote_more:
        lines.append(f"…and {h.needs_quote_more} more")
    return [
        section("*Needs a quote*\n" + truncate("\n".join(lines))),
        context(f"Add one: {code(example('quote'))}"),
    ]


def _digest(h: Home) -> str:
    # The same words as /logtask digest, so the two never disagree.
    return str(digest_views.shown(h.digest)["text"])


def log_modal(options: list[TaskOption], today: date, tz: str) -> dict[str, Any]:
    """The "Log time" modal. ``tz`` rides along in private_metadata, so the submission is
    read in the same calendar as the date picker's default (today for the member)."""
    blocks = _task_fields(options)
    blocks += [
        InputBlock(
            block_id=form.DURATION,
            label="How long",
            element=PlainTextInputElement(action_id=VALUE, placeholder="45m, 1h30m or 1:30"),
        ),
        InputBlock(
            block_id=form.DAY,
            label="Day",
            element=DatePickerElement(action_id=VALUE, initial_date=today.isoformat()),
        ),
        InputBlock(
            block_id=form.FREQUENCY,
            label="How often it happens",
            optional=True,
            hint="Sets the task's frequency: daily, weekly, 3x/week, monthly, once…",
            element=PlainTextInputElement(action_id=VALUE, placeholder="weekly"),
        ),
        InputBlock(
            block_id=form.CATEGORY,
            label="Category",
            optional=True,
            hint="One word; sets the task's category.",
            element=PlainTextInputElement(action_id=VALUE, placeholder="marketing"),
        ),
    ]
    return View(
        type="modal",
        callback_id=LOG_MODAL,
        title="Log time",
        submit="Log",
        close="Cancel",
        private_metadata=json.dumps({"tz": tz}),
        blocks=blocks,
    ).to_dict()


def quote_modal(options: list[TaskOption], tz: str) -> dict[str, Any]:
    """The "Add a quote" modal: a task, its price and who quoted it; /logtask quote's rules."""
    blocks = _task_fields(options)
    blocks += [
        InputBlock(
            block_id=home_forms.PRICE,
            label="Price",
            hint="Per time, per hour, a week or a month; or the whole job for one-off work.",
            element=PlainTextInputElement(
                action_id=VALUE, placeholder="$60 each, $25/hour, $300/month, $3,000 total"
            ),
        ),
        InputBlock(
            block_id=home_forms.PROVIDER,
            label="From",
            optional=True,
            hint="Who quoted it: a freelancer, an agency, a service.",
            element=PlainTextInputElement(action_id=VALUE, max_length=100, placeholder="Jane"),
        ),
    ]
    return View(
        type="modal",
        callback_id=QUOTE_MODAL,
        title="Add a quote",
        submit="Save",
        close="Cancel",
        private_metadata=json.dumps({"tz": tz}),
        blocks=blocks,
    ).to_dict()


def rate_modal(rate_minor: int | None, currency: str, tz: str) -> dict[str, Any]:
    """The "Set my rate" modal: what an hour of the member's expertise earns, filled in with
    their rate (as they would type it) when they have one."""
    current = None if rate_minor is None else f"{format_money(rate_minor, currency)}/hour"
    return View(
        type="modal",
        callback_id=RATE_MODAL,
        title="Set my rate",
        submit="Save",
        close="Cancel",
        private_metadata=json.dumps({"tz": tz}),
        blocks=[
            InputBlock(
                block_id=home_forms.RATE,
                label="What an hour of your expertise earns",
                hint="Your hourly worth: what your own work brings in an hour. A day or a "
                "week's pay works too: $480/day 8h.",
                element=PlainTextInputElement(
                    action_id=VALUE, initial_value=current, placeholder="$120/hour"
                ),
            )
        ],
    ).to_dict()


def _task_fields(options: list[TaskOption]) -> list[Block]:
    """Pick one of the workspace's tasks, or type a name."""
    blocks: list[Block] = []
    if options:
        blocks.append(
            InputBlock(
                block_id=form.TASK,
                label="Task",
                optional=True,
                hint="Your workspace's most recently logged tasks.",
                element=StaticSelectElement(
                    action_id=VALUE,
                    placeholder="Pick a task",
                    options=[Option(value=str(o.task_id), text=_option(o.name)) for o in options],
                ),
            )
        )
    blocks.append(
        InputBlock(
            block_id=form.NEW_TASK,
            label="New task" if options else "Task",
            optional=bool(options),
            hint="Or type a task's name. Put it in quotes to make a new task even if it is "
            "close to another.",
            element=PlainTextInputElement(action_id=VALUE, max_length=100),
        )
    )
    return blocks


def _option(task_name: str) -> str:
    return button_label(task_name)[:MAX_OPTION_TEXT]


def near_miss_error(e: NearMiss) -> str:
    """A modal's error text is plain: no escaping, no mrkdwn."""
    close = " or ".join(f"“{shorten(c, 80)}”" for c in e.candidates[:3])
    return (
        f"There is no task called “{shorten(e.typed, 80)}”. Did you mean {close}? Pick it from the list, "
        "or put the name in quotes to make a new task."
    )
