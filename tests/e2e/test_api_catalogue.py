"""Products, dealers and stock over the API; the OpenAPI document."""

from __future__ import annotations

from decimal import Decimal

from core.dealers import Contact, DealerStatus
from core.services import dealers as dealer_cases
from core.uscc import make_uscc
from tests.e2e.conftest import SYSTEM, Web, add_dealer, add_product, add_warehouse, api_key, bearer

AP300 = {"name": "空气净化器 AP300", "category": "净化器", "unit": "台", "list_price": "1999.00",
         "aliases": ["AP300", "净化器300"], "moq": 2}


async def test_put_then_get_product(web_any: Web) -> None:
    key = await api_key(web_any, "products:read", "products:write", name="erp")
    created = await web_any.client.put("/api/v1/products/AP300", json=AP300, headers=bearer(key))
    assert created.status_code == 200, created.text
    assert created.json() == {"sku": "AP300", "name": "空气净化器 AP300", "category": "净化器", "unit": "台",
                              "list_price": "1999.00", "aliases": ["AP300", "净化器300"], "pack_size": 1,
                              "moq": 2, "active": True, "max_line_qty": None, "line_limit": 1000}

    fetched = await web_any.client.get("/api/v1/products/AP300", headers=bearer(key))
    assert fetched.json() == created.json()

    # a JSON number with 1 decimal is accepted as the decimal it spells; the answer is a string
    updated = await web_any.client.put("/api/v1/products/AP300", json={**AP300, "list_price": 1899.5},
                                       headers=bearer(key))
    assert updated.json()["list_price"] == "1899.50"
    async with web_any.uow() as uow:
        product = await uow.products.get_by(sku="AP300")
        audit = await uow.audit.list(entity="product", order_by="id")
    assert product is not None and product.list_price == Decimal("1899.50")
    assert len(audit) == 2 and all(a.actor == "api:erp" for a in audit)

    # the same data again changes nothing and writes no audit entry
    again = await web_any.client.put("/api/v1/products/AP300", json={**AP300, "list_price": "1899.50"},
                                     headers=bearer(key))
    assert again.status_code == 200
    async with web_any.uow() as uow:
        assert await uow.audit.count(entity="product") == 2


async def test_put_product_with_its_own_line_limit(web: Web) -> None:
    key = await api_key(web, "products:read", "products:write")
    own = await web.client.put("/api/v1/products/AP300", json={**AP300, "max_line_qty": 200}, headers=bearer(key))
    assert own.status_code == 200, own.text
    assert (own.json()["max_line_qty"], own.json()["line_limit"]) == (200, 200)
    for bad in (0, 100_000, "200", True):
        refused = await web.client.put("/api/v1/products/AP300", json={**AP300, "max_line_qty": bad},
                                       headers=bearer(key))
        assert refused.status_code == 422, bad
    below_moq = await web.client.put("/api/v1/products/AP300", json={**AP300, "max_line_qty": 1},
                                     headers=bearer(key))
    assert below_moq.status_code == 422 and "MOQ" in below_moq.json()["message_en"]
    default = await web.client.put("/api/v1/products/AP300", json=AP300, headers=bearer(key))
    assert (default.json()["max_line_qty"], default.json()["line_limit"]) == (None, 1000)


async def test_put_product_validation(web: Web) -> None:
    key = await api_key(web, "products:write")
    too_precise = await web.client.put("/api/v1/products/AP300", json={**AP300, "list_price": "19.999"},
                                       headers=bearer(key))
    assert too_precise.status_code == 422 and too_precise.json()["error"] == "validation_failed"
    missing = await web.client.put("/api/v1/products/AP300", json={"name": "x"}, headers=bearer(key))
    assert missing.status_code == 422
    assert (await web.client.get("/api/v1/products/AP300", headers=bearer(await api_key(
        web, "products:read")))).status_code == 404


