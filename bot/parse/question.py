"""Questions people ask the bot in their own words: "should I outsource the newsletter?"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.periods import Period
from bot.text import from_slack

_VERBS = (
    r"outsource|outsourcing|delegate|delegating|hand\s*off|handoff|handing\s+off|farm\s+out"
    r"|hire\s+(?:someone|somebody|a\s+\w+)\s+(?:for|to\s+do|to)|get\s+(?:someone|somebody)\s+(?:to\s+do|to|for)"
    r"|pay\s+(?:someone|somebody)\s+(?:for|to\s+do|to)"
)
_ABOUT_TASK = [
    re.compile(rf"^(?:should|shall|could|can)\s+(?:i|we)\s+(?:{_VERBS})\s+(?P<task>.+)$"),
    re.compile(
        rf"^(?:is|would)\s+it\s+(?:be\s+)?worth\s+(?:it\s+)?(?:to\s+)?(?:{_VERBS})\s+(?P<task>.+)$"
    ),
    # "is the newsletter worth outsourcing?", "would bookkeeping be worth handing off?"
    re.compile(
        rf"^(?:is|are|would)\s+(?P<task>.+?)\s+(?:be\s+)?worth\s+(?:it\s+)?(?:to\s+)?(?:{_VERBS})"
        r"(?:\s+(?:it|them))?$"
    ),
    re.compile(rf"^worth\s+(?:it\s+)?(?:to\s+)?(?:{_VERBS})\s+(?P<task>.+)$"),
    re.compile(r"^(?:what|how)\s+about\s+(?P<task>.+)$"),
    re.compile(rf"^(?:{_VERBS})\s+(?P<task>.+)$"),
]
_TOP = re.compile(
    rf"^(?:so\s+)?what\s+(?:should|shall|could|can|do)\s+(?:i|we)\s+(?:{_VERBS})(?:\s+(?:first|now|next))?$"
)
_PER_WEEK = r"(?:\s+(?:a|per|each|every)\s+week)?"
_COST = [
    re.compile(
        rf"^how\s+much\s+(?:does|do|is|are)\s+it\s+cost(?:ing)?\s+(?:me|us)\s+to\s+(?:do\s+)?"
        rf"(?P<task>.+?){_PER_WEEK}$"
    ),
    re.compile(
        rf"^(?:how\s+much|what)\s+(?:does|do|did|is|are|will)\s+(?P<task>.+?)\s+cost(?:ing)?"
        rf"(?:\s+(?:me|us|you))?{_PER_WEEK}$"
    ),
    re.compile(
        r"^what(?:'s|s|\s+is)\s+(?:the\s+)?(?:in-?house\s+|weekly\s+)?cost\s+of\s+"
        rf"(?P<task>.+?){_PER_WEEK}$"
    ),
]
_WHO = r"(?P<who>i|we|the\s+team)"
_SPEND = r"(?:spend|spent|put\s+in|put\s+into|log|logged|work|worked)"
_PERIOD = r"(?P<period>this\s+week|last\s+week|this\s+month|last\s+month)"
_HOW_MUCH_TIME = rf"^how\s+(?:many\s+hours|much\s+time|long)\s+(?:did|have|has)\s+{_WHO}\s+{_SPEND}"
_TIME_SPENT = [
    # "how many hours did I spend this week on the newsletter"
    re.compile(rf"{_HOW_MUCH_TIME}\s+{_PERIOD}\s+(?:on|in|into|doing)\s+(?P<task>.+)$"),
    # "how many hours did we spend on the newsletter (this month)"
    re.compile(rf"{_HOW_MUCH_TIME}(?:\s+(?:on|in|into|doing))?\s+(?P<task>.+?)(?:\s+{_PERIOD})?$"),
]
_MENTION = re.compile(r"^\s*<@[A-Z0-9]+(?:\|[^>]*)?>[\s,:]*")
_LEADING_FILLER = re.compile(r"^(?:(?:the|my|our|your|a|an|some|all)\s+)+")
_GREETING = re.compile(r"^(?:hey|hi|hello|ok|okay|so|well|please|pls)\b[\s,!]*")
_OR = r"(?:or|vs\.?|versus)"
_ALTERNATIVES = re.compile(rf"\s*,\s*(?:{_OR}\s+)?|\s+{_OR}\s+")  # "X, Y or Z"

# The words of the question itself (not of task names) a typo of which is read as meant:
# "shoud I outsorce X". Four letters or more, so "I", "we" and "do" are never "corrected".
_FRAME_WORDS = (
    "should", "shall", "could", "would", "outsource", "outsourcing", "delegate", "delegating",
    "handing", "handoff", "worth", "someone", "somebody", "about", "what", "much", "many",
    "hours", "does", "cost", "costing", "spend", "spent", "doing",
)  # fmt: skip
# Optimal string alignment: a swap of two letters is one slip, like a wrong or missing one.
# 0.75 is one slip in four letters ("mcuh"), two in eight ("outsorse" is one).
TYPO_SIMILARITY = 0.75


@dataclass(frozen=True)
class AboutTask:
    """A question about one task, named loosely."""

    task: str


@dataclass(frozen=True)
class WhatToHandOff:
    """ "What should I outsource?": the top candidates."""


@dataclass(frozen=True)
class CostOf:
    """ "How much does X cost me?": its in-house cost a week."""

    task: str


@dataclass(frozen=True)
class TimeSpent:
    """ "How many hours did I spend on X this week?": ``everyone`` for "we"."""

    task: str
    everyone: bool
    period: Period = Period.THIS_WEEK  # none said: this week, and the answer says which days


@dataclass(frozen=True)
class Compare:
    """ "Should I outsource X or Y?": each verdict, side by side.

    ``whole`` is the text before it was split, in case one task's name holds "or";
    ``asked`` is False for bare names ("newsletter or bookkeeping?").
    """

    tasks: tuple[str, ...]
    whole: str
    asked: bool = True


@dataclass(frozen=True)
class Maybe:
    """No phrasing matched: the text itself may be a task's name ("newsletter?")."""

    text: str


