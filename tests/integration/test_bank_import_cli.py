"""``dms payments import`` on SQLite and PostgreSQL: a GBK bank export with a title row, an outgoing row,
a broken row and a total row, imported twice, books each payment once; the unmatched row is listed,
assigned to a dealer and booked once."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from bot.bootstrap import App
from core.accounts import AccountKind, EntryKind
from core.services.dealers import CreateDealer, create_dealer
from core.uscc import make_uscc
from core.users import Actor, Role, User
from tests.integration.test_cli import backend, database, invoke, migrated, runner, with_app  # noqa: F401

EXPORT = [
    ["中国工商银行 账户交易明细", "", "", "", "", ""],
    ["交易日期", "对方户名", "对方账号", "借方金额", "贷方金额", "摘要"],
    ["2026-12-01", "杭州绿源电器有限公司", "", "", "50,000.00", "货款"],
    ["2026-12-02", "王五", "", "", "12,345.60", "D0102 十二月货款"],
    ["2026-12-02", "电费", "", "3,000.00", "", "支出"],
    ["2026/12/03", "某某科技（上海）有限公司", "", "", "8,800.00", "转账"],
    ["2026-12-03", "坏行", "", "", "八千", ""],
    ["合计", "", "", "3,000.00", "71,145.60", ""],
]


async def _seed(application: App) -> None:
    for n, (code, name) in enumerate((("D0101", "杭州绿源电器有限公司"), ("D0102", "宁波安家电器有限公司")), start=1):
        await create_dealer(application.uow_factory(), Actor.system(), CreateDealer(
            code=code, name=name, uscc=make_uscc(f"{n:08d}"), province="浙江", city="杭州", region="华东", tier="B"),
            application.clock)
    async with application.uow_factory() as uow:
        await uow.users.add(User(username="wu", display_name="吴出纳", role=Role.FINANCE))
        await uow.commit()


async def _payments(application: App) -> list[tuple[str, Decimal]]:
    async with application.uow_factory() as uow:
        codes = {d.id: d.code for d in await uow.dealers.list()}
        return sorted((codes[e.dealer_id], e.amount) for e in await uow.ledger.list()
                      if e.kind == EntryKind.PAYMENT and e.account == AccountKind.PREPAYMENT)


def test_a_bank_file_twice_books_once_and_the_unmatched_row_is_assigned(runner: CliRunner, tmp_path: Path) -> None:  # noqa: F811
    migrated(runner)
    with_app(_seed)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(EXPORT)
    path = tmp_path / "h2bank_icbc.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))

    first = invoke(runner, "payments", "import", str(path), "--as", "wu")
    assert "-> D0101 杭州绿源电器有限公司  依据 by 付款人名称 (payer name)" in first.stdout
    assert "-> D0102 宁波安家电器有限公司  依据 by 摘要中的经销商编号" in first.stdout
    assert "第 7 行：金额“八千”不是有效金额" in first.stdout
    assert "(2 booked, 0 duplicates, 1 unmatched, 1 errors)" in first.stdout
    again = invoke(runner, "payments", "import", str(path), "--as", "wu")
    assert "(0 booked, 3 duplicates, 0 unmatched, 1 errors)" in again.stdout
    assert with_app(_payments) == [("D0101", Decimal("50000.00")), ("D0102", Decimal("12345.60"))]

    listed = invoke(runner, "payments", "unmatched", "--as", "wu")
    assert "某某科技（上海）有限公司  ¥8,800.00" in listed.stdout and "(1 unmatched)" in listed.stdout
    row_id = listed.stdout.split()[0]                      # "#3"
    invoke(runner, "payments", "assign", row_id, "d0101", "--as", "wu")
    twice = invoke(runner, "payments", "assign", row_id, "D0102", "--as", "wu", code=1)
    assert "已指定入账" in twice.stderr
    assert with_app(_payments) == [("D0101", Decimal("8800.00")), ("D0101", Decimal("50000.00")),
                                   ("D0102", Decimal("12345.60"))]
    assert "(0 unmatched)" in invoke(runner, "payments", "unmatched", "--as", "wu").stdout
    invoke(runner, "payments", "import", str(path), "--as", "nobody", code=1)
