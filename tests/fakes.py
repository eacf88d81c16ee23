"""In-memory implementations of core.ports for unit tests (no I/O)."""

from __future__ import annotations

import copy
import itertools
import re
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from core import ports
from core.errors import Conflict

T = TypeVar("T")

_OPS = {
    "in": lambda a, b: a in b,
    "gte": lambda a, b: a is not None and a >= b,
    "lte": lambda a, b: a is not None and a <= b,
    "gt": lambda a, b: a is not None and a > b,
    "lt": lambda a, b: a is not None and a < b,
    "ne": lambda a, b: a != b,
    "contains": lambda a, b: a is not None and str(b).lower() in str(a).lower(),
}


def matches(obj: Any, filters: dict[str, Any]) -> bool:
    for key, expected in filters.items():
        name, _, op = key.partition("__")
        actual = getattr(obj, name)
        if op:
            if not _OPS[op](actual, expected):
                return False
        elif actual != expected:
            return False
    return True


class FakeRepository(ports.AbstractRepository[T]):
    def __init__(self) -> None:
        self.rows: list[T] = []
        self._ids = itertools.count(1)

    async def add(self, obj: T) -> T:
        if getattr(obj, "id", None) is None:
            obj.id = next(self._ids)  # type: ignore[attr-defined]
        self.rows.append(obj)
        return obj

    async def get(self, id: int, *, for_update: bool = False) -> T | None:
        return next((r for r in self.rows if r.id == id), None)  # type: ignore[attr-defined]

    async def get_by(self, *, for_update: bool = False, **filters: Any) -> T | None:
        found = [r for r in self.rows if matches(r, filters)]
        if len(found) > 1:
            raise LookupError(f"more than one row matches {filters}")
        return found[0] if found else None

    async def list(self, *, order_by: str | None = None, desc: bool = False, limit: int | None = None,
                   offset: int = 0, **filters: Any) -> list[T]:
        found = [r for r in self.rows if matches(r, filters)]
        key = order_by or "id"
        found.sort(key=lambda r: (getattr(r, key) is None, getattr(r, key)), reverse=desc)
        end = None if limit is None else offset + limit
        return found[offset:end]

    async def count(self, **filters: Any) -> int:
        return sum(1 for r in self.rows if matches(r, filters))

    async def delete(self, obj: T) -> None:
        self.rows.remove(obj)


class UniqueFakeRepository(FakeRepository[T]):
    """A table with a unique key (as the database has): a second row with the same values is a Conflict."""

    def __init__(self, *fields: str) -> None:
        super().__init__()
        self.fields = fields

    async def add(self, obj: T) -> T:
        key = {f: getattr(obj, f) for f in self.fields}
        if any(matches(r, key) for r in self.rows):
            raise Conflict(reason=f"unique {self.fields}")
        return await super().add(obj)


class FakeUnitOfWork(ports.AbstractUnitOfWork):
    """Commits are counted; rollback restores the state of the last commit (deep copy)."""

    REPOS = ("dealers", "qualifications", "products", "tier_prices", "dealer_prices", "allowed_skus",
             "promotions", "ledger", "statements", "contracts", "orders", "warehouses", "stock",
             "dealer_stock", "thresholds", "transfers", "stock_sharing", "sellout", "campaigns", "participations",
             "materials", "material_requests", "tickets", "quality", "users", "identities", "invites",
             "api_keys", "audit", "dialogs", "receipts",
             "faq_entries", "staff_questions", "dealer_aliases",
             "outbox", "preferences",
             "contract_templates", "signing_codes", "contract_signatures", "duty_marks", "rebate_settlements",
             "credit_changes",
             "expense_claims", "staff_tasks", "idempotency_records", "finance_requests", "bank_rows")

    def __init__(self) -> None:
        for name in self.REPOS:
            setattr(self, name, FakeRepository())
        self.receipts = UniqueFakeRepository("channel", "key")
        self.commits = 0
        self._numbers: dict[tuple[str, date], int] = {}
        self._snapshot = self._take()

    def _take(self) -> dict[str, Any]:
        return copy.deepcopy({name: getattr(self, name) for name in self.REPOS}
                             | {"_numbers": self._numbers})

    async def commit(self) -> None:
        self.commits += 1
        self._snapshot = self._take()

    async def rollback(self) -> None:
        restored = copy.deepcopy(self._snapshot)
        for name, value in restored.items():
            setattr(self, name, value)

    async def flush(self) -> None:
        return None

    async def next_number(self, prefix: str, day: date) -> str:
        n = self._numbers.get((prefix, day), 0) + 1
        self._numbers[(prefix, day)] = n
        return f"{prefix}-{day:%Y%m%d}-{n:04d}"

    async def find_contact_by_phone(self, phone: str) -> Any:
        wanted = _normalize_phone(phone)
        contacts = [c for d in self.dealers.rows for c in d.contacts if _normalize_phone(c.phone) == wanted]
        return min(contacts, key=lambda c: c.id or 0) if contacts else None


