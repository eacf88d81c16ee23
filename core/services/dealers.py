"""Dealer use cases: create, update, onboarding review, suspend/reinstate/terminate, queries.

Each command use case is ``async def name(uow, actor, cmd, clock)``: it checks the actor, changes
the dealer, writes one audit entry with before/after snapshots, and commits once.

A dealer actor asking for another dealer gets NotFound; staff lacking a permission get
PermissionDenied (see core.authz).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core import notify
from core.auditing import record, snapshot
from core.authz import can_see_dealer, dealer_scope, require
from core.banking import parse_payer_accounts
from core.clock import Clock
from core.dealer_states import (
    ACTION_PERMISSION,
    ACTIONS_NEEDING_REASON,
    DEALER_TIERS,
    DealerAction,
    next_status,
    require_activation_ready,
)
from core.dealers import Address, Contact, Dealer, DealerStatus, normalize_phone
from core.errors import BusinessRuleViolation, Conflict, NotFound, ValidationFailed
from core.masking import mask_phone
from core.money import money
from core.ports import AbstractUnitOfWork
from core.services.orders import hold_open_orders, release_held_orders
from core.uscc import validate_uscc
from core.users import Actor, ActorKind, Permission, Role

_CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,31}$")
_MAX_PARENT_DEPTH = 32


# --- commands ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CreateDealer:
    name: str
    uscc: str
    province: str
    city: str
    region: str
    tier: str = "C"
    code: str | None = None              # None: next free "D0001"-style code
    business_scope: str = ""
    parent_id: int | None = None
    credit_limit: Decimal = Decimal("0.00")   # non-zero needs DEALER_REVIEW
    contacts: tuple[Contact, ...] = ()
    addresses: tuple[Address, ...] = ()


@dataclass(frozen=True)
class UpdateDealer:
    """Fields left as None are unchanged. ``contacts`` / ``addresses`` replace the whole list."""

    dealer_id: int
    name: str | None = None
    uscc: str | None = None
    province: str | None = None
    city: str | None = None
    region: str | None = None
    tier: str | None = None
    business_scope: str | None = None
    payer_accounts: str | None = None    # the dealer's known paying bank accounts, any separators (core.banking)
    parent_id: int | None = None
    clear_parent: bool = False           # make it a top-level dealer
    credit_limit: Decimal | None = None  # needs DEALER_REVIEW
    contacts: tuple[Contact, ...] | None = None
    addresses: tuple[Address, ...] | None = None


@dataclass(frozen=True)
class SubmitForReview:
    dealer_id: int


@dataclass(frozen=True)
class ApproveOnboarding:
    dealer_id: int
    note: str = ""


@dataclass(frozen=True)
class SendBack:
    dealer_id: int
    reason: str


@dataclass(frozen=True)
class SuspendDealer:
    dealer_id: int
    reason: str


@dataclass(frozen=True)
class ReinstateDealer:
    dealer_id: int
    note: str = ""


@dataclass(frozen=True)
class TerminateDealer:
    dealer_id: int
    reason: str


class OpenOrdersRule(StrEnum):
    """What suspending a dealer does to its open orders (setting ``SUSPENSION_OPEN_ORDERS``)."""

    KEEP = "keep"    # they go on as usual
    HOLD = "hold"    # the not yet shipped ones wait on hold for review; the order desk is told; reinstating releases


@dataclass(frozen=True)
class SetDealerStanding:
    """The admin dealer form's hierarchy and status fields.

    ``parent_code``: None leaves the parent unchanged, "" makes the dealer top-level, a code names the
    parent (一级经销商). ``status``: None or the current status leaves it; only active and suspended may be
    chosen here (suspend / reinstate); suspending needs a ``reason``.
    """

    dealer_id: int
    parent_code: str | None = None
    status: DealerStatus | None = None
    reason: str = ""
    open_orders: OpenOrdersRule = OpenOrdersRule.KEEP    # the SUSPENSION_OPEN_ORDERS setting
    # a parent dealer's rules over its sub-dealers (its contract's terms; None leaves them unchanged)
    sub_accounts_visible: bool | None = None     # it reads their money accounts
    approves_sub_orders: bool | None = None      # their new orders wait for its approval before the maker's


# --- shared pieces (also used by the qualification, contract and user use cases) ----------------------

def dealer_not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到经销商：{ref}", en=f"Dealer not found: {ref}", what=f"dealer {ref}")


async def load_visible_dealer(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int,
                              *, for_update: bool = False) -> Dealer:
    """The dealer, or NotFound when it does not exist or ``actor`` may not see it (same answer)."""
    dealer = await uow.dealers.get(dealer_id, for_update=for_update)
    if dealer is None or not can_see_dealer(actor, dealer_id):
        raise dealer_not_found(dealer_id)
    return dealer


def dealer_snapshot(dealer: Dealer) -> dict[str, Any]:
    """Audit snapshot with personal data masked (phones partly, ID numbers fully)."""
    data = snapshot(dealer)
    for contact in data.get("contacts", []):
        contact["phone"] = mask_phone(str(contact.get("phone") or ""))
        if contact.get("id_number"):
            contact["id_number"] = "***"
    return data


def _required_text(value: str, zh_field: str, en_field: str) -> str:
    text = value.strip()
    if not text:
        raise ValidationFailed(zh=f"输入有误：{zh_field}不能为空", en=f"Invalid input: {en_field} is required",
                               reason=f"{en_field} is required")
    return text


def _check_tier(tier: str) -> str:
    tier = tier.strip().upper()
    if tier not in DEALER_TIERS:
        allowed = "/".join(DEALER_TIERS)
        raise ValidationFailed(zh=f"输入有误：经销商等级须为 {allowed}", en=f"Invalid input: tier must be one of {allowed}",
                               reason="bad tier")
    return tier


def _check_credit_limit(value: Decimal) -> Decimal:
    amount = money(value)
    if amount < 0:
        raise ValidationFailed(zh="输入有误：信用额度不能为负数", en="Invalid input: the credit limit cannot be negative",
                               reason="negative credit limit")
    return amount


def _clean_contacts(contacts: tuple[Contact, ...], dealer_id: int | None) -> list[Contact]:
    cleaned = []
    for c in contacts:
        cleaned.append(dataclasses.replace(
            c, name=_required_text(c.name, "联系人姓名", "contact name"), phone=normalize_phone(c.phone),
            role=c.role.strip(), dealer_id=dealer_id))
    return cleaned


def _clean_addresses(addresses: tuple[Address, ...], dealer_id: int | None) -> list[Address]:
    cleaned = []
    for a in addresses:
        if a.kind not in ("office", "warehouse", "delivery"):
            raise ValidationFailed(zh="输入有误：地址类型须为 office/warehouse/delivery",
                                   en="Invalid input: address kind must be office, warehouse or delivery",
                                   reason="bad address kind")
        cleaned.append(dataclasses.replace(
            a, province=_required_text(a.province, "省份", "province"), city=_required_text(a.city, "城市", "city"),
            dealer_id=dealer_id))
    return cleaned


async def _unique_uscc(uow: AbstractUnitOfWork, uscc: str, dealer_id: int | None) -> None:
    other = await uow.dealers.get_by(uscc=uscc)
    if other is not None and other.id != dealer_id:
        raise Conflict(zh=f"操作冲突：统一社会信用代码 {uscc} 已被经销商 {other.code} 使用",
                       en=f"Conflict: the credit code {uscc} is already used by dealer {other.code}",
                       reason="duplicate uscc")


async def _check_parent(uow: AbstractUnitOfWork, parent_id: int, dealer_id: int | None) -> None:
    """The parent exists, is not terminated, and is neither the dealer itself nor one of its sub-dealers."""
    if parent_id == dealer_id:
        raise BusinessRuleViolation(zh="不符合业务规则：上级经销商不能是自己",
                                    en="Not allowed by business rules: a dealer cannot be its own parent",
                                    reason="own parent")
    parent = await uow.dealers.get(parent_id)
    if parent is None:
        raise dealer_not_found(parent_id)
    if parent.status == DealerStatus.TERMINATED:
        raise BusinessRuleViolation(zh=f"不符合业务规则：上级经销商 {parent.code} 已终止合作",
                                    en=f"Not allowed by business rules: parent dealer {parent.code} is terminated",
                                    reason="terminated parent")
    seen: set[int] = set()
    current: Dealer | None = parent
    for _ in range(_MAX_PARENT_DEPTH):
        if current is None or current.parent_id is None:
            return
        if (dealer_id is not None and current.parent_id == dealer_id) or current.parent_id in seen:
            raise BusinessRuleViolation(zh="不符合业务规则：上下级关系不能形成循环",
                                        en="Not allowed by business rules: the dealer hierarchy would form a cycle",
                                        reason="parent cycle")
        seen.add(current.parent_id)
        current = await uow.dealers.get(current.parent_id)
    raise BusinessRuleViolation(zh="不符合业务规则：经销商层级过深", en="Not allowed by business rules: too many levels",
                                reason="hierarchy too deep")


async def _next_code(uow: AbstractUnitOfWork) -> str:
    n = await uow.dealers.count() + 1
    while await uow.dealers.get_by(code=f"D{n:04d}") is not None:
        n += 1
    return f"D{n:04d}"


def _require_reason(reason: str) -> str:
    return _required_text(reason, "原因", "reason")


# --- commands ------------------------------------------------------------------------------------------

async def create_dealer(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateDealer, clock: Clock) -> Dealer:
    require(actor, Permission.DEALER_WRITE)
    credit_limit = _check_credit_limit(cmd.credit_limit)
    if credit_limit != 0:
        require(actor, Permission.DEALER_REVIEW)
    uscc = validate_uscc(cmd.uscc)
    tier = _check_tier(cmd.tier)
    async with uow:
        if cmd.code is None:
            code = await _next_code(uow)
        else:
            code = cmd.code.strip().upper()
            if not _CODE_RE.match(code):
                raise ValidationFailed(zh="输入有误：经销商编码只能包含字母、数字和-", en="Invalid input: dealer code may "
                                       "contain only letters, digits and -", reason="bad code")
            if await uow.dealers.get_by(code=code) is not None:
                raise Conflict(zh=f"操作冲突：经销商编码 {code} 已存在", en=f"Conflict: dealer code {code} exists",
                               reason="duplicate code")
        await _unique_uscc(uow, uscc, None)
        if cmd.parent_id is not None:
            await _check_parent(uow, cmd.parent_id, None)
        dealer = Dealer(
            code=code, name=_required_text(cmd.name, "经销商名称", "name"), uscc=uscc,
            province=_required_text(cmd.province, "省份", "province"), city=_required_text(cmd.city, "城市", "city"),
            region=_required_text(cmd.region, "大区", "region"), tier=tier, business_scope=cmd.business_scope.strip(),
            parent_id=cmd.parent_id, credit_limit=credit_limit,
            contacts=_clean_contacts(cmd.contacts, None), addresses=_clean_addresses(cmd.addresses, None),
            status=DealerStatus.PROSPECT, status_changed_at=clock.now(), created_at=clock.now(),
        )
        await uow.dealers.add(dealer)
        await uow.flush()
        for c in dealer.contacts:
            c.dealer_id = dealer.id
        for a in dealer.addresses:
            a.dealer_id = dealer.id
        await record(uow, actor, "dealer.create", "dealer", dealer.code, clock, after=dealer_snapshot(dealer))
        await uow.commit()
        return dealer


async def update_dealer(uow: AbstractUnitOfWork, actor: Actor, cmd: UpdateDealer, clock: Clock) -> Dealer:
    async with uow:
        dealer = await load_visible_dealer(uow, actor, cmd.dealer_id, for_update=True)
        require(actor, Permission.DEALER_WRITE)
        next_status(dealer.status, DealerAction.UPDATE)
        before = dealer_snapshot(dealer)
        if cmd.credit_limit is not None:
            new_limit = _check_credit_limit(cmd.credit_limit)
            if new_limit != dealer.credit_limit:
                require(actor, Permission.DEALER_REVIEW)
                if dealer.status not in (DealerStatus.PROSPECT, DealerStatus.UNDER_REVIEW):
                    # once a dealer trades, its limit changes by request and someone else's approval
                    raise ValidationFailed(
                        zh="输入有误：合作中的经销商调整信用额度须提交额度申请（后台“信用额度”页面），由另一位有审批权限的同事批准",
                        en="Invalid input: a trading dealer's credit limit changes by a credit request (back office, "
                           "Credit page), approved by someone else", reason="credit change needs a request")
            dealer.credit_limit = new_limit
        if cmd.uscc is not None:
            uscc = validate_uscc(cmd.uscc)
            await _unique_uscc(uow, uscc, dealer.id)
            dealer.uscc = uscc
        if cmd.name is not None:
            dealer.name = _required_text(cmd.name, "经销商名称", "name")
        if cmd.province is not None:
            dealer.province = _required_text(cmd.province, "省份", "province")
        if cmd.city is not None:
            dealer.city = _required_text(cmd.city, "城市", "city")
        if cmd.region is not None:
            dealer.region = _required_text(cmd.region, "大区", "region")
        if cmd.tier is not None:
            dealer.tier = _check_tier(cmd.tier)
        if cmd.business_scope is not None:
            dealer.business_scope = cmd.business_scope.strip()
        if cmd.payer_accounts is not None:
            dealer.payer_accounts = ", ".join(parse_payer_accounts(cmd.payer_accounts))
        if cmd.clear_parent:
            dealer.parent_id = None
        elif cmd.parent_id is not None and cmd.parent_id != dealer.parent_id:
            await _check_parent(uow, cmd.parent_id, dealer.id)
            dealer.parent_id = cmd.parent_id
        if cmd.contacts is not None:
            dealer.contacts = _clean_contacts(cmd.contacts, dealer.id)
        if cmd.addresses is not None:
            dealer.addresses = _clean_addresses(cmd.addresses, dealer.id)
        after = dealer_snapshot(dealer)
        if after != before:
            await record(uow, actor, "dealer.update", "dealer", dealer.code, clock, before=before, after=after)
            await uow.commit()
        return dealer


def _may_submit(actor: Actor, dealer: Dealer) -> bool:
    """Staff with DEALER_WRITE, or the dealer's own owner finishing self-onboarding in the chat."""
    if actor.kind == ActorKind.DEALER and actor.role == Role.DEALER_OWNER and actor.dealer_id == dealer.id:
        return True
    return Permission.DEALER_WRITE in actor.permissions


