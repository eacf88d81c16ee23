"""The web application: health check, REST API (/api/v1), API docs, and the SQLAdmin staff screens (/admin).

``create_app`` is a factory: nothing is built at import time; ``bot.bootstrap`` wires the real objects.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import exc as sa_exc
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.api import build_api_router
from admin.api.errors import error_body, install_error_handlers
from admin.config import WebSection
from admin.turns import ApiTurns
from admin.webchat import ChatConversation
from core.clock import Clock
from core.forecast_rules import Forecaster
from core.ports import AbstractFileStore, AbstractReportStore, AbstractUnitOfWork

HEALTH_TIMEOUT_SECONDS = 5.0
DATABASE_RETRY_AFTER_SECONDS = 5
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Swagger UI 5 and ReDoc 2 as shipped by the fastapi-offline package (MIT; the bundles keep their own licence
# headers): served from here, so /docs and /redoc work with no internet (FastAPI's default loads them from a CDN)
DOCS_ASSETS = Path(fastapi_offline.__file__).parent / "static"
DOCS_ASSETS_URL = "/static/docs"

API_DESCRIPTION = """\
经销商管理系统 REST API，供 ERP / CRM 对接。 REST API of the dealer management system for ERP/CRM.

**认证 Authentication**: `Authorization: Bearer dms_...` — keys are created with
`dms apikey create NAME --scope products:read --scope orders:read [--dealer CODE]`.
Missing, invalid or revoked key: 401. A key without the scope an endpoint needs: 403.
A key bound to a dealer sees only that dealer's data; other dealers' records answer 404.

**分页 Paging**: `?limit=50&offset=0` (limit at most 200); lists answer
`{"items": [...], "total": N, "limit": L, "offset": O}`.

**金额 Money**: strings with two decimals (`"123.40"`), never JSON floats.

**错误 Errors**: `{"error": code, "message": text, "message_en": English text}`; `message` is Chinese
unless `Accept-Language` prefers English. 404 not found, 403 not allowed, 409 invalid status change or
conflict, 422 invalid input or a business rule.
"""

OPENAPI_TAGS = [
    {"name": "products", "description": "产品目录 Catalogue: SKUs, prices, MOQ"},
    {"name": "dealers", "description": "经销商 Dealers (no personal data) and the stock they report"},
    {"name": "stock", "description": "仓库库存 Maker warehouse stock"},
    {"name": "orders", "description": "订单 Orders and their status changes"},
    {"name": "sellout", "description": "销售数据 Sell-out lines reported by dealers"},
    {"name": "health", "description": "Liveness and database check"},
]


def database_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` says the database cannot be reached (down, restarting, connection dropped, pool
    exhausted): the request may succeed later, so it is a 503, not a 500 that blames the request."""
    if isinstance(exc, (ConnectionError, sa_exc.TimeoutError, sa_exc.OperationalError, sa_exc.InterfaceError)):
        return True
    return isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated


async def _database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    if not database_unavailable(exc):
        raise exc                       # a real bug or a constraint: the 500 path, logged by the server
    return JSONResponse(error_body(request, "service_unavailable", "数据库暂时不可用，请稍后再试",
                                   "The database is temporarily unavailable, please retry later"),
                        status_code=503, headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)})


def _document_extra_schemas(app: FastAPI) -> None:
    """Add request schemas that routes read row by row (sell-out batches) to the OpenAPI components."""
    from admin.api.sellout import EXTRA_SCHEMAS

    generate = app.openapi

    def openapi() -> dict[str, Any]:
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in EXTRA_SCHEMAS:
            components.setdefault(model.__name__, model.model_json_schema(ref_template="#/components/schemas/{model}"))
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _serve_docs(app: FastAPI) -> None:
    """/docs (Swagger UI) and /redoc with their scripts, styles and icon served by the app itself."""
    app.mount(DOCS_ASSETS_URL, StaticFiles(directory=DOCS_ASSETS), name="docs-assets")
    title = str(app.title)

    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}/openapi.json", title=f"{title} - Swagger UI",
            swagger_js_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{DOCS_ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{DOCS_ASSETS_URL}/favicon.png",
            # the validator badge would load an image from validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None})

    @app.get("/redoc", include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}/openapi.json", title=f"{title} - ReDoc",
            redoc_js_url=f"{root}{DOCS_ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{DOCS_ASSETS_URL}/favicon.png", with_google_fonts=False)


