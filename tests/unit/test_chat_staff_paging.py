"""Staff queues page past the first screen (◀ 上一页 / 下一页 ▶, 'N–M of T') instead of '……还有 N 条': the order
desk (each of its two lists on its own) and the after-sales tickets."""

from __future__ import annotations

from core.services.aftersales import CreateTicket, create_ticket
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user


async def test_the_order_desk_pages_each_list() -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="宁波海信达电器有限公司")
    await w.prepay(dealer)
    await w.user("300", Role.ORDER_DESK, username="zhang")
    numbers = [(await w.order(dealer, [("AP300", 1)], to="approved")).number for _ in range(12)]
    shipping = [(await w.order(dealer, [("F300", 1)], to="allocated")).number for _ in range(2)]
    first = await w.say("300", "/desk")
    said = texts(first)
    assert "第 1–10 条，共 12 条" in said and all(n in said for n in numbers[:10]) and numbers[10] not in said
    assert all(n in said for n in shipping) and "……还有" not in said
    second = await w.press("300", buttons(first)["📦 下一页 ▶"])
    said = texts(second)
    assert "第 11–12 条，共 12 条" in said and numbers[11] in said and numbers[0] + " " not in said
    assert all(n in said for n in shipping)                     # the other list stays on its screen
    back = await w.press("300", buttons(second)["📦 ◀ 上一页"])
    assert numbers[0] in texts(back)
    typed = texts(await w.say("300", "下一页"))                 # typed words press the same pager
    assert "第 11–12 条，共 12 条" in typed
    assert "第 1–10 条，共 12 条" in texts(await w.say("300", "上一页"))


async def test_the_ticket_queue_pages() -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="宁波海信达电器有限公司")
    await w.user("310", Role.AFTER_SALES, username="chen")
    owner = dealer_user(dealer.id)  # type: ignore[arg-type]
    made = [await create_ticket(w.uow, owner, CreateTicket(dealer.id, f"故障{n}"), w.clock)  # type: ignore[arg-type]
            for n in range(12)]
    first = await w.press("310", "1|staff.tickets")
    assert "第 1–10 条，共 12 条" in texts(first) and "……还有" not in texts(first)
    second = await w.say("310", "更多")
    assert "第 11–12 条，共 12 条" in texts(second)
    shown = sum(t.number in texts(first) + texts(second) for t in made)
    assert shown == 12


async def test_typed_next_page_without_a_list_says_so() -> None:
    w = ChatWorld()
    await w.user("310", Role.AFTER_SALES, username="chen")
    assert "没有可以翻页的列表" in texts(await w.say("310", "下一页"))


async def test_credit_requests_page() -> None:
    from decimal import Decimal

    from core.credit import CreditChange, CreditChangeKind

    w = ChatWorld()
    dealer = await w.dealer(name="宁波海信达电器有限公司")
    await w.user("400", Role.FINANCE, username="wu")
    for n in range(7):
        await w.uow.credit_changes.add(CreditChange(
            number=f"CR-20261126-{n + 1:04d}", dealer_id=dealer.id, kind=CreditChangeKind.LIMIT,  # type: ignore[arg-type]
            amount=Decimal(f"{300000 + n}.00"), reason="旺季备货", requested_by="staff:zhou.cm"))
    await w.uow.commit()
    first = await w.say("400", "/credit")
    assert "第 1–5 条，共 7 条" in texts(first) and "CR-20261126-0006" not in texts(first)
    second = await w.say("400", "下一页")
    assert "CR-20261126-0006" in texts(second) and "CR-20261126-0007" in texts(second)
    assert "CR-20261126-0001" not in texts(second)


async def test_typed_next_page_after_approvals() -> None:
    from tests.unit.test_chat_finance import _world

    w, _ = await _world(7)
    assert "第 1–5 条，共 7 条" in texts(await w.say("400", "待审批"))
    second = texts(await w.say("400", "下一页"))
    assert "第 6–7 条，共 7 条" in second and "HT-2026-0007" in second
