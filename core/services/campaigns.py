"""Marketing campaigns (市场活动): plan, launch, dealer participation, execution reports, effect figures.

Who may do what:

- create / update / launch / finish / cancel, review execution reports: CAMPAIGN_WRITE (marketing);
- join: a dealer user with CAMPAIGN_JOIN for its own dealer, when the dealer is a target of a launched campaign
  that has not ended (sign-up opens when marketing publishes it, also before its first day);
- report execution: the same, only from the campaign's first day;
- effect figures: CAMPAIGN_WRITE or REPORT_READ_ALL.

A dealer never sees a campaign that is not aimed at it, nor one still being planned (NotFound).

Status machine::

    planned ──launch──> launched ──finish──> finished
       └─────cancel──────┴──cancel──> cancelled
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from core import authz, notify
from core.auditing import record, snapshot
from core.campaigns import Campaign, CampaignParticipation, CampaignStatus, ParticipationStatus
from core.clock import Clock
from core.dealers import Dealer, DealerStatus
from core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.money import ZERO, money
from core.orders import OrderStatus
from core.outbox import Category
from core.ports import AbstractUnitOfWork
from core.sellout import SellOutLine
from core.users import Actor, ActorKind, Permission

CAMPAIGN_STATUS_LABELS: dict[CampaignStatus, tuple[str, str]] = {
    CampaignStatus.PLANNED: ("筹备中", "Planned"),
    CampaignStatus.LAUNCHED: ("进行中", "Launched"),
    CampaignStatus.FINISHED: ("已结束", "Finished"),
    CampaignStatus.CANCELLED: ("已取消", "Cancelled"),
}

PARTICIPATION_STATUS_LABELS: dict[ParticipationStatus, tuple[str, str]] = {
    ParticipationStatus.JOINED: ("已报名", "Joined"),
    ParticipationStatus.REPORTED: ("已提交执行反馈", "Reported"),
    ParticipationStatus.APPROVED: ("执行已确认", "Approved"),
    ParticipationStatus.REJECTED: ("执行被退回", "Rejected"),
}

# action -> (statuses it may start from, status it leads to, zh label, en label)
_TRANSITIONS: dict[str, tuple[frozenset[CampaignStatus], CampaignStatus, str, str]] = {
    "launch": (frozenset({CampaignStatus.PLANNED}), CampaignStatus.LAUNCHED, "发布", "launch"),
    "finish": (frozenset({CampaignStatus.LAUNCHED}), CampaignStatus.FINISHED, "结束", "finish"),
    "cancel": (frozenset({CampaignStatus.PLANNED, CampaignStatus.LAUNCHED}), CampaignStatus.CANCELLED,
               "取消", "cancel"),
}

# Fixed once dealers may have joined: they joined on these terms.
FROZEN_ONCE_LAUNCHED = ("starts_on", "skus", "target_regions", "target_tiers", "target_dealer_ids")

# New customers count only from reports not turned down.
_COUNTED_REPORTS = frozenset({ParticipationStatus.REPORTED, ParticipationStatus.APPROVED})

MAX_PHOTOS = 20
MAX_TEXT = 4000


# --- targeting (pure) -------------------------------------------------------------------------------

def is_target(campaign: Campaign, dealer: Dealer) -> bool:
    """Is ``dealer`` one of the campaign's target dealers?

    - no target lists at all: every dealer;
    - named dealers (``target_dealer_ids``) are always targets;
    - regions and tiers narrow together: a dealer matches when its region is listed (or no region is)
      and its tier is listed (or no tier is). With only named dealers, nobody else is a target.
    """
    regions, tiers, named = campaign.target_regions, campaign.target_tiers, campaign.target_dealer_ids
    if not (regions or tiers or named):
        return True
    if dealer.id is not None and dealer.id in named:
        return True
    if not (regions or tiers):
        return False
    return (not regions or dealer.region in regions) and (not tiers or dealer.tier in tiers)


def is_running(campaign: Campaign, today: date) -> bool:
    return campaign.status == CampaignStatus.LAUNCHED and campaign.starts_on <= today <= campaign.ends_on


def is_upcoming(campaign: Campaign, today: date) -> bool:
    """Published but its first day still ahead."""
    return campaign.status == CampaignStatus.LAUNCHED and today < campaign.starts_on


def is_open_for_joining(campaign: Campaign, today: date) -> bool:
    """Sign-up opens when the campaign is published (marketing is told "发布后面向的经销商可以报名") and closes
    after its last day."""
    return campaign.status == CampaignStatus.LAUNCHED and today <= campaign.ends_on


def status_label(campaign: Campaign, today: date) -> tuple[str, str]:
    """The campaign's status as staff read it: a published campaign whose first day is ahead is not "进行中"."""
    if is_upcoming(campaign, today):
        return "已发布，未开始", "Published, not started"
    return CAMPAIGN_STATUS_LABELS[campaign.status]


