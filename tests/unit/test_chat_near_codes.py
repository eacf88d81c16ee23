"""A model code that is no product but one edit away from one (QA session 27, P14: "AP3000 要5台" became
AP300 ×5 with no word) is said back with the near product offered on a button, as "XP300" / "DH25" are;
nothing is added until the dealer picks it."""

from __future__ import annotations

from tests.chat import buttons, texts
from tests.unit.test_chat_ordering import DEALER_CHAT, dialog, world


async def test_a_code_a_digit_longer_is_named_back_with_the_near_product_on_a_button() -> None:
    w, _ = await world()
    replies = await w.say(DEALER_CHAT, "AP3000 要5台")
    assert "没有找到“AP3000”（数量 5）" in texts(replies)
    assert "已加入" not in texts(replies)
    offered = buttons(replies)
    assert offered["空气净化器AP300（AP300） ×5"] == "1|order.add|AP300|5"
    assert (await dialog(w)).data.get("items", []) == []
    picked = await w.press(DEALER_CHAT, offered["空气净化器AP300（AP300） ×5"])
    assert "空气净化器AP300（AP300）5台" in texts(picked)


async def test_a_code_a_digit_shorter_typed_into_an_open_cart_changes_nothing() -> None:
    w, _ = await world()
    await w.say(DEALER_CHAT, "DH20 2台")
    replies = await w.say(DEALER_CHAT, "AP30 六个吧")
    assert "没有找到“AP30”（数量 6）" in texts(replies)
    assert "1|order.add|AP300|6" in buttons(replies).values()
    assert (await dialog(w)).data["items"] == [["DH20", 2]]


async def test_a_near_code_asked_about_is_looked_up_not_answered_as_the_product() -> None:
    w, _ = await world()
    replies = await w.say(DEALER_CHAT, "AP3000有货吗")
    assert "没有找到“AP3000”" in texts(replies)
    assert "1|stock.sku|AP300" in buttons(replies).values()
