"""Contract templates, signing with a one-time code, the frozen signed PDF, verification, renewal, duties."""

from __future__ import annotations

import io
import re
from datetime import date
from decimal import Decimal

import pypdf
import pytest

from core.contracts import ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.errors import BusinessRuleViolation, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.services.contract_docs import (
    CreateFromTemplate,
    EditBody,
    MarkDuty,
    RenewContract,
    RequestSigningCode,
    SaveTemplate,
    SignWithCode,
    contract_document,
    contract_monitoring,
    create_from_template,
    edit_body,
    mark_duty,
    renew_contract,
    request_signing_code,
    save_template,
    sign_with_code,
    signed_copy,
    verify_signed_pdf,
)
from core.services.contracts import SendContract, send_contract
from core.users import Role
from documents.contract_pdf import ReportlabContractRenderer
from tests.factories import dealer_user, fixed_clock, make_dealer, staff
from tests.fakes import FakeFileStore, FakeUnitOfWork

BODY = ("甲方：上海净界环境科技有限公司\n乙方：{dealer}（{dealer_code}）\n合同期限：{period}\n"
        "一、销售目标：\n{targets}\n二、返利政策：\n{rebate_tiers}\n三、市场义务：\n{marketing_duties}\n")
RENDERER = ReportlabContractRenderer()


def pdf_text(data: bytes) -> str:
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


async def _world():
    uow, clock = FakeUnitOfWork(), fixed_clock("2026-11-26 10:00")
    dealer = await uow.dealers.add(make_dealer(name="杭州绿源电器有限公司"))
    other = await uow.dealers.add(make_dealer(name="苏州清风商贸有限公司"))
    await uow.commit()
    cm = staff(Role.CHANNEL_MANAGER)
    template = await save_template(uow, cm, SaveTemplate(
        name="标准年度经销合同", body=BODY, term_months=12,
        targets=(SalesTarget("Y", TargetMetric.AMOUNT, Decimal("1000000")),),
        rebate_tiers=(RebateTier(Decimal("0.8"), Decimal("0.01")), RebateTier(Decimal("1.0"), Decimal("0.03"))),
        marketing_duties=("门店陈列样机不少于2台", "每季度举办一次促销活动")), clock)
    contract = await create_from_template(uow, cm, CreateFromTemplate(template.id, dealer.id, date(2027, 1, 1),
                                                                      (Decimal("1200000"),)), clock)
    return uow, clock, dealer, other, cm, contract


async def test_template_fills_placeholders_and_pdf_keeps_chinese():
    uow, clock, dealer, _, cm, contract = await _world()
    assert contract.ends_on == date(2027, 12, 31)
    assert contract.targets[0].period == "2027" and contract.targets[0].value == Decimal("1200000.00")
    doc = await contract_document(uow, cm, contract.id, RENDERER)
    assert "乙方：杭州绿源电器有限公司" in doc.text
    assert "2027年01月01日至2027年12月31日" in doc.text
    assert "进货金额不低于¥1,200,000.00" in doc.text
    assert "达成率达到100%，返利比例3%" in doc.text
    assert "{" not in doc.text
    extracted = pdf_text(doc.pdf)
    assert "杭州绿源电器有限公司" in extracted and "门店陈列样机不少于2台" in extracted


async def test_unknown_placeholder_refused():
    uow, clock = FakeUnitOfWork(), fixed_clock()
    with pytest.raises(ValidationFailed) as err:
        await save_template(uow, staff(Role.CHANNEL_MANAGER), SaveTemplate(name="x", body="乙方：{dealr}"), clock)
    assert "dealr" in err.value.message("zh")


async def test_draft_body_editable_then_frozen_after_send():
    uow, clock, dealer, _, cm, contract = await _world()
    await edit_body(uow, cm, EditBody(contract.id, BODY + "四、争议解决：提交上海仲裁委员会仲裁。\n"), clock)
    await send_contract(uow, cm, SendContract(contract.id), clock)
    with pytest.raises(InvalidTransition):
        await edit_body(uow, cm, EditBody(contract.id, BODY), clock)
    # the owner was told, through the outbox
    assert [m.kind for m in uow.outbox.rows] == ["contract.sent"] * len(uow.outbox.rows)


