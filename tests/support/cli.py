"""Running the real `handoff` command as a process, with a clean environment."""

from __future__ import annotations

import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

HANDOFF = [sys.executable, "-m", "bot.cli"]
# Handoff's own settings: none leaks in from the environment the tests run in.
SETTINGS = (
    "SLACK_",
    "DATABASE_URL",
    "PORT",
    "LOG_LEVEL",
    "DIGEST_",
)


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(SETTINGS)}
    return {**env, "TZ": "UTC", **extra}


def handoff(
    cwd: Path, *args: str, stdin: str | None = None, timeout: float = 60, **env: str
) -> subprocess.CompletedProcess[str]:
    """`handoff *args` in ``cwd`` (a test's folder, with no .env unless the test put one
    there) with only the settings in ``env``."""
    return subprocess.run(
        [*HANDOFF, *args],
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(**env),
        timeout=timeout,
        check=False,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line a refused start leaves on stderr (asserted: one line, no traceback)."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    return lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Running:
    """A `handoff` process whose stderr is read line by line as it comes."""

    def __init__(self, cwd: Path, *args: str, **env: str) -> None:
        self.proc = subprocess.Popen(
            [*HANDOFF, *args],
            cwd=cwd,
            env=clean_env(**env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._new: queue.Queue[str | None] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self._new.put(line.rstrip("\n"))
        self._new.put(None)

    def wait_for_line(self, probe: Callable[[str], bool], timeout: float = 60) -> list[str]:
        """The lines logged up to and including the first that ``probe`` accepts."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._new.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"no such line within {timeout}s: {self.lines}") from None
            if line is None:
                raise AssertionError(f"the process ended first: {self.lines}")
            self.lines.append(line)
            if probe(line):
                return list(self.lines)

    def stop(self) -> list[str]:
        """Terminate it; every line it logged."""
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(20)
        self._reader.join(20)
        while True:
            try:
                line = self._new.get_nowait()
            except queue.Empty:
                return self.lines
            if line is not None:
                self.lines.append(line)