def active_campaigns_for(campaigns: Iterable[Campaign], dealer: Dealer, today: date) -> list[Campaign]:
    """Launched campaigns aimed at ``dealer`` and running ``today``, ending soonest first."""
    found = [c for c in campaigns if is_running(c, today) and is_target(c, dealer)]
    return sorted(found, key=lambda c: (c.ends_on, c.code))


def upcoming_campaigns_for(campaigns: Iterable[Campaign], dealer: Dealer, today: date) -> list[Campaign]:
    """Published campaigns aimed at ``dealer`` that start after ``today``, starting soonest first."""
    found = [c for c in campaigns if is_upcoming(c, today) and is_target(c, dealer)]
    return sorted(found, key=lambda c: (c.starts_on, c.code))


# --- plan and run -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CreateCampaign:
    code: str
    name: str
    starts_on: date
    ends_on: date
    description: str = ""
    support: str = ""                       # what the maker offers (display stands, subsidy ...)
    budget: Decimal = Decimal("0.00")
    target_regions: list[str] = field(default_factory=list)
    target_tiers: list[str] = field(default_factory=list)
    target_dealer_ids: list[int] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)   # empty: all products count in the effect figures


@dataclass(frozen=True)
class UpdateCampaign:
    """None leaves a field unchanged."""

    name: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    description: str | None = None
    support: str | None = None
    budget: Decimal | None = None
    target_regions: list[str] | None = None
    target_tiers: list[str] | None = None
    target_dealer_ids: list[int] | None = None
    skus: list[str] | None = None


async def create_campaign(uow: AbstractUnitOfWork, actor: Actor, cmd: CreateCampaign, clock: Clock) -> Campaign:
    authz.require(actor, Permission.CAMPAIGN_WRITE)
    code = cmd.code.strip()
    if not code:
        raise ValidationFailed(zh="请填写活动编号", en="Please give the campaign code", reason="code")
    campaign = Campaign(
        code=code, name=cmd.name.strip(), starts_on=cmd.starts_on, ends_on=cmd.ends_on,
        description=cmd.description.strip(), support=cmd.support.strip(), budget=money(cmd.budget),
        target_regions=_clean(cmd.target_regions), target_tiers=[t.upper() for t in _clean(cmd.target_tiers)],
        target_dealer_ids=sorted(set(cmd.target_dealer_ids)), skus=_clean(cmd.skus), created_at=clock.now(),
    )
    async with uow:
        if await uow.campaigns.get_by(code=code) is not None:
            raise Conflict(zh=f"活动编号 {code} 已存在", en=f"Campaign code {code} already exists", reason=code)
        await _validate(uow, campaign)
        await uow.campaigns.add(campaign)
        await uow.flush()
        await record(uow, actor, "campaign.create", "campaign", campaign.code, clock, after=snapshot(campaign))
        await uow.commit()
        return campaign


async def free_campaign_code(uow: AbstractUnitOfWork, actor: Actor, starts_on: date) -> str:
    """The first unused code of the month a campaign starts in ("CP-202612-01", then "-02" …): a campaign set up in
    chat gets one, as the back office's form has one typed."""
    authz.require(actor, Permission.CAMPAIGN_WRITE)
    head = f"CP-{starts_on:%Y%m}-"
    async with uow:
        taken = {c.code for c in await uow.campaigns.list(code__contains=head)}
    n = 1
    while f"{head}{n:02d}" in taken:
        n += 1
    return f"{head}{n:02d}"


