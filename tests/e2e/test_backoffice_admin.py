"""The back-office pages (/backoffice) over HTTP against create_app: import templates, qualification
upload with a scan + review queue, campaign launch / report review / effect, tickets, quality; staff
whose role lacks the permission are refused, anonymous visitors go to the login page."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest_asyncio
from openpyxl import load_workbook

from admin.app import create_app
from bot.settings import Settings
from core.clock import Clock
from core.dealers import ReviewStatus
from core.ports import AbstractFileStore, AbstractUnitOfWork
from core.services import campaigns as campaign_cases
from core.users import Actor, ActorKind, Role
from storage.encryption import configure_encryption
from storage.engine import build_engine, build_session_factory
from storage.reports import SqlAlchemyReportStore
from storage.uow import SqlAlchemyUnitOfWork
from tests.e2e.conftest import (
    ADMIN_PASSWORD,
    BASE_URL,
    ENCRYPTION_KEYS,
    NOW,
    SYSTEM,
    Database,
    Web,
    _empty,
    add_dealer,
    add_staff,
)

SAME_ORIGIN = {"Origin": BASE_URL}
PDF = b"%PDF-1.4 licence scan"


class MemoryFileStore(AbstractFileStore):
    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    async def put(self, data: bytes, name: str = "") -> str:
        key = f"k{len(self.blobs) + 1}-{name}"
        self.blobs[key] = data
        return key

    async def get(self, key: str) -> bytes:
        return self.blobs[key]


@pytest_asyncio.fixture
async def office(sqlite_db: Database) -> AsyncIterator[tuple[Web, MemoryFileStore]]:
    configure_encryption(ENCRYPTION_KEYS)
    engine = build_engine(sqlite_db.url, search_path=sqlite_db.search_path)
    await _empty(engine)
    session_factory = build_session_factory(engine)

    def uow_factory() -> AbstractUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    files = MemoryFileStore()
    clock = Clock.fixed(NOW)
    settings = Settings(secret_key="e2e-secret-key-for-signing-sessions", web_host="127.0.0.1", _env_file=None)
    app = create_app(settings, uow_factory, engine=engine, clock=clock, files=files,
                     reports=SqlAlchemyReportStore(engine, clock.tz))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
        yield Web(sqlite_db.kind, client, engine, uow_factory, clock), files
    await engine.dispose()


async def login_as(web: Web, username: str, role: Role) -> None:
    await add_staff(web, username, role)
    response = await web.client.post("/admin/login", data={"username": username, "password": ADMIN_PASSWORD},
                                     headers=SAME_ORIGIN)
    assert response.status_code == 302


async def test_anonymous_is_sent_to_login(office: tuple[Web, MemoryFileStore]) -> None:
    web, _ = office
    for path in ("/backoffice/", "/backoffice/qualifications", "/backoffice/templates/dealers.xlsx"):
        response = await web.client.get(path)
        assert response.status_code == 302 and response.headers["location"] == "/admin/login", path


async def test_templates_download(office: tuple[Web, MemoryFileStore]) -> None:
    web, _ = office
    await login_as(web, "li.ops", Role.ORDER_DESK)

    page = await web.client.get("/admin-templates", follow_redirects=True)
    file = await web.client.get("/backoffice/templates/orders.xlsx")
    missing = await web.client.get("/backoffice/templates/nothing.xlsx")

    assert page.status_code == 200 and "历史订单" in page.text and "dms-import-sellout.xlsx" in page.text
    assert file.status_code == 200 and "dms-import-orders.xlsx" in file.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(file.content))
    assert wb.sheetnames == ["orders", "说明"] and wb["orders"]["A1"].value == "order_number"
    assert missing.status_code == 404


async def test_qualification_upload_then_review_queue(office: tuple[Web, MemoryFileStore]) -> None:
    web, files = office
    await add_dealer(web, "D100", "宁波百货")
    await login_as(web, "wang.channel", Role.CHANNEL_MANAGER)

    uploaded = await web.client.post(
        "/backoffice/qualifications/upload", headers=SAME_ORIGIN,
        data={"dealer_code": "D100", "doc_type": "operating_permit", "number": "JY-001",
              "issued_on": "2025-01-01", "expires_on": "2028-01-01"},
        files={"file": ("permit.pdf", PDF, "application/pdf")})
    async with web.uow() as uow:
        (doc,) = await uow.qualifications.list(number="JY-001")
    queue = await web.client.get("/backoffice/qualifications")
    scan = await web.client.get(f"/backoffice/qualifications/{doc.id}/file")
    no_reason = await web.client.post(f"/backoffice/qualifications/{doc.id}/reject", data={"reason": " "},
                                      headers=SAME_ORIGIN)
    rejected = await web.client.post(f"/backoffice/qualifications/{doc.id}/reject", data={"reason": "照片模糊"},
                                     headers=SAME_ORIGIN)

    assert uploaded.status_code == 200 and "待审核" in uploaded.text
    assert files.blobs[doc.file_ref] == PDF and doc.status == ReviewStatus.PENDING
    assert "JY-001" in queue.text and "经营许可证" in queue.text and "D100" in queue.text
    assert scan.status_code == 200 and scan.content == PDF
    assert no_reason.status_code == 400
    assert rejected.status_code == 303
    async with web.uow() as uow:
        stored = await uow.qualifications.get(doc.id)
        audit = await uow.audit.list(entity="qualification")
    assert stored.status == ReviewStatus.REJECTED and stored.reject_reason == "照片模糊"
    assert stored.reviewed_by == "staff:wang.channel" and audit
    assert "JY-001" not in (await web.client.get("/backoffice/qualifications")).text


async def test_a_role_without_review_permission_is_refused(office: tuple[Web, MemoryFileStore]) -> None:
    web, _ = office
    await add_dealer(web, "D200", "温州五金")
    await login_as(web, "zhao.aftersales", Role.AFTER_SALES)

    queue = await web.client.get("/backoffice/qualifications")
    campaigns = await web.client.get("/backoffice/campaigns")
    quality = await web.client.post("/backoffice/quality/corrective", headers=SAME_ORIGIN,
                                    data={"sku": "AP300", "defect_category": "噪音", "note": "换风扇"})

    assert queue.status_code == 403 and "权限" in queue.text
    assert campaigns.status_code == 403
    assert quality.status_code == 403


async def test_campaign_launch_review_and_effect(office: tuple[Web, MemoryFileStore]) -> None:
    web, _ = office
    dealer_id = await add_dealer(web, "D300", "苏州电器", region="华东")
    campaign = await campaign_cases.create_campaign(web.uow(), SYSTEM, campaign_cases.CreateCampaign(
        code="CP-1", name="双十二净化器", starts_on=date(2026, 11, 20), ends_on=date(2026, 12, 31),
        target_regions=["华东"]), web.clock)
    await login_as(web, "sun.marketing", Role.MARKETING)

    launched = await web.client.post(f"/backoffice/campaigns/{campaign.id}/launch", headers=SAME_ORIGIN)
    dealer = Actor(kind=ActorKind.DEALER, name="owner", role=Role.DEALER_OWNER, dealer_id=dealer_id)
    await campaign_cases.join_campaign(web.uow(), dealer, campaign.id, web.clock)
    await campaign_cases.report_execution(web.uow(), dealer, campaign.id, campaign_cases.ReportExecution(
        text="门店堆头已布置", new_customers=4), web.clock)
    detail = await web.client.get(f"/backoffice/campaigns/{campaign.id}")
    approved = await web.client.post(f"/backoffice/campaigns/{campaign.id}/review/{dealer_id}",
                                     data={"approved": "1"}, headers=SAME_ORIGIN)

    assert launched.status_code == 303
    assert "门店堆头已布置" in detail.text and "D300" in detail.text and "新客户 new customers: 4" in detail.text
    assert approved.status_code == 303
    async with web.uow() as uow:
        stored = await uow.campaigns.get(campaign.id)
        (part,) = await uow.participations.list(campaign_id=campaign.id)
    assert stored.status == "launched" and part.status == "approved" and part.reviewed_by == "staff:sun.marketing"


async def test_tickets_and_quality_pages_render_for_their_roles(office: tuple[Web, MemoryFileStore]) -> None:
    web, _ = office
    await login_as(web, "qian.quality", Role.QUALITY)

    tickets = await web.client.get("/backoffice/tickets")
    quality = await web.client.get("/backoffice/quality")
    assign = await web.client.post("/backoffice/tickets/assign", data={"number": "AS-NONE", "username": "x"},
                                   headers=SAME_ORIGIN)

    assert tickets.status_code == 200 and "统计 Statistics（共 0" in tickets.text
    assert quality.status_code == 200 and "月度趋势" in quality.text and "共 0 条反馈" in quality.text
    assert assign.status_code == 404
