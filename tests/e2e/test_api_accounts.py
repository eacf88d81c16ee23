"""Dealer accounts over the REST API (issue 14), on SQLite and PostgreSQL: a payment posted with an
Idempotency-Key and again books one entry and raises the balance once; balances show what open orders hold
(frozen); the ledger by business day with paging; dealer-bound keys read their own dealer only and post
nothing."""

from __future__ import annotations

from decimal import Decimal

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.orders import OrderStatus
from tests.e2e.conftest import NOW, Web, add_dealer, add_order, api_key, bearer

PAY = {"dealer": "D0001", "account": "prepayment", "amount": "50000.00", "method": "bank_transfer",
       "reference": "HX20261126001", "paid_on": "2026-11-25"}


async def _setup(web: Web) -> tuple[int, int, str]:
    own = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    other = await add_dealer(web, "D0002", "南京宏达商贸有限公司", city="南京", province="江苏")
    return own, other, await api_key(web, "accounts:read", "accounts:write", name="erp")


async def _prepayment(web: Web, code: str = "D0001", key: str | None = None) -> str:
    key = key or await api_key(web, "accounts:read")
    response = await web.client.get(f"/api/v1/dealers/{code}/balances", headers=bearer(key))
    assert response.status_code == 200, response.text
    [row] = [a for a in response.json()["accounts"] if a["account"] == "prepayment"]
    return str(row["balance"])


async def test_a_payment_posted_twice_with_one_key_is_booked_once(web_any: Web) -> None:
    _, _, erp = await _setup(web_any)
    first = await web_any.client.post("/api/v1/payments", json=PAY, headers=bearer(erp, **{"Idempotency-Key": "p-1"}))
    assert first.status_code == 201, first.text
    body = first.json()
    assert (body["amount"], body["kind"], body["method"], body["reference"], body["paid_on"], body["dealer"]) == (
        "50000.00", "payment", "bank_transfer", "HX20261126001", "2026-11-25", "D0001")
    again = await web_any.client.post("/api/v1/payments", json=PAY, headers=bearer(erp, **{"Idempotency-Key": "p-1"}))
    assert again.status_code == 201 and again.json() == body and again.headers["Idempotent-Replayed"] == "true"
    listed = await web_any.client.get("/api/v1/dealers/D0001/ledger", headers=bearer(erp))
    assert listed.json()["items"] == [body]       # read back exactly as the post answered
    assert await _prepayment(web_any) == "50000.00"
    async with web_any.uow() as uow:
        entries = await uow.ledger.list()
        assert [(e.kind, e.amount) for e in entries] == [(EntryKind.PAYMENT, Decimal("50000.00"))]
        assert entries[0].source is not None and entries[0].source.endswith(":p-1")
        assert await uow.audit.count(action="ledger.payment") == 1

    changed = await web_any.client.post("/api/v1/payments", json={**PAY, "amount": "5000.00"},
                                        headers=bearer(erp, **{"Idempotency-Key": "p-1"}))
    assert changed.status_code == 422 and changed.json()["error"] == "idempotency_key_reused"
    # without a key every post is a new payment: of its own bank slip (QA s27 #1: one reference is one payment)
    for ref in ("HX-2", "HX-3"):
        assert (await web_any.client.post("/api/v1/payments", json={**PAY, "amount": "100.00", "reference": ref},
                                          headers=bearer(erp))).status_code == 201
    same = await web_any.client.post("/api/v1/payments", json={**PAY, "amount": "100.00", "reference": "HX-3"},
                                     headers=bearer(erp, **{"Accept-Language": "zh-CN"}))
    assert same.status_code == 409 and "参考号 HX-3 已入账" in same.json()["message"], same.text
    assert await _prepayment(web_any) == "50200.00"
    confirmed = await web_any.client.post("/api/v1/payments", json={
        **PAY, "amount": "100.00", "reference": "HX-3", "same_reference_ok": True}, headers=bearer(erp))
    assert confirmed.status_code == 201 and await _prepayment(web_any) == "50300.00"


async def test_payment_input_is_checked(web: Web) -> None:
    _, _, erp = await _setup(web)
    cases = [({**PAY, "amount": "0"}, 422), ({**PAY, "amount": "12.345"}, 422), ({**PAY, "account": "rebate"}, 422),
             ({**PAY, "method": "wechat"}, 422), ({**PAY, "paid_on": "2026-11-27"}, 422),
             ({**PAY, "dealer": "D9999"}, 404), ({**PAY, "amount": 12.5}, 201)]
    for payload, status in cases:
        response = await web.client.post("/api/v1/payments", json=payload, headers=bearer(erp))
        assert response.status_code == status, (payload, response.text)
    future = await web.client.post("/api/v1/payments", json={**PAY, "paid_on": "2026-11-27"},
                                   headers=bearer(erp, **{"Accept-Language": "zh-CN"}))
    assert "付款日期" in future.json()["message"]


