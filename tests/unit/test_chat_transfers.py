"""Transfers and stock sharing through the chat: the issue's journey end to end (dealer A shares, dealer B asks
for a product the maker lacks, sees A, requests a transfer, the channel manager approves in chat, A ships, B
receives; A's, B's and the maker's stock add up at every step), the warehouse move typed by the order desk, a
dealer's surplus returned to the maker, and who sees what."""

from __future__ import annotations

from core.dealers import Dealer
from core.inventory import DealerStock, TransferStatus
from core.users import Role
from tests.chat import ChatWorld, buttons, texts

A_CHAT, B_CHAT, C_CHAT, LIU_CHAT, DESK_CHAT = "101", "102", "103", "900", "901"


async def world() -> tuple[ChatWorld, Dealer, Dealer]:
    w = ChatWorld()
    await w.catalogue()                                   # 500 of each in WH-SH (华东)
    level = next(r for r in w.uow.stock.rows if r.sku == "DH20")
    level.on_hand = 0                                     # the maker is out of DH20
    a = await w.dealer(name="上海甲电器有限公司", region="华东")
    b = await w.dealer(name="杭州乙电器有限公司", region="华东")
    c = await w.dealer(name="北京丙电器有限公司", region="华北")
    await w.uow.dealer_stock.add(DealerStock(dealer_id=a.id, sku="DH20", qty=30))  # type: ignore[arg-type]
    await w.uow.commit()
    await w.user(A_CHAT, Role.DEALER_OWNER, a)
    await w.user(B_CHAT, Role.DEALER_OWNER, b)
    await w.user(C_CHAT, Role.DEALER_OWNER, c)
    await w.user(LIU_CHAT, Role.CHANNEL_MANAGER, username="liu.channel")
    await w.user(DESK_CHAT, Role.ORDER_DESK, username="zhang.orderdesk")
    return w, a, b


def figures(w: ChatWorld, a: Dealer, b: Dealer, sku: str = "DH20") -> tuple[int, int, int]:
    """(A's stock, B's stock, the maker's stock) of ``sku``."""
    held = {r.dealer_id: r.qty for r in w.uow.dealer_stock.rows if r.sku == sku}
    return held.get(a.id, 0), held.get(b.id, 0), sum(r.on_hand for r in w.uow.stock.rows if r.sku == sku)  # type: ignore[arg-type]


def transfer_number(w: ChatWorld) -> str:
    return w.uow.transfers.rows[0].number


def status(w: ChatWorld) -> TransferStatus:
    return w.uow.transfers.rows[0].status


def press_labelled(replies: list, word: str) -> str:  # type: ignore[type-arg]
    return next(p for label, p in buttons(replies).items() if word in label)


async def test_share_ask_approve_ship_receive_journey_keeps_the_figures_in_step() -> None:
    w, a, b = await world()
    total = sum(figures(w, a, b))
    assert figures(w, a, b) == (30, 0, 0)

    # B asks before A shares: the maker is out, and nobody nearby shows any
    shown = texts(await w.say(B_CHAT, "DH20有货吗"))
    assert "华东：缺货" in shown and "附近有货" not in shown

    # A shares its stock with its region, confirming first
    asked = await w.say(A_CHAT, "我的库存给同区域经销商看")
    assert "给同区域经销商看：是" in texts(asked) and w.uow.stock_sharing.rows == []
    done = await w.press(A_CHAT, press_labelled(asked, "确认"))
    assert "库存共享设置已更新" in texts(done) and w.uow.stock_sharing.rows[0].with_region

    # B asks again: 附近有货, A unnamed (A did not agree to show its name), with a one-tap request
    replies = await w.say(B_CHAT, "DH20有货吗")
    shown = texts(replies)
    assert "附近有货" in shown and "同区域经销商：30台" in shown and "上海甲" not in shown
    ask_qty = await w.press(B_CHAT, press_labelled(replies, "申请调拨"))
    assert "对方可调 30台" in texts(ask_qty)
    assert "1–30" in texts(await w.say(B_CHAT, "40"))           # more than A spares: asked again
    summary = await w.say(B_CHAT, "5")
    assert "同区域经销商 → " in texts(summary) and "×5" in texts(summary) and w.uow.transfers.rows == []
    created = await w.press(B_CHAT, press_labelled(summary, "确认提交"))
    transfer = w.uow.transfers.rows[0]
    assert f"调拨单 {transfer.number} 已提交" in texts(created) and transfer.status == TransferStatus.REQUESTED
    assert sum(figures(w, a, b)) == total and figures(w, a, b) == (30, 0, 0)

    # the channel manager gets the request with its buttons and approves in chat; 待审批 lists it too
    assert "调拨申请待您审批：1 张" in texts(await w.say(LIU_CHAT, "待审批"))
    push = await w.pushed(LIU_CHAT)
    assert "调拨申请待您审批" in texts(push) and "上海甲电器有限公司" in texts(push)
    approved = await w.press(LIU_CHAT, press_labelled(push, "批准"))
    assert "已批准" in texts(approved) and status(w) == TransferStatus.APPROVED
    assert figures(w, a, b) == (30, 0, 0)
    # A's 5 are held: B (or anyone) now sees 25 to spare, and A's own stock says so
    assert "同区域经销商：25台" in texts(await w.say(B_CHAT, "DH20有货吗"))
    assert "30台" in texts(own := await w.press(A_CHAT, "1|stock.own")) and "其中 5 已批准调出待收货" in texts(own)

    # A is told to ship, presses it; the units stay A's until B receives them
    to_ship = await w.pushed(A_CHAT)
    assert "请发货" in texts(to_ship)
    assert "已发货" in texts(await w.press(A_CHAT, press_labelled(to_ship, "已发货")))
    assert status(w) == TransferStatus.SHIPPED and figures(w, a, b) == (30, 0, 0)

    # B receives: the units move
    to_receive = await w.pushed(B_CHAT)
    assert "确认收货" in texts(to_receive)
    assert "已收货" in texts(await w.press(B_CHAT, press_labelled(to_receive, "确认收货")))
    assert status(w) == TransferStatus.RECEIVED
    assert figures(w, a, b) == (25, 5, 0) and sum(figures(w, a, b)) == total
    assert [e.action for e in w.uow.audit.rows if e.entity == "transfer"] == [
        "transfer.create", "transfer.approve", "transfer.ship", "transfer.receive"]
    assert "已接收" in texts(await w.say(A_CHAT, "我的调拨"))
    # asked with a cart open: answered, and the cart is still there
    await w.say(B_CHAT, "AP300 来两台")
    cart_state = w.uow.dialogs.rows[[d.chat_id for d in w.uow.dialogs.rows].index(B_CHAT)].state
    assert cart_state.startswith("order")
    assert transfer_number(w) in texts(await w.say(B_CHAT, "我的调拨"))
    assert w.uow.dialogs.rows[[d.chat_id for d in w.uow.dialogs.rows].index(B_CHAT)].state == cart_state


