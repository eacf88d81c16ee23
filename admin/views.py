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

View classes are declared here without their model; ``build_admin`` binds them to the mapped classes
after ``storage.orm.start_mappers()``, so importing this module builds nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

from markupsafe import Markup
from sqladmin import Admin, ModelView, action
from sqladmin.authentication import login_required
from sqladmin.authorization import Action, AuthorizationBackend
from sqladmin.filters import AllUniqueStringValuesFilter, BooleanFilter, StaticValuesFilter
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from wtforms import BooleanField, PasswordField, SelectField, StringField, validators  # type: ignore[import-untyped]

from admin.auth import SameOriginMiddleware, StaffAuthBackend, current_staff, hash_password
from admin.evidence_pages import thumbnails
from core.aftersales import Priority, Ticket, TicketStatus
from core.audit import AuditEntry
from core.auditing import record, snapshot
from core.clock import Clock
from core.dealers import Contact, Dealer, DealerStatus
from core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from core.faq import FaqEntry
from core.inventory import StockLevel, Warehouse
from core.masking import mask_phone
from core.money import money
from core.notify import retry_messages
from core.orders import Order, OrderStatus
from core.outbox import Category, OutboxMessage, OutboxStatus
from core.ports import AbstractUnitOfWork
from core.products import (
    LINE_QTY_CEILING,
    DealerPrice,
    Product,
    Promotion,
    PromotionKind,
    TierPrice,
    check_line_quantities,
    line_limit,
)
from core.services import dealers as dealer_cases
from core.users import ROLE_PERMISSIONS, Actor, Permission, Role, User
from storage.engine import build_session_factory
from storage.orm import start_mappers
from storage.types import Money

P = Permission
READ_ACTIONS = frozenset({Action.LIST.value, Action.DETAILS.value, Action.EXPORT.value})


class AdminWriteError(Exception):
    """A refused admin change; SQLAdmin shows ``str()`` of it above the form (both languages)."""

    @classmethod
    def from_domain(cls, exc: DomainError) -> AdminWriteError:
        return cls(f"{exc.message('zh')} / {exc.message('en')}")


def _enum_choices(enum: type[Enum]) -> list[tuple[str, str]]:
    return [(str(m.value), str(m.value)) for m in enum]


def _enum_field(enum: type[Enum], label: str) -> dict[str, Any]:
    return {"label": label, "choices": _enum_choices(enum), "coerce": enum}


@dataclass(frozen=True)
class AdminContext:
    """What the views need from the app: a fresh unit of work per change, and the clock."""

    uow_factory: Callable[[], AbstractUnitOfWork]
    clock: Clock


