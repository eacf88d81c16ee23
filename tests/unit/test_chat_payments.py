"""Finance books money in chat: the guided payment form (booked once, on confirm only), reversals from the dealer's
ledger, refunds/adjustments waiting for a second person, typed staff words, and /today's finance lines."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.accounts import AccountKind, EntryKind, FinanceRequestStatus, PaymentMethod
from core.ports import AbstractUnitOfWork
from core.services.payments import DEFAULT_APPROVAL_THRESHOLD, RequestAdjustment, request_adjustment
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import staff


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="合肥新锐电器有限公司", code="D0007")
    await w.dealer(name="合肥新安商贸有限公司", code="D0008")
    await w.dealer(name="杭州嘉禾电器有限公司", code="D0009")
    await w.user("100", Role.DEALER_OWNER, d1)
    await w.user("400", Role.FINANCE, username="wu")
    await w.user("401", Role.FINANCE, username="li")
    await w.user("300", Role.ORDER_DESK, username="zhang")
    w.forget_pushes()
    return w


def _payments(w: ChatWorld) -> list[object]:
    return [e for e in w.uow.ledger.rows if e.kind == EntryKind.PAYMENT]


async def _fill_form(w: ChatWorld, chat: str = "400") -> list:  # type: ignore[type-arg]
    """记一笔回款 for 合肥新锐: 5万 into prepayment by bank transfer, yesterday, with a receipt photo."""
    assert "请输入经销商编码或名称" in texts(await w.say(chat, "记一笔回款"))
    many = await w.say(chat, "合肥")                         # two dealers match: choose
    assert "找到多家经销商" in texts(many)
    shown = await w.press(chat, buttons(many)["D0007 合肥新锐电器有限公司"])
    assert "预存款 ¥" in texts(shown) and "是这家吗" in texts(shown)
    accounts = await w.press(chat, buttons(shown)["✅ 是这家"])
    assert {"预存款", "保证金"} <= set(buttons(accounts))
    assert "金额多少" in texts(await w.press(chat, buttons(accounts)["预存款"]))
    methods = await w.say(chat, "5万")
    assert {"银行转账", "承兑汇票", "现金"} <= set(buttons(methods))
    assert "银行流水号" in texts(await w.press(chat, buttons(methods)["银行转账"]))
    assert "哪天付的款" in texts(await w.say(chat, "HX20261203001"))
    assert "回单照片" in texts(await w.say(chat, "昨天"))
    return await w.photo(chat, "files/receipt-1.jpg")


async def test_the_payment_form_books_once_on_confirm() -> None:
    w = await _world()
    summary = await _fill_form(w)
    said = texts(summary)
    yesterday = (w.clock.today() - timedelta(days=1)).isoformat()
    assert "金额：¥50,000.00" in said and "方式：银行转账" in said and f"付款日期：{yesterday}" in said
    assert "回单：已附" in said and "参考号：HX20261203001" in said
    assert not _payments(w)                                   # nothing booked before the confirm
    ok = buttons(summary)["✅ 确认入账"]
    booked = texts(await w.press("400", ok))
    assert "已入账" in booked and "+¥50,000.00" in booked and "预存款 ¥50,000.00" in booked
    again = texts(await w.press("400", ok))                    # a double tap books nothing more
    assert "已入账：D0007 合肥新锐电器有限公司" in again
    [entry] = _payments(w)
    assert entry.amount == Decimal("50000.00") and entry.account == AccountKind.PREPAYMENT  # type: ignore[attr-defined]
    assert entry.method == PaymentMethod.BANK_TRANSFER.value and entry.ref == "HX20261203001"  # type: ignore[attr-defined]
    assert entry.paid_on.isoformat() == yesterday and entry.attachment == "files/receipt-1.jpg"  # type: ignore[attr-defined]
    assert entry.source and entry.source.startswith("chat:")  # type: ignore[attr-defined]
    assert "收到" in texts(await w.pushed("100"))              # the dealer is told


async def test_the_same_bank_slip_twice_is_said_and_needs_the_explicit_button() -> None:
    """QA s27 #1: finance booked the same transfer (same reference) twice without a word; the dealer was credited
    twice. The second form says the slip is booked; typed 确认入账 books nothing; only the explicit button does."""
    w = await _world()
    await w.press("400", buttons(await _fill_form(w))["✅ 确认入账"])
    [first] = _payments(w)
    summary = await _fill_form(w, "401")                      # a colleague books the same slip
    said = texts(summary)
    assert "⚠️ 注意：参考号 HX20261203001 已入账：¥50,000.00" in said and f"流水 #{first.id}" in said  # type: ignore[attr-defined]
    assert "✅ 确认入账" not in buttons(summary)
    assert "⚠️ 注意" in texts(await w.say("401", "确认入账"))     # typed: shown again, not booked
    assert len(_payments(w)) == 1
    booked = texts(await w.press("401", buttons(summary)["⚠️ 是另一笔款，仍然入账"]))
    assert "已入账" in booked and len(_payments(w)) == 2


async def test_cancel_books_nothing_and_dealers_cannot_reach_the_form() -> None:
    w = await _world()
    summary = await _fill_form(w)
    assert "已取消" in texts(await w.press("400", buttons(summary)["✖ 取消"]))
    assert "已入账" not in texts(await w.press("400", buttons(summary)["✅ 确认入账"]))
    assert not _payments(w)
    for chat in ("100", "300"):
        assert "仅限财务人员" in texts(await w.press(chat, payload("pay.new")))
        assert "仅限财务人员" in texts(await w.say(chat, "/pay"))
    assert "请输入经销商编码或名称" not in texts(await w.say("100", "记一笔回款"))   # a dealer's words go to the parser
    assert not _payments(w)


async def test_an_exact_code_a_future_day_and_a_bad_amount() -> None:
    w = await _world()
    await w.say("400", "/pay")
    shown = await w.say("400", "d0009")
    assert "D0009 杭州嘉禾电器有限公司" in texts(shown)
    await w.press("400", buttons(shown)["✅ 是这家"])
    await w.press("400", payload("pay.acct", "deposit"))
    assert "大于 0 的金额" in texts(await w.say("400", "五块钱左右"))
    await w.say("400", "20000")
    await w.press("400", payload("pay.method", "acceptance_bill"))
    await w.press("400", payload("pay.skip"))
    tomorrow = (w.clock.today() + timedelta(days=1)).isoformat()
    assert "不能晚于今天" in texts(await w.say("400", tomorrow))
    await w.press("400", payload("pay.day", 0))
    summary = await w.press("400", payload("pay.skip"))
    assert "账户：保证金" in texts(summary) and "回单：无" in texts(summary)
    await w.press("400", buttons(summary)["✅ 确认入账"])
    [entry] = _payments(w)
    assert entry.account == AccountKind.DEPOSIT and entry.paid_on == w.clock.today()  # type: ignore[attr-defined]


async def test_a_payment_is_reversed_from_the_ledger_with_a_reason() -> None:
    w = await _world()
    summary = await _fill_form(w)
    booked = await w.press("400", buttons(summary)["✅ 确认入账"])
    ledger = await w.press("400", buttons(booked)["📒 流水"])
    [entry] = _payments(w)
    assert f"#{entry.id}" in texts(ledger)  # type: ignore[attr-defined]
    asked = await w.press("400", buttons(ledger)[f"↩️ 冲销 #{entry.id}"])  # type: ignore[attr-defined]
    assert "请说明原因" in texts(asked)
    done = texts(await w.say("400", "金额记错，应为5000"))
    assert "已冲销" in done
    reversal = [e for e in w.uow.ledger.rows if e.kind == EntryKind.REVERSAL]
    assert [r.amount for r in reversal] == [Decimal("-50000.00")] and reversal[0].note == "金额记错，应为5000"
    after = await w.press("400", payload("pay.ledger", entry.dealer_id, 0))  # type: ignore[attr-defined]
    assert "预存款 ¥0.00" in texts(after) and "↩️ 冲销" not in texts(after)   # reversed once, nothing left to reverse


async def test_ledger_pages_past_the_first_screen() -> None:
    w = await _world()
    dealer = await w.uow.dealers.get_by(code="D0007")
    for n in range(7):
        await w.prepay(dealer, f"{100 + n}.00")  # type: ignore[arg-type]
    first = await w.press("400", payload("pay.ledger", dealer.id, 0))  # type: ignore[union-attr]
    assert "第 1–5 条，共 7 条" in texts(first)
    second = await w.press("400", buttons(first)["下一页 ▶"])
    assert "第 6–7 条，共 7 条" in texts(second) and "◀ 上一页" in buttons(second)
    assert "第 1–5 条，共 7 条" in texts(await w.say("400", "上一页"))


async def _refund_request(w: ChatWorld, by: str) -> int:
    dealer = await w.uow.dealers.get_by(code="D0007")
    await w.prepay(dealer, "100000.00")  # type: ignore[arg-type]
    uow: AbstractUnitOfWork = w.uow
    outcome = await request_adjustment(uow, staff(Role.FINANCE, name=by), RequestAdjustment(
        dealer.id, AccountKind.PREPAYMENT, "30000", "refund", "多付退回"), w.clock, threshold=DEFAULT_APPROVAL_THRESHOLD)  # type: ignore[union-attr, arg-type]
    assert outcome.request is not None
    return outcome.request.id or 0


async def test_refunds_wait_for_a_second_person_never_the_requester() -> None:
    w = await _world()
    user = next(u for u in w.uow.users.rows if u.username == "wu")
    rid = await _refund_request(w, user.username)
    mine = await w.say("400", "/fin_requests")               # wu asked: it is listed, without buttons
    assert "FR-" in texts(mine) and "另一位财务人员审批" in texts(mine)
    assert "✅ 批准" not in buttons(mine) and "待审批退款/调账：0" in texts(await w.say("400", "/today"))
    assert "另一位" in texts(await w.press("400", payload("fin.fr.ok", rid)))    # a forged tap is refused
    assert "待审批退款/调账：1" in texts(await w.say("401", "今天有什么要处理的"))
    approvals = await w.say("401", "待审批")                     # /approvals has it too, with the buttons
    assert "待审批退款/调账：1" in texts(approvals) and "✅ 批准" in buttons(approvals)
    assert "✅ 批准" not in buttons(await w.say("400", "/approvals"))
    listing = await w.press("401", payload("fin.fr.list", 0))
    assert "✅ 批准" in buttons(listing)
    assert "已批准" in texts(await w.press("401", buttons(listing)["✅ 批准"]))
    request = await w.uow.finance_requests.get(rid)
    assert request.status == FinanceRequestStatus.APPROVED  # type: ignore[union-attr]
    refunds = [e for e in w.uow.ledger.rows if e.kind == EntryKind.REFUND]
    assert [e.amount for e in refunds] == [Decimal("-30000.00")]


async def test_finance_today_has_the_payment_button_and_the_words_work() -> None:
    w = await _world()
    today = await w.say("400", "今天有什么要处理的")
    assert "待审批退款/调账：0" in texts(today) and "💵 记一笔回款" in buttons(today)
    for colloquial in ("今天有啥要处理的", "今天有咩要处理的呀"):      # 啥 / 咩 = 什么, a final particle
        assert "待审批退款/调账：0" in texts(await w.say("400", colloquial)), colloquial
    assert "请输入经销商编码或名称" in texts(await w.press("400", buttons(today)["💵 记一笔回款"]))
    for words in ("/payment", "登记回款"):
        assert "请输入经销商编码或名称" in texts(await w.say("400", words))
    assert "仅限财务人员" in texts(await w.say("300", "/payment"))
    desk = texts(await w.say("300", "/today"))
    assert "退款/调账" not in desk


async def test_one_line_he_paid_50k_starts_the_form_with_the_amount() -> None:
    w = await _world()
    shown = await w.say("400", "合肥新锐打了5万")
    assert "D0007 合肥新锐电器有限公司" in texts(shown) and "是这家吗" in texts(shown)
    assert "回款金额：¥50,000.00" in texts(shown)
    await w.press("400", buttons(shown)["✅ 是这家"])
    methods = await w.press("400", payload("pay.acct", "prepayment"))
    assert "付款方式" in texts(methods) and "金额多少" not in texts(methods)   # the amount was said already
    await w.press("400", buttons(methods)["承兑汇票"])
    await w.say("400", "跳过")
    await w.say("400", "12月1日")
    summary = await w.press("400", payload("pay.skip"))
    assert "金额：¥50,000.00" in texts(summary) and "方式：承兑汇票" in texts(summary)
    today = w.clock.today()
    year = today.year if (today.month, today.day) >= (12, 1) else today.year - 1    # the last 1 December, not the next
    assert f"付款日期：{year}-12-01" in texts(summary)
    await w.press("400", buttons(summary)["✅ 确认入账"])
    [entry] = _payments(w)
    assert entry.amount == Decimal("50000.00") and entry.method == "acceptance_bill"  # type: ignore[attr-defined]


async def test_one_line_with_a_note_of_how_it_was_paid() -> None:
    """"合肥新锐今天打了5万，工行转账": understood (was: "我没有听懂"), the way it was paid taken from the note."""
    w = await _world()
    shown = await w.say("400", "合肥新锐今天打了5万，工行转账")
    assert "D0007 合肥新锐电器有限公司" in texts(shown) and "回款金额：¥50,000.00" in texts(shown)
    await w.press("400", buttons(shown)["✅ 是这家"])
    asked = texts(await w.press("400", payload("pay.acct", "prepayment")))
    assert "银行流水号" in asked and "付款方式" not in asked
    await w.say("400", "跳过")
    await w.say("400", "今天")
    summary = await w.press("400", payload("pay.skip"))
    assert "方式：银行转账" in texts(summary) and "金额：¥50,000.00" in texts(summary)


@pytest.mark.parametrize("said", ["D0007 收到货款5万 银行转账", "收到合肥新锐货款5万", "合肥新锐的货款5万到了",
                                  "收到D0007回款五万"])
async def test_received_said_the_way_clerks_write_it(said: str) -> None:
    """"D0007 收到货款5万 银行转账": understood (was: "我没有听懂")."""
    w = await _world()
    shown = texts(await w.say("400", said))
    assert "D0007 合肥新锐电器有限公司" in shown and "回款金额：¥50,000.00" in shown


async def test_a_job_typed_in_the_middle_of_the_form_leaves_it() -> None:
    w = await _world()
    await w.say("400", "记一笔回款")
    assert "待审批退款/调账" in texts(await w.say("400", "今天有什么要处理的"))   # not taken for a dealer's name
    assert "没有找到经销商" not in texts(await w.say("400", "待审批"))
    await w.say("400", "记一笔回款")
    shown = await w.say("400", "D0009")
    await w.press("400", buttons(shown)["✅ 是这家"])
    await w.press("400", payload("pay.acct", "prepayment"))
    await w.say("400", "1000")
    await w.press("400", payload("pay.method", "cash"))
    await w.press("400", payload("pay.skip"))
    assert "回单照片" in texts(await w.say("400", "今天"))        # here 今天 answers the date step


async def test_the_form_speaks_english_to_an_english_reader() -> None:
    w = await _world()
    await w.press("400", payload("lang.toggle"))
    asked = texts(await w.say("400", "record a payment"))
    assert "which dealer?" in asked and "经销商" not in asked
    shown = await w.say("400", "D0009")
    assert "Is this the dealer?" in texts(shown) and "Prepayment ¥0.00" in texts(shown)
    await w.press("400", buttons(shown)["✅ Yes"])
    await w.press("400", payload("pay.acct", "deposit"))
    methods = await w.say("400", "20000")
    assert {"Bank transfer", "Acceptance bill", "Cash"} <= set(buttons(methods))


async def test_finance_asks_for_a_dealers_ledger_in_words() -> None:
    w = await _world()
    dealer = await w.uow.dealers.get_by(code="D0007")
    await w.prepay(dealer, "1234.00")  # type: ignore[arg-type]
    shown = texts(await w.say("400", "合肥新锐的流水"))
    assert "D0007 合肥新锐电器有限公司 的流水" in shown and "+¥1,234.00" in shown and "预存款 ¥1,234.00" in shown
    many = await w.say("400", "合肥的余额")                       # two dealers: choose
    assert {"D0007 合肥新锐电器有限公司", "D0008 合肥新安商贸有限公司"} <= set(buttons(many))
    assert "没有找到经销商“南京”" in texts(await w.say("400", "南京的流水"))
    desk = await w.say("300", "合肥新锐的流水")                      # the order desk reads it, reverses nothing
    assert "+¥1,234.00" in texts(desk) and "↩️ 冲销" not in texts(desk)
    assert "↩️ 冲销" in texts(await w.say("400", "合肥新锐的流水"))
    await w.user("310", Role.AFTER_SALES, username="chen")
    assert "仅限可查看经销商账户" in texts(await w.say("310", "合肥新锐的流水"))


async def test_a_clerk_who_types_everything_books_once() -> None:
    """Typed 是 / 预存款 / 承兑 / 跳过 / 昨天 / 跳过 / 确认, no taps; a second one-liner typed mid-form starts afresh."""
    w = await _world()
    await w.say("400", "记一笔回款")
    await w.say("400", "D0009")                                 # left at the dealer step
    shown = await w.say("400", "合肥新锐打了3万")                 # a new one-liner: that dealer, that amount
    assert "D0007 合肥新锐电器有限公司" in texts(shown) and "回款金额：¥30,000.00" in texts(shown)
    assert "记入哪个账户" in texts(await w.say("400", "是"))      # 是 confirms the dealer shown, not a name
    await w.say("400", "预存款")
    await w.say("400", "承兑")
    await w.say("400", "跳过")
    await w.say("400", "昨天")
    summary = await w.say("400", "跳过")
    assert "请确认入账" in texts(summary) and not _payments(w)
    assert "请确认入账" in texts(await w.say("400", "嗯？等等"))   # anything else shows the summary again
    assert not _payments(w)
    assert "已入账" in texts(await w.say("400", "确认"))
    assert "已入账" not in texts(await w.say("400", "确认"))      # typed twice: booked once
    [entry] = _payments(w)
    dealer = await w.uow.dealers.get_by(code="D0007")
    assert entry.amount == Decimal("30000.00") and entry.dealer_id == dealer.id  # type: ignore[attr-defined,union-attr]
    assert entry.paid_on == w.clock.today() - timedelta(days=1)  # type: ignore[attr-defined]


async def test_a_refund_asked_in_chat_waits_above_the_threshold_a_small_one_is_booked() -> None:
    w = await _world()
    dealer = await w.uow.dealers.get_by(code="D0007")
    await w.prepay(dealer, "100000.00")  # type: ignore[arg-type]
    ledger = await w.say("400", "合肥新锐电器的流水")
    assert "🧾 退款/调账" in buttons(ledger)
    assert "🧾 退款/调账" not in buttons(await w.say("300", "合肥新锐电器的流水"))   # the order desk only reads
    assert "仅限财务人员" in texts(await w.press("300", buttons(ledger)["🧾 退款/调账"]))
    await w.press("400", buttons(ledger)["🧾 退款/调账"])
    await w.press("400", payload("adj.kind", "refund"))
    await w.press("400", payload("adj.acct", "prepayment"))
    assert "原因" in texts(await w.say("400", "3万"))
    waiting = texts(await w.say("400", "多付退回"))
    assert "FR-" in waiting and "另一位财务人员审批" in waiting
    assert not [e for e in w.uow.ledger.rows if e.kind == EntryKind.REFUND]
    assert "✅ 批准" not in buttons(await w.say("400", "/approvals"))              # never to the requester
    assert "✅ 批准" in buttons(await w.say("401", "待审批"))
    await w.press("400", buttons(ledger)["🧾 退款/调账"])                        # a small adjustment: booked at once
    await w.press("400", payload("adj.kind", "adjustment"))
    await w.press("400", payload("adj.acct", "prepayment"))
    await w.say("400", "-12.50")
    assert "已记账" in texts(await w.say("400", "尾差"))
    assert [e.amount for e in w.uow.ledger.rows if e.kind == EntryKind.ADJUSTMENT] == [Decimal("-12.50")]


@pytest.mark.parametrize("said", ["确认", "确定", "没问题"])
async def test_the_dealer_shown_is_confirmed_in_other_words_too(said: str) -> None:
    w = await _world()
    shown = await w.say("400", "合肥新锐打了3万")
    assert "是这家吗" in texts(shown)
    assert "记入哪个账户" in texts(await w.say("400", said)), said


async def test_a_dealer_code_written_among_other_words_finds_the_dealer() -> None:
    """Tried in the chat: "D0002 的余额" at the payment's dealer step was searched as a name and not found."""
    w = await _world()
    await w.say("400", "记一笔回款")
    shown = await w.say("400", "D0007 的余额")
    assert "D0007 合肥新锐电器有限公司" in texts(shown) and "是这家吗" in texts(shown)
    assert "还没有流水" in texts(shown)       # the balance asked is answered too


