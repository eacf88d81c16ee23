"""Fixtures for every test."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def _restore_root_logger() -> Iterator[None]:
    """Some tests (and `dms` commands run in-process) configure logging for the whole process; give the
    next test the root logger's level and handlers as they were, so log assertions do not depend on order."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    yield
    root.setLevel(level)
    for h in list(root.handlers):
        if h not in handlers:
            root.removeHandler(h)
    for h in handlers:
        if h not in root.handlers:
            root.addHandler(h)



@pytest.fixture(autouse=True)
def _restore_garbage_collector() -> Iterator[None]:
    """A test that starts the app as `dms run` does (``bot.bootstrap.warm_up``) freezes the heap and raises the
    collector's thresholds for the process (``settle_memory``): give the next test the collector as it was."""
    threshold = gc.get_threshold()
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
    gc.set_threshold(*threshold)
