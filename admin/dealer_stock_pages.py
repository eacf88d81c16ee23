"""Every dealer's stock in the back office (``/backoffice/stock/dealers``), for channel managers and management.

Filters (product, region), a summary per region and product, a table per dealer with its last report, daily
sell-out (last 90 days), days of cover and reorder point, and a chart of the fewest days of cover
(``/backoffice/stock/dealers/chart.png``). It reads ``core.services.thresholds.dealer_stock_overview``
(STOCK_READ_ALL and SELLOUT_READ_ALL: others get 403, dealers never log in here).

Staff who set dealers' thresholds (STOCK_WRITE or DEALER_WRITE) get a form posting to
``/backoffice/stock/dealers/thresholds``: ``set_dealer_threshold`` (source "staff", audited ``stock.threshold``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from admin.pages import BackofficePages
from admin.stock_pages import _whole_number
from core.errors import NotFound, PermissionDenied
from core.services.thresholds import (
    SELLOUT_WINDOW_DAYS,
    DealerStockRow,
    SetDealerThreshold,
    by_region,
    dealer_stock_overview,
    may_set_dealer_thresholds,
    set_dealer_threshold,
)
from core.users import Actor

Handler = Callable[[Request, Actor], Awaitable[Response]]

MAX_CHART = 20


def _cover(value: Decimal | None) -> str:
    return f"{value}" if value is not None else "无销量 no sales"


class DealerStockPages(BackofficePages):
    def routes(self, r: Callable[[Handler], Any]) -> list[Route]:
        return [Route("/stock/dealers", r(self.index)),
                Route("/stock/dealers/chart.png", r(self.chart)),
                Route("/stock/dealers/thresholds", r(self.save_threshold), methods=["POST"])]

    @staticmethod
    def _filters(request: Request) -> tuple[str | None, str | None]:
        sku = request.query_params.get("sku", "").strip() or None
        region = request.query_params.get("region", "").strip() or None
        return sku, region

    async def _rows(self, actor: Actor, sku: str | None, region: str | None) -> list[DealerStockRow]:
        return await dealer_stock_overview(self.uow_factory(), actor, self.clock, sku=sku, region=region)

    def _select(self, name: str, label: str, options: list[tuple[str, str]], chosen: str | None) -> str:
        e = self._e
        items = "".join(f"<option value='{e(v)}'{' selected' if v == chosen else ''}>{e(text)}</option>"
                        for v, text in [("", "全部 all"), *options])
        return f"<label>{label} <select name='{name}'>{items}</select></label> "

    def _form(self, sku: str | None) -> str:
        e = self._e
        return ("<h3>设置经销商库存提醒 Set a dealer's stock alert</h3>"
                "<form method='post' action='/backoffice/stock/dealers/thresholds'>"
                "<input name='dealer' size='8' required placeholder='经销商编号 dealer code'>"
                f"<input name='sku' size='10' required placeholder='产品 SKU' value='{e(sku or '')}'>"
                "<input name='low' size='6' required placeholder='补货点 reorder point' "
                "title='库存 ≤ 补货点时提醒经销商 alert the dealer at or below this'>"
                "<input name='safety' size='6' placeholder='安全库存(可空) safety stock'>"
                "<input name='high' size='6' placeholder='上限(可空) maximum' "
                "title='建议补货补到此数 refill up to this'>"
                "<button>保存 Save</button></form>")

    async def index(self, request: Request, actor: Actor) -> Response:
        e = self._e
        sku, region = self._filters(request)
        rows = await self._rows(actor, sku, region)
        async with self.uow_factory() as uow:
            products = [(p.sku, f"{p.sku} {p.name}") for p in await uow.products.list(active=True, order_by="sku")]
            regions = sorted({d.region for d in await uow.dealers.list() if d.region})
        saved = request.query_params.get("saved", "")
        note = f"<p>已保存 {e(saved)} 的库存提醒 (stock alert saved for {e(saved)})</p>" if saved else ""
        query = urlencode({k: v for k, v in (("sku", sku), ("region", region)) if v})
        filters = ("<form method='get' action='/backoffice/stock/dealers'>"
                   + self._select("sku", "产品 Product", products, sku)
                   + self._select("region", "区域 Region", [(r, r) for r in regions], region)
                   + "<button>筛选 Filter</button></form>")
        summary = "".join(
            f"<tr><td>{e(s.region)}</td><td>{e(s.sku)} {e(s.name)}</td><td>{s.dealers}</td><td>{s.qty}</td>"
            f"<td>{s.daily}</td><td>{e(_cover(s.cover_days))}</td><td>{s.below}</td></tr>" for s in by_region(rows))
        detail = "".join(
            f"<tr><td>{e(r.dealer_code)} {e(r.dealer_name)}</td><td>{e(r.region)}</td><td>{e(r.sku)} {e(r.name)}</td>"
            f"<td>{r.qty}</td><td>{e(r.reported_at.astimezone(self.clock.tz).date() if r.reported_at else '-')}</td>"
            f"<td>{r.daily}</td><td>{e(_cover(r.cover_days))}</td>"
            f"<td>{e(r.reorder_point if r.reorder_point is not None else '-')}</td>"
            f"<td>{'⚠️ 已到补货点 at reorder point' if r.below else ''}</td></tr>" for r in rows)
        body = (note + filters
                + f"<p>日均销量按近 {SELLOUT_WINDOW_DAYS} 天上报的销量计算，可售天数 = 库存 ÷ 日均销量 "
                  f"(daily sales over the last {SELLOUT_WINDOW_DAYS} days; days of cover = stock / daily sales)</p>"
                + "<h3>按区域和产品 By region and product</h3><table border='1'><thead><tr><th>区域 Region</th>"
                  "<th>产品 Product</th><th>经销商数 Dealers</th><th>库存 Stock</th><th>日均销量 Daily sales</th>"
                  "<th>可售天数 Days of cover</th><th>已到补货点 At reorder point</th></tr></thead><tbody>"
                + (summary or "<tr><td colspan=7>无 none</td></tr>") + "</tbody></table>"
                + (f"<p><img alt='可售天数 days of cover' src='/backoffice/stock/dealers/chart.png?{e(query)}'></p>"
                   if rows else "")
                + "<h3>各经销商 By dealer</h3><table border='1'><thead><tr><th>经销商 Dealer</th><th>区域 Region</th>"
                  "<th>产品 Product</th><th>库存 Stock</th><th>上报日 Reported</th><th>日均销量 Daily sales</th>"
                  "<th>可售天数 Days of cover</th><th>补货点 Reorder point</th><th></th></tr></thead><tbody>"
                + (detail or "<tr><td colspan=9>无 none</td></tr>") + "</tbody></table>"
                + (self._form(sku) if may_set_dealer_thresholds(actor) else ""))
        return self._page("经销商库存 Dealer stock", body)

    async def chart(self, request: Request, actor: Actor) -> Response:
        from analytics.charts import cover_chart  # matplotlib only when a chart is asked for

        sku, region = self._filters(request)
        rows = [r for r in await self._rows(actor, sku, region) if r.cover_days is not None]
        rows.sort(key=lambda r: (not r.below, r.cover_days, r.dealer_code))
        rows = rows[:MAX_CHART]
        title = "经销商可售天数 Days of cover" + "".join(f" · {v}" for v in (region, sku) if v)
        png = await asyncio.to_thread(cover_chart, [f"{r.dealer_code} · {r.sku}" for r in rows],
                                      [r.cover_days or Decimal(0) for r in rows], [r.below for r in rows], title)
        return Response(png, media_type="image/png")

    async def save_threshold(self, request: Request, actor: Actor) -> Response:
        if not may_set_dealer_thresholds(actor):
            raise PermissionDenied()        # before anything is looked up
        form = await request.form()
        code = str(form.get("dealer") or "").strip()
        low = _whole_number(form.get("low"), "补货点", "the reorder point", required=True)
        safety = _whole_number(form.get("safety"), "安全库存", "the safety stock", required=False)
        high = _whole_number(form.get("high"), "上限", "the maximum", required=False)
        async with self.uow_factory() as uow:
            dealer = await uow.dealers.get_by(code=code) if code else None
        if dealer is None or dealer.id is None:
            raise NotFound(zh=f"经销商 {code} 不存在", en=f"Dealer {code} not found", what=code)
        saved = await set_dealer_threshold(self.uow_factory(), actor, SetDealerThreshold(
            dealer_id=dealer.id, sku=str(form.get("sku") or "").strip(), reorder_point=low, safety=safety,
            maximum=high), self.clock)
        return RedirectResponse(f"/backoffice/stock/dealers?{urlencode({'saved': f'{dealer.code} {saved.sku}'})}",
                                status_code=303)
