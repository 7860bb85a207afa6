"""A chart drawing that never finishes in time, for the digest round's stuck-pool tests: a
module-level function, so a spawned pool worker can unpickle it."""

from __future__ import annotations

import time

STUCK_SECONDS = 60


def stuck(_data: object) -> bytes:
    time.sleep(STUCK_SECONDS)
    return b""
