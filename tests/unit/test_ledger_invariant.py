"""The ledger invariant, with hypothesis: for any sequence of orders (submitted, cancelled, rejected),
payments, refunds (above the threshold approved by a second person), manual adjustments, rebate
settlements, credit repayments and reversals of any entry, booked through the real use cases:

- every account's balance (as ``dealer_balances`` reads it) is the sum of its entries and what an
  independent model of the accepted operations expects;
- the prepayment, deposit and rebate accounts never go below zero; a refund, an adjustment or a reversal
  is refused exactly when it would take one there (or the credit account, credit used, above zero);
- what open orders hold (``frozen``) is what they were charged;
- an entry is reversed at most once; order entries and reversals are never reversed by hand;
- cancelling every open order and reversing everything else brings every account back to zero.

Orders are booked as the order use cases book them (``core.ledger.plan_payment`` / ``charge_entries`` /
``refund_entries``); the order services themselves need a catalogue and stock, which add nothing here.
"""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.accounts import AccountKind, EntryKind, LedgerEntry
from core.errors import InvalidTransition, ValidationFailed
from core.ledger import Balances, charge_entries, plan_payment, refund_entries
from core.money import ZERO, money
from core.orders import Order, OrderStatus
from core.services import payments as svc
from core.services.accounts import PostEntry, post_entry
from core.users import Role, User
from tests.factories import fixed_clock, make_dealer
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-12-04 10:00")
LIMIT = Decimal("50000.00")
FIRST = User(username="qian", display_name="钱会计", role=Role.FINANCE, id=1).to_actor()
SECOND = User(username="wu", display_name="吴出纳", role=Role.FINANCE, id=2).to_actor()
PAYABLE = (AccountKind.PREPAYMENT, AccountKind.DEPOSIT)
NOT_BELOW_ZERO = (AccountKind.PREPAYMENT, AccountKind.DEPOSIT, AccountKind.REBATE)

amounts = st.integers(min_value=1, max_value=3_000_000).map(lambda cents: money(Decimal(cents) / 100))
signed = st.tuples(amounts, st.booleans()).map(lambda p: p[0] if p[1] else -p[0])
steps = st.lists(st.one_of(
    st.tuples(st.just("pay"), st.sampled_from(PAYABLE), amounts),
    st.tuples(st.just("order"), amounts),
    st.tuples(st.just("cancel"), st.integers(0, 30)),
    st.tuples(st.just("reject"), st.integers(0, 30)),
    st.tuples(st.just("refund"), st.sampled_from(PAYABLE), amounts),
    st.tuples(st.just("adjust"), st.sampled_from(list(AccountKind)), signed),
    st.tuples(st.just("rebate"), amounts),
    st.tuples(st.just("repay"), amounts),
    st.tuples(st.just("reverse"), st.integers(0, 60)),
), max_size=30)


class Model:
    """What the balances must be, from the operations the use cases accepted (no ledger arithmetic)."""

    def __init__(self) -> None:
        self.balance = {account: ZERO for account in AccountKind}

    def allows(self, account: AccountKind, delta: Decimal) -> bool:
        after = self.balance[account] + delta
        if account == AccountKind.CREDIT:
            return delta <= ZERO or after <= ZERO
        return delta >= ZERO or after >= ZERO

    def add(self, account: AccountKind, delta: Decimal) -> None:
        self.balance[account] = money(self.balance[account] + delta)


async def _world() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", credit_limit=LIMIT))
    for actor in (FIRST, SECOND):
        await uow.users.add(User(username=actor.name, display_name=actor.name, role=Role.FINANCE))
    await uow.commit()
    return uow


async def _balances(uow: FakeUnitOfWork) -> Balances:
    return Balances.from_entries(await uow.ledger.list(dealer_id=1))


async def _submit(uow: FakeUnitOfWork, total: Decimal, model: Model) -> None:
    async with uow:
        plan = plan_payment(total, await _balances(uow), LIMIT)
        number = await uow.next_number("SO", date(2026, 12, 4))
        for entry in charge_entries(plan, 1, number, "dealer:1:li", CLOCK.now()):
            await uow.ledger.add(entry)
            model.add(entry.account, entry.amount)
        await uow.orders.add(Order(number=number, dealer_id=1, total=total, paid_from_rebate=plan.from_rebate,
                                   paid_from_prepayment=plan.from_prepayment, paid_from_credit=plan.from_credit,
                                   created_at=CLOCK.now()))
        await uow.commit()


