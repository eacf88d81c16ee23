"""After-sales tickets: rules (SLA, phone, state machine) and use cases on the fake unit of work."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.aftersales import Priority, Ticket, TicketStatus
from core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.orders import Order
from core.services import aftersales as svc
from core.services.aftersales import CreateTicket
from core.ticket_states import (
    SLA_HOURS,
    TicketAction,
    allowed_actions,
    is_sla_breached,
    next_status,
    normalize_phone,
    sla_due_at,
)
from core.users import Role
from tests.factories import at, dealer_user, fixed_clock, make_dealer, make_product, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
AFTER_SALES = staff(Role.AFTER_SALES, "wang")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001"))   # id 1
    await uow.dealers.add(make_dealer(code="D0002"))   # id 2
    await uow.products.add(make_product("AP-100"))
    await uow.orders.add(Order(number="SO-20261120-0001", dealer_id=1))
    await uow.orders.add(Order(number="SO-20261120-0002", dealer_id=2))
    await uow.commit()
    uow.commits = 0
    return uow


OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK_1 = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")


async def _ticket(uow: FakeUnitOfWork, actor=OWNER_1, clock=CLOCK, **kw: object) -> Ticket:
    values: dict[str, object] = dict(dealer_id=1, description="客户反映净化器异响", customer_name="陈先生",
                                     customer_phone="138 0013 8000")
    values.update(kw)
    return await svc.create_ticket(uow, actor, CreateTicket(**values), clock)  # type: ignore[arg-type]


async def _to(uow: FakeUnitOfWork, number: str, status: TicketStatus) -> None:
    steps = {
        TicketStatus.ACCEPTED: [svc.accept_ticket],
        TicketStatus.IN_PROGRESS: [svc.accept_ticket, svc.start_ticket],
        TicketStatus.RESOLVED: [svc.accept_ticket, svc.start_ticket, "resolve"],
        TicketStatus.CLOSED: [svc.accept_ticket, svc.start_ticket, "resolve", svc.close_ticket],
    }[status]
    for step in steps:
        if step == "resolve":
            await svc.resolve_ticket(uow, AFTER_SALES, number, "更换风扇电机", CLOCK)
        else:
            await step(uow, AFTER_SALES, number, CLOCK)  # type: ignore[operator]


# --- rules ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("priority", "hours"), [(Priority.URGENT, 4), (Priority.HIGH, 24),
                                                  (Priority.NORMAL, 48), (Priority.LOW, 120)])
def test_sla_due_time_by_priority(priority: Priority, hours: int) -> None:
    created = at("2026-11-26 10:00")
    assert SLA_HOURS[priority] == hours
    assert sla_due_at(priority, created) == created + timedelta(hours=hours)


def test_sla_due_time_needs_aware_datetime() -> None:
    with pytest.raises(ValueError):
        sla_due_at(Priority.LOW, at().replace(tzinfo=None))


def test_sla_breach_for_active_ticket_is_strictly_after_due() -> None:
    ticket = Ticket(number="AS-1", dealer_id=1, description="x", sla_due_at=at("2026-11-26 14:00"))
    assert not is_sla_breached(ticket, at("2026-11-26 13:59"))
    assert not is_sla_breached(ticket, at("2026-11-26 14:00"))
    assert is_sla_breached(ticket, at("2026-11-26 14:01"))


def test_sla_breach_of_resolved_ticket_depends_on_resolution_time() -> None:
    due = at("2026-11-26 14:00")
    on_time = Ticket(number="AS-1", dealer_id=1, description="x", sla_due_at=due,
                     status=TicketStatus.CLOSED, resolved_at=at("2026-11-26 13:00"))
    late = Ticket(number="AS-2", dealer_id=1, description="x", sla_due_at=due,
                  status=TicketStatus.RESOLVED, resolved_at=at("2026-11-26 15:00"))
    rejected = Ticket(number="AS-3", dealer_id=1, description="x", sla_due_at=due, status=TicketStatus.REJECTED)
    much_later = at("2026-12-30 00:00")
    assert is_sla_breached(on_time, much_later) is False
    assert is_sla_breached(late, much_later) is True
    assert is_sla_breached(rejected, much_later) is False


@pytest.mark.parametrize(("raw", "expected"), [
    ("13800138000", "13800138000"),
    ("+86 138 0013 8000", "13800138000"),
    ("86-139-1234-5678", "13912345678"),
    ("010-12345678", "010-12345678"),
    ("(0755)1234567", "0755-1234567"),
    ("（021）6123 4567", "021-61234567"),
    ("021-61234567-808", "021-61234567-808"),
    ("02161234567", "021-61234567"),
])
def test_phone_numbers_are_normalized(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12800138000", "1380013800", "138001380001", "12345678", "abc",
                                 "0010-1234567", "+1 415 555 0100"])
def test_bad_phone_numbers_are_refused_in_both_languages(raw: str) -> None:
    with pytest.raises(ValidationFailed) as err:
        normalize_phone(raw)
    assert "手机号" in err.value.message("zh")
    assert "mobile" in err.value.message("en")


def test_state_machine_table() -> None:
    assert next_status(TicketStatus.OPEN, TicketAction.ACCEPT) == TicketStatus.ACCEPTED
    assert next_status(TicketStatus.ACCEPTED, TicketAction.REJECT) == TicketStatus.REJECTED
    assert next_status(TicketStatus.RESOLVED, TicketAction.REOPEN) == TicketStatus.IN_PROGRESS
    assert allowed_actions(TicketStatus.OPEN) == [TicketAction.ACCEPT, TicketAction.RESOLVE, TicketAction.REJECT]
    assert allowed_actions(TicketStatus.RESOLVED) == [TicketAction.CLOSE, TicketAction.REOPEN, TicketAction.CONFIRM,
                                                      TicketAction.AUTO_CLOSE]
    assert allowed_actions(TicketStatus.CLOSED) == []
    with pytest.raises(InvalidTransition) as err:
        next_status(TicketStatus.IN_PROGRESS, TicketAction.REJECT)
    assert err.value.message("zh") == "工单当前状态“处理中”，不能驳回"
    assert err.value.message("en") == "Cannot reject a ticket while it is in progress"


# --- create -----------------------------------------------------------------------------------------

async def test_dealer_creates_ticket_with_number_sla_and_audit(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow, priority=Priority.URGENT, sku="AP-100", order_number="SO-20261120-0001",
                           photos=["files/a.jpg", " ", "files/b.jpg"])
    assert ticket.number == "AS-20261126-0001"
    assert ticket.status == TicketStatus.OPEN
    assert ticket.customer_phone == "13800138000"
    assert ticket.photos == ["files/a.jpg", "files/b.jpg"]
    assert ticket.sla_due_at == at("2026-11-26 14:00")
    assert ticket.created_by == "dealer:1:li"
    assert uow.commits == 1
    [entry] = uow.audit.rows
    assert (entry.action, entry.entity, entry.entity_id, entry.actor) == (
        "ticket.create", "ticket", "AS-20261126-0001", "dealer:1:li")
    assert entry.after["priority"] == "urgent"
    assert "customer_phone" not in entry.after and "customer_name" not in entry.after
    second = await _ticket(uow)
    assert second.number == "AS-20261126-0002"


async def test_staff_files_on_behalf_of_a_dealer(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow, actor=AFTER_SALES, dealer_id=2, customer_phone="")
    assert ticket.dealer_id == 2
    assert ticket.created_by == "staff:wang"
    assert ticket.customer_phone == ""


async def test_dealer_cannot_file_for_another_dealer(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        await _ticket(uow, actor=OWNER_2, dealer_id=1)
    assert uow.tickets.rows == [] and uow.commits == 0


async def test_staff_without_ticket_handle_cannot_file(uow: FakeUnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        await _ticket(uow, actor=staff(Role.FINANCE))


@pytest.mark.parametrize(("field", "value"), [
    ("customer_phone", "12345"), ("description", "   "), ("sku", "NOPE-1"),
    ("order_number", "SO-20261120-0002"),    # dealer 2's order
    ("order_number", "SO-20990101-0001"),
    ("photos", [f"f{i}.jpg" for i in range(21)]),
])
async def test_create_validation(uow: FakeUnitOfWork, field: str, value: object) -> None:
    with pytest.raises(ValidationFailed):
        await _ticket(uow, **{field: value})
    assert uow.tickets.rows == [] and uow.audit.rows == []


async def test_unknown_dealer_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        await _ticket(uow, actor=AFTER_SALES, dealer_id=99)


# --- lifecycle --------------------------------------------------------------------------------------

async def test_full_lifecycle_builds_timeline_and_audit(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    n = ticket.number
    accepted = await svc.accept_ticket(uow, AFTER_SALES, n, CLOCK)
    assert accepted.status == TicketStatus.ACCEPTED and accepted.assignee == "staff:wang"
    await svc.start_ticket(uow, AFTER_SALES, n, CLOCK)
    resolved = await svc.resolve_ticket(uow, AFTER_SALES, n, "更换风扇电机", fixed_clock("2026-11-27 09:00"))
    assert resolved.resolution == "更换风扇电机"
    assert resolved.resolved_at == at("2026-11-27 09:00")
    closed = await svc.close_ticket(uow, AFTER_SALES, n, CLOCK)
    assert closed.status == TicketStatus.CLOSED
    stored = await svc.get_ticket(uow, OWNER_1, n)
    assert [c.status for c in stored.comments] == [TicketStatus.ACCEPTED, TicketStatus.IN_PROGRESS,
                                                   TicketStatus.RESOLVED, TicketStatus.CLOSED]
    assert stored.comments[2].text == "更换风扇电机"
    assert [e.action for e in uow.audit.rows] == ["ticket.create", "ticket.accept", "ticket.start",
                                                  "ticket.resolve", "ticket.close"]
    resolve_entry = uow.audit.rows[3]
    assert resolve_entry.before["status"] == "in_progress" and resolve_entry.after["status"] == "resolved"
    assert uow.commits == 5


async def test_reject_needs_reason_and_only_from_open_or_accepted(uow: FakeUnitOfWork) -> None:
    first = await _ticket(uow)
    with pytest.raises(ValidationFailed):
        await svc.reject_ticket(uow, AFTER_SALES, first.number, " ", CLOCK)
    rejected = await svc.reject_ticket(uow, AFTER_SALES, first.number, "非本公司产品", CLOCK)
    assert rejected.status == TicketStatus.REJECTED and rejected.reject_reason == "非本公司产品"
    second = await _ticket(uow)
    await _to(uow, second.number, TicketStatus.IN_PROGRESS)
    with pytest.raises(InvalidTransition):
        await svc.reject_ticket(uow, AFTER_SALES, second.number, "太晚了", CLOCK)
    assert (await svc.get_ticket(uow, AFTER_SALES, second.number)).status == TicketStatus.IN_PROGRESS


async def test_invalid_transition_changes_nothing(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    commits = uow.commits
    with pytest.raises(InvalidTransition):
        await svc.close_ticket(uow, AFTER_SALES, ticket.number, CLOCK)
    assert uow.commits == commits and len(uow.audit.rows) == 1
    assert (await svc.get_ticket(uow, OWNER_1, ticket.number)).comments == []


async def test_dealer_cannot_handle_tickets(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    with pytest.raises(PermissionDenied):
        await svc.accept_ticket(uow, OWNER_1, ticket.number, CLOCK)


async def test_staff_without_permission_cannot_handle(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    with pytest.raises(PermissionDenied):
        await svc.accept_ticket(uow, staff(Role.MARKETING), ticket.number, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.get_ticket(uow, staff(Role.FINANCE), ticket.number)


async def test_quality_staff_may_handle_tickets(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    accepted = await svc.accept_ticket(uow, staff(Role.QUALITY, "qc"), ticket.number, CLOCK)
    assert accepted.assignee == "staff:qc"


async def test_reopen_by_dealer_resets_resolution_and_rating(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.RESOLVED)
    await svc.rate_ticket(uow, OWNER_1, ticket.number, 2, CLOCK)
    reopened = await svc.reopen_ticket(uow, CLERK_1, ticket.number, "噪音依旧", CLOCK)
    assert reopened.status == TicketStatus.IN_PROGRESS
    assert reopened.resolved_at is None and reopened.satisfaction is None
    assert reopened.comments[-1].text == "噪音依旧" and reopened.comments[-1].author == "dealer:1:xiaowang"
    assert uow.audit.rows[-1].before["satisfaction"] == 2


async def test_other_dealer_cannot_reopen(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.RESOLVED)
    with pytest.raises(NotFound):
        await svc.reopen_ticket(uow, OWNER_2, ticket.number, "不满意", CLOCK)


async def test_closed_ticket_cannot_be_reopened(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.CLOSED)
    with pytest.raises(InvalidTransition):
        await svc.reopen_ticket(uow, OWNER_1, ticket.number, "不满意", CLOCK)


async def test_dealer_reopens_only_within_the_window_staff_any_time(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.RESOLVED)
    late = fixed_clock("2026-12-27 10:00")             # resolved 2026-11-26: 31 days
    with pytest.raises(Conflict) as refused:
        await svc.reopen_ticket(uow, OWNER_1, ticket.number, "又坏了", late)
    assert "新建报修" in refused.value.zh
    assert (await svc.get_ticket(uow, OWNER_1, ticket.number)).status == TicketStatus.RESOLVED
    assert await svc.reopenable_tickets(uow, OWNER_1, late) == []
    reopened = await svc.reopen_ticket(uow, AFTER_SALES, ticket.number, "客户来电仍有异响", late)
    assert reopened.status == TicketStatus.IN_PROGRESS


async def test_reopenable_tickets_are_the_dealers_own_resolved_latest_first(uow: FakeUnitOfWork) -> None:
    await uow.products.add(make_product("DH20"))
    first = await _ticket(uow, sku="AP-100")
    second = await _ticket(uow, sku="DH20")
    other = await _ticket(uow, actor=OWNER_2, dealer_id=2, sku="AP-100")
    still_open = await _ticket(uow, sku="AP-100")
    for t in (first, second, other):
        await _to(uow, t.number, TicketStatus.RESOLVED)
    next_day = fixed_clock("2026-11-27 10:00")
    later = [t.number for t in await svc.reopenable_tickets(uow, OWNER_1, next_day)]
    assert set(later) == {first.number, second.number} and still_open.number not in later
    assert [t.number for t in await svc.reopenable_tickets(uow, CLERK_1, next_day, sku="AP-100")] == [first.number]
    assert [t.number for t in await svc.reopenable_tickets(uow, OWNER_2, next_day)] == [other.number]
    assert await svc.reopenable_tickets(uow, AFTER_SALES, next_day) == []


# --- visibility -------------------------------------------------------------------------------------

async def test_dealer_a_gets_not_found_for_dealer_b_ticket(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    with pytest.raises(NotFound) as err:
        await svc.get_ticket(uow, OWNER_2, ticket.number)
    with pytest.raises(NotFound) as missing:
        await svc.get_ticket(uow, OWNER_2, "AS-20990101-0001")
    # the same answer as for a number that does not exist
    assert err.value.message("en") == f"Not found: {ticket.number}"
    assert type(err.value) is type(missing.value)
    with pytest.raises(NotFound):
        await svc.add_comment(uow, OWNER_2, ticket.number, "看看", CLOCK)


async def test_list_tickets_is_scoped(uow: FakeUnitOfWork) -> None:
    a = await _ticket(uow, clock=fixed_clock("2026-11-25 09:00"))
    b = await _ticket(uow, clock=fixed_clock("2026-11-26 09:00"))
    c = await _ticket(uow, actor=OWNER_2, dealer_id=2)
    assert [t.number for t in await svc.list_tickets(uow, OWNER_1)] == [b.number, a.number]
    assert await svc.list_tickets(uow, OWNER_1, dealer_id=2) == []
    assert [t.number for t in await svc.list_tickets(uow, OWNER_2)] == [c.number]
    everything = await svc.list_tickets(uow, AFTER_SALES)
    assert {t.number for t in everything} == {a.number, b.number, c.number}
    assert [t.number for t in await svc.list_tickets(uow, AFTER_SALES, dealer_id=2)] == [c.number]
    await svc.accept_ticket(uow, AFTER_SALES, a.number, CLOCK)
    accepted = await svc.list_tickets(uow, AFTER_SALES, status=TicketStatus.ACCEPTED)
    assert [t.number for t in accepted] == [a.number]
    with pytest.raises(PermissionDenied):
        await svc.list_tickets(uow, staff(Role.FINANCE))


# --- comments and rating ----------------------------------------------------------------------------

async def test_comments_by_dealer_and_staff_go_to_timeline(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await svc.add_comment(uow, CLERK_1, ticket.number, "客户明天上午在家", fixed_clock("2026-11-26 11:00"))
    await svc.add_comment(uow, AFTER_SALES, ticket.number, "已安排师傅", fixed_clock("2026-11-26 12:00"))
    stored = await svc.get_ticket(uow, OWNER_1, ticket.number)
    assert [(c.author, c.text, c.status) for c in stored.comments] == [
        ("dealer:1:xiaowang", "客户明天上午在家", None), ("staff:wang", "已安排师傅", None)]
    assert stored.updated_at == at("2026-11-26 12:00")
    assert [e.action for e in uow.audit.rows[-2:]] == ["ticket.comment", "ticket.comment"]
    with pytest.raises(ValidationFailed):
        await svc.add_comment(uow, CLERK_1, ticket.number, "", CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.add_comment(uow, staff(Role.FINANCE), ticket.number, "?", CLOCK)


async def test_owner_rates_resolved_ticket_once(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    with pytest.raises(Conflict):
        await svc.rate_ticket(uow, OWNER_1, ticket.number, 5, CLOCK)   # still open
    await _to(uow, ticket.number, TicketStatus.RESOLVED)
    rated = await svc.rate_ticket(uow, OWNER_1, ticket.number, 4, CLOCK)
    assert rated.satisfaction == 4
    assert uow.audit.rows[-1].action == "ticket.rate" and uow.audit.rows[-1].after["satisfaction"] == 4
    with pytest.raises(Conflict):
        await svc.rate_ticket(uow, OWNER_1, ticket.number, 5, CLOCK)
    await svc.close_ticket(uow, AFTER_SALES, ticket.number, CLOCK)
    assert (await svc.get_ticket(uow, OWNER_1, ticket.number)).satisfaction == 4


async def test_closed_ticket_can_be_rated(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.CLOSED)
    assert (await svc.rate_ticket(uow, OWNER_1, ticket.number, 5, CLOCK)).satisfaction == 5


async def test_clerk_staff_and_other_dealer_cannot_rate(uow: FakeUnitOfWork) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.RESOLVED)
    with pytest.raises(PermissionDenied):
        await svc.rate_ticket(uow, CLERK_1, ticket.number, 5, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.rate_ticket(uow, AFTER_SALES, ticket.number, 5, CLOCK)
    with pytest.raises(NotFound):
        await svc.rate_ticket(uow, OWNER_2, ticket.number, 5, CLOCK)
    assert (await svc.get_ticket(uow, OWNER_1, ticket.number)).satisfaction is None


@pytest.mark.parametrize("score", [0, 6, -1, True])
async def test_rating_range(uow: FakeUnitOfWork, score: int) -> None:
    ticket = await _ticket(uow)
    await _to(uow, ticket.number, TicketStatus.RESOLVED)
    with pytest.raises(ValidationFailed):
        await svc.rate_ticket(uow, OWNER_1, ticket.number, score, CLOCK)


# --- SLA breaches -----------------------------------------------------------------------------------

async def test_sla_breaches_lists_only_overdue_unresolved(uow: FakeUnitOfWork) -> None:
    urgent = await _ticket(uow, priority=Priority.URGENT)              # due 14:00
    high = await _ticket(uow, priority=Priority.HIGH)                  # due next day 10:00
    resolved = await _ticket(uow, priority=Priority.URGENT)
    await _to(uow, resolved.number, TicketStatus.RESOLVED)
    rejected = await _ticket(uow, priority=Priority.URGENT)
    await svc.reject_ticket(uow, AFTER_SALES, rejected.number, "重复工单", CLOCK)
    assert await svc.sla_breaches(uow, AFTER_SALES, at("2026-11-26 13:00")) == []
    late = await svc.sla_breaches(uow, AFTER_SALES, at("2026-11-26 15:00"))
    assert [t.number for t in late] == [urgent.number]
    later = await svc.sla_breaches(uow, AFTER_SALES, at("2026-11-27 11:00"))
    assert [t.number for t in later] == [urgent.number, high.number]
    with pytest.raises(PermissionDenied):
        await svc.sla_breaches(uow, OWNER_1, at("2026-11-27 11:00"))
