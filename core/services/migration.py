"""Bulk import (data migration) from spreadsheet rows: products, dealers, maker stock, contacts,
qualifications, price lists, historical orders and sell-out.

Keys (re-importing a file changes nothing): products by sku; dealers by code; stock by warehouse + sku;
contacts by dealer code + phone; qualifications by dealer code + doc type + number; prices by tier or
dealer code + sku; historical orders by order number (rows with the same number are one order's
lines); sell-out by the natural key (dealer, date, sku, qty, amount, city). Historical orders are
written as they were and touch neither stock nor the ledger (see ``import_historical_orders``).

Two steps, so that a file can be checked without touching anything:

1. ``validate_products`` / ``validate_dealers`` / ``validate_stock`` are pure: a header and rows of
   cells in, validated records and per-row errors out. A missing required column fails the whole
   file (``MissingColumns``); a bad row is reported and skipped.
2. ``import_products`` / ``import_dealers`` / ``import_stock`` are use cases: they upsert the records
   by their key in one unit of work, write an audit entry per created or changed thing and commit
   once. Records equal to what is stored change nothing, so re-importing a file is a no-op.
   ``import_table`` runs both steps; with ``strict`` any bad row means nothing is written.

Row numbers are spreadsheet row numbers: the header is row 1, the first data row is row 2, so the
number a user reads in an error is the number Excel shows. Blank rows are skipped but still counted.

Cells arrive as text (``bot.tabular`` converts spreadsheet cells); ints and Decimals are accepted
too, floats never: money read through a float is not money.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from decimal import Decimal
from typing import Any

from core import authz
from core.auditing import record, snapshot
from core.clock import Clock
from core.dealers import (
    Contact,
    Dealer,
    DealerStatus,
    Qualification,
    ReviewStatus,
)
from core.inventory import StockLevel
from core.masking import mask_phone
from core.migration.columns import FIRST_DATA_ROW, Cell, ImportKind, RowError
from core.migration.records import (
    ContactRecord,
    DealerRecord,
    HistoricalOrderRecord,
    PriceRecord,
    ProductRecord,
    QualificationRecord,
    SellOutRecord,
    StockRecord,
    ValidationResult,
)
from core.migration.rows import VALIDATORS
from core.orders import Order, OrderEvent, OrderLine
from core.ports import AbstractUnitOfWork
from core.products import DealerPrice, Product, TierPrice
from core.sellout import SellOutLine
from core.users import Actor, Permission

# --- use cases -------------------------------------------------------------------------------------


@dataclass
class ImportReport:
    kind: ImportKind
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    dry_run: bool = False       # validated and compared with the database, nothing written

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self, lang: str = "zh") -> str:
        if lang.lower().startswith("en"):
            state = " dry run, nothing written, would be:" if self.dry_run else (
                "" if self.committed or not self.errors else " nothing imported:")
            return (f"{self.kind.value}:{state} {self.rows_read} rows read, {self.created} created, "
                    f"{self.updated} updated, {self.unchanged} unchanged, {self.bad_rows} bad rows")
        if self.dry_run:
            state = "试运行，未写入任何数据；将会："
        else:
            state = "" if self.committed or not self.errors else "未导入任何数据："
        return (f"{state}读取 {self.rows_read} 行，新增 {self.created}，更新 {self.updated}，"
                f"未变 {self.unchanged}，错误 {self.bad_rows} 行")


def _changes(obj: Any, wanted: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in wanted.items() if getattr(obj, k) != v}


async def _upsert_products(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                           records: Sequence[ProductRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.PRODUCT_WRITE)
    for rec in records:
        existing = await uow.products.get_by(sku=rec.sku)
        if existing is None:
            product = Product(sku=rec.sku, **rec.fields())
            await uow.products.add(product)
            await record(uow, actor, "product.import", "product", rec.sku, clock, after=snapshot(product))
            report.created += 1
            continue
        changes = _changes(existing, rec.fields())
        if not changes:
            report.unchanged += 1
            continue
        before = snapshot(existing, tuple(changes))
        for k, v in changes.items():
            setattr(existing, k, v)
        await record(uow, actor, "product.import", "product", rec.sku, clock,
                     before=before, after=snapshot(existing, tuple(changes)))
        report.updated += 1


_DEALER_AUDIT_FIELDS = ("code", "name", "uscc", "province", "city", "region", "tier", "parent_id",
                        "credit_limit", "status")


async def _upsert_dealers(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                          records: Sequence[DealerRecord], report: ImportReport) -> None:
    """Rows are checked first (USCC held by another dealer, unknown parent), then written; parents are
    linked after a flush so a sub-dealer may come before its parent in the file."""
    authz.require(actor, Permission.DEALER_WRITE)
    accepted: list[DealerRecord] = []
    for rec in records:
        holder = await uow.dealers.get_by(uscc=rec.uscc)
        if holder is not None and holder.code != rec.code:
            report.errors.append(RowError(rec.row, f"统一社会信用代码 {rec.uscc} 已被经销商 {holder.code} 使用",
                                          f"USCC {rec.uscc} is already used by dealer {holder.code}"))
        else:
            accepted.append(rec)
    known_parents: dict[str, bool] = {}
    while True:   # dropping a row may orphan its sub-dealers in the file: repeat until stable
        in_file = {r.code for r in accepted}
        keep = []
        for rec in accepted:
            parent = rec.parent_code
            if parent and parent not in in_file:
                if parent not in known_parents:
                    known_parents[parent] = await uow.dealers.get_by(code=parent) is not None
                if not known_parents[parent]:
                    report.errors.append(RowError(rec.row, f"上级经销商 {parent} 不存在",
                                                  f"parent dealer {parent} does not exist"))
                    continue
            keep.append(rec)
        if len(keep) == len(accepted):
            break
        accepted = keep

    dealers: dict[str, tuple[Dealer, dict[str, Any] | None]] = {}   # code -> (dealer, before; None if new)
    changed: set[str] = set()
    for rec in accepted:
        existing = await uow.dealers.get_by(code=rec.code)
        if existing is None:
            dealer = Dealer(code=rec.code, created_at=clock.now(),
                            **({"status": DealerStatus.PROSPECT} | rec.fields()))
            await uow.dealers.add(dealer)
            dealers[rec.code] = (dealer, None)
        else:
            dealer = existing
            dealers[rec.code] = (dealer, snapshot(dealer, _DEALER_AUDIT_FIELDS))
            changes = _changes(dealer, rec.fields())
            for k, v in changes.items():
                setattr(dealer, k, v)
            if changes:
                changed.add(rec.code)
        if rec.contact_name and rec.contact_phone and _merge_contact(dealer, rec):
            changed.add(rec.code)
    await uow.flush()
    for rec in accepted:
        dealer = dealers[rec.code][0]
        parent_id: int | None = None
        if rec.parent_code:
            linked = dealers[rec.parent_code][0] if rec.parent_code in dealers else (
                await uow.dealers.get_by(code=rec.parent_code))
            parent_id = linked.id if linked is not None else None
        if dealer.parent_id != parent_id:
            dealer.parent_id = parent_id
            changed.add(rec.code)
    for rec in accepted:
        dealer, original = dealers[rec.code]
        after = snapshot(dealer, _DEALER_AUDIT_FIELDS)
        if original is None:
            await record(uow, actor, "dealer.import", "dealer", rec.code, clock, after=after)
            report.created += 1
        elif rec.code in changed:
            await record(uow, actor, "dealer.import", "dealer", rec.code, clock, before=original, after=after)
            report.updated += 1
        else:
            report.unchanged += 1


def _merge_contact(dealer: Dealer, rec: DealerRecord) -> bool:
    """Add the row's contact or update the one with the same name/phone; True when something changed."""
    for contact in dealer.contacts:
        if contact.phone == rec.contact_phone or contact.name == rec.contact_name:
            wanted = {"name": rec.contact_name, "phone": rec.contact_phone, "role": rec.contact_role}
            changes = _changes(contact, wanted)
            for k, v in changes.items():
                setattr(contact, k, v)
            return bool(changes)
    dealer.contacts.append(Contact(name=rec.contact_name or "", phone=rec.contact_phone or "",
                                   role=rec.contact_role))
    return True


