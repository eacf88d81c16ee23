"""Transfers (调拨) between maker warehouses and dealers, and dealers' shared stock.

A transfer's two ends are each a maker warehouse or a dealer::

    requested ──approve──> approved ──ship──> shipped ──receive──> received
        │  └──refuse──> refused     │
        └──cancel──> cancelled <────┘

- approve reserves the units at the source: a warehouse's ``reserved``; a dealer's reported stock is held
  (its open transfers' units, ``dealer_held``), so neither can be promised twice. The units stay counted at
  the source while on the road and move to the destination on receipt: the maker's and the dealers' stock add
  up to the same total at every step.
- who approves: the channel manager (TRANSFER_APPROVE) for a dealer's return to the maker and for dealer ->
  dealer transfers where the maker's rule says so (``StockSharing.transfer_approval``, on unless staff turned
  it off); otherwise the party that did not ask (the dealer whose stock is asked for, or the one offered
  to); a warehouse transfer created by the maker's stock staff is approved at once.
- ship: the source (the dealer itself or the maker's stock staff); receive: the destination.
- a dealer sees only transfers it is a party to, and the other dealer's name only when both chose to show
  their names (``core.transfers``); a dealer may ask for another dealer's stock only where it is shared with it.

Every change is audited and the parties (and the channel managers, when they approve) hear about it through
the outbox, with the buttons of their next step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.dealers import Dealer
from core.errors import InsufficientStock, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.inventory import DealerStock, StockLevel, ThresholdScope, Transfer, TransferLine, TransferStatus
from core.notify import Notice, localized, tell_dealer, tell_staff
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.transfers import (
    HOLDING,
    SCOPE_LABELS,
    TRANSFER_STATUS_LABELS,
    TRANSITIONS,
    StockSharing,
    same_network,
    shares_with,
)
from core.users import Actor, ActorKind, Permission, Role

MAX_QTY = 99_999
MAX_NOTE = 200
W, D = ThresholdScope.WAREHOUSE, ThresholdScope.DEALER


# --- commands and views -------------------------------------------------------------------------------

@dataclass(frozen=True)
class CreateTransfer:
    from_scope: ThresholdScope
    from_id: int
    to_scope: ThresholdScope
    to_id: int
    lines: Sequence[tuple[str, int]]
    note: str = ""


@dataclass(frozen=True)
class TransferCommand:
    """Approve, refuse, ship, receive or cancel a transfer by number (a reason for refuse / cancel)."""

    number: str
    reason: str = ""


@dataclass(frozen=True)
class SetSharing:
    dealer_id: int
    with_maker: bool
    with_region: bool
    with_network: bool
    show_name: bool
    skus: Sequence[str] = ()


@dataclass(frozen=True)
class Party:
    scope: ThresholdScope
    id: int
    zh: str
    en: str
    code: str | None = None        # the warehouse's or dealer's code; None where the dealer is not named

    def label(self, lang: str = "zh") -> str:
        return self.en if lang.lower().startswith("en") else self.zh


@dataclass(frozen=True)
class TransferView:
    """A transfer as one actor may see it: the other dealer's name only where both agreed."""

    number: str
    status: TransferStatus
    source: Party
    destination: Party
    lines: tuple[TransferLine, ...]
    needs_maker_approval: bool
    note: str
    close_reason: str
    created_at: datetime | None
    actions: frozenset[str]        # what this actor may do now: approve, refuse, ship, receive, cancel

    def status_label(self, lang: str = "zh") -> str:
        zh, en = TRANSFER_STATUS_LABELS[self.status]
        return en if lang.lower().startswith("en") else zh


@dataclass(frozen=True)
class NearbyStock:
    """Another dealer's shared stock of a product, as a dealer short of it sees it."""

    dealer_id: int
    sku: str
    qty: int
    name: str | None          # None: one of the two did not agree to show names
    same_region: bool

    def label(self, lang: str = "zh") -> str:
        if self.name:
            return self.name
        en = lang.lower().startswith("en")
        if self.same_region:
            return "a dealer in your region" if en else "同区域经销商"
        return "a dealer of your network" if en else "同体系经销商"


# --- who may do what -----------------------------------------------------------------------------------

def _maker_stock(actor: Actor) -> bool:
    """The maker's stock staff (or an ERP key not bound to a dealer): warehouse moves, any ship / receive."""
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.kind == ActorKind.API:
        return actor.dealer_id is None and "transfers:write" in actor.scopes
    return actor.kind == ActorKind.STAFF and Permission.STOCK_WRITE in actor.permissions


