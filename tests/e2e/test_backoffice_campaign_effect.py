"""The campaign page in the back office over HTTP shows participants against comparable non-participants
(same tier and region, same periods) with the net effect, where it used to show '未参与 0'.

Constructed: campaign 11-01..11-10 aimed at D0901 and D0902, who both joined (tier A, 华东); D0903 and
D0904 (tier A, 华东) stayed out, D0905 (tier B) is not comparable. Sell-out before -> during: D0901 1000 -> 1600,
D0902 2000 -> 2600, D0903 1000 -> 1100, D0904 1000 -> 1100, D0905 100 -> 9000. Participants +40.0 %,
comparison +10.0 %, net +30.0 points, increment (600 - 100) x 2 = ¥1,000.00."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.campaigns import Campaign, CampaignParticipation, CampaignStatus, ParticipationStatus
from core.sellout import SellOutLine
from core.users import Role
from tests.e2e.conftest import Web, add_dealer
from tests.e2e.test_backoffice_admin import MemoryFileStore, login_as, office  # noqa: F401


async def test_effect_table_has_a_comparison_group(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    ids = {code: await add_dealer(web, code, f"{code} 电器", tier=tier)
           for code, tier in (("D0901", "A"), ("D0902", "A"), ("D0903", "A"), ("D0904", "A"), ("D0905", "B"))}
    async with web.uow() as uow:
        campaign = await uow.campaigns.add(Campaign(
            code="C2611", name="双十一净化器", starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 10),
            skus=["AP300"], target_dealer_ids=[ids["D0901"], ids["D0902"]], status=CampaignStatus.FINISHED))
        await uow.flush()
        for code in ("D0901", "D0902"):
            await uow.participations.add(CampaignParticipation(campaign_id=campaign.id or 0, dealer_id=ids[code],
                                                               status=ParticipationStatus.APPROVED))
        for code, before, during in (("D0901", "1000", "1600"), ("D0902", "2000", "2600"), ("D0903", "1000", "1100"),
                                     ("D0904", "1000", "1100"), ("D0905", "100", "9000")):
            for day, amount in (("2026-10-25", before), ("2026-11-05", during)):
                await uow.sellout.add(SellOutLine(dealer_id=ids[code], sold_on=date.fromisoformat(day), sku="AP300",
                                                  qty=1, amount=Decimal(amount), province="浙江", city="杭州"))
        await uow.commit()
    await login_as(web, "sun.marketing", Role.MARKETING)

    page = await web.client.get(f"/backoffice/campaigns/{campaign.id}")

    assert page.status_code == 200, page.text
    html = page.text
    assert "<td>动销 Sell-out</td><td>参与 participants</td><td>2</td><td>¥3,000.00</td><td>¥4,200.00</td>" \
           "<td>+40.0%</td>" in html
    assert "<td>可比未参与 comparable non-participants</td><td>3</td>" not in html       # D0905 is tier B
    assert "<td>可比未参与 comparable non-participants</td><td>2</td><td>¥2,000.00</td><td>¥2,200.00</td>" \
           "<td>+10.0%</td>" in html
    assert "增量 increment +¥1,000.00</td><td>+30.0 个百分点 pts</td>" in html
    assert "A级·华东" in html and "未报名的目标经销商 target dealers who did not join: 0 家" in html
