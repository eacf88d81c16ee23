"""Quantities and the order prompt never mislead: "两台半" is refused like "2.5台" (never rounded down to 2),
"0台" is refused as zero (not as "not whole"), and the order prompt's example names products that exist."""

from __future__ import annotations

import re

from bot.demo.world import CATALOGUE as DEMO_CATALOGUE
from handlers import i18n
from tests.chat import texts
from tests.unit.test_chat_cart_edits import CHAT, cart, world


async def test_a_half_after_the_unit_is_refused_like_a_decimal_never_rounded_down() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 两台半")
    assert await cart(w) == {}
    assert "数量须是整数" in texts(replies) and "两台半" in texts(replies)
    await w.say(CHAT, "AP300 5台")
    replies = await w.say(CHAT, "AP300 3箱半")
    assert await cart(w) == {"AP300": 5}
    assert "数量须是整数" in texts(replies)


async def test_a_zero_quantity_is_refused_as_zero_not_as_not_whole() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 0台")
    assert await cart(w) == {}
    assert "数量须大于 0" in texts(replies) and "数量须是整数" not in texts(replies)
    await w.say(CHAT, "AP300 5台")
    replies = await w.say(CHAT, "AP300 零台")
    assert await cart(w) == {"AP300": 5}
    assert "数量须大于 0" in texts(replies)


def test_the_typed_examples_name_products_of_the_demo_catalogue() -> None:
    skus = {p.sku for p in DEMO_CATALOGUE}
    for key in ("order.prompt", "stock.count_intro"):
        for lang in ("zh", "en"):
            codes = re.findall(r"\b[A-Z]+(?:-[A-Z]+)?\d+\b", i18n.t(lang, key))
            assert codes, (key, lang)
            assert set(codes) <= skus, (key, lang, codes)
