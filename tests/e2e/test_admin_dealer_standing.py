"""The admin dealer form over HTTP: the parent dealer (一级经销商) by code and suspension with a reason,
through core.services.dealers.set_standing, audited; what the form refuses it shows in both languages."""

from __future__ import annotations

import re

import httpx
import pytest

from core.dealers import DealerStatus
from core.errors import DealerNotActive
from core.services import orders as order_cases
from core.users import Role
from tests.e2e.conftest import ADMIN_PASSWORD, BASE_URL, Web, add_dealer, add_product, add_staff
from tests.factories import dealer_user

SAME_ORIGIN = {"Origin": BASE_URL}


async def _form(web: Web, dealer: int) -> dict[str, str]:
    page = await web.client.get(f"/admin/dealer/edit/{dealer}")
    assert page.status_code == 200
    values = dict(re.findall(r'name="([a-z_]+)"[^>]*value="([^"]*)"', page.text))
    return {k: values.get(k, "") for k in ("code", "name", "uscc", "province", "city", "region", "tier",
                                            "credit_limit", "parent_code")}


async def _save(web: Web, dealer: int, **changes: str) -> httpx.Response:
    data = {**await _form(web, dealer), "standing": "", "standing_reason": "", **changes, "save": "Save"}
    return await web.client.post(f"/admin/dealer/edit/{dealer}", headers=SAME_ORIGIN, data=data)


async def test_admin_sets_the_parent_and_suspends_a_dealer(web: Web) -> None:
    await add_staff(web, "zhang.admin", Role.ADMIN)
    parent = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    sub = await add_dealer(web, "D0002", "宁波华信电器商行")
    login = await web.client.post("/admin/login", data={"username": "zhang.admin", "password": ADMIN_PASSWORD},
                                  headers=SAME_ORIGIN)
    assert login.status_code == 302

    page = await web.client.get(f"/admin/dealer/edit/{sub}")
    assert "上级经销商编码 Parent dealer code" in page.text and "暂停原因 Reason" in page.text

    for code, text in (("D0002", "不能是自己"), ("D9999", "未找到经销商")):
        refused = await _save(web, sub, parent_code=code)
        assert refused.status_code == 400 and text in refused.text, code
    assert (await _save(web, sub, parent_code="d0001")).status_code == 302
    assert (await _form(web, sub))["parent_code"] == "D0001"        # the form shows it back
    cycle = await _save(web, parent, parent_code="D0002")
    assert cycle.status_code == 400 and "循环" in cycle.text and "cycle" in cycle.text

    no_reason = await _save(web, sub, standing="suspended")
    assert no_reason.status_code == 400 and "原因" in no_reason.text
    assert (await _save(web, sub, standing="suspended", standing_reason="回款逾期")).status_code == 302

    async with web.uow() as uow:
        stored = await uow.dealers.get(sub)
        top = await uow.dealers.get(parent)
        moves = await uow.audit.list(entity="dealer", entity_id="D0002")
    assert stored is not None and top is not None
    assert (stored.parent_id, stored.status, stored.status_reason) == (parent, DealerStatus.SUSPENDED, "回款逾期")
    assert top.parent_id is None
    assert [(e.action, e.actor) for e in moves if e.action != "dealer.create"] == [
        ("dealer.set_parent", "staff:zhang.admin"), ("dealer.suspend", "staff:zhang.admin")]

    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    with pytest.raises(DealerNotActive):
        await order_cases.submit_order(web.uow(), dealer_user(sub), order_cases.SubmitOrder(
            dealer_id=sub, items=[("AP300", 1)]), web.clock)


async def test_staff_without_write_cannot_post_the_form(web: Web) -> None:
    await add_staff(web, "desk", Role.ORDER_DESK)
    parent = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    sub = await add_dealer(web, "D0002", "宁波华信电器商行")
    await web.client.post("/admin/login", data={"username": "desk", "password": ADMIN_PASSWORD}, headers=SAME_ORIGIN)
    response = await web.client.post(f"/admin/dealer/edit/{sub}", headers=SAME_ORIGIN, data={
        "parent_code": "D0001", "standing": "suspended", "standing_reason": "x", "save": "Save"})
    assert response.status_code == 403
    async with web.uow() as uow:
        stored = await uow.dealers.get(sub)
    assert stored is not None and stored.parent_id is None and stored.status == DealerStatus.ACTIVE
    assert parent


async def test_admin_sets_a_parents_rules_over_its_sub_dealers(web: Web) -> None:
    """Issue 16: what the parent's contract says, in its dealer form: it sees its sub-dealers' money accounts, and
    their new orders wait for its approval; both off by default, each change audited."""
    await add_staff(web, "zhang.admin", Role.ADMIN)
    parent = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    login = await web.client.post("/admin/login", data={"username": "zhang.admin", "password": ADMIN_PASSWORD},
                                  headers=SAME_ORIGIN)
    assert login.status_code == 302
    page = await web.client.get(f"/admin/dealer/edit/{parent}")
    assert "可查看下级资金账户" in page.text and "审批下级订单" in page.text
    async with web.uow() as uow:
        before = await uow.dealers.get(parent)
    assert before is not None and not before.sub_accounts_visible and not before.approves_sub_orders
    assert (await _save(web, parent, approves_sub_orders="y")).status_code == 302
    async with web.uow() as uow:
        stored = await uow.dealers.get(parent)
        lines = await uow.audit.list(entity="dealer", entity_id="D0001", action="dealer.set_sub_rules")
    assert stored is not None and stored.approves_sub_orders and not stored.sub_accounts_visible
    assert [line.after for line in lines] == [{"approves_sub_orders": True}]
    assert (await _save(web, parent)).status_code == 302       # unticked: off again
    async with web.uow() as uow:
        stored = await uow.dealers.get(parent)
    assert stored is not None and not stored.approves_sub_orders
