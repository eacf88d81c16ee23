"""Orders over the API: list filters and paging, detail, status changes through the order use cases."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from core.clock import SHANGHAI
from core.orders import OrderStatus
from tests.e2e.conftest import (
    Web,
    add_dealer,
    add_order,
    add_product,
    add_warehouse,
    api_key,
    bearer,
)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=SHANGHAI)


async def _orders(web: Web) -> tuple[int, int]:
    d1 = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    d2 = await add_dealer(web, "D0002", "广州金鼎家电有限公司", region="华南", province="广东", city="广州")
    await add_order(web, "SO-20261120-0001", d1, [("AP300", 2, "1999.00"), ("FL10", 10, "89.90")],
                    created_at=at(20), requested_delivery=date(2026, 12, 1))
    await add_order(web, "SO-20261122-0001", d2, [("AP300", 1, "1899.50")], created_at=at(22),
                    status=OrderStatus.APPROVED)
    await add_order(web, "SO-20261124-0001", d1, [("DH20", 3, "1299.00")], created_at=at(24),
                    status=OrderStatus.SHIPPED)
    await add_order(web, "SO-20261125-0001", d2, [("FL10", 20, "89.90")], created_at=at(25, 23))
    return d1, d2


async def test_order_shape_money_as_strings(web: Web) -> None:
    await _orders(web)
    key = await api_key(web, "orders:read")
    response = await web.client.get("/api/v1/orders/SO-20261120-0001", headers=bearer(key))
    assert response.status_code == 200
    order = response.json()
    assert order["number"] == "SO-20261120-0001"
    assert order["dealer"] == "D0001"
    assert order["status"] == "submitted"
    assert order["total"] == "4897.00"
    assert order["requested_delivery"] == "2026-12-01"
    assert [(ln["sku"], ln["qty"], ln["unit_price"]) for ln in order["lines"]] == [
        ("AP300", 2, "1999.00"), ("FL10", 10, "89.90")]
    assert datetime.fromisoformat(order["created_at"]) == at(20)
    assert not any(isinstance(v, float) for v in order.values())


async def test_list_filters_and_paging(web_any: Web) -> None:
    await _orders(web_any)
    key = await api_key(web_any, "orders:read")

    async def numbers(**params: object) -> list[str]:
        response = await web_any.client.get("/api/v1/orders", params=params, headers=bearer(key))
        assert response.status_code == 200, response.text
        return [o["number"] for o in response.json()["items"]]

    assert await numbers() == ["SO-20261125-0001", "SO-20261124-0001", "SO-20261122-0001", "SO-20261120-0001"]
    assert await numbers(dealer="D0001") == ["SO-20261124-0001", "SO-20261120-0001"]
    assert await numbers(status="submitted") == ["SO-20261125-0001", "SO-20261120-0001"]
    assert await numbers(status="approved,shipped") == ["SO-20261124-0001", "SO-20261122-0001"]
    assert await numbers(dealer="D0002", status="submitted") == ["SO-20261125-0001"]
    assert await numbers(since="2026-11-22", until="2026-11-24") == ["SO-20261124-0001", "SO-20261122-0001"]
    # a date for until includes that whole business day (23:00 Shanghai on the 25th)
    assert await numbers(since="2026-11-25") == ["SO-20261125-0001"]
    assert await numbers(until="2026-11-25T12:00:00+08:00") == [
        "SO-20261124-0001", "SO-20261122-0001", "SO-20261120-0001"]
    assert await numbers(dealer="D9999") == []

    page = await web_any.client.get("/api/v1/orders", params={"limit": 2, "offset": 1}, headers=bearer(key))
    assert page.json()["total"] == 4 and page.json()["limit"] == 2 and page.json()["offset"] == 1
    assert [o["number"] for o in page.json()["items"]] == ["SO-20261124-0001", "SO-20261122-0001"]


async def test_bad_filters_are_422(web: Web) -> None:
    key = await api_key(web, "orders:read")
    bad_status = await web.client.get("/api/v1/orders", params={"status": "lost"}, headers=bearer(key))
    assert bad_status.status_code == 422
    assert bad_status.json()["error"] == "validation_failed" and "lost" in bad_status.json()["message"]
    bad_date = await web.client.get("/api/v1/orders", params={"since": "yesterday"}, headers=bearer(key))
    assert bad_date.status_code == 422
    too_many = await web.client.get("/api/v1/orders", params={"limit": 201}, headers=bearer(key))
    assert too_many.status_code == 422 and too_many.json()["error"] == "validation_failed"


async def test_status_changes_happy_path(web_any: Web) -> None:
    dealer = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    await add_product(web_any, "AP300", "空气净化器 AP300", "1999.00")
    await add_warehouse(web_any, "WH-SH", {"AP300": 10})
    await add_order(web_any, "SO-20261126-0001", dealer, [("AP300", 2, "1999.00")])
    key = await api_key(web_any, "orders:read", "orders:write", name="erp")
    url = "/api/v1/orders/SO-20261126-0001/status"

    unfunded = await web_any.client.post(url, json={"action": "approve"}, headers=bearer(key))
    assert unfunded.status_code == 422 and unfunded.json()["error"] == "over_credit_limit"   # never silently
    approved = await web_any.client.post(url, json={"action": "approve", "over_limit": True}, headers=bearer(key))
    assert approved.status_code == 200, approved.text
    assert approved.json()["status"] == "approved"

    allocated = await web_any.client.post(url, json={"action": "allocate"}, headers=bearer(key))
    assert allocated.json()["status"] == "allocated"
    async with web_any.uow() as uow:
        row = await uow.stock.get_by(sku="AP300")
        assert row is not None and (row.on_hand, row.reserved) == (10, 2)

    shipped = await web_any.client.post(url, json={"action": "ship", "carrier": "顺丰", "tracking_no": "SF1234567890"},
                                        headers=bearer(key))
    assert shipped.status_code == 200
    assert (shipped.json()["status"], shipped.json()["carrier"], shipped.json()["tracking_no"]) == (
        "shipped", "顺丰", "SF1234567890")

    async with web_any.uow() as uow:
        order = await uow.orders.get_by(number="SO-20261126-0001")
        row = await uow.stock.get_by(sku="AP300")
        audit = await uow.audit.list(entity="order", entity_id="SO-20261126-0001", order_by="id")
    assert order is not None and order.status == OrderStatus.SHIPPED
    assert row is not None and (row.on_hand, row.reserved) == (8, 0)
    assert [a.action for a in audit] == ["order.approve", "order.allocate", "order.ship"]
    assert all(a.actor == "staff:api:erp" for a in audit)


async def test_invalid_transition_is_409_in_both_languages(web_any: Web) -> None:
    dealer = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    await add_order(web_any, "SO-20261126-0001", dealer, [("AP300", 1, "1999.00")], status=OrderStatus.SHIPPED)
    key = await api_key(web_any, "orders:write")
    url = "/api/v1/orders/SO-20261126-0001/status"

    response = await web_any.client.post(url, json={"action": "cancel", "reason": "客户不要了"}, headers=bearer(key))
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "invalid_transition"
    assert "已发货" in body["message"]
    assert "shipped" in body["message_en"]

    english = await web_any.client.post(url, json={"action": "approve"},
                                        headers=bearer(key, **{"Accept-Language": "en-US,en;q=0.9,zh;q=0.5"}))
    assert english.status_code == 409
    assert english.json()["message"] == english.json()["message_en"]
    async with web_any.uow() as uow:
        order = await uow.orders.get_by(number="SO-20261126-0001")
    assert order is not None and order.status == OrderStatus.SHIPPED


async def test_status_change_validation(web: Web) -> None:
    dealer = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    await add_order(web, "SO-20261126-0001", dealer, [("AP300", 1, "1999.00")])
    key = await api_key(web, "orders:write")
    url = "/api/v1/orders/SO-20261126-0001/status"
    unknown = await web.client.post(url, json={"action": "teleport"}, headers=bearer(key))
    assert unknown.status_code == 422
    no_reason = await web.client.post(url, json={"action": "reject"}, headers=bearer(key))
    assert no_reason.status_code == 422 and no_reason.json()["error"] == "validation_failed"
    missing = await web.client.post("/api/v1/orders/SO-20990101-0001/status", json={"action": "approve"},
                                    headers=bearer(key))
    assert missing.status_code == 404
    rejected = await web.client.post(url, json={"action": "reject", "reason": "价格有误"}, headers=bearer(key))
    assert rejected.json()["status"] == "rejected" and rejected.json()["reject_reason"] == "价格有误"


async def test_dealer_bound_key_acts_as_its_dealer(web_any: Web) -> None:
    own = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    other = await add_dealer(web_any, "D0002", "南京宏达商贸有限公司")
    await add_order(web_any, "SO-20261126-0001", own, [("AP300", 1, "1999.00")])
    await add_order(web_any, "SO-20261126-0002", other, [("AP300", 1, "1999.00")])
    key = await api_key(web_any, "orders:write", dealer_id=own, name="dealer-erp")

    approve = await web_any.client.post("/api/v1/orders/SO-20261126-0001/status", json={"action": "approve"},
                                        headers=bearer(key))
    assert approve.status_code == 403
    foreign = await web_any.client.post("/api/v1/orders/SO-20261126-0002/status",
                                        json={"action": "cancel"}, headers=bearer(key))
    assert foreign.status_code == 404
    cancel = await web_any.client.post("/api/v1/orders/SO-20261126-0001/status",
                                       json={"action": "cancel", "reason": "下错了"}, headers=bearer(key))
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    async with web_any.uow() as uow:
        other_order = await uow.orders.get_by(number="SO-20261126-0002")
    assert other_order is not None and other_order.status == OrderStatus.SUBMITTED
    assert other_order.total == Decimal("1999.00")
