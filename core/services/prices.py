"""What a dealer pays: one product's price and the dealer's own price list, for chat, back office and API.

Prices come from the same price book as an order quote (``core.services.orders.load_price_book``,
``core.pricing.unit_price``: the dealer's own price over the tier price over the list price), and the
promotions shown are the ones a quote would try today (``core.pricing.promotion_matches``), less those
whose budget is used up. What a promotion finally grants depends on the order (quantities, amount,
budget left), so a price here is a guide; the quote decides.

Who may read:

- a dealer user: its own dealer only (another dealer's id answers NotFound, as for one that does not exist);
  a product outside the dealer's allowed SKUs answers SkuNotAllowed;
- staff and the system: any dealer with DEALER_READ_ALL; without a dealer, ``catalogue_price`` gives staff
  holding DEALER_READ_ALL or PRICE_WRITE the list price (staff have no dealer price of their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.authz import can_see_dealer
from core.clock import Clock
from core.dealers import Dealer
from core.errors import NotFound, PermissionDenied, SkuNotAllowed
from core.money import ZERO, money
from core.ports import AbstractUnitOfWork
from core.pricing import PriceBook, promotion_matches, remaining_budget, unit_price
from core.products import Product, Promotion, PromotionKind
from core.services.orders import load_price_book
from core.users import Actor, ActorKind, Permission


class PriceSource(StrEnum):
    """Where the dealer's unit price comes from (the same order as ``core.pricing.unit_price``)."""

    DEALER = "dealer"      # a price agreed for this dealer
    TIER = "tier"          # the price list of the dealer's tier
    LIST = "list"          # the list price: no tier or dealer price for this product


@dataclass(frozen=True)
class PromotionOffer:
    """A promotion running today that applies to one product for this dealer."""

    code: str
    name: str
    kind: PromotionKind
    ends_on: date
    percent: Decimal = ZERO                                # PERCENT_OFF
    buy_qty: int = 0                                       # BUY_X_GET_Y
    free_qty: int = 0
    tiers: tuple[tuple[Decimal, Decimal], ...] = ()        # TIERED: (order amount from, percent)

    def price_after(self, price: Decimal) -> Decimal | None:
        """The unit price after a percent-off promotion; None for kinds whose benefit depends on the order."""
        if self.kind != PromotionKind.PERCENT_OFF or self.percent <= ZERO:
            return None
        return money(price * (100 - self.percent) / 100)


@dataclass(frozen=True)
class ProductPrice:
    sku: str
    name: str
    unit: str
    list_price: Decimal
    price: Decimal                  # what this dealer pays per unit before promotions
    source: PriceSource
    tier: str                       # the dealer's tier (the tier price list when ``source`` is TIER)
    moq: int
    pack_size: int
    promotions: tuple[PromotionOffer, ...] = ()


@dataclass(frozen=True)
class PriceSheet:
    """The dealer's price list: every active product it may order, by SKU."""

    dealer_id: int
    dealer_code: str
    dealer_name: str
    tier: str
    as_of: date
    lines: list[ProductPrice]


@dataclass(frozen=True)
class CatalogueListPrice:
    """A product's list price, for staff (no dealer in view)."""

    sku: str
    name: str
    unit: str
    list_price: Decimal
    moq: int


async def product_price(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, sku: str,
                        clock: Clock) -> ProductPrice:
    """One product's price for ``dealer_id`` today, with its promotions."""
    today = clock.today()
    async with uow:
        dealer = await _visible_dealer(uow, actor, dealer_id)
        product = await uow.products.get_by(sku=sku.strip())
        if product is None or not product.active:
            raise NotFound(what=sku)
        book = await load_price_book(uow, dealer, [product.sku], today)
        if book.allowed_skus and product.sku not in book.allowed_skus:
            raise SkuNotAllowed(sku=product.sku)
        return _line(book, product, today)


async def price_sheet(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int, clock: Clock) -> PriceSheet:
    """Every active product ``dealer_id`` may order, with its price and today's promotions."""
    today = clock.today()
    async with uow:
        dealer = await _visible_dealer(uow, actor, dealer_id)
        products = await uow.products.list(order_by="sku", active=True)
        book = await load_price_book(uow, dealer, [p.sku for p in products], today)
        lines = [_line(book, p, today) for p in products if not book.allowed_skus or p.sku in book.allowed_skus]
        assert dealer.id is not None
        return PriceSheet(dealer_id=dealer.id, dealer_code=dealer.code, dealer_name=dealer.name, tier=dealer.tier,
                          as_of=today, lines=lines)


async def catalogue_price(uow: AbstractUnitOfWork, actor: Actor, sku: str) -> CatalogueListPrice:
    """The list price of an active product for staff who deal with prices or dealers."""
    if actor.kind != ActorKind.SYSTEM and not {Permission.DEALER_READ_ALL, Permission.PRICE_WRITE} & actor.permissions:
        raise PermissionDenied()
    async with uow:
        product = await uow.products.get_by(sku=sku.strip())
        if product is None or not product.active:
            raise NotFound(what=sku)
        return CatalogueListPrice(sku=product.sku, name=product.name, unit=product.unit,
                                  list_price=money(product.list_price), moq=product.moq)


# --- internals -------------------------------------------------------------------------------------

async def _visible_dealer(uow: AbstractUnitOfWork, actor: Actor, dealer_id: int) -> Dealer:
    if actor.kind == ActorKind.ANONYMOUS:
        raise PermissionDenied()
    dealer = await uow.dealers.get(dealer_id)
    if dealer is None or not can_see_dealer(actor, dealer_id):
        raise NotFound(zh=f"未找到经销商 {dealer_id}", en=f"Dealer {dealer_id} not found", what=str(dealer_id))
    return dealer


def _source(book: PriceBook, sku: str) -> PriceSource:
    if sku in book.dealer_prices:
        return PriceSource.DEALER
    if sku in book.tier_prices:
        return PriceSource.TIER
    return PriceSource.LIST


def _offer(promotion: Promotion) -> PromotionOffer:
    return PromotionOffer(code=promotion.code, name=promotion.name, kind=promotion.kind, ends_on=promotion.ends_on,
                          percent=promotion.percent, buy_qty=promotion.buy_qty, free_qty=promotion.free_qty,
                          tiers=tuple((t.min_amount, t.percent)
                                      for t in sorted(promotion.tiers, key=lambda t: t.min_amount)))


def _budget_left(promotion: Promotion) -> bool:
    left = remaining_budget(promotion)
    return left is None or left > ZERO


def _line(book: PriceBook, product: Product, today: date) -> ProductPrice:
    offers = tuple(_offer(p) for p in sorted(book.promotions, key=lambda p: p.code)
                   if promotion_matches(p, product.sku, book.dealer.tier, today) and _budget_left(p))
    return ProductPrice(sku=product.sku, name=product.name, unit=product.unit, list_price=money(product.list_price),
                        price=unit_price(book, product), source=_source(book, product.sku), tier=book.dealer.tier,
                        moq=product.moq, pack_size=product.pack_size, promotions=offers)
