"""Rebates: proposed from a contract's tiers once a target period has ended, approved by finance, settled
as a credit to the dealer's rebate account (``core.rebates`` says why credit is the one way); and the
dealer's rebate statement.

Every target of a contract is settled on its own (``core.rebates.target_key``: period, metric, product
group), and what is paid nets what was paid before: due = what the target has earned now - the approved
settlements of the same target (same dealer, contract number and key, so a new version of the contract
does not pay again). A re-settlement after late orders raised the accrual pays the difference; running it
again pays nothing; a target with a proposal still open gets no second one.

- propose: CONTRACT_WRITE or ACCOUNT_POST; returns what it proposed and, per target, why (not yet) -
  the period still running, below the first tier, already settled, awaiting approval;
- approve / reject: ACCOUNT_POST (finance); approval posts a REBATE_SETTLEMENT entry, positive, on the
  rebate account, ref ``<contract number>/<period>[/<group>]``, and tells the dealer;
- rebate statement: the dealer itself (ACCOUNT_READ_OWN) or staff with ACCOUNT_READ_ALL.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from core import notify
from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.auditing import record, snapshot
from core.authz import dealer_family, require
from core.clock import Clock
from core.contract_rules import TargetExecution, tier_reached
from core.contracts import ContractStatus, RebateTier, SalesTarget, TargetMetric, scope_label, scope_name
from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.money import ZERO, fmt_cny, money
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.rebates import ALL_PRODUCTS, RebateSettlement, SettlementStatus, target_key
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


def settlement_key(s: RebateSettlement) -> str:
    """The target a settlement belongs to (rows from before keys existed: their period, every product)."""
    return s.target_key or f"{s.period}|{s.metric.value}|{s.product_group or ALL_PRODUCTS}"


def target_label(period: str, product_group: str | None, metric: TargetMetric, lang: str = "zh") -> str:
    """``2026-Q4（空调）`` / ``2026-Q4 (空调)``; ``2026（全部产品，按台数）`` for a quantity target."""
    en = lang.lower().startswith("en")
    group = scope_name(product_group, lang) or scope_label(None, lang)
    if metric == TargetMetric.QUANTITY:
        group += ", by units" if en else "，按数量"
    return f"{period} ({group})" if en else f"{period}（{group}）"


def _pct(ratio: Decimal) -> str:
    return format((ratio * 100).quantize(Decimal("0.1")).normalize(), "f") + "%"


@dataclass(frozen=True)
class Paid:
    """What a target's settlements add up to: approved (paid) and still awaiting approval."""

    approved: Decimal = ZERO
    pending: Decimal = ZERO
    pending_id: int | None = None


def paid_by_target(settlements: Iterable[RebateSettlement]) -> dict[tuple[str, str], Paid]:
    """(contract number, target key) -> what its settlements paid and what awaits approval."""
    out: dict[tuple[str, str], Paid] = {}
    for s in settlements:
        if s.status == SettlementStatus.REJECTED:
            continue
        key = (s.contract_number, settlement_key(s))
        p = out.get(key, Paid())
        if s.status == SettlementStatus.APPROVED:
            out[key] = Paid(money(p.approved + s.amount), p.pending, p.pending_id)
        else:
            out[key] = Paid(p.approved, money(p.pending + s.amount), s.id)
    return out


class NothingDue(StrEnum):
    """Why a target got no proposal."""

    RUNNING = "running"            # its period has not ended
    NO_TIERS = "no_tiers"          # the contract has no rebate tiers
    BELOW_TIER = "below_tier"      # achievement below the first tier
    NO_AMOUNT = "no_amount"        # a rate, but no sales amount to apply it to
    AWAITING = "awaiting"          # a proposal for it is awaiting approval
    SETTLED = "settled"            # everything it earned is settled already