async def test_a_dealer_of_another_region_sees_nothing_and_cannot_touch_the_transfer() -> None:
    w, a, b = await world()
    await w.press(A_CHAT, press_labelled(await w.say(A_CHAT, "共享库存"), "确认"))
    assert "附近有货" not in texts(await w.say(C_CHAT, "DH20有货吗"))        # 华北
    replies = await w.say(B_CHAT, "DH20有货吗")
    await w.press(B_CHAT, press_labelled(replies, "申请调拨"))
    await w.press(B_CHAT, press_labelled(await w.say(B_CHAT, "3"), "确认提交"))
    number = w.uow.transfers.rows[0].number
    shown = texts(await w.say(C_CHAT, number))
    assert "未找到" in shown and "上海甲" not in shown
    assert "未找到" in texts(await w.press(C_CHAT, f"1|tr.cancel|{number}"))
    assert "没有权限" in texts(await w.press(B_CHAT, f"1|tr.ok|{number}"))
    assert w.uow.transfers.rows[0].status == TransferStatus.REQUESTED
    # a forged 申请调拨 for a dealer that does not share with C is refused as expired
    assert "已失效" in texts(await w.press(C_CHAT, f"1|tr.req|{a.id}|DH20"))


async def test_order_desk_moves_warehouse_stock_in_words() -> None:
    w, a, b = await world()
    from tests.factories import make_warehouse
    await w.uow.warehouses.add(make_warehouse("WH-TJ", name="华北仓", region="华北", city="天津"))
    await w.uow.commit()
    summary = await w.say(DESK_CHAT, "从华东仓调 20 台 AP300 到天津仓")
    assert "→" in texts(summary) and "×20" in texts(summary)
    done = await w.press(DESK_CHAT, press_labelled(summary, "确认提交"))
    assert "已批准待发货" in texts(done)
    level = next(r for r in w.uow.stock.rows if r.sku == "AP300" and r.warehouse_id == 1)
    assert (level.on_hand, level.reserved) == (500, 20)
    assert "没找到“杭州仓”" in texts(await w.say(DESK_CHAT, "从杭州仓调 20 台 AP300 到上海仓"))
    assert "没有调动厂家库存的权限" in texts(await w.say(LIU_CHAT, "从华东仓调 20 台 AP300 到天津仓"))


async def test_surplus_goes_back_to_the_maker_after_confirmation() -> None:
    w, a, b = await world()
    offer = await w.say(A_CHAT, "我多了 10 台 DH20 想调给别人")
    assert "10台" in texts(offer) and "退回厂家" in texts(offer)
    summary = await w.press(A_CHAT, press_labelled(offer, "退回厂家"))
    assert "厂家渠道经理审批" in texts(summary)
    await w.press(A_CHAT, press_labelled(summary, "确认提交"))
    transfer = w.uow.transfers.rows[0]
    assert transfer.needs_maker_approval and transfer.to_id == 1
    assert "调拨申请待您审批" in texts(await w.pushed(LIU_CHAT))


async def test_english_and_stop_sharing() -> None:
    w, a, b = await world()
    asked = await w.say(A_CHAT, "share my stock and show my name")
    assert "Dealers of my region see it: yes" in texts(asked) and "My name shown: yes" in texts(asked)
    await w.press(A_CHAT, press_labelled(asked, "Confirm"))
    stop = await w.say(A_CHAT, "停止共享")
    await w.press(A_CHAT, press_labelled(stop, "确认"))
    row = w.uow.stock_sharing.rows[0]
    assert not row.with_region and row.show_name
    assert "附近有货" not in texts(await w.say(B_CHAT, "DH20有货吗"))
