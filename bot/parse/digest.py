"""`/logtask digest …`: show, off, preview, now, or where and when to post it."""

from __future__ import annotations

import re
from datetime import time

from bot.errors import CommandError
from bot.parse import commands as c
from bot.parse.day import parse_clock, weekday_index

DEFAULT_WEEKDAY = 0
DEFAULT_TIME = time(9, 0)
_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")


def parse_digest(words: list[str]) -> c.DigestCommand:
    """``words`` as Slack sent them, so a #channel is still a link with its id."""
    if not words:
        return c.DigestShow()
    first = words[0].lower()
    if len(words) == 1 and first in ("off", "stop", "disable"):
        return c.DigestOff()
    if len(words) == 1 and first == "preview":
        return c.DigestPreview()
    if len(words) == 1 and first == "now":
        return c.DigestNow()
    if first == "here":
        channel = None
    elif m := _CHANNEL.match(words[0]):
        channel = m.group(1)
    elif words[0].startswith("#"):
        raise CommandError(
            f"I can't see a channel called {words[0]} — pick it from Slack's list as you type #, "
            "or run the command in the channel with `here`"
        )
    else:
        raise CommandError(
            f"I don't know “digest {words[0]}”: use here, a #channel, preview, now or off"
        )
    weekday, at = DEFAULT_WEEKDAY, DEFAULT_TIME
    seen_day = seen_time = False
    for word in words[1:]:
        if not seen_day and (day := weekday_index(word)) is not None:
            weekday, seen_day = day, True
        elif not seen_time and (clock := parse_clock(word)) is not None:
            at, seen_time = clock, True
        else:
            raise CommandError(f"I couldn't read “{word}” as a weekday or a time like 09:00")
    return c.DigestConfigure(channel, weekday, at)