async def update_campaign(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, changes: UpdateCampaign,
                          clock: Clock) -> Campaign:
    """Edit a planned campaign freely; once launched, dates may move only at the end and targets stay."""
    authz.require(actor, Permission.CAMPAIGN_WRITE)
    async with uow:
        campaign = await _campaign(uow, campaign_id, for_update=True)
        if campaign.status not in (CampaignStatus.PLANNED, CampaignStatus.LAUNCHED):
            zh, en = CAMPAIGN_STATUS_LABELS[campaign.status]
            raise InvalidTransition(zh=f"活动{zh}，不能修改", en=f"A {en.lower()} campaign cannot be changed",
                                    current=campaign.status.value, action="update")
        values: dict[str, Any] = {k: getattr(changes, k) for k in UpdateCampaign.__dataclass_fields__
                                  if getattr(changes, k) is not None}
        if campaign.status == CampaignStatus.LAUNCHED:
            frozen = [k for k in FROZEN_ONCE_LAUNCHED if k in values and values[k] != getattr(campaign, k)]
            if frozen:
                raise BusinessRuleViolation(zh="活动已发布，开始日期、产品和目标经销商不能再修改",
                                            en="The campaign is launched: its start date, products and "
                                               "target dealers can no longer change", reason=",".join(frozen))
        before = snapshot(campaign)
        for name in ("name", "description", "support"):
            if name in values:
                values[name] = values[name].strip()
        for name in ("target_regions", "skus"):
            if name in values:
                values[name] = _clean(values[name])
        if "target_tiers" in values:
            values["target_tiers"] = [t.upper() for t in _clean(values["target_tiers"])]
        if "target_dealer_ids" in values:
            values["target_dealer_ids"] = sorted(set(values["target_dealer_ids"]))
        if "budget" in values:
            values["budget"] = money(values["budget"])
        for name, value in values.items():
            setattr(campaign, name, value)
        await _validate(uow, campaign)
        await record(uow, actor, "campaign.update", "campaign", campaign.code, clock,
                     before=before, after=snapshot(campaign))
        await uow.commit()
        return campaign


async def launch_campaign(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, clock: Clock) -> Campaign:
    return await _move(uow, actor, campaign_id, "launch", clock)


async def finish_campaign(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, clock: Clock) -> Campaign:
    return await _move(uow, actor, campaign_id, "finish", clock)


async def cancel_campaign(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, clock: Clock) -> Campaign:
    return await _move(uow, actor, campaign_id, "cancel", clock)


async def get_campaign(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int) -> Campaign:
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        if not await _may_see(uow, actor, campaign):
            raise NotFound(what=str(campaign_id))
        return campaign


async def list_campaigns(uow: AbstractUnitOfWork, actor: Actor, *, status: CampaignStatus | None = None,
                         limit: int = 50, offset: int = 0) -> list[Campaign]:
    """All campaigns for marketing and management, newest start first."""
    _require_staff_reader(actor)
    filters: dict[str, Any] = {} if status is None else {"status": status}
    async with uow:
        return await uow.campaigns.list(order_by="starts_on", desc=True, limit=limit, offset=offset, **filters)


async def _campaign_dealer(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int | None) -> Dealer:
    """The dealer whose campaigns are listed: the actor's own (staff and system name one), may it join campaigns."""
    authz.require(actor, Permission.CAMPAIGN_JOIN)
    target_id = _own_dealer_id(actor, dealer_id)
    dealer = await uow.dealers.get(target_id)
    if dealer is None:
        raise NotFound(what=str(target_id))
    return dealer


async def list_active_campaigns(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                                *, dealer_id: int | None = None) -> list[Campaign]:
    """Running campaigns aimed at the actor's dealer (staff and system name the dealer)."""
    async with uow:
        dealer = await _campaign_dealer(uow, actor, dealer_id)
        launched = await uow.campaigns.list(status=CampaignStatus.LAUNCHED)
        return active_campaigns_for(launched, dealer, clock.today())


async def list_upcoming_campaigns(uow: AbstractUnitOfWork, actor: Actor, clock: Clock,
                                  *, dealer_id: int | None = None) -> list[Campaign]:
    """Published campaigns aimed at the actor's dealer that have not started yet (open for sign-up)."""
    async with uow:
        dealer = await _campaign_dealer(uow, actor, dealer_id)
        launched = await uow.campaigns.list(status=CampaignStatus.LAUNCHED, starts_on__gt=clock.today())
        return upcoming_campaigns_for(launched, dealer, clock.today())


# --- participation ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportExecution:
    text: str
    photos: list[str] = field(default_factory=list)     # file refs
    new_customers: int = 0


async def join_campaign(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, clock: Clock,
                        *, dealer_id: int | None = None) -> CampaignParticipation:
    authz.require(actor, Permission.CAMPAIGN_JOIN)
    target_id = _own_dealer_id(actor, dealer_id)
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        dealer = await uow.dealers.get(target_id)
        if dealer is None or not is_target(campaign, dealer) or campaign.status == CampaignStatus.PLANNED:
            raise NotFound(what=str(campaign_id))
        if not is_open_for_joining(campaign, clock.today()):
            raise BusinessRuleViolation(zh=f"活动“{campaign.name}”当前不在报名期内",
                                        en=f"Campaign '{campaign.name}' is not open for joining now",
                                        reason=campaign.status.value)
        if await uow.participations.get_by(campaign_id=campaign_id, dealer_id=target_id) is not None:
            raise Conflict(zh="您已报名该活动", en="You have already joined this campaign", reason="joined")
        participation = CampaignParticipation(campaign_id=campaign_id, dealer_id=target_id, joined_at=clock.now())
        await uow.participations.add(participation)
        await record(uow, actor, "campaign.join", "campaign", campaign.code, clock,
                     after={"dealer_id": target_id, "status": participation.status.value})
        await uow.commit()
        return participation


