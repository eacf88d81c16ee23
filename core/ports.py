"""Ports the domain needs from the outside world. ``storage`` implements them with SQLAlchemy;
``tests/fakes.py`` implements them in memory (``FakeUnitOfWork`` and its repositories) for the unit tests.

One generic repository serves every aggregate: the domain asks by attribute, never by SQL.
Filter syntax for ``get_by`` / ``list`` / ``count``: ``field=value`` (equality), ``field__in=[...]``,
``field__gte=v``, ``field__lte=v``, ``field__lt=v``, ``field__gt=v``, ``field__ne=v``,
``field__contains=text`` (case-insensitive substring on text columns).
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Generic, TypeVar

from core.accounts import AccountKind, FinanceRequest, LedgerEntry, Statement
from core.aftersales import Ticket
from core.aliases import DealerAlias
from core.audit import AuditEntry
from core.banking import BankRowRecord
from core.campaigns import Campaign, CampaignParticipation, MarketingMaterial, MaterialRequest
from core.contract_templates import ContractSignature, ContractTemplate, DutyMark
from core.contracts import Contract, SalesTarget
from core.credit import CreditChange
from core.dealers import Contact, Dealer, Qualification
from core.dialogs import DialogState, InboundReceipt
from core.expenses import ExpenseClaim, StaffTask
from core.faq import FaqEntry, StaffQuestion
from core.idempotency import IdempotencyRecord
from core.inventory import (
    DealerStock,
    StockLevel,
    StockThreshold,
    ThresholdScope,
    Transfer,
    Warehouse,
    WarehouseStock,
)
from core.ledger import Balances
from core.orders import Order, OrderStatus
from core.otp import SigningCode
from core.outbox import NotificationPreference, OutboxMessage
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
from core.reports import DealerFrequency, Dimension, MonthPoint, ReportFilter, Share, Totals
from core.sellout import SellOutLine
from core.transfers import StockSharing
from core.users import ApiKey, ChatIdentity, InviteCode, Role, User

T = TypeVar("T")


class AbstractRepository(abc.ABC, Generic[T]):
    @abc.abstractmethod
    async def add(self, obj: T) -> T:
        """Stage a new object; its ``id`` is set after ``flush`` (the unit of work flushes on commit)."""

    async def add_all(self, objs: Sequence[T]) -> list[T]:
        """Stage several new objects (storage inserts them with one statement)."""
        return [await self.add(obj) for obj in objs]

    @abc.abstractmethod
    async def get(self, id: int, *, for_update: bool = False) -> T | None: ...

    @abc.abstractmethod
    async def get_by(self, *, for_update: bool = False, **filters: Any) -> T | None:
        """The single match, or None. ``for_update`` locks the row (SELECT ... FOR UPDATE on PostgreSQL)."""

    @abc.abstractmethod
    async def list(
        self,
        *,
        order_by: str | None = None,
        desc: bool = False,
        limit: int | None = None,
        offset: int = 0,
        **filters: Any,
    ) -> list[T]: ...

    @abc.abstractmethod
    async def count(self, **filters: Any) -> int: ...

    @abc.abstractmethod
    async def delete(self, obj: T) -> None: ...

    async def delete_where(self, **filters: Any) -> int:
        """Delete every match at once (housekeeping of bulky tables); the number deleted. Storage deletes
        in one statement; this default goes one by one."""
        found = await self.list(**filters)
        for obj in found:
            await self.delete(obj)
        return len(found)

    async def update_where(self, values: dict[str, Any], **filters: Any) -> int:
        """Set ``values`` on every match at once, without reading first; the number of matches. Storage
        updates in one statement; this default goes one by one."""
        if not filters:
            raise ValueError("update_where needs at least one filter")
        found = await self.list(**filters)
        for obj in found:
            for name, value in values.items():
                setattr(obj, name, value)
        return len(found)


class AbstractUnitOfWork(abc.ABC):
    """One unit of work per use case, one commit. Leaving the ``async with`` without commit rolls back."""

    dealers: AbstractRepository[Dealer]
    qualifications: AbstractRepository[Qualification]
    products: AbstractRepository[Product]
    tier_prices: AbstractRepository[TierPrice]
    dealer_prices: AbstractRepository[DealerPrice]
    allowed_skus: AbstractRepository[DealerAllowedSku]
    promotions: AbstractRepository[Promotion]
    ledger: AbstractRepository[LedgerEntry]
    statements: AbstractRepository[Statement]
    contracts: AbstractRepository[Contract]
    orders: AbstractRepository[Order]
    warehouses: AbstractRepository[Warehouse]
    stock: AbstractRepository[StockLevel]
    dealer_stock: AbstractRepository[DealerStock]
    thresholds: AbstractRepository[StockThreshold]
    transfers: AbstractRepository[Transfer]
    stock_sharing: AbstractRepository[StockSharing]
    sellout: AbstractRepository[SellOutLine]
    campaigns: AbstractRepository[Campaign]
    participations: AbstractRepository[CampaignParticipation]
    materials: AbstractRepository[MarketingMaterial]
    material_requests: AbstractRepository[MaterialRequest]
    tickets: AbstractRepository[Ticket]
    quality: AbstractRepository[QualityFeedback]
    users: AbstractRepository[User]
    identities: AbstractRepository[ChatIdentity]
    invites: AbstractRepository[InviteCode]
    api_keys: AbstractRepository[ApiKey]
    audit: AbstractRepository[AuditEntry]
    dialogs: AbstractRepository[DialogState]
    receipts: AbstractRepository[InboundReceipt]
    faq_entries: AbstractRepository[FaqEntry]
    staff_questions: AbstractRepository[StaffQuestion]
    dealer_aliases: AbstractRepository[DealerAlias]
    outbox: AbstractRepository[OutboxMessage]
    preferences: AbstractRepository[NotificationPreference]
    contract_templates: AbstractRepository[ContractTemplate]
    signing_codes: AbstractRepository[SigningCode]
    contract_signatures: AbstractRepository[ContractSignature]
    duty_marks: AbstractRepository[DutyMark]
    rebate_settlements: AbstractRepository[RebateSettlement]
    credit_changes: AbstractRepository[CreditChange]
    expense_claims: AbstractRepository[ExpenseClaim]
    finance_requests: AbstractRepository[FinanceRequest]
    bank_rows: AbstractRepository[BankRowRecord]
    staff_tasks: AbstractRepository[StaffTask]
    idempotency_records: AbstractRepository[IdempotencyRecord]

    async def __aenter__(self) -> AbstractUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.rollback()

    @abc.abstractmethod
    async def commit(self) -> None: ...

    @abc.abstractmethod
    async def rollback(self) -> None: ...

    @abc.abstractmethod
    async def flush(self) -> None:
        """Send pending writes so generated ids are set, without committing."""

    async def warehouse_stock(self, sku: str | None = None) -> list[WarehouseStock]:
        """Every active product's (or ``sku``'s, when active) stock per warehouse with the region and low mark.
        Storage reads it in one statement; this default composes the repositories."""
        warehouses = {w.id: w for w in await self.warehouses.list()}
        lows = {(t.scope_id, t.sku): t.low for t in await self.thresholds.list(scope=ThresholdScope.WAREHOUSE)}
        filters: dict[str, Any] = {"active": True} | ({"sku": sku} if sku else {})
        skus = sorted({p.sku for p in await self.products.list(**filters)})
        out = []
        for level in await self.stock.list(sku__in=skus):
            w = warehouses.get(level.warehouse_id)
            if w is not None and w.id is not None:
                out.append(WarehouseStock(level.sku, w.id, w.region, level.available, lows.get((w.id, level.sku))))
        return out

    async def reserve_stock(self, warehouse_id: int, need: dict[str, int], at: datetime) -> bool:
        """Reserve ``need`` (SKU -> quantity) from the warehouse's stock rows, each only where its available stock
        covers it, as the unit's last writes before its commit: True when every row had enough (else the caller
        rolls back: some rows may have been reserved). Storage sends one conditional UPDATE per row, in SKU order,
        after flushing the unit's other writes, so a row every order reserves from is locked from that UPDATE to
        the commit only, not from a read before. This default locks, checks and sets through the repository."""
        for sku in sorted(need):
            row = await self.stock.get_by(warehouse_id=warehouse_id, sku=sku, for_update=True)
            if row is None or row.available < need[sku]:
                return False
            row.reserved += need[sku]
            row.updated_at = at
        return True

    async def take_receipt(self, receipt: InboundReceipt) -> None:
        """Record a delivered update; ``Conflict`` when its (channel, key) is recorded already (handled, here or in
        another process). Storage writes it with one INSERT, without the unit of work's flush."""
        await self.receipts.add(receipt)

    def autocommit(self) -> AbstractUnitOfWork:
        """A unit of work whose every statement is its own transaction (no BEGIN, no ROLLBACK: two round trips
        fewer), for a use case that only reads, or whose one write is the whole change (a delivery receipt).
        Storage that has no such mode returns itself."""
        return self

    async def price_lists(self, tier: str, dealer_id: int, skus: Sequence[str]) -> PriceLists:
        """``tier``'s prices and ``dealer_id``'s own prices for ``skus``, and the SKUs the dealer may order (all of
        its list, not only ``skus``). Storage reads the three in one statement."""
        found = list(skus)
        return PriceLists(
            tier={t.sku: t.price for t in await self.tier_prices.list(tier=tier, sku__in=found)},
            own={d.sku: d.price for d in await self.dealer_prices.list(dealer_id=dealer_id, sku__in=found)},
            allowed=frozenset(a.sku for a in await self.allowed_skus.list(dealer_id=dealer_id)))

    async def balances(self, dealer_id: int, account: AccountKind | None = None) -> Balances:
        """The dealer's money accounts summed (one account when ``account`` is given, the others zero).
        Storage sums in the database: a ledger only grows, and a quote must not read every entry it ever had."""
        filters: dict[str, Any] = {"dealer_id": dealer_id}
        if account is not None:
            filters["account"] = account
        return Balances.from_entries(await self.ledger.list(**filters))

    async def account_totals(self, account: AccountKind) -> dict[int, Decimal]:
        """Every dealer's total on ``account`` (dealers with no entry on it left out). Storage sums in the
        database, one row per dealer."""
        totals: dict[int, Decimal] = {}
        for entry in await self.ledger.list(account=account):
            totals[entry.dealer_id] = totals.get(entry.dealer_id, Decimal("0.00")) + entry.amount
        return totals

    async def price_inputs(self, tier: str, dealer_id: int, skus: Sequence[str], today: date) -> PricingInputs:
        """The products among ``skus``, the dealer's price lists for them and the promotions running ``today``.
        Storage keeps them per process while no product, price, allowed SKU or promotion changes (a version
        bumped in the changing transaction), so a cart priced and then confirmed reads them once."""
        products = {p.sku: p for p in await self.products.list(sku__in=list(skus))}
        lists = await self.price_lists(tier, dealer_id, list(products))
        promotions = await self.promotions.list(active=True, starts_on__lte=today, ends_on__gte=today)
        return PricingInputs(products=products, lists=lists, promotions=promotions)

    async def dialog_and_version(self, channel: str, chat_id: str) -> tuple[DialogState | None, int | None]:
        """The chat's dialog state and the version of who may speak in chats (chat identities, users, dealer
        aliases: bumped by every change to them), or None where there is no version (nothing may be cached).
        Storage reads both in one statement."""
        return await self.dialogs.get_by(channel=channel, chat_id=chat_id), None

    async def receipt_and_dialog(self, receipt: InboundReceipt, channel: str,
                                 chat_id: str) -> tuple[DialogState | None, int | None]:
        """``take_receipt`` then ``dialog_and_version``: what every chat update does first (``Conflict``: handled
        already). Storage that can sends both in one statement."""
        await self.take_receipt(receipt)
        return await self.dialog_and_version(channel, chat_id)

    async def orders_by_status(self, dealer_ids: Sequence[int] | None = None, *,
                               statuses: Sequence[OrderStatus] | None = None, created_from: datetime | None = None,
                               created_until: datetime | None = None) -> dict[OrderStatus, tuple[int, Decimal]]:
        """How many orders are in each status now, with their amount: of ``dealer_ids`` (None: every dealer's), of
        ``statuses`` only and placed in [``created_from``, ``created_until``) when given; statuses with none left
        out. Storage counts them in one GROUP BY (no order is read)."""
        filters: dict[str, Any] = {}
        if dealer_ids is not None:
            filters["dealer_id__in"] = list(dealer_ids)
        if statuses is not None:
            filters["status__in"] = list(statuses)
        if created_from is not None:
            filters["created_at__gte"] = created_from
        if created_until is not None:
            filters["created_at__lt"] = created_until
        counted: dict[OrderStatus, tuple[int, Decimal]] = {}
        for order in await self.orders.list(**filters):
            n, amount = counted.get(order.status, (0, Decimal("0.00")))
            counted[order.status] = (n + 1, amount + order.total)
        return counted

    async def orders_moved(self, statuses: Sequence[OrderStatus], since: datetime, until: datetime,
                           dealer_ids: Sequence[int] | None = None) -> dict[OrderStatus, int]:
        """How many orders (of ``dealer_ids``; None: every dealer's) had an event to each of ``statuses`` in
        [``since``, ``until``), whenever they were placed (one approved twice counts once); statuses none reached
        left out. Storage counts them in one GROUP BY over the events."""
        # an order moved in those days was last changed then or later
        filters: dict[str, Any] = {"updated_at__gte": since}
        if dealer_ids is not None:
            filters["dealer_id__in"] = list(dealer_ids)
        moved = await self.orders.list(**filters)
        counted = {status: sum(1 for o in moved if any(e.status == status and since <= e.at < until
                                                         for e in o.events)) for status in statuses}
        return {status: n for status, n in counted.items() if n}

    async def order_by_request_key(self, dealer_id: int, key: str) -> Order | None:
        """The dealer's order submitted with this ``client_request_key``, if any (most submits find none: storage
        looks for its id first)."""
        return await self.orders.get_by(dealer_id=dealer_id, client_request_key=key)

    async def locked_dealer(self, dealer_id: int) -> tuple[Dealer | None, list[Qualification]]:
        """The dealer locked until this unit ends (its orders are submitted one at a time) and its documents, as
        committed now; not for a change (storage may answer with copies kept per process under the ``dealers``
        version, read under the lock)."""
        dealer = await self.dealers.get(dealer_id, for_update=True)
        return dealer, ([] if dealer is None else await self.qualifications.list(dealer_id=dealer_id))

    async def add_order(self, order: Order) -> None:
        """Write a new order with its lines and events in this unit (ids set on all of them). Storage sends one
        INSERT per table instead of an ORM flush."""
        await self.orders.add(order)

    async def append_audit(self, entry: AuditEntry) -> None:
        """Write one audit entry in this unit (nothing reads it back in the unit). Storage sends one INSERT."""
        await self.audit.add(entry)

    async def available_by_sku(self, skus: Sequence[str], warehouse_id: int | None = None) -> dict[str, int]:
        """Units available per SKU (on hand less reserved, none below zero per warehouse), over all warehouses or
        one; SKUs without stock are left out. Storage sums them in one statement."""
        filters: dict[str, Any] = {"sku__in": list(skus)}
        if warehouse_id is not None:
            filters["warehouse_id"] = warehouse_id
        totals: dict[str, int] = {}
        for level in await self.stock.list(**filters):
            totals[level.sku] = totals.get(level.sku, 0) + max(level.available, 0)
        return totals

    async def dealer_snapshot(self, dealer_id: int) -> tuple[Dealer | None, list[Qualification]]:
        """A dealer and its documents, as a quote checks them (read-only, not for a change: storage may keep them
        per process under the ``dealers`` version and give every caller the same objects)."""
        return await self.dealers.get(dealer_id), await self.qualifications.list(dealer_id=dealer_id)

    async def active_staff(self, roles: Sequence[Role]) -> list[int]:
        """Ids of the active users having one of ``roles``. Storage may keep them per process under the ``actors``
        version (users are actors)."""
        return [u.id for u in await self.users.list(role__in=sorted(roles), active=True) if u.id is not None]

    async def add_new_outbox(self, messages: Sequence[OutboxMessage]) -> list[OutboxMessage]:
        """Stage the messages whose ``dedup_key`` no row has yet (the keys in ``messages`` are distinct): the ones
        staged. Storage sends one INSERT that skips the keys taken (a look-up and an insert here)."""
        taken = {m.dedup_key for m in await self.outbox.list(dedup_key__in=sorted(m.dedup_key for m in messages))}
        fresh = [m for m in messages if m.dedup_key not in taken]
        return await self.outbox.add_all(fresh) if fresh else []

    async def dealer_codes(self, ids: Sequence[int]) -> dict[int, str]:
        """Each dealer's code by id, for an answer that names them (an order in the REST API). Storage reads the two
        columns only, not each dealer with its contacts and addresses."""
        return {d.id: d.code for d in await self.dealers.list(id__in=sorted(ids)) if d.id is not None}

    async def write_dialog(self, dialog: DialogState, updated_at: datetime) -> bool:
        """The dialog row read when the update came in, written back in one statement if nobody wrote it since
        (its ``updated_at`` still the one read); False when it moved on or is gone (the caller merges). Storage may
        send it on the driver's own connection."""
        return bool(await self.dialogs.update_where(
            {"state": dialog.state, "data": dict(dialog.data), "language": dialog.language,
             "written_language": dialog.written_language, "updated_at": updated_at},
            id=dialog.id, updated_at=dialog.updated_at))

    async def user_by_identity(self, channel: str, external_id: str) -> User | None:
        """The user a chat account is bound to (None: unbound). Storage reads both in one statement."""
        identity = await self.identities.get_by(channel=channel, external_id=external_id)
        return None if identity is None else await self.users.get(identity.user_id)

    @abc.abstractmethod
    async def next_number(self, prefix: str, day: date) -> str:
        """Next human-friendly document number for the day, e.g. ``SO-20261126-0007``.

        Sequential per (prefix, day), gap-free within committed transactions, safe across processes.
        """

    async def take_number(self, prefix: str, day: date) -> str:
        """The next number of ``next_number``'s series, for documents many submit at once (sales orders): where
        storage can, it is taken in a statement of its own, so the day's counter is not held until this unit
        commits (every other submit of the day queued behind it). Consecutive in the order taken and never given
        twice; a unit that then does not commit leaves its number unused. Default: ``next_number``."""
        return await self.next_number(prefix, day)

    @abc.abstractmethod
    async def find_contact_by_phone(self, phone: str) -> Contact | None:
        """The dealer contact with this phone (spaces, dashes and a +86 prefix ignored), the first by id.

        Phones are encrypted at rest, so this is the only way to search them (storage keeps a keyed hash).
        """


