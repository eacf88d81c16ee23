"""Order use cases: quote, submit, approve/reject, allocate, ship, receive, close, cancel, read.

Each use case opens the unit of work, checks the actor, changes the domain, writes audit entries
and commits once. Failures roll everything back (leaving ``async with uow`` without commit).

Concurrency: a transition reads the order with ``for_update=True`` (row lock on PostgreSQL) and,
when the command carries ``expected_version`` (the version the person saw when pressing the
button), a different version means someone else decided first: Conflict, nothing written.
Submission locks the dealer row so two orders of one dealer cannot spend the same funds, and the
matched promotions so two orders cannot overrun a promotion budget.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from core import notify, order_states
from core.accounts import AccountKind, DeductionRules, EntryKind, LedgerEntry
from core.auditing import record, snapshot
from core.authz import (
    DealerFamily,
    DealerRecord,
    dealer_family,
    is_parent_of,
    may_read_dealer,
    readable_dealers,
)
from core.clock import Clock
from core.dealers import Dealer, Qualification
from core.errors import (
    BelowMinimumOrder,
    BusinessRuleViolation,
    Conflict,
    DealerNotActive,
    DomainError,
    InsufficientStock,
    NotFound,
    OverCreditLimit,
    PermissionDenied,
    QuantityOutOfRange,
    SkuNotAllowed,
    ValidationFailed,
)
from core.inventory import StockLevel, Warehouse
from core.ledger import ApprovalCover, Balances, approval_cover, charge_entries, order_unpaid, refund_entries
from core.money import ZERO, money
from core.notes import system_note
from core.onboarding import ordering_block_reason
from core.order_states import OrderAction
from core.orders import Order, OrderEvent, OrderStatus
from core.ports import AbstractUnitOfWork
from core.pricing import (
    FUNDS,
    LINE_LIMIT,
    MOQ,
    QTY_POSITIVE,
    SKU_ALLOWED,
    CheckResult,
    Funds,
    PriceBook,
    Quote,
    price_order,
)
from core.products import Promotion
from core.services.receipts import ReceiptIssue, receipt_note
from core.users import Actor, ActorKind, Permission

AUDIT_FIELDS = ("status", "version", "total", "approval_reasons", "paid_from_rebate", "paid_from_prepayment",
                "paid_from_credit", "warehouse_id", "carrier", "tracking_no", "reject_reason")


# --- commands -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class QuoteOrder:
    dealer_id: int
    items: Sequence[tuple[str, int]]          # (SKU, quantity)
    warehouse_id: int | None = None


@dataclass(frozen=True)
class SubmitOrder:
    dealer_id: int
    items: Sequence[tuple[str, int]]
    requested_delivery: date | None = None
    client_request_key: str | None = None     # same key, same dealer: the same order comes back
    note: str = ""
    warehouse_id: int | None = None


@dataclass(frozen=True)
class ApproveOrder:
    number: str
    expected_version: int | None = None
    note: str = ""
    over_limit: bool = False       # the approver accepted booking the part no funds cover past the credit limit


@dataclass(frozen=True)
class RejectOrder:
    number: str
    reason: str
    expected_version: int | None = None


@dataclass(frozen=True)
class AllocateOrder:
    number: str
    warehouse_id: int | None = None           # None: the order's warehouse, else the best one
    expected_version: int | None = None


@dataclass(frozen=True)
class ShipOrder:
    number: str
    carrier: str
    tracking_no: str
    expected_version: int | None = None


@dataclass(frozen=True)
class ConfirmReceipt:
    number: str
    partial: bool = False
    damaged: bool = False
    note: str = ""                     # the dealer's own words of what went wrong, kept as written
    issues: tuple[ReceiptIssue, ...] = ()   # which product, how many short / damaged


@dataclass(frozen=True)
class CloseOrder:
    number: str
    expected_version: int | None = None


@dataclass(frozen=True)
class CancelOrder:
    number: str
    reason: str = ""
    expected_version: int | None = None


# --- loading ------------------------------------------------------------------------------------

def _dealer_not_found(dealer_id: int) -> NotFound:
    return NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))


def placement(actor: Actor, dealer_id: int, family: DealerFamily | None = None) -> bool:
    """Check ``actor`` may order for ``dealer_id``; return True when it orders on the dealer's behalf.

    A parent dealer's user (or its dealer-bound key) orders on behalf of its direct sub-dealers (``family``:
    ``core.authz.dealer_family``): the order is the sub-dealer's, priced for it."""
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id != dealer_id and not (family is not None and is_parent_of(family, dealer_id)):
            raise _dealer_not_found(dealer_id)
        if Permission.ORDER_PLACE_OWN not in actor.permissions:
            raise PermissionDenied()
        return actor.dealer_id != dealer_id
    if actor.kind == ActorKind.API:
        if actor.dealer_id not in (None, dealer_id) and not (family is not None and is_parent_of(family, dealer_id)):
            raise _dealer_not_found(dealer_id)
        if "orders:write" not in actor.scopes:
            raise PermissionDenied()
        return True
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.kind == ActorKind.STAFF and Permission.ORDER_PLACE_ON_BEHALF in actor.permissions:
        return True
    raise PermissionDenied()


