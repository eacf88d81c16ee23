"""Contract use cases: draft, edit (or revise into a new version), send, sign, activate, expire,
terminate, read, and execution against the targets (core.contract_rules has the rules and math).

Dealers see only their own contracts, and never drafts (internal work in progress).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from core import notify
from core.auditing import record, snapshot
from core.authz import can_see_dealer, dealer_scope, require
from core.clock import Clock
from core.contract_rules import (
    REVISABLE,
    ContractAction,
    ContractExecution,
    ContractTerms,
    apply_terms,
    evaluate_target,
    next_status,
    target_window,
    text_sha256,
    transition_refused,
    validate_terms,
)
from core.contract_templates import document_text
from core.contracts import Contract, ContractStatus, RebateTier, SalesTarget, in_scope
from core.dealers import Dealer, DealerStatus
from core.errors import BusinessRuleViolation, Conflict, NotFound, PermissionDenied, ValidationFailed
from core.orders import OrderStatus
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.services.dealers import dealer_not_found, load_visible_dealer
from core.users import Actor, ActorKind, Permission, Role

COUNTED_ORDER_STATUSES = tuple(s for s in OrderStatus if s not in (OrderStatus.CANCELLED, OrderStatus.REJECTED))
OPEN_SUCCESSOR_STATUSES = (ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.SIGNED)


@dataclass(frozen=True)
class CreateContract:
    dealer_id: int
    starts_on: date
    ends_on: date
    targets: tuple[SalesTarget, ...] = ()
    rebate_tiers: tuple[RebateTier, ...] = ()
    marketing_duties: tuple[str, ...] = ()


@dataclass(frozen=True)
class UpdateContract:
    """Fields left as None are unchanged; the others replace the old value entirely."""

    contract_id: int
    starts_on: date | None = None
    ends_on: date | None = None
    targets: tuple[SalesTarget, ...] | None = None
    rebate_tiers: tuple[RebateTier, ...] | None = None
    marketing_duties: tuple[str, ...] | None = None


@dataclass(frozen=True)
class SendContract:
    contract_id: int


@dataclass(frozen=True)
class SignContract:
    contract_id: int
    expected_sha256: str | None = None   # the hash of the text the dealer was shown; refused if it changed


@dataclass(frozen=True)
class TerminateContract:
    contract_id: int
    reason: str


def _contract_not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到合同：{ref}", en=f"Contract not found: {ref}", what=f"contract {ref}")


def contract_snapshot(contract: Contract) -> dict[str, Any]:
    """Audit snapshot without the (long) signed text; its hash is kept."""
    data = snapshot(contract)
    data.pop("signed_text", None)
    return data


def _visible(actor: Actor, contract: Contract) -> bool:
    if not can_see_dealer(actor, contract.dealer_id):
        return False
    return not (actor.kind == ActorKind.DEALER and contract.status == ContractStatus.DRAFT)


async def _load(uow: AbstractUnitOfWork, actor: Actor, contract_id: int, *, for_update: bool = False) -> Contract:
    contract = await uow.contracts.get(contract_id, for_update=for_update)
    if contract is None or not _visible(actor, contract):
        raise _contract_not_found(contract_id)
    return contract


def _check_dealer_open(dealer: Dealer) -> None:
    if dealer.status == DealerStatus.TERMINATED:
        raise BusinessRuleViolation(zh=f"不符合业务规则：经销商 {dealer.code} 已终止合作",
                                    en=f"Not allowed by business rules: dealer {dealer.code} is terminated",
                                    reason="dealer terminated")


def _merge_terms(current: ContractTerms, cmd: UpdateContract) -> ContractTerms:
    return ContractTerms(
        starts_on=cmd.starts_on if cmd.starts_on is not None else current.starts_on,
        ends_on=cmd.ends_on if cmd.ends_on is not None else current.ends_on,
        targets=cmd.targets if cmd.targets is not None else current.targets,
        rebate_tiers=cmd.rebate_tiers if cmd.rebate_tiers is not None else current.rebate_tiers,
        marketing_duties=cmd.marketing_duties if cmd.marketing_duties is not None else current.marketing_duties,
    )


# --- commands ------------------------------------------------------------------------------------------

async def create_contract(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateContract, clock: Clock) -> Contract:
    """A new draft, numbered ``HT-YYYYMMDD-NNNN``."""
    terms = validate_terms(ContractTerms(cmd.starts_on, cmd.ends_on, cmd.targets, cmd.rebate_tiers,
                                         cmd.marketing_duties))
    async with uow:
        dealer = await load_visible_dealer(uow, actor, cmd.dealer_id)
        require(actor, Permission.CONTRACT_WRITE)
        _check_dealer_open(dealer)
        contract = Contract(number=await uow.next_number("HT", clock.today()), dealer_id=cmd.dealer_id,
                            starts_on=terms.starts_on, ends_on=terms.ends_on, created_at=clock.now())
        apply_terms(contract, terms)
        await uow.contracts.add(contract)
        await uow.flush()
        await record(uow, actor, "contract.create", "contract", contract.number, clock,
                     after=contract_snapshot(contract))
        await uow.commit()
        return contract


async def update_contract(uow: AbstractUnitOfWork, actor: Actor, cmd: UpdateContract, clock: Clock) -> Contract:
    """Edit a draft in place; for a sent, signed or active contract return a new draft version instead.

    The sent contract being replaced is superseded at once; a signed or active one stays in force until
    its successor is activated (see ``activate_due_contracts``).
    """
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_WRITE)
        terms = validate_terms(_merge_terms(ContractTerms.of(contract), cmd))
        if contract.status == ContractStatus.DRAFT:
            before = contract_snapshot(contract)
            apply_terms(contract, terms)
            await record(uow, actor, "contract.update", "contract", contract.number, clock,
                         before=before, after=contract_snapshot(contract))
            await uow.commit()
            return contract
        if contract.status not in REVISABLE:
            raise transition_refused(contract.status, ContractAction.EDIT)
        if await uow.contracts.count(previous_id=contract.id, status__in=list(OPEN_SUCCESSOR_STATUSES)):
            raise Conflict(zh=f"操作冲突：合同 {contract.number} 已有未生效的新版本，请修改新版本",
                           en=f"Conflict: contract {contract.number} already has a newer version in progress; "
                              "edit that one", reason="open successor")
        versions = await uow.contracts.list(number=contract.number)
        successor = Contract(number=contract.number, dealer_id=contract.dealer_id, starts_on=terms.starts_on,
                             ends_on=terms.ends_on, version=max(v.version for v in versions) + 1,
                             previous_id=contract.id, created_at=clock.now())
        apply_terms(successor, terms)
        await uow.contracts.add(successor)
        await uow.flush()
        if contract.status == ContractStatus.SENT:
            before = contract_snapshot(contract)
            contract.status = next_status(contract.status, ContractAction.SUPERSEDE)
            await record(uow, actor, "contract.supersede", "contract", contract.number, clock,
                         before=before, after=contract_snapshot(contract))
        await record(uow, actor, "contract.revise", "contract", successor.number, clock,
                     before=contract_snapshot(contract), after=contract_snapshot(successor))
        await uow.commit()
        return successor


async def send_contract(uow: AbstractUnitOfWork, actor: Actor, cmd: SendContract, clock: Clock) -> Contract:
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_WRITE)
        target = next_status(contract.status, ContractAction.SEND)
        if not contract.targets:
            raise BusinessRuleViolation(zh=f"不符合业务规则：合同至少需要一个销售目标，请先在草稿 {contract.number} 中"
                                           "填写销售目标并保存，再发送",
                                        en="Not allowed by business rules: a contract needs at least one sales target; "
                                           f"enter the targets of draft {contract.number} and save them, then send",
                                        reason="no targets")
        dealer = await uow.dealers.get(contract.dealer_id)
        if dealer is None:
            raise dealer_not_found(contract.dealer_id)
        _check_dealer_open(dealer)
        before = contract_snapshot(contract)
        contract.status = target
        contract.sent_at = clock.now()
        await record(uow, actor, "contract.send", "contract", contract.number, clock,
                     before=before, after=contract_snapshot(contract))
        # the owner signs: tell the owner (the chat offers the PDF and the signing code)
        await notify.tell_dealer(uow, contract.dealer_id, notify.Notice(
            "contract.sent", Category.CONTRACT, {"number": contract.number, "version": contract.version,
                                                 "id": contract.id}),
            f"{contract.id}", clock, exclude=actor, roles=[Role.DEALER_OWNER])
        await uow.commit()
        return contract


async def sign_contract(uow: AbstractUnitOfWork, actor: Actor, cmd: SignContract, clock: Clock) -> Contract:
    """The dealer owner signs: the rendered text is frozen with its SHA-256, signer and time."""
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_SIGN)
        if actor.kind != ActorKind.DEALER or actor.dealer_id != contract.dealer_id:
            raise PermissionDenied(zh="只有经销商负责人本人可以签署合同", en="Only the dealer's owner can sign")
        target = next_status(contract.status, ContractAction.SIGN)
        dealer = await uow.dealers.get(contract.dealer_id)
        if dealer is None:
            raise dealer_not_found(contract.dealer_id)
        _check_dealer_open(dealer)
        text = document_text(contract, dealer)
        digest = text_sha256(text)
        if cmd.expected_sha256 is not None and cmd.expected_sha256.lower() != digest:
            raise Conflict(zh="操作冲突：合同内容已变更，请重新查看后再签署",
                           en="Conflict: the contract text has changed; please read it again before signing",
                           reason="text changed")
        before = contract_snapshot(contract)
        contract.status = target
        contract.signed_text = text
        contract.signed_sha256 = digest
        contract.signed_by = actor.label
        contract.signed_at = clock.now()
        await record(uow, actor, "contract.sign", "contract", contract.number, clock,
                     before=before, after=contract_snapshot(contract))
        await uow.commit()
        return contract


async def terminate_contract(uow: AbstractUnitOfWork, actor: Actor, cmd: TerminateContract,
                             clock: Clock) -> Contract:
    reason = cmd.reason.strip()
    if not reason:
        raise ValidationFailed(zh="输入有误：请填写终止原因", en="Invalid input: termination needs a reason",
                               reason="reason required")
    async with uow:
        contract = await _load(uow, actor, cmd.contract_id, for_update=True)
        require(actor, Permission.CONTRACT_WRITE)
        target = next_status(contract.status, ContractAction.TERMINATE)
        before = contract_snapshot(contract)
        contract.status = target
        contract.status_reason = reason
        await record(uow, actor, "contract.terminate", "contract", contract.number, clock,
                     before=before, after=contract_snapshot(contract))
        await uow.commit()
        return contract


def _require_scheduler(actor: Actor) -> None:
    if actor.kind != ActorKind.SYSTEM:
        require(actor, Permission.CONTRACT_WRITE)


async def activate_due_contracts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[Contract]:
    """Signed contracts whose start date has come become active (or expired, if their end has passed too).

    Activating a new version supersedes the older signed/active versions of the same contract.
    Meant for the daily scheduler with ``Actor.system()``; staff with CONTRACT_WRITE may run it too.
    """
    _require_scheduler(actor)
    today = clock.today()
    async with uow:
        due = await uow.contracts.list(status=ContractStatus.SIGNED, starts_on__lte=today, order_by="id")
        for contract in due:
            action = ContractAction.EXPIRE if contract.ends_on < today else ContractAction.ACTIVATE
            before = contract_snapshot(contract)
            contract.status = next_status(contract.status, action)
            await record(uow, actor, f"contract.{action.value}", "contract", contract.number, clock,
                         before=before, after=contract_snapshot(contract))
            if action == ContractAction.ACTIVATE and contract.previous_id is not None:
                older = await uow.contracts.list(number=contract.number, version__lt=contract.version,
                                                 status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE])
                for old in older:
                    old_before = contract_snapshot(old)
                    old.status = next_status(old.status, ContractAction.SUPERSEDE)
                    await record(uow, actor, "contract.supersede", "contract", old.number, clock,
                                 before=old_before, after=contract_snapshot(old))
        if due:
            await uow.commit()
        return due


async def expire_ended_contracts(uow: AbstractUnitOfWork, actor: Actor, clock: Clock) -> list[Contract]:
    """Active contracts whose end date has passed become expired."""
    _require_scheduler(actor)
    today = clock.today()
    async with uow:
        ended = await uow.contracts.list(status=ContractStatus.ACTIVE, ends_on__lt=today, order_by="id")
        for contract in ended:
            before = contract_snapshot(contract)
            contract.status = next_status(contract.status, ContractAction.EXPIRE)
            await record(uow, actor, "contract.expire", "contract", contract.number, clock,
                         before=before, after=contract_snapshot(contract))
        if ended:
            await uow.commit()
        return ended


# --- queries -------------------------------------------------------------------------------------------

async def get_contract(uow: AbstractUnitOfWork, actor: Actor, contract_id: int) -> Contract:
    async with uow:
        return await _load(uow, actor, contract_id)


async def list_contracts(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int | None = None,
                         status: ContractStatus | None = None, limit: int = 50, offset: int = 0) -> list[Contract]:
    """Newest first. A dealer actor gets only its own, drafts left out."""
    async with uow:
        filters: dict[str, Any] = {}
        scope = dealer_scope(actor)
        if scope is not None:
            if dealer_id is not None and dealer_id != scope:
                raise dealer_not_found(dealer_id)
            dealer_id = scope
        if dealer_id is not None:
            filters["dealer_id"] = dealer_id
        if status is not None:
            filters["status"] = status
        if actor.kind == ActorKind.DEALER:
            if status == ContractStatus.DRAFT:
                return []
            filters["status__ne"] = ContractStatus.DRAFT
        return await uow.contracts.list(order_by="id", desc=True, limit=limit, offset=offset, **filters)


async def contract_text(uow: AbstractUnitOfWork, actor: Actor, contract_id: int) -> tuple[str, str]:
    """(text, sha256) to show before signing: the frozen text once signed, else the current rendering."""
    async with uow:
        contract = await _load(uow, actor, contract_id)
        if contract.signed_text is not None and contract.signed_sha256 is not None:
            return contract.signed_text, contract.signed_sha256
        dealer = await uow.dealers.get(contract.dealer_id)
        if dealer is None:
            raise dealer_not_found(contract.dealer_id)
        text = document_text(contract, dealer)
        return text, text_sha256(text)


def _local_day(at: datetime | None, clock: Clock) -> date | None:
    return None if at is None else at.astimezone(clock.tz).date()


async def contract_execution(uow: AbstractUnitOfWork, actor: Actor, contract_id: int,
                             clock: Clock) -> ContractExecution:
    """Per target: actual sell-in from orders (not cancelled or rejected), sell-out, achievement, pace,
    rebate rate and accrued rebate, as of today.

    An order counts on its creation day (business time zone); a target's product group is a product
    category. Order-level amounts use the order total; group amounts sum the matching lines.
    """
    today = clock.today()
    async with uow:
        contract = await _load(uow, actor, contract_id)
        windows = [target_window(contract.starts_on, contract.ends_on, t) for t in contract.targets]
        if not windows:
            return ContractExecution(contract_id, contract.number, contract.version, contract.dealer_id,
                                     contract.status, today, ())
        first = min(w[0] for w in windows)
        last = max(w[1] for w in windows)
        orders = await uow.orders.list(
            dealer_id=contract.dealer_id, status__in=list(COUNTED_ORDER_STATUSES),
            created_at__gte=datetime.combine(first, time.min, tzinfo=clock.tz),
            created_at__lt=datetime.combine(last + timedelta(days=1), time.min, tzinfo=clock.tz))
        sold = await uow.sellout.list(dealer_id=contract.dealer_id, sold_on__gte=first, sold_on__lte=last)
        skus = {line.sku for o in orders for line in o.lines} | {s.sku for s in sold}
        category: dict[str, str] = {}
        if skus:
            category = {p.sku: p.category for p in await uow.products.list(sku__in=sorted(skus))}

        results = []
        for target, (start, end) in zip(contract.targets, windows, strict=True):
            group = target.product_group
            amount, qty = Decimal("0"), 0
            for order in orders:
                day = _local_day(order.created_at, clock)
                if day is None or not start <= day <= end:
                    continue
                if group is None:
                    amount += order.total
                    qty += sum(line.qty for line in order.lines)
                else:
                    matching = [line for line in order.lines if in_scope(group, line.sku, category.get(line.sku))]
                    amount += sum((line.amount for line in matching), Decimal("0"))
                    qty += sum(line.qty for line in matching)
            out_amount, out_qty = Decimal("0"), 0
            for s in sold:
                if start <= s.sold_on <= end and in_scope(group, s.sku, category.get(s.sku)):
                    out_amount += s.amount
                    out_qty += s.qty
            results.append(evaluate_target(target, (start, end), contract.rebate_tiers, amount, qty,
                                           out_amount, out_qty, today))
        return ContractExecution(contract_id, contract.number, contract.version, contract.dealer_id,
                                 contract.status, today, tuple(results))
