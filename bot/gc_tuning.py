"""The garbage collector's settings for the long-running processes: the server, its workers,
the scheduler and the console.

A whole-workspace answer or a round of digests allocates hundreds of thousands of
short-lived objects (rows, Fractions, one assessment per task), nearly none of them in a
reference cycle: reference counting frees them. With CPython's default thresholds
(700, 10, 10) the cyclic collector still ran every 700 allocations and walked the survivors,
about a sixth of the time of `/logtask report` over 10,000 tasks and of a round's digest
figures (measured with bench/answer_latency.py and bench/digest_figures.py, alternating the
settings in one process: 3.0 → 2.5 s and 2.6 → 2.2 s). Collecting every GEN0_THRESHOLD
allocations instead leaves a request's objects to reference counting: the count is of
objects allocated and not yet freed, so a request that frees what it made rarely reaches it.
A collection that does come walks at most about that many young objects, about a
millisecond (measured: 1.1 ms for 50,000 live dicts), well inside an ack's budget; and at
most a few MB of cyclic garbage waits a little longer (bench/memory.py: no growth over
10,000 requests). Alternating the two settings in the ack benchmark moved nothing beyond
its run-to-run noise.

``gc.freeze`` moves what start-up built (modules, the app and its listeners) out of the
collector's sight: it lives as long as the process, and a collection no longer walks it.
Before a fork it also keeps the workers from touching, and so copying, the parent's pages
(the Python documentation's advice for pre-fork servers).
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 50_000
GEN1_THRESHOLD = 20


def tune_for_serving() -> None:
    """Freeze what exists now and collect less often: call once start-up is done."""
    gc.collect()  # start-up's own garbage is freed, not frozen with the rest
    gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, gc.get_threshold()[2])