async def _sent():
    uow, clock, dealer, other, cm, contract = await _world()
    await send_contract(uow, cm, SendContract(contract.id), clock)
    return uow, clock, dealer, other, cm, contract


async def test_owner_signs_with_code_and_the_pdf_is_frozen_with_hashes():
    uow, clock, dealer, _, cm, contract = await _sent()
    owner, files = dealer_user(dealer.id), FakeFileStore()
    issued = await request_signing_code(uow, owner, RequestSigningCode(contract.id), clock)
    assert re.fullmatch(r"\d{6}", issued.code)
    stored = uow.signing_codes.rows[0]
    assert issued.code not in (stored.code_hash, stored.salt) and len(stored.code_hash) == 64
    sig = await sign_with_code(uow, owner, SignWithCode(contract.id, issued.code, "telegram", "chat-42"), clock,
                               RENDERER, files)
    contract = await uow.contracts.get(contract.id)
    assert contract.status == ContractStatus.SIGNED and contract.signed_sha256 == issued.text_sha256
    assert (sig.signer, sig.channel, sig.origin, sig.signed_at) == (owner.label, "telegram", "chat-42", clock.now())
    copy = await signed_copy(uow, cm, contract.id, files)
    import hashlib
    assert hashlib.sha256(copy.pdf).hexdigest() == sig.pdf_sha256
    assert "杭州绿源电器有限公司" in pdf_text(copy.pdf)
    assert (await verify_signed_pdf(uow, owner, contract.number, copy.pdf)).ok
    # a double tap returns the same signature
    again = await sign_with_code(uow, owner, SignWithCode(contract.id, issued.code, "telegram", "chat-42"), clock,
                                 RENDERER, files)
    assert again.id == sig.id and len(uow.contract_signatures.rows) == 1
    assert any(a.action == "contract.sign" for a in uow.audit.rows)


async def test_tampered_signed_pdf_detected():
    uow, clock, dealer, _, cm, contract = await _sent()
    owner, files = dealer_user(dealer.id), FakeFileStore()
    issued = await request_signing_code(uow, owner, RequestSigningCode(contract.id), clock)
    sig = await sign_with_code(uow, owner, SignWithCode(contract.id, issued.code, "web", "10.0.0.7"), clock,
                               RENDERER, files)
    original = files.files[sig.pdf_key]
    tampered = original[:-200] + original[-200:].replace(b"/Size", b"/Sizf")
    assert tampered != files.files[sig.pdf_key]
    result = await verify_signed_pdf(uow, cm, contract.number, tampered)
    assert not result.ok and result.actual_sha256 != sig.pdf_sha256
    files.files[sig.pdf_key] = tampered
    with pytest.raises(BusinessRuleViolation) as err:
        await signed_copy(uow, owner, contract.id, files)
    assert "篡改" in err.value.message("zh")


async def test_wrong_code_counts_attempts_and_locks_after_five():
    uow, clock, dealer, _, cm, contract = await _sent()
    owner = dealer_user(dealer.id)
    issued = await request_signing_code(uow, owner, RequestSigningCode(contract.id), clock)
    wrong = "000000" if issued.code != "000000" else "111111"
    for left in (4, 3, 2, 1):
        with pytest.raises(ValidationFailed) as err:
            await sign_with_code(uow, owner, SignWithCode(contract.id, wrong, "telegram", "1"), clock, RENDERER,
                                 FakeFileStore())
        assert f"还可以再试 {left} 次" in err.value.message("zh")
    with pytest.raises(ValidationFailed):
        await sign_with_code(uow, owner, SignWithCode(contract.id, wrong, "telegram", "1"), clock, RENDERER,
                             FakeFileStore())
    with pytest.raises(ValidationFailed) as err:     # even the right code now
        await sign_with_code(uow, owner, SignWithCode(contract.id, issued.code, "telegram", "1"), clock, RENDERER,
                             FakeFileStore())
    assert "重新获取" in err.value.message("zh")
    contract = await uow.contracts.get(contract.id)
    assert contract.status == ContractStatus.SENT and uow.signing_codes.rows[0].attempts == 5


