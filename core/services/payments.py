"""Money in the hands of finance: payments received, refunds and manual adjustments (a second person's
approval above a threshold), and reversals of wrong entries.

- ``record_payment``: a dealer's payment (bank transfer, acceptance bill 承兑汇票, cash) into the
  prepayment (预存款) or deposit (保证金) account, with its reference, the day it was paid (never in the
  future) and the receipt scan's file-store key. ACCOUNT_POST. Idempotent on ``source`` (``api:<key>``,
  ``bank:<row key>``, ``chat:<update>``): the same source returns the entry already booked and books
  nothing (the unique index on ``ledger_entries.source`` holds the same line under a race). Audited;
  the dealer is told in chat.
- ``stage_payment``: the same inside the caller's open unit of work, without committing. For callers
  that book many payments in one transaction, e.g. the bank statement importer: it opens the unit of
  work, stages a payment per matched row with ``source="bank:<row key>"`` and commits once.
  ``payment_by_source`` tells whether a source is already booked.
- ``request_adjustment``: a refund (money paid back to the dealer from prepayment or deposit, given as
  a positive amount) or a manual adjustment (either sign) with a reason. At or below the approval
  threshold it is booked at once; above it a ``FinanceRequest`` waits for someone else holding
  ACCOUNT_POST (``decide_finance_request``; the requester never decides its own). A refund or an
  adjustment never takes the prepayment, deposit or rebate account below zero (nor the credit account
  above zero: it holds credit used); checked again when approved. The requester is told the decision.
- ``reverse_entry``: a REVERSAL with the opposite amount on the same account, ``reverses_id`` set and the
  reason in its note; the original is never edited. An entry is reversed at most once (a unique index
  too); order charges and refunds are undone by cancelling or rejecting the order, never by hand; a
  reversal is not reversible itself (book the entry again instead).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from core import notify
from core.accounts import (
    FINANCE_REQUEST_KIND_LABELS,
    FINANCE_REQUEST_STATUS_LABELS,
    PAYMENT_METHOD_LABELS,
    AccountKind,
    EntryKind,
    FinanceRequest,
    FinanceRequestKind,
    FinanceRequestStatus,
    LedgerEntry,
    PaymentMethod,
)
from core.auditing import record, snapshot
from core.authz import dealer_family, require
from core.clock import Clock
from core.dealers import Dealer
from core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.ledger import ACCOUNT_LABELS, ENTRY_LABELS
from core.money import ZERO, fmt_cny, money
from core.notes import system_note
from core.orders import OrderStatus
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.services.accounts import require_account_reader
from core.users import Actor, ActorKind, Permission

DEFAULT_APPROVAL_THRESHOLD = Decimal("10000.00")
PAYMENT_ACCOUNTS = frozenset({AccountKind.PREPAYMENT, AccountKind.DEPOSIT})
REFUND_ACCOUNTS = PAYMENT_ACCOUNTS
MAX_REFERENCE = 64
MAX_REASON = 500
MAX_SOURCE = 300   # "api:<api key id>:<Idempotency-Key up to 255>"
# Written by the order use cases only: cancelling or rejecting the order gives the money back.
NOT_REVERSIBLE = frozenset({EntryKind.ORDER_CHARGE, EntryKind.ORDER_REFUND, EntryKind.REVERSAL})



async def _dealer(uow: AbstractUnitOfWork, dealer_id: int, *, for_update: bool = False) -> Dealer:
    dealer = await uow.dealers.get(dealer_id, for_update=for_update)
    if dealer is None:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    return dealer


def _account_label(account: AccountKind) -> dict[str, str]:
    zh, en = ACCOUNT_LABELS[account]
    return notify.localized(zh, en.lower())


def _clean(text: str, limit: int) -> str:
    return " ".join(text.split())[:limit]


async def _balance(uow: AbstractUnitOfWork, dealer_id: int, account: AccountKind) -> Decimal:
    return (await uow.balances(dealer_id, account)).of(account)


def _check_within_bounds(account: AccountKind, balance: Decimal, amount: Decimal) -> None:
    """Prepayment, deposit and rebate never taken below zero; the credit account (credit used) never pushed
    above zero. A movement the other way is always allowed (an order refunded onto credit already repaid
    leaves the credit account above zero; taking that back is fine)."""
    after = money(balance + amount)
    zh_name, en_name = ACCOUNT_LABELS[account]
    if account == AccountKind.CREDIT:
        if amount > ZERO and after > ZERO:
            raise ValidationFailed.because(f"{zh_name}账户记录的是已用额度，调整后不能为正（当前 {fmt_cny(balance)}）",
                           f"the credit account holds credit used and cannot go above zero "
                           f"(now {fmt_cny(balance)})")
    elif amount < ZERO and after < ZERO:
        raise ValidationFailed.because(f"{zh_name}余额 {fmt_cny(balance)}，不够 {fmt_cny(-amount)}",
                       f"the {en_name.lower()} balance is {fmt_cny(balance)}, less than {fmt_cny(-amount)}")


def _require_payment_poster(actor: Actor) -> None:
    """ACCOUNT_POST (finance); an API key needs ``accounts:write`` and must not be bound to a dealer."""
    if actor.kind == ActorKind.API:
        if "accounts:write" not in actor.scopes or actor.dealer_id is not None:
            raise PermissionDenied()
        return
    require(actor, Permission.ACCOUNT_POST)


# --- payments ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordPayment:
    dealer_id: int
    account: AccountKind           # PREPAYMENT or DEPOSIT
    amount: Decimal | str          # > 0
    method: PaymentMethod | str
    reference: str                 # bank reference, bill number, receipt number
    paid_on: date                  # business day paid, not in the future
    attachment: str = ""           # file-store key of the receipt scan
    note: str = ""
    source: str | None = None      # idempotency key: "api:<key>", "bank:<row key>", "chat:<update>"
    same_reference_ok: bool = False  # booked although a payment with this reference is booked (asked, confirmed)


def _check_payment(cmd: RecordPayment, today: date) -> tuple[Decimal, PaymentMethod]:
    if cmd.account not in PAYMENT_ACCOUNTS:
        raise ValidationFailed.because("付款只能记入预存款或保证金", "a payment goes into the prepayment or the deposit account")
    amount = money(cmd.amount)
    if amount <= ZERO:
        raise ValidationFailed.because("付款金额须大于 0", "a payment must be above zero")
    try:
        method = PaymentMethod(cmd.method)
    except ValueError:
        raise ValidationFailed.because("付款方式须为银行转账、承兑汇票或现金",
                       "the method is bank_transfer, acceptance_bill or cash") from None
    if cmd.paid_on > today:
        raise ValidationFailed.because(f"付款日期 {cmd.paid_on.isoformat()} 晚于今天", f"the payment date {cmd.paid_on.isoformat()} "
                       "is in the future")
    if len(cmd.reference.strip()) > MAX_REFERENCE:
        raise ValidationFailed.because(f"参考号最长 {MAX_REFERENCE} 个字符", f"the reference is {MAX_REFERENCE} characters at most")
    if cmd.source is not None and not 0 < len(cmd.source) <= MAX_SOURCE:
        raise ValidationFailed.because("来源标识无效", "bad source key")
    return amount, method


async def booked_with_reference(uow: AbstractUnitOfWork, dealer_id: int, reference: str) -> list[LedgerEntry]:
    """The dealer's payments booked with this reference and not reversed (a bank slip, a bill number, a receipt:
    one payment each), oldest first; none for an empty reference."""
    ref = reference.strip()
    if not ref:
        return []
    found = await uow.ledger.list(dealer_id=dealer_id, kind=EntryKind.PAYMENT, ref=ref)
    if not found:
        return []
    reversed_ids = {e.reverses_id for e in await uow.ledger.list(dealer_id=dealer_id, kind=EntryKind.REVERSAL)}
    return sorted((e for e in found if e.id not in reversed_ids), key=lambda e: e.id or 0)


async def earlier_payment_with_reference(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int,
                                         reference: str) -> LedgerEntry | None:
    """For finance's confirm card: the payment already booked for this dealer with this reference, if any."""
    _require_payment_poster(actor)
    async with uow:
        found = await booked_with_reference(uow, dealer_id, reference)
    return found[0] if found else None