async def _move(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, action: DealerAction, clock: Clock,
                reason: str = "") -> Dealer:
    """One status change: authorize, check the machine (and documents when entering active), audit, commit."""
    if action in ACTIONS_NEEDING_REASON:
        reason = _require_reason(reason)
    async with uow:
        dealer = await load_visible_dealer(uow, actor, dealer_id, for_update=True)
        if action == DealerAction.SUBMIT:
            if not _may_submit(actor, dealer):
                require(actor, Permission.DEALER_WRITE)
        else:
            require(actor, ACTION_PERMISSION[action])
        await _apply_status(uow, actor, dealer, action, clock, reason)
        await uow.commit()
        return dealer


async def _apply_status(uow: AbstractUnitOfWork, actor: Actor, dealer: Dealer, action: DealerAction, clock: Clock,
                        reason: str) -> None:
    """Move ``dealer`` by ``action`` (documents checked when entering active), audit and notify; no commit."""
    target = next_status(dealer.status, action)
    if target == DealerStatus.ACTIVE:
        docs = await uow.qualifications.list(dealer_id=dealer.id)
        require_activation_ready(dealer, docs, clock.today())
    before = dealer_snapshot(dealer)
    dealer.status = target
    dealer.status_reason = reason.strip() or None
    dealer.status_changed_at = clock.now()
    await record(uow, actor, f"dealer.{action.value}", "dealer", dealer.code, clock,
                 before=before, after=dealer_snapshot(dealer))
    await notify.dealer_changed(uow, actor, dealer, action.value, clock)