def _normalize_phone(phone: str) -> str:
    """Same rule as storage.encryption.normalize_phone (kept here: the fakes import no storage)."""
    digits = re.sub(r"[\s\-()（）.]", "", phone.strip())
    for prefix in ("+86", "0086"):
        if digits.startswith(prefix):
            digits = digits[len(prefix):]
    return digits


class FakeOutboxStore(ports.AbstractOutboxStore):
    """``AbstractOutboxStore`` over a FakeUnitOfWork's ``outbox`` rows (each call one commit)."""

    def __init__(self, uow: FakeUnitOfWork) -> None:
        self.uow = uow

    async def enqueue_many(self, messages: Any) -> int:
        added = 0
        async with self.uow as uow:
            keys = {m.dedup_key for m in uow.outbox.rows}
            for message in messages:
                message.check()
                if message.dedup_key not in keys:
                    keys.add(message.dedup_key)
                    await uow.outbox.add(message)
                    added += 1
            await uow.commit()
        return added

    async def claim_due(self, limit: int, worker_id: str, now: Any, *, urgent_only: bool = False) -> list[Any]:
        from core.outbox import CLAIMABLE, OutboxStatus

        async with self.uow as uow:
            due = [m for m in sorted(uow.outbox.rows, key=lambda m: m.id)
                   if m.status in CLAIMABLE and (m.next_attempt_at is None or m.next_attempt_at <= now)
                   and (m.urgent or not urgent_only)][:limit]
            for m in due:
                m.status, m.claimed_by, m.claimed_at = OutboxStatus.SENDING, worker_id, now
            await uow.commit()
            return [copy.deepcopy(m) for m in due]

    def _claimed(self, message_id: int, worker_id: str) -> Any:
        from core.outbox import OutboxStatus

        row = next((m for m in self.uow.outbox.rows if m.id == message_id), None)
        ok = row is not None and row.status == OutboxStatus.SENDING and row.claimed_by == worker_id
        return row if ok else None

    async def _change(self, message_id: int, worker_id: str, **values: Any) -> bool:
        async with self.uow as uow:
            row = self._claimed(message_id, worker_id)
            if row is None:
                return False
            if values.pop("_attempt", False):
                row.attempts += 1
            for key, value in values.items():
                setattr(row, key, value)
            await uow.commit()
            return True

    async def mark_sent(self, message_id: int, worker_id: str, at: Any, delivered_to: str) -> bool:
        from core.outbox import OutboxStatus

        return await self._change(message_id, worker_id, status=OutboxStatus.SENT, sent_at=at,
                                  delivered_to=delivered_to, last_error=None)

    async def mark_failed(self, message_id: int, worker_id: str, error: str, retry_at: Any) -> bool:
        from core.outbox import OutboxStatus

        status = OutboxStatus.DEAD if retry_at is None else OutboxStatus.FAILED
        return await self._change(message_id, worker_id, _attempt=True, status=status, last_error=error[:2000],
                                  next_attempt_at=retry_at)

    async def mark_muted(self, message_id: int, worker_id: str, reason: str) -> bool:
        from core.outbox import OutboxStatus

        return await self._change(message_id, worker_id, status=OutboxStatus.MUTED, last_error=reason)

    async def release(self, message_id: int, worker_id: str, retry_at: Any, note: str | None = None) -> bool:
        from core.outbox import OutboxStatus

        return await self._change(message_id, worker_id, status=OutboxStatus.PENDING, next_attempt_at=retry_at,
                                  last_error=note, claimed_by=None, claimed_at=None)

    async def requeue_stale(self, older_than: Any, *, claimed_by: str | None = None) -> int:
        from core.outbox import OutboxStatus

        async with self.uow as uow:
            stale = [m for m in uow.outbox.rows if m.status == OutboxStatus.SENDING
                     and (m.claimed_by == claimed_by if claimed_by is not None
                          else m.claimed_at is None or m.claimed_at < older_than)]
            for m in stale:
                m.status, m.claimed_by, m.claimed_at = OutboxStatus.PENDING, None, None
            await uow.commit()
            return len(stale)

    async def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for m in self.uow.outbox.rows:
            out[m.status.value] = out.get(m.status.value, 0) + 1
        return out


