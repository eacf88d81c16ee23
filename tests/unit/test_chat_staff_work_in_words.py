"""QA s28 #8, #20, #21, #23, #24, #25: staff doing their work in their own words.

- a channel manager's "郑州和顺 先暂停合作 他们欠款逾期了" is the suspend card with its reason (was: a sales report);
- the order desk's "0001先别批 WP400这个月停产了 让他换WP600" is the reject card with that reason (was: refused as "a
  dealer's own action"); "超额度通过" with no order on screen asks which one; "待答复咨询" opens the questions queue;
- finance's "记一笔回款 … 流水号 HX…" is never asked the reference again, nor the day said;
- marketing's "做个元旦促销 … DH20满10台减500 所有A级经销商" fills the products and dealers, the rule without them;
- quality's "开始调查" moves the report; a note offered and passed over is said not logged, with its button;
- after-sales' "AS-… 客户说还是不出水 上门再看" offers the words as the ticket's note.
"""

from __future__ import annotations

from datetime import timedelta

from core.aftersales import Ticket
from core.dealers import DealerStatus
from core.faq import StaffQuestion
from core.orders import OrderStatus
from core.quality import CorrectiveStatus, QualityFeedback
from core.users import Role
from tests.chat import ChatWorld, buttons, texts

OWNER, DESK, CHANNEL, AFTER, QUALITY, MARKETING, FINANCE = "101", "300", "301", "302", "303", "304", "306"
QF = "QF-20261126-0001"
AS = "AS-20261126-0001"


async def _world() -> ChatWorld:
    w = ChatWorld()                      # the clock: 2026-11-26
    await w.catalogue()
    d1 = await w.dealer(name="郑州和顺智能家居有限公司", tier="A")
    await w.dealer(name="合肥新锐电器有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    for chat, role in ((DESK, Role.ORDER_DESK), (CHANNEL, Role.CHANNEL_MANAGER), (AFTER, Role.AFTER_SALES),
                       (QUALITY, Role.QUALITY), (MARKETING, Role.MARKETING), (FINANCE, Role.FINANCE)):
        await w.user(chat, role, username=role.value)
    assert d1.id is not None
    now = w.clock.now()
    await w.uow.quality.add(QualityFeedback(number=QF, dealer_id=d1.id, sku="DH20", defect_category="功能", count=3,
                                            description="水位传感器失灵", created_at=now - timedelta(days=1)))
    await w.uow.tickets.add(Ticket(number=AS, dealer_id=d1.id, description="DH20 不出水", created_at=now,
                                   sla_due_at=now + timedelta(hours=24)))
    await w.uow.commit()
    return w


async def test_a_suspension_said_with_a_word_of_when_and_the_reason_after_a_space() -> None:
    w = await _world()
    card = await w.say(CHANNEL, "郑州和顺 先暂停合作 他们欠款逾期了")
    said = texts(card)
    assert "确认暂停" in said and "郑州和顺智能家居有限公司" in said and "原因：欠款逾期\n" in said, said
    await w.press(CHANNEL, buttons(card)["✅ 确认暂停"])
    dealer = await w.uow.dealers.get_by(name="郑州和顺智能家居有限公司")
    assert dealer is not None and dealer.status == DealerStatus.SUSPENDED


async def test_the_desk_rejects_an_order_by_its_number_end_with_a_reason_naming_products() -> None:
    w = await _world()
    dealer = await w.uow.dealers.get_by(name="郑州和顺智能家居有限公司")
    assert dealer is not None
    order = await w.order(dealer, [("AP300", 2)])
    tail = order.number[-4:]
    card = await w.say(DESK, f"{tail}先别批 WP400这个月停产了 让他换WP600")
    said = texts(card)
    assert "确认驳回" in said and order.number in said and "原因：WP400这个月停产了 让他换WP600" in said, said
    await w.press(DESK, buttons(card)["❌ 确认驳回"])
    rejected = await w.uow.orders.get(order.id)
    assert rejected is not None and rejected.status == OrderStatus.REJECTED
    # the over-limit approval's words with no order on screen: which one (never "a dealer's own action")
    which = texts(await w.say(DESK, "超额度通过"))
    assert "是哪一单" in which and "没能把这句话" not in which, which