def _maker_approver(actor: Actor) -> bool:
    return actor.kind in (ActorKind.STAFF, ActorKind.SYSTEM) and Permission.TRANSFER_APPROVE in actor.permissions


def _acting_dealer(actor: Actor) -> int | None:
    """The dealer a dealer user (or a dealer's API key) acts for, when it may move its own stock."""
    if actor.kind == ActorKind.DEALER and Permission.DEALER_STOCK_REPORT in actor.permissions:
        return actor.dealer_id
    if actor.kind == ActorKind.API and "transfers:write" in actor.scopes:
        return actor.dealer_id
    return None


def _reads_all(actor: Actor) -> bool:
    if actor.kind == ActorKind.SYSTEM:
        return True
    if actor.kind == ActorKind.API:
        return actor.dealer_id is None and bool({"transfers:read", "transfers:write"} & actor.scopes)
    return actor.kind == ActorKind.STAFF and bool(
        {Permission.STOCK_READ_ALL, Permission.STOCK_WRITE, Permission.TRANSFER_APPROVE} & actor.permissions)


def _viewer_dealer(actor: Actor) -> int | None:
    if actor.kind == ActorKind.DEALER:
        return actor.dealer_id
    if actor.kind == ActorKind.API and {"transfers:read", "transfers:write"} & actor.scopes:
        return actor.dealer_id
    return None


def _is_party(transfer: Transfer, dealer_id: int | None) -> bool:
    return dealer_id is not None and ((transfer.from_scope == D and transfer.from_id == dealer_id)
                                      or (transfer.to_scope == D and transfer.to_id == dealer_id))


def _accepting_dealer(transfer: Transfer) -> int | None:
    """Without the maker's approval, the dealer that did not ask approves (None: the maker's stock staff)."""
    if transfer.from_scope == D and transfer.requested_by_dealer_id != transfer.from_id:
        return transfer.from_id
    if transfer.to_scope == D and transfer.requested_by_dealer_id != transfer.to_id:
        return transfer.to_id
    return None


def allowed_actions(actor: Actor, transfer: Transfer) -> frozenset[str]:
    """What ``actor`` may do to ``transfer`` now: the one rule behind the checks, the buttons and the lists."""
    own = _acting_dealer(actor)
    status = transfer.status
    acts: set[str] = set()
    if status == TransferStatus.REQUESTED:
        if _maker_approver(actor):
            acts |= {"approve", "refuse"}
        elif not transfer.needs_maker_approval:
            accepting = _accepting_dealer(transfer)
            if (accepting is not None and own == accepting) or (accepting is None and _maker_stock(actor)):
                acts |= {"approve", "refuse"}
        if transfer.from_scope == D and own == transfer.from_id and transfer.requested_by_dealer_id != own:
            acts.add("refuse")             # the dealer whose stock is asked for may always say no
    if status in (TransferStatus.REQUESTED, TransferStatus.APPROVED) and (
            _is_party(transfer, own) or _maker_stock(actor) or _maker_approver(actor)):
        acts.add("cancel")
    if status == TransferStatus.APPROVED and (
            _maker_stock(actor) or (transfer.from_scope == D and own == transfer.from_id)):
        acts.add("ship")
    if status == TransferStatus.SHIPPED and (
            _maker_stock(actor) or (transfer.to_scope == D and own == transfer.to_id)):
        acts.add("receive")
    return frozenset(acts)


def _may_see(actor: Actor, transfer: Transfer) -> bool:
    return _reads_all(actor) or _is_party(transfer, _viewer_dealer(actor))


# --- helpers -------------------------------------------------------------------------------------------

def _not_found(number: str) -> NotFound:
    return NotFound(zh=f"未找到调拨单 {number}", en=f"Transfer {number} not found", what=number)


async def _transfer(uow: AbstractUnitOfWork, actor: Actor, number: str, *, for_update: bool = False) -> Transfer:
    transfer = await uow.transfers.get_by(number=number.strip().upper(), for_update=for_update)
    if transfer is None or not _may_see(actor, transfer):
        raise _not_found(number)
    return transfer


async def _sku(uow: AbstractUnitOfWork, sku: str) -> str:
    product = await uow.products.get_by(sku=sku.strip())
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    return product.sku


async def _dealer(uow: AbstractUnitOfWork, dealer_id: int) -> Dealer:
    dealer = await uow.dealers.get(dealer_id)
    if dealer is None:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    return dealer


