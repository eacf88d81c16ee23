"""Authorization matrix of the REST API for the dealer hierarchy: every /api/v1 route of
``test_authz_matrix_api.MATRIX`` (the same request about dealer D0001) called with a key bound to

- ``parent``: D0001's parent dealer (一级经销商, D0003). It reads D0001's orders, stock and sell-out and may order
  for it (``PARENT_OUTCOMES``); everything else of D0001, its money above all, answers as for an unrelated dealer;
- ``sub``: a sub-dealer of D0001 (D0005: sub -> parent) and ``sibling``: another sub-dealer of D0003 (D0004:
  sibling -> sibling), which get exactly what an unrelated dealer's key gets (the route's ``other_dealer``).

A new route in ``MATRIX`` is covered here at once (its ``other_dealer`` outcome for all three, unless ``PARENT_OUTCOMES``
says otherwise for the parent).
"""

from __future__ import annotations

from typing import Any

import pytest

from core.users import API_SCOPES
from tests.e2e.conftest import Web, add_dealer, api_key, bearer
from tests.e2e.test_authz_matrix_api import (
    CHECKS,
    FILTERED,
    MATRIX,
    OK,
    OWN_MARKERS,
    OWN_ORDER,
    RECEIPT_REF,
    _seed,
    _state,
)
from tests.factories import make_valid_documents

PARENT, SUB, SIBLING = "parent", "sub", "sibling"
INCLUDES = "includes"       # 200, and D0001's rows are among the items
# what D0001's parent reads of it (core.authz.SUB_DEALER_RECORDS) and does for it (orders on its behalf)
PARENT_OUTCOMES: dict[tuple[str, str], str] = {
    ("GET", "/api/v1/orders"): INCLUDES,
    ("GET", "/api/v1/orders/{number}"): OK,
    ("GET", "/api/v1/dealers/{code}/stock"): OK,
    ("GET", "/api/v1/sellout"): INCLUDES,
    ("POST", "/api/v1/orders"): OK,
}


async def _family(web: Web, own: int) -> dict[str, int]:
    """D0003 becomes D0001's parent; D0004 its sibling under D0003; D0005 D0001's own sub-dealer."""
    parent = await add_dealer(web, "D0003", "上海总代理有限公司")
    sibling = await add_dealer(web, "D0004", "嘉兴兄弟商贸有限公司")
    sub = await add_dealer(web, "D0005", "长兴小店电器商行")
    async with web.uow() as uow:
        for dealer_id, parent_id in ((own, parent), (sibling, parent), (sub, own)):
            stored = await uow.dealers.get(dealer_id)
            assert stored is not None
            stored.parent_id = parent_id
        for doc in make_valid_documents(parent):         # the parent may order (for itself and for D0001)
            await uow.qualifications.add(doc)
        await uow.commit()
    return {PARENT: parent, SUB: sub, SIBLING: sibling}


def _expected(route: tuple[str, str], caller: str) -> str:
    if caller == PARENT and route in PARENT_OUTCOMES:
        return PARENT_OUTCOMES[route]
    return MATRIX[route].other_dealer


@pytest.mark.parametrize("caller", (PARENT, SUB, SIBLING))
@pytest.mark.parametrize("route", list(MATRIX), ids=lambda k: f"{k[0]} {k[1]}")
async def test_api_hierarchy_cell(web: Web, route: tuple[str, str], caller: str) -> None:
    own, _other = await _seed(web)
    keys = await _family(web, own)
    row = MATRIX[route]
    headers = bearer(await api_key(web, *API_SCOPES, dealer_id=keys[caller]))
    before = await _state(web)
    url = row.call.url
    if RECEIPT_REF in url:
        async with web.uow() as uow:
            entry = await uow.ledger.get_by(ref="MATRIX-RECEIPT")
        assert entry is not None
        url = url.replace(RECEIPT_REF, str(entry.id))
    response = await web.client.request(row.call.method, url, json=row.call.json,
                                        headers={**headers, **dict(row.call.headers)})

    expected = _expected(route, caller)
    body: Any = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    if expected == INCLUDES:
        assert response.status_code == 200, response.text
        dealers = {item.get("dealer", item.get("code")) for item in body["items"]}
        assert "D0001" in dealers, body          # the sub-dealer's rows ...
        assert dealers <= {"D0001", "D0003"}, dealers      # ... and its own, never anyone else's
        return
    assert CHECKS[expected](response), (caller, expected, response.status_code, response.text)
    if expected == OK:
        if route == ("GET", "/api/v1/orders/{number}"):
            assert body["number"] == OWN_ORDER and body["dealer"] == "D0001"
        if route == ("GET", "/api/v1/dealers/{code}/stock"):
            assert [(i["dealer"], i["sku"], i["qty"]) for i in body["items"]] == [("D0001", "AP300", 7)]
        if route == ("POST", "/api/v1/orders"):      # the sub-dealer's order, placed on its behalf
            assert body["dealer"] == "D0001", body
        return
    assert await _state(web) == before, "a refused call changed the database"
    echoed = f"{row.call.url} {row.call.json}"     # a 404 may repeat what the caller itself sent
    for marker in (m for m in OWN_MARKERS if m not in echoed):
        assert marker not in response.text, f"{marker} leaked to the {caller}'s key"
    if expected == FILTERED:
        assert all(item.get("code", item.get("dealer")) != "D0001" for item in body["items"]), body


async def test_a_parent_whose_contract_opens_its_sub_dealers_money_reads_it(web: Web) -> None:
    """Dealer.sub_accounts_visible (the admin dealer form's 可查看下级资金账户): the parent's key then reads D0001's
    balances and ledger; a sibling's key still does not."""
    own, _other = await _seed(web)
    keys = await _family(web, own)
    async with web.uow() as uow:
        parent = await uow.dealers.get(keys[PARENT])
        assert parent is not None
        parent.sub_accounts_visible = True
        await uow.commit()
    key = bearer(await api_key(web, *API_SCOPES, dealer_id=keys[PARENT]))
    balances = await web.client.get("/api/v1/dealers/D0001/balances", headers=key)
    assert balances.status_code == 200 and balances.json()["dealer"] == "D0001", balances.text
    ledger = await web.client.get("/api/v1/dealers/D0001/ledger", headers=key)
    assert ledger.status_code == 200 and ledger.json()["items"], ledger.text
    sibling = bearer(await api_key(web, *API_SCOPES, dealer_id=keys[SIBLING]))
    assert (await web.client.get("/api/v1/dealers/D0001/balances", headers=sibling)).status_code == 404
