"""The SQLAlchemy unit of work (implements ``core.ports.AbstractUnitOfWork``).

One session per ``async with uow:`` block; leaving the block without ``commit()`` rolls back. The same
instance can be entered again for the next use case (a fresh session each time). Objects loaded in the
block stay readable after it (``expire_on_commit=False``, and the exit does not expire them); an
explicit ``await uow.rollback()`` inside the block does expire them (reload before using them again).

Database errors that mean "someone else got there first" become domain errors so use cases and chat
replies need no SQLAlchemy: a unique or foreign-key violation and a stale optimistic-lock update
(``Order.version``) raise ``core.errors.Conflict``. The session is rolled back when that happens, so a
Conflict ends the unit of work.
"""

from __future__ import annotations

import dataclasses
import time
import weakref
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import (
    func,
    select,
    type_coerce,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from core.accounts import AccountKind, FinanceRequest, LedgerEntry, Statement
from core.aftersales import Ticket
from core.aliases import DealerAlias
from core.audit import AuditEntry
from core.banking import BankRowRecord
from core.campaigns import Campaign, CampaignParticipation, MarketingMaterial, MaterialRequest
from core.contract_templates import ContractSignature, ContractTemplate, DutyMark
from core.contracts import Contract
from core.credit import CreditChange
from core.dealers import Contact, Dealer, Qualification
from core.dialogs import DialogState, InboundReceipt
from core.errors import Conflict
from core.expenses import ExpenseClaim, StaffTask
from core.faq import FaqEntry, StaffQuestion
from core.idempotency import IdempotencyRecord
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    Transfer,
    Warehouse,
    WarehouseStock,
)
from core.ledger import Balances
from core.orders import Order, OrderStatus
from core.otp import SigningCode
from core.outbox import NotificationPreference, OutboxMessage
from core.ports import AbstractUnitOfWork
from core.products import (
    DealerAllowedSku,
    DealerPrice,
    PriceLists,
    PricingInputs,
    Product,
    Promotion,
    TierPrice,
)
from core.quality import QualityFeedback
from core.rebates import RebateSettlement
from core.sellout import SellOutLine
from core.transfers import StockSharing
from core.users import ApiKey, ChatIdentity, InviteCode, Role, User
from storage import aggregates, driver
from storage import hot_statements as hot
from storage.encryption import blind_index
from storage.orm import (
    ACTORS_VERSION,
    DEALERS_VERSION,
    PRICING_VERSION,
    audit_log,
    dealer_contacts,
    ledger_entries,
    order_events,
    orders,
    start_mappers,
    track_json_changes,
)
from storage.outbox_store import outbox_row
from storage.repository import SqlAlchemyRepository
from storage.types import Money

R = TypeVar("R")

#: repository attribute of the unit of work -> the aggregate class it holds
REPOSITORIES: dict[str, type] = {
    "dealers": Dealer,
    "qualifications": Qualification,
    "products": Product,
    "tier_prices": TierPrice,
    "dealer_prices": DealerPrice,
    "allowed_skus": DealerAllowedSku,
    "promotions": Promotion,
    "ledger": LedgerEntry,
    "statements": Statement,
    "contracts": Contract,
    "orders": Order,
    "warehouses": Warehouse,
    "stock": StockLevel,
    "dealer_stock": DealerStock,
    "thresholds": StockThreshold,
    "transfers": Transfer,
    "stock_sharing": StockSharing,
    "sellout": SellOutLine,
    "campaigns": Campaign,
    "participations": CampaignParticipation,
    "materials": MarketingMaterial,
    "material_requests": MaterialRequest,
    "tickets": Ticket,
    "quality": QualityFeedback,
    "users": User,
    "identities": ChatIdentity,
    "invites": InviteCode,
    "api_keys": ApiKey,
    "audit": AuditEntry,
    "dialogs": DialogState,
    "receipts": InboundReceipt,
    "faq_entries": FaqEntry,
    "staff_questions": StaffQuestion,
    "dealer_aliases": DealerAlias,
    "outbox": OutboxMessage,
    "preferences": NotificationPreference,
    "contract_templates": ContractTemplate,
    "signing_codes": SigningCode,
    "contract_signatures": ContractSignature,
    "duty_marks": DutyMark,
    "rebate_settlements": RebateSettlement,
    "credit_changes": CreditChange,
    "expense_claims": ExpenseClaim,
    "finance_requests": FinanceRequest,
    "bank_rows": BankRowRecord,
    "staff_tasks": StaffTask,
    "idempotency_records": IdempotencyRecord,
}