async def test_dealer_keys_read_their_own_accounts_and_post_nothing(web: Web) -> None:
    own, other, erp = await _setup(web)
    assert (await web.client.post("/api/v1/payments", json=PAY, headers=bearer(erp))).status_code == 201
    own_key = await api_key(web, "accounts:read", "accounts:write", dealer_id=own)
    other_key = await api_key(web, "accounts:read", "accounts:write", dealer_id=other)
    assert await _prepayment(web, key=own_key) == "50000.00"
    for url in ("/api/v1/dealers/D0001/balances", "/api/v1/dealers/D0001/ledger"):
        foreign = await web.client.get(url, headers=bearer(other_key))
        missing = await web.client.get(url.replace("D0001", "D9999"), headers=bearer(other_key))
        assert foreign.status_code == missing.status_code == 404
        assert "50000" not in foreign.text and "杭州" not in foreign.text
    for key in (own_key, other_key):
        posted = await web.client.post("/api/v1/payments", json=PAY, headers=bearer(key))
        assert posted.status_code == 403, posted.text
    read_only = await api_key(web, "accounts:read")
    assert (await web.client.post("/api/v1/payments", json=PAY, headers=bearer(read_only))).status_code == 403
    async with web.uow() as uow:
        assert await uow.ledger.count() == 1


async def test_balances_show_what_open_orders_hold(web: Web) -> None:
    own, _, erp = await _setup(web)
    async with web.uow() as uow:
        dealer = await uow.dealers.get(own)
        assert dealer is not None
        dealer.credit_limit = Decimal("20000.00")
        await uow.commit()
    await web.client.post("/api/v1/payments", json={**PAY, "amount": "3000.00"}, headers=bearer(erp))
    await web.client.post("/api/v1/payments", json={**PAY, "amount": "800.00", "account": "deposit",
                                                    "reference": "HX-deposit"}, headers=bearer(erp))
    # an open order charged 1,000 prepayment and 500 credit; a shipped one charged 1,000 prepayment
    await add_order(web, "SO-20261126-0001", own, [("AP300", 1, "1500.00")])
    await add_order(web, "SO-20261126-0002", own, [("AP300", 1, "1000.00")], status=OrderStatus.SHIPPED)
    async with web.uow() as uow:
        for number, prepay, credit in (("SO-20261126-0001", "1000.00", "500.00"), ("SO-20261126-0002", "1000.00", "0")):
            order = await uow.orders.get_by(number=number)
            assert order is not None
            order.paid_from_prepayment, order.paid_from_credit = Decimal(prepay), Decimal(credit)
            for account, amount in ((AccountKind.PREPAYMENT, prepay), (AccountKind.CREDIT, credit)):
                if Decimal(amount):
                    await uow.ledger.add(LedgerEntry(dealer_id=own, account=account, amount=-Decimal(amount),
                                                     kind=EntryKind.ORDER_CHARGE, ref=number, created_at=NOW))
        await uow.commit()
    response = await web.client.get("/api/v1/dealers/D0001/balances", headers=bearer(erp))
    assert response.status_code == 200, response.text
    got = response.json()
    accounts = {a["account"]: (a["balance"], a["available"], a["frozen"]) for a in got["accounts"]}
    assert accounts == {"prepayment": ("1000.00", "1000.00", "1000.00"), "deposit": ("800.00", "0.00", "0.00"),
                        "rebate": ("0.00", "0.00", "0.00"), "credit": ("-500.00", "19500.00", "500.00")}
    assert (got["credit_limit"], got["credit_headroom"]) == ("20000.00", "19500.00")


async def test_the_ledger_by_business_day_with_paging(web: Web) -> None:
    own, _, erp = await _setup(web)
    async with web.uow() as uow:
        for day, amount in (("2026-11-01", "1"), ("2026-11-15", "2"), ("2026-11-30", "3")):
            # 23:30 Shanghai: the previous UTC day, so a UTC cut would put it on the wrong day
            at = NOW.replace(day=int(day[-2:]), hour=23, minute=30) if day != "2026-11-30" else \
                NOW.replace(month=11, day=30, hour=0, minute=10)
            await uow.ledger.add(LedgerEntry(dealer_id=own, account=AccountKind.PREPAYMENT, amount=Decimal(amount),
                                             kind=EntryKind.PAYMENT, ref=f"R{amount}", created_at=at))
        await uow.commit()
    page = await web.client.get("/api/v1/dealers/D0001/ledger?from=2026-11-15&to=2026-11-30", headers=bearer(erp))
    assert page.status_code == 200, page.text
    assert [e["reference"] for e in page.json()["items"]] == ["R3", "R2"] and page.json()["total"] == 2
    assert page.json()["items"][0]["booked_at"] == "2026-11-30T00:10:00+08:00"     # business time, as posted
    second = await web.client.get("/api/v1/dealers/D0001/ledger?limit=1&offset=1", headers=bearer(erp))
    assert second.json()["total"] == 3 and [e["reference"] for e in second.json()["items"]] == ["R2"]
    one_day = await web.client.get("/api/v1/dealers/D0001/ledger?from=2026-11-01&to=2026-11-01", headers=bearer(erp))
    assert [e["reference"] for e in one_day.json()["items"]] == ["R1"]
    bad = await web.client.get("/api/v1/dealers/D0001/ledger?from=2026-11-30&to=2026-11-01", headers=bearer(erp))
    assert bad.status_code == 422
