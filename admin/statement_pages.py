"""Monthly statements in the back office (``/backoffice/statements``): the list with status and deadline,
issuing a month (all dealers with something to state, or one), the Excel and PDF of each, and finance's
answer to a dispute (explain, or accept with an adjustment on an account).

Reading needs ACCOUNT_READ_ALL; issuing and answering are ``core.services.statements`` use cases
(ACCOUNT_POST), which audit and tell the dealer.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from core.accounts import AccountKind, StatementStatus
from core.authz import require
from core.clock import Clock
from core.errors import ValidationFailed
from core.ledger import ACCOUNT_LABELS
from core.money import fmt_cny
from core.ports import AbstractUnitOfWork
from core.services.accounts import STATEMENT_STATUS_LABELS
from core.services.statements import (
    AnswerDispute,
    IssueStatements,
    answer_dispute,
    get_statement_row,
    issue_statements,
    list_statements,
)
from core.statements import StatementPolicy
from core.users import Actor, Permission

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Handler = Callable[[Request, Actor], Awaitable[Response]]
_SKIPPED = {"exists": "已出具 already issued", "confirmed": "已确认 already confirmed",
            "empty": "无发生额且无余额 nothing to state"}


class StatementPages:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 page: Callable[[str, str], Response], escape: Callable[[object], str],
                 confirm_days: int | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self._page = page
        self._e = escape
        # STATEMENT_CONFIRM_DAYS, as the scheduled check and the command use it
        self.confirm_days = confirm_days or StatementPolicy().confirm_days

    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/statements", r(self.index)),
                Route("/statements/issue", r(self.issue), methods=["POST"]),
                Route("/statements/{id:int}.xlsx", r(self.xlsx)),
                Route("/statements/{id:int}.pdf", r(self.pdf)),
                Route("/statements/{id:int}/answer", r(self.answer), methods=["POST"])]

    async def index(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.ACCOUNT_READ_ALL)
        e = self._e
        period = request.query_params.get("period", "").strip() or None
        raw_status = request.query_params.get("status", "").strip()
        status = StatementStatus(raw_status) if raw_status in {s.value for s in StatementStatus} else None
        rows = await list_statements(self.uow_factory(), actor, period=period, status=status)
        accounts = "".join(f"<option value='{a.value}'>{e(zh)} {e(en)}</option>" for a, (zh, en) in ACCOUNT_LABELS.items())
        body = []
        for row in rows:
            s = row.statement
            zh, en = STATEMENT_STATUS_LABELS[s.status]
            files = (f"<a href='/backoffice/statements/{s.id}.xlsx'>Excel</a> "
                     f"<a href='/backoffice/statements/{s.id}.pdf'>PDF</a>")
            detail = ""
            if s.dispute_reason:
                detail += f"<p>异议 Dispute: {e(s.dispute_reason)}</p>"
                detail += "".join(f"<p>• {e(line)}</p>" for line in s.dispute_lines)
            if s.answer:
                detail += f"<p>答复 Answer: {e(s.answer)} ({e(s.answered_by)})</p>"
            if s.status == StatementStatus.DISPUTED:
                detail += (f"<form method='post' action='/backoffice/statements/{s.id}/answer'>"
                           "<input name='answer' placeholder='给经销商的答复 answer' required size='40'>"
                           f"<select name='account'><option value=''>不调整 no adjustment</option>{accounts}</select>"
                           "<input name='amount' placeholder='调整金额 ±amount' size='10'>"
                           "<button>答复 Answer</button></form>")
            body.append(f"<tr><td>{e(row.dealer_code)} {e(row.dealer_name)}</td><td>{e(s.period)}</td>"
                        f"<td>{e(zh)} {e(en)}</td><td>{e(s.due_on or '-')}</td>"
                        f"<td>{e(fmt_cny(s.closing_balance))}</td><td>{files}{detail}</td></tr>")
        filters = ("<form method='get'><input name='period' placeholder='2026-11' "
                   f"value='{e(period or '')}'><select name='status'><option value=''>全部 all</option>"
                   + "".join(f"<option value='{st.value}'{' selected' if st == status else ''}>{e(lz)} {e(le)}</option>"
                             for st, (lz, le) in STATEMENT_STATUS_LABELS.items())
                   + "</select><button>筛选 Filter</button></form>")
        issue = ("<h2>出具对账单 Issue statements</h2><form method='post' action='/backoffice/statements/issue'>"
                 "<input name='period' placeholder='2026-11' required><input name='dealer' placeholder='经销商编码（可空）"
                 " dealer code (optional)'><label><input type='checkbox' name='again' value='1'>已出具的重新生成 "
                 "rebuild issued ones</label><button>出具并发送 Issue and send</button></form>")
        table = ("<table border='1'><thead><tr><th>经销商 Dealer</th><th>账期 Period</th><th>状态 Status</th>"
                 "<th>确认期限 Due</th><th>期末 Closing</th><th>文件与异议 Files and disputes</th></tr></thead>"
                 f"<tbody>{''.join(body)}</tbody></table>")
        return self._page("对账单 Statements", filters + table + issue)

    async def issue(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        e = self._e
        outcome = await issue_statements(self.uow_factory, actor, IssueStatements(
            period=str(form.get("period") or "").strip(), dealer_code=str(form.get("dealer") or "").strip() or None,
            confirm_days=self.confirm_days, again=bool(form.get("again"))), self.clock)
        issued = "".join(f"<li>{e(code)} {e(s.period)} 期末 closing {e(fmt_cny(s.closing_balance))}</li>"
                         for code, s in outcome.issued)
        skipped = "".join(f"<li>{e(code)}: {e(_SKIPPED.get(why, why))}</li>" for code, why in outcome.skipped)
        return self._page("已出具 Issued", f"<p>出具 {len(outcome.issued)} 份 ({len(outcome.issued)} issued)</p>"
                                          f"<ul>{issued}</ul><p>跳过 Skipped</p><ul>{skipped}</ul>"
                                          "<p><a href='/backoffice/statements'>返回 Back</a></p>")

    async def _file(self, request: Request, actor: Actor, kind: str) -> Response:
        from documents.statement_files import statement_pdf, statement_xlsx

        require(actor, Permission.ACCOUNT_READ_ALL)
        row = await get_statement_row(self.uow_factory(), actor, request.path_params["id"])
        statement, who = row.statement, f"{row.dealer_code} {row.dealer_name}".strip()
        name = f"statement-{row.dealer_code}-{statement.period}.{kind}"
        data, media = ((statement_xlsx(statement, who), XLSX) if kind == "xlsx"
                       else (statement_pdf(statement, who), "application/pdf"))
        return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def xlsx(self, request: Request, actor: Actor) -> Response:
        return await self._file(request, actor, "xlsx")

    async def pdf(self, request: Request, actor: Actor) -> Response:
        return await self._file(request, actor, "pdf")

    async def answer(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        raw_account = str(form.get("account") or "").strip()
        raw_amount = str(form.get("amount") or "").strip().replace(",", "")
        account = None
        if raw_account:
            try:
                account = AccountKind(raw_account)
            except ValueError:
                raise ValidationFailed(zh="账户无效", en="Unknown account") from None
        await answer_dispute(self.uow_factory(), actor, AnswerDispute(
            statement_id=request.path_params["id"], answer=str(form.get("answer") or ""), account=account,
            amount=raw_amount or None), self.clock)
        return RedirectResponse("/backoffice/statements", status_code=303)
