"""Expense claims (费用核销) for campaign support, and the finance task queue.

- submit: a dealer user with CAMPAIGN_JOIN whose dealer joined the campaign; evidence is file store keys
  (photos, receipts); a repeated ``request_key`` returns the claim already made (double tap);
- decide: CAMPAIGN_WRITE (marketing) or ACCOUNT_POST (finance). Approval adds the amount to
  ``Campaign.spent`` (refused beyond a set budget) and credits the dealer: an ADJUSTMENT entry on the
  prepayment account by default, or on the rebate account when the approver picks it (the campaign's
  policy, as written in its support terms);
- tasks: ``open_task`` inside another use case's unit of work (a disputed statement becomes a finance
  task with the dealer's reason); ``close_task`` by the team (ACCOUNT_POST for finance).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from core import notify
from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.auditing import record, snapshot
from core.authz import dealer_scope, require
from core.clock import Clock
from core.errors import BusinessRuleViolation, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.expenses import ClaimStatus, ExpenseClaim, StaffTask, TaskStatus
from core.money import ZERO, fmt_cny, money
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission, Role

CLAIM_STATUS_LABELS: dict[ClaimStatus, tuple[str, str]] = {
    ClaimStatus.SUBMITTED: ("待审核", "submitted"),
    ClaimStatus.APPROVED: ("已核销", "approved"),
    ClaimStatus.REJECTED: ("已驳回", "rejected"),
}
MAX_CLAIM = Decimal("1000000.00")


def _claim_not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到费用核销单：{ref}", en=f"Expense claim not found: {ref}", what=str(ref))


def parse_amount(text: str) -> Decimal:
    """"1,280.50" / "¥1280.5" / "1280元" -> Decimal('1280.50'); ValidationFailed otherwise."""
    cleaned = text.strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "").rstrip("元").strip()
    try:
        amount = money(Decimal(cleaned))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(zh=f"输入有误：金额格式不对：{text}", en=f"Invalid input: not an amount: {text}") from None
    if amount <= ZERO or amount > MAX_CLAIM:
        raise ValidationFailed(zh="输入有误：金额须大于0且不超过100万", en="Invalid input: the amount must be above 0 "
                                                                 "and at most 1,000,000")
    return amount


@dataclass(frozen=True)
class SubmitClaim:
    campaign_id: int
    amount: Decimal
    description: str
    evidence: tuple[str, ...] = ()
    request_key: str = ""


async def submit_claim(uow: AbstractUnitOfWork, actor: Actor, cmd: SubmitClaim, clock: Clock) -> ExpenseClaim:
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None:
        raise PermissionDenied()
    require(actor, Permission.CAMPAIGN_JOIN)
    amount = money(cmd.amount)
    if amount <= ZERO or amount > MAX_CLAIM:
        raise ValidationFailed(zh="输入有误：金额须大于0且不超过100万", en="Invalid input: the amount must be above 0 "
                                                                 "and at most 1,000,000")
    if not cmd.evidence:
        raise ValidationFailed(zh="输入有误：请上传凭证照片或票据", en="Invalid input: evidence (photos, receipts) is required")
    async with uow:
        if cmd.request_key:
            again = await uow.expense_claims.get_by(dealer_id=actor.dealer_id, request_key=cmd.request_key)
            if again is not None:
                return again
        campaign = await uow.campaigns.get(cmd.campaign_id)
        joined = await uow.participations.get_by(campaign_id=cmd.campaign_id, dealer_id=actor.dealer_id)
        if campaign is None or joined is None:
            raise NotFound(zh=f"未找到您参加的活动：{cmd.campaign_id}", en=f"No campaign you joined: {cmd.campaign_id}")
        claim = ExpenseClaim(number=await uow.next_number("FY", clock.today()), dealer_id=actor.dealer_id,
                             campaign_id=cmd.campaign_id, amount=amount, description=cmd.description.strip()[:1000],
                             evidence=list(cmd.evidence), submitted_by=actor.label, request_key=cmd.request_key,
                             created_at=clock.now())
        await uow.expense_claims.add(claim)
        await uow.flush()
        await record(uow, actor, "expense.submit", "expense_claim", claim.number, clock, after=snapshot(claim))
        await notify.tell_staff(uow, Permission.CAMPAIGN_WRITE, notify.Notice(
            "expense.submitted", Category.CAMPAIGN,
            {"number": claim.number, "dealer": await notify.dealer_label(uow, actor.dealer_id),
             "campaign": campaign.name, "amount": fmt_cny(amount), "id": claim.id,
             "attachments": notify.evidence(claim.evidence, claim.number)}),
            claim.number, clock, exclude=actor)
        await uow.commit()
        return claim


@dataclass(frozen=True)
class DecideClaim:
    claim_id: int
    approve: bool
    note: str = ""
    credit_account: AccountKind = AccountKind.PREPAYMENT


def _require_decider(actor: Actor) -> None:
    if not {Permission.CAMPAIGN_WRITE, Permission.ACCOUNT_POST} & actor.permissions or actor.kind == ActorKind.DEALER:
        raise PermissionDenied()


async def decide_claim(uow: AbstractUnitOfWork, actor: Actor, cmd: DecideClaim, clock: Clock) -> ExpenseClaim:
    _require_decider(actor)
    if not cmd.approve and not cmd.note.strip():
        raise ValidationFailed(zh="输入有误：驳回需要说明原因", en="Invalid input: a rejection needs a reason")
    if cmd.credit_account not in (AccountKind.PREPAYMENT, AccountKind.REBATE):
        raise ValidationFailed(zh="输入有误：只能记入预存款或返利账户",
                               en="Invalid input: credit goes to the prepayment or the rebate account")
    async with uow:
        claim = await uow.expense_claims.get(cmd.claim_id, for_update=True)
        if claim is None:
            raise _claim_not_found(cmd.claim_id)
        if claim.status != ClaimStatus.SUBMITTED:
            zh, en = CLAIM_STATUS_LABELS[claim.status]
            raise InvalidTransition(zh=f"核销单 {claim.number} 已{zh}", en=f"Claim {claim.number} is already {en}")
        before = snapshot(claim)
        if cmd.approve:
            campaign = await uow.campaigns.get(claim.campaign_id, for_update=True)
            if campaign is None:
                raise NotFound(zh="活动已不存在", en="The campaign no longer exists")
            if campaign.budget > ZERO and campaign.spent + claim.amount > campaign.budget:
                left = max(campaign.budget - campaign.spent, ZERO)
                raise BusinessRuleViolation(zh=f"不符合业务规则：活动预算不足（剩余 {fmt_cny(left)}）",
                                            en=f"Not allowed by business rules: campaign budget left {fmt_cny(left)}",
                                            reason="budget")
            campaign_before = {"spent": str(campaign.spent)}
            campaign.spent = money(campaign.spent + claim.amount)
            await record(uow, actor, "campaign.spend", "campaign", campaign.code, clock, before=campaign_before,
                         after={"spent": str(campaign.spent), "claim": claim.number})
            entry = LedgerEntry(dealer_id=claim.dealer_id, account=cmd.credit_account, amount=claim.amount,
                                kind=EntryKind.ADJUSTMENT, ref=claim.number, note=f"费用核销 {campaign.code}",
                                created_by=actor.label, created_at=clock.now())
            await uow.ledger.add(entry)
            await uow.flush()
            await record(uow, actor, "ledger.post", "ledger_entry", entry.id, clock, after=snapshot(entry))
            claim.credit_account = cmd.credit_account.value
        claim.status = ClaimStatus.APPROVED if cmd.approve else ClaimStatus.REJECTED
        claim.decided_by, claim.decided_at, claim.decision_note = actor.label, clock.now(), cmd.note.strip()[:500]
        await record(uow, actor, "expense.approve" if cmd.approve else "expense.reject", "expense_claim",
                     claim.number, clock, before=before, after=snapshot(claim))
        zh, en = CLAIM_STATUS_LABELS[claim.status]
        await notify.tell_dealer(uow, claim.dealer_id, notify.Notice(
            "expense.decided", Category.CAMPAIGN,
            {"number": claim.number, "amount": fmt_cny(claim.amount), "status": notify.localized(zh, en),
             "note": claim.decision_note}), f"{claim.number}:{claim.status.value}", clock, exclude=actor)
        await uow.commit()
        return claim


async def list_claims(uow: AbstractUnitOfWork, actor: Actor, *, status: ClaimStatus | None = None,
                      limit: int = 20) -> list[ExpenseClaim]:
    """Newest first; a dealer sees its own, staff deciding claims see all."""
    filters: dict[str, Any] = {}
    if actor.kind == ActorKind.DEALER:
        filters["dealer_id"] = dealer_scope(actor)
    else:
        _require_decider(actor)
    if status is not None:
        filters["status"] = status
    async with uow:
        return await uow.expense_claims.list(order_by="id", desc=True, limit=limit, **filters)


async def get_claim(uow: AbstractUnitOfWork, actor: Actor, claim_id: int) -> ExpenseClaim:
    async with uow:
        claim = await uow.expense_claims.get(claim_id)
    if claim is None or (actor.kind == ActorKind.DEALER and claim.dealer_id != actor.dealer_id):
        raise _claim_not_found(claim_id)
    if actor.kind != ActorKind.DEALER:
        _require_decider(actor)
    return claim


async def get_claim_by_number(uow: AbstractUnitOfWork, actor: Actor, number: str) -> ExpenseClaim:
    """A claim by its FY- number, as ``get_claim``: its dealer's users, or staff deciding claims."""
    async with uow:
        claim = await uow.expense_claims.get_by(number=number.strip().upper())
    if claim is None or claim.id is None:
        raise _claim_not_found(number)
    return await get_claim(uow, actor, claim.id)


