"""The admin's home page (/admin/): the queues of the logged-in person's role, with what waits in them."""

from __future__ import annotations

import re

import pytest

from core.users import Role
from tests.e2e.conftest import BASE_URL, Web, add_dealer, add_order, add_product, add_staff

SAME_ORIGIN = {"Origin": BASE_URL}
ROW = re.compile(r'<tr data-queue="(\w+)">.*?class="dms-total">(\d+)<', re.S)


async def home(web: Web, username: str) -> tuple[dict[str, int], str]:
    response = await web.client.post("/admin/login", data={"username": username, "password": "pw-123456"},
                                     headers=SAME_ORIGIN, follow_redirects=True)
    assert response.status_code == 200
    page = await web.client.get("/admin/")
    assert page.status_code == 200
    return {q: int(n) for q, n in ROW.findall(page.text)}, page.text


@pytest.mark.parametrize(("role", "sees", "not_sees"), [
    (Role.ORDER_DESK, {"approve", "allocate", "ship"}, {"tickets", "bank", "applications"}),
    (Role.FINANCE, {"bank", "refunds", "disputes"}, {"approve", "tickets"}),
    (Role.AFTER_SALES, {"tickets"}, {"approve", "bank"}),
])
async def test_each_role_sees_its_own_queues(web: Web, role: Role, sees: set[str], not_sees: set[str]) -> None:
    await add_staff(web, "someone", role, password="pw-123456")
    queues, _ = await home(web, "someone")
    assert sees <= set(queues), queues
    assert not (not_sees & set(queues)), queues


async def test_an_order_to_approve_is_counted_named_and_linked(web: Web) -> None:
    dealer = await add_dealer(web, "D100", "合肥新锐电器")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_order(web, "SO-20260301-001", dealer, [("AP300", 20, "1999.00")])
    await add_staff(web, "desk", Role.ORDER_DESK, password="pw-123456")
    queues, text = await home(web, "desk")
    assert queues["approve"] == 1
    assert "SO-20260301-001" in text and "D100" in text
    assert 'href="/backoffice/queues/approve"' in text
    assert "目前没有待办事项" not in text


async def test_nothing_waiting_is_said(web: Web) -> None:
    await add_staff(web, "aftersales", Role.AFTER_SALES, password="pw-123456")
    queues, text = await home(web, "aftersales")
    assert queues and set(queues.values()) == {0}
    assert "Nothing is waiting for you" in text


async def test_not_logged_in_goes_to_the_login_page(web: Web) -> None:
    response = await web.client.get("/admin/")
    assert response.status_code in (302, 303) and "/admin/login" in response.headers["location"]