def same_reference_said(earlier: LedgerEntry) -> tuple[str, str]:
    """"参考号 … 已入账 …" for the payment booked earlier with the same reference (zh, en)."""
    day = earlier.paid_on.isoformat() if earlier.paid_on else "-"
    return (f"参考号 {earlier.ref} 已入账：{fmt_cny(earlier.amount)}，付款日 {day}（流水 #{earlier.id}）",
            f"reference {earlier.ref} is already booked: {fmt_cny(earlier.amount)}, paid on {day} (entry #{earlier.id})")


def _same_reference(earlier: LedgerEntry) -> Conflict:
    zh, en = same_reference_said(earlier)
    return Conflict(zh=f"{zh}。同一笔款不能记两次；如确是另一笔款项，请确认后再记",
                    en=f"{en[0].upper()}{en[1:]}. One payment is booked once; if this is another payment, confirm "
                       "it as such", reason="same reference")


async def payment_by_source(uow: AbstractUnitOfWork, source: str) -> LedgerEntry | None:
    """The entry already booked from ``source``, if any (inside the caller's unit of work)."""
    return await uow.ledger.get_by(source=source)


async def stage_payment(uow: AbstractUnitOfWork, actor: Actor, cmd: RecordPayment, clock: Clock) -> LedgerEntry:
    """``record_payment`` inside the caller's open unit of work: booked, audited and told, not committed.

    A ``source`` already booked returns that entry and stages nothing; the same source with another
    dealer, account or amount is a Conflict (a key reused for something else)."""
    _require_payment_poster(actor)
    amount, method = _check_payment(cmd, clock.today())
    if cmd.source is not None:
        existing = await payment_by_source(uow, cmd.source)
        if existing is not None:
            if (existing.dealer_id, existing.account, money(existing.amount)) != (cmd.dealer_id, cmd.account, amount):
                raise Conflict(zh=f"来源 {cmd.source} 已记过另一笔款项", en=f"Source {cmd.source} is already "
                               "booked for another payment", reason="source reused")
            return existing
    if not cmd.same_reference_ok and (earlier := await booked_with_reference(uow, cmd.dealer_id, cmd.reference)):
        raise _same_reference(earlier[0])
    dealer = await _dealer(uow, cmd.dealer_id)
    entry = LedgerEntry(dealer_id=cmd.dealer_id, account=cmd.account, amount=amount, kind=EntryKind.PAYMENT,
                        ref=cmd.reference.strip(), note=_clean(cmd.note, MAX_REASON), created_by=actor.label,
                        created_at=clock.now(), method=method.value, paid_on=cmd.paid_on,
                        attachment=cmd.attachment, source=cmd.source)
    await uow.ledger.add(entry)
    await uow.flush()
    await record(uow, actor, "ledger.payment", "ledger_entry", entry.id, clock, after=snapshot(entry))
    repaid = await _repay_credit_used(uow, actor, entry, clock)
    await notify.tell_dealer(uow, dealer.id or cmd.dealer_id, notify.Notice(
        "payment.received", Category.CONTRACT,
        {"amount": fmt_cny(amount), "account": _account_label(cmd.account),
         "method": notify.localized(*PAYMENT_METHOD_LABELS[method]), "reference": entry.ref or "-",
         "paid_on": cmd.paid_on.isoformat(),
         "repaid": notify.localized(f"，其中 {fmt_cny(repaid)} 已冲抵信用欠款（可用额度随之恢复）",
                                    f"; {fmt_cny(repaid)} of it repaid credit used (available credit back up)")
         if repaid else ""}), f"{entry.id}", clock, exclude=actor)
    return entry


