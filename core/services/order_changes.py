"""A dealer changes its own order while it waits for review (改单): lines added, set, removed.

Who and when:

- the order's dealer (its users who may order, ``placement`` as for a submit; another dealer's order is NotFound,
  as for one that does not exist), or staff ordering on a dealer's behalf;
- only while ``submitted`` and not on hold; once approved (or later) the answer is Conflict with
  ``reason="not_submitted"`` and the chat offers what can be done instead (a note to the order desk, cancel, a new
  order for the extra quantity);
- ``expected_version``: the version the dealer saw; another change or a decision in between is a Conflict.

What a change does is what a submit does, with the same code (``core.services.orders``): the order's charge is
given back (refund entries) and its promotion budget released, then the new lines are priced and checked
(``_quote``: prices, promotions, minimum quantities, line limits, the dealer's standing, funds/credit) exactly as
a submit, blocking failures refuse the whole change (nothing written), the new charge is booked, the budget spent.
The version goes up (the approval prompt sent before no longer matches), the timeline gets a line, the change is
audited (``order.change``, the lines before and after) and the approvers are told what changed
(``core.notify.order_changed_by_dealer``); an order still waiting for its parent dealer goes back to the parent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum

from core import notify, order_states
from core.accounts import DeductionRules
from core.auditing import record, snapshot
from core.authz import dealer_family
from core.clock import Clock
from core.errors import Conflict, DealerNotActive, NotFound, ValidationFailed
from core.ledger import charge_entries
from core.money import money
from core.notes import system_note
from core.orders import Order, OrderEvent, OrderStatus
from core.ports import AbstractUnitOfWork
from core.pricing import Quote
from core.services.orders import (
    AUDIT_FIELDS,
    _check_items,
    _load_for_update,
    _quote,
    _refund,
    _release_promotions,
    _violation,
    placement,
)
from core.users import Actor


class Keep(Enum):
    KEEP = "keep"


KEEP = Keep.KEEP


@dataclass(frozen=True)
class ChangeOrder:
    number: str
    items: Sequence[tuple[str, int]]          # the whole new order: (SKU, quantity)
    expected_version: int | None = None
    requested_delivery: date | None | Keep = KEEP   # a new delivery date (None: no date), or the order's kept


@dataclass(frozen=True)
class LineChange:
    """One line's difference: ``before`` 0 is a new line, ``after`` 0 a removed one."""

    sku: str
    before: int
    after: int


def line_changes(before: Sequence[tuple[str, int]], after: Sequence[tuple[str, int]]) -> list[LineChange]:
    """What differs between two sets of lines, in the order of ``before`` then the new SKUs."""
    was, now = dict(before), dict(after)
    skus = list(dict.fromkeys([*was, *now]))
    return [LineChange(sku, was.get(sku, 0), now.get(sku, 0)) for sku in skus if was.get(sku, 0) != now.get(sku, 0)]


def order_items(order: Order) -> list[tuple[str, int]]:
    """The order's lines as items to edit (ordered quantities, free units left to the promotions)."""
    items: dict[str, int] = {}
    for line in order.lines:
        items[line.sku] = items.get(line.sku, 0) + line.qty
    return list(items.items())


def changeable(order: Order) -> bool:
    """May the order's lines still be changed by its dealer (submitted, not held)?"""
    return order.status == OrderStatus.SUBMITTED and not order.held_reason


def _require_changeable(order: Order) -> None:
    if not changeable(order):
        label_zh = order_states.status_label(order.status, "zh")
        label_en = order_states.status_label(order.status, "en")
        raise Conflict(zh=f"订单 {order.number} 已{label_zh}，不能再修改", en=f"Order {order.number} is "
                       f"{label_en.lower()} and can no longer be changed", reason="not_submitted",
                       current=order.status.value)


async def _changeable_order(uow: AbstractUnitOfWork, actor: Actor, number: str,
                            expected_version: int | None) -> Order:
    order = await _load_for_update(uow, actor, number, expected_version, parent_placed=True)
    family = await dealer_family(uow, actor, about=order.dealer_id)
    placement(actor, order.dealer_id, family)
    _require_changeable(order)
    return order