def _sku_variants(items: Sequence[tuple[str, int]]) -> list[str]:
    out: set[str] = set()
    for sku, _ in items:
        s = sku.strip()
        out.update({s, s.upper(), s.lower()})
    return sorted(out)


async def load_price_book(uow: AbstractUnitOfWork, dealer: Dealer, skus: Sequence[str], today: date,
                          *, lock_promotions: bool = False) -> PriceBook:
    """Products, prices, allowed SKUs and today's promotions for ``dealer`` and ``skus``."""
    assert dealer.id is not None
    inputs = await uow.price_inputs(dealer.tier, dealer.id, skus, today)
    products, lists = dict(inputs.products), inputs.lists
    promotions: list[Promotion] = list(inputs.promotions)
    if lock_promotions:
        locked = [await uow.promotions.get(p.id, for_update=True) for p in promotions if p.id is not None]
        promotions = [p for p in locked if p is not None]
    return PriceBook(dealer=dealer, products=products, tier_prices=lists.tier, dealer_prices=lists.own,
                     allowed_skus=lists.allowed, promotions=promotions)


async def available_stock(uow: AbstractUnitOfWork, skus: Sequence[str],
                          warehouse_id: int | None = None) -> dict[str, int]:
    """Available units per SKU, over all warehouses or one."""
    return await uow.available_by_sku(list(skus), warehouse_id)


async def dealer_balances(uow: AbstractUnitOfWork, dealer_id: int) -> Balances:
    return await uow.balances(dealer_id)


def _check_key(key: str | None) -> None:
    if key is not None and not 0 < len(key) <= 64:
        raise ValidationFailed.because("请求标识须为 1–64 个字符", "client_request_key must be 1-64 characters")


def _check_items(items: Sequence[tuple[str, int]]) -> None:
    if not items:
        raise ValidationFailed.because("订单没有商品", "the order has no items")
    for sku, qty in items:
        if not isinstance(qty, int) or isinstance(qty, bool) or not sku.strip():
            raise ValidationFailed.because(f"商品行有误：{sku!r} x {qty!r}", f"bad item: {sku!r} x {qty!r}")


async def _quote(uow: AbstractUnitOfWork, dealer: Dealer, items: Sequence[tuple[str, int]],
                 warehouse_id: int | None, clock: Clock, rules: DeductionRules | None,
                 *, lock_promotions: bool = False,
                 documents: Sequence[Qualification] | None = None) -> tuple[Quote, PriceBook]:
    """The quote and the price book it was priced from (submit spends the book's promotions, locked here).
    ``documents``: the dealer's, when read with it (``uow.dealer_snapshot``); else read here."""
    assert dealer.id is not None
    today = clock.today()
    skus = _sku_variants(items)
    book = await load_price_book(uow, dealer, skus, today, lock_promotions=lock_promotions)
    stock = await available_stock(uow, list(book.products), warehouse_id)
    funds = Funds(await dealer_balances(uow, dealer.id), dealer.effective_credit_limit(today),
                  rules or DeductionRules())
    if documents is None:
        documents = await uow.qualifications.list(dealer_id=dealer.id)
    block = ordering_block_reason(dealer, list(documents), today)
    return price_order(book, items, today, stock=stock, funds=funds, block_reason=block), book


# --- quote and submit ---------------------------------------------------------------------------

async def quote_order(uow: AbstractUnitOfWork, actor: Actor, cmd: QuoteOrder, clock: Clock,
                      *, rules: DeductionRules | None = None) -> Quote:
    """Price and check without writing anything (for chat summaries before the dealer confirms).

    ``rules``: how orders are paid (bootstrap passes ``Settings.rebate_max_share``); default 30 % rebate.
    """
    async with uow:
        family = await dealer_family(uow, actor, about=cmd.dealer_id)
        placement(actor, cmd.dealer_id, family)
        _check_items(cmd.items)
        dealer, documents = await uow.dealer_snapshot(cmd.dealer_id)       # kept per process while unchanged
        if dealer is None:
            raise _dealer_not_found(cmd.dealer_id)
        quote, _ = await _quote(uow, dealer, cmd.items, cmd.warehouse_id, clock, rules, documents=documents)
        if is_parent_of(family, cmd.dealer_id) and not family.sub_accounts_visible:
            _hide_funds(quote)
        return quote