class DmsModelView(ModelView):
    """Base of every screen: permissions per view, and writes through a unit of work with an audit entry."""

    read_permission: ClassVar[Permission | None] = None     # None: any logged-in staff
    write_permission: ClassVar[Permission | None] = None    # None: read-only
    repository: ClassVar[str] = ""                          # uow attribute used for writes
    entity: ClassVar[str] = ""                              # audit entity name
    key_field: ClassVar[str | None] = None                  # human id for the audit line
    audit_fields: ClassVar[tuple[str, ...] | None] = None   # snapshot fields (None: all but secrets)
    secret_fields: ClassVar[tuple[str, ...]] = ()           # never in audit snapshots

    can_delete = False
    can_export = False
    page_size = 25
    page_size_options = [25, 50, 100]

    optional_fields: ClassVar[tuple[str, ...]] = ()         # may be left blank although NOT NULL
    context: ClassVar[AdminContext]                         # set by bind_view

    @property
    def clock(self) -> Clock:
        return self.context.clock

    def uow_factory(self) -> AbstractUnitOfWork:
        return self.context.uow_factory()

    def is_visible(self, request: Request) -> bool:
        return self.is_accessible(request)

    async def scaffold_form(self, rules: list[str] | None = None) -> Any:
        form = await super().scaffold_form(rules)
        for name in self.optional_fields:
            unbound = getattr(form, name, None)
            if unbound is not None:
                setattr(form, name, unbound.field_class(
                    *unbound.args, **{**unbound.kwargs, "validators": [validators.Optional()]}))
        return form

    # --- writes -------------------------------------------------------------------------------

    def actor(self, request: Request) -> Actor:
        staff = current_staff(request)
        if staff is None:
            raise AdminWriteError("请先登录 / Please log in")
        return staff.to_actor()

    def audit_snapshot(self, obj: Any) -> dict[str, Any]:
        data = snapshot(obj, self.audit_fields)
        for name in self.secret_fields:
            data.pop(name, None)
        return data

    def audit_key(self, obj: Any) -> str | int | None:
        return getattr(obj, self.key_field) if self.key_field else getattr(obj, "id", None)

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        """Form values -> domain values: blanks of nullable columns to None, money to 2 places."""
        mapper: Any = sa_inspect(self.model)
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            column = mapper.columns.get(key)
            if column is None:
                cleaned[key] = value
                continue
            if type(value) is str:          # not str enums: strip() would turn them into plain str
                value = value.strip()
            if value in ("", None) and column.nullable:
                value = None
            if value is not None and isinstance(column.type, Money):
                value = money(value)
            cleaned[key] = value
        return cleaned

    async def create_object(self, uow: AbstractUnitOfWork, actor: Actor, data: dict[str, Any]) -> Any:
        """Default create: build the dataclass from the form, add it, audit, one commit.

        ``uow`` is fresh (not entered): an override may hand it to a use case instead.
        """
        self.check_write(actor)
        fields = {f.name for f in dataclasses.fields(self.model) if f.init}
        obj = self.model(**{k: v for k, v in data.items() if k in fields})
        async with uow:
            await self.validate(uow, actor, obj, None)
            await getattr(uow, self.repository).add(obj)
            await uow.flush()
            await record(uow, actor, f"{self.entity}.admin_create", self.entity, self.audit_key(obj), self.clock,
                         after=self.audit_snapshot(obj))
            await uow.commit()
        return obj

    async def update_object(self, uow: AbstractUnitOfWork, actor: Actor, pk: int, data: dict[str, Any]) -> Any:
        self.check_write(actor)
        async with uow:
            obj = await getattr(uow, self.repository).get(pk, for_update=True)
            if obj is None:
                raise NotFound(what=str(pk))
            before = self.audit_snapshot(obj)
            for key, value in data.items():
                if hasattr(obj, key):
                    setattr(obj, key, value)
            await self.validate(uow, actor, obj, before)
            after = self.audit_snapshot(obj)
            if after != before:
                await record(uow, actor, f"{self.entity}.admin_update", self.entity, self.audit_key(obj),
                             self.clock, before=before, after=after)
                await uow.commit()
        return obj

    async def delete_object(self, uow: AbstractUnitOfWork, actor: Actor, pk: int) -> None:
        self.check_write(actor)
        async with uow:
            repo = getattr(uow, self.repository)
            obj = await repo.get(pk, for_update=True)
            if obj is None:
                raise NotFound(what=str(pk))
            await record(uow, actor, f"{self.entity}.admin_delete", self.entity, self.audit_key(obj), self.clock,
                         before=self.audit_snapshot(obj))
            await repo.delete(obj)
            await uow.commit()

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any,
                       before: dict[str, Any] | None) -> None:
        """Domain checks before a write (``before`` is None on create). Raise a DomainError to refuse."""

    def check_write(self, actor: Actor) -> None:
        if self.write_permission is None or self.write_permission not in actor.permissions:
            raise PermissionDenied()

    async def insert_model(self, request: Request, data: dict[str, Any]) -> Any:
        actor = self.actor(request)
        try:
            return await self.create_object(self.uow_factory(), actor, self.clean(data))
        except DomainError as exc:
            raise AdminWriteError.from_domain(exc) from exc

    async def update_model(self, request: Request, pk: str, data: dict[str, Any]) -> Any:
        actor = self.actor(request)
        try:
            return await self.update_object(self.uow_factory(), actor, int(pk), self.clean(data))
        except DomainError as exc:
            raise AdminWriteError.from_domain(exc) from exc

    async def delete_model(self, request: Request, pk: Any) -> None:
        actor = self.actor(request)
        try:
            await self.delete_object(self.uow_factory(), actor, int(pk))
        except DomainError as exc:
            raise AdminWriteError.from_domain(exc) from exc


# --- dealers --------------------------------------------------------------------------------------

def _contacts_detail(model: Any, attribute: str) -> str:
    contacts: Sequence[Contact] = getattr(model, "contacts", None) or []
    return "；".join(f"{c.name}（{c.role or '-'}）{mask_phone(c.phone)}" for c in contacts) or "-"


_DEALER_FORM_COLUMNS = ("code", "name", "uscc", "province", "city", "region", "tier", "business_scope",
                        "credit_limit", "payer_accounts")
# edit form only, through set_standing (the two rules are dealer columns, set with audit like the others)
_STANDING_FIELDS = ("parent_code", "standing", "standing_reason", "sub_accounts_visible", "approves_sub_orders")