async def _warehouse_exists(uow: AbstractUnitOfWork, warehouse_id: int) -> None:
    if await uow.warehouses.get(warehouse_id) is None:
        raise NotFound(zh=f"未找到仓库 {warehouse_id}", en=f"Warehouse {warehouse_id} not found",
                       what=str(warehouse_id))


async def sharing_of(uow: AbstractUnitOfWork, dealer_id: int) -> StockSharing | None:
    return await uow.stock_sharing.get_by(dealer_id=dealer_id)


async def dealer_held(uow: AbstractUnitOfWork, dealer_id: int, sku: str, *, skip: str | None = None) -> int:
    """Units of a dealer's reported stock promised to its approved or shipped transfers (not yet received)."""
    held = 0
    for t in await uow.transfers.list(from_scope=D, from_id=dealer_id, status__in=sorted(HOLDING)):
        if t.number != skip:
            held += sum(line.qty for line in t.lines if line.sku == sku)
    return held


async def held_for_transfers(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> dict[str, int]:
    """Per product, the units of a dealer's stock its approved or shipped transfers hold (the dealer or staff)."""
    async with uow:
        if not (actor.kind == ActorKind.DEALER and actor.dealer_id == dealer_id) and not _reads_all(actor):
            raise NotFound(what=str(dealer_id))
        held: dict[str, int] = {}
        for t in await uow.transfers.list(from_scope=D, from_id=dealer_id, status__in=sorted(HOLDING)):
            for line in t.lines:
                held[line.sku] = held.get(line.sku, 0) + line.qty
        return held


async def _approval_needed(uow: AbstractUnitOfWork, cmd: CreateTransfer) -> bool:
    """A dealer's return needs the maker; dealer -> dealer per the maker's rule (on unless turned off)."""
    if cmd.from_scope == D and cmd.to_scope == W:
        return True
    if cmd.from_scope == D and cmd.to_scope == D:
        for dealer_id in (cmd.from_id, cmd.to_id):
            sharing = await sharing_of(uow, dealer_id)
            if sharing is None or sharing.transfer_approval:
                return True
    return False


def _transition(transfer: Transfer, to: TransferStatus, action: tuple[str, str]) -> None:
    if to not in TRANSITIONS[transfer.status]:
        cur_zh, cur_en = TRANSFER_STATUS_LABELS[transfer.status]
        raise InvalidTransition(zh=f"调拨单 {transfer.number} 当前状态“{cur_zh}”，不能{action[0]}",
                                en=f"Transfer {transfer.number} is {cur_en}: it cannot be {action[1]}",
                                current=transfer.status.value, action=action[1])


def _require_action(actor: Actor, transfer: Transfer, action: str, to: TransferStatus,
                    words: tuple[str, str]) -> None:
    _transition(transfer, to, words)
    if action not in allowed_actions(actor, transfer):
        raise PermissionDenied()


async def _audit(uow: AbstractUnitOfWork, actor: Actor, action: str, transfer: Transfer, before: TransferStatus,
                 clock: Clock, **extra: Any) -> None:
    await record(uow, actor, f"transfer.{action}", "transfer", transfer.number, clock,
                 before={"status": before.value}, after={"status": transfer.status.value, **extra})


# --- creating --------------------------------------------------------------------------------------------

async def create_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateTransfer, clock: Clock) -> Transfer:
    """A transfer request. A warehouse's own transfer by the maker's stock staff is approved at once."""
    async with uow:
        transfer = await stage_transfer(uow, actor, cmd, clock)
        await uow.commit()
        return transfer


