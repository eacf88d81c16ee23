"""Campaign effect against a comparison group, on data whose answer is known by construction.

Campaign 2026-11-01..11-10 (baseline 10-22..10-31), AP300 only, aimed at three named dealers, all of whom
joined, so the old 'other target dealers' row says 0. Tier A / 华东: participants P1, P2 and comparable
non-participants C1, C2, C3. P3 (tier C / 西南) has nobody like it: unmatched, left out. N1 (tier B / 华北)
is not comparable. A suspended A / 华东 dealer is not a comparison dealer either.

Sell-out: P1 1000 -> 1600, P2 2000 -> 2600 (each +600); C1 1000 -> 1100, C2 1000 -> 1200, C3 1000 -> 1000
(average +100). Participants +40.0 %, comparison +10.0 %, net +30.0 points; incremental (600 - 100) x 2 = 1000.
Orders (AP300 lines): P1 5000 -> 8000, P2 0 -> 1000 (average +2000); C1 4000 -> 4500, C2 0 -> 1000, C3
1000 -> 1000 (average +500); incremental (2000 - 500) x 2 = 3000. Noise that must not count: another SKU,
days outside both periods, a cancelled order, N1's and P3's and the suspended dealer's sales."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from core.campaigns import Campaign, CampaignParticipation, CampaignStatus, ParticipationStatus
from core.dealers import DealerStatus
from core.orders import Order, OrderLine, OrderStatus
from core.sellout import SellOutLine
from core.services import campaigns as svc
from core.services.campaigns import comparison_effect
from core.users import Role
from tests.factories import at, fixed_clock, make_dealer, staff
from tests.fakes import FakeUnitOfWork

MKT = staff(Role.MARKETING, "mei")


def _sold(dealer_id: int, day: str, amount: str, sku: str = "AP300") -> SellOutLine:
    return SellOutLine(dealer_id=dealer_id, sold_on=date.fromisoformat(day), sku=sku, qty=1, amount=D(amount),
                       province="浙江", city="杭州")


def _order(dealer_id: int, day: str, amount: str, sku: str = "AP300",
           status: OrderStatus = OrderStatus.APPROVED) -> Order:
    line = OrderLine(sku=sku, name=sku, qty=1, unit_price=D(amount))
    return Order(number=f"SO-{dealer_id}-{day}-{sku}-{status.value}", dealer_id=dealer_id, lines=[line],
                 status=status, total=D(amount), created_at=at(f"{day} 10:00"))


async def test_participants_against_comparable_non_participants() -> None:
    uow = FakeUnitOfWork()
    ids: dict[str, int] = {}
    for name, tier, region, status in (("P1", "A", "华东", DealerStatus.ACTIVE), ("P2", "A", "华东", DealerStatus.ACTIVE),
                                       ("P3", "C", "西南", DealerStatus.ACTIVE), ("C1", "A", "华东", DealerStatus.ACTIVE),
                                       ("C2", "A", "华东", DealerStatus.ACTIVE), ("C3", "A", "华东", DealerStatus.ACTIVE),
                                       ("N1", "B", "华北", DealerStatus.ACTIVE),
                                       ("S1", "A", "华东", DealerStatus.SUSPENDED)):
        dealer = await uow.dealers.add(make_dealer(tier=tier, region=region, status=status))
        ids[name] = dealer.id or 0
    campaign = await uow.campaigns.add(Campaign(
        code="C2611", name="双十一", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10), skus=["AP300"],
        target_dealer_ids=[ids["P1"], ids["P2"], ids["P3"]], status=CampaignStatus.FINISHED))
    for name in ("P1", "P2", "P3"):
        await uow.participations.add(CampaignParticipation(campaign_id=campaign.id or 0, dealer_id=ids[name],
                                                           status=ParticipationStatus.APPROVED))
    before, during = "2026-10-25", "2026-11-05"
    for name, base, now in (("P1", "1000", "1600"), ("P2", "2000", "2600"), ("C1", "1000", "1100"),
                            ("C2", "1000", "1200"), ("C3", "1000", "1000"), ("N1", "100", "99999"),
                            ("P3", "10", "88888"), ("S1", "1", "77777")):
        await uow.sellout.add(_sold(ids[name], before, base))
        await uow.sellout.add(_sold(ids[name], during, now))
    for noise in (_sold(ids["C1"], during, "5000", sku="DH20"), _sold(ids["P1"], "2026-10-01", "5000"),
                  _sold(ids["C2"], "2026-11-20", "5000")):
        await uow.sellout.add(noise)
    for name, base, now in (("P1", "5000", "8000"), ("P2", None, "1000"), ("C1", "4000", "4500"),
                            ("C2", None, "1000"), ("C3", "1000", "1000"), ("N1", "1", "90000")):
        if base is not None:
            await uow.orders.add(_order(ids[name], before, base))
        await uow.orders.add(_order(ids[name], during, now))
    for noise_order in (_order(ids["C3"], during, "9000", status=OrderStatus.CANCELLED),
                        _order(ids["P1"], during, "9000", sku="DH20"), _order(ids["C1"], "2026-11-11", "9000")):
        await uow.orders.add(noise_order)
    await uow.commit()

    effect = await svc.campaign_effect(uow, MKT, campaign.id or 0, fixed_clock("2026-12-01 09:00"))

    assert effect.non_participants.dealers == 0           # what the table showed before: 未参与 0
    cmp = effect.comparison
    assert cmp is not None
    assert (cmp.strata, cmp.matched, cmp.unmatched) == ((("A", "华东"),), 2, 1)
    s = cmp.sellout
    assert (s.participants.dealers, s.participants.baseline, s.participants.current) == (2, D("3000.00"), D("4200.00"))
    assert (s.comparison.dealers, s.comparison.baseline, s.comparison.current) == (3, D("3000.00"), D("3300.00"))
    assert (s.participants.change_pct, s.comparison.change_pct, s.net_points) == (D("40.0"), D("10.0"), D("30.0"))
    assert s.incremental == D("1000.00")
    o = cmp.orders
    assert (o.participants.baseline, o.participants.current) == (D("5000.00"), D("9000.00"))
    assert (o.comparison.baseline, o.comparison.current) == (D("5000.00"), D("6500.00"))
    assert o.incremental == D("3000.00") and o.net_points == D("50.0")


def test_nobody_comparable_means_no_comparison_and_zero_effect() -> None:
    effect = comparison_effect({1: ("A", "华东"), 2: ("B", "华东")}, {1},
                               {1: (D("100"), D("300")), 2: (D("100"), D("100"))}, {})
    assert (effect.matched, effect.unmatched, effect.strata) == (0, 1, ())
    assert effect.sellout.participants.dealers == 0 and effect.sellout.incremental == D("0.00")
    assert effect.sellout.net_points is None


def test_strata_are_weighed_by_their_participants() -> None:
    """Two strata that move differently: each participant is compared with its own stratum only.
    A: participant +100, comparison +100 -> 0. B: 3 participants +50 each, comparison -50 -> +100 each = 300."""
    strata = {1: ("A", "r"), 2: ("A", "r"), 3: ("B", "r"), 4: ("B", "r"), 5: ("B", "r"), 6: ("B", "r")}
    sold = {1: (D("100"), D("200")), 2: (D("100"), D("200")), 3: (D("100"), D("150")), 4: (D("100"), D("150")),
            5: (D("100"), D("150")), 6: (D("100"), D("50"))}
    effect = comparison_effect(strata, {1, 3, 4, 5}, sold, {})
    assert effect.sellout.incremental == D("300.00") and effect.matched == 4


def test_a_participant_with_nobody_in_its_region_is_compared_within_its_tier() -> None:
    """P 1 (A, 华北) has no A dealer in 华北 who stayed out: compared with the A dealers of every region (3, 4).
    P 2 (A, 华东) has 3 in its own region and is compared with 3 only. 5 is tier B: never comparable."""
    strata = {1: ("A", "华北"), 2: ("A", "华东"), 3: ("A", "华东"), 4: ("A", "华南"), 5: ("B", "华北")}
    sold = {1: (D("100"), D("400")), 2: (D("100"), D("200")), 3: (D("100"), D("100")), 4: (D("100"), D("300")),
            5: (D("100"), D("900"))}
    effect = comparison_effect(strata, {1, 2}, sold, {})
    assert effect.strata == (("A", ""), ("A", "华东")) and (effect.matched, effect.unmatched) == (2, 0)
    # 1: +300 against the average of 3 and 4 (+100) -> +200; 2: +100 against 3 (0) -> +100
    assert effect.sellout.incremental == D("300.00")
    assert (effect.sellout.comparison.dealers, effect.sellout.comparison.current) == (2, D("400.00"))
