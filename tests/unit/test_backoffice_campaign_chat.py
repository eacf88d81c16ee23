"""Campaigns from marketing's side in chat: the dealer's report reaches review, marketing approves or turns
it down with a reason (the dealer hears it), and the effect figures compare participants with other
target dealers against their own baseline."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.campaigns import Campaign, CampaignParticipation, CampaignStatus, ParticipationStatus
from core.sellout import SellOutLine
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

DEALER_CHAT, OTHER_CHAT, MARKETING = "100", "110", "401"


async def world() -> tuple[ChatWorld, int, int, int]:
    w = ChatWorld()
    await w.catalogue()
    joined = await w.dealer(code="D0001", name="上海华信电器有限公司", region="华东")
    other = await w.dealer(code="D0002", name="杭州某电器", region="华东")
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, joined)
    await w.user(OTHER_CHAT, Role.DEALER_OWNER, other)
    await w.user(MARKETING, Role.MARKETING, username="gao")
    campaign = await w.uow.campaigns.add(Campaign(
        code="C-2611", name="双十一净化器", starts_on=date(2026, 11, 11), ends_on=date(2026, 11, 30),
        target_regions=["华东"], skus=["AP300"], status=CampaignStatus.LAUNCHED))
    await w.uow.participations.add(CampaignParticipation(
        campaign_id=campaign.id, dealer_id=joined.id, status=ParticipationStatus.REPORTED,  # type: ignore[arg-type]
        report_text="门店堆头 3 处", report_photos=["p1", "p2"], new_customers=12))
    # baseline 2026-10-26..11-10 (16 days, as many as the campaign so far); campaign 11-11..11-26
    for dealer_id, day, amount in [(joined.id, "2026-11-01", "1000.00"), (joined.id, "2026-11-15", "1500.00"),
                                   (other.id, "2026-11-01", "1000.00"), (other.id, "2026-11-15", "900.00"),
                                   (joined.id, "2026-11-15", "777.00")]:
        await w.uow.sellout.add(SellOutLine(dealer_id=dealer_id, sold_on=date.fromisoformat(day),  # type: ignore[arg-type]
                                            sku="AP300" if amount != "777.00" else "DH20", qty=1,
                                            amount=Decimal(amount), province="上海", city="上海"))
    await w.uow.commit()
    w.forget_pushes()
    return w, campaign.id, joined.id, other.id  # type: ignore[return-value]


async def test_review_and_effect() -> None:
    w, campaign_id, joined_id, _ = await world()
    overview = await w.press(MARKETING, payload("camp.staff"))
    text = texts(overview)
    assert "双十一净化器（进行中）参与 1，待审反馈 1" in text and "门店堆头 3 处" in text and "新客户 12" in text
    effect = texts(await w.press(MARKETING, buttons(overview)["📈 双十一净化器 效果"]))
    assert "参与经销商 1 家：¥1,500.00（基期 ¥1,000.00，+50.0%）" in effect
    assert "未参与目标经销商 1 家：¥900.00（基期 ¥1,000.00，-10.0%）" in effect and "新客户：12" in effect
    # the same dealer is the comparison group (same tier B, same region 华东): +50 % against -10 %
    assert "对比同级别（同区域优先）未参与的经销商 1 家（动销）：¥900.00（基期 ¥1,000.00，-10.0%）" in effect
    assert "净效果：动销 +60.0 个百分点，增量 +¥600.00" in effect
    assert "请输入退回原因" in texts(await w.press(MARKETING, payload("camp.rv", campaign_id, joined_id, 0)))
    done = await w.say(MARKETING, "照片看不到价格牌")
    assert "执行被退回" in texts(done)
    told = texts(await w.pushed(DEALER_CHAT))
    assert "活动“双十一净化器”的执行反馈被退回。照片看不到价格牌" in told
    stored = await w.uow.participations.get_by(campaign_id=campaign_id, dealer_id=joined_id)
    assert stored is not None and (stored.status, stored.review_note, stored.reviewed_by) == (
        ParticipationStatus.REJECTED, "照片看不到价格牌", "staff:gao")


async def test_dealers_may_not_review_or_see_effects() -> None:
    w, campaign_id, joined_id, _ = await world()
    assert "没有权限" in texts(await w.press(DEALER_CHAT, payload("camp.rv", campaign_id, joined_id, 1)))
    assert "没有权限" in texts(await w.press(OTHER_CHAT, payload("camp.eff", campaign_id)))
    assert "没有权限" in texts(await w.press(DEALER_CHAT, payload("camp.staff")))
    stored = await w.uow.participations.get_by(campaign_id=campaign_id, dealer_id=joined_id)
    assert stored is not None and stored.status == ParticipationStatus.REPORTED
    approved = await w.press(MARKETING, payload("camp.rv", campaign_id, joined_id, 1))
    assert "执行已确认" in texts(approved)
    assert "执行反馈已确认" in texts(await w.pushed(DEALER_CHAT))


async def test_marketing_asks_how_the_campaigns_are_going_in_words() -> None:
    """"这个月活动效果怎么样" (was: "此功能仅供经销商用户使用")"""
    w, _, _, _ = await world()
    assert texts(await w.say(MARKETING, "这个月活动效果怎么样")) == texts(await w.say(MARKETING, "/campaign_admin"))


async def test_campaign_overview_is_paged_with_buttons() -> None:
    w, _, _, _ = await world()
    for i in range(1, 12):                       # 12 campaigns in all, newest start first
        await w.uow.campaigns.add(Campaign(
            code=f"C-27{i:02d}", name=f"春季活动{i:02d}", starts_on=date(2027, 1, i), ends_on=date(2027, 2, 28),
            target_regions=["华东"], skus=["AP300"], status=CampaignStatus.LAUNCHED))
    await w.uow.commit()
    first = await w.say(MARKETING, "/campaign_admin")
    assert "第 1–5 条，共 12 条" in texts(first) and "春季活动11" in texts(first) and "春季活动06" not in texts(first)
    second = await w.press(MARKETING, buttons(first)["下一页 ▶"])
    assert "第 6–10 条，共 12 条" in texts(second) and "春季活动06" in texts(second)
    assert "春季活动11" not in texts(second) and "◀ 上一页" in buttons(second)
    third = await w.press(MARKETING, buttons(second)["下一页 ▶"])
    assert "第 11–12 条，共 12 条" in texts(third) and "双十一净化器" in texts(third)
    assert "下一页 ▶" not in buttons(third)
