"""Back-office pages for contracts and settlements, served under ``/backoffice`` with the staff session:

- ``GET /backoffice/contracts/{id}/signed.pdf``: the frozen signed PDF, streamed from the file store after
  ``signed_copy`` checked it against its recorded SHA-256 (a tampered file is refused, never served).
  Only staff who write contracts (CONTRACT_WRITE) may fetch it; the SQLAdmin contract and signature
  pages link here.
- ``GET/POST /backoffice/decisions/{kind}/reject?pks=1,2``: the reason form behind the SQLAdmin "reject"
  list actions (rebate settlements, expense claims) and "close" (finance tasks). The reason is a required
  form field, posted (same-origin only), never a query parameter with a default text.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from core.authz import require
from core.clock import Clock
from core.errors import NotFound, ValidationFailed
from core.ports import AbstractFileStore, AbstractUnitOfWork
from core.services.contract_docs import signed_copy
from core.services.expenses import CloseTask, DecideClaim, close_task, decide_claim
from core.services.rebates import DecideSettlement, decide_settlement
from core.users import Actor, Permission

MAX_REASON = 500


def signed_pdf_url(contract_id: int) -> str:
    return f"/backoffice/contracts/{contract_id}/signed.pdf"


@dataclass(frozen=True)
class Decision:
    """One kind of reasoned decision: what the form says and the use case it runs per selected row."""

    title: str
    label: str                  # the reason field's label
    button: str
    back: str                   # the SQLAdmin list to return to
    run: Callable[[AbstractUnitOfWork, Actor, int, str, Clock], Awaitable[object]]


async def _reject_settlement(uow: AbstractUnitOfWork, actor: Actor, pk: int, reason: str, clock: Clock) -> object:
    return await decide_settlement(uow, actor, DecideSettlement(pk, False, reason), clock)


async def _reject_claim(uow: AbstractUnitOfWork, actor: Actor, pk: int, reason: str, clock: Clock) -> object:
    return await decide_claim(uow, actor, DecideClaim(pk, False, reason), clock)


async def _close_task(uow: AbstractUnitOfWork, actor: Actor, pk: int, reason: str, clock: Clock) -> object:
    return await close_task(uow, actor, CloseTask(pk, reason), clock)


DECISIONS: dict[str, Decision] = {
    "settlement": Decision("驳回返利结算 Reject rebate settlements", "驳回原因 Reason", "驳回 Reject",
                           "/admin/rebate-settlement/list", _reject_settlement),
    "claim": Decision("驳回费用核销 Reject expense claims", "驳回原因 Reason", "驳回 Reject",
                      "/admin/expense-claim/list", _reject_claim),
    "task": Decision("关闭待办任务 Close tasks", "处理结果 Resolution", "关闭 Close",
                     "/admin/staff-task/list", _close_task),
}


def decision_url(kind: str, pks: str) -> str:
    """Where a SQLAdmin list action sends the browser to ask for the reason."""
    return f"/backoffice/decisions/{kind}/reject?pks={quote(pks, safe=',')}"


def _ids(raw: str) -> list[int]:
    return [int(pk) for pk in raw.split(",") if pk.strip().isdigit()]


class ContractPages:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 files: AbstractFileStore | None,
                 page: Callable[[str, str], Response], escape: Callable[[object], str]) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.files = files
        self._page = page
        self._e = escape

    async def signed_pdf(self, request: Request, actor: Actor) -> Response:
        require(actor, Permission.CONTRACT_WRITE)
        if self.files is None:
            raise NotFound(zh="文件存储未配置", en="No file store is configured")
        copy = await signed_copy(self.uow_factory(), actor, request.path_params["id"], self.files)
        return Response(copy.pdf, media_type="application/pdf", headers={
            "Content-Disposition": f'attachment; filename="{copy.file_name}"',
            "X-Content-SHA256": copy.signature.pdf_sha256})

    def _decision(self, request: Request) -> Decision:
        found = DECISIONS.get(request.path_params["kind"])
        if found is None:
            raise NotFound(zh="没有这种操作", en="No such action")
        return found

    async def reject_form(self, request: Request, actor: Actor) -> Response:
        d, e = self._decision(request), self._e
        pks = ",".join(str(i) for i in _ids(request.query_params.get("pks", "")))
        if not pks:
            raise ValidationFailed(zh="请先选择记录", en="Select the rows first")
        body = (f"<p>记录 Rows: {e(pks)}</p><form method='post'>"
                f"<input type='hidden' name='pks' value='{e(pks)}'>"
                f"<label>{e(d.label)} <textarea name='reason' required maxlength='{MAX_REASON}'></textarea></label>"
                f"<button>{e(d.button)}</button></form><p><a href='{e(d.back)}'>返回 Back</a></p>")
        return self._page(d.title, body)

    async def reject(self, request: Request, actor: Actor) -> Response:
        d = self._decision(request)
        form = await request.form()
        reason = str(form.get("reason") or "").strip()
        if not reason:
            raise ValidationFailed(zh="请填写原因", en="Please give the reason", reason="reason")
        if len(reason) > MAX_REASON:
            raise ValidationFailed(zh=f"原因不能超过 {MAX_REASON} 字", en=f"The reason is over {MAX_REASON} characters")
        ids = _ids(str(form.get("pks") or ""))
        if not ids:
            raise ValidationFailed(zh="请先选择记录", en="Select the rows first")
        for pk in ids:
            await d.run(self.uow_factory(), actor, pk, reason, self.clock)
        return RedirectResponse(d.back, status_code=303)
