"""A dealer's stock alerts in chat: set in words (confirm first), list, remove, from the forecast; the next
stock check alerts with a suggestion and "一键补货" fills a cart that orders only after Confirm."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.errors import NotFound, PermissionDenied
from core.inventory import DealerStock, StockLevel, StockThreshold, ThresholdScope
from core.sellout import SellOutLine
from core.services.thresholds import (
    SetDealerThreshold,
    dealer_stock_overview,
    forecast_threshold,
    restock_plan,
    set_dealer_threshold,
)
from core.users import Role
from handlers.router import payload
from nlu.thresholds import parse_threshold
from notifications.checks import Checks
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, make_product, make_warehouse, staff
from tests.fakes import FakeOutboxStore

DEALER, CLERK, OTHER, DESK, CHANNEL = "100", "101", "200", "300", "301"


async def world() -> tuple[ChatWorld, int, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司", region="华东")
    other = await w.dealer(name="南京宏达商贸有限公司", region="华东")
    assert dealer.id is not None and other.id is not None
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(CLERK, Role.DEALER_CLERK, dealer)
    await w.user(OTHER, Role.DEALER_OWNER, other)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    await w.user(CHANNEL, Role.CHANNEL_MANAGER, username="liu.channel")
    return w, dealer.id, other.id


def dealer_rows(w: ChatWorld) -> list[StockThreshold]:
    return [t for t in w.uow.thresholds.rows if t.scope == ThresholdScope.DEALER]


async def test_a_threshold_set_in_chat_alerts_at_the_next_stock_check_and_one_tap_orders_after_confirm() -> None:
    w, dealer_id, _ = await world()
    asked = await w.say(DEALER, "DH20 低于5台提醒我")
    assert "确认设置 除湿机DH20（DH20）的库存提醒" in texts(asked) and "补货点 5台" in texts(asked)
    assert dealer_rows(w) == []                                            # nothing before Confirm
    done = await w.press(DEALER, buttons(asked)["✅ 确认"])
    assert "✅ 已设置 除湿机DH20（DH20）" in texts(done)
    [row] = dealer_rows(w)
    assert (row.scope_id, row.sku, row.low, row.high, row.source) == (dealer_id, "DH20", 5, None, "dealer")
    assert any(a.action == "stock.threshold" for a in w.uow.audit.rows)
    # the dealer's stock drops to 3 (its stocktake); the scheduled check the next morning alerts once
    await w.uow.dealer_stock.add(DealerStock(dealer_id, "DH20", 3))
    await w.uow.commit()
    checks = Checks(lambda: w.uow, FakeOutboxStore(w.uow), w.clock)
    assert await checks.run("stock_levels") == 2                           # the owner and the clerk
    assert await checks.run("stock_levels") == 0
    [alert] = [r for r in await w.pushed(DEALER) if "补货提醒" in r.text]
    assert "除湿机DH20（DH20）库存 3" in alert.text and "建议补货 7 台" in alert.text   # up to twice the point
    one_tap = buttons([alert])["🛒 一键补货"]
    cart = await w.press(DEALER, one_tap)
    assert "除湿机DH20（DH20）7台" in texts(cart) and w.uow.orders.rows == []    # the normal confirm first
    ordered = await w.press(DEALER, buttons(cart)["✅ 确认下单"])
    assert "订单已提交" in texts(ordered)
    [order] = w.uow.orders.rows
    assert [(ln.sku, ln.qty) for ln in order.lines] == [("DH20", 7)] and order.dealer_id == dealer_id


async def test_a_stocktake_in_chat_at_the_reorder_point_alerts_at_once_with_restock_of_every_low_product() -> None:
    w, dealer_id, _ = await world()
    await set_dealer_threshold(w.uow, dealer_user(dealer_id), SetDealerThreshold(dealer_id, "DH20", 5, maximum=20),
                               w.clock)
    await set_dealer_threshold(w.uow, dealer_user(dealer_id), SetDealerThreshold(dealer_id, "F300", 4), w.clock)
    await w.press(DEALER, payload("stock.count"))
    asked = await w.say(DEALER, "DH20 2台，F300 3箱，AP300 9台")
    done = await w.press(DEALER, buttons(asked)["✅ 确认上报"])
    shown = texts(done)
    assert "盘点已记录" in shown and "补货提醒：以下商品已到补货点" in shown
    assert "除湿机DH20（DH20）：库存 2，补货点 5，建议补货 18台（补到上限 20）" in shown
    assert "AP300 滤网（F300）：库存 3，补货点 4，建议补货 5箱（补到补货点的两倍）" in shown
    assert "AP300（AP300）" not in shown.split("补货提醒")[1]                 # no threshold: no alert
    cart = await w.press(DEALER, buttons(done)["🛒 一键补货"])
    assert "已按补货建议放入购物车（2 个商品）" in texts(cart)
    assert "✅ 确认下单" in buttons(cart) and w.uow.orders.rows == []


async def test_safety_stock_english_words_list_and_remove() -> None:
    w, dealer_id, _ = await world()
    asked = await w.say(DEALER, "AP300 安全库存 10")
    assert "补货点 10台" in texts(asked) and "安全库存 10" in texts(asked)
    await w.press(DEALER, buttons(asked)["✅ 确认"])
    lowered = await w.say(DEALER, "AP300 低于6台提醒我")                   # the safety stock follows it down
    assert "补货点 6台" in texts(lowered) and "安全库存 6" in texts(lowered) and "原设置" in texts(lowered)
    await w.press(DEALER, buttons(lowered)["❌ 取消"])
    assert [(t.low, t.safety) for t in dealer_rows(w)] == [(10, 10)]
    english = await w.say(DEALER, "alert me when DH20 below 3")
    assert "Set this stock alert for 除湿机DH20 (DH20)?" in texts(english)
    await w.press(DEALER, buttons(english)["✅ Confirm"])
    listed = await w.say(DEALER, "我的库存提醒")
    assert "空气净化器AP300（AP300）：补货点 10 · 安全库存 10" in texts(listed)
    assert "除湿机DH20（DH20）：补货点 3" in texts(listed)
    removing = await w.say(DEALER, "取消 DH20 的库存提醒")
    assert "确认取消 除湿机DH20（DH20）的库存提醒" in texts(removing) and len(dealer_rows(w)) == 2
    removed = await w.press(DEALER, buttons(removing)["✅ 确认"])
    assert "已取消" in texts(removed)
    assert [t.sku for t in dealer_rows(w)] == ["AP300"]
    assert any(a.action == "stock.threshold_remove" for a in w.uow.audit.rows)
    stale = await w.press(DEALER, buttons(removing)["✅ 确认"])             # a second press writes nothing
    assert "失效" in texts(stale)


async def test_from_the_forecast_says_which_data_it_used() -> None:
    w, dealer_id, _ = await world()
    today = w.clock.today()
    for n in range(9):                                                      # 90 units in the last 90 days
        await w.uow.sellout.add(SellOutLine(dealer_id, today - timedelta(days=n * 10), "DH20", 10,
                                            Decimal("100.00"), "上海", "上海"))
    await w.uow.commit()
    asked = await w.say(DEALER, "DH20 按销量自动设置提醒")
    shown = texts(asked)
    assert "日均销量 1.00（近90天实际销量）× 覆盖 30 天 + 安全库存 0 = 30" in shown and "补货点 30台" in shown
    await w.press(DEALER, buttons(asked)["✅ 确认"])
    [row] = dealer_rows(w)
    assert (row.low, row.source) == (30, "forecast")
    longer = await forecast_threshold(w.uow, dealer_user(dealer_id), dealer_id, "DH20", w.clock, cover_days=45,
                                      monthly_forecast=Decimal("60"))
    assert (longer.basis, longer.daily, longer.reorder_point) == ("forecast", Decimal("2.00"), 90)
    nothing = await w.say(DEALER, "AP300 按销量自动设置提醒")
    assert "没有销量记录" in texts(nothing)


async def test_not_another_dealers_and_not_staff_and_orders_still_order() -> None:
    w, dealer_id, other_id = await world()
    with pytest.raises(NotFound):
        await set_dealer_threshold(w.uow, dealer_user(other_id), SetDealerThreshold(dealer_id, "DH20", 5), w.clock)
    with pytest.raises(PermissionDenied):
        await set_dealer_threshold(w.uow, staff(Role.AFTER_SALES), SetDealerThreshold(dealer_id, "DH20", 5),
                                   w.clock)
    by_staff = await set_dealer_threshold(w.uow, staff(Role.CHANNEL_MANAGER), SetDealerThreshold(
        dealer_id, "DH20", 5, safety=2, maximum=30), w.clock)
    assert (by_staff.low, by_staff.safety, by_staff.high, by_staff.source) == (5, 2, 30, "staff")
    told = texts(await w.say(DESK, "DH20 低于5台提醒我"))                      # staff: not an order for a dealer
    assert "/backoffice/stock/dealers" in told and "代客下单" not in told
    listed = texts(await w.say(OTHER, "我的库存提醒"))
    assert "还没有设置库存提醒" in listed and "补货点" not in listed          # dealer 2 sees none of dealer 1's
    forged = await w.press(OTHER, payload("thr.rm", "DH20"))
    assert "没有设置库存提醒" in texts(forged) and len(dealer_rows(w)) == 1
    cart = await w.say(DEALER, "DH20 5台")
    assert "✅ 确认下单" in buttons(cart)                                    # an order, not a threshold
    assert "库存提醒" not in texts(cart)


async def test_an_unknown_product_is_named_back_and_a_word_of_several_asks_which() -> None:
    w, _, _ = await world()
    assert "没有找到" in texts(await w.say(DEALER, "XYZ999 低于5台提醒我"))
    await w.uow.products.add(make_product("DH50", name="除湿机DH50", aliases=["除湿机"]))
    await w.uow.commit()
    asked = await w.say(DEALER, "除湿机库存剩两台的时候提醒我")
    assert "您是指" in texts(asked) and buttons(asked)["除湿机DH50（DH50）"] == payload("thr.pick", "DH50")
    confirm = await w.press(DEALER, payload("thr.pick", "DH50"))
    assert "确认设置 除湿机DH50（DH50）的库存提醒" in texts(confirm) and "补货点 2台" in texts(confirm)
    await w.press(DEALER, buttons(confirm)["✅ 确认"])
    assert [(t.sku, t.low) for t in dealer_rows(w)] == [("DH50", 2)]
    assert "失效" in texts(await w.press(DEALER, payload("thr.pick", "DH20")))      # the request is used up


@pytest.mark.parametrize(("text", "action", "product", "values"), [
    ("DH20 低于5台提醒我", "set", "DH20", (5, None, None)),
    ("当DH20库存不足五台时通知我", "set", "DH20", (5, None, None)),
    ("AP300 安全库存 10", "set", "AP300", (None, 10, None)),
    ("AP300的安全库存设为10台 上限50", "set", "AP300", (None, 10, 50)),
    ("alert me when AP500 below 3", "set", "AP500", (3, None, None)),
    ("set safety stock for AP500 to 10", "set", "AP500", (None, 10, None)),
    ("AP300 按预测设置补货点 备货45天", "forecast", "AP300", (None, None, None)),
    ("我的库存提醒", "list", "", (None, None, None)),
    ("stop alerts for AP500", "remove", "AP500", (None, None, None)),
    ("不用提醒我DH20了", "remove", "DH20", (None, None, None)),
])
def test_the_words(text: str, action: str, product: str, values: tuple[int | None, ...]) -> None:
    found = parse_threshold(text)
    assert found is not None
    assert (found.action, found.product, (found.reorder_point, found.safety, found.maximum)) == \
        (action, product, values)


@pytest.mark.parametrize("text", ["订10台AP300", "AP300 有货吗", "DH20 5台", "AP300 安全库存 10 再来20台",
                                  "低于5台提醒我", "我要20台DH20", "订单到了通知我"])
def test_other_messages_are_not_thresholds(text: str) -> None:
    assert parse_threshold(text) is None


async def test_overview_is_for_channel_managers_only() -> None:
    w, dealer_id, other_id = await world()
    await w.uow.dealer_stock.add(DealerStock(dealer_id, "DH20", 4))
    await w.uow.dealer_stock.add(DealerStock(other_id, "DH20", 40))
    await w.uow.sellout.add(SellOutLine(dealer_id, w.clock.today(), "DH20", 90, Decimal("1.00"), "上海", "上海"))
    await w.uow.commit()
    rows = await dealer_stock_overview(w.uow, staff(Role.CHANNEL_MANAGER), w.clock, sku="DH20")
    assert [(r.dealer_id, r.qty, r.daily, r.cover_days) for r in rows] == [
        (dealer_id, 4, Decimal("1.00"), Decimal("4.0")), (other_id, 40, Decimal("0.00"), None)]
    for refused in (dealer_user(dealer_id), staff(Role.ORDER_DESK), staff(Role.AFTER_SALES)):
        with pytest.raises(PermissionDenied):
            await dealer_stock_overview(w.uow, refused, w.clock)


async def test_the_forecast_raises_the_suggestion_when_it_asks_for_more_and_says_so() -> None:
    w, dealer_id, _ = await world()
    await set_dealer_threshold(w.uow, dealer_user(dealer_id), SetDealerThreshold(dealer_id, "DH20", 5, maximum=12),
                               w.clock)
    await w.uow.dealer_stock.add(DealerStock(dealer_id, "DH20", 4))
    await w.uow.commit()
    [plain] = await restock_plan(w.uow, dealer_user(dealer_id), dealer_id)
    [more] = await restock_plan(w.uow, dealer_user(dealer_id), dealer_id, forecast={"DH20": 30})
    [less] = await restock_plan(w.uow, dealer_user(dealer_id), dealer_id, forecast={"DH20": 3})
    assert (plain.suggest, plain.basis) == (8, "maximum") and (less.suggest, less.basis) == (8, "maximum")
    assert (more.suggest, more.basis) == (30, "forecast")
    assert await restock_plan(w.uow, dealer_user(dealer_id + 1), dealer_id + 1) == []   # another dealer: its own


async def test_a_low_warehouse_alert_offers_a_transfer_from_a_warehouse_with_stock_to_spare() -> None:
    w, _, _ = await world()
    [shanghai] = await w.uow.warehouses.list()
    beijing = await w.uow.warehouses.add(make_warehouse("WH-BJ", region="华北"))
    assert shanghai.id is not None and beijing.id is not None
    await w.uow.stock.add(StockLevel(warehouse_id=beijing.id, sku="AP300", on_hand=300))
    await w.uow.thresholds.add(StockThreshold(ThresholdScope.WAREHOUSE, shanghai.id, "AP300", low=600, high=900))
    await w.uow.thresholds.add(StockThreshold(ThresholdScope.WAREHOUSE, beijing.id, "AP300", low=100))
    await w.uow.commit()
    checks = Checks(lambda: w.uow, FakeOutboxStore(w.uow), w.clock)
    assert await checks.run("stock_levels") == 1                             # the order desk (STOCK_WRITE)
    [alert] = [r for r in await w.pushed(DESK) if "库存预警" in r.text]
    assert "WH-SH AP300 可用 500" in alert.text and "建议补货 400 台" in alert.text
    assert "可从 WH-BJ 调拨 200 台" in alert.text                              # 300 on hand, 100 its own minimum
    one_tap = buttons([alert])["🔁 一键调拨"]
    assert one_tap == payload("thr.move", beijing.id, shanghai.id, "AP300", 200)
    refused = await w.press(CHANNEL, one_tap)                                 # no STOCK_WRITE: not for them
    assert "库存管理权限" in texts(refused) and w.uow.transfers.rows == []
    summary = await w.press(DESK, one_tap)
    assert "WH-BJ" in texts(summary) and w.uow.transfers.rows == []          # the transfers flow's confirm first
    confirm = next(p for label, p in buttons(summary).items() if "|tr.go|" in p)
    await w.press(DESK, confirm)
    [transfer] = w.uow.transfers.rows
    assert (transfer.from_id, transfer.to_id, [(ln.sku, ln.qty) for ln in transfer.lines]) == (
        beijing.id, shanghai.id, [("AP300", 200)])


async def test_an_alert_typed_in_an_open_cart_leaves_the_cart_as_it_was() -> None:
    w, _, _ = await world()
    cart = await w.say(DEALER, "AP300 5台")
    assert "✅ 确认下单" in buttons(cart)
    asked = await w.say(DEALER, "warn me if DH20 drops under 4")              # not an order line
    assert "reorder point 4 台" in texts(asked) and "Confirm order" not in texts(asked)   # answered in English
    await w.press(DEALER, buttons(asked)["✅ Confirm"])
    assert [(t.sku, t.low) for t in dealer_rows(w)] == [("DH20", 4)]
    dialog = w.uow.dialogs.rows[0]
    assert dialog.state.startswith("order.") and dialog.data["items"] == [["AP300", 5]]
    listed = await w.say(DEALER, "我的库存提醒")                                # a read: the cart stays too
    assert "除湿机DH20（DH20）：补货点 4" in texts(listed)
    assert w.uow.dialogs.rows[0].state.startswith("order.")
    ordered = await w.press(DEALER, buttons(cart)["✅ 确认下单"])              # the cart's own Confirm still works
    assert "订单已提交" in texts(ordered)
    [order] = w.uow.orders.rows
    assert [(ln.sku, ln.qty) for ln in order.lines] == [("AP300", 5)]
