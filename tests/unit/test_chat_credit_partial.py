"""A credit request approved for less than asked (QA: "批到10万吧" showed 批准金额 ¥100,000.00, then the typed
"确认批准" showed a new card without it and its ✅ approved all ¥200,000): the amount said stays the one approved
until the approver says another, whichever way the card is confirmed; whatever would change it says so."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.credit import CreditChangeKind, CreditChangeStatus
from core.services.credit import RequestCreditChange, request_credit_change
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import fixed_clock

NOW = fixed_clock("2026-12-08 10:00")
CM, BOSS = "300", "500"
D = Decimal


async def _world() -> tuple[ChatWorld, object, object]:
    w = ChatWorld(clock=NOW)
    await w.catalogue()
    dealer = await w.dealer(name="合肥新锐净水设备有限公司", code="D0008", credit_limit=D("50000.00"))
    cm = (await w.user(CM, Role.CHANNEL_MANAGER, username="wang")).to_actor()
    await w.user(BOSS, Role.MANAGEMENT, username="zhou")
    change = await request_credit_change(w.uow, cm, RequestCreditChange(
        dealer.id, CreditChangeKind.LIMIT, D("200000"), "旺季备货"), NOW)   # type: ignore[attr-defined]
    w.forget_pushes()
    return w, dealer, change


async def _decided(w: ChatWorld, dealer: object, change: object) -> tuple[str, Decimal, Decimal]:
    stored = await w.uow.credit_changes.get(change.id)                        # type: ignore[attr-defined]
    limit = (await w.uow.dealers.get(dealer.id)).credit_limit                 # type: ignore[attr-defined]
    return stored.status, stored.amount, limit


async def test_the_qa_words_approve_the_amount_said_not_the_amount_asked() -> None:
    w, dealer, change = await _world()
    shown = texts(await w.say(BOSS, "CR-20261208-0001"))
    assert "¥200,000.00" in shown and "✅ 批准" in shown
    card = texts(await w.say(BOSS, "批到10万吧"))
    assert "批准金额：¥100,000.00（申请 ¥200,000.00）" in card, card
    done = texts(await w.say(BOSS, "确认批准"))
    assert "已批准" in done, done
    assert await _decided(w, dealer, change) == (CreditChangeStatus.APPROVED, D("100000.00"), D("100000.00"))
    audit = [a for a in w.uow.audit.rows if a.action == "credit.approve"]
    assert audit and "申请 ¥200,000.00" in (await w.uow.credit_changes.get(change.id)).decision_note  # type: ignore[attr-defined]


@pytest.mark.parametrize(("said", "granted"), [
    ("批5万", "50000.00"), ("只批一半", "100000.00"), ("同意 但是只给8万", "80000.00"), ("approve 50k", "50000.00"),
    ("批到10万吧", "100000.00"),
])
@pytest.mark.parametrize("confirm", ["button", "确认", "好的", "是", "确认批准", "批准", "yes"])
async def test_an_amount_said_at_the_card_is_the_one_approved_however_confirmed(said: str, granted: str,
                                                                               confirm: str) -> None:
    w, dealer, change = await _world()
    await w.press(BOSS, payload("cr.ok", change.id))                          # type: ignore[attr-defined]
    card = await w.say(BOSS, said)
    amount = f"¥{D(granted):,.2f}"
    assert (f"批准金额：{amount}（申请 ¥200,000.00）" in texts(card)
            or f"Amount approved: {amount} (asked: ¥200,000.00)" in texts(card)), texts(card)
    yes = payload("cr.yes", change.id, granted)                                # type: ignore[attr-defined]
    assert yes in buttons(card).values()
    done = await w.press(BOSS, yes) if confirm == "button" else await w.say(BOSS, confirm)
    assert "已批准" in texts(done) or "approved" in texts(done), texts(done)
    assert await _decided(w, dealer, change) == (CreditChangeStatus.APPROVED, D(granted), D(granted))


@pytest.mark.parametrize("said", ["批5万", "只批一半", "同意 但是只给8万", "approve 50k"])
async def test_an_amount_said_first_opens_the_card_at_that_amount(said: str) -> None:
    """The approver's words with one request to decide and no card open yet."""
    w, dealer, change = await _world()
    card = texts(await w.say(BOSS, said))
    assert "批准金额：" in card or "Amount approved:" in card, card
    assert "¥200,000.00" in card and "已批准" not in card
    done = texts(await w.say(BOSS, "确认"))
    assert "已批准" in done or "approved" in done, done
    status, amount, _ = await _decided(w, dealer, change)
    assert status == CreditChangeStatus.APPROVED and amount < D("200000.00")


async def test_words_the_card_does_not_read_keep_the_amount_and_say_it() -> None:
    w, dealer, change = await _world()
    await w.say(BOSS, "批到10万吧")
    again = texts(await w.say(BOSS, "嗯……再想想"))
    assert "批准金额：¥100,000.00" in again and "✅ 按 ¥100,000.00 批准" in again, again
    assert "已批准" in texts(await w.say(BOSS, "确认"))
    assert (await _decided(w, dealer, change))[1] == D("100000.00")


async def test_approve_less_pressed_keeps_the_amount_until_another_is_typed() -> None:
    w, dealer, change = await _world()
    card = await w.say(BOSS, "批到10万吧")
    asked = texts(await w.press(BOSS, buttons(card)["✏️ 改批金额"]))
    assert "批多少" in asked and "¥100,000.00" in asked, asked
    back = texts(await w.say(BOSS, "确认"))                          # no amount typed: the card at 10万, not decided
    assert "批准金额：¥100,000.00" in back and (await _decided(w, dealer, change))[0] == "pending", back
    await w.say(BOSS, "确认")
    assert (await _decided(w, dealer, change))[:2] == (CreditChangeStatus.APPROVED, D("100000.00"))


async def test_an_amount_at_or_over_the_ask_says_it_is_the_amount_asked() -> None:
    w, dealer, change = await _world()
    await w.say(BOSS, "批到10万吧")
    card = texts(await w.say(BOSS, "批25万"))
    assert "不低于申请的 ¥200,000.00" in card and "按申请金额 ¥200,000.00 批准" in card, card
    await w.say(BOSS, "确认")
    assert (await _decided(w, dealer, change))[:2] == (CreditChangeStatus.APPROVED, D("200000.00"))


async def test_an_older_full_approval_button_after_a_smaller_amount_asks_which() -> None:
    """✅ 确认批准 of the card shown before "批到10万吧", tapped afterwards: the two amounts are said, nothing decided."""
    w, dealer, change = await _world()
    first = await w.press(BOSS, payload("cr.ok", change.id))                 # type: ignore[attr-defined]
    await w.say(BOSS, "批到10万吧")
    which = await w.press(BOSS, buttons(first)["✅ 确认批准"])
    said = texts(which)
    assert "¥100,000.00" in said and "¥200,000.00" in said and "已批准" not in said, said
    assert (await _decided(w, dealer, change))[0] == "pending"
    done = await w.press(BOSS, buttons(which)["✅ 按 ¥100,000.00 批准"])
    assert "已批准" in texts(done)
    assert (await _decided(w, dealer, change))[1] == D("100000.00")


async def test_a_no_at_the_card_asks_the_reason_and_rejects() -> None:
    w, dealer, change = await _world()
    await w.say(BOSS, "批到10万吧")
    assert "请输入驳回额度申请的原因" in texts(await w.say(BOSS, "不同意"))
    assert "已驳回" in texts(await w.say(BOSS, "回款周期偏长"))
    assert (await _decided(w, dealer, change))[0] == CreditChangeStatus.REJECTED
