"""A line replaced by a product the catalogue does not have ("DH20换成DH30", "swap the DH20 for DH30"): the line
kept, the word named back with the products it may mean; the answer to that question typed ("DH50") is that button
pressed, never a line of its own."""

from __future__ import annotations

from tests.chat import ChatWorld, buttons, texts
from tests.unit.test_chat_cart_edits import CHAT, cart, world
from tests.unit.test_chat_several_requests import _more


async def _with_dh50() -> ChatWorld:
    w = await world()
    await _more(w, ("DH50", "商用除湿机DH50"))
    return w


async def test_a_swap_to_a_product_that_does_not_exist_keeps_the_line_and_offers_the_closest() -> None:
    """"DH20换成DH30" (no DH30) took DH20 out without a word."""
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台")
    replies = await w.say(CHAT, "DH20换成DH30")
    assert await cart(w) == {"DH20": 2}
    shown = texts(replies)
    assert "没有找到“DH30”" in shown and "已删除" not in shown
    swap = next(p for label, p in buttons(replies).items() if "DH50" in label)
    await w.press(CHAT, swap)
    assert await cart(w) == {"DH50": 2}


async def test_a_swap_to_a_missing_product_among_several_lines_keeps_them_all() -> None:
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台 AP300 3台")
    replies = await w.say(CHAT, "把DH20换成DH30 5台")
    assert await cart(w) == {"DH20": 2, "AP300": 3}
    assert any("DH50" in label and "×5" in label for label in buttons(replies))


async def test_an_english_swap_to_a_missing_product_keeps_the_line() -> None:
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台")
    replies = await w.say(CHAT, "swap the DH20 for DH30")
    assert await cart(w) == {"DH20": 2}
    assert "DH30" in texts(replies)
    swap = next(p for label, p in buttons(replies).items() if "DH50" in label)
    await w.press(CHAT, swap)                   # was: offered as a product to add, DH20 kept beside it
    assert await cart(w) == {"DH50": 2}


async def test_the_product_offered_typed_is_the_swap_not_a_new_line() -> None:
    """"DH50" typed under "要换成哪一个？" added a DH50 line (or asked its count) next to DH20."""
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台 AP300 3台")
    await w.say(CHAT, "DH20换成DH30")
    replies = await w.say(CHAT, "DH50")
    assert await cart(w) == {"DH50": 2, "AP300": 3}
    assert "已替换" in texts(replies)


async def test_the_product_offered_typed_with_a_count_is_the_swap_with_that_count() -> None:
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台")
    await w.say(CHAT, "不是DH20 是DH30")
    await w.say(CHAT, "DH50 4台")
    assert await cart(w) == {"DH50": 4}


async def test_once_the_cart_changed_the_offer_is_over() -> None:
    """A product offered, typed after another edit of the cart, is a line of its own again."""
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台")
    offered = buttons(await w.say(CHAT, "DH20换成DH30"))
    assert not any("F300" in label for label in offered)
    await w.say(CHAT, "F300 3箱")
    await w.say(CHAT, "DH50 1台")
    assert await cart(w) == {"DH20": 2, "F300": 3, "DH50": 1}


async def test_a_line_named_by_a_word_of_several_products_is_replaced() -> None:
    """"把滤网换成两箱AP500滤网" set the AP300 filter in the cart to 2; the AP500 filter was never ordered."""
    w = await world()
    await w.say(CHAT, "AP300 5台 F300 3箱")
    replies = await w.say(CHAT, "把滤网换成两箱AP500滤网")
    assert await cart(w) == {"AP300": 5, "F500": 2}
    assert "已替换" in texts(replies)


async def test_a_word_of_several_lines_in_the_cart_asks_which_line() -> None:
    w = await world()
    await w.say(CHAT, "F300 3箱 F500 1箱 AP300 2台")
    replies = await w.say(CHAT, "滤网换成DH20")
    assert await cart(w) == {"F300": 3, "F500": 1, "AP300": 2}       # nothing guessed
    swap = next(p for label, p in buttons(replies).items() if label.startswith("F500 →"))
    await w.press(CHAT, swap)
    assert await cart(w) == {"F300": 3, "AP300": 2, "DH20": 1}


async def test_one_size_up_asks_which_product_and_is_no_delivery_date() -> None:
    """"换成大一号的" set the delivery date to the 1st ("一号"), the line kept without a word."""
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台")
    replies = await w.say(CHAT, "换成大一号的")
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None and stored.data.get("delivery") is None
    assert await cart(w) == {"DH20": 2}
    assert any(label.startswith("DH20 → ") and "DH50" in label for label in buttons(replies))
    await w.say(CHAT, "DH50")                   # typed: the button of that product
    assert await cart(w) == {"DH50": 2}


async def test_one_size_up_with_several_lines_and_none_talked_about_asks_which_line() -> None:
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台 AP300 3台")
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None
    stored.data["last"] = None
    replies = await w.say(CHAT, "a size bigger please")
    assert await cart(w) == {"DH20": 2, "AP300": 3}
    assert "Which line" in texts(replies)


async def test_swap_to_a_product_not_naming_the_line_asks_which_of_several() -> None:
    """"换成DH50" with two lines and none talked about asked the DH50's count: the swap was lost (a line of its own).
    (With a line talked about, that line is replaced: test_a_correction_after_the_cart_replaces_the_line_talked_about.)"""
    w = await _with_dh50()
    await w.say(CHAT, "DH20 2台 AP300 3台")
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None
    stored.data["last"] = None
    replies = await w.say(CHAT, "换成DH50")
    assert await cart(w) == {"DH20": 2, "AP300": 3}
    await w.press(CHAT, next(p for label, p in buttons(replies).items() if label.startswith("DH20 →")))
    assert await cart(w) == {"DH50": 2, "AP300": 3}


async def test_a_swap_of_a_line_the_cart_does_not_have_says_so() -> None:
    w = await world()
    await w.say(CHAT, "DH20 2台")
    replies = await w.say(CHAT, "AP300换成AP500 3台")
    assert await cart(w) == {"DH20": 2, "AP500": 3}
    assert "购物车里没有 空气净化器AP300" in texts(replies) and "已替换" not in texts(replies)
