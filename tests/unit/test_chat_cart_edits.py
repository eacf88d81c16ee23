"""Cart edits that do what they say (issue 13): set, remove, replace, add, scale, by name or by the line the
chat talks about; nothing dropped in silence; quantities refused rather than clamped; replies in the
language the dealer writes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.inventory import StockLevel
from core.users import Role
from handlers.messages import InboundKind, Reply
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product

CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    wh = next(iter(w.uow.warehouses.rows))
    for sku, name, unit, price in (("AP500", "空气净化器AP500", "台", "2999.00"), ("F500", "AP500 滤网", "箱", "399.00")):
        await w.uow.products.add(make_product(sku, name=name, aliases=[], unit=unit, list_price=Decimal(price)))
        await w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=500))  # type: ignore[arg-type]
    for p in w.uow.products.rows:
        if p.sku == "F300":
            p.aliases = []          # "滤网" is then both filters: a word naming no one product
    await w.uow.commit()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(CHAT, Role.DEALER_OWNER, dealer)
    return w


async def cart(w: ChatWorld) -> dict[str, int]:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None
    return {str(sku): int(qty) for sku, qty in stored.data.get("items", [])}


async def test_remove_and_set_in_one_message_replaces_instead_of_adding() -> None:
    w = await world()
    await w.say(CHAT, "AP300 20台，AP500 10台")
    assert await cart(w) == {"AP300": 20, "AP500": 10}
    replies = await w.say(CHAT, "不要AP300了，改成5台AP500")
    assert await cart(w) == {"AP500": 5}
    shown = texts(replies)
    assert "已删除：空气净化器AP300" in shown
    assert "空气净化器AP500（AP500）5台" in shown          # the whole cart is shown after the edit
    assert "AP300（AP300）" not in shown


async def test_set_by_name_and_by_the_line_talked_about() -> None:
    w = await world()
    await w.say(CHAT, "AP300 20台")
    replies = await w.say(CHAT, "AP300 改成 10台")
    assert await cart(w) == {"AP300": 10}
    assert "已改为：空气净化器AP300 ×10台" in texts(replies)
    await w.say(CHAT, "不对，改成12台")          # one line: no product name needed
    assert await cart(w) == {"AP300": 12}
    await w.say(CHAT, "DH20 5台")
    await w.say(CHAT, "8台就行")                # the line talked about last
    assert await cart(w) == {"AP300": 12, "DH20": 8}


async def test_an_edit_that_does_not_say_which_line_asks() -> None:
    w = await world()
    await w.say(CHAT, "AP300 20台，DH20 5台")
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None
    stored.data["last"] = None
    replies = await w.say(CHAT, "改成10台")
    assert "改成 10 的是哪一个商品" in texts(replies)
    await w.press(CHAT, buttons(replies)["DH20 ×5 → 10"])
    assert await cart(w) == {"AP300": 20, "DH20": 10}


async def test_replace_add_and_scale() -> None:
    w = await world()
    await w.say(CHAT, "AP300 20台，DH20 5台")
    await w.say(CHAT, "AP300换成AP500")
    assert await cart(w) == {"AP500": 20, "DH20": 5}
    await w.say(CHAT, "DH20再加3台")
    assert await cart(w) == {"AP500": 20, "DH20": 8}
    replies = await w.say(CHAT, "数量翻倍")
    assert await cart(w) == {"AP500": 40, "DH20": 16}
    assert "数量已乘以 2" in texts(replies)
    await w.say(CHAT, "减半")
    assert await cart(w) == {"AP500": 20, "DH20": 8}


async def test_a_second_product_with_a_generic_word_is_never_dropped() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300再来15台，滤网5箱，下周三前到")
    assert await cart(w) == {"AP300": 15}
    shown = texts(replies)
    assert "“滤网”（数量 5）：有好几种产品都叫这个" in shown
    assert "交货日期：不晚于 2026-12-02" in shown          # "前到": the latest day
    labels = buttons(replies)
    picked = await w.press(CHAT, labels["AP500 滤网（F500） ×5"])
    assert await cart(w) == {"AP300": 15, "F500": 5}
    assert "交货日期：不晚于 2026-12-02" in texts(picked)       # the date stays


async def test_a_spoken_run_on_keeps_every_line_and_the_date_never_empties_the_cart() -> None:
    w = await world()
    await w.say(CHAT, "DH20 2台")
    replies = await w.say(CHAT, "喂 那个我跟你说一下啊 AP300 再给我来个十五台吧 还有滤网也来五箱 然后最好是下周三之前能到 就这样啊")
    assert await cart(w) == {"DH20": 2, "AP300": 15}
    shown = texts(replies)
    assert "滤网" in shown and "交货日期：不晚于 2026-12-02" in shown      # "之前": the latest day
    await w.say(CHAT, "下周五到")
    assert await cart(w) == {"DH20": 2, "AP300": 15}


async def test_an_unknown_product_keeps_its_own_quantity() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 十台，XY123 五台")
    assert await cart(w) == {"AP300": 10}
    assert "XY123" in texts(replies) and "没有" in texts(replies)


async def test_a_count_after_a_word_naming_no_product_is_named_back_not_set_on_the_line_before() -> None:
    """"AP300 5台 白色 3台" with no white one: AP300 stays at 5 and 白色 ×3 is named back (it set AP300 to 3)."""
    w = await world()
    replies = await w.say(CHAT, "AP300 5台 白色 3台")
    assert await cart(w) == {"AP300": 5}
    assert "白色" in texts(replies) and "没有" in texts(replies)


async def test_absurd_negative_and_broken_quantities_are_refused_not_clamped() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 99999999台")
    assert await cart(w) == {}
    assert "每单最多" in texts(replies)
    assert "确认下单" not in texts(replies)
    replies = await w.say(CHAT, "AP300 来-5台")
    assert await cart(w) == {}
    assert "数量不能是负数" in texts(replies)
    await w.say(CHAT, "AP300 5台")
    replies = await w.say(CHAT, "AP300 2.5台")
    assert await cart(w) == {"AP300": 5}
    assert "数量须是整数" in texts(replies)


async def test_an_addition_over_the_limit_says_what_was_added_and_what_it_would_make() -> None:
    w = await world()
    await w.say(CHAT, "AP300 来12台")
    replies = await w.say(CHAT, "AP300 99999999台")
    assert await cart(w) == {"AP300": 12}
    assert "已有 12台，再加 99999999台 共 100000011台，每单最多 1000台" in texts(replies)
    replies = await w.say(CHAT, "AP300 改成2000台")            # a new number for the line: that number alone
    assert await cart(w) == {"AP300": 12}
    assert "2000台 超出上限" in texts(replies) and "再加" not in texts(replies)


async def test_the_line_the_total_and_the_order_are_the_same_number() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 600台")
    shown = texts(replies)
    assert "600台 × ¥1,999.00 = ¥1,199,400.00" in shown and "合计：¥1,199,400.00" in shown


async def test_double_after_a_reorder() -> None:
    w = await world()
    dealer = next(iter(w.uow.dealers.rows))
    await w.order(dealer, [("AP300", 3), ("DH20", 2)], to="received")
    await w.say(CHAT, "和上次一样")
    assert await cart(w) == {"AP300": 3, "DH20": 2}
    await w.say(CHAT, "数量翻倍")
    assert await cart(w) == {"AP300": 6, "DH20": 4}


@pytest.mark.parametrize("said", ["上次那单再来一遍", "按上回的再下一单", "上一单重复一下"])
async def test_the_last_order_again_in_other_words(said: str) -> None:
    """(was: "没认出要订的产品")"""
    w = await world()
    dealer = next(iter(w.uow.dealers.rows))
    await w.order(dealer, [("AP300", 3), ("DH20", 2)], to="received")
    await w.say(CHAT, said)
    assert await cart(w) == {"AP300": 3, "DH20": 2}


async def test_replies_follow_the_language_written() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 20台", language="en-US")       # an English phone, a Chinese dealer
    assert "已加入" in texts(replies)
    english = await w.say(CHAT, "need 2 more", language="zh-CN")
    assert "Added" in texts(english) and await cart(w) == {"AP300": 22}
    await w.say(CHAT, "/lang en")
    chosen: list[Reply] = await w.say(CHAT, "AP300 改成 10台")
    assert "Changed" in texts(chosen)


@pytest.mark.parametrize("said", ["hi", "ok", "OK", "hello", "okay", "thanks", "ok 👍", "Hi!", "hello?", "yes"])
async def test_words_of_no_one_language_keep_the_chats_language(said: str) -> None:
    """A Chinese dealer on an English phone typing "hi" or "ok" (was: English, the phone's language); a chat
    that has been English keeps English; /lang still decides over both"""
    w = await world()
    assert "已加入" in texts(await w.say(CHAT, "AP300 20台", language="en-US"))
    chinese = texts(await w.say(CHAT, said, language="en-US"))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese) and "Cart" not in chinese, chinese
    menu = await w.send(w._inbound(CHAT, InboundKind.BUTTON, payload=payload("menu"), language="en-US"))
    assert "🛒 下单" in texts(menu)         # a button says nothing of a language either
    assert "Added" in texts(await w.say(CHAT, "need 2 more", language="zh-CN"))
    english = texts(await w.say(CHAT, said, language="zh-CN"))
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in english.replace("空气净化器AP300", "")), english
    await w.say(CHAT, "/lang zh")
    assert "已加" in texts(await w.say(CHAT, "need 2 more"))


async def test_two_requests_in_one_message_do_both_or_offer_the_second() -> None:
    w = await world()
    replies = await w.say(CHAT, "AP300 10台，另外DH20还有货吗")
    shown = texts(replies)
    assert await cart(w) == {"AP300": 10}                  # the order first ...
    assert "DH20" in shown and "库存" in shown             # ... and the stock question answered too
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None and stored.state == "order.cart"     # the cart stays open
    both = await w.say(CHAT, "DH20有货吗？顺便再来5台DH20")      # with the cart open: both, nothing dropped
    assert "库存" in texts(both) and await cart(w) == {"AP300": 10, "DH20": 5}
    await w.say(CHAT, "/cancel")
    offered = await w.say(CHAT, "DH20有货吗？顺便再来5台AP300")      # no cart: answered, the order offered
    assert "库存" in texts(offered) and "继续：下单" in buttons(offered)
    await w.press(CHAT, buttons(offered)["继续：下单"])
    assert await cart(w) == {"AP300": 5}


async def test_boxes_of_a_product_sold_by_the_piece_are_converted_and_dozens_count_twelve() -> None:
    w = await world()
    await w.uow.products.add(make_product("MK-10", name="滤芯套装 MK10", aliases=[], unit="个",
                                          list_price=Decimal("20.00"), pack_size=24))
    await w.uow.commit()
    replies = await w.say(CHAT, "MK-10 来5箱")
    assert await cart(w) == {"MK-10": 120}
    assert "（5箱 = 120个）" in texts(replies)
    await w.say(CHAT, "MK-10 再来一打")
    assert await cart(w) == {"MK-10": 132}


async def test_questions_with_a_cart_open_are_answered_and_the_cart_stays() -> None:
    w = await world()
    await w.say(CHAT, "AP300 20台")
    price = await w.say(CHAT, "DH20现在什么价")
    assert "¥1,599.00" in texts(price) and "查看购物车（1）" in texts(price)
    balance = await w.say(CHAT, "返利还有多少")
    assert "返利" in texts(balance) and "查看购物车（1）" in texts(balance)
    assert await cart(w) == {"AP300": 20}
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None and stored.state == "order.cart"


async def test_a_model_number_with_de_names_the_product_and_a_ticket_question_keeps_the_cart() -> None:
    """Tried in the chat: "300的改成十五台" changed the last line to 300; "我那个除湿机的问题咋样了" asked which
    dehumidifier to order."""
    w = await world()
    await w.say(CHAT, "DH20 5台，F500 3箱")
    await w.say(CHAT, "不对不对 20的改成十五台就行 别的不变")      # DH20 is the one product coded 20
    assert await cart(w) == {"DH20": 15, "F500": 3}
    replies = await w.say(CHAT, "我那个上周报的净化器问题咋样了")
    assert "您要的是哪一种" not in texts(replies) and "查看购物车（2）" in texts(replies)
    assert await cart(w) == {"DH20": 15, "F500": 3}


async def test_a_statement_dispute_typed_with_a_cart_open_never_changes_the_cart() -> None:
    w = await world()
    await w.say(CHAT, "AP300 来20台")
    assert await cart(w) == {"AP300": 20}
    await w.say(CHAT, "账不对，11月2号那笔800应该是8000")
    assert await cart(w) == {"AP300": 20}


async def test_a_correction_after_the_cart_replaces_the_line_talked_about() -> None:
    w = await world()
    await w.say(CHAT, "AP300 5台")
    await w.say(CHAT, "DH20 3台")
    replies = await w.say(CHAT, "不对 是AP500")                # the line just talked about, its count kept
    assert await cart(w) == {"AP300": 5, "AP500": 3}
    assert "已替换" in texts(replies)
    await w.say(CHAT, "AP300 8台 翻倍")                        # the message's own line, not the cart again
    assert await cart(w) == {"AP300": 21, "AP500": 3}


async def test_a_correction_word_before_a_line_sets_it() -> None:
    w = await world()
    await w.say(CHAT, "DH20整5台 AP300来2台")
    await w.say(CHAT, "哦不 DH20要8台")                        # 8, not 5 + 8
    assert await cart(w) == {"DH20": 8, "AP300": 2}


async def test_english_make_sets_the_line_and_x2_after_a_product_is_its_count() -> None:
    """Tried in the chat: "actually make the AP300 three" added 3 (2 -> 5); "AP300 x2, DH20 4" also doubled AP300."""
    w = await world()
    await w.say(CHAT, "AP300 x2, DH20 4")
    assert await cart(w) == {"AP300": 2, "DH20": 4}
    await w.say(CHAT, "actually make the AP300 three")
    assert await cart(w) == {"AP300": 3, "DH20": 4}


@pytest.mark.parametrize("said", ["那来4台", "need 4 of them", "来4台吧"])
async def test_an_order_right_after_a_stock_answer_means_that_product(said: str) -> None:
    """Tried in the chat: "DH20有货吗" answered, then "那来4台" got "购物车是空的：请说明要 4 的是哪个产品", and "need
    4 of them" '"them" is not in the catalogue'."""
    w = await world()
    await w.say(CHAT, "DH20有货吗")
    await w.say(CHAT, said)
    assert await cart(w) == {"DH20": 4}


async def test_with_nothing_asked_before_a_count_alone_still_asks_which_product() -> None:
    w = await world()
    assert "哪个产品" in texts(await w.say(CHAT, "来4台"))
    assert await cart(w) == {}


async def test_a_product_asked_about_long_ago_is_not_what_a_count_means() -> None:
    from datetime import timedelta

    from core.clock import Clock

    w = await world()
    await w.say(CHAT, "DH20有货吗")
    later = w.clock.now() + timedelta(minutes=45)
    w.clock = Clock.fixed(later)
    w.service.deps.clock = w.clock
    assert "哪个产品" in texts(await w.say(CHAT, "来4台"))
    assert await cart(w) == {}


@pytest.mark.parametrize("said", ["一共多少钱", "总共多少", "那一共多少", "how much in total"])
async def test_the_total_asked_under_the_cart_shows_the_priced_cart(said: str) -> None:
    """(was: "想查哪个产品的价格？" for "一共多少钱", and the month's sell-out report for "总共多少": the cart
    only kept aside)"""
    w = await world()
    await w.say(CHAT, "AP300 20台")
    shown = texts(await w.say(CHAT, said))
    assert "订单确认" in shown or "Order summary" in shown
    assert "¥39,980.00" in shown and "想查哪个产品的价格" not in shown and "动销概况" not in shown
    assert await cart(w) == {"AP300": 20}


@pytest.mark.parametrize("said", ["算了不要了", "不买了", "那算了 都不要了"])
async def test_giving_up_the_order_in_words_asks_once_to_drop_the_cart(said: str) -> None:
    """(was: "算了不要了" answered "您正在下单…可以继续输入产品", though "算了" alone leaves the order)"""
    w = await world()
    await w.say(CHAT, "AP300 20台")
    asked = await w.say(CHAT, said)
    assert "清空购物车（1 个商品）？" in texts(asked) and "🗑 放弃购物车" in buttons(asked)
    await w.press(CHAT, buttons(asked)["🗑 放弃购物车"])
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert w.uow.orders.rows == [] and (stored is None or not stored.data.get("items"))


@pytest.mark.parametrize("said", ["好了就这样", "就这些", "就这样吧", "没了", "that's all"])
async def test_saying_the_cart_is_complete_shows_it_with_its_confirm_button(said: str) -> None:
    """(was: "没认出要订的产品"; nothing is submitted before the button, as "确认下单" would)"""
    w = await world()
    await w.say(CHAT, "AP300 20台")
    replies = await w.say(CHAT, said)
    shown = texts(replies)
    assert "没认出" not in shown and "could not find" not in shown
    assert "请点 ✅ 确认下单" in shown or "tap ✅ Confirm order" in shown
    assert any(label in buttons(replies) for label in ("✅ 确认下单", "✅ Confirm order"))
    assert w.uow.orders.rows == [] and await cart(w) == {"AP300": 20}


async def test_menu_words_leave_an_empty_cart_and_keep_a_full_one() -> None:
    w = await world()
    await w.say(CHAT, "我要下单")
    left = await w.say(CHAT, "主菜单")
    assert "已退出下单" in texts(left) and "您正在下单" not in texts(left)
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None and stored.state == ""
    await w.say(CHAT, "AP300 5台")
    kept = await w.say(CHAT, "主菜单")
    assert "购物车已保留（1 个商品）" in texts(kept) and "🛒 下单" in buttons(kept)
    assert await cart(w) == {"AP300": 5}


@pytest.mark.parametrize("drop", ["放弃购物车", "购物车不要了", "清空购物车"])
async def test_dropping_the_cart_in_words_asks_when_it_has_lines_and_leaves_when_empty(drop: str) -> None:
    w = await world()
    await w.say(CHAT, "我要下单")
    assert "已退出下单" in texts(await w.say(CHAT, drop))
    await w.say(CHAT, "AP300 5台")
    asked = await w.say(CHAT, drop)
    assert "清空购物车（1 个商品）？" in texts(asked)
    await w.press(CHAT, buttons(asked)["🗑 放弃购物车"])
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=CHAT)
    assert stored is not None and stored.state == ""


async def test_not_cancelling_after_cancel_asked_about_the_cart_keeps_it() -> None:
    w = await world()
    await w.say(CHAT, "AP300 5台")
    assert "要放弃购物车吗" in texts(await w.say(CHAT, "取消"))
    kept = await w.say(CHAT, "不取消")
    assert "购物车保留（1 个商品）" in texts(kept) and "取消的订单" not in texts(kept)
    assert await cart(w) == {"AP300": 5}