async def report_execution(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, cmd: ReportExecution,
                           clock: Clock, *, dealer_id: int | None = None) -> CampaignParticipation:
    """The participating dealer tells what it did; a report may be replaced until it is approved."""
    authz.require(actor, Permission.CAMPAIGN_JOIN)
    target_id = _own_dealer_id(actor, dealer_id)
    text = cmd.text.strip()
    if not text:
        raise ValidationFailed(zh="请填写执行情况", en="Please describe what was done", reason="text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(zh=f"执行情况不能超过 {MAX_TEXT} 字", en=f"The report is longer than {MAX_TEXT} "
                               "characters", reason="text")
    if isinstance(cmd.new_customers, bool) or cmd.new_customers < 0:
        raise ValidationFailed(zh="新增客户数不能为负数", en="New customers cannot be negative",
                               reason="new_customers")
    photos = [ref.strip() for ref in cmd.photos if ref and ref.strip()]
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(zh=f"照片最多 {MAX_PHOTOS} 张", en=f"At most {MAX_PHOTOS} photos", reason="photos")
    async with uow:
        participation = await uow.participations.get_by(campaign_id=campaign_id, dealer_id=target_id,
                                                        for_update=True)
        if participation is None:
            raise NotFound(what=str(campaign_id))
        campaign = await _campaign(uow, campaign_id)
        if campaign.status not in (CampaignStatus.LAUNCHED, CampaignStatus.FINISHED) \
                or clock.today() < campaign.starts_on:
            raise BusinessRuleViolation(zh="活动未开始或已取消，不能提交执行反馈",
                                        en="The campaign has not started or was cancelled: no report now",
                                        reason=campaign.status.value)
        if participation.status == ParticipationStatus.APPROVED:
            raise Conflict(zh="执行反馈已确认，不能再修改", en="The report is already approved",
                           reason="approved")
        before = snapshot(participation)
        participation.status = ParticipationStatus.REPORTED
        participation.report_text = text
        participation.report_photos = photos
        participation.new_customers = cmd.new_customers
        participation.reported_at = clock.now()
        await record(uow, actor, "campaign.report", "campaign", campaign.code, clock,
                     before=before, after=snapshot(participation))
        await notify.campaign_reported(uow, actor, campaign, participation, clock)
        await uow.commit()
        return participation


async def review_execution(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, dealer_id: int,
                           *, approved: bool, note: str, clock: Clock) -> CampaignParticipation:
    """Marketing approves or turns down a dealer's report; turning down needs a note."""
    authz.require(actor, Permission.CAMPAIGN_WRITE)
    text = note.strip()
    if not approved and not text:
        raise ValidationFailed(zh="退回执行反馈时请填写原因", en="Please say why the report is turned down",
                               reason="note")
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        participation = await uow.participations.get_by(campaign_id=campaign_id, dealer_id=dealer_id,
                                                        for_update=True)
        if participation is None:
            raise NotFound(what=f"{campaign.code}/{dealer_id}")
        if participation.status != ParticipationStatus.REPORTED:
            zh, en = PARTICIPATION_STATUS_LABELS[participation.status]
            raise InvalidTransition(zh=f"执行反馈当前为“{zh}”，不能审核", en=f"Cannot review a report that is {en.lower()}",
                                    current=participation.status.value, action="review")
        before = snapshot(participation)
        participation.status = ParticipationStatus.APPROVED if approved else ParticipationStatus.REJECTED
        participation.review_note = text
        participation.reviewed_by = actor.label
        participation.reviewed_at = clock.now()
        await record(uow, actor, "campaign.approve_report" if approved else "campaign.reject_report", "campaign",
                     campaign.code, clock, before=before, after=snapshot(participation))
        verdict = notify.localized("已确认", "approved") if approved else notify.localized("被退回", "turned down")
        await notify.tell_dealer(uow, dealer_id, notify.Notice(
            "campaign.report_reviewed", Category.CAMPAIGN, {"name": campaign.name, "verdict": verdict, "note": text}),
            f"{campaign.id}:{dealer_id}:{participation.reported_at.isoformat() if participation.reported_at else ''}",
            clock, exclude=actor)
        await uow.commit()
        return participation