FAVICON_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" '
               'fill="#1f4e8c"/><text x="8" y="12" font-size="10" text-anchor="middle" fill="#fff">D</text></svg>')


def create_app(settings: WebSection, uow_factory: Callable[[], AbstractUnitOfWork], *,
               engine: AsyncEngine | None = None, clock: Clock | None = None, suspension_open_orders: str = "keep",
               statement_confirm_days: int | None = None, finance_approval_threshold: Decimal | None = None,
               conversation: ChatConversation | None = None, reports: AbstractReportStore | None = None,
               forecaster: Forecaster | None = None, files: AbstractFileStore | None = None,
               work_gate: asyncio.Semaphore | None = None) -> FastAPI:
    """The FastAPI app. Without ``engine`` the SQLAdmin screens are not mounted (API and health only);
    with ``conversation`` (and ``engine``, for the staff login) the web chat is served at /chat; with
    ``engine`` and ``reports`` (the report store, handed over by ``bot.bootstrap``) the reports dashboard is
    served at /dashboard; with ``engine`` the back-office pages at /backoffice (``files``: where uploaded qualification scans are kept).
    ``settings``: the web section (``bot.settings.Settings.web``); ``suspension_open_orders``: what suspending a
    dealer in its admin form does to its open orders (keep | hold); ``statement_confirm_days`` and
    ``finance_approval_threshold``: the rules the back-office pages show and apply (None: their defaults);
    ``work_gate``: the turns the REST API's requests take with the chat's updates (``admin.turns``)."""
    app = FastAPI(
        title="DMS 经销商管理系统 API",
        version="1.0.0",
        description=API_DESCRIPTION,
        openapi_tags=OPENAPI_TAGS,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    _serve_docs(app)
    if work_gate is not None:       # the REST API takes turns with the chat's updates (admin.turns)
        app.add_middleware(ApiTurns, gate=work_gate)
    app.state.settings = settings
    app.state.uow_factory = uow_factory
    app.state.clock = clock or Clock()
    app.state.engine = engine
    app.state.files = files              # receipt scans for /api/v1/ledger/{id}/receipt (admin.api.evidence)
    install_error_handlers(app)
    for database_error in (sa_exc.DBAPIError, sa_exc.TimeoutError, ConnectionError):
        app.add_exception_handler(database_error, _database_unavailable)

    @app.get("/healthz", tags=["health"], summary="Health and database check",
             responses={503: {"description": "the database is unreachable"}})
    async def healthz() -> Any:
        """``{"status": "ok", "database": "ok"}``, or 503 with the reason when a trivial query fails."""
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT_SECONDS):
                async with uow_factory() as uow:
                    await uow.users.count(id=0)
        except Exception as exc:  # any failure of the database is "down" for a health check
            reason = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
            return JSONResponse({"status": "error", "database": "error", "reason": f"database unavailable: {reason}"},
                                status_code=503)
        return {"status": "ok", "database": "ok"}

    @app.get("/favicon.ico", include_in_schema=False)
    async def favicon() -> Response:
        """Browsers ask every page's site for it; without it each page logs a 404 in the console."""
        return Response(FAVICON_SVG, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/admin/" if engine is not None else "/docs")

    app.include_router(build_api_router())
    _document_extra_schemas(app)

    if engine is not None:
        from admin.views import build_admin

        build_admin(app, engine, uow_factory, app.state.clock,
                    secret_key=settings.secret_key.get_secret_value(),
                    https_only=settings.web_host not in LOCAL_HOSTS,
                    suspension_open_orders=suspension_open_orders)
        if reports is not None:
            from admin.dashboard import mount_dashboard

            mount_dashboard(app, uow_factory, app.state.clock, reports,
                            secret_key=settings.secret_key.get_secret_value(),
                            https_only=settings.web_host not in LOCAL_HOSTS, forecaster=forecaster)
        from admin.backoffice import mount_backoffice

        mount_backoffice(app, uow_factory, app.state.clock, secret_key=settings.secret_key.get_secret_value(),
                         https_only=settings.web_host not in LOCAL_HOSTS, files=files,
                         statement_confirm_days=statement_confirm_days,
                         finance_approval_threshold=finance_approval_threshold)
        if conversation is not None:
            from admin.webchat import mount_webchat

            mount_webchat(app, conversation, uow_factory, app.state.clock,
                          secret_key=settings.secret_key.get_secret_value(),
                          https_only=settings.web_host not in LOCAL_HOSTS)
    return app
