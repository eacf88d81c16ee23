"""The admin Outbox screen shows a row's params decrypted, while the table holds only a Fernet token."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from sqlalchemy import text

from core.outbox import Category, OutboxMessage, OutboxStatus
from core.users import Role
from tests.e2e.conftest import ADMIN_PASSWORD, BASE_URL, Web, add_staff

NAME = "赵美兰"
DESCRIPTION = "滤网异响，已上门两次"


async def test_the_outbox_details_show_params_decrypted(web_any: Web) -> None:
    await add_staff(web_any, "zhang.admin", Role.ADMIN)
    async with web_any.uow() as uow:
        row = await uow.outbox.add(OutboxMessage(
            dedup_key="ticket.assigned:AS-20261126-0001:u1", kind="ticket.assigned", category=Category.TICKET,
            params={"number": "AS-20261126-0001", "dealer": NAME, "who": DESCRIPTION}, channel="telegram",
            chat_id="1001", status=OutboxStatus.DEAD, attempts=8, created_at=datetime(2026, 11, 26, 2, tzinfo=UTC)))
        await uow.commit()
    async with web_any.engine.connect() as conn:
        raw = await conn.scalar(text("SELECT params FROM outbox_messages WHERE id = :id"), {"id": row.id})
    assert isinstance(raw, str) and raw.startswith("gAAAAA") and NAME not in raw

    login = await web_any.client.post("/admin/login", data={"username": "zhang.admin", "password": ADMIN_PASSWORD},
                                      headers={"Origin": BASE_URL})
    assert login.status_code == 302
    details = await web_any.client.get(f"/admin/outbox-message/details/{row.id}")
    assert details.status_code == 200
    page = html.unescape(details.text)
    assert NAME in page and DESCRIPTION in page and "AS-20261126-0001" in page and "gAAAAA" not in page


async def test_the_outbox_list_shows_why_a_row_is_dead_or_folded(web_any: Web) -> None:
    await add_staff(web_any, "zhang.admin", Role.ADMIN)
    reason = "undeliverable: the user is bound only on web, which no sender serves"
    async with web_any.uow() as uow:
        await uow.outbox.add(OutboxMessage(
            dedup_key="digest.list:x:u1", kind="digest.list", category=Category.CONTRACT, params={"of": "x", "n": 2},
            channel="web", chat_id="web:li", status=OutboxStatus.DEAD, attempts=1, last_error=reason,
            created_at=datetime(2026, 11, 26, 2, tzinfo=UTC)))
        await uow.outbox.add(OutboxMessage(
            dedup_key="contract.behind_staff:7:u1", kind="contract.behind_staff", category=Category.CONTRACT,
            params={}, channel="web", chat_id="web:li", status=OutboxStatus.FOLDED,
            last_error="in digest digest.list:x:u1", created_at=datetime(2026, 11, 26, 2, tzinfo=UTC)))
        await uow.commit()
    login = await web_any.client.post("/admin/login", data={"username": "zhang.admin", "password": ADMIN_PASSWORD},
                                      headers={"Origin": BASE_URL})
    assert login.status_code == 302
    listing = html.unescape((await web_any.client.get("/admin/outbox-message/list")).text)
    assert reason in listing and "in digest digest.list:x:u1" in listing