def credit_repayment_of(amount: Decimal, account: AccountKind, balances_credit: Decimal) -> Decimal:
    """How much of a payment into ``account`` repays credit used (回款先冲抵信用欠款): a prepayment payment pays
    the credit the dealer owes first (``balances_credit`` is credit used, zero or negative); the deposit is a
    guarantee and repays nothing."""
    if account != AccountKind.PREPAYMENT:
        return ZERO
    return money(min(money(amount), max(-balances_credit, ZERO)))


async def _repay_credit_used(uow: AbstractUnitOfWork, actor: Actor, payment: LedgerEntry, clock: Clock) -> Decimal:
    """Move what ``credit_repayment_of`` says from the prepayment just paid onto the credit account: two
    CREDIT_REPAYMENT entries (prepayment −, credit +) that net to nothing in the money received, audited."""
    repay = credit_repayment_of(payment.amount, payment.account,
                                await _balance(uow, payment.dealer_id, AccountKind.CREDIT))
    if repay <= ZERO:
        return ZERO
    note = system_note("回款冲抵信用欠款")
    legs = [LedgerEntry(dealer_id=payment.dealer_id, account=account, amount=amount, kind=EntryKind.CREDIT_REPAYMENT,
                        ref=payment.ref, note=note, created_by=actor.label, created_at=payment.created_at,
                        method=payment.method, paid_on=payment.paid_on)
            for account, amount in ((AccountKind.PREPAYMENT, -repay), (AccountKind.CREDIT, repay))]
    for leg in legs:
        await uow.ledger.add(leg)
    await uow.flush()
    for leg in legs:
        await record(uow, actor, "ledger.credit_repayment", "ledger_entry", leg.id, clock, after=snapshot(leg))
    return repay