def _credit_detail(model: Any, attribute: Any) -> Markup:
    """The limit with the way to change it: a credit request (core.services.credit), never this form."""
    return Markup("{} <a href='/backoffice/credit?dealer={}'>调整额度 / 临时额度 Change credit</a> "
                  "<a href='/backoffice/payments?dealer={}'>余额、流水与收款 Balances, ledger, payments</a>").format(
        f"¥{model.credit_limit:,.2f}", model.code, model.code)


class DealerAdmin(DmsModelView):
    name = "经销商 Dealer"
    name_plural = "经销商 Dealers"
    icon = "fa-solid fa-store"
    category = "渠道 Channel"
    read_permission = P.DEALER_READ_ALL
    write_permission = P.DEALER_WRITE
    repository = "dealers"
    entity = "dealer"
    key_field = "code"

    column_list = ["code", "name", "tier", "region", "province", "city", "status", "credit_limit"]
    column_details_list = ["code", "name", "uscc", "tier", "region", "province", "city", "business_scope",
                           "status", "status_reason", "credit_limit", "temporary_credit", "temporary_credit_until",
                           "payer_accounts", "parent_id", "contacts", "created_at"]
    column_formatters_detail = {"contacts": _contacts_detail, "credit_limit": _credit_detail}
    column_searchable_list = ["code", "name", "uscc"]
    column_sortable_list = ["code", "name", "tier", "region", "status"]
    column_default_sort = "code"
    column_filters = [
        StaticValuesFilter("status", values=_enum_choices(DealerStatus), title="状态 Status"),
        AllUniqueStringValuesFilter("tier", title="等级 Tier"),
        AllUniqueStringValuesFilter("region", title="大区 Region"),
    ]
    form_columns = list(_DEALER_FORM_COLUMNS)
    form_args = {"code": {"description": "留空自动编号 / blank: next free code"},
                 "payer_accounts": {"description": "经销商付款常用的银行账号，逗号分隔；导入银行流水时按账号匹配 / "
                                                   "the bank accounts the dealer pays from, comma separated: bank "
                                                   "statement rows are matched by them"},
                 "credit_limit": {"description": "合作中的经销商请在“信用额度”页面申请调整 / for an active dealer, "
                                                "ask for a change on the Credit page (/backoffice/credit)"}}
    optional_fields = ("code", "business_scope", "payer_accounts")
    form_widget_args = {"business_scope": {"rows": 2}, "payer_accounts": {"rows": 2}}
    # editing also sets the parent dealer and suspends / reinstates (dealer_cases.set_standing)
    open_orders = dealer_cases.OpenOrdersRule.KEEP    # the SUSPENSION_OPEN_ORDERS setting (build_admin)
    form_create_rules = list(_DEALER_FORM_COLUMNS)
    form_edit_rules = [*_DEALER_FORM_COLUMNS, *_STANDING_FIELDS]

    async def scaffold_form(self, rules: list[str] | None = None) -> Any:
        form = await super().scaffold_form(rules)
        if not rules or _STANDING_FIELDS[0] not in rules:
            return form

        class DealerEditForm(form):  # type: ignore[misc, valid-type]
            parent_code = StringField(
                "上级经销商编码 Parent dealer code",
                description="一级经销商的编码；留空为直接向厂家进货 / the parent dealer's code; blank: buys from the "
                            "maker directly", render_kw={"class": "form-control"})
            standing = SelectField(
                "合作状态 Status", default="",
                choices=[("", "不变 unchanged"), (DealerStatus.ACTIVE.value, "合作中 active"),
                         (DealerStatus.SUSPENDED.value, "已暂停 suspended")],
                description="暂停后不能下单 / a suspended dealer cannot place orders",
                render_kw={"class": "form-control"})
            standing_reason = StringField("暂停原因 Reason", description="暂停时必填 / required to suspend",
                                          render_kw={"class": "form-control"})
            sub_accounts_visible = BooleanField(
                "可查看下级资金账户 Sees its sub-dealers' money accounts",
                description="合同约定时勾选：作为一级经销商可查看下级的余额、对账单、返利、信用 / tick only when its "
                            "contract says so (balances, statements, rebates, credit of its sub-dealers)")
            approves_sub_orders = BooleanField(
                "审批下级订单 Approves its sub-dealers' orders",
                description="勾选后下级的新订单先由本经销商在聊天中审批，再由厂家审核 / its sub-dealers' new orders "
                            "wait for its approval in chat before the maker's")

        return DealerEditForm

    async def get_form_data_for_edit(self, obj: Any) -> dict[str, Any]:
        data = await super().get_form_data_for_edit(obj)
        parent = None
        if obj.parent_id is not None:
            async with self.uow_factory() as uow:
                parent = await uow.dealers.get(obj.parent_id)
        data["parent_code"] = parent.code if parent is not None else ""
        data["standing"] = obj.status.value if obj.status in (DealerStatus.ACTIVE, DealerStatus.SUSPENDED) else ""
        data["sub_accounts_visible"] = bool(obj.sub_accounts_visible)
        data["approves_sub_orders"] = bool(obj.approves_sub_orders)
        return data

    async def create_object(self, uow: AbstractUnitOfWork, actor: Actor, data: dict[str, Any]) -> Any:
        cmd = dealer_cases.CreateDealer(
            name=data["name"], uscc=data["uscc"], province=data["province"], city=data["city"],
            region=data["region"], tier=data["tier"], code=data.get("code") or None,
            business_scope=data.get("business_scope") or "",
            credit_limit=data.get("credit_limit") or Decimal("0.00"))
        return await dealer_cases.create_dealer(uow, actor, cmd, self.clock)

    async def update_object(self, uow: AbstractUnitOfWork, actor: Actor, pk: int, data: dict[str, Any]) -> Any:
        async with uow:
            current = await uow.dealers.get(pk)
        if current is None:
            raise NotFound(what=str(pk))
        if data.get("code") and data["code"] != current.code:
            raise ValidationFailed(reason="经销商编码不可修改 / the dealer code cannot be changed")
        credit = data.get("credit_limit")
        cmd = dealer_cases.UpdateDealer(
            dealer_id=pk, name=data.get("name"), uscc=data.get("uscc"), province=data.get("province"),
            city=data.get("city"), region=data.get("region"), tier=data.get("tier"),
            business_scope=data.get("business_scope"), payer_accounts=data.get("payer_accounts"),
            # only a real change of the limit asks for DEALER_REVIEW
            credit_limit=credit if credit is not None and credit != current.credit_limit else None)
        standing = data.get("standing")
        parent_code = data.get("parent_code")
        rules = {name: bool(data[name]) for name in ("sub_accounts_visible", "approves_sub_orders")
                 if data.get(name) is not None and bool(data[name]) != bool(getattr(current, name))}
        if parent_code is not None or standing or rules:
            # parent, status and the parent's rules first (own commit): when refused, nothing of the form is saved
            await dealer_cases.set_standing(self.uow_factory(), actor, dealer_cases.SetDealerStanding(
                dealer_id=pk, parent_code=parent_code or "", status=DealerStatus(standing) if standing else None,
                reason=data.get("standing_reason") or "", open_orders=self.open_orders,
                sub_accounts_visible=rules.get("sub_accounts_visible"),
                approves_sub_orders=rules.get("approves_sub_orders")), self.clock)
        return await dealer_cases.update_dealer(uow, actor, cmd, self.clock)


