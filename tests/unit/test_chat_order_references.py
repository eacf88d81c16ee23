"""Orders named the way dealers name them (issue 13): "前天那单", "尾号0012的单", "11月初下的那单", "AP300那单";
only the dealer's own orders are looked through."""

from __future__ import annotations

from datetime import timedelta

from core.users import Role
from tests.chat import ChatWorld, buttons, texts

CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    other = await w.dealer(name="杭州别家")
    await w.prepay(dealer)
    await w.prepay(other)
    await w.user(CHAT, Role.DEALER_OWNER, dealer)
    now = w.clock.now()           # Thursday 2026-11-26
    placed: dict[str, int] = {}
    for items, days_ago in (([("AP300", 2)], 24), ([("F300", 5)], 2), ([("DH20", 1)], 0)):
        placed[(await w.order(dealer, items)).number] = days_ago
    placed[(await w.order(other, [("AP300", 9)])).number] = 2
    for row in w.uow.orders.rows:
        row.created_at = now - timedelta(days=placed[row.number])
    await w.uow.commit()
    return w


def numbers(w: ChatWorld) -> dict[str, str]:
    """sku of the first line -> order number, for the dealer's own orders."""
    return {o.lines[0].sku: o.number for o in w.uow.orders.rows if o.lines[0].qty != 9}


async def test_the_day_before_yesterday() -> None:
    w = await world()
    shown = texts(await w.say(CHAT, "前天那单到哪了"))
    assert numbers(w)["F300"] in shown and numbers(w)["DH20"] not in shown


async def test_by_the_end_of_the_number_and_by_product() -> None:
    w = await world()
    wanted = numbers(w)["DH20"]
    assert wanted in texts(await w.say(CHAT, f"尾号{wanted[-4:]}的单发了没"))
    shown = texts(await w.say(CHAT, "AP300那个订单到哪了"))
    assert numbers(w)["AP300"] in shown and numbers(w)["F300"] not in shown


async def test_early_in_the_month_and_nothing_fits() -> None:
    w = await world()
    shown = texts(await w.say(CHAT, "11月初下的那单怎么还没到"))
    assert numbers(w)["AP300"] in shown                   # placed 2026-11-02
    none = texts(await w.say(CHAT, "10月初下的那单到哪了"))
    assert "没有找到符合的订单" in none


async def test_cancel_by_reference_asks_first_and_another_dealers_order_never_shows() -> None:
    w = await world()
    replies = await w.say(CHAT, "前天那单取消掉")
    assert numbers(w)["F300"] in texts(replies)
    assert any("orders.cancel_ok" in p for p in buttons(replies).values())
    assert all(o.status.value == "submitted" for o in w.uow.orders.rows)     # nothing before the confirm
    theirs = next(o.number for o in w.uow.orders.rows if o.lines[0].qty == 9)
    assert theirs not in texts(await w.say(CHAT, "前天的单"))


async def test_several_fit_lists_them() -> None:
    w = await world()
    replies = await w.say(CHAT, "这周的单到哪了")
    assert "有 2 笔订单符合" in texts(replies)
    assert len(buttons(replies)) == 2
