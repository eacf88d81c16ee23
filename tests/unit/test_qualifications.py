"""Qualification documents: upload, review, renewal history, expiry list, onboarding checklist."""

from __future__ import annotations

from datetime import date

import pytest

from core.dealers import Dealer, DealerStatus, DocumentType, ReviewStatus
from core.errors import (
    BusinessRuleViolation,
    Conflict,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.services import qualifications as svc
from core.uscc import make_uscc
from core.users import Actor, Role
from tests.factories import dealer_user, fixed_clock, make_document, make_prospect, staff
from tests.fakes import FakeUnitOfWork

CLOCK = fixed_clock("2026-11-26 10:00")
TODAY = date(2026, 11, 26)
MANAGER = staff(Role.CHANNEL_MANAGER, "wang")
L = DocumentType.BUSINESS_LICENSE
AUTH = DocumentType.AUTHORIZATION


async def _dealers(uow: FakeUnitOfWork, *dealers: Dealer) -> list[Dealer]:
    for d in dealers:
        await uow.dealers.add(d)
    await uow.commit()
    return list(dealers)


def _upload(dealer: Dealer, doc_type: DocumentType = AUTH, **overrides: object) -> svc.UploadQualification:
    values: dict[str, object] = dict(dealer_id=dealer.id, doc_type=doc_type, number="SQ-2026-001",
                                     issued_on=date(2026, 1, 1), expires_on=date(2027, 12, 31), file_ref="files/a.pdf")
    values.update(overrides)
    return svc.UploadQualification(**values)  # type: ignore[arg-type]


async def test_dealer_uploads_own_document_as_pending_with_audit() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    doc = await svc.upload_qualification(uow, dealer_user(dealer.id or 0, Role.DEALER_CLERK),
                                         _upload(dealer, number=" SQ-1 "), CLOCK)
    assert (doc.status, doc.number, doc.dealer_id, doc.created_at) == (ReviewStatus.PENDING, "SQ-1", dealer.id,
                                                                       CLOCK.now())
    assert uow.commits == 2
    [entry] = uow.audit.rows
    assert (entry.action, entry.after["status"], entry.actor) == ("qualification.upload", "pending",
                                                                  f"dealer:{dealer.id}:li")


async def test_upload_permissions() -> None:
    uow = FakeUnitOfWork()
    mine, other = await _dealers(uow, make_prospect(), make_prospect())
    with pytest.raises(NotFound):
        await svc.upload_qualification(uow, dealer_user(mine.id or 0), _upload(other), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.upload_qualification(uow, staff(Role.ORDER_DESK), _upload(mine), CLOCK)
    staff_doc = await svc.upload_qualification(uow, MANAGER, _upload(other), CLOCK)
    assert staff_doc.dealer_id == other.id
    assert len(uow.qualifications.rows) == 1


async def test_business_licence_number_must_be_the_dealers_credit_code() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    with pytest.raises(ValidationFailed, match="check character"):
        await svc.upload_qualification(uow, MANAGER, _upload(dealer, L, number="91350100M000100Y44"), CLOCK)
    with pytest.raises(BusinessRuleViolation) as exc:
        await svc.upload_qualification(uow, MANAGER, _upload(dealer, L, number=make_uscc(1)), CLOCK)
    assert dealer.uscc in exc.value.message("zh")
    doc = await svc.upload_qualification(uow, MANAGER, _upload(dealer, L, number=dealer.uscc.lower()), CLOCK)
    assert doc.number == dealer.uscc


@pytest.mark.parametrize(("issued_on", "expires_on", "message"), [
    (date(2026, 1, 1), date(2025, 12, 31), "before the issue date"),
    (date(2026, 12, 1), None, "in the future"),
    (date(2020, 1, 1), date(2026, 11, 25), "already expired"),
])
async def test_upload_rejects_impossible_dates(issued_on: date, expires_on: date | None, message: str) -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    with pytest.raises(ValidationFailed, match=message):
        await svc.upload_qualification(uow, MANAGER, _upload(dealer, issued_on=issued_on, expires_on=expires_on),
                                       CLOCK)
    assert uow.qualifications.rows == []


async def test_terminated_dealer_cannot_upload() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect(status=DealerStatus.TERMINATED))
    with pytest.raises(BusinessRuleViolation, match="terminated"):
        await svc.upload_qualification(uow, MANAGER, _upload(dealer), CLOCK)


async def test_review_approve_and_reject() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    a = await svc.upload_qualification(uow, dealer_user(dealer.id or 0), _upload(dealer), CLOCK)
    b = await svc.upload_qualification(uow, dealer_user(dealer.id or 0), _upload(dealer, L, number=dealer.uscc),
                                       CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.approve_qualification(uow, dealer_user(dealer.id or 0), svc.ApproveQualification(a.id or 0), CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.approve_qualification(uow, staff(Role.MARKETING), svc.ApproveQualification(a.id or 0), CLOCK)
    approved = await svc.approve_qualification(uow, MANAGER, svc.ApproveQualification(a.id or 0), CLOCK)
    assert (approved.status, approved.reviewed_by, approved.reviewed_at) == (ReviewStatus.APPROVED, "staff:wang",
                                                                             CLOCK.now())
    with pytest.raises(ValidationFailed, match="reason"):
        await svc.reject_qualification(uow, MANAGER, svc.RejectQualification(b.id or 0, " "), CLOCK)
    rejected = await svc.reject_qualification(uow, MANAGER, svc.RejectQualification(b.id or 0, "照片模糊"), CLOCK)
    assert (rejected.status, rejected.reject_reason) == (ReviewStatus.REJECTED, "照片模糊")
    with pytest.raises(InvalidTransition) as exc:
        await svc.approve_qualification(uow, MANAGER, svc.ApproveQualification(b.id or 0), CLOCK)
    assert "已审核" in exc.value.message("zh")
    assert [e.action for e in uow.audit.rows][-2:] == ["qualification.approve", "qualification.reject"]
    assert uow.audit.rows[-1].before["status"] == "pending"


async def test_other_dealers_documents_are_not_found() -> None:
    uow = FakeUnitOfWork()
    mine, other = await _dealers(uow, make_prospect(), make_prospect())
    await uow.qualifications.add(make_document(other.id or 0))
    await uow.commit()
    doc_id = uow.qualifications.rows[0].id or 0
    with pytest.raises(NotFound):
        await svc.renew_qualification(uow, dealer_user(mine.id or 0), svc.RenewQualification(
            doc_id, "X", date(2026, 11, 1), date(2028, 1, 1)), CLOCK)
    with pytest.raises(NotFound):
        await svc.list_qualifications(uow, dealer_user(mine.id or 0), other.id or 0)
    with pytest.raises(NotFound):
        await svc.dealer_checklist(uow, dealer_user(mine.id or 0), other.id or 0, TODAY)
    with pytest.raises(NotFound):
        await svc.approve_qualification(uow, MANAGER, svc.ApproveQualification(999), CLOCK)


async def test_renewal_keeps_history_and_clears_the_expiry_reminder() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect(status=DealerStatus.ACTIVE))
    old = make_document(dealer.id or 0, AUTH, expires_on=date(2026, 12, 10))
    await uow.qualifications.add(old)
    await uow.commit()
    owner = dealer_user(dealer.id or 0)
    [reminder] = await svc.expiring(uow, Actor.system(), 30, TODAY)
    assert (reminder.qualification.id, reminder.days_left, reminder.label_zh) == (old.id, 14, "授权书")

    new = await svc.renew_qualification(uow, owner, svc.RenewQualification(
        old.id or 0, "SQ-2027", date(2026, 11, 20), date(2028, 12, 31)), CLOCK)
    assert (new.replaces_id, new.status, new.doc_type) == (old.id, ReviewStatus.PENDING, AUTH)
    assert uow.qualifications.rows[0].status == ReviewStatus.APPROVED      # the old one is history, unchanged
    assert await svc.expiring(uow, Actor.system(), 30, TODAY) == []       # renewal pending: no reminder
    with pytest.raises(Conflict):
        await svc.renew_qualification(uow, owner, svc.RenewQualification(
            old.id or 0, "SQ-2027b", date(2026, 11, 20), date(2028, 12, 31)), CLOCK)
    await svc.reject_qualification(uow, MANAGER, svc.RejectQualification(new.id or 0, "盖章不清"), CLOCK)
    assert len(await svc.expiring(uow, Actor.system(), 30, TODAY)) == 1   # renewal rejected: reminder is back
    history = await svc.list_qualifications(uow, owner, dealer.id or 0)
    assert [d.id for d in history] == [new.id, old.id]


async def test_only_approved_documents_can_be_renewed() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    pending = make_document(dealer.id or 0, status=ReviewStatus.PENDING)
    await uow.qualifications.add(pending)
    await uow.commit()
    with pytest.raises(InvalidTransition):
        await svc.renew_qualification(uow, MANAGER, svc.RenewQualification(
            pending.id or 0, "N", date(2026, 1, 1), date(2028, 1, 1)), CLOCK)


async def test_expiring_window_scope_and_terminated_dealers() -> None:
    uow = FakeUnitOfWork()
    a, b, gone = await _dealers(uow, make_prospect(code="E1", status=DealerStatus.ACTIVE),
                                make_prospect(code="E2", status=DealerStatus.ACTIVE),
                                make_prospect(code="E3", status=DealerStatus.TERMINATED))
    for dealer_id, expires in ((a.id, date(2026, 12, 20)), (a.id, date(2026, 11, 30)), (b.id, date(2026, 12, 1)),
                               (b.id, date(2027, 6, 1)), (b.id, date(2026, 11, 20)), (gone.id, date(2026, 12, 1))):
        await uow.qualifications.add(make_document(dealer_id or 0, expires_on=expires))
    await uow.qualifications.add(make_document(a.id or 0, expires_on=date(2026, 12, 2), status=ReviewStatus.PENDING))
    await uow.qualifications.add(make_document(a.id or 0, expires_on=None))
    await uow.commit()
    found = await svc.expiring(uow, MANAGER, 30, TODAY)
    assert [(e.dealer.code, e.qualification.expires_on, e.days_left) for e in found] == [
        ("E1", date(2026, 11, 30), 4), ("E2", date(2026, 12, 1), 5), ("E1", date(2026, 12, 20), 24)]
    with_expired = await svc.expiring(uow, MANAGER, 7, TODAY, include_expired=True)
    assert [e.days_left for e in with_expired] == [-6, 4, 5]
    mine = await svc.expiring(uow, dealer_user(b.id or 0), 30, TODAY)
    assert [e.dealer.code for e in mine] == ["E2"]
    with pytest.raises(ValidationFailed):
        await svc.expiring(uow, MANAGER, -1, TODAY)


async def test_dealer_checklist_and_review_queue() -> None:
    uow = FakeUnitOfWork()
    [dealer] = await _dealers(uow, make_prospect())
    await uow.qualifications.add(make_document(dealer.id or 0, L))
    await uow.qualifications.add(make_document(dealer.id or 0, AUTH, status=ReviewStatus.PENDING))
    await uow.commit()
    items = await svc.dealer_checklist(uow, dealer_user(dealer.id or 0), dealer.id or 0, TODAY)
    assert [(i.doc_type, i.ok, i.zh) for i in items] == [(L, True, "营业执照：有效"), (AUTH, False, "授权书：待审核")]
    queue = await svc.pending_qualifications(uow, MANAGER)
    assert [q.doc_type for q in queue] == [AUTH]
    with pytest.raises(PermissionDenied):
        await svc.pending_qualifications(uow, dealer_user(dealer.id or 0))
