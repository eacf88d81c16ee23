"""Evidence files: who may read a record's files (core.services.evidence), how pushes carry them
(notifications.templates attachments), how the back office links and serves them (admin.evidence_pages)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from admin.evidence_pages import content_disposition, file_response, thumbnails
from core.aftersales import Ticket
from core.campaigns import Campaign, CampaignParticipation, CampaignStatus
from core.dealers import DocumentType, ReviewStatus
from core.errors import NotFound, PermissionDenied
from core.notify import evidence
from core.ports import AbstractFileStore
from core.services import campaigns as campaign_cases
from core.services import evidence as evidence_cases
from core.users import Role, User
from notifications import templates
from tests.factories import api_key_actor, dealer_user, fixed_clock, make_dealer, make_document, staff
from tests.fakes import FakeUnitOfWork

JPG = "a" * 64 + ".jpg"
PDF = "b" * 64 + ".pdf"


async def _world() -> tuple[FakeUnitOfWork, int, int]:
    uow = FakeUnitOfWork()
    own = await uow.dealers.add(make_dealer(code="D0001", name="杭州华信"))
    other = await uow.dealers.add(make_dealer(code="D0002", name="南京宏达"))
    assert own.id is not None and other.id is not None
    await uow.tickets.add(Ticket(number="AS-20261204-0001", dealer_id=own.id, description="不出水",
                                 photos=[JPG, "", PDF]))
    await uow.qualifications.add(make_document(own.id, DocumentType.BUSINESS_LICENSE, ReviewStatus.PENDING,
                                               number="91330100/XYZ", file_ref=PDF))
    await uow.commit()
    return uow, own.id, other.id


async def test_a_ticket_s_files_for_its_dealer_and_after_sales_never_another_dealer() -> None:
    uow, own, other = await _world()
    for actor in (dealer_user(own), staff(Role.AFTER_SALES), staff(Role.QUALITY)):
        found = await evidence_cases.record_evidence(uow, actor, "ticket", "AS-20261204-0001")
        assert [(f.key, f.name, f.n) for f in found.files] == [
            (JPG, "AS-20261204-0001-1.jpg", 1), (PDF, "AS-20261204-0001-2.pdf", 2)]    # the blank key left out
    second = await evidence_cases.evidence_file(uow, dealer_user(own), "ticket", "AS-20261204-0001", 2)
    assert second.content_type == "application/pdf" and not second.is_image
    with pytest.raises(NotFound):       # the same answer as for a ticket that does not exist
        await evidence_cases.evidence_file(uow, dealer_user(other), "ticket", "AS-20261204-0001", 1)
    with pytest.raises(NotFound):
        await evidence_cases.evidence_file(uow, dealer_user(own), "ticket", "AS-20261204-0001", 3)
    with pytest.raises(PermissionDenied):
        await evidence_cases.evidence_file(uow, staff(Role.FINANCE), "ticket", "AS-20991231-9999", 1)
    with pytest.raises(PermissionDenied):   # an API key reads no tickets
        await evidence_cases.evidence_file(uow, api_key_actor(scopes=("accounts:read",), dealer_id=own), "ticket",
                                           "AS-20261204-0001", 1)
    with pytest.raises(NotFound):           # a file-store key names no record
        await evidence_cases.evidence_file(uow, staff(Role.ADMIN), "ticket", JPG, 1)


async def test_a_qualification_scan_has_a_name_staff_can_read() -> None:
    uow, own, other = await _world()
    [doc] = await uow.qualifications.list(dealer_id=own)
    found = await evidence_cases.evidence_file(uow, staff(Role.CHANNEL_MANAGER), "qualification", str(doc.id), 1)
    assert found.name == "D0001-营业执照-91330100_XYZ.pdf" and found.content_type == "application/pdf"
    with pytest.raises(NotFound):
        await evidence_cases.evidence_file(uow, dealer_user(other), "qualification", str(doc.id), 1)
    with pytest.raises(NotFound):
        await evidence_cases.evidence_file(uow, api_key_actor(dealer_id=other), "qualification", str(doc.id), 1)
    mine = await evidence_cases.evidence_file(uow, dealer_user(own), "qualification", str(doc.id), 1)
    assert mine.key == PDF


def test_a_push_carries_its_record_s_files_before_the_card() -> None:
    params = {"number": "AS-20261204-0001", "photos": 2, "attachments": evidence([JPG, None, PDF], "AS-20261204-0001")}
    rendered = templates.render("ticket.created", params, "zh-CN")
    assert rendered.attachments == (templates.Attachment(JPG, "AS-20261204-0001-1.jpg"),
                                    templates.Attachment(PDF, "AS-20261204-0001-2.pdf"))
    assert [a.is_pdf for a in rendered.attachments] == [False, True]
    assert rendered.buttons                                             # the card still has its buttons
    assert evidence([JPG], "QF-1") == [{"key": JPG, "name": "QF-1.jpg"}]   # one file: no number
    broken = {**params, "attachments": [{"name": "x"}, "junk", {"key": JPG}]}
    assert templates.render("ticket.created", broken, "en").attachments == (templates.Attachment(JPG, ""),)
    assert templates.render("ticket.created", {**params, "attachments": "junk"}, "en").attachments == ()


def test_thumbnails_show_images_and_name_pdfs_escaped() -> None:
    html = str(thumbnails("ticket", "AS-1<x>", [JPG, "", PDF]))
    assert "<img src='/backoffice/evidence/ticket/AS-1%3Cx%3E/1'" in html
    assert "href='/backoffice/evidence/ticket/AS-1%3Cx%3E/2' target='_blank'>📄 AS-1&lt;x&gt; #2</a>" in html
    assert "<x>" not in html
    assert str(thumbnails("ticket", "AS-1", [])) == ""


class _Files(AbstractFileStore):
    def __init__(self, data: dict[str, bytes]) -> None:
        self.data = data

    async def put(self, data: bytes, name: str = "") -> str:
        raise NotImplementedError

    async def get(self, key: str) -> bytes:
        return self.data[key]


async def test_files_are_served_inline_with_their_type_and_anything_else_as_a_download() -> None:
    html_key = "c" * 64 + ".html"
    files = _Files({PDF: b"%PDF-1.4", html_key: b"<script>alert(1)</script>"})
    pdf = await file_response(files, evidence_cases.EvidenceFile(PDF, "营业执照.pdf", 1))
    assert pdf.media_type == "application/pdf" and pdf.headers["content-disposition"].startswith("inline;")
    assert "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.pdf" in pdf.headers["content-disposition"]
    page = await file_response(files, evidence_cases.EvidenceFile(html_key, "x.html", 1))
    assert page.media_type == "application/octet-stream"
    assert page.headers["content-disposition"].startswith("attachment;")
    assert page.headers["x-content-type-options"] == "nosniff"
    with pytest.raises(NotFound):
        await file_response(files, evidence_cases.EvidenceFile(JPG, "gone.jpg", 1))
    assert content_disposition('a"b.jpg', True) == "inline; filename=\"a_b.jpg\"; filename*=UTF-8''a%22b.jpg"



async def test_a_campaign_report_tells_marketing_with_its_photos_and_review_buttons() -> None:
    uow, own, _ = await _world()
    marketing = await uow.users.add(User(username="sun.mkt", display_name="孙", role=Role.MARKETING))
    campaign = await uow.campaigns.add(Campaign(code="C2611", name="冬季净化季", starts_on=date(2026, 11, 1),
                                                ends_on=date(2026, 11, 30), status=CampaignStatus.LAUNCHED,
                                                budget=Decimal("50000")))
    assert campaign.id is not None and marketing.id is not None
    await uow.participations.add(CampaignParticipation(campaign_id=campaign.id, dealer_id=own))
    await uow.commit()
    await campaign_cases.report_execution(uow, dealer_user(own), campaign.id, campaign_cases.ReportExecution(
        "商场地推两天", photos=[JPG, PDF], new_customers=3), fixed_clock("2026-11-20 10:00"))
    [row] = await uow.outbox.list(kind="campaign.reported")
    assert row.user_id == marketing.id
    rendered = templates.render(row.kind, row.params, "zh-CN")
    ref = f"{campaign.id}-{own}"
    assert [a.name for a in rendered.attachments] == [f"C2611-{ref}-1.jpg", f"C2611-{ref}-2.pdf"]
    assert "照片：2 张" in rendered.text and "商场地推两天" in rendered.text
    assert [b.payload for b in rendered.buttons[0]] == [f"1|camp.rv|{campaign.id}|{own}|1",
                                                        f"1|camp.rv|{campaign.id}|{own}|0"]
    found = await evidence_cases.record_evidence(uow, staff(Role.MARKETING), "campaign", ref)
    assert [f.key for f in found.files] == [JPG, PDF]
    with pytest.raises(NotFound):
        await evidence_cases.record_evidence(uow, dealer_user(own + 1), "campaign", ref)


async def test_a_document_an_active_dealer_uploads_reaches_the_reviewers_with_its_scan() -> None:
    from core.dealers import DealerStatus
    from core.services import qualifications

    uow = FakeUnitOfWork()
    active = await uow.dealers.add(make_dealer(code="D0001", status=DealerStatus.ACTIVE))
    prospect = await uow.dealers.add(make_dealer(code="D0009", status=DealerStatus.PROSPECT))
    reviewer = await uow.users.add(User(username="wang.channel", display_name="王", role=Role.CHANNEL_MANAGER))
    await uow.commit()
    assert active.id is not None and prospect.id is not None
    clock = fixed_clock("2026-11-20 10:00")
    for dealer_id in (active.id, prospect.id):
        await qualifications.upload_qualification(uow, dealer_user(dealer_id), qualifications.UploadQualification(
            dealer_id=dealer_id, doc_type=DocumentType.AUTHORIZATION, number=f"SQ-{dealer_id}", issued_on=None,
            expires_on=date(2027, 12, 31), file_ref=PDF), clock)
    rows = await uow.outbox.list(kind="qual.uploaded")
    assert [r.user_id for r in rows] == [reviewer.id]          # the applicant's documents go with its application
    rendered = templates.render("qual.uploaded", rows[0].params, "zh-CN")
    assert rendered.text.startswith("📑 新资质待审核") and rendered.attachments == (
        templates.Attachment(PDF, f"D0001-授权书-SQ-{active.id}.pdf"),)
    assert "staff.qual.approve" in rendered.buttons[0][0].payload
