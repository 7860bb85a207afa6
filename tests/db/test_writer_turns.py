"""Writers of several processes take turns at a SQLite file (bot.db.engine._FileTurns)."""

from __future__ import annotations

import multiprocessing
import os
import threading
from multiprocessing.synchronize import Event

import pytest

from bot.db import engine
from bot.db.engine import Database

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
FORK = multiprocessing.get_context("fork") if hasattr(os, "fork") else None


def _hold_the_turn(url: str, held: Event, release: Event) -> None:
    db = Database(url)
    with db.transaction():
        held.set()
        release.wait(10)
    db.dispose()


@pytest.fixture
def other_process_writing(tmp_path):
    """A second process inside a write transaction on the same file, until ``release``."""
    assert FORK is not None
    url = f"sqlite:///{tmp_path}/turns.db"
    held, release = FORK.Event(), FORK.Event()
    other = FORK.Process(target=_hold_the_turn, args=(url, held, release))
    other.start()
    assert held.wait(10)
    yield url, release
    release.set()
    other.join(10)


def test_a_write_starts_only_once_another_process_has_finished_its_own(other_process_writing):
    url, release = other_process_writing
    db = Database(url)
    inside = threading.Event()

    def write() -> None:
        with db.transaction():
            inside.set()

    writer = threading.Thread(target=write)
    writer.start()
    assert not inside.wait(0.5)  # the other process holds the turn
    release.set()
    assert inside.wait(10)
    writer.join(10)
    db.dispose()


def test_a_write_gives_up_after_the_busy_timeout(other_process_writing, monkeypatch):
    url, _ = other_process_writing
    monkeypatch.setattr(engine, "SQLITE_BUSY_TIMEOUT_MS", 300)
    db = Database(url)
    with pytest.raises(TimeoutError, match="another process"), db.transaction():
        pass
    db.dispose()
