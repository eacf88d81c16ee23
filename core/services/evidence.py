"""A record's evidence files (fault photos, receipts, scans), for whoever may read the record itself.

Each kind of record names its files by the record (``ticket`` + ``AS-20261204-0001``, file 1, 2 ...), never by
the file-store key alone: the record is read through its own read use case with the asking actor, so a staff
member who may open the ticket may fetch its photos, and a dealer (its chat, its API key, the web chat) gets
``NotFound`` for another dealer's record and its files alike. An unguessable key is no substitute for the check.

| kind | ref | files | who (the record's own rule) |
|---|---|---|---|
| ``ticket`` | ``AS-…`` | photos | its dealer; after-sales and quality (``aftersales.get_ticket``) |
| ``quality`` | ``QF-…`` | photos | its dealer; quality (``quality.get_quality_feedback``) |
| ``claim`` | ``FY-…`` | evidence | its dealer; marketing, finance (``expenses.get_claim_by_number``) |
| ``campaign`` | ``<campaign id>-<dealer id>`` | execution report photos | the dealer; marketing (``campaigns.list_participations``) |
| ``payment`` | ledger entry id | the receipt scan | the dealer; finance and account readers (``accounts.require_account_reader``) |
| ``qualification`` | document id | the scan | the dealer; staff who see dealers or review documents |
"""

from __future__ import annotations

from dataclasses import dataclass

from core import authz, notify
from core.errors import NotFound, PermissionDenied
from core.ports import AbstractUnitOfWork
from core.services import aftersales, campaigns, expenses, quality
from core.services.accounts import require_account_reader
from core.users import Actor, ActorKind, Permission

KINDS: dict[str, tuple[str, str]] = {
    "ticket": ("售后工单照片", "after-sales ticket photos"),
    "quality": ("质量反馈照片", "quality report photos"),
    "claim": ("费用核销凭证", "expense claim receipts"),
    "campaign": ("活动执行照片", "campaign evidence photos"),
    "payment": ("收款回单", "payment receipt"),
    "qualification": ("资质扫描件", "qualification scan"),
}

#: staff need one of these to read the kind of record at all (the record's own rule, checked before it is looked
#: up so a missing record and a refused one answer staff alike: 403 without the permission, 404 with it)
STAFF_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "ticket": frozenset({Permission.TICKET_CREATE, Permission.TICKET_HANDLE}),
    "quality": frozenset({Permission.QUALITY_REPORT, Permission.QUALITY_HANDLE}),
    "claim": frozenset({Permission.CAMPAIGN_WRITE, Permission.ACCOUNT_POST}),
    "campaign": frozenset({Permission.CAMPAIGN_WRITE, Permission.REPORT_READ_ALL}),
    "payment": frozenset({Permission.ACCOUNT_READ_ALL}),
    "qualification": frozenset({Permission.DEALER_READ_ALL, Permission.DEALER_REVIEW}),
}

CONTENT_TYPES = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
                 "webp": "image/webp", "pdf": "application/pdf"}


@dataclass(frozen=True)
class EvidenceFile:
    key: str                 # file-store key
    name: str                # what staff see and save it as: "AS-20261204-0001-1.jpg", "D0001-营业执照-….pdf"
    n: int                   # its place in the record, from 1 (the URL names it so)

    @property
    def extension(self) -> str:
        return self.key.rpartition(".")[2].lower() if "." in self.key else ""

    @property
    def content_type(self) -> str:
        """Served as: an image or a PDF by its extension; anything else is a download (never rendered)."""
        return CONTENT_TYPES.get(self.extension, "application/octet-stream")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


@dataclass(frozen=True)
class Evidence:
    kind: str
    ref: str
    dealer_id: int
    files: list[EvidenceFile]


def _named(keys: list[str | None], stem: str) -> list[EvidenceFile]:
    """Named as the pushes name them (``core.notify.evidence``), so chat and back office agree."""
    return [EvidenceFile(item["key"], item["name"], n) for n, item in enumerate(notify.evidence(keys, stem), 1)]


def _not_found(kind: str, ref: str) -> NotFound:
    return NotFound(zh=f"没有找到 {ref} 的文件", en=f"No files for {ref}", what=f"{kind} {ref}")


async def record_evidence(uow: AbstractUnitOfWork, actor: Actor, kind: str, ref: str) -> Evidence:
    """The files of one record, when ``actor`` may read that record; else ``NotFound`` (or ``PermissionDenied``
    for staff without the record's permission), exactly as the record's own read use case answers."""
    ref = ref.strip()
    if kind not in KINDS:
        raise _not_found(kind, ref)
    if actor.kind == ActorKind.STAFF and not STAFF_PERMISSIONS[kind] & actor.permissions:
        raise PermissionDenied()
    if kind == "ticket":
        ticket = await aftersales.get_ticket(uow, actor, ref)
        return Evidence(kind, ticket.number, ticket.dealer_id, _named(list(ticket.photos), ticket.number))
    if kind == "quality":
        feedback = await quality.get_quality_feedback(uow, actor, ref)
        return Evidence(kind, feedback.number, feedback.dealer_id, _named(list(feedback.photos), feedback.number))
    if kind == "claim":
        claim = await expenses.get_claim_by_number(uow, actor, ref)
        return Evidence(kind, claim.number, claim.dealer_id, _named(list(claim.evidence), claim.number))
    if kind == "campaign":
        campaign_id, _, dealer = ref.partition("-")
        if not (campaign_id.isdigit() and dealer.isdigit()):
            raise _not_found(kind, ref)
        rows = await campaigns.list_participations(uow, actor, int(campaign_id))
        row = next((p for p in rows if p.dealer_id == int(dealer)), None)
        if row is None:
            raise _not_found(kind, ref)
        return Evidence(kind, ref, row.dealer_id, _named(list(row.report_photos), f"campaign{ref}"))
    if kind == "payment":
        if not ref.isdigit():
            raise _not_found(kind, ref)
        async with uow:
            entry = await uow.ledger.get(int(ref))
        if entry is None:
            raise _not_found(kind, ref)
        try:
            require_account_reader(actor, entry.dealer_id)
        except NotFound:
            raise _not_found(kind, ref) from None
        stem = f"{entry.ref or 'payment'}-{entry.id}".replace("/", "_")
        return Evidence(kind, ref, entry.dealer_id, _named([entry.attachment], stem))
    if kind == "qualification":
        if not ref.isdigit():
            raise _not_found(kind, ref)
        async with uow:
            doc = await uow.qualifications.get(int(ref))
            stem = await notify.document_stem(uow, doc) if doc is not None else ""
        if doc is None or not (authz.can_see_dealer(actor, doc.dealer_id)
                               or authz.can_see_dealer(actor, doc.dealer_id, all_permission=Permission.DEALER_REVIEW)):
            raise _not_found(kind, ref)
        return Evidence(kind, ref, doc.dealer_id, _named([doc.file_ref], stem))
    raise _not_found(kind, ref)       # pragma: no cover (every kind is handled above)


async def evidence_file(uow: AbstractUnitOfWork, actor: Actor, kind: str, ref: str, n: int) -> EvidenceFile:
    """File ``n`` (from 1) of the record, under the record's rule (``record_evidence``)."""
    found = await record_evidence(uow, actor, kind, ref)
    if not 1 <= n <= len(found.files):
        raise _not_found(kind, ref)
    return found.files[n - 1]
