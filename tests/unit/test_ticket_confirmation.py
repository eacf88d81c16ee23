"""A resolved ticket asks its dealer "问题解决了吗？": 已解决 closes it, 还没解决 reopens it with the dealer's words,
no answer within the setting's days (7 by default) closes it from the scheduler. Every step audited."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.aftersales import TicketStatus
from core.errors import InvalidTransition, NotFound, PermissionDenied
from core.services import aftersales
from core.ticket_states import CONFIRM_DAYS, TicketAction, confirmation_overdue, next_status
from core.users import Role
from handlers.router import payload
from notifications.checks import Checks, CheckSettings
from notifications.config import NotifySection
from notifications.scheduler import DEFAULT_SCHEDULE
from tests.chat import ChatWorld, buttons, texts
from tests.factories import fixed_clock, staff
from tests.fakes import FakeOutboxStore

OWNER, CLERK_EN, OTHER, HANDLER = "500", "501", "600", "700"


def test_only_a_resolved_ticket_is_confirmed_or_closed_unanswered() -> None:
    for action in (TicketAction.CONFIRM, TicketAction.AUTO_CLOSE):
        assert next_status(TicketStatus.RESOLVED, action) == TicketStatus.CLOSED
        for status in (TicketStatus.OPEN, TicketStatus.IN_PROGRESS, TicketStatus.CLOSED, TicketStatus.REJECTED):
            with pytest.raises(InvalidTransition):
                next_status(status, action)
    assert CONFIRM_DAYS == 7


async def world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    a = await w.dealer(name="上海华信电器有限公司")
    b = await w.dealer(name="宁波海川贸易有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, a, username="a.owner")
    await w.user(CLERK_EN, Role.DEALER_CLERK, a, username="a.clerk")
    await w.user(OTHER, Role.DEALER_OWNER, b, username="b.owner")
    await w.user(HANDLER, Role.AFTER_SALES, username="li")
    await w.say(CLERK_EN, "/lang en")
    assert a.id is not None
    return w, a.id


async def resolved(w: ChatWorld, dealer_id: int, text: str = "除湿机不出水") -> str:
    async with w.uow as uow:
        li = (await uow.users.get_by(username="li")).to_actor()  # type: ignore[union-attr]
    ticket = await aftersales.create_ticket(w.uow, staff(Role.AFTER_SALES), aftersales.CreateTicket(
        dealer_id=dealer_id, description=text, sku="DH20"), w.clock)
    await aftersales.accept_ticket(w.uow, li, ticket.number, w.clock)
    await aftersales.resolve_ticket(w.uow, li, ticket.number, "更换了排水泵", w.clock)
    return ticket.number


def audit(w: ChatWorld, number: str) -> list[tuple[str, str]]:
    return [(e.action, e.actor) for e in w.uow.audit.rows if e.entity == "ticket" and e.entity_id == number]


async def test_the_resolution_asks_the_dealer_in_its_language_with_both_answers() -> None:
    w, dealer_id = await world()
    number = await resolved(w, dealer_id)
    zh, en = await w.pushed(OWNER), await w.pushed(CLERK_EN)
    asked_zh = next(r for r in zh if "已处理完成" in r.text)
    assert "更换了排水泵" in asked_zh.text and "问题解决了吗？" in asked_zh.text
    assert buttons([asked_zh])["✅ 已解决"] == payload("as.solved", number)
    assert buttons([asked_zh])["🔄 还没解决"] == payload("as.reopen", number)
    asked_en = next(r for r in en if "is resolved" in r.text)
    assert "Is the problem solved?" in asked_en.text and {"✅ Solved", "🔄 Not solved yet"} <= set(buttons([asked_en]))
    assert number not in texts(await w.pushed(OTHER))
    # the staff card says it waits for the dealer
    card = texts(await w.press(HANDLER, payload("staff.ticket.detail", number)))
    assert "等经销商确认" in card and "📁" not in card      # staff do not close it over the dealer's head


async def test_solved_closes_it_by_the_dealers_word_and_tells_the_handler() -> None:
    w, dealer_id = await world()
    number = await resolved(w, dealer_id)
    w.forget_pushes()
    replies = await w.press(OWNER, payload("as.solved", number))
    assert f"售后工单 {number} 已关闭" in texts(replies)
    assert "⭐⭐⭐⭐⭐" in texts(replies)                         # the owner may rate it now
    ticket = await aftersales.get_ticket(w.uow, staff(Role.AFTER_SALES), number)
    assert ticket.status == TicketStatus.CLOSED
    assert ("ticket.confirm", f"dealer:{dealer_id}:a.owner") in audit(w, number)
    told = texts(await w.pushed(HANDLER))
    assert f"售后工单 {number}" in told and "确认问题已解决" in told
    # pressed again (or by the clerk, who saw the same push): nothing to confirm, the card
    again = texts(await w.press(CLERK_EN, payload("as.solved", number)))
    assert "nothing to confirm" in again
    assert [a for a, _ in audit(w, number)].count("ticket.confirm") == 1


async def test_not_solved_reopens_it_with_the_dealers_words() -> None:
    w, dealer_id = await world()
    number = await resolved(w, dealer_id)
    w.forget_pushes()
    asked = texts(await w.press(OWNER, payload("as.reopen", number)))
    assert "哪里还有问题" in asked
    await w.say(OWNER, "还是不出水，水箱满了也不停机")
    ticket = await aftersales.get_ticket(w.uow, staff(Role.AFTER_SALES), number)
    assert ticket.status == TicketStatus.IN_PROGRESS
    assert ticket.comments[-1].text == "还是不出水，水箱满了也不停机"
    assert ("ticket.reopen", f"dealer:{dealer_id}:a.owner") in audit(w, number)
    assert "水箱满了也不停机" in texts(await w.pushed(HANDLER))


async def test_only_the_tickets_own_dealer_may_confirm() -> None:
    w, dealer_id = await world()
    number = await resolved(w, dealer_id)
    async with w.uow as uow:
        other = (await uow.users.get_by(username="b.owner")).to_actor()  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        await aftersales.confirm_resolved(w.uow, other, number, w.clock)
    with pytest.raises(PermissionDenied):
        await aftersales.confirm_resolved(w.uow, staff(Role.AFTER_SALES), number, w.clock)
    replies = texts(await w.press(OTHER, payload("as.solved", number)))
    assert "上海华信" not in replies
    ticket = await aftersales.get_ticket(w.uow, staff(Role.AFTER_SALES), number)
    assert ticket.status == TicketStatus.RESOLVED


async def test_the_scheduler_closes_a_ticket_nobody_answered_after_the_settings_days() -> None:
    w, dealer_id = await world()
    old = await resolved(w, dealer_id)
    resolved_at = (await aftersales.get_ticket(w.uow, staff(Role.AFTER_SALES), old)).resolved_at
    assert resolved_at is not None
    w.clock = fixed_clock("2026-11-30 10:00")                    # 4 days later another one is resolved
    w.service.deps.clock = w.clock
    young = await resolved(w, dealer_id, "另一台噪音大")
    w.forget_pushes()

    def checks(days_after: float, **settings: int) -> Checks:
        clock = fixed_clock((resolved_at.astimezone(w.clock.tz) + timedelta(days=days_after)).strftime("%Y-%m-%d %H:%M"))
        return Checks(lambda: w.uow, FakeOutboxStore(w.uow), clock, CheckSettings(**settings))

    assert await checks(6.9).run("ticket_confirmations") == 0
    assert await checks(7).run("ticket_confirmations") == 1
    assert await checks(7.5).run("ticket_confirmations") == 0            # once
    staff_actor = staff(Role.AFTER_SALES)
    assert (await aftersales.get_ticket(w.uow, staff_actor, old)).status == TicketStatus.CLOSED
    assert (await aftersales.get_ticket(w.uow, staff_actor, young)).status == TicketStatus.RESOLVED
    assert ("ticket.auto_close", "system") in audit(w, old)
    told = texts(await w.pushed(OWNER))
    assert f"售后工单 {old} 解决后 7 天未收到您的确认，已自动关闭" in told and young not in told
    assert "without an answer from you" in texts(await w.pushed(CLERK_EN))
    # a shorter setting closes the younger one too
    assert await checks(7.5, ticket_confirm_days=3).run("ticket_confirmations") == 1
    assert (await aftersales.get_ticket(w.uow, staff_actor, young)).status == TicketStatus.CLOSED
    assert confirmation_overdue((await aftersales.get_ticket(w.uow, staff_actor, young)), w.clock.now()) is False


def test_the_days_are_a_setting_and_the_check_is_scheduled() -> None:
    assert NotifySection().check_settings().ticket_confirm_days == 7
    assert NotifySection(notify_ticket_confirm_days=3).check_settings().ticket_confirm_days == 3
    assert "ticket_confirmations" in DEFAULT_SCHEDULE and "ticket_confirmations" in NotifySection().schedule()
