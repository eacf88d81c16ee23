"""A count glued to the container word of a product and spaced from the next series ("晨星5w30小桶10 远航15w40小桶6") is
the first product's count, never a grade number of the series after it (远航 also comes in 10W-40, in
4 L only); so is a number spaced between a product named in full and a size ("远航15w40 4L 20 18L 2": 20 of the 4 L,
not the 20W-50 18 L)."""

from __future__ import annotations

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _oil(series: str, code: str, grade: str, litres: int) -> CatalogueEntry:
    short = grade.lower().replace("-", "")
    return CatalogueEntry(sku=f"{code}{short}-{litres}", name=f"{series}机油 {grade} {litres}L",
                          aliases=[f"{series}{grade} {litres}L"], unit="瓶" if litres == 1 else "桶")


OILS = [_oil(series, code, grade, litres) for series, code in (("晨星", "CX"), ("远航", "YH"))
        for grade in ("10W-40", "15W-40") for litres in (1, 4) if (code, grade, litres) != ("YH", "10W-40", 1)]
OILS += [_oil("远航", "YH", "15W-40", 18), _oil("远航", "YH", "20W-50", 18)]


async def test_a_count_glued_to_a_container_word_is_that_lines() -> None:
    assert await parsed_items("晨星10w40小桶10 远航15w40小桶6", OILS) == {"CX10w40-4": 10, "YH15w40-4": 6}


async def test_a_count_spaced_after_a_product_named_in_full_is_that_lines() -> None:
    assert await parsed_items("远航15w40 4L 20 18L 2", OILS) == {"YH15w40-4": 20, "YH15w40-18": 2}
