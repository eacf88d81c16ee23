"""The back-office contract drafts over HTTP: staff create a contract from a template for a dealer code,
edit its body while it is a draft (stored, audited), send it (status sent, the dealer's owner notified);
a role without CONTRACT_WRITE is refused; editing a sent contract is refused with the domain message."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.contracts import ContractStatus, SalesTarget, TargetMetric
from core.services import contract_docs
from core.services import users as user_cases
from core.users import Role
from tests.e2e.conftest import SYSTEM, Web, add_dealer
from tests.e2e.test_backoffice_admin import SAME_ORIGIN, MemoryFileStore, login_as, office  # noqa: F401

BODY = "甲方与{dealer}签订年度经销合同，期限{period}。\n{targets}"


async def _template(web: Web) -> int:
    template = await contract_docs.save_template(web.uow(), SYSTEM, contract_docs.SaveTemplate(
        name="年度经销合同", body=BODY, term_months=12,
        targets=(SalesTarget("Y", TargetMetric.AMOUNT, Decimal("300000.00")),)), web.clock)
    assert template.id is not None
    return template.id


async def test_create_edit_and_send_a_draft(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    template_id = await _template(web)
    dealer_id = await add_dealer(web, "D0801", "温州瓯江电器")
    owner = await user_cases.create_dealer_user(web.uow(), SYSTEM, user_cases.CreateDealerUser(
        dealer_id=dealer_id, username="ou.owner", display_name="瓯老板", role=Role.DEALER_OWNER), web.clock)
    await login_as(web, "wang.channel", Role.CHANNEL_MANAGER)

    home = await web.client.get("/backoffice/")
    page = await web.client.get("/backoffice/contracts/new")
    unknown = await web.client.post("/backoffice/contracts/new", headers=SAME_ORIGIN,
                                    data={"template_id": str(template_id), "dealer_code": "D9999",
                                          "starts_on": "2027-01-01"})
    created = await web.client.post("/backoffice/contracts/new", headers=SAME_ORIGIN,
                                    data={"template_id": str(template_id), "dealer_code": "D0801",
                                          "starts_on": "2027-01-01"})

    assert "/backoffice/contracts/new" in home.text
    assert page.status_code == 200 and f"value='{template_id}'" in page.text and "年度经销合同" in page.text
    assert unknown.status_code == 404 and "D9999" in unknown.text
    assert created.status_code == 303, created.text
    async with web.uow() as uow:
        (contract,) = await uow.contracts.list()
    assert created.headers["location"] == f"/backoffice/contracts/{contract.id}/edit"
    assert (contract.dealer_id, contract.template_id, contract.status, contract.body) == (
        dealer_id, template_id, ContractStatus.DRAFT, BODY)
    assert (contract.starts_on, contract.ends_on) == (date(2027, 1, 1), date(2027, 12, 31))

    edit_page = await web.client.get(f"/backoffice/contracts/{contract.id}/edit")
    edited = await web.client.post(f"/backoffice/contracts/{contract.id}/edit", headers=SAME_ORIGIN,
                                   data={"body": "补充条款：{dealer} 每季度报送库存。"})
    assert edit_page.status_code == 200 and "name='body'" in edit_page.text and "{period}" in edit_page.text
    assert edited.status_code == 303, edited.text
    async with web.uow() as uow:
        stored = await uow.contracts.get(contract.id)
        audit = await uow.audit.list(action="contract.edit_body")
    assert stored is not None and stored.body == "补充条款：{dealer} 每季度报送库存。"
    assert len(audit) == 1 and audit[0].actor == "staff:wang.channel"
    assert audit[0].entity_id == contract.number and audit[0].after == {"body": "补充条款：{dealer} 每季度报送库存。"}

    sent = await web.client.post(f"/backoffice/contracts/{contract.id}/send", headers=SAME_ORIGIN)
    assert sent.status_code == 200 and contract.number in sent.text
    async with web.uow() as uow:
        stored = await uow.contracts.get(contract.id)
        notices = await uow.outbox.list(kind="contract.sent")
    assert stored is not None and stored.status == ContractStatus.SENT
    assert [n.user_id for n in notices] == [owner.id]

    refused = await web.client.post(f"/backoffice/contracts/{contract.id}/edit", headers=SAME_ORIGIN,
                                    data={"body": "改稿"})
    assert refused.status_code == 400 and "合同当前状态" in refused.text and "不能执行" in refused.text
    async with web.uow() as uow:
        stored = await uow.contracts.get(contract.id)
    assert stored is not None and stored.body == "补充条款：{dealer} 每季度报送库存。"


async def test_a_role_without_contract_write_is_refused(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    template_id = await _template(web)
    await add_dealer(web, "D0802", "台州椒江电器")
    await login_as(web, "sun.marketing", Role.MARKETING)          # runs campaigns, may not write contracts

    page = await web.client.get("/backoffice/contracts/new")
    created = await web.client.post("/backoffice/contracts/new", headers=SAME_ORIGIN,
                                    data={"template_id": str(template_id), "dealer_code": "D0802",
                                          "starts_on": "2027-01-01"})
    sent = await web.client.post("/backoffice/contracts/1/send", headers=SAME_ORIGIN)

    assert page.status_code == 403 and created.status_code == 403 and sent.status_code == 403
    async with web.uow() as uow:
        assert await uow.contracts.count() == 0
