"""A started process moves what it holds for good out of the garbage collector's way (``gc.freeze``) and collects
the young generation less often (``bot.bootstrap.settle_memory``)."""

from __future__ import annotations

import gc

from bot.bootstrap import GC_THRESHOLD, settle_memory


def test_a_started_process_freezes_its_heap_and_collects_young_objects_less_often() -> None:
    kept = [[n] for n in range(1000)]            # long-lived containers, as the app's caches
    assert gc.get_freeze_count() == 0 and gc.get_threshold() != GC_THRESHOLD
    settle_memory()
    assert gc.get_freeze_count() >= len(kept)    # frozen: no full collection walks them again
    assert gc.get_threshold() == GC_THRESHOLD
    assert gc.get_count()[0] < 50                # collected just before the freeze
