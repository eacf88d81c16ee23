"""Stock dialogues: coarse availability for dealers, numbers for staff, own stock, stocktakes."""

from __future__ import annotations

from core.dealers import Dealer
from core.inventory import DealerStock, StockLevel
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_warehouse

DEALER_CHAT = "100"
STAFF_CHAT = "900"


async def world() -> tuple[ChatWorld, Dealer]:
    w = ChatWorld()
    await w.catalogue()                                   # 500 of each in WH-SH (华东)
    north = await w.uow.warehouses.add(make_warehouse("WH-BJ", region="华北"))
    await w.uow.stock.add(StockLevel(warehouse_id=north.id, sku="AP300", on_hand=8))  # type: ignore[arg-type]
    await w.uow.commit()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    await w.user(STAFF_CHAT, Role.ORDER_DESK, username="desk")
    return w, dealer


async def test_dealer_asking_for_a_product_gets_coarse_levels_per_region() -> None:
    w, _ = await world()
    replies = await w.say(DEALER_CHAT, "AP300 有货吗")
    shown = texts(replies)
    assert "空气净化器AP300（AP300）厂家库存" in shown
    assert "华东：充足" in shown and "华北：紧张" in shown
    assert "500" not in shown and "可用" not in shown             # never the numbers
    assert buttons(replies)["🛒 下单"] == "1|order.pick|AP300"


async def test_a_count_said_with_the_stock_question_is_offered_as_a_one_tap_order() -> None:
    w, _ = await world()
    replies = await w.say(DEALER_CHAT, "AP300 还有货吗 有的话来3台")
    shown = texts(replies)
    assert "华东：充足" in shown                               # the question is answered first
    offer = buttons(replies)
    assert offer["🛒 有货就来 3台"] == "1|order.add|AP300|3"
    assert "已加入" not in shown                                # nothing in the cart before the tap
    cart = texts(await w.press(DEALER_CHAT, offer["🛒 有货就来 3台"]))
    assert "AP300" in cart and "×3" in cart


async def test_staff_get_exact_numbers() -> None:
    w, _ = await world()
    shown = texts(await w.say(STAFF_CHAT, "AP300 库存"))
    assert "华东：可用 500（充足）" in shown and "华北：可用 8（紧张）" in shown


async def test_staff_without_stock_permission_is_refused() -> None:
    w, _ = await world()
    await w.user("901", Role.QUALITY, username="qa")
    assert "没有权限" in texts(await w.press("901", "1|stock.sku|AP300"))


async def test_out_of_stock_product_and_overview() -> None:
    w, _ = await world()
    for row in w.uow.stock.rows:
        if row.sku == "DH20":
            row.on_hand = 0
    await w.uow.commit()
    assert "华东：缺货" in texts(await w.press(DEALER_CHAT, "1|stock.sku|DH20"))
    overview = texts(await w.press(DEALER_CHAT, "1|stock.all"))
    assert "空气净化器AP300（AP300）：华东：充足 · 华北：紧张" in overview
    assert "除湿机DH20（DH20）：华东：缺货" in overview


async def test_stock_menu_by_command_and_product_buttons() -> None:
    w, _ = await world()
    menu = await w.say(DEALER_CHAT, "/stock")
    assert set(buttons(menu)) == {"📦 按产品查", "📋 全部产品概览", "🏪 我的库存", "📝 盘点上报"}
    staff_menu = await w.say(STAFF_CHAT, "/stock")
    assert "📝 盘点上报" not in buttons(staff_menu)
    products = await w.press(DEALER_CHAT, buttons(menu)["📦 按产品查"])
    assert buttons(products)["除湿机DH20（DH20）"] == "1|stock.sku|DH20"
    assert "未找到产品 NOPE" in texts(await w.press(DEALER_CHAT, "1|stock.sku|NOPE"))


async def test_unknown_product_in_a_stock_question_gets_suggestions() -> None:
    w, _ = await world()
    replies = await w.say(DEALER_CHAT, "XP300 有货吗")
    assert "没有找到“XP300”" in texts(replies)
    assert "1|stock.sku|AP300" in buttons(replies).values()


async def test_stocktake_by_product_button_and_typed_quantity() -> None:
    w, dealer = await world()
    start = await w.press(DEALER_CHAT, "1|stock.count")
    asked = await w.press(DEALER_CHAT, buttons(start)["空气净化器AP300（AP300）"])
    assert "请输入 空气净化器AP300（AP300）的盘点数量（台）" in texts(asked)
    assert "0–999999" in texts(await w.say(DEALER_CHAT, "很多"))
    confirm = await w.say(DEALER_CHAT, "12台")
    assert "空气净化器AP300（AP300）：12台" in texts(confirm)
    assert w.uow.dealer_stock.rows == []                  # nothing before Confirm
    done = await w.press(DEALER_CHAT, buttons(confirm)["✅ 确认上报"])
    assert "盘点已记录" in texts(done)
    [row] = w.uow.dealer_stock.rows
    assert (row.dealer_id, row.sku, row.qty) == (dealer.id, "AP300", 12)
    assert any(a.action == "dealer_stock.report" for a in w.uow.audit.rows)
    again = await w.press(DEALER_CHAT, buttons(confirm)["✅ 确认上报"])
    assert "已经记录过了" in texts(again)
    assert len([a for a in w.uow.audit.rows if a.action == "dealer_stock.report"]) == 1


async def test_stocktake_typed_as_text_with_several_products_and_own_stock_list() -> None:
    w, dealer = await world()
    await w.press(DEALER_CHAT, "1|stock.count")
    confirm = await w.say(DEALER_CHAT, "AP300 12台，F300 3箱")
    assert "空气净化器AP300（AP300）：12台" in texts(confirm) and "AP300 滤网（F300）：3箱" in texts(confirm)
    await w.press(DEALER_CHAT, buttons(confirm)["✅ 确认上报"])
    assert sorted((r.sku, r.qty) for r in w.uow.dealer_stock.rows) == [("AP300", 12), ("F300", 3)]
    own = texts(await w.press(DEALER_CHAT, "1|stock.own"))
    assert "空气净化器AP300（AP300）：12台（11-26 盘点）" in own and "AP300 滤网（F300）：3箱" in own


async def test_own_stock_is_only_the_dealers_own() -> None:
    w, dealer = await world()
    other = await w.dealer()
    await w.uow.dealer_stock.add(DealerStock(dealer_id=other.id, sku="DH20", qty=77))  # type: ignore[arg-type]
    await w.uow.commit()
    own = texts(await w.press(DEALER_CHAT, "1|stock.own"))
    assert "还没有盘点记录" in own and "77" not in own


async def test_stocktake_is_for_dealers_and_stale_confirm_is_refused() -> None:
    w, _ = await world()
    assert "没有权限" in texts(await w.press(STAFF_CHAT, "1|stock.count"))
    assert "按钮已失效" in texts(await w.press(DEALER_CHAT, "1|stock.count_ok|abcdef012345"))
    assert w.uow.dealer_stock.rows == []