async def test_expired_code_refused():
    uow, clock, dealer, _, cm, contract = await _sent()
    owner = dealer_user(dealer.id)
    issued = await request_signing_code(uow, owner, RequestSigningCode(contract.id), clock)
    later = fixed_clock("2026-11-26 10:11")
    with pytest.raises(ValidationFailed) as err:
        await sign_with_code(uow, owner, SignWithCode(contract.id, issued.code, "telegram", "1"), later, RENDERER,
                             FakeFileStore())
    assert "过期" in err.value.message("zh")
    assert (await uow.contracts.get(contract.id)).status == ContractStatus.SENT


async def test_other_dealer_gets_not_found_and_clerk_is_refused():
    uow, clock, dealer, other, cm, contract = await _sent()
    with pytest.raises(NotFound):
        await request_signing_code(uow, dealer_user(other.id), RequestSigningCode(contract.id), clock)
    with pytest.raises(NotFound):
        await sign_with_code(uow, dealer_user(other.id), SignWithCode(contract.id, "123456", "telegram", "1"), clock,
                             RENDERER, FakeFileStore())
    with pytest.raises(PermissionDenied):
        await request_signing_code(uow, dealer_user(dealer.id, Role.DEALER_CLERK), RequestSigningCode(contract.id),
                                   clock)
    with pytest.raises(PermissionDenied):
        await request_signing_code(uow, cm, RequestSigningCode(contract.id), clock)


async def test_renewal_draft_from_current_contract_is_idempotent():
    uow, clock, dealer, _, cm, contract = await _sent()
    owner = dealer_user(dealer.id)
    issued = await request_signing_code(uow, owner, RequestSigningCode(contract.id), clock)
    await sign_with_code(uow, owner, SignWithCode(contract.id, issued.code, "telegram", "1"), clock, RENDERER,
                         FakeFileStore())
    renewal = await renew_contract(uow, cm, RenewContract(contract.id), clock)
    assert renewal.status == ContractStatus.DRAFT and renewal.number != contract.number
    assert (renewal.starts_on, renewal.ends_on) == (date(2028, 1, 1), date(2028, 12, 31))
    assert renewal.targets[0].period == "2028" and renewal.targets[0].value == Decimal("1200000.00")
    contract = await uow.contracts.get(contract.id)
    assert renewal.body == contract.body and renewal.rebate_tiers == contract.rebate_tiers
    again = await renew_contract(uow, cm, RenewContract(contract.id), clock)
    assert again.id == renewal.id
    with pytest.raises(PermissionDenied):
        await renew_contract(uow, owner, RenewContract(contract.id), clock)


async def test_duties_marked_by_staff_show_in_monitoring():
    uow, clock, dealer, _, cm, contract = await _world()
    await mark_duty(uow, cm, MarkDuty(contract.id, 1, note="Q1 促销已办"), clock)
    with pytest.raises(ValidationFailed):
        await mark_duty(uow, cm, MarkDuty(contract.id, 5), clock)
    with pytest.raises(PermissionDenied):
        await mark_duty(uow, staff(Role.FINANCE), MarkDuty(contract.id, 0), clock)
    m = await contract_monitoring(uow, cm, contract.id, fixed_clock("2027-03-01 10:00"))
    assert [d.done for d in m.duties] == [False, True] and m.duties_done == 1
    assert m.execution.targets[0].actual == Decimal("0.00") and m.accrued_total == Decimal("0.00")
    assert m.execution.as_of == date(2027, 3, 1) and m.contract.id == contract.id


def test_pdf_embeds_its_cjk_font_and_is_deterministic():
    text = "经销合同\n乙方：杭州绿源电器有限公司\n  1. 进货金额不低于¥1,200,000.00。\n"
    first, second = RENDERER.contract_pdf(text, title="HT v1"), RENDERER.contract_pdf(text, title="HT v1")
    assert first == second
    assert b"/FontFile2" in first             # the TrueType font travels with the file (phones show it)
    extracted = pdf_text(first)
    assert "杭州绿源电器有限公司" in extracted and "1,200,000.00" in extracted