@pytest.mark.parametrize("asked, answer", [("合肥新锐欠多少钱", "D0007"), ("本月回款多少", "本月"),
                                          ("哪些经销商超信用了", "")])
async def test_a_ledger_question_in_the_middle_of_a_payment_is_answered_and_the_form_kept(
        asked: str, answer: str) -> None:
    """(was: "没有找到经销商“合肥新锐欠多少钱”": the question searched as the payment's dealer)"""
    w = await _world()
    first = await w.say("400", "合肥新锐回款3万")
    assert "是这家吗" in texts(first)
    replies = await w.say("400", asked)
    shown = texts(replies)
    assert "没有找到经销商" not in shown and answer in shown
    assert "回款登记还没完成" in shown and "是这家吗" in shown
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="400")
    assert stored is not None and stored.state == "pay.dealer" and stored.data.get("amount") == "30000.00"
    accounts = await w.press("400", buttons(replies)["✅ 是这家"])
    assert "预存款" in buttons(accounts)


async def test_staff_asking_one_dealers_rebate_by_its_code_get_that_dealers_balances() -> None:
    """Tried in the chat: finance and a channel manager asking "D0001返利多少" were told "此功能仅供经销商用户使用"."""
    w = await _world()
    shown = await w.say("400", "D0007返利多少")
    assert "D0007 合肥新锐电器有限公司" in texts(shown) and "返利：" in texts(shown)
    assert "仅供经销商" not in texts(shown)
    assert "没有找到经销商 D9999" in texts(await w.say("400", "D9999 返利还有多少"))
    await w.user("500", Role.QUALITY, username="zhao")
    refused = await w.say("500", "D0007返利多少")
    assert "您无权查看 D0007 的账户" in texts(refused) and "返利：" not in texts(refused)


