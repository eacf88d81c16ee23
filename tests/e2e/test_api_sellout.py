"""Sell-out batches over the API: good rows stored, bad rows reported by index in zh/en."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.sellout import CustomerType
from tests.e2e.conftest import Web, add_dealer, add_product, api_key, bearer


def row(**overrides: object) -> dict[str, object]:
    base: dict[str, object] = {"dealer": "D0001", "date": "2026-11-20", "sku": "AP300", "qty": 2,
                               "amount": "3998.00", "province": "浙江", "city": "杭州", "customer_type": "retail"}
    base.update(overrides)
    return base


async def test_batch_with_bad_rows(web_any: Web) -> None:
    d1 = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    d2 = await add_dealer(web_any, "D0002", "宁波瑞丰电器有限公司", city="宁波")
    await add_product(web_any, "AP300", "空气净化器 AP300", "1999.00")
    await add_product(web_any, "FL10", "滤网", "89.90")
    key = await api_key(web_any, "sellout:write", "sellout:read", name="crm")

    batch = [
        row(),                                                   # 0 good
        row(sku="NOPE"),                                         # 1 unknown product
        row(qty=0),                                              # 2 quantity
        row(dealer="D0002", sku="FL10", qty=5, amount="449.50", customer_type="project"),  # 3 good
        row(date="2026-12-31"),                                  # 4 in the future (today 2026-11-26)
        row(dealer="D9999"),                                     # 5 unknown dealer
        row(amount="12.345"),                                    # 6 bad amount
        row(qty="两"),                                           # 7 a quantity that is no number
        row(date="2026/11/21", amount=1999, customer_type="电商"),  # 8 good (spreadsheet style)
    ]
    response = await web_any.client.post("/api/v1/sellout", json=batch, headers=bearer(key))
    assert response.status_code == 207, response.text
    body = response.json()
    assert body["accepted"] == 3
    assert [e["row"] for e in body["errors"]] == [1, 2, 4, 5, 6, 7]
    errors = {e["row"]: e for e in body["errors"]}
    assert "NOPE" in errors[1]["error"] and errors[1]["error_en"] == "unknown product: NOPE"
    assert "未找到经销商 D9999" == errors[5]["error"]
    assert "future" in errors[4]["error_en"]
    assert "2 decimals" in errors[6]["error_en"]
    assert "两" in errors[7]["error_en"]

    async with web_any.uow() as uow:
        lines = await uow.sellout.list(order_by="id")
    assert [(ln.dealer_id, ln.sku, ln.qty, ln.amount, ln.sold_on, ln.customer_type) for ln in lines] == [
        (d1, "AP300", 2, Decimal("3998.00"), date(2026, 11, 20), CustomerType.RETAIL),
        (d1, "AP300", 2, Decimal("1999.00"), date(2026, 11, 21), CustomerType.ONLINE),
        (d2, "FL10", 5, Decimal("449.50"), date(2026, 11, 20), CustomerType.PROJECT),
    ]

    listed = await web_any.client.get("/api/v1/sellout", params={"dealer": "D0001"}, headers=bearer(key))
    assert listed.json()["total"] == 2
    assert listed.json()["items"][0] == {"dealer": "D0001", "date": "2026-11-21", "sku": "AP300", "qty": 2,
                                         "amount": "1999.00", "province": "浙江", "city": "杭州",
                                         "customer_type": "online",
                                         "reported_at": listed.json()["items"][0]["reported_at"]}


@pytest.mark.parametrize(("bad", "field"), [
    (row(sku=300), "sku"),                                  # the schema says a string: not a bad row, a bad body
    (row(qty=True), "qty"),
    (row(qty=2.5), "qty"),
    (row(amount=12.5), "amount"),
    (row(date=20261120), "date"),
    ({"dealer": "D0001", "sku": "AP300"}, "date"),           # missing fields
    (row(colour="red"), "colour"),                          # a field the schema does not know
])
async def test_a_row_the_schema_does_not_allow_refuses_the_batch_with_422(web: Web, bad: dict[str, object],
                                                                          field: str) -> None:
    await add_dealer(web, "D0001", "杭州华信电器有限公司")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    key = await api_key(web, "sellout:write", "sellout:read")
    response = await web.client.post("/api/v1/sellout", json=[row(), bad], headers=bearer(key))
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "validation_failed"
    assert ["body", 1, field] in [e["loc"][:3] for e in body["detail"]], body   # (+ the union member)
    async with web.uow() as uow:
        assert await uow.sellout.list() == []                # the good row 0 is not stored either


async def test_the_openapi_schema_of_the_batch_is_what_is_validated(web: Web) -> None:
    spec = (await web.client.get("/openapi.json")).json()
    body = spec["paths"]["/api/v1/sellout"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["type"] == "array" and body["maxItems"] == 5000
    assert body["items"] == {"$ref": "#/components/schemas/SellOutRow"}
    row_schema = spec["components"]["schemas"]["SellOutRow"]
    assert row_schema["properties"]["sku"]["type"] == "string" and row_schema["additionalProperties"] is False


async def test_clean_batch_is_200_and_english_errors(web: Web) -> None:
    await add_dealer(web, "D0001", "杭州华信电器有限公司")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    key = await api_key(web, "sellout:write")
    ok = await web.client.post("/api/v1/sellout", json=[row(), row(qty=1, amount="1999")], headers=bearer(key))
    assert ok.status_code == 200 and ok.json() == {"accepted": 2, "errors": []}

    bad = await web.client.post("/api/v1/sellout", json=[row(sku="X1")], headers=bearer(key, **{"Accept-Language": "en"}))
    assert bad.status_code == 207
    assert bad.json() == {"accepted": 0, "errors": [{"row": 0, "error": "unknown product: X1",
                                                     "error_en": "unknown product: X1"}]}
    assert (await web.client.post("/api/v1/sellout", json={"not": "a list"}, headers=bearer(key))).status_code == 422


async def test_dealer_bound_key_reports_only_for_its_dealer(web_any: Web) -> None:
    own = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    await add_dealer(web_any, "D0002", "宁波瑞丰电器有限公司", city="宁波")
    await add_product(web_any, "AP300", "空气净化器 AP300", "1999.00")
    key = await api_key(web_any, "sellout:write", "sellout:read", dealer_id=own)

    response = await web_any.client.post("/api/v1/sellout", json=[row(), row(dealer="D0002")], headers=bearer(key))
    assert response.status_code == 207
    assert response.json()["accepted"] == 1
    assert [e["row"] for e in response.json()["errors"]] == [1]
    async with web_any.uow() as uow:
        assert await uow.sellout.count(dealer_id=own) == 1
        assert await uow.sellout.count() == 1
    listed = await web_any.client.get("/api/v1/sellout", params={"dealer": "D0002"}, headers=bearer(key))
    assert listed.json()["total"] == 0