async def stage_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateTransfer, clock: Clock) -> Transfer:
    """``create_transfer`` inside the caller's unit of work, without its commit (the API's Idempotency-Key
    records its answer in the same transaction)."""
    own = _acting_dealer(actor)
    maker = _maker_stock(actor)
    if (cmd.from_scope, cmd.from_id) == (cmd.to_scope, cmd.to_id):
        raise ValidationFailed(zh="输入有误：调出方与调入方不能相同", en="Invalid input: source and destination "
                               "are the same", reason="same ends")
    if not maker:
        if own is None:
            if actor.kind == ActorKind.DEALER:
                raise PermissionDenied()
            require(actor, Permission.STOCK_WRITE)
        if cmd.from_scope == W and cmd.to_scope == D and cmd.to_id == own:
            raise ValidationFailed(zh="输入有误：从厂家仓库要货请直接下单", en="Invalid input: to get goods from "
                                   "the maker, place an order", reason="order instead")
        if own not in ((cmd.from_id if cmd.from_scope == D else None), (cmd.to_id if cmd.to_scope == D else None)):
            raise NotFound(what=str(cmd.from_id))
    for scope, scope_id in ((cmd.from_scope, cmd.from_id), (cmd.to_scope, cmd.to_id)):
        if scope == W:
            await _warehouse_exists(uow, scope_id)
        else:
            await _dealer(uow, scope_id)
    if not cmd.lines:
        raise ValidationFailed(zh="输入有误：调拨没有商品", en="Invalid input: the transfer has no products",
                               reason="no lines")
    merged: dict[str, int] = {}
    for raw_sku, qty in cmd.lines:
        sku = await _sku(uow, raw_sku)
        if not 0 < qty <= MAX_QTY:
            raise ValidationFailed(zh=f"输入有误：{sku} 数量须在 1–{MAX_QTY} 之间",
                                   en=f"Invalid input: {sku} quantity must be 1–{MAX_QTY}", reason="bad qty")
        merged[sku] = merged.get(sku, 0) + qty
    if not maker and cmd.from_scope == D and cmd.to_scope == D:
        await _check_dealer_pair(uow, own, cmd, merged)
    if cmd.from_scope == D:
        for sku, qty in merged.items():
            await _check_dealer_available(uow, cmd.from_id, sku, qty)
    transfer = Transfer(number=await uow.next_number("DB", clock.today()), from_scope=cmd.from_scope,
                        from_id=cmd.from_id, to_scope=cmd.to_scope, to_id=cmd.to_id,
                        lines=[TransferLine(sku, qty) for sku, qty in merged.items()],
                        created_by=actor.label, created_at=clock.now(), updated_at=clock.now(),
                        requested_by_dealer_id=None if maker else own,
                        needs_maker_approval=False if maker else await _approval_needed(uow, cmd),
                        note=cmd.note.strip()[:MAX_NOTE])
    await uow.transfers.add(transfer)
    await record(uow, actor, "transfer.create", "transfer", transfer.number, clock, after=snapshot(transfer))
    if maker and cmd.from_scope == W:
        await _reserve(uow, transfer, clock)
        transfer.status = TransferStatus.APPROVED
        transfer.approved_by, transfer.approved_at = actor.label, clock.now()
        await _audit(uow, actor, "approve", transfer, TransferStatus.REQUESTED, clock)
        await _tell(uow, actor, transfer, "approved", clock)
    else:
        await _tell(uow, actor, transfer, "requested", clock)
    return transfer


async def _check_dealer_pair(uow: AbstractUnitOfWork, own: int | None, cmd: CreateTransfer,
                             lines: dict[str, int]) -> None:
    """A dealer asks only for stock shared with it, and offers only to a dealer of its region or network."""
    source, destination = await _dealer(uow, cmd.from_id), await _dealer(uow, cmd.to_id)
    if own == cmd.to_id:
        sharing = await sharing_of(uow, cmd.from_id)
        if not all(shares_with(source, sharing, destination, sku) for sku in lines):
            raise NotFound(what=str(cmd.from_id))
    elif source.region != destination.region and not same_network(source, destination):
        raise NotFound(what=str(cmd.to_id))


async def _check_dealer_available(uow: AbstractUnitOfWork, dealer_id: int, sku: str, qty: int,
                                  *, skip: str | None = None) -> None:
    row = await uow.dealer_stock.get_by(dealer_id=dealer_id, sku=sku)
    available = (row.qty if row is not None else 0) - await dealer_held(uow, dealer_id, sku, skip=skip)
    if available < qty:
        raise InsufficientStock(sku=sku, available=max(available, 0), qty=qty)


async def _reserve(uow: AbstractUnitOfWork, transfer: Transfer, clock: Clock) -> None:
    """Hold the units at the source: a warehouse's reserved count; a dealer's stock through its open transfers."""
    for line in transfer.lines:
        if transfer.from_scope == W:
            level = await uow.stock.get_by(warehouse_id=transfer.from_id, sku=line.sku, for_update=True)
            available = level.available if level is not None else 0
            if level is None or available < line.qty:
                raise InsufficientStock(sku=line.sku, available=max(available, 0), qty=line.qty)
            level.reserved += line.qty
            level.updated_at = clock.now()
        else:
            await _check_dealer_available(uow, transfer.from_id, line.sku, line.qty, skip=transfer.number)


