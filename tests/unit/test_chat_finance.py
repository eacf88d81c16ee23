"""Finance's day in chat: /today lists what waits for finance, /approvals and /rebates_due page past the first
screen, rebate settlements are approved or rejected with a reason, and nobody else decides them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.accounts import EntryKind
from core.rebates import RebateSettlement, SettlementStatus
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts


async def _world(settlements: int = 1) -> tuple[ChatWorld, list[RebateSettlement]]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="杭州绿源电器有限公司", code="D0021")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("400", Role.FINANCE, username="wu")
    await w.user("401", Role.FINANCE, username="li")
    await w.user("300", Role.ORDER_DESK, username="zhang")
    rows = []
    for n in range(settlements):
        rows.append(await w.uow.rebate_settlements.add(RebateSettlement(
            contract_id=1, contract_number=f"HT-2026-{n + 1:04d}", dealer_id=dealer.id,  # type: ignore[arg-type]
            period="2026-Q3", period_end=date(2026, 9, 30), achieved_amount=Decimal("50000.00"),
            achievement=Decimal("1.0000"), rate=Decimal("0.0200"), amount=Decimal(f"{1000 + n}.00"),
            accrued_amount=Decimal(f"{1000 + n}.00"), target_key="2026-Q3|amount|*")))
    await w.uow.commit()
    w.forget_pushes()
    return w, rows


async def test_finance_today_names_what_waits_and_leads_to_each_list() -> None:
    w, rows = await _world(2)
    shown = await w.say("400", "/today")
    said = texts(shown)
    assert "待审批返利结算：2" in said and "D0021 2026-Q3 ¥1,000.00" in said
    assert "今天没有需要您处理的事项" not in said
    assert {"🧾 对账异议", "💰 返利审批", "🧾 费用核销", "✅ 待审批"} <= set(buttons(shown))
    desk = texts(await w.say("300", "/today"))                  # the order desk sees no finance lines
    assert "返利结算" not in desk


async def test_approvals_page_past_the_first_screen() -> None:
    w, rows = await _world(7)
    first = await w.say("400", "/approvals")
    assert "返利结算 7" in texts(first) and "第 1–5 条，共 7 条" in texts(first)
    assert texts(first).count("HT-2026-") == 5
    labels = buttons(first)
    assert "◀ 上一页" not in labels
    second = await w.press("400", labels["下一页 ▶"])
    assert "第 6–7 条，共 7 条" in texts(second)
    assert "HT-2026-0006" in texts(second) and "HT-2026-0007" in texts(second)
    assert "HT-2026-0001" not in texts(second)
    assert "下一页 ▶" not in buttons(second)
    back = await w.press("400", buttons(second)["◀ 上一页"])
    assert "第 1–5 条，共 7 条" in texts(back)


async def test_a_rebate_settlement_is_approved_once_and_rejected_with_a_reason() -> None:
    w, rows = await _world(2)
    listing = await w.press("400", payload("fin.rb.list", 0))
    assert "💰 待审批的返利结算（第 1–2 条，共 2 条）" in texts(listing)
    done = texts(await w.press("400", payload("fin.rb.ok", rows[0].id)))
    assert "返利结算 HT-2026-0001（2026-Q3）¥1,000.00：已结算。" in done
    posted = [e for e in w.uow.ledger.rows if e.kind == EntryKind.REBATE_SETTLEMENT]
    assert [e.amount for e in posted] == [Decimal("1000.00")]
    again = texts(await w.press("401", payload("fin.rb.ok", rows[0].id)))   # the second tap pays nothing
    assert "不能再审批" in again
    assert len([e for e in w.uow.ledger.rows if e.kind == EntryKind.REBATE_SETTLEMENT]) == 1
    assert "请输入驳回这笔返利结算的原因" in texts(await w.press("401", payload("fin.rb.no", rows[1].id)))
    assert "已驳回" in texts(await w.say("401", "达成率数据待核实"))
    rejected = await w.uow.rebate_settlements.get(rows[1].id)
    assert rejected.status == SettlementStatus.REJECTED and rejected.note == "达成率数据待核实"
    assert "没有待审批的返利结算" in texts(await w.say("400", "/rebates_due"))


async def test_only_finance_decides_rebates() -> None:
    w, rows = await _world(1)
    for chat in ("100", "300"):
        said = texts(await w.press(chat, payload("fin.rb.ok", rows[0].id)))
        assert "仅限财务人员" in said
    assert (await w.uow.rebate_settlements.get(rows[0].id)).status == SettlementStatus.PROPOSED
    assert not [e for e in w.uow.ledger.rows if e.kind == EntryKind.REBATE_SETTLEMENT]


async def test_bank_rows_that_matched_no_dealer_are_assigned_or_ignored_in_chat() -> None:
    from core.banking import BankRowRecord, BankRowStatus

    w, _ = await _world(0)
    rows = []
    for n, (payer, amount) in enumerate((("张三个体户", "8800.00"), ("中国工商银行", "1.23"))):
        rows.append(await w.uow.bank_rows.add(BankRowRecord(
            key=f"k{n}", file_name="icbc.csv", file_sha256="x", row_number=n + 2, paid_on=date(2026, 11, 20),
            payer=payer, amount=Decimal(amount), reference="货款" if n == 0 else "结息", account="",
            status=BankRowStatus.UNMATCHED)))
    await w.uow.commit()
    today = texts(await w.say("400", "/today"))
    assert "待匹配银行流水：2" in today and "张三个体户 ¥8,800.00" in today
    listing = await w.press("400", payload("fin.bk.list", 0))
    assert "🏦 待匹配的银行流水（第 1–2 条，共 2 条）" in texts(listing)
    assert "这笔流水是哪家经销商的回款" in texts(await w.press("400", payload("fin.bk.as", rows[0].id)))
    assert "✅ 已入账" in texts(await w.say("400", "D0021"))
    paid = [e for e in w.uow.ledger.rows if e.kind == EntryKind.PAYMENT]
    assert [e.amount for e in paid] == [Decimal("8800.00")]
    await w.press("400", payload("fin.bk.ig", rows[1].id))
    assert "🚫 已忽略" in texts(await w.say("400", "银行结息"))
    assert (await w.uow.bank_rows.get(rows[1].id)).status == BankRowStatus.IGNORED
    assert "没有待匹配的银行流水" in texts(await w.say("400", "/bank"))
    assert "仅限财务人员" in texts(await w.press("300", payload("fin.bk.list", 0)))
