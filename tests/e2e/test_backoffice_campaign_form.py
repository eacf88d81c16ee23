"""The back-office campaign form over HTTP: marketing creates a campaign (period, regions, tiers, dealer codes,
SKUs, support, budget) and edits it through create_campaign / update_campaign (stored, audited); bad input
answers 400 with the reason; once launched, the targets are fixed; a role without CAMPAIGN_WRITE is refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.campaigns import CampaignStatus
from core.users import Role
from tests.e2e.conftest import Web, add_dealer, add_product
from tests.e2e.test_backoffice_admin import SAME_ORIGIN, MemoryFileStore, login_as, office  # noqa: F401

FORM = {"code": "CP-2027-01", "name": "春节净化器促销", "starts_on": "2027-01-10", "ends_on": "2027-02-28",
        "regions": "华东，华南", "tiers": "a, b", "dealer_codes": "D0701", "skus": "AP300 AP500",
        "support": "每店两台样机", "budget": "20,000.50", "description": "春节档"}


async def test_create_then_edit_a_campaign(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    dealer_id = await add_dealer(web, "D0701", "福州闽江电器", region="华南")
    await add_dealer(web, "D0702", "厦门海沧电器", region="华南")
    await add_product(web, "AP300", "空气净化器300", "1999.00")
    await add_product(web, "AP500", "空气净化器500", "2999.00")
    await login_as(web, "sun.marketing", Role.MARKETING)

    page = await web.client.get("/backoffice/campaigns/new")
    unknown_dealer = await web.client.post("/backoffice/campaigns/new", headers=SAME_ORIGIN,
                                           data=FORM | {"dealer_codes": "D9999"})
    bad_dates = await web.client.post("/backoffice/campaigns/new", headers=SAME_ORIGIN,
                                      data=FORM | {"ends_on": "2027-01-01"})
    created = await web.client.post("/backoffice/campaigns/new", headers=SAME_ORIGIN, data=FORM)

    assert page.status_code == 200 and "name='budget'" in page.text and "name='dealer_codes'" in page.text
    assert unknown_dealer.status_code == 400 and "D9999" in unknown_dealer.text
    assert bad_dates.status_code == 400 and "结束日期不能早于开始日期" in bad_dates.text
    assert created.status_code == 303, created.text
    async with web.uow() as uow:
        (campaign,) = await uow.campaigns.list()
    assert created.headers["location"] == f"/backoffice/campaigns/{campaign.id}"
    assert (campaign.code, campaign.name, campaign.starts_on, campaign.ends_on) == (
        "CP-2027-01", "春节净化器促销", date(2027, 1, 10), date(2027, 2, 28))
    assert (campaign.target_regions, campaign.target_tiers, campaign.target_dealer_ids, campaign.skus) == (
        ["华东", "华南"], ["A", "B"], [dealer_id], ["AP300", "AP500"])
    assert (campaign.support, campaign.budget, campaign.status) == ("每店两台样机", Decimal("20000.50"),
                                                                    CampaignStatus.PLANNED)
    listing = await web.client.get("/backoffice/campaigns")
    assert f"/backoffice/campaigns/{campaign.id}/edit" in listing.text and "/backoffice/campaigns/new" in listing.text

    edit_page = await web.client.get(f"/backoffice/campaigns/{campaign.id}/edit")
    assert "value='D0701'" in edit_page.text and "value='2027-01-10'" in edit_page.text
    edited = await web.client.post(f"/backoffice/campaigns/{campaign.id}/edit", headers=SAME_ORIGIN,
                                   data=FORM | {"name": "春节焕新", "dealer_codes": "D0701, D0702", "skus": "AP500",
                                                "budget": "15000", "ends_on": "2027-03-15"})
    assert edited.status_code == 303, edited.text
    async with web.uow() as uow:
        stored = await uow.campaigns.get(campaign.id)
        audit = [a.action for a in await uow.audit.list(entity="campaign")]
    assert (stored.name, stored.skus, stored.budget, stored.ends_on, len(stored.target_dealer_ids)) == (
        "春节焕新", ["AP500"], Decimal("15000.00"), date(2027, 3, 15), 2)
    assert audit.count("campaign.create") == 1 and audit.count("campaign.update") == 1

    launched = await web.client.post(f"/backoffice/campaigns/{campaign.id}/launch", headers=SAME_ORIGIN)
    retarget = await web.client.post(f"/backoffice/campaigns/{campaign.id}/edit", headers=SAME_ORIGIN,
                                     data=FORM | {"name": "春节焕新", "dealer_codes": "D0701", "skus": "AP500",
                                                  "ends_on": "2027-03-15"})
    assert launched.status_code == 303 and retarget.status_code == 400 and "已发布" in retarget.text


async def test_a_role_without_campaign_write_is_refused(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    web, _ = office
    await login_as(web, "wang.channel", Role.CHANNEL_MANAGER)       # reads reports, may not run campaigns

    page = await web.client.get("/backoffice/campaigns/new")
    created = await web.client.post("/backoffice/campaigns/new", headers=SAME_ORIGIN, data=FORM)
    edited = await web.client.post("/backoffice/campaigns/1/edit", headers=SAME_ORIGIN, data=FORM)

    assert page.status_code == 403 and created.status_code == 403 and edited.status_code == 403
    async with web.uow() as uow:
        assert await uow.campaigns.count() == 0


async def test_the_new_form_comes_filled_from_the_chat_link(office: tuple[Web, MemoryFileStore]) -> None:  # noqa: F811
    """"帮我新建一个活动 春节净水器促销 …" in chat links the form with the name and what was said (QA s25 #15)."""
    web, _ = office
    await login_as(web, "sun.marketing", Role.MARKETING)
    page = await web.client.get("/backoffice/campaigns/new",
                                params={"name": "春节净水器促销", "description": "1月10号到2月底 AP和WP系列9折"})
    assert page.status_code == 200
    assert "name='name' type='text' value='春节净水器促销'" in page.text and "AP和WP系列9折</textarea>" in page.text
