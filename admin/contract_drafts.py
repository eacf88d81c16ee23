"""Contract drafts in the back office (``/backoffice/contracts/new``, ``/backoffice/contracts/{id}/edit``,
``/backoffice/contracts/{id}/terms``, ``/backoffice/contracts/{id}/send``, ``/backoffice/contracts/{id}/discard``):
staff pick an active template, a dealer code and a start date (``contract_docs.create_from_template``), enter the
sales targets and the rebate ladder row by row (``contract_docs.set_draft_terms``: add a row in the blank line,
edit a row in place, tick 删除 to remove it; a refused row is shown again with what was typed and the reason),
edit the body while the contract is a draft (``contract_docs.edit_body``), send it to the dealer
(``contracts.send_contract``, which notifies the dealer's owner, who signs in chat) or discard a draft nobody
will send, with a reason (``contract_docs.discard_draft``).

The use cases check CONTRACT_WRITE, validate, audit and notify; this module only reads the form. Mounted by
``admin.backoffice.mount_backoffice`` behind its staff session, same-origin check and refusal page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.authz import require
from core.clock import Clock
from core.contract_rules import TargetRow, TargetScope, TierRow
from core.contracts import Contract, ContractStatus, SalesTarget, TargetMetric, scope_sku
from core.errors import NotFound, ValidationFailed
from core.ports import AbstractUnitOfWork
from core.services import contract_docs, contracts
from core.users import Actor, Permission

Handler = Callable[[Request, Actor], Awaitable[Response]]
Wrap = Callable[[Handler], Callable[[Request], Awaitable[Response]]]


def _int(value: object, label_zh: str, name: str) -> int:
    try:
        return int(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(zh=f"请选择{label_zh}", en=f"Please choose the {name}", reason=name) from None


def _start(value: object) -> date:
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise ValidationFailed(zh="请填写开始日期（YYYY-MM-DD）", en="Please give the start date as YYYY-MM-DD",
                               reason="starts_on") from None


class ContractDrafts:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 page: Callable[..., Response], escape: Callable[[object], str]) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self._page = page
        self._e = escape

    def routes(self, wrap: Wrap) -> list[Route]:
        """The routes, each wrapped by the back office's staff-session / refusal wrapper."""
        return [
            Route("/contracts/new", wrap(self.new)),
            Route("/contracts/new", wrap(self.create), methods=["POST"]),
            Route("/contracts/{id:int}/edit", wrap(self.edit)),
            Route("/contracts/{id:int}/edit", wrap(self.update), methods=["POST"]),
            Route("/contracts/{id:int}/terms", wrap(self.terms), methods=["POST"]),
            Route("/contracts/{id:int}/send", wrap(self.send), methods=["POST"]),
            Route("/contracts/{id:int}/discard", wrap(self.discard), methods=["POST"]),
        ]

    async def _drafts_table(self, actor: Actor) -> str:
        e = self._e
        drafts = await contracts.list_contracts(self.uow_factory(), actor, status=ContractStatus.DRAFT, limit=100)
        if not drafts:
            return "<p>暂无草稿 No drafts</p>"
        async with self.uow_factory() as uow:
            codes = {d.id: d.code for d in await uow.dealers.list(id__in=sorted({c.dealer_id for c in drafts}))}
        today = self.clock.today()
        rows = "".join(
            f"<tr><td>{e(c.number)}</td><td>{e(codes.get(c.dealer_id, c.dealer_id))}</td>"
            f"<td>{e(c.starts_on)} ~ {e(c.ends_on)}</td>"
            f"<td>{len(c.targets) or '⚠️ 0（未填目标，不能发送 no targets yet）'}</td>"
            f"<td>{(today - c.created_at.astimezone(self.clock.tz).date()).days if c.created_at else ''}</td>"
            f"<td><a href='/backoffice/contracts/{c.id}/edit'>编辑 Edit</a></td></tr>"
            for c in drafts)
        return ("<table border='1'><thead><tr><th>编号 Number</th><th>经销商 Dealer</th><th>期限 Term</th>"
                "<th>目标数 Targets</th><th>已搁置天数 Days old</th><th>操作</th></tr></thead>"
                f"<tbody>{rows}</tbody></table>")

    async def new(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        e = self._e
        async with self.uow_factory() as uow:
            templates = await uow.contract_templates.list(active=True)
        options = "".join(f"<option value='{t.id}'>{e(t.name)}（{t.term_months} 个月 months）</option>"
                          for t in templates)
        form = ("<form method='post' action='/backoffice/contracts/new'>"
                f"<p><label>合同模板 Template <select name='template_id' required>{options}</select></label></p>"
                "<p><label>经销商编码 Dealer code <input name='dealer_code' required></label></p>"
                "<p><label>开始 Starts <input name='starts_on' type='date' required></label></p>"
                "<button>生成草稿 Create draft</button></form>")
        return self._page("从模板新建合同 New contract from a template",
                          form + "<h2>草稿 Drafts</h2>" + await self._drafts_table(actor))

    async def create(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        form = await request.form()
        code = str(form.get("dealer_code") or "").strip()
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code) if code else None
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"经销商 {code} 不存在", en=f"Dealer {code} not found")
        contract = await contract_docs.create_from_template(self.uow_factory(), actor, contract_docs.CreateFromTemplate(
            template_id=_int(form.get("template_id"), "合同模板", "template_id"), dealer_id=dealer.id,
            starts_on=_start(form.get("starts_on"))), self.clock)
        return RedirectResponse(f"/backoffice/contracts/{contract.id}/edit", status_code=303)

    async def edit(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        cid: int = request.path_params["id"]
        contract = await contracts.get_contract(self.uow_factory(), actor, cid)
        return self._edit_page(contract)

    def _edit_page(self, contract: Contract, targets: list[TargetRow] | None = None,
                   tiers: list[TierRow] | None = None, error: ValidationFailed | None = None) -> Response:
        """The draft: its targets and rebate ladder (a form of rows plus blank ones to add), body, send, discard.

        After a refused save the rows come back as typed, with the reason on top (status 400)."""
        e, cid = self._e, contract.id
        target_rows = targets if targets is not None else [_target_row(t) for t in contract.targets]
        tier_rows = tiers if tiers is not None else [
            TierRow(_plain(t.min_achievement * 100), _plain(t.rate * 100)) for t in contract.rebate_tiers]
        blank_targets = [TargetRow("", TargetMetric.AMOUNT.value, "")] * (1 if target_rows else 2)
        blank_tiers = [TierRow("", "")] * (1 if tier_rows else 2)
        draft = contract.status == ContractStatus.DRAFT
        notice = ""
        if error is not None:
            notice = (f"<p role='alert' style='color:#b00'>{e(error.message('zh'))}<br>{e(error.message('en'))}</p>"
                      "<p>未保存，请改正后再保存。Nothing was saved; correct the row and save again.</p>")
        elif draft and not contract.targets:
            notice = ("<p role='alert'>⚠️ 还没有销售目标：至少填一行目标并保存后才能发送。"
                      "No sales target yet: enter at least one row and save before sending.</p>")
        head = (f"<p>状态 Status: {e(contract.status)}；期限 Term: {e(contract.starts_on)} ~ {e(contract.ends_on)}；"
                f"第 {contract.version} 版 version</p>")
        if not draft:
            return self._page(f"合同 Contract {contract.number}", head + "<p>合同已不是草稿，条款不能在此修改。"
                              "The contract is no longer a draft; its terms cannot be changed here.</p>")
        target_html = "".join(self._target_inputs(i, r, removable=i < len(target_rows))
                              for i, r in enumerate(target_rows + blank_targets))
        tier_html = "".join(self._tier_inputs(i, r, removable=i < len(tier_rows))
                            for i, r in enumerate(tier_rows + blank_tiers))
        terms = (f"<form method='post' action='/backoffice/contracts/{cid}/terms'>"
                 "<h2>销售目标 Sales targets</h2>"
                 "<p>期间填 2027、2027-Q1 或 2027-03（也可填 Y、Q1、M03 表示合同开始年份）；金额目标单位为元，可写 30万；"
                 "范围选全部产品、品类（填品类名称）或单个产品（填产品编码）。在空白行填写即新增一行，勾选“删除”即删除该行。<br>"
                 "Period: 2027, 2027-Q1 or 2027-03 (or Y, Q1, M03 of the start year); amounts in CNY (30万 works); "
                 "scope: all products, a category (its name) or one product (its code). Fill the blank row to add "
                 "one, tick 删除 Remove to drop one.</p>"
                 "<table border='1'><thead><tr><th>#</th><th>期间 Period</th><th>范围 Scope</th>"
                 "<th>品类/产品编码 Category or SKU</th><th>口径 Measure</th><th>目标值 Target</th>"
                 f"<th>删除 Remove</th></tr></thead><tbody>{target_html}</tbody></table>"
                 "<h2>返利档位 Rebate ladder</h2>"
                 "<p>达成率达到某档即按该档比例返利（取已达到的最高档）。均填百分数：达成率 80 表示 80%，返利 2 表示 2%。<br>"
                 "Reaching a step's achievement earns its rate (the highest step reached counts). Both in percent.</p>"
                 "<table border='1'><thead><tr><th>#</th><th>达成率 ≥ Achievement % ≥</th><th>返利 Rebate %</th>"
                 f"<th>删除 Remove</th></tr></thead><tbody>{tier_html}</tbody></table>"
                 "<p><button>保存目标与返利 Save targets and rebates</button></p></form>")
        body = (head + notice + terms
                + f"<h2>正文 Body</h2><form method='post' action='/backoffice/contracts/{cid}/edit'>"
                f"<p><label>正文 Body <textarea name='body' rows='20' cols='80'>{e(contract.body)}</textarea>"
                "</label></p><button>保存正文 Save body</button></form>"
                f"<h2>发送 Send</h2><form method='post' action='/backoffice/contracts/{cid}/send'>"
                "<button>发送给经销商签署 Send to the dealer to sign</button></form>"
                f"<h2>作废草稿 Discard the draft</h2><form method='post' action='/backoffice/contracts/{cid}/discard'>"
                "<p>不再需要的草稿（如填错经销商、已放弃的模板草稿）可作废；作废的草稿不会再挡住续签。"
                "A draft nobody will send can be discarded; it then never stands in the way of a renewal.</p>"
                "<label>原因 Reason <input name='reason' required maxlength='400'></label>"
                "<button>作废 Discard</button></form>")
        return self._page(f"合同草稿 Draft {contract.number}", body, 400 if error is not None else 200)

    def _target_inputs(self, i: int, row: TargetRow, *, removable: bool) -> str:
        e = self._e

        def option(value: str, label: str, current: str) -> str:
            return f"<option value='{value}'{' selected' if value == current else ''}>{label}</option>"

        scopes = "".join(option(v.value, label, row.scope) for v, label in (
            (TargetScope.ALL, "全部产品 All products"), (TargetScope.CATEGORY, "品类 Category"),
            (TargetScope.SKU, "单个产品 One product")))
        metrics = "".join(option(v.value, label, row.metric) for v, label in (
            (TargetMetric.AMOUNT, "金额（元） Amount CNY"), (TargetMetric.QUANTITY, "数量 Quantity")))
        remove = f"<input type='checkbox' name='remove' value='{i}'>" if removable else "新增 new"
        return (f"<tr><td>{i + 1}</td><td><input name='period' value='{e(row.period)}' size='9'></td>"
                f"<td><select name='scope'>{scopes}</select></td>"
                f"<td><input name='scope_value' value='{e(row.scope_value)}' size='12'></td>"
                f"<td><select name='metric'>{metrics}</select></td>"
                f"<td><input name='value' value='{e(row.value)}' size='12'></td><td>{remove}</td></tr>")

    def _tier_inputs(self, i: int, row: TierRow, *, removable: bool) -> str:
        e = self._e
        remove = f"<input type='checkbox' name='tier_remove' value='{i}'>" if removable else "新增 new"
        return (f"<tr><td>{i + 1}</td><td><input name='tier_min' value='{e(row.min_achievement)}' size='6'></td>"
                f"<td><input name='tier_rate' value='{e(row.rate)}' size='6'></td><td>{remove}</td></tr>")

    async def terms(self, request: Request, actor: Actor) -> Response:
        """Save the whole table of targets and tiers: rows ticked 删除 and blank rows are left out."""
        require(actor, Permission.CONTRACT_WRITE)
        cid: int = request.path_params["id"]
        form = await request.form()

        def column(name: str) -> list[str]:
            return [str(v) for v in form.getlist(name)]

        removed = set(column("remove"))
        periods, scopes, named, metrics, values = (column(n) for n in ("period", "scope", "scope_value", "metric",
                                                                         "value"))
        count = max(len(periods), len(values))

        def at(values_: list[str], i: int, default: str = "") -> str:
            return values_[i] if i < len(values_) else default

        typed = [TargetRow(at(periods, i), at(metrics, i, TargetMetric.AMOUNT.value), at(values, i),
                           at(scopes, i, TargetScope.ALL.value), at(named, i)) for i in range(count)]
        kept = [r for i, r in enumerate(typed) if str(i) not in removed
                and (r.period.strip() or r.value.strip() or r.scope_value.strip())]
        tier_removed = set(column("tier_remove"))
        mins, rates = column("tier_min"), column("tier_rate")
        tiers = [TierRow(at(mins, i), at(rates, i)) for i in range(max(len(mins), len(rates)))
                 if str(i) not in tier_removed and (at(mins, i).strip() or at(rates, i).strip())]
        try:
            await contract_docs.set_draft_terms(self.uow_factory(), actor, contract_docs.SetDraftTerms(
                cid, tuple(kept), tuple(tiers)), self.clock)
        except ValidationFailed as exc:
            contract = await contracts.get_contract(self.uow_factory(), actor, cid)
            return self._edit_page(contract, kept, tiers, exc)
        return RedirectResponse(f"/backoffice/contracts/{cid}/edit", status_code=303)

    async def update(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        cid: int = request.path_params["id"]
        form = await request.form()
        await contract_docs.edit_body(self.uow_factory(), actor,
                                      contract_docs.EditBody(cid, str(form.get("body") or "")), self.clock)
        return RedirectResponse(f"/backoffice/contracts/{cid}/edit", status_code=303)

    async def send(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        cid: int = request.path_params["id"]
        contract = await contracts.send_contract(self.uow_factory(), actor, contracts.SendContract(cid), self.clock)
        return self._page(f"已发送 Sent {contract.number}",
                          f"<p>合同 {self._e(contract.number)} 已发送给经销商签署，经销商负责人在聊天中查看 PDF 并用验证码签署 "
                          "(sent to the dealer: the owner reads the PDF in chat and signs with a one-time code)</p>"
                          "<p><a href='/backoffice/contracts/new'>合同草稿 Contract drafts</a></p>")

    async def discard(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        cid: int = request.path_params["id"]
        form = await request.form()
        contract = await contract_docs.discard_draft(self.uow_factory(), actor, contract_docs.DiscardDraft(
            cid, str(form.get("reason") or "")), self.clock)
        return self._page(f"已作废 Discarded {contract.number}",
                          f"<p>草稿 {self._e(contract.number)} 已作废（原因已记录）。Draft discarded; the reason is "
                          "recorded.</p><p><a href='/backoffice/contracts/new'>合同草稿 Contract drafts</a></p>")


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _target_row(target: SalesTarget) -> TargetRow:
    sku = scope_sku(target.product_group)
    if sku is not None:
        scope, named = TargetScope.SKU, sku
    elif target.product_group:
        scope, named = TargetScope.CATEGORY, target.product_group
    else:
        scope, named = TargetScope.ALL, ""
    return TargetRow(target.period, target.metric.value, _plain(target.value), scope.value, named)
