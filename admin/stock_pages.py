"""Maker warehouse stock in the back office (``/backoffice/stock``): every warehouse and product with its
on-hand, available and restock thresholds, and a form per row to set the thresholds.

The page reads ``core.services.inventory.list_stock`` (STOCK_READ_ALL); the form runs ``set_threshold``
(STOCK_WRITE), which validates (minimum >= 0, maximum above the minimum), audits ``stock.threshold`` and
feeds the scheduled ``stock_levels`` check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import BackofficePages
from core.errors import ValidationFailed
from core.inventory import ThresholdScope
from core.services.inventory import SetThreshold, StockRow, list_stock, set_threshold
from core.users import Actor, Permission

Handler = Callable[[Request, Actor], Awaitable[Response]]


def _whole_number(raw: object, zh: str, en: str, *, required: bool) -> int | None:
    text = str(raw or "").strip().replace(",", "")
    if not text and not required:
        return None
    if not text.isdigit():      # no sign, no decimals: thresholds are whole units, never negative
        raise ValidationFailed(zh=f"输入有误：{zh}须为不小于 0 的整数", en=f"Invalid input: {en} must be a whole number, 0 or more",
                               reason=en)
    return int(text)


class StockPages(BackofficePages):
    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/stock", r(self.index)),
                Route("/stock/thresholds", r(self.save_threshold), methods=["POST"])]

    def _row(self, row: StockRow, writable: bool) -> str:
        e = self._e
        form = "-"
        if writable:
            form = ("<form method='post' action='/backoffice/stock/thresholds'>"
                    f"<input type='hidden' name='warehouse_id' value='{row.warehouse_id}'>"
                    f"<input type='hidden' name='sku' value='{e(row.sku)}'>"
                    f"<input name='low' size='6' required value='{e(row.low_mark)}' "
                    "placeholder='下限 minimum' title='可用数量 ≤ 下限时预警 alert at or below this'>"
                    f"<input name='high' size='6' value='{e(row.high_mark)}' "
                    "placeholder='上限(可空) maximum' title='补货补到此数；超过则积压预警 restock up to; above: overstock'>"
                    "<button>保存 Save</button></form>")
        return (f"<tr><td>{e(row.warehouse_code)} {e(row.warehouse_name)}</td><td>{e(row.sku)}</td>"
                f"<td>{row.on_hand}</td><td>{row.available}</td>"
                f"<td>{e(row.low_mark if row.low_mark is not None else '-')}</td>"
                f"<td>{e(row.high_mark if row.high_mark is not None else '-')}</td><td>{form}</td></tr>")

    async def index(self, request: Request, actor: Actor) -> Response:
        rows = await list_stock(self.uow_factory(), actor)
        writable = Permission.STOCK_WRITE in actor.permissions
        saved = request.query_params.get("saved", "")
        note = (f"<p>已保存 {self._e(saved)} 的库存预警 (thresholds saved for {self._e(saved)})</p>" if saved else "")
        body = (note + "<p>可用数量 ≤ 下限时，定时检查会提醒管库存的同事并给出建议补货量 "
                "(at or below the minimum the scheduled check tells the stock keepers, with a suggested quantity)</p>"
                "<table border='1'><thead><tr><th>仓库 Warehouse</th><th>产品 SKU</th><th>在库 On hand</th>"
                "<th>可用 Available</th><th>下限 Minimum</th><th>上限 Maximum</th><th>设置预警 Set thresholds</th>"
                "</tr></thead><tbody>"
                + ("".join(self._row(r, writable) for r in rows) or "<tr><td colspan=7>无 none</td></tr>")
                + "</tbody></table>")
        return self._page("仓库库存与预警 Stock and thresholds", body)

    async def save_threshold(self, request: Request, actor: Actor) -> Response:
        form = await request.form()
        warehouse_id = _whole_number(form.get("warehouse_id"), "仓库", "the warehouse", required=True)
        low = _whole_number(form.get("low"), "下限", "the minimum", required=True)
        high = _whole_number(form.get("high"), "上限", "the maximum", required=False)
        assert warehouse_id is not None and low is not None
        saved = await set_threshold(self.uow_factory(), actor, SetThreshold(
            ThresholdScope.WAREHOUSE, warehouse_id, str(form.get("sku") or "").strip(), low, high), self.clock)
        return RedirectResponse(f"/backoffice/stock?saved={saved.sku}", status_code=303)
