"""Catalogue use cases: products, tier and dealer prices, allowed SKUs, promotions, price lists.

Upserts compare before writing: re-importing the same file changes nothing, writes no audit entry
and does not commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from core.auditing import record, snapshot
from core.authz import require
from core.clock import Clock
from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.money import ZERO, money
from core.ports import AbstractUnitOfWork
from core.pricing import PriceBook, unit_price
from core.products import (
    DealerAllowedSku,
    DealerPrice,
    Product,
    Promotion,
    PromotionKind,
    PromotionTier,
    TierPrice,
    check_line_quantities,
)
from core.users import Actor, ActorKind, Permission

PRODUCT_FIELDS = ("sku", "name", "category", "unit", "list_price", "aliases", "pack_size", "moq", "active",
                  "max_line_qty")
PROMOTION_FIELDS = ("code", "name", "kind", "starts_on", "ends_on", "skus", "dealer_tiers", "percent", "buy_qty",
                    "free_qty", "tiers", "budget", "spent", "active")


# --- commands -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class UpsertProduct:
    sku: str
    name: str
    category: str
    unit: str
    list_price: Decimal | str
    aliases: tuple[str, ...] = ()
    pack_size: int = 1
    moq: int = 1
    active: bool = True
    max_line_qty: int | None = None            # None: the default (core.products.line_limit)


@dataclass(frozen=True)
class ImportSummary:
    created: list[str]
    updated: list[str]
    unchanged: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


@dataclass(frozen=True)
class SetTierPrice:
    tier: str
    sku: str
    price: Decimal | str | None        # None removes the tier price


@dataclass(frozen=True)
class SetDealerPrice:
    dealer_id: int
    sku: str
    price: Decimal | str | None        # None removes the override


@dataclass(frozen=True)
class SetAllowedSkus:
    dealer_id: int
    skus: Sequence[str]                # empty: the dealer may buy every SKU


@dataclass(frozen=True)
class CreatePromotion:
    code: str
    name: str
    kind: PromotionKind
    starts_on: date
    ends_on: date
    skus: tuple[str, ...] = ()
    dealer_tiers: tuple[str, ...] = ()
    percent: Decimal | str = Decimal("0")
    buy_qty: int = 0
    free_qty: int = 0
    tiers: tuple[PromotionTier, ...] = ()
    budget: Decimal | str | None = None
    active: bool = True


@dataclass(frozen=True)
class UpdatePromotion:
    """None leaves a field as it is; ``clear_budget`` removes the budget cap."""

    code: str
    name: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    skus: tuple[str, ...] | None = None
    dealer_tiers: tuple[str, ...] | None = None
    percent: Decimal | str | None = None
    buy_qty: int | None = None
    free_qty: int | None = None
    tiers: tuple[PromotionTier, ...] | None = None
    budget: Decimal | str | None = None
    clear_budget: bool = False
    active: bool | None = None


@dataclass(frozen=True)
class PriceListItem:
    sku: str
    name: str
    unit: str
    list_price: Decimal
    price: Decimal
    moq: int


# --- authorization ------------------------------------------------------------------------------

def _require_write(actor: Actor, permission: Permission, api_scope: str | None = None) -> None:
    """Staff/system with ``permission``; an API key not bound to a dealer with ``api_scope``."""
    if actor.kind == ActorKind.API:
        if api_scope is None or api_scope not in actor.scopes or actor.dealer_id is not None:
            raise PermissionDenied()
        return
    require(actor, permission)


def _require_reader(actor: Actor) -> None:
    if actor.kind == ActorKind.ANONYMOUS:
        raise PermissionDenied()
    if actor.kind == ActorKind.API and "products:read" not in actor.scopes:
        raise PermissionDenied()


# --- products -----------------------------------------------------------------------------------

def _product_from(cmd: UpsertProduct) -> Product:
    sku = cmd.sku.strip()
    if not sku or not cmd.name.strip():
        raise ValidationFailed.because(f"SKU 和名称不能为空：{cmd.sku!r}", f"SKU and name are required: {cmd.sku!r}")
    if len(sku) > 64 or len(cmd.name.strip()) > 200 or len(cmd.category.strip()) > 64 or len(cmd.unit.strip()) > 16:
        raise ValidationFailed.because(
            f"{sku[:64]}: 字段过长（SKU 64、名称 200、类别 64、单位 16 字）",
            f"{sku[:64]}: a field is too long (SKU 64, name 200, category 64, unit 16)")
    if cmd.moq < 1 or cmd.pack_size < 1:
        raise ValidationFailed.because(f"{sku}: 起订量和包装数须 ≥ 1", f"{sku}: MOQ and pack size must be at least 1")
    price = money(cmd.list_price)
    if price < ZERO:
        raise ValidationFailed.because(f"{sku}: 价格不能为负", f"{sku}: the price must not be negative")
    aliases = [a.strip() for a in cmd.aliases if a.strip()]
    check_line_quantities(cmd.moq, cmd.max_line_qty, sku=sku)
    return Product(sku=sku, name=cmd.name.strip(), category=cmd.category.strip(), unit=cmd.unit.strip(),
                   list_price=price, aliases=aliases, pack_size=cmd.pack_size, moq=cmd.moq, active=cmd.active,
                   max_line_qty=cmd.max_line_qty)


async def _upsert(uow: AbstractUnitOfWork, actor: Actor, cmd: UpsertProduct, clock: Clock) -> tuple[Product, str]:
    wanted = _product_from(cmd)
    existing = await uow.products.get_by(sku=wanted.sku)
    if existing is None:
        await uow.products.add(wanted)
        await record(uow, actor, "product.create", "product", wanted.sku, clock,
                     after=snapshot(wanted, PRODUCT_FIELDS))
        return wanted, "created"
    before = snapshot(existing, PRODUCT_FIELDS)
    after = snapshot(wanted, PRODUCT_FIELDS)
    if before == after:
        return existing, "unchanged"
    for name in PRODUCT_FIELDS:
        setattr(existing, name, getattr(wanted, name))
    await record(uow, actor, "product.update", "product", wanted.sku, clock, before=before, after=after)
    return existing, "updated"


async def upsert_product(uow: AbstractUnitOfWork, actor: Actor, cmd: UpsertProduct, clock: Clock) -> Product:
    async with uow:
        _require_write(actor, Permission.PRODUCT_WRITE, "products:write")
        product, outcome = await _upsert(uow, actor, cmd, clock)
        if outcome != "unchanged":
            await uow.commit()
        return product


async def upsert_products(uow: AbstractUnitOfWork, actor: Actor, cmds: Sequence[UpsertProduct],
                          clock: Clock) -> ImportSummary:
    """A whole import in one unit of work: every row valid, or nothing written."""
    async with uow:
        _require_write(actor, Permission.PRODUCT_WRITE, "products:write")
        skus = [c.sku.strip() for c in cmds]
        duplicates = sorted({s for s in skus if skus.count(s) > 1})
        if duplicates:
            raise ValidationFailed.because(f"SKU 重复：{'、'.join(duplicates)}", f"duplicate SKUs: {', '.join(duplicates)}")
        outcomes: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
        for cmd in cmds:
            product, outcome = await _upsert(uow, actor, cmd, clock)
            outcomes[outcome].append(product.sku)
        summary = ImportSummary(**outcomes)
        if summary.changed:
            await uow.commit()
        return summary


async def list_products(uow: AbstractUnitOfWork, actor: Actor, *, query: str | None = None,
                        category: str | None = None, include_inactive: bool = False) -> list[Product]:
    """Products by SKU. A dealer with an allowed-SKU list sees only those; inactive ones only for staff."""
    async with uow:
        _require_reader(actor)
        filters: dict[str, Any] = {}
        if category:
            filters["category"] = category
        if not (include_inactive and actor.kind in (ActorKind.STAFF, ActorKind.SYSTEM)):
            filters["active"] = True
        products = await uow.products.list(order_by="sku", **filters)
        if query:
            q = query.strip().casefold()
            products = [p for p in products if q in p.sku.casefold() or q in p.name.casefold()
                        or any(q in a.casefold() for a in p.aliases)]
        if actor.kind == ActorKind.DEALER and actor.dealer_id is not None:
            allowed = {a.sku for a in await uow.allowed_skus.list(dealer_id=actor.dealer_id)}
            if allowed:
                products = [p for p in products if p.sku in allowed]
        return products


async def _product(uow: AbstractUnitOfWork, sku: str) -> Product:
    product = await uow.products.get_by(sku=sku.strip())
    if product is None:
        raise NotFound(zh=f"未找到产品 {sku}", en=f"Product {sku} not found", what=sku)
    return product


async def _dealer_exists(uow: AbstractUnitOfWork, dealer_id: int) -> None:
    if await uow.dealers.get(dealer_id) is None:
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))


def _price(value: Decimal | str) -> Decimal:
    price = money(value)
    if price < ZERO:
        raise ValidationFailed.because("价格不能为负", "the price must not be negative")
    return price


# --- prices -------------------------------------------------------------------------------------

async def set_tier_price(uow: AbstractUnitOfWork, actor: Actor, cmd: SetTierPrice, clock: Clock) -> TierPrice | None:
    """Set (or with ``price=None`` remove) the price of a SKU on a tier's price list (PRICE_WRITE)."""
    async with uow:
        require(actor, Permission.PRICE_WRITE)
        product = await _product(uow, cmd.sku)
        tier = cmd.tier.strip()
        if not tier:
            raise ValidationFailed.because("等级不能为空", "the tier is required")
        row = await uow.tier_prices.get_by(tier=tier, sku=product.sku)
        entity_id = f"{tier}:{product.sku}"
        if cmd.price is None:
            if row is None:
                return None
            await uow.tier_prices.delete(row)
            await record(uow, actor, "price.tier_delete", "tier_price", entity_id, clock, before=snapshot(row))
            await uow.commit()
            return None
        price = _price(cmd.price)
        if row is not None and row.price == price:
            return row
        before = snapshot(row)
        if row is None:
            row = await uow.tier_prices.add(TierPrice(tier=tier, sku=product.sku, price=price))
        else:
            row.price = price
        await record(uow, actor, "price.tier_set", "tier_price", entity_id, clock, before=before, after=snapshot(row))
        await uow.commit()
        return row


