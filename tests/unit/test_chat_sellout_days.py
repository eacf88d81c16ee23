"""Sell-out report (QA s28 #11, #12): the day said applies to the lines ("上周" asked, "12月5号" kept), a date
correction changes them; a line not read stays in the report until solved (a word of several products offered as
a choice); the same message sent twice is asked about, not added twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from core.users import Role
from tests.chat import ChatWorld, buttons, texts
from tests.factories import make_product

# the fixed clock's today: Thursday 2026-11-26; "上周" is 11-16 (Mon) to 11-22 (Sun)
OPENING = "上周卖了AP300 12台 每台1699，DH20 5台，还有滤网卖了20个"


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    await w.uow.products.add(make_product("F500", name="AP500 滤网", aliases=["滤网"], unit="箱",
                                          list_price=Decimal("399.00")))
    dealer = await w.dealer(province="江苏", city="南京")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.uow.commit()
    return w


async def test_a_vague_week_is_asked_and_the_day_answered_dates_the_lines() -> None:
    """QA s28 #11: "上周卖了…" was booked today; the report now asks which day and offers no submit until told."""
    w = await _world()
    replies = await w.say("100", OPENING)
    shown = texts(replies)
    assert "11-16~11-22" in shown and "哪天卖的" in shown, shown
    assert "11-26 AP300" not in shown and "✅ 确认提交" not in buttons(replies)
    typed_ok = texts(await w.say("100", "确认提交"))                  # no day yet: asked again, nothing recorded
    assert "哪天卖的" in typed_ok and await w.uow.sellout.count() == 0
    answered = await w.say("100", "上周五")
    assert "已把 1 行的销售日期改为 11-20" in texts(answered) and "11-20 AP300 ×12台 ¥20,388.00" in texts(answered)
    await w.press("100", buttons(answered)["✅ 确认提交"])
    [line] = await w.uow.sellout.list()
    assert (line.sku, line.qty, line.sold_on) == ("AP300", 12, date(2026, 11, 20))


async def test_a_date_correction_changes_the_dates_of_the_lines() -> None:
    """QA s28 #11: "日期不对 都是12月5号卖的" was read as a bad sales line ("已追加 0 行"), the dates stayed."""
    w = await _world()
    await w.say("100", "卖了AP300 12台 每台1699")
    await w.say("100", "DH20 5台 1299一台")
    replies = await w.say("100", "日期不对 都是11月20号卖的")
    shown = texts(replies)
    assert "已把 2 行的销售日期改为 11-20" in shown and "已追加" not in shown, shown
    assert "11-20 AP300" in shown and "11-20 DH20" in shown and "11-26" not in shown
    await w.press("100", buttons(replies)["✅ 确认提交"])
    assert {ln.sold_on for ln in await w.uow.sellout.list()} == {date(2026, 11, 20)}


async def test_a_day_said_on_the_line_is_kept_and_a_later_fix_takes_its_day() -> None:
    """"昨天…DH20 5台" (no amount), then "DH20 5台 1299一台": the line solved, on the day said with it."""
    w = await _world()
    await w.say("100", "昨天卖了AP300 2台 每台1699，DH20 5台")
    replies = await w.say("100", "DH20 5台 1299一台")
    shown = texts(replies)
    assert "11-25 AP300 ×2台" in shown and "11-25 DH20 ×5台 ¥6,495.00" in shown, shown
    assert "缺少金额" not in shown                                # the line missing its amount is solved


async def test_a_word_of_several_products_is_offered_as_a_choice_and_kept_until_solved() -> None:
    """QA s28 #12: "滤网卖了20个" showed an error once, then vanished from the next summary."""
    w = await _world()
    first = await w.say("100", "AP300 12台 每台1699，还有滤网卖了20箱")
    assert "是哪个" in texts(first) and {"AP300 滤网（F300）", "AP500 滤网（F500）"} <= set(buttons(first)), buttons(first)
    later = await w.say("100", "DH20 5台 1299一台")
    assert "滤网卖了20箱" in texts(later) and "AP500 滤网（F500）" in buttons(later), texts(later)  # still there
    picked = await w.press("100", buttons(later)["AP500 滤网（F500）"])
    assert "F500 ×20箱" not in texts(picked) and "缺少金额" in texts(picked)           # no amount said yet: kept
    solved = await w.say("100", "滤网 20箱 每箱399")     # the 滤网 picked for that line: F500
    shown = texts(solved)
    assert "F500 ×20箱 ¥7,980.00" in shown and "缺少金额" not in shown and "有问题" not in shown, shown


async def test_a_line_of_several_products_can_be_left_out() -> None:
    w = await _world()
    first = await w.say("100", "AP300 12台 每台1699，还有滤网卖了20箱")
    left = await w.press("100", buttons(first)["✖ 第 2 行不报"])
    assert "第 2 行不报了" in texts(left) and "滤网" not in texts(left)


async def test_the_same_message_sent_twice_is_asked_about_not_added() -> None:
    """QA s28 #12: a double send appended a second "AP300 ×12台" ("合计 24 台") without a word."""
    w = await _world()
    await w.say("100", "卖了AP300 12台 每台1699")
    again = await w.say("100", "卖了AP300 12台 每台1699")
    shown = texts(again)
    assert "像是重复发送" in shown and "合计 12 台" in shown and "合计 24 台" not in shown, shown
    added = await w.press("100", buttons(again)["➕ 是又卖了一批，追加"])
    assert "合计 24 台" in texts(added)


async def test_the_day_asked_in_english_is_answered_in_english() -> None:
    w = await _world()
    first = await w.say("100", "sold AP300 12 units unit price 1699 last week")
    assert "Which day were these sold (11-16 to 11-22)" in texts(first), texts(first)
    answered = await w.say("100", "Nov 20")
    assert "11-20 AP300 ×12" in texts(answered) and "✅ Submit" in "".join(buttons(answered)), texts(answered)
