"""A listener executor the tests can wait on, so "nothing else was sent" is checked, not slept on."""

from __future__ import annotations

import threading

from bot.app import ListenerPool


class TrackingExecutor(ListenerPool):
    """The production pool (with a backlog too big to fill unless a test says otherwise)."""

    def __init__(self, workers: int = 8, backlog: int = 1_000_000) -> None:
        super().__init__(workers, backlog)
        self.workers = workers
        self._idle = threading.Condition()

    def _finished(self) -> None:
        super()._finished()
        with self._idle:
            self._idle.notify_all()

    def wait_idle(self, timeout: float = 10.0) -> None:
        with self._idle:
            if not self._idle.wait_for(lambda: self.pending == 0, timeout):
                raise TimeoutError("listeners still running")
