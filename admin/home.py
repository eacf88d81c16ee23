"""The admin's home page (/admin/): what waits for the person logged in, by their role.

The same queues as chat's /today and the back office's /backoffice/queues (``core.services.queues.waiting_counts``
decides which queues a role sees: approvals for the order desk and managers, tickets for after-sales, payments to
record and disputes for finance...), each with its count, how many are late, the most urgent few, and links to the
full list and to the page where it is worked on."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from admin.auth import current_staff
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.services.queues import QUEUE_LABELS, Queue, QueueCount, waiting_counts

TOP = 3
# where a queue's items are worked on (the rest are worked on in chat, or in the order screens for the order desk)
WORKED_AT: dict[Queue, str] = {
    Queue.APPROVE: "/admin/order/list", Queue.ALLOCATE: "/admin/order/list", Queue.SHIP: "/admin/order/list",
    Queue.TICKETS: "/backoffice/tickets", Queue.QUALITY: "/backoffice/quality",
    Queue.DOCUMENTS: "/backoffice/qualifications", Queue.MATERIALS: "/backoffice/materials",
    Queue.DISPUTES: "/backoffice/statements", Queue.REFUNDS: "/backoffice/payments", Queue.BANK: "/backoffice/payments",
    Queue.CREDIT: "/backoffice/credit", Queue.REPORTS: "/backoffice/campaigns",
}


@dataclass(frozen=True)
class HomeQueue:
    queue: str
    label_zh: str
    label_en: str
    total: int
    late: int
    top: tuple[tuple[str, str, str, bool], ...]     # (ref, dealer, summary, late)
    list_url: str
    work_url: str | None


def _row(count: QueueCount) -> HomeQueue:
    zh, en = QUEUE_LABELS[count.queue]
    top = tuple((i.ref, f"{i.dealer_code} {i.dealer_name}".strip(), i.summary, i.late) for i in count.top)
    return HomeQueue(count.queue.value, zh, en, count.total, count.late, top,
                     f"/backoffice/queues/{count.queue.value}", WORKED_AT.get(count.queue))


async def home_context(request: Request, uow: AbstractUnitOfWork, clock: Clock) -> dict[str, object]:
    """The template's context: the person, their role and their queues (the ones with something waiting first)."""
    staff = current_staff(request)
    if staff is None:
        return {"home_user": None, "home_queues": [], "home_waiting": 0}
    counts = await waiting_counts(uow, staff.to_actor(), clock, top=TOP)
    rows = sorted((_row(c) for c in counts), key=lambda r: (r.total == 0, -r.late))
    return {"home_user": staff.username, "home_role": staff.role.value, "home_queues": rows,
            "home_waiting": sum(r.total for r in rows), "home_today": clock.today().isoformat()}


__all__ = ["WORKED_AT", "HomeQueue", "home_context"]