# --- catalogue ------------------------------------------------------------------------------------

def _line_limit_text(product: Product) -> str:
    if product.max_line_qty is not None:
        return str(product.max_line_qty)
    return f"{line_limit(product)}（默认 default）"


class ProductAdmin(DmsModelView):
    name = "产品 Product"
    name_plural = "产品 Products"
    icon = "fa-solid fa-box"
    category = "产品与价格 Catalogue"
    write_permission = P.PRODUCT_WRITE
    repository = "products"
    entity = "product"
    key_field = "sku"
    can_export = True

    column_list = ["sku", "name", "category", "unit", "list_price", "moq", "pack_size", "max_line_qty", "active"]
    column_labels = {"max_line_qty": "单行上限 Max per line"}
    # an empty max_line_qty shows the default it stands for
    column_formatters = {"max_line_qty": lambda m, a: _line_limit_text(m)}
    column_formatters_detail = {"max_line_qty": lambda m, a: _line_limit_text(m)}
    column_searchable_list = ["sku", "name"]
    column_sortable_list = ["sku", "name", "category", "list_price"]
    column_default_sort = "sku"
    column_filters = [AllUniqueStringValuesFilter("category", title="品类 Category"),
                      BooleanFilter("active", title="在售 Active")]
    form_columns = ["sku", "name", "category", "unit", "list_price", "aliases", "pack_size", "moq", "max_line_qty",
                    "active"]
    form_args = {"aliases": {"description": 'JSON 列表 / JSON list, e.g. ["AP300", "净化器300"]'},
                 "max_line_qty": {"label": "单行上限 Max per order line", "description":
                                  f"一个订单行最多多少（单位同上，不低于起订量）；留空为默认：箱规×1000，最多 {LINE_QTY_CEILING} / "
                                  f"most units on one order line (not below the MOQ); empty: pack size x 1000, "
                                  f"at most {LINE_QTY_CEILING}"}}

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        if not isinstance(obj.aliases, list) or not all(isinstance(a, str) for a in obj.aliases):
            raise ValidationFailed(reason="aliases 必须是字符串列表 / aliases must be a list of strings")
        if obj.list_price < 0 or obj.moq < 1 or obj.pack_size < 1:
            raise ValidationFailed(reason="价格不能为负，起订量和包装数至少为 1 / price >= 0, moq and pack size >= 1")
        check_line_quantities(obj.moq, obj.max_line_qty, sku=obj.sku)
        if before is not None and before.get("sku") != obj.sku:
            raise ValidationFailed(reason="SKU 不可修改 / the SKU cannot be changed")


