"""Authorization matrix of the REST API: every /api/v1 route x every kind of caller, one test per cell.

Callers: no key, a key holding every scope but the one the route needs, a key holding only that scope
(unbound: the ERP), a key bound to the dealer the request is about (all scopes), and a key bound to another
dealer (all scopes). Each request is about dealer D0001's data; the other dealer's key must get nothing of it
(403, 404, or a list without it) and must change nothing.

The routes are read from the app's OpenAPI schema, so a new route without a row here fails
``test_every_api_route_has_a_matrix_row``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.inventory import DealerStock
from core.orders import OrderStatus
from core.users import API_SCOPES
from tests.e2e.conftest import NOW, Web, add_dealer, add_order, add_product, add_warehouse, api_key, bearer
from tests.factories import make_valid_documents

OWN_NAME = "杭州华信电器有限公司"
OTHER_NAME = "南京宏达商贸有限公司"
OWN_ORDER = "SO-20261126-0001"
OTHER_ORDER = "SO-20261126-0002"
# what must never reach the other dealer's key: D0001's name, order, and its sell-out city
OWN_MARKERS = (OWN_NAME, OWN_ORDER, "湖州")

OK, DENIED, NOT_FOUND, FILTERED = "ok", "denied", "not_found", "filtered"
RECEIPT_REF = "{receipt}"           # replaced by the id of D0001's payment with a receipt scan (``_seed``)
RECEIPT = b"%PDF-1.4 matrix receipt scan of D0001"


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    json: Any = None
    headers: tuple[tuple[str, str], ...] = ()      # beyond the key (an Idempotency-Key a route requires)


@dataclass(frozen=True)
class Row:
    """One route: the scope it needs, the request about D0001, and what dealer-bound keys get."""

    scope: str
    call: Call
    own_dealer: str          # outcome for a key bound to D0001
    other_dealer: str        # outcome for a key bound to D0002 (never OK on D0001's private data)


_SELLOUT_ROW = {"dealer": "D0001", "date": "2026-11-20", "sku": "AP300", "qty": 1, "amount": "1999.00",
                "province": "浙江", "city": "湖州", "customer_type": "retail"}

MATRIX: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/products"): Row("products:read", Call("GET", "/api/v1/products"), OK, OK),
    ("GET", "/api/v1/products/{sku}"): Row("products:read", Call("GET", "/api/v1/products/AP300"), OK, OK),
    ("PUT", "/api/v1/products/{sku}"): Row("products:write", Call("PUT", "/api/v1/products/AP300", {
        "name": "空气净化器 AP300", "category": "净化器", "unit": "台", "list_price": "1899.00"}), DENIED, DENIED),
    ("GET", "/api/v1/dealers"): Row("dealers:read", Call("GET", "/api/v1/dealers"), OK, FILTERED),
    ("GET", "/api/v1/dealers/{code}"): Row("dealers:read", Call("GET", "/api/v1/dealers/D0001"), OK, NOT_FOUND),
    ("GET", "/api/v1/dealers/{code}/stock"): Row("stock:read", Call("GET", "/api/v1/dealers/D0001/stock"),
                                                 OK, NOT_FOUND),
    ("GET", "/api/v1/stock"): Row("stock:read", Call("GET", "/api/v1/stock"), DENIED, DENIED),
    ("PUT", "/api/v1/stock/{warehouse_code}/{sku}"): Row("stock:write", Call(
        "PUT", "/api/v1/stock/WH-SH/AP300", {"on_hand": 40}), DENIED, DENIED),
    ("GET", "/api/v1/orders"): Row("orders:read", Call("GET", "/api/v1/orders"), OK, FILTERED),
    ("GET", "/api/v1/orders/{number}"): Row("orders:read", Call("GET", f"/api/v1/orders/{OWN_ORDER}"),
                                            OK, NOT_FOUND),
    ("POST", "/api/v1/orders/{number}/status"): Row("orders:write", Call(
        "POST", f"/api/v1/orders/{OWN_ORDER}/status", {"action": "cancel", "reason": "矩阵测试"}), OK, NOT_FOUND),
    # an order through the same use cases as the chat; a dealer's own key orders for itself only
    ("POST", "/api/v1/orders"): Row("orders:write", Call("POST", "/api/v1/orders", {
        "dealer": "D0001", "lines": [{"sku": "AP300", "qty": 1}]}, (("Idempotency-Key", "matrix-1"),)), OK, NOT_FOUND),
    ("POST", "/api/v1/sellout"): Row("sellout:write", Call("POST", "/api/v1/sellout", [_SELLOUT_ROW]), OK, NOT_FOUND),
    ("GET", "/api/v1/sellout"): Row("sellout:read", Call("GET", "/api/v1/sellout"), OK, FILTERED),
    ("GET", "/api/v1/dealers/{code}/balances"): Row("accounts:read", Call("GET", "/api/v1/dealers/D0001/balances"),
                                                    OK, NOT_FOUND),
    ("GET", "/api/v1/dealers/{code}/ledger"): Row("accounts:read", Call("GET", "/api/v1/dealers/D0001/ledger"),
                                                  OK, NOT_FOUND),
    # a payment's receipt scan (RECEIPT_REF: the seeded entry's id), under the ledger's rule
    ("GET", "/api/v1/ledger/{entry_id}/receipt"): Row("accounts:read", Call("GET", f"/api/v1/ledger/{RECEIPT_REF}/receipt"),
                                                      OK, NOT_FOUND),
    # transfers (调拨): D0001 returning 2 AP300 to the maker; another dealer's key may not move D0001's stock
    ("POST", "/api/v1/transfers"): Row("transfers:write", Call("POST", "/api/v1/transfers", {
        "source": {"kind": "dealer", "code": "D0001"}, "destination": {"kind": "warehouse", "code": "WH-SH"},
        "lines": [{"sku": "AP300", "qty": 2}]}, (("Idempotency-Key", "matrix-tr-1"),)), OK, NOT_FOUND),
    ("GET", "/api/v1/transfers"): Row("transfers:read", Call("GET", "/api/v1/transfers"), OK, OK),
    # a dealer's own key never books money, not even for itself
    ("POST", "/api/v1/payments"): Row("accounts:write", Call("POST", "/api/v1/payments", {
        "dealer": "D0001", "account": "prepayment", "amount": "100.00", "method": "bank_transfer",
        "reference": "MATRIX-1", "paid_on": "2026-11-25"}), DENIED, DENIED),
}

CALLERS = ("no_key", "other_scopes", "only_scope", "own_dealer", "other_dealer")


def _api_routes() -> dict[tuple[str, str], list[str]]:
    from admin.app import create_app
    from bot.settings import Settings

    app = create_app(Settings(secret_key="matrix-secret-key-0123456789abcdef", _env_file=None), lambda: None)  # type: ignore[arg-type, return-value]
    routes: dict[tuple[str, str], list[str]] = {}
    for path, operations in app.openapi()["paths"].items():
        if not path.startswith("/api/v1"):
            continue
        for method, operation in operations.items():
            scopes = [s for requirement in operation.get("security", []) for s in requirement.get("ApiKey", [])]
            routes[(method.upper(), path)] = scopes
    return routes


def test_every_api_route_has_a_matrix_row() -> None:
    routes = _api_routes()
    assert set(routes) == set(MATRIX), "add a MATRIX row for each new /api/v1 route (and drop removed ones)"
    for key, scopes in routes.items():
        assert scopes == [MATRIX[key].scope], key


async def _seed(web: Web) -> tuple[int, int]:
    own = await add_dealer(web, "D0001", OWN_NAME)
    other = await add_dealer(web, "D0002", OTHER_NAME, city="南京", province="江苏")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_warehouse(web, "WH-SH", {"AP300": 50})
    await add_order(web, OWN_ORDER, own, [("AP300", 2, "1999.00")])
    await add_order(web, OTHER_ORDER, other, [("AP300", 5, "1999.00")])
    async with web.uow() as uow:
        for doc in make_valid_documents(own):             # D0001 may order (POST /api/v1/orders) ...
            await uow.qualifications.add(doc)
        for _ in (OWN_ORDER, OTHER_ORDER):                 # ... after the two orders seeded by number
            await uow.next_number("SO", web.clock.today())
        await uow.dealer_stock.add(DealerStock(dealer_id=own, sku="AP300", qty=7, reported_at=NOW))
        await uow.dealer_stock.add(DealerStock(dealer_id=other, sku="AP300", qty=3, reported_at=NOW))
        await uow.commit()
    assert web.files is not None
    scan = await web.files.put(RECEIPT, "receipt.pdf")
    async with web.uow() as uow:
        await uow.ledger.add(LedgerEntry(dealer_id=own, account=AccountKind.PREPAYMENT, amount=Decimal("100.00"),
                                         kind=EntryKind.PAYMENT, ref="MATRIX-RECEIPT", attachment=scan, created_at=NOW))
        await uow.commit()
    erp = await api_key(web, "sellout:write")
    for dealer, city in (("D0001", "湖州"), ("D0002", "苏州")):
        seeded = await web.client.post("/api/v1/sellout", headers=bearer(erp),
                                       json=[{**_SELLOUT_ROW, "dealer": dealer, "city": city, "date": "2026-11-19"}])
        assert seeded.status_code == 200, seeded.text
    return own, other


async def _headers(web: Web, caller: str, scope: str, own: int, other: int) -> dict[str, str]:
    if caller == "no_key":
        return {}
    if caller == "other_scopes":
        return bearer(await api_key(web, *[s for s in API_SCOPES if s != scope]))
    if caller == "only_scope":
        return bearer(await api_key(web, scope))
    dealer_id = own if caller == "own_dealer" else other
    return bearer(await api_key(web, *API_SCOPES, dealer_id=dealer_id))


async def _state(web: Web) -> tuple[Any, ...]:
    """What a denied call must leave alone: D0001's order, maker stock, the catalogue price, sell-out lines, the
    ledger."""
    async with web.uow() as uow:
        order = await uow.orders.get_by(number=OWN_ORDER)
        product = await uow.products.get_by(sku="AP300")
        stock = await uow.stock.list(order_by="sku")
        sellout = await uow.sellout.count()
        ledger = await uow.ledger.count()
    assert order is not None and product is not None
    return order.status, product.list_price, [(s.sku, s.on_hand) for s in stock], sellout, ledger


def _expected(row: Row, caller: str) -> str:
    return {"no_key": "unauthenticated", "other_scopes": DENIED, "only_scope": OK,
            "own_dealer": row.own_dealer, "other_dealer": row.other_dealer}[caller]


CHECKS: dict[str, Callable[[Any], bool]] = {
    "unauthenticated": lambda r: r.status_code == 401 and r.json()["error"] in ("unauthorized", "invalid_api_key"),
    DENIED: lambda r: r.status_code == 403 and r.json()["error"] in ("insufficient_scope", "permission_denied"),
    NOT_FOUND: lambda r: r.status_code == 404 or (r.status_code == 207 and r.json()["accepted"] == 0),
    OK: lambda r: r.status_code in (200, 201),       # 201: a payment booked
    FILTERED: lambda r: r.status_code == 200,
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("route", list(MATRIX), ids=lambda k: f"{k[0]} {k[1]}")
async def test_api_matrix_cell(web: Web, route: tuple[str, str], caller: str) -> None:
    own, other = await _seed(web)
    row = MATRIX[route]
    headers = await _headers(web, caller, row.scope, own, other)
    before = await _state(web)

    url = row.call.url
    if RECEIPT_REF in url:
        async with web.uow() as uow:
            entry = await uow.ledger.get_by(ref="MATRIX-RECEIPT")
        assert entry is not None
        url = url.replace(RECEIPT_REF, str(entry.id))
    response = await web.client.request(row.call.method, url, json=row.call.json,
                                        headers={**headers, **dict(row.call.headers)})

    expected = _expected(row, caller)
    assert CHECKS[expected](response), (expected, response.status_code, response.text)
    if expected == OK and RECEIPT_REF in row.call.url:     # the scan itself, opening in the browser
        assert response.content == RECEIPT and response.headers["content-type"] == "application/pdf"
        assert response.headers["content-disposition"].startswith("inline;")
    if expected != OK:
        assert await _state(web) == before, "a refused call changed the database"
    if caller == "other_dealer":
        echoed = f"{row.call.url} {row.call.json}"     # a 404 may repeat what the caller itself sent
        for marker in (m for m in OWN_MARKERS if m not in echoed):
            assert marker not in response.text, f"{marker} leaked to another dealer's key"
    if expected == FILTERED:
        items = response.json()["items"]
        assert items, "the other dealer's key should still see its own rows"
        assert all(item.get("code", item.get("dealer")) == "D0002" for item in items), items
    if caller == "own_dealer" and expected == OK and response.headers["content-type"].startswith("application/json") \
            and "items" in response.json():
        items = response.json()["items"]
        dealers = {item.get("dealer", item.get("code")) for item in items} - {None}
        assert dealers <= {"D0001"}, dealers


async def test_forged_order_move_by_other_dealer_reads_like_a_missing_order(web: Web) -> None:
    """404 for another dealer's order is the same answer as for an order that does not exist."""
    own, other = await _seed(web)
    key = bearer(await api_key(web, *API_SCOPES, dealer_id=other))
    foreign = await web.client.post(f"/api/v1/orders/{OWN_ORDER}/status", headers=key, json={"action": "receive"})
    missing = await web.client.post("/api/v1/orders/SO-20991231-9999/status", headers=key, json={"action": "receive"})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json()["error"] == missing.json()["error"]
    async with web.uow() as uow:
        order = await uow.orders.get_by(number=OWN_ORDER)
    assert order is not None and order.status == OrderStatus.SUBMITTED
