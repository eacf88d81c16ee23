"""An order list sent as an Excel file or a photo over real HTTP (Telegram stand-in, webhook): downloaded with getFile,
read, put in the cart with the row not understood named, confirmed with the button, the order in the database."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import openpyxl
import pytest_asyncio

from tests.e2e.telegram_standin import (
    BotWorld,
    TelegramStandIn,
    add_dealer,
    invite,
    seed_catalogue,
    start_bot,
)

DEALER = 1001


@pytest_asyncio.fixture
async def world(tmp_path: Path) -> AsyncIterator[BotWorld]:
    from bot.bootstrap import warm_up

    await warm_up()
    async with TelegramStandIn() as standin:
        w = await start_bot(tmp_path, standin, mode="webhook")
        try:
            await seed_catalogue(w)
            yield w
        finally:
            await w.stop()


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


async def test_an_excel_order_list_becomes_a_confirmed_order(world: BotWorld) -> None:
    await add_dealer(world, "D0101", "杭州明远贸易有限公司")
    assert "绑定成功" in (await world.say(DEALER, f"/start {await invite(world, dealer='D0101')}"))[0].text
    sheet = _xlsx([["明远贸易 订货单"], ["型号", "名称", "数量", "单位"], ["AP300", "空气净化器", 12, "台"],
                   ["F300", "滤网", "三", "箱"], ["XY999", "不存在的产品", 4, "台"], ["合计", None, 19, None]])
    replies = await world.upload(DEALER, sheet, "明远12月订货.xlsx")
    shown = "\n".join(r.text for r in replies)
    assert "已读取订单文件 明远12月订货.xlsx：2 行加入购物车" in shown
    assert "第 5 行「XY999 不存在的产品 4 台」：没有这个产品" in shown
    assert "空气净化器AP300（AP300）12台" in shown and "AP300 滤网（F300）3箱" in shown
    assert world.standin.calls_of("getFile"), "the bot downloads the document"
    done = await world.press(DEALER, "确认下单")
    assert "已提交" in done[0].text
    async with world.uow() as uow:
        [order] = await uow.orders.list()
    assert sorted((line.sku, line.qty) for line in order.lines) == [("AP300", 12), ("F300", 3)]
    broken = await world.upload(DEALER, b"PK\x03\x04 broken", "坏文件.xlsx")
    assert "这个文件打不开" in broken[0].text
    assert "AP300" in (await world.say(DEALER, "AP300 有货吗"))[0].text      # still answering


async def test_a_photographed_order_list_becomes_the_cart(world: BotWorld) -> None:
    import random

    from tests.order_images import Product, order_picture

    await add_dealer(world, "D0102", "宁波海曙家电商行")
    assert "绑定成功" in (await world.say(DEALER, f"/start {await invite(world, dealer='D0102')}"))[0].text
    products = [Product("AP300", "空气净化器AP300", "台"), Product("F300", "AP300 滤网", "箱"),
                Product("DH20", "除湿机DH20", "台")]
    picture = order_picture(random.Random(5), products, lines=2, rotate=-2, blur=0.7)
    replies = await world.photo(DEALER, picture.png)
    shown = "\n".join(r.text for r in replies)
    assert "已识别图片中的订货清单" in shown and "2 行加入购物车" in shown, (picture.lines, shown)
    done = await world.press(DEALER, "确认下单")
    assert "已提交" in done[0].text
    async with world.uow() as uow:
        [order] = await uow.orders.list()
    assert sorted((line.sku, line.qty) for line in order.lines) == sorted(picture.truth)
