"""The statement budget of the REST calls an ERP makes all day (``bench/load.py``'s API mix: approve, allocate,
list, detail, sell-out), on SQLite and PostgreSQL, like the chat's hot paths in
``tests/integration/test_statement_budget.py``: a change that adds a statement to one of them fails here."""

from __future__ import annotations

from tests.e2e.conftest import Web, add_dealer, add_order, add_product, add_warehouse, api_key, bearer
from tests.factories import payment
from tests.statements import Seen, count_statements

#: (statements, commits) per request on PostgreSQL, the most each may cost. Session 29: an order's dealer code read
#: as two columns (``uow.dealer_codes``), not the dealer with its contacts and addresses (3 statements -> 1): approve
#: 15 -> 13, allocate 16 -> 14, list 9 -> 7, detail 5 -> 3.
BUDGET = {
    "approve": (13, 1),
    "allocate": (14, 1),
    "list": (7, 0),
    "detail": (3, 0),
    "sellout": (6, 1),
}
#: what SQLite sends more: the write-lock statement of a writing unit (``UPDATE sequences ... WHERE 1 = 0``) before
#: the order's and the dealer's row
SQLITE_MORE = {"approve": 2, "allocate": 1}


async def test_the_api_calls_of_the_load_mix_keep_their_statement_budget(web_any: Web) -> None:
    dealer_id = await add_dealer(web_any, "D0071", "甲")
    await add_product(web_any, "AP300", "空气净化器AP300", "1999.00")
    await add_product(web_any, "F300", "滤网F300", "299.00")
    await add_warehouse(web_any, "WH1", {"AP300": 1000, "F300": 1000})
    async with web_any.uow() as uow:        # prepaid: the approvals need no credit
        await uow.ledger.add(payment(dealer_id, "100000.00"))
        await uow.commit()
    for n in (1, 2):
        await add_order(web_any, f"SO-20261204-007{n}", dealer_id, [("AP300", 2, "1999.00")])
    key = bearer(await api_key(web_any, "orders:read", "orders:write", "sellout:write", "sellout:read"))
    seen: dict[str, Seen] = {}

    async def call(name: str, method: str, path: str, **kw: object) -> None:
        response = await web_any.client.request(method, path, headers=key, **kw)  # type: ignore[arg-type]
        assert response.status_code in (200, 201), response.text
        if name:
            seen[name] = counted

    today = web_any.clock.today().isoformat()
    sellout = [{"dealer": "D0071", "date": today, "sku": sku, "qty": 1, "amount": "10.00"} for sku in ("AP300", "F300")]
    # the first of each warms what a process keeps (the key's last use, reference data)
    for number, measured in (("SO-20261204-0071", False), ("SO-20261204-0072", True)):
        for name, method, path, kw in (
                ("approve", "POST", f"/api/v1/orders/{number}/status", {"json": {"action": "approve"}}),
                ("allocate", "POST", f"/api/v1/orders/{number}/status", {"json": {"action": "allocate"}}),
                ("list", "GET", "/api/v1/orders", {"params": {"dealer": "D0071"}}),
                ("detail", "GET", f"/api/v1/orders/{number}", {}),
                ("sellout", "POST", "/api/v1/sellout", {"json": sellout})):
            with count_statements(web_any.engine) as counted:
                await call(name if measured else "", method, path, **kw)
    report = "\n".join(f"{name}: {c.report()}" for name, c in seen.items())
    print(report)
    for name, (statements, commits) in BUDGET.items():
        if web_any.kind == "sqlite":
            statements += SQLITE_MORE.get(name, 0)
        assert seen[name].statements <= statements, f"{name} over budget\n{report}"
        assert seen[name].commits <= commits, f"{name} over budget\n{report}"
