"""Onboarding review and the qualification rules that can block ordering."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.dealers import DOCUMENT_LABELS, Dealer, DealerStatus, DocumentType, Qualification, ReviewStatus

REQUIRED_DOCUMENTS: tuple[DocumentType, ...] = (DocumentType.BUSINESS_LICENSE, DocumentType.AUTHORIZATION)


@dataclass(frozen=True)
class ChecklistItem:
    doc_type: DocumentType
    ok: bool
    zh: str
    en: str


def checklist(qualifications: list[Qualification], today: date,
              required: tuple[DocumentType, ...] = REQUIRED_DOCUMENTS) -> list[ChecklistItem]:
    """One line per required document: present, approved and not expired?"""
    items = []
    for doc_type in required:
        zh_label, en_label = DOCUMENT_LABELS[doc_type]
        docs = [q for q in qualifications if q.doc_type == doc_type]
        approved = [q for q in docs if q.status == ReviewStatus.APPROVED]
        valid = [q for q in approved if q.expires_on is None or q.expires_on >= today]
        if valid:
            items.append(ChecklistItem(doc_type, True, f"{zh_label}：有效", f"{en_label}: valid"))
        elif approved:
            items.append(ChecklistItem(doc_type, False, f"{zh_label}：已过期", f"{en_label}: expired"))
        elif any(q.status == ReviewStatus.REJECTED for q in docs) and not any(
                q.status == ReviewStatus.PENDING for q in docs):
            items.append(ChecklistItem(doc_type, False, f"{zh_label}：审核未通过", f"{en_label}: rejected"))
        elif docs:
            items.append(ChecklistItem(doc_type, False, f"{zh_label}：待审核", f"{en_label}: pending review"))
        else:
            items.append(ChecklistItem(doc_type, False, f"{zh_label}：缺失", f"{en_label}: missing"))
    return items


def ordering_block_reason(dealer: Dealer, qualifications: list[Qualification], today: date,
                          required: tuple[DocumentType, ...] = REQUIRED_DOCUMENTS) -> tuple[str, str] | None:
    """Why this dealer may not order now, as (zh, en); None when it may."""
    if dealer.status != DealerStatus.ACTIVE:
        labels = {
            DealerStatus.PROSPECT: ("尚未完成入驻审核", "onboarding is not finished"),
            DealerStatus.UNDER_REVIEW: ("入驻资料审核中", "onboarding documents are under review"),
            DealerStatus.SUSPENDED: ("账户已暂停", "the account is suspended"),
            DealerStatus.TERMINATED: ("合作已终止", "the partnership has ended"),
        }
        if dealer.status == DealerStatus.SUSPENDED and dealer.status_reason:
            # the dealer is told why, with the words staff gave when suspending it
            return (f"账户已暂停（原因：{dealer.status_reason}），暂停期间仍可查询库存、订单和对账单",
                    f"the account is suspended (reason: {dealer.status_reason}); stock, orders and statements "
                    "can still be read")
        return labels[dealer.status]
    problems = [item for item in checklist(qualifications, today, required) if not item.ok]
    if problems:
        return ("；".join(p.zh for p in problems) + "，请更新资质后再下单",
                "; ".join(p.en for p in problems) + ". Please renew your documents to order again")
    return None