class FakeReportStore(ports.AbstractReportStore):
    """``AbstractReportStore`` computed in Python from a FakeUnitOfWork's rows (the SQL store's oracle)."""

    def __init__(self, uow: FakeUnitOfWork, tz: Any = None) -> None:
        from core.clock import SHANGHAI

        self.uow = uow
        self.tz = tz or SHANGHAI

    # --- rows matching a filter ------------------------------------------------------------------
    def _dealer_ok(self, dealer: Any, f: Any, *, sellout: bool) -> bool:
        if dealer is None:
            return False
        if f.region is not None and dealer.region != f.region or f.tier is not None and dealer.tier != f.tier:
            return False
        if not sellout and (f.province is not None and dealer.province != f.province
                            or f.city is not None and dealer.city != f.city):
            return False
        return True

    def _products(self) -> dict[str, Any]:
        return {p.sku: p for p in self.uow.products.rows}

    def _order_lines(self, f: Any) -> list[tuple[Any, Any, Any]]:
        """(order, line, dealer) of counted orders in the period matching the filter."""
        from core.reports import COUNTED_ORDER_STATUSES

        dealers = {d.id: d for d in self.uow.dealers.rows}
        products = self._products()
        out = []
        for order in self.uow.orders.rows:
            day = order.created_at.astimezone(self.tz).date()
            if order.status not in COUNTED_ORDER_STATUSES or not f.start <= day <= f.end:
                continue
            if f.dealer_id is not None and order.dealer_id != f.dealer_id:
                continue
            dealer = dealers.get(order.dealer_id)
            if not self._dealer_ok(dealer, f, sellout=False):
                continue
            for line in order.lines:
                if f.sku is not None and line.sku != f.sku:
                    continue
                product = products.get(line.sku)
                if f.category is not None and (product is None or product.category != f.category):
                    continue
                out.append((order, line, dealer))
        return out

    def _sellout(self, f: Any) -> list[tuple[Any, Any]]:
        dealers = {d.id: d for d in self.uow.dealers.rows}
        products = self._products()
        out = []
        for s in self.uow.sellout.rows:
            if not f.start <= s.sold_on <= f.end or f.dealer_id is not None and s.dealer_id != f.dealer_id:
                continue
            if f.province is not None and s.province != f.province or f.city is not None and s.city != f.city:
                continue
            if f.sku is not None and s.sku != f.sku:
                continue
            product = products.get(s.sku)
            if f.category is not None and (product is None or product.category != f.category):
                continue
            dealer = dealers.get(s.dealer_id)
            if (f.region is not None or f.tier is not None) and not self._dealer_ok(dealer, f, sellout=True):
                continue
            out.append((s, dealer))
        return out

    def _key(self, by: Any, sku: str, dealer: Any, province: str, city: str) -> tuple[str, str]:
        from core.reports import Dimension

        product = self._products().get(sku)
        if by == Dimension.SKU:
            return sku, product.name if product else sku
        if by == Dimension.CATEGORY:
            return (product.category, product.category) if product else ("", "")
        if by == Dimension.DEALER:
            return dealer.code, dealer.name
        if by == Dimension.REGION:
            return dealer.region, dealer.region
        value = province if by == Dimension.PROVINCE else city
        return value, value

    @staticmethod
    def _ranked(groups: dict[str, dict[str, Any]], limit: int | None, lowest_first: bool = False) -> list[Any]:
        from core.reports import Share

        rows = [Share(k, g["label"], len(g["ids"]), g["qty"], g["amount"]) for k, g in groups.items()]
        rows.sort(key=lambda s: (s.amount if lowest_first else -s.amount, s.key))
        return rows[:limit] if limit is not None else rows

    # --- orders ----------------------------------------------------------------------------------
    async def order_totals(self, f: Any) -> Any:
        from core.money import money
        from core.reports import Totals

        rows = self._order_lines(f)
        return Totals(count=len({o.id for o, _, _ in rows}), qty=sum(ln.qty for _, ln, _ in rows),
                      amount=money(sum((ln.amount for _, ln, _ in rows), Decimal("0"))),
                      dealers=len({o.dealer_id for o, _, _ in rows}))

    async def order_trend(self, f: Any) -> list[Any]:
        from core.reports import MonthPoint

        months: dict[str, dict[str, Any]] = {}
        for o, ln, _ in self._order_lines(f):
            key = o.created_at.astimezone(self.tz).strftime("%Y-%m")
            g = months.setdefault(key, {"ids": set(), "qty": 0, "amount": Decimal("0.00")})
            g["ids"].add(o.id)
            g["qty"] += ln.qty
            g["amount"] += ln.amount
        return [MonthPoint(m, len(g["ids"]), g["qty"], g["amount"]) for m, g in sorted(months.items())]

    async def order_breakdown(self, f: Any, by: Any, limit: int | None = None, *, lowest_first: bool = False) -> list[Any]:
        groups: dict[str, dict[str, Any]] = {}
        for o, ln, d in self._order_lines(f):
            key, label = self._key(by, ln.sku, d, d.province, d.city)
            g = groups.setdefault(key, {"label": label, "ids": set(), "qty": 0, "amount": Decimal("0.00")})
            g["ids"].add(o.id)
            g["qty"] += ln.qty
            g["amount"] += ln.amount
        return self._ranked(groups, limit, lowest_first)

    async def order_frequency(self, f: Any, limit: int | None = None) -> list[Any]:
        from core.reports import DealerFrequency

        per: dict[int, dict[str, Any]] = {}
        for o, _, d in self._order_lines(f):
            g = per.setdefault(d.id, {"dealer": d, "orders": {}})
            g["orders"][o.id] = o
        rows = []
        for dealer_id, g in per.items():
            orders = list(g["orders"].values())
            days = [o.created_at.astimezone(self.tz).date() for o in orders]
            rows.append(DealerFrequency(dealer_id, g["dealer"].code, g["dealer"].name, len(orders),
                                        sum((o.total for o in orders), Decimal("0.00")), min(days), max(days)))
        rows.sort(key=lambda r: (-r.orders, r.code))
        return rows[:limit] if limit is not None else rows

    # --- sell-out --------------------------------------------------------------------------------
    async def sellout_totals(self, f: Any) -> Any:
        from core.reports import Totals

        rows = self._sellout(f)
        return Totals(count=len(rows), qty=sum(s.qty for s, _ in rows),
                      amount=sum((s.amount for s, _ in rows), Decimal("0.00")),
                      dealers=len({s.dealer_id for s, _ in rows}))

    async def sellout_trend(self, f: Any) -> list[Any]:
        from core.reports import MonthPoint

        months: dict[str, list[Any]] = {}
        for s, _ in self._sellout(f):
            months.setdefault(s.sold_on.strftime("%Y-%m"), []).append(s)
        return [MonthPoint(m, len(rows), sum(r.qty for r in rows), sum((r.amount for r in rows), Decimal("0.00")))
                for m, rows in sorted(months.items())]

    async def sellout_breakdown(self, f: Any, by: Any, limit: int | None = None, *, lowest_first: bool = False) -> list[Any]:
        groups: dict[str, dict[str, Any]] = {}
        dealers = {d.id: d for d in self.uow.dealers.rows}
        for s, d in self._sellout(f):
            key, label = self._key(by, s.sku, d or dealers.get(s.dealer_id), s.province, s.city)
            g = groups.setdefault(key, {"label": label, "ids": set(), "qty": 0, "amount": Decimal("0.00")})
            g["ids"].add(s.id)
            g["qty"] += s.qty
            g["amount"] += s.amount
        return self._ranked(groups, limit, lowest_first)

    async def dealer_labels(self, f: Any, *, active_only: bool = False) -> dict[int, tuple[str, str]]:
        from core.dealers import DealerStatus

        return {d.id: (d.code, d.name) for d in self.uow.dealers.rows
                if self._dealer_ok(d, f, sellout=False) and (f.dealer_id is None or d.id == f.dealer_id)
                and (not active_only or d.status == DealerStatus.ACTIVE)}

    async def contract_targets(self, f: Any) -> list[Any]:
        from core.reports import TARGET_CONTRACTS

        return [(c.dealer_id, c.starts_on, c.ends_on, list(c.targets)) for c in self.uow.contracts.rows
                if c.status in TARGET_CONTRACTS and (f.dealer_id is None or c.dealer_id == f.dealer_id)]

    async def monthly_quantities(self, source: str, f: Any, *, by_dealer: bool = False) -> list[Any]:
        sums: dict[tuple[Any, str, str], int] = {}
        if source == "orders":
            for o, ln, _ in self._order_lines(f):
                key = (o.dealer_id if by_dealer else None, ln.sku, o.created_at.astimezone(self.tz).strftime("%Y-%m"))
                sums[key] = sums.get(key, 0) + ln.qty + ln.free_qty
        else:
            for s, _ in self._sellout(f):
                key = (s.dealer_id if by_dealer else None, s.sku, s.sold_on.strftime("%Y-%m"))
                sums[key] = sums.get(key, 0) + s.qty
        return [(d, sku, m, q) for (d, sku, m), q in sorted(sums.items(), key=lambda kv: (str(kv[0]), kv[1]))]


class FakeFileStore(ports.AbstractFileStore):
    """Content-addressed bytes in a dict (same keys as bot.files.FileStore)."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    async def put(self, data: bytes, name: str = "") -> str:
        import hashlib

        ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        key = hashlib.sha256(data).hexdigest() + (f".{ext}" if ext else "")
        self.files[key] = data
        return key

    async def get(self, key: str) -> bytes:
        return self.files[key]
