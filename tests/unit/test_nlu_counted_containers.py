"""A count glued to the container word of a product and spaced from the next series ("晨星5w30小桶10 远航15w40小桶6") is
the first product's count, never a grade number of the series after it (远航 also comes in 10W-40, in
4 L only)."""

from __future__ import annotations

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _oil(series: str, code: str, grade: str, litres: int) -> CatalogueEntry:
    short = grade.lower().replace("-", "")
    return CatalogueEntry(sku=f"{code}{short}-{litres}", name=f"{series}机油 {grade} {litres}L",
                          aliases=[f"{series}{grade} {litres}L"], unit="瓶" if litres == 1 else "桶")


OILS = [_oil(series, code, grade, litres) for series, code in (("晨星", "CX"), ("远航", "YH"))
        for grade in ("10W-40", "15W-40") for litres in (1, 4) if (code, grade, litres) != ("YH", "10W-40", 1)]


async def test_a_count_glued_to_a_container_word_is_that_lines() -> None:
    assert await parsed_items("晨星10w40小桶10 远航15w40小桶6", OILS) == {"CX10w40-4": 10, "YH15w40-4": 6}
