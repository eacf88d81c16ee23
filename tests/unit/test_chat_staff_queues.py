"""Every staff role's /today and queues in chat, paged (下一页 / 上一页) and filtered; typed numbers open cards for
the roles whose job they are and answer everyone else like a number that does not exist; staff words lead to the
same confirm card as the buttons, and only the button acts."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from core.aftersales import Ticket, TicketStatus
from core.campaigns import MarketingMaterial, MaterialRequest
from core.expenses import ExpenseClaim
from core.faq import StaffQuestion
from core.orders import OrderStatus
from core.quality import CorrectiveStatus, QualityFeedback
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_document

CHATS = {Role.ORDER_DESK: "300", Role.CHANNEL_MANAGER: "301", Role.AFTER_SALES: "302", Role.QUALITY: "303",
         Role.MARKETING: "304", Role.MANAGEMENT: "305", Role.FINANCE: "306", Role.ADMIN: "307"}
OWNER, OTHER = "101", "201"
N = 12            # more than one page of 10


async def _world() -> tuple[ChatWorld, dict[str, list[str]]]:
    """Two dealers; 12 of everything each queue holds, all of dealer 1 except the last two of each (dealer 2)."""
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="合肥新锐电器有限公司")
    d2 = await w.dealer(name="杭州嘉禾家电有限公司")
    await w.user(OWNER, Role.DEALER_OWNER, d1)
    await w.user(OTHER, Role.DEALER_OWNER, d2)
    for role, chat in CHATS.items():
        await w.user(chat, role, username=role.value)
    await w.prepay(d1)
    await w.prepay(d2)
    now = w.clock.now()
    refs: dict[str, list[str]] = {"orders": [], "tickets": [], "qf": [], "claims": [], "questions": [], "mats": []}
    material = await w.uow.materials.add(MarketingMaterial(code="POS-01", name="门店海报", stock=1000))
    for n in range(N):
        dealer = d1 if n < N - 2 else d2
        assert dealer.id is not None
        refs["orders"].append((await w.order(dealer, [("AP300", 1)], to="submitted")).number)
        ticket = await w.uow.tickets.add(Ticket(
            number=f"AS-20261120-{n + 1:04d}", dealer_id=dealer.id, description=f"除湿机不出水 {n}",
            sla_due_at=now - timedelta(hours=1) if n == 0 else now + timedelta(hours=n + 1), created_at=now))
        refs["tickets"].append(ticket.number)
        qf = await w.uow.quality.add(QualityFeedback(number=f"QF-20261126-{n + 1:04d}", dealer_id=dealer.id,
                                                     sku="F300", defect_category="功能", count=2,
                                                     description=f"滤网异味 {n}", created_at=now))
        refs["qf"].append(qf.number)
        claim = await w.uow.expense_claims.add(ExpenseClaim(number=f"FY-20261126-{n + 1:04d}", dealer_id=dealer.id,
                                                           campaign_id=1, amount=Decimal("800.00"),
                                                           description="门店堆头", created_at=now))
        refs["claims"].append(claim.number)
        question = await w.uow.staff_questions.add(StaffQuestion(
            channel="telegram", chat_id=OWNER, question=f"发票怎么开 {n}", request_key=f"k{n}",
            asked_by=f"{dealer.name}（{dealer.code}）· li", dealer_id=dealer.id, created_at=now))
        refs["questions"].append(str(question.id))
        request = await w.uow.material_requests.add(MaterialRequest(
            material_id=material.id or 0, dealer_id=dealer.id, qty=5, reason="开业", created_at=now))
        refs["mats"].append(str(request.id))
    await w.uow.commit()
    refs["d1"], refs["d2"] = [str(d1.id), d1.code, d1.name], [str(d2.id), d2.code, d2.name]
    return w, refs


# role, the /today line, the queue button, the refs it pages through
QUEUES = [
    (Role.ORDER_DESK, "待审批订单：12", "q.approve", "orders"),
    (Role.CHANNEL_MANAGER, "待答复咨询：12", "q.questions", "questions"),
    (Role.AFTER_SALES, "售后工单：12（⏰ 超时 1）", "q.tickets", "tickets"),
    (Role.QUALITY, "质量反馈待处理：12", "q.quality", "qf"),
    (Role.MARKETING, "物料申请：12", "q.materials", "mats"),
    (Role.MANAGEMENT, "待审批订单：12", "q.approve", "orders"),
    (Role.FINANCE, "待审核费用核销：12", "q.claims", "claims"),
]


@pytest.mark.parametrize(("role", "line", "action", "kind"), QUEUES, ids=[r.value for r, *_ in QUEUES])
async def test_each_role_sees_today_first_and_pages_its_queue(role: Role, line: str, action: str, kind: str) -> None:
    w, refs = await _world()
    chat = CHATS[role]
    today = await w.say(chat, "/today")
    assert line in texts(today), texts(today)
    first = await w.press(chat, payload(action, 0))
    said = texts(first)
    shown = lambda text: [r for r in refs[kind] if (f"#{r} " if r.isdigit() else f"{r} ") in text]  # noqa: E731
    assert "第 1–10 条，共 12 条" in said and len(shown(said)) == 10, said
    second = await w.press(chat, buttons(first)["下一页 ▶"])
    assert "第 11–12 条，共 12 条" in texts(second) and len(shown(texts(second))) == 2
    assert set(shown(said)) | set(shown(texts(second))) == set(refs[kind])       # every item once, on one page
    back = await w.press(chat, buttons(second)["◀ 上一页"])
    assert "第 1–10 条，共 12 条" in texts(back)
    assert "第 11–12 条，共 12 条" in texts(await w.say(chat, "下一页"))           # typed words page too
    assert "第 1–10 条，共 12 条" in texts(await w.say(chat, "上一页"))


async def test_a_queue_is_refused_to_a_role_it_is_not_for() -> None:
    w, _ = await _world()
    assert "您没有权限执行此操作" in texts(await w.press(CHATS[Role.MARKETING], payload("q.tickets", 0)))
    assert "您没有权限执行此操作" in texts(await w.say(CHATS[Role.ORDER_DESK], "/qf"))
    assert "质量反馈待处理" not in texts(await w.say(CHATS[Role.ORDER_DESK], "/today"))


async def test_queues_filter_by_dealer_and_status_typed_or_pressed() -> None:
    w, refs = await _world()
    chat = CHATS[Role.AFTER_SALES]
    mine = texts(await w.say(chat, "/tickets 杭州嘉禾"))
    assert "共 12 条" in mine and "筛选：" in mine and all(t in mine for t in refs["tickets"][-2:])
    assert not any(f"{t} " in mine for t in refs["tickets"][:-2])
    late = await w.say(chat, "/tickets 超时")
    assert refs["tickets"][0] in texts(late) and refs["tickets"][1] not in texts(late)
    both = texts(await w.press(chat, payload("q.tickets", 0, refs["d2"][0], "late")))
    assert "没有符合" in both and "不加筛选共 12 条" in both     # dealer 2's tickets are not late (was: "目前没有待处理的事项（共 12 条…）")
    pressed = await w.press(chat, payload("q.tickets", 0))
    assert "超时" in buttons(pressed) and texts(await w.press(chat, buttons(pressed)["超时"])) == texts(late)
    several = await w.say(CHATS[Role.QUALITY], "/qf 有限公司")     # both dealers fit: which one
    assert "对应多家经销商" in texts(several) and len(buttons(several)) == 2


async def test_a_queue_asked_for_in_words_is_that_queue_filtered() -> None:
    """"有哪些售后单超时了", "杭州嘉禾的工单", "调查中的质量反馈" (was: "此功能仅供经销商用户使用", a dealer's
    follow-up question); "给杭州嘉禾开个售后单" still opens a new one."""
    w, refs = await _world()
    chat = CHATS[Role.AFTER_SALES]
    assert texts(await w.say(chat, "有哪些售后单超时了")) == texts(await w.say(chat, "/tickets 超时"))
    assert texts(await w.say(chat, "杭州嘉禾的工单")) == texts(await w.say(chat, "/tickets 杭州嘉禾"))
    assert texts(await w.say(CHATS[Role.QUALITY], "调查中的质量反馈有哪些")) == \
        texts(await w.say(CHATS[Role.QUALITY], "/qf 调查中"))
    assert "新建售后工单" in texts(await w.say(chat, "给杭州嘉禾开个售后单"))
    manager = CHATS[Role.CHANNEL_MANAGER]
    assert "待审核资质" in texts(await w.say(manager, "待审核的资质"))
    # how many: the number, the list a tap away (QA s25 #12; was: the list itself)
    assert "📊 入驻申请：现有 0 条。" in texts(await w.say(manager, "入驻申请有几个"))
    dealer = await w.uow.dealers.get_by(name="杭州嘉禾家电有限公司")
    assert dealer is not None and dealer.id is not None
    soon = w.clock.today() + timedelta(days=12)
    await w.uow.qualifications.add(make_document(dealer.id, expires_on=soon))
    await w.uow.commit()
    expiring = texts(await w.say(manager, "资质快到期的有哪些"))           # was: 此功能仅供经销商用户使用
    assert "30 天内到期资质" in expiring and f"{dealer.code} 授权书 {soon.isoformat()}（12 天）" in expiring
    assert "已过期或 30 天内到期的资质" in texts(await w.say(manager, "过期的资质有哪些"))
    marketing = CHATS[Role.MARKETING]
    assert texts(await w.say(marketing, "物料申请有哪些要批的")) == texts(await w.say(marketing, "/materials 待审批"))
    # the period and how-many words are no dealer's name (was: "没有找到经销商“这周 多不多”")
    assert texts(await w.say(CHATS[Role.QUALITY], "这周质量反馈多不多")) == texts(await w.say(CHATS[Role.QUALITY], "/qf"))


async def test_typed_numbers_open_cards_for_their_roles_and_reveal_nothing_to_others() -> None:
    w, refs = await _world()
    qf, claim, order, ticket = refs["qf"][0], refs["claims"][0], refs["orders"][0], refs["tickets"][0]
    card = await w.say(CHATS[Role.QUALITY], qf)
    assert f"{qf} · 新反馈" in texts(card) and "➡️ 调查中" in buttons(card)
    assert "您没有权限" not in texts(card) and "未找到订单" not in texts(card)
    assert "🧾 费用核销 " + claim in texts(await w.say(CHATS[Role.FINANCE], claim))
    assert "🧾 费用核销 " + claim in texts(await w.say(CHATS[Role.MARKETING], claim))
    assert ticket in texts(await w.say(CHATS[Role.AFTER_SALES], f"看看 {ticket}"))
    assert "订单 " + order in texts(await w.say(CHATS[Role.FINANCE], order))
    for role, number, missing in ((Role.ORDER_DESK, qf, "QF-20991231-0001"), (Role.MARKETING, order, "SO-20991231-0001"),
                                  (Role.ORDER_DESK, claim, "FY-20991231-0001"),
                                  (Role.QUALITY, order, "SO-20991231-0001")):
        refused = texts(await w.say(CHATS[role], number))
        unknown = texts(await w.say(CHATS[role], missing))
        assert refused == unknown.replace(missing, number), (role, refused, unknown)
        assert refs["d1"][2] not in refused and "您没有权限" not in refused
    statement = texts(await w.say(CHATS[Role.MARKETING], f"ST-{refs['d1'][1]}-2026-10"))
    assert statement == f"没有找到 ST-{refs['d1'][1]}-2026-10，或它不在您的职责范围内。"


async def test_a_dealer_typing_its_own_report_number_gets_its_status_not_an_order() -> None:
    w, refs = await _world()
    own = texts(await w.say(OWNER, refs["qf"][0]))
    assert f"{refs['qf'][0]} · 新反馈" in own and "未找到订单" not in own
    assert "除湿机不出水 0" in texts(await w.say(OWNER, refs["tickets"][0]))
    other = texts(await w.say(OTHER, refs["qf"][0]))
    assert "没有找到您的质量反馈" in other and refs["d1"][2] not in other


async def test_quality_moves_a_report_from_its_card() -> None:
    w, refs = await _world()
    chat, qf = CHATS[Role.QUALITY], refs["qf"][0]
    card = await w.say(chat, qf)
    assert "已改为“调查中”" in texts(await w.press(chat, buttons(card)["➡️ 调查中"]))
    card = await w.say(chat, qf)
    asked = await w.press(chat, buttons(card)["➡️ 已制定措施"])
    assert "需要说明" in texts(asked)
    await w.say(chat, "更换密封圈供应商")
    stored = await w.uow.quality.get_by(number=qf)
    assert stored is not None and stored.corrective_status == CorrectiveStatus.ACTION_PLANNED
    assert stored.corrective_note == "更换密封圈供应商"


async def test_words_typed_with_a_quality_report_are_the_note_of_its_next_status() -> None:
    """"QF-… 开始查，联系供应商要2411批次的VOC检测报告" (was: the card, the words lost); "已制定措施" then needs no
    second note: the words typed with the number are it."""
    w, refs = await _world()
    chat, qf = CHATS[Role.QUALITY], refs["qf"][0]
    # "开始查" says the next status itself: moved at once, the words after it its note (QA s28 #25)
    done = texts(await w.say(chat, f"{qf} 开始查，联系供应商要2411批次的检测报告"))
    assert "已改为“调查中”" in done and "说明：联系供应商要2411批次的检测报告" in done, done
    card = await w.say(chat, f"{qf} 原因查到了 密封圈批次问题 整改措施：更换供应商")
    await w.press(chat, buttons(card)["➡️ 已制定措施"])
    stored = await w.uow.quality.get_by(number=qf)
    assert stored is not None and stored.corrective_status == CorrectiveStatus.ACTION_PLANNED
    assert stored.corrective_note == "原因查到了 密封圈批次问题 整改措施：更换供应商"


async def test_staff_words_approve_an_order_only_through_its_card() -> None:
    w, refs = await _world()
    chat = CHATS[Role.ORDER_DESK]
    which = await w.say(chat, "把杭州嘉禾那单批了")            # dealer 2 has two orders waiting
    assert "有 2 张待审批的订单" in texts(which) and len(buttons(which)) == 2
    assert {o.status for o in w.uow.orders.rows} == {OrderStatus.SUBMITTED}
    card = await w.press(chat, buttons(which)[next(iter(buttons(which)))])
    number = next(n for n in refs["orders"][-2:] if n in texts(card))
    await w.press(chat, buttons(card)["✅ 通过"])
    approved = await w.uow.orders.get_by(number=number)
    assert approved is not None and approved.status == OrderStatus.APPROVED
    assert "没有找到经销商“深圳不存在”" in texts(await w.say(chat, "把深圳不存在那单批了"))
    single = await w.say(chat, f"{refs['orders'][0]} 通过")
    assert "✅ 通过" in buttons(single)
    assert (await w.uow.orders.get_by(number=refs["orders"][0])).status == OrderStatus.SUBMITTED  # type: ignore[union-attr]


async def test_the_amount_said_with_the_dealer_picks_its_order() -> None:
    """"把杭州嘉禾那单 ¥N 的批了" with two orders waiting (was: which one?, the amounts cut off on the buttons)."""
    w, refs = await _world()
    chat = CHATS[Role.ORDER_DESK]
    which = await w.say(chat, "把杭州嘉禾那单批了")
    labels = list(buttons(which))
    assert all(re.search(r"¥[\d,]+\.\d{2}", label) for label in labels)        # the amount whole on every button
    dealer = next(d for d in await w.uow.dealers.list() if d.name == "杭州嘉禾家电有限公司")
    await w.prepay(dealer)
    target = await w.order(dealer, [("AP300", 3)])                          # a third, of another amount
    card = await w.say(chat, f"把杭州嘉禾那单{int(target.total)}的批了")
    assert f"订单 {target.number}" in texts(card) and "请选择" not in texts(card)


async def test_staff_words_ship_with_a_confirm() -> None:
    w, refs = await _world()
    chat, number = CHATS[Role.ORDER_DESK], refs["orders"][0]
    not_yet = texts(await w.say(chat, f"{number} 发货 德邦 DP123456"))
    assert "不能发货" in not_yet
    order = await w.uow.orders.get_by(number=number)
    assert order is not None
    for step in ("approve", "allocate"):
        from core.services import orders as cases
        from tests.factories import staff as staff_actor
        admin = staff_actor(Role.ADMIN, name="admin")
        if step == "approve":
            await cases.approve_order(w.uow, admin, cases.ApproveOrder(number=number), w.clock)
        else:
            await cases.allocate_order(w.uow, admin, cases.AllocateOrder(number=number), w.clock)
    confirm = await w.say(chat, f"{number} 发货 德邦 DP123456")
    assert "确认发货" in texts(confirm) and "DP123456" in texts(confirm)
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.ALLOCATED  # type: ignore[union-attr]
    await w.press(chat, buttons(confirm)["✅ 确认发货"])
    shipped = await w.uow.orders.get_by(number=number)
    assert shipped is not None and shipped.status == OrderStatus.SHIPPED
    assert (shipped.carrier, shipped.tracking_no) == ("德邦", "DP123456")
    assert "已失效" in texts(await w.press(chat, buttons(confirm)["✅ 确认发货"]))   # a second tap ships nothing


async def test_staff_words_open_a_ticket_for_a_dealer_after_a_confirm() -> None:
    w, refs = await _world()
    chat = CHATS[Role.AFTER_SALES]
    before = len(w.uow.tickets.rows)
    asked = await w.say(chat, "给杭州嘉禾开个售后单")
    assert "为 " + refs["d2"][1] in texts(asked)
    confirm = await w.say(chat, "客户家的 AP300 开机异响")
    assert "确认新建售后工单" in texts(confirm) and len(w.uow.tickets.rows) == before
    done = await w.press(chat, buttons(confirm)["✅ 确认新建"])
    assert "已新建售后工单" in texts(done) and len(w.uow.tickets.rows) == before + 1
    created = w.uow.tickets.rows[-1]
    assert created.dealer_id == int(refs["d2"][0]) and created.status == TicketStatus.OPEN
    await w.press(chat, buttons(confirm)["✅ 确认新建"])
    assert len(w.uow.tickets.rows) == before + 1                  # a double tap files one ticket
    assert "/tickets" not in texts(await w.say(CHATS[Role.MARKETING], "给杭州嘉禾开个售后单"))


async def test_unknown_staff_words_say_what_the_role_can_type() -> None:
    w, _ = await _world()
    service = await w.say(CHATS[Role.AFTER_SALES], "今天天气怎么样")
    assert "/tickets" in texts(service) and "转人工" not in texts(service)
    marketing = texts(await w.say(CHATS[Role.MARKETING], "今天天气怎么样"))
    assert "/materials" in marketing and "/tickets" not in marketing
    assert "转人工" in texts(await w.say(OWNER, "今天天气怎么样"))          # dealers still get the hand-off


async def test_an_open_question_is_answered_from_the_list() -> None:
    w, refs = await _world()
    chat = CHATS[Role.CHANNEL_MANAGER]
    listing = await w.press(chat, payload("q.questions", 0))
    asked = await w.press(chat, buttons(listing)[f"✍️ 回复 #{refs['questions'][0]}"])
    assert "发票怎么开 0" in texts(asked)
    await w.say(chat, "在账户里申请开票即可")
    assert "待答复咨询：11" in texts(await w.say(chat, "/today"))


async def test_claims_are_listed_for_marketing_and_finance() -> None:
    w, refs = await _world()
    claim = await w.uow.expense_claims.get_by(number=refs["claims"][0])
    assert claim is not None
    for role in (Role.FINANCE, Role.MARKETING):
        card = await w.press(CHATS[role], payload("staff.claim", refs["claims"][0]))
        assert f"🧾 费用核销 {claim.number}（待审核）" in texts(card) and "¥800.00" in texts(card)
        assert payload("ctr.cl.yes", claim.id or 0, "p") in buttons(card).values()
    listed = texts(await w.say(CHATS[Role.MARKETING], "/claims_queue"))
    assert "费用核销：12 条" in listed and "第 1–10 条，共 12 条" in listed


async def test_a_typed_ticket_number_shows_its_photos_as_images() -> None:
    w, refs = await _world()
    ticket = await w.uow.tickets.get_by(number=refs["tickets"][0])
    assert ticket is not None
    ticket.photos = ["tickets/a.jpg", "tickets/missing.jpg"]
    await w.uow.commit()
    files = {"tickets/a.jpg": b"\xff\xd8jpeg-bytes"}

    async def read_file(key: str) -> bytes:
        if key not in files:
            raise FileNotFoundError(key)
        return files[key]

    w.service.deps.read_file = read_file
    replies = await w.say(CHATS[Role.AFTER_SALES], refs["tickets"][0])
    assert [r.image for r in replies if r.image] == [b"\xff\xd8jpeg-bytes"]     # the missing file is left out
    assert "照片：2 张" in texts(replies)


async def test_finance_opens_a_statement_by_its_typed_reference() -> None:
    from datetime import date

    from core.accounts import Statement, StatementStatus
    from core.money import ZERO

    w, refs = await _world()
    await w.uow.statements.add(Statement(
        dealer_id=int(refs["d1"][0]), period="2026-10", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
        opening_balance=ZERO, orders_total=ZERO, payments_total=ZERO, rebates_total=ZERO, closing_balance=ZERO,
        status=StatementStatus.DISPUTED, dispute_reason="10月8日收款不对"))
    await w.uow.commit()
    for typed in (f"ST-{refs['d1'][1]}-2026-10", f"{refs['d1'][1]} 2026-10 对账单"):
        shown = await w.say(CHATS[Role.FINANCE], typed)
        assert "10月8日收款不对" in texts(shown) and [r.file_name for r in shown if r.file_name] == [
            f"statement-{refs['d1'][1]}-2026-10.xlsx", f"statement-{refs['d1'][1]}-2026-10.pdf"]
    missing = texts(await w.say(CHATS[Role.FINANCE], f"ST-{refs['d2'][1]}-2026-10"))
    assert missing == f"没有找到 ST-{refs['d2'][1]}-2026-10，或它不在您的职责范围内。"


async def test_help_tells_staff_what_their_role_can_type() -> None:
    w, _ = await _world()
    quality = texts(await w.say(CHATS[Role.QUALITY], "/help"))
    assert "/qf" in quality and "/tickets" in quality and "/orders 我的订单" not in quality
    assert "/orders 我的订单" in texts(await w.say(OWNER, "/help"))
    assert "/to_approve" in texts(await w.say(CHATS[Role.ORDER_DESK], "/nonsense"))


@pytest.mark.parametrize("said", ["待审核的订单", "有哪些单子要批", "需要我审批的", "看看待审核的单子",
                                  "what needs my approval"])
async def test_the_approval_queue_asked_for_in_other_words(said: str) -> None:
    w, refs = await _world()
    shown = texts(await w.say(CHATS[Role.ORDER_DESK], said))
    assert refs["orders"][0] in shown and "已审核" not in shown


async def test_allocating_in_other_words_is_the_desk_or_the_order_named() -> None:
    w, refs = await _world()
    chat, number = CHATS[Role.ORDER_DESK], refs["orders"][0]
    assert "配货" in texts(await w.say(chat, "分配仓库"))
    from core.services import orders as cases
    from tests.factories import staff as staff_actor
    await cases.approve_order(w.uow, staff_actor(Role.ADMIN, name="admin"), cases.ApproveOrder(number=number), w.clock)
    card = await w.say(chat, f"{number} 分配仓库")
    assert number in texts(card) and "请选择发货仓库" in texts(card)
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.APPROVED  # type: ignore[union-attr]


@pytest.mark.parametrize(("role", "said", "command"), [
    (Role.QUALITY, "qf 调查中", "/qf 调查中"),
    (Role.QUALITY, "QF看下调查中的", "/qf 调查中"),
    (Role.QUALITY, "qf", "/qf"),
    (Role.AFTER_SALES, "tickets 超时", "/tickets 超时"),
    (Role.AFTER_SALES, "Tickets 杭州嘉禾", "/tickets 杭州嘉禾"),
])
async def test_a_queue_command_typed_without_its_slash_is_that_command(role: Role, said: str, command: str) -> None:
    """(was: "qf 调查中" typed on a phone by quality staff answered "此功能仅供经销商用户使用")"""
    w, _ = await _world()
    assert texts(await w.say(CHATS[role], said)) == texts(await w.say(CHATS[role], command))


@pytest.mark.parametrize("said", ["早 今天有几单要审", "今天还有几单要批啊", "有几个要处理的"])
async def test_how_many_orders_to_approve_asked_with_ji_is_the_days_list(said: str) -> None:
    """"今天有几单要审" (几 for how many): the day's list with the orders to approve counted (was: the order desk got
    today's four orders, whatever their status, as "有 4 笔订单符合")."""
    w, _ = await _world()
    replies = await w.say(CHATS[Role.ORDER_DESK], said)
    assert "📋 今日待办" in texts(replies) and "待审批订单：12" in texts(replies), texts(replies)
