"""The record number a button's label names ("⏰ AS-20261206-0001" -> "AS-20261206-0001"): a list of records with one
row of buttons each tells its rows apart by it."""

from __future__ import annotations

import re

_RECORD_KEY = re.compile(r"[A-Za-z]{1,4}-?\d[\w-]{3,}")


def record_key_in(label: str) -> str | None:
    """The record number in a button's label, else None ("🙋 受理", "✅ 确认")."""
    m = _RECORD_KEY.search(label)
    return m.group(0) if m else None
