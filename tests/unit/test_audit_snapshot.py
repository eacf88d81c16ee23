"""``core.auditing.snapshot`` with named fields gives what it gave by ``dataclasses.asdict`` of the whole object,
without copying the rest (issue 18: an order's lines and events were copied to audit its status)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

import pytest

from core import auditing
from core.services.orders import AUDIT_FIELDS
from tests.chat import ChatWorld
from tests.factories import make_dealer


def _whole(obj: Any, fields: tuple[str, ...] | None) -> dict[str, Any]:
    data = dataclasses.asdict(obj)
    if fields is not None:
        data = {k: v for k, v in data.items() if k in fields}
    return {k: auditing._jsonable(v) for k, v in data.items()}


async def test_an_orders_fields_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer()
    order = await w.order(dealer, [("AP300", 2), ("DH20", 1)], to="shipped")
    order.approval_reasons = ["credit", "price"]
    for fields in (AUDIT_FIELDS, AUDIT_FIELDS + ("dealer_id", "lines", "events"), ("total",), ()):
        assert auditing.snapshot(order, fields) == _whole(order, fields)
    assert auditing.snapshot(order) == _whole(order, None)
    seen: list[object] = []
    real = dataclasses.asdict
    monkeypatch.setattr(dataclasses, "asdict", lambda o, **kw: seen.append(o) or real(o, **kw))
    assert auditing.snapshot(order, AUDIT_FIELDS)["total"] == str(order.total)
    assert seen == []               # no line or event copied to read the order's status


def test_a_dealers_fields_and_a_dict_as_before() -> None:
    dealer = make_dealer(code="SNAP1", credit_limit=Decimal("1000.00"))
    assert auditing.snapshot(dealer, ("code", "credit_limit", "status")) == _whole(
        dealer, ("code", "credit_limit", "status"))
    assert auditing.snapshot({"a": Decimal("1.50"), "b": 2}, ("a",)) == {"a": "1.50"}
