"""Questions people ask the bot in their own words: "should I outsource the newsletter?"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.text import from_slack

_VERBS = (
    r"outsource|outsourcing|delegate|delegating|hand\s*off|handoff|handing\s+off|farm\s+out"
    r"|hire\s+(?:someone|somebody|a\s+\w+)\s+(?:for|to\s+do|to)|get\s+(?:someone|somebody)\s+(?:to\s+do|to|for)"
    r"|pay\s+(?:someone|somebody)\s+(?:for|to\s+do|to)"
)
_ABOUT_TASK = [
    re.compile(rf"^(?:should|shall|could|can)\s+(?:i|we)\s+(?:{_VERBS})\s+(?P<task>.+)$"),
    re.compile(rf"^(?:is|would)\s+it\s+(?:be\s+)?worth\s+(?:it\s+)?(?:{_VERBS})\s+(?P<task>.+)$"),
    re.compile(r"^(?:what|how)\s+about\s+(?P<task>.+)$"),
    re.compile(rf"^(?:{_VERBS})\s+(?P<task>.+)$"),
]
_TOP = re.compile(
    rf"^(?:so\s+)?what\s+(?:should|shall|could|can|do)\s+(?:i|we)\s+(?:{_VERBS})(?:\s+(?:first|now|next))?$"
)
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")
_LEADING_FILLER = re.compile(r"^(?:(?:the|my|our|your|a|an|some|all)\s+)+")
_GREETING = re.compile(r"^(?:hey|hi|hello|ok|okay|so|well|please|pls)\b[\s,!]*")


@dataclass(frozen=True)
class AboutTask:
    """A question about one task, named loosely."""

    task: str


@dataclass(frozen=True)
class WhatToHandOff:
    """ "What should I outsource?": the top candidates."""


@dataclass(frozen=True)
class Maybe:
    """No phrasing matched: the text itself may be a task's name ("newsletter?")."""

    text: str


@dataclass(frozen=True)
class Chatter:
    """Free text too long (or empty) to be a task's name: not a question for us."""


Question = AboutTask | WhatToHandOff | Maybe | Chatter

MAX_BARE_WORDS = 6  # longer free text is chatter, not a task's name


def parse_question(raw: str) -> Question:
    """Read a DM or a mention (Slack-escaped, possibly starting with the bot's mention)."""
    text = from_slack(_MENTION.sub("", raw))
    text = " ".join(text.split()).strip().lower()
    text = _GREETING.sub("", text)
    text = re.sub(r"[\s?!.]+$", "", text).strip()
    if _TOP.match(text):
        return WhatToHandOff()
    for pattern in _ABOUT_TASK:
        if m := pattern.match(text):
            task = re.sub(r"^(?:doing|do|the\s+work\s+of)\s+", "", m.group("task")).strip()
            task = re.sub(r"\s+(?:for\s+me|for\s+us|now|instead)$", "", task).strip()
            task = _LEADING_FILLER.sub("", task)
            if task:
                return AboutTask(task)
    if not text or len(text.split()) > MAX_BARE_WORDS:
        return Chatter()
    return Maybe(text)
