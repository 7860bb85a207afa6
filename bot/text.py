"""Text that crosses the Slack boundary: reading what users typed, escaping what we echo."""

from __future__ import annotations

import re

# <!channel>, <!here|here>, <@U123|bob>, <#C123|general>, <https://x|label>, <mailto:a@b>
_SLACK_TOKEN = re.compile(r"<([!@#])?([^<>|]*)(?:\|([^<>]*))?>")


def from_slack(text: str) -> str:
    """Turn Slack's escaped markup into the plain text the user typed.

    Mentions become inert ``@name`` text, so nothing we later echo can ping anyone.
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

    return unescape(_SLACK_TOKEN.sub(plain, text))


def unescape(text: str) -> str:
    """Undo Slack's escaping, which covers exactly ``&``, ``<`` and ``>``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def escape(text: str) -> str:
    """Escape user text for mrkdwn: the three characters Slack gives meaning to."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
