"""Catalogue use cases: idempotent product upserts, prices, allowed SKUs, promotions, price lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from core.products import PromotionKind, PromotionTier
from core.services import catalogue as svc
from core.services.catalogue import (
    CreatePromotion,
    SetAllowedSkus,
    SetDealerPrice,
    SetTierPrice,
    UpdatePromotion,
    UpsertProduct,
)
from core.users import Actor, Role
from tests.factories import api_key_actor, dealer_user, fixed_clock, make_dealer, staff
from tests.fakes import FakeUnitOfWork

D = Decimal
CLOCK = fixed_clock("2026-11-26 10:00")
ADMIN = staff(Role.ADMIN, "admin")
CHANNEL = staff(Role.CHANNEL_MANAGER, "sun")
MARKETING = staff(Role.MARKETING, "ma")
DESK = staff(Role.ORDER_DESK, "desk")
OWNER_1 = dealer_user(1, Role.DEALER_OWNER, "li")
OWNER_2 = dealer_user(2, Role.DEALER_OWNER, "zhao")

ROWS = [
    UpsertProduct("AP-100", "空气净化器 100", "净化器", "台", "1000", aliases=("小白",), moq=2),
    UpsertProduct("AP-200", "空气净化器 200", "净化器", "台", "500.00"),
    UpsertProduct("FL-1", "滤网", "配件", "片", "59.9", pack_size=10),
]


@pytest.fixture
async def uow() -> FakeUnitOfWork:
    uow = FakeUnitOfWork()
    await uow.dealers.add(make_dealer(code="D0001", tier="B"))
    await uow.dealers.add(make_dealer(code="D0002", tier="A"))
    await uow.commit()
    uow.commits = 0
    return uow


async def _import(uow: FakeUnitOfWork) -> None:
    await svc.upsert_products(uow, ADMIN, ROWS, CLOCK)


async def test_import_then_reimport_changes_nothing(uow: FakeUnitOfWork) -> None:
    first = await svc.upsert_products(uow, ADMIN, ROWS, CLOCK)
    assert (first.created, first.updated, first.unchanged) == (["AP-100", "AP-200", "FL-1"], [], [])
    assert uow.commits == 1 and len(uow.audit.rows) == 3
    again = await svc.upsert_products(uow, ADMIN, ROWS, CLOCK)
    assert (again.created, again.updated, again.unchanged) == ([], [], ["AP-100", "AP-200", "FL-1"])
    assert uow.commits == 1 and len(uow.audit.rows) == 3
    fl = await uow.products.get_by(sku="FL-1")
    assert fl is not None and fl.list_price == D("59.90") and fl.pack_size == 10


async def test_upsert_updates_changed_fields_with_audit(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    product = await svc.upsert_product(uow, ADMIN, UpsertProduct("AP-200", "空气净化器 200", "净化器", "台", "480"),
                                       CLOCK)
    assert product.list_price == D("480.00")
    audit = (await uow.audit.list(action="product.update"))[0]
    assert (audit.before["list_price"], audit.after["list_price"]) == ("500.00", "480.00")
    # same data again: no commit
    commits = uow.commits
    await svc.upsert_product(uow, ADMIN, UpsertProduct("AP-200", "空气净化器 200", "净化器", "台", "480.00"), CLOCK)
    assert uow.commits == commits


async def test_import_is_all_or_nothing_and_checked(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed):
        await svc.upsert_products(uow, ADMIN, [*ROWS, UpsertProduct("BAD", "坏", "x", "台", "-1")], CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.upsert_products(uow, ADMIN, [ROWS[0], ROWS[0]], CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.upsert_product(uow, ADMIN, UpsertProduct("X", "x", "x", "台", "1", moq=0), CLOCK)
    assert uow.products.rows == [] and uow.commits == 0
    with pytest.raises(PermissionDenied):
        await svc.upsert_products(uow, DESK, ROWS, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.upsert_products(uow, api_key_actor(scopes=("products:read",)), ROWS, CLOCK)
    summary = await svc.upsert_products(uow, api_key_actor(scopes=("products:write",)), ROWS, CLOCK)
    assert len(summary.created) == 3


async def test_upsert_sets_and_checks_max_line_qty(uow: FakeUnitOfWork) -> None:
    product = await svc.upsert_product(uow, ADMIN, UpsertProduct("AP-100", "空气净化器 100", "净化器", "台", "1000",
                                                                 max_line_qty=200), CLOCK)
    assert product.max_line_qty == 200
    audit = (await uow.audit.list(action="product.create"))[0]
    assert audit.after["max_line_qty"] == 200
    for bad in (0, 100_000):
        with pytest.raises(ValidationFailed):
            await svc.upsert_product(uow, ADMIN, UpsertProduct("AP-100", "空气净化器 100", "净化器", "台", "1000",
                                                               max_line_qty=bad), CLOCK)
    with pytest.raises(ValidationFailed, match="MOQ"):
        await svc.upsert_product(uow, ADMIN, UpsertProduct("AP-100", "空气净化器 100", "净化器", "台", "1000",
                                                           moq=10, max_line_qty=5), CLOCK)
    stored = await uow.products.get_by(sku="AP-100")
    assert stored is not None and stored.max_line_qty == 200


async def test_prices_and_price_list(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    await svc.set_tier_price(uow, CHANNEL, SetTierPrice("B", "AP-100", "900"), CLOCK)
    await svc.set_dealer_price(uow, CHANNEL, SetDealerPrice(1, "AP-200", "450"), CLOCK)
    items = {i.sku: i.price for i in await svc.price_list(uow, OWNER_1, 1)}
    assert items == {"AP-100": D("900.00"), "AP-200": D("450.00"), "FL-1": D("59.90")}
    items_2 = {i.sku: i.price for i in await svc.price_list(uow, DESK, 2)}
    assert items_2["AP-100"] == D("1000.00") and items_2["AP-200"] == D("500.00")
    with pytest.raises(NotFound):
        await svc.price_list(uow, OWNER_2, 1)
    # unchanged price: no write; removal: back to the tier / list price
    commits = uow.commits
    await svc.set_tier_price(uow, CHANNEL, SetTierPrice("B", "AP-100", "900.00"), CLOCK)
    assert uow.commits == commits
    await svc.set_dealer_price(uow, CHANNEL, SetDealerPrice(1, "AP-200", None), CLOCK)
    assert {i.sku: i.price for i in await svc.price_list(uow, OWNER_1, 1)}["AP-200"] == D("500.00")
    actions = [a.action for a in await uow.audit.list() if a.action.startswith("price.")]
    assert actions == ["price.tier_set", "price.dealer_set", "price.dealer_delete"]


async def test_price_rules(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    with pytest.raises(PermissionDenied):
        await svc.set_tier_price(uow, DESK, SetTierPrice("B", "AP-100", "900"), CLOCK)
    with pytest.raises(NotFound):
        await svc.set_tier_price(uow, CHANNEL, SetTierPrice("B", "NOPE", "900"), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.set_dealer_price(uow, CHANNEL, SetDealerPrice(1, "AP-100", "-1"), CLOCK)
    with pytest.raises(NotFound):
        await svc.set_dealer_price(uow, CHANNEL, SetDealerPrice(99, "AP-100", "1"), CLOCK)


async def test_allowed_skus_limit_what_a_dealer_sees(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    assert await svc.set_allowed_skus(uow, CHANNEL, SetAllowedSkus(1, ["AP-100", "FL-1"]), CLOCK) == ["AP-100", "FL-1"]
    assert [p.sku for p in await svc.list_products(uow, OWNER_1)] == ["AP-100", "FL-1"]
    assert [p.sku for p in await svc.list_products(uow, OWNER_2)] == ["AP-100", "AP-200", "FL-1"]
    assert [i.sku for i in await svc.price_list(uow, OWNER_1, 1)] == ["AP-100", "FL-1"]
    commits = uow.commits
    await svc.set_allowed_skus(uow, CHANNEL, SetAllowedSkus(1, ["FL-1", "AP-100"]), CLOCK)
    assert uow.commits == commits
    await svc.set_allowed_skus(uow, CHANNEL, SetAllowedSkus(1, []), CLOCK)
    assert len(await svc.list_products(uow, OWNER_1)) == 3
    with pytest.raises(NotFound):
        await svc.set_allowed_skus(uow, CHANNEL, SetAllowedSkus(1, ["NOPE"]), CLOCK)


async def test_list_products_search_and_inactive(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    await svc.upsert_product(uow, ADMIN, UpsertProduct("OLD", "旧款", "净化器", "台", "1", active=False), CLOCK)
    assert [p.sku for p in await svc.list_products(uow, OWNER_1, query="小白")] == ["AP-100"]
    assert [p.sku for p in await svc.list_products(uow, OWNER_1, category="配件")] == ["FL-1"]
    assert "OLD" not in [p.sku for p in await svc.list_products(uow, OWNER_1, include_inactive=True)]
    assert "OLD" in [p.sku for p in await svc.list_products(uow, ADMIN, include_inactive=True)]
    with pytest.raises(PermissionDenied):
        await svc.list_products(uow, Actor.anonymous())


def _promo(**kw: object) -> CreatePromotion:
    values: dict[str, object] = dict(code="DOUBLE12", name="双十二", kind=PromotionKind.PERCENT_OFF,
                                     starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 12), percent="8",
                                     skus=("AP-100",), budget="10000")
    values.update(kw)
    return CreatePromotion(**values)  # type: ignore[arg-type]


async def test_create_and_update_promotions(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    promo = await svc.create_promotion(uow, MARKETING, _promo(), CLOCK)
    assert (promo.percent, promo.budget, promo.spent) == (D("8.00"), D("10000.00"), D("0.00"))
    with pytest.raises(Conflict):
        await svc.create_promotion(uow, MARKETING, _promo(), CLOCK)
    updated = await svc.update_promotion(uow, MARKETING, UpdatePromotion("DOUBLE12", percent="10", clear_budget=True),
                                         CLOCK)
    assert (updated.percent, updated.budget) == (D("10.00"), None)
    commits = uow.commits
    await svc.update_promotion(uow, MARKETING, UpdatePromotion("DOUBLE12", percent="10"), CLOCK)
    assert uow.commits == commits
    assert [a.action for a in await uow.audit.list() if a.entity == "promotion"] == [
        "promotion.create", "promotion.update"]
    with pytest.raises(NotFound):
        await svc.update_promotion(uow, MARKETING, UpdatePromotion("NOPE", percent="10"), CLOCK)


async def test_promotion_validation_and_permission(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    bad = [
        _promo(ends_on=date(2026, 11, 1)),
        _promo(percent="0"),
        _promo(percent="120"),
        _promo(kind=PromotionKind.BUY_X_GET_Y, buy_qty=0, free_qty=1),
        _promo(kind=PromotionKind.TIERED),
        _promo(kind=PromotionKind.TIERED, tiers=(PromotionTier(D("1000"), D("0")),)),
        _promo(skus=("NOPE",)),
        _promo(budget="-1"),
    ]
    for cmd in bad:
        with pytest.raises(ValidationFailed):
            await svc.create_promotion(uow, MARKETING, cmd, CLOCK)
    with pytest.raises(PermissionDenied):
        await svc.create_promotion(uow, DESK, _promo(), CLOCK)
    assert uow.promotions.rows == []
    tiered = await svc.create_promotion(uow, CHANNEL, _promo(code="T1", kind=PromotionKind.TIERED, tiers=(
        PromotionTier(D("5000"), D("3")),)), CLOCK)
    assert tiered.tiers[0].percent == D("3")


async def test_dealer_sees_promotions_for_its_tier(uow: FakeUnitOfWork) -> None:
    await _import(uow)
    await svc.create_promotion(uow, MARKETING, _promo(code="ALL"), CLOCK)
    await svc.create_promotion(uow, MARKETING, _promo(code="ONLY_A", dealer_tiers=("A",)), CLOCK)
    await svc.create_promotion(uow, MARKETING, _promo(code="LATER", starts_on=date(2027, 1, 1),
                                                      ends_on=date(2027, 1, 31)), CLOCK)
    on = date(2026, 12, 5)
    assert [p.code for p in await svc.list_promotions(uow, OWNER_1, on=on)] == ["ALL"]
    assert [p.code for p in await svc.list_promotions(uow, OWNER_2, on=on)] == ["ALL", "ONLY_A"]
    assert len(await svc.list_promotions(uow, MARKETING)) == 3


async def test_field_lengths_fit_the_columns(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationFailed):
        await svc.upsert_product(uow, ADMIN, UpsertProduct("X" * 65, "x", "x", "台", "1"), CLOCK)
    with pytest.raises(ValidationFailed):
        await svc.create_promotion(uow, MARKETING, _promo(code="P" * 33, skus=()), CLOCK)
    assert (uow.products.rows, uow.promotions.rows) == ([], [])
