"""core.services.queues: what waits per queue, who sees which, counts, pages and filters (no chat)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.aftersales import Ticket, TicketStatus
from core.errors import PermissionDenied, ValidationFailed
from core.services.queues import Queue, QueueFilter, queue_page, visible_queues, waiting_counts
from core.users import Role
from tests.factories import fixed_clock, make_dealer, staff
from tests.fakes import FakeUnitOfWork


async def _tickets(uow: FakeUnitOfWork, n: int) -> list[int]:
    clock = fixed_clock()
    ids = []
    for i in range(2):
        dealer = await uow.dealers.add(make_dealer(name=f"经销商{i}"))
        ids.append(dealer.id or 0)
    for i in range(n):
        await uow.tickets.add(Ticket(number=f"AS-20261126-{i + 1:04d}", dealer_id=ids[i % 2], description=f"故障 {i}",
                                     status=TicketStatus.ACCEPTED if i % 3 == 0 else TicketStatus.OPEN,
                                     sla_due_at=clock.now() + timedelta(hours=i - 2)))
    await uow.commit()
    return ids


def test_each_role_has_its_queues() -> None:
    assert visible_queues(staff(Role.QUALITY)) == [Queue.TICKETS, Queue.QUALITY]
    assert visible_queues(staff(Role.MARKETING)) == [Queue.MATERIALS, Queue.REPORTS, Queue.CLAIMS]
    # the order desk answers the questions about an order (core.services.faq.may_answer): it sees those
    assert visible_queues(staff(Role.ORDER_DESK)) == [Queue.APPROVE, Queue.ALLOCATE, Queue.SHIP, Queue.QUESTIONS]
    assert Queue.QUESTIONS in visible_queues(staff(Role.CHANNEL_MANAGER))
    assert visible_queues(staff(Role.MANAGEMENT)) == [Queue.APPROVE, Queue.QUESTIONS, Queue.CREDIT]
    assert {Queue.DISPUTES, Queue.BANK, Queue.CLAIMS, Queue.CREDIT} <= set(visible_queues(staff(Role.FINANCE)))
    assert all(role.is_staff and visible_queues(staff(role)) for role in Role if role.is_staff)


async def test_counts_pages_and_filters() -> None:
    uow, clock = FakeUnitOfWork(), fixed_clock()
    ids = await _tickets(uow, 13)
    actor = staff(Role.AFTER_SALES)
    counts = {c.queue: c for c in await waiting_counts(uow, actor, clock)}
    assert counts[Queue.TICKETS].total == 13 and counts[Queue.TICKETS].late == 2
    assert [i.ref for i in counts[Queue.TICKETS].top] == ["AS-20261126-0001", "AS-20261126-0002", "AS-20261126-0003"]
    first = await queue_page(uow, actor, Queue.TICKETS, clock, limit=5)
    last = await queue_page(uow, actor, Queue.TICKETS, clock, offset=10, limit=5)
    assert (len(first.items), first.has_next, first.has_prev) == (5, True, False)
    assert (len(last.items), last.has_next, last.has_prev, last.total) == (3, False, True, 13)
    beyond = await queue_page(uow, actor, Queue.TICKETS, clock, offset=99, limit=5)
    assert beyond.offset == 10
    mine = await queue_page(uow, actor, Queue.TICKETS, clock, filter=QueueFilter(dealer_id=ids[1]), limit=50)
    assert mine.total == 6 and {i.dealer_id for i in mine.items} == {ids[1]} and mine.unfiltered == 13
    late = await queue_page(uow, actor, Queue.TICKETS, clock, filter=QueueFilter(status="late"))
    assert late.total == 2 and all(i.late for i in late.items)
    accepted = await queue_page(uow, actor, Queue.TICKETS, clock, filter=QueueFilter(status="accepted"), limit=50)
    assert accepted.total == 5 and {i.status for i in accepted.items} == {"accepted"}
    with pytest.raises(ValidationFailed):
        await queue_page(uow, actor, Queue.TICKETS, clock, filter=QueueFilter(status="shipped"))


async def test_a_queue_outside_the_job_is_refused() -> None:
    uow, clock = FakeUnitOfWork(), fixed_clock()
    await _tickets(uow, 2)
    with pytest.raises(PermissionDenied):
        await queue_page(uow, staff(Role.MARKETING), Queue.TICKETS, clock)
    assert Queue.TICKETS not in {c.queue for c in await waiting_counts(uow, staff(Role.MARKETING), clock)}