async def _close(uow: FakeUnitOfWork, index: int, status: OrderStatus, model: Model) -> None:
    async with uow:
        orders = await uow.orders.list(order_by="id")
        if not orders:
            return
        order = orders[index % len(orders)]
        if order.status != OrderStatus.SUBMITTED:      # cancelled or rejected already: refunded once only
            return
        order.status = status
        for entry in refund_entries(order, "staff:desk", CLOCK.now()):
            await uow.ledger.add(entry)
            model.add(entry.account, entry.amount)
        await uow.commit()


async def _adjust(uow: FakeUnitOfWork, account: AccountKind, amount: Decimal, kind: str, model: Model) -> None:
    delta = -amount if kind == "refund" else amount
    try:
        outcome = await svc.request_adjustment(uow, FIRST, svc.RequestAdjustment(1, account, amount, kind, "测试"),
                                               CLOCK, threshold=svc.DEFAULT_APPROVAL_THRESHOLD)
    except ValidationFailed:
        assert not model.allows(account, delta), (kind, account, amount, model.balance)
        return
    assert model.allows(account, delta)
    if outcome.request is not None:           # above the threshold: the second person decides
        assert abs(amount) > svc.DEFAULT_APPROVAL_THRESHOLD
        try:
            await svc.decide_finance_request(uow, SECOND, outcome.request.id or 0, True, "", CLOCK)
        except ValidationFailed:
            raise AssertionError("nothing moved in between: approval must pass the same check") from None
    model.add(account, delta)


async def _post(uow: FakeUnitOfWork, account: AccountKind, amount: Decimal, kind: EntryKind, model: Model) -> None:
    try:
        await post_entry(uow, FIRST, PostEntry(1, account, amount, kind, note="测试"), CLOCK)
    except ValidationFailed:
        assert kind == EntryKind.CREDIT_REPAYMENT and amount > -model.balance[AccountKind.CREDIT]
        return
    model.add(account, amount)


async def _reverse(uow: FakeUnitOfWork, entry: LedgerEntry, model: Model) -> bool:
    reversed_ids = {e.reverses_id for e in await uow.ledger.list() if e.reverses_id is not None}
    try:
        await svc.reverse_entry(uow, SECOND, entry.id or 0, "记错了", CLOCK)
    except InvalidTransition:
        assert entry.kind in (EntryKind.ORDER_CHARGE, EntryKind.ORDER_REFUND, EntryKind.REVERSAL) \
            or entry.id in reversed_ids
        return False
    except ValidationFailed:
        assert not model.allows(entry.account, -entry.amount)
        return False
    assert entry.kind not in (EntryKind.ORDER_CHARGE, EntryKind.ORDER_REFUND, EntryKind.REVERSAL)
    assert entry.id not in reversed_ids and model.allows(entry.account, -entry.amount)
    model.add(entry.account, -entry.amount)
    return True


async def _check(uow: FakeUnitOfWork, model: Model) -> None:
    entries = await uow.ledger.list(dealer_id=1)
    read = await svc.dealer_balances(uow, FIRST, 1, CLOCK)
    for position in read.accounts:
        summed = money(sum((e.amount for e in entries if e.account == position.account), ZERO))
        assert position.balance == summed == model.balance[position.account], position
    for account in NOT_BELOW_ZERO:
        assert model.balance[account] >= ZERO, account
    # the credit account may end above zero (an order charged on credit, the credit repaid, then the order
    # cancelled: the refund goes back to credit); payments' own use cases never push it there
    open_orders = [o for o in await uow.orders.list() if o.status == OrderStatus.SUBMITTED]
    frozen = {p.account: p.frozen for p in read.accounts}
    assert frozen[AccountKind.PREPAYMENT] == sum((o.paid_from_prepayment for o in open_orders), ZERO)
    assert frozen[AccountKind.REBATE] == sum((o.paid_from_rebate for o in open_orders), ZERO)
    assert frozen[AccountKind.CREDIT] == sum((o.paid_from_credit for o in open_orders), ZERO)
    targets = [e.reverses_id for e in entries if e.kind == EntryKind.REVERSAL]
    assert len(targets) == len(set(targets)) and None not in targets


