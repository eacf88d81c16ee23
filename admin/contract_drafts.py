"""Contract drafts in the back office (``/backoffice/contracts/new``, ``/backoffice/contracts/{id}/edit``,
``/backoffice/contracts/{id}/send``): staff pick an active template, a dealer code and a start date
(``contract_docs.create_from_template``), edit the body while the contract is a draft (``contract_docs.edit_body``)
and send it to the dealer (``contracts.send_contract``, which notifies the dealer's owner).

The use cases check CONTRACT_WRITE, validate, audit and notify; this module only reads the form. Mounted by
``admin.backoffice.mount_backoffice`` behind its staff session, same-origin check and refusal page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.authz import require
from core.clock import Clock
from core.contracts import ContractStatus
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
                 page: Callable[[str, str], Response], escape: Callable[[object], str]) -> None:
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
            Route("/contracts/{id:int}/send", wrap(self.send), methods=["POST"]),
        ]

    async def _drafts_table(self, actor: Actor) -> str:
        e = self._e
        drafts = await contracts.list_contracts(self.uow_factory(), actor, status=ContractStatus.DRAFT, limit=100)
        if not drafts:
            return "<p>暂无草稿 No drafts</p>"
        rows = "".join(
            f"<tr><td>{e(c.number)}</td><td>{e(c.dealer_id)}</td><td>{e(c.starts_on)} ~ {e(c.ends_on)}</td>"
            f"<td><a href='/backoffice/contracts/{c.id}/edit'>编辑 Edit</a>"
            f"<form method='post' action='/backoffice/contracts/{c.id}/send'><button>发送 Send</button></form></td></tr>"
            for c in drafts)
        return ("<table border='1'><thead><tr><th>编号</th><th>经销商</th><th>期限</th><th>操作</th></tr></thead>"
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
        e = self._e
        cid: int = request.path_params["id"]
        contract = await contracts.get_contract(self.uow_factory(), actor, cid)
        body = (f"<p>状态 Status: {e(contract.status)}；期限 Term: {e(contract.starts_on)} ~ {e(contract.ends_on)}</p>"
                f"<form method='post' action='/backoffice/contracts/{cid}/edit'>"
                f"<p><label>正文 Body <textarea name='body' rows='20' cols='80'>{e(contract.body)}</textarea>"
                "</label></p><button>保存 Save</button></form>"
                f"<form method='post' action='/backoffice/contracts/{cid}/send'>"
                "<button>发送给经销商 Send to the dealer</button></form>")
        return self._page(f"合同草稿 Draft {contract.number}", body)

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
                          f"<p>合同 {self._e(contract.number)} 已发送给经销商签署 "
                          "(sent to the dealer for signature)</p>"
                          "<p><a href='/backoffice/contracts/new'>合同草稿 Contract drafts</a></p>")
