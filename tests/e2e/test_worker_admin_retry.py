"""Dead outbox rows are visible in the admin, and an admin's "retry" puts them back in the queue."""

from __future__ import annotations

from datetime import UTC, datetime

from core.outbox import Category, OutboxMessage, OutboxStatus
from core.users import Role
from tests.e2e.conftest import ADMIN_PASSWORD, BASE_URL, Web, add_staff

SAME_ORIGIN = {"Origin": BASE_URL}
LIST = "/admin/outbox-message/list"


async def login(web: Web, username: str) -> None:
    response = await web.client.post("/admin/login", data={"username": username, "password": ADMIN_PASSWORD},
                                     headers=SAME_ORIGIN)
    assert response.status_code == 302


async def rows(web: Web) -> tuple[int, int]:
    now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    async with web.uow() as uow:
        dead = await uow.outbox.add(OutboxMessage(
            dedup_key="order.approved:SO-20261126-0001:e2:u1", kind="order.approved", category=Category.ORDER,
            params={"number": "SO-20261126-0001"}, channel="telegram", chat_id="1001", status=OutboxStatus.DEAD,
            attempts=8, last_error="Forbidden: bot was blocked by the user", created_at=now))
        sent = await uow.outbox.add(OutboxMessage(
            dedup_key="order.shipped:SO-20261126-0001:e5:u1", kind="order.shipped", category=Category.ORDER,
            params={"number": "SO-20261126-0001"}, channel="telegram", chat_id="1001", status=OutboxStatus.SENT,
            created_at=now, sent_at=now, delivered_to="telegram:1001"))
        await uow.commit()
    assert dead.id is not None and sent.id is not None
    return dead.id, sent.id


async def test_an_admin_sees_dead_rows_and_retries_them(web: Web) -> None:
    await add_staff(web, "zhang.admin", Role.ADMIN)
    dead, sent = await rows(web)
    await login(web, "zhang.admin")
    listed = await web.client.get(LIST)
    assert listed.status_code == 200 and "order.approved" in listed.text and "dead" in listed.text
    details = await web.client.get(f"/admin/outbox-message/details/{dead}")
    assert details.status_code == 200 and "bot was blocked" in details.text

    action = f"/admin/outbox-message/action/retry?pks={dead},{sent}"
    forged = await web.client.get(action)                                     # no Referer: another site
    assert forged.status_code == 403
    done = await web.client.get(action, headers={"Referer": f"{BASE_URL}{LIST}"})
    assert done.status_code == 302 and done.headers["location"].endswith(LIST)
    async with web.uow() as uow:
        retried = await uow.outbox.get(dead)
        untouched = await uow.outbox.get(sent)
        audit = await uow.audit.list(action="outbox.retry")
    assert retried is not None and (retried.status, retried.attempts) == (OutboxStatus.PENDING, 0)
    assert untouched is not None and untouched.status == OutboxStatus.SENT          # sent rows stay sent
    assert [(a.actor, a.entity_id) for a in audit] == [("staff:zhang.admin", str(dead))]


async def test_other_staff_cannot_see_or_retry_the_outbox(web: Web) -> None:
    await add_staff(web, "wang.desk", Role.ORDER_DESK)
    dead, _ = await rows(web)
    await login(web, "wang.desk")
    assert (await web.client.get(LIST)).status_code in (302, 403)
    refused = await web.client.get(f"/admin/outbox-message/action/retry?pks={dead}",
                                   headers={"Referer": f"{BASE_URL}{LIST}"})
    assert refused.status_code in (302, 403)
    async with web.uow() as uow:
        row = await uow.outbox.get(dead)
    assert row is not None and row.status == OutboxStatus.DEAD