async def test_staff_asking_one_dealers_target_by_its_code_get_that_dealers_contract() -> None:
    """Tried in the chat: a channel manager asking "D0001今年目标完成多少了" got every dealer's target ranking."""
    w = await _world()
    shown = texts(await w.say("400", "D0007今年目标完成多少了"))
    assert "D0007 合肥新锐电器有限公司" in shown and "合同" in shown and "💰 账户余额" not in shown


async def test_a_second_payment_typed_while_the_first_waits_at_a_later_step_starts_afresh() -> None:
    """"合肥新锐打了5万" left at the account step, then "嘉禾转来两万货款": the first is dropped, saying so, and
    the form starts for 嘉禾's 2万 (was: taken as the account step's answer, then the next words as the first
    payment's reference: 合肥新锐's 5万 nearly booked with reference "是")."""
    w = await _world()
    shown = await w.say("400", "合肥新锐打了5万")
    assert "记入哪个账户" in texts(await w.press("400", buttons(shown)["✅ 是这家"]))
    said = texts(await w.say("400", "嘉禾转来两万货款"))
    assert "D0007 合肥新锐电器有限公司 ¥50,000.00 没有入账，已放弃" in said
    assert "D0009 杭州嘉禾电器有限公司" in said and "回款金额：¥20,000.00" in said and "是这家吗" in said
    await w.say("400", "是")
    await w.say("400", "预存款")
    await w.press("400", payload("pay.method", "bank_transfer"))
    await w.say("400", "HX1207099")
    await w.say("400", "今天")
    summary = texts(await w.press("400", payload("pay.skip")))
    assert "杭州嘉禾" in summary and "¥20,000.00" in summary and "参考号：HX1207099" in summary
    await w.say("400", "确认")
    [entry] = _payments(w)
    assert entry.amount == Decimal("20000.00")  # type: ignore[attr-defined]


