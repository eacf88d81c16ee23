"""A series word glued before the grade and container of a product of another series ("蓝鲸10w40小桶" when only 赤兔
comes in 10W-40) names a product the series does not have: nothing is ordered (the wording is named back), never the
other series' product; the grade of the series itself is read as before."""

from __future__ import annotations

import pytest

from nlu.schema import CatalogueEntry
from tests.nlu_items import parsed_items


def _oil(series: str, code: str, grade: str, litres: int) -> CatalogueEntry:
    short = grade.lower().replace("-", "")
    return CatalogueEntry(sku=f"{code}{short}-{litres}", name=f"{series}机油 {grade} {litres}L",
                          aliases=[f"{series}{grade} {litres}L", f"{grade} {litres}L" if code == "CT" else f"{series}{short}"],
                          unit="瓶" if litres == 1 else "桶")


OILS = [_oil("蓝鲸", "BJ", g, n) for g in ("5W-30", "5W-40") for n in (1, 4)]
OILS += [_oil("赤兔", "CT", g, n) for g in ("5W-40", "10W-40") for n in (1, 4)]


@pytest.mark.parametrize(("text", "want"), [
    ("蓝鲸10w40小桶卖了6桶", {}),
    ("蓝鲸5w30小桶卖了6桶", {"BJ5w30-4": 6}),
])
async def test_a_series_word_before_another_series_grade_names_no_product(text: str, want: dict[str, int]) -> None:
    assert await parsed_items(text, OILS) == want
