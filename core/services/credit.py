"""Credit limit changes and temporary credit: request, decision by someone else, audit, the dealer told
(``core.credit`` for the rules).

- request: CREDIT_REQUEST (channel managers, finance), or a dealer's own user for its own credit; one pending
  request per dealer and kind; the staff who may decide (CREDIT_APPROVE) are told;
- decide: CREDIT_APPROVE (management, finance), never the requester; approval writes the dealer's limit
  or temporary credit (audited as ``dealer.credit``), tells the dealer and the requester; a rejection
  needs a reason and tells the requester;
- pending list and history: CREDIT_REQUEST or CREDIT_APPROVE (``may_decide`` says which rows the reader
  may decide: not its own);
- temporary credit lapses by itself (``Dealer.effective_credit_limit``); ``temporary_credit_check`` tells
  the dealer a few days before its last day and the day after it lapsed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core import notify
from core.auditing import record, snapshot
from core.clock import Clock
from core.credit import (
    CREDIT_KIND_LABELS,
    CREDIT_STATUS_LABELS,
    CreditChange,
    CreditChangeKind,
    CreditChangeStatus,
)
from core.dealers import Dealer, DealerStatus
from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.money import ZERO, fmt_cny, money
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.users import Actor, ActorKind, Permission

MAX_REASON = 500
MAX_TEMPORARY_DAYS = 366           # temporary credit is for a season, not a second limit
LAPSE_WARNING_DAYS = 3             # the dealer is told this many days before temporary credit ends
DEALER_CREDIT_FIELDS = ("credit_limit", "temporary_credit", "temporary_credit_until")



def _not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到额度申请：{ref}", en=f"Credit request not found: {ref}", what=str(ref))


def _require_any(actor: Actor, *permissions: Permission) -> None:
    if actor.kind != ActorKind.SYSTEM and not set(permissions) & actor.permissions:
        raise PermissionDenied()


async def _dealer(uow: AbstractUnitOfWork, dealer_id: int, *, for_update: bool = False) -> Dealer:
    dealer = await uow.dealers.get(dealer_id, for_update=for_update)
    if dealer is None:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    return dealer


@dataclass(frozen=True)
class RequestCreditChange:
    dealer_id: int
    kind: CreditChangeKind
    amount: Decimal                # LIMIT: the new limit; TEMPORARY: the extra amount
    reason: str
    until: date | None = None      # TEMPORARY: its last day


def _check_request(cmd: RequestCreditChange, dealer: Dealer, today: date) -> tuple[Decimal, str]:
    amount = money(cmd.amount)
    reason = " ".join(cmd.reason.split())[:MAX_REASON]
    if not reason:
        raise ValidationFailed.because("请说明调整原因", "give the reason for the change")
    if cmd.kind == CreditChangeKind.LIMIT:
        if amount < ZERO:
            raise ValidationFailed.because("信用额度不能为负", "a credit limit cannot be negative")
        if amount == money(dealer.credit_limit):
            raise ValidationFailed.because(f"新额度与当前额度相同（{fmt_cny(amount)}）",
                           f"the new limit equals the current one ({fmt_cny(amount)})")
        if cmd.until is not None:
            raise ValidationFailed.because("调整信用额度不设截止日期；有期限的请申请临时额度",
                           "a limit change has no end date; ask for temporary credit instead")
    else:
        if amount <= ZERO:
            raise ValidationFailed.because("临时额度须大于 0", "temporary credit must be above zero")
        if cmd.until is None or cmd.until < today:
            raise ValidationFailed.because("临时额度须有不早于今天的截止日期", "temporary credit needs an end date from today on")
        if cmd.until > today + timedelta(days=MAX_TEMPORARY_DAYS):
            raise ValidationFailed.because(f"临时额度最长 {MAX_TEMPORARY_DAYS} 天", f"temporary credit lasts {MAX_TEMPORARY_DAYS} days "
                           "at most")
    return amount, reason


def _require_requester(actor: Actor, dealer_id: int) -> None:
    """CREDIT_REQUEST (channel managers, finance), or a user of the dealer itself asking for its own credit
    (it reads its own account: ACCOUNT_READ_OWN); never a dealer for another dealer."""
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id != dealer_id or Permission.ACCOUNT_READ_OWN not in actor.permissions:
            raise PermissionDenied()
        return
    _require_any(actor, Permission.CREDIT_REQUEST)


async def open_credit_request(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> CreditChange | None:
    """The dealer's request still awaiting a decision, if any (a dealer asks only about its own)."""
    _require_requester(actor, dealer_id)
    async with uow:
        for kind in CreditChangeKind:
            found = await uow.credit_changes.get_by(dealer_id=dealer_id, kind=kind, status=CreditChangeStatus.PENDING)
            if found is not None:
                return found
    return None


