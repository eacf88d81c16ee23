"""A packaging dealer's cart, edited by the size alone ("5号改成150", "7号不要了", "3号的再加50"): the line of that
size in the cart changes, the delivery date is not set to the 5th, the other products of that size (the 5号 bags,
the 五层 5号) are neither touched nor listed; a price asked in the cart ("三层5号多少钱一个") is answered and the
line keeps its count; the price of a word of several products lists each."""

from __future__ import annotations

from decimal import Decimal

from core.inventory import StockLevel
from core.users import Role
from tests.chat import ChatWorld, texts
from tests.factories import make_product, make_warehouse

DEALER_CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    wh = await w.uow.warehouses.add(make_warehouse("WH-SH", region="华东"))
    rows = [(f"C3-{n:02d}", f"远航三层纸箱 {n}号", [f"三层{n}号"], "个") for n in (3, 5, 7)]
    rows += [(f"C5-{n:02d}", f"远航五层纸箱 {n}号", [f"五层{n}号"], "个") for n in (3, 5, 7)]
    rows += [(f"Z8-{n:02d}", f"远航自封袋 8丝 {n}号", [], "包") for n in (5, 7)]
    rows += [("T-48", "远航透明胶带 48mm", ["透明48"], "卷"), ("T-60", "远航透明胶带 60mm", ["透明60"], "卷")]
    for sku, name, aliases, unit in rows:
        await w.uow.products.add(make_product(sku, name=name, aliases=aliases, unit=unit, list_price=Decimal("2.00"),
                                              pack_size=25 if sku.startswith("C3") else 1))
        await w.uow.stock.add(StockLevel(warehouse_id=wh.id, sku=sku, on_hand=5000))  # type: ignore[arg-type]
    await w.uow.commit()
    dealer = await w.dealer(name="苏州顺达包装")
    await w.prepay(dealer)
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    return w


async def cart(w: ChatWorld) -> dict[str, int]:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=DEALER_CHAT)
    assert stored is not None
    return {str(sku): int(qty) for sku, qty in stored.data.get("items", [])}


async def delivery(w: ChatWorld) -> object:
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=DEALER_CHAT)
    assert stored is not None
    return stored.data.get("delivery")


async def test_a_size_said_alone_edits_its_line_in_the_cart_and_is_no_day() -> None:
    w = await world()
    await w.say(DEALER_CHAT, "三层箱 3号50 5号100 7号200")
    assert await cart(w) == {"C3-03": 50, "C3-05": 100, "C3-07": 200}
    shown = texts(await w.say(DEALER_CHAT, "5号改成150"))
    assert await cart(w) == {"C3-03": 50, "C3-05": 150, "C3-07": 200}     # was: the 7号 line set to 150
    assert "交货日期已设为" not in shown and await delivery(w) is None         # was: delivery set to the 5th
    shown = texts(await w.say(DEALER_CHAT, "7号不要了"))
    assert await cart(w) == {"C3-03": 50, "C3-05": 150}                  # was: only the date changed
    assert "无需删除" not in shown                                        # the 7号 bags are not listed
    await w.say(DEALER_CHAT, "3号的再加50")
    assert await cart(w) == {"C3-03": 100, "C3-05": 150}                 # was: a question between 三层 and 五层
    await w.say(DEALER_CHAT, "5号箱改120个")
    assert await cart(w) == {"C3-03": 100, "C3-05": 120}
    await w.say(DEALER_CHAT, "change No.5 to 130")                      # was: "which 5号?", nothing changed
    assert await cart(w) == {"C3-03": 100, "C3-05": 130}
    await w.say(DEALER_CHAT, "3号也要一百三")                            # "also 130": set, not 130 more
    assert await cart(w) == {"C3-03": 130, "C3-05": 130}
    assert await delivery(w) is None


async def test_a_price_asked_with_the_cart_open_leaves_the_counts() -> None:
    w = await world()
    await w.say(DEALER_CHAT, "三层5号 100个 透明48 20卷")
    shown = texts(await w.say(DEALER_CHAT, "三层5号多少钱一个"))
    assert "¥2.00" in shown and await cart(w) == {"C3-05": 100, "T-48": 20}    # was: the line set to 1
    await w.say(DEALER_CHAT, "三层5号100个多少钱")
    assert await cart(w) == {"C3-05": 100, "T-48": 20}                         # was: 100 more
    listed = texts(await w.say(DEALER_CHAT, "透明胶带多少钱一卷"))
    assert "T-48" in listed and "T-60" in listed and "¥2.00/卷" in listed       # was: "想查哪个产品的价格？"
    assert await cart(w) == {"C3-05": 100, "T-48": 20}


