"""An order list sent as a spreadsheet: layouts a shop assistant makes -> the cart, rows not understood named,
doubtful rows marked with buttons, a file merged into an open cart, broken and huge files, and forms that keep
their own files (sell-out)."""

from __future__ import annotations

import io

import openpyxl
import pytest

from core.aliases import DealerAlias
from core.users import Role
from handlers.messages import Reply
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DEALER = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user("900", Role.ORDER_DESK, username="desk")
    return w


def xlsx(rows: list[list[object]], merge: list[str] | None = None, title: str = "Sheet") -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    for cells in merge or []:
        ws.merge_cells(cells)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cart_lines(replies: list[Reply]) -> str:
    return texts(replies)


LAYOUTS = {
    "header on the first row": ("订单.xlsx", xlsx([["型号", "数量"], ["AP300", 20], ["DH20", 5]])),
    "a title, merged over the header, then the header on row 3": (
        "华信订货单.xlsx", xlsx([["上海华信电器 12月订货单", None, None, None], [None, None, None, None],
                                ["序号", "产品型号", "产品名称", "订货数量（台）"], [1, "AP300", "空气净化器", 20],
                                [2, "DH20", "除湿机", 5], ["合计", None, None, 25]], merge=["A1:D2"])),
    "English header, names only, quantities as text": (
        "order.xlsx", xlsx([["Item", "Description", "Qty", "Unit"], ["", "空气净化器AP300", "20", "台"],
                            ["", "", "", ""], ["DH20", "dehumidifier", "five", ""]])),
    "CSV in GBK with Chinese numerals and a total row": (
        "订货.csv", "产品编码,品名,数量,单位\nAP300,空气净化器,二十,台\nDH20,除湿机,五,台\n总计,,25,\n".encode("gbk")),
    "CSV in UTF-8 with a BOM, the dealer's own word": (
        "order.csv", "物料号,要货数量\n小白,20\nDH20,5\n".encode("utf-8-sig")),
    "no header: one line per product, numbered": (
        "list.xlsx", xlsx([["1、AP300 二十台"], ["2、除湿机DH20 5台"]])),
}


@pytest.mark.parametrize("layout", list(LAYOUTS))
async def test_each_layout_becomes_the_same_cart(layout: str) -> None:
    w = await world()
    if "own word" in layout:          # a word this dealer taught the bot before ("小白" is its AP300)
        dealer = await w.uow.dealers.get_by(name="上海华信电器有限公司")
        assert dealer is not None and dealer.id is not None
        await w.uow.dealer_aliases.add(DealerAlias(dealer_id=dealer.id, word="小白", sku="AP300", created_by="li",
                                                   created_at=w.clock.now()))
        await w.uow.commit()
    name, data = LAYOUTS[layout]
    replies = await w.upload(DEALER, name, data)
    shown = texts(replies)
    assert f"已读取订单文件 {name}：2 行加入购物车" in shown, shown
    assert "空气净化器AP300（AP300）20台" in shown and "除湿机DH20（DH20）5台" in shown, shown
    assert "❌ 第" not in shown and "请核对" not in shown
    confirm = next(p for p in buttons(replies).values() if "order.confirm" in p)
    done = texts(await w.press(DEALER, confirm))
    assert "已提交" in done
    [order] = await w.uow.orders.list()
    assert sorted((line.sku, line.qty) for line in order.lines) == [("AP300", 20), ("DH20", 5)]


async def test_rows_not_understood_are_named_and_doubtful_rows_can_be_dropped() -> None:
    w = await world()
    data = xlsx([["型号", "数量"], ["AP300", 20], ["XY123", 5], ["AP3O0", 3], ["DH20", 2.5], ["滤网", 2],
                 ["", 7], ["F300", None], ["F300", 0]])
    replies = await w.upload(DEALER, "订单.xlsx", data)
    shown = texts(replies)
    assert "第 3 行「XY123 5」：没有这个产品" in shown
    assert "第 5 行「DH20 2.5」：数量须为正整数" in shown
    assert "第 7 行「7」：只有数量，没有产品" in shown
    assert "2 行没有填数量，已跳过" in shown                     # F300 listed with no quantity / 0: not ordered
    assert "第 4 行「AP3O0 3」按 空气净化器AP300（AP300）× 3 理解，请核对" in shown   # a letter O for a zero
    fixes = buttons(replies)
    assert "🗑 删掉第4行 AP300" in fixes
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == {"AP300": 23, "F300": 2}
    dropped = await w.press(DEALER, fixes["🗑 删掉第4行 AP300"])
    assert "1. AP300 滤网（F300）× 2" in texts(dropped) and "2." not in texts(dropped)   # the cart editor
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == {"F300": 2}


