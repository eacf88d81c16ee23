"""The ``dms`` command on a temporary SQLite database (DATABASE_URL pointing to a file in tmp_path)."""

from __future__ import annotations

import asyncio
import csv
import os
import secrets
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import pytest
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

from bot.bootstrap import App, bootstrap
from bot.cli import app
from bot.settings import Settings
from core.orders import Order, OrderLine, OrderStatus
from core.services.users import authenticate_api_key
from core.uscc import make_uscc
from core.users import ActorKind, InviteKind, Role
from tests.integration.conftest import PG_URL, TEST_KEYS

T = TypeVar("T")

PRODUCTS_CSV = """sku,name,aliases,category,unit,list_price
AP300,空气净化器 AP300,净化器300;AP-300,空气净化器,台,1999.00
DH20,除湿机 DH20,,除湿机,台,1899
FL-AP300,AP300 滤网,300滤网,滤网耗材,箱,1490.5
"""
BAD_ROWS = """WP400,,,净水器,台,2599
WP600,净水器 WP600,,净水器,台,-5
"""


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


async def _reset_pg_database(url: str) -> None:
    """An empty (unmigrated) database: drop every table by recreating the public schema."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


async def _pg_database(name: str, *, drop: bool) -> str:
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    server = make_url(PG_URL)
    engine = create_async_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop:
                await conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        await engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> Iterator[str | None]:
    """None for SQLite (a file per test), or the URL of a PostgreSQL database made for this module."""
    if request.param == "sqlite":
        yield None
        return
    name = f"dms_cli_{os.getpid()}_{secrets.token_hex(3)}"
    url = asyncio.run(_pg_database(name, drop=False))
    try:
        yield url
    finally:
        asyncio.run(_pg_database(name, drop=True))


@pytest.fixture(autouse=True)
def database(backend: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if backend is None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}"
    else:
        url = backend
        asyncio.run(_reset_pg_database(url))
    monkeypatch.chdir(tmp_path)            # no stray .env from the checkout
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("DATA_ENCRYPTION_KEYS", TEST_KEYS[0])
    monkeypatch.setenv("DEMO_DATA_ON_EMPTY", "false")
    yield url


def with_app(body: Callable[[App], Awaitable[T]]) -> T:
    async def run() -> T:
        application = bootstrap(Settings())
        try:
            return await body(application)
        finally:
            await application.aclose()

    return asyncio.run(run())


def invoke(runner: CliRunner, *args: str, code: int = 0) -> Any:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    assert "Traceback" not in result.output
    return result


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


def migrated(runner: CliRunner) -> None:
    invoke(runner, "migrate")


async def _products(application: App) -> dict[str, Any]:
    async with application.uow_factory() as uow:
        return {p.sku: p for p in await uow.products.list()}


async def _audit_count(application: App) -> int:
    async with application.uow_factory() as uow:
        return await uow.audit.count()


def test_migrate_creates_the_schema(runner: CliRunner, database: str) -> None:
    result = invoke(runner, "migrate")

    assert "数据库已是最新结构" in result.stdout
    assert with_app(_products) == {}


def test_commands_before_migrate_say_to_migrate(runner: CliRunner, tmp_path: Path) -> None:
    result = invoke(runner, "import", "products", str(write(tmp_path / "p.csv", PRODUCTS_CSV)), code=1)

    assert "dms migrate" in result.stderr


def test_import_products_twice_the_second_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    file = write(tmp_path / "products.csv", PRODUCTS_CSV, bom=True)

    first = invoke(runner, "import", "products", str(file))
    audits = with_app(_audit_count)
    second = invoke(runner, "import", "products", str(file))

    assert "新增 3" in first.stdout and "3 created" in first.stdout
    assert "新增 0" in second.stdout and "未变 3" in second.stdout
    products = with_app(_products)
    assert sorted(products) == ["AP300", "DH20", "FL-AP300"]
    assert products["FL-AP300"].list_price == Decimal("1490.50")
    assert products["AP300"].aliases == ["净化器300", "AP-300"]
    assert with_app(_audit_count) == audits == 3


def test_import_with_bad_rows_reports_them_and_imports_the_rest(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    file = write(tmp_path / "products.csv", PRODUCTS_CSV + BAD_ROWS)

    result = invoke(runner, "import", "products", str(file), code=1)

    errors = result.stderr.strip().splitlines()
    assert errors[0].startswith("第 5 行：") and "name" in errors[0] and "(row 5:" in errors[0].replace("（", "(")
    assert errors[1].startswith("第 6 行：") and "negative" in errors[1]
    assert "错误 2 行" in result.stdout
    assert sorted(with_app(_products)) == ["AP300", "DH20", "FL-AP300"]


def test_strict_import_with_a_bad_row_imports_nothing(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    file = write(tmp_path / "products.csv", PRODUCTS_CSV + BAD_ROWS)

    result = invoke(runner, "import", "products", str(file), "--strict", code=1)

    assert "未导入任何数据" in result.stdout
    assert with_app(_products) == {}
    assert with_app(_audit_count) == 0


def test_missing_column_fails_the_whole_file(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    file = write(tmp_path / "products.csv", "sku,name,aliases,category,unit\nAP300,x,,c,台\n")

    result = invoke(runner, "import", "products", str(file), code=1)

    assert "list_price" in result.stderr and "缺少" in result.stderr
    assert with_app(_products) == {}


def test_import_xlsx_with_numeric_cells(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    wb = Workbook()
    ws = wb.active
    ws.append(["SKU", "Name", "Aliases", "Category", "Unit", "List Price", "MOQ"])
    ws.append(["AP500", "空气净化器 AP500", "AP-500", "空气净化器", "台", 2999.5, 2])
    ws.append(["DH12", "除湿机 DH12", None, "除湿机", "台", 1299, None])
    path = tmp_path / "products.xlsx"
    wb.save(path)

    invoke(runner, "import", "products", str(path))

    products = with_app(_products)
    assert products["AP500"].list_price == Decimal("2999.50") and products["AP500"].moq == 2
    assert products["DH12"].list_price == Decimal("1299.00") and products["DH12"].moq == 1


def test_missing_file_and_unsupported_type_are_user_errors(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    missing = invoke(runner, "import", "products", str(tmp_path / "nope.csv"), code=1)
    weird = invoke(runner, "import", "products", str(write(tmp_path / "p.txt", "x")), code=1)

    assert "文件不存在" in missing.stderr and "No such file" in missing.stderr
    assert ".csv" in weird.stderr and ".xlsx" in weird.stderr


def dealers_csv(tmp_path: Path) -> Path:
    rows = [
        ["code", "name", "uscc", "province", "city", "region", "tier", "parent_code", "credit_limit",
         "contact_name", "contact_phone", "contact_role", "status"],
        ["D0001", "上海恒信电器有限公司", make_uscc(1001), "上海", "上海", "华东", "A", "", "500000", "王伟",
         "13812345678", "老板", "active"],
        ["D0002", "苏州金鼎家电有限公司", make_uscc(1002), "江苏", "苏州", "华东", "C", "D0001", "50000", "", "",
         "", "active"],
    ]
    path = tmp_path / "dealers.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def test_import_dealers_and_stock(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    invoke(runner, "import", "products", str(write(tmp_path / "p.csv", PRODUCTS_CSV)))
    invoke(runner, "import", "dealers", str(dealers_csv(tmp_path)))

    async def seed_warehouse(application: App) -> None:
        from core.inventory import Warehouse

        async with application.uow_factory() as uow:
            await uow.warehouses.add(Warehouse(code="WH-SH", name="华东仓", region="华东"))
            await uow.commit()

    with_app(seed_warehouse)
    stock = write(tmp_path / "stock.csv", "warehouse,sku,on_hand\nWH-SH,AP300,120\n华东仓,DH20,30\nWH-XX,AP300,1\n")
    result = invoke(runner, "import", "stock", str(stock), code=1)
    again = invoke(runner, "import", "dealers", str(dealers_csv(tmp_path)))

    assert "WH-XX" in result.stderr and "新增 2" in result.stdout
    assert "未变 2" in again.stdout

    async def check(application: App) -> tuple[Any, Any, dict[str, int]]:
        async with application.uow_factory() as uow:
            parent = await uow.dealers.get_by(code="D0001")
            child = await uow.dealers.get_by(code="D0002")
            levels = {s.sku: s.on_hand for s in await uow.stock.list()}
            return parent, child, levels

    parent, child, levels = with_app(check)
    assert child.parent_id == parent.id and parent.contacts[0].phone == "13812345678"
    assert levels == {"AP300": 120, "DH20": 30}


def test_invite_prints_the_code_alone_on_the_last_line(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    invoke(runner, "import", "dealers", str(dealers_csv(tmp_path)))

    dealer = invoke(runner, "invite", "dealer", "D0001")
    staff = invoke(runner, "invite", "staff", "zhang.orderdesk", "order_desk")

    dealer_code = dealer.stdout.strip().splitlines()[-1]
    staff_code = staff.stdout.strip().splitlines()[-1]

    async def invites(application: App) -> dict[str, Any]:
        async with application.uow_factory() as uow:
            return {i.code: i for i in await uow.invites.list()}

    stored = with_app(invites)
    assert set(stored) == {dealer_code, staff_code}
    d_invite, s_invite = stored[dealer_code], stored[staff_code]
    assert d_invite.kind == InviteKind.DEALER and d_invite.used_at is None and d_invite.role == Role.DEALER_OWNER
    assert d_invite.dealer_id is not None
    assert s_invite.kind == InviteKind.STAFF and s_invite.username == "zhang.orderdesk"
    assert s_invite.role == Role.ORDER_DESK
    assert d_invite.expires_at > datetime.now(d_invite.expires_at.tzinfo) + timedelta(hours=71)


def test_invite_unknown_dealer_or_role_is_a_clear_error(runner: CliRunner) -> None:
    migrated(runner)
    unknown = invoke(runner, "invite", "dealer", "D9999", code=1)
    bad_role = invoke(runner, "invite", "staff", "li.x", "dealer_owner", code=2)

    assert "D9999" in unknown.stderr and "错误" in unknown.stderr
    assert "order_desk" in bad_role.stderr


def test_apikey_create_prints_a_key_that_authenticates_and_revoke_disables_it(runner: CliRunner,
                                                                              tmp_path: Path) -> None:
    migrated(runner)
    invoke(runner, "import", "dealers", str(dealers_csv(tmp_path)))

    result = invoke(runner, "apikey", "create", "erp", "--scope", "products:read", "--scope", "orders:read",
                    "--scope", "accounts:read", "--dealer", "D0002")
    key = result.stdout.strip().splitlines()[-1]

    async def authenticate(application: App) -> Any:
        return await authenticate_api_key(application.uow_factory(), key, application.clock)

    actor = with_app(authenticate)
    assert actor is not None and actor.kind == ActorKind.API
    assert actor.scopes == frozenset({"products:read", "orders:read", "accounts:read"}) and actor.dealer_id is not None

    listing = invoke(runner, "apikey", "list")
    assert key[:12] in listing.stdout and key not in listing.stdout and "D0002" in listing.stdout

    invoke(runner, "apikey", "revoke", key[:12])
    assert with_app(authenticate) is None


def test_user_create_admin_hashes_the_password(runner: CliRunner) -> None:
    from admin.auth import verify_password

    migrated(runner)
    invoke(runner, "user", "create-admin", "--username", "boss", "--password", "s3cret-pass")
    prompted = runner.invoke(app, ["user", "create-admin", "--username", "boss"], input="other-pass\nother-pass\n")

    async def user(application: App) -> Any:
        async with application.uow_factory() as uow:
            return await uow.users.get_by(username="boss")

    assert prompted.exit_code == 0, prompted.output
    stored = with_app(user)
    assert stored.role == Role.ADMIN and stored.password_hash.startswith("$argon2")
    assert verify_password(stored.password_hash, "other-pass")


def test_keygen_prints_a_fernet_key(runner: CliRunner) -> None:
    from cryptography.fernet import Fernet

    key = invoke(runner, "keygen").stdout.strip()

    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"


async def _seed_orders(application: App) -> None:
    clock = application.clock
    async with application.uow_factory() as uow:
        from core.dealers import Dealer, DealerStatus

        dealer = await uow.dealers.add(Dealer(code="D0001", name="上海恒信电器有限公司", uscc=make_uscc(1001),
                                              province="上海", city="上海", region="华东", tier="A",
                                              status=DealerStatus.ACTIVE))
        assert dealer.id is not None
        recent = clock.now() - timedelta(days=1)
        old = clock.now() - timedelta(days=40)
        for number, at, lines in (
            ("SO-20260101-0001", old, [OrderLine("AP300", "空气净化器 AP300", 2, Decimal("1439.28"))]),
            ("SO-20260102-0001", recent, [OrderLine("AP300", "空气净化器 AP300", 10, Decimal("1439.28")),
                                          OrderLine("DH20", "除湿机 DH20", 3, Decimal("1367.28"),
                                                    discount=Decimal("100.00"))]),
        ):
            total = sum((line.amount for line in lines), Decimal("0.00"))
            await uow.orders.add(Order(number=number, dealer_id=dealer.id, lines=lines, total=total,
                                       status=OrderStatus.SUBMITTED, created_at=at))
        await uow.commit()


def test_export_orders_to_csv_and_xlsx(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    with_app(_seed_orders)
    since = (datetime.now() - timedelta(days=7)).strftime("%Y-%m-%d")

    csv_result = invoke(runner, "export", "orders", str(tmp_path / "orders.csv"))
    invoke(runner, "export", "orders", str(tmp_path / "recent.xlsx"), "--since", since)

    assert "已导出 3 行" in csv_result.stdout
    with (tmp_path / "orders.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert [r["order_number"] for r in rows] == ["SO-20260101-0001", "SO-20260102-0001", "SO-20260102-0001"]
    assert rows[1]["unit_price"] == "1439.28" and rows[1]["line_amount"] == "14392.80"
    assert rows[2]["discount"] == "100.00" and rows[2]["order_total"] == "18394.64"
    assert rows[0]["dealer_code"] == "D0001" and rows[0]["status"] == "submitted"

    sheet = load_workbook(tmp_path / "recent.xlsx", read_only=True).worksheets[0]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["order_number", "order_date", "dealer_code"]
    assert [v[0] for v in values[1:]] == ["SO-20260102-0001", "SO-20260102-0001"]
    assert values[1][values[0].index("order_total")] == "18394.64"


def test_export_dealers_has_contacts_only_when_asked(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    invoke(runner, "import", "dealers", str(dealers_csv(tmp_path)))

    invoke(runner, "export", "dealers", str(tmp_path / "plain.csv"))
    invoke(runner, "export", "dealers", str(tmp_path / "full.csv"), "--with-contacts")

    plain = (tmp_path / "plain.csv").read_text(encoding="utf-8-sig")
    full = (tmp_path / "full.csv").read_text(encoding="utf-8-sig")
    assert "13812345678" not in plain and "王伟" not in plain and "contact_phone" not in plain
    assert "13812345678" in full and "王伟" in full
    assert "D0001" in plain.splitlines()[2]        # parent code exported for the sub-dealer
    # the export reads back through the import: nothing changes
    again = invoke(runner, "import", "dealers", str(tmp_path / "full.csv"))
    assert "未变 2" in again.stdout


def test_export_rejects_bad_dates_and_extensions(runner: CliRunner, tmp_path: Path) -> None:
    migrated(runner)
    bad_date = invoke(runner, "export", "orders", str(tmp_path / "o.csv"), "--since", "2026/01/01", code=2)
    bad_ext = invoke(runner, "export", "sellout", str(tmp_path / "o.json"), code=2)

    assert "YYYY-MM-DD" in bad_date.stderr
    assert ".xlsx" in bad_ext.stderr