async def record_payment(uow: AbstractUnitOfWork, actor: Actor, cmd: RecordPayment, clock: Clock) -> LedgerEntry:
    """Finance books a dealer's payment (ACCOUNT_POST); idempotent on ``cmd.source``."""
    async with uow:
        entry = await stage_payment(uow, actor, cmd, clock)
        await uow.commit()
        return entry


def _require_poster(actor: Actor) -> None:
    """Refunds, adjustments, reversals: finance in person (ACCOUNT_POST), never an API key."""
    require(actor, Permission.ACCOUNT_POST)


# --- refunds and adjustments -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RequestAdjustment:
    dealer_id: int
    account: AccountKind
    amount: Decimal | str           # refund: the positive amount paid back; adjustment: signed
    kind: FinanceRequestKind | str  # "refund" | "adjustment"
    reason: str
    reference: str = ""
    attachment: str = ""


@dataclass(frozen=True)
class AdjustmentOutcome:
    """What ``request_adjustment`` did: booked at once (``entry``) or waiting for approval (``request``)."""

    entry: LedgerEntry | None = None
    request: FinanceRequest | None = None

    @property
    def pending(self) -> bool:
        return self.entry is None


def _check_adjustment(cmd: RequestAdjustment) -> tuple[FinanceRequestKind, Decimal, str, str]:
    try:
        kind = FinanceRequestKind(cmd.kind)
    except ValueError:
        raise ValidationFailed.because("类型须为退款或调账", "the kind is refund or adjustment") from None
    amount = money(cmd.amount)
    reason = _clean(cmd.reason, MAX_REASON)
    reference = cmd.reference.strip()
    if not reason:
        raise ValidationFailed.because("请说明原因", "give the reason")
    if len(reference) > MAX_REFERENCE:
        raise ValidationFailed.because(f"参考号最长 {MAX_REFERENCE} 个字符", f"the reference is {MAX_REFERENCE} characters at most")
    if kind == FinanceRequestKind.REFUND:
        if cmd.account not in REFUND_ACCOUNTS:
            raise ValidationFailed.because("退款只能从预存款或保证金退出", "a refund is paid from the prepayment or the deposit account")
        if amount <= ZERO:
            raise ValidationFailed.because("退款金额须大于 0（退给经销商的金额）", "a refund is the positive amount paid back")
        return kind, -amount, reason, reference
    if amount == ZERO:
        raise ValidationFailed.because("调账金额不能为 0", "an adjustment must not be zero")
    return kind, amount, reason, reference


def _entry_kind(kind: FinanceRequestKind) -> EntryKind:
    return EntryKind.REFUND if kind == FinanceRequestKind.REFUND else EntryKind.ADJUSTMENT


