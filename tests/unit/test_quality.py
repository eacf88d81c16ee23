"""Quality feedback: submission rules, corrective-status machine, defect figures."""

from __future__ import annotations

import pytest

from core.aftersales import Ticket
from core.clock import SHANGHAI
from core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.quality import CorrectiveStatus, QualityFeedback
from core.services import quality as svc
from core.services.quality import DefectCount, SubmitQualityFeedback, summarize_defects
from core.users import Actor, Role
from tests.factories import at, dealer_user, fixed_clock, make_dealer, make_product, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
QC = staff(Role.QUALITY, "qc")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
CLERK_1 = dealer_user(1, Role.DEALER_CLERK, "xiaowang")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer())   # id 1
    await uow.dealers.add(make_dealer())   # id 2
    await uow.products.add(make_product("AP-100"))
    await uow.products.add(make_product("AP-200"))
    await uow.tickets.add(Ticket(number="AS-20261120-0001", dealer_id=1, description="异响"))
    await uow.tickets.add(Ticket(number="AS-20261120-0002", dealer_id=2, description="漏水"))
    await uow.commit()
    uow.commits = 0
    return uow


async def _submit(uow: FakeUnitOfWork, actor: Actor = CLERK_1, clock=CLOCK, **kw: object) -> QualityFeedback:
    values: dict[str, object] = dict(dealer_id=1, sku="AP-100", defect_category="噪音", count=3,
                                     batch="B2611", photos=["q/1.jpg"], ticket_numbers=["AS-20261120-0001"])
    values.update(kw)
    return await svc.submit_quality_feedback(uow, actor, SubmitQualityFeedback(**values), clock)  # type: ignore[arg-type]


async def test_dealer_submits_feedback(uow: FakeUnitOfWork) -> None:
    fb = await _submit(uow, ticket_numbers=["AS-20261120-0001", " AS-20261120-0001 "], description=" 运行噪音大 ")
    assert fb.number == "QF-20261126-0001"
    assert (fb.dealer_id, fb.sku, fb.defect_category, fb.count, fb.batch) == (1, "AP-100", "噪音", 3, "B2611")
    assert fb.ticket_numbers == ["AS-20261120-0001"]
    assert fb.description == "运行噪音大"
    assert fb.corrective_status == CorrectiveStatus.NEW
    assert fb.created_by == "dealer:1:xiaowang"
    assert uow.commits == 1
    [entry] = uow.audit.rows
    assert (entry.action, entry.entity_id, entry.after["count"]) == ("quality.submit", fb.number, 3)


@pytest.mark.parametrize(("field", "value"), [
    ("sku", "NOPE"), ("sku", " "), ("count", 0), ("count", -2), ("defect_category", " "),
    ("ticket_numbers", ["AS-20261120-0002"]),      # dealer 2's ticket
    ("ticket_numbers", ["AS-20990101-0001"]),      # no such ticket
    ("photos", [f"{i}.jpg" for i in range(21)]),
])
async def test_submit_validation(uow: FakeUnitOfWork, field: str, value: object) -> None:
    with pytest.raises(ValidationFailed):
        await _submit(uow, **{field: value})
    assert uow.quality.rows == [] and uow.audit.rows == [] and uow.commits == 0


async def test_foreign_ticket_and_missing_ticket_give_the_same_message(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed) as foreign:
        await _submit(uow, ticket_numbers=["AS-20261120-0002"])
    assert foreign.value.message("zh") == "工单 AS-20261120-0002 不存在或不属于该经销商"
    assert foreign.value.message("en") == "Ticket AS-20261120-0002 does not exist or belongs to another dealer"


async def test_dealer_cannot_submit_for_another_dealer(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFound):
        await _submit(uow, actor=OWNER_2, dealer_id=1, ticket_numbers=[])


async def test_staff_without_quality_report_cannot_submit(uow: FakeUnitOfWork) -> None:
    with pytest.raises(PermissionDenied):
        await _submit(uow, actor=QC)


async def test_corrective_machine_happy_path(uow: FakeUnitOfWork) -> None:
    fb = await _submit(uow)
    await svc.set_corrective_status(uow, QC, fb.number, CorrectiveStatus.INVESTIGATING, CLOCK)
    planned = await svc.set_corrective_status(uow, QC, fb.number, CorrectiveStatus.ACTION_PLANNED, CLOCK,
                                              note="更换电机供应商")
    assert planned.corrective_note == "更换电机供应商"
    done = await svc.set_corrective_status(uow, QC, fb.number, CorrectiveStatus.DONE, CLOCK)
    assert done.corrective_status == CorrectiveStatus.DONE
    assert done.corrective_note == "更换电机供应商"       # kept when no new note
    assert done.handled_by == "staff:qc"
    assert [e.action for e in uow.audit.rows] == ["quality.submit", "quality.investigating",
                                                  "quality.action_planned", "quality.done"]
    assert uow.audit.rows[2].before["corrective_status"] == "investigating"


