"""The reports dashboard for staff: ``/dashboard/`` with the charts of the chat, filter controls and Excel.

- ``GET /dashboard/`` the page (``templates/dashboard.html``): a report chosen with filters (report, period or
  dates, region, province, city, tier, product category, SKU), its headline figures, its chart and table;
  ``GET /dashboard/chart.png`` and ``/dashboard/export.xlsx`` take the same query string.
- ``GET /dashboard/plan`` production planning (next 3 months' forecast per SKU against maker stock), with
  ``/dashboard/plan.png`` and ``/dashboard/plan.xlsx``; ``/dashboard/forecast.xlsx`` the monthly demand
  history and forecast per SKU.
- Login: the SQLAdmin staff session (``admin.auth``); not logged in, the page redirects to /admin/login and
  the images and files answer 401. What a user may see is decided by the use cases
  (``core.services.reports``): staff without a reading permission get 403. Dealer users cannot log in here.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from admin.auth import SameOriginMiddleware, StaffAuthBackend, current_staff
from core.clock import Clock
from core.errors import DomainError, NotFound, PermissionDenied
from core.forecast_rules import Forecaster
from core.money import fmt_cny
from core.ports import AbstractReportStore
from core.reports import (
    PERIOD_LABELS,
    REPORT_TITLES,
    Dimension,
    PeriodPreset,
    Report,
    ReportKind,
    percent,
    report_table,
    summary_lines,
)
from core.services.reports import ReportQuery, demand_forecast, production_plan, run_report
from core.users import Actor

log = logging.getLogger(__name__)

_TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                         autoescape=select_autoescape(["html"]))
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGIONS = ("华东", "华北", "华南", "华中", "西南", "西北", "东北")
TIERS = ("A", "B", "C")


def _text(params: Any, name: str, limit: int = 32) -> str | None:
    value = str(params.get(name) or "").strip()[:limit]
    return value or None


def _day(params: Any, name: str) -> date | None:
    value = _text(params, name, 10)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def query_from(params: Any) -> ReportQuery:
    """A ReportQuery from a query string; unknown values fall back to the defaults (never trusted anyway)."""
    try:
        kind = ReportKind(params.get("kind") or ReportKind.ORDER_SUMMARY)
    except ValueError:
        kind = ReportKind.ORDER_SUMMARY
    try:
        period = PeriodPreset(params.get("period") or PeriodPreset.MONTH)
    except ValueError:
        period = PeriodPreset.MONTH
    try:
        dimension = Dimension(params["dimension"]) if params.get("dimension") else None
    except ValueError:
        dimension = None
    start, end = _day(params, "start"), _day(params, "end")
    if start is not None and end is not None and end < start:
        start, end = None, None
    return ReportQuery(kind, period, start=start, end=end, region=_text(params, "region"),
                       province=_text(params, "province"), city=_text(params, "city"), tier=_text(params, "tier", 4),
                       category=_text(params, "category"), sku=_text(params, "sku"), dimension=dimension, limit=30)


class Dashboard:
    def __init__(self, uow_factory: Any, clock: Clock, store: AbstractReportStore, auth: StaffAuthBackend,
                 forecaster: Forecaster | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.store = store
        self.auth = auth
        self.forecaster = forecaster

    async def _staff(self, request: Request) -> Actor | None:
        if await self.auth.authenticate(request) is not True:
            return None
        staff = current_staff(request)
        return staff.to_actor() if staff is not None else None

    async def _report(self, request: Request) -> tuple[Actor | None, Report | Response]:
        actor = await self._staff(request)
        if actor is None:
            return None, PlainTextResponse("请先登录 / Please log in", status_code=401)
        try:
            report = await run_report(self.uow_factory(), self.store, actor, query_from(request.query_params),
                                      self.clock)
        except DomainError as exc:
            return actor, _refused(exc)
        return actor, report

    async def page(self, request: Request) -> Response:
        actor = await self._staff(request)
        if actor is None:
            return RedirectResponse("/admin/login", status_code=302)
        query = query_from(request.query_params)
        try:
            report = await run_report(self.uow_factory(), self.store, actor, query, self.clock)
        except DomainError as exc:
            return _refused(exc, html=True)
        headers, rows = report_table(report)
        qs = str(request.query_params)
        html = _TEMPLATES.get_template("dashboard.html").render(
            user=actor.name, report=report, title=report.title(), describe=report.filter.describe(),
            summary=summary_lines(report, top=0), headers=headers, rows=[[_cell(c) for c in r] for r in rows],
            qs=qs, query=query, kinds=[(k.value, zh) for k, (zh, _en) in REPORT_TITLES.items()],
            periods=[(p.value, zh) for p, (zh, _en) in PERIOD_LABELS.items()], regions=REGIONS, tiers=TIERS,
            dimensions=[("", "自动"), ("region", "大区"), ("province", "省份"), ("city", "城市")],
            categories=await self._categories())
        return HTMLResponse(html)

    async def _categories(self) -> list[str]:
        async with self.uow_factory() as uow:
            return sorted({p.category for p in await uow.products.list()})

    async def chart(self, request: Request) -> Response:
        _, report = await self._report(request)
        if isinstance(report, Response):
            return report
        from analytics.charts import report_chart

        png = await asyncio.to_thread(report_chart, report, "zh")
        if png is None:
            return PlainTextResponse("暂无数据 / No data", status_code=404)
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, max-age=60"})

    async def export(self, request: Request) -> Response:
        _, report = await self._report(request)
        if isinstance(report, Response):
            return report
        from analytics.export import report_workbook

        data = await asyncio.to_thread(report_workbook, report, "zh")
        name = f"{report.kind.value}-{report.filter.start:%Y%m%d}-{report.filter.end:%Y%m%d}.xlsx"
        return Response(data, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    async def _plan(self, request: Request) -> tuple[Actor | None, Any]:
        actor = await self._staff(request)
        if actor is None:
            return None, PlainTextResponse("请先登录 / Please log in", status_code=401)
        try:
            return actor, await production_plan(self.uow_factory(), self.store, actor, self.clock,
                                                forecaster=self.forecaster)
        except DomainError as exc:
            return actor, _refused(exc)

    async def plan_page(self, request: Request) -> Response:
        if await self._staff(request) is None:
            return RedirectResponse("/admin/login", status_code=302)
        actor, plan = await self._plan(request)
        if isinstance(plan, Response):
            return _refused(PermissionDenied(), html=True) if plan.status_code == 403 else plan
        html = _TEMPLATES.get_template("dashboard_plan.html").render(user=actor.name if actor else "", plan=plan)
        return HTMLResponse(html)

    async def plan_png(self, request: Request) -> Response:
        _, plan = await self._plan(request)
        if isinstance(plan, Response):
            return plan
        from analytics.charts import production_chart

        png = await asyncio.to_thread(production_chart, [r.sku for r in plan], [r.total for r in plan],
                                      [r.available for r in plan], "未来3个月预测需求 vs 可用库存")
        return Response(png, media_type="image/png")

    async def forecast_xlsx(self, request: Request) -> Response:
        """Monthly demand per SKU: 36 months of history and the forecast of this month and the next two."""
        actor = await self._staff(request)
        if actor is None:
            return PlainTextResponse("请先登录 / Please log in", status_code=401)
        try:
            series = await demand_forecast(self.uow_factory(), self.store, actor, self.clock,
                                           forecaster=self.forecaster)
        except DomainError as exc:
            return _refused(exc)
        from analytics.export import forecast_workbook

        data = await asyncio.to_thread(forecast_workbook, series, "zh")
        return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="demand-forecast.xlsx"'})

    async def plan_xlsx(self, request: Request) -> Response:
        _, plan = await self._plan(request)
        if isinstance(plan, Response):
            return plan
        from analytics.export import production_workbook

        data = await asyncio.to_thread(production_workbook, plan, "zh")
        return Response(data, media_type=XLSX, headers={"Content-Disposition": 'attachment; filename="production-plan.xlsx"'})


def _cell(value: Any) -> str:
    from decimal import Decimal

    if isinstance(value, Decimal):
        return fmt_cny(value) if value.as_tuple().exponent == -2 else str(value)
    return "" if value is None else str(value)


def _refused(exc: DomainError, *, html: bool = False) -> Response:
    status = 403 if isinstance(exc, PermissionDenied) else 404 if isinstance(exc, NotFound) else 400
    text = f"{exc.message('zh')} / {exc.message('en')}"
    if html:
        return HTMLResponse(f"<!doctype html><meta charset='utf-8'><h1>{status}</h1><p>{_escape(text)}</p>"
                            "<p><a href='/admin/'>返回管理后台 / Back</a></p>", status_code=status)
    return PlainTextResponse(text, status_code=status)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mount_dashboard(app: Starlette, uow_factory: Any, clock: Clock, store: AbstractReportStore, *,
                    secret_key: str, https_only: bool, forecaster: Forecaster | None = None) -> Dashboard:
    """Serve the dashboard at ``/dashboard`` on ``app``, sharing the admin's staff session."""
    auth = StaffAuthBackend(secret_key, uow_factory, clock, https_only=https_only)
    board = Dashboard(uow_factory, clock, store, auth, forecaster)
    sub = Starlette(routes=[
        Route("/", board.page, methods=["GET"]), Route("/chart.png", board.chart, methods=["GET"]),
        Route("/export.xlsx", board.export, methods=["GET"]), Route("/plan", board.plan_page, methods=["GET"]),
        Route("/plan.png", board.plan_png, methods=["GET"]), Route("/plan.xlsx", board.plan_xlsx, methods=["GET"]),
        Route("/forecast.xlsx", board.forecast_xlsx, methods=["GET"]),
    ], middleware=[*auth.middlewares, Middleware(SameOriginMiddleware)])
    app.mount("/dashboard", sub, name="dashboard")
    return board


__all__ = ["Dashboard", "mount_dashboard", "percent", "query_from"]