async def test_the_questions_queue_is_opened_by_its_name() -> None:
    w = await _world()
    dealer = await w.uow.dealers.get_by(name="郑州和顺智能家居有限公司")
    assert dealer is not None
    await w.uow.staff_questions.add(StaffQuestion(
        channel="telegram", chat_id=OWNER, question="少发了一台DH20怎么办", request_key="k1",
        asked_by=f"{dealer.name}（{dealer.code}）· li", dealer_id=dealer.id, created_at=w.clock.now(),
        about_order="SO-20261126-0001"))          # the desk answers the questions about an order
    await w.uow.commit()
    for words in ("待答复咨询", "经销商有问题要回吗"):
        said = texts(await w.say(DESK, words))
        assert "少发了一台DH20" in said and "没有听懂" not in said, (words, said)


async def test_a_payment_line_is_not_asked_again_for_its_reference_or_its_day() -> None:
    w = await _world()
    shown = await w.say(FINANCE, "记一笔回款 合肥新锐 3万 流水号 HX20261208001")
    accounts = await w.press(FINANCE, buttons(shown)["✅ 是这家"])
    methods = await w.press(FINANCE, buttons(accounts)["预存款"])
    asked = texts(await w.press(FINANCE, buttons(methods)["银行转账"]))
    assert "哪天付的款" in asked and "银行流水号" not in asked, asked
    await w.say(FINANCE, "今天")
    summary = texts(await w.say(FINANCE, "跳过"))
    assert "参考号：HX20261208001" in summary and "金额：¥30,000.00" in summary, summary

    shown = await w.say(FINANCE, "合肥新锐昨天打了5万 工行转账 流水号 ICBC2026112501")
    accounts = await w.press(FINANCE, buttons(shown)["✅ 是这家"])
    asked = texts(await w.press(FINANCE, buttons(accounts)["预存款"]))
    assert "回单照片" in asked and "哪天" not in asked, asked
    summary = texts(await w.say(FINANCE, "跳过"))
    assert "付款日期：2026-11-25" in summary and "参考号：ICBC2026112501" in summary, summary


async def test_a_campaign_said_in_one_line_takes_its_products_and_dealers() -> None:
    w = await _world()
    summary = texts(await w.say(MARKETING, "做个元旦促销 12月28号到1月3号 DH20满10台减500 所有A级经销商"))
    for part in ("名称：元旦促销", "规则：满10台减500\n", "产品：DH20", "面向：A 级"):
        assert part in summary, (part, summary)
    assert "哪些产品参加" not in summary and "面向哪些经销商" not in summary


async def test_quality_starts_an_investigation_in_words_and_an_offered_note_is_not_dropped_unsaid() -> None:
    w = await _world()
    await w.say(QUALITY, QF)
    moved = texts(await w.say(QUALITY, "开始调查"))
    assert "已改为“调查中”" in moved, moved
    stored = await w.uow.quality.get_by(number=QF)
    assert stored is not None and stored.corrective_status == CorrectiveStatus.INVESTIGATING
    note = "风机轴承供应商换了，新批次的轴承公差偏大，需要追溯"
    assert "要记为" in texts(await w.say(QUALITY, note))
    answered = await w.say(QUALITY, "这批货发给了哪些经销商")
    said = texts(answered)
    assert "没有记入 QF-20261126-0001" in said and note in said, said
    await w.press(QUALITY, buttons(answered)["📝 记下说明（仍为调查中）"])
    stored = await w.uow.quality.get_by(number=QF)
    assert stored is not None and stored.corrective_note == note
    assert stored.corrective_status == CorrectiveStatus.INVESTIGATING


async def test_words_typed_with_a_ticket_number_are_offered_as_its_note() -> None:
    w = await _world()
    card = await w.say(AFTER, f"{AS} 客户说还是不出水 上门再看")
    assert "要记为工单 AS-20261126-0001 的处理留言" in texts(card), texts(card)
    await w.press(AFTER, buttons(card)["💬 记为 AS-20261126-0001 的留言"])
    ticket = await w.uow.tickets.get_by(number=AS)
    assert ticket is not None and any("客户说还是不出水 上门再看" in c.text for c in ticket.comments)
    assert "留言" not in texts(await w.say(AFTER, f"看下 {AS}")).split("最近记录")[0].split("\n")[-1]
