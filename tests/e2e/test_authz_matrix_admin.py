"""Authorization matrix of the admin web (issue 9): every SQLAdmin screen and every GET page under
/backoffice and /dashboard, for each staff role, a dealer user and an anonymous visitor.

The expected cells come from ``core.users.ROLE_PERMISSIONS`` and each view's read permission, written
out here on purpose (not read back from the views), so a changed rule or a new page without an entry
fails a test. One login per role, GET only."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx
import pytest
import pytest_asyncio
from starlette.routing import Mount, Route

from admin.app import create_app
from admin.auth import hash_password
from admin.views import VIEWS, bind_view
from bot.settings import Settings
from core.clock import Clock
from core.ports import AbstractUnitOfWork
from core.users import ROLE_PERMISSIONS, Permission, Role, User
from storage.encryption import configure_encryption
from storage.engine import build_engine, build_session_factory
from storage.uow import SqlAlchemyUnitOfWork
from tests.e2e.conftest import (
    ADMIN_PASSWORD,
    BASE_URL,
    ENCRYPTION_KEYS,
    NOW,
    Database,
    Web,
    _empty,
    add_dealer,
    add_staff,
)

pytestmark = pytest.mark.asyncio(loop_scope="module")

P = Permission
SAME_ORIGIN = {"Origin": BASE_URL}
STAFF_ROLES = [Role.ADMIN, Role.ORDER_DESK, Role.CHANNEL_MANAGER, Role.AFTER_SALES, Role.QUALITY, Role.MARKETING,
               Role.MANAGEMENT, Role.FINANCE]


@dataclass(frozen=True)
class Rule:
    """Who may open a page: any staff (``perms`` empty) or staff holding at least one of ``perms``."""

    perms: frozenset[Permission] = frozenset()

    def allows(self, role: Role) -> bool:
        return not self.perms or bool(self.perms & ROLE_PERMISSIONS[role])


def need(*perms: Permission) -> Rule:
    return Rule(frozenset(perms))


STAFF = Rule()

# SQLAdmin screens: identity -> read rule (admin/views.py, admin/contracts.py).
ADMIN_VIEWS: dict[str, Rule] = {
    "dealer": need(P.DEALER_READ_ALL),
    "product": STAFF,
    "tier-price": need(P.DEALER_READ_ALL),
    "dealer-price": need(P.DEALER_READ_ALL),
    "promotion": need(P.DEALER_READ_ALL),
    "warehouse": need(P.STOCK_READ_ALL),
    "stock-level": need(P.STOCK_READ_ALL),
    "order": need(P.ORDER_READ_ALL),
    "ticket": need(P.TICKET_HANDLE),
    "user": need(P.USER_MANAGE),
    "audit-entry": need(P.AUDIT_READ),
    "faq-entry": STAFF,
    "outbox-message": need(P.USER_MANAGE),
    "contract": need(P.DEALER_READ_ALL),
    "contract-template": need(P.CONTRACT_WRITE),
    "contract-signature": need(P.DEALER_READ_ALL),
    "rebate-settlement": need(P.ACCOUNT_READ_ALL),
    "expense-claim": need(P.DEALER_READ_ALL),
    "staff-task": need(P.ACCOUNT_READ_ALL),
}

# Other GET pages: route path -> (concrete URL, rule). Pages with an id use one that does not exist:
# allowed then means "not refused" (200 or 404), denied means 403.
PAGES: dict[str, tuple[str, Rule]] = {
    "/backoffice/": ("/backoffice/", STAFF),
    "/backoffice/templates": ("/backoffice/templates", STAFF),
    "/backoffice/templates/{kind}.xlsx": ("/backoffice/templates/orders.xlsx", STAFF),
    "/backoffice/qualifications": ("/backoffice/qualifications", need(P.DEALER_REVIEW)),
    "/backoffice/qualifications/{id:int}/file": ("/backoffice/qualifications/999/file", need(P.DEALER_REVIEW)),
    "/backoffice/campaigns": ("/backoffice/campaigns", need(P.REPORT_READ_ALL, P.CAMPAIGN_WRITE)),
    "/backoffice/campaigns/new": ("/backoffice/campaigns/new", need(P.CAMPAIGN_WRITE)),
    "/backoffice/campaigns/{id:int}/edit": ("/backoffice/campaigns/999/edit", need(P.CAMPAIGN_WRITE)),
    "/backoffice/campaigns/{id:int}": ("/backoffice/campaigns/999", STAFF),
    "/backoffice/materials": ("/backoffice/materials", need(P.MATERIAL_APPROVE)),
    "/backoffice/tickets": ("/backoffice/tickets", need(P.TICKET_HANDLE)),
    "/backoffice/quality": ("/backoffice/quality", need(P.QUALITY_HANDLE, P.REPORT_READ_ALL)),
    "/backoffice/contracts/new": ("/backoffice/contracts/new", need(P.CONTRACT_WRITE)),
    "/backoffice/contracts/{id:int}/edit": ("/backoffice/contracts/999/edit", need(P.CONTRACT_WRITE)),
    "/backoffice/contracts/{id:int}/signed.pdf": ("/backoffice/contracts/999/signed.pdf", need(P.CONTRACT_WRITE)),
    "/backoffice/decisions/{kind:str}/reject": ("/backoffice/decisions/order/reject", STAFF),
    "/dashboard/": ("/dashboard/", need(P.REPORT_READ_ALL, P.ORDER_READ_ALL)),
    "/dashboard/chart.png": ("/dashboard/chart.png", need(P.REPORT_READ_ALL, P.ORDER_READ_ALL)),
    "/dashboard/export.xlsx": ("/dashboard/export.xlsx", need(P.REPORT_READ_ALL, P.ORDER_READ_ALL)),
    "/dashboard/plan": ("/dashboard/plan", need(P.REPORT_READ_ALL)),
    "/dashboard/plan.png": ("/dashboard/plan.png", need(P.REPORT_READ_ALL)),
    "/dashboard/plan.xlsx": ("/dashboard/plan.xlsx", need(P.REPORT_READ_ALL)),
    "/dashboard/forecast.xlsx": ("/dashboard/forecast.xlsx", need(P.REPORT_READ_ALL)),
}
PAGE_PREFIXES = ("/backoffice", "/dashboard", "/chat")

# Cells that show a real authorization bug: (page or identity, role) -> reason. Not fixed here.
KNOWN_BUGS: dict[tuple[str, str], str] = {}


@dataclass
class Matrix:
    app: object
    uow_factory: Callable[[], AbstractUnitOfWork]
    clients: dict[str, httpx.AsyncClient]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def matrix(sqlite_db: Database) -> AsyncIterator[Matrix]:
    configure_encryption(ENCRYPTION_KEYS)
    engine = build_engine(sqlite_db.url, search_path=sqlite_db.search_path)
    await _empty(engine)
    session_factory = build_session_factory(engine)

    def uow_factory() -> AbstractUnitOfWork:
        return SqlAlchemyUnitOfWork(session_factory)

    clock = Clock.fixed(NOW)
    settings = Settings(secret_key="e2e-secret-key-for-signing-sessions", web_host="127.0.0.1", _env_file=None)
    app = create_app(settings, uow_factory, engine=engine, clock=clock)
    transport = httpx.ASGITransport(app=app)
    setup = Web("sqlite", httpx.AsyncClient(transport=transport, base_url=BASE_URL), engine, uow_factory, clock)
    clients: dict[str, httpx.AsyncClient] = {}
    for role in STAFF_ROLES:
        await add_staff(setup, f"m.{role.value}", role)
        client = httpx.AsyncClient(transport=transport, base_url=BASE_URL)
        response = await client.post("/admin/login", data={"username": f"m.{role.value}", "password": ADMIN_PASSWORD},
                                     headers=SAME_ORIGIN)
        assert response.status_code == 302, role
        clients[role.value] = client
    dealer_id = await add_dealer(setup, "D0001", "杭州华信电器有限公司")
    async with uow_factory() as uow:
        await uow.users.add(User(username="m.dealer", display_name="m.dealer", role=Role.DEALER_OWNER,
                                 dealer_id=dealer_id, password_hash=hash_password(ADMIN_PASSWORD), created_at=NOW))
        await uow.commit()
    dealer = httpx.AsyncClient(transport=transport, base_url=BASE_URL)
    refused = await dealer.post("/admin/login", data={"username": "m.dealer", "password": ADMIN_PASSWORD},
                                headers=SAME_ORIGIN)
    assert refused.status_code == 400, "a dealer user must not be able to log in to the admin web"
    clients["dealer"] = dealer
    clients["anonymous"] = httpx.AsyncClient(transport=transport, base_url=BASE_URL)
    yield Matrix(app, uow_factory, clients)
    for c in [*clients.values(), setup.client]:
        await c.aclose()
    await engine.dispose()


def _get_routes(app: object) -> set[str]:
    found: set[str] = set()

    def walk(routes: list[object], prefix: str) -> None:
        for r in routes:
            if isinstance(r, Mount):
                walk(list(r.routes), prefix + r.path)
            elif isinstance(r, Route) and r.methods and "GET" in r.methods:
                found.add(prefix + r.path)

    walk(list(app.routes), "")  # type: ignore[attr-defined]
    return {p for p in found if p.startswith(PAGE_PREFIXES)}


async def test_every_page_and_view_has_a_table_entry(matrix: Matrix) -> None:
    assert _get_routes(matrix.app) == set(PAGES)
    from admin.contracts import CONTRACT_VIEWS  # loaded after admin.views, as build_admin does
    identities = {bind_view(spec, model, matrix.uow_factory, Clock.fixed(NOW)).identity
                  for spec, model in VIEWS + CONTRACT_VIEWS}
    assert identities == set(ADMIN_VIEWS), identities ^ set(ADMIN_VIEWS)


ROLES = [r.value for r in STAFF_ROLES] + ["dealer", "anonymous"]


def _cells(keys: list[str]) -> list[object]:
    out: list[object] = []
    for key in keys:
        for role in ROLES:
            reason = KNOWN_BUGS.get((key, role))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            out.append(pytest.param(key, role, marks=marks, id=f"{key}-{role}"))
    return out


def _check(response: httpx.Response, role: str, allowed: bool, param: bool) -> None:
    if role in ("dealer", "anonymous") and response.request.url.path.endswith((".png", ".xlsx")) \
            and response.request.url.path.startswith("/dashboard"):
        assert response.status_code == 401, response.status_code   # files answer 401, pages redirect
    elif role in ("dealer", "anonymous"):
        assert response.status_code == 302 and response.headers["location"].endswith("/admin/login"), \
            response.status_code
    elif allowed:
        assert response.status_code in ((200, 404) if param else (200,)), response.status_code
    else:
        assert response.status_code == 403, response.status_code


@pytest.mark.parametrize(("identity", "role"), _cells(list(ADMIN_VIEWS)))
async def test_admin_view(matrix: Matrix, identity: str, role: str) -> None:
    allowed = role not in ("dealer", "anonymous") and ADMIN_VIEWS[identity].allows(Role(role))
    response = await matrix.clients[role].get(f"/admin/{identity}/list")
    _check(response, role, allowed, param=False)


@pytest.mark.parametrize(("page", "role"), _cells(list(PAGES)))
async def test_page(matrix: Matrix, page: str, role: str) -> None:
    url, rule = PAGES[page]
    allowed = role not in ("dealer", "anonymous") and rule.allows(Role(role))
    response = await matrix.clients[role].get(url)
    _check(response, role, allowed, param="{" in page)
