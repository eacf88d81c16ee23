"""A dealer reopens a resolved after-sales ticket: the 🔄 button on its card, the typed form with the number or
"上次修的那台又坏了", the reason step, after-sales told, audited; closed or too old: a new repair instead."""

from __future__ import annotations

from core.aftersales import Ticket, TicketStatus
from core.services import aftersales as svc
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, fixed_clock, staff

AFTER_SALES = staff(Role.AFTER_SALES, "zhang")


async def _world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    other = await w.dealer(name="南京宏达商贸有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("101", Role.DEALER_CLERK, dealer)
    await w.user("200", Role.DEALER_OWNER, other)
    await w.user("900", Role.AFTER_SALES, username="zhang")
    assert dealer.id is not None
    return w, dealer.id


async def _ticket(w: ChatWorld, dealer_id: int, sku: str, status: TicketStatus = TicketStatus.RESOLVED) -> Ticket:
    owner = dealer_user(dealer_id)
    ticket = await svc.create_ticket(w.uow, owner, svc.CreateTicket(dealer_id=dealer_id, description="客户家的机器不出水",
                                                                    sku=sku), w.clock)
    steps = {TicketStatus.OPEN: [], TicketStatus.IN_PROGRESS: ["accept", "start"],
             TicketStatus.RESOLVED: ["accept", "start", "resolve"],
             TicketStatus.CLOSED: ["accept", "start", "resolve", "close"]}[status]
    for step in steps:
        if step == "resolve":
            await svc.resolve_ticket(w.uow, AFTER_SALES, ticket.number, "更换水泵", w.clock)
        else:
            await getattr(svc, f"{step}_ticket")(w.uow, AFTER_SALES, ticket.number, w.clock)
    return ticket


async def test_the_resolved_card_has_the_reopen_button_and_the_reason_reopens_it() -> None:
    w, dealer_id = await _world()
    ticket = await _ticket(w, dealer_id, "DH20")
    card = await w.press("101", payload("as.view", ticket.number))
    assert buttons(card)["🔄 还有问题，重新打开"] == payload("as.reopen", ticket.number)
    asked = await w.press("101", payload("as.reopen", ticket.number))
    assert "请说明哪里还有问题" in texts(asked)
    w.forget_pushes()
    done = await w.say("101", "换了水泵还是不出水，客户很着急")
    assert f"工单 {ticket.number} 已重新打开" in texts(done) and "处理中" in texts(done)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.IN_PROGRESS
    assert stored.comments[-1].text == "换了水泵还是不出水，客户很着急"
    assert w.uow.audit.rows[-1].action == "ticket.reopen"
    pushes = await w.pushed("900")                        # its handler hears of it
    assert ticket.number in texts(pushes) and "换了水泵还是不出水" in texts(pushes)
    assert "🔄 还有问题，重新打开" not in buttons(done)      # in progress again: no second reopen


async def test_typed_with_the_number_offers_the_words_as_the_reason() -> None:
    w, dealer_id = await _world()
    ticket = await _ticket(w, dealer_id, "DH20")
    asked = await w.say("100", f"{ticket.number} 还是不行 又不出水了")
    assert "要重新打开工单" in texts(asked) and "原因：还是不行 又不出水了" in texts(asked)
    assert (await w.uow.tickets.get_by(number=ticket.number)).status == TicketStatus.RESOLVED  # type: ignore[union-attr]
    done = await w.press("100", buttons(asked)["✔ 就用这句话"])
    assert "已重新打开" in texts(done)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.IN_PROGRESS
    assert stored.comments[-1].text == "还是不行 又不出水了"


async def test_the_last_repair_without_a_number_one_or_which() -> None:
    w, dealer_id = await _world()
    dh = await _ticket(w, dealer_id, "DH20")
    asked = await w.say("100", "上次修的那台又坏了")
    assert f"要重新打开工单 {dh.number}" in texts(asked)
    done = await w.say("100", "确认")
    assert "已重新打开" in texts(done)
    assert (await w.uow.tickets.get_by(number=dh.number)).comments[-1].text == "上次修的那台又坏了"  # type: ignore[union-attr]

    first = await _ticket(w, dealer_id, "AP300")
    second = await _ticket(w, dealer_id, "DH20")
    which = await w.say("100", "上次修的那台又坏了")
    assert "是哪一台又有问题了" in texts(which)
    assert {payload("as.reopen", first.number), payload("as.reopen", second.number)} <= set(buttons(which).values())
    picked = await w.press("100", payload("as.reopen", first.number))
    assert f"要重新打开工单 {first.number}" in texts(picked) and "原因：上次修的那台又坏了" in texts(picked)
    named = await w.say("200", "上次修的那台又坏了")      # another dealer has no such ticket: not reopened
    assert first.number not in texts(named) and second.number not in texts(named)
    by_product = await w.say("101", "上次修的除湿机又不出水了")
    assert f"要重新打开工单 {second.number}" in texts(by_product)


async def test_another_dealers_number_is_not_found_and_nothing_changes() -> None:
    w, dealer_id = await _world()
    ticket = await _ticket(w, dealer_id, "DH20")
    said = await w.say("200", f"{ticket.number} 还是不行")
    assert "没有找到" in texts(said) and "上海华信" not in texts(said)
    pressed = await w.press("200", payload("as.reopen", ticket.number))
    assert "上海华信" not in texts(pressed)
    assert (await w.uow.tickets.get_by(number=ticket.number)).status == TicketStatus.RESOLVED  # type: ignore[union-attr]


async def test_closed_or_too_old_starts_a_new_repair_and_active_shows_the_card() -> None:
    w, dealer_id = await _world()
    closed = await _ticket(w, dealer_id, "DH20", TicketStatus.CLOSED)
    said = await w.say("100", f"{closed.number} 又不出水了")
    assert "不能再重新打开" in texts(said) and "已关闭" in texts(said)
    assert "序列号" in texts(said)                       # the new repair's form, the product filled in
    assert (await w.uow.tickets.get_by(number=closed.number)).status == TicketStatus.CLOSED  # type: ignore[union-attr]

    w2, dealer2 = await _world()
    old = await _ticket(w2, dealer2, "DH20")
    w2.clock = fixed_clock("2027-01-10 10:00")
    w2.__post_init__()
    card = await w2.press("100", payload("as.view", old.number))
    assert "🔄 还有问题，重新打开" not in buttons(card)
    late = await w2.say("100", f"{old.number} 还是不行")
    assert "解决已超过 30 天" in texts(late)

    w3, dealer3 = await _world()
    busy = await _ticket(w3, dealer3, "DH20", TicketStatus.IN_PROGRESS)
    said = await w3.say("100", f"{busy.number} 还是不行")
    assert "还在处理中" in texts(said) and "💬 留言" in buttons(said)


async def test_a_reopened_ticket_gets_a_new_deadline_and_no_old_result() -> None:
    w, dealer_id = await _world()
    ticket = await _ticket(w, dealer_id, "DH20")
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.resolution == "更换水泵" and stored.sla_due_at is not None
    first_due = stored.sla_due_at
    later = fixed_clock("2026-12-20 09:00")                 # three weeks on: the first deadline long past
    await svc.reopen_ticket(w.uow, dealer_user(dealer_id), ticket.number, "又不出水了", later)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.IN_PROGRESS
    assert stored.resolution is None                        # the card shows no 处理结果 of the last round
    assert stored.sla_due_at is not None and stored.sla_due_at > later.now() > first_due
    assert stored.sla_due_at - later.now() == first_due - stored.created_at  # type: ignore[operator]
    assert any(c.text == "更换水泵" for c in stored.comments)   # the old result kept in the timeline
    card = texts(await w.press("100", payload("as.view", ticket.number)))
    assert "处理结果" not in card and "又不出水了" in card