async def request_credit_change(uow: AbstractUnitOfWork, actor: Actor, cmd: RequestCreditChange,
                                clock: Clock) -> CreditChange:
    """A channel manager or finance asks, or the dealer for itself; the staff who may decide are told."""
    _require_requester(actor, cmd.dealer_id)
    today = clock.today()
    async with uow:
        dealer = await _dealer(uow, cmd.dealer_id, for_update=True)   # one pending request per dealer and kind
        if dealer.status == DealerStatus.TERMINATED:
            raise InvalidTransition(zh=f"经销商 {dealer.code} 已终止合作，不能调整额度",
                                    en=f"Dealer {dealer.code} is terminated: no credit change")
        amount, reason = _check_request(cmd, dealer, today)
        open_ = await uow.credit_changes.get_by(dealer_id=cmd.dealer_id, kind=cmd.kind,
                                                status=CreditChangeStatus.PENDING)
        if open_ is not None:
            raise InvalidTransition(zh=f"该经销商已有待审批的申请 {open_.number}，请先审批或驳回",
                                    en=f"Request {open_.number} for this dealer is still awaiting a decision")
        change = CreditChange(number=await uow.next_number("CR", today), dealer_id=cmd.dealer_id, kind=cmd.kind,
                              amount=amount, reason=reason, requested_by=actor.label,
                              previous_limit=money(dealer.credit_limit), until=cmd.until, created_at=clock.now())
        await uow.credit_changes.add(change)
        await uow.flush()
        await record(uow, actor, "credit.request", "credit_change", change.number, clock, after=snapshot(change))
        await notify.tell_staff(uow, Permission.CREDIT_APPROVE, notify.Notice(
            "credit.requested", Category.CONTRACT, _params(change, dealer)), change.number, clock, exclude=actor)
        await uow.commit()
        return change


def _params(change: CreditChange, dealer: Dealer) -> dict[str, object]:
    return {"number": change.number, "dealer": f"{dealer.code} {dealer.name}",
            "kind": notify.localized(*CREDIT_KIND_LABELS[change.kind]), "id": change.id,
            "amount": fmt_cny(change.amount), "previous": fmt_cny(change.previous_limit),
            "until": change.until.isoformat() if change.until else "", "reason": change.reason,
            "until_text": notify.localized(f"，至 {change.until.isoformat()}", f", until {change.until.isoformat()}")
            if change.until else "",
            "by": change.requested_by, "note": change.decision_note}


@dataclass(frozen=True)
class PendingCreditChange:
    """A request as a list shows it: the dealer by code and name, and whether the reader may decide it."""

    change: CreditChange
    dealer_code: str
    dealer_name: str
    current_limit: Decimal
    may_decide: bool

    def what(self, lang: str = "zh") -> str:
        """The change asked for, without the number and the dealer ("临时额度 ¥30,000.00，至 2026-12-31")."""
        c = self.change
        if lang.lower().startswith("en"):
            return (f"credit limit {fmt_cny(self.current_limit)} -> {fmt_cny(c.amount)}"
                    if c.kind == CreditChangeKind.LIMIT else
                    f"temporary credit {fmt_cny(c.amount)} until {c.until.isoformat() if c.until else '-'}")
        return (f"信用额度 {fmt_cny(self.current_limit)} → {fmt_cny(c.amount)}" if c.kind == CreditChangeKind.LIMIT
                else f"临时额度 {fmt_cny(c.amount)}，至 {c.until.isoformat() if c.until else '-'}")

    def summary(self, lang: str = "zh") -> str:
        c = self.change
        if lang.lower().startswith("en"):
            return f"{c.number} {self.dealer_code} {self.dealer_name}: {self.what(lang)}; reason: {c.reason} ({c.requested_by})"
        return f"{c.number} {self.dealer_code} {self.dealer_name}：{self.what(lang)}；原因：{c.reason}（{c.requested_by}）"


async def _listed(uow: AbstractUnitOfWork, actor: Actor, changes: list[CreditChange]) -> list[PendingCreditChange]:
    dealers = {d.id: d for d in await uow.dealers.list(id__in=sorted({c.dealer_id for c in changes}))} \
        if changes else {}
    may_approve = actor.kind == ActorKind.SYSTEM or Permission.CREDIT_APPROVE in actor.permissions
    out = []
    for c in changes:
        d = dealers.get(c.dealer_id)
        out.append(PendingCreditChange(c, d.code if d else str(c.dealer_id), d.name if d else "",
                                       money(d.credit_limit) if d else ZERO,
                                       may_approve and c.status == CreditChangeStatus.PENDING
                                       and c.requested_by != actor.label))
    return out


async def list_pending_credit_changes(uow: AbstractUnitOfWork, actor: Actor) -> list[PendingCreditChange]:
    """Requests awaiting a decision, oldest first (for finance's /today and approval lists)."""
    _require_any(actor, Permission.CREDIT_REQUEST, Permission.CREDIT_APPROVE)
    async with uow:
        changes = await uow.credit_changes.list(status=CreditChangeStatus.PENDING, order_by="id")
        return await _listed(uow, actor, changes)


async def credit_history(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int,
                         limit: int = 20) -> list[PendingCreditChange]:
    """A dealer's requests, newest first (the dealer's back-office page)."""
    _require_any(actor, Permission.CREDIT_REQUEST, Permission.CREDIT_APPROVE)
    async with uow:
        await _dealer(uow, dealer_id)
        changes = await uow.credit_changes.list(dealer_id=dealer_id, order_by="id", desc=True, limit=limit)
        return await _listed(uow, actor, changes)