def _hide_funds(quote: Quote) -> None:
    """A parent dealer ordering for its sub-dealer learns whether the sub-dealer's funds cover the order, never
    its balances (``core.authz``: money accounts stay closed unless the parent's contract opens them)."""
    for i, check in enumerate(quote.checks):
        if check.code == FUNDS:
            zh, en = (("下级经销商账户资金充足", "The sub-dealer's funds cover it") if check.ok else
                      ("下级经销商账户资金不足，提交后需厂家审批", "The sub-dealer's funds fall short: the maker must "
                                                                   "approve it"))
            quote.checks[i] = dataclasses.replace(check, zh=zh, en=en)
    quote.payment = None


def _violation(failures: list[CheckResult]) -> DomainError:
    """The error for the first blocking failure, its message listing every blocking failure."""
    first = failures[0]
    zh = "；".join(f.zh for f in failures)
    en = "; ".join(f.en for f in failures)
    if first.code == MOQ:
        return BelowMinimumOrder(zh=zh, en=en, sku=first.sku)
    if first.code == SKU_ALLOWED:
        return SkuNotAllowed(zh=zh, en=en, sku=first.sku)
    if first.code in (QTY_POSITIVE, LINE_LIMIT):
        return QuantityOutOfRange(zh=zh, en=en, sku=first.sku, qty=first.qty, limit=first.limit, check=first.code)
    return BusinessRuleViolation(zh=zh, en=en, check=first.code, sku=first.sku)


async def submit_order(uow: AbstractUnitOfWork, actor: Actor, cmd: SubmitOrder, clock: Clock,
                       *, rules: DeductionRules | None = None) -> Order:
    """Re-check everything, create the order (status submitted), charge the dealer's accounts.

    Every order starts ``submitted``. An order the dealer's funds do not cover still goes in, with
    ``approval_reasons`` (see ``core.ledger`` for how the shortfall is paid once approved). A command whose
    ``client_request_key`` the dealer used already returns that order (``submit_order_once`` says which).
    """
    return (await submit_order_once(uow, actor, cmd, clock, rules=rules)).order


@dataclass(frozen=True)
class Submitted:
    """What ``submit_order_once`` did: ``new`` False when the request key named an order submitted before."""

    order: Order
    new: bool


async def submit_order_once(uow: AbstractUnitOfWork, actor: Actor, cmd: SubmitOrder, clock: Clock,
                            *, rules: DeductionRules | None = None) -> Submitted:
    """``submit_order``, telling a new order from the one an earlier command with the same key submitted
    (a chat's Confirm pressed twice answers "submitted already" without a look-up of its own first)."""
    async with uow:
        family = await dealer_family(uow, actor, about=cmd.dealer_id)
        on_behalf = placement(actor, cmd.dealer_id, family)
        if is_parent_of(family, cmd.dealer_id) and actor.dealer_id is not None:
            await _require_parent_may_order(uow, actor.dealer_id, clock)
        _check_key(cmd.client_request_key)
        _check_items(cmd.items)
        dealer, documents = await uow.locked_dealer(cmd.dealer_id)
        # the key is looked up under the dealer's lock: the other press of a double tap, which held the lock, has
        # committed its order by now, and this one answers with it instead of pricing it again, taking an order
        # number for nothing and failing on the unique (dealer, key)
        if cmd.client_request_key:
            existing = await uow.order_by_request_key(cmd.dealer_id, cmd.client_request_key)
            if existing is not None:
                return Submitted(existing, new=False)
        if dealer is None:
            raise _dealer_not_found(cmd.dealer_id)
        quote, book = await _quote(uow, dealer, cmd.items, cmd.warehouse_id, clock, rules, lock_promotions=True,
                                   documents=documents)
        block = next((c for c in quote.checks if c.code == "dealer_status" and not c.ok), None)
        if block is not None:
            raise DealerNotActive(zh=block.zh, en=block.en, reason=block.en)
        failures = quote.blocking_failures
        if failures:
            raise _violation(failures)
        if not quote.lines:
            raise ValidationFailed.because("订单没有商品", "the order has no items")
        assert quote.payment is not None and dealer.id is not None

        now = clock.now()
        number = await uow.take_number("SO", clock.today())
        order = Order(
            number=number, dealer_id=dealer.id, lines=quote.lines, total=quote.total,
            requested_delivery=cmd.requested_delivery, warehouse_id=cmd.warehouse_id,
            client_request_key=cmd.client_request_key, placed_by=actor.label, on_behalf=on_behalf,
            approval_reasons=quote.approval_reasons, paid_from_rebate=quote.payment.from_rebate,
            paid_from_prepayment=quote.payment.from_prepayment, paid_from_credit=quote.payment.from_credit,
            note=cmd.note, created_at=now, updated_at=now,
            events=[OrderEvent(status=OrderStatus.SUBMITTED, actor=actor.label, at=now,
                               note="代客下单" if on_behalf else "")])
        by_parent = is_parent_of(family, dealer.id)
        parent = await uow.dealers.get(dealer.parent_id) if dealer.parent_id is not None and not by_parent else None
        if parent is not None and parent.approves_sub_orders:
            order.parent_approval = order_states.PARENT_PENDING
        for entry in charge_entries(quote.payment, dealer.id, number, actor.label, now):
            await uow.ledger.add(entry)
        await uow.add_order(order)
        spent = {p.code: p.discount for p in quote.promotions}
        # the matched promotions were loaded and locked by _quote (lock_promotions=True): spent on those objects
        for promotion in book.promotions:
            if promotion.code in spent:
                promotion.spent = money(promotion.spent + spent[promotion.code])
        await record(uow, actor, "order.submit", "order", number, clock,
                     after=snapshot(order, AUDIT_FIELDS + ("dealer_id", "on_behalf", "placed_by", "parent_approval")))
        if order.parent_approval == order_states.PARENT_PENDING and parent is not None and parent.id is not None:
            await notify.order_for_parent(uow, actor, order, parent.id, clock)
        else:
            await notify.order_submitted(uow, actor, order, clock)
        if by_parent:
            await notify.order_placed_by_parent(uow, actor, order, clock)
        await uow.commit()
        return Submitted(order, new=True)