@dataclass(frozen=True)
class TargetNote:
    """One target of a proposal run: what was proposed for it, or why nothing."""

    contract_number: str
    target: SalesTarget
    ends_on: date
    achievement: Decimal
    first_tier: Decimal | None     # the lowest tier's threshold; None: no tiers
    accrued: Decimal               # what the target has earned in all, now
    settled: Decimal               # approved settlements of it so far
    pending: Decimal               # a proposal awaiting approval
    proposed: Decimal = ZERO       # what this run proposed for it
    reason: NothingDue | None = None

    def message(self, lang: str = "zh") -> str:
        en = lang.lower().startswith("en")
        label = target_label(self.target.period, self.target.product_group, self.target.metric, lang)
        accrued, settled, pending = fmt_cny(self.accrued), fmt_cny(self.settled), fmt_cny(self.pending)
        nxt = (self.ends_on + timedelta(days=1)).isoformat()
        r = self.reason
        if r is None:
            return (f"{label}: accrued {accrued} - settled {settled} = {fmt_cny(self.proposed)} proposed, "
                    "awaiting finance approval" if en else
                    f"{label}：应计 {accrued} − 已结算 {settled} = 本次结算 {fmt_cny(self.proposed)}，待财务审批")
        if r == NothingDue.RUNNING:
            return (f"{label}: the period runs until {self.ends_on.isoformat()}; it can be settled from {nxt} "
                    f"(accrued so far {accrued})" if en else
                    f"{label}：期间未结束（至 {self.ends_on.isoformat()}），{nxt} 起可结算（目前计提 {accrued}）")
        if r == NothingDue.NO_TIERS:
            return f"{label}: the contract has no rebate tiers" if en else f"{label}：合同未约定返利档位，无返利"
        if r == NothingDue.BELOW_TIER:
            tier = _pct(self.first_tier or ZERO)
            return (f"{label}: below the first tier: achievement {_pct(self.achievement)} < {tier}; no rebate"
                    if en else f"{label}：未达首档：达成率 {_pct(self.achievement)} < {tier}，无返利")
        if r == NothingDue.NO_AMOUNT:
            return (f"{label}: no sales amount to pay a rebate on" if en else
                    f"{label}：没有可计返利的销售额，返利为 {fmt_cny(ZERO)}")
        if r == NothingDue.AWAITING:
            return (f"{label}: a settlement of {pending} is awaiting approval; settle again after it is decided"
                    if en else f"{label}：已有待审批的结算 {pending}，审批后再结算差额")
        return (f"{label}: already settled {settled} of {accrued} accrued; nothing more due" if en else
                f"{label}：已结算 {settled}（应计 {accrued}），无需再结算")


@dataclass(frozen=True)
class RebateProposal:
    """What one run of ``propose_settlements`` did for a contract: the new proposals, and a note per target.

    Iterating it gives the proposals (callers that took the list of proposals keep working)."""

    contract_number: str
    proposed: tuple[RebateSettlement, ...]
    notes: tuple[TargetNote, ...]

    def __iter__(self) -> Iterator[RebateSettlement]:
        return iter(self.proposed)

    def __len__(self) -> int:
        return len(self.proposed)

    @property
    def total(self) -> Decimal:
        return money(sum((s.amount for s in self.proposed), ZERO))

    def explanation(self, lang: str = "zh") -> str:
        """A few lines for a person: the contract, then each target."""
        en = lang.lower().startswith("en")
        if self.proposed:
            head = (f"Contract {self.contract_number}: {len(self.proposed)} settlement(s) proposed, {fmt_cny(self.total)}"
                    if en else f"合同 {self.contract_number}：已生成 {len(self.proposed)} 笔返利结算，共 "
                    f"{fmt_cny(self.total)}")
        elif not self.notes:
            head = (f"Contract {self.contract_number}: no sales targets, no rebate to settle" if en else
                    f"合同 {self.contract_number}：没有销售目标，无返利可结算")
        else:
            head = (f"Contract {self.contract_number}: nothing to settle now" if en else
                    f"合同 {self.contract_number}：目前没有可结算的返利")
        return "\n".join([head] + [f"- {n.message(lang)}" for n in self.notes])


def _next_tier(tiers: list[RebateTier], t: TargetExecution) -> dict[str, Any]:
    """The next tier above the target's achievement (threshold and rate), with the target and what is achieved."""
    above = sorted((r for r in tiers if r.min_achievement > t.achievement), key=lambda r: r.min_achievement)
    return {"next_tier": above[0].min_achievement if above else None, "next_rate": above[0].rate if above else None,
            "target_value": t.target.value, "actual": t.actual}


def _first_tier(tiers: list[RebateTier]) -> Decimal | None:
    return min((t.min_achievement for t in tiers), default=None)


def _nothing_due(t: TargetExecution, tiers: list[RebateTier], paid: Paid, today: date) -> NothingDue | None:
    if t.ends_on >= today:
        return NothingDue.RUNNING
    if paid.pending > ZERO or paid.pending_id is not None:
        return NothingDue.AWAITING
    if t.accrued_rebate - paid.approved > ZERO:
        return None
    if paid.approved > ZERO:
        return NothingDue.SETTLED
    if not tiers:
        return NothingDue.NO_TIERS
    if t.rebate_rate <= ZERO:
        return NothingDue.BELOW_TIER
    return NothingDue.NO_AMOUNT


