"""Products, tier price lists, dealer overrides and allowed SKUs, promotions; how many of a product one
order line may hold (``line_limit``) and what a quantity written in boxes or dozens is in the product's unit
(``to_product_units``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from core.errors import NotWholePacks, ValidationFailed

DEFAULT_LINE_CAP_PACKS = 1000
"""Without its own ``max_line_qty`` a product allows this many packs (``pack_size`` units each) on one line."""

LINE_QTY_CEILING = 99_999
"""No order line ever holds more units than this, whatever the product says (the chat reads at most 5 digits)."""

DOZEN = 12
PACK_UNITS = frozenset({"箱", "整箱", "捆", "扎", "box", "boxes", "carton", "cartons", "ctn", "ctns", "case", "cases",
                        "bundle", "bundles"})
DOZEN_UNITS = frozenset({"打", "dozen", "dozens", "doz"})
PIECE_UNITS = frozenset({"个", "片", "支", "只", "根", "条", "pc", "pcs", "piece", "pieces"})
"""Single pieces: converted into a product sold by the box only when they make whole boxes."""


@dataclass
class Product:
    sku: str
    name: str
    category: str
    unit: str                         # 台 / 箱 / 件 ...
    list_price: Decimal
    aliases: list[str] = field(default_factory=list)
    pack_size: int = 1
    moq: int = 1                      # minimum order quantity
    active: bool = True
    id: int | None = None
    max_line_qty: int | None = None   # most units on one order line; None: see line_limit


def line_limit(product: Product) -> int:
    """The most units of ``product`` one order line may hold.

    The product's own ``max_line_qty`` when set (the admin's "单行上限"), else the default: ``pack_size`` x
    ``DEFAULT_LINE_CAP_PACKS`` (1,000 packs: 1,000 台 of a product sold by the piece, 10,000 of one packed
    10 to a box), raised to the MOQ when that is higher so a line of the MOQ is always possible; never more
    than ``LINE_QTY_CEILING`` (99,999). A line above it is refused, never cut down.
    """
    if product.max_line_qty is not None:
        limit = product.max_line_qty
    else:
        limit = max(max(product.pack_size, 1) * DEFAULT_LINE_CAP_PACKS, product.moq)
    return max(min(limit, LINE_QTY_CEILING), 1)


def check_line_quantities(moq: int, max_line_qty: int | None, *, sku: str = "") -> None:
    """Refuse (ValidationFailed) a product whose quantities leave nothing to order: an MOQ outside 1 to
    ``LINE_QTY_CEILING``, or an own per-line maximum outside the MOQ to ``LINE_QTY_CEILING`` (None: the default)."""
    label = f"{sku}: " if sku else ""
    if not _whole(moq) or not 1 <= moq <= LINE_QTY_CEILING:
        raise ValidationFailed(zh=f"{label}起订量须为 1 到 {LINE_QTY_CEILING} 之间的整数：{moq}",
                               en=f"{label}the MOQ must be a whole number from 1 to {LINE_QTY_CEILING}: {moq}",
                               reason="moq")
    if max_line_qty is None:
        return
    if not _whole(max_line_qty) or not moq <= max_line_qty <= LINE_QTY_CEILING:
        raise ValidationFailed(
            zh=f"{label}单行上限须为 {moq} 到 {LINE_QTY_CEILING} 之间的整数（不低于起订量），或留空使用默认值：{max_line_qty}",
            en=f"{label}the per-line maximum must be a whole number from {moq} to {LINE_QTY_CEILING} "
               f"(not below the MOQ), or empty for the default: {max_line_qty}",
            reason="max_line_qty")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _unit_key(unit: str | None) -> str:
    return (unit or "").strip().casefold()


def to_product_units(product: Product, qty: int, unit_written: str | None) -> int:
    """``qty`` written in ``unit_written`` as a number of ``product.unit``; refused when it makes no whole number.

    - nothing, the product's own unit, or any other word (个 for a 台 product): ``qty`` as it is;
    - a box (``PACK_UNITS``: 箱, box, carton, ctn...) of a product sold by the piece: ``qty x pack_size``
      (``pack_size`` 1: one piece a box); of a product sold by the box: ``qty``;
    - a dozen (打, dozen): 12 pieces, so ``qty x 12`` for a product sold by the piece;
    - pieces (``PIECE_UNITS``) or dozens of a product sold by the box with ``pack_size`` > 1: whole boxes
      only (20 片 of a 10-a-box product -> 2), else NotWholePacks (25 片 is not a whole number of boxes).

    Only converts: whether the result may be ordered (at least 1, at most ``line_limit``) is the quote's check.
    """
    written = _unit_key(unit_written)
    own = _unit_key(product.unit)
    pack = max(product.pack_size, 1)
    sold_by_box = own in PACK_UNITS
    if not written or written == own:
        return qty
    if written in PACK_UNITS:
        return qty if sold_by_box else qty * pack
    if written in DOZEN_UNITS:
        pieces = qty * DOZEN
    elif written in PIECE_UNITS:
        pieces = qty
    else:
        return qty
    if not sold_by_box:
        return pieces
    if pieces % pack:
        raise NotWholePacks(name=product.name, unit=product.unit, pack_size=pack, written=f"{qty}{unit_written}")
    return pieces // pack


@dataclass(frozen=True)
class PriceLists:
    """One dealer's price lists for some SKUs: its tier's prices, its own overrides, and the SKUs it may order
    (empty: every SKU). Read together (``AbstractUnitOfWork.price_lists``: one statement in storage)."""

    tier: Mapping[str, Decimal]
    own: Mapping[str, Decimal]
    allowed: frozenset[str]


@dataclass
class TierPrice:
    """Price of one SKU for one dealer tier (the tier price list)."""

    tier: str
    sku: str
    price: Decimal
    id: int | None = None


@dataclass
class DealerPrice:
    """Per-dealer override; wins over the tier price."""

    dealer_id: int
    sku: str
    price: Decimal
    id: int | None = None


@dataclass
class DealerAllowedSku:
    """When a dealer has any of these rows, it may buy only those SKUs."""

    dealer_id: int
    sku: str
    id: int | None = None


class PromotionKind(StrEnum):
    PERCENT_OFF = "percent_off"       # percent off matching lines
    BUY_X_GET_Y = "buy_x_get_y"       # for every buy_qty of a SKU, free_qty free
    TIERED = "tiered"                 # percent off the order by amount of matching lines


@dataclass
class PromotionTier:
    min_amount: Decimal
    percent: Decimal                  # 5 means 5 %


@dataclass
class Promotion:
    code: str
    name: str
    kind: PromotionKind
    starts_on: date
    ends_on: date
    skus: list[str] = field(default_factory=list)          # empty: all SKUs
    dealer_tiers: list[str] = field(default_factory=list)  # empty: all tiers
    percent: Decimal = Decimal("0")
    buy_qty: int = 0
    free_qty: int = 0
    tiers: list[PromotionTier] = field(default_factory=list)
    budget: Decimal | None = None     # cap on the total discount granted; None: no cap
    spent: Decimal = Decimal("0.00")
    active: bool = True
    id: int | None = None


@dataclass(frozen=True)
class PricingInputs:
    """What pricing reads for one dealer and some SKUs: the products found, the dealer's price lists and the
    promotions running on a day (``AbstractUnitOfWork.price_inputs``; storage keeps them per process while
    nothing of them changes)."""

    products: Mapping[str, Product]
    lists: PriceLists
    promotions: Sequence[Promotion]
