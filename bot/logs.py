"""Log lines of bounded size, so one huge input cannot flood the log or spill into it whole.

An exception's message often quotes its input — the command a member typed, a Slack payload —
and a traceback repeats it for every chained exception. ``describe`` and ``brief_traceback``
keep each message short; ``CappedFormatter`` caps whatever any logger emits, and blanks out
any Slack token or OAuth client secret in it (``redact``).
"""

from __future__ import annotations

import logging
import re
import traceback

MESSAGE_LIMIT = 200  # characters of an exception's message kept in a log line
RECORD_LIMIT = 4000  # characters of one formatted record, traceback included
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Slack tokens (xoxb-, xoxp-, refresh tokens xoxe-, rotating xoxe.xoxb-, app-level xapp-) and a
# client_secret field: slack_sdk logs Slack's whole answer at DEBUG, oauth.v2.access's included.
_SECRET = re.compile(
    r"\b(?:xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+"
    r"|(client_secret['\"]?\s*[:=]\s*['\"]?)[^'\"&,\s}]+"
)
REDACTED = "[redacted]"


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most about ``limit`` characters, saying how much was cut."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [{len(text) - limit} characters cut]"


def redact(text: str) -> str:
    """``text`` with every Slack token and client secret replaced by [redacted]."""
    return _SECRET.sub(lambda m: (m.group(1) or "") + REDACTED, text)


def describe(error: BaseException) -> str:
    """The exception's type and the start of its message, on one line."""
    message = " ".join(str(error).split())
    return (
        f"{type(error).__name__}: {clip(message, MESSAGE_LIMIT)}"
        if message
        else type(error).__name__
    )


def brief_traceback(error: BaseException) -> str:
    """The traceback of ``error`` and its causes, every message clipped: the frames say where,
    the clipped messages what, and nothing quotes a whole input."""
    lines = []
    for chunk in traceback.TracebackException.from_exception(error).format():
        for line in chunk.splitlines():
            lines.append(clip(line, MESSAGE_LIMIT))
    return clip("\n".join(lines), RECORD_LIMIT)


class CappedFormatter(logging.Formatter):
    """Formats as usual, then keeps the head and the tail of a record longer than ``limit``:
    the head says what happened, the tail of a traceback where."""

    def __init__(self, fmt: str = FORMAT, limit: int = RECORD_LIMIT) -> None:
        super().__init__(fmt)
        self.limit = limit

    def format(self, record: logging.LogRecord) -> str:
        text = redact(super().format(record))
        if len(text) <= self.limit:
            return text
        head, tail = self.limit * 2 // 3, self.limit // 3
        cut = len(text) - head - tail
        return f"{text[:head]}\n… [{cut} characters cut] …\n{text[-tail:]}"