async def propose_settlements(uow: AbstractUnitOfWork, actor: Actor, contract_id: int,
                              clock: Clock) -> RebateProposal:
    """Per target whose period has ended: a proposal for what it earned and was not paid yet (none while
    one is open); for every target a note saying what was proposed or why nothing."""
    if actor.kind != ActorKind.SYSTEM and not ({Permission.CONTRACT_WRITE, Permission.ACCOUNT_POST}
                                               & actor.permissions):
        raise PermissionDenied()
    execution = await contract_execution(uow, actor, contract_id, clock)
    today = clock.today()
    proposed: list[RebateSettlement] = []
    notes: list[TargetNote] = []
    async with uow:
        # locked: two runs at once must not both propose the same target
        contract = await _load(uow, actor, contract_id, for_update=True)
        if contract.status in (ContractStatus.DRAFT, ContractStatus.SENT, ContractStatus.TERMINATED):
            raise InvalidTransition(zh="合同未签署或已终止，不能结算返利",
                                    en="The contract is not signed or was terminated: no rebate to settle")
        paid = paid_by_target(await uow.rebate_settlements.list(dealer_id=contract.dealer_id,
                                                                contract_number=contract.number))
        first_tier = _first_tier(contract.rebate_tiers)
        for t in execution.targets:
            key = target_key(t.target)
            so_far = paid.get((contract.number, key), Paid())
            reason = _nothing_due(t, contract.rebate_tiers, so_far, today)
            due = money(t.accrued_rebate - so_far.approved) if reason is None else ZERO
            notes.append(TargetNote(contract.number, t.target, t.ends_on, t.achievement, first_tier,
                                    t.accrued_rebate, so_far.approved, so_far.pending, due, reason))
            if reason is not None:
                continue
            row = RebateSettlement(contract_id=contract_id, contract_number=contract.number,
                                   dealer_id=contract.dealer_id, period=t.target.period, period_end=t.ends_on,
                                   achieved_amount=t.actual_amount, achievement=t.achievement, rate=t.rebate_rate,
                                   amount=due, proposed_by=actor.label, created_at=clock.now(), target_key=key,
                                   product_group=t.target.product_group, metric=t.target.metric,
                                   accrued_amount=t.accrued_rebate)
            await uow.rebate_settlements.add(row)
            await uow.flush()
            await record(uow, actor, "rebate.propose", "rebate_settlement", row.id, clock, after=snapshot(row))
            proposed.append(row)
        if proposed:
            await uow.commit()
    return RebateProposal(contract.number, tuple(proposed), tuple(notes))


@dataclass(frozen=True)
class PendingSettlement:
    """A proposal awaiting finance's decision, as a list shows it."""

    settlement: RebateSettlement
    dealer_code: str
    dealer_name: str

    def summary(self, lang: str = "zh") -> str:
        s = self.settlement
        label = target_label(s.period, s.product_group, s.metric, lang)
        if lang.lower().startswith("en"):
            return (f"{self.dealer_code} {self.dealer_name}, contract {s.contract_number} {label}: "
                    f"{fmt_cny(s.amount)} (earned {fmt_cny(s.accrued_amount)}, {_pct(s.achievement)} achieved)")
        return (f"{self.dealer_code} {self.dealer_name}，合同 {s.contract_number} {label}：{fmt_cny(s.amount)}"
                f"（应计 {fmt_cny(s.accrued_amount)}，达成 {_pct(s.achievement)}）")


async def list_pending_settlements(uow: AbstractUnitOfWork, actor: Actor) -> list[PendingSettlement]:
    """Rebate settlements awaiting approval, oldest first (ACCOUNT_POST: finance's lists)."""
    require(actor, Permission.ACCOUNT_POST)
    async with uow:
        rows = await uow.rebate_settlements.list(status=SettlementStatus.PROPOSED, order_by="id")
        dealers = {d.id: d for d in await uow.dealers.list(id__in=sorted({r.dealer_id for r in rows}))} if rows else {}
    return [PendingSettlement(r, dealers[r.dealer_id].code if r.dealer_id in dealers else str(r.dealer_id),
                              dealers[r.dealer_id].name if r.dealer_id in dealers else "") for r in rows]


SETTLED_CONTRACT_STATUSES = (ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED)


