"""The hot paths' own statements, built once per process (``storage.uow`` sends them, some on the driver's own
connection: ``storage.driver`` compiles each once).

Building a select, its joins and conditions again for every call cost more CPU than running it (a stock query's
stock read: a fifth of the update); the values go in as bound parameters, as in ``storage.repository``.
"""

from __future__ import annotations

import functools
from typing import Any

from sqlalchemy import (
    String,
    and_,
    any_,
    bindparam,
    func,
    insert,
    literal,
    null,
    select,
    type_coerce,
    union_all,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.dialogs import DialogState
from core.inventory import ThresholdScope
from core.users import User
from storage.orm import (
    ACTORS_VERSION,
    DEALERS_VERSION,
    PRICING_VERSION,
    cache_versions,
    chat_identities,
    dealer_allowed_skus,
    dealer_prices,
    dealers,
    dialog_states,
    inbound_receipts,
    ledger_entries,
    orders,
    outbox_messages,
    products,
    sequences,
    stock_levels,
    stock_thresholds,
    tier_prices,
    users,
    warehouses,
)
from storage.types import Money

RESERVE = (update(stock_levels)
           .where(stock_levels.c.warehouse_id == bindparam("warehouse"), stock_levels.c.sku == bindparam("item"),
                  stock_levels.c.on_hand - stock_levels.c.reserved >= bindparam("qty"))
           .values(reserved=stock_levels.c.reserved + bindparam("qty"), updated_at=bindparam("at")))
"""A stock row reserved only where its available stock covers the quantity (``uow.reserve_stock``)."""


@functools.cache
def available_statement(one_warehouse: bool) -> Any:
    """PostgreSQL: the SKUs as one array parameter (an IN list is a new statement for every length)."""
    stmt = (select(stock_levels.c.sku, func.sum(func.greatest(stock_levels.c.on_hand - stock_levels.c.reserved, 0)))
            .where(stock_levels.c.sku == any_(bindparam("skus", type_=ARRAY(String))))
            .group_by(stock_levels.c.sku))
    return stmt.where(stock_levels.c.warehouse_id == bindparam("warehouse_id")) if one_warehouse else stmt


ORDER_BY_KEY = select(orders.c.id).where(orders.c.dealer_id == bindparam("dealer_id"),
                                         orders.c.client_request_key == bindparam("key"))

def _version(name: str) -> Any:
    return select(cache_versions.c.version).where(cache_versions.c.name == name).scalar_subquery()


#: the dealer's row locked, with the ``dealers`` and ``pricing`` cache versions as committed now
LOCK_DEALER = (select(dealers.c.id, _version(DEALERS_VERSION), _version(PRICING_VERSION))
               .where(dealers.c.id == bindparam("id")).with_for_update(of=dealers))


@functools.cache
def outbox_insert(dialect: str) -> Any:
    insert_: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert_(outbox_messages).on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(outbox_messages.c.id, outbox_messages.c.dedup_key))


#: pushes staged at once up to this many go in one statement built for their number (on the driver's own connection
#: where it can); more (a broadcast) go through the session's ``insertmanyvalues`` (``outbox_insert``)
OUTBOX_ROWS_MAX = 64


@functools.lru_cache(maxsize=OUTBOX_ROWS_MAX)
def outbox_rows_insert(count: int) -> Any:
    """PostgreSQL: ``count`` pushes in one INSERT that skips the keys taken, values as ``<column>_<n>``."""
    columns = [c for c in outbox_messages.columns if c.name != "id"]
    rows = [{c: bindparam(f"{c.name}_{n}", type_=c.type) for c in columns} for n in range(count)]
    return (pg_insert(outbox_messages).values(rows).on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(outbox_messages.c.id, outbox_messages.c.dedup_key))


@functools.cache
def counter_statement(dialect: str) -> Any:
    insert_: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    return (insert_(sequences).values(key=bindparam("key"), value=1)
            .on_conflict_do_update(index_elements=["key"], set_={"value": sequences.c.value + 1})
            .returning(sequences.c.value))


