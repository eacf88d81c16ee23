"""Staff asking how many in words get a number (QA s25 #12), with the list a tap away, and the words around a
queue's name are never echoed as a dealer that was not found (#24)."""

from __future__ import annotations

from datetime import timedelta

from core.aftersales import Ticket, TicketStatus
from core.campaigns import MarketingMaterial, MaterialRequest
from core.quality import CorrectiveStatus, QualityFeedback
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts

OWNER, SERVICE, QUALITY, MARKETING = "101", "302", "303", "304"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="合肥新锐电器有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    for chat, role in ((SERVICE, Role.AFTER_SALES), (QUALITY, Role.QUALITY), (MARKETING, Role.MARKETING)):
        await w.user(chat, role, username=role.value)
    now = w.clock.now()
    assert d1.id is not None
    for n, (days_ago, sku, status, late) in enumerate([(0, "AP300", TicketStatus.OPEN, True),
                                                       (0, "AP300", TicketStatus.ACCEPTED, False),
                                                       (40, "AP300", TicketStatus.OPEN, True),
                                                       (1, "DH20", TicketStatus.RESOLVED, False)]):
        at = now - timedelta(days=days_ago)
        await w.uow.tickets.add(Ticket(number=f"AS-20261120-{n + 1:04d}", dealer_id=d1.id, description="异响",
                                       sku=sku, status=status, created_at=at,
                                       sla_due_at=now - timedelta(hours=1) if late else now + timedelta(hours=8)))
    for n, days_ago in enumerate([0, 0, 50]):
        await w.uow.quality.add(QualityFeedback(number=f"QF-20261126-{n + 1:04d}", dealer_id=d1.id, sku="F300",
                                                defect_category="功能", count=2, description="滤网异味",
                                                created_at=now - timedelta(days=days_ago)))
    material = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="门店海报", stock=100))
    for _ in range(3):
        await w.uow.material_requests.add(MaterialRequest(material_id=material.id or 0, dealer_id=d1.id, qty=5,
                                                          created_at=now))
    await w.uow.commit()
    return w


async def test_new_tickets_of_today_are_counted_by_status() -> None:
    w = await world()
    said = await w.say(SERVICE, "今天新增几个工单")
    assert "新增售后工单 2 个" in texts(said) and "待受理 1" in texts(said) and "已受理 1" in texts(said)
    assert "其中超时 1 个" in texts(said)
    assert "📋 查看列表" in buttons(said) and "没有找到经销商" not in texts(said)


async def test_late_ones_counted_without_naming_the_list() -> None:
    w = await world()
    said = await w.say(SERVICE, "超时的有几个")
    assert "售后工单（超时）：现有 2 条" in texts(said)
    assert buttons(said)["📋 查看列表"] == payload("q.tickets", 0, 0, "late")


async def test_repairs_of_a_product_in_the_days_said_are_counted() -> None:
    w = await world()
    said = texts(await w.say(SERVICE, "这个月AP300报修了多少次"))
    assert "AP300 报修 2 次" in said, said
    assert "留言" not in said


async def test_new_quality_reports_are_counted() -> None:
    w = await world()
    said = texts(await w.say(QUALITY, "今天新增几条质量反馈"))
    assert "新增质量反馈 2 条（4 台）" in said and "新反馈 2" in said, said
    assert "没有找到经销商" not in said


async def test_material_requests_not_yet_approved_are_counted() -> None:
    w = await world()
    said = texts(await w.say(MARKETING, "物料申请还有几个没批"))
    assert "物料申请（待审批）：现有 3 条" in said


async def test_any_new_tickets_lists_the_ones_not_taken_up_without_a_garbled_dealer() -> None:
    w = await world()
    said = texts(await w.say(SERVICE, "有新工单没"))
    assert "没有找到经销商" not in said and "待受理" in said
    assert "AS-20261120-0001" in said and "AS-20261120-0002" not in said     # accepted already
    quality = texts(await w.say(QUALITY, "质量反馈有新的吗"))
    assert "没有找到经销商" not in quality and "QF-20261126-0001" in quality


async def test_today_says_what_the_material_count_counts() -> None:
    """QA s25 #25: /today said 物料申请 7 while 待审批 said 5 (the approved ones waiting for dispatch were in one)."""
    w = await world()
    first = (await w.uow.material_requests.list())[0]
    await w.press(MARKETING, payload("staff.mat.approve", first.id or 0))
    today = texts(await w.say(MARKETING, "/today"))
    assert "物料申请：3（待审批 2，已批准待发货 1）" in today, today
    assert "物料 2" in texts(await w.press(MARKETING, payload("staff.approvals")))


async def test_quality_figures_say_how_many_of_them_the_list_holds() -> None:
    """QA s25 #25: the figures said 6 reports, the list 4 (the list holds the open ones only)."""
    w = await world()
    qf = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert qf is not None
    qf.corrective_status = CorrectiveStatus.DONE
    await w.uow.commit()
    figures = texts(await w.say(QUALITY, "本季度质量问题按产品统计一下"))
    assert "没有找到经销商" not in figures
    assert "3 条反馈" in figures and "其中未结案 2 条" in figures and "已结案 1 条" in figures, figures
    assert "质量反馈：2 条" in texts(await w.say(QUALITY, "/qf"))
