"""Finance's words that went to the wrong place (chat-desk #3): "记一笔回款 D0007 3万" (was: "您是想报修/售后吗？"),
"合肥新锐账上还有多少钱" (was: the month's order report), and a ledger question typed at the payment's account or
amount step (was: the step asked again, the question unanswered)."""

from __future__ import annotations

import pytest

from tests.chat import buttons, texts
from tests.unit.test_chat_payments import _world

FIN = "400"


@pytest.mark.parametrize("said", ["记一笔回款 D0007 3万", "登记回款：合肥新锐 30000", "记回款 合肥新锐 3万元 工行转账"])
async def test_the_payment_words_with_the_dealer_and_the_amount_start_the_form_with_both(said: str) -> None:
    w = await _world()
    shown = texts(await w.say(FIN, said))
    assert "D0007 合肥新锐电器有限公司" in shown and "回款金额：¥30,000.00" in shown and "是这家吗" in shown, shown
    assert "报修" not in shown and "售后" not in shown


@pytest.mark.parametrize("asked", ["合肥新锐账上还有多少钱", "合肥新锐账上有多少钱", "D0007账户里还有多少"])
async def test_how_much_a_dealer_has_on_its_account_is_its_ledger(asked: str) -> None:
    w = await _world()
    dealer = await w.uow.dealers.get_by(code="D0007")
    await w.prepay(dealer, "1234.00")  # type: ignore[arg-type]
    shown = texts(await w.say(FIN, asked))
    assert "D0007 合肥新锐电器有限公司 的流水" in shown and "预存款 ¥1,234.00" in shown, shown


async def test_a_ledger_question_at_the_account_step_is_answered_and_the_step_asked_again() -> None:
    w = await _world()
    first = await w.say(FIN, "合肥新锐打了5万")
    accounts = await w.press(FIN, buttons(first)["✅ 是这家"])
    assert "记入哪个账户" in texts(accounts)
    shown = texts(await w.say(FIN, "杭州嘉禾的余额"))
    assert "D0009 杭州嘉禾电器有限公司 还没有流水" in shown and "回款登记还没完成" in shown and "记入哪个账户" in shown, shown
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id=FIN)
    assert stored is not None and stored.state == "pay.account" and stored.data.get("amount") == "50000.00"


@pytest.mark.parametrize("chat", [FIN, "300"])
async def test_how_much_credit_a_dealer_has_left_is_its_ledger(chat: str) -> None:
    """(was: "没有找到经销商“合肥新锐还有多少”")"""
    w = await _world()
    await w.prepay(await w.uow.dealers.get_by(code="D0007"), "1000.00")  # type: ignore[arg-type]
    shown = texts(await w.say(chat, "合肥新锐还有多少额度"))
    assert "D0007 合肥新锐电器有限公司" in shown and "额度" in shown and "没有找到经销商" not in shown, shown