async def _undo_everything(uow: FakeUnitOfWork, model: Model) -> None:
    """Cancel the open orders, then reverse every entry not reversed yet: first those whose reversal moves an
    account away from its bound (a refund, a debit), then the rest; every reversal must be accepted."""
    for index, order in enumerate(await uow.orders.list(order_by="id")):
        if order.status == OrderStatus.SUBMITTED:
            await _close(uow, index, OrderStatus.CANCELLED, model)
    entries = await uow.ledger.list(order_by="id", desc=True)
    done = {e.reverses_id for e in entries if e.reverses_id is not None}
    left = [e for e in entries if e.kind not in svc.NOT_REVERSIBLE and e.id not in done]

    def safe_first(e: LedgerEntry) -> bool:   # reversing it only moves the account away from its bound
        return e.amount > ZERO if e.account == AccountKind.CREDIT else e.amount < ZERO

    for entry in [e for e in left if safe_first(e)] + [e for e in left if not safe_first(e)]:
        assert await _reverse(uow, entry, model), entry
    await _check(uow, model)
    assert all(b == ZERO for b in model.balance.values()), model.balance


async def _run(plan: list[tuple[object, ...]]) -> None:
    uow = await _world()
    model = Model()
    for n, step in enumerate(plan):
        match step:
            case ("pay", AccountKind() as account, Decimal() as amount):     # each its own bank slip
                await svc.record_payment(uow, FIRST, svc.RecordPayment(1, account, amount, "bank_transfer", f"R{n}",
                                                                        CLOCK.today()), CLOCK)
                # money paid into prepayment repays credit used first (QA s26 #2)
                repaid = svc.credit_repayment_of(amount, account, model.balance[AccountKind.CREDIT])
                model.add(account, amount - repaid)
                model.add(AccountKind.CREDIT, repaid)
            case ("order", Decimal() as total):
                await _submit(uow, total, model)
            case ("cancel", int() as index):
                await _close(uow, index, OrderStatus.CANCELLED, model)
            case ("reject", int() as index):
                await _close(uow, index, OrderStatus.REJECTED, model)
            case ("refund", AccountKind() as account, Decimal() as amount):
                await _adjust(uow, account, amount, "refund", model)
            case ("adjust", AccountKind() as account, Decimal() as amount):
                await _adjust(uow, account, amount, "adjustment", model)
            case ("rebate", Decimal() as amount):
                await _post(uow, AccountKind.REBATE, amount, EntryKind.REBATE_SETTLEMENT, model)
            case ("repay", Decimal() as amount):
                await _post(uow, AccountKind.CREDIT, amount, EntryKind.CREDIT_REPAYMENT, model)
            case ("reverse", int() as index):
                entries = await uow.ledger.list(order_by="id")
                if entries:
                    await _reverse(uow, entries[index % len(entries)], model)
        await _check(uow, model)
    await _undo_everything(uow, model)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(steps)
def test_the_ledger_invariant_holds_for_any_sequence(plan: list[tuple[object, ...]]) -> None:
    asyncio.run(_run(plan))


def test_the_invariant_test_can_fail() -> None:
    """A ledger that lets a refund through below zero is caught (the check is not vacuous)."""
    async def run() -> None:
        uow = await _world()
        model = Model()
        await uow.ledger.add(LedgerEntry(dealer_id=1, account=AccountKind.PREPAYMENT, amount=Decimal("-1.00"),
                                         kind=EntryKind.REFUND, created_at=CLOCK.now()))
        model.add(AccountKind.PREPAYMENT, Decimal("-1.00"))
        await _check(uow, model)

    try:
        asyncio.run(run())
    except AssertionError:
        return
    raise AssertionError("a prepayment below zero went unnoticed")

