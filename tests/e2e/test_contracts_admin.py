"""The admin's contract screens over HTTP: lists render, a template is created through the use case,
an expense claim is approved by a list action (budget, ledger, audit), finance closes a dispute task."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.campaigns import Campaign, CampaignParticipation, CampaignStatus
from core.expenses import ClaimStatus, ExpenseClaim, StaffTask, TaskStatus
from core.users import Role
from tests.e2e.conftest import BASE_URL, Web, add_dealer, add_staff
from tests.e2e.test_admin_web import SAME_ORIGIN, login


async def test_contract_screens_template_claim_and_task(web_any: Web) -> None:
    await add_staff(web_any, "wang.admin", Role.ADMIN)
    dealer_id = await add_dealer(web_any, "D0009", "杭州绿源电器有限公司")
    async with web_any.uow() as uow:
        campaign = await uow.campaigns.add(Campaign(code="CP-9", name="双十二", starts_on=date(2026, 11, 1),
                                                    ends_on=date(2026, 12, 31), budget=Decimal("5000.00"),
                                                    status=CampaignStatus.LAUNCHED, target_dealer_ids=[dealer_id]))
        await uow.flush()
        await uow.participations.add(CampaignParticipation(campaign_id=campaign.id, dealer_id=dealer_id))
        claim = await uow.expense_claims.add(ExpenseClaim(number="FY-20261126-0001", dealer_id=dealer_id,
                                                          campaign_id=campaign.id, amount=Decimal("800.00"),
                                                          description="物料", evidence=["a" * 64]))
        task = await uow.staff_tasks.add(StaffTask(kind="statement.dispute", team="finance", title="对账异议",
                                                   detail="少记回款", dealer_id=dealer_id, ref=f"{dealer_id}:2026-10"))
        await uow.flush()
        await uow.commit()
        campaign_id, claim_id, task_id = campaign.id, claim.id, task.id
    await login(web_any, "wang.admin")
    for identity in ("contract", "contract-template", "contract-signature", "rebate-settlement", "expense-claim",
                     "staff-task"):
        assert (await web_any.client.get(f"/admin/{identity}/list")).status_code == 200, identity

    created = await web_any.client.post("/admin/contract-template/create", headers=SAME_ORIGIN, data={
        "name": "年度合同", "body": "乙方：{dealer}\n{targets}", "term_months": "12", "marketing_duties": '["陈列"]',
        "active": "y", "save": "Save"})
    assert created.status_code == 302, created.text
    bad = await web_any.client.post("/admin/contract-template/create", headers=SAME_ORIGIN, data={
        "name": "坏模板", "body": "乙方：{dealr}", "term_months": "12", "marketing_duties": "[]", "save": "Save"})
    assert bad.status_code == 400 and "dealr" in bad.text

    referer = {"referer": f"{BASE_URL}/admin/expense-claim/list"}
    approved = await web_any.client.get(f"/admin/expense-claim/action/approve?pks={claim_id}", headers=referer)
    assert approved.status_code == 302, approved.text
    asked = await web_any.client.get(f"/admin/staff-task/action/close?pks={task_id}&note=ignored",
                                     headers={"referer": f"{BASE_URL}/admin/staff-task/list"})
    assert asked.status_code == 302 and asked.headers["location"] == f"/backoffice/decisions/task/reject?pks={task_id}"
    form = await web_any.client.get(asked.headers["location"])
    assert form.status_code == 200 and "name='reason' required" in form.text
    async with web_any.uow() as uow:
        assert (await uow.staff_tasks.get(task_id)).status == TaskStatus.OPEN     # asking closes nothing
    blank = await web_any.client.post("/backoffice/decisions/task/reject", headers=SAME_ORIGIN,
                                      data={"pks": str(task_id), "reason": "  "})
    assert blank.status_code == 400
    closed = await web_any.client.post("/backoffice/decisions/task/reject", headers=SAME_ORIGIN,
                                       data={"pks": str(task_id), "reason": "已补记"})
    assert closed.status_code == 303 and closed.headers["location"] == "/admin/staff-task/list", closed.text
    async with web_any.uow() as uow:
        templates = await uow.contract_templates.list()
        claim = await uow.expense_claims.get(claim_id)
        campaign = await uow.campaigns.get(campaign_id)
        entries = await uow.ledger.list(ref="FY-20261126-0001")
        task = await uow.staff_tasks.get(task_id)
        audit = [a.action for a in await uow.audit.list()]
    assert [t.name for t in templates] == ["年度合同"] and templates[0].marketing_duties == ["陈列"]
    assert claim.status == ClaimStatus.APPROVED and campaign.spent == Decimal("800.00")
    assert [(e.account.value, e.amount) for e in entries] == [("prepayment", Decimal("800.00"))]
    assert (task.status, task.resolution, task.closed_by) == (TaskStatus.DONE, "已补记", "staff:wang.admin")
    assert {"contract_template.save", "expense.approve", "campaign.spend", "task.close"} <= set(audit)