async def _release(uow: AbstractUnitOfWork, transfer: Transfer, clock: Clock) -> None:
    if transfer.from_scope != W:
        return                                    # a dealer's hold is its open transfers: nothing to undo
    for line in transfer.lines:
        level = await uow.stock.get_by(warehouse_id=transfer.from_id, sku=line.sku, for_update=True)
        if level is not None:
            level.reserved = max(level.reserved - line.qty, 0)
            level.updated_at = clock.now()


# --- the steps -----------------------------------------------------------------------------------------

async def approve_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: TransferCommand, clock: Clock) -> Transfer:
    async with uow:
        transfer = await _transfer(uow, actor, cmd.number, for_update=True)
        _require_action(actor, transfer, "approve", TransferStatus.APPROVED, ("批准", "approved"))
        await _reserve(uow, transfer, clock)
        transfer.status = TransferStatus.APPROVED
        transfer.approved_by, transfer.approved_at = actor.label, clock.now()
        transfer.updated_at = clock.now()
        await _audit(uow, actor, "approve", transfer, TransferStatus.REQUESTED, clock)
        await _tell(uow, actor, transfer, "approved", clock)
        await uow.commit()
        return transfer


async def refuse_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: TransferCommand, clock: Clock) -> Transfer:
    return await _close(uow, actor, cmd, clock, TransferStatus.REFUSED, "refuse", ("拒绝", "refused"))


async def cancel_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: TransferCommand, clock: Clock) -> Transfer:
    """Only before shipping: once shipped the goods are on the road and are received."""
    return await _close(uow, actor, cmd, clock, TransferStatus.CANCELLED, "cancel", ("取消", "cancelled"))


async def _close(uow: AbstractUnitOfWork, actor: Actor, cmd: TransferCommand, clock: Clock, to: TransferStatus,
                 action: str, words: tuple[str, str]) -> Transfer:
    async with uow:
        transfer = await _transfer(uow, actor, cmd.number, for_update=True)
        _require_action(actor, transfer, action, to, words)
        before = transfer.status
        if before in HOLDING:
            await _release(uow, transfer, clock)
        transfer.status = to
        transfer.closed_by, transfer.close_reason = actor.label, cmd.reason.strip()[:MAX_NOTE]
        transfer.updated_at = clock.now()
        await _audit(uow, actor, action, transfer, before, clock, reason=transfer.close_reason)
        await _tell(uow, actor, transfer, "closed", clock)
        await uow.commit()
        return transfer


async def ship_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: TransferCommand, clock: Clock) -> Transfer:
    """The source sends the goods; they stay counted (reserved) at the source until received."""
    async with uow:
        transfer = await _transfer(uow, actor, cmd.number, for_update=True)
        _require_action(actor, transfer, "ship", TransferStatus.SHIPPED, ("发货", "shipped"))
        if transfer.from_scope == D:
            for line in transfer.lines:
                row = await uow.dealer_stock.get_by(dealer_id=transfer.from_id, sku=line.sku)
                if row is None or row.qty < line.qty:
                    raise InsufficientStock(sku=line.sku, available=row.qty if row else 0, qty=line.qty)
        transfer.status = TransferStatus.SHIPPED
        transfer.shipped_at = transfer.updated_at = clock.now()
        await _audit(uow, actor, "ship", transfer, TransferStatus.APPROVED, clock)
        await _tell(uow, actor, transfer, "shipped", clock)
        await uow.commit()
        return transfer


async def receive_transfer(uow: AbstractUnitOfWork, actor: Actor, cmd: TransferCommand, clock: Clock) -> Transfer:
    """The destination confirms the goods: the units leave the source and join the destination."""
    async with uow:
        transfer = await _transfer(uow, actor, cmd.number, for_update=True)
        _require_action(actor, transfer, "receive", TransferStatus.RECEIVED, ("收货", "received"))
        now = clock.now()
        moved: dict[str, int] = {}
        for line in transfer.lines:
            if transfer.from_scope == W:
                level = await uow.stock.get_by(warehouse_id=transfer.from_id, sku=line.sku, for_update=True)
                if level is None:
                    raise InsufficientStock(sku=line.sku, available=0, qty=line.qty)
                level.on_hand -= line.qty
                level.reserved = max(level.reserved - line.qty, 0)
                level.updated_at = now
                taken = line.qty
            else:
                row = await uow.dealer_stock.get_by(dealer_id=transfer.from_id, sku=line.sku, for_update=True)
                # a stocktake since shipping may already have left the units out: never below zero
                taken = min(line.qty, row.qty) if row is not None else 0
                if row is not None:
                    row.qty -= taken
                    row.reported_at = now
            moved[line.sku] = taken
            await _put(uow, transfer, line.sku, line.qty, clock)
        transfer.status = TransferStatus.RECEIVED
        transfer.received_at = transfer.updated_at = now
        shortfall = {sku: line.qty - moved[sku] for line in transfer.lines for sku in [line.sku]
                     if moved[sku] < line.qty}
        await _audit(uow, actor, "receive", transfer, TransferStatus.SHIPPED, clock,
                     **({"source_shortfall": shortfall} if shortfall else {}))
        await _tell(uow, actor, transfer, "received", clock)
        await uow.commit()
        return transfer