async def decide_credit_change(uow: AbstractUnitOfWork, actor: Actor, request_id: int, approve: bool, note: str,
                               clock: Clock, *, amount: Decimal | None = None) -> CreditChange:
    """Approve (the dealer's limit or temporary credit changes, audited; dealer and requester told) or reject
    (with a reason; the requester told). Never by the requester. ``amount``: approved at less than asked ("批到70万":
    above zero, not above the amount asked; the request keeps what was asked in its note and audit)."""
    _require_any(actor, Permission.CREDIT_APPROVE)
    note = " ".join(note.split())[:MAX_REASON]
    if not approve and not note:
        raise ValidationFailed.because("驳回需要说明原因", "a rejection needs a reason")
    async with uow:
        change = await uow.credit_changes.get(request_id, for_update=True)
        if change is None:
            raise _not_found(request_id)
        if change.status != CreditChangeStatus.PENDING:
            zh, en = CREDIT_STATUS_LABELS[change.status]
            raise InvalidTransition(zh=f"额度申请 {change.number} 已{zh}，不能再审批",
                                    en=f"Credit request {change.number} is already {en}")
        if change.requested_by == actor.label:
            raise PermissionDenied(zh="不能审批自己提交的额度申请，请由其他有审批权限的同事处理",
                                   en="You cannot decide your own credit request; another approver must")
        if approve and change.until is not None and change.until < clock.today():
            raise InvalidTransition(zh=f"额度申请 {change.number} 的截止日期 {change.until.isoformat()} 已过，请驳回后重新申请",
                                    en=f"Credit request {change.number} ended on {change.until.isoformat()}: reject it "
                                       "and ask again")
        dealer = await _dealer(uow, change.dealer_id, for_update=True)
        before = snapshot(change)
        if approve and amount is not None and money(amount) != money(change.amount):
            granted = money(amount)
            if not ZERO < granted < money(change.amount):
                raise ValidationFailed.because(
                    f"批准金额须大于 0 且低于申请的 {fmt_cny(change.amount)}",
                    f"the amount approved is above zero and below the {fmt_cny(change.amount)} asked")
            note = (f"按 {fmt_cny(granted)} 批准（申请 {fmt_cny(change.amount)}）" + (f"；{note}" if note else ""))[:MAX_REASON]
            change.amount = granted
        change.status = CreditChangeStatus.APPROVED if approve else CreditChangeStatus.REJECTED
        change.decided_by, change.decided_at, change.decision_note = actor.label, clock.now(), note
        if approve:
            dealer_before = snapshot(dealer, DEALER_CREDIT_FIELDS)
            if change.kind == CreditChangeKind.LIMIT:
                dealer.credit_limit = change.amount
            else:
                dealer.temporary_credit, dealer.temporary_credit_until = change.amount, change.until
            await record(uow, actor, "dealer.credit", "dealer", dealer.code, clock, before=dealer_before,
                         after=snapshot(dealer, DEALER_CREDIT_FIELDS))
            await notify.tell_dealer(uow, change.dealer_id, notify.Notice(
                f"credit.{change.kind.value}_approved", Category.CONTRACT,
                _params(change, dealer) | {"limit": fmt_cny(dealer.credit_limit)}), change.number, clock)
        await record(uow, actor, "credit.approve" if approve else "credit.reject", "credit_change", change.number,
                     clock, before=before, after=snapshot(change))
        requester = await notify.user_for_label(uow, change.requested_by)
        # a dealer's own request, approved: its users were just told the new limit, the requester among them
        heard = approve and (change.requested_by or "").startswith(f"dealer:{change.dealer_id}:")
        if requester is not None and not heard:
            await notify.tell_users(uow, [requester], notify.Notice(
                "credit.decided", Category.CONTRACT, _params(change, dealer) | {
                    "status": notify.localized(*CREDIT_STATUS_LABELS[change.status])}), change.number, clock,
                exclude=actor)
        await uow.commit()
        return change


async def temporary_credit_check(uow: AbstractUnitOfWork, clock: Clock,
                                 warn_days: int = LAPSE_WARNING_DAYS) -> int:
    """The scheduled check: tell a dealer ``warn_days`` before its temporary credit's last day, and the day
    after it lapsed. Outbox keys make a second run the same day tell nobody twice. The number told."""
    today = clock.today()
    told = 0
    async with uow:
        for until, kind in ((today + timedelta(days=warn_days), "credit.temporary_ending"),
                            (today - timedelta(days=1), "credit.temporary_lapsed")):
            for dealer in await uow.dealers.list(temporary_credit_until=until, temporary_credit__gt=ZERO):
                assert dealer.id is not None
                params = {"amount": fmt_cny(dealer.temporary_credit), "until": until.isoformat(),
                          "limit": fmt_cny(dealer.credit_limit)}
                staged = await notify.tell_dealer(uow, dealer.id, notify.Notice(kind, Category.CONTRACT, params),
                                                  f"{dealer.code}:{until.isoformat()}", clock)
                told += len(staged)
        await uow.commit()
    return told
