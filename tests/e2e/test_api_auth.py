"""API authentication and authorization over HTTP: 401 for missing/invalid/revoked keys, 403 for scopes,
dealer-bound keys confined to their dealer; the health check."""

from __future__ import annotations

import pytest

from core.orders import OrderStatus
from core.services import users as user_cases
from tests.e2e.conftest import SYSTEM, Web, add_dealer, add_order, api_key, bearer


async def test_healthz_reports_the_database(web_any: Web) -> None:
    response = await web_any.client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


async def test_healthz_is_503_when_the_database_is_gone(web: Web) -> None:
    await web.engine.dispose()
    async with web.engine.begin() as conn:     # drop a table the check reads: the query now fails
        await conn.exec_driver_sql("ALTER TABLE users RENAME TO users_gone")
    try:
        response = await web.client.get("/healthz")
        assert response.status_code == 503
        body = response.json()
        assert body["status"] == "error" and body["database"] == "error"
        assert body["reason"].startswith("database unavailable: ")
    finally:
        async with web.engine.begin() as conn:
            await conn.exec_driver_sql("ALTER TABLE users_gone RENAME TO users")


async def test_missing_key_is_401_with_bearer_challenge(web_any: Web) -> None:
    response = await web_any.client.get("/api/v1/products")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["error"] == "unauthorized"
    assert "API 密钥" in body["message"]
    assert body["message_en"].startswith("Missing API key")


@pytest.mark.parametrize("header", ["Bearer dms_not-a-real-key-at-all-0000000000", "Bearer nonsense",
                                    "Basic dXNlcjpwYXNz"])
