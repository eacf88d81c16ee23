"""Bulk loading for benchmarks and demo data: Core ``insert()`` with executemany, no ORM objects.

Rows are plain dicts keyed by column name (= the dataclass field names). Missing keys take the
dataclass defaults; ``id`` is generated. Values go through the same column types as the ORM (money as
``Decimal``, aware datetimes, enums or their string values), so rows loaded here read back like any
other. No audit entries are written: this is not a use case.

Sell-out line row (``insert_sellout_lines``)::

    {"dealer_id": 12, "sold_on": date(2026, 11, 1), "sku": "KJ-500", "qty": 2, "amount": Decimal("3998.00"),
     "province": "江苏", "city": "南京",
     "customer_type": "retail",        # optional (retail | project | online | subdealer)
     "reported_at": aware_datetime}    # optional

Order row (``insert_orders_bulk``): the ``orders`` columns (required: ``number``, ``dealer_id``; the rest
default as in ``core.orders.Order``: status submitted, total 0.00, version 1 ...) plus ``"lines"``: a
list of order-line dicts (``sku``, ``name``, ``qty``, ``unit_price``; optional ``discount``, ``free_qty``,
``promotion_code``) and optionally ``"events"`` (``status``, ``actor``, ``at``; optional ``note``).

Each batch is committed on its own (a failure keeps the batches before it). On PostgreSQL asyncpg sends
each batch as one pipelined executemany: about a million sell-out lines in well under two minutes.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.orders import Order, OrderEvent, OrderLine
from core.sellout import SellOutLine
from storage.orm import order_events, order_lines, orders, sellout_lines

__all__ = ["insert_orders_bulk", "insert_sellout_lines"]


def _chunks(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    if size < 1:
        raise ValueError("batch must be at least 1")
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


class _RowShape:
    """Turns partial dicts into complete rows for one table, with the dataclass defaults."""

    def __init__(self, cls: type, table: Table, *, extra: tuple[str, ...] = ()) -> None:
        self.table = table
        self.columns = [c.key for c in table.columns if c.key != "id"]
        self.defaults: dict[str, Any] = {}
        self.factories: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            if f.name not in self.columns:
                continue
            if f.default is not dataclasses.MISSING:
                self.defaults[f.name] = f.default
            elif f.default_factory is not dataclasses.MISSING:
                self.factories[f.name] = f.default_factory
        self.required = [c for c in self.columns if c not in self.defaults and c not in self.factories]
        self.allowed = set(self.columns) | set(extra) | {"id"}

    def __call__(self, row: Mapping[str, Any], **fixed: Any) -> dict[str, Any]:
        unknown = set(row) - self.allowed
        if unknown:
            raise KeyError(f"{self.table.name}: unknown columns {sorted(unknown)}")
        out = {**self.defaults, **{k: make() for k, make in self.factories.items()}}
        out.update((k, v) for k, v in row.items() if k in self.columns)
        out.update(fixed)
        missing = [c for c in self.required if c not in out]
        if missing:
            raise KeyError(f"{self.table.name}: missing columns {missing}")
        return out


_SELLOUT = _RowShape(SellOutLine, sellout_lines)
_ORDER = _RowShape(Order, orders, extra=("lines", "events"))
_LINE = _RowShape(OrderLine, order_lines)
_EVENT = _RowShape(OrderEvent, order_events)


async def insert_sellout_lines(
    session_factory: async_sessionmaker[AsyncSession],
    rows: Iterable[Mapping[str, Any]],
    batch: int = 10_000,
) -> int:
    """Insert sell-out lines in batches of ``batch``; returns how many were inserted."""
    inserted = 0
    async with session_factory() as session:
        for chunk in _chunks(rows, batch):
            await session.execute(insert(sellout_lines), [_SELLOUT(r) for r in chunk])
            await session.commit()
            inserted += len(chunk)
    return inserted


async def insert_orders_bulk(
    session_factory: async_sessionmaker[AsyncSession],
    rows: Iterable[Mapping[str, Any]],
    batch: int = 2_000,
) -> int:
    """Insert orders with their lines (and events) in batches of ``batch`` orders; returns the order count.

    Order ids come back from ``INSERT ... RETURNING`` in parameter order (PostgreSQL, SQLite >= 3.35).
    """
    inserted = 0
    async with session_factory() as session:
        for chunk in _chunks(rows, batch):
            stmt = insert(orders).returning(orders.c.id, sort_by_parameter_order=True)
            ids = (await session.execute(stmt, [_ORDER(r) for r in chunk])).scalars().all()
            lines = [_LINE(line, order_id=order_id)
                     for order_id, row in zip(ids, chunk, strict=True) for line in row.get("lines", ())]
            events = [_EVENT(event, order_id=order_id)
                      for order_id, row in zip(ids, chunk, strict=True) for event in row.get("events", ())]
            if lines:
                await session.execute(insert(order_lines), lines)
            if events:
                await session.execute(insert(order_events), events)
            await session.commit()
            inserted += len(chunk)
    return inserted
