"""core.services.bank_import: a bank file imported twice books each row once; unmatched rows wait,
one assigned is one payment, one ignored books nothing; a dealer's account number matches."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.accounts import AccountKind, EntryKind
from core.banking import BankRowStatus, Cell
from core.errors import InvalidTransition, PermissionDenied, ValidationFailed
from core.services import bank_import as svc
from core.users import Role, User
from tests.factories import fixed_clock, make_dealer, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-12-04 10:00")
WU = User(username="wu", display_name="吴出纳", role=Role.FINANCE, id=1).to_actor()

FILE: list[list[Cell]] = [
    ["招商银行交易明细", None, None, None, None],
    ["交易日期", "对方名称", "对方账号", "贷方金额", "摘要"],
    ["2026-12-01", "合肥新锐商贸有限公司", "", "50,000.00", "货款"],
    ["2026-12-02", "张三", "6222021001001234", "3,000.00", "转账"],
    ["2026-12-02", "李四", "", "1,200.00", "D0002 货款"],
    ["2026-12-03", "不认识的公司", "", "800.00", "转账"],
    ["2026-12-03", "另一个不认识的", "", "99.00", ""],
    ["2026-12-03", "坏行", "", "abc", ""],
    ["合计", None, None, "55,099.00", None],
]


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", name="合肥新锐商贸有限公司"))
    await uow.dealers.add(make_dealer(code="D0002", name="芜湖顺达贸易有限公司"))
    await uow.dealers.add(make_dealer(code="D0003", name="南京远航有限公司", payer_accounts="6222 0210 0100 1234"))
    await uow.commit()
    return uow


async def _payments(uow: FakeUnitOfWork) -> list[tuple[int, Decimal]]:
    return sorted((e.dealer_id, e.amount) for e in await uow.ledger.list()
                  if e.kind == EntryKind.PAYMENT and e.account == AccountKind.PREPAYMENT)


async def test_the_same_file_twice_books_each_row_once(uow: FakeUnitOfWork) -> None:
    first = await svc.import_bank_file(uow, WU, "cmb-12.csv", FILE, CLOCK)
    assert [(r.dealer_id, r.match_reason) for r in first.booked] == [
        (1, "name"), (3, "account"), (2, "reference_dealer_code")]
    assert [r.payer for r in first.unmatched] == ["不认识的公司", "另一个不认识的"]
    assert [e.row_number for e in first.errors] == [8] and first.skipped == 1
    assert await _payments(uow) == [(1, Decimal("50000.00")), (2, Decimal("1200.00")), (3, Decimal("3000.00"))]

    second = await svc.import_bank_file(uow, WU, "cmb-12 (1).csv", [["标题"], *FILE], CLOCK)
    assert (second.booked, second.unmatched, second.duplicates) == ([], [], 5)
    assert len(await _payments(uow)) == 3

    waiting, total = await svc.list_unmatched(uow, WU)
    assert total == 2 and [r.payer for r in waiting] == ["不认识的公司", "另一个不认识的"]

    assigned = await svc.assign_bank_row(uow, WU, waiting[0].id or 0, 2, CLOCK)
    assert assigned.status == BankRowStatus.ASSIGNED and assigned.decided_by
    assert (2, Decimal("800.00")) in await _payments(uow) and len(await _payments(uow)) == 4
    with pytest.raises(InvalidTransition):
        await svc.assign_bank_row(uow, WU, waiting[0].id or 0, 1, CLOCK)

    with pytest.raises(ValidationFailed):
        await svc.ignore_bank_row(uow, WU, waiting[1].id or 0, "  ", CLOCK)
    await svc.ignore_bank_row(uow, WU, waiting[1].id or 0, "银行利息", CLOCK)
    assert len(await _payments(uow)) == 4
    assert (await svc.list_unmatched(uow, WU))[1] == 0
    actions = [a.action for a in await uow.audit.list()]
    assert actions.count("bank.import") == 2 and "bank.assign" in actions and "bank.ignore" in actions


async def test_a_payment_dated_in_the_future_waits_for_a_person(uow: FakeUnitOfWork) -> None:
    summary = await svc.import_bank_file(uow, WU, "f.csv", [["日期", "付款人", "金额"],
                                                              ["2026-12-09", "合肥新锐商贸有限公司", "10"]], CLOCK)
    assert summary.booked == [] and "晚于今天" in summary.unmatched[0].note
    assert await _payments(uow) == []


async def test_only_finance_imports(uow: FakeUnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        await svc.import_bank_file(uow, staff(Role.ORDER_DESK, "desk"), "f.csv", FILE, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.list_unmatched(uow, staff(Role.ORDER_DESK, "desk"))
    assert date(2026, 12, 4) == CLOCK.today()
