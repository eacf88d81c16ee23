"""Marketing materials (海报 / 样机 / 展架): dealer requests, approval against stock, allocation by rule.

- request: a dealer user with MATERIAL_REQUEST for its own dealer; the material's ``min_tier`` is the
  lowest tier it is meant for (A is best: a "B" material is for tiers A and B);
- approve (reserves the quantity: refused when the stock not yet promised to earlier approvals is
  short) / reject with a reason: MATERIAL_APPROVE;
- dispatch an approved request: MATERIAL_APPROVE; only now does the stock go down (the goods leave
  the warehouse), and the dealer is told;
- allocate by rule: MATERIAL_APPROVE hands a fixed quantity to eligible dealers, best tier first and,
  within a tier, best sell-out first, until the available stock runs out; each allocation is an
  approved request, dispatched like any other.

Available stock = ``stock`` minus the quantities approved but not dispatched yet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core import authz, notify
from core.auditing import record, snapshot
from core.campaigns import MarketingMaterial, MaterialRequest, RequestStatus
from core.clock import Clock
from core.dealers import Dealer, DealerStatus
from core.errors import (
    BusinessRuleViolation,
    InsufficientStock,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.notes import system_note
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission

# Lower is better. Dealers use either letters or 一级/二级/三级.
TIER_RANK: dict[str, int] = {"A": 0, "B": 1, "C": 2, "一级": 0, "二级": 1, "三级": 2}

REQUEST_STATUS_LABELS: dict[RequestStatus, tuple[str, str]] = {
    RequestStatus.PENDING: ("待审批", "Pending"),
    RequestStatus.APPROVED: ("已批准", "Approved"),
    RequestStatus.REJECTED: ("已驳回", "Rejected"),
    RequestStatus.DISPATCHED: ("已发货", "Dispatched"),
}

ALLOCATION_REASON = system_note("按规则分配")
MAX_QTY = 10_000


def tier_rank(tier: str) -> int | None:
    return TIER_RANK.get(tier.strip().upper() if tier.strip().isascii() else tier.strip())


def tier_allows(min_tier: str | None, dealer_tier: str) -> bool:
    """May a dealer of ``dealer_tier`` have a material meant for tiers up to ``min_tier``?

    No ``min_tier``: everybody. An unknown tier on either side: no (safer than guessing).
    """
    if not min_tier:
        return True
    limit, rank = tier_rank(min_tier), tier_rank(dealer_tier)
    return limit is not None and rank is not None and rank <= limit


# --- requests ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestMaterial:
    material_id: int
    qty: int
    reason: str = ""
    dealer_id: int | None = None    # dealer users leave it empty: their own dealer


async def request_material(uow: AbstractUnitOfWork, actor: Actor, cmd: RequestMaterial,
                           clock: Clock) -> MaterialRequest:
    authz.require(actor, Permission.MATERIAL_REQUEST)
    dealer_id = _requesting_dealer(actor, cmd.dealer_id)
    _check_qty(cmd.qty)
    async with uow:
        dealer = await uow.dealers.get(dealer_id)
        if dealer is None:
            raise NotFound(what=str(dealer_id))
        material = await _material(uow, cmd.material_id)
        if not tier_allows(material.min_tier, dealer.tier):
            raise BusinessRuleViolation(
                zh=f"物料“{material.name}”仅限 {material.min_tier} 级及以上经销商申请（您的级别：{dealer.tier}）",
                en=f"'{material.name}' is for tier {material.min_tier} dealers and better (yours: {dealer.tier})",
                reason="min_tier")
        now = clock.now()
        request = MaterialRequest(dealer_id=dealer_id, material_id=cmd.material_id, qty=cmd.qty,
                                  reason=cmd.reason.strip(), requested_by=actor.label, created_at=now)
        await uow.material_requests.add(request)
        await uow.flush()
        await record(uow, actor, "material_request.create", "material_request", request.id, clock,
                     after=snapshot(request))
        await notify.material_requested(uow, actor, request, clock)
        await uow.commit()
        return request


async def approve_material_request(uow: AbstractUnitOfWork, actor: Actor, request_id: int,
                                   clock: Clock, qty: int | None = None) -> MaterialRequest:
    """Grant the request and reserve its quantity; the stock itself goes down at dispatch. ``qty``: fewer granted
    than asked ("只给20套"); the request's quantity becomes it (the audit keeps the one asked)."""
    authz.require(actor, Permission.MATERIAL_APPROVE)
    async with uow:
        request = await _pending_request(uow, request_id, "approve")
        if qty is not None and not 0 < qty <= request.qty:
            raise ValidationFailed.because(f"批准数量须在 1–{request.qty} 之间（申请 {request.qty}）",
                                           f"the quantity granted must be 1–{request.qty} (asked: {request.qty})")
        granted = request.qty if qty is None else qty
        material = await _material(uow, request.material_id, for_update=True)
        available = await available_stock(uow, material)
        if available < granted:
            raise InsufficientStock(sku=material.code, available=available, qty=granted)
        before = snapshot(request)
        request.qty = granted
        request.status = RequestStatus.APPROVED
        request.decided_by = actor.label
        request.decided_at = clock.now()
        await record(uow, actor, "material_request.approve", "material_request", request.id, clock,
                     before=before, after=snapshot(request))
        await notify.material_decided(uow, actor, request, clock)
        await uow.commit()
        return request


