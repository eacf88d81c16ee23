"""After-sales queue and quality follow-up: assign, ask the dealer, statistics; corrective actions told to
the reporting dealers. Fake unit of work; assertions on stored rows and queued outbox messages."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from core.aftersales import TicketStatus
from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.quality import CorrectiveStatus
from core.services import aftersales as svc
from core.services import quality as qsvc
from core.services.aftersales import CreateTicket, summarize_tickets, waiting_for_dealer
from core.services.quality import RecordCorrectiveAction, SubmitQualityFeedback
from core.users import Role, User
from tests.factories import dealer_user, fixed_clock, make_dealer, make_product, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
WANG = staff(Role.AFTER_SALES, "wang")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001"))
    await uow.dealers.add(make_dealer(code="D0002"))
    await uow.products.add(make_product("AP-100"))
    await uow.products.add(make_product("AP-200"))
    for username, role, dealer_id in [("wang", Role.AFTER_SALES, None), ("liu", Role.AFTER_SALES, None),
                                      ("mei", Role.MARKETING, None), ("li", Role.DEALER_OWNER, 1),
                                      ("zhao", Role.DEALER_OWNER, 2)]:
        await uow.users.add(User(username=username, display_name=username.upper(), role=role, dealer_id=dealer_id))
    await uow.commit()
    uow.commits = 0
    return uow


def _outbox(uow: FakeUnitOfWork, kind: str) -> list[tuple[int | None, dict[str, object]]]:
    return [(m.user_id, m.params) for m in uow.outbox.rows if m.kind == kind]


async def _ticket(uow: FakeUnitOfWork, actor=OWNER_1, sku: str = "AP-100", dealer_id: int = 1) -> str:
    ticket = await svc.create_ticket(uow, actor, CreateTicket(dealer_id=dealer_id, description="异响", sku=sku), CLOCK)
    return ticket.number


async def test_assign_to_a_handler_tells_them(uow: FakeUnitOfWork) -> None:
    number = await _ticket(uow)
    wang = (await uow.users.get_by(username="wang")).to_actor()  # type: ignore[union-attr]
    ticket = await svc.assign_ticket(uow, wang, number, "liu", CLOCK)
    assert ticket.assignee == "staff:liu" and ticket.comments[-1].text == "→ LIU"
    told = _outbox(uow, "ticket.assigned")
    assert [(u, p["number"], p["who"]) for u, p in told] == [(2, number, "WANG")]
    assert str(told[0][1]["dealer"]).startswith("D0001 ")
    assert uow.audit.rows[-1].action == "ticket.assign" and uow.audit.rows[-1].after["assignee"] == "staff:liu"


async def test_assign_refuses_non_handlers_dealers_and_closed_tickets(uow: FakeUnitOfWork) -> None:
    number = await _ticket(uow)
    with pytest.raises(ValidationFailed):
        await svc.assign_ticket(uow, WANG, number, "mei", CLOCK)       # marketing cannot handle tickets
    with pytest.raises(ValidationFailed):
        await svc.assign_ticket(uow, WANG, number, "nobody", CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.assign_ticket(uow, OWNER_1, number, "liu", CLOCK)
    await svc.reject_ticket(uow, WANG, number, "非本公司产品", CLOCK)
    with pytest.raises(InvalidTransition):
        await svc.assign_ticket(uow, WANG, number, "liu", CLOCK)
    assert (await uow.tickets.get_by(number=number)).assignee is None  # type: ignore[union-attr]


async def test_request_info_prompts_the_dealer_with_a_reply_and_the_answer_clears_it(uow: FakeUnitOfWork) -> None:
    number = await _ticket(uow)
    await svc.accept_ticket(uow, WANG, number, CLOCK)
    await svc.request_info(uow, WANG, number, "请补拍机身铭牌照片", CLOCK)
    ticket = await uow.tickets.get_by(number=number)
    assert ticket is not None and waiting_for_dealer(ticket) and ticket.status == TicketStatus.ACCEPTED
    assert [(u, p["text"]) for u, p in _outbox(uow, "ticket.need_info")] == [(4, "请补拍机身铭牌照片")]
    await svc.add_comment(uow, OWNER_1, number, "已补拍，序列号 SN123", CLOCK)
    ticket = await uow.tickets.get_by(number=number)
    assert ticket is not None and not waiting_for_dealer(ticket)
    # the answer goes to the handler who accepted it
    assert [u for u, _ in _outbox(uow, "ticket.comment_staff")] == [1]


async def test_request_info_denied_and_validated(uow: FakeUnitOfWork) -> None:
    number = await _ticket(uow)
    with pytest.raises(PermissionDenied):
        await svc.request_info(uow, OWNER_1, number, "?", CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.request_info(uow, WANG, number, "  ", CLOCK)
    with pytest.raises(NotFound):
        await svc.request_info(uow, WANG, "AS-20261126-9999", "照片", CLOCK)
    assert _outbox(uow, "ticket.need_info") == []


async def test_statistics_per_product_dealer_and_defect(uow: FakeUnitOfWork) -> None:
    first = await _ticket(uow)
    second = await _ticket(uow, sku="AP-200")
    third = await _ticket(uow, actor=OWNER_2, dealer_id=2)
    for number in (first, second):
        await svc.accept_ticket(uow, WANG, number, CLOCK)
        await svc.start_ticket(uow, WANG, number, CLOCK)
        await svc.resolve_ticket(uow, WANG, number, "更换风扇", CLOCK)
    await svc.rate_ticket(uow, OWNER_1, first, 5, CLOCK)
    await svc.rate_ticket(uow, OWNER_1, second, 2, CLOCK)
    await qsvc.submit_quality_feedback(uow, OWNER_2, SubmitQualityFeedback(
        dealer_id=2, sku="AP-100", defect_category="噪音", count=1, ticket_numbers=[third]), CLOCK)
    later = fixed_clock("2026-11-29 10:00")      # 72 h later: the open NORMAL ticket (48 h) is late
    stats = await svc.ticket_statistics(uow, WANG, later)
    assert (stats.total.tickets, stats.total.open, stats.total.late, stats.total.avg_satisfaction) == (
        3, 1, 1, Decimal("3.5"))
    assert [(g.key, g.tickets, g.open) for g in stats.by_product] == [("AP-100", 2, 1), ("AP-200", 1, 0)]
    assert [(g.key, g.tickets, g.avg_satisfaction) for g in stats.by_dealer] == [
        ("D0001", 2, Decimal("3.5")), ("D0002", 1, None)]
    assert [(g.key, g.tickets) for g in stats.by_defect] == [("未分类", 2), ("噪音", 1)]
    assert stats.by_status == {"open": 1, "resolved": 2}
    with pytest.raises(PermissionDenied):
        await svc.ticket_statistics(uow, OWNER_1, later)
    none = await svc.ticket_statistics(uow, WANG, later, since=later.today())
    assert none.total.tickets == 0


def test_summarize_tickets_empty() -> None:
    stats = summarize_tickets([], CLOCK.now() + timedelta(days=1))
    assert (stats.total.tickets, stats.total.avg_satisfaction, stats.by_product) == (0, None, [])


async def test_corrective_action_for_a_defect_tells_every_reporting_dealer(uow: FakeUnitOfWork) -> None:
    QA = staff(Role.QUALITY, "qin")
    reports = []
    for actor, dealer_id, batch in [(OWNER_1, 1, "B2611"), (OWNER_2, 2, "B2611"), (OWNER_2, 2, "B2610")]:
        reports.append(await qsvc.submit_quality_feedback(uow, actor, SubmitQualityFeedback(
            dealer_id=dealer_id, sku="AP-100", defect_category="噪音", count=2, batch=batch), CLOCK))
    changed = await qsvc.record_corrective_action(uow, QA, RecordCorrectiveAction(
        sku="AP-100", defect_category="噪音", batch="B2611", note="更换风扇供应商"), CLOCK)
    assert [f.number for f in changed] == [reports[0].number, reports[1].number]
    assert all(f.corrective_status == CorrectiveStatus.ACTION_PLANNED and f.corrective_note == "更换风扇供应商"
               for f in changed)
    told = _outbox(uow, "quality.corrective")
    assert sorted(u for u, _ in told) == [4, 5]
    assert told[0][1]["note"] == "更换风扇供应商" and told[0][1]["status"] == {"zh": "已制定措施", "en": "Action planned"}
    assert (await uow.quality.get_by(number=reports[2].number)).corrective_status == CorrectiveStatus.NEW  # type: ignore[union-attr]
    done = await qsvc.set_corrective_status(uow, QA, reports[0].number, CorrectiveStatus.DONE, CLOCK, note="已换料")
    assert done.corrective_status == CorrectiveStatus.DONE
    assert len(_outbox(uow, "quality.corrective")) == 3
    with pytest.raises(ValidationFailed):          # no report of that product
        await qsvc.record_corrective_action(uow, QA, RecordCorrectiveAction(
            sku="AP-200", defect_category="噪音", note="x"), CLOCK)
    with pytest.raises(PermissionDenied):
        await qsvc.record_corrective_action(uow, OWNER_1, RecordCorrectiveAction(
            sku="AP-100", defect_category="噪音", note="x"), CLOCK)


async def test_defect_summary_by_batch_and_monthly_trend(uow: FakeUnitOfWork) -> None:
    for day, batch, count in [("2026-10-05 10:00", "B1", 2), ("2026-11-02 10:00", "B1", 3),
                              ("2026-11-20 10:00", None, 1)]:
        await qsvc.submit_quality_feedback(uow, OWNER_1, SubmitQualityFeedback(
            dealer_id=1, sku="AP-100", defect_category="噪音", count=count, batch=batch), fixed_clock(day))
    summary = await qsvc.defect_summary(uow, staff(Role.QUALITY), CLOCK)
    assert summary.units_by_batch == {"B1": 5, "-": 1}
    assert summary.trend_by_sku == {"AP-100": {"2026-10": 2, "2026-11": 4}}