async def test_product_list_filters_and_pagination_envelope(web: Web) -> None:
    for n in range(1, 8):
        await add_product(web, f"FL{n:02d}", f"滤网 {n} 号", "89.90", category="耗材")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_product(web, "AP100", "空气净化器 AP100", "999.00", active=False)
    key = await api_key(web, "products:read")

    first = await web.client.get("/api/v1/products", params={"limit": 3}, headers=bearer(key))
    assert first.status_code == 200
    body = first.json()
    assert set(body) == {"items", "total", "limit", "offset"}
    assert (body["total"], body["limit"], body["offset"]) == (9, 3, 0)
    assert [p["sku"] for p in body["items"]] == ["AP100", "AP300", "FL01"]
    last = await web.client.get("/api/v1/products", params={"limit": 3, "offset": 8}, headers=bearer(key))
    assert [p["sku"] for p in last.json()["items"]] == ["FL07"]

    async def skus(**params: object) -> list[str]:
        response = await web.client.get("/api/v1/products", params={"limit": 200, **params}, headers=bearer(key))
        return [p["sku"] for p in response.json()["items"]]

    assert await skus(category="净化器") == ["AP100", "AP300"]
    assert await skus(category="净化器", active="true") == ["AP300"]
    assert await skus(active="false") == ["AP100"]
    assert await skus(q="净化器") == ["AP100", "AP300"]
    assert await skus(q="fl0", limit=2) == ["FL01", "FL02"]
    q_page = await web.client.get("/api/v1/products", params={"q": "fl0", "limit": 2}, headers=bearer(key))
    assert q_page.json()["total"] == 7


async def test_dealers_without_personal_data(web_any: Web) -> None:
    parent = await add_dealer(web_any, "D0001", "上海华信电器有限公司", province="上海", city="上海", tier="A")
    await dealer_cases.update_dealer(web_any.uow(), SYSTEM, dealer_cases.UpdateDealer(
        dealer_id=parent, contacts=(Contact(name="王老板", phone="13800138000", role="老板"),)), web_any.clock)
    child = await dealer_cases.create_dealer(web_any.uow(), SYSTEM, dealer_cases.CreateDealer(
        code="D0002", name="嘉兴分销商行", uscc=make_uscc("00009007"), province="浙江",
        city="嘉兴", region="华东", tier="C", parent_id=parent), web_any.clock)
    await add_dealer(web_any, "D0003", "广州金鼎家电有限公司", region="华南", province="广东", city="广州",
                     status=DealerStatus.SUSPENDED)
    key = await api_key(web_any, "dealers:read")

    one = await web_any.client.get("/api/v1/dealers/D0001", headers=bearer(key))
    assert one.json() == {"code": "D0001", "name": "上海华信电器有限公司", "tier": "A", "region": "华东",
                          "province": "上海", "city": "上海", "status": "active", "parent": None}
    assert "13800138000" not in one.text and "王老板" not in one.text

    async def codes(**params: object) -> list[str]:
        response = await web_any.client.get("/api/v1/dealers", params=params, headers=bearer(key))
        assert response.status_code == 200, response.text
        return [d["code"] for d in response.json()["items"]]

    assert await codes() == ["D0001", "D0002", "D0003"]
    assert await codes(region="华南") == ["D0003"]
    assert await codes(tier="C") == ["D0002"]
    assert await codes(status="suspended") == ["D0003"]
    assert await codes(q="金鼎") == ["D0003"]
    assert await codes(q="d000", limit=2) == ["D0001", "D0002"]
    sub = await web_any.client.get(f"/api/v1/dealers/{child.code}", headers=bearer(key))
    assert sub.json()["parent"] == "D0001"
    assert (await web_any.client.get("/api/v1/dealers", params={"status": "lost"},
                                     headers=bearer(key))).status_code == 422