async def _book(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, account: AccountKind, amount: Decimal,
                kind: FinanceRequestKind, reason: str, reference: str, attachment: str, clock: Clock, *,
                created_by: str, approved_by: str | None = None) -> LedgerEntry:
    _check_within_bounds(account, await _balance(uow, dealer_id, account), amount)
    entry = LedgerEntry(dealer_id=dealer_id, account=account, amount=amount, kind=_entry_kind(kind), ref=reference,
                        note=reason, created_by=created_by, created_at=clock.now(), attachment=attachment,
                        approved_by=approved_by)
    await uow.ledger.add(entry)
    await uow.flush()
    await record(uow, actor, f"ledger.{kind.value}", "ledger_entry", entry.id, clock, after=snapshot(entry))
    await notify.tell_dealer(uow, dealer_id, notify.Notice(
        f"account.{kind.value}", Category.CONTRACT,
        {"amount": fmt_cny(abs(amount)), "signed": f"{'+' if amount > ZERO else '-'}{fmt_cny(abs(amount))}",
         "account": _account_label(account), "reason": reason}), f"{entry.id}", clock, exclude=actor)
    return entry




async def request_adjustment(uow: AbstractUnitOfWork, actor: Actor, cmd: RequestAdjustment, clock: Clock, *,
                             threshold: Decimal) -> AdjustmentOutcome:
    """A refund or manual adjustment: booked at once up to ``threshold`` (absolute amount), above it a
    pending request for a second person with ACCOUNT_POST (told in chat). ``threshold`` has no default: every
    caller passes the configured one (setting FINANCE_APPROVAL_THRESHOLD; the chat once used the built-in
    ``DEFAULT_APPROVAL_THRESHOLD`` whatever the setting said)."""
    _require_poster(actor)
    kind, amount, reason, reference = _check_adjustment(cmd)
    async with uow:
        dealer = await _dealer(uow, cmd.dealer_id, for_update=True)   # balance checks one at a time per dealer
        if abs(amount) <= money(threshold):
            entry = await _book(uow, actor, cmd.dealer_id, cmd.account, amount, kind, reason, reference,
                                cmd.attachment, clock, created_by=actor.label)
            await uow.commit()
            return AdjustmentOutcome(entry=entry)
        # refused now rather than after a second person looked at it
        _check_within_bounds(cmd.account, await _balance(uow, cmd.dealer_id, cmd.account), amount)
        request = FinanceRequest(number=await uow.next_number("FR", clock.today()), dealer_id=cmd.dealer_id,
                                 account=cmd.account, amount=amount, kind=kind, reason=reason,
                                 requested_by=actor.label, reference=reference, attachment=cmd.attachment,
                                 created_at=clock.now())
        await uow.finance_requests.add(request)
        await uow.flush()
        await record(uow, actor, "finance.request", "finance_request", request.number, clock,
                     after=snapshot(request))
        await notify.tell_staff(uow, Permission.ACCOUNT_POST, notify.Notice(
            "finance.requested", Category.CONTRACT, _request_params(request, dealer)), request.number, clock,
            exclude=actor)
        await uow.commit()
        return AdjustmentOutcome(request=request)


def _request_params(request: FinanceRequest, dealer: Dealer | None) -> dict[str, object]:
    return {"number": request.number, "id": request.id,
            "dealer": f"{dealer.code} {dealer.name}" if dealer else str(request.dealer_id),
            "kind": notify.localized(*FINANCE_REQUEST_KIND_LABELS[request.kind]),
            "account": _account_label(request.account), "amount": fmt_cny(abs(request.amount)),
            "signed": f"{'+' if request.amount > ZERO else '-'}{fmt_cny(abs(request.amount))}",
            "reason": request.reason, "by": request.requested_by,
            "status": notify.localized(*FINANCE_REQUEST_STATUS_LABELS[request.status]),
            "note": request.decision_note}


