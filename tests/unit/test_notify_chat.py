"""Notifications in chat: /settings (mute categories, choose the channel) and a restock alert's one-tap order."""

from __future__ import annotations

from core.dealers import DealerStatus
from core.outbox import Category
from core.services.orders import SubmitOrder, submit_order
from core.users import ChatIdentity, Role
from handlers.messages import InboundKind
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user

DEALER, STAFF = "100", "201"


async def world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司", region="华东")
    assert dealer.id is not None
    await w.prepay(dealer)
    await w.user(DEALER, Role.DEALER_OWNER, dealer)
    await w.user(STAFF, Role.ORDER_DESK, username="desk")
    return w, dealer.id


async def test_settings_list_the_categories_and_a_tap_mutes_one() -> None:
    w, dealer_id = await world()
    panel = await w.say(STAFF, "/settings")
    assert "通知设置" in texts(panel)
    labels = buttons(panel)
    assert labels["🔔 订单"] == payload("settings.mute", "order")
    assert "🔔 每日待办汇总" in labels and "🔔 每周业绩" not in labels       # staff: digest, not dealer summaries
    assert not any("系统通知" in label for label in labels)                  # cannot be muted: no toggle
    muted = await w.send(w._inbound(STAFF, InboundKind.BUTTON, payload=labels["🔔 订单"], message_ref="m1"))
    assert muted[0].edit_ref == "m1" and "已关闭“订单”通知" in muted[0].text
    assert buttons(muted)["🔕 订单"] == payload("settings.unmute", "order")
    pref = await w.uow.preferences.get_by(user_id=(await w.uow.users.get_by(username="desk")).id)  # type: ignore[union-attr]
    assert pref is not None and pref.muted == ["order"]
    # the approval prompt of a new order is queued, but the worker will not send it to a muted chat
    await submit_order(w.uow, dealer_user(dealer_id), SubmitOrder(dealer_id, [("AP300", 2)]), w.clock)
    assert [r.kind for r in w.uow.outbox.rows] == ["order.submitted"]
    assert await w.pushed(STAFF) == []
    await w.press(STAFF, payload("settings.unmute", "order"))
    w.forget_pushes()
    await submit_order(w.uow, dealer_user(dealer_id), SubmitOrder(dealer_id, [("F300", 1)]), w.clock)
    assert len(await w.pushed(STAFF)) == 1


async def test_dealers_see_their_categories_in_english_too() -> None:
    w, _ = await world()
    await w.say(DEALER, "/lang en")
    panel = await w.say(DEALER, "/settings")
    labels = buttons(panel)
    assert "🔔 Weekly performance" in labels and "🔔 Daily digest" not in labels
    assert "Notifications" in texts(panel)


async def test_forged_or_stale_settings_buttons_change_nothing() -> None:
    w, _ = await world()
    system = await w.press(DEALER, payload("settings.mute", "system"))
    assert "按钮已失效" in texts(system)
    bogus = await w.press(DEALER, payload("settings.mute", "everything"))
    assert "按钮已失效" in texts(bogus)
    channel = await w.press(DEALER, payload("settings.channel", "wecom"))       # not bound on WeCom
    assert "您没有绑定 wecom" in texts(channel)
    assert w.uow.preferences.rows == []
    stranger = await w.say("999", "/settings")
    assert "绑定" in texts(stranger) and "通知设置" not in texts(stranger)


async def test_a_user_on_two_channels_chooses_where_pushes_go() -> None:
    w, _ = await world()
    user = await w.uow.users.get_by(username="u100")
    assert user is not None and user.id is not None
    await w.uow.identities.add(ChatIdentity(channel="wecom", external_id="lisi", user_id=user.id))
    await w.uow.commit()
    panel = await w.say(DEALER, "/settings")
    labels = buttons(panel)
    assert labels["✅ 📡 最近使用"] == payload("settings.channel", "auto")
    chosen = await w.press(DEALER, labels["📡 企业微信"])
    assert "推送将发到：企业微信" in texts(chosen) and "✅ 企业微信" in buttons(chosen)
    pref = await w.uow.preferences.get_by(user_id=user.id)
    assert pref is not None and pref.channel == "wecom"
    back = await w.press(DEALER, payload("settings.channel", "auto"))
    assert "最近使用的渠道" in texts(back)
    assert (await w.uow.preferences.get_by(user_id=user.id)).channel is None  # type: ignore[union-attr]
    assert Category.SYSTEM.value not in pref.muted


async def test_order_this_opens_a_prefilled_cart_that_orders_once() -> None:
    w, dealer_id = await world()
    summary = await w.press(DEALER, payload("order.prefill", "F300", 18))
    shown = texts(summary)
    assert "已按补货建议放入购物车：F300 ×18" in shown and "AP300 滤网（F300）18箱" in shown
    confirmed = await w.press(DEALER, buttons(summary)["✅ 确认下单"])
    assert "订单已提交" in texts(confirmed)
    [order] = w.uow.orders.rows
    assert [(ln.sku, ln.qty) for ln in order.lines] == [("F300", 18)] and order.dealer_id == dealer_id


async def test_order_this_refuses_forged_payloads_staff_and_blocked_dealers() -> None:
    w, dealer_id = await world()
    for forged in (payload("order.prefill", "NOPE", 3), payload("order.prefill", "F300", 0),
                   payload("order.prefill", "F300", "x"), payload("order.prefill", "F300")):
        refused = await w.press(DEALER, forged)
        assert "失效" in texts(refused) and "确认下单" not in buttons(refused)
    assert "确认下单" not in buttons(await w.press(STAFF, payload("order.prefill", "F300", 3)))
    dealer = await w.uow.dealers.get(dealer_id)
    assert dealer is not None
    dealer.status = DealerStatus.SUSPENDED
    await w.uow.commit()
    blocked = await w.press(DEALER, payload("order.prefill", "F300", 3))
    assert "暂时不能下单" in texts(blocked) and "确认下单" not in buttons(blocked)
    assert w.uow.orders.rows == []