class TierPriceAdmin(DmsModelView):
    name = "等级价格 Tier price"
    name_plural = "等级价格 Tier prices"
    icon = "fa-solid fa-tags"
    category = "产品与价格 Catalogue"
    read_permission = P.DEALER_READ_ALL
    write_permission = P.PRICE_WRITE
    repository = "tier_prices"
    entity = "tier_price"
    can_delete = True

    column_list = ["tier", "sku", "price"]
    column_searchable_list = ["sku"]
    column_sortable_list = ["tier", "sku", "price"]
    column_default_sort = [("tier", False), ("sku", False)]
    column_filters = [AllUniqueStringValuesFilter("tier", title="等级 Tier")]
    form_columns = ["tier", "sku", "price"]

    def audit_key(self, obj: Any) -> str:
        return f"{obj.tier}:{obj.sku}"

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        await _require_product(uow, obj.sku)
        if obj.price < 0:
            raise ValidationFailed(reason="价格不能为负 / the price cannot be negative")


class DealerPriceAdmin(DmsModelView):
    name = "经销商专属价 Dealer price"
    name_plural = "经销商专属价 Dealer prices"
    icon = "fa-solid fa-tag"
    category = "产品与价格 Catalogue"
    read_permission = P.DEALER_READ_ALL
    write_permission = P.PRICE_WRITE
    repository = "dealer_prices"
    entity = "dealer_price"
    can_delete = True
    form_include_pk = True      # dealer_id is a foreign key column: SQLAdmin hides those otherwise

    column_list = ["dealer_id", "sku", "price"]
    column_searchable_list = ["sku"]
    column_sortable_list = ["dealer_id", "sku", "price"]
    form_columns = ["dealer_id", "sku", "price"]
    form_args = {"dealer_id": {"label": "经销商ID Dealer id"}}

    def audit_key(self, obj: Any) -> str:
        return f"{obj.dealer_id}:{obj.sku}"

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        if await uow.dealers.get(obj.dealer_id) is None:
            raise NotFound(what=f"dealer {obj.dealer_id}")
        await _require_product(uow, obj.sku)
        if obj.price < 0:
            raise ValidationFailed(reason="价格不能为负 / the price cannot be negative")


async def _require_product(uow: AbstractUnitOfWork, sku: str) -> None:
    if await uow.products.get_by(sku=sku) is None:
        raise NotFound(what=sku)


