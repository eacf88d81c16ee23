"""The product's pages in a real Chromium: log in, the admin home's waiting items, the web chat ordering AP300 by
free text, the dashboard's chart and Excel export, the back office's ticket photos, /docs. No page may log a
console error or fail a request (``conftest.Watched``)."""

from __future__ import annotations

import re

from tests.browser.conftest import Server, Watched, login

ORDER_NO = re.compile(r"SO-\d{8}-\d{3,}")


def test_login_and_the_admin_home_shows_what_waits(page: Watched, server: Server) -> None:
    pg = page.page
    pg.goto("/admin/")
    assert "/admin/login" in pg.url                       # not logged in: the login page
    login(page)
    home = pg.locator("#dms-home")
    assert "今日待办" in home.inner_text()
    rows = pg.locator("#dms-waiting tbody tr")
    queues = [rows.nth(i).get_attribute("data-queue") for i in range(rows.count())]
    # the admin sees every queue; the demo data leaves orders to approve and tickets open
    assert {"approve", "tickets", "bank"} <= set(queues), queues
    tickets = pg.locator("#dms-waiting tr[data-queue=tickets]")
    assert int(tickets.locator(".dms-total").inner_text()) > 0
    tickets.get_by_role("link", name=re.compile("售后")).click()
    pg.wait_for_url("**/backoffice/queues/tickets")
    assert pg.locator("table tbody tr").count() > 0
    page.assert_clean()


def test_web_chat_orders_ap300_and_the_order_is_in_the_admin(page: Watched, server: Server) -> None:
    pg = page.page
    login(page)
    pg.goto("/chat/")
    pg.select_option("#as", index=1)                      # the first dealer
    pg.fill("#text", "AP300 来二十台")
    pg.press("#text", "Enter")
    confirm = pg.get_by_role("button", name=re.compile("确认下单"))
    confirm.first.wait_for()
    confirm.first.click()
    done = pg.locator("#log .bot", has_text="订单已提交")
    done.first.wait_for()
    number = ORDER_NO.search(done.first.inner_text())
    assert number is not None, done.first.inner_text()
    pg.goto(f"/admin/order/list?search={number.group(0)}")
    assert pg.get_by_text(number.group(0)).count() >= 1
    page.assert_clean()


def test_dashboard_chart_loads_and_excel_downloads(page: Watched, server: Server) -> None:
    pg = page.page
    login(page)
    pg.goto("/dashboard/")
    chart = pg.locator("img.chart")
    chart.wait_for()
    pg.wait_for_function("document.querySelector('img.chart').complete")
    assert chart.evaluate("img => img.naturalWidth") > 0
    with pg.expect_download() as info:
        pg.get_by_role("link", name=re.compile("导出 Excel")).click()
    download = info.value
    data = open(download.path(), "rb").read()
    assert data[:2] == b"PK" and download.suggested_filename.endswith(".xlsx")
    page.assert_clean()


def test_back_office_ticket_photos_render(page: Watched, server: Server) -> None:
    pg = page.page
    login(page)
    pg.goto("/backoffice/tickets")
    photos = pg.locator("table img")
    assert photos.count() > 0
    first = photos.first
    first.scroll_into_view_if_needed()
    pg.wait_for_function("Array.from(document.querySelectorAll('table img')).slice(0, 3).every(i => i.complete)")
    assert first.evaluate("img => img.naturalWidth") > 0
    page.assert_clean()


def test_docs_list_the_api_operations(page: Watched, server: Server) -> None:
    """Swagger UI's assets come from the app (no internet here): the operations are listed."""
    pg = page.page
    pg.goto("/docs")
    pg.locator(".opblock").first.wait_for(timeout=10_000)
    summaries = pg.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/orders" in s for s in summaries), summaries[:10]
    page.assert_clean()
