""""每个长度两支", "每种口味20包": one count for each variant listed before it, as "各" says it ("每个码" stays: every
size of the product).

The made-up catalogue of ``test_nlu_spoken_sizes``.
"""

from __future__ import annotations

from datetime import date

import pytest

from nlu.normalize import normalize
from nlu.offline import OfflineParser
from tests.unit.test_nlu_spoken_sizes import SHOP


@pytest.mark.parametrize(("text", "want"), [
    ("青藤 2.7 3.6 每个长度三根", {"HOSE-27": 3, "HOSE-36": 3}),
    ("禾丰 2000型 3000型 每种型号的两台", {"SEED-2000": 2, "SEED-3000": 2}),
    ("鹊线 0.5 1.5 每种规格十轴", {"CORD-05": 10, "CORD-15": 10}),
])
async def test_every_listed_variant_gets_the_count(text: str, want: dict[str, int]) -> None:
    parsed = await OfflineParser().parse(text, catalogue=SHOP, today=date(2026, 12, 6))
    assert {i.sku: i.qty for i in parsed.slots.items} == want


def test_every_size_stays_its_own_words() -> None:
    assert normalize("每个码来两双") == "每个码来两双"
