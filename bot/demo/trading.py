"""Phase 2: orders, ledger and sell-out in bulk, 50 dealers a chunk."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, datetime, timedelta
from decimal import ROUND_CEILING, Decimal
from typing import Any

from bot.demo.base import SeederBase
from bot.demo.world import (
    CANCEL_REASONS,
    CARRIERS,
    CATALOGUE,
    CHUNK_DEALERS,
    DEPOSIT,
    FILTER,
    FINANCE,
    MONTHLY_ORDERS,
    MONTHLY_SELLOUT_LINES,
    ORDER_DESK,
    ORDER_QTY,
    REBATE_RATE,
    REGION_WAREHOUSE,
    REJECT_REASONS,
    SEASONALITY,
    TIER_DISCOUNT,
    DemoDealer,
    DemoProduct,
    demo_at,
    demo_rng,
    money,
    month_end,
    month_starts,
    poisson,
    weighted,
)
from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.dealers import DealerStatus
from core.ledger import Balances, available_funds, plan_payment
from core.orders import Order, OrderEvent, OrderLine, OrderStatus
from core.sellout import CustomerType


class TradingHistory(SeederBase):
    async def trading_history(self) -> None:
        months = month_starts(self.today, self.months)
        plans = self._plan_orders(months)
        sink = _BulkSink(self.session_factory)
        for start in range(0, len(self.dealers), CHUNK_DEALERS):
            chunk = self.dealers[start:start + CHUNK_DEALERS]
            orders: list[Order] = []
            ledger: list[LedgerEntry] = []
            sellout: list[dict[str, Any]] = []
            for d in chunk:
                dealer_orders = self._orders_for(d, plans[d.index])
                ledger.extend(self._ledger_for(d, dealer_orders, months))
                orders.extend(dealer_orders)
                sellout.extend(self._sellout_for(d, months))
            await sink.orders(orders)
            await sink.ledger(ledger)
            await sink.sellout(sellout)
            self.count("orders", len(orders))
            self.count("order_lines", sum(len(o.lines) for o in orders))
            self.count("ledger_entries", len(ledger))
            self.count("sellout", len(sellout))
            self.progress(f"orders {self.counts['orders']}, sell-out {self.counts['sellout']}")
        await sink.sequences({f"SO-{day:%Y%m%d}": n for day, n in self.order_numbers.items()})

    def _showcase_plan(self) -> dict[int, list[tuple[int, int, OrderStatus]]]:
        """Recent orders in every state (age in days, status), spread over dealers that may order."""
        wanted = [
            (0, OrderStatus.SUBMITTED), (0, OrderStatus.SUBMITTED), (1, OrderStatus.APPROVED),
            (1, OrderStatus.ALLOCATED), (2, OrderStatus.IN_PRODUCTION), (2, OrderStatus.SHIPPED),
            (3, OrderStatus.RECEIVED), (4, OrderStatus.REJECTED), (5, OrderStatus.CANCELLED),
            (6, OrderStatus.SUBMITTED), (7, OrderStatus.ALLOCATED), (8, OrderStatus.SHIPPED),
        ]
        ordering = [d for d in self.dealers if d.blocked_from is None and d.tier != "C"][:9]
        plan: dict[int, list[tuple[int, int, OrderStatus]]] = {}
        for i, (age, status) in enumerate(wanted):
            if ordering:
                plan.setdefault(ordering[i % len(ordering)].index, []).append((i, age, status))
        return plan

    def _next_number(self, day: date) -> str:
        n = self.order_numbers.get(day, 0) + 1
        self.order_numbers[day] = n
        return f"SO-{day:%Y%m%d}-{n:04d}"

    def _skus_for(self, d: DemoDealer) -> list[DemoProduct]:
        return [p for p in CATALOGUE if d.allowed is None or p.sku in d.allowed]

    def _order_plan(self, d: DemoDealer, months: list[date], showcase: list[tuple[int, int, OrderStatus]]
                    ) -> list[tuple[datetime, OrderStatus | None]]:
        """When this dealer ordered (and, for the showcase orders, in which state the order is now)."""
        if d.status in (DealerStatus.PROSPECT, DealerStatus.UNDER_REVIEW):
            return []
        rng = demo_rng(self.seed, "order-plan", d.code)
        planned: list[tuple[datetime, OrderStatus | None]] = []
        for start in months:
            end = min(month_end(start), self.today)
            season = sum(SEASONALITY[c][start.month - 1] for c in SEASONALITY) / len(SEASONALITY)
            for _ in range(poisson(rng, MONTHLY_ORDERS[d.tier] * season)):
                day = start + timedelta(days=rng.randint(0, (end - start).days))
                if d.blocked_from is not None and day >= d.blocked_from:
                    continue
                planned.append((demo_at(self.clock, day, rng.randint(8, 19), rng.randint(0, 59)), None))
        for i, age, status in showcase:
            if age == 0:   # earlier today, whatever the time of day the seeding runs
                at = (self.now - timedelta(minutes=15 + 11 * i)).replace(second=0, microsecond=0)
            else:
                at = demo_at(self.clock, self.today - timedelta(days=age), 9 + (age + i) % 8, (10 + 7 * i) % 60)
            planned.append((at, status))
            if i == 0:
                self.needs_approval.add(at)
        return sorted(((at, st) for at, st in planned if at <= self.now), key=lambda x: x[0])

    def _plan_orders(self, months: list[date]) -> dict[int, list[tuple[datetime, OrderStatus | None, str]]]:
        """Every dealer's order plan, numbered SO-YYYYMMDD-NNNN in time order across all dealers."""
        showcase = self._showcase_plan()
        plans = {d.index: self._order_plan(d, months, showcase.get(d.index, [])) for d in self.dealers}
        stamps = sorted((at, index, k) for index, plan in plans.items() for k, (at, _) in enumerate(plan))
        numbers: dict[tuple[int, int], str] = {}
        for at, index, k in stamps:
            numbers[(index, k)] = self._next_number(at.astimezone(self.clock.tz).date())
        return {index: [(at, st, numbers[(index, k)]) for k, (at, st) in enumerate(plan)]
                for index, plan in plans.items()}

    def _orders_for(self, d: DemoDealer, plan: list[tuple[datetime, OrderStatus | None, str]]) -> list[Order]:
        rng = demo_rng(self.seed, "orders", d.code)
        return [self._order(d, rng, at, status, number) for at, status, number in plan]

    def _status_for_age(self, rng: random.Random, age: int) -> OrderStatus:
        S = OrderStatus
        if age > 20:
            return weighted(rng, [S.CLOSED, S.CANCELLED, S.REJECTED], [92, 4, 4])
        if age > 7:
            return weighted(rng, [S.CLOSED, S.RECEIVED, S.SHIPPED], [55, 30, 15])
        if age > 2:
            return weighted(rng, [S.SHIPPED, S.ALLOCATED, S.IN_PRODUCTION, S.RECEIVED], [40, 25, 10, 25])
        return weighted(rng, [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.CANCELLED, S.REJECTED], [45, 30, 15, 5, 5])

    def _order(self, d: DemoDealer, rng: random.Random, at: datetime, status: OrderStatus | None,
               number: str) -> Order:
        day = at.date()
        age = (self.today - day).days
        status = status or self._status_for_age(rng, age)
        products = self._skus_for(d)
        weights = [p.popularity * SEASONALITY[p.category][day.month - 1] for p in products]
        lines: list[OrderLine] = []
        for _ in range(min(len(products), weighted(rng, [1, 2, 3, 4], [30, 35, 25, 10]))):
            p = weighted(rng, products, weights)
            if any(line.sku == p.sku for line in lines):
                continue
            low, high = ORDER_QTY[d.tier]
            qty = rng.randint(low, high) if p.unit == "台" else max(p.moq, rng.randint(low // 3 + 1, high // 3 + 2))
            price = money(Decimal(p.list_price) * TIER_DISCOUNT[d.tier])
            free = qty // 10 if p.category == FILTER and qty >= 10 else 0
            lines.append(OrderLine(sku=p.sku, name=p.name, qty=qty, unit_price=price, free_qty=free,
                                   promotion_code="P-FL-10+1" if free else None))
        total = money(sum((line.amount for line in lines), Decimal("0")))
        on_behalf = rng.random() < 0.12
        placed_by = ORDER_DESK if on_behalf else d.owner_label
        order = Order(number=number, dealer_id=d.id, lines=lines, status=status, total=total,
                      requested_delivery=day + timedelta(days=rng.randint(3, 10)),
                      warehouse_id=self.warehouse_ids[REGION_WAREHOUSE[d.city.region]],
                      placed_by=placed_by, on_behalf=on_behalf, created_at=at)
        order.events = self._timeline(order, rng, at)
        order.updated_at = order.events[-1].at
        order.version = len(order.events)
        if status in (OrderStatus.SHIPPED, OrderStatus.RECEIVED, OrderStatus.CLOSED):
            order.carrier = rng.choice(CARRIERS)
            order.tracking_no = f"{rng.choice(('SF', 'DB', 'JD', 'AN', 'ZT'))}{rng.randint(10**11, 10**12 - 1)}"
        if status == OrderStatus.REJECTED:
            order.reject_reason = rng.choice(REJECT_REASONS)
        if status == OrderStatus.ALLOCATED:
            wh = REGION_WAREHOUSE[d.city.region]
            for line in lines:
                key = (wh, line.sku)
                self.reserved[key] = self.reserved.get(key, 0) + line.qty + line.free_qty
        if status == OrderStatus.IN_PRODUCTION:
            order.warehouse_id = None
        if age <= 14 and lines:
            self.recent_orders.append((order.number, d.id, lines[0].sku))
        return order

    def _timeline(self, order: Order, rng: random.Random, at: datetime) -> list[OrderEvent]:
        S = OrderStatus
        paths = {
            S.SUBMITTED: [S.SUBMITTED],
            S.APPROVED: [S.SUBMITTED, S.APPROVED],
            S.REJECTED: [S.SUBMITTED, S.REJECTED],
            S.ALLOCATED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED],
            S.IN_PRODUCTION: [S.SUBMITTED, S.APPROVED, S.IN_PRODUCTION],
            S.SHIPPED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.SHIPPED],
            S.RECEIVED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.SHIPPED, S.RECEIVED],
            S.CLOSED: [S.SUBMITTED, S.APPROVED, S.ALLOCATED, S.SHIPPED, S.RECEIVED, S.CLOSED],
            S.CANCELLED: [S.SUBMITTED, S.APPROVED, S.CANCELLED] if rng.random() < 0.5 else [S.SUBMITTED, S.CANCELLED],
        }
        gaps = {S.APPROVED: (1, 6), S.REJECTED: (1, 8), S.ALLOCATED: (4, 30), S.IN_PRODUCTION: (4, 30),
                S.SHIPPED: (12, 48), S.RECEIVED: (30, 96), S.CLOSED: (24, 120), S.CANCELLED: (1, 20)}
        notes = {S.SUBMITTED: "代客下单" if order.on_behalf else "", S.ALLOCATED: "仓库配货",
                 S.IN_PRODUCTION: "库存不足，转生产 / short in stock", S.SHIPPED: "已出库",
                 S.RECEIVED: "经销商确认收货", S.CLOSED: "", S.APPROVED: "", S.REJECTED: "",
                 S.CANCELLED: rng.choice(CANCEL_REASONS)}
        events: list[OrderEvent] = []
        when = at
        for status in paths[order.status]:
            if status != S.SUBMITTED:
                low, high = gaps[status]
                when = when + timedelta(hours=rng.randint(low, high))
            # the demo clock never runs ahead of now: squeeze late steps into the time left
            when = min(when, self.now - timedelta(minutes=5 * (len(paths[order.status]) - len(events))))
            when = max(when, at)
            actor = order.placed_by if status in (S.SUBMITTED, S.RECEIVED) else ORDER_DESK
            if status == S.CANCELLED and rng.random() < 0.5:
                actor = order.placed_by
            note = notes[status] if status != S.REJECTED else (order.reject_reason or "")
            events.append(OrderEvent(status=status, actor=actor, at=when, note=note))
        return events

    def _ledger_for(self, d: DemoDealer, orders: list[Order], months: list[date]) -> list[LedgerEntry]:
        """Payments ahead of each month, a charge per order (plan_payment: rebate, prepayment, credit),
        refunds for rejected/cancelled orders, credit repayments, quarterly rebate accruals."""
        if d.status in (DealerStatus.PROSPECT, DealerStatus.UNDER_REVIEW):
            return []
        rng = demo_rng(self.seed, "ledger", d.code)
        entries: list[LedgerEntry] = []
        sums = {kind: Decimal("0.00") for kind in AccountKind}

        def post(account: AccountKind, amount: Decimal, kind: EntryKind, at: datetime, ref: str = "",
                 note: str = "", by: str = FINANCE) -> None:
            amount = money(amount)
            if amount == 0:
                return
            sums[account] += amount
            entries.append(LedgerEntry(dealer_id=d.id, account=account, amount=amount, kind=kind, ref=ref,
                                       note=note, created_by=by, created_at=at))

        first = demo_at(self.clock, months[0], 9) - timedelta(days=3)
        post(AccountKind.DEPOSIT, DEPOSIT[d.tier], EntryKind.PAYMENT, first, note="年度保证金")
        by_month: dict[date, list[Order]] = {}
        for o in orders:
            assert o.created_at is not None
            by_month.setdefault(o.created_at.date().replace(day=1), []).append(o)
        quarter_purchases = Decimal("0.00")
        for start in months:
            month_orders = by_month.get(start, [])
            expected = sum((o.total for o in month_orders), Decimal("0.00"))
            pay_at = demo_at(self.clock, start, 10) + timedelta(hours=rng.randint(0, 30))
            if pay_at <= self.now and (expected > 0 or start.month % 3 == 1):
                payment = money((expected * Decimal(str(rng.uniform(0.85, 1.1))) / 1000).to_integral_value() * 1000)
                if sums[AccountKind.CREDIT] < 0 and payment > 0:
                    repay = min(-sums[AccountKind.CREDIT], payment)
                    post(AccountKind.CREDIT, repay, EntryKind.CREDIT_REPAYMENT, pay_at, note="信用额度还款")
                    payment -= repay
                post(AccountKind.PREPAYMENT, payment, EntryKind.PAYMENT, pay_at,
                     ref=f"BANK-{start:%Y%m}-{d.code}", note="银行转账")
            for o in month_orders:
                assert o.created_at is not None
                balances = Balances(prepayment=sums[AccountKind.PREPAYMENT], deposit=sums[AccountKind.DEPOSIT],
                                    rebate=sums[AccountKind.REBATE], credit=sums[AccountKind.CREDIT])
                if o.created_at in self.needs_approval and o.status == OrderStatus.SUBMITTED:
                    self._beyond_funds(o, available_funds(o.total, balances, d.credit_limit))
                plan = plan_payment(o.total, balances, d.credit_limit)
                if not plan.covered and o.status != OrderStatus.SUBMITTED:
                    # the dealer topped up before the order went through
                    top_up = money((plan.shortfall / 10000).to_integral_value(rounding=ROUND_CEILING) * 10000)
                    post(AccountKind.PREPAYMENT, top_up, EntryKind.PAYMENT, o.created_at - timedelta(hours=2),
                         ref=f"BANK-{o.number}", note="补款")
                    balances = Balances(prepayment=sums[AccountKind.PREPAYMENT], deposit=sums[AccountKind.DEPOSIT],
                                        rebate=sums[AccountKind.REBATE], credit=sums[AccountKind.CREDIT])
                    plan = plan_payment(o.total, balances, d.credit_limit)
                if not plan.covered:
                    o.approval_reasons = ["credit_shortfall"]
                o.paid_from_rebate, o.paid_from_prepayment = plan.from_rebate, plan.from_prepayment
                o.paid_from_credit = plan.from_credit
                for account, part in ((AccountKind.REBATE, plan.from_rebate),
                                      (AccountKind.PREPAYMENT, plan.from_prepayment),
                                      (AccountKind.CREDIT, plan.from_credit)):
                    post(account, -part, EntryKind.ORDER_CHARGE, o.created_at, ref=o.number, by="system")
                if o.status in (OrderStatus.REJECTED, OrderStatus.CANCELLED):
                    back = o.events[-1].at
                    for account, part in ((AccountKind.REBATE, plan.from_rebate),
                                          (AccountKind.PREPAYMENT, plan.from_prepayment),
                                          (AccountKind.CREDIT, plan.from_credit)):
                        post(account, part, EntryKind.ORDER_REFUND, back, ref=o.number, by="system",
                             note="订单驳回退款" if o.status == OrderStatus.REJECTED else "订单取消退款")
                else:
                    quarter_purchases += o.total
            if start.month % 3 == 0:
                accrue_at = demo_at(self.clock, month_end(start) + timedelta(days=10), 16)
                if accrue_at <= self.now and quarter_purchases > 0:
                    quarter = (start.month - 1) // 3 + 1
                    post(AccountKind.REBATE, quarter_purchases * REBATE_RATE, EntryKind.REBATE_ACCRUAL, accrue_at,
                         ref=f"{start.year}-Q{quarter}", note=f"{start.year} 年第 {quarter} 季度返利计提", by="system")
                quarter_purchases = Decimal("0.00")
        return entries

    @staticmethod
    def _beyond_funds(order: Order, available: Decimal) -> None:
        """Raise the first line's quantity so the order exceeds what the dealer can pay: it waits for
        approval (the showcase of the credit-shortfall rule)."""
        line = order.lines[0]
        rest = order.total - line.amount
        line.qty = int((available * Decimal("1.2") - rest) / line.unit_price) + 1
        order.total = money(rest + line.amount)

    def _sellout_for(self, d: DemoDealer, months: list[date]) -> list[dict[str, Any]]:
        """Sell-out lines as ``storage.bulk`` rows (the SellOutLine fields); up to a million of them."""
        if d.status not in (DealerStatus.ACTIVE, DealerStatus.SUSPENDED):
            return []
        rng = demo_rng(self.seed, "sellout", d.code)
        products = self._skus_for(d)
        lines: list[dict[str, Any]] = []
        customer_types = [CustomerType.RETAIL, CustomerType.ONLINE, CustomerType.PROJECT, CustomerType.SUBDEALER]
        type_weights = [62, 22, 8, 8] if d.tier != "C" else [75, 20, 5, 0]
        for start in months:
            end = min(month_end(start), self.today - timedelta(days=1))
            if end < start:
                continue
            if d.status == DealerStatus.SUSPENDED and start > self.today - timedelta(days=40):
                continue
            weights = [p.popularity * SEASONALITY[p.category][start.month - 1] for p in products]
            season = sum(weights) / sum(p.popularity for p in products)
            n = max(1, round(MONTHLY_SELLOUT_LINES[d.tier] * season * rng.uniform(0.8, 1.2)))
            for _ in range(n):
                p = weighted(rng, products, weights)
                ctype = weighted(rng, customer_types, type_weights)
                qty = {CustomerType.RETAIL: rng.randint(1, 2), CustomerType.ONLINE: rng.randint(1, 3),
                       CustomerType.PROJECT: rng.randint(5, 40), CustomerType.SUBDEALER: rng.randint(4, 20)}[ctype]
                discount = Decimal(str(round(rng.uniform(0.88, 1.0), 2)))
                sold_on = start + timedelta(days=rng.randint(0, (end - start).days))
                lines.append({
                    "dealer_id": d.id, "sold_on": sold_on, "sku": p.sku, "qty": qty,
                    "amount": money(Decimal(p.list_price) * qty * discount), "province": d.city.province,
                    "city": d.city.city, "customer_type": ctype,
                    "reported_at": min(demo_at(self.clock, sold_on + timedelta(days=rng.randint(0, 6)), 20), self.now)})
        return lines