class PromotionAdmin(DmsModelView):
    name = "促销 Promotion"
    name_plural = "促销 Promotions"
    icon = "fa-solid fa-percent"
    category = "产品与价格 Catalogue"
    read_permission = P.DEALER_READ_ALL
    write_permission = P.PROMOTION_WRITE
    repository = "promotions"
    entity = "promotion"
    key_field = "code"

    column_list = ["code", "name", "kind", "starts_on", "ends_on", "percent", "budget", "spent", "active"]
    column_searchable_list = ["code", "name"]
    column_sortable_list = ["code", "starts_on", "ends_on"]
    column_default_sort = ("starts_on", True)
    column_filters = [StaticValuesFilter("kind", values=_enum_choices(PromotionKind), title="类型 Kind"),
                      BooleanFilter("active", title="启用 Active")]
    # amount tiers of TIERED promotions are value objects: maintained by the catalogue use cases
    form_columns = ["code", "name", "kind", "starts_on", "ends_on", "skus", "dealer_tiers", "percent",
                    "buy_qty", "free_qty", "budget", "active"]
    form_overrides = {"kind": SelectField}
    form_args = {"kind": _enum_field(PromotionKind, "类型 Kind"),
                 "skus": {"description": "JSON 列表，空=全部 / JSON list, empty: all SKUs"},
                 "dealer_tiers": {"description": "JSON 列表，空=全部 / JSON list, empty: all tiers"}}

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        if obj.ends_on < obj.starts_on:
            raise ValidationFailed(reason="结束日期早于开始日期 / ends before it starts")
        for name in ("skus", "dealer_tiers"):
            value = getattr(obj, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationFailed(reason=f"{name} 必须是字符串列表 / {name} must be a list of strings")


# --- stock ----------------------------------------------------------------------------------------

class WarehouseAdmin(DmsModelView):
    name = "仓库 Warehouse"
    name_plural = "仓库 Warehouses"
    icon = "fa-solid fa-warehouse"
    category = "库存 Stock"
    read_permission = P.STOCK_READ_ALL
    write_permission = P.STOCK_WRITE
    repository = "warehouses"
    entity = "warehouse"
    key_field = "code"

    column_list = ["code", "name", "region", "province", "city"]
    column_searchable_list = ["code", "name"]
    column_default_sort = "code"
    form_columns = ["code", "name", "region", "province", "city"]


class StockLevelAdmin(DmsModelView):
    name = "仓库库存 Stock level"
    name_plural = "仓库库存 Stock levels"
    icon = "fa-solid fa-cubes"
    category = "库存 Stock"
    read_permission = P.STOCK_READ_ALL
    write_permission = P.STOCK_WRITE
    repository = "stock"
    entity = "stock"
    can_export = True
    form_include_pk = True

    column_list = ["warehouse_id", "sku", "on_hand", "reserved", "updated_at"]
    column_searchable_list = ["sku"]
    column_sortable_list = ["warehouse_id", "sku", "on_hand", "reserved"]
    column_default_sort = [("warehouse_id", False), ("sku", False)]
    # reserved belongs to order allocation: never typed in by hand
    form_create_rules = ["warehouse_id", "sku", "on_hand"]
    form_edit_rules = ["on_hand"]
    form_columns = ["warehouse_id", "sku", "on_hand"]
    form_args = {"warehouse_id": {"label": "仓库ID Warehouse id"}}

    def audit_key(self, obj: Any) -> str:
        return f"{obj.warehouse_id}:{obj.sku}"

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        if await uow.warehouses.get(obj.warehouse_id) is None:
            raise NotFound(what=f"warehouse {obj.warehouse_id}")
        await _require_product(uow, obj.sku)
        if obj.on_hand < obj.reserved or obj.on_hand < 0:
            raise ValidationFailed(reason=f"在库数不能少于已预留 {obj.reserved} / on hand below reserved {obj.reserved}")
        obj.updated_at = self.clock.now()


# --- orders, tickets, users, audit --------------------------------------------------------------

class OrderAdmin(DmsModelView):
    name = "订单 Order"
    name_plural = "订单 Orders"
    icon = "fa-solid fa-file-invoice"
    category = "订单与服务 Orders"
    read_permission = P.ORDER_READ_ALL
    can_create = False
    can_edit = False
    can_export = True

    column_list = ["number", "dealer_id", "status", "total", "created_at", "requested_delivery", "on_behalf"]
    column_details_list = ["number", "dealer_id", "status", "lines", "total", "paid_from_rebate",
                           "paid_from_prepayment", "paid_from_credit", "approval_reasons", "requested_delivery",
                           "warehouse_id", "carrier", "tracking_no", "reject_reason", "placed_by", "on_behalf",
                           "note", "events", "created_at", "updated_at", "version"]
    column_formatters_detail = {
        "lines": lambda m, a: "；".join(f"{ln.sku} × {ln.qty} @ {ln.unit_price}" for ln in m.lines),
        "events": lambda m, a: "；".join(f"{e.at:%Y-%m-%d %H:%M} {e.status.value} {e.actor} {e.note}".strip()
                                        for e in m.events),
    }
    column_searchable_list = ["number", "placed_by", "tracking_no"]
    column_sortable_list = ["number", "created_at", "total", "status"]
    column_default_sort = ("created_at", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(OrderStatus), title="状态 Status"),
                      BooleanFilter("on_behalf", title="代客下单 On behalf")]


class TicketAdmin(DmsModelView):
    name = "售后工单 Ticket"
    name_plural = "售后工单 Tickets"
    icon = "fa-solid fa-screwdriver-wrench"
    category = "订单与服务 Orders"
    read_permission = P.TICKET_HANDLE
    can_create = False
    can_edit = False

    column_list = ["number", "dealer_id", "status", "priority", "sla_due_at", "assignee", "sku", "created_at"]
    column_details_list = ["number", "dealer_id", "status", "priority", "sla_due_at", "assignee", "sku",
                           "serial_no", "order_number", "description", "customer_name", "customer_phone",
                           "resolution", "satisfaction", "photos", "comments", "created_at", "updated_at"]
    column_formatters_detail = {
        "customer_phone": lambda m, a: mask_phone(m.customer_phone),
        "photos": lambda m, a: thumbnails("ticket", m.number, m.photos),
        "comments": lambda m, a: "；".join(f"{c.at:%m-%d %H:%M} {c.author}: {c.text}" for c in m.comments),
    }
    column_searchable_list = ["number", "sku", "serial_no", "order_number"]
    column_sortable_list = ["number", "created_at", "sla_due_at", "priority", "status"]
    column_default_sort = ("created_at", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(TicketStatus), title="状态 Status"),
                      StaticValuesFilter("priority", values=_enum_choices(Priority), title="优先级 Priority")]