async def set_dealer_price(uow: AbstractUnitOfWork, actor: Actor, cmd: SetDealerPrice,
                           clock: Clock) -> DealerPrice | None:
    """Set (or with ``price=None`` remove) a dealer's own price for a SKU (PRICE_WRITE)."""
    async with uow:
        require(actor, Permission.PRICE_WRITE)
        await _dealer_exists(uow, cmd.dealer_id)
        product = await _product(uow, cmd.sku)
        row = await uow.dealer_prices.get_by(dealer_id=cmd.dealer_id, sku=product.sku)
        entity_id = f"{cmd.dealer_id}:{product.sku}"
        if cmd.price is None:
            if row is None:
                return None
            await uow.dealer_prices.delete(row)
            await record(uow, actor, "price.dealer_delete", "dealer_price", entity_id, clock, before=snapshot(row))
            await uow.commit()
            return None
        price = _price(cmd.price)
        if row is not None and row.price == price:
            return row
        before = snapshot(row)
        if row is None:
            row = await uow.dealer_prices.add(DealerPrice(dealer_id=cmd.dealer_id, sku=product.sku, price=price))
        else:
            row.price = price
        await record(uow, actor, "price.dealer_set", "dealer_price", entity_id, clock,
                     before=before, after=snapshot(row))
        await uow.commit()
        return row


