"""Names people type for tasks: what we store, and the key two spellings of one task share."""

from __future__ import annotations

import re

MAX_NAME = 80
_END_PUNCTUATION = ".,;:!?…"


def clean_name(text: str) -> str:
    """The display name: spaces collapsed, quotes and end punctuation dropped."""
    name = " ".join(text.split()).strip("\"'“”‘’ ")
    return name.rstrip(_END_PUNCTUATION).strip()


def task_key(name: str) -> str:
    """Case, inner spacing and end punctuation don't make a different task."""
    return re.sub(r"\s+", " ", clean_name(name)).casefold()
