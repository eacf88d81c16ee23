"""The reports dashboard (/dashboard) on the app built by ``bot.bootstrap``, over HTTP (httpx ASGITransport):
staff login, figures, chart PNG, Excel, filters, production planning, who may see it."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest_asyncio
from openpyxl import load_workbook

from admin.auth import hash_password
from bot.bootstrap import App, bootstrap, migrate
from core.services.users import CreateDealerUser, CreateStaffUser, create_dealer_user, create_staff_user
from core.users import Actor, Role
from tests.e2e.test_webchat import BASE, PASSWORD, SAME_ORIGIN, login, web_settings
from tests.factories import seed_report_data

NOV = "start=2026-11-01&end=2026-11-26"
PNG = b"\x89PNG\r\n\x1a\n"


@pytest_asyncio.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    settings = web_settings(tmp_path)
    await migrate(settings)
    application = bootstrap(settings)
    try:
        ids = await seed_report_data(application.uow_factory())
        for username, role in (("zhou.mgmt", Role.MANAGEMENT), ("zhao.quality", Role.QUALITY)):
            await create_staff_user(application.uow_factory(), Actor.system(), CreateStaffUser(
                username=username, display_name=username, role=role, password_hash=hash_password(PASSWORD)),
                application.clock)
        dealer_user = await create_dealer_user(application.uow_factory(), Actor.system(), CreateDealerUser(
            dealer_id=ids["d1"], username="d1.owner", display_name="老板", role=Role.DEALER_OWNER), application.clock)
        async with application.uow_factory() as uow:
            stored = await uow.users.get(dealer_user.id)
            stored.password_hash = hash_password(PASSWORD)      # even with a password: no admin login
            await uow.commit()
        yield application
    finally:
        await application.aclose()


@pytest_asyncio.fixture
async def client(app: App) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app.web()), base_url=BASE) as c:
        yield c


async def test_login_is_required(client: httpx.AsyncClient) -> None:
    page = await client.get("/dashboard/")
    assert page.status_code == 302 and page.headers["location"].endswith("/admin/login")
    assert (await client.get(f"/dashboard/chart.png?{NOV}")).status_code == 401
    assert (await client.get(f"/dashboard/export.xlsx?{NOV}")).status_code == 401
    assert (await client.get("/dashboard/plan.xlsx")).status_code == 401


async def test_management_sees_figures_chart_and_excel(client: httpx.AsyncClient) -> None:
    await login(client, "zhou.mgmt")
    page = await client.get(f"/dashboard/?kind=order_summary&{NOV}")
    assert page.status_code == 200
    assert "订单概况" in page.text and "金额 ¥19,600.00 · 4 单 · 21 件 · 2 家经销商" in page.text
    assert f'src="/dashboard/chart.png?kind=order_summary&amp;{NOV.replace("&", "&amp;")}"' in page.text
    chart = await client.get(f"/dashboard/chart.png?kind=order_summary&{NOV}")
    assert chart.status_code == 200 and chart.headers["content-type"] == "image/png" and chart.content.startswith(PNG)
    xlsx = await client.get(f"/dashboard/export.xlsx?kind=sellout_regions&{NOV}")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[0], r[4]) for r in rows] == [("上海", 5997), ("北京", 3998), ("江苏", 1599)]


async def test_filters_narrow_the_report(client: httpx.AsyncClient) -> None:
    await login(client, "zhou.mgmt")
    page = await client.get(f"/dashboard/?kind=sellout_dealers&region=华北&{NOV}")
    assert "北京金鼎家电" in page.text and "上海恒信电器" not in page.text
    tier = await client.get(f"/dashboard/?kind=sellout_summary&tier=A&{NOV}")
    assert "金额 ¥7,596.00 · 2 行" in tier.text
    odd = await client.get("/dashboard/?kind=nonsense&period=fortnight&start=bad")
    assert odd.status_code == 200 and "订单概况" in odd.text


async def test_production_plan_page(client: httpx.AsyncClient) -> None:
    await login(client, "zhou.mgmt")
    page = await client.get("/dashboard/plan")
    assert page.status_code == 200 and "生产计划" in page.text and "AP300" in page.text
    assert (await client.get("/dashboard/plan.png")).content.startswith(PNG)
    sheet = load_workbook(io.BytesIO((await client.get("/dashboard/plan.xlsx")).content)).active
    assert sheet is not None and sheet["A3"].value == "SKU"
    forecast = load_workbook(io.BytesIO((await client.get("/dashboard/forecast.xlsx")).content)).active
    assert forecast is not None and forecast["A1"].value == "月度需求预测"
    header = [c.value for c in forecast[3]]
    assert header[:2] == ["SKU", "产品"] and str(header[-1]).endswith("预测") and len(header) == 2 + 36 + 3
    skus = {row[0].value for row in forecast.iter_rows(min_row=4)}
    assert "DH20" in skus                          # ordered in October, a complete month of history


async def test_staff_without_report_permissions_and_dealers_are_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/admin/login", data={"username": "d1.owner", "password": PASSWORD},
                                 headers=SAME_ORIGIN)
    assert response.status_code == 400                          # dealer users never log in here
    assert (await client.get("/dashboard/")).status_code == 302
    await login(client, "zhao.quality")
    page = await client.get(f"/dashboard/?{NOV}")
    assert page.status_code == 403 and "您没有权限执行此操作" in page.text
    assert (await client.get(f"/dashboard/chart.png?{NOV}")).status_code == 403
    assert (await client.get("/dashboard/plan")).status_code == 403
