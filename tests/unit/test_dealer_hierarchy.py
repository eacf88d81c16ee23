"""The dealer hierarchy and suspension (issue 16): the one visibility rule, a parent ordering for and approving
its sub-dealers' orders, suspension with the open-orders rule, and both in chat."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.authz import DealerFamily, DealerRecord, readable_dealer_ids
from core.dealers import Dealer, DealerStatus
from core.errors import BusinessRuleViolation, DealerNotActive, NotFound
from core.orders import OrderStatus
from core.products import DealerPrice
from core.services import accounts as account_cases
from core.services import dealers as dealer_cases
from core.services import orders as order_cases
from core.services.inventory import list_dealer_stock
from core.services.sellout import list_sellout
from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import api_key_actor, dealer_user, staff

ADMIN = staff(Role.ADMIN, "admin")
DESK = staff(Role.ORDER_DESK, "desk")


# --- the rule ------------------------------------------------------------------------------------------

def test_one_rule_decides_which_dealers_an_actor_reads() -> None:
    family = DealerFamily(sub_dealer_ids=frozenset({7, 8}))
    parent = dealer_user(1)
    for record in (DealerRecord.ORDERS, DealerRecord.STOCK, DealerRecord.SELLOUT):
        assert readable_dealer_ids(parent, record, family) == {1, 7, 8}
    assert readable_dealer_ids(parent, DealerRecord.ACCOUNTS, family) == {1}      # money: its own only ...
    opened = DealerFamily(sub_dealer_ids=frozenset({7}), sub_accounts_visible=True)
    assert readable_dealer_ids(parent, DealerRecord.ACCOUNTS, opened) == {1, 7}   # ... unless the contract says
    assert readable_dealer_ids(api_key_actor(dealer_id=1), DealerRecord.ORDERS, family) == {1, 7, 8}
    assert readable_dealer_ids(dealer_user(7), DealerRecord.ORDERS, DealerFamily()) == {7}   # a sub: itself
    assert readable_dealer_ids(DESK, DealerRecord.ORDERS, family) is None        # staff with DEALER_READ_ALL: all


# --- a world: parent P, its subs A and B (siblings), an unrelated dealer U ---------------------------------

async def _world() -> tuple[ChatWorld, dict[str, Dealer]]:
    w = ChatWorld()
    await w.catalogue()
    parent = await w.dealer(code="P0001", name="华东总代理有限公司", tier="A")
    a = await w.dealer(code="A0001", name="苏州安居商贸有限公司", tier="C", parent_id=parent.id)
    b = await w.dealer(code="B0001", name="无锡兄弟电器有限公司", tier="C", parent_id=parent.id)
    u = await w.dealer(code="U0001", name="南京无关商贸有限公司")
    for chat, dealer in (("100", parent), ("200", a), ("300", b), ("400", u)):
        await w.user(chat, Role.DEALER_OWNER, dealer)
        await w.prepay(dealer)
    await w.user("900", Role.CHANNEL_MANAGER, username="liu.channel")
    await w.user("901", Role.ORDER_DESK, username="zhang.orderdesk")
    await w.user("902", Role.MANAGEMENT, username="zhou.management")
    return w, {"P": parent, "A": a, "B": b, "U": u}


async def test_the_parent_reads_sub_dealers_orders_stock_and_sell_out_but_not_their_money() -> None:
    w, d = await _world()
    order = await w.order(d["A"], [("AP300", 2)])
    parent = dealer_user(d["P"].id or 0)
    assert (await order_cases.get_order(w.uow, parent, order.number)).dealer_id == d["A"].id
    assert [o.number for o in await order_cases.list_orders(w.uow, parent)] == [order.number]
    assert await list_dealer_stock(w.uow, parent, d["A"].id or 0) == []
    assert await list_sellout(w.uow, parent, dealer_id=d["A"].id) == []
    with pytest.raises(NotFound):
        await account_cases.get_balances(w.uow, parent, d["A"].id or 0, w.clock)
    for other in ("B", "U"):     # a sibling and an unrelated dealer: nothing
        reader = dealer_user(d[other].id or 0)
        with pytest.raises(NotFound):
            await order_cases.get_order(w.uow, reader, order.number)
        assert await order_cases.list_orders(w.uow, reader) == []
        with pytest.raises(NotFound):
            await list_dealer_stock(w.uow, reader, d["A"].id or 0)
    mine = await w.order(d["P"], [("DH20", 1)])      # the sub never reads its parent
    with pytest.raises(NotFound):
        await order_cases.get_order(w.uow, dealer_user(d["A"].id or 0), mine.number)
    # the contract opens the money: the parent reads the balances too
    stored = await w.uow.dealers.get(d["P"].id)
    assert stored is not None
    stored.sub_accounts_visible = True
    await w.uow.commit()
    overview = await account_cases.get_balances(w.uow, parent, d["A"].id or 0, w.clock)
    assert overview.balances.prepayment == Decimal("1000000.00") - order.total


async def test_the_parent_orders_on_behalf_of_its_sub_dealer_in_chat() -> None:
    w, d = await _world()
    await w.uow.dealer_prices.add(DealerPrice(dealer_id=d["A"].id or 0, sku="AP300", price=Decimal("1500.00")))
    await w.uow.dealer_prices.add(DealerPrice(dealer_id=d["P"].id or 0, sku="AP300", price=Decimal("1400.00")))
    await w.uow.commit()
    summary = await w.say("100", "给 A0001 下单 AP300 10台")
    said = texts(summary)
    assert "客户：A0001 苏州安居商贸有限公司（代客下单）" in said and "¥1,500.00" in said     # the sub-dealer's price
    assert "下级经销商账户资金充足" in said and "¥1,000,000" not in said     # enough or not, never its balances
    assert "订单已提交" in texts(await w.press("100", buttons(summary)["✅ 确认下单"]))
    [order] = list(w.uow.orders.rows)
    assert order.dealer_id == d["A"].id and order.on_behalf and order.placed_by.startswith(f"dealer:{d['P'].id}:")
    assert order.lines[0].qty == 10 and order.lines[0].unit_price == Decimal("1500.00")
    audit = [a for a in w.uow.audit.rows if a.action == "order.submit"]
    assert audit and audit[-1].actor.startswith(f"dealer:{d['P'].id}:")
    assert f"为您下了订单 {order.number}" in texts(await w.pushed("200"))     # the sub-dealer is told
    # a sibling and the unrelated dealer may not order for A (core, whatever the chat says)
    for other in ("B", "U"):
        with pytest.raises(NotFound):
            await order_cases.submit_order(w.uow, dealer_user(d[other].id or 0), order_cases.SubmitOrder(
                dealer_id=d["A"].id or 0, items=[("AP300", 1)]), w.clock)
    with pytest.raises(NotFound):      # nor the sub for its parent
        await order_cases.submit_order(w.uow, dealer_user(d["A"].id or 0), order_cases.SubmitOrder(
            dealer_id=d["P"].id or 0, items=[("AP300", 1)]), w.clock)


async def test_a_parent_that_approves_its_sub_dealers_orders_decides_first_in_chat() -> None:
    w, d = await _world()
    d["P"].approves_sub_orders = True
    summary = await w.say("200", "AP300 来1台")          # the sub-dealer is told who decides first
    assert "先由上级经销商审批" in texts(await w.press("200", buttons(summary)["✅ 确认下单"]))
    order = await w.order(d["A"], [("AP300", 2)])
    assert order.parent_approval == "pending"
    with pytest.raises(BusinessRuleViolation):       # the maker does not approve before the parent
        await order_cases.approve_order(w.uow, ADMIN, order_cases.ApproveOrder(number=order.number), w.clock)
    prompt = await w.pushed("100")
    assert f"下级经销商新订单待您审批：{order.number}" in texts(prompt)
    assert not [r for r in await w.pushed("901") if order.number in r.text]        # the desk waits
    ok = buttons(prompt)["✅ 同意"]
    assert "已同意" in texts(await w.press("100", ok))
    assert "已处理" in texts(await w.press("100", ok))          # twice: once
    assert (await w.uow.orders.get(order.id)).parent_approval == "approved"  # type: ignore[union-attr]
    assert order.number in texts(await w.pushed("901"))            # now the maker's approval prompt
    approved = await order_cases.approve_order(w.uow, ADMIN, order_cases.ApproveOrder(number=order.number), w.clock)
    assert approved.status == OrderStatus.APPROVED
    # another one rejected by the parent, with a reason: refunded
    second = await w.order(d["A"], [("DH20", 1)])
    before = sum(e.amount for e in w.uow.ledger.rows if e.dealer_id == d["A"].id)
    await w.press("100", buttons(await w.pushed("100"))["❌ 驳回"])
    assert "已驳回" in texts(await w.say("100", "这个月不进除湿机"))
    rejected = await w.uow.orders.get(second.id)
    assert rejected is not None and rejected.status == OrderStatus.REJECTED
    assert sum(e.amount for e in w.uow.ledger.rows if e.dealer_id == d["A"].id) == before + second.total  # refunded
    assert "order.parent_reject" in {a.action for a in w.uow.audit.rows}
    assert "这个月不进除湿机" in texts(await w.pushed("200"))
    with pytest.raises(NotFound):        # a sibling cannot decide
        await order_cases.parent_decide(w.uow, dealer_user(d["B"].id or 0), order_cases.ParentDecision(
            number=second.number, approve=True), w.clock)


async def test_suspension_in_chat_holds_open_orders_and_reinstating_releases_them() -> None:
    w, d = await _world()
    w.service.deps.suspension_open_orders = "hold"
    submitted = await w.order(d["A"], [("AP300", 1)])
    allocated = await w.order(d["A"], [("DH20", 1)], to="allocated")
    shipped = await w.order(d["A"], [("F300", 1)], to="shipped")
    card = await w.say("900", "暂停 A0001 经销资格 原因：拖欠货款")
    assert "确认暂停 A0001 苏州安居商贸有限公司 的经销资格？" in texts(card) and "暂缓处理" in texts(card)
    assert (await w.uow.dealers.get(d["A"].id)).status == DealerStatus.ACTIVE      # type: ignore[union-attr]
    done = texts(await w.press("900", buttons(card)["✅ 确认暂停"]))
    assert "已暂停" in done and "2 张未发货订单已暂缓处理" in done
    dealer = await w.uow.dealers.get(d["A"].id)
    assert dealer is not None and dealer.status == DealerStatus.SUSPENDED and dealer.status_reason == "拖欠货款"
    held = {o.number: o.held_reason for o in w.uow.orders.rows}
    assert held[submitted.number] == held[allocated.number] == "拖欠货款" and held[shipped.number] is None
    assert {a.action for a in w.uow.audit.rows} >= {"dealer.suspend", "order.hold"}
    assert submitted.number in texts(await w.pushed("901"))          # the order desk is told
    with pytest.raises(BusinessRuleViolation):
        await order_cases.ship_order(w.uow, ADMIN, order_cases.ShipOrder(
            number=allocated.number, carrier="顺丰", tracking_no="SF1"), w.clock)
    # the dealer reads, cannot order, and is told why in its language
    assert submitted.number in texts(await w.press("200", "1|orders.list"))
    assert "账户已暂停（原因：拖欠货款）" in texts(await w.say("200", "AP300 来5台"))
    w.service.deps.default_language = "en"
    assert "the account is suspended (reason: 拖欠货款)" in texts(await w.say("200", "I want 5 AP300"))
    with pytest.raises(DealerNotActive):     # any path: the API key of the dealer too
        await order_cases.submit_order(w.uow, api_key_actor(scopes=("orders:write",), dealer_id=d["A"].id),
                                       order_cases.SubmitOrder(dealer_id=d["A"].id or 0, items=[("AP300", 1)]),
                                       w.clock)
    # reinstating releases the held orders
    card = await w.say("900", "恢复 A0001")
    assert "确认恢复" in texts(card)
    await w.press("900", buttons(card)["✅ 确认恢复"])
    assert all(o.held_reason is None for o in w.uow.orders.rows)
    assert "order.release" in {a.action for a in w.uow.audit.rows}
    await order_cases.ship_order(w.uow, ADMIN, order_cases.ShipOrder(
        number=allocated.number, carrier="顺丰", tracking_no="SF1"), w.clock)


async def test_only_who_may_set_standing_suspends_in_chat_and_keep_leaves_orders_alone() -> None:
    w, d = await _world()
    order = await w.order(d["A"], [("AP300", 1)])
    for chat in ("901", "902"):       # the order desk and management may not (no DEALER_REVIEW)
        refused = texts(await w.say(chat, "暂停 A0001 经销资格 原因：拖欠货款"))
        assert "确认暂停" not in refused, refused
    assert "请输入暂停" in texts(await w.say("900", "暂停A0001"))      # no reason: asked for one
    card = await w.say("900", "拖欠货款")
    assert "照常处理" in texts(card)                                    # the default rule: keep
    await w.press("900", buttons(card)["✅ 确认暂停"])
    assert (await w.uow.orders.get(order.id)).held_reason is None      # type: ignore[union-attr]
    assert "暂停推送" not in texts(await w.say("900", "暂停推送"))      # not a dealer: not read as a suspension


async def test_the_parent_reorders_a_sub_dealers_order_for_that_sub_dealer() -> None:
    w, d = await _world()
    order = await w.order(d["A"], [("AP300", 3)])
    summary = await w.press("100", f"1|order.reorder|{order.number}")
    assert "客户：A0001 苏州安居商贸有限公司（代客下单）" in texts(summary)       # the sub's cart, not the parent's own
    await w.press("100", buttons(summary)["✅ 确认下单"])
    again = w.uow.orders.rows[-1]
    assert again.number != order.number and again.dealer_id == d["A"].id and again.on_behalf


async def test_the_makers_queues_leave_out_orders_waiting_for_a_parent_or_on_hold() -> None:
    from core.services.queues import Queue, all_waiting

    w, d = await _world()
    stored = await w.uow.dealers.get(d["P"].id)
    assert stored is not None
    stored.approves_sub_orders = True
    await w.uow.commit()
    waiting = await w.order(d["A"], [("AP300", 1)])                 # waits for P
    held = await w.order(d["U"], [("DH20", 1)], to="approved")
    await dealer_cases.set_standing(w.uow, ADMIN, dealer_cases.SetDealerStanding(
        dealer_id=d["U"].id or 0, status=DealerStatus.SUSPENDED, reason="拖欠货款",
        open_orders=dealer_cases.OpenOrdersRule.HOLD), w.clock)
    plain = await w.order(d["P"], [("F300", 1)])                   # its own: no parent to wait for
    to_approve = [i.ref for i in await all_waiting(w.uow, ADMIN, Queue.APPROVE, w.clock)]
    to_allocate = [i.ref for i in await all_waiting(w.uow, ADMIN, Queue.ALLOCATE, w.clock)]
    assert plain.number in to_approve and waiting.number not in to_approve
    assert held.number not in to_allocate


async def test_words_about_a_parent_or_another_dealers_code_never_answer_with_the_dealers_own_figures() -> None:
    w, d = await _world()
    await w.order(d["P"], [("AP300", 1)])
    for said in ("上级的库存", "上级经销商卖了多少", "my parent dealer orders"):
        answer = texts(await w.say("200", said))
        assert "上级经销商的订单、库存、动销和资金账户不对下级开放" in answer or "not open to you" in answer, said
    for code in ("P0001", "U0001", "Z9999"):       # its parent, an unrelated dealer, nobody: the same words
        answer = texts(await w.say("200", f"{code} 卖了多少"))
        assert f"{code} 不是您的下级经销商" in answer, answer
    assert "上级经销商：P0001" in texts(await w.say("200", "我的上级是谁"))      # who it is: the profile
    # the parent with its sub-dealers: "下面几家店最近进了多少货", "给A0001补10台DH20"
    sub_order = await w.order(d["A"], [("F300", 2)])
    assert sub_order.number in texts(await w.say("100", "下面几家店最近进了多少货"))
    cart = texts(await w.say("100", "给A0001补10台DH20"))
    assert "客户：A0001" in cart and "DH20）10台" in cart


async def test_staff_suspend_in_their_own_words_and_others_are_told_who_may() -> None:
    w, d = await _world()
    card = await w.say("900", "把A0001停了，欠款太多")
    assert "确认暂停 A0001" in texts(card) and "原因：欠款太多" in texts(card)
    assert "已取消" in texts(await w.press("900", buttons(card)["❌ 取消"]))
    assert (await w.uow.dealers.get(d["A"].id)).status == DealerStatus.ACTIVE      # type: ignore[union-attr]
    english = texts(await w.say("900", "suspend A0001 reason: overdue payments"))
    assert "Suspend A0001" in english and "Reason: overdue payments" in english
    assert "确认暂停 A0001" in texts(await w.say("900", "苏州安居暂停合作，原因：拖欠货款"))
    assert "渠道经理或管理员" in texts(await w.say("902", "暂停 A0001 经销资格 原因：拖欠货款"))
    for words in ("推送暂停", "今天暂停"):      # not a dealer: never read as a suspension
        assert "确认暂停" not in texts(await w.say("900", words)), words


async def test_statements_and_rebates_follow_the_same_money_rule() -> None:
    from datetime import date

    from core.accounts import Statement, StatementStatus
    from core.money import ZERO
    from core.services.rebates import rebate_statement
    from core.services.statements import get_statement_by_id

    w, d = await _world()
    statement = await w.uow.statements.add(Statement(
        dealer_id=d["A"].id or 0, period="2026-10", period_start=date(2026, 10, 1), period_end=date(2026, 10, 31),
        opening_balance=ZERO, orders_total=ZERO, payments_total=ZERO, rebates_total=ZERO, closing_balance=ZERO,
        status=StatementStatus.ISSUED))
    await w.uow.commit()
    parent = dealer_user(d["P"].id or 0)
    with pytest.raises(NotFound):
        await get_statement_by_id(w.uow, parent, statement.id or 0)
    with pytest.raises(NotFound):
        await rebate_statement(w.uow, parent, d["A"].id or 0, w.clock)
    stored = await w.uow.dealers.get(d["P"].id)
    assert stored is not None
    stored.sub_accounts_visible = True
    await w.uow.commit()
    assert (await get_statement_by_id(w.uow, parent, statement.id or 0)).dealer_id == d["A"].id
    await rebate_statement(w.uow, parent, d["A"].id or 0, w.clock)
    with pytest.raises(NotFound):      # a sibling never
        await get_statement_by_id(w.uow, dealer_user(d["B"].id or 0), statement.id or 0)


async def test_another_dealer_named_by_its_name_is_refused_and_a_sub_dealer_named_so_is_answered() -> None:
    """QA s28 #22: "上海金鼎最近卖了多少" (another dealer, by name) answered with the asker's own figures under no name.
    Now any name that is neither the dealer nor one of its sub-dealers gets "只能查看自己和下级经销商", the same
    words whether such a dealer exists or not; a sub-dealer named by its name gets that sub-dealer's figures; a
    product named the same way is still the dealer's own figures for it."""
    w, d = await _world()
    for said in ("南京无关最近卖了多少", "上海金鼎最近卖了多少", "德润的库存"):
        answer = texts(await w.say("100", said))
        assert "不是您的下级经销商：您只能查看自己和下级经销商的订单、库存和动销" in answer, answer
        assert "📊" not in answer
    own = texts(await w.say("200", "苏州安居最近卖了多少"))       # its own name: its own figures
    assert "不是您的下级" not in own
    sub = texts(await w.say("100", "苏州安居最近卖了多少"))
    assert "不是您的下级" not in sub and "A0001" in sub
    assert "不是您的下级" not in texts(await w.say("100", "除湿机最近卖了多少"))
