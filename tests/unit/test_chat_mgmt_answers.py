"""Management and channel questions answered as asked (was: "哪些经销商没完成目标" gave the top 5 by attainment,
"哪些经销商这个月还没上报动销" the ranking of those who did report, "下个月预测" was not understood)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.contracts import ContractStatus, SalesTarget, TargetMetric
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_contract, seed_report_data
from tests.unit.test_chat_reports import _history
from tests.unit.test_chat_sellout_chase import world as chase_world


async def _targets_world(small_target: bool) -> ChatWorld:
    """D1 (上海恒信电器) 1.7% of its ¥1,000,000; D2 (北京金鼎家电) over a ¥1,000 target, or 0.6% of ¥1,000,000."""
    w = ChatWorld()
    ids = await seed_report_data(w.uow)
    target = [SalesTarget(period="2026", metric=TargetMetric.AMOUNT, value=Decimal("1000.00"))]
    async with w.uow as u:
        await u.contracts.add(make_contract(ids["d2"], status=ContractStatus.ACTIVE,
                                            **({"targets": target} if small_target else {})))
        await u.commit()
    await w.user("mgr", Role.MANAGEMENT)
    await w.user("wang", Role.CHANNEL_MANAGER)
    return w


@pytest.mark.parametrize("said", ["哪些经销商没完成目标", "哪几家没达标", "which dealers missed their target"])
@pytest.mark.parametrize("who", ["mgr", "wang"])
async def test_the_dealers_under_target_are_listed_not_the_best(said: str, who: str) -> None:
    w = await _targets_world(small_target=True)
    shown = texts(await w.say(who, said))
    assert "上海恒信电器: 1.7%" in shown, shown
    assert "北京金鼎家电" not in shown          # over its target
    assert "未完成目标" in shown or "under target" in shown


async def test_the_dealers_under_target_come_lowest_first() -> None:
    w = await _targets_world(small_target=False)
    replies = await w.say("mgr", "哪些经销商没完成目标")
    shown = texts(replies)
    assert shown.index("北京金鼎家电: 0.6%") < shown.index("上海恒信电器: 1.7%"), shown
    assert "2 家" in shown.splitlines()[0]
    assert any("tg-" in p for p in buttons(replies).values())      # the whole ranking, lowest first


async def test_none_under_target_is_said() -> None:
    w = ChatWorld()
    ids = await seed_report_data(w.uow)
    async with w.uow as u:
        await u.contracts.delete_where(dealer_id=ids["d1"])
        small = [SalesTarget(period="2026", metric=TargetMetric.AMOUNT, value=Decimal("1000.00"))]
        await u.contracts.add(make_contract(ids["d1"], status=ContractStatus.ACTIVE, targets=small))
        await u.commit()
    await w.user("mgr", Role.MANAGEMENT)
    shown = texts(await w.say("mgr", "哪些经销商没完成目标"))
    assert "都已完成目标" in shown and "上海恒信电器" not in shown, shown


@pytest.mark.parametrize("said", ["哪些经销商这个月还没上报动销", "这个月哪些经销商还没报动销", "哪些经销商本月没报销量"])
async def test_the_dealers_not_reported_this_month_with_the_month_said(said: str) -> None:
    w, _ = await chase_world()
    replies = await w.say("wang", said)
    text = texts(replies)
    assert "RPT-D3 杭州安居家电" in text, text
    assert "RPT-D1" not in text and "RPT-D2" not in text
    assert any(p.startswith("1|sc.remind|") for p in buttons(replies).values())


@pytest.mark.parametrize("said", ["下个月预测", "预测", "下季度的预测", "明年需求预测一下"])
async def test_next_month_forecast_is_the_forecast_button(said: str) -> None:
    w = ChatWorld()
    ids = await seed_report_data(w.uow)
    await w.user("mgr", Role.MANAGEMENT)
    await _history(w, ids["d1"])
    said_reply, pressed = texts(await w.say("mgr", said)), texts(await w.press("mgr", payload("rpt.fc")))
    assert "🔮 未来3个月需求预测 vs 成品库存" in said_reply, said_reply
    assert said_reply == pressed


@pytest.mark.parametrize("said", ["哪些经销商没完成目标", "哪几家没达标"])
async def test_a_dealer_or_the_order_desk_never_gets_the_list(said: str) -> None:
    w = ChatWorld()
    ids = await seed_report_data(w.uow)
    async with w.uow as u:
        await u.contracts.add(make_contract(ids["d2"], status=ContractStatus.ACTIVE))
        await u.commit()
    d1 = await w.uow.dealers.get(ids["d1"])
    await w.user("d1", Role.DEALER_OWNER, d1)
    await w.user("desk", Role.ORDER_DESK)
    for who in ("d1", "desk"):
        shown = texts(await w.say(who, said))
        assert "未完成目标的经销商" not in shown and "北京金鼎家电" not in shown, (who, shown)