async def _put(uow: AbstractUnitOfWork, transfer: Transfer, sku: str, qty: int, clock: Clock) -> None:
    now = clock.now()
    if transfer.to_scope == W:
        level = await uow.stock.get_by(warehouse_id=transfer.to_id, sku=sku, for_update=True)
        if level is None:
            await uow.stock.add(StockLevel(warehouse_id=transfer.to_id, sku=sku, on_hand=qty, updated_at=now))
        else:
            level.on_hand += qty
            level.updated_at = now
        return
    row = await uow.dealer_stock.get_by(dealer_id=transfer.to_id, sku=sku, for_update=True)
    if row is None:
        await uow.dealer_stock.add(DealerStock(dealer_id=transfer.to_id, sku=sku, qty=qty, reported_at=now))
    else:
        row.qty += qty
        row.reported_at = now


# --- reading -------------------------------------------------------------------------------------------

async def list_transfers(uow: AbstractUnitOfWork, actor: Actor, *, status: TransferStatus | None = None,
                         dealer_id: int | None = None, limit: int = 200) -> list[TransferView]:
    """Newest first. A dealer (or a dealer's key) sees only its own; staff filter by dealer if they like."""
    async with uow:
        own = _viewer_dealer(actor)
        if not _reads_all(actor):
            if own is None:
                raise PermissionDenied()
            dealer_id = own
        filters: dict[str, Any] = {} if status is None else {"status": status}
        if dealer_id is None:
            found = await uow.transfers.list(order_by="number", desc=True, **filters)
        else:
            seen: dict[str, Transfer] = {}
            sides: list[dict[str, Any]] = [{"from_scope": D, "from_id": dealer_id}, {"to_scope": D, "to_id": dealer_id}]
            for side in sides:
                for t in await uow.transfers.list(**side, **filters):
                    seen[t.number] = t
            found = sorted(seen.values(), key=lambda t: t.number, reverse=True)
        return [await _view(uow, actor, t) for t in found[:limit]]


async def get_transfer(uow: AbstractUnitOfWork, actor: Actor, number: str) -> TransferView:
    async with uow:
        return await _view(uow, actor, await _transfer(uow, actor, number))


async def view_of(uow: AbstractUnitOfWork, actor: Actor, transfer: Transfer) -> TransferView:
    """The view of a transfer a use case just returned (opens its own unit of work)."""
    async with uow:
        return await _view(uow, actor, transfer)


async def describe(uow: AbstractUnitOfWork, actor: Actor, transfer: Transfer) -> TransferView:
    """``view_of`` inside the caller's unit of work."""
    return await _view(uow, actor, transfer)


async def _view(uow: AbstractUnitOfWork, actor: Actor, transfer: Transfer) -> TransferView:
    viewer = None if _reads_all(actor) else _viewer_dealer(actor)
    return TransferView(number=transfer.number, status=transfer.status,
                        source=await _party(uow, transfer.from_scope, transfer.from_id, viewer),
                        destination=await _party(uow, transfer.to_scope, transfer.to_id, viewer),
                        lines=tuple(transfer.lines), needs_maker_approval=transfer.needs_maker_approval,
                        note=transfer.note, close_reason=transfer.close_reason, created_at=transfer.created_at,
                        actions=allowed_actions(actor, transfer))


async def names_shown(uow: AbstractUnitOfWork, a: int, b: int) -> bool:
    """Two dealers see each other's names only when both chose to show theirs."""
    first, second = await sharing_of(uow, a), await sharing_of(uow, b)
    return bool(first and first.show_name and second and second.show_name)


