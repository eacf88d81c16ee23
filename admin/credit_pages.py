"""Credit limit changes and temporary credit in the back office (``/backoffice/credit``): the requests
awaiting a decision (approve / reject with a reason, on the rows the reader may decide: never its own),
a request form, and a dealer's credit with its request history (``?dealer=CODE``).

Every action is a ``core.services.credit`` use case (CREDIT_REQUEST to ask, CREDIT_APPROVE to decide),
which audits and tells the dealer and the requester.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import BackofficePages
from core.credit import CREDIT_KIND_LABELS, CREDIT_STATUS_LABELS, CreditChangeKind
from core.errors import NotFound, ValidationFailed
from core.money import fmt_cny
from core.services.accounts import get_balances
from core.services.credit import (
    PendingCreditChange,
    RequestCreditChange,
    credit_history,
    decide_credit_change,
    list_pending_credit_changes,
    request_credit_change,
)
from core.users import Actor

Handler = Callable[[Request, Actor], Awaitable[Response]]


def _invalid(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed(zh=f"输入有误：{zh}", en=f"Invalid input: {en}", reason=en)


class CreditPages(BackofficePages):
    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/credit", r(self.index)),
                Route("/credit/request", r(self.request), methods=["POST"]),
                Route("/credit/{id:int}/decide", r(self.decide), methods=["POST"])]

    def _row(self, item: PendingCreditChange, *, with_form: bool) -> str:
        e, c = self._e, item.change
        kind_zh, kind_en = CREDIT_KIND_LABELS[c.kind]
        status_zh, status_en = CREDIT_STATUS_LABELS[c.status]
        what = fmt_cny(c.amount) + (f" 至 until {c.until.isoformat()}" if c.until else "")
        decision = ""
        if c.decided_by:
            decision = f"{e(c.decided_by)} {e(c.decision_note)}"
        if with_form and item.may_decide:
            decision = (f"<form method='post' action='/backoffice/credit/{c.id}/decide'>"
                        "<input name='note' placeholder='意见（驳回必填）note (required to reject)' size='30'>"
                        "<button name='approve' value='1'>批准 Approve</button>"
                        "<button name='approve' value='0'>驳回 Reject</button></form>")
        elif with_form:
            decision = "由其他审批人处理 for another approver"
        return (f"<tr><td>{e(c.number)}</td><td>{e(item.dealer_code)} {e(item.dealer_name)}</td>"
                f"<td>{e(kind_zh)} {e(kind_en)}</td><td>{e(fmt_cny(c.previous_limit))}</td><td>{e(what)}</td>"
                f"<td>{e(c.reason)}</td><td>{e(c.requested_by)}</td><td>{e(status_zh)} {e(status_en)}</td>"
                f"<td>{decision}</td></tr>")

    def _table(self, rows: list[str]) -> str:
        return ("<table border='1'><thead><tr><th>编号 No.</th><th>经销商 Dealer</th><th>类型 Kind</th>"
                "<th>原额度 Limit before</th><th>申请 Asked</th><th>原因 Reason</th><th>申请人 By</th>"
                "<th>状态 Status</th><th>审批 Decision</th></tr></thead>"
                f"<tbody>{''.join(rows) or '<tr><td colspan=9>无 none</td></tr>'}</tbody></table>")

    async def index(self, request: Request, actor: Actor) -> Response:
        e = self._e
        pending = await list_pending_credit_changes(self.uow_factory(), actor)
        body = ["<h2>待审批 Awaiting a decision</h2>", self._table([self._row(p, with_form=True) for p in pending])]
        code = request.query_params.get("dealer", "").strip().upper()
        if code:
            body.append(await self._dealer_section(actor, code))
        kinds = "".join(f"<option value='{k.value}'>{e(zh)} {e(en)}</option>"
                        for k, (zh, en) in CREDIT_KIND_LABELS.items())
        body.append("<h2>申请调整 Ask for a change</h2><form method='post' action='/backoffice/credit/request'>"
                    f"<input name='dealer' placeholder='经销商编码 dealer code' value='{e(code)}' required>"
                    f"<select name='kind'>{kinds}</select>"
                    "<input name='amount' placeholder='新额度 / 临时额度 new limit / extra amount' required>"
                    "<input name='until' type='date' title='临时额度截止日 last day of temporary credit'>"
                    "<input name='reason' placeholder='原因 reason' required size='40'>"
                    "<button>提交审批 Submit for approval</button></form>"
                    "<form method='get'><input name='dealer' placeholder='经销商编码 dealer code'>"
                    "<button>查看额度与记录 Credit and history</button></form>")
        return self._page("信用额度 Credit", "".join(body))

    async def _dealer_section(self, actor: Actor, code: str) -> str:
        e = self._e
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code)
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"未找到经销商 {code}", en=f"Dealer {code} not found", what=code)
        overview = await get_balances(self.uow_factory(), actor, dealer.id, self.clock)
        history = await credit_history(self.uow_factory(), actor, dealer.id)
        temporary = (f"，含临时额度 {fmt_cny(overview.temporary_credit)} 至 "
                     f"{overview.temporary_credit_until.isoformat()} (temporary credit included until then)"
                     if overview.temporary_credit and overview.temporary_credit_until else "")
        return (f"<h2>{e(dealer.code)} {e(dealer.name)}</h2>"
                f"<p>信用额度 Credit limit {e(fmt_cny(dealer.credit_limit))}；当前可用额度 effective "
                f"{e(fmt_cny(overview.credit_limit))}{e(temporary)}；已用 used {e(fmt_cny(-overview.balances.credit))}；"
                f"可用 available {e(fmt_cny(overview.credit_available))}</p>"
                + self._table([self._row(h, with_form=False) for h in history]))

    async def request(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        code = str(form.get("dealer") or "").strip().upper()
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code) if code else None
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"未找到经销商 {code}", en=f"Dealer {code} not found", what=code)
        raw_kind = str(form.get("kind") or "")
        if raw_kind not in {k.value for k in CreditChangeKind}:
            raise _invalid("请选择调整类型", "choose the kind of change")
        try:
            amount = Decimal(str(form.get("amount") or "").replace(",", "").replace("¥", "").strip())
        except InvalidOperation:
            raise _invalid("金额格式不正确", "the amount is not a number") from None
        raw_until = str(form.get("until") or "").strip()
        try:
            until = date.fromisoformat(raw_until) if raw_until else None
        except ValueError:
            raise _invalid("日期格式应为 2026-12-31", "a date looks like 2026-12-31") from None
        change = await request_credit_change(self.uow_factory(), actor, RequestCreditChange(
            dealer.id, CreditChangeKind(raw_kind), amount, str(form.get("reason") or ""), until), self.clock)
        return RedirectResponse(f"/backoffice/credit?dealer={dealer.code}&asked={change.number}", status_code=303)

    async def decide(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        approve = str(form.get("approve") or "") == "1"
        await decide_credit_change(self.uow_factory(), actor, int(request.path_params["id"]), approve,
                                   str(form.get("note") or ""), self.clock)
        return RedirectResponse("/backoffice/credit", status_code=303)