async def list_participations(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int) -> list[CampaignParticipation]:
    """Everybody in the campaign for marketing; a dealer sees only its own row."""
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        if not await _may_see(uow, actor, campaign):
            raise NotFound(what=str(campaign_id))
        filters: dict[str, Any] = {"campaign_id": campaign_id}
        if not _is_staff_reader(actor):
            filters["dealer_id"] = actor.dealer_id
        return await uow.participations.list(order_by="dealer_id", **filters)


async def not_joined(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int) -> list[Dealer]:
    """"哪些经销商还没报名": the campaign's active target dealers (``is_target``) with no participation, by code.
    Staff who read campaigns."""
    _require_staff_reader(actor)
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        joined = {p.dealer_id for p in await uow.participations.list(campaign_id=campaign_id)}
        dealers = await uow.dealers.list(status=DealerStatus.ACTIVE, order_by="code")
    return [d for d in dealers if d.id not in joined and is_target(campaign, d)]


REMINDABLE = frozenset({CampaignStatus.LAUNCHED})


async def remind_not_joined(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, clock: Clock) -> int:
    """Remind the target dealers that have not joined a launched campaign still running (a push to each of their
    users with the campaign and a join button); once a day per campaign whatever the taps (the outbox keys), audited.
    The number of dealers reminded. Marketing (CAMPAIGN_WRITE)."""
    authz.require(actor, Permission.CAMPAIGN_WRITE)
    today = clock.today()
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        if campaign.status not in REMINDABLE or not campaign.starts_on <= today <= campaign.ends_on:
            raise Conflict(zh=f"活动“{campaign.name}”不在进行中，不能提醒报名",
                           en=f"Campaign \"{campaign.name}\" is not running: no reminder to join", reason="not_running")
        joined = {p.dealer_id for p in await uow.participations.list(campaign_id=campaign_id)}
        dealers = [d for d in await uow.dealers.list(status=DealerStatus.ACTIVE, order_by="code")
                   if d.id is not None and d.id not in joined and is_target(campaign, d)]
        notice = notify.campaign_reminder(campaign)
        for dealer in dealers:
            assert dealer.id is not None
            await notify.tell_dealer(uow, dealer.id, notice, f"{campaign.id}:{today.isoformat()}", clock)
        await record(uow, actor, "campaign.remind", "campaign", campaign.code, clock,
                     after={"dealers": [d.code for d in dealers], "day": today.isoformat()})
        await uow.commit()
    return len(dealers)


# --- effect figures ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SalesFigures:
    """Sell-out of one group of dealers for the campaign's SKUs, in the campaign period and its baseline."""

    dealers: int
    qty: int
    amount: Decimal
    baseline_qty: int
    baseline_amount: Decimal
    uplift_pct: Decimal | None          # amount uplift, 12.5 means +12.5 %; None without baseline sales
    qty_uplift_pct: Decimal | None


@dataclass(frozen=True)
class CampaignEffect:
    campaign_code: str
    period: tuple[date, date]               # campaign days counted (up to ``as_of`` while running)
    baseline_period: tuple[date, date]      # the same number of days right before
    participants: SalesFigures
    non_participants: SalesFigures          # target dealers who did not join
    new_customers: int                      # reported by participants (turned-down reports excluded)
    comparison: ComparisonEffect | None = None   # against comparable non-participants (``comparison_effect``)


@dataclass(frozen=True)
class GroupChange:
    """One group's total in the baseline period and during the campaign (CNY)."""

    dealers: int
    baseline: Decimal
    current: Decimal

    @property
    def change_pct(self) -> Decimal | None:
        return uplift_pct(self.current, self.baseline)


@dataclass(frozen=True)
class MeasureEffect:
    """Participants against comparable non-participants for one measure (sell-out or orders).

    ``incremental`` is the difference in differences per dealer, summed over the participants stratum by
    stratum: for each tier and region, (participants' average change - comparable dealers' average change)
    x participants there. What the participants sold beyond what they would have, had they moved as the
    dealers like them who did not take part."""

    participants: GroupChange                # matched participants only
    comparison: GroupChange
    incremental: Decimal

    @property
    def net_points(self) -> Decimal | None:
        """Participants' change % minus the comparison's change %, in percentage points."""
        mine, theirs = self.participants.change_pct, self.comparison.change_pct
        return None if mine is None or theirs is None else mine - theirs


