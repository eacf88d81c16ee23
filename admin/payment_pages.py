"""Payments in the back office (``/backoffice/payments``), for finance (ACCOUNT_POST):

- a payment form (dealer code, 预存款/保证金, amount, 银行转账/承兑汇票/现金, reference, day paid, receipt scan)
  with the chosen dealer's balances beside it (``?dealer=CODE``: prepayment, deposit, rebate, credit used of
  the limit) and its recent ledger entries, each reversible one with 冲销 (a reason asked);
- a refund / manual adjustment form (booked at once up to the approval threshold, above it a request);
- the refunds and adjustments waiting for a second person, approve / reject on the rows the reader may
  decide (never its own).

Every action is a ``core.services.payments`` use case (it checks ACCOUNT_POST, audits and tells the dealer).
A payment form carries a random key: posted twice (a double click, a reload) it books once
(``source="web:<key>"``).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.evidence_pages import thumbnails
from core.accounts import (
    FINANCE_REQUEST_KIND_LABELS,
    PAYMENT_METHOD_LABELS,
    AccountKind,
    FinanceRequestKind,
    PaymentMethod,
)
from core.clock import Clock
from core.errors import NotFound, ValidationFailed
from core.ledger import ACCOUNT_LABELS, ENTRY_LABELS
from core.money import fmt_cny
from core.ports import AbstractFileStore, AbstractUnitOfWork
from core.services.accounts import get_balances, list_entries
from core.services.payments import (
    DEFAULT_APPROVAL_THRESHOLD,
    NOT_REVERSIBLE,
    PAYMENT_ACCOUNTS,
    RecordPayment,
    RequestAdjustment,
    decide_finance_request,
    list_finance_requests,
    record_payment,
    request_adjustment,
    reverse_entry,
)
from core.users import Actor

Handler = Callable[[Request, Actor], Awaitable[Response]]
MAX_RECEIPT_BYTES = 10 * 1024 * 1024
RECENT_ENTRIES = 30


def _invalid(zh: str, en: str) -> ValidationFailed:
    return ValidationFailed(zh=f"输入有误：{zh}", en=f"Invalid input: {en}", reason=en)


def _amount(raw: object) -> Decimal:
    try:
        return Decimal(str(raw or "").replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise _invalid("金额格式不正确", "the amount is not a number") from None


class PaymentPages:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock, files: AbstractFileStore | None,
                 page: Callable[[str, str], Response], escape: Callable[[object], str], *,
                 approval_threshold: Decimal = DEFAULT_APPROVAL_THRESHOLD) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.files = files
        self.threshold = approval_threshold
        self._page = page
        self._e = escape

    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/payments", r(self.index)),
                Route("/payments/record", r(self.record), methods=["POST"]),
                Route("/payments/adjust", r(self.adjust), methods=["POST"]),
                Route("/payments/entries/{id:int}/reverse", r(self.reverse), methods=["POST"]),
                Route("/payments/requests/{id:int}/decide", r(self.decide), methods=["POST"])]

    async def _dealer(self, code: str) -> tuple[int, str, str]:
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code.strip().upper()) if code.strip() else None
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"未找到经销商 {code}", en=f"Dealer {code} not found", what=code)
        return dealer.id, dealer.code, dealer.name

    # --- the page ----------------------------------------------------------------------------------------
    async def index(self, request: Request, actor: Actor) -> Response:
        e = self._e
        waiting = await list_finance_requests(self.uow_factory(), actor, limit=500)   # ACCOUNT_POST, else 403
        code = request.query_params.get("dealer", "").strip().upper()
        side = await self._dealer_section(actor, code) if code else (
            "<p>输入经销商编码查看余额与流水 (type a dealer code to see its balances and ledger)</p>")
        accounts = "".join(f"<option value='{a.value}'>{e(ACCOUNT_LABELS[a][0])} {e(ACCOUNT_LABELS[a][1])}</option>"
                           for a in (AccountKind.PREPAYMENT, AccountKind.DEPOSIT))
        methods = "".join(f"<option value='{m.value}'>{e(zh)} {e(en)}</option>"
                          for m, (zh, en) in PAYMENT_METHOD_LABELS.items())
        kinds = "".join(f"<option value='{k.value}'>{e(zh)} {e(en)}</option>"
                        for k, (zh, en) in FINANCE_REQUEST_KIND_LABELS.items())
        all_accounts = "".join(f"<option value='{a.value}'>{e(zh)} {e(en)}</option>"
                               for a, (zh, en) in ACCOUNT_LABELS.items())
        notice = ""
        if request.query_params.get("booked"):
            notice = f"<p>✅ 已入账 booked: #{e(request.query_params['booked'])}</p>"
        elif request.query_params.get("done"):
            notice = f"<p>✅ {e(request.query_params['done'])}</p>"
        form = ("<h2>记一笔回款 Record a payment</h2>"
                "<form method='get'><input name='dealer' placeholder='经销商编码 dealer code' "
                f"value='{e(code)}'><button>查看余额 Balances</button></form>"
                "<form method='post' action='/backoffice/payments/record' enctype='multipart/form-data'>"
                f"<input type='hidden' name='key' value='{secrets.token_hex(8)}'>"
                f"<p><input name='dealer' placeholder='经销商编码 dealer code' value='{e(code)}' required></p>"
                f"<p><select name='account'>{accounts}</select> <select name='method'>{methods}</select></p>"
                "<p><input name='amount' placeholder='金额 amount (CNY)' required></p>"
                "<p><input name='reference' placeholder='流水号/汇票号 reference' maxlength='64'> <label><input "
                "type='checkbox' name='same_reference_ok' value='1'> 此参考号已入账时仍入账（确是另一笔款） book even if "
                "this reference is booked (another payment)</label></p>"
                f"<p>付款日期 Paid on <input name='paid_on' type='date' value='{self.clock.today().isoformat()}' "
                "required></p>"
                "<p>回单 Receipt <input name='receipt' type='file' accept='image/*,application/pdf'></p>"
                "<p><input name='note' placeholder='备注 note' size='40'></p>"
                "<button>确认入账 Book it</button></form>"
                "<h2>退款 / 调账 Refund or adjustment</h2>"
                f"<p>超过 {e(fmt_cny(self.threshold))} 须由另一位财务人员审批 "
                f"(above {e(fmt_cny(self.threshold))} a second person approves)</p>"
                "<form method='post' action='/backoffice/payments/adjust'>"
                f"<input name='dealer' placeholder='经销商编码 dealer code' value='{e(code)}' required>"
                f"<select name='kind'>{kinds}</select><select name='account'>{all_accounts}</select>"
                "<input name='amount' placeholder='金额 amount (调账可为负 adjustment may be negative)' required>"
                "<input name='reason' placeholder='原因 reason' required size='30'>"
                "<button>提交 Submit</button></form>")
        body = (f"{notice}<div style='display:flex;gap:2em'><div>{form}</div><div>{side}</div></div>"
                "<h2>待审批的退款/调账 Refunds and adjustments awaiting approval</h2>" + self._requests(waiting))
        return self._page("收款与调账 Payments", body)

    async def _dealer_section(self, actor: Actor, code: str) -> str:
        e = self._e
        dealer_id, dealer_code, name = await self._dealer(code)
        overview = await get_balances(self.uow_factory(), actor, dealer_id, self.clock)
        entries = await list_entries(self.uow_factory(), actor, dealer_id, limit=RECENT_ENTRIES)
        b = overview.balances
        reversed_ids = {x.reverses_id for x in entries if x.reverses_id}
        rows = []
        for x in entries:
            kind_zh, kind_en = ENTRY_LABELS.get(x.kind, (str(x.kind), str(x.kind)))
            acc_zh, _ = ACCOUNT_LABELS[x.account]
            action = ""
            if x.kind not in NOT_REVERSIBLE and x.id not in reversed_ids:
                action = (f"<form method='post' action='/backoffice/payments/entries/{x.id}/reverse'>"
                          f"<input type='hidden' name='dealer' value='{e(dealer_code)}'>"
                          "<input name='reason' placeholder='冲销原因 reason' required size='16'>"
                          "<button>冲销 Reverse</button></form>")
            day = x.paid_on or (x.created_at.astimezone(self.clock.tz).date() if x.created_at else None)
            rows.append(f"<tr><td>#{x.id}</td><td>{e(day.isoformat() if day else '-')}</td>"
                        f"<td>{e(kind_zh)} {e(kind_en)}</td><td>{e(acc_zh)}</td><td>{e(fmt_cny(x.amount))}</td>"
                        f"<td>{e(x.ref)}</td><td>{e(x.note)}</td><td>{e(x.created_by)}</td>"
                        f"<td>{thumbnails('payment', str(x.id), [x.attachment])}{action}</td></tr>")
        return (f"<h2>{e(dealer_code)} {e(name)}</h2>"
                "<table border='1'><tbody>"
                f"<tr><th>预存款 Prepayment</th><td class='prepayment'>{e(fmt_cny(b.prepayment))}</td></tr>"
                f"<tr><th>保证金 Deposit</th><td class='deposit'>{e(fmt_cny(b.deposit))}</td></tr>"
                f"<tr><th>返利 Rebate</th><td class='rebate'>{e(fmt_cny(b.rebate))}</td></tr>"
                f"<tr><th>已用信用 / 额度 Credit used / limit</th><td class='credit'>{e(fmt_cny(-b.credit))} / "
                f"{e(fmt_cny(overview.credit_limit))}</td></tr></tbody></table>"
                "<h3>最近流水 Recent entries</h3><table border='1'><thead><tr><th>#</th><th>日期 Day</th>"
                "<th>类型 Kind</th><th>账户 Account</th><th>金额 Amount</th><th>参考号 Ref</th><th>备注 Note</th>"
                "<th>经办 By</th><th></th></tr></thead>"
                f"<tbody>{''.join(rows) or '<tr><td colspan=9>无 none</td></tr>'}</tbody></table>")

    def _requests(self, waiting: list[Any]) -> str:
        e = self._e
        rows = []
        for item in waiting:
            r = item.request
            kind_zh, kind_en = FINANCE_REQUEST_KIND_LABELS[r.kind]
            if item.may_decide:
                decision = (f"<form method='post' action='/backoffice/payments/requests/{r.id}/decide'>"
                            "<input name='note' placeholder='意见（驳回必填）note (required to reject)' size='24'>"
                            "<button name='approve' value='1'>批准 Approve</button>"
                            "<button name='approve' value='0'>驳回 Reject</button></form>")
            else:
                decision = "须由另一位财务人员审批 another person decides"
            rows.append(f"<tr><td>{e(r.number)}</td><td>{e(item.dealer_code)} {e(item.dealer_name)}</td>"
                        f"<td>{e(kind_zh)} {e(kind_en)}</td><td>{e(ACCOUNT_LABELS[r.account][0])}</td>"
                        f"<td>{e(fmt_cny(r.amount))}</td><td>{e(r.reason)}</td><td>{e(r.requested_by)}</td>"
                        f"<td>{decision}</td></tr>")
        return ("<table border='1'><thead><tr><th>编号 No.</th><th>经销商 Dealer</th><th>类型 Kind</th>"
                "<th>账户 Account</th><th>金额 Amount</th><th>原因 Reason</th><th>申请人 By</th><th>审批 Decision</th>"
                f"</tr></thead><tbody>{''.join(rows) or '<tr><td colspan=8>无 none</td></tr>'}</tbody></table>")

    # --- actions -----------------------------------------------------------------------------------------
    async def _receipt(self, upload: object) -> str:
        if not isinstance(upload, UploadFile) or not upload.filename:
            return ""
        data = await upload.read(MAX_RECEIPT_BYTES + 1)
        if len(data) > MAX_RECEIPT_BYTES:
            raise _invalid("回单文件超过 10 MB", "the receipt file is above 10 MB")
        if not data:
            return ""
        if self.files is None:
            raise ValidationFailed(zh="文件存储未配置，无法保存回单", en="No file store is configured for the receipt")
        return await self.files.put(data, upload.filename)

    async def record(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        dealer_id, code, _ = await self._dealer(str(form.get("dealer") or ""))
        account = str(form.get("account") or "")
        if account not in {a.value for a in PAYMENT_ACCOUNTS}:
            raise _invalid("请选择预存款或保证金", "choose prepayment or deposit")
        method = str(form.get("method") or "")
        if method not in {m.value for m in PaymentMethod}:
            raise _invalid("请选择付款方式", "choose the payment method")
        try:
            paid_on = date.fromisoformat(str(form.get("paid_on") or "").strip())
        except ValueError:
            raise _invalid("付款日期格式应为 2026-12-01", "a day looks like 2026-12-01") from None
        key = str(form.get("key") or "").strip()
        if not key.isalnum() or len(key) > 32:
            raise _invalid("表单已失效，请刷新页面", "the form expired: reload the page")
        entry = await record_payment(self.uow_factory(), actor, RecordPayment(
            dealer_id, AccountKind(account), _amount(form.get("amount")), method,
            str(form.get("reference") or ""), paid_on, attachment=await self._receipt(form.get("receipt")),
            note=str(form.get("note") or ""), source=f"web:{key}",
            same_reference_ok=form.get("same_reference_ok") == "1"), self.clock)
        return RedirectResponse(f"/backoffice/payments?dealer={code}&booked={entry.id}", status_code=303)

    async def adjust(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        dealer_id, code, _ = await self._dealer(str(form.get("dealer") or ""))
        account = str(form.get("account") or "")
        kind = str(form.get("kind") or "")
        if account not in {a.value for a in AccountKind} or kind not in {k.value for k in FinanceRequestKind}:
            raise _invalid("请选择类型和账户", "choose the kind and the account")
        outcome = await request_adjustment(self.uow_factory(), actor, RequestAdjustment(
            dealer_id, AccountKind(account), _amount(form.get("amount")), kind, str(form.get("reason") or "")),
            self.clock, threshold=self.threshold)
        done = (f"已提交审批 {outcome.request.number} submitted for approval" if outcome.request is not None
                else f"已入账 #{outcome.entry.id if outcome.entry else ''} booked")
        return RedirectResponse(f"/backoffice/payments?dealer={code}&done={done}", status_code=303)

    async def reverse(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        entry = await reverse_entry(self.uow_factory(), actor, int(request.path_params["id"]),
                                    str(form.get("reason") or ""), self.clock)
        code = str(form.get("dealer") or "").strip().upper()
        return RedirectResponse(f"/backoffice/payments?dealer={code}&done=冲销 reversed #{entry.reverses_id}",
                                status_code=303)

    async def decide(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        approve = str(form.get("approve") or "") == "1"
        await decide_finance_request(self.uow_factory(), actor, int(request.path_params["id"]), approve,
                                     str(form.get("note") or ""), self.clock)
        return RedirectResponse("/backoffice/payments", status_code=303)
