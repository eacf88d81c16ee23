"""SQLAdmin screens for master data: dealers, products, tier and dealer prices, promotions, warehouses, stock."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from markupsafe import Markup
from sqladmin.filters import AllUniqueStringValuesFilter, BooleanFilter, StaticValuesFilter
from wtforms import BooleanField, SelectField, StringField  # type: ignore[import-untyped]

from admin.model_view import DmsModelView, P, _enum_choices, _enum_field
from core.dealers import Contact, DealerStatus
from core.errors import NotFound, ValidationFailed
from core.masking import mask_phone
from core.ports import AbstractUnitOfWork
from core.products import (
    LINE_QTY_CEILING,
    Product,
    PromotionKind,
    check_line_quantities,
    line_limit,
)
from core.services import dealers as dealer_cases
from core.users import Actor


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
