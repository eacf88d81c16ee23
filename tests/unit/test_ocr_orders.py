"""A photo of an order list -> the cart: rows grouped from OCR boxes (synthetic, tilted), then pictures rendered
in the test (CJK font, turned, blurred, speckled) read by the real RapidOCR, the cart with doubtful lines marked,
a photo that is no list, a broken picture, and an after-sales photo that stays with its form."""

from __future__ import annotations

import math
import random

import pytest

from bot.ocr import RapidOcrReader
from core.users import Role
from handlers.router import payload
from nlu.ocr_rows import OcrBox, group_rows
from tests.chat import ChatWorld, buttons, texts
from tests.order_images import Product, order_picture

DEALER = "100"
PRODUCTS = [Product("AP300", "空气净化器AP300", "台"), Product("F300", "AP300 滤网", "箱"),
            Product("DH20", "除湿机DH20", "台")]
READER = RapidOcrReader()


def _box(text: str, x: float, y: float, width: float, height: float = 30, degrees: float = 0.0,
         score: float = 0.95) -> OcrBox:
    a = math.radians(degrees)
    corners = [(x, y), (x + width, y), (x + width, y + height), (x, y + height)]
    turned = tuple((px * math.cos(a) - py * math.sin(a), px * math.sin(a) + py * math.cos(a)) for px, py in corners)
    return OcrBox(text, score, turned)  # type: ignore[arg-type]


@pytest.mark.parametrize("degrees", [-4.0, 0.0, 3.0])
def test_boxes_of_a_tilted_page_make_its_rows(degrees: float) -> None:
    cells = [("订货单", 60, 40, 200), ("AP300", 70, 130, 160), ("空气净化器", 400, 130, 240), ("20台", 900, 130, 100),
             ("DH20", 70, 187, 140), ("除湿机", 400, 187, 150), ("5台", 900, 187, 80),
             ("F300", 70, 244, 140), ("滤网", 400, 244, 100), ("3箱", 900, 244, 80, 30, 0.5)]
    boxes = [_box(t, x, y, w, 30, degrees) for t, x, y, w, *_ in cells]
    boxes[-1] = _box("3箱", 900, 244, 80, 30, degrees, score=0.5)
    random.Random(1).shuffle(boxes)
    rows = group_rows(boxes)
    assert [r.text for r in rows] == ["订货单", "AP300 空气净化器 20台", "DH20 除湿机 5台", "F300 滤网 3箱"]
    assert rows[-1].score == 0.5 and rows[1].score == 0.95


def test_no_boxes_no_rows() -> None:
    assert group_rows([]) == [] and group_rows([_box(" ", 0, 0, 10)]) == []


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    w.service.deps.read_image_text = READER
    return w


async def test_photographed_lists_become_the_cart_then_an_order() -> None:
    w = await world()
    rng = random.Random(20261205)
    picture = order_picture(rng, PRODUCTS, lines=3, rotate=2.5, blur=0.8)
    replies = await w.photo_of(DEALER, picture.png)
    shown = texts(replies)
    assert "已识别图片中的订货清单" in shown and "3 行加入购物车" in shown, (picture.lines, shown)
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == dict(picture.truth), picture.lines
    confirm = next(p for p in buttons(replies).values() if "order.confirm" in p)
    assert "已提交" in texts(await w.press(DEALER, confirm))
    [order] = await w.uow.orders.list()
    assert sorted((line.sku, line.qty) for line in order.lines) == sorted(picture.truth)


async def test_a_second_photo_adds_to_the_open_cart() -> None:
    w = await world()
    rng = random.Random(7)
    first = order_picture(rng, PRODUCTS[:1], lines=1, rotate=-3, blur=0.6)
    second = order_picture(rng, PRODUCTS[2:], lines=1, rotate=1, blur=1.0)
    await w.photo_of(DEALER, first.png)
    replies = await w.photo_of(DEALER, second.png)
    assert "已合并到您正在下的订单，原有 1 行" in texts(replies)
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == dict(first.truth + second.truth)


async def test_a_photo_that_is_no_list_and_a_broken_picture_are_answered() -> None:
    w = await world()
    import io

    from PIL import Image

    blank = io.BytesIO()
    Image.new("RGB", (400, 300), (200, 180, 160)).save(blank, format="JPEG")
    # no order list in it: a broken machine's photo, more likely than not: kept and asked what it is for
    # (handlers.flows.photo_first; was "图片里没有找到订货清单", the photo lost)
    assert "这是要做什么" in texts(await w.photo_of(DEALER, blank.getvalue()))
    assert "这是要做什么" in texts(await w.photo_of(DEALER, b"\xff\xd8 not really a jpeg"))
    assert "AP300" in texts(await w.say(DEALER, "AP300 有货吗"))           # still answering


async def test_an_after_sales_photo_stays_with_its_form() -> None:
    w = await world()
    await w.press(DEALER, payload("as.new"))
    rng = random.Random(3)
    picture = order_picture(rng, PRODUCTS, lines=2)
    replies = await w.photo_of(DEALER, picture.png)
    assert "已识别图片中的订货清单" not in texts(replies)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert stored is not None and stored.state.startswith("as")