async def test_finance_asks_a_dealers_statement_by_code_or_name_with_a_month_or_none() -> None:
    """"D0009 9月对账单", "嘉禾上个月的对账单发我看下", "杭州嘉禾 对账单": that dealer's statement with its files and
    where it stands (was: "D0009 9月对账单" the dealer's balances, the others "没有待处理的对账异议")."""
    from datetime import date

    from core.accounts import Statement, StatementStatus
    from core.money import ZERO

    w = await _world()
    d9 = await w.uow.dealers.get_by(code="D0009")
    assert d9 is not None and d9.id is not None
    for period, status, due in (("2026-09", StatementStatus.CONFIRMED, None),
                                ("2026-10", StatementStatus.ISSUED, date(2026, 11, 30))):
        year, month = (int(x) for x in period.split("-"))
        await w.uow.statements.add(Statement(
            dealer_id=d9.id, period=period, period_start=date(year, month, 1),
            period_end=date(year, month, 30), opening_balance=ZERO, orders_total=ZERO, payments_total=ZERO,
            rebates_total=ZERO, closing_balance=ZERO, status=status, due_on=due))
    await w.uow.commit()
    september = await w.say("400", "D0009 9月对账单")
    assert "D0009 杭州嘉禾电器有限公司 · 2026-09 对账单" in texts(september) and "状态：已确认" in texts(september)
    assert [r.file_name for r in september if r.file_name] == ["statement-D0009-2026-09.xlsx",
                                                                "statement-D0009-2026-09.pdf"]
    last = texts(await w.say("400", "嘉禾上个月的对账单发我看下"))
    assert "2026-10 对账单" in last and "状态：待确认（2026-11-30 前确认）" in last
    assert "2026-10 对账单" in texts(await w.say("400", "杭州嘉禾 对账单"))          # no month: the latest
    assert "没有 2026-08 的对账单" in texts(await w.say("400", "D0009 8月对账单"))
    many = await w.say("400", "合肥 对账单")                      # two dealers fit, neither has one
    assert "合肥 还没有对账单" in texts(many)
    desk = texts(await w.say("300", "D0009 上个月对账单"))       # not the desk's job: what it can type
    assert "我没有听懂" in desk and "2026-10" not in desk


