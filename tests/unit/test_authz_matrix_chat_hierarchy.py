"""Authorization matrix of the chat for the dealer hierarchy: every button action of ``test_authz_matrix_chat.MATRIX``
pressed, with arguments naming dealer 1's objects, by three more dealers:

- ``parent``: dealer 1's parent dealer (一级经销商). Allowed: dealer 1's orders, stock and sell-out
  (``PARENT_READS``), ordering for it and deciding its orders. Denied everything else of dealer 1, above all its
  money: its prepayment never appears in any answer.
- ``sub``: a sub-dealer of dealer 1 (sub -> parent: denied) and ``sibling``: another sub-dealer of dealer 1's
  parent (sibling -> sibling: denied). Both as an unrelated dealer: nothing of dealer 1, nothing changed.

A new action gets its row in ``MATRIX`` and is covered here at once.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from decimal import Decimal

import pytest

from core.dealers import Dealer
from core.inventory import DealerStock
from core.orders import Order
from core.sellout import SellOutLine
from core.users import Role
from tests.chat import ChatWorld, texts
from tests.unit.test_authz_matrix_chat import MATRIX, REFUSAL, SNAPSHOT

PARENT, SUB, SIBLING = "parent", "sub", "sibling"
ACTORS = (PARENT, SUB, SIBLING)
CHATS = {PARENT: "401", SUB: "402", SIBLING: "403"}
# what the parent reads or does for dealer 1 (core.authz.SUB_DEALER_RECORDS + ordering / approving for it)
PARENT_READS = {"orders.detail", "sub.orders", "sub.stock", "sub.sales", "sub.order", "sub.order.ok", "sub.order.no"}
PREPAID = "¥777,777.00"        # dealer 1's prepayment: its money, never shown to the parent


class _Args(dict[str, str]):
    """Arguments naming objects this world does not seed (another flow's records) name nothing that exists."""

    def __missing__(self, key: str) -> str:
        return "9999"


@dataclass
class Scene:
    w: ChatWorld
    dealer: Dealer
    order: Order
    args: dict[str, str]


_TEMPLATE: list[Scene] = []


async def _seed() -> Scene:
    w = ChatWorld()
    await w.catalogue()
    parent = await w.dealer(name="华东总代理有限公司")
    d1 = await w.dealer(name="上海华信电器有限公司", parent_id=parent.id)
    await w.dealer(name="苏州小店电器商行", parent_id=d1.id)                  # dealer 1's own sub-dealer
    sub = next(d for d in w.uow.dealers.rows if d.parent_id == d1.id)
    sibling = await w.dealer(name="杭州兄弟商贸有限公司", parent_id=parent.id)
    await w.user(CHATS[PARENT], Role.DEALER_OWNER, parent)
    await w.user(CHATS[SUB], Role.DEALER_OWNER, sub)
    await w.user(CHATS[SIBLING], Role.DEALER_OWNER, sibling)
    await w.user("101", Role.DEALER_OWNER, d1)
    await w.prepay(d1, "777777.00")
    await w.prepay(parent, "5000.00")
    order = await w.order(d1, [("AP300", 2)], to="submitted")
    await w.uow.dealer_stock.add(DealerStock(dealer_id=d1.id, sku="DH20", qty=17, reported_at=w.clock.now()))  # type: ignore[arg-type]
    await w.uow.sellout.add(SellOutLine(dealer_id=d1.id, sold_on=w.clock.today(), sku="AP300", qty=9,  # type: ignore[arg-type]
                                        amount=Decimal("17991.00"), province="上海", city="上海",
                                        reported_at=w.clock.now()))
    await w.uow.commit()
    args = {"order": order.number, "version": str(order.version), "ticket": "AS-20261126-0001",
            "qf": "QF-20261126-0001", "mat": "1", "qual": "1", "dealer": str(d1.id), "code": d1.code,
            "stmt": "1", "period": "2026-10", "credit": "1", "rebate": "1", "fr": "1", "entry": "1"}
    return Scene(w, d1, order, args)


async def scene() -> Scene:
    if not _TEMPLATE:
        _TEMPLATE.append(await _seed())
    t = _TEMPLATE[0]
    return Scene(ChatWorld(uow=copy.deepcopy(t.w.uow)), t.dealer, t.order, t.args)


def snapshot(w: ChatWorld) -> dict[str, str]:
    return {name: repr(getattr(w.uow, name).rows) for name in SNAPSHOT}


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", sorted(MATRIX))
async def test_cell(action: str, actor: str) -> None:
    s = await scene()
    rule = MATRIX[action]
    data = "|".join(["1", action, *(a.format_map(_Args(s.args)) for a in rule.args)])
    before = snapshot(s.w)
    replies = await s.w.press(CHATS[actor], data)
    said = texts(replies)
    assert PREPAID not in said, (action, actor, said)          # dealer 1's money: nobody here reads it
    if actor == PARENT and action in PARENT_READS:
        assert replies and said.strip() and REFUSAL not in said, (action, said)
        if action == "orders.detail":
            assert s.order.number in said and "AP300" in said, said      # the order itself, not "not found"
        if action == "sub.orders":
            assert s.order.number in said and s.dealer.code in said, said
        if action == "sub.stock":
            assert "DH20" in said and "17" in said, said
        if action == "sub.sales":
            assert "AP300 9" in said, said
        return
    if rule.kind not in ("public", "bound"):
        assert snapshot(s.w) == before, (action, actor, said)
    if actor != PARENT:
        # the reply may repeat the number the user sent, never anything else of dealer 1 (to its sub-dealer, its
        # own profile names its parent: code and name, nothing else)
        secrets = ([] if (actor, action) == (SUB, "acct.profile") else [s.dealer.name, s.dealer.code]) + (
            [] if s.order.number in data else [s.order.number])
        for secret in secrets:
            assert secret not in said, (action, actor, secret, said)


async def test_the_parent_reads_its_sub_dealer_in_words_and_the_others_do_not() -> None:
    s = await scene()
    w, code = s.w, s.dealer.code
    for said in ("下级经销商的订单", f"{code} 的订单", "sub-dealer orders"):
        assert s.order.number in texts(await w.say(CHATS[PARENT], said)), said
    assert "DH20：17" in texts(await w.say(CHATS[PARENT], f"{code} 的库存"))
    assert "AP300 9 件" in texts(await w.say(CHATS[PARENT], "我下面的店卖了多少"))
    money = texts(await w.say(CHATS[PARENT], f"{code} 的余额"))
    assert "不对上级开放" in money and PREPAID not in money
    assert "没有下级经销商" in texts(await w.say(CHATS[SIBLING], "下级经销商的订单"))
    for actor in (SUB, SIBLING):        # sub -> parent, sibling -> sibling: as for any unknown code
        for said in (f"{code} 的订单", f"{code} 的库存", f"{code} 卖了多少", f"给 {code} 下单 AP300 10台"):
            answer = texts(await w.say(CHATS[actor], said))
            assert s.order.number not in answer and s.dealer.name not in answer, (actor, said, answer)
            assert "DH20：17" not in answer and "AP300 9 件" not in answer, (actor, said, answer)
    assert "没有下级经销商" in texts(await w.say(CHATS[SIBLING], "下级经销商的订单"))
    assert "只能为自己的下级经销商下单" in texts(await w.say(CHATS[SIBLING], f"给 {code} 下单 AP300 10台"))
    assert [o.dealer_id for o in w.uow.orders.rows] == [s.dealer.id]       # nothing ordered by anyone