# --- staff tasks ----------------------------------------------------------------------------------------

TEAM_PERMISSION: dict[str, Permission] = {Role.FINANCE.value: Permission.ACCOUNT_POST}


async def open_task(uow: AbstractUnitOfWork, actor: Actor, task: StaffTask, clock: Clock) -> StaffTask:
    """Stage a task in the caller's unit of work (no commit): one open task per (kind, ref)."""
    existing = await uow.staff_tasks.get_by(kind=task.kind, ref=task.ref, status=TaskStatus.OPEN)
    if existing is not None:
        existing.detail = task.detail
        return existing
    task.created_at = clock.now()
    await uow.staff_tasks.add(task)
    await uow.flush()
    await record(uow, actor, "task.open", "staff_task", task.id, clock, after=snapshot(task))
    return task


async def close_open_task(uow: AbstractUnitOfWork, actor: Actor, kind: str, ref: str, resolution: str,
                          clock: Clock) -> StaffTask | None:
    """Close the open task of (kind, ref) in the caller's unit of work (no commit), e.g. a disputed statement
    answered; None when there is none."""
    task = await uow.staff_tasks.get_by(kind=kind, ref=ref, status=TaskStatus.OPEN, for_update=True)
    if task is None:
        return None
    before = snapshot(task)
    task.status, task.resolution = TaskStatus.DONE, resolution.strip()[:1000]
    task.closed_by, task.closed_at = actor.label, clock.now()
    await record(uow, actor, "task.close", "staff_task", task.id, clock, before=before, after=snapshot(task))
    return task