class UserAdmin(DmsModelView):
    name = "用户 User"
    name_plural = "用户 Users"
    icon = "fa-solid fa-user"
    category = "系统 System"
    read_permission = P.USER_MANAGE
    write_permission = P.USER_MANAGE
    repository = "users"
    entity = "user"
    key_field = "username"
    secret_fields = ("password_hash", "phone")
    form_include_pk = True

    column_list = ["username", "display_name", "role", "dealer_id", "active", "language", "created_at"]
    column_details_list = ["username", "display_name", "role", "dealer_id", "active", "language", "created_at"]
    column_searchable_list = ["username", "display_name"]
    column_sortable_list = ["username", "role", "created_at"]
    column_default_sort = "username"
    column_filters = [StaticValuesFilter("role", values=_enum_choices(Role), title="角色 Role"),
                      BooleanFilter("active", title="启用 Active")]
    # password_hash is never shown nor typed: "new_password" (extra field below) sets it through argon2
    form_columns = ["username", "display_name", "role", "dealer_id", "language", "active"]
    form_overrides = {"role": SelectField}
    form_args = {"role": _enum_field(Role, "角色 Role"),
                 "dealer_id": {"label": "经销商ID Dealer id（仅经销商用户 / dealer users only）"}}

    async def scaffold_form(self, rules: list[str] | None = None) -> Any:
        form = await super().scaffold_form(rules)

        class UserForm(form):  # type: ignore[misc, valid-type]
            new_password = PasswordField(
                "新密码 New password",
                description="留空不修改；仅员工可登录后台 / blank: unchanged; only staff may log in to the admin",
                render_kw={"class": "form-control", "autocomplete": "new-password"})

        return UserForm

    def clean(self, data: dict[str, Any]) -> dict[str, Any]:
        cleaned = super().clean(data)
        password = cleaned.pop("new_password", None)
        if password:
            if len(password) < 10:
                raise AdminWriteError("密码至少 10 个字符 / a password needs at least 10 characters")
            cleaned["password_hash"] = hash_password(password)
        return cleaned

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        if obj.role.is_staff and obj.dealer_id is not None:
            raise ValidationFailed(reason="员工账号不能属于经销商 / a staff user has no dealer")
        if not obj.role.is_staff:
            if obj.dealer_id is None or await uow.dealers.get(obj.dealer_id) is None:
                raise ValidationFailed(reason="经销商用户必须属于一个经销商 / a dealer user needs a dealer")
            obj.password_hash = None      # dealer users never log in to the admin
        if before is not None and before.get("username") != obj.username:
            raise ValidationFailed(reason="用户名不可修改 / the username cannot be changed")
        if obj.created_at is None:
            obj.created_at = self.clock.now()


class AuditLogAdmin(DmsModelView):
    name = "审计日志 Audit log"
    name_plural = "审计日志 Audit log"
    icon = "fa-solid fa-clipboard-list"
    category = "系统 System"
    read_permission = P.AUDIT_READ
    can_create = False
    can_edit = False
    can_delete = False
    can_export = True

    column_list = ["at", "actor", "action", "entity", "entity_id"]
    column_details_list = ["at", "actor", "action", "entity", "entity_id", "before", "after"]
    column_searchable_list = ["actor", "action", "entity_id"]
    column_sortable_list = ["at", "actor", "action", "entity"]
    column_default_sort = ("at", True)
    column_filters = [AllUniqueStringValuesFilter("entity", title="对象 Entity")]


# --- FAQ knowledge base ----------------------------------------------------------------------------

