"""The second-person threshold for refunds and adjustments (setting FINANCE_APPROVAL_THRESHOLD) holds in chat too
(was: the chat's 🧾 退款/调账 used core's built-in ¥10,000 whatever the setting said: with the threshold set to
¥1,000, one finance person booked a ¥5,000 refund alone)."""

from __future__ import annotations

from decimal import Decimal

from core.ledger import EntryKind
from core.users import Role
from handlers.app import build_conversation
from handlers.context import Deps
from handlers.router import payload
from nlu.offline import OfflineParser
from tests.chat import ChatWorld, texts
from tests.fakes import FakeReportStore


async def test_a_refund_above_the_configured_threshold_waits_for_a_second_person_in_chat() -> None:
    w = ChatWorld()
    w.service = build_conversation(Deps(uow_factory=lambda: w.uow, clock=w.clock, parser=OfflineParser(),
                                        reports=FakeReportStore(w.uow, w.clock.tz),
                                        finance_approval_threshold=Decimal("1000.00")))
    dealer = await w.dealer(name="合肥新锐电器有限公司", code="D0007")
    await w.user("400", Role.FINANCE, username="wu")
    await w.user("401", Role.FINANCE, username="li")
    await w.prepay(dealer, "100000.00")
    await w.press("400", payload("adj.new", dealer.id or 0))
    await w.press("400", payload("adj.kind", "refund"))
    await w.press("400", payload("adj.acct", "prepayment"))
    await w.say("400", "5000")
    waiting = texts(await w.say("400", "多付退回"))
    assert "FR-" in waiting and "另一位财务人员审批" in waiting, waiting
    assert not [e for e in w.uow.ledger.rows if e.kind == EntryKind.REFUND], "booked by one person above the threshold"