async def submit_for_review(uow: AbstractUnitOfWork, actor: Actor, cmd: SubmitForReview, clock: Clock) -> Dealer:
    return await _move(uow, actor, cmd.dealer_id, DealerAction.SUBMIT, clock)


async def approve_onboarding(uow: AbstractUnitOfWork, actor: Actor, cmd: ApproveOnboarding, clock: Clock) -> Dealer:
    return await _move(uow, actor, cmd.dealer_id, DealerAction.APPROVE, clock, cmd.note)


async def send_back(uow: AbstractUnitOfWork, actor: Actor, cmd: SendBack, clock: Clock) -> Dealer:
    return await _move(uow, actor, cmd.dealer_id, DealerAction.SEND_BACK, clock, cmd.reason)


async def suspend(uow: AbstractUnitOfWork, actor: Actor, cmd: SuspendDealer, clock: Clock) -> Dealer:
    return await _move(uow, actor, cmd.dealer_id, DealerAction.SUSPEND, clock, cmd.reason)


async def reinstate(uow: AbstractUnitOfWork, actor: Actor, cmd: ReinstateDealer, clock: Clock) -> Dealer:
    return await _move(uow, actor, cmd.dealer_id, DealerAction.REINSTATE, clock, cmd.note)


async def terminate(uow: AbstractUnitOfWork, actor: Actor, cmd: TerminateDealer, clock: Clock) -> Dealer:
    return await _move(uow, actor, cmd.dealer_id, DealerAction.TERMINATE, clock, cmd.reason)


