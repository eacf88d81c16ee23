"""A dealer changes its submitted order (core.services.order_changes): re-priced and re-checked as a submit, the
old charge given back, version bumped, audited, the order desk told; refused once approved or for another dealer."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.accounts import EntryKind
from core.errors import BelowMinimumOrder, Conflict, NotFound, ValidationFailed
from core.order_states import CREDIT_SHORTFALL
from core.orders import OrderStatus
from core.services import order_changes as ch
from core.services.orders import ApproveOrder, approve_order
from core.users import Role, User
from tests.factories import staff
from tests.fakes import FakeUnitOfWork
from tests.unit.test_orders import CLOCK, OWNER_1, OWNER_2, _balances, _submit, uow  # noqa: F401

D = Decimal


async def test_a_change_is_priced_like_a_submit_with_the_old_charge_given_back(uow: FakeUnitOfWork) -> None:  # noqa: F811
    desk = await uow.users.add(User(username="desk", display_name="张", role=Role.ORDER_DESK))
    await uow.commit()
    order = await _submit(uow)                              # AP-100 ×2 (900) + AP-200 ×1 (500) = 2300
    cmd = ch.ChangeOrder(order.number, [("AP-100", 10), ("AP-200", 1)], expected_version=order.version)
    quote = await ch.quote_change(uow, OWNER_1, cmd, CLOCK)
    assert quote.total == D("9500.00") and quote.can_submit and not quote.approval_reasons   # 10000 covers it
    assert (await _balances(uow)).prepayment == D("7700.00")          # the quote wrote nothing
    changed = await ch.change_order(uow, OWNER_1, cmd, CLOCK)
    assert changed.status == OrderStatus.SUBMITTED and changed.version == order.version + 1
    assert [(ln.sku, ln.qty) for ln in changed.lines] == [("AP-100", 10), ("AP-200", 1)]
    assert changed.total == D("9500.00") and changed.paid_from_prepayment == D("9500.00")
    assert not changed.needs_approval
    assert (await _balances(uow)).prepayment == D("500.00")
    kinds = [e.kind for e in await uow.ledger.list(ref=order.number)]
    assert kinds == [EntryKind.ORDER_CHARGE, EntryKind.ORDER_REFUND, EntryKind.ORDER_CHARGE]
    assert changed.events[-1].note == "改单：AP-100 2→10"
    audit = (await uow.audit.list(action="order.change"))[-1]
    assert audit.before["lines"] == ["AP-100×2", "AP-200×1"] and audit.after["lines"] == ["AP-100×10", "AP-200×1"]
    told = [m for m in uow.outbox.rows if m.kind == "order.changed"]
    assert [m.user_id for m in told] == [desk.id] and told[0].params["changes"] == [["AP-100", 2, 10]]
    assert told[0].params["was"] == "¥2,300.00" and told[0].params["total"] == "¥9,500.00"


async def test_over_the_funds_needs_approval_and_below_minimum_is_refused(uow: FakeUnitOfWork) -> None:  # noqa: F811
    order = await _submit(uow)
    over = await ch.change_order(uow, OWNER_1, ch.ChangeOrder(order.number, [("AP-100", 12)]), CLOCK)
    assert over.approval_reasons == [CREDIT_SHORTFALL] and over.total == D("10800.00")
    with pytest.raises(BelowMinimumOrder):                  # AP-100's minimum is 2
        await ch.change_order(uow, OWNER_1, ch.ChangeOrder(over.number, [("AP-100", 1)]), CLOCK)
    kept = await uow.orders.get_by(number=order.number)
    assert kept is not None and kept.version == over.version and [(ln.sku, ln.qty) for ln in kept.lines] == [
        ("AP-100", 12)]
    with pytest.raises(ValidationFailed):                   # nothing changed: nothing to write
        await ch.change_order(uow, OWNER_1, ch.ChangeOrder(order.number, [("AP-100", 12)]), CLOCK)


async def test_refused_once_approved_for_another_dealer_or_an_old_version(uow: FakeUnitOfWork) -> None:  # noqa: F811
    order = await _submit(uow)
    with pytest.raises(NotFound):
        await ch.change_order(uow, OWNER_2, ch.ChangeOrder(order.number, [("AP-100", 4)]), CLOCK)
    first = await ch.change_order(uow, OWNER_1, ch.ChangeOrder(order.number, [("AP-100", 4)], 1), CLOCK)
    with pytest.raises(Conflict):                           # the dealer's screen showed version 1
        await ch.change_order(uow, OWNER_1, ch.ChangeOrder(order.number, [("AP-100", 6)], 1), CLOCK)
    await approve_order(uow, staff(Role.ORDER_DESK, "desk"), ApproveOrder(first.number), CLOCK)
    with pytest.raises(Conflict) as refused:
        await ch.change_order(uow, OWNER_1, ch.ChangeOrder(order.number, [("AP-100", 6)]), CLOCK)
    assert refused.value.params["reason"] == "not_submitted" and "不能再修改" in refused.value.zh
    assert not ch.changeable(await uow.orders.get_by(number=order.number))  # type: ignore[arg-type]


def test_line_changes_name_added_set_and_removed_lines() -> None:
    assert ch.line_changes([("A", 2), ("B", 1)], [("A", 5), ("C", 3)]) == [
        ch.LineChange("A", 2, 5), ch.LineChange("B", 1, 0), ch.LineChange("C", 0, 3)]