async def test_investigation_may_end_in_no_action_with_note(uow: FakeUnitOfWork) -> None:
    fb = await _submit(uow)
    await svc.set_corrective_status(uow, QC, fb.number, CorrectiveStatus.INVESTIGATING, CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.set_corrective_status(uow, QC, fb.number, CorrectiveStatus.NO_ACTION, CLOCK)
    result = await svc.set_corrective_status(uow, QC, fb.number, CorrectiveStatus.NO_ACTION, CLOCK,
                                             note="使用不当，非质量问题")
    assert result.corrective_status == CorrectiveStatus.NO_ACTION


@pytest.mark.parametrize(("path", "bad"), [
    ([], CorrectiveStatus.DONE),
    ([], CorrectiveStatus.ACTION_PLANNED),
    ([CorrectiveStatus.INVESTIGATING], CorrectiveStatus.DONE),
    ([CorrectiveStatus.INVESTIGATING, CorrectiveStatus.NO_ACTION], CorrectiveStatus.INVESTIGATING),
])
async def test_corrective_machine_refuses_jumps(uow: FakeUnitOfWork, path: list[CorrectiveStatus],
                                                bad: CorrectiveStatus) -> None:
    fb = await _submit(uow)
    for step in path:
        await svc.set_corrective_status(uow, QC, fb.number, step, CLOCK, note="说明")
    with pytest.raises(InvalidTransition) as err:
        await svc.set_corrective_status(uow, QC, fb.number, bad, CLOCK, note="说明")
    assert "不能改为" in err.value.message("zh")
    stored = await svc.get_quality_feedback(uow, QC, fb.number)
    assert stored.corrective_status == (path[-1] if path else CorrectiveStatus.NEW)


async def test_dealer_cannot_change_corrective_status(uow: FakeUnitOfWork) -> None:
    fb = await _submit(uow)
    with pytest.raises(PermissionDenied):
        await svc.set_corrective_status(uow, OWNER_1, fb.number, CorrectiveStatus.INVESTIGATING, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.set_corrective_status(uow, staff(Role.AFTER_SALES), fb.number,
                                        CorrectiveStatus.INVESTIGATING, CLOCK)


async def test_visibility_of_feedback(uow: FakeUnitOfWork) -> None:
    mine = await _submit(uow)
    theirs = await _submit(uow, actor=OWNER_2, dealer_id=2, ticket_numbers=["AS-20261120-0002"])
    assert (await svc.get_quality_feedback(uow, OWNER_1, mine.number)).number == mine.number
    with pytest.raises(NotFound):
        await svc.get_quality_feedback(uow, OWNER_1, theirs.number)
    assert [f.number for f in await svc.list_quality_feedback(uow, OWNER_1)] == [mine.number]
    assert len(await svc.list_quality_feedback(uow, QC)) == 2
    with pytest.raises(PermissionDenied):
        await svc.list_quality_feedback(uow, staff(Role.FINANCE))


# --- figures ----------------------------------------------------------------------------------------

def _fb(sku: str, category: str, count: int, when: str) -> QualityFeedback:
    return QualityFeedback(number="QF", dealer_id=1, sku=sku, defect_category=category, count=count,
                           created_at=at(when))


def test_summarize_defects_by_sku_category_month() -> None:
    items = [
        _fb("AP-100", "噪音", 3, "2026-10-05 10:00"),
        _fb("AP-100", "噪音", 2, "2026-10-20 10:00"),
        _fb("AP-100", "噪音", 1, "2026-11-01 00:30"),   # Shanghai: November (UTC: still October)
        _fb("AP-100", "外观", 4, "2026-10-07 10:00"),
        _fb("AP-200", "包装", 4, "2026-11-02 10:00"),
    ]
    summary = summarize_defects(items, SHANGHAI, top=2)
    assert summary.rows == [
        DefectCount("AP-100", "噪音", "2026-10", 5, 2),
        DefectCount("AP-100", "噪音", "2026-11", 1, 1),
        DefectCount("AP-100", "外观", "2026-10", 4, 1),
        DefectCount("AP-200", "包装", "2026-11", 4, 1),
    ]
    # 噪音 6 first; 外观 and 包装 tie at 4, broken by SKU
    assert summary.top_defects == [("AP-100", "噪音", 6), ("AP-100", "外观", 4)]
    assert summary.units_by_sku == {"AP-100": 10, "AP-200": 4}
    assert summary.units_by_category == {"包装": 4, "噪音": 6, "外观": 4}
    assert summary.units_by_month == {"2026-10": 9, "2026-11": 5}
    assert (summary.total_units, summary.total_reports) == (14, 5)


def test_summarize_nothing() -> None:
    summary = summarize_defects([], SHANGHAI)
    assert summary.rows == [] and summary.top_defects == [] and summary.total_units == 0


async def test_defect_summary_use_case_filters_by_business_dates(uow: FakeUnitOfWork) -> None:
    await _submit(uow, clock=fixed_clock("2026-10-31 23:30"), count=7, ticket_numbers=[])
    await _submit(uow, clock=fixed_clock("2026-11-01 00:10"), count=2, ticket_numbers=[])
    await _submit(uow, clock=fixed_clock("2026-11-30 23:59"), sku="AP-200", defect_category="外观", count=1,
                  ticket_numbers=[])
    await _submit(uow, clock=fixed_clock("2026-12-01 00:00"), count=9, ticket_numbers=[])
    november = await svc.defect_summary(uow, QC, CLOCK, since=at("2026-11-01 00:00").date(),
                                        until=at("2026-11-30 00:00").date())
    assert november.total_units == 3
    assert november.units_by_month == {"2026-11": 3}
    everything = await svc.defect_summary(uow, staff(Role.MANAGEMENT), CLOCK)
    assert everything.total_units == 19 and everything.units_by_month["2026-10"] == 7
    only_200 = await svc.defect_summary(uow, QC, CLOCK, sku="AP-200")
    assert only_200.rows == [DefectCount("AP-200", "外观", "2026-11", 1, 1)]
    with pytest.raises(PermissionDenied):
        await svc.defect_summary(uow, OWNER_1, CLOCK)