_STANDING_ACTIONS = {DealerStatus.ACTIVE: DealerAction.REINSTATE, DealerStatus.SUSPENDED: DealerAction.SUSPEND}


async def set_standing(uow: AbstractUnitOfWork, actor: Actor, cmd: SetDealerStanding, clock: Clock) -> Dealer:
    """Set the parent dealer (by code: it exists, is not the dealer itself, makes no cycle) and/or suspend or
    reinstate, in one commit. Needs DEALER_REVIEW (admin, channel manager); each change is audited on its
    own line (``dealer.set_parent``, ``dealer.suspend`` / ``dealer.reinstate``). Suspending with
    ``open_orders`` HOLD puts the open, not yet shipped orders on hold (``order.hold`` each); reinstating
    releases whatever is held (``order.release``). A parent's rules over its sub-dealers (``sub_accounts_visible``,
    ``approves_sub_orders``: what its contract says) are one more line, ``dealer.set_sub_rules``."""
    action = None
    if cmd.status is not None:
        if cmd.status not in _STANDING_ACTIONS:
            raise ValidationFailed(zh="输入有误：状态只能设为合作中（active）或已暂停（suspended）",
                                   en="Invalid input: the status can only be set to active or suspended",
                                   reason="bad standing status")
        action = _STANDING_ACTIONS[cmd.status]
    require(actor, Permission.DEALER_REVIEW)
    async with uow:
        dealer = await load_visible_dealer(uow, actor, cmd.dealer_id, for_update=True)
        changed = False
        if cmd.parent_code is not None:
            parent_id = await _parent_id_by_code(uow, cmd.parent_code)
            if parent_id != dealer.parent_id:
                if parent_id is not None:
                    await _check_parent(uow, parent_id, dealer.id)
                before = dealer_snapshot(dealer)
                dealer.parent_id = parent_id
                await record(uow, actor, "dealer.set_parent", "dealer", dealer.code, clock,
                             before=before, after=dealer_snapshot(dealer))
                changed = True
        rules = {name: value for name, value in (("sub_accounts_visible", cmd.sub_accounts_visible),
                                                 ("approves_sub_orders", cmd.approves_sub_orders))
                 if value is not None and value != getattr(dealer, name)}
        if rules:
            before = {name: getattr(dealer, name) for name in rules}
            for name, value in rules.items():
                setattr(dealer, name, value)
            await record(uow, actor, "dealer.set_sub_rules", "dealer", dealer.code, clock, before=before,
                         after=dict(rules))
            changed = True
        if action is not None and cmd.status != dealer.status:
            reason = _require_reason(cmd.reason) if action in ACTIONS_NEEDING_REASON else cmd.reason
            await _apply_status(uow, actor, dealer, action, clock, reason)
            assert dealer.id is not None
            if action == DealerAction.SUSPEND and cmd.open_orders == OpenOrdersRule.HOLD:
                await hold_open_orders(uow, actor, dealer.id, reason, clock)
            elif action == DealerAction.REINSTATE:
                await release_held_orders(uow, actor, dealer.id, clock)
            changed = True
        if changed:
            await uow.commit()
        return dealer


