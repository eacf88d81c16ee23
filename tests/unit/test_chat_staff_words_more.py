"""Staff words tried as staff type them: a reject with its reason typed in one message (the reason kept, one
press), an order verb typed by a role whose job it is not (told so, nothing done, the carrier not dropped in
silence), a record number typed while a cart for a dealer is open (the staff command, never the dealer's
own order view with its cancel button; the cart kept), and a dealer code alone (the dealer's card, not an
order on its behalf)."""

from __future__ import annotations

import pytest

from core.orders import OrderStatus
from core.users import Role
from handlers.router import payload
from nlu.staff_commands import RefKind, StaffVerb, parse_staff_command
from tests.chat import ChatWorld, buttons, texts

DESK, MANAGEMENT, AFTER_SALES, FINANCE, CHANNEL, DEALER = "300", "305", "302", "306", "301", "101"


async def _world() -> tuple[ChatWorld, str, str]:
    w = ChatWorld()
    await w.catalogue()
    d1 = await w.dealer(name="合肥新锐电器有限公司")
    d2 = await w.dealer(name="杭州嘉禾家电有限公司")
    await w.user(DEALER, Role.DEALER_OWNER, d2)
    for role, chat in ((Role.ORDER_DESK, DESK), (Role.MANAGEMENT, MANAGEMENT), (Role.AFTER_SALES, AFTER_SALES),
                       (Role.FINANCE, FINANCE), (Role.CHANNEL_MANAGER, CHANNEL)):
        await w.user(chat, role, username=role.value)
    await w.prepay(d1)
    await w.prepay(d2)
    order = await w.order(d2, [("AP300", 2)], to="submitted")
    return w, order.number, d2.code


def test_the_reason_typed_with_a_reject_is_read_apart_from_its_words() -> None:
    for text, reason in (("SO-20261126-0002 驳回 价格不对", "价格不对"), ("驳回SO-20261126-0002，原因：客户重复下单", "客户重复下单"),
                         ("so20261126 0002 打回去 数量填错了", "数量填错了"), ("SO-20261126-0002 reject, wrong price", "wrong price"),
                         ("SO-20261126-0002 驳回", None), ("把SO-20261126-0002驳回了", None)):
        command = parse_staff_command(text)
        assert command is not None and command.verb == StaffVerb.REJECT and command.reason == reason, text
    dealer = parse_staff_command("查下 d0008")
    assert dealer is not None and dealer.kind == RefKind.DEALER and dealer.number == "D0008"
    assert parse_staff_command("D0008 AP300 20台") is None


async def test_a_reject_typed_with_its_reason_asks_once_and_the_dealer_hears_the_reason() -> None:
    w, number, _ = await _world()
    card = await w.say(DESK, f"{number} 驳回 价格不对")
    assert "确认驳回" in texts(card) and "原因：价格不对" in texts(card)     # was: the card, the reason lost
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.SUBMITTED  # type: ignore[union-attr]
    done = texts(await w.press(DESK, buttons(card)["❌ 确认驳回"]))
    assert "已驳回" in done and "价格不对" in done
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.REJECTED  # type: ignore[union-attr]
    assert "价格不对" in texts(await w.pushed(DEALER))
    again = texts(await w.press(DESK, buttons(card)["❌ 确认驳回"]))       # a second tap rejects nothing again
    assert "失效" in again


async def test_an_order_verb_outside_the_persons_job_says_so_and_does_nothing() -> None:
    w, number, _ = await _world()
    shipped = texts(await w.say(MANAGEMENT, f"{number} 发货 顺丰 SF1234567890"))
    assert "不在您的职责内" in shipped and "订单台" in shipped
    approved = texts(await w.say(AFTER_SALES, f"{number} 批了"))
    assert "审批订单不在您的职责内" in approved
    assert (await w.uow.orders.get_by(number=number)).status == OrderStatus.SUBMITTED  # type: ignore[union-attr]


async def test_a_record_typed_in_a_cart_for_a_dealer_is_the_staff_command_and_the_cart_stays() -> None:
    w, number, code = await _world()
    card = await w.say(DESK, code)                                      # the dealer's card: order for it
    await w.press(DESK, buttons(card)["🧾 代客下单"])
    await w.say(DESK, "AP300 3台")
    card = await w.say(DESK, f"{number} 驳回 价格不对")
    shown = texts(card)
    assert "确认驳回" in shown and "购物车已保留，1 个商品" in shown
    assert not any("orders.cancel" in p for p in buttons(card).values())   # was: the dealer's cancel button
    cart = texts(await w.press(DESK, buttons(card)["🛒 查看购物车（1）"]))
    assert "AP300" in cart and "3台" in cart


async def test_a_dealer_code_alone_opens_the_dealers_card_with_its_business() -> None:
    w, _, code = await _world()
    card = texts(await w.say(DESK, code))
    assert "杭州嘉禾家电有限公司" in card and "请输入经销商编号" not in card    # was: an order on its behalf
    assert "信用额度" in card and "进行中的订单 1 张（待审批 1 张）" in card
    other = texts(await w.say(AFTER_SALES, code))
    assert "未结售后工单 0 张" in other and "信用额度" not in other          # money only for account readers