class AbstractOutboxStore(abc.ABC):
    """Delivery-side access to the outbox (``core.outbox``), outside any use case's unit of work.

    Every method is its own short transaction. The claim must be safe with any number of workers in
    any number of processes: a row is handed to one worker only (``SELECT ... FOR UPDATE SKIP LOCKED``
    on PostgreSQL). The ``mark_*`` / ``release`` methods change a row only while it is still claimed by
    ``worker_id`` (status ``sending``) and return whether they did: a row requeued as stale and claimed
    by another worker meanwhile is left to that worker.
    """

    @abc.abstractmethod
    async def enqueue_many(self, messages: Sequence[OutboxMessage]) -> int:
        """Insert the rows whose ``dedup_key`` is new (insert-or-skip, race-free); the number inserted."""

    @abc.abstractmethod
    async def claim_due(self, limit: int, worker_id: str, now: datetime, *,
                        urgent_only: bool = False) -> list[OutboxMessage]:
        """Up to ``limit`` due rows (pending or failed, ``next_attempt_at`` unset or passed), oldest
        first, now ``sending`` and claimed by ``worker_id`` (committed before they are returned)."""

    @abc.abstractmethod
    async def mark_sent(self, message_id: int, worker_id: str, at: datetime, delivered_to: str) -> bool: ...

    @abc.abstractmethod
    async def mark_failed(self, message_id: int, worker_id: str, error: str, retry_at: datetime | None) -> bool:
        """Count an attempt: ``failed`` until ``retry_at``, or ``dead`` when ``retry_at`` is None."""

    @abc.abstractmethod
    async def mark_muted(self, message_id: int, worker_id: str, reason: str) -> bool: ...

    async def mark_muted_many(self, reasons: Mapping[int, str], worker_id: str) -> int:
        """``mark_muted`` of several rows (id -> reason) in one transaction where the store can; the number
        changed."""
        return sum([await self.mark_muted(message_id, worker_id, reason) for message_id, reason in reasons.items()])

    @abc.abstractmethod
    async def release(self, message_id: int, worker_id: str, retry_at: datetime, note: str | None = None) -> bool:
        """Back to ``pending`` until ``retry_at`` without counting an attempt (quiet hours, flood wait)."""

    @abc.abstractmethod
    async def requeue_stale(self, older_than: datetime, *, claimed_by: str | None = None) -> int:
        """Rows left ``sending`` since before ``older_than`` (a worker died) back to ``pending``;
        with ``claimed_by``, that worker's rows whatever their age. The number requeued."""

    @abc.abstractmethod
    async def counts(self) -> dict[str, int]:
        """Rows per status (for ``dms worker --status``, the bench and tests)."""