async def dispatch_material_request(uow: AbstractUnitOfWork, actor: Actor, request_id: int,
                                    clock: Clock) -> MaterialRequest:
    """Send an approved request out: the stock goes down now, the dealer hears it is on its way."""
    authz.require(actor, Permission.MATERIAL_APPROVE)
    async with uow:
        request = await uow.material_requests.get(request_id, for_update=True)
        if request is None:
            raise NotFound(what=str(request_id))
        if request.status != RequestStatus.APPROVED:
            zh, en = REQUEST_STATUS_LABELS[request.status]
            raise InvalidTransition(zh=f"申请当前为“{zh}”，不能发货", en=f"Cannot dispatch a request that is {en.lower()}",
                                    current=request.status.value, action="dispatch")
        material = await _material(uow, request.material_id, for_update=True)
        if material.stock < request.qty:
            raise InsufficientStock(sku=material.code, available=material.stock, qty=request.qty)
        before = snapshot(request)
        stock_before = material.stock
        material.stock -= request.qty
        request.status = RequestStatus.DISPATCHED
        request.dispatched_by = actor.label
        request.dispatched_at = clock.now()
        await record(uow, actor, "material_request.dispatch", "material_request", request.id, clock,
                     before=before, after=snapshot(request))
        await record(uow, actor, "material.stock_out", "material", material.code, clock,
                     before={"stock": stock_before}, after={"stock": material.stock, "request_id": request.id})
        await notify.tell_dealer(uow, request.dealer_id, notify.Notice(
            "material.dispatched", Category.CAMPAIGN, {"name": material.name, "qty": request.qty}),
            f"{request.id}", clock, exclude=actor)
        await uow.commit()
        return request


async def available_stock(uow: AbstractUnitOfWork, material: MarketingMaterial) -> int:
    """Stock not yet promised: ``stock`` minus approved requests still waiting for dispatch."""
    promised = await uow.material_requests.list(material_id=material.id, status=RequestStatus.APPROVED)
    return material.stock - sum(r.qty for r in promised)


async def reject_material_request(uow: AbstractUnitOfWork, actor: Actor, request_id: int, reason: str,
                                  clock: Clock) -> MaterialRequest:
    authz.require(actor, Permission.MATERIAL_APPROVE)
    text = reason.strip()
    if not text:
        raise ValidationFailed(zh="请填写驳回原因", en="Please give the reason", reason="reason")
    async with uow:
        request = await _pending_request(uow, request_id, "reject")
        before = snapshot(request)
        request.status = RequestStatus.REJECTED
        request.reject_reason = text
        request.decided_by = actor.label
        request.decided_at = clock.now()
        await record(uow, actor, "material_request.reject", "material_request", request.id, clock,
                     before=before, after=snapshot(request))
        await notify.material_decided(uow, actor, request, clock)
        await uow.commit()
        return request


async def list_material_requests(uow: AbstractUnitOfWork, actor: Actor, *, status: RequestStatus | None = None,
                                 limit: int = 50, offset: int = 0) -> list[MaterialRequest]:
    """Newest first; a dealer sees only its own requests."""
    if not {Permission.MATERIAL_REQUEST, Permission.MATERIAL_APPROVE} & actor.permissions:
        raise PermissionDenied()
    scope = authz.dealer_scope(actor, all_permission=Permission.MATERIAL_APPROVE)
    filters: dict[str, Any] = {}
    if scope is not None:
        filters["dealer_id"] = scope
    if status is not None:
        filters["status"] = status
    async with uow:
        return await uow.material_requests.list(order_by="created_at", desc=True, limit=limit, offset=offset,
                                                **filters)


# --- allocation by rule -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Allocation:
    dealer_id: int
    qty: int