async def test_invalid_key_is_401(web: Web, header: str) -> None:
    await api_key(web, "products:read")
    response = await web.client.get("/api/v1/products", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json()["error"] in ("invalid_api_key", "unauthorized")


async def test_revoked_key_is_401(web_any: Web) -> None:
    key = await api_key(web_any, "products:read", name="erp")
    assert (await web_any.client.get("/api/v1/products", headers=bearer(key))).status_code == 200
    async with web_any.uow() as uow:
        stored = await uow.api_keys.get_by(name="erp")
        assert stored is not None and stored.id is not None
        key_id = stored.id
    await user_cases.revoke_api_key(web_any.uow(), SYSTEM, key_id, web_any.clock)

    response = await web_any.client.get("/api/v1/products", headers=bearer(key, **{"Accept-Language": "en"}))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json() == {"error": "invalid_api_key", "message": "The API key is invalid or revoked",
                               "message_en": "The API key is invalid or revoked"}


async def test_key_use_is_recorded(web: Web) -> None:
    key = await api_key(web, "products:read", name="crm")
    await web.client.get("/api/v1/products", headers=bearer(key))
    async with web.uow() as uow:
        stored = await uow.api_keys.get_by(name="crm")
    assert stored is not None and stored.last_used_at == web.clock.now()


async def test_wrong_scope_is_403(web_any: Web) -> None:
    key = await api_key(web_any, "products:read")
    response = await web_any.client.get("/api/v1/orders", headers=bearer(key))
    assert response.status_code == 403
    body = response.json()
    assert body["error"] == "insufficient_scope"
    assert "orders:read" in body["message"] and "orders:read" in body["message_en"]
    assert 'scope="orders:read"' in response.headers["www-authenticate"]

    write = await web_any.client.put("/api/v1/products/AP300", headers=bearer(key), json={
        "name": "x", "category": "c", "unit": "台", "list_price": "1.00"})
    assert write.status_code == 403


async def test_dealer_bound_key_sees_only_its_dealer(web_any: Web) -> None:
    own = await add_dealer(web_any, "D0001", "杭州华信电器有限公司")
    other = await add_dealer(web_any, "D0002", "南京宏达商贸有限公司", city="南京", province="江苏")
    await add_order(web_any, "SO-20261126-0001", own, [("AP300", 2, "1999.00")])
    await add_order(web_any, "SO-20261126-0002", other, [("AP300", 5, "1999.00")])
    await add_order(web_any, "SO-20261126-0003", other, [("AP300", 1, "1999.00")], status=OrderStatus.APPROVED)
    key = await api_key(web_any, "orders:read", "dealers:read", dealer_id=own)

    listed = await web_any.client.get("/api/v1/orders", headers=bearer(key))
    assert listed.status_code == 200
    assert [o["number"] for o in listed.json()["items"]] == ["SO-20261126-0001"]
    assert listed.json()["total"] == 1

    # asking for the other dealer explicitly gives nothing either
    explicit = await web_any.client.get("/api/v1/orders", params={"dealer": "D0002"}, headers=bearer(key))
    assert explicit.json() == {"items": [], "total": 0, "limit": 50, "offset": 0}

    foreign = await web_any.client.get("/api/v1/orders/SO-20261126-0002", headers=bearer(key))
    missing = await web_any.client.get("/api/v1/orders/SO-20991231-9999", headers=bearer(key))
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"] == missing.json()["error"] == "not_found"

    own_detail = await web_any.client.get("/api/v1/orders/SO-20261126-0001", headers=bearer(key))
    assert own_detail.status_code == 200 and own_detail.json()["dealer"] == "D0001"

    dealers = await web_any.client.get("/api/v1/dealers", headers=bearer(key))
    assert [d["code"] for d in dealers.json()["items"]] == ["D0001"]
    assert (await web_any.client.get("/api/v1/dealers/D0002", headers=bearer(key))).status_code == 404

    # an unbound key sees both dealers' orders
    erp = await api_key(web_any, "orders:read")
    everything = await web_any.client.get("/api/v1/orders", headers=bearer(erp))
    assert everything.json()["total"] == 3


async def test_dealer_bound_key_cannot_touch_maker_stock_or_catalogue(web: Web) -> None:
    own = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    key = await api_key(web, "stock:read", "stock:write", "products:write", dealer_id=own)
    assert (await web.client.get("/api/v1/stock", headers=bearer(key))).status_code == 403
    put = await web.client.put("/api/v1/products/AP300", headers=bearer(key), json={
        "name": "空气净化器 AP300", "category": "净化器", "unit": "台", "list_price": "1999.00"})
    assert put.status_code == 403
    async with web.uow() as uow:
        assert await uow.products.count() == 0


async def test_an_api_request_never_hops_to_the_thread_pool(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    """FastAPI runs a plain ``def`` dependency in its thread pool: a hop to another thread and back on every
    request, for functions that only read the request (four per order list before)."""
    import fastapi.dependencies.utils as fastapi_dependencies

    hops: list[str] = []
    real = fastapi_dependencies.run_in_threadpool

    async def counted(func, *args, **kwargs):  # type: ignore[no-untyped-def]
        hops.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(fastapi_dependencies, "run_in_threadpool", counted)
    key = await api_key(web, "orders:read", "products:read")
    for path in ("/api/v1/orders?limit=5", "/api/v1/products?limit=5"):
        assert (await web.client.get(path, headers=bearer(key))).status_code == 200
    assert hops == []


async def test_reading_orders_through_the_api_opens_no_transaction(web_any: Web) -> None:
    """The key's check and the read endpoints run AUTOCOMMIT: no BEGIN and no ROLLBACK around reads (on
    PostgreSQL; SQLite's driver keeps its own transactions)."""
    from tests.statements import count_statements

    dealer_id = await add_dealer(web_any, "D0091", "甲")
    await add_order(web_any, "SO-20261204-0091", dealer_id, [("AP300", 2, "100.00")])
    key = await api_key(web_any, "orders:read")
    await web_any.client.get("/api/v1/orders", headers=bearer(key))      # the key's last use written once
    with count_statements(web_any.engine) as seen:
        assert (await web_any.client.get("/api/v1/orders", headers=bearer(key))).json()["total"] == 1
        assert (await web_any.client.get("/api/v1/orders/SO-20261204-0091",
                                         headers=bearer(key))).status_code == 200
    if web_any.kind == "postgres":
        assert seen.commits == 0 and seen.rollbacks == 0, seen.report()
    assert seen.writes == 0, seen.report()
