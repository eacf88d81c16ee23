"""Credit limit changes in the back office over HTTP, SQLite and PostgreSQL (issue 14): a channel manager asks
for temporary credit, finance approves it (the dealer's effective limit rises, audited, the dealer's user has a
message waiting); finance's own limit request cannot be decided by finance itself, management rejects it only
with a reason; a role without credit permissions is refused the page."""

from __future__ import annotations

from decimal import Decimal

from core.credit import CreditChangeKind, CreditChangeStatus
from core.users import Role, User
from tests.e2e.conftest import Web, add_dealer, add_staff
from tests.e2e.test_admin_web import SAME_ORIGIN, login


async def _decide(web: Web, change_id: int, approve: bool, note: str = "") -> object:
    return await web.client.post(f"/backoffice/credit/{change_id}/decide", headers=SAME_ORIGIN,
                                 data={"approve": "1" if approve else "0", "note": note})


async def test_request_and_decide_credit_in_the_back_office(web_any: Web) -> None:
    for username, role in (("zhou.cm", Role.CHANNEL_MANAGER), ("wu.finance", Role.FINANCE),
                           ("zhao.mgmt", Role.MANAGEMENT), ("sun.desk", Role.ORDER_DESK)):
        await add_staff(web_any, username, role)
    dealer_id = await add_dealer(web_any, "D0041", "杭州绿源电器有限公司")
    async with web_any.uow() as uow:
        dealer = await uow.dealers.get(dealer_id)
        dealer.credit_limit = Decimal("100000.00")
        owner = await uow.users.add(User(username="d0041.owner", display_name="李总", role=Role.DEALER_OWNER,
                                         dealer_id=dealer_id))
        await uow.flush()
        await uow.commit()
        owner_id = owner.id

    await login(web_any, "zhou.cm")
    asked = await web_any.client.post("/backoffice/credit/request", headers=SAME_ORIGIN, data={
        "dealer": "d0041", "kind": "temporary", "amount": "50,000", "until": "2026-12-31", "reason": "双十二备货"})
    assert asked.status_code == 303 and asked.headers["location"].startswith("/backoffice/credit?dealer=D0041")
    page = await web_any.client.get(asked.headers["location"])
    assert "CR-20261126-0001" in page.text and "双十二备货" in page.text and "由其他审批人处理" in page.text
    async with web_any.uow() as uow:
        [change] = await uow.credit_changes.list()
    assert (change.kind, change.amount, change.requested_by) == (
        CreditChangeKind.TEMPORARY, Decimal("50000.00"), "staff:zhou.cm")

    await login(web_any, "wu.finance")
    listing = await web_any.client.get("/backoffice/credit")
    assert f"/backoffice/credit/{change.id}/decide" in listing.text
    assert (await _decide(web_any, change.id, True, "同意")).status_code == 303
    dealer_page = await web_any.client.get("/backoffice/credit?dealer=D0041")
    assert "当前可用额度 effective ¥150,000.00" in dealer_page.text and "已批准 approved" in dealer_page.text
    async with web_any.uow() as uow:
        dealer = await uow.dealers.get(dealer_id)
        told = await uow.outbox.list(user_id=owner_id, kind="credit.temporary_approved")
        audit = [a for a in await uow.audit.list() if a.action == "dealer.credit"]
    assert (dealer.credit_limit, dealer.temporary_credit, str(dealer.temporary_credit_until)) == (
        Decimal("100000.00"), Decimal("50000.00"), "2026-12-31")
    assert len(told) == 1 and audit[0].actor == "staff:wu.finance"

    own = await web_any.client.post("/backoffice/credit/request", headers=SAME_ORIGIN, data={
        "dealer": "D0041", "kind": "limit", "amount": "300000", "reason": "年度评级上调"})
    assert own.status_code == 303
    async with web_any.uow() as uow:
        mine = await uow.credit_changes.get_by(kind=CreditChangeKind.LIMIT)
    refused = await _decide(web_any, mine.id, True)
    assert refused.status_code == 403 and "不能审批自己提交的额度申请" in refused.text

    await login(web_any, "zhao.mgmt")
    blank = await _decide(web_any, mine.id, False, "  ")
    assert blank.status_code == 400 and "驳回需要说明原因" in blank.text
    assert (await _decide(web_any, mine.id, False, "回款周期偏长")).status_code == 303
    async with web_any.uow() as uow:
        assert (await uow.credit_changes.get(mine.id)).status == CreditChangeStatus.REJECTED
        assert (await uow.dealers.get(dealer_id)).credit_limit == Decimal("100000.00")

    await login(web_any, "sun.desk")
    assert (await web_any.client.get("/backoffice/credit")).status_code == 403


async def test_the_dealer_page_links_to_the_credit_page(web_any: Web) -> None:
    await add_staff(web_any, "zhou.cm", Role.CHANNEL_MANAGER)
    dealer_id = await add_dealer(web_any, "D0042", "宁波海信达电器有限公司")
    await login(web_any, "zhou.cm")
    details = await web_any.client.get(f"/admin/dealer/details/{dealer_id}")
    assert details.status_code == 200 and "/backoffice/credit?dealer=D0042" in details.text
    form = await web_any.client.get(f"/admin/dealer/edit/{dealer_id}")
    assert "/backoffice/credit" in form.text
