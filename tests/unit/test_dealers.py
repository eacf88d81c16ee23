"""Dealer status machine and dealer use cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.dealer_states import DealerAction, next_status, require_activation_ready
from core.dealers import Address, Contact, Dealer, DealerStatus, DocumentType, ReviewStatus
from core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.services import dealers as svc
from core.uscc import make_uscc
from core.users import ROLE_PERMISSIONS, Permission, Role
from tests.factories import dealer_user, fixed_clock, make_document, make_prospect, staff
from tests.fakes import FakeUnitOfWork

S = DealerStatus
A = DealerAction
CLOCK = fixed_clock("2026-11-26 10:00")
MANAGER = staff(Role.CHANNEL_MANAGER, "wang")
DESK = staff(Role.ORDER_DESK, "desk")


async def _store(uow: FakeUnitOfWork, *dealers: Dealer) -> list[Dealer]:
    for d in dealers:
        await uow.dealers.add(d)
    await uow.commit()
    return list(dealers)


def _create(**overrides: object) -> svc.CreateDealer:
    values: dict[str, object] = dict(name="上海华信电器有限公司", uscc=make_uscc(777), province="上海", city="上海",
                                     region="华东", tier="A")
    values.update(overrides)
    return svc.CreateDealer(**values)  # type: ignore[arg-type]


# --- the status machine --------------------------------------------------------------------------------

@pytest.mark.parametrize(("current", "action", "target"), [
    (S.PROSPECT, A.SUBMIT, S.UNDER_REVIEW),
    (S.UNDER_REVIEW, A.APPROVE, S.ACTIVE),
    (S.UNDER_REVIEW, A.SEND_BACK, S.PROSPECT),
    (S.ACTIVE, A.SUSPEND, S.SUSPENDED),
    (S.SUSPENDED, A.REINSTATE, S.ACTIVE),
    (S.PROSPECT, A.TERMINATE, S.TERMINATED),
    (S.UNDER_REVIEW, A.TERMINATE, S.TERMINATED),
    (S.ACTIVE, A.TERMINATE, S.TERMINATED),
    (S.SUSPENDED, A.TERMINATE, S.TERMINATED),
    (S.ACTIVE, A.UPDATE, S.ACTIVE),
])
def test_allowed_moves(current: DealerStatus, action: DealerAction, target: DealerStatus) -> None:
    assert next_status(current, action) == target


@pytest.mark.parametrize(("current", "action"), [
    (S.PROSPECT, A.APPROVE), (S.ACTIVE, A.APPROVE), (S.ACTIVE, A.SUBMIT), (S.SUSPENDED, A.SUSPEND),
    (S.ACTIVE, A.REINSTATE), (S.TERMINATED, A.TERMINATE), (S.TERMINATED, A.REINSTATE),
    (S.PROSPECT, A.SEND_BACK), (S.TERMINATED, A.UPDATE), (S.PROSPECT, A.SUSPEND),
])
def test_refused_moves_explain_in_both_languages(current: DealerStatus, action: DealerAction) -> None:
    with pytest.raises(InvalidTransition) as exc:
        next_status(current, action)
    assert exc.value.params["current"] == current.value
    assert "当前状态" in exc.value.message("zh")
    assert current.value.replace("_", " ") in exc.value.message("en")


def test_activation_lists_every_missing_document() -> None:
    dealer = make_prospect(id=5)
    docs = [make_document(5, DocumentType.AUTHORIZATION, ReviewStatus.PENDING)]
    with pytest.raises(BusinessRuleViolation) as exc:
        require_activation_ready(dealer, docs, date(2026, 11, 26))
    assert "营业执照：缺失" in exc.value.message("zh")
    assert "授权书：待审核" in exc.value.message("zh")
    assert "Business licence: missing" in exc.value.message("en")
    assert exc.value.params["missing"] == ["business_license", "authorization"]
    ok_docs = [make_document(5, DocumentType.BUSINESS_LICENSE), make_document(5, DocumentType.AUTHORIZATION)]
    require_activation_ready(dealer, ok_docs, date(2026, 11, 26))   # no exception: all valid
    expired = [make_document(5, DocumentType.BUSINESS_LICENSE, expires_on=date(2026, 11, 25)),
               make_document(5, DocumentType.AUTHORIZATION)]
    with pytest.raises(BusinessRuleViolation, match="expired"):
        require_activation_ready(dealer, expired, date(2026, 11, 26))


# --- create --------------------------------------------------------------------------------------------

async def test_create_dealer_stores_a_prospect_with_audit() -> None:
    uow = FakeUnitOfWork()
    cmd = _create(uscc=make_uscc(777).lower(), contacts=(Contact(name="李老板", phone="+86 138-0013-8000",
                                                                role="老板"),),
                  addresses=(Address(kind="warehouse", province="上海", city="上海", detail="浦东新区 1 号"),))
    dealer = await svc.create_dealer(uow, MANAGER, cmd, CLOCK)
    assert (dealer.code, dealer.status, dealer.uscc, dealer.tier) == ("D0001", S.PROSPECT, make_uscc(777), "A")
    assert dealer.contacts[0].phone == "13800138000" and dealer.contacts[0].dealer_id == dealer.id
    assert dealer.addresses[0].dealer_id == dealer.id
    assert uow.commits == 1
    [entry] = uow.audit.rows
    assert (entry.action, entry.entity_id, entry.actor) == ("dealer.create", "D0001", "staff:wang")
    assert entry.after["contacts"][0]["phone"] == "138****8000"     # personal data masked in the log
    assert entry.before == {}


async def test_create_dealer_rejects_duplicates_and_bad_input() -> None:
    uow = FakeUnitOfWork()
    await svc.create_dealer(uow, MANAGER, _create(code="sh001"), CLOCK)
    with pytest.raises(Conflict, match="SH001"):
        await svc.create_dealer(uow, MANAGER, _create(code="SH001", uscc=make_uscc(778)), CLOCK)
    with pytest.raises(Conflict) as exc:
        await svc.create_dealer(uow, MANAGER, _create(code="SH002"), CLOCK)
    assert "统一社会信用代码" in exc.value.message("zh") and "SH001" in exc.value.message("zh")
    with pytest.raises(ValidationFailed, match="check character"):
        await svc.create_dealer(uow, MANAGER, _create(uscc="91350100M000100Y44"), CLOCK)
    with pytest.raises(ValidationFailed, match="tier"):
        await svc.create_dealer(uow, MANAGER, _create(uscc=make_uscc(779), tier="Z"), CLOCK)
    with pytest.raises(ValidationFailed, match="name is required"):
        await svc.create_dealer(uow, MANAGER, _create(uscc=make_uscc(779), name="  "), CLOCK)
    with pytest.raises(ValidationFailed, match="phone"):
        await svc.create_dealer(uow, MANAGER, _create(uscc=make_uscc(779), contacts=(Contact("张", "12"),)), CLOCK)
    assert len(uow.dealers.rows) == 1 and uow.commits == 1


async def test_create_dealer_checks_the_parent() -> None:
    uow = FakeUnitOfWork()
    parent, gone = await _store(uow, make_prospect(status=S.ACTIVE), make_prospect(status=S.TERMINATED))
    child = await svc.create_dealer(uow, MANAGER, _create(parent_id=parent.id), CLOCK)
    assert child.parent_id == parent.id
    with pytest.raises(NotFound):
        await svc.create_dealer(uow, MANAGER, _create(uscc=make_uscc(780), parent_id=999), CLOCK)
    with pytest.raises(BusinessRuleViolation, match="terminated"):
        await svc.create_dealer(uow, MANAGER, _create(uscc=make_uscc(780), parent_id=gone.id), CLOCK)


async def test_create_dealer_needs_dealer_write_and_review_for_credit(monkeypatch: pytest.MonkeyPatch) -> None:
    uow = FakeUnitOfWork()
    with pytest.raises(PermissionDenied):
        await svc.create_dealer(uow, DESK, _create(), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_dealer(uow, dealer_user(1), _create(), CLOCK)
    # a role that may edit dealers but not decide on credit
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.MARKETING, frozenset({Permission.DEALER_WRITE,
                                                                     Permission.DEALER_READ_ALL}))
    writer = staff(Role.MARKETING, "ma")
    with pytest.raises(PermissionDenied):
        await svc.create_dealer(uow, writer, _create(credit_limit=Decimal("50000")), CLOCK)
    dealer = await svc.create_dealer(uow, writer, _create(), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.update_dealer(uow, writer, svc.UpdateDealer(dealer.id or 0, credit_limit=Decimal("1")), CLOCK)
    updated = await svc.update_dealer(uow, writer, svc.UpdateDealer(dealer.id or 0, city="苏州"), CLOCK)
    assert updated.city == "苏州" and updated.credit_limit == Decimal("0.00")
    assert not uow.dealers.rows[0].credit_limit


# --- update --------------------------------------------------------------------------------------------

async def test_update_dealer_changes_fields_and_records_before_after() -> None:
    uow = FakeUnitOfWork()
    dealer = await svc.create_dealer(uow, MANAGER, _create(), CLOCK)
    assert dealer.id is not None
    updated = await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(
        dealer.id, name="上海华信电器集团", credit_limit=Decimal("200000"), tier="b",
        contacts=(Contact("王会计", "021-62345678", "财务"),)), CLOCK)
    assert (updated.name, updated.credit_limit, updated.tier) == ("上海华信电器集团", Decimal("200000.00"), "B")
    assert [c.phone for c in updated.contacts] == ["02162345678"]
    entry = uow.audit.rows[-1]
    assert entry.action == "dealer.update"
    assert (entry.before["credit_limit"], entry.after["credit_limit"]) == ("0.00", "200000.00")
    assert (entry.before["tier"], entry.after["tier"]) == ("A", "B")
    assert uow.commits == 2


async def test_update_without_changes_does_not_commit() -> None:
    uow = FakeUnitOfWork()
    dealer = await svc.create_dealer(uow, MANAGER, _create(), CLOCK)
    await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(dealer.id or 0, city="上海"), CLOCK)
    assert uow.commits == 1 and len(uow.audit.rows) == 1


async def test_update_refuses_parent_cycles_and_negative_credit() -> None:
    uow = FakeUnitOfWork()
    top, mid = await _store(uow, make_prospect(), make_prospect())
    low = make_prospect(parent_id=mid.id)
    await _store(uow, low)
    await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(mid.id or 0, parent_id=top.id), CLOCK)
    assert mid.parent_id == top.id
    with pytest.raises(BusinessRuleViolation, match="cycle"):
        await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(top.id or 0, parent_id=low.id), CLOCK)
    with pytest.raises(BusinessRuleViolation, match="own parent"):
        await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(top.id or 0, parent_id=top.id), CLOCK)
    with pytest.raises(ValidationFailed, match="negative"):
        await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(top.id or 0, credit_limit=Decimal("-1")), CLOCK)
    assert uow.dealers.rows[0].parent_id is None
    await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(mid.id or 0, clear_parent=True), CLOCK)
    assert uow.dealers.rows[1].parent_id is None


async def test_dealer_users_cannot_update_and_never_see_other_dealers() -> None:
    uow = FakeUnitOfWork()
    mine, other = await _store(uow, make_prospect(), make_prospect())
    owner = dealer_user(mine.id or 0)
    with pytest.raises(PermissionDenied):
        await svc.update_dealer(uow, owner, svc.UpdateDealer(mine.id or 0, city="杭州"), CLOCK)
    with pytest.raises(NotFound):
        await svc.update_dealer(uow, owner, svc.UpdateDealer(other.id or 0, city="杭州"), CLOCK)
    assert (await svc.get_dealer(uow, owner, mine.id or 0)).code == mine.code
    with pytest.raises(NotFound) as exc:
        await svc.get_dealer(uow, owner, other.id or 0)
    assert other.name not in exc.value.message("zh")
    with pytest.raises(NotFound):
        await svc.get_dealer_by_code(uow, owner, other.code)


async def test_terminated_dealer_cannot_be_updated() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _store(uow, make_prospect(status=S.TERMINATED))
    with pytest.raises(InvalidTransition):
        await svc.update_dealer(uow, MANAGER, svc.UpdateDealer(dealer.id or 0, city="杭州"), CLOCK)


# --- the onboarding flow through the use cases ---------------------------------------------------------

async def test_full_lifecycle_with_documents_and_audit_trail() -> None:
    uow = FakeUnitOfWork()
    dealer = await svc.create_dealer(uow, MANAGER, _create(), CLOCK)
    did = dealer.id or 0
    await svc.submit_for_review(uow, MANAGER, svc.SubmitForReview(did), CLOCK)
    with pytest.raises(BusinessRuleViolation) as exc:
        await svc.approve_onboarding(uow, MANAGER, svc.ApproveOnboarding(did), CLOCK)
    assert "营业执照：缺失" in exc.value.message("zh")
    assert uow.dealers.rows[0].status == S.UNDER_REVIEW             # rolled back, nothing half-done
    for doc_type in (DocumentType.BUSINESS_LICENSE, DocumentType.AUTHORIZATION):
        await uow.qualifications.add(make_document(did, doc_type))
    await uow.commit()
    active = await svc.approve_onboarding(uow, MANAGER, svc.ApproveOnboarding(did), CLOCK)
    assert active.status == S.ACTIVE and active.status_changed_at == CLOCK.now()
    suspended = await svc.suspend(uow, MANAGER, svc.SuspendDealer(did, "逾期未回款"), CLOCK)
    assert (suspended.status, suspended.status_reason) == (S.SUSPENDED, "逾期未回款")
    await svc.reinstate(uow, MANAGER, svc.ReinstateDealer(did), CLOCK)
    ended = await svc.terminate(uow, MANAGER, svc.TerminateDealer(did, "合作到期不再续约"), CLOCK)
    assert ended.status == S.TERMINATED
    with pytest.raises(InvalidTransition):
        await svc.reinstate(uow, MANAGER, svc.ReinstateDealer(did), CLOCK)
    actions = [e.action for e in uow.audit.rows]
    assert actions == ["dealer.create", "dealer.submit", "dealer.approve", "dealer.suspend", "dealer.reinstate",
                       "dealer.terminate"]
    suspend_entry = uow.audit.rows[3]
    assert (suspend_entry.before["status"], suspend_entry.after["status"]) == ("active", "suspended")
    assert suspend_entry.after["status_reason"] == "逾期未回款"


async def test_reinstating_needs_valid_documents_again() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _store(uow, make_prospect(status=S.SUSPENDED))
    await uow.qualifications.add(make_document(dealer.id or 0, DocumentType.BUSINESS_LICENSE,
                                               expires_on=date(2026, 10, 1)))
    await uow.qualifications.add(make_document(dealer.id or 0, DocumentType.AUTHORIZATION))
    await uow.commit()
    with pytest.raises(BusinessRuleViolation, match="expired"):
        await svc.reinstate(uow, MANAGER, svc.ReinstateDealer(dealer.id or 0), CLOCK)
    assert uow.dealers.rows[0].status == S.SUSPENDED


async def test_send_back_needs_a_reason_and_returns_to_prospect() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _store(uow, make_prospect(status=S.UNDER_REVIEW))
    with pytest.raises(ValidationFailed, match="reason"):
        await svc.send_back(uow, MANAGER, svc.SendBack(dealer.id or 0, "  "), CLOCK)
    back = await svc.send_back(uow, MANAGER, svc.SendBack(dealer.id or 0, "营业执照照片不清晰"), CLOCK)
    assert (back.status, back.status_reason) == (S.PROSPECT, "营业执照照片不清晰")


async def test_who_may_submit_and_decide() -> None:
    uow = FakeUnitOfWork()
    mine, other = await _store(uow, make_prospect(), make_prospect())
    with pytest.raises(PermissionDenied):
        await svc.submit_for_review(uow, dealer_user(mine.id or 0, Role.DEALER_CLERK), svc.SubmitForReview(mine.id or 0),
                                    CLOCK)
    with pytest.raises(NotFound):
        await svc.submit_for_review(uow, dealer_user(mine.id or 0), svc.SubmitForReview(other.id or 0), CLOCK)
    submitted = await svc.submit_for_review(uow, dealer_user(mine.id or 0), svc.SubmitForReview(mine.id or 0),
                                            CLOCK)
    assert submitted.status == S.UNDER_REVIEW
    with pytest.raises(PermissionDenied):
        await svc.send_back(uow, DESK, svc.SendBack(mine.id or 0, "资料不全"), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.send_back(uow, dealer_user(mine.id or 0), svc.SendBack(mine.id or 0, "资料不全"), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.terminate(uow, staff(Role.FINANCE), svc.TerminateDealer(mine.id or 0, "x"), CLOCK)
    assert uow.dealers.rows[0].status == S.UNDER_REVIEW


# --- queries -------------------------------------------------------------------------------------------

async def _three_dealers(uow: FakeUnitOfWork) -> list[Dealer]:
    return await _store(
        uow,
        make_prospect(code="D0101", name="上海华信电器有限公司", region="华东", tier="A", status=S.ACTIVE),
        make_prospect(code="D0102", name="南京宏达商贸有限公司", region="华东", tier="B", status=S.PROSPECT),
        make_prospect(code="D0103", name="广州金鼎家电有限公司", region="华南", tier="A", status=S.ACTIVE),
    )


async def test_list_dealers_filters_and_pages_for_staff() -> None:
    uow = FakeUnitOfWork()
    d1, d2, d3 = await _three_dealers(uow)
    codes = lambda ds: [d.code for d in ds]  # noqa: E731
    assert codes(await svc.list_dealers(uow, MANAGER)) == ["D0101", "D0102", "D0103"]
    assert codes(await svc.list_dealers(uow, MANAGER, region="华东")) == ["D0101", "D0102"]
    assert codes(await svc.list_dealers(uow, MANAGER, tier="A", status=S.ACTIVE)) == ["D0101", "D0103"]
    assert codes(await svc.list_dealers(uow, MANAGER, search="宏达")) == ["D0102"]
    assert codes(await svc.list_dealers(uow, MANAGER, search="d010")) == ["D0101", "D0102", "D0103"]
    assert codes(await svc.list_dealers(uow, MANAGER, search=d3.uscc.lower())) == ["D0103"]
    assert codes(await svc.list_dealers(uow, MANAGER, search="有限", limit=1, offset=1)) == ["D0102"]
    assert codes(await svc.list_dealers(uow, MANAGER, limit=2, offset=1)) == ["D0102", "D0103"]
    assert await svc.count_dealers(uow, MANAGER, region="华东") == 2
    assert await svc.count_dealers(uow, MANAGER, search="有限") == 3


async def test_list_dealers_is_scoped_for_dealer_users() -> None:
    uow = FakeUnitOfWork()
    d1, d2, d3 = await _three_dealers(uow)
    mine = dealer_user(d2.id or 0)
    assert [d.code for d in await svc.list_dealers(uow, mine)] == ["D0102"]
    assert await svc.list_dealers(uow, mine, search="华信") == []
    assert await svc.list_dealers(uow, mine, region="华南") == []
    assert await svc.count_dealers(uow, mine) == 1


async def test_sub_dealers_are_seen_by_staff_and_by_the_parent_itself() -> None:
    uow = FakeUnitOfWork()
    [parent] = await _store(uow, make_prospect(code="D0200", status=S.ACTIVE))
    await _store(uow, make_prospect(code="D0202", parent_id=parent.id), make_prospect(code="D0201",
                                                                                        parent_id=parent.id))
    [other] = await _store(uow, make_prospect(code="D0300"))
    sub = next(d for d in uow.dealers.rows if d.code == "D0201")
    assert [d.code for d in await svc.sub_dealers(uow, MANAGER, parent.id or 0)] == ["D0201", "D0202"]
    assert await svc.sub_dealers(uow, MANAGER, other.id or 0) == []
    # issue 16: a parent dealer (一级经销商) lists its own sub-dealers (it reads their orders, stock, sell-out)
    assert [d.code for d in await svc.sub_dealers(uow, dealer_user(parent.id or 0), parent.id or 0)] == [
        "D0201", "D0202"]
    with pytest.raises(NotFound):      # an unrelated dealer
        await svc.sub_dealers(uow, dealer_user(other.id or 0), parent.id or 0)
    with pytest.raises(NotFound):      # a sub-dealer asking for its parent's list (its siblings)
        await svc.sub_dealers(uow, dealer_user(sub.id or 0), parent.id or 0)
    with pytest.raises(NotFound):
        await svc.sub_dealers(uow, MANAGER, 999)