async def set_allowed_skus(uow: AbstractUnitOfWork, actor: Actor, cmd: SetAllowedSkus, clock: Clock) -> list[str]:
    """Replace the dealer's allowed-SKU list (PRICE_WRITE: it is part of the dealer's price terms)."""
    async with uow:
        require(actor, Permission.PRICE_WRITE)
        await _dealer_exists(uow, cmd.dealer_id)
        wanted: set[str] = set()
        for sku in cmd.skus:
            wanted.add((await _product(uow, sku)).sku)
        rows = await uow.allowed_skus.list(dealer_id=cmd.dealer_id)
        current = {r.sku for r in rows}
        if current == wanted:
            return sorted(current)
        for row in rows:
            if row.sku not in wanted:
                await uow.allowed_skus.delete(row)
        for sku in sorted(wanted - current):
            await uow.allowed_skus.add(DealerAllowedSku(dealer_id=cmd.dealer_id, sku=sku))
        await record(uow, actor, "dealer.allowed_skus", "dealer", cmd.dealer_id, clock,
                     before={"skus": sorted(current)}, after={"skus": sorted(wanted)})
        await uow.commit()
        return sorted(wanted)


async def price_list(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> list[PriceListItem]:
    """The dealer's own prices for every product it may buy (own dealer or staff with DEALER_READ_ALL)."""
    async with uow:
        if actor.kind == ActorKind.DEALER:
            if actor.dealer_id != dealer_id:
                raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
        elif actor.kind != ActorKind.SYSTEM:
            require(actor, Permission.DEALER_READ_ALL)
        dealer = await uow.dealers.get(dealer_id)
        if dealer is None:
            raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
        products = await uow.products.list(order_by="sku", active=True)
        allowed = frozenset(a.sku for a in await uow.allowed_skus.list(dealer_id=dealer_id))
        book = PriceBook(
            dealer=dealer, products={p.sku: p for p in products},
            tier_prices={t.sku: t.price for t in await uow.tier_prices.list(tier=dealer.tier)},
            dealer_prices={d.sku: d.price for d in await uow.dealer_prices.list(dealer_id=dealer_id)},
            allowed_skus=allowed)
        return [PriceListItem(sku=p.sku, name=p.name, unit=p.unit, list_price=money(p.list_price),
                              price=unit_price(book, p), moq=p.moq)
                for p in products if not allowed or p.sku in allowed]


# --- promotions ---------------------------------------------------------------------------------

async def _validate_promotion(uow: AbstractUnitOfWork, p: Promotion) -> None:
    def bad(zh: str, en: str) -> ValidationFailed:
        return ValidationFailed(zh=f"促销 {p.code}：{zh}", en=f"Promotion {p.code}: {en}", reason=en)

    if not p.code.strip() or not p.name.strip():
        raise bad("编码和名称不能为空", "code and name are required")
    if len(p.code) > 32 or len(p.name) > 200:
        raise bad("编码最长 32 字符，名称最长 200 字符", "code at most 32 and name at most 200 characters")
    if p.ends_on < p.starts_on:
        raise bad("结束日期早于开始日期", "ends before it starts")
    if p.budget is not None and p.budget < ZERO:
        raise bad("预算不能为负", "the budget must not be negative")
    if p.kind == PromotionKind.PERCENT_OFF and not ZERO < p.percent <= 100:
        raise bad("折扣比例须在 0–100 之间", "percent must be above 0 and at most 100")
    if p.kind == PromotionKind.BUY_X_GET_Y and (p.buy_qty < 1 or p.free_qty < 1):
        raise bad("买赠数量须 ≥ 1", "buy and free quantities must be at least 1")
    if p.kind == PromotionKind.TIERED:
        if not p.tiers:
            raise bad("阶梯促销至少需要一档", "a tiered promotion needs at least one tier")
        for t in p.tiers:
            if t.min_amount < ZERO or not ZERO < t.percent <= 100:
                raise bad("阶梯金额或比例有误", "bad tier amount or percent")
    for sku in p.skus:
        if await uow.products.get_by(sku=sku) is None:
            raise bad(f"未找到产品 {sku}", f"unknown product {sku}")


async def create_promotion(uow: AbstractUnitOfWork, actor: Actor, cmd: CreatePromotion, clock: Clock) -> Promotion:
    async with uow:
        require(actor, Permission.PROMOTION_WRITE)
        code = cmd.code.strip()
        if await uow.promotions.get_by(code=code) is not None:
            raise Conflict(zh=f"促销编码 {code} 已存在", en=f"Promotion code {code} already exists", reason=code)
        promotion = Promotion(
            code=code, name=cmd.name.strip(), kind=cmd.kind, starts_on=cmd.starts_on, ends_on=cmd.ends_on,
            skus=[s.strip() for s in cmd.skus], dealer_tiers=[t.strip() for t in cmd.dealer_tiers],
            percent=money(cmd.percent), buy_qty=cmd.buy_qty, free_qty=cmd.free_qty, tiers=list(cmd.tiers),
            budget=None if cmd.budget is None else money(cmd.budget), active=cmd.active)
        await _validate_promotion(uow, promotion)
        await uow.promotions.add(promotion)
        await record(uow, actor, "promotion.create", "promotion", code, clock,
                     after=snapshot(promotion, PROMOTION_FIELDS))
        await uow.commit()
        return promotion


async def update_promotion(uow: AbstractUnitOfWork, actor: Actor, cmd: UpdatePromotion, clock: Clock) -> Promotion:
    """Change some fields; ``spent`` is never set by hand. No change: nothing written."""
    async with uow:
        require(actor, Permission.PROMOTION_WRITE)
        promotion = await uow.promotions.get_by(code=cmd.code.strip(), for_update=True)
        if promotion is None:
            raise NotFound(zh=f"未找到促销 {cmd.code}", en=f"Promotion {cmd.code} not found", what=cmd.code)
        before = snapshot(promotion, PROMOTION_FIELDS)
        changes: dict[str, Any] = {}
        for name in ("name", "starts_on", "ends_on", "buy_qty", "free_qty", "active"):
            value = getattr(cmd, name)
            if value is not None:
                changes[name] = value
        if cmd.skus is not None:
            changes["skus"] = [s.strip() for s in cmd.skus]
        if cmd.dealer_tiers is not None:
            changes["dealer_tiers"] = [t.strip() for t in cmd.dealer_tiers]
        if cmd.tiers is not None:
            changes["tiers"] = list(cmd.tiers)
        if cmd.percent is not None:
            changes["percent"] = money(cmd.percent)
        if cmd.clear_budget:
            changes["budget"] = None
        elif cmd.budget is not None:
            changes["budget"] = money(cmd.budget)
        candidate = Promotion(**{**{f: getattr(promotion, f) for f in PROMOTION_FIELDS}, **changes})
        await _validate_promotion(uow, candidate)
        after = snapshot(candidate, PROMOTION_FIELDS)
        if after == before:
            return promotion
        for name, value in changes.items():
            setattr(promotion, name, value)
        await record(uow, actor, "promotion.update", "promotion", promotion.code, clock, before=before, after=after)
        await uow.commit()
        return promotion


async def list_promotions(uow: AbstractUnitOfWork, actor: Actor, *, on: date | None = None) -> list[Promotion]:
    """Promotions running on ``on`` (all when None). A dealer sees only those for its tier."""
    async with uow:
        _require_reader(actor)
        filters: dict[str, Any] = {}
        if on is not None:
            filters.update(active=True, starts_on__lte=on, ends_on__gte=on)
        promotions = await uow.promotions.list(order_by="code", **filters)
        if actor.kind == ActorKind.DEALER and actor.dealer_id is not None:
            dealer = await uow.dealers.get(actor.dealer_id)
            tier = dealer.tier if dealer is not None else ""
            promotions = [p for p in promotions if not p.dealer_tiers or tier in p.dealer_tiers]
        return promotions

