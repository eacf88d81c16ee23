"""Staff words that went to a dealer's refusal or another flow (QA s25 #14, #15): a quality engineer asking about a
product's problem gets its figures, "审批D0022的入驻" opens that application, "新建一个活动 <名称>" starts a
campaign with the name filled in."""

from __future__ import annotations

from datetime import timedelta

from core.dealers import DealerStatus
from core.quality import QualityFeedback
from core.users import Role
from tests.chat import ChatWorld, texts

OWNER, QUALITY, CHANNEL, MARKETING = "101", "303", "301", "304"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="上海德润商贸有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    for chat, role in ((QUALITY, Role.QUALITY), (CHANNEL, Role.CHANNEL_MANAGER), (MARKETING, Role.MARKETING)):
        await w.user(chat, role, username=role.value)
    assert d1.id is not None
    await w.uow.quality.add(QualityFeedback(number="QF-20261126-0001", dealer_id=d1.id, sku="DH20",
                                            defect_category="功能", count=3, description="水位传感器失灵",
                                            created_at=w.clock.now() - timedelta(days=2)))
    await w.uow.commit()
    return w


async def test_a_quality_engineer_asking_about_a_products_problem_gets_its_figures() -> None:
    w = await world()
    said = texts(await w.say(QUALITY, "DH20水位传感器那个问题要不要召回"))
    assert "仅供经销商" not in said
    assert "质量反馈统计" in said and "DH20" in said and "1 条反馈，3 台" in said, said


async def test_approving_an_application_by_its_code_opens_its_card() -> None:
    w = await world()
    applicant = await w.dealer(name="贵阳佳家智能家居有限公司", status=DealerStatus.UNDER_REVIEW)
    said = await w.say(CHANNEL, f"审批{applicant.code}的入驻")
    assert applicant.code in texts(said) and "贵阳佳家" in texts(said)
    assert "质量反馈" not in texts(said)


async def test_a_new_campaign_starts_with_the_name_said() -> None:
    """(was: a link to the back office's form; now the chat's own form, tests/unit/test_chat_campaign_new.py)"""
    w = await world()
    said = texts(await w.say(MARKETING, "帮我新建一个活动 春节净水器促销 1月10号到2月底 AP和WP系列9折"))
    assert "新建市场活动" in said and "哪些产品参加" in said, said
    summary = texts(await w.say(MARKETING, "全部")) + texts(await w.say(MARKETING, "全部"))
    assert "名称：春节净水器促销" in summary and "时间：2027-01-10 至 2027-02-28" in summary
    assert "规则：AP和WP系列9折" in summary, summary


async def test_a_measure_typed_after_moving_a_report_is_kept_as_its_next_steps_note() -> None:
    """QA s25 #16: QF-… -> ➡️ 调查中 -> a long measure text (was: the 90-day figures, the text lost)."""
    from core.quality import CorrectiveStatus
    from handlers.router import payload
    from tests.chat import buttons

    w = await world()
    await w.say(QUALITY, "QF-20261126-0001")
    await w.press(QUALITY, payload("staff.qf.set", "QF-20261126-0001", CorrectiveStatus.INVESTIGATING.value))
    measure = "已通知供应商更换水位传感器，2412批次起全检，库存品返工"
    offered = await w.say(QUALITY, measure)
    assert "QF-20261126-0001" in texts(offered) and "质量反馈统计" not in texts(offered)
    await w.press(QUALITY, buttons(offered)["➡️ 已制定措施"])
    stored = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert stored is not None and stored.corrective_status == CorrectiveStatus.ACTION_PLANNED
    assert stored.corrective_note == measure
    # a question after the card is still answered, not offered as a note
    assert "记为" not in texts(await w.say(QUALITY, "这批货发给了哪些经销商"))


async def test_where_the_reported_product_went_lists_the_dealers_it_was_shipped_to() -> None:
    """QA s25 #16: "这批货发给了哪些经销商" after a report's card (was: the general figures)."""
    w = await world()
    dealer = (await w.uow.dealers.list())[0]
    await w.prepay(dealer)
    await w.order(dealer, [("DH20", 2)], to="shipped")
    await w.order(dealer, [("AP300", 1)], to="shipped")
    await w.say(QUALITY, "QF-20261126-0001")
    said = texts(await w.say(QUALITY, "这批货发给了哪些经销商"))
    assert "DH20" in said and f"{dealer.code} 上海德润商贸有限公司：2 台" in said, said
    assert "质量反馈统计" not in said


async def test_a_dealers_own_words_typed_by_staff_get_what_their_job_can_do() -> None:
    """QA s25 #14: staff were told "此功能仅供经销商用户使用" with nothing of their own work."""
    w = await world()
    said = texts(await w.say(MARKETING, "返利还有多少可以用"))
    assert "仅供经销商" not in said and "没能把这句话对应到您能办理的事" in said and "/today" in said, said
