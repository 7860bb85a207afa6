"""Building blocks shared by every view. Views are pure: data in, Block Kit dicts out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.errors import UserError
from bot.money import format_money
from bot.parse.duration import format_hours
from bot.parse.logtask import examples
from bot.text import escape, shorten, unescape

Message = dict[
    str, Any
]  # {"text": fallback, "blocks": [...]}: what chat.postMessage and respond take

MAX_BLOCKS = 50
MAX_SECTION = 3000  # Slack's limit for a section's (and a context element's) text
MAX_FALLBACK = 3000  # notifications show far less; the blocks carry the detail
MAX_SHOWN_NAME = 100  # names are stored at 80; a question may name anything, at any length
MAX_SHOWN_CODE = 300
MAX_BUTTON_TEXT = 75  # Slack's limits for a button's label and value
MAX_BUTTON_VALUE = 2000

# The action of a button whose value is /logtask text: a click runs it as the member who clicked
# (bot/listeners/actions.py).
RUN_COMMAND = "logtask_run"


def message(text: str, blocks: Sequence[Block]) -> Message:
    """A message: ``text`` is the plain fallback (notifications, screen readers), given raw.

    Slack parses the fallback too, so it is escaped here, once, for every view.
    """
    if len(blocks) > MAX_BLOCKS:
        raise ValueError(f"{len(blocks)} blocks is over Slack's limit of {MAX_BLOCKS}")
    # to_dict() runs slack_sdk's validation, as a last line behind the truncation below.
    return {"text": truncate(escape(text), MAX_FALLBACK), "blocks": [b.to_dict() for b in blocks]}


def section(mrkdwn: str, button: ButtonElement | None = None) -> SectionBlock:
    return SectionBlock(text=MarkdownTextObject(text=truncate(mrkdwn)), accessory=button)


def context(*mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=truncate(m)) for m in mrkdwn])


def header(text: str) -> HeaderBlock:
    return HeaderBlock(text=PlainTextObject(text=text[:150]))


def divider() -> DividerBlock:
    return DividerBlock()


def user(text: str) -> str:
    """Text a user typed (a task, provider, category, question), made inert for mrkdwn.

    Every view renders user text through this, ``name`` or ``code``: escaping ``&``, ``<``
    and ``>`` is what keeps a task called ``<!channel>`` from pinging anyone.
    """
    return escape(shorten(text, MAX_SHOWN_NAME))


def name(text: str) -> str:
    """A user-typed name, escaped and in bold."""
    return f"*{user(text)}*"


def code(text: str) -> str:
    """A command to type, which may hold user text: escaped, in backticks."""
    return f"`{escape(shorten(text, MAX_SHOWN_CODE))}`"


def plain(mrkdwn: str) -> str:
    """The raw text behind a line of our mrkdwn, for a fallback (which ``message`` escapes)."""
    return unescape(mrkdwn.replace("*", "").replace("`", ""))


def money(amount: int | Fraction | None, currency: str) -> str:
    return "—" if amount is None else format_money(amount, currency)


def hours(h: Fraction | float) -> str:
    return format_hours(float(h))


def day(d: date, today: date | None = None) -> str:
    if today is not None:
        delta = (today - d).days
        if delta == 0:
            return f"today ({d:%a} {d.day} {d:%b})"
        if delta == 1:
            return f"yesterday ({d:%a} {d.day} {d:%b})"
    return f"{d:%a} {d.day} {d:%b}" + (
        "" if today is None or d.year == today.year else f" {d.year}"
    )


def error(e: UserError) -> Message:
    """What went wrong, and a command that works. Everything here may hold user text."""
    problem = e.problem[:1].upper() + e.problem[1:]
    if not problem.endswith((".", "?", "!")):
        problem += "."
    lines = [f":warning: {escape(problem)}"]
    tries = [e.example] if e.example else list(examples(e.command)) if e.command else []
    if tries:
        lines.append("Try: " + " or ".join(code(t) for t in tries[:2]))
    return message(problem, [section("\n".join(lines))])


def truncate(text: str, limit: int = MAX_SECTION) -> str:
    """Cut mrkdwn at a line boundary to fit a section, saying how much was left out."""
    if len(text) <= limit:
        return text
    lines, kept, size = text.split("\n"), [], 0
    for line in lines:
        if size + len(line) + 1 > limit - 40:
            break
        kept.append(line)
        size += len(line) + 1
    if not kept:  # one line longer than the limit: cut inside it
        return _cut_line(lines[0], limit - 40) + (
            f"\n…and {len(lines) - 1} more" if len(lines) > 1 else ""
        )
    return "\n".join(kept) + f"\n…and {len(lines) - len(kept)} more"


def _cut_line(line: str, limit: int) -> str:
    cut = line[: limit - 1]
    # Never leave half an escape (&am…): it would show as text, or join the next character.
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + "…"


def command_button(label: str, command: str) -> ButtonElement | None:
    """A button that runs ``command`` (the text after /logtask) for whoever clicks it.

    ``label`` is raw text, often holding a user's name: escaped here, and cut to fit. The value
    is escaped the way Slack escapes typed text, so the click is parsed like the typed command.
    None when the command is too long for a button: the reply's text still shows it.
    """
    value = escape(command)
    if len(value) > MAX_BUTTON_VALUE:
        return None
    return ButtonElement(text=button_label(label), action_id=RUN_COMMAND, value=value)


def button_label(text: str) -> str:
    """``text`` escaped and cut to a button's 75 characters, counted after escaping."""
    if len(shown := escape(text)) <= MAX_BUTTON_TEXT:
        return shown
    kept = ""
    for char in text:  # whole escapes only: half of "&amp;" would show as text
        if len(kept) + len(escape(char)) + 1 > MAX_BUTTON_TEXT:
            break
        kept += escape(char)
    return kept.rstrip() + "…"