async def _upsert_stock(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                        records: Sequence[StockRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.STOCK_WRITE)
    warehouses: dict[str, int | None] = {}
    known_skus: dict[str, bool] = {}
    for rec in records:
        if rec.warehouse not in warehouses:
            wh = await uow.warehouses.get_by(code=rec.warehouse) or await uow.warehouses.get_by(
                name=rec.warehouse)
            warehouses[rec.warehouse] = wh.id if wh is not None else None
        if rec.sku not in known_skus:
            known_skus[rec.sku] = await uow.products.get_by(sku=rec.sku) is not None
        warehouse_id = warehouses[rec.warehouse]
        problems = []
        if warehouse_id is None:
            problems.append((f"仓库 {rec.warehouse} 不存在", f"warehouse {rec.warehouse} does not exist"))
        if not known_skus[rec.sku]:
            problems.append((f"产品 {rec.sku} 不存在", f"product {rec.sku} does not exist"))
        if problems or warehouse_id is None:
            report.errors.append(RowError(rec.row, "；".join(p[0] for p in problems),
                                          "; ".join(p[1] for p in problems)))
            continue
        level = await uow.stock.get_by(warehouse_id=warehouse_id, sku=rec.sku)
        if level is None:
            level = StockLevel(warehouse_id=warehouse_id, sku=rec.sku, on_hand=rec.on_hand, updated_at=clock.now())
            await uow.stock.add(level)
            await record(uow, actor, "stock.import", "stock", f"{rec.warehouse}/{rec.sku}", clock,
                         after={"on_hand": rec.on_hand})
            report.created += 1
        elif level.on_hand == rec.on_hand:
            report.unchanged += 1
        elif rec.on_hand < level.reserved:
            report.errors.append(RowError(
                rec.row, f"在库数量 {rec.on_hand} 小于已预留的 {level.reserved}",
                f"on_hand {rec.on_hand} is below the {level.reserved} already reserved"))
        else:
            before = {"on_hand": level.on_hand}
            level.on_hand = rec.on_hand
            level.updated_at = clock.now()
            await record(uow, actor, "stock.import", "stock", f"{rec.warehouse}/{rec.sku}", clock,
                         before=before, after={"on_hand": rec.on_hand})
            report.updated += 1


async def _dealer_ids(uow: AbstractUnitOfWork, codes: Iterable[str]) -> dict[str, int | None]:
    ids: dict[str, int | None] = {}
    for code in codes:
        if code not in ids:
            dealer = await uow.dealers.get_by(code=code)
            ids[code] = dealer.id if dealer is not None else None
    return ids


def _no_dealer(rec: Any) -> RowError:
    return RowError(rec.row, f"经销商 {rec.dealer_code} 不存在", f"dealer {rec.dealer_code} does not exist")


async def _upsert_contacts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                           records: Sequence[ContactRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.DEALER_WRITE)
    for rec in records:
        dealer = await uow.dealers.get_by(code=rec.dealer_code)
        if dealer is None:
            report.errors.append(_no_dealer(rec))
            continue
        existing = next((c for c in dealer.contacts if c.phone == rec.phone), None)
        wanted = {"name": rec.name, "role": rec.role}
        if existing is None:
            dealer.contacts.append(Contact(name=rec.name, phone=rec.phone, role=rec.role))
            await record(uow, actor, "contact.import", "dealer", rec.dealer_code, clock,
                         after=wanted | {"phone": mask_phone(rec.phone)})
            report.created += 1
            continue
        changes = _changes(existing, wanted)
        if not changes:
            report.unchanged += 1
            continue
        before = snapshot(existing, tuple(changes))
        for k, v in changes.items():
            setattr(existing, k, v)
        await record(uow, actor, "contact.import", "dealer", rec.dealer_code, clock,
                     before=before | {"phone": mask_phone(rec.phone)}, after=changes)
        report.updated += 1


async def _upsert_qualifications(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                                 records: Sequence[QualificationRecord], report: ImportReport) -> None:
    """Documents reviewed in the old system come in approved (or as the status column says); the scan
    itself is uploaded later in the admin or the chat."""
    authz.require(actor, Permission.DEALER_WRITE)
    ids = await _dealer_ids(uow, (r.dealer_code for r in records))
    for rec in records:
        dealer_id = ids[rec.dealer_code]
        if dealer_id is None:
            report.errors.append(_no_dealer(rec))
            continue
        wanted: dict[str, Any] = {"issued_on": rec.issued_on, "expires_on": rec.expires_on, "status": rec.status}
        existing = await uow.qualifications.get_by(dealer_id=dealer_id, doc_type=rec.doc_type, number=rec.number)
        fields = ("doc_type", "number", "issued_on", "expires_on", "status")
        if existing is None:
            reviewed = rec.status != ReviewStatus.PENDING
            doc = Qualification(dealer_id=dealer_id, doc_type=rec.doc_type, number=rec.number,
                                issued_on=rec.issued_on, expires_on=rec.expires_on, status=rec.status,
                                reviewed_by=actor.label if reviewed else None,
                                reviewed_at=clock.now() if reviewed else None, created_at=clock.now())
            await uow.qualifications.add(doc)
            await record(uow, actor, "qualification.import", "qualification", rec.label, clock,
                         after=snapshot(doc, fields))
            report.created += 1
            continue
        changes = _changes(existing, wanted)
        if not changes:
            report.unchanged += 1
            continue
        before = snapshot(existing, tuple(changes))
        for k, v in changes.items():
            setattr(existing, k, v)
        await record(uow, actor, "qualification.import", "qualification", rec.label, clock,
                     before=before, after=snapshot(existing, tuple(changes)))
        report.updated += 1


async def _upsert_prices(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                         records: Sequence[PriceRecord], report: ImportReport) -> None:
    authz.require(actor, Permission.PRICE_WRITE)
    ids = await _dealer_ids(uow, (r.dealer_code for r in records if r.dealer_code))
    known: dict[str, bool] = {}
    for rec in records:
        if rec.sku not in known:
            known[rec.sku] = await uow.products.get_by(sku=rec.sku) is not None
        if not known[rec.sku]:
            report.errors.append(RowError(rec.row, f"产品 {rec.sku} 不存在", f"product {rec.sku} does not exist"))
            continue
        existing: TierPrice | DealerPrice | None
        if rec.tier is not None:
            existing = await uow.tier_prices.get_by(tier=rec.tier, sku=rec.sku)
            new: TierPrice | DealerPrice = TierPrice(tier=rec.tier, sku=rec.sku, price=rec.price)
            repo: Any = uow.tier_prices
        else:
            dealer_id = ids.get(rec.dealer_code or "")
            if dealer_id is None:
                report.errors.append(_no_dealer(rec))
                continue
            existing = await uow.dealer_prices.get_by(dealer_id=dealer_id, sku=rec.sku)
            new = DealerPrice(dealer_id=dealer_id, sku=rec.sku, price=rec.price)
            repo = uow.dealer_prices
        if existing is None:
            await repo.add(new)
            await record(uow, actor, "price.import", "price", rec.label, clock, after={"price": rec.price})
            report.created += 1
        elif existing.price == rec.price:
            report.unchanged += 1
        else:
            before = {"price": existing.price}
            existing.price = rec.price
            await record(uow, actor, "price.import", "price", rec.label, clock, before=before,
                         after={"price": rec.price})
            report.updated += 1


def _order_shape(order: Order) -> tuple[Any, ...]:
    """What an imported order is compared on: status and lines (sku, qty, free, price, discount)."""
    return (order.status, tuple((ln.sku, ln.qty, ln.free_qty, ln.unit_price, ln.discount) for ln in order.lines))


HISTORY_NOTE = "历史订单导入 (imported history)"


async def import_historical_orders(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                                   records: Sequence[HistoricalOrderRecord], report: ImportReport) -> None:
    """Write orders from an old system as they were: the given status, lines and prices, dated on
    their order date. Stock, reservations, credit and the ledger are NOT touched (the old system already
    booked them; the opening balances come in with the account migration), and no notification is sent.

    Keyed by order number: an order already imported with the same content is unchanged, a different
    one is replaced; a number held by an order placed in this system is refused. Needs
    ``order.place_on_behalf`` and ``dealer.write`` (the CLI runs as the system actor).
    """
    authz.require(actor, Permission.ORDER_PLACE_ON_BEHALF)
    authz.require(actor, Permission.DEALER_WRITE)
    ids = await _dealer_ids(uow, (r.dealer_code for r in records))
    names: dict[str, str | None] = {}
    for rec in records:
        dealer_id = ids[rec.dealer_code]
        if dealer_id is None:
            report.errors.append(_no_dealer(rec))
            continue
        lines: list[OrderLine] = []
        problems: list[RowError] = []
        for ln in rec.lines:
            if ln.sku not in names:
                product = await uow.products.get_by(sku=ln.sku)
                names[ln.sku] = product.name if product is not None else None
            name = ln.product_name or names[ln.sku]
            if not name:
                problems.append(RowError(ln.row, f"产品 {ln.sku} 不存在且未填写 product_name",
                                         f"product {ln.sku} does not exist and product_name is empty"))
                continue
            lines.append(OrderLine(sku=ln.sku, name=name, qty=ln.qty, unit_price=ln.unit_price,
                                   discount=ln.discount, free_qty=ln.free_qty))
        if problems:
            report.errors.extend(problems)
            continue
        at = datetime.combine(rec.order_date, time(0), tzinfo=clock.tz).astimezone(UTC)
        order = Order(number=rec.number, dealer_id=dealer_id, lines=lines, status=rec.status,
                      placed_by=actor.label, note=HISTORY_NOTE, created_at=at, updated_at=at,
                      events=[OrderEvent(status=rec.status, actor=actor.label, at=at, note=HISTORY_NOTE)])
        order.total = sum((ln.amount for ln in lines), Decimal("0.00"))
        existing = await uow.orders.get_by(number=rec.number)
        if existing is None:
            await uow.orders.add(order)
            await record(uow, actor, "order.import", "order", rec.number, clock,
                         after={"status": rec.status, "total": order.total, "lines": len(lines)})
            report.created += 1
        elif existing.note != HISTORY_NOTE:
            report.errors.append(RowError(rec.row, f"订单号 {rec.number} 已被系统内订单使用",
                                          f"order number {rec.number} is used by an order placed in dms"))
        elif (existing.dealer_id, existing.created_at, _order_shape(existing)) == (
                dealer_id, at, _order_shape(order)):
            report.unchanged += 1
        else:
            before = {"status": existing.status, "total": existing.total, "lines": len(existing.lines)}
            existing.dealer_id, existing.status, existing.total = dealer_id, order.status, order.total
            existing.lines = lines
            existing.created_at = existing.updated_at = at
            await record(uow, actor, "order.import", "order", rec.number, clock, before=before,
                         after={"status": rec.status, "total": order.total, "lines": len(lines)})
            report.updated += 1


async def _upsert_sellout(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                          records: Sequence[SellOutRecord], report: ImportReport) -> None:
    """Sell-out lines are facts, never updated: a line with the same natural key is already there."""
    authz.require(actor, Permission.SELLOUT_READ_ALL)
    authz.require(actor, Permission.DEALER_WRITE)
    dealers: dict[str, Dealer | None] = {}
    for rec in records:
        if rec.dealer_code not in dealers:
            dealers[rec.dealer_code] = await uow.dealers.get_by(code=rec.dealer_code)
        dealer = dealers[rec.dealer_code]
        if dealer is None or dealer.id is None:
            report.errors.append(_no_dealer(rec))
            continue
        same = await uow.sellout.get_by(dealer_id=dealer.id, sold_on=rec.sold_on, sku=rec.sku, qty=rec.qty,
                                        amount=rec.amount, city=rec.city)
        if same is not None:
            report.unchanged += 1
            continue
        line = SellOutLine(dealer_id=dealer.id, sold_on=rec.sold_on, sku=rec.sku, qty=rec.qty, amount=rec.amount,
                           province=rec.province or dealer.province, city=rec.city,
                           customer_type=rec.customer_type, reported_at=clock.now())
        await uow.sellout.add(line)
        report.created += 1
    if report.created:   # one audit line for the batch: sell-out files run to a million rows
        await record(uow, actor, "sellout.import", "sellout", None, clock, after={"created": report.created})


_UPSERTS: dict[ImportKind, Any] = {
    ImportKind.PRODUCTS: _upsert_products,
    ImportKind.DEALERS: _upsert_dealers,
    ImportKind.STOCK: _upsert_stock,
    ImportKind.CONTACTS: _upsert_contacts,
    ImportKind.QUALIFICATIONS: _upsert_qualifications,
    ImportKind.PRICES: _upsert_prices,
    ImportKind.ORDERS: import_historical_orders,
    ImportKind.SELLOUT: _upsert_sellout,
}


async def _apply(kind: ImportKind, uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                 result: ValidationResult[Any], *, strict: bool, dry_run: bool = False) -> ImportReport:
    """``dry_run`` runs the same upserts (so the report counts what would be created/updated and names
    rows the database refuses) and leaves the unit of work without committing: nothing is written."""
    report = ImportReport(kind=kind, rows_read=result.rows_read, errors=list(result.errors), dry_run=dry_run)
    if strict and report.errors:
        return report
    async with uow:
        await _UPSERTS[kind](uow, actor, clock, result.records, report)
        if dry_run:
            report.errors.sort(key=lambda e: e.row)
            return report   # leaving the unit of work rolls back
        if strict and report.errors:
            report.created = report.updated = report.unchanged = 0
            return report   # leaving the unit of work rolls back
        await uow.commit()
        report.committed = True
    report.errors.sort(key=lambda e: e.row)
    return report


async def import_products(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                          result: ValidationResult[ProductRecord], *, strict: bool = False) -> ImportReport:
    """Upsert validated products by SKU. Needs ``product.write``."""
    return await _apply(ImportKind.PRODUCTS, uow, actor, clock, result, strict=strict)


async def import_dealers(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                         result: ValidationResult[DealerRecord], *, strict: bool = False) -> ImportReport:
    """Upsert validated dealers by code (their contact too). Needs ``dealer.write``."""
    return await _apply(ImportKind.DEALERS, uow, actor, clock, result, strict=strict)


async def import_stock(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                       result: ValidationResult[StockRecord], *, strict: bool = False) -> ImportReport:
    """Set on-hand quantities per (warehouse code, SKU). Needs ``stock.write``."""
    return await _apply(ImportKind.STOCK, uow, actor, clock, result, strict=strict)


async def import_table(uow: AbstractUnitOfWork, actor: Actor, clock: Clock, kind: ImportKind | str,
                       header: Sequence[object], rows: Iterable[Sequence[Cell]], *,
                       strict: bool = False, dry_run: bool = False,
                       first_row: int = FIRST_DATA_ROW) -> ImportReport:
    """Validate and import one table. Raises ``MissingColumns``/``EmptyFile`` for a bad header."""
    kind = ImportKind(kind)
    result = VALIDATORS[kind](header, rows, first_row=first_row)
    return await _apply(kind, uow, actor, clock, result, strict=strict, dry_run=dry_run)