@dataclass(frozen=True)
class ComparisonEffect:
    strata: tuple[tuple[str, str], ...]      # (tier, region) compared; region "": the tier in every region
    matched: int                             # participants with at least one comparable dealer
    unmatched: int                           # participants alone in their tier and region: left out
    sellout: MeasureEffect
    orders: MeasureEffect


Stratum = tuple[str, str]


def effect_periods(campaign: Campaign, as_of: date | None = None) -> tuple[tuple[date, date], tuple[date, date]]:
    """(campaign period, baseline period). A running campaign counts up to ``as_of`` so that both periods
    have the same length; before the start both are empty (end before start)."""
    end = campaign.ends_on if as_of is None else min(campaign.ends_on, as_of)
    days = max((end - campaign.starts_on).days + 1, 0)
    baseline_end = campaign.starts_on - timedelta(days=1)
    return (campaign.starts_on, end), (campaign.starts_on - timedelta(days=days), baseline_end)


def campaign_effect_figures(
    campaign: Campaign,
    lines: Iterable[SellOutLine],
    participant_ids: Collection[int],
    non_participant_ids: Collection[int],
    *,
    new_customers: int = 0,
    as_of: date | None = None,
) -> CampaignEffect:
    """Compare each group's sales during the campaign with its own sales in the baseline period."""
    period, baseline = effect_periods(campaign, as_of)
    skus = set(campaign.skus)
    totals: dict[tuple[str, bool], list[Any]] = {
        (group, current): [0, ZERO] for group in ("in", "out") for current in (True, False)}
    for line in lines:
        if skus and line.sku not in skus:
            continue
        if line.dealer_id in participant_ids:
            group = "in"
        elif line.dealer_id in non_participant_ids:
            group = "out"
        else:
            continue
        if period[0] <= line.sold_on <= period[1]:
            current = True
        elif baseline[0] <= line.sold_on <= baseline[1]:
            current = False
        else:
            continue
        totals[(group, current)][0] += line.qty
        totals[(group, current)][1] += line.amount

    def figures(group: str, dealers: int) -> SalesFigures:
        qty, amount = totals[(group, True)]
        base_qty, base_amount = totals[(group, False)]
        return SalesFigures(dealers=dealers, qty=qty, amount=money(amount), baseline_qty=base_qty,
                            baseline_amount=money(base_amount), uplift_pct=uplift_pct(amount, base_amount),
                            qty_uplift_pct=uplift_pct(Decimal(qty), Decimal(base_qty)))

    return CampaignEffect(
        campaign_code=campaign.code, period=period, baseline_period=baseline,
        participants=figures("in", len(set(participant_ids))),
        non_participants=figures("out", len(set(non_participant_ids) - set(participant_ids))),
        new_customers=new_customers,
    )


def comparison_effect(
    strata: Mapping[int, Stratum],
    participant_ids: Collection[int],
    sellout: Mapping[int, tuple[Decimal, Decimal]],
    orders: Mapping[int, tuple[Decimal, Decimal]],
) -> ComparisonEffect:
    """Participants against the non-participants like them, over the same two periods.

    ``strata`` gives each dealer's (tier, region): the participants and every candidate for comparison
    (active dealers who did not join). A participant is compared with the candidates of its tier and region;
    when none stayed out there, with those of its tier in any region (stratum ``(tier, "")``); with nobody
    comparable it is counted apart (unmatched) and left out of both groups. ``sellout`` / ``orders``: dealer ->
    (baseline amount, amount during); a dealer missing sold nothing."""
    joined = set(participant_ids)
    candidates = [d for d in strata if d not in joined]
    groups: dict[Stratum, tuple[list[int], list[int]]] = {}
    unmatched = 0
    for dealer_id in sorted(joined & set(strata)):
        tier, region = strata[dealer_id]
        for key in ((tier, region), (tier, "")):
            like = [d for d in candidates if strata[d][0] == tier and key[1] in ("", strata[d][1])]
            if like:
                groups.setdefault(key, ([], like))[0].append(dealer_id)
                break
        else:
            unmatched += 1
    compared = sorted({d for _, others in groups.values() for d in others})

    def measure(figures: Mapping[int, tuple[Decimal, Decimal]]) -> MeasureEffect:
        def totals(ids: Collection[int]) -> tuple[Decimal, Decimal]:
            return (sum((figures.get(d, (ZERO, ZERO))[0] for d in ids), ZERO),
                    sum((figures.get(d, (ZERO, ZERO))[1] for d in ids), ZERO))

        incremental = ZERO
        for mine, others in groups.values():
            (mine_base, mine_now), (their_base, their_now) = totals(mine), totals(others)
            incremental += ((mine_now - mine_base) / len(mine) - (their_now - their_base) / len(others)) * len(mine)
        joined_ids = [d for mine, _ in groups.values() for d in mine]
        (mine_base, mine_now), (their_base, their_now) = totals(joined_ids), totals(compared)
        return MeasureEffect(GroupChange(len(joined_ids), money(mine_base), money(mine_now)),
                             GroupChange(len(compared), money(their_base), money(their_now)), money(incremental))

    return ComparisonEffect(strata=tuple(sorted(groups)), matched=sum(len(g[0]) for g in groups.values()),
                            unmatched=unmatched, sellout=measure(sellout), orders=measure(orders))


