"""Text that crosses the Slack boundary: reading what users typed, escaping what we echo."""

from __future__ import annotations

import re

# C0 and C1 control characters (tab and newline are whitespace to the parsers, and kept).
# PostgreSQL refuses NUL in text, SQLite keeps it: dropping them here makes both the same.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# <!channel>, <!here|here>, <@U123|bob>, <#C123|general>, <https://x|label>, <mailto:a@b>
_SLACK_TOKEN = re.compile(r"<([!@#])?([^<>|]*)(?:\|([^<>]*))?>")


def from_slack(text: str) -> str:
    """Turn Slack's escaped markup into the plain text the user typed.

    Mentions become inert ``@name`` text, so nothing we later echo can ping anyone;
    control characters are dropped.
    """

    def plain(m: re.Match[str]) -> str:
        kind, target, label = m.group(1), m.group(2), m.group(3)
        if kind == "!":
            # <!channel>, <!here>, <!subteam^S123|@team>: all become inert text.
            return "@" + (label or target.split("^")[0]).lstrip("@")
        if kind == "@":
            return "@" + (label or target)
        if kind == "#":
            return "#" + (label or target)
        return label or target

    return _CONTROL.sub("", unescape(_SLACK_TOKEN.sub(plain, text)))


def unescape(text: str) -> str:
    """Undo Slack's escaping, which covers exactly ``&``, ``<`` and ``>``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def shorten(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending in "…" when cut: what we echo of long input."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


ECHO = 20  # how much of a rejected number or duration an error quotes back


def escape(text: str) -> str:
    """Escape user text for mrkdwn: the three characters Slack gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