def conflict_from(exc: Exception) -> Conflict | None:
    """The domain error for a database error, or None when it is a bug rather than a conflict."""
    if isinstance(exc, StaleDataError):
        return Conflict(zh="操作冲突：数据已被他人修改，请刷新后重试",
                        en="Conflict: someone else changed this record; reload and try again",
                        reason="stale", detail=str(exc))
    if isinstance(exc, IntegrityError):
        orig = exc.orig
        sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
        message = str(orig).lower()
        if sqlstate == "23505" or "unique constraint" in message:
            return Conflict(zh="操作冲突：该记录已存在", en="Conflict: this record already exists",
                            reason="duplicate", detail=str(orig))
        if sqlstate == "23503" or "foreign key constraint" in message:
            return Conflict(zh="操作冲突：引用的记录不存在或仍被使用",
                            en="Conflict: a referenced record does not exist or is still in use",
                            reason="reference", detail=str(orig))
    return None


class _PricingCache:
    """What pricing read, for one ``pricing`` version of one database: products by SKU (None: no such product),
    each (tier, dealer)'s prices by SKU and its allowed SKUs, the promotions of each day. A newer version
    empties it; so does growing past ``LIMIT`` entries."""

    LIMIT = 20_000

    def __init__(self) -> None:
        self.version = -1
        self.products: dict[str, Product | None] = {}
        self.prices: dict[tuple[str, int], tuple[dict[str, tuple[Decimal | None, Decimal | None]], frozenset[str]]] = {}
        self.promotions: dict[date, list[Promotion]] = {}

    def at(self, version: int) -> _PricingCache:
        if version != self.version or len(self.products) + len(self.prices) + len(self.promotions) > self.LIMIT:
            self.version, self.products, self.prices, self.promotions = version, {}, {}, {}
        return self


# one per database (its connection pool; tests run several in one process); a pool that goes away takes it along
_PRICING: weakref.WeakKeyDictionary[Any, _PricingCache] = weakref.WeakKeyDictionary()

SEEN_FRESH_SECONDS = 2.0
"""How long the cache versions this process last read with a chat's dialog stand for what is kept under them: the
staff to tell (``active_staff``: a user deactivated or given another role is told nothing more from then on) and a
dealer with its documents as a quote checks them (``dealer_snapshot``; submitting an order reads them afresh)."""


class _Kept:
    """One cache version as last read with a dialog, when, and what is kept under it (emptied when it moves)."""

    LIMIT = 20_000

    def __init__(self) -> None:
        self.version: int | None = None
        self.at = 0.0
        self.data: dict[Any, Any] = {}

    def saw(self, version: int) -> None:
        if version != self.version or len(self.data) > self.LIMIT:
            self.data = {}
        self.version, self.at = version, time.monotonic()

    def fresh(self) -> bool:
        return self.version is not None and time.monotonic() - self.at <= SEEN_FRESH_SECONDS


@dataclasses.dataclass
class _Seen:
    """Per database: the staff ids kept under the ``actors`` version, dealers and their documents under the
    ``dealers`` version, and the ``pricing`` version last read."""
    actors: _Kept = dataclasses.field(default_factory=_Kept)
    dealers: _Kept = dataclasses.field(default_factory=_Kept)
    pricing: _Kept = dataclasses.field(default_factory=_Kept)     # the version only (``_PRICING`` keeps the data)


_SEEN: weakref.WeakKeyDictionary[Any, _Seen] = weakref.WeakKeyDictionary()


def _detached(obj: R) -> R:
    """A copy of a mapped dataclass that belongs to no session (its constructor makes a fresh instance)."""
    return type(obj)(**{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj) if f.init})  # type: ignore[arg-type]


def _counter_key(prefix: str, day: date) -> str:
    return f"{prefix}-{day:%Y%m%d}"


async def _next_number(session: AsyncSession, prefix: str, day: date) -> str:
    key = _counter_key(prefix, day)
    stmt = hot.counter_statement(session.get_bind().dialect.name)
    value = (await session.execute(stmt, {"key": key})).scalar_one()
    return f"{key}-{value:04d}"


def _untouched(session: AsyncSession) -> bool:
    """Nothing ever went through ``session``: no transaction begun (no statement, nothing loaded), nothing added or
    deleted. Its commit and close have nothing to do, and cost a greenlet switch and the session's bookkeeping
    each (a stock query on PostgreSQL sends both of its statements on the driver: ``storage.driver``)."""
    sync = session.sync_session
    return not sync.in_transaction() and not sync.identity_map and not _has_pending(sync)