async def test_one_line_with_the_reference_and_the_account_asks_only_the_day_and_the_receipt() -> None:
    """"合肥新锐刚打过来30万 工行转账 流水号 ICBC20261207001，记预存款" (was: "此功能仅供经销商用户使用", then eight
    prompts for what the line said): the dealer confirmed, the day and the receipt asked, the rest taken."""
    w = await _world()
    shown = await w.say("400", "合肥新锐刚打过来30万 工行转账 流水号 ICBC20261207001，记预存款")
    assert "回款金额：¥300,000.00" in texts(shown)
    asked = texts(await w.press("400", buttons(shown)["✅ 是这家"]))
    assert "哪天付的款" in asked
    await w.say("400", "今天")
    summary = texts(await w.press("400", payload("pay.skip")))
    assert "账户：预存款" in summary and "方式：银行转账" in summary and "参考号：ICBC20261207001" in summary


async def test_an_amount_typed_under_the_dealer_shown_is_the_payments() -> None:
    """"30万" typed at "是这家吗？" (was: "没有找到经销商“30万”" and the form started over)."""
    w = await _world()
    await w.say("400", "记一笔回款")
    await w.say("400", "合肥新锐")
    shown = texts(await w.say("400", "30万"))
    assert "没有找到经销商" not in shown and "回款金额：¥300,000.00" in shown and "合肥新锐" in shown
