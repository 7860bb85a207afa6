"""The collector's settings for long-running processes (bot/gc_tuning.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot.gc_tuning import GEN0_THRESHOLD, GEN1_THRESHOLD, tune_for_serving


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_serving_collects_less_often_and_leaves_start_up_objects_frozen(restored_gc):
    gen2 = gc.get_threshold()[2]
    gc.unfreeze()
    tune_for_serving()
    assert gc.get_threshold() == (GEN0_THRESHOLD, GEN1_THRESHOLD, gen2)
    assert gc.get_freeze_count() > 0  # this test's modules and objects among them


def test_cyclic_garbage_is_still_collected_after_tuning(restored_gc):
    tune_for_serving()

    class Node:
        other: object

    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    del a, b
    # No gc.collect(): the collector's own threshold must come round.
    kept = [[] for _ in range(GEN0_THRESHOLD + 1)]
    assert gone() is None
    assert len(kept) > GEN0_THRESHOLD
