"""Pricing an order for a dealer: unit prices, promotions with budgets, and the checks shown to the dealer.

Unit price for a dealer and SKU: the dealer's own price (DealerPrice) wins over the tier price list
(TierPrice for ``dealer.tier``), which wins over ``product.list_price``.

Promotions are matched automatically (active, today within starts_on..ends_on, SKU and dealer tier
match; empty lists match everything). Each line gets at most one promotion: the one worth most to
the dealer, after budget caps. Lines are taken in order; a promotion's remaining budget
(``budget - spent``) shrinks as lines use it, so a later line may fall back to another promotion.

- PERCENT_OFF: ``percent`` off the line amount.
- BUY_X_GET_Y: every ``buy_qty`` units bring ``free_qty`` free units (``OrderLine.free_qty``, not
  charged); their value at the unit price counts against the budget.
- TIERED: percent off matching lines, the percent of the highest tier whose ``min_amount`` the
  order's matching lines reach together.

``Quote.discount_total`` is money off charged lines; free units are not in it (they are not in the
subtotal either). ``AppliedPromotion.discount`` is the value granted, free units included: that is
what ``Promotion.spent`` grows by.

Nothing here raises for a dealer's mistake: an unknown SKU, a quantity below the MOQ etc. become
failed ``CheckResult`` rows so the chat can explain and suggest. ``blocking`` failures stop a
submission; non-blocking ones (stock short, funds short) only change what happens next.

Quantities are never adjusted: a line below 1 (or with any part below 1 when a SKU is named twice) or
above ``core.products.line_limit`` is a blocking ``QTY_POSITIVE`` / ``LINE_LIMIT`` failure and is left
out of ``lines`` and every total, so what is shown, totalled and stored is always the quantity asked for.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from core.accounts import DeductionRules
from core.dealers import Dealer
from core.ledger import Balances, PaymentPlan, plan_payment
from core.money import ZERO, fmt_cny, money
from core.order_states import CREDIT_SHORTFALL
from core.orders import OrderLine
from core.products import Product, Promotion, PromotionKind, line_limit


@dataclass(frozen=True)
class CheckResult:
    """One check shown to the dealer. ``code`` names the rule (stable, for APIs and error mapping)."""

    ok: bool
    code: str
    zh: str
    en: str
    sku: str | None = None
    blocking: bool = True        # a failed blocking check refuses the submission
    qty: int | None = None       # quantity checks: the quantity asked for ...
    limit: int | None = None     # ... and the most one line may hold (core.products.line_limit)

    def message(self, lang: str = "zh") -> str:
        return self.en if lang.lower().startswith("en") else self.zh


# check codes
DEALER_STATUS = "dealer_status"
SKU_KNOWN = "sku_known"
PRODUCT_ACTIVE = "product_active"
SKU_ALLOWED = "sku_allowed"
QTY_POSITIVE = "qty_positive"
LINE_LIMIT = "line_limit"
MOQ = "moq"
STOCK = "stock"
FUNDS = "funds"
PROMOTION = "promotion"


@dataclass(frozen=True)
class AppliedPromotion:
    code: str
    name: str
    discount: Decimal            # value granted: money off + free units at unit price
    free_units: int = 0
    capped: bool = False         # the budget allowed less than the full benefit


@dataclass(frozen=True)
class PriceBook:
    """What pricing needs to know about one dealer; the use case loads it."""

    dealer: Dealer
    products: Mapping[str, Product]                  # by SKU
    tier_prices: Mapping[str, Decimal] = field(default_factory=dict)    # SKU -> price for dealer.tier
    dealer_prices: Mapping[str, Decimal] = field(default_factory=dict)  # SKU -> override
    allowed_skus: frozenset[str] = frozenset()       # empty: every SKU
    promotions: Sequence[Promotion] = ()


@dataclass(frozen=True)
class Funds:
    balances: Balances
    credit_limit: Decimal
    rules: DeductionRules = DeductionRules()


@dataclass
class Quote:
    dealer_id: int
    lines: list[OrderLine]
    subtotal: Decimal
    discount_total: Decimal
    total: Decimal
    promotions: list[AppliedPromotion] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    payment: PaymentPlan | None = None
    #: SKU -> unit (台, 箱) of the products priced, for showing the lines without reading the products again
    units: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.ok]

    @property
    def blocking_failures(self) -> list[CheckResult]:
        return [c for c in self.checks if not c.ok and c.blocking]

    @property
    def can_submit(self) -> bool:
        return bool(self.lines) and not self.blocking_failures

    @property
    def approval_reasons(self) -> list[str]:
        if self.payment is not None and self.payment.shortfall > ZERO:
            return [CREDIT_SHORTFALL]
        return []

    @property
    def unknown_skus(self) -> list[str]:
        return [c.sku for c in self.checks if c.code == SKU_KNOWN and not c.ok and c.sku is not None]


def unit_price(book: PriceBook, product: Product) -> Decimal:
    """Dealer override > tier price > list price."""
    if product.sku in book.dealer_prices:
        return money(book.dealer_prices[product.sku])
    if product.sku in book.tier_prices:
        return money(book.tier_prices[product.sku])
    return money(product.list_price)


def promotion_matches(promotion: Promotion, sku: str, tier: str, today: date) -> bool:
    return (promotion.active and promotion.starts_on <= today <= promotion.ends_on
            and (not promotion.skus or sku in promotion.skus)
            and (not promotion.dealer_tiers or tier in promotion.dealer_tiers))


def tier_percent(promotion: Promotion, matched_amount: Decimal) -> Decimal:
    """Percent of the highest tier reached by ``matched_amount``; 0 when none."""
    reached = [t for t in promotion.tiers if matched_amount >= t.min_amount]
    return max(reached, key=lambda t: t.min_amount).percent if reached else Decimal("0")


def remaining_budget(promotion: Promotion) -> Decimal | None:
    if promotion.budget is None:
        return None
    return max(money(promotion.budget - promotion.spent), ZERO)


@dataclass(frozen=True)
class _Benefit:
    promotion: Promotion
    discount: Decimal      # money off the line
    free_units: int
    value: Decimal         # discount + free units at unit price
    capped: bool


def _benefit(promotion: Promotion, line: OrderLine, matched_amount: Decimal,
             remaining: Decimal | None) -> _Benefit | None:
    gross = money(line.unit_price * line.qty)
    if promotion.kind == PromotionKind.BUY_X_GET_Y:
        if promotion.buy_qty <= 0 or promotion.free_qty <= 0 or line.unit_price <= ZERO:
            return None
        full = (line.qty // promotion.buy_qty) * promotion.free_qty
        free = full if remaining is None else min(full, int(remaining // line.unit_price))
        if free <= 0:
            return None
        return _Benefit(promotion, ZERO, free, money(free * line.unit_price), free < full)
    if promotion.kind == PromotionKind.PERCENT_OFF:
        percent = promotion.percent
    else:
        percent = tier_percent(promotion, matched_amount)
    full_discount = min(money(gross * percent / 100), gross)
    discount = full_discount if remaining is None else min(full_discount, remaining)
    if discount <= ZERO:
        return None
    return _Benefit(promotion, discount, 0, discount, discount < full_discount)


def apply_promotions(lines: list[OrderLine], promotions: Sequence[Promotion], tier: str,
                     today: date) -> list[AppliedPromotion]:
    """Set discount / free_qty / promotion_code on ``lines``; return what each promotion granted."""
    candidates = sorted((p for p in promotions if p.active), key=lambda p: p.code)
    matched_amount: dict[str, Decimal] = {
        p.code: money(sum((ln.unit_price * ln.qty for ln in lines
                           if promotion_matches(p, ln.sku, tier, today)), ZERO))
        for p in candidates}
    remaining: dict[str, Decimal | None] = {p.code: remaining_budget(p) for p in candidates}
    granted: dict[str, AppliedPromotion] = {}
    for line in lines:
        best: _Benefit | None = None
        for promotion in candidates:
            if not promotion_matches(promotion, line.sku, tier, today):
                continue
            benefit = _benefit(promotion, line, matched_amount[promotion.code], remaining[promotion.code])
            if benefit is not None and (best is None or benefit.value > best.value):
                best = benefit
        if best is None:
            continue
        code = best.promotion.code
        line.discount = best.discount
        line.free_qty = best.free_units
        line.promotion_code = code
        left = remaining[code]
        if left is not None:
            remaining[code] = money(left - best.value)
        before = granted.get(code)
        granted[code] = AppliedPromotion(
            code=code, name=best.promotion.name,
            discount=money((before.discount if before else ZERO) + best.value),
            free_units=(before.free_units if before else 0) + best.free_units,
            capped=(before.capped if before else False) or best.capped)
    return list(granted.values())


def _find(book: PriceBook, sku: str) -> Product | None:
    if sku in book.products:
        return book.products[sku]
    folded = sku.casefold()
    return next((p for s, p in book.products.items() if s.casefold() == folded), None)


def _resolve(book: PriceBook,
             items: Sequence[tuple[str, int]]) -> dict[str, tuple[Product | None, int, int]]:
    """Find each SKU; the same product named twice in one message becomes one line, quantities added.

    Also the smallest quantity named for it: ``AP300 x5`` and ``AP300 x-3`` is a refused -3, not a line of 2.
    """
    resolved: dict[str, tuple[Product | None, int, int]] = {}
    for raw_sku, qty in items:
        product = _find(book, raw_sku.strip())
        key = product.sku if product is not None else raw_sku.strip()
        _, previous, smallest = resolved.get(key, (product, 0, qty))
        resolved[key] = (product, previous + qty, min(smallest, qty))
    return resolved


def _funds_parts(payment: PaymentPlan, lang: str) -> str:
    """Which accounts the available part comes from ("（预存款 ¥5,000.00，信用 ¥3,000.00）"); empty when nothing is."""
    parts = (("返利", "rebate", payment.from_rebate), ("预存款", "prepayment", payment.from_prepayment),
             ("信用", "credit", payment.from_credit))
    if lang == "zh":
        said = [f"{zh} {fmt_cny(v)}" for zh, _, v in parts if v > ZERO]
        return f"（{'，'.join(said)}）" if said else ""
    said = [f"{en} {fmt_cny(v)}" for _, en, v in parts if v > ZERO]
    return f" ({', '.join(said)})" if said else ""


def price_order(book: PriceBook, items: Sequence[tuple[str, int]], today: date, *,
                stock: Mapping[str, int] | None = None, funds: Funds | None = None,
                block_reason: tuple[str, str] | None = None) -> Quote:
    """Price ``items`` (SKU, quantity) for ``book.dealer`` and run every check.

    ``stock``: available units per SKU (None: not checked). ``funds``: the dealer's balances (None:
    not checked). ``block_reason``: ``core.onboarding.ordering_block_reason`` for the dealer.
    """
    dealer = book.dealer
    checks: list[CheckResult] = []
    if block_reason is None:
        checks.append(CheckResult(True, DEALER_STATUS, "经销商状态正常，可以下单", "The dealer may order"))
    else:
        checks.append(CheckResult(False, DEALER_STATUS, f"暂不能下单：{block_reason[0]}",
                                  f"Ordering is blocked: {block_reason[1]}"))

    lines: list[OrderLine] = []
    for raw_sku, (product, qty, smallest) in _resolve(book, items).items():
        if product is None:
            checks.append(CheckResult(False, SKU_KNOWN, f"未找到产品 {raw_sku}", f"Unknown product {raw_sku}",
                                      sku=raw_sku))
            continue
        sku = product.sku
        if not product.active:
            checks.append(CheckResult(False, PRODUCT_ACTIVE, f"{product.name}（{sku}）已停售",
                                      f"{product.name} ({sku}) is discontinued", sku=sku))
            continue
        if book.allowed_skus and sku not in book.allowed_skus:
            checks.append(CheckResult(False, SKU_ALLOWED, f"您的经销协议不包含 {product.name}（{sku}）",
                                      f"{product.name} ({sku}) is not in your dealer agreement", sku=sku))
            continue
        if book.allowed_skus:
            checks.append(CheckResult(True, SKU_ALLOWED, f"{sku} 在经销协议范围内",
                                      f"{sku} is in your dealer agreement", sku=sku))
        limit = line_limit(product)
        if smallest < 1:
            checks.append(CheckResult(False, QTY_POSITIVE, f"{sku} 数量必须大于 0，当前 {smallest}",
                                      f"{sku}: the quantity must be above 0, you ordered {smallest}",
                                      sku=sku, qty=smallest, limit=limit))
            continue
        if qty > limit:
            checks.append(CheckResult(False, LINE_LIMIT, f"{sku} 每单最多 {limit}{product.unit}，当前 {qty}",
                                      f"{sku}: at most {limit} per order line, you ordered {qty}",
                                      sku=sku, qty=qty, limit=limit))
            continue
        if qty < product.moq:
            checks.append(CheckResult(False, MOQ, f"{sku} 起订量为 {product.moq}{product.unit}，当前 {qty}",
                                      f"{sku}: minimum order is {product.moq}, you ordered {qty}", sku=sku))
        else:
            checks.append(CheckResult(True, MOQ, f"{sku} 满足起订量 {product.moq}",
                                      f"{sku} meets the minimum order of {product.moq}", sku=sku))
        lines.append(OrderLine(sku=sku, name=product.name, qty=qty, unit_price=unit_price(book, product)))

    applied = apply_promotions(lines, book.promotions, dealer.tier, today)
    for promo in applied:
        extra_zh = "（预算有限，部分享受）" if promo.capped else ""
        extra_en = " (limited by the budget)" if promo.capped else ""
        # free units are said as what they are worth, not as money off: they are in no discount total
        if promo.free_units:
            zh = f"赠送 {promo.free_units} 件，价值 {fmt_cny(promo.discount)}"
            en = f"{promo.free_units} free units worth {fmt_cny(promo.discount)}"
        else:
            zh, en = f"优惠 {fmt_cny(promo.discount)}", f"{fmt_cny(promo.discount)} off"
        checks.append(CheckResult(True, PROMOTION, f"已享受促销“{promo.name}”：{zh}{extra_zh}",
                                  f"Promotion '{promo.name}' applied: {en}{extra_en}"))

    if stock is not None:
        for line in lines:
            need = line.qty + line.free_qty
            if stock.get(line.sku, 0) >= need:
                checks.append(CheckResult(True, STOCK, f"{line.sku} 库存充足", f"{line.sku} is in stock",
                                          sku=line.sku))
            else:
                # no exact count here: dealers see only coarse availability
                checks.append(CheckResult(False, STOCK, f"{line.sku} 库存紧张，审核后可能需要排产",
                                          f"{line.sku} is short in stock; it may need production after approval",
                                          sku=line.sku, blocking=False))

    subtotal = money(sum((ln.unit_price * ln.qty for ln in lines), ZERO))
    discount_total = money(sum((ln.discount for ln in lines), ZERO))
    total = money(sum((ln.amount for ln in lines), ZERO))

    payment = None
    if funds is not None:
        payment = plan_payment(total, funds.balances, funds.credit_limit, funds.rules)
        if payment.covered:
            checks.append(CheckResult(True, FUNDS, f"可用额度充足（返利 {fmt_cny(payment.from_rebate)}，预存款 "
                                      f"{fmt_cny(payment.from_prepayment)}，信用 {fmt_cny(payment.from_credit)}）",
                                      f"Funds available (rebate {fmt_cny(payment.from_rebate)}, prepayment "
                                      f"{fmt_cny(payment.from_prepayment)}, credit {fmt_cny(payment.from_credit)})"))
        else:
            checks.append(CheckResult(False, FUNDS, f"可用额度 {fmt_cny(payment.charged)}{_funds_parts(payment, 'zh')}"
                                      f"，本单差 {fmt_cny(payment.shortfall)}；可先打款或等待审批",
                                      f"available funds {fmt_cny(payment.charged)}{_funds_parts(payment, 'en')}; "
                                      f"this order is {fmt_cny(payment.shortfall)} short: pay first or wait "
                                      "for approval", blocking=False))

    return Quote(dealer_id=dealer.id or 0, lines=lines, subtotal=subtotal, discount_total=discount_total,
                 total=total, promotions=applied, checks=checks, payment=payment,
                 units={sku: p.unit for sku, p in book.products.items()})
