"""POST / GET /api/v1/transfers over HTTP: the ERP's warehouse transfer (approved, reserved), a replay with the
same Idempotency-Key creating nothing twice, a dealer's key asking for shared stock, another dealer's key never
seeing or moving someone else's transfer, and the other dealer unnamed unless both agreed."""

from __future__ import annotations

from core.inventory import DealerStock, TransferStatus
from core.services.transfers import SetSharing, set_sharing
from core.users import Actor, ActorKind, Role
from tests.e2e.conftest import NOW, Web, add_dealer, add_product, add_warehouse, api_key, bearer

URL = "/api/v1/transfers"


async def _setup(web: Web) -> tuple[int, int, int]:
    a = await add_dealer(web, "D0001", "杭州华信电器有限公司")
    b = await add_dealer(web, "D0002", "宁波宏达商贸有限公司", city="宁波")
    c = await add_dealer(web, "D0003", "北京远景电器有限公司", region="华北", province="北京", city="北京")
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_warehouse(web, "WH-SH", {"AP300": 50})
    await add_warehouse(web, "WH-TJ", {"AP300": 0})
    async with web.uow() as uow:
        await uow.dealer_stock.add(DealerStock(dealer_id=a, sku="AP300", qty=12, reported_at=NOW))
        await uow.commit()
    return a, b, c


def _move(source: tuple[str, str], destination: tuple[str, str], qty: int = 5) -> dict[str, object]:
    return {"source": {"kind": source[0], "code": source[1]},
            "destination": {"kind": destination[0], "code": destination[1]},
            "lines": [{"sku": "AP300", "qty": qty}]}


async def test_erp_moves_warehouse_stock_once_per_idempotency_key(web_any: Web) -> None:
    await _setup(web_any)
    key = bearer(await api_key(web_any, "transfers:write", "transfers:read"), **{"Idempotency-Key": "erp-tr-1"})
    body = _move(("warehouse", "WH-SH"), ("warehouse", "WH-TJ"), 20)
    first = await web_any.client.post(URL, json=body, headers=key)
    assert first.status_code == 201, first.text
    created = first.json()
    assert created["status"] == "approved" and created["source"]["code"] == "WH-SH"
    again = await web_any.client.post(URL, json=body, headers=key)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.json()["number"] == created["number"]
    other_body = await web_any.client.post(URL, json=_move(("warehouse", "WH-SH"), ("warehouse", "WH-TJ"), 3),
                                           headers=key)
    assert other_body.status_code == 422 and other_body.json()["error"] == "idempotency_key_reused"
    async with web_any.uow() as uow:
        transfers = await uow.transfers.list()
        level = await uow.stock.get_by(sku="AP300", warehouse_id=1)
    assert len(transfers) == 1 and level is not None and (level.on_hand, level.reserved) == (50, 20)
    listed = await web_any.client.get(URL, headers=key)
    assert [t["number"] for t in listed.json()["items"]] == [created["number"]]
    too_much = await web_any.client.post(URL, json=_move(("warehouse", "WH-SH"), ("warehouse", "WH-TJ"), 31),
                                         headers=bearer(await api_key(web_any, "transfers:write")))
    assert too_much.status_code == 422 and too_much.json()["error"] == "insufficient_stock"


async def test_dealer_keys_see_and_move_only_their_own(web_any: Web) -> None:
    a, b, c = await _setup(web_any)
    b_key = bearer(await api_key(web_any, "transfers:write", "transfers:read", dealer_id=b))
    # A shares nothing yet: B's key may not even learn that A holds AP300
    refused = await web_any.client.post(URL, json=_move(("dealer", "D0001"), ("dealer", "D0002")), headers=b_key)
    assert refused.status_code == 404
    owner_a = Actor(kind=ActorKind.DEALER, name="a", role=Role.DEALER_OWNER, dealer_id=a)
    await set_sharing(web_any.uow(), owner_a, SetSharing(a, True, True, False, False), web_any.clock)
    asked = await web_any.client.post(URL, json=_move(("dealer", "D0001"), ("dealer", "D0002")), headers=b_key)
    assert asked.status_code == 201, asked.text
    seen = asked.json()
    assert seen["status"] == "requested" and seen["needs_maker_approval"]
    assert seen["source"] == {"kind": "dealer", "code": None, "label": "同区域经销商",
                              "label_en": "a dealer in your region"}
    assert "杭州华信" not in asked.text and seen["actions"] == ["cancel"]
    # the third dealer's key: nothing listed, nothing moved
    c_key = bearer(await api_key(web_any, "transfers:write", "transfers:read", dealer_id=c))
    assert (await web_any.client.get(URL, headers=c_key)).json()["items"] == []
    moved = await web_any.client.post(URL, json=_move(("dealer", "D0001"), ("warehouse", "WH-SH")), headers=c_key)
    assert moved.status_code == 404
    a_key = bearer(await api_key(web_any, "transfers:read", dealer_id=a))
    a_sees = (await web_any.client.get(URL, headers=a_key)).json()["items"]
    assert [t["number"] for t in a_sees] == [seen["number"]] and a_sees[0]["destination"]["code"] is None
    erp = bearer(await api_key(web_any, "transfers:read"))
    by_dealer = (await web_any.client.get(f"{URL}?dealer=D0003", headers=erp)).json()
    assert by_dealer["items"] == []
    full = (await web_any.client.get(f"{URL}?status=requested", headers=erp)).json()["items"]
    assert full[0]["source"]["code"] == "D0001" and full[0]["destination"]["code"] == "D0002"
    async with web_any.uow() as uow:
        stored = await uow.transfers.list()
    assert [t.status for t in stored] == [TransferStatus.REQUESTED]
