"""The back-office dealer stock page (/backoffice/stock/dealers) over HTTP: a channel manager filters every
dealer's stock by product and region, reads daily sales and days of cover, gets the chart, and sets a dealer's
threshold with the form (audited, source "staff"); the order desk (no sell-out access) gets 403."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.inventory import DealerStock
from core.sellout import SellOutLine
from core.users import Role
from tests.e2e.conftest import BASE_URL, NOW, Web, add_dealer, add_product
from tests.e2e.test_backoffice_admin import MemoryFileStore, login_as, office  # noqa: F401  (fixture)

SAME_ORIGIN = {"Origin": BASE_URL}


async def test_channel_manager_reads_every_dealers_cover_and_sets_a_threshold(
        office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    await add_product(web, "AP300", "空气净化器 AP300", "1999.00")
    await add_product(web, "DH20", "除湿机 DH20", "1599.00")
    east = await add_dealer(web, "D0001", "杭州华信电器有限公司", region="华东")
    north = await add_dealer(web, "D0002", "北京宏达商贸有限公司", region="华北", province="北京", city="北京")
    today = web.clock.today()
    async with web.uow() as uow:
        await uow.dealer_stock.add(DealerStock(east, "DH20", 6, reported_at=NOW))
        await uow.dealer_stock.add(DealerStock(north, "DH20", 40, reported_at=NOW))
        await uow.dealer_stock.add(DealerStock(east, "AP300", 9, reported_at=NOW))
        await uow.sellout.add(SellOutLine(east, today - timedelta(days=3), "DH20", 180, Decimal("1.00"), "浙江", "杭州"))
        await uow.commit()
    await login_as(web, "liu.channel", Role.CHANNEL_MANAGER)

    page = await web.client.get("/backoffice/stock/dealers", params={"sku": "DH20"})
    assert page.status_code == 200 and "经销商库存" in page.text
    assert "<td>华东</td><td>DH20 除湿机 DH20</td><td>1</td><td>6</td><td>2.00</td><td>3.0</td>" in page.text
    assert "<td>华北</td><td>DH20 除湿机 DH20</td><td>1</td><td>40</td><td>0.00</td><td>无销量 no sales</td>" \
        in page.text
    assert "空气净化器 AP300</td><td>9" not in page.text                      # filtered to DH20
    assert "action='/backoffice/stock/dealers/thresholds'" in page.text
    north_only = await web.client.get("/backoffice/stock/dealers", params={"region": "华北"})
    assert "北京宏达" in north_only.text and "杭州华信" not in north_only.text
    chart = await web.client.get("/backoffice/stock/dealers/chart.png", params={"sku": "DH20"})
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")

    saved = await web.client.post("/backoffice/stock/dealers/thresholds", headers=SAME_ORIGIN,
                                  data={"dealer": "D0001", "sku": "DH20", "low": "8", "safety": "3", "high": ""})
    assert saved.status_code == 303, saved.text
    async with web.uow() as uow:
        [row] = await uow.thresholds.list()
        [audit] = await uow.audit.list(action="stock.threshold")
    assert (row.scope_id, row.sku, row.low, row.safety, row.high, row.source) == (east, "DH20", 8, 3, None, "staff")
    assert audit.actor == "staff:liu.channel"
    page = await web.client.get(saved.headers["location"])
    assert "已保存 D0001 DH20" in page.text and "⚠️ 已到补货点" in page.text   # 6 <= 8
    bad = await web.client.post("/backoffice/stock/dealers/thresholds", headers=SAME_ORIGIN,
                                data={"dealer": "D0001", "sku": "DH20", "low": "-1"})
    assert bad.status_code == 400 and "补货点须为不小于 0 的整数" in bad.text

    await login_as(web, "li.desk", Role.ORDER_DESK)
    assert (await web.client.get("/backoffice/stock/dealers")).status_code == 403
