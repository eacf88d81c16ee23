"""A sell-out report left in the middle (another request typed, a main-menu button tapped) is kept whole: the lines
read and the lines still waiting for an answer (an unknown product, which of several products, which day), and the
dealer is told how to go on with it; nothing of it is dropped without a word."""

from __future__ import annotations

import pytest

from tests.chat import ChatWorld, buttons, texts
from tests.unit.test_chat_sellout_days import _world  # the same dealer and catalogue

# the fixed clock's today: Thursday 2026-11-26; "上周" is 11-16 (Mon) to 11-22 (Sun)




async def _state(w: ChatWorld, chat: str) -> str:
    dialog = await w.uow.dialogs.get_by(chat_id=chat)
    return dialog.state if dialog is not None else ""


async def _report_with_open_lines(w: ChatWorld) -> None:
    """A report of one line read and three waiting: an unknown product, a word of two products, a day to say."""
    await w.say("100", "上报销量")
    await w.say("100", "AP300 3 5997")
    await w.say("100", "XYZ999 2 500")
    await w.say("100", "滤网卖了20个 每个89")
    shown = texts(await w.say("100", "上周卖了DH20 2台 2400"))
    assert "XYZ999" in shown and "滤网卖了20个" in shown and "哪天卖的" in shown, shown


def _whole(shown: str) -> None:
    assert "AP300 ×3台" in shown and "DH20 ×2台" in shown, shown
    assert "未知产品：XYZ999" in shown, shown
    assert "滤网卖了20个" in shown and "请点下面的按钮选是哪个产品" in shown, shown
    assert "哪天卖的" in shown and "11-16~11-22" in shown, shown


async def test_a_report_left_for_a_question_keeps_its_lines_waiting_for_an_answer() -> None:
    """Tried in the chat as D0001: a report with an unknown product and a "which 滤网" line, left for "AP300还有货吗",
    came back with 📈 继续上报 holding only the lines read (the two others gone without a word)."""
    w = await _world()
    await _report_with_open_lines(w)
    left = await w.say("100", "AP300还有货吗")
    assert "已保留" in texts(left) and "📈 继续上报" in buttons(left), texts(left)
    back = await w.press("100", buttons(left)["📈 继续上报"])
    _whole(texts(back))
    assert "空气净化器AP300（AP300）" not in buttons(back) and "AP500 滤网（F500）" in buttons(back)
    picked = await w.press("100", buttons(back)["AP500 滤网（F500）"])       # the choice still works after the return
    assert "F500 ×20箱" in texts(picked), texts(picked)


async def test_a_report_of_lines_not_read_yet_is_kept_too() -> None:
    """Only a line waiting for an answer (no line read yet): before, "已退出销量上报" and the line was gone."""
    w = await _world()
    await w.say("100", "上报销量")
    await w.say("100", "滤网卖了20个 每个89")
    left = await w.say("100", "AP300还有货吗")
    assert "销量上报（1 行）已保留" in texts(left), texts(left)
    back = await w.press("100", buttons(left)["📈 继续上报"])
    assert "滤网卖了20个" in texts(back) and "AP500 滤网（F500）" in buttons(back), texts(back)


@pytest.mark.parametrize("how", ["tap", "type"])
async def test_a_main_menu_button_in_the_middle_of_a_report_parks_it_and_says_so(how: str) -> None:
    """Tried in the chat as D0001: "📦 我的订单" tapped (or typed) with a report open dropped the report in silence;
    "📈 销量上报" after it started an empty one."""
    w = await _world()
    menu = buttons(await w.say("100", "/menu"))
    await _report_with_open_lines(w)
    if how == "tap":
        left = await w.press("100", menu["📦 我的订单"])
    else:
        left = await w.say("100", "📦 我的订单")
    shown = texts(left)
    assert "订单" in shown and "销量上报（4 行）已保留" in shown and "📈 继续上报" in buttons(left), shown
    assert not (await _state(w, "100")).startswith("so."), "the report form was not left"
    back = await w.press("100", menu["📈 销量上报"])
    _whole(texts(back))


async def test_a_main_menu_button_with_an_empty_report_says_nothing_of_it() -> None:
    w = await _world()
    menu = buttons(await w.say("100", "/menu"))
    await w.press("100", menu["📈 销量上报"])
    shown = texts(await w.press("100", menu["📦 我的订单"]))
    assert "已保留" not in shown and "已退出销量上报" not in shown, shown


async def test_the_report_named_by_menu_goes_on_with_its_summary() -> None:
    """/menu in the middle of a report: "您还有没填完的登记" and ▶ 继续填写 answered "系统出了点问题" (the report's form
    has no summary of the step forms' kind)."""
    w = await _world()
    await w.say("100", "上报销量")
    await w.say("100", "AP300 3 5997")
    await w.say("100", "XYZ999 2 500")
    notice = await w.say("100", "/menu")
    assert "您还有没填完的销量上报" in texts(notice), texts(notice)
    back = texts(await w.press("100", buttons(notice)["▶ 继续填写"]))
    assert "AP300 ×3台" in back and "未知产品：XYZ999" in back and "系统出了点问题" not in back, back