async def propose_due(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                      numbers: Iterable[str] | None = None) -> list[RebateProposal]:
    """``propose_settlements`` for the latest signed version of every contract (or of ``numbers``): what
    finance runs after a period ends. An unknown number raises NotFound before anything is proposed."""
    if actor.kind != ActorKind.SYSTEM and not ({Permission.CONTRACT_WRITE, Permission.ACCOUNT_POST}
                                               & actor.permissions):
        raise PermissionDenied()
    wanted = sorted({n.strip() for n in numbers or () if n.strip()})
    async with uow:
        filters: dict[str, Any] = {"status__in": list(SETTLED_CONTRACT_STATUSES)}
        if wanted:
            filters["number__in"] = wanted
        contracts = await uow.contracts.list(order_by="version", **filters)
    latest = {c.number: c for c in contracts}
    missing = [n for n in wanted if n not in latest]
    if missing:
        raise NotFound(zh=f"未找到已签署的合同：{'、'.join(missing)}", en=f"No signed contract: {', '.join(missing)}",
                       what=", ".join(missing))
    return [await propose_settlements(uow, actor, c.id or 0, clock)
            for c in sorted(latest.values(), key=lambda c: c.id or 0)]


def _ledger_ref(row: RebateSettlement) -> str:
    ref = f"{row.contract_number}/{row.period}"
    if row.product_group:
        ref += f"/{row.product_group}"
    if row.metric == TargetMetric.QUANTITY:
        ref += "/qty"
    return ref[:64]


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
        if cmd.approve and row.target_key:
            # never pay a target more than it had earned: another approval may have come in between
            paid = paid_by_target(await uow.rebate_settlements.list(
                dealer_id=row.dealer_id, contract_number=row.contract_number, target_key=row.target_key,
                status=SettlementStatus.APPROVED))
            approved = paid.get((row.contract_number, row.target_key), Paid()).approved
            if approved + row.amount > row.accrued_amount:
                raise InvalidTransition(
                    zh=f"该目标已结算 {fmt_cny(approved)}，再批准 {fmt_cny(row.amount)} 将超过应计 "
                       f"{fmt_cny(row.accrued_amount)}：请驳回后重新计算",
                    en=f"{fmt_cny(approved)} of this target is settled already; approving {fmt_cny(row.amount)} "
                       f"more would pay above the {fmt_cny(row.accrued_amount)} it earned: reject it and propose again")
        before = snapshot(row)
        row.status = SettlementStatus.APPROVED if cmd.approve else SettlementStatus.REJECTED
        row.decided_by, row.decided_at, row.note = actor.label, clock.now(), cmd.note.strip()[:500]
        if cmd.approve:
            entry = LedgerEntry(dealer_id=row.dealer_id, account=AccountKind.REBATE, amount=money(row.amount),
                                kind=EntryKind.REBATE_SETTLEMENT, ref=_ledger_ref(row),
                                note="返利结算 rebate settlement", created_by=actor.label, created_at=clock.now())
            await uow.ledger.add(entry)
            await uow.flush()
            await record(uow, actor, "ledger.post", "ledger_entry", entry.id, clock, after=snapshot(entry))
            await notify.tell_dealer(uow, row.dealer_id, notify.Notice(
                "rebate.settled", Category.CONTRACT,
                {"number": row.contract_number, "amount": fmt_cny(row.amount),
                 "period": notify.localized(target_label(row.period, row.product_group, row.metric, "zh"),
                                            target_label(row.period, row.product_group, row.metric, "en"))}),
                f"{row.id}", clock, exclude=actor)
        await record(uow, actor, "rebate.approve" if cmd.approve else "rebate.reject", "rebate_settlement", row.id,
                     clock, before=before, after=snapshot(row))
        await uow.commit()
        return row


