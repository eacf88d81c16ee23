"""``dms chat --as ...``: the conversations in the terminal, on a migrated SQLite file (typer's CliRunner)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
from typer.testing import CliRunner

from bot.bootstrap import App, bootstrap
from bot.cli import app as cli
from bot.settings import Settings
from core.orders import OrderStatus
from core.services.users import CreateStaffUser, create_staff_user
from core.users import Actor, Role
from tests.e2e.stt_standin import SttStandIn
from tests.e2e.telegram_standin import CATALOGUE
from tests.voice_notes import encoded

T = TypeVar("T")
ORDER_NO = re.compile(r"SO-\d{8}-\d{4}")


@pytest.fixture(autouse=True)
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'dms.sqlite3'}")
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert CliRunner().invoke(cli, ["migrate"]).exit_code == 0
    yield


def with_app(body: Callable[[App], Awaitable[T]]) -> T:
    async def run() -> T:
        application = bootstrap(Settings())
        try:
            return await body(application)
        finally:
            await application.aclose()
    return asyncio.run(run())


async def seed(app: App) -> None:
    from decimal import Decimal

    from core.dealers import DealerStatus
    from core.inventory import StockLevel, Warehouse
    from core.products import Product
    from core.services import dealers as dealer_cases
    from core.uscc import make_uscc
    from tests.factories import make_valid_documents

    dealer = await dealer_cases.create_dealer(app.uow_factory(), Actor.system(), dealer_cases.CreateDealer(
        code="D0001", name="杭州华信电器有限公司", uscc=make_uscc("00000777"), province="浙江", city="杭州",
        region="华东", tier="B"), app.clock)
    async with app.uow_factory() as uow:
        stored = await uow.dealers.get(dealer.id)
        stored.status = DealerStatus.ACTIVE
        stored.credit_limit = Decimal("100000.00")
        for document in make_valid_documents(dealer.id):  # type: ignore[arg-type]
            await uow.qualifications.add(document)
        warehouse = await uow.warehouses.add(Warehouse(code="WH1", name="上海仓", region="华东"))
        await uow.flush()
        for sku, name, aliases, category, unit, price in CATALOGUE:
            await uow.products.add(Product(sku=sku, name=name, aliases=list(aliases), category=category, unit=unit,
                                           list_price=Decimal(price)))
            await uow.stock.add(StockLevel(warehouse_id=warehouse.id, sku=sku, on_hand=100))  # type: ignore[arg-type]
        await uow.commit()
    await create_staff_user(app.uow_factory(), Actor.system(), CreateStaffUser(
        username="zhang.desk", display_name="张三", role=Role.ORDER_DESK), app.clock)


def numbered(output: str, label: str) -> str:
    """The number printed in front of the last button whose label contains ``label``."""
    found = re.findall(r"\[(\d+)\] ([^\[\n]*)", output)
    numbers = [n for n, text in found if label in text]
    assert numbers, f"no button {label!r} in:\n{output}"
    return numbers[-1]


def test_dealer_orders_in_the_terminal_with_numbered_buttons() -> None:
    with_app(seed)
    runner = CliRunner()
    menu = runner.invoke(cli, ["chat", "--as", "dealer:D0001"], input="/quit\n")
    assert menu.exit_code == 0, menu.output
    assert "[1] 🛒 下单" in menu.output and "再见" in menu.output

    # free text -> the summary with a numbered confirm button -> typing the number presses it
    first = runner.invoke(cli, ["chat", "--as", "dealer:D0001"], input="AP300 来两台\n/quit\n")
    if "确认下单" not in first.output:
        pytest.xfail("chat flow not implemented yet: ordering")
    confirm = numbered(first.output, "确认下单")
    done = runner.invoke(cli, ["chat", "--as", "dealer:D0001"], input=f"AP300 来两台\n{confirm}\n/quit\n")
    assert done.exit_code == 0, done.output
    assert "订单已提交" in done.output
    number = ORDER_NO.search(done.output)
    assert number is not None

    async def check(app: App) -> tuple[list[Any], list[Any], list[Any]]:
        async with app.uow_factory() as uow:
            orders = await uow.orders.list()
            users = await uow.users.list(dealer_id=orders[0].dealer_id)
            identities = await uow.identities.list(channel="console")
        return orders, users, identities

    orders, users, identities = with_app(check)
    assert [o.number for o in orders] == [number.group(0)]
    assert orders[0].status == OrderStatus.SUBMITTED
    # the dealer had no user: one owner was made, and every run speaks as that same user
    assert [(u.username, u.role) for u in users] == [("d0001-1", Role.DEALER_OWNER)]
    assert [(i.external_id, i.user_id) for i in identities] == [("console:dealer:D0001", users[0].id)]


def test_staff_user_and_refusals() -> None:
    with_app(seed)
    runner = CliRunner()
    staff = runner.invoke(cli, ["chat", "--as", "staff:zhang.desk"], input="/help\n/quit\n")
    assert staff.exit_code == 0, staff.output
    assert "zhang.desk" in staff.output and "可用命令" in staff.output
    assert "🛒 下单" not in staff.output                        # the staff menu, not the dealer's

    unknown = runner.invoke(cli, ["chat", "--as", "staff:nobody"], input="/quit\n")
    assert unknown.exit_code == 1 and "未找到员工账号" in unknown.output
    no_dealer = runner.invoke(cli, ["chat", "--as", "dealer:D9999"], input="/quit\n")
    assert no_dealer.exit_code == 1 and "未找到经销商" in no_dealer.output
    bad = runner.invoke(cli, ["chat", "--as", "root"], input="/quit\n")
    assert bad.exit_code == 2 and "--as" in bad.output


def test_end_of_input_leaves_and_unknown_numbers_are_just_text() -> None:
    with_app(seed)
    result = CliRunner().invoke(cli, ["chat", "--as", "dealer:D0001"], input="99\n")
    assert result.exit_code == 0, result.output
    assert "再见" in result.output
    assert result.output.count("请选择要办理的业务") >= 1


@contextlib.contextmanager
def stt_in_a_thread() -> Iterator[SttStandIn]:
    """The transcription stand-in on its own event loop (``dms chat`` runs its own ``asyncio.run``)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    standin = SttStandIn()
    asyncio.run_coroutine_threadsafe(standin.__aenter__(), loop).result(10)
    try:
        yield standin
    finally:
        asyncio.run_coroutine_threadsafe(standin.__aexit__(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_files_from_this_machine_arrive_as_voice_notes_photos_or_documents(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with_app(seed)
    runner = CliRunner()
    t = np.arange(2 * 16_000) / 16_000
    note = tmp_path / "我的语音.ogg"
    note.write_bytes(encoded((0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32), "ogg"))
    (tmp_path / "订货单.csv").write_text("型号,数量\nAP300,3\n", encoding="utf-8")

    off = runner.invoke(cli, ["chat", "--as", "dealer:D0001"],
                        input=f"/file {note}\n/file {tmp_path / 'nope.amr'}\n/file 订货单.csv\n/quit\n")
    assert off.exit_code == 0, off.output
    assert "暂时听不了语音，请打字或发图片" in off.output          # no STT_BASE_URL, no STT_MODEL_DIR
    assert "读不到文件" in off.output and "nope.amr" in off.output   # said in the terminal, the chat goes on
    assert "AP300" in off.output.split("订货单.csv", 1)[1]             # the CSV read as an order list

    with stt_in_a_thread() as stt:
        monkeypatch.setenv("STT_BASE_URL", stt.base_url)
        stt.transcripts = ["AP300来两台", "AP300来两台"]
        first = runner.invoke(cli, ["chat", "--as", "dealer:D0001"], input=f"/file '{note}'\n/quit\n")
        assert "🎤 我听到的是：AP300来两台" in first.output, first.output
        confirm = numbered(first.output, "确认下单")
        done = runner.invoke(cli, ["chat", "--as", "dealer:D0001"], input=f"/file {note}\n{confirm}\n/quit\n")
        assert "订单已提交" in done.output, done.output
        assert stt.refused == [] and [round(r.seconds) for r in stt.requests] == [2, 2]