@dataclass(frozen=True)
class PendingFinanceRequest:
    """A request as a list shows it, with whether the reader may decide it (not its own)."""

    request: FinanceRequest
    dealer_code: str
    dealer_name: str
    may_decide: bool

    def summary(self, lang: str = "zh") -> str:
        r = self.request
        kind_zh, kind_en = FINANCE_REQUEST_KIND_LABELS[r.kind]
        acc_zh, acc_en = ACCOUNT_LABELS[r.account]
        sign = "+" if r.amount > ZERO else "-"
        if lang.lower().startswith("en"):
            return (f"{r.number} {self.dealer_code} {self.dealer_name}: {kind_en} {sign}{fmt_cny(abs(r.amount))} "
                    f"{acc_en.lower()}; reason: {r.reason} ({r.requested_by})")
        return (f"{r.number} {self.dealer_code} {self.dealer_name}：{kind_zh} {acc_zh} {sign}{fmt_cny(abs(r.amount))}；"
                f"原因：{r.reason}（{r.requested_by}）")


async def list_finance_requests(uow: AbstractUnitOfWork, actor: Actor, *, dealer_id: int | None = None,
                                status: FinanceRequestStatus | None = FinanceRequestStatus.PENDING,
                                limit: int = 100, offset: int = 0) -> list[PendingFinanceRequest]:
    """Requests (the open ones unless ``status`` says otherwise; None: all), oldest first. ACCOUNT_POST."""
    _require_poster(actor)
    async with uow:
        filters: dict[str, Any] = {}
        if status is not None:
            filters["status"] = status
        if dealer_id is not None:
            filters["dealer_id"] = dealer_id
        rows = await uow.finance_requests.list(order_by="id", limit=min(max(limit, 1), 500), offset=max(offset, 0),
                                               **filters)
        dealers = {d.id: d for d in await uow.dealers.list(id__in=sorted({r.dealer_id for r in rows}))} \
            if rows else {}
        out = []
        for r in rows:
            d = dealers.get(r.dealer_id)
            out.append(PendingFinanceRequest(r, d.code if d else str(r.dealer_id), d.name if d else "",
                                             r.status == FinanceRequestStatus.PENDING
                                             and r.requested_by != actor.label))
        return out


async def decide_finance_request(uow: AbstractUnitOfWork, actor: Actor, request_id: int, approve: bool, note: str,
                                 clock: Clock) -> FinanceRequest:
    """A second person with ACCOUNT_POST approves (the entry is booked with ``approved_by``; the balance is
    checked again) or rejects (with a reason). The requester is told either way."""
    _require_poster(actor)
    note = _clean(note, MAX_REASON)
    if not approve and not note:
        raise ValidationFailed.because("驳回需要说明原因", "a rejection needs a reason")
    async with uow:
        request = await uow.finance_requests.get(request_id, for_update=True)
        if request is None:
            raise NotFound(zh=f"未找到调账申请：{request_id}", en=f"Finance request not found: {request_id}",
                           what=str(request_id))
        if request.requested_by == actor.label:
            raise PermissionDenied(zh="不能审批自己提交的申请，请由另一位财务人员审批",
                                   en="You cannot decide your own request: another person must")
        if request.status != FinanceRequestStatus.PENDING:
            zh, en = FINANCE_REQUEST_STATUS_LABELS[request.status]
            raise InvalidTransition(zh=f"申请 {request.number} 已{zh.removeprefix('已')}",
                                    en=f"Request {request.number} is already {en}",
                                    current=request.status.value, action="decide")
        dealer = await _dealer(uow, request.dealer_id, for_update=True)
        before = snapshot(request)
        if approve:
            entry = await _book(uow, actor, request.dealer_id, request.account, request.amount, request.kind,
                                request.reason, request.reference, request.attachment, clock,
                                created_by=request.requested_by, approved_by=actor.label)
            request.entry_id = entry.id
        request.status = FinanceRequestStatus.APPROVED if approve else FinanceRequestStatus.REJECTED
        request.decided_by, request.decided_at, request.decision_note = actor.label, clock.now(), note
        await record(uow, actor, "finance.approve" if approve else "finance.reject", "finance_request",
                     request.number, clock, before=before, after=snapshot(request))
        requester = await notify.user_for_label(uow, request.requested_by)
        if requester is not None:
            await notify.tell_users(uow, [requester], notify.Notice(
                "finance.decided", Category.CONTRACT, _request_params(request, dealer)), request.number, clock,
                exclude=actor)
        await uow.commit()
        return request


# --- reversals ---------------------------------------------------------------------------------------------

