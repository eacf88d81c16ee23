"""A sell-out report corrected as a dealer would in chat: "DH20 不是3台是5台" sets that line's count (was: read as
another DH20 line: "缺少金额" and the line left at 3, or, with an amount, the line added a second time)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.users import Role
from nlu.normalize import normalize
from nlu.sale_words import corrected_qty, dropped_line
from tests.chat import ChatWorld, buttons, texts


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(province="江苏", city="南京")
    await w.user("100", Role.DEALER_OWNER, dealer)
    return w


@pytest.mark.parametrize("said, qty", [("DH20 不是3台是5台", 5), ("DH20 不是3台是5台 共7995", 5), ("AP300 数量改成5", 5),
                                       ("DH20应该是五台", 5), ("DH20 5台 7995", None), ("DH20 又卖了5台 7995", None),
                                       ("金额改成8000", None), ("改成8000元", None), ("昨天的", None)])
def test_a_count_said_again_is_read(said: str, qty: int | None) -> None:
    assert corrected_qty(normalize(said)) == qty


async def test_a_report_in_three_messages_corrected_trimmed_and_redated_is_recorded_as_shown() -> None:
    """Tried in the chat as D0001: lines in two messages, "DH20 不是3台是5台", "AP300那行不要了", "昨天的", confirm:
    DH20 was recorded at 3 台 (the correction shown as a problem line, then left out at the submit)."""
    w = await _world()
    await w.say("100", "上报销量")
    await w.say("100", "AP300 3 5997")
    await w.say("100", "DH20 3台 单价1599 杭州 零售")
    fixed = texts(await w.say("100", "DH20 不是3台是5台"))
    assert "已把 DH20 的数量从 3 改为 5，金额 ¥7,995.00" in fixed and "DH20 ×5台 ¥7,995.00" in fixed, fixed
    assert "有效 2 行" in fixed and "缺少金额" not in fixed, fixed
    with_amount = texts(await w.say("100", "AP300 不是3台是2台 共4000"))
    assert "有效 2 行" in with_amount and "AP300 ×2台 ¥4,000.00" in with_amount, with_amount
    assert "已删除 1 行" in texts(await w.say("100", "AP300那行不要了"))
    redated = await w.say("100", "昨天的")
    assert "11-25 DH20 ×5台 ¥7,995.00" in texts(redated), texts(redated)
    assert "已上报 1 行销量" in texts(await w.press("100", buttons(redated)["✅ 确认提交"]))
    lines = await w.uow.sellout.list()
    assert [(ln.sku, ln.qty, ln.amount, ln.sold_on) for ln in lines] == [
        ("DH20", 5, Decimal("7995.00"), date(2026, 11, 25))]


async def test_a_correction_naming_a_product_of_several_lines_asks_which_and_changes_nothing() -> None:
    w = await _world()
    await w.say("100", "上报销量")
    await w.say("100", "DH20 3台 单价1599 杭州 零售\n昨天 DH20 2台 单价1599 南京 零售")
    shown = texts(await w.say("100", "DH20 不是3台是5台"))
    assert "没有唯一的一行 DH20" in shown and "DH20 ×3台" in shown and "DH20 ×2台" in shown, shown
    assert "DH20 ×5台" not in shown and "有效 2 行" in shown, shown


async def test_lines_not_read_at_the_submit_are_said_to_be_left_out() -> None:
    """Lines with a problem are listed "改好前不会记录（会一直列在这里）"; at the submit they were gone without a word."""
    w = await _world()
    await w.say("100", "上报销量")
    shown = await w.say("100", "AP300 3 5997\nXYZ999 2 500")
    done = texts(await w.press("100", buttons(shown)["✅ 确认提交"]))
    assert "已上报 1 行销量" in done and "以下 1 行有问题，没有上报" in done and "XYZ999" in done, done


@pytest.mark.parametrize("said, line", [("第2行不要了", 2), ("删掉第4行", 4), ("第四行删了", 4), ("把第3行去掉", 3),
                                        ("第2行改成5台", None), ("第2行 DH20 3台", None)])
def test_a_line_taken_back_by_its_number_is_read(said: str, line: int | None) -> None:
    assert dropped_line(normalize(said)) == line


async def test_a_line_taken_back_by_its_number() -> None:
    """"第3行不要了" under a report listing "第 3 行：未知产品：XYZ999" was read as a complaint ("这条不像销售记录",
    ⚠️ 质量反馈 offered); the line stayed."""
    w = await _world()
    await w.say("100", "上报销量")
    await w.say("100", "AP300 3 5997\nDH20 2台 单价1599\nXYZ999 2 500")
    shown = texts(await w.say("100", "第3行不要了"))
    assert "第 3 行不报了" in shown and "XYZ999" not in shown and "有效 2 行" in shown, shown
    shown = texts(await w.say("100", "第2行不要了"))         # no problem line 2: the second sale listed
    assert "有效 1 行" in shown and "DH20" not in shown and "AP300 ×3台" in shown, shown
    shown = texts(await w.say("100", "第9行不要了"))
    assert "没有第 9 行，没有改动" in shown and "有效 1 行" in shown, shown