class AbstractLeaderLock(abc.ABC):
    """One holder at a time across processes (the scheduler's leader election).

    The lock belongs to the process holding it and is released when that process dies.
    """

    @abc.abstractmethod
    async def try_acquire(self) -> bool:
        """Take the lock if free (never waits); True when this instance holds it now."""

    @abc.abstractmethod
    async def still_held(self) -> bool:
        """False when the lock was lost (e.g. the database connection dropped)."""

    @abc.abstractmethod
    async def release(self) -> None: ...


class AbstractReportStore(abc.ABC):
    """Aggregates for ``core.reports``, computed where the data is (SQL in ``storage.reports``).

    Read-only, each call its own short transaction, outside any unit of work. The caller (a use case in
    ``core.services.reports``) has already applied the actor's dealer scope to the filter: the store
    filters, it does not authorize. Breakdowns come sorted by amount, largest first, with ``share`` 0 (the
    use case sets it against the totals). Orders count when not cancelled or rejected
    (``core.reports.COUNTED_ORDER_STATUSES``), on their creation day in ``tz``.
    """

    @abc.abstractmethod
    async def order_totals(self, f: ReportFilter) -> Totals: ...

    @abc.abstractmethod
    async def order_trend(self, f: ReportFilter) -> list[MonthPoint]:
        """One point per month with orders (months without any are left out)."""

    @abc.abstractmethod
    async def order_breakdown(self, f: ReportFilter, by: Dimension, limit: int | None = None, *,
                              lowest_first: bool = False) -> list[Share]:
        """Order lines grouped: ``count`` is distinct orders, amounts are line amounts; the largest amount first
        (``lowest_first``: the smallest), ordered before ``limit`` cuts."""

    @abc.abstractmethod
    async def order_frequency(self, f: ReportFilter, limit: int | None = None) -> list[DealerFrequency]:
        """Dealers by number of orders, most first."""

    @abc.abstractmethod
    async def sellout_totals(self, f: ReportFilter) -> Totals: ...

    @abc.abstractmethod
    async def sellout_trend(self, f: ReportFilter) -> list[MonthPoint]: ...

    @abc.abstractmethod
    async def sellout_breakdown(self, f: ReportFilter, by: Dimension, limit: int | None = None, *,
                                lowest_first: bool = False) -> list[Share]:
        """Sell-out lines grouped, ordered like ``order_breakdown``."""

    @abc.abstractmethod
    async def dealer_labels(self, f: ReportFilter, *, active_only: bool = False) -> dict[int, tuple[str, str]]:
        """(code, name) of the dealers matching the filter's dealer attributes (region, province, city,
        tier, dealer), whatever they sold; ``active_only``: of active dealers only."""

    @abc.abstractmethod
    async def contract_targets(self, f: ReportFilter) -> list[tuple[int, date, date, list[SalesTarget]]]:
        """(dealer id, contract start, contract end, targets) of active, signed and expired contracts, of the
        filter's dealer when it names one."""

    @abc.abstractmethod
    async def monthly_quantities(self, source: str, f: ReportFilter, *,
                                 by_dealer: bool = False) -> list[tuple[int | None, str, str, int]]:
        """``(dealer_id or None, sku, "YYYY-MM", units)`` per month with any: ``source`` "orders" counts the
        units ordered plus free units (what the maker ships), "sellout" the units dealers sold."""


class AbstractFileStore(abc.ABC):
    """Files kept outside the database (photos, receipts, signed PDFs), content-addressed.

    ``put`` returns a key derived from the bytes (their SHA-256 plus the extension of ``name``); ``get``
    raises KeyError for an unknown key. ``bot.files.FileStore`` keeps them in a folder.
    """

    @abc.abstractmethod
    async def put(self, data: bytes, name: str = "") -> str: ...

    @abc.abstractmethod
    async def get(self, key: str) -> bytes: ...


class AbstractDocumentRenderer(abc.ABC):
    """Turns a contract's text into a PDF (``documents.contract_pdf`` with reportlab)."""

    @abc.abstractmethod
    def contract_pdf(self, text: str, *, title: str, footer: str = "") -> bytes: ...