@functools.cache
def stock_statement(by_sku: bool) -> Any:
    mark = and_(stock_thresholds.c.scope == ThresholdScope.WAREHOUSE, stock_thresholds.c.scope_id == warehouses.c.id,
                stock_thresholds.c.sku == stock_levels.c.sku)
    stmt = (select(stock_levels.c.sku, warehouses.c.id, warehouses.c.region,
                   stock_levels.c.on_hand - stock_levels.c.reserved, stock_thresholds.c.low)
            .join(warehouses, warehouses.c.id == stock_levels.c.warehouse_id)
            .join(products, and_(products.c.sku == stock_levels.c.sku, products.c.active.is_(True)))
            .outerjoin(stock_thresholds, mark)
            .order_by(stock_levels.c.id))
    return stmt.where(stock_levels.c.sku == bindparam("sku")) if by_sku else stmt


RECEIPT = insert(inbound_receipts)
PRICING_VERSION_READ = select(cache_versions.c.version).where(cache_versions.c.name == PRICING_VERSION)
PRICE_LISTS = union_all(
    select(literal("t"), tier_prices.c.sku, tier_prices.c.price)
    .where(tier_prices.c.tier == bindparam("tier"), tier_prices.c.sku.in_(bindparam("skus", expanding=True))),
    select(literal("d"), dealer_prices.c.sku, dealer_prices.c.price)
    .where(dealer_prices.c.dealer_id == bindparam("dealer_id"),
           dealer_prices.c.sku.in_(bindparam("skus", expanding=True))),
    select(literal("a"), dealer_allowed_skus.c.sku, null())
    .where(dealer_allowed_skus.c.dealer_id == bindparam("dealer_id")))
_BALANCE = type_coerce(func.sum(ledger_entries.c.amount), Money())
DEALER_CODES = select(dealers.c.id, dealers.c.code).where(dealers.c.id.in_(bindparam("ids", expanding=True)))
BALANCES = (select(ledger_entries.c.account, _BALANCE).where(ledger_entries.c.dealer_id == bindparam("dealer_id"))
            .group_by(ledger_entries.c.account))
ONE_BALANCE = (select(ledger_entries.c.account, _BALANCE)
               .where(ledger_entries.c.dealer_id == bindparam("dealer_id"),
                      ledger_entries.c.account == bindparam("account"))
               .group_by(ledger_entries.c.account))


def _versions() -> tuple[Any, Any, Any]:
    """The cache versions read with a chat's dialog: ``actors``, ``dealers``, ``pricing``."""
    return _version(ACTORS_VERSION), _version(DEALERS_VERSION), _version(PRICING_VERSION)


@functools.cache
def dialog_statement() -> Any:          # the mapped class: built once the mappers are started
    return select(DialogState, *_versions()).where(
        dialog_states.c.channel == bindparam("channel"), dialog_states.c.chat_id == bindparam("chat_id"))


@functools.cache
def receipt_and_dialog_statement() -> Any:
    """PostgreSQL: the receipt's INSERT as a CTE of the dialog's SELECT, one round trip for both (a duplicate
    delivery fails the whole statement on the unique (channel, key), as the INSERT alone did). The dialog's
    columns, not the mapped object: the same rows on the driver's own connection and through a session."""
    taken = (insert(inbound_receipts).values(channel=bindparam("channel"), key=bindparam("key"),
                                             received_at=bindparam("received_at"))
             .returning(inbound_receipts.c.id).cte("taken"))
    receipt = select(taken.c.id).scalar_subquery()
    chat = and_(dialog_states.c.channel == bindparam("channel"), dialog_states.c.chat_id == bindparam("chat_id"))
    d = dialog_states.c
    return (select(d.id, d.state, d.data, d.language, d.written_language, d.updated_at, *_versions(), receipt)
            .select_from(select(literal(1).label("one")).subquery("one"))
            .outerjoin(dialog_states, chat))


@functools.cache
def identity_statement() -> Any:
    return (select(User).join(chat_identities, chat_identities.c.user_id == users.c.id)
            .where(chat_identities.c.channel == bindparam("channel"),
                   chat_identities.c.external_id == bindparam("external_id")))
