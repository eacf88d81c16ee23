"""Campaigns: targeting, lifecycle, participation and reports, effect figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.campaigns import Campaign, CampaignStatus, ParticipationStatus
from core.dealers import Dealer, DealerStatus
from core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.sellout import SellOutLine
from core.services import campaigns as svc
from core.services.campaigns import (
    CreateCampaign,
    ReportExecution,
    UpdateCampaign,
    active_campaigns_for,
    campaign_effect_figures,
    effect_periods,
    is_target,
    uplift_pct,
)
from core.users import Role
from tests.factories import dealer_user, fixed_clock, make_dealer, make_product, staff
from tests.fakes import FakeUnitOfWork

MKT = staff(Role.MARKETING, "mei")
CLOCK = fixed_clock("2026-11-10 10:00")     # inside the default campaign's dates


def _campaign(**kw: object) -> Campaign:
    values: dict[str, object] = dict(code="C1", name="双十一", starts_on=date(2026, 11, 1),
                                     ends_on=date(2026, 11, 30))
    values.update(kw)
    return Campaign(**values)  # type: ignore[arg-type]


def _dealer(id: int, region: str = "华东", tier: str = "B") -> Dealer:
    return make_dealer(id=id, region=region, tier=tier)


# --- targeting --------------------------------------------------------------------------------------

def test_empty_targets_mean_everybody() -> None:
    assert is_target(_campaign(), _dealer(1, "西南", "C"))


def test_named_dealers_only() -> None:
    c = _campaign(target_dealer_ids=[2])
    assert is_target(c, _dealer(2)) and not is_target(c, _dealer(3))


def test_regions_and_tiers_narrow_together_named_dealers_added() -> None:
    c = _campaign(target_regions=["华东"], target_tiers=["A", "B"], target_dealer_ids=[9])
    assert is_target(c, _dealer(1, "华东", "A"))
    assert not is_target(c, _dealer(2, "华东", "C"))     # wrong tier
    assert not is_target(c, _dealer(3, "华北", "A"))     # wrong region
    assert is_target(c, _dealer(9, "华北", "C"))         # named
    only_tier = _campaign(target_tiers=["A"])
    assert is_target(only_tier, _dealer(4, "华南", "A")) and not is_target(only_tier, _dealer(5, "华南", "B"))


def test_active_campaigns_for_dealer() -> None:
    dealer = _dealer(1, "华东", "B")
    running = _campaign(code="RUN", status=CampaignStatus.LAUNCHED, ends_on=date(2026, 11, 20))
    later_end = _campaign(code="LATE", status=CampaignStatus.LAUNCHED, ends_on=date(2026, 12, 31))
    planned = _campaign(code="PLAN")
    finished = _campaign(code="FIN", status=CampaignStatus.FINISHED)
    elsewhere = _campaign(code="NORTH", status=CampaignStatus.LAUNCHED, target_regions=["华北"])
    not_yet = _campaign(code="DEC", status=CampaignStatus.LAUNCHED, starts_on=date(2026, 12, 1),
                        ends_on=date(2026, 12, 31))
    all_ = [later_end, planned, finished, elsewhere, not_yet, running]
    assert [c.code for c in active_campaigns_for(all_, dealer, date(2026, 11, 10))] == ["RUN", "LATE"]
    assert [c.code for c in active_campaigns_for(all_, dealer, date(2026, 11, 30))] == ["LATE"]
    assert [c.code for c in active_campaigns_for(all_, dealer, date(2026, 12, 1))] == ["DEC", "LATE"]


# --- use cases --------------------------------------------------------------------------------------

@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(region="华东", tier="A"))                                   # 1
    await uow.dealers.add(make_dealer(region="华东", tier="B"))                                   # 2
    await uow.dealers.add(make_dealer(region="华北", tier="A"))                                   # 3
    await uow.dealers.add(make_dealer(region="华东", tier="B", status=DealerStatus.SUSPENDED))    # 4
    await uow.products.add(make_product("AP-100"))
    await uow.products.add(make_product("AP-200"))
    await uow.commit()
    uow.commits = 0
    return uow


D1 = dealer_user(1, Role.DEALER_OWNER, "li")
D2 = dealer_user(2, Role.DEALER_CLERK, "wu")
D3 = dealer_user(3, Role.DEALER_OWNER, "zhao")


async def _launched(uow: FakeUnitOfWork, **kw: object) -> Campaign:
    values: dict[str, object] = dict(code="C2611", name="冬季净化季", starts_on=date(2026, 11, 1),
                                     ends_on=date(2026, 11, 30), target_regions=["华东"], skus=["AP-100"],
                                     budget=Decimal("50000"))
    values.update(kw)
    created = await svc.create_campaign(uow, MKT, CreateCampaign(**values), fixed_clock("2026-10-20 09:00"))  # type: ignore[arg-type]
    assert created.id is not None
    return await svc.launch_campaign(uow, MKT, created.id, fixed_clock("2026-10-25 09:00"))


async def test_create_campaign_cleans_input_and_audits(uow: FakeUnitOfWork) -> None:
    created = await svc.create_campaign(uow, MKT, CreateCampaign(
        code=" C1 ", name=" 双十一 ", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 11),
        budget=Decimal("1000.5"), target_tiers=["a", " b", "a"], target_regions=["华东", ""],
        target_dealer_ids=[2, 1, 2], skus=["AP-100"]), CLOCK)
    assert (created.code, created.name, created.budget) == ("C1", "双十一", Decimal("1000.50"))
    assert created.target_tiers == ["A", "B"] and created.target_regions == ["华东"]
    assert created.target_dealer_ids == [1, 2]
    assert created.status == CampaignStatus.PLANNED
    assert [(e.action, e.entity_id) for e in uow.audit.rows] == [("campaign.create", "C1")]
    assert uow.commits == 1


@pytest.mark.parametrize("kw", [
    {"ends_on": date(2026, 10, 1)}, {"name": " "}, {"code": ""}, {"skus": ["NOPE"]},
    {"target_dealer_ids": [99]}, {"budget": Decimal("-1")},
])
async def test_create_campaign_validation(uow: FakeUnitOfWork, kw: dict[str, object]) -> None:
    values: dict[str, object] = dict(code="C1", name="x", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 2))
    values.update(kw)
    with pytest.raises(ValidationFailed):
        await svc.create_campaign(uow, MKT, CreateCampaign(**values), CLOCK)  # type: ignore[arg-type]
    assert uow.campaigns.rows == [] and uow.audit.rows == []


async def test_campaign_code_is_unique(uow: FakeUnitOfWork) -> None:
    await _launched(uow)
    with pytest.raises(Conflict):
        await svc.create_campaign(uow, MKT, CreateCampaign(code="C2611", name="again", starts_on=date(2026, 12, 1),
                                                           ends_on=date(2026, 12, 2)), CLOCK)


async def test_only_campaign_writers_manage(uow: FakeUnitOfWork) -> None:
    cmd = CreateCampaign(code="C1", name="x", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 2))
    for actor in (D1, staff(Role.AFTER_SALES), staff(Role.MANAGEMENT)):
        with pytest.raises(PermissionDenied):
            await svc.create_campaign(uow, actor, cmd, CLOCK)
    campaign = await _launched(uow)
    assert campaign.id is not None
    with pytest.raises(PermissionDenied):
        await svc.finish_campaign(uow, D1, campaign.id, CLOCK)


async def test_lifecycle_and_invalid_moves(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow)
    assert campaign.id is not None and campaign.status == CampaignStatus.LAUNCHED
    with pytest.raises(InvalidTransition) as err:
        await svc.launch_campaign(uow, MKT, campaign.id, CLOCK)
    assert err.value.message("zh") == "活动当前为“进行中”，不能发布"
    finished = await svc.finish_campaign(uow, MKT, campaign.id, CLOCK)
    assert finished.status == CampaignStatus.FINISHED
    with pytest.raises(InvalidTransition):
        await svc.cancel_campaign(uow, MKT, campaign.id, CLOCK)
    assert [e.action for e in uow.audit.rows] == ["campaign.create", "campaign.launch", "campaign.finish"]
    assert uow.audit.rows[-1].before["status"] == "launched"


async def test_cannot_launch_after_end_date(uow: FakeUnitOfWork) -> None:
    created = await svc.create_campaign(uow, MKT, CreateCampaign(
        code="OLD", name="旧活动", starts_on=date(2026, 10, 1), ends_on=date(2026, 10, 31)), CLOCK)
    assert created.id is not None
    with pytest.raises(BusinessRuleViolation):
        await svc.launch_campaign(uow, MKT, created.id, CLOCK)
    cancelled = await svc.cancel_campaign(uow, MKT, created.id, CLOCK)
    assert cancelled.status == CampaignStatus.CANCELLED


async def test_update_planned_freely_launched_only_some_fields(uow: FakeUnitOfWork) -> None:
    created = await svc.create_campaign(uow, MKT, CreateCampaign(
        code="C1", name="x", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 2)), CLOCK)
    assert created.id is not None
    updated = await svc.update_campaign(uow, MKT, created.id, UpdateCampaign(
        name="新名称", target_tiers=["a"], ends_on=date(2026, 11, 20), budget=Decimal("99.999")), CLOCK)
    assert (updated.name, updated.target_tiers, updated.ends_on, updated.budget) == (
        "新名称", ["A"], date(2026, 11, 20), Decimal("100.00"))
    assert uow.audit.rows[-1].before["name"] == "x" and uow.audit.rows[-1].after["name"] == "新名称"
    await svc.launch_campaign(uow, MKT, created.id, CLOCK)
    extended = await svc.update_campaign(uow, MKT, created.id, UpdateCampaign(ends_on=date(2026, 12, 5)), CLOCK)
    assert extended.ends_on == date(2026, 12, 5)
    with pytest.raises(BusinessRuleViolation):
        await svc.update_campaign(uow, MKT, created.id, UpdateCampaign(target_regions=["华南"]), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.update_campaign(uow, MKT, created.id, UpdateCampaign(ends_on=date(2026, 10, 1)), CLOCK)
    stored = await svc.get_campaign(uow, MKT, created.id)
    assert stored.ends_on == date(2026, 12, 5) and stored.target_regions == []
    await svc.finish_campaign(uow, MKT, created.id, CLOCK)
    with pytest.raises(InvalidTransition):
        await svc.update_campaign(uow, MKT, created.id, UpdateCampaign(name="y"), CLOCK)


async def test_join_rules(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow)
    assert campaign.id is not None
    joined = await svc.join_campaign(uow, D1, campaign.id, CLOCK)
    assert (joined.dealer_id, joined.status) == (1, ParticipationStatus.JOINED)
    assert uow.audit.rows[-1].action == "campaign.join" and uow.audit.rows[-1].after["dealer_id"] == 1
    with pytest.raises(Conflict):
        await svc.join_campaign(uow, D1, campaign.id, CLOCK)
    with pytest.raises(NotFound):                      # 华北 dealer is no target
        await svc.join_campaign(uow, D3, campaign.id, CLOCK)
    with pytest.raises(BusinessRuleViolation):         # after the end date
        await svc.join_campaign(uow, D2, campaign.id, fixed_clock("2026-12-01 09:00"))
    with pytest.raises(PermissionDenied):
        await svc.join_campaign(uow, MKT, campaign.id, CLOCK, dealer_id=2)
    assert [p.dealer_id for p in uow.participations.rows] == [1]


async def test_cannot_join_planned_or_finished(uow: FakeUnitOfWork) -> None:
    planned = await svc.create_campaign(uow, MKT, CreateCampaign(
        code="P", name="筹备", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30)), CLOCK)
    assert planned.id is not None
    with pytest.raises(NotFound):
        await svc.join_campaign(uow, D1, planned.id, CLOCK)
    with pytest.raises(NotFound):
        await svc.get_campaign(uow, D1, planned.id)
    await svc.launch_campaign(uow, MKT, planned.id, CLOCK)
    await svc.finish_campaign(uow, MKT, planned.id, CLOCK)
    with pytest.raises(BusinessRuleViolation):
        await svc.join_campaign(uow, D1, planned.id, CLOCK)


async def test_dealer_cannot_join_for_another_dealer(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow)
    assert campaign.id is not None
    with pytest.raises(NotFound):
        await svc.join_campaign(uow, D1, campaign.id, CLOCK, dealer_id=2)


async def test_list_active_campaigns_for_dealer(uow: FakeUnitOfWork) -> None:
    east = await _launched(uow)
    await _launched(uow, code="NORTH", target_regions=["华北"])
    assert [c.code for c in await svc.list_active_campaigns(uow, D1, CLOCK)] == [east.code]
    assert [c.code for c in await svc.list_active_campaigns(uow, D3, CLOCK)] == ["NORTH"]
    assert await svc.list_active_campaigns(uow, D1, fixed_clock("2026-12-02 10:00")) == []


async def test_report_and_review(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow)
    assert campaign.id is not None
    cid = campaign.id
    with pytest.raises(NotFound):                      # not joined yet
        await svc.report_execution(uow, D1, cid, ReportExecution("做了地推"), CLOCK)
    await svc.join_campaign(uow, D1, cid, CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.report_execution(uow, D1, cid, ReportExecution("地推", new_customers=-1), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.report_execution(uow, D1, cid, ReportExecution(" "), CLOCK)
    report = await svc.report_execution(uow, D1, cid, ReportExecution(
        " 商场地推两天 ", photos=["p/1.jpg"], new_customers=12), CLOCK)
    assert (report.status, report.report_text, report.new_customers) == (
        ParticipationStatus.REPORTED, "商场地推两天", 12)
    with pytest.raises(ValidationFailed):              # turning down needs a note
        await svc.review_execution(uow, MKT, cid, 1, approved=False, note="", clock=CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.review_execution(uow, D1, cid, 1, approved=True, note="", clock=CLOCK)
    rejected = await svc.review_execution(uow, MKT, cid, 1, approved=False, note="缺少现场照片", clock=CLOCK)
    assert rejected.status == ParticipationStatus.REJECTED and rejected.review_note == "缺少现场照片"
    assert rejected.reviewed_by == "staff:mei"
    with pytest.raises(InvalidTransition):
        await svc.review_execution(uow, MKT, cid, 1, approved=True, note="", clock=CLOCK)
    await svc.report_execution(uow, D1, cid, ReportExecution("补充照片", photos=["p/2.jpg"], new_customers=12), CLOCK)
    approved = await svc.review_execution(uow, MKT, cid, 1, approved=True, note="很好", clock=CLOCK)
    assert approved.status == ParticipationStatus.APPROVED
    with pytest.raises(Conflict):
        await svc.report_execution(uow, D1, cid, ReportExecution("再改"), CLOCK)
    assert [e.action for e in uow.audit.rows if e.action.startswith("campaign.")][-5:] == [
        "campaign.join", "campaign.report", "campaign.reject_report", "campaign.report", "campaign.approve_report"]


async def test_dealer_sees_only_own_participation(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow)
    assert campaign.id is not None
    await svc.join_campaign(uow, D1, campaign.id, CLOCK)
    await svc.join_campaign(uow, D2, campaign.id, CLOCK)
    assert [p.dealer_id for p in await svc.list_participations(uow, D2, campaign.id)] == [2]
    assert [p.dealer_id for p in await svc.list_participations(uow, MKT, campaign.id)] == [1, 2]
    with pytest.raises(NotFound):
        await svc.list_participations(uow, D3, campaign.id)


# --- effect figures ---------------------------------------------------------------------------------

def _line(dealer_id: int, day: str, qty: int, amount: str, sku: str = "AP-100") -> SellOutLine:
    return SellOutLine(dealer_id=dealer_id, sold_on=date.fromisoformat(day), sku=sku, qty=qty,
                       amount=Decimal(amount), province="上海", city="上海")


def test_effect_periods() -> None:
    c = _campaign(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10))
    assert effect_periods(c) == ((date(2026, 11, 1), date(2026, 11, 10)), (date(2026, 10, 22), date(2026, 10, 31)))
    # running: only the days so far, and a baseline as long
    assert effect_periods(c, date(2026, 11, 3)) == ((date(2026, 11, 1), date(2026, 11, 3)),
                                                    (date(2026, 10, 29), date(2026, 10, 31)))


def test_uplift_pct() -> None:
    assert uplift_pct(Decimal("150"), Decimal("100")) == Decimal("50.0")
    assert uplift_pct(Decimal("100"), Decimal("300")) == Decimal("-66.7")
    assert uplift_pct(Decimal("10"), Decimal("0")) is None


def test_effect_figures_participants_vs_other_targets() -> None:
    c = _campaign(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10), skus=["AP-100"])
    lines = [
        _line(1, "2026-11-02", 10, "2000.00"),      # participant, campaign
        _line(1, "2026-10-25", 5, "1000.00"),       # participant, baseline
        _line(1, "2026-10-21", 50, "9999.00"),      # before the baseline: ignored
        _line(1, "2026-11-03", 7, "700.00", sku="AP-200"),   # other SKU: ignored
        _line(2, "2026-11-05", 3, "600.00"),        # non-participant target, campaign
        _line(2, "2026-10-31", 3, "500.00"),        # non-participant target, baseline (last day)
        _line(3, "2026-11-05", 99, "9900.00"),      # not a target at all: ignored
        _line(1, "2026-11-11", 99, "9900.00"),      # after the end: ignored
    ]
    effect = campaign_effect_figures(c, lines, {1}, {2}, new_customers=4)
    assert effect.participants.dealers == 1 and effect.non_participants.dealers == 1
    assert (effect.participants.qty, effect.participants.amount) == (10, Decimal("2000.00"))
    assert (effect.participants.baseline_qty, effect.participants.baseline_amount) == (5, Decimal("1000.00"))
    assert effect.participants.uplift_pct == Decimal("100.0")
    assert effect.participants.qty_uplift_pct == Decimal("100.0")
    assert effect.non_participants.uplift_pct == Decimal("20.0")
    assert effect.non_participants.qty_uplift_pct == Decimal("0.0")
    assert effect.new_customers == 4


def test_effect_without_skus_counts_all_products_and_no_baseline_gives_none() -> None:
    c = _campaign(starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10))
    lines = [_line(1, "2026-11-02", 1, "100.00"), _line(1, "2026-11-03", 1, "50.00", sku="AP-200")]
    effect = campaign_effect_figures(c, lines, {1}, set())
    assert effect.participants.amount == Decimal("150.00")
    assert effect.participants.uplift_pct is None
    assert effect.non_participants.amount == Decimal("0.00") and effect.non_participants.dealers == 0


async def test_campaign_effect_use_case(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow, starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10))
    assert campaign.id is not None
    await svc.join_campaign(uow, D1, campaign.id, fixed_clock("2026-11-02 09:00"))
    await svc.report_execution(uow, D1, campaign.id, ReportExecution("地推", new_customers=5),
                               fixed_clock("2026-11-09 09:00"))
    for line in [
        _line(1, "2026-11-05", 4, "800.00"), _line(1, "2026-10-28", 2, "400.00"),
        _line(2, "2026-11-05", 1, "200.00"), _line(2, "2026-10-28", 1, "250.00"),
        _line(3, "2026-11-05", 9, "900.00"),        # 华北: no target
        _line(4, "2026-11-05", 9, "900.00"),        # suspended target: left out of the comparison
        _line(2, "2026-11-05", 9, "900.00", sku="AP-200"),
    ]:
        await uow.sellout.add(line)
    effect = await svc.campaign_effect(uow, MKT, campaign.id, fixed_clock("2026-12-01 09:00"))
    assert effect.campaign_code == "C2611"
    assert effect.participants.amount == Decimal("800.00") and effect.participants.uplift_pct == Decimal("100.0")
    assert effect.non_participants.dealers == 1
    assert effect.non_participants.amount == Decimal("200.00")
    assert effect.non_participants.uplift_pct == Decimal("-20.0")
    assert effect.new_customers == 5
    # management may read the figures; dealers and other staff may not
    assert (await svc.campaign_effect(uow, staff(Role.MANAGEMENT), campaign.id,
                                      fixed_clock("2026-12-01 09:00"))).new_customers == 5
    with pytest.raises(PermissionDenied):
        await svc.campaign_effect(uow, D1, campaign.id)
    with pytest.raises(PermissionDenied):
        await svc.campaign_effect(uow, staff(Role.AFTER_SALES), campaign.id)


async def test_rejected_reports_do_not_count_new_customers(uow: FakeUnitOfWork) -> None:
    campaign = await _launched(uow)
    assert campaign.id is not None
    await svc.join_campaign(uow, D1, campaign.id, CLOCK)
    await svc.join_campaign(uow, D2, campaign.id, CLOCK)
    await svc.report_execution(uow, D1, campaign.id, ReportExecution("a", new_customers=3), CLOCK)
    await svc.report_execution(uow, D2, campaign.id, ReportExecution("b", new_customers=40), CLOCK)
    await svc.review_execution(uow, MKT, campaign.id, 2, approved=False, note="数字不实", clock=CLOCK)
    effect = await svc.campaign_effect(uow, MKT, campaign.id, CLOCK)
    assert effect.new_customers == 3
    assert effect.participants.dealers == 2 and effect.non_participants.dealers == 0
