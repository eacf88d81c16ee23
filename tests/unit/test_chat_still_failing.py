"""QA s27 P12: "客户说还是不出水啊 咋整" with a ticket just resolved (was: a brand-new repair form, the history split):
is it that ticket (reopen, the words as the reason) or a new problem (one tap)?"""

from __future__ import annotations

from core.aftersales import TicketStatus
from handlers.router import payload
from tests.chat import buttons, texts
from tests.unit.test_chat_ticket_reopen import _ticket, _world

SAID = "客户说还是不出水啊 咋整"


async def test_still_not_working_under_a_resolved_ticket_offers_to_reopen_it() -> None:
    w, dealer_id = await _world()
    ticket = await _ticket(w, dealer_id, "DH20")
    await w.press("101", payload("as.view", ticket.number))
    asked = await w.say("101", SAID)
    assert f"工单 {ticket.number}" in texts(asked) and "还没解决" in texts(asked), texts(asked)
    assert "请先选择产品类别" not in texts(asked)
    assert "🛠 是新问题，新报修" in buttons(asked)
    done = await w.press("101", buttons(asked)["✔ 就用这句话"])
    assert f"工单 {ticket.number} 已重新打开" in texts(done)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.IN_PROGRESS
    assert stored.comments[-1].text == SAID
    assert len(await w.uow.tickets.list()) == 1


async def test_a_new_problem_is_one_tap_away_and_the_ticket_stays_resolved() -> None:
    w, dealer_id = await _world()
    ticket = await _ticket(w, dealer_id, "DH20")
    asked = await w.say("100", SAID)
    started = await w.press("100", buttons(asked)["🛠 是新问题，新报修"])
    assert "售后报修" in texts(started), texts(started)
    stored = await w.uow.tickets.get_by(number=ticket.number)
    assert stored is not None and stored.status == TicketStatus.RESOLVED


async def test_two_resolved_tickets_ask_which_and_no_resolved_ticket_is_a_new_repair() -> None:
    w, dealer_id = await _world()
    await _ticket(w, dealer_id, "DH20")
    await _ticket(w, dealer_id, "AP300")
    asked = await w.say("100", SAID)
    assert "是哪一台还没解决" in texts(asked) and "🛠 是新问题，新报修" in buttons(asked)
    w2, _ = await _world()
    assert "还没解决" not in texts(await w2.say("100", SAID))
