"""Contracts, rebates and expense claims in chat: sign with a one-time code, signed copy, tampering,
denied actions, rebate statement, expense claims from submission to approval."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pypdf

from core.accounts import AccountKind, EntryKind
from core.campaigns import Campaign, CampaignParticipation, CampaignStatus
from core.contracts import ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.expenses import ClaimStatus, TaskStatus
from core.services.accounts import DisputeStatement, GenerateStatement, dispute_statement, generate_statement
from core.services.contract_docs import CreateFromTemplate, SaveTemplate, create_from_template, save_template
from core.services.contracts import SendContract, send_contract
from core.services.rebates import DecideSettlement, decide_settlement, propose_settlements
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, fixed_clock, staff
from tests.fakes import FakeFileStore

BODY = "乙方：{dealer}\n合同期限：{period}\n销售目标：\n{targets}\n返利政策：\n{rebate_tiers}\n市场义务：\n{marketing_duties}\n"


async def _world(clock_text: str = "2026-11-26 10:00"):
    w = ChatWorld(clock=fixed_clock(clock_text))
    w.service.deps.files = FakeFileStore()
    dealer = await w.dealer(name="杭州绿源电器有限公司")
    other = await w.dealer(name="苏州清风商贸有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("101", Role.DEALER_CLERK, dealer)
    await w.user("200", Role.DEALER_OWNER, other)
    await w.user("900", Role.CHANNEL_MANAGER)
    await w.user("901", Role.MARKETING)
    await w.user("902", Role.FINANCE)
    cm = staff(Role.CHANNEL_MANAGER)
    template = await save_template(w.uow, cm, SaveTemplate(
        name="年度合同", body=BODY, targets=(SalesTarget("Y", TargetMetric.AMOUNT, Decimal("100000")),),
        rebate_tiers=(RebateTier(Decimal("0.5"), Decimal("0.02")),), marketing_duties=("门店陈列样机",)), w.clock)
    contract = await create_from_template(w.uow, cm, CreateFromTemplate(template.id, dealer.id, date(2026, 1, 1)),
                                          w.clock)
    await send_contract(w.uow, cm, SendContract(contract.id), w.clock)
    return w, dealer, other, contract


def _code(replies) -> str:
    m = re.search(r"验证码：(\d{6})", texts(replies))
    assert m, texts(replies)
    return m.group(1)


async def test_owner_reads_pdf_and_signs_with_the_code():
    w, dealer, _, contract = await _world()
    pushed = texts(await w.pushed("100"))
    assert f"合同 {contract.number}" in pushed and "签署" in pushed
    listing = await w.say("100", "/contract")
    assert contract.number in texts(listing) and "✍️ 签署" in buttons(listing)
    pdf_reply = await w.press("100", buttons(listing)["📄 查看合同PDF"])
    attached = [r for r in pdf_reply if r.file]
    assert attached and attached[0].file_name.endswith(".pdf")
    assert "杭州绿源电器有限公司" in pypdf.PdfReader(io.BytesIO(attached[0].file)).pages[0].extract_text()
    asked = await w.press("100", buttons(listing)["✍️ 签署"])
    code = _code(asked)
    wrong = "000000" if code != "000000" else "111111"
    assert "还可以再试 4 次" in texts(await w.say("100", wrong))
    assert "6 位数字" in texts(await w.say("100", "12ab"))
    done = await w.say("100", code)
    assert "✅ 已签署合同" in texts(done)
    signed_file = next(r for r in done if r.file)
    saved = await w.uow.contracts.get(contract.id)
    sig = w.uow.contract_signatures.rows[0]
    assert saved.status == ContractStatus.SIGNED and saved.signed_by.startswith(f"dealer:{dealer.id}:")
    assert (sig.channel, sig.origin) == ("telegram", "100")
    import hashlib
    assert hashlib.sha256(signed_file.file).hexdigest() == sig.pdf_sha256
    assert sig.pdf_sha256 in texts(done)
    # both sides fetch the signed copy later
    again = await w.press("100", buttons(done)["📥 签署版"])
    assert next(r for r in again if r.file).file == signed_file.file and "校验通过" in texts(again)
    staff_copy = await w.press("900", buttons(done)["📥 签署版"])
    assert next(r for r in staff_copy if r.file).file == signed_file.file
    assert f"已签署合同 {contract.number}" in texts(await w.pushed("900"))


async def test_tampered_signed_copy_is_refused():
    w, dealer, _, contract = await _world()
    code = _code(await w.press("100", f"1|ctr.sign|{contract.id}"))
    await w.say("100", code)
    sig = w.uow.contract_signatures.rows[0]
    store = w.service.deps.files
    store.files[sig.pdf_key] = store.files[sig.pdf_key] + b"% edited\n"
    refused = await w.press("100", f"1|ctr.copy|{contract.id}")
    assert "篡改" in texts(refused) and not any(r.file for r in refused)


async def test_denied_other_dealer_and_clerk():
    w, dealer, other, contract = await _world()
    forged = await w.press("200", f"1|ctr.sign|{contract.id}")
    assert "未找到合同" in texts(forged) and not w.uow.signing_codes.rows
    assert "未找到合同" in texts(await w.press("200", f"1|ctr.pdf|{contract.id}"))
    clerk = await w.press("101", f"1|ctr.sign|{contract.id}")
    assert "负责人本人" in texts(clerk) and not w.uow.signing_codes.rows


async def test_expired_code_offers_a_new_one():
    w, dealer, _, contract = await _world()
    code = _code(await w.press("100", f"1|ctr.sign|{contract.id}"))
    w.clock = fixed_clock("2026-11-26 10:15")
    w.service.deps.clock = w.clock
    late = await w.say("100", code)
    assert "过期" in texts(late) and "🔁 重新获取验证码" in buttons(late)
    assert (await w.uow.contracts.get(contract.id)).status == ContractStatus.SENT


async def test_rebate_settled_after_approval_shows_in_rebate_statement():
    w, dealer, _, contract = await _world("2026-11-26 10:00")
    code = _code(await w.press("100", f"1|ctr.sign|{contract.id}"))
    await w.say("100", code)
    await w.prepay(dealer)
    await w.catalogue()
    await w.order(dealer, [("AP300", 30)])       # 59,970.00 of 100,000: 59.97 % -> 2 %
    accruing = await w.say("100", "/rebate")
    assert "计提中" in texts(accruing) and "¥1,199.40" in texts(accruing)
    year_end = fixed_clock("2027-01-05 10:00")
    [proposal] = await propose_settlements(w.uow, staff(Role.FINANCE), contract.id, year_end)
    assert proposal.amount == Decimal("1199.40")
    await decide_settlement(w.uow, staff(Role.FINANCE), DecideSettlement(proposal.id, True), year_end)
    entry = [e for e in w.uow.ledger.rows if e.kind == EntryKind.REBATE_SETTLEMENT]
    assert entry[0].account == AccountKind.REBATE and entry[0].amount == Decimal("1199.40")
    assert "已结算到您的返利账户" in texts(await w.pushed("100"))
    shown = await w.say("100", "/rebate")
    assert "已结算累计：¥1,199.40" in texts(shown) and "返利余额：¥1,199.40" in texts(shown)


async def test_statement_dispute_becomes_a_finance_task():
    w, dealer, _, _ = await _world()
    await generate_statement(w.uow, staff(Role.FINANCE), GenerateStatement(dealer.id, "2026-10"), w.clock)
    await dispute_statement(w.uow, dealer_user(dealer.id), DisputeStatement(dealer.id, "2026-10", "10月回款少记5000元"),
                            w.clock)
    [task] = w.uow.staff_tasks.rows
    assert (task.team, task.status, task.detail, task.ref) == ("finance", TaskStatus.OPEN, "10月回款少记5000元",
                                                               f"{dealer.id}:2026-10")


async def _campaign(w: ChatWorld, dealer, budget: str = "5000.00") -> Campaign:
    c = await w.uow.campaigns.add(Campaign(code="CP-01", name="双十二促销", starts_on=date(2026, 11, 1),
                                           ends_on=date(2026, 12, 31), budget=Decimal(budget),
                                           status=CampaignStatus.LAUNCHED, target_dealer_ids=[dealer.id]))
    await w.uow.participations.add(CampaignParticipation(campaign_id=c.id, dealer_id=dealer.id))
    await w.uow.commit()
    return c


async def test_expense_claim_from_chat_to_approval():
    w, dealer, other, _ = await _world()
    campaign = await _campaign(w, dealer)
    assert "还没有参加" in texts(await w.say("200", "/claim"))
    start = await w.say("100", "/claim")
    picked = await w.press("100", buttons(start)["CP-01 双十二促销"])
    assert "核销金额" in texts(picked)
    assert "金额格式不对" in texts(await w.say("100", "一千块"))
    assert "用途" in texts(await w.say("100", "1,280.50"))
    assert "凭证照片" in texts(await w.say("100", "门店促销物料"))
    await w.photo("100", "a" * 64 + ".jpg")
    confirm = await w.press("100", "1|ctr.cl.done")
    assert "¥1,280.50" in texts(confirm) and "凭证：1 张" in texts(confirm)
    ok = buttons(confirm)["✅ 提交"]
    first = await w.press("100", ok)
    second = await w.press("100", ok)                 # double tap: the same claim
    assert len(w.uow.expense_claims.rows) == 1
    number = w.uow.expense_claims.rows[0].number
    assert number in texts(first) and number in texts(second)
    assert number in texts(await w.pushed("901"))
    # a dealer cannot decide; marketing approves to the rebate account
    assert "仅限市场或财务" in texts(await w.press("100", f"1|ctr.cl.yes|{w.uow.expense_claims.rows[0].id}|p"))
    queue = await w.say("901", "/claims")
    decided = await w.press("901", buttons(queue)["✅ 核销（记返利）"])
    assert "已核销" in texts(decided)
    claim = w.uow.expense_claims.rows[0]
    assert claim.status == ClaimStatus.APPROVED and claim.credit_account == "rebate"
    assert (await w.uow.campaigns.get(campaign.id)).spent == Decimal("1280.50")
    credit = [e for e in w.uow.ledger.rows if e.ref == number]
    assert credit[0].account == AccountKind.REBATE and credit[0].amount == Decimal("1280.50")
    assert "已核销" in texts(await w.pushed("100"))


async def test_claim_over_budget_refused_and_rejection_needs_reason():
    w, dealer, _, _ = await _world()
    await _campaign(w, dealer, budget="1000.00")
    start = await w.say("100", "/claim")
    await w.press("100", buttons(start)["CP-01 双十二促销"])
    await w.say("100", "1500")
    await w.say("100", "场地费")
    await w.photo("100", "b" * 64 + ".jpg")
    confirm = await w.press("100", "1|ctr.cl.done")
    await w.press("100", buttons(confirm)["✅ 提交"])
    claim_id = w.uow.expense_claims.rows[0].id
    refused = await w.press("902", f"1|ctr.cl.yes|{claim_id}|p")
    assert "预算不足" in texts(refused)
    assert w.uow.expense_claims.rows[0].status == ClaimStatus.SUBMITTED
    await w.press("902", f"1|ctr.cl.no|{claim_id}")
    done = await w.say("902", "票据不清晰")
    assert "已驳回" in texts(done)
    assert w.uow.expense_claims.rows[0].decision_note == "票据不清晰"


async def test_claims_waiting_are_paged_with_buttons_and_typed_next():
    from core.expenses import ExpenseClaim
    w, dealer, _, _ = await _world()
    for i in range(1, 13):
        await w.uow.expense_claims.add(ExpenseClaim(number=f"FY-20261126-{i:04d}", dealer_id=dealer.id,
                                                    campaign_id=1, amount=Decimal(f"{i}00.00"), description="物料"))
    await w.uow.commit()
    first = await w.say("901", "/claims")
    shown = re.findall(r"FY-20261126-\d{4}", texts(first))
    assert len(shown) == 5 and "FY-20261126-0012" in shown          # newest first, one screen
    assert "第 1–5 条，共 12 条" in texts(first)
    second = await w.press("901", buttons(first)["下一页 ▶"])
    later = re.findall(r"FY-20261126-\d{4}", texts(second))
    assert len(later) == 5 and not set(later) & set(shown)
    assert "◀ 上一页" in buttons(second) and "下一页 ▶" in buttons(second) and "第 6–10 条" in texts(second)
    third = await w.say("901", "下一页")                              # typed, as staff do
    last = re.findall(r"FY-20261126-\d{4}", texts(third))
    assert len(last) == 2 and "FY-20261126-0001" in last and "下一页 ▶" not in buttons(third)