@dataclass(frozen=True)
class Chatter:
    """Free text too long (or empty) to be a task's name: not a question for us."""


Question = AboutTask | WhatToHandOff | CostOf | TimeSpent | Compare | Maybe | Chatter

MAX_BARE_WORDS = 6  # longer free text is chatter, not a task's name
MAX_COMPARED = 3  # "X or Y or Z" at most: a side-by-side, not a report


def parse_question(raw: str) -> Question:
    """Read a DM or a mention (Slack-escaped, possibly starting with the bot's mention)."""
    text = from_slack(_MENTION.sub("", raw))
    text = " ".join(text.replace("’", "'").split()).strip().lower()
    text = _GREETING.sub("", text)
    text = re.sub(r"[\s?!.]+$", "", text).strip()
    question = _read(text, None)
    if question is None:
        words = text.split()
        corrected = [_corrected(w) for w in words]
        if corrected != words:
            # Matched on the corrected words; the task keeps the words as typed.
            question = _read(" ".join(corrected), words)
    if question is not None:
        return question
    if not text or len(text.split()) > MAX_BARE_WORDS:
        return Chatter()
    return _one_or_more(text, asked=False) or Maybe(text)


def _read(text: str, typed: list[str] | None) -> Question | None:
    if _TOP.match(text):
        return WhatToHandOff()
    for pattern in _COST:
        if (m := pattern.match(text)) and (task := _task(_group(m, "task", typed))):
            return CostOf(task)
    for pattern in _TIME_SPENT:
        if (m := pattern.match(text)) and (task := _task(_group(m, "task", typed))):
            period = Period(" ".join(m.group("period").split())) if m.group("period") else None
            everyone = m.group("who") != "i"
            return TimeSpent(task, everyone, period or Period.THIS_WEEK)
    for pattern in _ABOUT_TASK:
        if (m := pattern.match(text)) and (task := _task(_group(m, "task", typed))):
            return _one_or_more(task, asked=True) or AboutTask(task)
    return None


def _group(m: re.Match[str], group: str, typed: list[str] | None) -> str:
    """The group's text; with ``typed``, the same words as the user typed them."""
    if typed is None:
        return m.group(group)
    start, end = m.span(group)
    first = len(m.string[:start].split())
    return " ".join(typed[first : first + len(m.string[start:end].split())])


def _task(text: str) -> str:
    task = re.sub(r"^(?:doing|do|the\s+work\s+of)\s+", "", text).strip()
    task = re.sub(r"\s+(?:for\s+me|for\s+us|now|instead|or\s+not)$", "", task).strip()
    return _LEADING_FILLER.sub("", task)


def _one_or_more(text: str, asked: bool) -> Compare | None:
    """ "X or Y" as a comparison of two (or three) tasks; None for one task."""
    if not re.search(rf"\s{_OR}\s", text):
        return None  # "research, writing" may be one task's name; "X or Y" is a choice
    parts = [_task(p) for p in _ALTERNATIVES.split(text)]
    if len(parts) < 2 or len(parts) > MAX_COMPARED or not all(parts):
        return None
    return Compare(tuple(parts), _task(text), asked)


def _corrected(word: str) -> str:
    """``word``, or the word of a question it is a typo of ("outsorce" → "outsource")."""
    if len(word) < 4 or word in _FRAME_WORDS:
        return word
    # Typos keep the first letter; requiring it keeps "hosting" from becoming "costing".
    same_start = [w for w in _FRAME_WORDS if w[0] == word[0]]
    found = process.extractOne(
        word, same_start, scorer=OSA.normalized_similarity, score_cutoff=TYPO_SIMILARITY
    )
    return word if found is None else str(found[0])