async def reverse_entry(uow: AbstractUnitOfWork, actor: Actor, entry_id: int, reason: str,
                        clock: Clock) -> LedgerEntry:
    """Counter a wrong entry: a REVERSAL of the opposite amount on the same account (ACCOUNT_POST)."""
    _require_poster(actor)
    reason = _clean(reason, MAX_REASON)
    if not reason:
        raise ValidationFailed.because("请说明冲销原因", "give the reason for the reversal")
    async with uow:
        original = await uow.ledger.get(entry_id)
        if original is None or (actor.kind == ActorKind.DEALER and actor.dealer_id != original.dealer_id):
            raise NotFound(zh=f"未找到流水 {entry_id}", en=f"Ledger entry {entry_id} not found", what=str(entry_id))
        await _dealer(uow, original.dealer_id, for_update=True)
        if original.kind in (EntryKind.ORDER_CHARGE, EntryKind.ORDER_REFUND):
            raise InvalidTransition(zh="订单扣款和退款由订单自动记账，请取消或驳回订单，不能手工冲销",
                                    en="Order charges and refunds follow the order: cancel or reject the order "
                                       "instead of reversing by hand", current=original.kind.value, action="reverse")
        if original.kind == EntryKind.REVERSAL:
            raise InvalidTransition(zh="冲销流水不能再冲销；如需恢复请重新记账",
                                    en="A reversal cannot be reversed; book the entry again instead",
                                    current=original.kind.value, action="reverse")
        done = await uow.ledger.get_by(reverses_id=entry_id)
        if done is not None:
            raise InvalidTransition(zh=f"流水 {entry_id} 已冲销（冲销流水 {done.id}）",
                                    en=f"Entry {entry_id} is already reversed (by entry {done.id})",
                                    current="reversed", action="reverse")
        amount = money(-original.amount)
        _check_within_bounds(original.account, await _balance(uow, original.dealer_id, original.account), amount)
        kind_zh, kind_en = ENTRY_LABELS.get(original.kind, (str(original.kind), str(original.kind)))
        entry = LedgerEntry(dealer_id=original.dealer_id, account=original.account, amount=amount,
                            kind=EntryKind.REVERSAL, ref=original.ref, note=reason, created_by=actor.label,
                            created_at=clock.now(), reverses_id=original.id)
        await uow.ledger.add(entry)
        await uow.flush()
        await record(uow, actor, "ledger.reverse", "ledger_entry", entry.id, clock,
                     before=snapshot(original), after=snapshot(entry))
        await notify.tell_dealer(uow, original.dealer_id, notify.Notice(
            "account.reversal", Category.CONTRACT,
            {"amount": fmt_cny(abs(original.amount)), "account": _account_label(original.account),
             "what": notify.localized(kind_zh, kind_en.lower()), "ref": original.ref or "-",
             "signed": f"{'+' if amount > ZERO else '-'}{fmt_cny(abs(amount))}", "reason": reason}),
            f"{entry.id}", clock, exclude=actor)
        await uow.commit()
        return entry


# --- reads for the API and the back office ---------------------------------------------------------------

# Orders that can still be cancelled or rejected (``core.order_states``): what they were charged comes back then.
OPEN_ORDER_STATUSES = frozenset({OrderStatus.SUBMITTED, OrderStatus.APPROVED, OrderStatus.ALLOCATED,
                                 OrderStatus.IN_PRODUCTION})


@dataclass(frozen=True)
class AccountPosition:
    """One account of a dealer.

    - ``balance``: the sum of its entries (the credit account: credit used, zero or negative);
    - ``frozen``: what orders that can still be cancelled or rejected (submitted, approved, allocated, in
      production) were charged on this account: already taken from ``balance``, given back if the order is
      cancelled or rejected, final when it ships;
    - ``available``: what a new order can use now: the prepayment balance (not below zero), the rebate balance
      (an order uses at most its rebate share), the unused credit (limit + used); the deposit is a guarantee
      and pays no order (0)."""

    account: AccountKind
    balance: Decimal
    available: Decimal
    frozen: Decimal


