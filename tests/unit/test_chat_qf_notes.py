"""QA s27 P13: the quality engineer's finding typed after a report's card while it is 调查中 (was: "您没有权限执行此操作",
the words read as a dealer-stock question; a second finding was offered only as the next status's note)."""

from __future__ import annotations

from core.quality import CorrectiveStatus
from tests.chat import buttons, texts
from tests.unit.test_chat_staff_misroutes import QUALITY, world

NUMBER = "QF-20261126-0001"


async def test_a_finding_while_investigating_is_logged_and_the_status_kept() -> None:
    w = await world()
    await w.say(QUALITY, NUMBER)
    await w.say(QUALITY, "调查中")
    first = "已通知工厂排查电机批次，先让经销商封存剩余库存"
    offered = await w.say(QUALITY, first)
    assert "没有权限" not in texts(offered) and NUMBER in texts(offered), texts(offered)
    kept = await w.press(QUALITY, buttons(offered)["📝 记下说明（仍为调查中）"])
    assert "已记入 QF-20261126-0001（调查中）" in texts(kept), texts(kept)
    stored = await w.uow.quality.get_by(number=NUMBER)
    assert stored is not None and stored.corrective_status == CorrectiveStatus.INVESTIGATING
    assert stored.corrective_note == first
    second = "怀疑电机绝缘不良，正在做拆机分析"
    offered = await w.say(QUALITY, second)
    await w.press(QUALITY, buttons(offered)["📝 记下说明（仍为调查中）"])
    stored = await w.uow.quality.get_by(number=NUMBER)
    assert stored is not None and stored.corrective_status == CorrectiveStatus.INVESTIGATING
    assert stored.corrective_note == second
    card = texts(await w.say(QUALITY, NUMBER))
    assert "调查中" in card and second in card, card


async def test_the_words_typed_with_the_number_may_be_logged_without_moving_it() -> None:
    w = await world()
    await w.say(QUALITY, NUMBER)
    await w.say(QUALITY, "调查中")
    card = await w.say(QUALITY, f"{NUMBER} 联系供应商要2411批次的检测报告")
    await w.press(QUALITY, buttons(card)["📝 记下说明（仍为调查中）"])
    stored = await w.uow.quality.get_by(number=NUMBER)
    assert stored is not None and stored.corrective_status == CorrectiveStatus.INVESTIGATING
    assert stored.corrective_note == "联系供应商要2411批次的检测报告"
