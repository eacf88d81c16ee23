"""``dms statements issue`` on SQLite and PostgreSQL: issues a month once, says what it skipped and why,
refuses a month that has not ended and an unknown dealer without a traceback."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from typer.testing import CliRunner

from bot.bootstrap import App
from core.accounts import AccountKind, EntryKind, LedgerEntry, StatementStatus
from core.clock import SHANGHAI
from core.dealers import DealerStatus
from core.services.dealers import CreateDealer, create_dealer
from core.uscc import make_uscc
from core.users import Actor
from tests.integration.test_cli import backend, database, invoke, migrated, runner, with_app  # noqa: F401


async def _seed(application: App) -> None:
    for n, (code, name) in enumerate((("D0101", "杭州绿源电器有限公司"), ("D0102", "宁波安家电器有限公司")), start=1):
        dealer = await create_dealer(application.uow_factory(), Actor.system(), CreateDealer(
            code=code, name=name, uscc=make_uscc(f"{n:08d}"), province="浙江", city="杭州", region="华东", tier="B"),
            application.clock)
        async with application.uow_factory() as uow:
            stored = await uow.dealers.get(dealer.id or 0)
            assert stored is not None
            stored.status = DealerStatus.ACTIVE          # statements go to active dealers
            await uow.commit()
        if code == "D0101":
            async with application.uow_factory() as uow:
                await uow.ledger.add(LedgerEntry(dealer_id=dealer.id or 0, account=AccountKind.PREPAYMENT,
                                                 amount=Decimal("8800.00"), kind=EntryKind.PAYMENT, ref="BANK-1",
                                                 created_by="staff:wu",
                                                 created_at=datetime(2026, 11, 8, 10, tzinfo=SHANGHAI)))
                await uow.commit()


async def _statements(application: App) -> list[tuple[int, str, StatementStatus, Decimal]]:
    async with application.uow_factory() as uow:
        return [(s.dealer_id, s.period, s.status, s.closing_balance) for s in await uow.statements.list()]


def test_issue_a_month_once(runner: CliRunner) -> None:  # noqa: F811
    migrated(runner)
    with_app(_seed)
    first = invoke(runner, "statements", "issue", "--period", "2026-11")
    assert "已出具 issued  D0101  2026-11  期末 closing ¥8,800.00" in first.stdout
    assert "跳过 skipped  D0102  本期无发生额且无余额" in first.stdout and "(1 issued, 1 skipped)" in first.stdout
    again = invoke(runner, "statements", "issue", "--period", "2026-11", "--dealer", "d0101")
    assert "跳过 skipped  D0101  已出具 (already issued)" in again.stdout and "(0 issued, 1 skipped)" in again.stdout
    [(_, period, status, closing)] = with_app(_statements)
    assert (period, status, closing) == ("2026-11", StatementStatus.ISSUED, Decimal("8800.00"))
    rebuilt = invoke(runner, "statements", "issue", "--period", "2026-11", "--dealer", "D0101", "--again")
    assert "(1 issued, 0 skipped)" in rebuilt.stdout and len(with_app(_statements)) == 1

    future = invoke(runner, "statements", "issue", "--period", "2099-01", code=1)
    assert "尚未结束" in future.stderr and "has not ended" in future.stderr
    bad = invoke(runner, "statements", "issue", "--period", "2026-13", code=1)
    assert "2026-11 这样" in bad.stderr
    unknown = invoke(runner, "statements", "issue", "--period", "2026-11", "--dealer", "NOPE", code=1)
    assert "未找到经销商 NOPE" in unknown.stderr
