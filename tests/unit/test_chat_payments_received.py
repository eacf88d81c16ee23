"""A dealer asks whether its transfer arrived ("我昨天打的3万到账没", "最近的回款记录"): the payments finance booked to
its accounts lately, and whether one of the sum it names is among them (was: the contract overview, the latest
order, or the orders of last week)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.accounts import AccountKind, PaymentMethod
from core.services.payments import RecordPayment, record_payment, reverse_entry
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import staff


async def _world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="北京金鼎家电有限公司", code="D0007")
    other = await w.dealer(name="上海华信电器有限公司", code="D0008")
    assert dealer.id is not None and other.id is not None
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("300", Role.DEALER_OWNER, other)
    clerk = staff(Role.FINANCE, "qian")
    for dealer_id, amount, on, ref in ((dealer.id, "30000", date(2026, 11, 25), "HX20261125"),
                                       (dealer.id, "8000", date(2026, 11, 3), ""),
                                       (other.id, "50000", date(2026, 11, 25), "OTHER-1")):
        await record_payment(w.uow, clerk, RecordPayment(
            dealer_id=dealer_id, account=AccountKind.PREPAYMENT, amount=amount, method=PaymentMethod.BANK_TRANSFER,
            reference=ref, paid_on=on), w.clock)
    return w, dealer.id


@pytest.mark.parametrize("said", ["我昨天打的3万到账没", "打了三万 收到没", "30000的货款到账了吗",
                                  # QA s27 #17: a payment not seen yet (was: "没有找到符合的订单")
                                  "我11月25号转了3万 到现在没看到入账 帮我查下", "转了3万还没到账"])
async def test_a_payment_of_the_sum_said_is_found(said: str) -> None:
    w, _ = await _world()
    replies = await w.say("100", said)
    text = texts(replies)
    assert text.startswith("✅ ¥30,000.00 已到账：11-25 记入预存款。")
    assert "• 11-25 ¥30,000.00 → 预存款 · 银行转账 · HX20261125" in text
    assert "• 11-03 ¥8,000.00 → 预存款 · 银行转账" in text
    assert "50,000" not in text and "OTHER-1" not in text            # another dealer's payment, never
    assert "订单" not in text and "▓" not in text                     # not the orders, not the targets
    assert buttons(replies)["💰 全部账户余额"] == payload("acct.balance")


@pytest.mark.parametrize("said", ["上周转的5万收到了吗", "钱到了吗 2万"])
async def test_a_sum_not_booked_is_said_with_what_to_do(said: str) -> None:
    w, _ = await _world()
    text = texts(await w.say("100", said))
    assert "还没有查到" in text and "到账记录" in text and "转账回单" in text
    assert "• 11-25 ¥30,000.00" in text


@pytest.mark.parametrize("said", ["最近的回款记录", "到账记录", "付款明细发我看看"])
async def test_the_recent_payments_are_listed_latest_paid_first(said: str) -> None:
    w, _ = await _world()
    text = texts(await w.say("100", said))
    assert text.index("• 11-25 ¥30,000.00 → 预存款") < text.index("• 11-03 ¥8,000.00 → 预存款")
    assert "50,000" not in text


@pytest.mark.parametrize("said", ["did you get my payment", "has my payment arrived?", "payments received"])
async def test_asked_in_english_answered_in_english(said: str) -> None:
    w, _ = await _world()
    text = texts(await w.say("100", said))
    assert "Payments received in the last 60 days:" in text
    assert "• 11-25 ¥30,000.00 → Prepayment · bank transfer · HX20261125" in text


async def test_a_reversed_payment_is_not_shown_as_arrived() -> None:
    w, dealer_id = await _world()
    booked = await w.uow.ledger.list(dealer_id=dealer_id, amount=Decimal("30000.00"))
    assert booked and booked[0].id is not None
    await reverse_entry(w.uow, staff(Role.FINANCE, "qian"), booked[0].id, "记错经销商", w.clock)
    text = texts(await w.say("100", "我打的3万到账没"))
    assert "还没有查到 ¥30,000.00" in text and "¥8,000.00" in text


async def test_the_account_menu_has_the_payments_button() -> None:
    w, _ = await _world()
    replies = await w.press("100", payload("acct.menu"))
    assert buttons(replies)["💳 到账记录"] == payload("acct.payments")
    assert "¥30,000.00" in texts(await w.press("100", payload("acct.payments")))


@pytest.mark.parametrize("said", ["货到了吗", "AP300到了吗", "预存款还有多少", "付款方式有哪些"])
async def test_goods_and_balances_are_not_payments(said: str) -> None:
    w, _ = await _world()
    assert "到账记录" not in texts(await w.say("100", said))


async def test_a_transfer_told_with_a_question_about_the_held_order_gets_both() -> None:
    """QA s28 #15: "我刚转了3万块到你们对公账户 什么时候能到账？我那单超额度的能发货吗" answered the credit card only.
    Now: how the transfer is booked (finance books it, credit used repaid first, the balances show it then), the
    payments received, and the order held over credit with its state."""
    w, dealer_id = await _world()
    dealer = await w.uow.dealers.get(dealer_id)
    assert dealer is not None
    dealer.credit_limit = Decimal("1000.00")
    await w.uow.commit()
    held = await w.order(dealer, [("AP300", 100)])
    text = texts(await w.say("100", "我刚转了5万块到你们对公账户 什么时候能到账？我那单超额度的能发货吗"))
    assert "还没有查到 ¥50,000.00 的到账记录" in text and "财务核对银行流水后入账" in text
    assert "先冲抵已用的信用额度" in text and "• 11-25 ¥30,000.00" in text
    assert held.number in text and "超出可用额度" in text