async def _require_parent_may_order(uow: AbstractUnitOfWork, parent_id: int, clock: Clock) -> None:
    """A parent dealer that may not order itself (suspended, say) orders for no sub-dealer either."""
    parent = await uow.dealers.get(parent_id)
    if parent is None:
        raise _dealer_not_found(parent_id)
    block = ordering_block_reason(parent, await uow.qualifications.list(dealer_id=parent_id), clock.today())
    if block is not None:
        raise DealerNotActive(zh=f"暂不能下单：{block[0]}", en=f"Ordering is blocked: {block[1]}", reason=block[1])


@dataclass(frozen=True)
class ParentDecision:
    """A parent dealer approves (or rejects, with a reason) its sub-dealer's order waiting for it."""

    number: str
    approve: bool
    reason: str = ""
    expected_version: int | None = None


async def parent_decide(uow: AbstractUnitOfWork, actor: Actor, cmd: ParentDecision, clock: Clock) -> Order:
    """The parent dealer's approval step (``Dealer.approves_sub_orders``). Approved: the order goes to the maker's
    usual approval (its prompt is sent now). Rejected: refunded and closed as rejected. Only a user of the parent
    dealer who may order (ORDER_PLACE_OWN); anyone else gets NotFound, as for another dealer's order."""
    async with uow:
        order = await uow.orders.get_by(number=cmd.number, for_update=True)
        family = await dealer_family(uow, actor)
        if order is None or actor.kind != ActorKind.DEALER or not is_parent_of(family, order.dealer_id):
            raise NotFound(zh=f"未找到订单 {cmd.number}", en=f"Order {cmd.number} not found", what=cmd.number)
        if Permission.ORDER_PLACE_OWN not in actor.permissions:
            raise PermissionDenied()
        if cmd.expected_version is not None and order.version != cmd.expected_version:
            raise Conflict(zh=f"订单 {cmd.number} 已被处理，请刷新后再试",
                           en=f"Order {cmd.number} was already handled; refresh and try again", reason="version")
        before = snapshot(order, AUDIT_FIELDS + ("parent_approval",))
        now = clock.now()
        order_states.parent_decide(order, actor, cmd.approve, now, cmd.reason)
        if not cmd.approve:
            await _refund(uow, order, actor, now, system_note("上级驳回", cmd.reason))
            await _release_promotions(uow, order)
        await record(uow, actor, "order.parent_approve" if cmd.approve else "order.parent_reject", "order",
                     order.number, clock, before=before, after=snapshot(order, AUDIT_FIELDS + ("parent_approval",)))
        if cmd.approve:
            await notify.order_submitted(uow, actor, order, clock)
        await notify.order_changed(uow, actor, order, "parent_approve" if cmd.approve else "reject", clock)
        await uow.commit()
        return order


# --- suspension: open orders kept or held for review ----------------------------------------------