def uplift_pct(current: Decimal, baseline: Decimal) -> Decimal | None:
    """Percent change, one decimal place, half up; None when there is nothing to compare with."""
    if baseline == 0:
        return None
    return ((current - baseline) / baseline * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


async def campaign_effect(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int,
                          clock: Clock | None = None) -> CampaignEffect:
    """Effect figures read from the unit of work: participants vs active target dealers who did not join."""
    _require_staff_reader(actor)
    clock = clock or Clock()
    async with uow:
        campaign = await _campaign(uow, campaign_id)
        participations = await uow.participations.list(campaign_id=campaign_id)
        participant_ids = {p.dealer_id for p in participations}
        dealers = await uow.dealers.list(status=DealerStatus.ACTIVE)
        others = {d.id for d in dealers if d.id is not None and d.id not in participant_ids and is_target(campaign, d)}
        period, baseline = effect_periods(campaign, clock.today())
        filters: dict[str, Any] = {"sold_on__gte": baseline[0], "sold_on__lte": period[1],
                                   "dealer_id__in": sorted(participant_ids | others)}
        if campaign.skus:
            filters["sku__in"] = list(campaign.skus)
        lines = await uow.sellout.list(**filters)
        comparison = await _comparison(uow, campaign, participant_ids, dealers, period, baseline, clock)
    new_customers = sum(p.new_customers for p in participations if p.status in _COUNTED_REPORTS)
    effect = campaign_effect_figures(campaign, lines, participant_ids, others, new_customers=new_customers,
                                     as_of=clock.today())
    return replace(effect, comparison=comparison)


_COUNTED_ORDERS = tuple(s for s in OrderStatus if s not in (OrderStatus.CANCELLED, OrderStatus.REJECTED))


async def _comparison(uow: AbstractUnitOfWork, campaign: Campaign, participant_ids: set[int],
                      active: list[Dealer], period: tuple[date, date], baseline: tuple[date, date],
                      clock: Clock) -> ComparisonEffect:
    """Sell-out and orders (sell-in) of the participants and of the active dealers of their tiers who did not
    join (``comparison_effect`` picks those of the same region first), in the baseline and the campaign
    period, for the campaign's SKUs."""
    joined = await uow.dealers.list(id__in=sorted(participant_ids)) if participant_ids else []
    tiers = {d.tier for d in joined}
    strata: dict[int, Stratum] = {d.id: (d.tier, d.region) for d in joined if d.id is not None}
    strata.update({d.id: (d.tier, d.region) for d in active
                   if d.id is not None and d.id not in participant_ids and d.tier in tiers})
    if not strata or period[1] < period[0]:
        empty = {d: (ZERO, ZERO) for d in strata}
        return comparison_effect(strata, participant_ids, empty, empty)
    skus = set(campaign.skus)
    ids = sorted(strata)

    def which(day: date) -> int | None:
        if period[0] <= day <= period[1]:
            return 1
        return 0 if baseline[0] <= day <= baseline[1] else None

    sold: dict[int, list[Decimal]] = {d: [ZERO, ZERO] for d in ids}
    filters: dict[str, Any] = {"sold_on__gte": baseline[0], "sold_on__lte": period[1], "dealer_id__in": ids}
    if skus:
        filters["sku__in"] = sorted(skus)
    for line in await uow.sellout.list(**filters):
        slot = which(line.sold_on)
        if slot is not None:
            sold[line.dealer_id][slot] += line.amount
    ordered: dict[int, list[Decimal]] = {d: [ZERO, ZERO] for d in ids}
    for order in await uow.orders.list(
            dealer_id__in=ids, status__in=list(_COUNTED_ORDERS),
            created_at__gte=datetime.combine(baseline[0], time.min, tzinfo=clock.tz),
            created_at__lt=datetime.combine(period[1] + timedelta(days=1), time.min, tzinfo=clock.tz)):
        if order.created_at is None:
            continue
        slot = which(order.created_at.astimezone(clock.tz).date())
        if slot is None:
            continue
        amount = order.total if not skus else sum((ln.amount for ln in order.lines if ln.sku in skus), ZERO)
        ordered[order.dealer_id][slot] += amount
    return comparison_effect(strata, participant_ids, {d: (v[0], v[1]) for d, v in sold.items()},
                             {d: (v[0], v[1]) for d, v in ordered.items()})


# --- internals -------------------------------------------------------------------------------------

async def _move(uow: AbstractUnitOfWork, actor: Actor, campaign_id: int, action: str, clock: Clock) -> Campaign:
    authz.require(actor, Permission.CAMPAIGN_WRITE)
    sources, target, action_zh, action_en = _TRANSITIONS[action]
    async with uow:
        campaign = await _campaign(uow, campaign_id, for_update=True)
        if campaign.status not in sources:
            zh, en = CAMPAIGN_STATUS_LABELS[campaign.status]
            raise InvalidTransition(zh=f"活动当前为“{zh}”，不能{action_zh}",
                                    en=f"Cannot {action_en} a campaign that is {en.lower()}",
                                    current=campaign.status.value, action=action)
        if action == "launch" and campaign.ends_on < clock.today():
            raise BusinessRuleViolation(zh="活动结束日期已过，不能发布", en="The campaign's end date has passed",
                                        reason="ends_on")
        before = snapshot(campaign)
        campaign.status = target
        await record(uow, actor, f"campaign.{action}", "campaign", campaign.code, clock,
                     before=before, after=snapshot(campaign))
        if action == "launch":
            await notify.campaign_started(uow, campaign, clock, is_target)
        await uow.commit()
        return campaign


async def _campaign(uow: AbstractUnitOfWork, campaign_id: int, *, for_update: bool = False) -> Campaign:
    campaign = await uow.campaigns.get(campaign_id, for_update=for_update)
    if campaign is None:
        raise NotFound(what=str(campaign_id))
    return campaign


async def _validate(uow: AbstractUnitOfWork, campaign: Campaign) -> None:
    if not campaign.name:
        raise ValidationFailed(zh="请填写活动名称", en="Please give the campaign name", reason="name")
    if campaign.ends_on < campaign.starts_on:
        raise ValidationFailed(zh="结束日期不能早于开始日期", en="The end date is before the start date",
                               reason="dates")
    if campaign.budget < 0:
        raise ValidationFailed(zh="预算不能为负数", en="The budget cannot be negative", reason="budget")
    for sku in campaign.skus:
        if await uow.products.get_by(sku=sku) is None:
            raise ValidationFailed(zh=f"产品 {sku} 不存在", en=f"Product {sku} does not exist", reason=sku)
    for dealer_id in campaign.target_dealer_ids:
        if await uow.dealers.get(dealer_id) is None:
            raise ValidationFailed(zh=f"经销商 {dealer_id} 不存在", en=f"Dealer {dealer_id} does not exist",
                                   reason=str(dealer_id))


def _is_staff_reader(actor: Actor) -> bool:
    return bool({Permission.CAMPAIGN_WRITE, Permission.REPORT_READ_ALL} & actor.permissions)


def _require_staff_reader(actor: Actor) -> None:
    if not _is_staff_reader(actor):
        raise PermissionDenied()


async def _may_see(uow: AbstractUnitOfWork, actor: Actor, campaign: Campaign) -> bool:
    if _is_staff_reader(actor):
        return True
    if actor.kind != ActorKind.DEALER or actor.dealer_id is None or Permission.CAMPAIGN_JOIN not in actor.permissions:
        raise PermissionDenied()
    if campaign.status == CampaignStatus.PLANNED:
        return False
    if campaign.id is not None and await uow.participations.get_by(
            campaign_id=campaign.id, dealer_id=actor.dealer_id) is not None:
        return True
    dealer = await uow.dealers.get(actor.dealer_id)
    return dealer is not None and is_target(campaign, dealer)


def _own_dealer_id(actor: Actor, dealer_id: int | None) -> int:
    """A dealer user acts for its own dealer; others must name one and may see it."""
    if actor.kind == ActorKind.DEALER:
        if actor.dealer_id is None:
            raise PermissionDenied()
        if dealer_id is not None and dealer_id != actor.dealer_id:
            raise NotFound(what=str(dealer_id))
        return actor.dealer_id
    if dealer_id is None:
        raise ValidationFailed(zh="请指定经销商", en="Please name the dealer", reason="dealer_id")
    authz.require_dealer_access(actor, dealer_id, str(dealer_id))
    return dealer_id


def _clean(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v and v.strip()))