async def _parent_id_by_code(uow: AbstractUnitOfWork, code: str) -> int | None:
    """None for a blank code (top-level dealer); NotFound for a code no dealer has."""
    text = code.strip().upper()
    if not text:
        return None
    parent = await uow.dealers.get_by(code=text)
    if parent is None or parent.id is None:
        raise dealer_not_found(text)
    return parent.id


# --- queries -------------------------------------------------------------------------------------------

async def get_dealer(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> Dealer:
    """The dealer; a dealer user asking for any dealer but its own gets NotFound."""
    async with uow:
        return await load_visible_dealer(uow, actor, dealer_id)


@dataclass(frozen=True)
class DealerProfile:
    """A dealer as it sees itself: "我是什么等级的经销商", "我归哪个区", "我的上级是谁", "信用额度多少"."""

    dealer_id: int
    code: str
    name: str
    tier: str
    region: str
    province: str
    city: str
    status: DealerStatus
    credit_limit: Decimal
    parent_code: str | None = None      # the parent dealer of a sub-dealer (multi-level channel)
    parent_name: str | None = None
    sub_dealers: tuple[tuple[str, str], ...] = ()   # a parent's direct sub-dealers: (code, name)
    status_reason: str | None = None                # why it was suspended (told to the dealer)


async def dealer_profile(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> DealerProfile:
    """The dealer's own profile. Of the parent dealer only its code and name: who its parent is belongs to the
    dealer's own data, the parent's other data does not."""
    async with uow:
        dealer = await load_visible_dealer(uow, actor, dealer_id)
        parent = await uow.dealers.get(dealer.parent_id) if dealer.parent_id is not None else None
        subs = await uow.dealers.list(parent_id=dealer_id, order_by="code")
        return DealerProfile(dealer_id=dealer_id, code=dealer.code, name=dealer.name, tier=dealer.tier,
                             region=dealer.region, province=dealer.province, city=dealer.city, status=dealer.status,
                             credit_limit=money(dealer.credit_limit),
                             parent_code=parent.code if parent is not None else None,
                             parent_name=parent.name if parent is not None else None,
                             sub_dealers=tuple((d.code, d.name) for d in subs), status_reason=dealer.status_reason)


async def get_dealer_by_code(uow: AbstractUnitOfWork, actor: Actor, code: str) -> Dealer:
    async with uow:
        dealer = await uow.dealers.get_by(code=code.strip().upper())
        if dealer is None or dealer.id is None or not can_see_dealer(actor, dealer.id):
            raise dealer_not_found(code)
        return dealer


async def _matching_dealers(uow: AbstractUnitOfWork, actor: Actor, region: str | None, tier: str | None,
                            status: DealerStatus | None, search: str | None,
                            limit: int | None, offset: int) -> list[Dealer]:
    filters: dict[str, Any] = {}
    scope = dealer_scope(actor)
    if scope is not None:
        filters["id"] = scope
    if region is not None:
        filters["region"] = region
    if tier is not None:
        filters["tier"] = tier
    if status is not None:
        filters["status"] = status
    text = (search or "").strip()
    if not text:
        return await uow.dealers.list(order_by="code", limit=limit, offset=offset, **filters)
    # name OR code OR credit code: the repository ANDs filters, so merge three queries.
    found: dict[int, Dealer] = {}
    alternatives: list[dict[str, Any]] = [{"name__contains": text}, {"code__contains": text}, {"uscc": text.upper()}]
    for extra in alternatives:
        for d in await uow.dealers.list(**filters, **extra):
            assert d.id is not None
            found[d.id] = d
    ordered = sorted(found.values(), key=lambda d: d.code)
    end = None if limit is None else offset + limit
    return ordered[offset:end]


async def list_dealers(uow: AbstractUnitOfWork, actor: Actor, region: str | None = None, tier: str | None = None,
                       status: DealerStatus | None = None, search: str | None = None,
                       limit: int = 50, offset: int = 0) -> list[Dealer]:
    """Dealers the actor may see, ordered by code. ``search`` matches name or code (substring) or USCC."""
    async with uow:
        return await _matching_dealers(uow, actor, region, tier, status, search, limit, offset)


async def count_dealers(uow: AbstractUnitOfWork, actor: Actor, region: str | None = None, tier: str | None = None,
                        status: DealerStatus | None = None, search: str | None = None) -> int:
    """How many ``list_dealers`` would return without paging."""
    async with uow:
        return len(await _matching_dealers(uow, actor, region, tier, status, search, None, 0))


async def sub_dealers(uow: AbstractUnitOfWork, actor: Actor, parent_id: int) -> list[Dealer]:
    """Direct sub-dealers of ``parent_id``: for staff who see every dealer, and for the parent dealer itself
    (its users and its API keys; ``core.authz``: it reads their orders, stock and sell-out). Anyone else,
    a sub-dealer asking for its parent's list included, gets NotFound."""
    async with uow:
        scope = dealer_scope(actor)
        if scope is not None and scope != parent_id:
            raise dealer_not_found(parent_id)
        await load_visible_dealer(uow, actor, parent_id)
        return await uow.dealers.list(parent_id=parent_id, order_by="code")