HOLDABLE = frozenset({OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.ALLOCATED, OrderStatus.IN_PRODUCTION})


async def hold_open_orders(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, reason: str,
                           clock: Clock) -> list[Order]:
    """Put the dealer's open, not yet shipped orders on hold for review (inside the caller's unit of work, no
    commit): each audited (``order.hold``), the order desk told once. The maker's steps refuse a held order."""
    held = []
    for order in await uow.orders.list(dealer_id=dealer_id, status__in=sorted(HOLDABLE), order_by="created_at"):
        if order.held_reason:
            continue
        before = snapshot(order, ("held_reason",))
        order.held_reason = reason.strip() or system_note("暂停合作")
        order.updated_at = clock.now()
        order.version += 1
        await record(uow, actor, "order.hold", "order", order.number, clock, before=before,
                     after=snapshot(order, ("held_reason",)))
        held.append(order)
    if held:
        await notify.orders_held(uow, actor, dealer_id, [o.number for o in held], reason, clock, held=True)
    return held


async def release_held_orders(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock) -> list[Order]:
    """Release every held order of the dealer (it was reinstated), audited (``order.release``), desk told."""
    released = []
    for order in await uow.orders.list(dealer_id=dealer_id, status__in=sorted(HOLDABLE), order_by="created_at"):
        if not order.held_reason:
            continue
        before = snapshot(order, ("held_reason",))
        order.held_reason = None
        order.updated_at = clock.now()
        order.version += 1
        await record(uow, actor, "order.release", "order", order.number, clock, before=before,
                     after=snapshot(order, ("held_reason",)))
        released.append(order)
    if released:
        await notify.orders_held(uow, actor, dealer_id, [o.number for o in released], "", clock, held=False)
    return released


# --- transitions --------------------------------------------------------------------------------

async def _load_for_update(uow: AbstractUnitOfWork, actor: Actor, number: str,
                           expected_version: int | None, *, parent_placed: bool = False) -> Order:
    """``parent_placed``: a parent dealer may take it when it placed it for its sub-dealer (a change of it)."""
    order = await uow.orders.get_by(number=number, for_update=True)
    if order is None:
        raise NotFound(zh=f"未找到订单 {number}", en=f"Order {number} not found", what=number)
    if parent_placed and actor.kind == ActorKind.DEALER and order.placed_by_dealer(actor.dealer_id) \
            and actor.dealer_id != order.dealer_id:
        placement(actor, order.dealer_id, await dealer_family(uow, actor, about=order.dealer_id))
    else:
        order_states.ensure_visible(order, actor)
    if expected_version is not None and order.version != expected_version:
        last = order.events[-1].actor if order.events else "?"
        status_zh = order_states.status_label(order.status, "zh")
        status_en = order_states.status_label(order.status, "en")
        raise Conflict(zh=f"订单 {number} 已被 {last} 处理（当前：{status_zh}），请刷新后再试",
                       en=f"Order {number} was already handled by {last} (now {status_en.lower()}); "
                          "refresh and try again",
                       reason="version", current=order.status.value)
    return order


async def _refund(uow: AbstractUnitOfWork, order: Order, actor: Actor, at: datetime, note: str) -> None:
    for entry in refund_entries(order, actor.label, at, note):
        await uow.ledger.add(entry)
    order.paid_from_rebate = order.paid_from_prepayment = order.paid_from_credit = ZERO


async def _release_promotions(uow: AbstractUnitOfWork, order: Order) -> None:
    """Give the promotion budget an order used back (rejected or cancelled orders)."""
    used: dict[str, Decimal] = {}
    for line in order.lines:
        if line.promotion_code:
            value = line.discount + line.unit_price * line.free_qty
            used[line.promotion_code] = used.get(line.promotion_code, ZERO) + value
    for code, value in used.items():
        promotion = await uow.promotions.get_by(code=code, for_update=True)
        if promotion is not None:
            promotion.spent = max(money(promotion.spent - value), ZERO)


def _needed(order: Order) -> dict[str, int]:
    """Units leaving the warehouse per SKU, free units included."""
    need: dict[str, int] = {}
    for line in order.lines:
        need[line.sku] = need.get(line.sku, 0) + line.qty + line.free_qty
    return need


async def _stock_rows(uow: AbstractUnitOfWork, warehouse_id: int, skus: Sequence[str], *,
                      lock: bool = True) -> dict[str, StockLevel]:
    """The warehouse's stock rows of ``skus``, locked (in SKU order: two orders never wait on each other in
    opposite orders) unless ``lock`` is False."""
    rows: dict[str, StockLevel] = {}
    for sku in sorted(skus):
        row = await uow.stock.get_by(warehouse_id=warehouse_id, sku=sku, for_update=lock)
        if row is not None:
            rows[sku] = row
    return rows


