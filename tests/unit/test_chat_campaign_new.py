"""Marketing sets up a campaign in chat (was: only a link to the back office): "做个双旦促销，12月20号到1月3号，满10台减
500" -> the form with what was said filled in -> products -> dealers -> summary -> confirm -> created planned by the
back office's use case (audited) -> its launch offered; "新建一个活动" asks every step."""

from __future__ import annotations

from datetime import date

import pytest

from core.campaigns import CampaignStatus
from core.users import Role
from nlu.campaign_words import campaign_dates, campaign_products, campaign_targets, new_campaign_said
from tests.chat import ChatWorld, buttons, texts

OWNER, DESK, MARKETING = "101", "300", "304"


async def _world() -> ChatWorld:
    w = ChatWorld()                      # the clock: 2026-11-26
    await w.catalogue()
    d1 = await w.dealer(name="杭州嘉禾家电有限公司")
    await w.dealer(name="合肥新锐电器有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    await w.user(DESK, Role.ORDER_DESK, username="desk")
    await w.user(MARKETING, Role.MARKETING, username="marketing")
    return w


async def test_a_promotion_said_in_one_sentence_is_created_planned_after_the_summary() -> None:
    w = await _world()
    asked = texts(await w.say(MARKETING, "做个双旦促销，12月20号到1月3号，满10台减500"))
    assert "新建市场活动" in asked and "哪些产品参加" in asked, asked          # name, dates and rule taken
    assert "/backoffice" not in asked
    assert "面向哪些经销商" in texts(await w.say(MARKETING, "AP300、DH20"))
    summary = await w.say(MARKETING, "杭州嘉禾")
    said = texts(summary)
    for part in ("名称：双旦促销", "时间：2026-12-20 至 2027-01-03", "规则：满10台减500", "产品：AP300、DH20",
                 "杭州嘉禾家电有限公司"):
        assert part in said, (part, said)
    assert await w.uow.campaigns.list() == []                      # nothing before the confirm
    submit = buttons(summary)["✅ 确认提交"]
    created = await w.press(MARKETING, submit)
    assert "已创建活动“双旦促销”" in texts(created) and "筹备中" in texts(created)
    await w.press(MARKETING, submit)                               # a second tap: the same campaign
    [campaign] = await w.uow.campaigns.list()
    dealer = await w.uow.dealers.get_by(name="杭州嘉禾家电有限公司")
    assert dealer is not None
    assert (campaign.name, campaign.starts_on, campaign.ends_on, campaign.support, campaign.skus,
            campaign.target_dealer_ids, campaign.status) == (
        "双旦促销", date(2026, 12, 20), date(2027, 1, 3), "满10台减500", ["AP300", "DH20"], [dealer.id],
        CampaignStatus.PLANNED)
    assert campaign.code == "CP-202612-01"
    assert [a.action for a in await w.uow.audit.list(entity="campaign")] == ["campaign.create"]
    launch = await w.press(MARKETING, next(p for label, p in buttons(created).items() if "发布" in label))
    assert "发布活动“双旦促销”" in texts(launch)
    await w.press(MARKETING, buttons(launch)["🚀 确认发布"])
    [launched] = await w.uow.campaigns.list()
    assert launched.status == CampaignStatus.LAUNCHED


async def test_new_campaign_alone_asks_each_step_and_every_dealer_and_product_by_default() -> None:
    w = await _world()
    assert "活动名称是什么" in texts(await w.say(MARKETING, "新建一个活动"))
    assert "活动时间" in texts(await w.say(MARKETING, "元旦特惠"))
    assert "没有读出起止日期" in texts(await w.say(MARKETING, "下周"))
    assert "结束日期" in texts(await w.say(MARKETING, "2027-01-05 至 2027-01-01"))
    assert "活动规则" in texts(await w.say(MARKETING, "2026-12-28 至 2027-01-02"))
    await w.say(MARKETING, "跳过")
    assert "没有找到这些产品：XYZ9" in texts(await w.say(MARKETING, "XYZ9"))
    await w.say(MARKETING, "全部")
    summary = await w.say(MARKETING, "华东 A级")
    said = texts(summary)
    assert "产品：全部产品" in said and "面向：华东；A 级" in said and "规则：无" in said, said
    await w.press(MARKETING, buttons(summary)["✅ 确认提交"])
    [campaign] = await w.uow.campaigns.list()
    assert (campaign.skus, campaign.target_regions, campaign.target_tiers, campaign.support) == ([], ["华东"], ["A"], "")


async def test_only_marketing_may_create_a_campaign_in_chat() -> None:
    w = await _world()
    said = texts(await w.say(DESK, "新建一个活动"))
    assert "活动名称" not in said
    said = texts(await w.say(OWNER, "做个双旦促销，12月20号到1月3号，满10台减500"))
    assert "新建市场活动" not in said
    assert await w.uow.campaigns.list() == []


def test_the_words_of_a_new_campaign() -> None:
    today = date(2026, 12, 7)
    said = new_campaign_said("做个双旦促销，12月20号到1月3号，满10台减500", today)
    assert said is not None and said.name == "双旦促销" and said.rule == "满10台减500"
    assert said.dates is not None and (said.dates.starts_on, said.dates.ends_on) == (date(2026, 12, 20), date(2027, 1, 3))
    said = new_campaign_said("帮我新建一个活动 春节净水器促销 1月10号到2月底 AP和WP系列9折", today)
    assert said is not None and said.name == "春节净水器促销" and said.rule == "AP和WP系列9折"
    assert said.dates is not None and said.dates.ends_on == date(2027, 2, 28)
    assert new_campaign_said("新建一个活动", today) == new_campaign_said("做个促销", today)
    assert new_campaign_said("做个活动效果分析", today) is None and new_campaign_said("开个售后单", today) is None


@pytest.mark.parametrize(("text", "span"), [
    ("12月20号到1月3号", (date(2026, 12, 20), date(2027, 1, 3))),
    ("12月20号到25号", (date(2026, 12, 20), date(2026, 12, 25))),
    ("2026-12-20 至 2027-01-03", (date(2026, 12, 20), date(2027, 1, 3))),
    ("十二月二十号到一月三号", (date(2026, 12, 20), date(2027, 1, 3))),
    ("3月1日-3月31日", (date(2027, 3, 1), date(2027, 3, 31))),
])
def test_campaign_dates(text: str, span: tuple[date, date]) -> None:
    found = campaign_dates(text, date(2026, 12, 7))
    assert found is not None and (found.starts_on, found.ends_on) == span


def test_campaign_products_and_targets() -> None:
    assert campaign_products("全部").every
    said = campaign_products("AP系列、WP400")
    assert (said.series, said.words) == (["AP"], ["WP400"])
    targets = campaign_targets("华东 A级 D0012 杭州嘉禾")
    assert (targets.regions, targets.tiers, targets.dealers) == (["华东"], ["A"], ["D0012", "杭州嘉禾"])
    assert campaign_targets("所有经销商").every
