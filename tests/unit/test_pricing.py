"""Pricing: price resolution, promotions with budget caps, and the checks shown to the dealer."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.accounts import DeductionRules
from core.ledger import Balances
from core.order_states import CREDIT_SHORTFALL
from core.pricing import (
    DEALER_STATUS,
    FUNDS,
    LINE_LIMIT,
    MOQ,
    PRODUCT_ACTIVE,
    PROMOTION,
    QTY_POSITIVE,
    SKU_ALLOWED,
    SKU_KNOWN,
    STOCK,
    Funds,
    PriceBook,
    price_order,
    unit_price,
)
from core.products import PromotionKind, PromotionTier
from tests.factories import make_dealer, make_product, make_promotion

TODAY = date(2026, 11, 26)
D = Decimal


def _book(**kw: object) -> PriceBook:
    dealer = make_dealer(id=1, tier="B")
    products = {p.sku: p for p in (
        make_product("AP-100", list_price=D("1000.00"), moq=2),
        make_product("AP-200", list_price=D("500.00")),
        make_product("OLD-1", list_price=D("10.00"), active=False),
    )}
    values: dict[str, object] = dict(dealer=dealer, products=products)
    values.update(kw)
    return PriceBook(**values)  # type: ignore[arg-type]


def _check(quote, code: str, sku: str | None = None):  # type: ignore[no-untyped-def]
    return [c for c in quote.checks if c.code == code and (sku is None or c.sku == sku)]


def test_price_resolution_dealer_override_beats_tier_beats_list() -> None:
    book = _book(tier_prices={"AP-100": D("900"), "AP-200": D("450")}, dealer_prices={"AP-100": D("850.5")})
    assert unit_price(book, book.products["AP-100"]) == D("850.50")
    assert unit_price(book, book.products["AP-200"]) == D("450.00")
    assert unit_price(_book(), _book().products["AP-200"]) == D("500.00")


def test_quote_totals_without_promotions() -> None:
    quote = price_order(_book(tier_prices={"AP-100": D("900")}), [("AP-100", 2), ("AP-200", 3)], TODAY)
    assert [(ln.sku, ln.qty, ln.unit_price) for ln in quote.lines] == [
        ("AP-100", 2, D("900.00")), ("AP-200", 3, D("500.00"))]
    assert quote.subtotal == D("3300.00")
    assert quote.discount_total == D("0.00")
    assert quote.total == D("3300.00")
    assert quote.can_submit


def test_same_sku_twice_is_merged_and_lookup_is_case_insensitive() -> None:
    quote = price_order(_book(), [("ap-200", 1), ("AP-200", 4)], TODAY)
    assert [(ln.sku, ln.qty) for ln in quote.lines] == [("AP-200", 5)]


def test_unknown_sku_is_a_failed_check_not_an_exception() -> None:
    quote = price_order(_book(), [("XX-999", 1), ("AP-200", 1)], TODAY)
    assert quote.unknown_skus == ["XX-999"]
    failed = _check(quote, SKU_KNOWN)[0]
    assert not failed.ok and failed.blocking and "XX-999" in failed.zh
    assert not quote.can_submit
    assert [ln.sku for ln in quote.lines] == ["AP-200"]


def test_moq_inactive_and_allowed_skus() -> None:
    book = _book(allowed_skus=frozenset({"AP-100", "OLD-1"}))
    quote = price_order(book, [("AP-100", 1), ("AP-200", 5), ("OLD-1", 3)], TODAY)
    moq = _check(quote, MOQ, "AP-100")[0]
    assert not moq.ok and "起订量为 2" in moq.zh
    assert not _check(quote, SKU_ALLOWED, "AP-200")[0].ok
    assert _check(quote, SKU_ALLOWED, "AP-100")[0].ok
    assert not _check(quote, PRODUCT_ACTIVE, "OLD-1")[0].ok
    assert {c.code for c in quote.blocking_failures} == {MOQ, SKU_ALLOWED, PRODUCT_ACTIVE}


def test_blocked_dealer_fails_the_dealer_check() -> None:
    quote = price_order(_book(), [("AP-200", 1)], TODAY, block_reason=("账户已暂停", "the account is suspended"))
    check = _check(quote, DEALER_STATUS)[0]
    assert not check.ok and "账户已暂停" in check.zh and "suspended" in check.en
    assert not quote.can_submit


def test_percent_off_promotion() -> None:
    promo = make_promotion("P10", PromotionKind.PERCENT_OFF, percent=D("10"), skus=["AP-100"])
    quote = price_order(_book(promotions=[promo]), [("AP-100", 3), ("AP-200", 1)], TODAY)
    assert quote.lines[0].discount == D("300.00") and quote.lines[0].promotion_code == "P10"
    assert quote.lines[1].discount == D("0.00") and quote.lines[1].promotion_code is None
    assert quote.total == D("3200.00")
    assert [(p.code, p.discount) for p in quote.promotions] == [("P10", D("300.00"))]
    assert _check(quote, PROMOTION)[0].ok


def test_promotion_outside_dates_inactive_or_other_tier_does_not_apply() -> None:
    promos = [
        make_promotion("EXPIRED", percent=D("10"), ends_on=date(2026, 11, 25)),
        make_promotion("OFF", percent=D("10"), active=False),
        make_promotion("TIER_A", percent=D("10"), dealer_tiers=["A"]),
    ]
    quote = price_order(_book(promotions=promos), [("AP-200", 1)], TODAY)
    assert quote.promotions == [] and quote.total == D("500.00")
    tier_b = make_promotion("TIER_B", percent=D("10"), dealer_tiers=["B"])
    assert price_order(_book(promotions=[tier_b]), [("AP-200", 1)], TODAY).total == D("450.00")


def test_buy_x_get_y_adds_free_units_without_charge() -> None:
    promo = make_promotion("B5G1", PromotionKind.BUY_X_GET_Y, buy_qty=5, free_qty=1, skus=["AP-200"])
    quote = price_order(_book(promotions=[promo]), [("AP-200", 11)], TODAY)
    line = quote.lines[0]
    assert (line.qty, line.free_qty, line.discount) == (11, 2, D("0.00"))
    assert quote.total == D("5500.00")
    assert quote.promotions[0].discount == D("1000.00") and quote.promotions[0].free_units == 2


def test_tiered_promotion_uses_highest_tier_reached_by_matching_lines() -> None:
    promo = make_promotion("TIER", PromotionKind.TIERED, skus=["AP-100", "AP-200"], tiers=[
        PromotionTier(D("1000"), D("2")), PromotionTier(D("5000"), D("5")), PromotionTier(D("20000"), D("10"))])
    # 4 x 1000 + 4 x 500 = 6000 -> the 5 % tier on both lines
    quote = price_order(_book(promotions=[promo]), [("AP-100", 4), ("AP-200", 4)], TODAY)
    assert [ln.discount for ln in quote.lines] == [D("200.00"), D("100.00")]
    assert quote.total == D("5700.00")
    # below the first tier: nothing
    assert price_order(_book(promotions=[promo]), [("AP-200", 1)], TODAY).promotions == []


def test_best_promotion_wins_per_line() -> None:
    small = make_promotion("A5", percent=D("5"))
    big = make_promotion("B15", percent=D("15"), skus=["AP-200"])
    quote = price_order(_book(promotions=[small, big]), [("AP-100", 2), ("AP-200", 2)], TODAY)
    assert [ln.promotion_code for ln in quote.lines] == ["A5", "B15"]
    assert [ln.discount for ln in quote.lines] == [D("100.00"), D("150.00")]


def test_budget_caps_percent_off_partially_then_nothing() -> None:
    promo = make_promotion("CAP", percent=D("10"), budget=D("250.00"), spent=D("100.00"))
    quote = price_order(_book(promotions=[promo]), [("AP-100", 2), ("AP-200", 2)], TODAY)
    # remaining 150: first line would get 200, is capped at 150; second line gets nothing
    assert [ln.discount for ln in quote.lines] == [D("150.00"), D("0.00")]
    assert quote.promotions[0].discount == D("150.00") and quote.promotions[0].capped
    assert "预算有限" in _check(quote, PROMOTION)[0].zh


def test_exhausted_budget_falls_back_to_another_promotion() -> None:
    capped = make_promotion("BIG", percent=D("20"), budget=D("100.00"), spent=D("100.00"))
    small = make_promotion("SMALL", percent=D("5"))
    quote = price_order(_book(promotions=[capped, small]), [("AP-200", 2)], TODAY)
    assert quote.lines[0].promotion_code == "SMALL" and quote.lines[0].discount == D("50.00")


def test_budget_caps_free_units_at_unit_price() -> None:
    promo = make_promotion("FREE", PromotionKind.BUY_X_GET_Y, buy_qty=2, free_qty=1, budget=D("1200.00"))
    quote = price_order(_book(promotions=[promo]), [("AP-200", 10)], TODAY)
    # 5 free units worth 2500 wanted; 1200 buys only 2 units at 500
    assert quote.lines[0].free_qty == 2
    assert quote.promotions[0].discount == D("1000.00") and quote.promotions[0].capped


def test_stock_check_is_non_blocking_and_shows_no_count() -> None:
    quote = price_order(_book(), [("AP-100", 4), ("AP-200", 1)], TODAY, stock={"AP-100": 3, "AP-200": 99})
    short = _check(quote, STOCK, "AP-100")[0]
    assert not short.ok and not short.blocking
    assert "3" not in short.zh
    assert _check(quote, STOCK, "AP-200")[0].ok
    assert quote.can_submit


def test_funds_check_with_shortfall_needs_approval() -> None:
    funds = Funds(Balances(prepayment=D("1000"), rebate=D("500")), credit_limit=D("0"), rules=DeductionRules())
    quote = price_order(_book(), [("AP-200", 4)], TODAY, funds=funds)
    assert quote.payment is not None
    # 2000: rebate max 30 % = 600 but only 500 there; prepayment 1000; shortfall 500
    assert (quote.payment.from_rebate, quote.payment.from_prepayment, quote.payment.shortfall) == (
        D("500.00"), D("1000.00"), D("500.00"))
    check = _check(quote, FUNDS)[0]
    assert not check.ok and not check.blocking and "¥500.00" in check.zh
    assert quote.approval_reasons == [CREDIT_SHORTFALL]
    assert quote.can_submit


# --- quantity sanity: what is shown, totalled and stored is the quantity asked for, or nothing ----------


def test_quantity_above_the_line_limit_is_refused_not_clamped() -> None:
    quote = price_order(_book(), [("AP-200", 99_999_999), ("AP-100", 2)], TODAY)
    refused = _check(quote, LINE_LIMIT, "AP-200")[0]
    assert not refused.ok and refused.blocking and (refused.qty, refused.limit) == (99_999_999, 1000)
    assert refused.zh == "AP-200 每单最多 1000台，当前 99999999"
    assert refused.en == "AP-200: at most 1000 per order line, you ordered 99999999"
    assert not quote.can_submit
    # the refused line is neither shown nor totalled at another quantity
    assert [(ln.sku, ln.qty) for ln in quote.lines] == [("AP-100", 2)]
    assert quote.subtotal == quote.total == D("2000.00")


def test_line_limit_boundary_and_the_products_own_value() -> None:
    assert price_order(_book(), [("AP-200", 1000)], TODAY).can_submit
    over = price_order(_book(), [("AP-200", 1001)], TODAY)
    assert not over.can_submit and _check(over, LINE_LIMIT, "AP-200")
    own = _book(products={"AP-200": make_product("AP-200", list_price=D("500.00"), max_line_qty=30)})
    assert price_order(own, [("AP-200", 30)], TODAY).can_submit
    refused = _check(price_order(own, [("AP-200", 31)], TODAY), LINE_LIMIT)[0]
    assert "每单最多 30台" in refused.zh


def test_the_limit_applies_to_the_merged_line() -> None:
    """Named twice, a product is one line: its sum is what is checked and what would be stored."""
    quote = price_order(_book(), [("AP-200", 600), ("ap-200", 600)], TODAY)
    assert quote.lines == [] and _check(quote, LINE_LIMIT)[0].qty == 1200


def test_zero_and_negative_quantities_are_refused_even_inside_a_merged_line() -> None:
    for items in ([("AP-200", 0)], [("AP-200", -5)], [("AP-200", 5), ("AP-200", -3)]):
        quote = price_order(_book(), items, TODAY)
        refused = _check(quote, QTY_POSITIVE, "AP-200")[0]
        assert not refused.ok and refused.blocking and not quote.can_submit, items
        assert quote.lines == [] and quote.total == D("0.00")
    assert "当前 -3" in _check(price_order(_book(), [("AP-200", 5), ("AP-200", -3)], TODAY), QTY_POSITIVE)[0].zh
