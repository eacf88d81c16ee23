"""``dms import`` for the data migration kinds (contacts, qualifications, prices, historical orders,
sell-out) and ``dms export templates``, on SQLite and PostgreSQL like tests/integration/test_cli.py.

Every kind: broken rows reported with their row numbers, duplicates in the file and against the
database, ``--dry-run`` writes nothing, re-importing the file changes nothing.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bot.bootstrap import App
from core.migration import SPECS, ImportKind
from core.uscc import make_uscc
from tests.integration.test_cli import (  # noqa: F401  (fixtures: the database per test, both backends)
    backend,
    database,
    invoke,
    migrated,
    with_app,
    write,
)

PRODUCTS = "sku,name,aliases,category,unit,list_price\nAP300,空气净化器 AP300,,净化器,台,1999\nDH20,除湿机 DH20,,除湿机,台,1899\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def _dealers() -> str:
    return ("code,name,uscc,province,city,region,tier,contact_name,contact_phone,contact_role\n"
            f"D001,上海一号商贸,{make_uscc(101)},上海,上海,华东,A,张三,13800000001,老板\n"
            f"D002,杭州二号商贸,{make_uscc(102)},浙江,杭州,华东,B,,,\n")


def seeded(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    invoke(runner, "import", "products", str(write(tmp_path / "p.csv", PRODUCTS)))
    invoke(runner, "import", "dealers", str(write(tmp_path / "d.csv", _dealers())))


async def _counts(application: App) -> dict[str, int]:
    async with application.uow_factory() as uow:
        dealers = await uow.dealers.list()
        return {
            "contacts": sum(len(d.contacts) for d in dealers),
            "qualifications": await uow.qualifications.count(),
            "prices": await uow.tier_prices.count() + await uow.dealer_prices.count(),
            "orders": await uow.orders.count(),
            "sellout": await uow.sellout.count(),
            "audit": await uow.audit.count(),
            "ledger": await uow.ledger.count(),
            "stock": await uow.stock.count(),
        }


def counts() -> dict[str, int]:
    return with_app(_counts)


# kind -> (file text, bad rows in order, what a good import creates, how many are duplicates of the db)
CASES: dict[str, tuple[str, list[int], int]] = {
    "contacts": (
        "dealer_code,name,phone,role\n"
        "D001,张三,13800000001,老板\n"            # row 2: already there through the dealer import
        "D001,李四,021-12345678,采购\n"           # row 3: new
        "D001,张三又一次,138 0000 0001,\n"         # row 4: duplicates row 2 (same dealer + phone)
        "D999,王五,13800000002,\n"                # row 5: unknown dealer
        "D002,赵六,12345,\n"                      # row 6: bad phone
        "D002,钱七,13900000003,财务\n",           # row 7: new
        [4, 5, 6], 2),
    "qualifications": (
        "dealer_code,doc_type,number,issued_on,expires_on,status\n"
        "D001,营业执照,91310000A,2020-01-01,,approved\n"
        "D001,business_license,91310000A,2020-01-01,,\n"       # row 3: duplicate key of row 2
        "D001,operating_permit,XK-1,2024/3/1,2027年3月1日,\n"
        "D002,passport,P1,,,\n"                                # row 5: unknown doc type
        "D002,authorization,SQ-2,2025-13-01,,\n"               # row 6: bad date
        "D002,authorization,SQ-3,2026-01-01,2025-01-01,\n"     # row 7: expires before issued
        "D009,authorization,SQ-4,,,\n",                         # row 8: unknown dealer
        [3, 5, 6, 7, 8], 2),
    "prices": (
        "sku,price,tier,dealer_code\n"
        "AP300,1500.00,A,\n"
        "AP300,1600,B,\n"
        "AP300,1450.5,,D001\n"
        "AP300,1400,A,\n"              # row 5: duplicate of row 2
        "DH20,1500,A,D001\n"           # row 6: both tier and dealer
        "ZZ99,10,A,\n"                 # row 7: unknown product
        "DH20,-3,B,\n"                 # row 8: negative
        "DH20,1200,,D404\n",           # row 9: unknown dealer
        [5, 6, 7, 8, 9], 3),
    "orders": (
        "order_number,order_date,dealer_code,status,sku,qty,unit_price,discount\n"
        "OLD-0001,2025-03-02,D001,closed,AP300,2,1999.00,\n"
        "OLD-0001,2025-03-02,D001,closed,DH20,1,1899,99\n"      # second line of OLD-0001
        "OLD-0002,2025-04-01,D002,已完成,AP300,1,1999,\n"
        "OLD-0003,2025-04-03,D002,closed,AP300,1,1999,\n"
        "OLD-0003,2025-04-03,D002,closed,AP300,3,1999,\n"       # row 6: same line twice: OLD-0003 refused
        "OLD-0004,2025-05-01,D001,closed,DH20,x,1899,\n"        # row 7: bad qty
        "OLD-0005,2025-05-01,D001,closed,DH20,1,1899,\n"
        "OLD-0005,2025-05-02,D001,closed,AP300,1,1999,\n"       # row 9: other date: OLD-0005 refused
        "OLD-0006,2025-05-03,D404,closed,DH20,1,1899,\n",       # row 10: unknown dealer
        [5, 6, 7, 8, 9, 10], 2),
    "sellout": (
        "sold_on,dealer_code,sku,qty,amount,city,customer_type\n"
        "2025-06-01,D001,AP300,2,3998.00,上海,零售\n"
        "2025-06-01,D001,AP300,2,3998,上海,\n"          # row 3: natural key of row 2 again
        "2025-06-01,D001,AP300,1,1999,上海,project\n"
        "2025-06-02,D002,DH20,1,1899,杭州,\n"
        "2025-06-31,D002,DH20,1,1899,杭州,\n"           # row 6: bad date
        "2025-06-02,D002,DH20,0,0,杭州,\n"              # row 7: qty 0
        "2025-06-02,D777,DH20,1,1899,杭州,\n",          # row 8: unknown dealer
        [3, 6, 7, 8], 3),
}


def _bad_rows(stderr: str) -> list[int]:
    rows = []
    for line in stderr.strip().splitlines():
        assert line.startswith("第 ") and "（row " in line, line     # zh first, then en
        rows.append(int(line.split()[1]))
    return rows


@pytest.mark.parametrize("kind", list(CASES))
def test_dry_run_then_import_then_reimport(kind: str, runner: CliRunner, tmp_path: Path) -> None:
    text, bad_rows, created = CASES[kind]
    seeded(runner, tmp_path)
    file = write(tmp_path / f"{kind}.csv", text, bom=True)
    before = counts()

    dry = invoke(runner, "import", kind, str(file), "--dry-run", code=1)
    after_dry = counts()
    first = invoke(runner, "import", kind, str(file), code=1)
    after_first = counts()
    again = invoke(runner, "import", kind, str(file), code=1)

    assert after_dry == before
    assert "试运行" in dry.stdout and "dry run" in dry.stdout and f"新增 {created}" in dry.stdout
    assert _bad_rows(dry.stderr) == _bad_rows(first.stderr) == bad_rows
    assert f"新增 {created}，" in first.stdout and f"错误 {len(bad_rows)} 行" in first.stdout
    key = "contacts" if kind == "contacts" else kind
    assert after_first[key] == before[key] + created
    assert after_first["audit"] > before["audit"]
    assert "新增 0，更新 0" in again.stdout and _bad_rows(again.stderr) == bad_rows
    assert counts() == after_first


def test_contacts_import_updates_the_role_by_dealer_and_phone(runner: CliRunner, tmp_path: Path) -> None:
    seeded(runner, tmp_path)
    file = write(tmp_path / "c.csv", "经销商编码,姓名,手机,职务\nD001,张三,+86 138-0000-0001,总经理\n")

    result = invoke(runner, "import", "contacts", str(file))

    async def contacts(application: App) -> list[tuple[str, str, str]]:
        async with application.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code="D001")
            return [(c.name, c.phone, c.role) for c in dealer.contacts]

    assert "更新 1" in result.stdout
    assert with_app(contacts) == [("张三", "13800000001", "总经理")]


def test_historical_orders_are_written_as_they_were_without_stock_or_ledger(
        runner: CliRunner, tmp_path: Path) -> None:
    seeded(runner, tmp_path)
    invoke(runner, "import", "orders", str(write(tmp_path / "o.csv", CASES["orders"][0])), code=1)

    async def orders(application: App) -> dict[str, Any]:
        async with application.uow_factory() as uow:
            return {o.number: o for o in await uow.orders.list()}

    stored = with_app(orders)
    assert sorted(stored) == ["OLD-0001", "OLD-0002"]
    old = stored["OLD-0001"]
    assert old.status == "closed" and [ln.sku for ln in old.lines] == ["AP300", "DH20"]
    assert old.total == Decimal("5798.00")          # 2 x 1999 + 1899 - 99
    assert old.lines[0].name == "空气净化器 AP300"     # name from the catalogue
    assert old.created_at.astimezone(ZoneInfo("Asia/Shanghai")).date() == date(2025, 3, 2)
    assert stored["OLD-0002"].status == "closed"     # 已完成
    after = counts()
    assert after["ledger"] == 0 and after["stock"] == 0


def test_changed_historical_order_is_replaced_and_a_live_number_is_refused(
        runner: CliRunner, tmp_path: Path) -> None:
    seeded(runner, tmp_path)
    header = "order_number,order_date,dealer_code,status,sku,qty,unit_price\n"
    invoke(runner, "import", "orders", str(write(tmp_path / "a.csv", header + "OLD-9,2025-01-05,D001,shipped,AP300,1,1999\n")))

    async def add_live(application: App) -> None:
        from core.orders import Order, OrderLine

        async with application.uow_factory() as uow:
            await uow.orders.add(Order(number="SO-LIVE-1", dealer_id=(await uow.dealers.get_by(code="D001")).id,
                                       lines=[OrderLine(sku="AP300", name="x", qty=1, unit_price=Decimal("1.00"))],
                                       total=Decimal("1.00")))
            await uow.commit()

    with_app(add_live)
    changed = write(tmp_path / "b.csv", header + "OLD-9,2025-01-05,D001,closed,AP300,1,1999\n"
                                                 "SO-LIVE-1,2025-01-05,D001,closed,AP300,5,1999\n")
    result = invoke(runner, "import", "orders", str(changed), code=1)

    async def status(application: App) -> tuple[str, int]:
        async with application.uow_factory() as uow:
            old = await uow.orders.get_by(number="OLD-9")
            live = await uow.orders.get_by(number="SO-LIVE-1")
            return old.status, live.lines[0].qty

    assert "更新 1" in result.stdout and "SO-LIVE-1" in result.stderr and result.stderr.startswith("第 3 行")
    assert with_app(status) == ("closed", 1)


def test_strict_dry_run_and_missing_columns(runner: CliRunner, tmp_path: Path) -> None:
    seeded(runner, tmp_path)
    missing = invoke(runner, "import", "sellout", str(write(tmp_path / "s.csv", "sold_on,dealer_code,sku\n")),
                     code=1)
    strict = invoke(runner, "import", "prices", str(write(tmp_path / "p.csv", CASES["prices"][0])), "--strict",
                    code=1)

    assert "qty" in missing.stderr and "amount" in missing.stderr and "city" in missing.stderr
    assert "未导入任何数据" in strict.stdout
    assert counts()["prices"] == 0


def test_templates_have_the_header_and_a_chinese_instruction_sheet(runner: CliRunner, tmp_path: Path) -> None:
    invoke(runner, "export", "templates", str(tmp_path / "tpl"))

    files = sorted(p.name for p in (tmp_path / "tpl").iterdir())
    assert files == sorted(f"dms-import-{k.value}.xlsx" for k in ImportKind)
    for kind in ImportKind:
        wb = load_workbook(tmp_path / "tpl" / f"dms-import-{kind.value}.xlsx")
        assert wb.sheetnames == [kind.value, "说明"]
        assert [c.value for c in wb.worksheets[0][1]] == list(SPECS[kind].all)
        notes = [[c.value for c in row] for row in wb["说明"].iter_rows()]
        described = {r[0] for r in notes[6:]}
        assert described == set(SPECS[kind].all)
        assert any("表头" in (r[0] or "") for r in notes) and any("header" in (r[0] or "") for r in notes)


def test_a_filled_in_template_imports(runner: CliRunner, tmp_path: Path) -> None:
    seeded(runner, tmp_path)
    invoke(runner, "export", "templates", str(tmp_path / "tpl"))
    path = tmp_path / "tpl" / "dms-import-qualifications.xlsx"
    wb = load_workbook(path)
    wb.worksheets[0].append(["D002", "营业执照", "91330000X", date(2021, 5, 6), date(2031, 5, 5), None])
    wb.save(path)

    result = invoke(runner, "import", "qualifications", str(path))

    async def docs(application: App) -> list[Any]:
        async with application.uow_factory() as uow:
            return await uow.qualifications.list()

    (doc,) = with_app(docs)
    assert "新增 1" in result.stdout
    assert (doc.doc_type, doc.number, doc.issued_on, doc.expires_on, doc.status) == (
        "business_license", "91330000X", date(2021, 5, 6), date(2031, 5, 5), "approved")

