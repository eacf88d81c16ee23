"""Dealers and their qualification documents."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from core.errors import ValidationFailed


class DealerStatus(StrEnum):
    PROSPECT = "prospect"
    UNDER_REVIEW = "under_review"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"


def normalize_phone(phone: str) -> str:
    """Digits only, without the +86 / 0086 country prefix: ``+86 138-0013-8000`` -> ``13800138000``.

    Landlines keep their area code (``021-6234 5678`` -> ``02162345678``). Raises ValidationFailed
    when fewer than 7 or more than 15 digits remain.
    """
    digits = "".join(ch for ch in phone if ch.isdigit())
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) == len(prefix) + 11 and digits[len(prefix)] == "1":
            digits = digits[len(prefix):]
            break
    if not 7 <= len(digits) <= 15:
        raise ValidationFailed(zh=f"输入有误：电话号码格式不正确：{phone}",
                               en=f"Invalid input: not a phone number: {phone}", reason="bad phone")
    return digits


@dataclass
class Contact:
    name: str
    phone: str          # personal data: encrypted at rest by storage
    role: str = ""      # 老板 / 采购 / 财务 ...
    id_number: str | None = None   # personal data (身份证号), encrypted at rest
    id: int | None = None
    dealer_id: int | None = None


@dataclass
class Address:
    kind: str            # "office" | "warehouse" | "delivery"
    province: str
    city: str
    district: str = ""
    detail: str = ""
    id: int | None = None
    dealer_id: int | None = None


@dataclass
class Dealer:
    code: str                       # human code, e.g. "D0001"
    name: str                       # company name
    uscc: str                       # 统一社会信用代码, checksum validated
    province: str
    city: str
    region: str                     # 华东 / 华北 / 华南 / ...
    tier: str = "C"                 # "A" | "B" | "C" (or 一级/二级); price lists key on it
    business_scope: str = ""
    parent_id: int | None = None    # multi-level channel: a sub-dealer's parent
    status: DealerStatus = DealerStatus.PROSPECT
    credit_limit: Decimal = Decimal("0.00")
    contacts: list[Contact] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    status_reason: str | None = None          # why it was sent back / suspended / terminated
    status_changed_at: datetime | None = None
    created_at: datetime | None = None
    temporary_credit: Decimal = Decimal("0.00")   # extra credit on top of the limit (core.services.credit)
    temporary_credit_until: date | None = None    # its last day, business date; lapses by itself after
    payer_accounts: str = ""      # known bank accounts paying for it, comma separated digits (core.banking)
    # revision 0016_hierarchy, settings of a parent dealer (一级经销商) over its sub-dealers, both off by default:
    sub_accounts_visible: bool = False   # its contract lets it read its sub-dealers' money accounts (core.authz)
    approves_sub_orders: bool = False    # its sub-dealers' new orders wait for its approval before the maker's
    id: int | None = None

    def effective_credit_limit(self, on: date) -> Decimal:
        """The limit orders may use on ``on``: the credit limit plus temporary credit until its last day."""
        if self.temporary_credit_until is not None and on <= self.temporary_credit_until:
            return self.credit_limit + self.temporary_credit
        return self.credit_limit


class DocumentType(StrEnum):
    BUSINESS_LICENSE = "business_license"       # 营业执照
    OPERATING_PERMIT = "operating_permit"       # 经营许可证
    AUTHORIZATION = "authorization"             # 授权书
    TAX_REGISTRATION = "tax_registration"       # 税务登记
    OTHER = "other"


DOCUMENT_LABELS: dict[DocumentType, tuple[str, str]] = {
    DocumentType.BUSINESS_LICENSE: ("营业执照", "Business licence"),
    DocumentType.OPERATING_PERMIT: ("经营许可证", "Operating permit"),
    DocumentType.AUTHORIZATION: ("授权书", "Letter of authorization"),
    DocumentType.TAX_REGISTRATION: ("税务登记证", "Tax registration"),
    DocumentType.OTHER: ("其他", "Other"),
}


class ReviewStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass
class Qualification:
    dealer_id: int
    doc_type: DocumentType
    number: str
    issued_on: date | None
    expires_on: date | None          # None: does not expire
    file_ref: str | None = None      # storage key of the scanned file
    status: ReviewStatus = ReviewStatus.PENDING
    reject_reason: str | None = None
    replaces_id: int | None = None   # renewal history: the document this one renews
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    created_at: datetime | None = None
    id: int | None = None