async def test_a_code_one_key_short_is_named_back_with_picks_never_taken_silently() -> None:
    """QA s27 #14: "AP30" is no product; the near AP300 is offered on a button, not ordered in its place."""
    w = await world()
    replies = await w.upload(DEALER, "订单.xlsx", xlsx([["型号", "数量"], ["AP300", 20], ["AP30", 3]]))
    assert "第 3 行「AP30 3」：没有这个产品" in texts(replies)
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == {"AP300": 20}
    await w.press(DEALER, buttons(replies)["第3行 → AP300 ×3"])
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == {"AP300": 23}


async def test_a_row_whose_product_may_be_one_of_a_few_offers_them() -> None:
    w = await world()
    replies = await w.upload(DEALER, "订单.csv", "型号,数量\nDH2O,4\n".encode())
    shown = texts(replies)
    assert "第 2 行" in shown
    picks = {label: p for label, p in buttons(replies).items() if label.startswith("第2行 →")}
    if picks:                         # a near miss is either taken as doubtful or offered as a pick
        after = await w.press(DEALER, next(iter(picks.values())))
        assert "× 4" in texts(after)
    else:
        assert "请核对" in shown


async def test_a_file_adds_to_the_open_cart_and_says_so() -> None:
    w = await world()
    await w.say(DEALER, "F300 来3箱")
    replies = await w.upload(DEALER, "补单.xlsx", xlsx([["型号", "数量"], ["AP300", 2], ["F300", 1]]))
    shown = texts(replies)
    assert "已合并到您正在下的订单，原有 1 行" in shown
    cart = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert cart is not None and dict(cart.data["items"]) == {"F300": 4, "AP300": 2}


async def test_broken_huge_empty_and_foreign_files_are_answered() -> None:
    w = await world()
    assert "这个文件打不开" in texts(await w.upload(DEALER, "订单.xlsx", b"not a workbook"))
    assert "另存为 .xlsx 或 .csv" in texts(await w.upload(DEALER, "订单.xls", b"\xd0\xcf\x11\xe0"))
    assert "文件太大" in texts(await w.upload(DEALER, "订单.csv", b"AP300,1\n" * 400_000))
    many = "\n".join(f"AP300,{n}" for n in range(1, 400)).encode()
    assert "超过 300 行" in texts(await w.upload(DEALER, "订单.csv", many))
    assert "没有找到订货行" in texts(await w.upload(DEALER, "订单.xlsx", xlsx([["你好"], ["谢谢"]])))
    # a PDF is no order list: the usual help, nothing in a cart
    assert "已读取订单文件" not in texts(await w.upload(DEALER, "合同.pdf", b"%PDF-1.4"))
    state = await w.uow.dialogs.get_by(channel="telegram", chat_id=DEALER)
    assert state is None or not state.data.get("items")
    assert await w.uow.orders.count() == 0


async def test_a_sellout_form_keeps_its_file_and_staff_files_are_not_orders() -> None:
    w = await world()
    await w.press(DEALER, payload("so.new"))
    replies = await w.upload(DEALER, "11月销量.xlsx", xlsx([["date", "sku", "qty", "amount"],
                                                          ["2026-11-20", "AP300", 2, "3998.00"]]))
    assert "已读取订单文件" not in texts(replies)
    assert "AP300" in texts(replies)
    staff = await w.upload("900", "订单.xlsx", xlsx([["型号", "数量"], ["AP300", 20]]))
    assert "已读取订单文件" not in texts(staff)


async def test_english_user_reads_english() -> None:
    w = await world()
    await w.say(DEALER, "/lang en")
    replies = await w.upload(DEALER, "order.xlsx", xlsx([["Model", "Qty"], ["AP300", 2], ["XY123", 1]]))
    shown = texts(replies)
    assert "Read the order file order.xlsx: 1 line(s) put in the cart" in shown
    assert "Row 3 \"XY123 1\": no such product" in shown