def _shortages(rows: dict[str, StockLevel], need: dict[str, int]) -> list[tuple[str, int, int]]:
    return [(sku, rows[sku].available if sku in rows else 0, qty) for sku, qty in need.items()
            if sku not in rows or rows[sku].available < qty]


async def _record_transition(uow: AbstractUnitOfWork, actor: Actor, order: Order, action: OrderAction,
                             before: dict[str, object], clock: Clock) -> None:
    """The audit entry and the pushes of a transition, in the caller's transaction."""
    await record(uow, actor, f"order.{action.value}", "order", order.number, clock,
                 before=before, after=snapshot(order, AUDIT_FIELDS))
    await notify.order_changed(uow, actor, order, action.value, clock)


async def _commit_transition(uow: AbstractUnitOfWork, actor: Actor, order: Order, action: OrderAction,
                             before: dict[str, object], clock: Clock) -> Order:
    await _record_transition(uow, actor, order, action, before, clock)
    await uow.commit()
    return order


async def _cover(uow: AbstractUnitOfWork, order: Order, today: date, *, lock: bool = False) -> ApprovalCover:
    dealer = await uow.dealers.get(order.dealer_id, for_update=lock)
    if dealer is None:
        raise _dealer_not_found(order.dealer_id)
    return approval_cover(order_unpaid(order), await dealer_balances(uow, order.dealer_id),
                          dealer.effective_credit_limit(today))


async def order_approval_cover(uow: AbstractUnitOfWork, actor: Actor, number: str, clock: Clock) -> ApprovalCover:
    """What approving ``number`` now would take from prepayment and unused credit, and how much would overdraw
    the credit limit (the approval card and its confirm step say it)."""
    async with uow:
        order = await uow.orders.get_by(number=number)
        if order is None:
            raise NotFound(zh=f"未找到订单 {number}", en=f"Order {number} not found", what=number)
        order_states.ensure_visible(order, actor)
        return await _cover(uow, order, clock.today())


async def approve_order(uow: AbstractUnitOfWork, actor: Actor, cmd: ApproveOrder, clock: Clock) -> Order:
    """Approve. What the order still owes is paid from the dealer's funds as they are now (prepayment, then
    unused credit: a payment since submission counts); what no funds cover is booked on credit past the limit
    only when the approver said ``over_limit`` (else OverCreditLimit, nothing written).

    The system actor may approve only orders without approval reasons; those with reasons need
    a person holding ORDER_APPROVE.
    """
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, cmd.expected_version)
        if actor.kind == ActorKind.SYSTEM and order.needs_approval:
            raise PermissionDenied(zh="该订单需人工审批", en="This order needs approval by a person")
        before = snapshot(order, AUDIT_FIELDS)
        now = clock.now()
        order_states.check(order, actor, OrderAction.APPROVE)       # a wrong step or a stranger: said first
        cover = await _cover(uow, order, clock.today(), lock=True)   # the dealer row locked: funds spent once
        if cover.overdraft > ZERO and not cmd.over_limit:
            raise OverCreditLimit(number=order.number, overdraft=f"{cover.overdraft:,.2f}")
        order_states.apply(order, actor, OrderAction.APPROVE, now, cmd.note)
        if cover.unpaid > ZERO:
            # set before the ledger rows are staged: their flush then writes the order once (one UPDATE, not two)
            order.paid_from_prepayment = money(order.paid_from_prepayment + cover.from_prepayment)
            order.paid_from_credit = money(order.paid_from_credit + cover.from_credit + cover.overdraft)
            for account, amount, note in (
                    (AccountKind.PREPAYMENT, cover.from_prepayment, system_note("审批时扣款（提交后到账）")),
                    (AccountKind.CREDIT, cover.from_credit, system_note("审批时扣款（信用额度）")),
                    (AccountKind.CREDIT, cover.overdraft, system_note("超额度审批（信用透支）"))):
                if amount > ZERO:
                    await uow.ledger.add(LedgerEntry(
                        dealer_id=order.dealer_id, account=account, amount=-amount, kind=EntryKind.ORDER_CHARGE,
                        ref=order.number, note=note, created_by=actor.label, created_at=now))
        return await _commit_transition(uow, actor, order, OrderAction.APPROVE, before, clock)