class _BulkSink:
    """Where the high-volume rows go: orders and sell-out through ``storage.bulk`` (Core executemany),
    ledger entries through the ORM a chunk per commit.

    The sequences of the document numbers used (``SO-YYYYMMDD``) are raised so that orders placed after
    seeding continue the numbering instead of colliding.
    """

    def __init__(self, session_factory: Any) -> None:
        self.session_factory = session_factory

    async def orders(self, orders: list[Order]) -> None:
        from storage.bulk import insert_orders_bulk

        rows = []
        for o in orders:
            row = {f.name: getattr(o, f.name) for f in dataclasses.fields(Order)
                   if f.name not in ("id", "lines", "events")}
            row["lines"] = [{"sku": x.sku, "name": x.name, "qty": x.qty, "unit_price": x.unit_price,
                             "discount": x.discount, "free_qty": x.free_qty, "promotion_code": x.promotion_code}
                            for x in o.lines]
            row["events"] = [{"status": e.status, "actor": e.actor, "at": e.at, "note": e.note} for e in o.events]
            rows.append(row)
        await insert_orders_bulk(self.session_factory, rows)

    async def ledger(self, entries: list[LedgerEntry]) -> None:
        if not entries:
            return
        async with self.session_factory() as session:
            session.add_all(entries)
            await session.commit()

    async def sellout(self, rows: list[dict[str, Any]]) -> None:
        from storage.bulk import insert_sellout_lines

        await insert_sellout_lines(self.session_factory, rows)

    async def sequences(self, values: dict[str, int]) -> None:
        from sqlalchemy import select

        from storage.orm import sequences

        async with self.session_factory() as session:
            existing: dict[str, int] = {key: value for key, value in await session.execute(
                select(sequences.c.key, sequences.c.value))}
            for key, value in values.items():
                if key in existing:
                    if existing[key] < value:
                        await session.execute(sequences.update().where(sequences.c.key == key).values(value=value))
                else:
                    await session.execute(sequences.insert().values(key=key, value=value))
            await session.commit()
