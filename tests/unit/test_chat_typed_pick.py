""""Which one?" answered in words: "再要两箱滤网" offers the two filters; "滤网要ap300的" (or "ap300的") puts two boxes of
the AP300 filter in the cart. Before, the answer was parsed against the whole catalogue: "ap300" is the purifier,
"滤网" again both filters, so the same question came back and the two boxes were lost (found trying the dealer's
day, session 20)."""

from __future__ import annotations

from tests.chat import ChatWorld, texts
from tests.unit.test_chat_cart_edits import CHAT, cart, world


async def _asked(w: ChatWorld, message: str) -> None:
    shown = texts(await w.say(CHAT, message))
    assert "有好几种产品都叫这个" in shown, shown


async def test_the_answer_names_one_of_the_offered_products_and_keeps_the_quantity() -> None:
    w = await world()
    await w.say(CHAT, "AP300 2台")
    await _asked(w, "再要两箱滤网")
    assert await cart(w) == {"AP300": 2}
    shown = texts(await w.say(CHAT, "滤网要ap300的"))
    assert await cart(w) == {"AP300": 2, "F300": 2}
    assert "有好几种产品都叫这个" not in shown and "AP300 滤网（F300）2箱" in shown, shown


async def test_a_short_answer_and_the_other_product() -> None:
    w = await world()
    await w.say(CHAT, "AP300 2台")
    await _asked(w, "滤网来3箱")
    await w.say(CHAT, "500的那个")
    assert await cart(w) == {"AP300": 2, "F500": 3}


async def test_without_a_quantity_the_named_product_asks_how_many() -> None:
    w = await world()
    await w.say(CHAT, "AP300 2台")
    await _asked(w, "再来点滤网")
    shown = texts(await w.say(CHAT, "ap500的"))
    assert await cart(w) == {"AP300": 2}
    assert "F500" in shown and "数量" in shown, shown


async def test_an_order_of_its_own_closes_the_question_and_an_answer_is_used_once() -> None:
    w = await world()
    await w.say(CHAT, "AP300 2台")
    await _asked(w, "再要两箱滤网")
    await w.say(CHAT, "AP300 再来1台")            # an order of its own: the purifier, not a filter
    assert await cart(w) == {"AP300": 3}
    shown = texts(await w.say(CHAT, "ap300的滤网"))
    assert await cart(w) == {"AP300": 3}           # the question is closed: the filter, asked how many
    assert "请选择数量" in shown, shown
    await _asked(w, "再要两箱滤网")
    await w.say(CHAT, "ap300的")
    await w.say(CHAT, "ap300的")                    # the question was answered: the second says nothing of filters
    assert await cart(w) == {"AP300": 3, "F300": 2}