@dataclass(frozen=True)
class DealerBalances:
    dealer_id: int
    accounts: list[AccountPosition]
    credit_limit: Decimal            # effective: temporary credit included while it lasts
    credit_headroom: Decimal         # limit + credit used, not below zero
    temporary_credit: Decimal = ZERO
    temporary_credit_until: date | None = None


async def dealer_balances(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock) -> DealerBalances:
    """Each account's balance, available and frozen amounts, and the credit limit (readers of the dealer's
    accounts: its own users, finance and other staff with ACCOUNT_READ_ALL, API keys with accounts:read)."""
    async with uow:
        require_account_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        dealer = await _dealer(uow, dealer_id)
        balances = await uow.balances(dealer_id)
        open_orders = await uow.orders.list(dealer_id=dealer_id, status__in=sorted(OPEN_ORDER_STATUSES))
    limit = money(dealer.effective_credit_limit(clock.today()))
    headroom = balances.credit_headroom(limit)
    frozen = {AccountKind.PREPAYMENT: sum((o.paid_from_prepayment for o in open_orders), ZERO),
              AccountKind.REBATE: sum((o.paid_from_rebate for o in open_orders), ZERO),
              AccountKind.CREDIT: sum((o.paid_from_credit for o in open_orders), ZERO)}
    available = {AccountKind.PREPAYMENT: max(balances.prepayment, ZERO), AccountKind.DEPOSIT: ZERO,
                 AccountKind.REBATE: max(balances.rebate, ZERO), AccountKind.CREDIT: headroom}
    extra = money(limit - dealer.credit_limit)
    return DealerBalances(
        dealer_id=dealer_id,
        accounts=[AccountPosition(account, balances.of(account), money(available[account]),
                                  money(frozen.get(account, ZERO))) for account in AccountKind],
        credit_limit=limit, credit_headroom=headroom, temporary_credit=extra,
        temporary_credit_until=dealer.temporary_credit_until if extra else None)


@dataclass(frozen=True)
class LedgerPage:
    entries: list[LedgerEntry]
    total: int


RECENT_PAYMENT_DAYS = 60


async def recent_payments(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock, *,
                          days: int = RECENT_PAYMENT_DAYS, limit: int = 10) -> list[LedgerEntry]:
    """The payments booked to a dealer's accounts in the last ``days`` days, latest paid first: what a dealer asking
    "我昨天打的3万到账没" is shown (a payment reversed since is left out: it was booked by mistake)."""
    since = datetime.combine(clock.today() - timedelta(days=days), time.min, clock.tz)
    async with uow:
        require_account_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        entries = await uow.ledger.list(order_by="id", desc=True, limit=200, dealer_id=dealer_id,
                                        created_at__gte=since, kind__in=[EntryKind.PAYMENT, EntryKind.REVERSAL])
    reversed_ids = {e.reverses_id for e in entries if e.kind == EntryKind.REVERSAL}
    kept = [e for e in entries if e.kind == EntryKind.PAYMENT and e.id not in reversed_ids]
    # by the day the money was paid (a transfer of last week may be booked after one of today)
    kept.sort(key=lambda e: (e.paid_on or (e.created_at or since).astimezone(clock.tz).date(), e.id or 0),
              reverse=True)
    return kept[:limit]


async def ledger_page(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock, *,
                      since: date | None = None, until: date | None = None, limit: int = 50,
                      offset: int = 0) -> LedgerPage:
    """A dealer's entries booked from ``since`` to ``until`` (business days, both included), newest first."""
    filters: dict[str, Any] = {"dealer_id": dealer_id}
    # the first and the last day a date can name bound nothing (and their midnight in UTC is no datetime:
    # 0001-01-01 00:00 +08:00 is in year 0; found by schemathesis against the running app)
    if since is not None and since > date.min:
        filters["created_at__gte"] = datetime.combine(since, time.min, clock.tz)
    if until is not None and until < date.max:
        filters["created_at__lt"] = datetime.combine(until + timedelta(days=1), time.min, clock.tz)
    async with uow:
        require_account_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        await _dealer(uow, dealer_id)
        entries = await uow.ledger.list(order_by="id", desc=True, limit=min(max(limit, 1), 1000),
                                        offset=max(offset, 0), **filters)
        return LedgerPage(entries, await uow.ledger.count(**filters))
