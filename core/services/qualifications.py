"""Qualification documents (营业执照, 授权书 ...): upload, review, renewal, expiry, onboarding checklist.

A document starts ``pending``; a reviewer (DEALER_REVIEW) approves it or rejects it with a reason.
Renewal uploads a new document pointing at the old one (``replaces_id``); the old one stays as history
and stops counting as "expiring" once a renewal is pending or approved.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from core import notify
from core.auditing import record, snapshot
from core.authz import dealer_scope, require
from core.clock import Clock
from core.dealers import DOCUMENT_LABELS, Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus
from core.errors import BusinessRuleViolation, Conflict, InvalidTransition, NotFound, ValidationFailed
from core.onboarding import ChecklistItem, checklist
from core.ports import AbstractUnitOfWork
from core.services.dealers import load_visible_dealer
from core.uscc import normalize_uscc, validate_uscc
from core.users import Actor, ActorKind, Permission


@dataclass(frozen=True)
class UploadQualification:
    dealer_id: int
    doc_type: DocumentType
    number: str
    issued_on: date | None
    expires_on: date | None           # None: does not expire
    file_ref: str | None = None


@dataclass(frozen=True)
class ApproveQualification:
    qualification_id: int


@dataclass(frozen=True)
class RejectQualification:
    qualification_id: int
    reason: str


@dataclass(frozen=True)
class RenewQualification:
    qualification_id: int             # the document being renewed
    number: str
    issued_on: date | None
    expires_on: date | None
    file_ref: str | None = None


@dataclass(frozen=True)
class ExpiringQualification:
    """One line for the expiry reminder."""

    qualification: Qualification
    dealer: Dealer
    days_left: int                    # negative: expired that many days ago

    @property
    def label_zh(self) -> str:
        return DOCUMENT_LABELS[self.qualification.doc_type][0]

    @property
    def label_en(self) -> str:
        return DOCUMENT_LABELS[self.qualification.doc_type][1]


def _qualification_not_found(ref: object) -> NotFound:
    return NotFound(zh=f"未找到资质文件：{ref}", en=f"Document not found: {ref}", what=f"qualification {ref}")


def _require_uploader(actor: Actor, dealer: Dealer) -> None:
    """A user of the dealer itself, or staff holding DEALER_WRITE (visibility already checked)."""
    if actor.kind == ActorKind.DEALER and actor.dealer_id == dealer.id:
        return
    require(actor, Permission.DEALER_WRITE)


def _check_document(dealer: Dealer, doc_type: DocumentType, number: str, issued_on: date | None,
                    expires_on: date | None, today: date) -> str:
    number = number.strip()
    if not number:
        raise ValidationFailed(zh="输入有误：证件编号不能为空", en="Invalid input: the document number is required",
                               reason="number required")
    if issued_on is not None and expires_on is not None and expires_on < issued_on:
        raise ValidationFailed(zh="输入有误：到期日早于签发日", en="Invalid input: the expiry date is before the issue date",
                               reason="expires before issued")
    if issued_on is not None and issued_on > today:
        raise ValidationFailed(zh="输入有误：签发日不能晚于今天", en="Invalid input: the issue date is in the future",
                               reason="issued in the future")
    if expires_on is not None and expires_on < today:
        raise ValidationFailed(zh="输入有误：该证件已过期，请上传有效证件",
                               en="Invalid input: this document has already expired; please upload a valid one",
                               reason="already expired")
    if doc_type == DocumentType.BUSINESS_LICENSE:
        # The licence number is the credit code; a different one means the wrong company's licence.
        number = validate_uscc(number)
        if number != normalize_uscc(dealer.uscc):
            raise BusinessRuleViolation(
                zh=f"不符合业务规则：营业执照上的统一社会信用代码 {number} 与经销商登记的 {dealer.uscc} 不一致",
                en=f"Not allowed by business rules: the licence code {number} differs from the dealer's {dealer.uscc}",
                reason="licence code mismatch")
    return number


def _check_dealer_open(dealer: Dealer) -> None:
    if dealer.status == DealerStatus.TERMINATED:
        raise BusinessRuleViolation(zh=f"不符合业务规则：经销商 {dealer.code} 已终止合作",
                                    en=f"Not allowed by business rules: dealer {dealer.code} is terminated",
                                    reason="dealer terminated")


async def upload_qualification(uow: AbstractUnitOfWork, actor: Actor, cmd: UploadQualification,
                               clock: Clock) -> Qualification:
    async with uow:
        dealer = await load_visible_dealer(uow, actor, cmd.dealer_id)
        _require_uploader(actor, dealer)
        _check_dealer_open(dealer)
        number = _check_document(dealer, cmd.doc_type, cmd.number, cmd.issued_on, cmd.expires_on, clock.today())
        doc = Qualification(dealer_id=cmd.dealer_id, doc_type=cmd.doc_type, number=number, issued_on=cmd.issued_on,
                            expires_on=cmd.expires_on, file_ref=cmd.file_ref, status=ReviewStatus.PENDING,
                            created_at=clock.now())
        await uow.qualifications.add(doc)
        await uow.flush()
        await record(uow, actor, "qualification.upload", "qualification", doc.id, clock, after=snapshot(doc))
        if actor.kind == ActorKind.DEALER and dealer.status in (DealerStatus.ACTIVE, DealerStatus.SUSPENDED):
            # an applicant's documents are told with the application (dealer.submitted), not one by one
            await notify.qualification_renewed(uow, actor, doc, clock, kind="qual.uploaded")
        await uow.commit()
        return doc


async def _load_visible_document(uow: AbstractUnitOfWork, actor: Actor, qualification_id: int
                                 ) -> tuple[Qualification, Dealer]:
    doc = await uow.qualifications.get(qualification_id, for_update=True)
    if doc is None:
        raise _qualification_not_found(qualification_id)
    try:
        dealer = await load_visible_dealer(uow, actor, doc.dealer_id)
    except NotFound:
        raise _qualification_not_found(qualification_id) from None
    return doc, dealer


async def _decide(uow: AbstractUnitOfWork, actor: Actor, qualification_id: int, approve: bool, reason: str,
                  clock: Clock) -> Qualification:
    async with uow:
        doc, _dealer = await _load_visible_document(uow, actor, qualification_id)
        require(actor, Permission.DEALER_REVIEW)
        if doc.status != ReviewStatus.PENDING:
            raise InvalidTransition(zh="该资质文件已审核，不能重复审核",
                                    en="This document has already been reviewed",
                                    current=doc.status.value, action="approve" if approve else "reject")
        if approve and doc.expires_on is not None and doc.expires_on < clock.today():
            raise BusinessRuleViolation(zh="不符合业务规则：该证件已过期，不能审核通过",
                                        en="Not allowed by business rules: the document has expired",
                                        reason="expired")
        before = snapshot(doc)
        doc.status = ReviewStatus.APPROVED if approve else ReviewStatus.REJECTED
        doc.reject_reason = None if approve else reason
        doc.reviewed_by = actor.label
        doc.reviewed_at = clock.now()
        await record(uow, actor, "qualification.approve" if approve else "qualification.reject", "qualification",
                     doc.id, clock, before=before, after=snapshot(doc))
        await notify.qualification_decided(uow, actor, doc, clock)
        await uow.commit()
        return doc


async def approve_qualification(uow: AbstractUnitOfWork, actor: Actor, cmd: ApproveQualification,
                                clock: Clock) -> Qualification:
    return await _decide(uow, actor, cmd.qualification_id, True, "", clock)


async def reject_qualification(uow: AbstractUnitOfWork, actor: Actor, cmd: RejectQualification,
                               clock: Clock) -> Qualification:
    reason = cmd.reason.strip()
    if not reason:
        raise ValidationFailed(zh="输入有误：请填写驳回原因", en="Invalid input: a rejection needs a reason",
                               reason="reason required")
    return await _decide(uow, actor, cmd.qualification_id, False, reason, clock)


async def renew_qualification(uow: AbstractUnitOfWork, actor: Actor, cmd: RenewQualification,
                              clock: Clock) -> Qualification:
    """Upload the successor of an approved document; the old one is kept unchanged as history."""
    async with uow:
        old, dealer = await _load_visible_document(uow, actor, cmd.qualification_id)
        _require_uploader(actor, dealer)
        _check_dealer_open(dealer)
        if old.status != ReviewStatus.APPROVED:
            raise InvalidTransition(zh="只有审核通过的证件可以续期，其他情况请重新上传",
                                    en="Only an approved document can be renewed; upload a new one instead",
                                    current=old.status.value, action="renew")
        open_renewals = await uow.qualifications.count(replaces_id=old.id, status=ReviewStatus.PENDING)
        if open_renewals:
            raise Conflict(zh="操作冲突：该证件已有待审核的续期文件", en="Conflict: a renewal of this document is "
                           "already waiting for review", reason="renewal pending")
        number = _check_document(dealer, old.doc_type, cmd.number, cmd.issued_on, cmd.expires_on, clock.today())
        doc = Qualification(dealer_id=old.dealer_id, doc_type=old.doc_type, number=number,
                            issued_on=cmd.issued_on, expires_on=cmd.expires_on, file_ref=cmd.file_ref,
                            status=ReviewStatus.PENDING, replaces_id=old.id, created_at=clock.now())
        await uow.qualifications.add(doc)
        await uow.flush()
        await record(uow, actor, "qualification.renew", "qualification", doc.id, clock,
                     before=snapshot(old), after=snapshot(doc))
        await notify.qualification_renewed(uow, actor, doc, clock)
        await uow.commit()
        return doc


async def list_qualifications(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> list[Qualification]:
    """All of a dealer's documents, history included, newest first."""
    async with uow:
        await load_visible_dealer(uow, actor, dealer_id)
        return await uow.qualifications.list(dealer_id=dealer_id, order_by="id", desc=True)