async def reject_order(uow: AbstractUnitOfWork, actor: Actor, cmd: RejectOrder, clock: Clock) -> Order:
    """Reject with a reason; everything charged is refunded and promotion budgets released."""
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, cmd.expected_version)
        before = snapshot(order, AUDIT_FIELDS)
        now = clock.now()
        order_states.apply(order, actor, OrderAction.REJECT, now, cmd.reason, reason=cmd.reason)
        await _refund(uow, order, actor, now, system_note("驳回", cmd.reason))
        await _release_promotions(uow, order)
        return await _commit_transition(uow, actor, order, OrderAction.REJECT, before, clock)


async def _candidate_warehouses(uow: AbstractUnitOfWork, order: Order, cmd: AllocateOrder) -> list[Warehouse]:
    chosen = cmd.warehouse_id or order.warehouse_id
    if chosen is not None:
        warehouse = await uow.warehouses.get(chosen)
        if warehouse is None:
            raise NotFound(zh=f"未找到仓库 {chosen}", en=f"Warehouse {chosen} not found", what=str(chosen))
        return [warehouse]
    dealer = await uow.dealers.get(order.dealer_id)
    region = dealer.region if dealer is not None else None
    warehouses = await uow.warehouses.list(order_by="code")
    # the dealer's own region first: shorter trips
    return sorted(warehouses, key=lambda w: w.region != region)


class _StockMoved(Exception):
    """The stock read without a lock was taken by another order before this one locked it."""


async def allocate_order(uow: AbstractUnitOfWork, actor: Actor, cmd: AllocateOrder, clock: Clock) -> Order:
    """Reserve stock for every line in one warehouse.

    When no candidate warehouse has enough of everything, an approved order goes to
    ``in_production`` and nothing is reserved; an order already in production stays there
    (InsufficientStock) until stock arrives.

    Every order of every dealer reserves from the same few stock rows, so their locks are the hot spot: the
    warehouse is chosen from an unlocked read, the audit entry and the pushes are written, and only then is each
    row reserved where it still has enough (``uow.reserve_stock``: one conditional UPDATE per row), just before
    the commit. If another order took the stock in between, the allocation runs again with the rows locked from
    the start.
    """
    try:
        return await _allocate(uow, actor, cmd, clock, lock_late=True)
    except _StockMoved:
        return await _allocate(uow, actor, cmd, clock, lock_late=False)


async def _allocate(uow: AbstractUnitOfWork, actor: Actor, cmd: AllocateOrder, clock: Clock, *,
                    lock_late: bool) -> Order:
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, cmd.expected_version)
        order_states.check(order, actor, OrderAction.ALLOCATE)
        before = snapshot(order, AUDIT_FIELDS)
        need = _needed(order)
        now = clock.now()
        shortest: tuple[str, int, int] | None = None
        for warehouse in await _candidate_warehouses(uow, order, cmd):
            assert warehouse.id is not None
            rows = await _stock_rows(uow, warehouse.id, list(need), lock=not lock_late)
            short = _shortages(rows, need)
            if short:
                shortest = shortest or short[0]
                continue
            order.warehouse_id = warehouse.id
            order_states.apply(order, actor, OrderAction.ALLOCATE, now, f"仓库 {warehouse.code}")
            await _record_transition(uow, actor, order, OrderAction.ALLOCATE, before, clock)
            if lock_late:       # each row reserved where it still has enough, locked only from here to the commit
                if not await uow.reserve_stock(warehouse.id, need, now):
                    raise _StockMoved()
            else:
                for sku, qty in need.items():
                    rows[sku].reserved += qty
                    rows[sku].updated_at = now
            await uow.commit()
            return order
        if order.status == OrderStatus.IN_PRODUCTION:
            sku, available, qty = shortest or (next(iter(need)), 0, 0)
            raise InsufficientStock(sku=sku, available=available, qty=qty)
        order_states.apply(order, actor, OrderAction.PRODUCE, now, system_note("库存不足，转生产"))
        return await _commit_transition(uow, actor, order, OrderAction.PRODUCE, before, clock)


async def ship_order(uow: AbstractUnitOfWork, actor: Actor, cmd: ShipOrder, clock: Clock) -> Order:
    """Ship from the allocated warehouse: on_hand and reserved both go down."""
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, cmd.expected_version)
        before = snapshot(order, AUDIT_FIELDS)
        now = clock.now()
        order_states.apply(order, actor, OrderAction.SHIP, now, f"{cmd.carrier} {cmd.tracking_no}",
                         carrier=cmd.carrier, tracking_no=cmd.tracking_no)
        if order.warehouse_id is None:
            raise Conflict(reason=f"{order.number} has no warehouse")
        need = _needed(order)
        rows = await _stock_rows(uow, order.warehouse_id, list(need))
        for sku, qty in need.items():
            row = rows.get(sku)
            if row is None or row.reserved < qty or row.on_hand < qty:
                raise Conflict(zh=f"{sku} 预留库存不一致，无法发货", en=f"{sku}: reserved stock does not match",
                               reason=sku)
            row.on_hand -= qty
            row.reserved -= qty
            row.updated_at = now
        return await _commit_transition(uow, actor, order, OrderAction.SHIP, before, clock)


