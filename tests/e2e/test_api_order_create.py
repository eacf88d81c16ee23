"""POST /api/v1/orders over HTTP: the same order as the chat's confirm for the same input (lines, prices,
promotions, checks), replay-safe under its Idempotency-Key, a dealer-bound key only for its own dealer; and
GET /api/v1/stock?dealer= (a dealer's reported stock)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.inventory import DealerStock
from core.products import Promotion, PromotionKind
from core.users import ChatIdentity, Role, User
from handlers.app import build_conversation
from handlers.context import Deps
from handlers.messages import Inbound, InboundKind, Reply
from handlers.router import payload
from nlu.offline import OfflineParser
from tests.e2e.conftest import NOW, Web, add_dealer, add_product, add_warehouse, api_key, bearer
from tests.factories import make_valid_documents

BODY = {"dealer": "D0001", "lines": [{"sku": "AP300", "qty": 12}, {"sku": "DH20", "qty": 3}],
        "delivery_date": "2026-12-10", "note": ""}


async def _seed(web: Web) -> tuple[int, int]:
    own = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    other = await add_dealer(web, "D0002", "南京宏达商贸有限公司", city="南京", province="江苏")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_product(web, "DH20", "除湿机 DH20", "1599.00")
    await add_warehouse(web, "WH-SH", {"AP300": 500, "DH20": 500})
    async with web.uow() as uow:
        for dealer_id in (own, other):
            for doc in make_valid_documents(dealer_id):
                await uow.qualifications.add(doc)
            await uow.ledger.add(LedgerEntry(dealer_id=dealer_id, account=AccountKind.PREPAYMENT,
                                             amount=Decimal("100000.00"), kind=EntryKind.PAYMENT, created_at=NOW))
        # 10 % off AP300 this month, and 1 DH20 free for every 3
        await uow.promotions.add(Promotion(code="WINTER10", name="冬季净化器九折", kind=PromotionKind.PERCENT_OFF,
                                           starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31), skus=["AP300"],
                                           percent=Decimal("10")))
        await uow.promotions.add(Promotion(code="DH3P1", name="除湿机买三送一", kind=PromotionKind.BUY_X_GET_Y,
                                           starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 31), skus=["DH20"],
                                           buy_qty=3, free_qty=1))
        user = await uow.users.add(User(username="d0001.owner", display_name="李", role=Role.DEALER_OWNER,
                                        dealer_id=own))
        await uow.flush()
        assert user.id is not None
        await uow.identities.add(ChatIdentity(channel="console", external_id="7001", user_id=user.id))
        await uow.commit()
    return own, other


async def _chat_order(web: Web) -> tuple[str, list[str]]:
    """The same lines and day through the chat: add, set the day, confirm. The number and the checks shown."""
    service = build_conversation(Deps(uow_factory=web.uow_factory, clock=web.clock, parser=OfflineParser()))
    n = iter(range(1, 100))

    async def press(data: str) -> list[Reply]:
        return await service.handle(Inbound(channel="console", chat_id="7001", user_id="7001",
                                            kind=InboundKind.BUTTON, payload=data, update_id=f"u{next(n)}"))

    async def say(text: str) -> list[Reply]:
        return await service.handle(Inbound(channel="console", chat_id="7001", user_id="7001",
                                            kind=InboundKind.TEXT, text=text, update_id=f"u{next(n)}"))

    await press(payload("order.add", "AP300", 12))
    summary = await press(payload("order.add", "DH20", 3))
    summary = await say("12月10日送货")
    shown = summary[-1].text
    assert "2026-12-10" in shown, shown
    checks = [line[2:] for line in shown.splitlines() if line.startswith(("✅ ", "⚠️ "))]
    confirm = next(b.payload for r in summary for row in r.buttons for b in row if "|order.confirm|" in b.payload)
    await press(confirm)
    async with web.uow() as uow:
        [order] = await uow.orders.list()
    return order.number, checks


async def test_the_api_places_the_same_order_as_the_chat(web: Web) -> None:
    await _seed(web)
    number, chat_checks = await _chat_order(web)
    erp = bearer(await api_key(web, "orders:write"), **{"Idempotency-Key": "erp-po-1001"})
    response = await web.client.post("/api/v1/orders", headers=erp, json=BODY)
    assert response.status_code == 201, response.text
    body = response.json()
    async with web.uow() as uow:
        by_chat = await uow.orders.get_by(number=number)
        by_api = await uow.orders.get_by(number=body["number"])
    assert by_chat is not None and by_api is not None and by_chat.number != by_api.number

    def shape(order: object) -> list[tuple[object, ...]]:
        return [(ln.sku, ln.qty, ln.unit_price, ln.discount, ln.free_qty, ln.amount) for ln in order.lines]  # type: ignore[attr-defined]

    assert shape(by_api) == shape(by_chat)
    assert by_api.total == by_chat.total and by_api.requested_delivery == by_chat.requested_delivery
    assert by_api.approval_reasons == by_chat.approval_reasons
    assert [(p["code"], p["discount"], p["free_units"]) for p in body["promotions"]] == [
        ("WINTER10", "2398.80", 0), ("DH3P1", "1599.00", 1)]
    assert {ln["sku"]: (ln["discount"], ln["free_qty"]) for ln in body["lines"]} == {
        "AP300": ("2398.80", 0), "DH20": ("0.00", 1)}
    assert [c["message"] for c in body["checks"]] == chat_checks        # the chat's 检查结果, one for one
    assert all(c["ok"] for c in body["checks"]) and body["status"] == "submitted" and body["on_behalf"] is True


async def test_replaying_the_key_returns_the_same_order_and_makes_no_second(web: Web) -> None:
    await _seed(web)
    erp = bearer(await api_key(web, "orders:write"), **{"Idempotency-Key": '"po-7"'})
    first = await web.client.post("/api/v1/orders", headers=erp, json=BODY)
    again = await web.client.post("/api/v1/orders", headers=erp, json=BODY)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again.headers["Idempotent-Replayed"] == "true"
    other_body = await web.client.post("/api/v1/orders", headers=erp, json={**BODY, "note": "改了"})
    assert other_body.status_code == 422 and other_body.json()["error"] == "idempotency_key_reused"
    async with web.uow() as uow:
        assert await uow.orders.count() == 1
        ledger = await uow.ledger.count()
    # the stored response lost: the order's own key still answers the same order, nothing charged twice
    async with web.uow() as uow:
        for record in await uow.idempotency_records.list():
            await uow.idempotency_records.delete(record)
        await uow.commit()
    lost = await web.client.post("/api/v1/orders", headers=erp, json=BODY)
    assert lost.status_code == 201 and lost.json()["number"] == first.json()["number"]
    async with web.uow() as uow:
        assert await uow.orders.count() == 1 and await uow.ledger.count() == ledger
    missing = await web.client.post("/api/v1/orders", headers=bearer(await api_key(web, "orders:write")), json=BODY)
    assert missing.status_code == 422


async def test_a_dealer_key_orders_only_for_its_dealer_and_a_failing_check_refuses(web: Web) -> None:
    own, other = await _seed(web)
    own_key = await api_key(web, "orders:write", dealer_id=own)
    foreign = await web.client.post("/api/v1/orders", json={**BODY, "dealer": "D0002"},
                                    headers=bearer(own_key, **{"Idempotency-Key": "k1"}))
    unknown = await web.client.post("/api/v1/orders", json={**BODY, "dealer": "D9999"},
                                    headers=bearer(own_key, **{"Idempotency-Key": "k2"}))
    assert foreign.status_code == unknown.status_code == 404
    assert foreign.json()["error"] == unknown.json()["error"]
    mine = await web.client.post("/api/v1/orders", json=BODY, headers=bearer(own_key, **{"Idempotency-Key": "k3"}))
    assert mine.status_code == 201 and mine.json()["dealer"] == "D0001" and mine.json()["on_behalf"] is False
    nope = await web.client.post("/api/v1/orders", json={**BODY, "lines": [{"sku": "NOPE-1", "qty": 1}]},
                                 headers=bearer(own_key, **{"Idempotency-Key": "k4"}))
    past = await web.client.post("/api/v1/orders", json={**BODY, "delivery_date": "2026-11-01"},
                                 headers=bearer(own_key, **{"Idempotency-Key": "k5"}))
    assert nope.status_code == past.status_code == 422, (nope.text, past.text)
    async with web.uow() as uow:
        assert [o.dealer_id for o in await uow.orders.list()] == [own]


async def test_stock_of_a_dealer_for_its_own_key_and_for_the_maker(web: Web) -> None:
    own, other = await _seed(web)
    async with web.uow() as uow:
        await uow.dealer_stock.add(DealerStock(dealer_id=own, sku="AP300", qty=7, reported_at=NOW))
        await uow.dealer_stock.add(DealerStock(dealer_id=other, sku="AP300", qty=3, reported_at=NOW))
        await uow.commit()
    erp = bearer(await api_key(web, "stock:read"))
    listed = await web.client.get("/api/v1/stock", params={"dealer": "D0002"}, headers=erp)
    assert listed.status_code == 200
    assert [(i["dealer"], i["sku"], i["qty"]) for i in listed.json()["items"]] == [("D0002", "AP300", 3)]
    own_key = bearer(await api_key(web, "stock:read", dealer_id=own))
    mine = await web.client.get("/api/v1/stock", params={"dealer": "D0001"}, headers=own_key)
    assert [(i["dealer"], i["qty"]) for i in mine.json()["items"]] == [("D0001", 7)]
    theirs = await web.client.get("/api/v1/stock", params={"dealer": "D0002"}, headers=own_key)
    assert theirs.status_code == 404 and "南京" not in theirs.text
    maker = await web.client.get("/api/v1/stock", headers=own_key)        # maker stock stays the maker's
    assert maker.status_code == 403
