"""Replies through a command's response_url: retried once, and logged when they are lost."""

from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt import Respond

RETRY_PAUSE_SECONDS = 1.0


def deliver(respond: Respond, logger: logging.Logger, **message: Any) -> bool:
    """Send ``message`` to the response_url; True once Slack took it.

    Bolt's ``respond`` returns Slack's non-2xx answers instead of raising, so a reply to a
    response_url that answered 500 used to vanish without a trace. One more try after a short
    pause (a 404 usually means the URL expired, and stays); then a WARNING — without the
    reply, which holds what the member typed.
    """
    problem = ""
    for attempt in (1, 2):
        if attempt == 2:
            time.sleep(RETRY_PAUSE_SECONDS)
        try:
            status = respond(**message).status_code
        except Exception as e:  # connection refused, reset, timed out
            problem = type(e).__name__
            continue
        if 200 <= status < 300:
            return True
        problem = f"HTTP {status}"
    logger.warning("reply lost: response_url failed twice (%s)", problem)
    return False