async def test_finance_types_payments_and_debts_the_way_clerks_say_them() -> None:
    w, _, code = await _world()
    for said, amount in (("杭州嘉禾 转来 三千 货款", "¥3,000.00"), ("杭州嘉禾 到账 20000", "¥20,000.00"),
                         ("嘉禾回款3k", "¥3,000.00"), ("收到杭州嘉禾打款两万五", "¥25,000.00")):
        shown = texts(await w.say(FINANCE, said))
        assert f"回款金额：{amount}" in shown and "杭州嘉禾家电有限公司" in shown, said   # was: "您没有权限"
        await w.say(FINANCE, "取消")
    missing = texts(await w.say(FINANCE, "给北京不存在公司 打了1万"))
    assert "没有找到经销商“北京不存在公司”" in missing                            # was: "“给北京不存在公司”"
    await w.say(FINANCE, "取消")
    for said in ("杭州嘉禾欠多少钱", "嘉禾的欠款多少", f"{code} 余额"):
        ledger = texts(await w.say(FINANCE, said))
        assert "的流水" in ledger and "已用信用" in ledger, said


async def test_what_is_waiting_for_me_in_other_words_is_the_todays_list() -> None:
    w, number, _ = await _world()
    for said in ("今天有什么要我批的", "hi 今天有啥要处理的", "有啥要我审批的吗"):
        shown = texts(await w.say(MANAGEMENT, said))
        assert "今日待办" in shown and number in shown, said                     # was: a sales report / the menu


@pytest.mark.parametrize("said", ["今天有啥", "今天有啥事情", "今天干啥", "有啥事不", "anything for me today"])
async def test_what_is_there_today_in_a_few_words_is_the_todays_list(said: str) -> None:
    """(was: "我没有听懂这句话" and the list of what to type, to "今天有啥")"""
    w, number, _ = await _world()
    shown = texts(await w.say(MANAGEMENT, said))
    assert ("今日待办" in shown or "Today" in shown) and number in shown, said


async def test_a_credit_request_takes_the_dealer_by_name_and_a_miss_says_how_to_go_on() -> None:
    w, _, code = await _world()
    await w.press(CHANNEL, payload("cr.new"))
    missed = await w.say(CHANNEL, "北京不存在")
    assert "没有找到经销商“北京不存在”" in texts(missed) and "取消" in " ".join(buttons(missed))
    several = await w.say(CHANNEL, "有限公司")                              # both dealers' names have it
    assert "找到多家经销商" in texts(several)
    kind = await w.press(CHANNEL, next(p for label, p in buttons(several).items() if "杭州嘉禾" in label))
    assert f"{code} 杭州嘉禾家电有限公司" in texts(kind) and "要申请哪种调整" in texts(kind)
    await w.press(CHANNEL, payload("cr.new"))
    by_name = texts(await w.say(CHANNEL, "杭州嘉禾"))                       # was: "未找到经销商：杭州嘉禾"
    assert f"{code} 杭州嘉禾家电有限公司" in by_name and "要申请哪种调整" in by_name


async def test_who_is_over_credit_lists_the_fullest_first_for_account_readers_only() -> None:
    from decimal import Decimal

    from core.accounts import AccountKind, EntryKind, LedgerEntry

    w, _, code = await _world()
    dealers = {d.code: d for d in await w.uow.dealers.list()}
    full, half = dealers[code], next(d for c, d in dealers.items() if c != code)
    for dealer, limit, used in ((full, "10000.00", "10500.00"), (half, "10000.00", "5000.00")):
        dealer.credit_limit = Decimal(limit)
        await w.uow.ledger.add(LedgerEntry(dealer_id=dealer.id or 0, account=AccountKind.CREDIT, amount=-Decimal(used),
                                           kind=EntryKind.ORDER_CHARGE, created_at=w.clock.now()))
    await w.uow.commit()
    for chat in (FINANCE, CHANNEL, MANAGEMENT):
        shown = await w.say(chat, "哪些经销商超信用了")
        text = texts(shown)
        assert f"⚠️ {code} 杭州嘉禾家电有限公司：已用 ¥10,500.00 / 额度 ¥10,000.00（105%）" in text, chat
        assert half.code not in text                                          # 50%: not listed
        assert any(p.endswith(f"pay.ledger|{full.id}|0") for p in buttons(shown).values())
    assert "信用额度用到" not in texts(await w.say(AFTER_SALES, "哪些经销商超信用了"))   # not an account reader