async def test_bundles_are_packs_of_the_pack_size() -> None:
    """"三层5号 2捆" of a carton sold by the piece, 25 a bundle: 50 cartons (was: 2)."""
    w = await world()
    await w.say(DEALER_CHAT, "三层5号 2捆")
    assert await cart(w) == {"C3-05": 50}
    await w.say(DEALER_CHAT, "3ply No.5 2 bundles more")
    assert await cart(w) == {"C3-05": 100}
    await w.say(DEALER_CHAT, "再加一捆")                 # no product named: the line talked about, a bundle of it
    assert await cart(w) == {"C3-05": 125}              # was: +1


async def test_a_sell_out_report_of_several_sizes_keeps_every_sale_and_no_junk_place() -> None:
    w = await world()
    shown = texts(await w.say(DEALER_CHAT, "上报销量 3层5号卖了200个200元，3层7号150个105元"))
    assert "C3-05 ×200个 ¥200.00" in shown and "C3-07 ×150个 ¥105.00" in shown     # was: the 7号 sale lost ...
    assert "上报销量 3层7号" not in shown                                        # ... and saved as the city
    shown = texts(await w.say(DEALER_CHAT, "7号卖了150个 105块"))               # the series of the sale before
    assert "已追加 1 行" in shown and shown.count("C3-07 ×150个 ¥105.00") == 2
    w2 = await world()
    shown = texts(await w2.say(DEALER_CHAT, "这个月三层5号卖了200个，单价1块"))
    assert "C3-05 ×200个 ¥200.00 零售" in shown and "块" not in shown.split("C3-05")[1].split("\n")[0]


async def test_corrections_clearing_and_a_delivery_day_in_words() -> None:
    w = await world()
    await w.say(DEALER_CHAT, "三层箱 3号50 5号100 7号200")
    await w.say(DEALER_CHAT, "不对 5号是150 不是100")
    assert await cart(w) == {"C3-03": 50, "C3-05": 150, "C3-07": 200}     # was: 7号 set to 150, then to 100
    shown = texts(await w.say(DEALER_CHAT, "12月10号前到"))
    assert "交货日期已设为" in shown and await delivery(w) is not None         # was: an order search
    asked = await w.say(DEALER_CHAT, "清空购物车")
    assert "清空购物车（3 个商品）" in texts(asked)                          # was: "没认出要订的产品"
    assert await cart(w) == {"C3-03": 50, "C3-05": 150, "C3-07": 200}      # nothing gone before the tap


async def test_a_stock_question_and_an_order_of_the_same_product_in_one_message() -> None:
    w = await world()
    await w.say(DEALER_CHAT, "三层5号 100个")
    shown = texts(await w.say(DEALER_CHAT, "透明48有货吗 有的话来20卷"))
    assert "库存" in shown                                                  # was: the question dropped
    assert await cart(w) == {"C3-05": 100, "T-48": 20}
    assert "已加入：远航透明胶带 48mm ×20卷" in shown                        # a new line, not "已改为"


async def test_fewer_on_a_line_takes_them_off_it_and_none_left_removes_it() -> None:
    """"5号减30", "三层5号少30个", "3号少来10个": that many fewer (was: nothing, or the line SET to 30 / 10 — and
    "3号少来10个" set the 5号 line); as many as the line holds or more: the line goes."""
    w = await world()
    await w.say(DEALER_CHAT, "三层箱 3号50 5号100")
    shown = texts(await w.say(DEALER_CHAT, "5号减30"))
    assert await cart(w) == {"C3-03": 50, "C3-05": 70} and "已减：远航三层纸箱 5号 −30（原 100，现共 70个）" in shown
    await w.say(DEALER_CHAT, "三层5号少30个")
    await w.say(DEALER_CHAT, "3号少来10个")
    assert await cart(w) == {"C3-03": 40, "C3-05": 40}
    shown = texts(await w.say(DEALER_CHAT, "三层3号减100个"))
    assert await cart(w) == {"C3-05": 40} and "已删除：远航三层纸箱 3号" in shown


async def test_a_series_asked_about_then_a_size_with_a_count_takes_that_series() -> None:
    """"三层箱" is answered with the 三层 cartons; "3号 50" next is the 三层 3号 (was: asked 三层 or 五层 again)."""
    w = await world()
    asked = texts(await w.say(DEALER_CHAT, "三层箱"))
    assert "远航三层纸箱 3号" in asked and "五层" not in asked
    shown = texts(await w.say(DEALER_CHAT, "3号 50"))
    assert await cart(w) == {"C3-03": 50} and "已加入：远航三层纸箱 3号 ×50个" in shown, shown