def allocate_by_rule(material: MarketingMaterial, dealers: Iterable[Dealer], qty_each: int,
                     performance: Mapping[int, Decimal] | None = None,
                     available: int | None = None) -> list[Allocation]:
    """Who gets ``qty_each`` of ``material`` from the stock there is (``available``, default all of it).

    Eligible dealers (``min_tier``) are served best tier first, then highest ``performance`` (e.g.
    sell-out amount), then dealer code; whole quantities only, until the stock is used up.
    """
    if qty_each < 1:
        raise ValueError("qty_each must be at least 1")
    scores = performance or {}
    eligible = [(d.id, d) for d in dealers if d.id is not None and tier_allows(material.min_tier, d.tier)]

    def priority(item: tuple[int, Dealer]) -> tuple[int, Decimal, str]:
        dealer_id, dealer = item
        rank = tier_rank(dealer.tier)
        return (len(TIER_RANK) if rank is None else rank, -scores.get(dealer_id, Decimal(0)), dealer.code)

    plan: list[Allocation] = []
    left = material.stock if available is None else available
    for dealer_id, _ in sorted(eligible, key=priority):
        if left < qty_each:
            break
        plan.append(Allocation(dealer_id, qty_each))
        left -= qty_each
    return plan


async def allocate_material(
    uow: AbstractUnitOfWork,
    actor: Actor,
    material_id: int,
    qty_each: int,
    clock: Clock,
    *,
    dealer_ids: list[int] | None = None,
    performance_since: date | None = None,
    performance_until: date | None = None,
) -> list[MaterialRequest]:
    """Apply ``allocate_by_rule`` and record each allocation as an approved request (dispatch takes the stock).

    Dealers: ``dealer_ids`` or every active dealer. Performance: sell-out amount between the two dates
    (both included) when ``performance_since`` is given; otherwise tier and dealer code decide.
    """
    authz.require(actor, Permission.MATERIAL_APPROVE)
    _check_qty(qty_each)
    async with uow:
        material = await _material(uow, material_id, for_update=True)
        if dealer_ids is not None:
            dealers = await uow.dealers.list(id__in=sorted(set(dealer_ids)))
            missing = sorted(set(dealer_ids) - {d.id for d in dealers})
            if missing:
                raise ValidationFailed(zh=f"经销商 {missing[0]} 不存在", en=f"Dealer {missing[0]} does not exist",
                                       reason=str(missing[0]))
        else:
            dealers = await uow.dealers.list(status=DealerStatus.ACTIVE)
        performance: dict[int, Decimal] = {}
        if performance_since is not None:
            filters: dict[str, Any] = {"sold_on__gte": performance_since,
                                       "dealer_id__in": [d.id for d in dealers]}
            if performance_until is not None:
                filters["sold_on__lte"] = performance_until
            for line in await uow.sellout.list(**filters):
                performance[line.dealer_id] = performance.get(line.dealer_id, Decimal(0)) + line.amount
        plan = allocate_by_rule(material, dealers, qty_each, performance, await available_stock(uow, material))
        if not plan:
            return []
        now = clock.now()
        requests = [MaterialRequest(dealer_id=a.dealer_id, material_id=material_id, qty=a.qty,
                                    reason=ALLOCATION_REASON, status=RequestStatus.APPROVED,
                                    requested_by=actor.label, decided_by=actor.label, decided_at=now,
                                    created_at=now) for a in plan]
        for request in requests:
            await uow.material_requests.add(request)
        await uow.flush()
        for request in requests:
            await record(uow, actor, "material_request.allocate", "material_request", request.id, clock,
                         after=snapshot(request))
            await notify.material_decided(uow, actor, request, clock)
        await uow.commit()
        return requests


# --- internals -------------------------------------------------------------------------------------

async def _material(uow: AbstractUnitOfWork, material_id: int, *, for_update: bool = False) -> MarketingMaterial:
    material = await uow.materials.get(material_id, for_update=for_update)
    if material is None:
        raise NotFound(what=str(material_id))
    return material


async def _pending_request(uow: AbstractUnitOfWork, request_id: int, action: str) -> MaterialRequest:
    request = await uow.material_requests.get(request_id, for_update=True)
    if request is None:
        raise NotFound(what=str(request_id))
    if request.status != RequestStatus.PENDING:
        zh, en = REQUEST_STATUS_LABELS[request.status]
        raise InvalidTransition(zh=f"申请当前为“{zh}”，不能再审批", en=f"The request is already {en.lower()}",
                                current=request.status.value, action=action)
    return request


def _requesting_dealer(actor: Actor, dealer_id: int | None) -> int:
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id is None:
            raise PermissionDenied()
        if dealer_id is not None and dealer_id != actor.dealer_id:
            raise NotFound(what=str(dealer_id))
        return actor.dealer_id
    if dealer_id is None:
        raise ValidationFailed(zh="请指定经销商", en="Please name the dealer", reason="dealer_id")
    authz.require_dealer_access(actor, dealer_id, str(dealer_id))
    return dealer_id


def _check_qty(qty: int) -> None:
    if isinstance(qty, bool) or not 1 <= qty <= MAX_QTY:
        raise ValidationFailed(zh=f"数量须在 1 到 {MAX_QTY} 之间", en=f"The quantity must be 1 to {MAX_QTY}",
                               reason="qty")
