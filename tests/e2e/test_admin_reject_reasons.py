"""Rejections in the admin take their reason from a required form field: the SQLAdmin "reject" action sends
the browser to a form; a blank reason or a cross-site post is refused; a query parameter is never the reason;
a role that may not decide is refused by the use case."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.campaigns import Campaign, CampaignStatus
from core.contracts import Contract, ContractStatus
from core.expenses import ClaimStatus, ExpenseClaim
from core.rebates import RebateSettlement, SettlementStatus
from core.users import Role
from tests.e2e.conftest import BASE_URL, Web, add_dealer
from tests.e2e.test_backoffice_admin import SAME_ORIGIN, MemoryFileStore, login_as, office  # noqa: F401


async def _rows(web: Web) -> tuple[int, int]:
    dealer_id = await add_dealer(web, "D0601", "嘉兴永兴电器")
    async with web.uow() as uow:
        campaign = await uow.campaigns.add(Campaign(code="CP-6", name="年货节", starts_on=date(2026, 11, 1),
                                                    ends_on=date(2026, 12, 31), budget=Decimal("3000.00"),
                                                    status=CampaignStatus.LAUNCHED, target_dealer_ids=[dealer_id]))
        contract = await uow.contracts.add(Contract(number="HT-20260101-0001", dealer_id=dealer_id,
                                                    starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                                    status=ContractStatus.ACTIVE))
        await uow.flush()
        claim = await uow.expense_claims.add(ExpenseClaim(number="FY-20261126-0002", dealer_id=dealer_id,
                                                          campaign_id=campaign.id, amount=Decimal("600.00"),
                                                          description="堆头", evidence=["b" * 64]))
        settlement = await uow.rebate_settlements.add(RebateSettlement(
            contract_id=contract.id, contract_number="HT-20260101-0001", dealer_id=dealer_id, period="2026-Q3",
            period_end=date(2026, 9, 30), achieved_amount=Decimal("120000.00"), achievement=Decimal("1.20"),
            rate=Decimal("0.02"), amount=Decimal("2400.00")))
        await uow.flush()
        await uow.commit()
        return claim.id, settlement.id


async def test_claim_and_settlement_rejected_with_the_typed_reason(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    claim_id, settlement_id = await _rows(web)
    await login_as(web, "boss.admin", Role.ADMIN)

    asked = await web.client.get(f"/admin/expense-claim/action/reject?pks={claim_id}&note=默认原因",
                                 headers={"referer": f"{BASE_URL}/admin/expense-claim/list"})
    form = await web.client.get(asked.headers["location"])
    blank = await web.client.post("/backoffice/decisions/claim/reject", headers=SAME_ORIGIN,
                                  data={"pks": str(claim_id), "reason": ""})
    cross_site = await web.client.post("/backoffice/decisions/claim/reject", headers={"Origin": "http://evil.test"},
                                       data={"pks": str(claim_id), "reason": "照片不清楚"})
    async with web.uow() as uow:
        untouched = await uow.expense_claims.get(claim_id)
    assert asked.status_code == 302 and form.status_code == 200 and "required" in form.text
    assert blank.status_code == 400 and cross_site.status_code == 403
    assert untouched.status == ClaimStatus.SUBMITTED

    claim_done = await web.client.post("/backoffice/decisions/claim/reject", headers=SAME_ORIGIN,
                                       data={"pks": str(claim_id), "reason": "照片不清楚"})
    settle_asked = await web.client.get(f"/admin/rebate-settlement/action/reject?pks={settlement_id}",
                                        headers={"referer": f"{BASE_URL}/admin/rebate-settlement/list"})
    settle_done = await web.client.post(settle_asked.headers["location"].split("?")[0], headers=SAME_ORIGIN,
                                        data={"pks": str(settlement_id), "reason": "销量数据待核实"})

    assert claim_done.status_code == 303 and settle_done.status_code == 303
    async with web.uow() as uow:
        claim = await uow.expense_claims.get(claim_id)
        settlement = await uow.rebate_settlements.get(settlement_id)
    assert (claim.status, claim.decision_note, claim.decided_by) == (ClaimStatus.REJECTED, "照片不清楚",
                                                                     "staff:boss.admin")
    assert (settlement.status, settlement.note) == (SettlementStatus.REJECTED, "销量数据待核实")


async def test_a_role_that_may_not_decide_is_refused(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    _, settlement_id = await _rows(web)
    await login_as(web, "sun.marketing", Role.MARKETING)

    refused = await web.client.post("/backoffice/decisions/settlement/reject", headers=SAME_ORIGIN,
                                    data={"pks": str(settlement_id), "reason": "不同意"})
    unknown = await web.client.get("/backoffice/decisions/nothing/reject?pks=1")

    assert refused.status_code == 403 and unknown.status_code == 404
    async with web.uow() as uow:
        assert (await uow.rebate_settlements.get(settlement_id)).status == SettlementStatus.PROPOSED
