""""2000型" of a reel, a pump or a seeder is its model size: never a count of 2000, and a variant of its series
("禾丰 2000型 两台 3000型 一台": two lines).

The made-up catalogue of ``test_nlu_spoken_sizes``.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from tests.unit.test_nlu_spoken_sizes import SHOP


@pytest.mark.parametrize(("text", "want"), [
    ("禾丰 2000型 两台 3000型 一台", {"SEED-2000": 2, "SEED-3000": 1}),
    ("禾丰 2000型 3000型 各两台", {"SEED-2000": 2, "SEED-3000": 2}),
    ("禾丰3000型 5台", {"SEED-3000": 5}),
])
async def test_a_model_size_is_no_count(text: str, want: dict[str, int]) -> None:
    parsed = await OfflineParser().parse(text, catalogue=SHOP, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == want
