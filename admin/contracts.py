"""Admin screens for contracts (with renew / propose-rebate actions), templates, signatures, rebate
settlements, expense claims and finance tasks. Every change goes through the use cases
(``core.services.contract_docs``, ``rebates``, ``expenses``), which check permissions and audit.

Templates are edited in the form (placeholders: see ``core.contract_templates``); the form's save
calls ``save_template``. Decisions are list actions on the selected rows; rejections and task closing
send the browser to a back-office form with a required reason (``admin.contract_pages``). The contract
and signature pages link to the signed PDF (``/backoffice/contracts/{id}/signed.pdf``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar
from urllib.parse import urlparse

from markupsafe import Markup, escape
from sqladmin import action
from sqladmin.filters import StaticValuesFilter
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from admin.contract_pages import decision_url, signed_pdf_url
from admin.evidence_pages import thumbnails
from admin.model_view import DmsModelView, _enum_choices
from core.contract_templates import ContractSignature, ContractTemplate
from core.contracts import Contract, ContractStatus
from core.errors import DomainError
from core.expenses import ClaimStatus, ExpenseClaim, StaffTask, TaskStatus
from core.ports import AbstractUnitOfWork
from core.rebates import RebateSettlement, SettlementStatus
from core.services.contract_docs import RenewContract, SaveTemplate, renew_contract, save_template
from core.services.expenses import DecideClaim, decide_claim
from core.services.rebates import (
    DecideSettlement,
    RebateProposal,
    decide_settlement,
    propose_due,
    propose_settlements,
)
from core.users import Actor
from core.users import Permission as P


class _ActionView(DmsModelView):
    """List actions that run a use case per selected row (same-site GET, like the outbox retry)."""

    @staticmethod
    def _cross_site(request: Request) -> Response | None:
        """The 403 for an action not started from one of our pages (they run on GET)."""
        if urlparse(request.headers.get("referer", "")).netloc.lower() != request.url.netloc.lower():
            return HTMLResponse("<h1>403</h1><p>跨站请求被拒绝 / Cross-site request refused</p>", status_code=403)
        return None

    async def _each(self, request: Request, run: Callable[[int], Awaitable[Any]]) -> Response:
        refused = self._cross_site(request)
        if refused is not None:
            return refused
        referer = request.headers.get("referer", "")
        ids = [int(pk) for pk in request.query_params.get("pks", "").split(",") if pk.strip().isdigit()]
        try:
            for pk in ids:
                await run(pk)
        except DomainError as exc:
            return HTMLResponse(f"<p>{exc.message('zh')} / {exc.message('en')}</p>", status_code=400)
        return RedirectResponse(referer or "/admin", status_code=302)


def _ask_reason(request: Request, kind: str) -> Response:
    """A list action that needs a reason: on to the back-office form for the selected rows."""
    return RedirectResponse(decision_url(kind, request.query_params.get("pks", "")), status_code=302)


def _signed_link(contract_id: int | None) -> Markup:
    if contract_id is None:
        return Markup("")
    return Markup("<a href='{}'>下载签署版 PDF Download signed PDF</a>").format(signed_pdf_url(contract_id))


class ContractAdmin(_ActionView):
    name = "合同 Contract"
    name_plural = "合同 Contracts"
    icon = "fa-solid fa-file-signature"
    category = "合同与结算 Contracts"
    read_permission = P.DEALER_READ_ALL
    write_permission = P.CONTRACT_WRITE
    can_create = False
    can_edit = False
    column_list = ["id", "number", "version", "dealer_id", "status", "starts_on", "ends_on", "signed_at", "signed_by"]
    column_details_list = ["id", "number", "version", "dealer_id", "status", "starts_on", "ends_on", "targets",
                           "rebate_tiers", "marketing_duties", "body", "signed_sha256", "signed_by", "signed_at",
                           "sent_at", "previous_id", "template_id", "status_reason"]
    column_formatters_detail = {"signed_sha256": lambda m, a: Markup("{} ").format(m.signed_sha256 or "")
                                + (_signed_link(m.id) if m.signed_sha256 else Markup(""))}
    column_searchable_list = ["number"]
    column_sortable_list = ["id", "number", "status", "ends_on"]
    column_default_sort = ("id", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(ContractStatus), title="状态 Status")]

    @action(name="renew", label="生成续签草稿 Renewal draft",
            confirmation_message="为选中的合同生成续签草稿？ Draft a renewal of the selected contracts?")
    async def renew(self, request: Request) -> Response:
        actor = self.actor(request)
        return await self._each(request, lambda pk: renew_contract(self.uow_factory(), actor, RenewContract(pk),
                                                                   self.clock))

    @action(name="propose_rebate", label="计算返利结算 Propose rebate settlement",
            confirmation_message="按已结束的目标期间计算返利？ Propose rebates for ended target periods?")
    async def propose(self, request: Request) -> Response:
        """Runs the proposal per selected contract and shows, per target, what was proposed or why not."""
        refused = self._cross_site(request)
        if refused is not None:
            return refused
        actor, referer = self.actor(request), request.headers.get("referer", "")
        results: list[RebateProposal] = []
        try:
            for pk in [int(pk) for pk in request.query_params.get("pks", "").split(",") if pk.strip().isdigit()]:
                results.append(await propose_settlements(self.uow_factory(), actor, pk, self.clock))
        except DomainError as exc:
            return HTMLResponse(f"<p>{escape(exc.message('zh'))}</p><p>{escape(exc.message('en'))}</p>",
                                status_code=400)
        return HTMLResponse(proposal_page(results, referer or "/admin/contract/list"))


def proposal_page(results: list[RebateProposal], back: str) -> str:
    """The outcome of a proposal run: a block per contract, Chinese first, then English."""
    blocks = []
    for lang in ("zh", "en"):
        for r in results:
            head, *notes = r.explanation(lang).split("\n")
            items = "".join(Markup("<li>{}</li>").format(n.removeprefix("- ")) for n in notes)
            blocks.append(Markup("<h3>{}</h3><ul>{}</ul>").format(head, Markup(items)))
    if not results:
        blocks.append(Markup("<p>没有已签署、执行中或已到期的合同。</p><p>No signed, active or expired contract.</p>"))
    return str(Markup("<!doctype html><meta charset='utf-8'><title>返利结算 Rebate settlement</title>"
                      "<h2>返利结算 Rebate settlement</h2>{}<p><a href='/admin/rebate-settlement/list'>"
                      "返利结算单 Rebate settlements</a> · <a href='{}'>返回 Back</a></p>")
               .format(Markup("").join(blocks), back))


class ContractTemplateAdmin(DmsModelView):
    name = "合同模板 Contract template"
    name_plural = "合同模板 Contract templates"
    icon = "fa-solid fa-file-lines"
    category = "合同与结算 Contracts"
    read_permission = P.CONTRACT_WRITE
    write_permission = P.CONTRACT_WRITE
    column_list = ["id", "name", "term_months", "active", "updated_at"]
    column_details_list = ["id", "name", "body", "term_months", "targets", "rebate_tiers", "marketing_duties",
                           "active", "created_at", "updated_at"]
    form_columns = ["name", "body", "term_months", "marketing_duties", "active"]
    form_args = {"body": {"description": "占位符 placeholders: {dealer} {dealer_code} {uscc} {number} {version} "
                                         "{period} {targets} {rebate_tiers} {marketing_duties}"},
                 "marketing_duties": {"description": 'JSON 列表 / JSON list, e.g. ["门店陈列样机不少于2台"]'}}
    form_widget_args = {"body": {"rows": 14}}

    def _cmd(self, data: dict[str, Any], current: ContractTemplate | None) -> SaveTemplate:
        duties = data.get("marketing_duties") or []
        return SaveTemplate(name=str(data.get("name") or ""), body=str(data.get("body") or ""),
                            term_months=int(data.get("term_months") or 12),
                            targets=tuple(current.targets) if current else (),
                            rebate_tiers=tuple(current.rebate_tiers) if current else (),
                            marketing_duties=tuple(str(d) for d in duties), active=bool(data.get("active")),
                            template_id=current.id if current else None)

    async def create_object(self, uow: AbstractUnitOfWork, actor: Actor, data: dict[str, Any]) -> Any:
        return await save_template(uow, actor, self._cmd(data, None), self.clock)

    async def update_object(self, uow: AbstractUnitOfWork, actor: Actor, pk: int, data: dict[str, Any]) -> Any:
        async with self.uow_factory() as reader:
            current = await reader.contract_templates.get(pk)
        return await save_template(uow, actor, self._cmd(data, current), self.clock)


class SignatureAdmin(DmsModelView):
    name = "签署记录 Signature"
    name_plural = "签署记录 Signatures"
    icon = "fa-solid fa-signature"
    category = "合同与结算 Contracts"
    read_permission = P.DEALER_READ_ALL
    can_create = False
    can_edit = False
    column_list = ["id", "number", "version", "dealer_id", "signer", "channel", "origin", "signed_at"]
    column_details_list = ["id", "contract_id", "number", "version", "dealer_id", "signer", "signer_user_id",
                           "channel", "origin", "text_sha256", "pdf_sha256", "pdf_key", "signed_at"]
    column_formatters = {"signed_at": lambda m, a: Markup("{} ").format(m.signed_at) + _signed_link(m.contract_id)}
    column_formatters_detail = {"pdf_key": lambda m, a: _signed_link(m.contract_id)}
    column_searchable_list = ["number", "pdf_sha256"]
    column_default_sort = ("id", True)


class RebateSettlementAdmin(_ActionView):
    name = "返利结算 Rebate settlement"
    name_plural = "返利结算 Rebate settlements"
    icon = "fa-solid fa-coins"
    category = "合同与结算 Contracts"
    read_permission = P.ACCOUNT_READ_ALL
    write_permission = P.ACCOUNT_POST
    can_create = False
    can_edit = False
    column_list = ["id", "contract_number", "dealer_id", "period", "product_group", "achievement", "rate",
                   "accrued_amount", "amount", "status", "decided_by"]
    column_default_sort = ("id", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(SettlementStatus), title="状态 Status")]

    @action(name="approve", label="批准并记入返利账户 Approve (credit rebate account)",
            confirmation_message="批准选中的返利结算？ Approve the selected settlements?")
    async def approve(self, request: Request) -> Response:
        actor = self.actor(request)
        return await self._each(request, lambda pk: decide_settlement(self.uow_factory(), actor,
                                                                      DecideSettlement(pk, True), self.clock))

    @action(name="reject", label="驳回 Reject", confirmation_message="驳回选中的返利结算？ Reject?")
    async def reject(self, request: Request) -> Response:
        return _ask_reason(request, "settlement")

    @action(name="propose_due", label="计算到期返利（全部合同）Propose due rebates (every contract)",
            confirmation_message="为所有已结束的目标期间计算返利（不需选择）？ Propose the rebates of every ended "
                                 "target period (no selection needed)?")
    async def propose_due(self, request: Request) -> Response:
        """Finance's way in (the contract list's actions need CONTRACT_WRITE): every contract at once."""
        refused = self._cross_site(request)
        if refused is not None:
            return refused
        actor = self.actor(request)
        try:
            results = await propose_due(self.uow_factory(), actor, self.clock)
        except DomainError as exc:
            return HTMLResponse(f"<p>{escape(exc.message('zh'))}</p><p>{escape(exc.message('en'))}</p>",
                                status_code=400)
        return HTMLResponse(proposal_page(results, "/admin/rebate-settlement/list"))


class ExpenseClaimAdmin(_ActionView):
    name = "费用核销 Expense claim"
    name_plural = "费用核销 Expense claims"
    icon = "fa-solid fa-receipt"
    category = "合同与结算 Contracts"
    read_permission = P.DEALER_READ_ALL
    write_permission: ClassVar = P.CAMPAIGN_WRITE
    can_create = False
    can_edit = False
    column_list = ["id", "number", "dealer_id", "campaign_id", "amount", "status", "credit_account", "decided_by"]
    column_details_list = ["id", "number", "dealer_id", "campaign_id", "amount", "description", "evidence", "status",
                           "credit_account", "submitted_by", "decided_by", "decided_at", "decision_note",
                           "created_at"]
    column_formatters_detail = {"evidence": lambda m, a: thumbnails("claim", m.number, m.evidence)}
    column_searchable_list = ["number"]
    column_default_sort = ("id", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(ClaimStatus), title="状态 Status")]

    @action(name="approve", label="核销（记预存款）Approve (prepayment)",
            confirmation_message="核销选中的申请？ Approve the selected claims?")
    async def approve(self, request: Request) -> Response:
        actor = self.actor(request)
        return await self._each(request, lambda pk: decide_claim(self.uow_factory(), actor, DecideClaim(pk, True),
                                                                 self.clock))

    @action(name="reject", label="驳回 Reject", confirmation_message="驳回选中的申请？ Reject?")
    async def reject(self, request: Request) -> Response:
        return _ask_reason(request, "claim")


class StaffTaskAdmin(_ActionView):
    name = "待办任务 Task"
    name_plural = "待办任务 Tasks"
    icon = "fa-solid fa-list-check"
    category = "合同与结算 Contracts"
    read_permission = P.ACCOUNT_READ_ALL
    write_permission = P.ACCOUNT_POST
    can_create = False
    can_edit = False
    column_list = ["id", "team", "kind", "title", "status", "created_at", "closed_by"]
    column_details_list = ["id", "team", "kind", "title", "detail", "dealer_id", "ref", "status", "resolution",
                           "created_at", "closed_by", "closed_at"]
    column_default_sort = ("id", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(TaskStatus), title="状态 Status")]

    @action(name="close", label="标记已处理 Close", confirmation_message="关闭选中的任务？ Close the selected tasks?")
    async def close(self, request: Request) -> Response:
        return _ask_reason(request, "task")


CONTRACT_VIEWS: tuple[tuple[type[DmsModelView], type], ...] = (
    (ContractAdmin, Contract),
    (ContractTemplateAdmin, ContractTemplate),
    (SignatureAdmin, ContractSignature),
    (RebateSettlementAdmin, RebateSettlement),
    (ExpenseClaimAdmin, ExpenseClaim),
    (StaffTaskAdmin, StaffTask),
)
