"""SQLAdmin screens for staff (``/admin``).

Reading goes through SQLAdmin's own queries on the imperatively mapped core dataclasses. Writing does
not: every create/edit/delete runs in one of our units of work, through the use case when there is one
(dealers) and otherwise as a plain change of the domain object, and writes a ``core.audit.AuditEntry``
(who, before, after) in the same commit. Status fields owned by a state machine (dealer status, orders,
tickets) are not editable here; those move through their use cases (chat, API).

Who sees what: ``DmsAuthorization`` answers SQLAdmin's permission questions from
``core.users.ROLE_PERMISSIONS``: each view names the permission needed to read it (None: any staff)
and the one needed to change it (None: read-only). A view a role may not read is neither listed in the
menu (``is_visible``/``is_accessible``) nor reachable by URL (403).

View classes are declared without their model (the base in ``admin.model_view``, master data in
``admin.master_views``, daily work in ``admin.ops_views``, contracts in ``admin.contracts``); ``build_admin`` here
binds them to the mapped classes after ``storage.orm.start_mappers()``, so importing them builds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqladmin import Admin
from sqladmin.authentication import login_required
from sqladmin.authorization import AuthorizationBackend
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response

from admin.auth import SameOriginMiddleware, StaffAuthBackend, current_staff
from admin.contracts import CONTRACT_VIEWS
from admin.master_views import (
    DealerAdmin,
    DealerPriceAdmin,
    ProductAdmin,
    PromotionAdmin,
    StockLevelAdmin,
    TierPriceAdmin,
    WarehouseAdmin,
)
from admin.model_view import READ_ACTIONS, AdminContext, DmsModelView
from admin.ops_views import AuditLogAdmin, FaqEntryAdmin, OrderAdmin, OutboxAdmin, TicketAdmin, UserAdmin
from core.aftersales import Ticket
from core.audit import AuditEntry
from core.clock import Clock
from core.dealers import Dealer
from core.faq import FaqEntry
from core.inventory import StockLevel, Warehouse
from core.masking import mask_phone
from core.orders import Order
from core.outbox import OutboxMessage
from core.ports import AbstractUnitOfWork
from core.products import (
    DealerPrice,
    Product,
    Promotion,
    TierPrice,
)
from core.services import dealers as dealer_cases
from core.users import ROLE_PERMISSIONS, Permission, User
from storage.engine import build_session_factory
from storage.orm import start_mappers

#: (view spec, mapped core class), in menu order
VIEWS: tuple[tuple[type[DmsModelView], type], ...] = (
    (DealerAdmin, Dealer),
    (ProductAdmin, Product),
    (TierPriceAdmin, TierPrice),
    (DealerPriceAdmin, DealerPrice),
    (PromotionAdmin, Promotion),
    (WarehouseAdmin, Warehouse),
    (StockLevelAdmin, StockLevel),
    (OrderAdmin, Order),
    (TicketAdmin, Ticket),
    (UserAdmin, User),
    (AuditLogAdmin, AuditEntry),
    (FaqEntryAdmin, FaqEntry),
    (OutboxAdmin, OutboxMessage),
)


class DmsAuthorization(AuthorizationBackend):
    """SQLAdmin's permission questions answered from the staff user's role (core.users.ROLE_PERMISSIONS)."""

    def __init__(self) -> None:
        self.rules: dict[str, tuple[Permission | None, Permission | None]] = {}

    def register(self, identity: str, read: Permission | None, write: Permission | None) -> None:
        self.rules[identity] = (read, write)

    def has_permission(self, request: Request, identity: str, action: str, obj: Any | None = None) -> bool:
        staff = current_staff(request)
        if staff is None or not staff.role.is_staff or identity not in self.rules:
            return False
        permissions = ROLE_PERMISSIONS[staff.role]
        read, write = self.rules[identity]
        if str(action) in READ_ACTIONS:
            return read is None or read in permissions
        return write is not None and write in permissions


def bind_view(spec: type[DmsModelView], model: type, uow_factory: Callable[[], AbstractUnitOfWork],
              clock: Clock) -> type[DmsModelView]:
    """The concrete SQLAdmin view: ``spec`` bound to its mapped class (mappers must be started)."""
    attrs = {"name": spec.name, "name_plural": spec.name_plural, "context": AdminContext(uow_factory, clock),
             "__module__": spec.__module__, "__doc__": spec.__doc__}
    metaclass: Any = type(spec)     # SQLAdmin's ModelViewMeta inspects the mapped model here
    view: type[DmsModelView] = metaclass(spec.__name__, (spec,), attrs, model=model)
    return view


TEMPLATES_DIR = Path(__file__).parent / "templates"   # sqladmin/index.html there: the home page


class DmsAdmin(Admin):
    """SQLAdmin whose home page shows what waits for the person logged in (``admin.home``)."""

    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock, *args: Any, **kwargs: Any) -> None:
        self.dms_uow_factory = uow_factory
        self.dms_clock = clock
        super().__init__(*args, **kwargs)

    @login_required
    async def index(self, request: Request) -> Response:
        from admin.home import home_context

        context = await home_context(request, self.dms_uow_factory(), self.dms_clock)
        return await self.templates.TemplateResponse(request, "sqladmin/index.html", context)


def build_admin(app: Starlette, engine: AsyncEngine, uow_factory: Callable[[], AbstractUnitOfWork],
                clock: Clock, *, secret_key: str, https_only: bool, suspension_open_orders: str = "keep") -> Admin:
    """Mount SQLAdmin on ``app`` at /admin with staff login, role checks and the CSRF guard.
    ``suspension_open_orders``: what suspending a dealer in its form does to its open orders (keep | hold)."""
    start_mappers()
    auth = StaffAuthBackend(secret_key, uow_factory, clock, https_only=https_only)
    authorization = DmsAuthorization()
    admin = DmsAdmin(
        uow_factory, clock,
        app,
        templates_dir=str(TEMPLATES_DIR),
        session_maker=build_session_factory(engine),
        base_url="/admin",
        title="DMS 经销商管理",
        authentication_backend=auth,
        authorization_backend=authorization,
        middlewares=[Middleware(SameOriginMiddleware)],
    )
    auth.templates = admin.templates
    for spec, model in VIEWS + CONTRACT_VIEWS:
        view = bind_view(spec, model, uow_factory, clock)
        if isinstance(view, DealerAdmin):
            view.open_orders = dealer_cases.OpenOrdersRule(suspension_open_orders)
        authorization.register(view.identity, spec.read_permission, spec.write_permission)
        admin.add_view(view)
    return admin


__all__ = ["VIEWS", "DmsAuthorization", "DmsModelView", "bind_view", "build_admin", "mask_phone"]