async def test_stock_list_and_set(web_any: Web) -> None:
    await add_product(web_any, "AP300", "空气净化器 AP300", "1999.00")
    await add_product(web_any, "FL10", "滤网", "89.90")
    await add_warehouse(web_any, "WH-SH", {"AP300": 10, "FL10": 200})
    await add_warehouse(web_any, "WH-TJ", {"AP300": 4})
    key = await api_key(web_any, "stock:read", "stock:write", name="wms")

    listed = await web_any.client.get("/api/v1/stock", params={"sku": "AP300"}, headers=bearer(key))
    assert listed.status_code == 200
    assert sorted((r["warehouse"], r["on_hand"], r["available"]) for r in listed.json()["items"]) == [
        ("WH-SH", 10, 10), ("WH-TJ", 4, 4)]
    by_warehouse = await web_any.client.get("/api/v1/stock", params={"warehouse": "WH-SH"}, headers=bearer(key))
    assert [r["sku"] for r in by_warehouse.json()["items"]] == ["AP300", "FL10"]

    put = await web_any.client.put("/api/v1/stock/WH-TJ/AP300", json={"on_hand": 25}, headers=bearer(key))
    assert put.status_code == 200, put.text
    assert (put.json()["warehouse"], put.json()["on_hand"], put.json()["reserved"]) == ("WH-TJ", 25, 0)
    async with web_any.uow() as uow:
        audit = await uow.audit.list(entity="stock")
    assert [(a.action, a.actor, a.after["on_hand"]) for a in audit] == [("stock.set", "api:wms", 25)]

    assert (await web_any.client.put("/api/v1/stock/WH-XX/AP300", json={"on_hand": 1},
                                     headers=bearer(key))).status_code == 404
    negative = await web_any.client.put("/api/v1/stock/WH-TJ/AP300", json={"on_hand": -1}, headers=bearer(key))
    assert negative.status_code == 422


async def test_a_count_below_what_orders_reserved_is_a_409_naming_the_rule(web_any: Web) -> None:
    await add_product(web_any, "AP300", "空气净化器 AP300", "1999.00")
    await add_warehouse(web_any, "WH-SH", {"AP300": 10})
    async with web_any.uow() as uow:
        row = (await uow.stock.list())[0]
        row.reserved = 6
        await uow.commit()
    key = await api_key(web_any, "stock:read", "stock:write", name="wms")
    below = await web_any.client.put("/api/v1/stock/WH-SH/AP300", json={"on_hand": 5},
                                     headers=bearer(key, **{"Accept-Language": "en"}))
    assert below.status_code == 409, below.text
    assert below.json() == {"error": "stock_below_reserved",
                            "message": "AP300: on hand 5 cannot be below the 6 reserved by orders "
                                       "(rule: on hand >= reserved)",
                            "message_en": "AP300: on hand 5 cannot be below the 6 reserved by orders "
                                          "(rule: on hand >= reserved)"}
    at_reserved = await web_any.client.put("/api/v1/stock/WH-SH/AP300", json={"on_hand": 6}, headers=bearer(key))
    assert at_reserved.status_code == 200 and at_reserved.json()["available"] == 0
    async with web_any.uow() as uow:
        assert [(s.on_hand, s.reserved) for s in await uow.stock.list()] == [(6, 6)]

    spec = (await web_any.client.get("/openapi.json")).json()
    conflict = spec["paths"]["/api/v1/stock/{warehouse_code}/{sku}"]["put"]["responses"]["409"]
    assert "stock_below_reserved" in conflict["description"]
    assert conflict["content"]["application/json"]["examples"]["stock_below_reserved"]["value"]["error"] == \
        "stock_below_reserved"
    transition = spec["paths"]["/api/v1/orders/{number}/status"]["post"]["responses"]["409"]
    assert "invalid_transition" in transition["content"]["application/json"]["examples"]


async def test_openapi_declares_bearer_auth(web: Web) -> None:
    response = await web.client.get("/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["components"]["securitySchemes"]["ApiKey"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "dms_<random>",
        "description": spec["components"]["securitySchemes"]["ApiKey"]["description"]}
    orders = spec["paths"]["/api/v1/orders"]["get"]
    assert orders["security"] == [{"ApiKey": ["orders:read"]}]
    assert spec["paths"]["/api/v1/products/{sku}"]["put"]["security"] == [{"ApiKey": ["products:write"]}]
    for name in ("DealerPublic", "ProductPublic", "ProductUpsert", "OrderPublic", "OrderLinePublic", "StockPublic",
                 "SellOutRow"):
        assert name in spec["components"]["schemas"], name
    assert spec["components"]["schemas"]["ProductPublic"]["properties"]["list_price"]["type"] == "string"
    assert spec["info"]["description"]
    docs = await web.client.get("/docs")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
