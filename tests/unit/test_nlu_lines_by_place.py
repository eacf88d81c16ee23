"""A line of the message named by its place and taken out ("最后那个不要了", "第一个删掉", "drop the first one"): that
line is removed, the others stay (and the count before "drop" is not the last line's)."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items

PAINTS = [CatalogueEntry(sku=f"QS-{code}", name=f"青山乳胶漆 {colour} 5L", aliases=[f"青山{colour}"], unit="桶")
          for colour, code in (("象牙白", "IW"), ("浅灰", "LG"), ("米黄", "BG"))]


@pytest.mark.parametrize(("text", "want"), [
    ("青山象牙白6桶 青山浅灰4桶 最后那个不要了", {"QS-IW": 6}),
    ("青山象牙白6桶 青山浅灰4桶 青山米黄2桶 第一个删掉", {"QS-LG": 4, "QS-BG": 2}),
    ("青山象牙白 6 青山浅灰 4 drop the first one", {"QS-LG": 4}),
])
async def test_a_line_named_by_its_place_is_taken_out(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, PAINTS) == want