async def _party(uow: AbstractUnitOfWork, scope: ThresholdScope, scope_id: int, viewer: int | None) -> Party:
    if scope == W:
        warehouse = await uow.warehouses.get(scope_id)
        name = f"{warehouse.name}（{warehouse.code}）" if warehouse else str(scope_id)
        return Party(scope, scope_id, f"厂家{name}", f"maker {name}".replace("（", " (").replace("）", ")"),
                     warehouse.code if warehouse else None)
    dealer = await uow.dealers.get(scope_id)
    full = f"{dealer.code} {dealer.name}" if dealer else str(scope_id)
    if viewer is None or viewer == scope_id or await names_shown(uow, viewer, scope_id):
        return Party(scope, scope_id, full, full, dealer.code if dealer else None)
    mine = await uow.dealers.get(viewer)
    if dealer is not None and mine is not None and dealer.region == mine.region:
        return Party(scope, scope_id, "同区域经销商", "a dealer in your region")
    return Party(scope, scope_id, "另一经销商", "another dealer")


# --- stock sharing -------------------------------------------------------------------------------------

def _may_set_sharing(actor: Actor, dealer_id: int) -> None:
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id != dealer_id:
            raise NotFound(what=str(dealer_id))
        require(actor, Permission.DEALER_STOCK_REPORT)
    elif actor.kind != ActorKind.SYSTEM:
        require(actor, Permission.DEALER_WRITE)