def _has_pending(sync: Session) -> bool:
    """``session.new or session.dirty or session.deleted`` without building the three sets: ``dirty`` went through
    every object the session holds, and a confirm asks this about 40 times (before each statement on the driver)."""
    return bool(sync._new or sync._deleted or sync.identity_map.check_modified())


class SqlAlchemyUnitOfWork(AbstractUnitOfWork):
    def __init__(self, session_factory: async_sessionmaker[AsyncSession],
                 autocommit_factory: async_sessionmaker[AsyncSession] | None = None,
                 counter_factory: async_sessionmaker[AsyncSession] | None = None) -> None:
        start_mappers()
        self.session_factory = session_factory
        self.autocommit_factory = autocommit_factory
        self.counter_factory = counter_factory
        self._session: AsyncSession | None = None

    def autocommit(self) -> SqlAlchemyUnitOfWork:
        """Sessions on the engine's AUTOCOMMIT connections (``storage.engine.build_session_factory(...,
        autocommit=True)``): on PostgreSQL (READ COMMITTED) a transaction gave a read nothing more anyway, each
        statement sees what was committed when it started."""
        if self.autocommit_factory is None:
            return self
        return SqlAlchemyUnitOfWork(self.autocommit_factory, counter_factory=self.counter_factory)

    @property
    def session(self) -> AsyncSession:
        """The open session (for storage-aware code such as reports in admin/); only inside ``async with``."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open: use `async with uow:`")
        return self._session

    async def __aenter__(self) -> SqlAlchemyUnitOfWork:
        self._session = self.session_factory()
        for name in self.__dict__.pop("_made", ()):      # the repositories of a previous ``async with``
            self.__dict__.pop(name, None)
        return self

    def __getattr__(self, name: str) -> Any:
        """A repository is made when first used in this ``async with`` (a use case touches a few of the fifty)."""
        cls = REPOSITORIES.get(name)
        if cls is None or self.__dict__.get("_session") is None:
            raise AttributeError(name)
        repository = SqlAlchemyRepository(self._session, cls, flush=self.flush)
        setattr(self, name, repository)
        self.__dict__.setdefault("_made", []).append(name)
        return repository

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back whatever was not committed and detaches the objects *without expiring
        # them* (rollback() would expire them): a read-only use case returns what it loaded, and async
        # code could not lazy-load expired attributes afterwards.
        session = self._session
        self._session = None
        if session is not None and not _untouched(session):
            await session.close()

    async def _translated(self, operation: Callable[[], Awaitable[R]]) -> R:
        try:
            return await operation()
        except (IntegrityError, StaleDataError) as exc:
            await self.session.rollback()
            domain_error = conflict_from(exc)
            if domain_error is None:
                raise
            raise domain_error from exc

    async def commit(self) -> None:
        if _untouched(self.session):
            return          # every statement of the unit went on the driver's own connection, each its own commit
        await self._translated(self.session.commit)

    async def flush(self) -> None:
        track_json_changes(self.session.sync_session)  # a flush skips sessions that only look clean
        await self._translated(self.session.flush)

    async def rollback(self) -> None:
        if self._session is not None:
            await self._session.rollback()

    async def next_number(self, prefix: str, day: date) -> str:
        """``{prefix}-{YYYYMMDD}-{NNNN}`` from the ``sequences`` row of (prefix, day).

        The row is created at 1 or incremented in one statement (INSERT ... ON CONFLICT DO UPDATE ... RETURNING)
        in the caller's transaction: the row stays locked until commit, so
        concurrent transactions (other processes included) get consecutive numbers, and a rolled-back
        transaction gives its number back.
        """
        return await _next_number(self.session, prefix, day)

    async def take_number(self, prefix: str, day: date) -> str:
        """With a ``counter_factory`` (PostgreSQL: ``storage.engine.build_counter_engine``, its own small pool) in
        an AUTOCOMMIT statement of its own: the counter row is locked for that statement only. In the unit's
        transaction it stayed locked until commit, and under load every submit of the day queued behind the one
        before (bench/webhook.py, 50 chats confirming: p95 4.6 s, 1.5 s without the wait). Without one (SQLite:
        one writer at a time anyway, and a second connection would wait for this unit's own write lock) the
        number is taken in the transaction, as ``next_number``."""
        if self.counter_factory is None:
            return await self.next_number(prefix, day)
        counter = self.counter_factory.kw.get("bind")
        for last in (False, True):
            try:
                if isinstance(counter, AsyncEngine) and counter.dialect.name == "postgresql":
                    key = _counter_key(prefix, day)      # on the driver's own connection of the counter pool
                    rows = await driver.fetch(counter, hot.counter_statement("postgresql"), {"key": key})
                    return f"{key}-{rows[0][0]:04d}"
                async with self.counter_factory() as session:
                    return await _next_number(session, prefix, day)
            except DBAPIError as exc:
                # its kept connection died while the pool sat unused (PostgreSQL restarted): the pool is
                # invalidated, one more try connects afresh (the main pool learns of a restart from its next use)
                if last or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def _pending(self) -> bool:
        """Objects added, changed or deleted in the session and not flushed yet (a Core statement does not see
        them, and does not flush them first)."""
        return _has_pending(self.session.sync_session)

    def _postgres(self) -> AsyncEngine | None:
        """The session's engine when it is PostgreSQL's (the driver's own connection is asyncpg's)."""
        bind = self.session.bind
        return bind if isinstance(bind, AsyncEngine) and bind.dialect.name == "postgresql" else None

    def _driver_engine(self) -> AsyncEngine | None:
        """The engine to send a statement on the driver's own connection (``storage.driver``): PostgreSQL, a unit
        in AUTOCOMMIT (each statement its own commit anyway) with nothing pending in its session; else None."""
        engine = self._postgres()
        if engine is None or self._pending() or engine.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            return None
        return engine

    async def _driver(self, *, write: bool = False, transactional: bool = False) -> tuple[AsyncEngine, Any] | None:
        """Where to send a statement on the driver's own connection: (engine, None) to take one from the pool,
        (engine, the asyncpg connection) when the session holds one already (never a second one meanwhile: see
        ``storage.driver.fetch``); None: through the session. A unit in AUTOCOMMIT may read and write there; a
        unit in a transaction reads on the connection its transaction runs on, once it runs (it sees what the
        unit wrote), and writes there only what belongs to its transaction (``transactional``), once the BEGIN
        went out (SQLAlchemy sends it with the session's first statement)."""
        session = self.session
        engine = self._driver_engine()
        in_unit = engine is None
        if in_unit:
            engine = self._postgres()
            if (engine is None or (write and not transactional) or self._pending()
                    or not session.in_transaction()):
                return None
        if not session.in_transaction():
            return engine, None
        held = await self._held()
        if in_unit and write and not held.is_in_transaction():
            return None                 # SQLAlchemy sends the BEGIN with the session's first statement
        return engine, held

    async def _held(self) -> Any:
        """The driver's handle of the connection the session's transaction holds, asked once per transaction."""
        session = self.session
        transaction = session.get_transaction()
        found = session.info.get("held")
        if found is None or found[0] is not transaction:
            found = session.info["held"] = (transaction,
                                            (await (await session.connection()).get_raw_connection()).driver_connection)
        return found[1]

    async def _rows(self, statement: Any, params: dict[str, Any], *, write: bool = False) -> list[Any]:
        """The rows of a Core statement: on the driver's own connection where it can, else through the session."""
        target = await self._driver(write=write)
        if target is None:
            return list((await self.session.execute(statement, params or None)).all())
        return await driver.fetch(target[0], statement, params, connection=target[1])

    async def add_order(self, order: Order) -> None:
        await self.insert_new(order)

    async def insert_new(self, obj: Any) -> None:
        """A new aggregate in one INSERT per table (``storage.aggregates.insert_new``), in the unit's transaction, on
        the driver's own connection where it can."""
        if self._pending():
            await self.flush()          # the writes before it go first, as in a flush
        await aggregates.insert_new(self.session, obj, self._write_rows)

    async def _write_rows(self, statement: Any, params: dict[str, Any]) -> list[Any]:
        """A write in the unit's transaction: on the driver's own connection where it can, else the session."""
        target = await self._driver(write=True, transactional=True)
        if target is None:
            return list((await self._translated(lambda: self.session.execute(statement, params))).all())
        return await self._translated(lambda: driver.fetch(target[0], statement, params, connection=target[1]))

    async def append_audit(self, entry: AuditEntry) -> None:
        """One Core INSERT in the unit's transaction: an ORM add and flush (the unit-of-work sort, the flush hooks,
        the JSON snapshots of every loaded object) cost twice the statement, for a row nobody reads back here."""
        values = {f"{c.name}_0": getattr(entry, c.name) for c in audit_log.columns if c.name != "id"}
        entry.id = (await self._write_rows(aggregates.rows_insert(audit_log, 1), values))[0][0]

    async def available_by_sku(self, skus: Sequence[str], warehouse_id: int | None = None) -> dict[str, int]:
        """On PostgreSQL summed by the database in one statement, on the driver where it can (a quote's stock
        read loaded every stock row as an object)."""
        if self.session.get_bind().dialect.name != "postgresql":
            return await super().available_by_sku(skus, warehouse_id)
        if self._pending():
            await self.flush()          # a Core select does not autoflush: stock changed in this unit counts
        params: dict[str, Any] = {"skus": list(skus)}
        if warehouse_id is not None:
            params["warehouse_id"] = warehouse_id
        rows = await self._rows(hot.available_statement(warehouse_id is not None), params)
        return {sku: int(total) for sku, total in rows}

    async def warehouse_stock(self, sku: str | None = None) -> list[WarehouseStock]:
        rows = await self._rows(hot.stock_statement(bool(sku)), {"sku": sku} if sku else {})
        return [WarehouseStock(*row) for row in rows]

    async def reserve_stock(self, warehouse_id: int, need: dict[str, int], at: datetime) -> bool:
        """The unit's other writes flushed first, then one conditional UPDATE per row: under load every order
        reserves from the same few rows, and a row locked by a read (SELECT ... FOR UPDATE), then set by the
        flush at commit, stayed locked through two awaits of a busy event loop (``bench/load.py``: the API's
        allocate waited 1.4 s on average for the lock)."""
        await self.flush()
        for sku in sorted(need):
            params = {"warehouse": warehouse_id, "item": sku, "qty": need[sku], "at": at}
            result = await self._translated(lambda p=params: self.session.execute(hot.RESERVE, p))
            if getattr(result, "rowcount", 0) != 1:
                return False
        return True

    async def take_receipt(self, receipt: InboundReceipt) -> None:
        """One Core INSERT: the ORM's add + flush (identity map, unit-of-work sort, the flush hooks) cost more than
        the statement; a receipt is neither audited nor cached, so no flush hook has anything to do with it."""
        values = {"channel": receipt.channel, "key": receipt.key, "received_at": receipt.received_at}
        await self._translated(lambda: self.session.execute(hot.RECEIPT, values))

    async def price_lists(self, tier: str, dealer_id: int, skus: Sequence[str]) -> PriceLists:
        """The three price lists in one UNION ALL (a pricing read paid three round trips for a few rows)."""
        found = list(skus)
        if self._pending():
            await self.session.flush()      # a Core select does not autoflush: prices changed in this unit count
        tier_, own, allowed = {}, {}, set()
        params = {"tier": tier, "dealer_id": dealer_id, "skus": found}
        for which, sku, price in (await self.session.execute(hot.PRICE_LISTS, params)).all():
            if which == "a":
                allowed.add(sku)
            else:
                (tier_ if which == "t" else own)[sku] = price
        return PriceLists(tier=tier_, own=own, allowed=frozenset(allowed))

    async def price_inputs(self, tier: str, dealer_id: int, skus: Sequence[str], today: date) -> PricingInputs:
        """Kept per process under the ``pricing`` version (``_pricing_version``), so a cart priced at
        each edit and again at confirm reads products, prices and promotions once while none of them changes;
        only what is not kept yet is read. A unit that changed something itself reads afresh."""
        bind = self.session.bind
        if self._pending() or bind is None:
            return await super().price_inputs(tier, dealer_id, skus, today)
        version = await self._pricing_version()
        # keyed by the connection pool: the AUTOCOMMIT engine the cart's quote uses shares it with the engine the
        # submit uses (one database), and tests' databases each have their own
        pool = getattr(bind, "sync_engine", bind).pool
        cache = _PRICING.setdefault(pool, _PricingCache()).at(version)
        wanted = sorted(set(skus))
        # copies that belong to no session: the loading session may roll back (expiring its objects) while
        # another request uses the kept ones
        missing = [sku for sku in wanted if sku not in cache.products]
        if missing:
            found = {p.sku: p for p in await self.products.list(sku__in=missing)}
            for sku in missing:
                cache.products[sku] = _detached(found[sku]) if sku in found else None
        products = {sku: p for sku in wanted if (p := cache.products.get(sku)) is not None}
        kept = cache.prices.get((tier, dealer_id))
        unpriced = [sku for sku in products if kept is None or sku not in kept[0]]
        if kept is None or unpriced:
            lists = await self.price_lists(tier, dealer_id, unpriced)
            prices = dict(kept[0]) if kept is not None else {}
            prices.update({sku: (lists.tier.get(sku), lists.own.get(sku)) for sku in unpriced})
            kept = cache.prices[(tier, dealer_id)] = (prices, lists.allowed)
        prices, allowed = kept
        if today not in cache.promotions:
            running = await self.promotions.list(active=True, starts_on__lte=today, ends_on__gte=today)
            cache.promotions[today] = [_detached(p) for p in running]
        lists = PriceLists(tier={s: t for s in products if (t := prices[s][0]) is not None},
                           own={s: o for s in products if (o := prices[s][1]) is not None}, allowed=allowed)
        return PricingInputs(products=products, lists=lists, promotions=list(cache.promotions[today]))

    async def _pricing_version(self) -> int:
        """The ``pricing`` version this unit prices under: read with the dealer's lock in this unit
        (``locked_dealer``), else read with a chat's dialog in the last ``SEEN_FRESH_SECONDS``, else read now
        (always when this unit changed prices itself)."""
        info = self.session.info
        if PRICING_VERSION not in info.get("bumped", ()):
            if "pricing" in info:
                return int(info["pricing"])
            seen = self._seen().pricing
            if self._kept(seen, PRICING_VERSION) and seen.version is not None:
                return seen.version
        found = await self._rows(hot.PRICING_VERSION_READ, {})
        return int(found[0][0] or 0) if found else 0

    async def account_totals(self, account: AccountKind) -> dict[int, Decimal]:
        """One row per dealer with entries on ``account``, summed by the database."""
        if self._pending():
            await self.session.flush()
        total = type_coerce(func.sum(ledger_entries.c.amount), Money())
        stmt = (select(ledger_entries.c.dealer_id, total).where(ledger_entries.c.account == account)
                .group_by(ledger_entries.c.dealer_id))
        return {int(d): v for d, v in (await self.session.execute(stmt)).all() if v is not None}

    async def orders_by_status(self, dealer_ids: Sequence[int] | None = None, *,
                               statuses: Sequence[OrderStatus] | None = None, created_from: datetime | None = None,
                               created_until: datetime | None = None) -> dict[OrderStatus, tuple[int, Decimal]]:
        """One row per status, counted and summed by the database (a count read up to 2000 orders before)."""
        if self._pending():
            await self.session.flush()
        total = type_coerce(func.sum(orders.c.total), Money())
        stmt = select(orders.c.status, func.count(), total).group_by(orders.c.status)
        if dealer_ids is not None:
            stmt = stmt.where(orders.c.dealer_id.in_(list(dealer_ids)))
        if statuses is not None:
            stmt = stmt.where(orders.c.status.in_(list(statuses)))
        if created_from is not None:
            stmt = stmt.where(orders.c.created_at >= created_from)
        if created_until is not None:
            stmt = stmt.where(orders.c.created_at < created_until)
        return {OrderStatus(s): (int(n), v if v is not None else Decimal("0.00"))
                for s, n, v in (await self.session.execute(stmt)).all()}

    async def orders_moved(self, statuses: Sequence[OrderStatus], since: datetime, until: datetime,
                           dealer_ids: Sequence[int] | None = None) -> dict[OrderStatus, int]:
        """One row per status: the orders with such an event in those days, counted by the database."""
        if self._pending():
            await self.session.flush()
        events = order_events.c
        stmt = (select(events.status, func.count(events.order_id.distinct()))
                .where(events.status.in_(list(statuses)), events.at >= since, events.at < until)
                .group_by(events.status))
        if dealer_ids is not None:
            stmt = (stmt.join_from(order_events, orders, orders.c.id == events.order_id)
                    .where(orders.c.dealer_id.in_(list(dealer_ids))))
        return {OrderStatus(s): int(n) for s, n in (await self.session.execute(stmt)).all() if n}

    async def dealer_codes(self, ids: Sequence[int]) -> dict[int, str]:
        return {i: code for i, code in (await self.session.execute(hot.DEALER_CODES, {"ids": sorted(ids)})).all()}

    async def balances(self, dealer_id: int, account: AccountKind | None = None) -> Balances:
        """One row per account summed by the database (a quote read every ledger entry of the dealer before)."""
        if self._pending():
            await self.session.flush()      # a Core select does not autoflush: entries added in this unit count
        statement, params = ((hot.BALANCES, {"dealer_id": dealer_id}) if account is None else
                             (hot.ONE_BALANCE, {"dealer_id": dealer_id, "account": account}))
        sums = {AccountKind(a): v for a, v in await self._rows(statement, params)}
        return Balances.from_sums(sums)

    async def dialog_and_version(self, channel: str, chat_id: str) -> tuple[DialogState | None, int | None]:
        """The chat's dialog state and the ``actors`` cache version in one statement (a missing version row reads
        as 0: the first change writes it as 1). A chat without a dialog yet gets no version (nothing cached)."""
        row = (await self.session.execute(hot.dialog_statement(), {"channel": channel, "chat_id": chat_id})).first()
        if row is None:
            return None, None
        self._saw(row[1], row[2], row[3])
        return row[0], int(row[1] or 0)

    def _seen(self) -> _Seen:
        bind = self.session.bind
        return _SEEN.setdefault(getattr(bind, "sync_engine", bind).pool, _Seen())

    def _saw(self, actors: int | None, dealers: int | None, pricing: int | None) -> None:
        seen = self._seen()
        seen.actors.saw(int(actors or 0))
        seen.dealers.saw(int(dealers or 0))
        seen.pricing.saw(int(pricing or 0))

    def _kept(self, kept: _Kept, version_name: str) -> bool:
        """Whether ``kept`` may answer this unit: seen fresh, and nothing of its kind changed in this unit."""
        session = self.session
        return kept.fresh() and not self._pending() and version_name not in session.info.get("bumped", ())

    async def dealer_snapshot(self, dealer_id: int) -> tuple[Dealer | None, list[Qualification]]:
        """Kept per process under the ``dealers`` version read with a chat's dialog in the last
        ``SEEN_FRESH_SECONDS`` (a cart priced at every edit read the dealer and its documents each time); the kept
        objects are shared by every caller, read-only (the port's "not for a change")."""
        kept = self._seen().dealers
        if not self._kept(kept, DEALERS_VERSION):
            return await super().dealer_snapshot(dealer_id)
        return await self._kept_dealer(kept, dealer_id)

    async def order_by_request_key(self, dealer_id: int, key: str) -> Order | None:
        """Its id looked for first (one light statement; most submits find none), then the order read."""
        if self._pending():
            await self.flush()
        rows = await self._rows(hot.ORDER_BY_KEY, {"dealer_id": dealer_id, "key": key})
        return await self.orders.get(rows[0][0]) if rows else None

    async def locked_dealer(self, dealer_id: int) -> tuple[Dealer | None, list[Qualification]]:
        """On PostgreSQL the dealer's row locked in one light statement that also reads the ``dealers`` version as
        committed now: when this process keeps the dealer under that version (``dealer_snapshot``), copies of the
        kept ones, else read (under the lock) and kept. Every change of a dealer, its contacts, addresses or
        documents bumps that version in its own transaction, so what is kept under it is what is committed."""
        if self._postgres() is None or self._pending() or DEALERS_VERSION in self.session.info.get("bumped", ()):
            return await super().locked_dealer(dealer_id)
        # FOR UPDATE belongs to the transaction: on the driver only once it runs there (as a write of the unit)
        rows = await self._write_rows(hot.LOCK_DEALER, {"id": dealer_id})
        if not rows:
            return None, []
        kept = self._seen().dealers
        kept.saw(int(rows[0][1] or 0))
        self.session.info["pricing"] = int(rows[0][2] or 0)        # this unit's quote prices under it
        return await self._kept_dealer(kept, dealer_id)

    async def _kept_dealer(self, kept: _Kept, dealer_id: int) -> tuple[Dealer | None, list[Qualification]]:
        """The dealer and documents kept under ``kept``'s version (copies that belong to no session), read and kept
        first if need be."""
        version = kept.version
        found = kept.data.get(dealer_id)
        if found is None:
            dealer = await self.dealers.get(dealer_id)
            documents = [] if dealer is None else await self.qualifications.list(dealer_id=dealer_id)
            found = (None if dealer is None else _detached(dealer), [_detached(d) for d in documents])
            if kept.version == version:
                kept.data[dealer_id] = found
        dealer, documents = found
        # the kept objects themselves, shared by every caller (read-only: a port's "not for a change"): a copy per
        # call went through the mapped classes' instrumented constructors, 6% of a cart + confirm's CPU
        return dealer, list(documents)

    async def active_staff(self, roles: Sequence[Role]) -> list[int]:
        """Kept per process under the ``actors`` version read with a chat's dialog in the last
        ``SEEN_FRESH_SECONDS`` (an order confirmed tells the order desk: its staff are read once, not with every
        order); read afresh when this unit changed users itself, or no dialog was read lately."""
        seen = self._seen().actors
        if not self._kept(seen, ACTORS_VERSION):
            return await super().active_staff(roles)
        key = tuple(sorted(roles))
        version = seen.version
        kept = seen.data.get(key)
        if kept is None:
            kept = await super().active_staff(roles)
            if seen.version == version:         # no newer version seen while reading
                seen.data[key] = kept
        return list(kept)

    async def receipt_and_dialog(self, receipt: InboundReceipt, channel: str,
                                 chat_id: str) -> tuple[DialogState | None, int | None]:
        """On PostgreSQL one statement (``hot.receipt_and_dialog_statement``): a round trip less for every update."""
        if self.session.get_bind().dialect.name != "postgresql":
            return await super().receipt_and_dialog(receipt, channel, chat_id)
        params = {"channel": receipt.channel, "key": receipt.key, "received_at": receipt.received_at,
                  "chat_id": chat_id}
        assert channel == receipt.channel
        rows = await self._translated(lambda: self._rows(hot.receipt_and_dialog_statement(), params, write=True))
        dialog_id, state, data, language, written, updated_at, version, dealers, pricing, _ = rows[0]
        self._saw(version, dealers, pricing)
        if dialog_id is None:
            return None, None
        return DialogState(channel=channel, chat_id=chat_id, state=state, data=data, language=language,
                           written_language=written, updated_at=updated_at, id=dialog_id), int(version or 0)

    async def add_new_outbox(self, messages: Sequence[OutboxMessage]) -> list[OutboxMessage]:
        """One ``INSERT ... ON CONFLICT (dedup_key) DO NOTHING RETURNING``, in this unit's transaction: no look-up
        first, and no ORM flush for rows nobody reads back in the unit (the staged messages get their ids; they
        are not in the session). A key taken meanwhile by another transaction is skipped, not a failed commit."""
        if not messages:
            return []
        session = self.session
        if self._pending():
            await self.flush()          # the writes before it go first, as in a flush (a new user told, say)
        if self._postgres() is not None and len(messages) <= hot.OUTBOX_ROWS_MAX:
            # a statement for their number, on the driver's own connection where it can
            values = {f"{k}_{n}": v for n, m in enumerate(messages) for k, v in outbox_row(m).items()}
            found = await self._write_rows(hot.outbox_rows_insert(len(messages)), values)
        else:
            stmt = hot.outbox_insert(session.get_bind().dialect.name)
            rows = [outbox_row(m) for m in messages]    # one INSERT of them all (SQLAlchemy's insertmanyvalues)
            found = list((await self._translated(lambda: session.execute(stmt, rows))).all())
        ids = {key: id_ for id_, key in found}
        staged = [m for m in messages if m.dedup_key in ids]
        for message in staged:
            message.id = ids[message.dedup_key]
        return staged

    async def write_dialog(self, dialog: DialogState, updated_at: datetime) -> bool:
        """On the driver's own connection where it can (``_driver_engine``): the session's UPDATE cost about
        three times the statement."""
        target = await self._driver(write=True)
        if target is None:
            return await super().write_dialog(dialog, updated_at)
        stmt, params = self.dialogs.update_statement(
            {"state": dialog.state, "data": dict(dialog.data), "language": dialog.language,
             "written_language": dialog.written_language, "updated_at": updated_at},
            id=dialog.id, updated_at=dialog.updated_at)
        return bool(await self._translated(lambda: driver.execute(target[0], stmt, params, connection=target[1])))

    async def user_by_identity(self, channel: str, external_id: str) -> User | None:
        params = {"channel": channel, "external_id": external_id}
        return (await self.session.scalars(hot.identity_statement(), params)).first()

    async def find_contact_by_phone(self, phone: str) -> Contact | None:
        """The dealer contact with this phone (normalised: spaces, dashes and +86 ignored), first by id.

        Phones are encrypted; the lookup goes through the HMAC blind index ``dealer_contacts.phone_hash``.
        """
        stmt = (select(Contact).where(dealer_contacts.c.phone_hash == blind_index(phone))
                .order_by(dealer_contacts.c.id).limit(1))
        return (await self.session.scalars(stmt)).first()
