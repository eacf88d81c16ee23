"""Transfers (调拨) and dealers' stock sharing in the back office (``/backoffice/transfers``).

The list reads ``core.services.transfers.list_transfers`` (staff holding STOCK_READ_ALL, STOCK_WRITE or
TRANSFER_APPROVE), filtered by status and dealer code; each row has the buttons of the steps the signed-in
person may take (``allowed_actions``: approve / refuse for the channel manager, ship / receive / cancel for the
stock staff). Below it, every dealer's sharing choices and the maker's rule whether its dealer -> dealer
transfers wait for the channel manager, which TRANSFER_APPROVE may switch. Core checks every action again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import BackofficePages
from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.inventory import TransferStatus
from core.services.transfers import (
    TransferCommand,
    TransferView,
    approve_transfer,
    cancel_transfer,
    list_sharing,
    list_transfers,
    receive_transfer,
    refuse_transfer,
    set_transfer_approval,
    ship_transfer,
)
from core.transfers import TRANSFER_STATUS_LABELS
from core.users import Actor, Permission

Handler = Callable[[Request, Actor], Awaitable[Response]]

ACTIONS: dict[str, tuple[Any, str]] = {
    "approve": (approve_transfer, "批准 Approve"), "refuse": (refuse_transfer, "拒绝 Refuse"),
    "ship": (ship_transfer, "已发货 Shipped"), "receive": (receive_transfer, "确认收货 Received"),
    "cancel": (cancel_transfer, "撤销 Cancel"),
}
MOVERS = frozenset({Permission.STOCK_WRITE, Permission.TRANSFER_APPROVE})


class TransferPages(BackofficePages):
    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/transfers", r(self.index)),
                Route("/transfers/approval", r(self.approval), methods=["POST"]),
                Route("/transfers/{number:str}/{action:str}", r(self.act), methods=["POST"])]

    def _row(self, v: TransferView) -> str:
        e = self._e
        forms = "".join(
            f"<form method='post' action='/backoffice/transfers/{e(v.number)}/{act}' style='display:inline'>"
            + ("<input name='reason' size='10' placeholder='原因 reason'>" if act in ("refuse", "cancel") else "")
            + f"<button>{label}</button></form>"
            for act, (_, label) in ACTIONS.items() if act in v.actions) or "-"
        items = "，".join(f"{e(line.sku)} ×{line.qty}" for line in v.lines)
        zh, en = TRANSFER_STATUS_LABELS[v.status]
        when = v.created_at.astimezone(self.clock.tz).strftime("%Y-%m-%d %H:%M") if v.created_at else "-"
        waits = " · 需厂家审批 maker approves" if v.needs_maker_approval else ""
        return (f"<tr><td>{e(v.number)}</td><td>{e(when)}</td><td>{e(zh)} {e(en)}{waits}</td>"
                f"<td>{e(v.source.zh)}</td><td>{e(v.destination.zh)}</td><td>{items}</td>"
                f"<td>{e(v.note)} {e(v.close_reason)}</td><td>{forms}</td></tr>")

    async def index(self, request: Request, actor: Actor) -> Response:
        e = self._e
        status_text = request.query_params.get("status", "").strip()
        status = TransferStatus(status_text) if status_text in {s.value for s in TransferStatus} else None
        dealer_code = request.query_params.get("dealer", "").strip()
        dealer_id = None
        if dealer_code:
            async with self.uow_factory() as uow:
                dealer = await uow.dealers.get_by(code=dealer_code.upper())
            dealer_id = dealer.id if dealer is not None and dealer.id is not None else -1
        views = await list_transfers(self.uow_factory(), actor, status=status, dealer_id=dealer_id, limit=300)
        options = "".join(f"<option value='{s.value}'{' selected' if s == status else ''}>"
                          f"{e(TRANSFER_STATUS_LABELS[s][0])} {s.value}</option>" for s in TransferStatus)
        done = request.query_params.get("done", "")
        note = f"<p>已处理 done: {e(done)}</p>" if done else ""
        body = (note + "<form method='get'>状态 Status <select name='status'><option value=''>全部 all</option>"
                f"{options}</select> 经销商 Dealer <input name='dealer' size='8' value='{e(dealer_code)}'>"
                "<button>筛选 Filter</button></form>"
                "<p>批准时源头库存预留，收货时库存转移；经销商之间的调拨按厂家规则由渠道经理审批 "
                "(stock is reserved at the source on approval and moves on receipt)</p>"
                "<table border='1'><thead><tr><th>单号 Number</th><th>时间 Created</th><th>状态 Status</th>"
                "<th>调出 From</th><th>调入 To</th><th>商品 Items</th><th>备注 Note</th><th>操作 Actions</th>"
                "</tr></thead><tbody>"
                + ("".join(self._row(v) for v in views) or "<tr><td colspan=8>无 none</td></tr>")
                + "</tbody></table>" + await self._sharing(actor))
        return self._page("调拨与库存共享 Transfers and shared stock", body)

    async def _sharing(self, actor: Actor) -> str:
        e = self._e
        rows = await list_sharing(self.uow_factory(), actor)
        may_switch = Permission.TRANSFER_APPROVE in actor.permissions

        def yes(on: bool) -> str:
            return "是 yes" if on else "否 no"

        def switch(code: str, needed: bool) -> str:
            if not may_switch:
                return yes(needed)
            return (f"{yes(needed)} <form method='post' action='/backoffice/transfers/approval' style='display:inline'>"
                    f"<input type='hidden' name='dealer' value='{e(code)}'>"
                    f"<input type='hidden' name='needed' value='{0 if needed else 1}'>"
                    f"<button>{'改为无需审批 no approval' if needed else '改为需审批 approval'}</button></form>")

        table = "".join(
            f"<tr><td>{e(d.code)} {e(d.name)}</td><td>{e(d.region)}</td><td>{yes(s.with_maker)}</td>"
            f"<td>{yes(s.with_region)}</td><td>{yes(s.with_network)}</td><td>{yes(s.show_name)}</td>"
            f"<td>{e('、'.join(s.skus) or '全部 all')}</td><td>{switch(d.code, s.transfer_approval)}</td></tr>"
            for d, s in rows) or "<tr><td colspan=8>还没有经销商设置共享 no dealer has chosen yet</td></tr>"
        return ("<h2>经销商库存共享 Dealers' stock sharing</h2><p>没有设置的经销商不共享，其经销商间调拨需厂家审批 "
                "(a dealer without a row shares nothing and its dealer-to-dealer transfers need the maker's approval)"
                "</p><table border='1'><thead><tr><th>经销商 Dealer</th><th>区域 Region</th><th>给厂家 Maker</th>"
                "<th>同区域 Region</th><th>同体系 Network</th><th>显示名称 Name shown</th><th>产品 Products</th>"
                "<th>调拨需审批 Approval needed</th></tr></thead><tbody>" + table + "</tbody></table>")

    async def act(self, request: Request, actor: Actor) -> Response:
        if not MOVERS & actor.permissions:
            raise PermissionDenied()
        action = request.path_params["action"]
        number = str(request.path_params["number"])
        if action not in ACTIONS:
            raise NotFound(what=action)
        form = await request.form()
        use_case = ACTIONS[action][0]
        transfer = await use_case(self.uow_factory(), actor, TransferCommand(number, str(form.get("reason") or "")),
                                  self.clock)
        return RedirectResponse(f"/backoffice/transfers?done={quote(transfer.number)}", status_code=303)

    async def approval(self, request: Request, actor: Actor) -> Response:
        if Permission.TRANSFER_APPROVE not in actor.permissions:
            raise PermissionDenied()
        form = await request.form()
        code = str(form.get("dealer") or "").strip().upper()
        needed = str(form.get("needed") or "").strip()
        if needed not in ("0", "1"):
            raise ValidationFailed(zh="输入有误：needed 须为 0 或 1", en="Invalid input: needed must be 0 or 1",
                                   reason="needed")
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code) if code else None
        if dealer is None or dealer.id is None:
            raise NotFound(what=code)
        await set_transfer_approval(self.uow_factory(), actor, dealer.id, needed == "1", self.clock)
        return RedirectResponse(f"/backoffice/transfers?done={quote(dealer.code)}", status_code=303)