class FaqEntryAdmin(DmsModelView):
    name = "知识库 FAQ entry"
    name_plural = "知识库 FAQ"
    icon = "fa-solid fa-circle-question"
    category = "渠道 Channel"
    write_permission = P.DEALER_WRITE
    repository = "faq_entries"
    entity = "faq_entry"
    can_delete = True
    can_export = True

    column_list = ["id", "question_zh", "question_en", "tags", "active", "source", "updated_at"]
    column_details_list = ["id", "question_zh", "question_en", "answer_zh", "answer_en", "tags", "variants", "active",
                           "source", "created_at", "updated_at"]
    column_searchable_list = ["question_zh", "question_en", "answer_zh"]
    column_sortable_list = ["id", "question_zh", "updated_at", "active"]
    column_default_sort = "id"
    column_filters = [BooleanFilter("active", title="启用 Active")]
    form_columns = ["question_zh", "answer_zh", "question_en", "answer_en", "tags", "variants", "active"]
    optional_fields = ("question_en", "answer_en")
    form_args = {"tags": {"description": 'JSON 列表 / JSON list, e.g. ["发票", "invoice"]'},
                 "variants": {"description": '其他问法 / other ways to ask, JSON list, e.g. ["怎么开票"]'}}
    form_widget_args = {"answer_zh": {"rows": 5}, "answer_en": {"rows": 5}}

    async def validate(self, uow: AbstractUnitOfWork, actor: Actor, obj: Any, before: dict[str, Any] | None) -> None:
        for name in ("tags", "variants"):
            value = getattr(obj, name)
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValidationFailed(reason=f"{name} 必须是字符串列表 / {name} must be a list of strings")
        if not (obj.question_zh or "").strip() or not (obj.answer_zh or "").strip():
            raise ValidationFailed(reason="中文问题和答案必填 / the Chinese question and answer are required")
        obj.question_en = obj.question_en or ""
        obj.answer_en = obj.answer_en or ""
        now = self.clock.now()
        obj.updated_at = now
        if obj.created_at is None:
            obj.created_at = now
            obj.source = obj.source or f"admin:{actor.name}"


class OutboxAdmin(DmsModelView):
    """The notification outbox: what was pushed to whom, what failed and why (``last_error``: the send error, why
    a row is dead or muted, or the digest a folded item was told in), and "retry" for dead rows.

    Read-only except the retry action (``core.notify.retry_messages``: back to pending, attempts reset,
    audited). Params are shown as stored (JSON); recipients by user id.
    """

    name = "通知队列 Outbox"
    name_plural = "通知队列 Outbox"
    icon = "fa-solid fa-paper-plane"
    category = "系统 System"
    read_permission = P.USER_MANAGE
    write_permission = P.USER_MANAGE
    can_create = False
    can_edit = False
    can_delete = False

    column_list = ["id", "status", "kind", "category", "user_id", "urgent", "attempts", "created_at", "sent_at",
                   "delivered_to", "last_error"]
    column_details_list = ["id", "dedup_key", "status", "kind", "category", "params", "user_id", "channel", "chat_id",
                           "urgent", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at",
                           "delivered_to", "claimed_by", "claimed_at"]
    column_searchable_list = ["dedup_key", "kind", "delivered_to"]
    column_sortable_list = ["id", "created_at", "sent_at", "status", "attempts"]
    column_default_sort = ("id", True)
    column_filters = [StaticValuesFilter("status", values=_enum_choices(OutboxStatus), title="状态 Status"),
                      StaticValuesFilter("category", values=_enum_choices(Category), title="类别 Category")]

    @action(name="retry", label="重试 Retry",
            confirmation_message="把选中的失败/已放弃消息重新放回队列？ Put the selected failed or dead messages back in "
                                 "the queue?")
    async def retry(self, request: Request) -> Response:
        referer = request.headers.get("referer", "")
        if urlparse(referer).netloc.lower() != request.url.netloc.lower():    # GET route: same-site only
            return HTMLResponse("<h1>403</h1><p>跨站请求被拒绝 / Cross-site request refused</p>", status_code=403)
        ids = [int(pk) for pk in request.query_params.get("pks", "").split(",") if pk.strip().isdigit()]
        try:
            await retry_messages(self.uow_factory(), self.actor(request), ids, self.clock)
        except DomainError as exc:
            return HTMLResponse(f"<p>{exc.message('zh')} / {exc.message('en')}</p>", status_code=400)
        return RedirectResponse(referer, status_code=302)


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
    from admin.contracts import CONTRACT_VIEWS  # it imports this module, so it is loaded here
    for spec, model in VIEWS + CONTRACT_VIEWS:
        view = bind_view(spec, model, uow_factory, clock)
        if isinstance(view, DealerAdmin):
            view.open_orders = dealer_cases.OpenOrdersRule(suspension_open_orders)
        authorization.register(view.identity, spec.read_permission, spec.write_permission)
        admin.add_view(view)
    return admin


__all__ = ["VIEWS", "DmsAuthorization", "DmsModelView", "bind_view", "build_admin", "mask_phone"]
