"""Channel managers ask for every dealer's stock in chat: a text per region and product, the dealers with the
fewest days of cover, a chart; dealers and staff without sell-out access are refused."""

from __future__ import annotations

from decimal import Decimal

from core.inventory import DealerStock
from core.sellout import SellOutLine
from core.services.thresholds import SetDealerThreshold, set_dealer_threshold
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user

DEALER, CHANNEL, BOSS, DESK = "100", "300", "301", "302"


async def world() -> tuple[ChatWorld, int, int]:
    w = ChatWorld()
    await w.catalogue()
    east = await w.dealer(name="上海华信电器有限公司", region="华东")
    north = await w.dealer(name="北京宏达商贸有限公司", region="华北")
    assert east.id is not None and north.id is not None
    await w.user(DEALER, Role.DEALER_OWNER, east)
    await w.user(CHANNEL, Role.CHANNEL_MANAGER, username="liu.channel")
    await w.user(BOSS, Role.MANAGEMENT, username="zhou.management")
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    await w.uow.dealer_stock.add(DealerStock(east.id, "DH20", 4))
    await w.uow.dealer_stock.add(DealerStock(east.id, "AP300", 30))
    await w.uow.dealer_stock.add(DealerStock(north.id, "DH20", 45))
    # 90 DH20 sold by the east dealer in the last 90 days (1 a day), 45 by the north one
    await w.uow.sellout.add(SellOutLine(east.id, w.clock.today(), "DH20", 90, Decimal("1.00"), "上海", "上海"))
    await w.uow.sellout.add(SellOutLine(north.id, w.clock.today(), "DH20", 45, Decimal("1.00"), "北京", "北京"))
    await w.uow.commit()
    await set_dealer_threshold(w.uow, dealer_user(east.id), SetDealerThreshold(east.id, "DH20", 5), w.clock)
    return w, east.id, north.id


async def test_a_channel_manager_sees_every_dealer_with_days_of_cover_and_a_chart() -> None:
    w, _, _ = await world()
    replies = await w.say(CHANNEL, "经销商库存")
    shown = texts(replies)
    assert "华东 · 除湿机DH20（DH20）：1 家共 4，日均销 1.00，可售 4.0 天，1 家已到补货点" in shown
    assert "华北 · 除湿机DH20（DH20）：1 家共 45，日均销 0.50，可售 90.0 天" in shown
    assert "华东 · 空气净化器AP300（AP300）：1 家共 30，日均销 0.00，可售 无销量" in shown
    lowest = shown.split("可售天数最少的经销商：")[1]
    assert lowest.index("上海华信") < lowest.index("北京宏达")              # fewest days first
    assert "（已到补货点 5）" in lowest
    [reply] = replies
    assert reply.image and reply.image.startswith(b"\x89PNG")
    assert buttons(replies)["华北"] == payload("dstock", "华北", "-")


async def test_filters_by_region_and_product_in_words_and_buttons() -> None:
    w, _, _ = await world()
    north = texts(await w.say(BOSS, "华北 DH20 渠道库存"))
    assert "华北 · 除湿机DH20" in north and "华东" not in north.split("可售天数最少")[0].split("：", 1)[1]
    assert "北京宏达" in north and "上海华信" not in north
    pressed = texts(await w.press(CHANNEL, payload("dstock", "-", "AP300")))
    assert "空气净化器AP300" in pressed and "除湿机DH20" not in pressed
    each = texts(await w.say(BOSS, "DH20各家经销商还有多少库存"))
    assert "除湿机DH20" in each and "空气净化器AP300" not in each
    days = texts(await w.say(CHANNEL, "DH20在经销商那边还能卖几天"))
    assert "除湿机DH20" in days and "空气净化器AP300" not in days
    english = texts(await w.say(CHANNEL, "dealer stock DH20"))
    assert "华北 · 除湿机DH20" in english and "空气净化器AP300" not in english


async def test_dealers_and_staff_without_sellout_access_are_refused() -> None:
    w, _, _ = await world()
    refused = texts(await w.press(DEALER, payload("dstock", "-", "-")))
    assert "没有权限" in refused and "北京宏达" not in refused
    words = texts(await w.say(DEALER, "经销商库存"))                          # a dealer's words: not this view
    assert "北京宏达" not in words and "可售天数" not in words
    assert "没有权限" in texts(await w.press(DESK, payload("dstock", "-", "-")))


async def test_one_dealer_s_stock_asked_by_its_code() -> None:
    """"D0005的库存" from a channel manager (QA; was: "没有找到“D0005”" and our products offered): that dealer's
    stock only; a code of no dealer the person may see: said so."""
    w, east_id, _ = await world()
    east = await w.uow.dealers.get(east_id)
    assert east is not None
    shown = texts(await w.say(CHANNEL, f"{east.code}的库存"))
    assert "上海华信电器" in shown and "（DH20）：库存 4" in shown and "（AP300）：库存 30" in shown
    assert "北京宏达" not in shown
    assert "D9999" in texts(await w.say(CHANNEL, "D9999的库存")) and "没有" in texts(await w.say(CHANNEL, "D9999的库存"))


def test_a_dealer_code_before_stock_words() -> None:
    from nlu.dealer_stock_words import dealer_code_stock_asked

    assert dealer_code_stock_asked("D0005的库存") == "D0005"
    assert dealer_code_stock_asked("看下d0005 库存还有多少") == "D0005"
    assert dealer_code_stock_asked("AP300的库存") is None