async def test_a_sentence_after_a_ticket_is_offered_as_its_note_and_kept_on_one_tap() -> None:
    from datetime import timedelta

    from core.aftersales import Ticket

    w, _, code = await _world()
    dealer = next(d for d in await w.uow.dealers.list() if d.code == code)
    now = w.clock.now()
    await w.uow.tickets.add(Ticket(number="AS-20261126-0001", dealer_id=dealer.id or 0, description="除湿机不出水",
                                   sla_due_at=now + timedelta(hours=4), created_at=now))
    await w.uow.commit()
    card = await w.say(AFTER_SALES, "AS-20261126-0001")
    await w.press(AFTER_SALES, buttons(card)["🙋 受理"])
    offer = await w.say(AFTER_SALES, "已联系王先生，明天上门")
    assert "记为工单 AS-20261126-0001 的处理留言" in texts(offer)              # was: "此功能仅供经销商用户使用"
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and not any("王先生" in c.text for c in ticket.comments)   # nothing before the tap
    done = await w.press(AFTER_SALES, buttons(offer)["💬 记为 AS-20261126-0001 的留言"])
    assert "已留言 AS-20261126-0001：已联系王先生，明天上门" in texts(done)
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and sum("王先生" in c.text for c in ticket.comments) == 1
    again = await w.press(AFTER_SALES, buttons(offer)["💬 记为 AS-20261126-0001 的留言"])
    assert "失效" in texts(again)
    assert "处理留言" not in texts(await w.say(DESK, "已联系王先生，明天上门"))      # no ticket looked at: no offer


async def test_a_dealer_named_in_words_opens_its_card_and_other_words_still_reach_the_parser() -> None:
    w, _, code = await _world()
    for said in ("查下杭州嘉禾", "杭州嘉禾的资料", "看看杭州嘉禾的情况"):
        card = texts(await w.say(DESK, said))
        assert f"经销商 {code} 杭州嘉禾家电有限公司" in card, said            # was: "我没有听懂" / dealer-only
    several = await w.say(DESK, "看看有限公司")
    assert "对应多家经销商" in texts(several) and len(buttons(several)) == 2
    assert "厂家库存" in texts(await w.say(DESK, "查下AP300库存"))          # no dealer of that name: the parser


async def test_orders_of_one_dealer_by_its_words_for_staff_only() -> None:
    from handlers.messages import InboundKind

    w, number, code = await _world()
    other = next(d for d in await w.uow.dealers.list() if d.code != code)
    other_order = await w.order(other, [("AP300", 1)], to="submitted")

    async def orders(chat: str, args: str) -> list:  # type: ignore[type-arg]
        return await w.send(w._inbound(chat, InboundKind.COMMAND, text=f"/orders {args}", command="orders", args=args))

    mine = texts(await orders(DESK, "杭州嘉禾"))
    assert number in mine and other_order.number not in mine and f"【{code}】" in mine   # was: every dealer's
    assert "没有找到经销商“北京不存在”" in texts(await orders(DESK, "北京不存在"))
    several = await orders(DESK, "有限公司")
    picked = texts(await w.press(DESK, next(p for label, p in buttons(several).items() if code in label)))
    assert number in picked and other_order.number not in picked
    forged = texts(await w.press(DEALER, payload("orders.list", 0, other.id or 0)))  # a dealer: its own, always
    assert other_order.number not in forged


async def test_money_received_in_a_period_by_dealer_for_account_readers() -> None:
    from datetime import timedelta
    from decimal import Decimal

    from core.accounts import AccountKind, EntryKind, LedgerEntry

    w, _, code = await _world()
    dealer = next(d for d in await w.uow.dealers.list() if d.code == code)
    now = w.clock.now()
    for amount, when, kind in (("3000.00", now, EntryKind.PAYMENT), ("500.00", now, EntryKind.CREDIT_REPAYMENT),
                               ("9999.00", now - timedelta(days=40), EntryKind.PAYMENT),   # an earlier month
                               ("-200.00", now, EntryKind.ORDER_CHARGE)):                  # not money received
        await w.uow.ledger.add(LedgerEntry(dealer_id=dealer.id or 0, account=AccountKind.PREPAYMENT,
                                           amount=Decimal(amount), kind=kind, created_at=when))
    await w.uow.commit()
    month = texts(await w.say(FINANCE, "本月回款多少"))          # both dealers' 1,000,000.00 prepaid (_world) too
    assert "回款 ¥2,003,500.00，共 4 笔" in month and f"{code} 杭州嘉禾家电有限公司：¥1,003,500.00" in month, month
    assert month.index(code) < month.index("合肥新锐")                      # the largest first
    assert "¥9,999.00" not in month and "13,499" not in month
    assert "回款 ¥" not in texts(await w.say(AFTER_SALES, "本月回款多少"))    # not an account reader


async def test_how_many_tickets_in_words_is_the_tickets_queue() -> None:
    from datetime import timedelta

    from core.aftersales import Ticket

    w, _, code = await _world()
    dealer = next(d for d in await w.uow.dealers.list() if d.code == code)
    await w.uow.tickets.add(Ticket(number="AS-20261126-0001", dealer_id=dealer.id or 0, description="除湿机不出水",
                                   sla_due_at=w.clock.now() + timedelta(hours=4), created_at=w.clock.now()))
    await w.uow.commit()
    shown = texts(await w.say(AFTER_SALES, "今天工单多不多"))
    assert "AS-20261126-0001" in shown                                    # was: "此功能仅供经销商用户使用"
    assert "AS-20261126-0001" not in texts(await w.say(DESK, "今天工单多不多"))   # not the order desk's queue
