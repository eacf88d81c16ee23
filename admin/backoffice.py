"""Back-office pages next to SQLAdmin (``/backoffice``), behind the same staff session: import
templates, the qualification review queue with scan upload, campaign launch / report review / effect,
marketing material approval, allocation by rule and dispatch, ticket assignment and statistics, quality
corrective actions and the defect summary with its monthly trend.

Every write runs a use case from ``core.services`` with the logged-in staff member as the actor, so the
permission checks, audit entries and dealer notifications are the use cases' own; a refused action
answers 403/404/400 with the domain error's Chinese and English message.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from admin.auth import SameOriginMiddleware, StaffAuthBackend, current_staff
from admin.campaign_form import CampaignForm
from admin.contract_drafts import ContractDrafts
from admin.contract_pages import ContractPages
from admin.credit_pages import CreditPages
from admin.dealer_stock_pages import DealerStockPages
from admin.evidence_pages import EvidencePages, file_response, thumbnails
from admin.import_templates import KIND_TITLES, template_filename, template_workbook
from admin.payment_pages import PaymentPages
from admin.queue_pages import QueuePages
from admin.statement_pages import StatementPages
from admin.stock_pages import StockPages
from admin.transfer_pages import TransferPages
from core.clock import Clock
from core.dealers import DOCUMENT_LABELS, DocumentType
from core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.migration import ImportKind
from core.money import fmt_cny
from core.ports import AbstractFileStore, AbstractUnitOfWork
from core.services import aftersales, campaigns, evidence, materials, qualifications, quality
from core.users import Actor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
Handler = Callable[[Request, Actor], Awaitable[Response]]


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _page(title: str, body: str, status_code: int = 200) -> HTMLResponse:
    nav = " | ".join(f"<a href='/backoffice/{p}'>{t}</a>" for p, t in (
        ("", "首页"), ("queues", "待办"), ("templates", "导入模板"), ("qualifications", "资质审核"), ("campaigns", "活动"),
        ("materials", "物料"), ("tickets", "售后"), ("quality", "质量"), ("statements", "对账单"),
        ("credit", "信用额度"), ("payments", "收款与调账"), ("stock", "库存预警"),
        ("transfers", "调拨与共享")))
    return HTMLResponse(
        f"<!doctype html><html lang='zh-CN'><meta charset='utf-8'><title>{_e(title)}</title>"
        f"<body><nav>{nav} | <a href='/admin/'>管理后台 Admin</a></nav><h1>{_e(title)}</h1>{body}</body></html>",
        status_code=status_code)


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]], raw_last: bool = False) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = [f"<td>{_e(c)}</td>" for c in (row[:-1] if raw_last else row)]
        if raw_last:
            cells.append(f"<td>{row[-1]}</td>")   # a form built here from escaped values
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table border='1'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _form(action: str, button: str, fields: str = "") -> str:
    return f"<form method='post' action='{_e(action)}'>{fields}<button>{_e(button)}</button></form>"


def _pct(value: Decimal | None, unit: str = "%") -> str:
    if value is None:
        return "无基期 no baseline"
    return f"{'+' if value >= 0 else ''}{value}{unit}"


def _signed_cny(value: Decimal) -> str:
    return ("-" if value < 0 else "+" if value > 0 else "") + fmt_cny(abs(value))


def _comparison_html(effect: campaigns.CampaignEffect) -> str:
    """Participants against comparable non-participants (same tier and region, same periods), sell-out and
    orders, with the net effect: the difference of the changes and the increment it stands for."""
    cmp = effect.comparison
    if cmp is None or not (cmp.matched or cmp.unmatched):
        return "<p>对比组 Comparison group: 还没有经销商参与，暂无对比。No dealer has joined yet: nothing to compare.</p>"
    if not cmp.matched:
        return ("<p>对比组 Comparison group: 与参与经销商同级别的经销商都参与了，没有可比的未参与经销商，无法估算净效果。"
                "No dealer of the participants' tier stayed out, so there is nothing to compare with.</p>")
    rows: list[list[object]] = []
    for label, m in (("动销 Sell-out", cmp.sellout), ("进货 Orders", cmp.orders)):
        rows.append([label, "参与 participants", m.participants.dealers, fmt_cny(m.participants.baseline),
                     fmt_cny(m.participants.current), _pct(m.participants.change_pct)])
        rows.append([label, "可比未参与 comparable non-participants", m.comparison.dealers,
                     fmt_cny(m.comparison.baseline), fmt_cny(m.comparison.current), _pct(m.comparison.change_pct)])
        rows.append([label, "净效果 net effect", "", "", f"增量 increment {_signed_cny(m.incremental)}",
                     _pct(m.net_points, " 个百分点 pts")])
    strata = "、".join(f"{tier}级·{region or '各区域 any region'}" for tier, region in cmp.strata)
    note = (f"<p>对比组：与参与经销商同级别、同区域（{_e(strata)}；同区域没有时取同级别各区域）而未参与的经销商，"
            "同一基期与活动期。"
            "增量 = 各层（参与经销商平均变化 − 对比经销商平均变化）× 参与家数之和。"
            "Comparison: dealers of the participants' tier and region (the tier in any region when none in the "
            "region) who did not join, over the same periods; "
            "increment = per tier and region, (participants' average change - comparison's) x participants.</p>")
    if cmp.unmatched:
        note += (f"<p>另有 {cmp.unmatched} 家参与经销商在同级别中没有可比经销商，未计入。"
                 f"{cmp.unmatched} participant(s) with no comparable dealer are left out.</p>")
    return (_table(["指标 Measure", "组 Group", "经销商数 Dealers", "基期 Before", "活动期 During", "变化 Change"],
                   rows) + note)


def refused(exc: DomainError) -> HTMLResponse:
    status = 403 if isinstance(exc, PermissionDenied) else 404 if isinstance(exc, NotFound) else 400
    return _page(f"操作未完成 Not done ({status})", f"<p>{_e(exc.message('zh'))}</p><p>{_e(exc.message('en'))}</p>",
                 status)


def _day(value: object) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationFailed(zh=f"日期无效：{text}", en=f"Invalid date: {text}") from None


def _int(value: object, what: str) -> int:
    try:
        return int(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(zh=f"{what} 应为整数", en=f"{what} must be a whole number") from None


class Backoffice:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock, auth: StaffAuthBackend,
                 files: AbstractFileStore | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.auth = auth
        self.files = files

    def route(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """Staff only (else to the login page); a domain error becomes a readable refusal."""
        async def endpoint(request: Request) -> Response:
            if await self.auth.authenticate(request) is not True:
                return RedirectResponse("/admin/login", status_code=302)
            staff = current_staff(request)
            if staff is None:
                return RedirectResponse("/admin/login", status_code=302)
            try:
                return await handler(request, staff.to_actor())
            except DomainError as exc:
                return refused(exc)
        return endpoint

    # --- index and templates ----------------------------------------------------------------------

    async def index(self, request: Request, actor: Actor) -> Response:
        return _page("后台业务 Back office", f"<p>{_e(actor.name)}</p>"
                     "<p><a href='/backoffice/contracts/new'>从模板新建合同 New contract from a template</a></p>")

    async def templates(self, request: Request, actor: Actor) -> Response:
        items = "".join(f"<li><a href='/backoffice/templates/{k.value}.xlsx'>{_e(KIND_TITLES[k][0])} "
                        f"({_e(KIND_TITLES[k][1])}) — {_e(template_filename(k))}</a></li>" for k in ImportKind)
        return _page("导入模板 Import templates",
                     f"<p>填写后用 <code>dms import KIND FILE --dry-run</code> 校验 "
                     f"(fill in, then check with dms import KIND FILE --dry-run)</p><ul>{items}</ul>")

    async def template_file(self, request: Request, actor: Actor) -> Response:
        try:
            kind = ImportKind(request.path_params["kind"])
        except ValueError:
            raise NotFound(zh="没有这种导入模板", en="No such import template") from None
        return Response(template_workbook(kind), media_type=XLSX,
                        headers={"Content-Disposition": f'attachment; filename="{template_filename(kind)}"'})

    # --- qualifications -----------------------------------------------------------------------------

    async def qualification_queue(self, request: Request, actor: Actor) -> Response:
        queue = await qualifications.pending_qualifications(self.uow_factory(), actor)
        async with self.uow_factory() as uow:
            codes = {d.id: d.code for d in await uow.dealers.list(id__in=sorted({q.dealer_id for q in queue}))} \
                if queue else {}
        rows = []
        for q in queue:
            actions = (_form(f"/backoffice/qualifications/{q.id}/approve", "通过 Approve")
                       + _form(f"/backoffice/qualifications/{q.id}/reject", "驳回 Reject",
                               "<input name='reason' placeholder='驳回原因 reason' required>"))
            scan = f"{thumbnails('qualification', str(q.id), [q.file_ref], '扫描件 scan')} " if q.file_ref else ""
            rows.append([codes.get(q.dealer_id, q.dealer_id), DOCUMENT_LABELS[DocumentType(q.doc_type)][0], q.number,
                         q.issued_on, q.expires_on, scan + actions])
        options = "".join(f"<option value='{t.value}'>{_e(zh)} {_e(en)}</option>"
                          for t, (zh, en) in DOCUMENT_LABELS.items())
        upload = ("<h2>上传资质 Upload</h2><form method='post' action='/backoffice/qualifications/upload' "
                  "enctype='multipart/form-data'><input name='dealer_code' placeholder='经销商编码' required>"
                  f"<select name='doc_type'>{options}</select><input name='number' placeholder='证照编号' required>"
                  "<input name='issued_on' type='date'><input name='expires_on' type='date'>"
                  "<input name='file' type='file' accept='image/*,application/pdf'><button>上传 Upload</button></form>")
        return _page("资质审核 Qualification review",
                     _table(["经销商", "类型", "编号", "发证", "到期", "操作"], rows, raw_last=True) + upload)

    async def qualification_upload(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        code = str(form.get("dealer_code") or "").strip()
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code)
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"经销商 {code} 不存在", en=f"Dealer {code} not found")
        try:
            doc_type = DocumentType(str(form.get("doc_type") or ""))
        except ValueError:
            raise ValidationFailed(zh="证照类型无效", en="Unknown document type") from None
        file_ref = None
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and upload.filename:
            data = await upload.read()
            if len(data) > MAX_UPLOAD_BYTES:
                raise ValidationFailed(zh="文件超过 10 MB", en="The file is larger than 10 MB")
            if self.files is None:
                raise ValidationFailed(zh="文件存储未配置", en="No file store is configured")
            file_ref = await self.files.put(data, upload.filename)
        doc = await qualifications.upload_qualification(self.uow_factory(), actor, qualifications.UploadQualification(
            dealer_id=dealer.id, doc_type=doc_type, number=str(form.get("number") or "").strip(),
            issued_on=_day(form.get("issued_on")), expires_on=_day(form.get("expires_on")), file_ref=file_ref),
            self.clock)
        return _page("已上传 Uploaded", f"<p>{_e(code)} {_e(doc.number)}：待审核 (pending review)</p>")

    async def qualification_file(self, request: Request, actor: Actor) -> Response:
        """The scan under its name (``D0001-营业执照-….pdf``), for whoever may see the document."""
        found = await evidence.evidence_file(self.uow_factory(), actor, "qualification", str(request.path_params["id"]),
                                             1)
        return await file_response(self.files, found)

    async def qualification_decide(self, request: Request, actor: Actor) -> Response:
        qid: int = request.path_params["id"]
        if request.path_params["action"] == "approve":
            await qualifications.approve_qualification(self.uow_factory(), actor,
                                                       qualifications.ApproveQualification(qid), self.clock)
        else:
            reason = str((await request.form()).get("reason") or "")
            await qualifications.reject_qualification(self.uow_factory(), actor,
                                                      qualifications.RejectQualification(qid, reason), self.clock)
        return RedirectResponse("/backoffice/qualifications", status_code=303)

    # --- campaigns ----------------------------------------------------------------------------------

    async def campaign_list(self, request: Request, actor: Actor) -> Response:
        found = await campaigns.list_campaigns(self.uow_factory(), actor)
        rows = [[c.code, c.name, c.status, c.starts_on, c.ends_on,
                 f"<a href='/backoffice/campaigns/{c.id}'>报告与效果 Reports &amp; effect</a> "
                 f"<a href='/backoffice/campaigns/{c.id}/edit'>编辑 Edit</a>"
                 + _form(f"/backoffice/campaigns/{c.id}/launch", "发布 Launch")] for c in found]
        return _page("活动 Campaigns", "<p><a href='/backoffice/campaigns/new'>新建活动 New campaign</a></p>"
                     + _table(["编码", "名称", "状态", "开始", "结束", "操作"], rows, raw_last=True))

    async def campaign_launch(self, request: Request, actor: Actor) -> Response:
        await campaigns.launch_campaign(self.uow_factory(), actor, request.path_params["id"], self.clock)
        return RedirectResponse("/backoffice/campaigns", status_code=303)

    async def campaign_detail(self, request: Request, actor: Actor) -> Response:
        cid: int = request.path_params["id"]
        campaign = await campaigns.get_campaign(self.uow_factory(), actor, cid)
        parts = await campaigns.list_participations(self.uow_factory(), actor, cid)
        async with self.uow_factory() as uow:
            codes = {d.id: d.code for d in await uow.dealers.list(id__in=[p.dealer_id for p in parts])} if parts else {}
        rows = []
        for p in parts:
            base = f"/backoffice/campaigns/{cid}/review/{p.dealer_id}"
            photos = thumbnails("campaign", f"{cid}-{p.dealer_id}", p.report_photos)
            rows.append([codes.get(p.dealer_id, p.dealer_id), p.status, p.report_text, p.new_customers,
                         p.review_note, photos
                         + _form(base, "通过 Approve", "<input type='hidden' name='approved' value='1'>")
                         + _form(base, "退回 Turn down", "<input name='note' placeholder='原因 reason' required>")])
        effect = await campaigns.campaign_effect(self.uow_factory(), actor, cid, self.clock)
        body = (_table(["经销商", "状态", "执行报告", "新客户", "审核意见", "照片与审核 Photos, review"], rows, raw_last=True)
                + f"<h2>效果 Effect {_e(effect.period[0])} ~ {_e(effect.period[1])}"
                  f"（基期 baseline {_e(effect.baseline_period[0])} ~ {_e(effect.baseline_period[1])}）</h2>"
                + _comparison_html(effect)
                + f"<p>未报名的目标经销商 target dealers who did not join: {effect.non_participants.dealers} 家，"
                  f"动销 sell-out {_e(fmt_cny(effect.non_participants.amount))}"
                  f"（基期 baseline {_e(fmt_cny(effect.non_participants.baseline_amount))}）</p>"
                + f"<p>新客户 new customers: {effect.new_customers}</p>")
        return _page(f"活动 {campaign.code} {campaign.name}", body)

    async def campaign_review(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        cid, dealer_id = request.path_params["id"], request.path_params["dealer_id"]
        await campaigns.review_execution(self.uow_factory(), actor, cid, dealer_id,
                                         approved=form.get("approved") == "1", note=str(form.get("note") or ""),
                                         clock=self.clock)
        return RedirectResponse(f"/backoffice/campaigns/{cid}", status_code=303)

    # --- marketing materials ------------------------------------------------------------------------

    async def material_list(self, request: Request, actor: Actor) -> Response:
        requests = await materials.list_material_requests(self.uow_factory(), actor, limit=200)
        rows = [[r.id, r.material_id, r.dealer_id, r.qty, r.status,
                 _form(f"/backoffice/materials/requests/{r.id}/approve", "批准 Approve")
                 + _form(f"/backoffice/materials/requests/{r.id}/dispatch", "发货 Dispatch")] for r in requests]
        allocate = ("<h2>按规则分配 Allocate by rule</h2><form method='post' action='/backoffice/materials/allocate'>"
                    "<input name='material_id' placeholder='物料 id' required>"
                    "<input name='qty_each' placeholder='每家数量 qty each' required><button>分配 Allocate</button></form>")
        return _page("物料申请 Material requests",
                     _table(["#", "物料", "经销商", "数量", "状态", "操作"], rows, raw_last=True) + allocate)

    async def material_action(self, request: Request, actor: Actor) -> Response:
        rid: int = request.path_params["id"]
        if request.path_params["action"] == "approve":
            await materials.approve_material_request(self.uow_factory(), actor, rid, self.clock)
        else:
            await materials.dispatch_material_request(self.uow_factory(), actor, rid, self.clock)
        return RedirectResponse("/backoffice/materials", status_code=303)

    async def material_allocate(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        made = await materials.allocate_material(self.uow_factory(), actor, _int(form.get("material_id"), "material_id"),
                                                 _int(form.get("qty_each"), "qty_each"), self.clock)
        return _page("已分配 Allocated", f"<p>已按规则分配给 {len(made)} 家经销商 (allocated to {len(made)} dealers)</p>")

    # --- after-sales --------------------------------------------------------------------------------

    async def ticket_page(self, request: Request, actor: Actor) -> Response:
        stats = await aftersales.ticket_statistics(self.uow_factory(), actor, self.clock)
        tickets = await aftersales.list_tickets(self.uow_factory(), actor, limit=100)
        head = ["分组", "工单", "未结", "超时", "评分人数", "平均满意度"]

        def groups(items: Iterable[Any]) -> str:
            return _table(head, [[g.key, g.tickets, g.open, g.late, g.rated, g.avg_satisfaction] for g in items])

        rows = [[t.number, t.status, t.sku, getattr(t, "assignee", None) or "",
                 thumbnails("ticket", t.number, t.photos)
                 + _form("/backoffice/tickets/assign", "指派 Assign",
                       f"<input type='hidden' name='number' value='{_e(t.number)}'>"
                       "<input name='username' placeholder='处理人 handler' required>")] for t in tickets]
        body = (_table(["工单号", "状态", "产品", "处理人", "照片与指派 Photos, assign"], rows, raw_last=True)
                + f"<h2>统计 Statistics（共 {stats.total.tickets}，未结 {stats.total.open}，超时 {stats.total.late}）</h2>"
                + "<h3>按产品 By product</h3>" + groups(stats.by_product)
                + "<h3>按经销商 By dealer</h3>" + groups(stats.by_dealer)
                + "<h3>按缺陷 By defect</h3>" + groups(stats.by_defect))
        return _page("售后工单 After-sales", body)

    async def ticket_assign(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        await aftersales.assign_ticket(self.uow_factory(), actor, str(form.get("number") or ""),
                                       str(form.get("username") or "").strip(), self.clock)
        return RedirectResponse("/backoffice/tickets", status_code=303)

    # --- quality ------------------------------------------------------------------------------------

    async def quality_page(self, request: Request, actor: Actor) -> Response:
        summary = await quality.defect_summary(self.uow_factory(), actor, self.clock)
        months = sorted(summary.units_by_month)
        trend = _table(["产品 SKU", *months],
                       [[sku, *(by_month.get(m, 0) for m in months)] for sku, by_month in summary.trend_by_sku.items()])
        top = _table(["产品", "缺陷类别", "件数"], summary.top_defects)
        batches = _table(["批次", "件数"], summary.units_by_batch.items())
        form = ("<h2>记录纠正措施 Corrective action</h2><form method='post' action='/backoffice/quality/corrective'>"
                "<input name='sku' placeholder='产品 SKU' required><input name='defect_category' placeholder='缺陷类别' "
                "required><input name='batch' placeholder='批次 batch (可空)'><input name='note' placeholder='措施 action' "
                "required><button>保存并通知经销商 Save and tell the dealers</button></form>")
        return _page("质量反馈 Quality",
                     f"<p>共 {summary.total_reports} 条反馈，{summary.total_units} 件 "
                     f"({summary.total_reports} reports, {summary.total_units} units)</p>"
                     "<h2>主要缺陷 Top defects</h2>" + top + "<h2>月度趋势 Monthly trend</h2>" + trend
                     + "<h2>按批次 By batch</h2>" + batches + form)

    async def quality_corrective(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        changed = await quality.record_corrective_action(self.uow_factory(), actor, quality.RecordCorrectiveAction(
            sku=str(form.get("sku") or "").strip(), defect_category=str(form.get("defect_category") or "").strip(),
            note=str(form.get("note") or "").strip(), batch=str(form.get("batch") or "").strip() or None), self.clock)
        return _page("已记录 Recorded", f"<p>已更新 {len(changed)} 条反馈并通知相关经销商 "
                                       f"({len(changed)} reports updated, their dealers told)</p>")


def mount_backoffice(app: Starlette, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock, *,
                     secret_key: str, https_only: bool, files: AbstractFileStore | None = None,
                     statement_confirm_days: int | None = None,
                     finance_approval_threshold: Decimal | None = None) -> Backoffice:
    """Serve the back-office pages at ``/backoffice`` (and ``/admin-templates``), sharing the admin's session."""
    auth = StaffAuthBackend(secret_key, uow_factory, clock, https_only=https_only)
    office = Backoffice(uow_factory, clock, auth, files)
    contract_pages = ContractPages(uow_factory, clock, files, _page, _e)
    campaign_form = CampaignForm(uow_factory, clock, _page, _e)
    r = office.route
    sub = Starlette(routes=[
        Route("/", r(office.index)),
        Route("/templates", r(office.templates)),
        Route("/templates/{kind}.xlsx", r(office.template_file)),
        Route("/qualifications", r(office.qualification_queue)),
        Route("/qualifications/upload", r(office.qualification_upload), methods=["POST"]),
        Route("/qualifications/{id:int}/file", r(office.qualification_file)),
        Route("/qualifications/{id:int}/{action:str}", r(office.qualification_decide), methods=["POST"]),
        Route("/campaigns", r(office.campaign_list)),
        Route("/campaigns/new", r(campaign_form.new)),
        Route("/campaigns/new", r(campaign_form.create), methods=["POST"]),
        Route("/campaigns/{id:int}/edit", r(campaign_form.edit)),
        Route("/campaigns/{id:int}/edit", r(campaign_form.update), methods=["POST"]),
        Route("/campaigns/{id:int}", r(office.campaign_detail)),
        Route("/campaigns/{id:int}/launch", r(office.campaign_launch), methods=["POST"]),
        Route("/campaigns/{id:int}/review/{dealer_id:int}", r(office.campaign_review), methods=["POST"]),
        Route("/materials", r(office.material_list)),
        Route("/materials/allocate", r(office.material_allocate), methods=["POST"]),
        Route("/materials/requests/{id:int}/{action:str}", r(office.material_action), methods=["POST"]),
        Route("/tickets", r(office.ticket_page)),
        Route("/tickets/assign", r(office.ticket_assign), methods=["POST"]),
        Route("/quality", r(office.quality_page)),
        Route("/quality/corrective", r(office.quality_corrective), methods=["POST"]),
        *ContractDrafts(uow_factory, clock, _page, _e).routes(r),
        *StatementPages(uow_factory, clock, _page, _e, confirm_days=statement_confirm_days).routes(r),
        *CreditPages(uow_factory, clock, _page, _e).routes(r),
        *StockPages(uow_factory, clock, _page, _e).routes(r),
        *DealerStockPages(uow_factory, clock, _page, _e).routes(r),
        *TransferPages(uow_factory, clock, _page, _e).routes(r),
        *QueuePages(uow_factory, clock, _page, _e).routes(r),
        *EvidencePages(uow_factory, files, _page, _e).routes(r),
        *PaymentPages(uow_factory, clock, files, _page, _e,
                      **({"approval_threshold": finance_approval_threshold}
                         if finance_approval_threshold is not None else {})).routes(r),
        Route("/contracts/{id:int}/signed.pdf", r(contract_pages.signed_pdf)),
        Route("/decisions/{kind:str}/reject", r(contract_pages.reject_form)),
        Route("/decisions/{kind:str}/reject", r(contract_pages.reject), methods=["POST"]),
    ], middleware=[*auth.middlewares, Middleware(SameOriginMiddleware)])
    app.mount("/backoffice", sub, name="backoffice")

    async def admin_templates(request: Request) -> Response:
        return RedirectResponse("/backoffice/templates", status_code=307)

    app.router.routes.append(Route("/admin-templates", admin_templates))
    return office