@dataclass(frozen=True)
class RebateLine:
    """One target: what it has earned (``amount``), what of it is settled or awaiting approval, and when."""

    contract_number: str
    period: str
    achievement: Decimal
    rate: Decimal
    amount: Decimal              # earned by the target in all (now while it runs; at settlement otherwise)
    state: str                   # "accruing" (period running), "due", "proposed", "approved" or "none"
    product_group: str | None = None
    metric: TargetMetric = TargetMetric.AMOUNT
    settled: Decimal = ZERO      # approved settlements
    pending: Decimal = ZERO      # awaiting approval
    ends_on: date | None = None  # the target's last day: settled after it, once finance approves
    first_tier: Decimal | None = None
    achieved_amount: Decimal = ZERO   # the sales (CNY) the rate applies to
    tier: Decimal | None = None       # the threshold of the tier reached (its rate is ``rate``); None: none reached
    next_tier: Decimal | None = None  # the threshold of the next tier above the achievement; None: the top reached
    next_rate: Decimal | None = None  # that tier's rate
    target_value: Decimal | None = None   # the target, in its metric (CNY or units)
    actual: Decimal = ZERO                # achieved so far, in the target's metric

    @property
    def short_of_next(self) -> Decimal | None:
        """How much more (units, rounded up, or CNY) reaches the next tier ("还差多少台拿返利"); None when there is
        no next tier or no target to count it from."""
        if self.next_tier is None or self.target_value is None:
            return None
        missing = self.next_tier * self.target_value - self.actual
        if self.metric == TargetMetric.QUANTITY:
            return Decimal(max(math.ceil(missing), 0))
        return max(money(missing), ZERO)

    @property
    def outstanding(self) -> Decimal:
        """Earned and not paid yet (the part awaiting approval included)."""
        return max(money(self.amount - self.settled), ZERO)


@dataclass(frozen=True)
class RebateStatement:
    dealer_id: int
    lines: tuple[RebateLine, ...]
    balance: Decimal             # rebate account now
    settled_total: Decimal       # every approved settlement
    accruing_total: Decimal      # earned and not settled yet: running periods, due, awaiting approval
    pending_total: Decimal = ZERO  # of which awaiting approval


def _state(t: TargetExecution, paid: Paid, today: date) -> str:
    if t.ends_on >= today:
        return "accruing"
    if paid.pending > ZERO:
        return SettlementStatus.PROPOSED.value
    if t.accrued_rebate - paid.approved > ZERO:
        return "due"
    return SettlementStatus.APPROVED.value if paid.approved > ZERO else "none"


async def rebate_statement(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock) -> RebateStatement:
    """Per target of the dealer's contracts (the latest signed version of each): earned so far, settled,
    awaiting approval; settlements of targets no contract version has any more; the account balance."""
    async with uow:
        _require_reader(actor, dealer_id, await dealer_family(uow, actor, about=dealer_id))
        contracts = await uow.contracts.list(dealer_id=dealer_id, status__in=[
            ContractStatus.SIGNED, ContractStatus.ACTIVE, ContractStatus.EXPIRED], order_by="version")
        settlements = await uow.rebate_settlements.list(dealer_id=dealer_id, order_by="id")
        balance = (await uow.balances(dealer_id, AccountKind.REBATE)).rebate
    latest = {c.number: c for c in contracts}                 # ordered by version: the last one wins
    paid = paid_by_target(settlements)
    lines: list[RebateLine] = []
    shown: set[tuple[str, str]] = set()
    today = clock.today()
    for contract in sorted(latest.values(), key=lambda c: c.id or 0):
        assert contract.id is not None
        execution = await contract_execution(uow, Actor.system(), contract.id, clock)
        first_tier = _first_tier(contract.rebate_tiers)
        for t in execution.targets:
            key = (contract.number, target_key(t.target))
            so_far = paid.get(key, Paid())
            shown.add(key)
            lines.append(RebateLine(contract.number, t.target.period, t.achievement, t.rebate_rate, t.accrued_rebate,
                                    _state(t, so_far, today), t.target.product_group, t.target.metric,
                                    so_far.approved, so_far.pending, t.ends_on, first_tier, t.actual_amount,
                                    tier_reached(contract.rebate_tiers, t.achievement),
                                    **_next_tier(contract.rebate_tiers, t)))
    for s in reversed(settlements):       # the newest settlement of a target no contract shows any more
        key = (s.contract_number, settlement_key(s))
        if key in shown or s.status == SettlementStatus.REJECTED:
            continue
        shown.add(key)
        so_far = paid[key]
        state = SettlementStatus.PROPOSED.value if so_far.pending > ZERO else SettlementStatus.APPROVED.value
        lines.append(RebateLine(s.contract_number, s.period, s.achievement, s.rate,
                                max(s.accrued_amount, so_far.approved + so_far.pending), state, s.product_group,
                                s.metric, so_far.approved, so_far.pending, s.period_end,
                                achieved_amount=s.achieved_amount))
    settled = sum((p.approved for p in paid.values()), ZERO)
    accruing = sum((ln.outstanding for ln in lines), ZERO)
    pending = sum((ln.pending for ln in lines), ZERO)
    return RebateStatement(dealer_id, tuple(lines), money(balance), money(settled), money(accruing), money(pending))
