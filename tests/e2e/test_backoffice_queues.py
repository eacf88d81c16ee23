"""The back office shows the same queues as the chat's /today (core.services.queues), over HTTP on SQLite and
PostgreSQL: counts first, a queue 20 a page with previous/next, filtered by dealer and status; a queue outside
the reader's job is refused (403)."""

from __future__ import annotations

from datetime import timedelta

from core.aftersales import Ticket
from core.users import Role
from tests.e2e.conftest import NOW, Web, add_dealer, add_staff
from tests.e2e.test_admin_web import login


async def test_queues_in_the_back_office(web_any: Web) -> None:
    await add_staff(web_any, "li.aftersales", Role.AFTER_SALES)
    await add_staff(web_any, "sun.marketing", Role.MARKETING)
    first = await add_dealer(web_any, "D0051", "合肥新锐电器有限公司")
    second = await add_dealer(web_any, "D0052", "杭州嘉禾家电有限公司")
    async with web_any.uow() as uow:
        for n in range(23):
            await uow.tickets.add(Ticket(number=f"AS-20261120-{n + 1:04d}", dealer_id=first if n < 20 else second,
                                         description=f"除湿机不出水 {n}", created_at=NOW,
                                         sla_due_at=NOW - timedelta(days=1) if n < 2 else NOW + timedelta(days=n)))
        await uow.commit()

    await login(web_any, "li.aftersales")
    index = await web_any.client.get("/backoffice/queues")
    assert index.status_code == 200 and "售后工单 After-sales tickets" in index.text
    assert "<td>23</td><td>2</td>" in index.text and "AS-20261120-0001" in index.text
    page = await web_any.client.get("/backoffice/queues/tickets")
    assert "第 1–20 条，共 23 条" in page.text and "AS-20261120-0020" in page.text and "AS-20261120-0023" not in page.text
    assert "offset=20" in page.text
    second_page = await web_any.client.get("/backoffice/queues/tickets?offset=20")
    assert "第 21–23 条，共 23 条" in second_page.text and "AS-20261120-0023" in second_page.text
    assert "◀ 上一页" in second_page.text
    theirs = await web_any.client.get("/backoffice/queues/tickets?dealer=杭州嘉禾")
    assert "共 3 条" in theirs.text and "AS-20261120-0001<" not in theirs.text
    late = await web_any.client.get("/backoffice/queues/tickets?status=late")
    assert "共 2 条" in late.text and "⏰ AS-20261120-0002" in late.text
    both = await web_any.client.get("/backoffice/queues/tickets?dealer=有限公司")
    assert "对应多家经销商" in both.text and "D0051" in both.text and "D0052" in both.text

    await login(web_any, "sun.marketing")
    assert (await web_any.client.get("/backoffice/queues/tickets")).status_code == 403
    mine = await web_any.client.get("/backoffice/queues")
    assert "物料申请 Material requests" in mine.text and "售后工单" not in mine.text