async def confirm_receipt(uow: AbstractUnitOfWork, actor: Actor, cmd: ConfirmReceipt, clock: Clock) -> Order:
    """The dealer (or staff for it) confirms receipt; partial delivery or damage is noted on the event."""
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, None)
        before = snapshot(order, AUDIT_FIELDS)
        note = receipt_note(order, cmd.partial, cmd.damaged, cmd.note, cmd.issues)
        order_states.apply(order, actor, OrderAction.RECEIVE, clock.now(), note)
        return await _commit_transition(uow, actor, order, OrderAction.RECEIVE, before, clock)


async def close_order(uow: AbstractUnitOfWork, actor: Actor, cmd: CloseOrder, clock: Clock) -> Order:
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, cmd.expected_version)
        before = snapshot(order, AUDIT_FIELDS)
        order_states.apply(order, actor, OrderAction.CLOSE, clock.now())
        return await _commit_transition(uow, actor, order, OrderAction.CLOSE, before, clock)


async def cancel_order(uow: AbstractUnitOfWork, actor: Actor, cmd: CancelOrder, clock: Clock) -> Order:
    """Cancel before shipping: release any reservation, refund the accounts, release promotion budget."""
    async with uow:
        order = await _load_for_update(uow, actor, cmd.number, cmd.expected_version)
        was = order.status
        before = snapshot(order, AUDIT_FIELDS)
        now = clock.now()
        order_states.apply(order, actor, OrderAction.CANCEL, now, cmd.reason)
        if was == OrderStatus.ALLOCATED and order.warehouse_id is not None:
            need = _needed(order)
            rows = await _stock_rows(uow, order.warehouse_id, list(need))
            for sku, qty in need.items():
                if sku in rows:
                    rows[sku].reserved = max(rows[sku].reserved - qty, 0)
                    rows[sku].updated_at = now
        await _refund(uow, order, actor, now, system_note("取消", cmd.reason))
        await _release_promotions(uow, order)
        return await _commit_transition(uow, actor, order, OrderAction.CANCEL, before, clock)


# --- reading ------------------------------------------------------------------------------------

def _require_order_reader(actor: Actor) -> None:
    if actor.kind == ActorKind.STAFF and Permission.ORDER_READ_ALL not in actor.permissions:
        raise PermissionDenied()


async def get_order(uow: AbstractUnitOfWork, actor: Actor, number: str) -> Order:
    """By number. Another dealer's order is NotFound, as is one that does not exist."""
    async with uow:
        _require_order_reader(actor)
        order = await uow.orders.get_by(number=number)
        if order is None:
            raise NotFound(zh=f"未找到订单 {number}", en=f"Order {number} not found", what=number)
        if not await may_read_dealer(uow, actor, order.dealer_id, DealerRecord.ORDERS,
                                     all_permission=Permission.ORDER_READ_ALL):
            raise NotFound(zh=f"未找到订单 {number}", en=f"Order {number} not found", what=number)
        return order


async def list_orders(uow: AbstractUnitOfWork, actor: Actor, *, dealer_id: int | None = None,
                      status: OrderStatus | None = None, since: datetime | None = None,
                      until: datetime | None = None, limit: int = 50, offset: int = 0) -> list[Order]:
    """Newest first; a dealer sees only its own orders (and a parent dealer its sub-dealers') whatever
    ``dealer_id`` says (``core.authz.readable_dealer_ids``)."""
    async with uow:
        scope = await readable_dealers(uow, actor, DealerRecord.ORDERS, all_permission=Permission.ORDER_READ_ALL)
        if scope is not None and dealer_id is not None and dealer_id not in scope:
            return []
        filters: dict[str, Any] = {}
        if dealer_id is not None:
            filters["dealer_id"] = dealer_id
        elif scope is not None:
            filters["dealer_id__in"] = sorted(scope)
        if status is not None:
            filters["status"] = status
        if since is not None:
            filters["created_at__gte"] = since
        if until is not None:
            filters["created_at__lt"] = until
        return await uow.orders.list(order_by="created_at", desc=True, limit=min(max(limit, 1), 500),
                                     offset=max(offset, 0), **filters)


def allowed_actions(order: Order, actor: Actor) -> list[str]:
    """Re-exported for UIs: actions ``actor`` may take on ``order`` now."""
    return order_states.allowed_actions(order, actor)

