"""Rebates: proposed from a contract's tiers once a target period has ended, approved by finance, settled
as a credit to the dealer's rebate account (``core.rebates`` says why credit is the one way); and the
dealer's rebate statement.

- propose: CONTRACT_WRITE or ACCOUNT_POST; one open proposal per (contract version, target period);
- approve / reject: ACCOUNT_POST (finance); approval posts a REBATE_SETTLEMENT entry, positive, on the
  rebate account, ref ``<contract number>/<period>``, and tells the dealer;
- rebate statement: the dealer itself (ACCOUNT_READ_OWN) or staff with ACCOUNT_READ_ALL.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core import notify
from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.contracts import ContractStatus
from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.ledger import Balances
from core.money import ZERO, fmt_cny, money
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.rebates import RebateSettlement, SettlementStatus
from core.services.accounts import _require_reader
from core.services.contracts import _load, contract_execution
from core.users import Actor, ActorKind, Permission

SETTLEMENT_STATUS_LABELS: dict[SettlementStatus, tuple[str, str]] = {
    SettlementStatus.PROPOSED: ("待审批", "awaiting approval"),
    SettlementStatus.APPROVED: ("已结算", "settled"),
    SettlementStatus.REJECTED: ("已驳回", "rejected"),
}


def _not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到返利结算单：{ref}", en=f"Rebate settlement not found: {ref}", what=str(ref))


async def propose_settlements(uow: AbstractUnitOfWork, actor: Actor, contract_id: int,
                              clock: Clock) -> list[RebateSettlement]:
    """One proposal per target whose period has ended and that earned a rebate (none twice)."""
    if actor.kind != ActorKind.SYSTEM and not ({Permission.CONTRACT_WRITE, Permission.ACCOUNT_POST}
                                               & actor.permissions):
        raise PermissionDenied()
    execution = await contract_execution(uow, actor, contract_id, clock)
    today = clock.today()
    proposed: list[RebateSettlement] = []
    async with uow:
        contract = await _load(uow, actor, contract_id)
        if contract.status in (ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.TERMINATED):
            raise InvalidTransition(zh="合同未签署或已终止，不能结算返利",
                                    en="The contract is not signed or was terminated: no rebate to settle")
        for t in execution.targets:
            if t.ends_on >= today or t.accrued_rebate <= ZERO:
                continue
            taken = await uow.rebate_settlements.count(contract_id=contract_id, period=t.target.period,
                                                       status__ne=SettlementStatus.REJECTED)
            if taken:
                continue
            row = RebateSettlement(contract_id=contract_id, contract_number=contract.number,
                                   dealer_id=contract.dealer_id, period=t.target.period, period_end=t.ends_on,
                                   achieved_amount=t.actual_amount, achievement=t.achievement, rate=t.rebate_rate,
                                   amount=t.accrued_rebate, proposed_by=actor.label, created_at=clock.now())
            await uow.rebate_settlements.add(row)
            await uow.flush()
            await record(uow, actor, "rebate.propose", "rebate_settlement", row.id, clock, after=snapshot(row))
            proposed.append(row)
        if proposed:
            await uow.commit()
    return proposed


@dataclass(frozen=True)
class DecideSettlement:
    settlement_id: int
    approve: bool
    note: str = ""


async def decide_settlement(uow: AbstractUnitOfWork, actor: Actor, cmd: DecideSettlement,
                            clock: Clock) -> RebateSettlement:
    require(actor, Permission.ACCOUNT_POST)
    if not cmd.approve and not cmd.note.strip():
        raise ValidationFailed(zh="输入有误：驳回需要说明原因", en="Invalid input: a rejection needs a reason")
    async with uow:
        row = await uow.rebate_settlements.get(cmd.settlement_id, for_update=True)
        if row is None:
            raise _not_found(cmd.settlement_id)
        if row.status != SettlementStatus.PROPOSED:
            zh, en = SETTLEMENT_STATUS_LABELS[row.status]
            raise InvalidTransition(zh=f"返利结算单已{zh}，不能再审批", en=f"The settlement is already {en}")
        before = snapshot(row)
        row.status = SettlementStatus.APPROVED if cmd.approve else SettlementStatus.REJECTED
        row.decided_by, row.decided_at, row.note = actor.label, clock.now(), cmd.note.strip()[:500]
        if cmd.approve:
            entry = LedgerEntry(dealer_id=row.dealer_id, account=AccountKind.REBATE, amount=money(row.amount),
                                kind=EntryKind.REBATE_SETTLEMENT, ref=f"{row.contract_number}/{row.period}",
                                note="返利结算 rebate settlement", created_by=actor.label, created_at=clock.now())
            await uow.ledger.add(entry)
            await uow.flush()
            await record(uow, actor, "ledger.post", "ledger_entry", entry.id, clock, after=snapshot(entry))
            await notify.tell_dealer(uow, row.dealer_id, notify.Notice(
                "rebate.settled", Category.CONTRACT,
                {"number": row.contract_number, "period": row.period, "amount": fmt_cny(row.amount)}),
                f"{row.id}", clock, exclude=actor)
        await record(uow, actor, "rebate.approve" if cmd.approve else "rebate.reject", "rebate_settlement", row.id,
                     clock, before=before, after=snapshot(row))
        await uow.commit()
        return row


@dataclass(frozen=True)
class RebateLine:
    contract_number: str
    period: str
    achievement: Decimal
    rate: Decimal
    amount: Decimal
    state: str                   # "accruing" (period running), or a SettlementStatus value, or "due"


@dataclass(frozen=True)
class RebateStatement:
    dealer_id: int
    lines: tuple[RebateLine, ...]
    balance: Decimal             # rebate account now
    settled_total: Decimal
    accruing_total: Decimal


async def rebate_statement(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock) -> RebateStatement:
    """Per contract target: rebate accrued so far (running periods) or its settlement; the account balance."""
    _require_reader(actor, dealer_id)
    async with uow:
        contracts = await uow.contracts.list(dealer_id=dealer_id, status__in=[
            ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED], order_by="id")
        settlements = await uow.rebate_settlements.list(dealer_id=dealer_id, order_by="id")
        balance = Balances.from_entries(await uow.ledger.list(dealer_id=dealer_id)).rebate
    by_key = {(s.contract_id, s.period): s for s in settlements if s.status != SettlementStatus.REJECTED}
    lines: list[RebateLine] = []
    today = clock.today()
    for contract in contracts:
        assert contract.id is not None
        execution = await contract_execution(uow, Actor.system(), contract.id, clock)
        for t in execution.targets:
            s = by_key.get((contract.id, t.target.period))
            if s is not None:
                lines.append(RebateLine(contract.number, s.period, s.achievement, s.rate, s.amount, s.status.value))
            else:
                state = "accruing" if t.ends_on >= today else "due"
                lines.append(RebateLine(contract.number, t.target.period, t.achievement, t.rebate_rate,
                                        t.accrued_rebate, state))
    settled = sum((ln.amount for ln in lines if ln.state == SettlementStatus.APPROVED.value), ZERO)
    accruing = sum((ln.amount for ln in lines if ln.state in ("accruing", "due",
                                                              SettlementStatus.PROPOSED.value)), ZERO)
    return RebateStatement(dealer_id, tuple(lines), money(balance), money(settled), money(accruing))
