"""The back-office stock page (/backoffice/stock) over HTTP against create_app: the order desk sets a warehouse's
thresholds for a product with the form, bad input is refused in Chinese and English with nothing saved, the
change is audited, and the scheduled stock check then alerts the stock keepers with a suggested reorder
quantity (and stays quiet while stock is above the minimum). Management reads the page but gets no form."""

from __future__ import annotations

from core.users import Role
from notifications.checks import Checks
from storage.engine import build_session_factory
from storage.outbox_store import SqlAlchemyOutboxStore
from tests.e2e.conftest import BASE_URL, Web, add_product, add_warehouse
from tests.e2e.test_backoffice_admin import MemoryFileStore, login_as, office  # noqa: F401  (fixture)

SAME_ORIGIN = {"Origin": BASE_URL}


async def _thresholds(web: Web) -> list[tuple[str, int, int | None]]:
    async with web.uow() as uow:
        return sorted((t.sku, t.low, t.high) for t in await uow.thresholds.list())


async def test_order_desk_sets_thresholds_and_the_check_alerts_with_a_reorder_quantity(
        office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_product(web, "F300", "新风机 F300", "2999.00")
    warehouse_id = await add_warehouse(web, "SH", {"AP300": 30, "F300": 80})
    await login_as(web, "li.desk", Role.ORDER_DESK)

    page = await web.client.get("/backoffice/stock")
    assert page.status_code == 200 and "仓库库存与预警" in page.text
    assert page.text.count("action='/backoffice/stock/thresholds'") == 2

    form = {"warehouse_id": str(warehouse_id), "sku": "AP300"}
    for low, high, zh, en in [("-5", "", "下限须为不小于 0 的整数", "the minimum must be a whole number"),
                              ("4.5", "", "下限须为不小于 0 的整数", "the minimum must be a whole number"),
                              ("40", "40", "上限须大于下限 40", "the maximum must be above the minimum 40")]:
        refused = await web.client.post("/backoffice/stock/thresholds", headers=SAME_ORIGIN,
                                        data={**form, "low": low, "high": high})
        assert refused.status_code == 400 and zh in refused.text and en in refused.text, refused.text
    assert await _thresholds(web) == []

    saved = await web.client.post("/backoffice/stock/thresholds", headers=SAME_ORIGIN,
                                  data={**form, "low": "40", "high": "100"})
    quiet = await web.client.post("/backoffice/stock/thresholds", headers=SAME_ORIGIN,
                                  data={**form, "sku": "F300", "low": "40", "high": ""})
    assert saved.status_code == 303 and saved.headers["location"] == "/backoffice/stock?saved=AP300"
    assert quiet.status_code == 303
    assert await _thresholds(web) == [("AP300", 40, 100), ("F300", 40, None)]
    page = await web.client.get("/backoffice/stock?saved=AP300")
    assert "已保存 AP300 的库存预警" in page.text and "value='100'" in page.text
    async with web.uow() as uow:
        audit = await uow.audit.list(action="stock.threshold")
    assert sorted((a.actor, a.entity_id, a.after["low"]) for a in audit) == [
        ("staff:li.desk", f"warehouse:{warehouse_id}:AP300", 40),
        ("staff:li.desk", f"warehouse:{warehouse_id}:F300", 40)]

    checks = Checks(web.uow_factory, SqlAlchemyOutboxStore(build_session_factory(web.engine)), web.clock)
    assert await checks.stock_levels() == 1            # AP300 at 30 <= 40; F300 at 80 is above its minimum
    async with web.uow() as uow:
        queued = await uow.outbox.list()
    assert [(m.kind, m.params["sku"], m.params["suggest"]) for m in queued] == [("stock.low_warehouse", "AP300", 70)]


async def test_management_reads_stock_but_cannot_set_thresholds(
        office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    warehouse_id = await add_warehouse(web, "SH", {"AP300": 30})
    await login_as(web, "wang.boss", Role.MANAGEMENT)

    page = await web.client.get("/backoffice/stock")
    refused = await web.client.post("/backoffice/stock/thresholds", headers=SAME_ORIGIN,
                                    data={"warehouse_id": str(warehouse_id), "sku": "AP300", "low": "40"})

    assert page.status_code == 200 and "AP300" in page.text and "/backoffice/stock/thresholds" not in page.text
    assert refused.status_code == 403 and "权限" in refused.text
    assert await _thresholds(web) == []