async def pending_qualifications(uow: AbstractUnitOfWork, actor: Actor, limit: int = 100) -> list[Qualification]:
    """The review queue, oldest first."""
    require(actor, Permission.DEALER_REVIEW)
    async with uow:
        filters: dict[str, Any] = {}
        scope = dealer_scope(actor)
        if scope is not None:
            filters["dealer_id"] = scope
        return await uow.qualifications.list(status=ReviewStatus.PENDING, order_by="id", limit=limit, **filters)


async def expiring(uow: AbstractUnitOfWork, actor: Actor, within_days: int, today: date,
                   *, include_expired: bool = False,
                   dealer_ids: Collection[int] | None = None) -> list[ExpiringQualification]:
    """Approved documents expiring within ``within_days`` of ``today`` that nobody has renewed yet.

    ``include_expired`` adds those already past their date; ``dealer_ids``: only these dealers' ("嘉禾的资质快过期了吗").
    Terminated dealers are left out. Ordered by expiry date. Dealer actors see only their own documents.
    """
    if within_days < 0:
        raise ValidationFailed(zh="输入有误：天数不能为负数", en="Invalid input: days cannot be negative",
                               reason="negative days")
    async with uow:
        filters: dict[str, Any] = {"status": ReviewStatus.APPROVED,
                                      "expires_on__lte": today + timedelta(days=within_days)}
        if not include_expired:
            filters["expires_on__gte"] = today
        scope = dealer_scope(actor)
        if scope is not None:
            filters["dealer_id"] = scope
        if dealer_ids is not None:
            if not dealer_ids:
                return []
            filters["dealer_id__in"] = list(dealer_ids)
        docs = await uow.qualifications.list(order_by="expires_on", **filters)
        renewed = {
            d.replaces_id
            for d in await uow.qualifications.list(replaces_id__in=[d.id for d in docs])
            if d.status != ReviewStatus.REJECTED
        } if docs else set()
        dealers: dict[int, Dealer | None] = {}
        result = []
        for doc in docs:
            if doc.id in renewed or doc.expires_on is None:
                continue
            if doc.dealer_id not in dealers:
                dealers[doc.dealer_id] = await uow.dealers.get(doc.dealer_id)
            dealer = dealers[doc.dealer_id]
            if dealer is None or dealer.status == DealerStatus.TERMINATED:
                continue
            result.append(ExpiringQualification(doc, dealer, (doc.expires_on - today).days))
        return result


async def dealer_checklist(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, today: date) -> list[ChecklistItem]:
    """The onboarding checklist: one line per required document (core.onboarding)."""
    async with uow:
        await load_visible_dealer(uow, actor, dealer_id)
        docs = await uow.qualifications.list(dealer_id=dealer_id)
        return checklist(docs, today)
