"""A wrong delivery said as what was ordered against what came ("ordered X got Y", "got X instead of Y",
"我要的A 来的是B", "A发成B了") names two products: the report's product is neither of them (staff read both in the
description). A count short ("received 18 cases instead of 20 of X") still names its one product."""

from __future__ import annotations

from datetime import date

import pytest

from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry, Intent

PIPES = [
    CatalogueEntry(sku="LS-20", name="稳家冷水管 20mm", aliases=["冷水管20", "LS20", "cold pipe 20"], unit="根",
                   category="水管"),
    CatalogueEntry(sku="RS-20", name="稳家热水管 20mm", aliases=["热水管20", "RS20", "hot pipe 20"], unit="根",
                   category="水管"),
    CatalogueEntry(sku="WY-WH", name="稳家网椅 白框", aliases=["白框网椅"], unit="把", category="办公椅"),
    CatalogueEntry(sku="WY-BK", name="稳家网椅 黑框", aliases=["黑框网椅"], unit="把", category="办公椅"),
]


async def _parsed(text: str) -> tuple[Intent, str | None]:
    result = await OfflineParser().parse(text, catalogue=list(PIPES), today=date(2026, 12, 6))
    return result.intent, result.slots.product


@pytest.mark.parametrize("text", [
    "received wrong pipes, ordered LS20 got hot ones",
    "wrong delivery, got the hot ones instead of LS20",
    "received LS20 but ordered the hot ones",
    "发错货了 要的白框网椅 来的全是黑的",
    "白框网椅发成黑的了",
])
async def test_a_wrong_delivery_names_no_one_product(text: str) -> None:
    assert await _parsed(text) == (Intent.QUALITY_FEEDBACK, None)


async def test_a_short_count_still_names_its_product() -> None:
    assert await _parsed("this batch of LS20 arrived short, received 18 instead of 20") == \
        (Intent.QUALITY_FEEDBACK, "LS-20")


@pytest.mark.parametrize("text", ["我要投诉 上周收到的冷水管20 好几根都裂了", "我要反馈一下 这批热水管20 收到的时候就漏水"])
async def test_i_want_to_complain_about_what_arrived_keeps_its_product(text: str) -> None:
    """"我要…收到的" is someone wanting to complain about what came, not what they ordered against what came."""
    intent, product = await _parsed(text)
    assert intent == Intent.QUALITY_FEEDBACK and product in ("LS-20", "RS-20")
