"""Contracts: rules and math (pure), then the use cases on the fake unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from core import contract_rules as rules
from core.contracts import ContractStatus, RebateTier, SalesTarget, TargetMetric
from core.dealers import Dealer, DealerStatus
from core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.orders import Order, OrderLine, OrderStatus
from core.sellout import SellOutLine
from core.services import contracts as svc
from core.users import Actor, Role
from tests.factories import at, dealer_user, fixed_clock, make_contract, make_product, make_prospect, staff
from tests.fakes import FakeUnitOfWork

C = ContractStatus
D = Decimal
CLOCK = fixed_clock("2026-11-26 10:00")
MANAGER = staff(Role.CHANNEL_MANAGER, "wang")
AMOUNT = TargetMetric.AMOUNT
QTY = TargetMetric.QUANTITY
TIERS = (RebateTier(D("1.0"), D("0.02")), RebateTier(D("0.8"), D("0.01")))


# --- periods and terms ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("period", "first", "last"), [
    ("2026", date(2026, 1, 1), date(2026, 12, 31)),
    ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
    ("2026-q1", date(2026, 1, 1), date(2026, 3, 31)),
    ("2026-10", date(2026, 10, 1), date(2026, 10, 31)),
    ("2028-02", date(2028, 2, 1), date(2028, 2, 29)),
])
def test_period_range(period: str, first: date, last: date) -> None:
    assert rules.period_range(period) == (first, last)


@pytest.mark.parametrize("period", ["2026-13", "26", "2026-Q5", "2026/10", ""])
def test_bad_periods(period: str) -> None:
    with pytest.raises(ValidationFailed):
        rules.period_range(period)


def _terms(**overrides: object) -> rules.ContractTerms:
    values: dict[str, object] = dict(starts_on=date(2026, 1, 1), ends_on=date(2026, 12, 31),
                                     targets=(SalesTarget("2026", AMOUNT, D("1000000")),), rebate_tiers=TIERS)
    values.update(overrides)
    return rules.ContractTerms(**values)  # type: ignore[arg-type]


def test_validate_terms_normalizes() -> None:
    terms = rules.validate_terms(_terms(targets=(SalesTarget("2026-q4", AMOUNT, D("500000"), " 空调 "),),
                                        marketing_duties=(" 门店陈列 ", "")))
    assert terms.targets[0] == SalesTarget("2026-Q4", AMOUNT, D("500000.00"), "空调")
    assert [t.min_achievement for t in terms.rebate_tiers] == [D("0.8"), D("1.0")]
    assert terms.marketing_duties == ("门店陈列",)


@pytest.mark.parametrize(("overrides", "message"), [
    ({"ends_on": date(2025, 12, 31)}, "ends before it starts"),
    ({"targets": (SalesTarget("2026", AMOUNT, D("0")),)}, "greater than zero"),
    ({"targets": (SalesTarget("2026", QTY, D("10.5")),)}, "whole number"),
    ({"targets": (SalesTarget("2027-Q1", AMOUNT, D("1")),)}, "outside the contract"),
    ({"rebate_tiers": (RebateTier(D("0.8"), D("0.01")), RebateTier(D("0.8"), D("0.02")))}, "same threshold"),
    ({"rebate_tiers": (RebateTier(D("0.8"), D("1.5")),)}, "between 0 and 100"),
])
def test_validate_terms_refuses(overrides: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        rules.validate_terms(_terms(**overrides))


def test_terms_of_signed_or_active_contracts_never_change() -> None:
    for status in (C.SIGNED, C.ACTIVE, C.EXPIRED, C.SENT):
        contract = make_contract(1, status=status)
        with pytest.raises(InvalidTransition):
            rules.apply_terms(contract, _terms(ends_on=date(2026, 6, 30)))
        assert contract.ends_on == date(2026, 12, 31)
    draft = make_contract(1)
    rules.apply_terms(draft, _terms(ends_on=date(2026, 6, 30), targets=(SalesTarget("2026-Q1", QTY, D("10")),)))
    assert draft.ends_on == date(2026, 6, 30) and draft.targets[0].metric == QTY


# --- execution math ------------------------------------------------------------------------------------

def test_achievement_elapsed_share_and_pace() -> None:
    assert rules.achievement(D("1000000"), D("812500")) == D("0.8125")
    assert rules.achievement(D("3"), D("1")) == D("0.3333")
    with pytest.raises(ValidationFailed):
        rules.achievement(D("0"), D("1"))
    start, end = date(2026, 1, 1), date(2026, 12, 31)
    assert rules.elapsed_share(start, end, date(2025, 12, 31)) == D("0")
    assert rules.elapsed_share(start, end, date(2026, 1, 1)) == D("0.0027")     # 1/365
    assert rules.elapsed_share(start, end, date(2026, 7, 2)) == D("0.5014")     # 183/365
    assert rules.elapsed_share(start, end, date(2027, 3, 1)) == D("1")
    assert rules.pace(D("0.4"), D("0.5")) == D("0.8")
    assert rules.pace(D("0.4"), D("0")) is None
    assert rules.behind_pace(D("0.8")) is True
    assert rules.behind_pace(D("0.95")) is False
    assert rules.behind_pace(D("0.95"), margin=D("0.01")) is True
    assert rules.behind_pace(None) is False


@pytest.mark.parametrize(("achieved", "rate"), [
    (D("0"), D("0")), (D("0.7999"), D("0")), (D("0.8"), D("0.01")), (D("0.9999"), D("0.01")),
    (D("1.0"), D("0.02")), (D("1.5"), D("0.02")),
])
def test_rebate_rate_takes_the_highest_tier_reached(achieved: Decimal, rate: Decimal) -> None:
    assert rules.rebate_rate(TIERS, achieved) == rate


def test_accrued_rebate_is_money() -> None:
    assert rules.accrued_rebate(D("0.02"), D("1234567.89")) == D("24691.36")
    assert rules.accrued_rebate(D("0"), D("100")) == D("0.00")
    assert str(rules.accrued_rebate(D("0.015"), D("100"))) == "1.50"


# --- the signed text -----------------------------------------------------------------------------------

def _dealer() -> Dealer:
    return make_prospect(id=1, code="D0001", name="上海华信电器有限公司")


def test_rendered_text_is_deterministic_chinese_and_hash_follows_terms() -> None:
    dealer = _dealer()
    contract = make_contract(1, number="HT-20261126-0001",
                             targets=[SalesTarget("2026", AMOUNT, D("1000000.00")),
                                      SalesTarget("2026-Q4", QTY, D("200"), "空调")],
                             rebate_tiers=list(TIERS))
    text = rules.render_contract_text(contract, dealer)
    assert text == rules.render_contract_text(make_contract(1, number="HT-20261126-0001",
                                                            targets=list(contract.targets),
                                                            rebate_tiers=list(reversed(TIERS))), dealer)
    for part in ("合同编号：HT-20261126-0001（第1版）", "乙方（经销商）：上海华信电器有限公司",
                 "自2026年01月01日起至2026年12月31日止", "2026年度，全部产品进货金额不低于¥1,000,000.00",
                 "2026年第4季度，“空调”类产品进货数量不低于200件", "1. 达成率达到80%，返利比例1%",
                 "2. 达成率达到100%，返利比例2%", "门店陈列不少于2个展位"):
        assert part in text
    digest = rules.text_sha256(text)
    assert len(digest) == 64
    contract.targets[0] = SalesTarget("2026", AMOUNT, D("1000000.01"))
    assert rules.text_sha256(rules.render_contract_text(contract, dealer)) != digest


# --- use cases -----------------------------------------------------------------------------------------

async def _setup() -> tuple[FakeUnitOfWork, Dealer, Dealer]:
    uow = FakeUnitOfWork()
    mine = make_prospect(code="D0001", status=DealerStatus.ACTIVE)
    other = make_prospect(code="D0002", status=DealerStatus.ACTIVE)
    await uow.dealers.add(mine)
    await uow.dealers.add(other)
    await uow.commit()
    return uow, mine, other


def _create(dealer: Dealer, **overrides: object) -> svc.CreateContract:
    values: dict[str, object] = dict(dealer_id=dealer.id, starts_on=date(2026, 12, 1), ends_on=date(2027, 11, 30),
                                     targets=(SalesTarget("2027", AMOUNT, D("800000")),), rebate_tiers=TIERS,
                                     marketing_duties=("每季度参加一次区域促销活动",))
    values.update(overrides)
    return svc.CreateContract(**values)  # type: ignore[arg-type]


async def test_create_and_edit_a_draft_in_place() -> None:
    uow, mine, _ = await _setup()
    contract = await svc.create_contract(uow, MANAGER, _create(mine), CLOCK)
    assert (contract.number, contract.status, contract.version) == ("HT-20261126-0001", C.DRAFT, 1)
    assert contract.targets[0].value == D("800000.00")
    edited = await svc.update_contract(uow, MANAGER, svc.UpdateContract(
        contract.id or 0, marketing_duties=("门店陈列",)), CLOCK)
    assert edited.id == contract.id and edited.version == 1 and edited.marketing_duties == ["门店陈列"]
    assert len(uow.contracts.rows) == 1 and uow.contracts.rows[0].marketing_duties == ["门店陈列"]
    assert [e.action for e in uow.audit.rows] == ["contract.create", "contract.update"]
    assert uow.audit.rows[1].before["marketing_duties"] == ["每季度参加一次区域促销活动"]


async def test_contract_write_permission_and_dealer_visibility() -> None:
    uow, mine, other = await _setup()
    with pytest.raises(PermissionDenied):
        await svc.create_contract(uow, staff(Role.MARKETING), _create(mine), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_contract(uow, dealer_user(mine.id or 0), _create(mine), CLOCK)
    with pytest.raises(NotFound):
        await svc.create_contract(uow, dealer_user(mine.id or 0), _create(other), CLOCK)
    draft = await svc.create_contract(uow, MANAGER, _create(mine), CLOCK)
    owner = dealer_user(mine.id or 0)
    with pytest.raises(NotFound):           # drafts are internal
        await svc.get_contract(uow, owner, draft.id or 0)
    assert await svc.list_contracts(uow, owner) == []
    await svc.send_contract(uow, MANAGER, svc.SendContract(draft.id or 0), CLOCK)
    assert (await svc.get_contract(uow, owner, draft.id or 0)).status == C.SENT
    assert [c.id for c in await svc.list_contracts(uow, owner)] == [draft.id]
    stranger = dealer_user(other.id or 0)
    with pytest.raises(NotFound):
        await svc.get_contract(uow, stranger, draft.id or 0)
    assert await svc.list_contracts(uow, stranger) == []
    with pytest.raises(NotFound):
        await svc.list_contracts(uow, stranger, dealer_id=mine.id)
    with pytest.raises(NotFound):
        await svc.contract_text(uow, stranger, draft.id or 0)


async def test_send_needs_a_target() -> None:
    uow, mine, _ = await _setup()
    draft = await svc.create_contract(uow, MANAGER, _create(mine, targets=()), CLOCK)
    with pytest.raises(BusinessRuleViolation, match="target"):
        await svc.send_contract(uow, MANAGER, svc.SendContract(draft.id or 0), CLOCK)
    assert uow.contracts.rows[0].status == C.DRAFT


async def test_signing_freezes_the_text_with_its_hash() -> None:
    uow, mine, other = await _setup()
    draft = await svc.create_contract(uow, MANAGER, _create(mine), CLOCK)
    cid = draft.id or 0
    owner = dealer_user(mine.id or 0, Role.DEALER_OWNER, "li")
    with pytest.raises(NotFound):                # not sent yet: the dealer cannot even see it
        await svc.sign_contract(uow, owner, svc.SignContract(cid), CLOCK)
    await svc.send_contract(uow, MANAGER, svc.SendContract(cid), CLOCK)
    text, digest = await svc.contract_text(uow, owner, cid)
    with pytest.raises(PermissionDenied):
        await svc.sign_contract(uow, dealer_user(mine.id or 0, Role.DEALER_CLERK), svc.SignContract(cid), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.sign_contract(uow, staff(Role.ADMIN), svc.SignContract(cid), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.sign_contract(uow, Actor.system(), svc.SignContract(cid), CLOCK)
    with pytest.raises(NotFound):
        await svc.sign_contract(uow, dealer_user(other.id or 0), svc.SignContract(cid), CLOCK)
    with pytest.raises(Conflict):
        await svc.sign_contract(uow, owner, svc.SignContract(cid, expected_sha256="0" * 64), CLOCK)
    signed = await svc.sign_contract(uow, owner, svc.SignContract(cid, expected_sha256=digest.upper()), CLOCK)
    assert signed.status == C.SIGNED
    assert (signed.signed_text, signed.signed_sha256) == (text, digest)
    assert (signed.signed_by, signed.signed_at) == (f"dealer:{mine.id}:li", CLOCK.now())
    assert "上海" in text or mine.name in text
    entry = uow.audit.rows[-1]
    assert entry.action == "contract.sign" and "signed_text" not in entry.after
    assert entry.after["signed_sha256"] == digest
    # renaming the dealer later does not change what was signed
    mine.name = "改名后的公司"
    assert await svc.contract_text(uow, owner, cid) == (text, digest)


async def test_editing_a_signed_contract_creates_a_new_version() -> None:
    uow, mine, _ = await _setup()
    original = make_contract(mine.id or 0, number="HT-20260101-0009", status=C.ACTIVE, signed_sha256="ab")
    await uow.contracts.add(original)
    await uow.commit()
    v2 = await svc.update_contract(uow, MANAGER, svc.UpdateContract(
        original.id or 0, targets=(SalesTarget("2026", AMOUNT, D("1200000")),)), CLOCK)
    assert (v2.number, v2.version, v2.previous_id, v2.status) == ("HT-20260101-0009", 2, original.id, C.DRAFT)
    assert v2.targets[0].value == D("1200000.00")
    assert v2.rebate_tiers == original.rebate_tiers
    assert original.status == C.ACTIVE and original.targets[0].value == D("1000000.00")
    with pytest.raises(Conflict):
        await svc.update_contract(uow, MANAGER, svc.UpdateContract(original.id or 0, marketing_duties=()), CLOCK)
    assert [e.action for e in uow.audit.rows] == ["contract.revise"]


async def test_editing_a_sent_contract_supersedes_it() -> None:
    uow, mine, _ = await _setup()
    draft = await svc.create_contract(uow, MANAGER, _create(mine), CLOCK)
    await svc.send_contract(uow, MANAGER, svc.SendContract(draft.id or 0), CLOCK)
    v2 = await svc.update_contract(uow, MANAGER, svc.UpdateContract(draft.id or 0, ends_on=date(2027, 6, 30)),
                                   CLOCK)
    assert (v2.version, v2.status, v2.ends_on) == (2, C.DRAFT, date(2027, 6, 30))
    old = await uow.contracts.get(draft.id or 0)
    assert old is not None and old.status == C.SUPERSEDED and old.ends_on == date(2027, 11, 30)
    with pytest.raises(InvalidTransition):
        await svc.sign_contract(uow, dealer_user(mine.id or 0), svc.SignContract(draft.id or 0), CLOCK)
    with pytest.raises(InvalidTransition):
        await svc.update_contract(uow, MANAGER, svc.UpdateContract(draft.id or 0, ends_on=date(2027, 5, 31)), CLOCK)


async def test_activation_and_expiry_by_the_scheduler() -> None:
    uow, mine, _ = await _setup()
    future = make_contract(mine.id or 0, status=C.SIGNED, starts_on=date(2026, 12, 1), ends_on=date(2027, 11, 30))
    due = make_contract(mine.id or 0, status=C.SIGNED, starts_on=date(2026, 11, 26), ends_on=date(2027, 11, 25))
    stale = make_contract(mine.id or 0, status=C.SIGNED, starts_on=date(2025, 1, 1), ends_on=date(2025, 12, 31))
    ended = make_contract(mine.id or 0, status=C.ACTIVE, starts_on=date(2025, 11, 26), ends_on=date(2026, 11, 25))
    running = make_contract(mine.id or 0, status=C.ACTIVE, starts_on=date(2025, 11, 27), ends_on=date(2026, 11, 26))
    for c in (future, due, stale, ended, running):
        await uow.contracts.add(c)
    await uow.commit()
    with pytest.raises(PermissionDenied):
        await svc.activate_due_contracts(uow, dealer_user(mine.id or 0), CLOCK)
    activated = await svc.activate_due_contracts(uow, Actor.system(), CLOCK)
    assert [c.id for c in activated] == [due.id, stale.id]
    assert (future.status, due.status, stale.status) == (C.SIGNED, C.ACTIVE, C.EXPIRED)
    expired = await svc.expire_ended_contracts(uow, Actor.system(), CLOCK)
    assert [c.id for c in expired] == [ended.id]
    assert running.status == C.ACTIVE
    assert [e.action for e in uow.audit.rows] == ["contract.activate", "contract.expire", "contract.expire"]
    assert uow.audit.rows[0].actor == "system"
    commits = uow.commits
    assert await svc.expire_ended_contracts(uow, MANAGER, CLOCK) == []
    assert uow.commits == commits


async def test_activating_a_new_version_supersedes_the_old_one() -> None:
    uow, mine, _ = await _setup()
    old = make_contract(mine.id or 0, number="HT-1", status=C.ACTIVE)
    await uow.contracts.add(old)
    await uow.commit()
    new = make_contract(mine.id or 0, number="HT-1", version=2, previous_id=old.id, status=C.SIGNED,
                        starts_on=date(2026, 11, 1))
    await uow.contracts.add(new)
    await uow.commit()
    await svc.activate_due_contracts(uow, Actor.system(), CLOCK)
    assert (old.status, new.status) == (C.SUPERSEDED, C.ACTIVE)


async def test_terminate_needs_a_reason() -> None:
    uow, mine, _ = await _setup()
    contract = make_contract(mine.id or 0, status=C.ACTIVE)
    await uow.contracts.add(contract)
    await uow.commit()
    with pytest.raises(ValidationFailed):
        await svc.terminate_contract(uow, MANAGER, svc.TerminateContract(contract.id or 0, ""), CLOCK)
    done = await svc.terminate_contract(uow, MANAGER, svc.TerminateContract(contract.id or 0, "严重违约"), CLOCK)
    assert (done.status, done.status_reason) == (C.TERMINATED, "严重违约")
    with pytest.raises(InvalidTransition):
        await svc.terminate_contract(uow, MANAGER, svc.TerminateContract(contract.id or 0, "again"), CLOCK)


# --- execution from orders and sell-out ----------------------------------------------------------------

def _order(dealer_id: int, when: datetime, lines: list[OrderLine], status: OrderStatus = OrderStatus.APPROVED,
           total: Decimal | None = None) -> Order:
    amount = sum((line.amount for line in lines), D("0"))
    return Order(number=f"SO-{when:%Y%m%d%H%M}", dealer_id=dealer_id, lines=lines, status=status,
                 total=amount if total is None else total, created_at=when)


def _ac(qty: int, discount: str = "0") -> OrderLine:
    return OrderLine(sku="AC-1", name="空调", qty=qty, unit_price=D("3000.00"), discount=D(discount))


def _pu(qty: int) -> OrderLine:
    return OrderLine(sku="PU-1", name="净化器", qty=qty, unit_price=D("1500.00"))


async def test_contract_execution_from_orders_and_sell_out() -> None:
    uow, mine, other = await _setup()
    did = mine.id or 0
    await uow.products.add(make_product("AC-1", category="空调"))
    await uow.products.add(make_product("PU-1", category="净化器"))
    for order in (
        _order(did, at("2026-03-10 09:00"), [_ac(10), _pu(20)]),                              # 60,000
        _order(did, at("2026-10-15 09:00"), [_ac(100)], OrderStatus.SHIPPED),                 # 300,000
        _order(did, at("2026-11-01 09:00"), [_ac(50, "5000")], OrderStatus.SUBMITTED),        # 145,000
        _order(did, datetime(2025, 12, 31, 16, 30, tzinfo=UTC), [_pu(2)]),                   # 2026-01-01 Shanghai
        _order(did, at("2026-11-02 09:00"), [_ac(1000)], OrderStatus.CANCELLED),
        _order(did, at("2026-05-05 09:00"), [_ac(30)], OrderStatus.REJECTED),
        _order(did, at("2025-12-31 23:30"), [_ac(10)]),
        _order(other.id or 0, at("2026-06-01 09:00"), [_ac(500)]),
    ):
        await uow.orders.add(order)
    for line in (SellOutLine(did, date(2026, 11, 5), "AC-1", 30, D("120000"), "上海", "上海"),
                 SellOutLine(did, date(2026, 6, 1), "PU-1", 5, D("10000"), "上海", "上海"),
                 SellOutLine(did, date(2025, 12, 1), "AC-1", 99, D("1"), "上海", "上海")):
        await uow.sellout.add(line)
    contract = make_contract(did, status=C.ACTIVE, rebate_tiers=list(TIERS), targets=[
        SalesTarget("2026", AMOUNT, D("500000.00")),
        SalesTarget("2026-Q4", QTY, D("200"), "空调"),
        SalesTarget("2026-11", AMOUNT, D("100000.00"), "净化器"),
    ])
    await uow.contracts.add(contract)
    await uow.commit()

    result = await svc.contract_execution(uow, dealer_user(did), contract.id or 0, CLOCK)
    assert (result.number, result.as_of, result.status) == (contract.number, date(2026, 11, 26), C.ACTIVE)
    year, q4, november = result.targets

    assert (year.actual, year.actual_amount, year.actual_quantity) == (D("508000.00"), D("508000.00"), 182)
    assert (year.achievement, year.elapsed_share, year.pace) == (D("1.0160"), D("0.9041"), D("1.1238"))
    assert (year.rebate_rate, year.accrued_rebate) == (D("0.02"), D("10160.00"))
    assert (year.sell_out_amount, year.sell_out_quantity) == (D("130000.00"), 35)
    assert not year.behind_pace()

    assert (q4.starts_on, q4.ends_on) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (q4.actual, q4.actual_amount, q4.actual_quantity) == (D("150"), D("445000.00"), 150)
    assert (q4.achievement, q4.elapsed_share, q4.pace) == (D("0.7500"), D("0.6196"), D("1.2105"))
    assert (q4.rebate_rate, q4.accrued_rebate) == (D("0"), D("0.00"))
    assert (q4.sell_out_amount, q4.sell_out_quantity) == (D("120000.00"), 30)

    assert (november.actual, november.achievement, november.elapsed_share) == (D("0.00"), D("0"), D("0.8667"))
    assert november.pace == D("0") and november.behind_pace()

    with pytest.raises(NotFound):
        await svc.contract_execution(uow, dealer_user(other.id or 0), contract.id or 0, CLOCK)