async def list_tasks(uow: AbstractUnitOfWork, actor: Actor, team: str, *, status: TaskStatus | None = TaskStatus.OPEN,
                     limit: int = 20) -> list[StaffTask]:
    require(actor, TEAM_PERMISSION.get(team, Permission.USER_MANAGE))
    filters: dict[str, Any] = {"team": team}
    if status is not None:
        filters["status"] = status
    async with uow:
        return await uow.staff_tasks.list(order_by="id", desc=True, limit=limit, **filters)


@dataclass(frozen=True)
class CloseTask:
    task_id: int
    resolution: str


async def close_task(uow: AbstractUnitOfWork, actor: Actor, cmd: CloseTask, clock: Clock) -> StaffTask:
    if not cmd.resolution.strip():
        raise ValidationFailed(zh="输入有误：请填写处理结果", en="Invalid input: say how it was resolved")
    async with uow:
        task = await uow.staff_tasks.get(cmd.task_id, for_update=True)
        if task is None:
            raise NotFound(zh=f"未找到任务：{cmd.task_id}", en=f"Task not found: {cmd.task_id}")
        require(actor, TEAM_PERMISSION.get(task.team, Permission.USER_MANAGE))
        if task.status != TaskStatus.OPEN:
            raise InvalidTransition(zh="任务已关闭", en="The task is already closed")
        before = snapshot(task)
        task.status, task.resolution = TaskStatus.DONE, cmd.resolution.strip()[:1000]
        task.closed_by, task.closed_at = actor.label, clock.now()
        await record(uow, actor, "task.close", "staff_task", task.id, clock, before=before, after=snapshot(task))
        await uow.commit()
        return task