async def quote_change(uow: AbstractUnitOfWork, actor: Actor, cmd: ChangeOrder, clock: Clock,
                       *, rules: DeductionRules | None = None) -> Quote:
    """The changed order priced and checked as ``change_order`` will, nothing written: the order's own charge is
    given back inside the unit, which is left without a commit (rolled back)."""
    _check_items(cmd.items)
    async with uow:
        order = await _changeable_order(uow, actor, cmd.number, cmd.expected_version)
        dealer, documents = await uow.dealer_snapshot(order.dealer_id)
        if dealer is None:
            raise NotFound(what=str(order.dealer_id))
        await _refund(uow, order, actor, clock.now(), "")
        await _release_promotions(uow, order)
        quote, _ = await _quote(uow, dealer, cmd.items, order.warehouse_id, clock, rules, documents=documents)
        return quote        # leaving the unit without a commit: the refund above is never written


async def change_order(uow: AbstractUnitOfWork, actor: Actor, cmd: ChangeOrder, clock: Clock,
                       *, rules: DeductionRules | None = None) -> Order:
    """Replace the lines of a submitted order, re-priced and re-checked as a submit; see the module's docstring."""
    _check_items(cmd.items)
    async with uow:
        order = await _changeable_order(uow, actor, cmd.number, cmd.expected_version)
        dealer, documents = await uow.locked_dealer(order.dealer_id)
        if dealer is None or dealer.id is None:
            raise NotFound(what=str(order.dealer_id))
        before_items, before_delivery = order_items(order), order.requested_delivery
        changes = line_changes(before_items, list(cmd.items))
        delivery = order.requested_delivery if isinstance(cmd.requested_delivery, Keep) else cmd.requested_delivery
        if not changes and delivery == order.requested_delivery:
            raise ValidationFailed.because("订单没有变化", "nothing in the order changed")
        fields = AUDIT_FIELDS + ("requested_delivery",)
        before = snapshot(order, fields) | {"lines": [f"{s}×{q}" for s, q in before_items]}
        was_total = order.total
        now = clock.now()
        await _refund(uow, order, actor, now, system_note("改单", ""))
        await _release_promotions(uow, order)
        quote, book = await _quote(uow, dealer, cmd.items, order.warehouse_id, clock, rules, lock_promotions=True,
                                   documents=documents)
        block = next((c for c in quote.checks if c.code == "dealer_status" and not c.ok), None)
        if block is not None:
            raise DealerNotActive(zh=block.zh, en=block.en, reason=block.en)
        if quote.blocking_failures:
            raise _violation(quote.blocking_failures)
        if not quote.lines or quote.payment is None:
            raise ValidationFailed.because("订单没有商品", "the order has no items")
        for entry in charge_entries(quote.payment, dealer.id, order.number, actor.label, now):
            await uow.ledger.add(entry)
        spent = {p.code: p.discount for p in quote.promotions}
        for promotion in book.promotions:
            if promotion.code in spent:
                promotion.spent = money(promotion.spent + spent[promotion.code])
        order.lines = quote.lines
        order.total = quote.total
        order.approval_reasons = quote.approval_reasons
        order.paid_from_rebate = quote.payment.from_rebate
        order.paid_from_prepayment = quote.payment.from_prepayment
        order.paid_from_credit = quote.payment.from_credit
        order.requested_delivery = delivery
        order.version += 1
        order.updated_at = now
        said = "，".join([*(f"{c.sku} {c.before}→{c.after}" for c in changes),
                         *([f"交货日期 {delivery or '-'}"] if delivery != before_delivery else [])])
        order.events.append(OrderEvent(status=OrderStatus.SUBMITTED, actor=actor.label, at=now,
                                       note=system_note("改单", said)))
        await record(uow, actor, "order.change", "order", order.number, clock, before=before,
                     after=snapshot(order, fields) | {"lines": [f"{s}×{q}" for s, q in cmd.items]})
        await notify.order_changed_by_dealer(uow, actor, order, [(c.sku, c.before, c.after) for c in changes],
                                             was_total, clock)
        await uow.commit()
        return order