async def get_sharing(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> StockSharing:
    """A dealer's sharing choices (nothing shared when it never chose); the dealer itself or staff."""
    async with uow:
        if not (actor.kind == ActorKind.DEALER and actor.dealer_id == dealer_id) and not _reads_all(actor) \
                and Permission.DEALER_READ_ALL not in actor.permissions:
            raise NotFound(what=str(dealer_id))
        await _dealer(uow, dealer_id)
        return await sharing_of(uow, dealer_id) or StockSharing(dealer_id=dealer_id)


async def set_sharing(uow: AbstractUnitOfWork, actor: Actor, cmd: SetSharing, clock: Clock) -> StockSharing:
    """A dealer chooses what of its stock others see (staff holding DEALER_WRITE may set it for it)."""
    async with uow:
        _may_set_sharing(actor, cmd.dealer_id)
        await _dealer(uow, cmd.dealer_id)
        skus = sorted({await _sku(uow, s) for s in cmd.skus})
        row = await uow.stock_sharing.get_by(dealer_id=cmd.dealer_id, for_update=True)
        fields = ("with_maker", "with_region", "with_network", "show_name", "skus")
        before = snapshot(row, fields)
        if row is None:
            row = await uow.stock_sharing.add(StockSharing(dealer_id=cmd.dealer_id))
        row.with_maker, row.with_region, row.with_network = cmd.with_maker, cmd.with_region, cmd.with_network
        row.show_name, row.skus = cmd.show_name, skus
        row.updated_at, row.updated_by = clock.now(), actor.label
        await record(uow, actor, "stock_sharing.set", "dealer", cmd.dealer_id, clock, before=before,
                     after=snapshot(row, fields))
        await uow.commit()
        return row


async def set_transfer_approval(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, needed: bool,
                                clock: Clock) -> StockSharing:
    """The maker's rule for one dealer: do its dealer -> dealer transfers wait for the channel manager?"""
    async with uow:
        if actor.kind != ActorKind.SYSTEM:
            require(actor, Permission.TRANSFER_APPROVE)
        await _dealer(uow, dealer_id)
        row = await uow.stock_sharing.get_by(dealer_id=dealer_id, for_update=True)
        before = snapshot(row, ("transfer_approval",))
        if row is None:
            row = await uow.stock_sharing.add(StockSharing(dealer_id=dealer_id, updated_at=clock.now(),
                                                           updated_by=actor.label))
        row.transfer_approval = needed
        await record(uow, actor, "stock_sharing.transfer_approval", "dealer", dealer_id, clock, before=before,
                     after={"transfer_approval": needed})
        await uow.commit()
        return row


async def list_sharing(uow: AbstractUnitOfWork, actor: Actor) -> list[tuple[Dealer, StockSharing]]:
    """Every dealer that set a sharing choice (back office)."""
    async with uow:
        if not _reads_all(actor):
            raise PermissionDenied()
        out = []
        for row in await uow.stock_sharing.list(order_by="dealer_id"):
            dealer = await uow.dealers.get(row.dealer_id)
            if dealer is not None:
                out.append((dealer, row))
        return out


async def nearby_stock(uow: AbstractUnitOfWork, actor: Actor, sku: str) -> list[NearbyStock]:
    """For a dealer: other dealers sharing ``sku`` with it, with what they can spare (most first)."""
    async with uow:
        own = _viewer_dealer(actor)
        if own is None:
            return []
        me = await uow.dealers.get(own)
        if me is None:
            return []
        found = []
        for row in await uow.dealer_stock.list(sku=sku):
            if row.dealer_id == own or row.qty <= 0:
                continue
            owner = await uow.dealers.get(row.dealer_id)
            sharing = await sharing_of(uow, row.dealer_id)
            if owner is None or not shares_with(owner, sharing, me, sku):
                continue
            spare = row.qty - await dealer_held(uow, row.dealer_id, sku)
            if spare <= 0:
                continue
            shown = await names_shown(uow, own, row.dealer_id)
            found.append(NearbyStock(dealer_id=row.dealer_id, sku=sku, qty=spare,
                                     name=owner.name if shown else None, same_region=owner.region == me.region))
        return sorted(found, key=lambda n: (-n.same_region, -n.qty, n.dealer_id))


# --- who hears about it --------------------------------------------------------------------------------

async def _items(uow: AbstractUnitOfWork, transfer: Transfer) -> str:
    names = {p.sku: p.name for p in await uow.products.list(sku__in=[line.sku for line in transfer.lines])}
    return "，".join(f"{names.get(line.sku, line.sku)} ×{line.qty}" for line in transfer.lines)


async def _tell(uow: AbstractUnitOfWork, actor: Actor, transfer: Transfer, event: str, clock: Clock) -> None:
    """Push the step to whoever acts next (with its buttons) and to the other parties."""
    items = await _items(uow, transfer)
    key = f"{transfer.number}:{event}"
    status_zh, status_en = TRANSFER_STATUS_LABELS[transfer.status]

    async def params_for(viewer: int | None) -> dict[str, Any]:
        source = await _party(uow, transfer.from_scope, transfer.from_id, viewer)
        destination = await _party(uow, transfer.to_scope, transfer.to_id, viewer)
        return {"number": transfer.number, "items": items, "from": localized(source.zh, source.en),
                "to": localized(destination.zh, destination.en), "status": localized(status_zh, status_en),
                "reason": transfer.close_reason, "note": transfer.note}

    async def dealer_notice(dealer_id: int, kind: str) -> None:
        await tell_dealer(uow, dealer_id, Notice(kind, Category.STOCK, await params_for(dealer_id), urgent=True),
                          key, clock, exclude=actor)

    async def staff_notice(kind: str, permission: Permission, roles: Iterable[Role]) -> None:
        await tell_staff(uow, permission, Notice(kind, Category.STOCK, await params_for(None), urgent=True), key,
                         clock, exclude=actor, roles=roles)

    dealers = [i for s, i in ((transfer.from_scope, transfer.from_id), (transfer.to_scope, transfer.to_id)) if s == D]
    if event == "requested":
        accepting = _accepting_dealer(transfer)
        if transfer.needs_maker_approval:
            await staff_notice("transfer.approve_ask", Permission.TRANSFER_APPROVE, (Role.CHANNEL_MANAGER,))
        elif accepting is None:
            await staff_notice("transfer.approve_ask", Permission.STOCK_WRITE, (Role.ORDER_DESK,))
        for dealer_id in dealers:
            if dealer_id == transfer.requested_by_dealer_id:
                continue
            kind = ("transfer.accept_ask" if dealer_id == accepting and not transfer.needs_maker_approval
                    else "transfer.asked")
            await dealer_notice(dealer_id, kind)
    elif event == "approved":
        if transfer.from_scope == D:
            await dealer_notice(transfer.from_id, "transfer.ship_ask")
        else:
            await staff_notice("transfer.ship_ask", Permission.STOCK_WRITE, (Role.ORDER_DESK,))
        if transfer.to_scope == D:
            await dealer_notice(transfer.to_id, "transfer.approved")
    elif event == "shipped":
        if transfer.to_scope == D:
            await dealer_notice(transfer.to_id, "transfer.receive_ask")
        else:
            await staff_notice("transfer.receive_ask", Permission.STOCK_WRITE, (Role.ORDER_DESK,))
    else:                                            # received, refused, cancelled: everyone concerned hears
        for dealer_id in dealers:
            await dealer_notice(dealer_id, "transfer.update")
        if transfer.needs_maker_approval:
            await staff_notice("transfer.update", Permission.TRANSFER_APPROVE, (Role.CHANNEL_MANAGER,))


def scope_label(scope: ThresholdScope, lang: str = "zh") -> str:
    zh, en = SCOPE_LABELS[scope]
    return en if lang.lower().startswith("en") else zh
