"""Quality feedback in chat: the form, bad counts, photos, exactly-once submit, the quality staff notice."""

from __future__ import annotations

import pytest

from core.quality import CorrectiveStatus
from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts


async def _world() -> tuple[ChatWorld, int]:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="南京宏达商贸有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("950", Role.QUALITY, username="zhou")
    assert dealer.id is not None
    return w, dealer.id


async def test_quality_feedback_from_free_text_to_one_record() -> None:
    w, dealer_id = await _world()
    replies = await w.say("100", "AP300 这批有质量问题，外壳划痕明显")
    assert "质量反馈" in texts(replies) and "批次" in texts(replies)   # product known from the words
    count = await w.say("100", "B2026-11-A")       # 外观 said with 划痕: the category is not asked
    assert "数量" in texts(count) and "问题属于哪一类" not in texts(count)

    bad = await w.say("100", "很多")
    assert "正整数" in texts(bad)
    bad_zero = await w.say("100", "0")
    assert "正整数" in texts(bad_zero)
    desc = await w.say("100", "三台")
    assert "外壳划痕明显" in texts(desc)
    photos = await w.press("100", payload("qf.keep"))
    assert "照片" in texts(photos)
    await w.photo("100", "qf-1")
    summary = await w.press("100", payload("qf.done"))
    text = texts(summary)
    assert "批次：B2026-11-A" in text and "类别：外观" in text and "数量：3" in text and "照片：1 张" in text

    confirm = buttons(summary)["✅ 确认提交"]
    w.forget_pushes()
    created = await w.press("100", confirm)
    assert "质量反馈已提交：QF-20261126-0001" in texts(created)
    feedback = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert feedback is not None
    assert (feedback.dealer_id, feedback.sku, feedback.batch, feedback.defect_category, feedback.count) == (
        dealer_id, "AP300", "B2026-11-A", "外观", 3)
    assert feedback.photos == ["qf-1"] and feedback.corrective_status == CorrectiveStatus.NEW
    notices = await w.all_pushed()
    assert [(r.chat_id, "QF-20261126-0001" in r.text) for r in notices] == [("950", True)]

    again = await w.press("100", confirm)
    assert "QF-20261126-0001" in texts(again)
    assert await w.uow.quality.count() == 1


async def test_menu_start_with_product_buttons_and_skips() -> None:
    w, _ = await _world()
    replies = await w.press("100", payload("qf.new"))
    assert buttons(replies)["除湿机DH20"] == payload("qf.sku", "DH20")
    await w.press("100", payload("qf.sku", "DH20"))
    await w.press("100", payload("qf.skip"))                 # no batch
    await w.say("100", "噪音")                                # typed category
    await w.say("100", "2")
    await w.press("100", payload("qf.skip"))                 # no description
    summary = await w.press("100", payload("qf.done"))
    assert "类别：噪音" in texts(summary) and "批次：无" in texts(summary)
    await w.press("100", buttons(summary)["✅ 确认提交"])
    feedback = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert feedback is not None and feedback.batch is None and feedback.defect_category == "噪音"


async def test_forged_category_and_stale_buttons_change_nothing() -> None:
    w, _ = await _world()
    assert "按钮已失效" in texts(await w.press("100", payload("qf.cat", 3)))
    await w.press("100", payload("qf.new"))
    await w.press("100", payload("qf.sku", "AP300"))
    await w.press("100", payload("qf.skip"))
    assert "按钮已失效" in texts(await w.press("100", payload("qf.cat", 99)))
    assert "按钮已失效" in texts(await w.press("100", payload("qf.ok", "00000000")))
    assert await w.uow.quality.count() == 0


async def test_unbound_user_is_sent_to_binding() -> None:
    w, _ = await _world()
    assert "绑定码" in texts(await w.press("777", payload("qf.new")))


async def test_a_category_typed_in_words_is_kept_never_asked_again() -> None:
    """"气味" (no such button) was ignored and the question asked again; now it is 其他 with the words kept, and
    words of a known kind ("有异响") take that category."""
    for typed, stored in (("气味", "其他（气味）"), ("有异响", "噪音"), ("外箱破损", "包装")):
        w, _ = await _world()
        await w.say("100", "AP300 这批有质量问题，好几台都一样")
        await w.say("100", "B2026-11-A")
        asked = texts(await w.say("100", typed))
        assert "数量" in asked and "类别" not in asked.split("数量")[0][-10:], typed
        await w.say("100", "3")
        await w.press("100", payload("qf.keep"))
        summary = texts(await w.press("100", payload("qf.done")))
        assert f"类别：{stored}" in summary, typed


async def test_the_quality_push_acts_like_the_ticket_push_one_tap_to_investigate() -> None:
    """The new-report push had no buttons (the ticket push has ✋ 受理 / 🔎 详情): now ➡️ 调查中 and 🔎 详情."""
    w, _ = await _world()
    await w.say("100", "AP300 这批有质量问题，外壳划痕明显")
    await w.say("100", "B2026-11-A")
    await w.press("100", payload("qf.cat", 0))
    await w.say("100", "3")
    await w.press("100", payload("qf.keep"))
    summary = await w.press("100", payload("qf.done"))
    w.forget_pushes()
    await w.press("100", buttons(summary)["✅ 确认提交"])
    push = next(r for r in await w.all_pushed() if r.chat_id == "950")
    offered = {b.label: b.payload for row in push.buttons for b in row}
    assert set(offered) == {"➡️ 调查中", "🔎 详情"}
    moved = texts(await w.press("950", offered["➡️ 调查中"]))
    assert "调查中" in moved
    stored = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert stored is not None and stored.corrective_status == CorrectiveStatus.INVESTIGATING


@pytest.mark.parametrize("said", ["质量反馈", "我要质量反馈", "反馈质量问题", "report a quality issue"])
async def test_asking_to_file_a_quality_report_starts_the_form(said: str) -> None:
    """(was: the list of the dealer's tickets, "您还没有售后工单或质量反馈", or "没有找到与您说的相符的工单")"""
    w, _ = await _world()
    shown = texts(await w.say("100", said))
    assert "⚠️ 质量反馈" in shown or "⚠️ Quality feedback" in shown
    assert "没有找到" not in shown and "还没有售后工单" not in shown
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="100")
    assert stored is not None and stored.state.startswith("qf.")


async def test_my_quality_reports_are_still_the_list() -> None:
    w, _ = await _world()
    assert "还没有售后工单或质量反馈" in texts(await w.say("100", "我的质量反馈"))


@pytest.mark.parametrize("said", ["哪个批次问题最多", "AP300质量问题多不多", "AP300的质量问题有几个"])
async def test_quality_staff_asking_about_defects_get_the_figures(said: str) -> None:
    """(was: "此功能仅供经销商用户使用": a quality question from quality staff went to the dealer's form)"""
    from core.services.quality import SubmitQualityFeedback, submit_quality_feedback
    from tests.factories import dealer_user

    w, dealer_id = await _world()
    owner = dealer_user(dealer_id)
    for sku, batch, count in (("AP300", "B2611", 4), ("AP300", "B2611", 2), ("DH20", "B2610", 3)):
        await submit_quality_feedback(w.uow, owner, SubmitQualityFeedback(
            dealer_id=dealer_id, sku=sku, defect_category="噪音", count=count, batch=batch), w.clock)
    shown = texts(await w.say("950", said))
    assert "仅供经销商" not in shown and "质量反馈统计" in shown
    if "AP300" in said:
        assert "AP300" in shown and "2 条反馈，6 台" in shown and "DH20" not in shown
    else:
        assert shown.index("B2611：6 台") < shown.index("B2610：3 台")


async def test_the_quality_staff_see_the_reports_photos_when_they_open_it() -> None:
    """The quality department typing a QF number (or pressing it in /qf) gets the dealer's photos as images before
    the card, as for an after-sales ticket (was: "照片：2 张" and no picture)."""
    w, _ = await _world()
    await w.say("100", "AP300 这批有三台外壳裂了")          # 外观 and 3 units taken from the words
    await w.say("100", "B2411-07")
    await w.press("100", payload("qf.keep"))
    await w.photo_of("100", b"\xff\xd8crack-1")
    await w.photo_of("100", b"\xff\xd8crack-2")
    summary = await w.press("100", payload("qf.done"))
    await w.press("100", buttons(summary)["✅ 确认提交"])

    card = await w.say("950", "QF-20261126-0001")
    assert [r.image for r in card if r.image] == [b"\xff\xd8crack-1", b"\xff\xd8crack-2"]
    assert "照片：2 张" in texts(card) and "➡️ 调查中" in texts(card)
    pressed = await w.press("950", payload("staff.qf.detail", "QF-20261126-0001"))
    assert len([r for r in pressed if r.image]) == 2


async def _filed(w: ChatWorld, said: str, batch: str, count: str) -> None:
    await w.say("100", said)
    await w.say("100", batch)
    await w.press("100", payload("qf.cat", 0))
    await w.say("100", count)
    await w.press("100", payload("qf.keep"))
    summary = await w.press("100", payload("qf.done"))
    await w.press("100", buttons(summary)["✅ 确认提交"])


@pytest.mark.parametrize("said", ["这个月质量反馈有多少", "本月质量问题几个", "这个月有几个质量反馈啊"])
async def test_management_asking_how_many_quality_reports_this_month_get_the_figures(said: str) -> None:
    """Management (no quality queue of its own, reads every report) asking how many quality reports this month:
    the month's reports and units counted, by batch and defect (was: '您没有权限执行此操作')."""
    w, _ = await _world()
    await w.user("960", Role.MANAGEMENT, username="zhou.m")
    await _filed(w, "AP300 这批外壳裂了", "B2411-07", "3")
    await _filed(w, "DH20 外壳有划痕", "B2411-09", "2")
    replies = await w.say("960", said)
    text = texts(replies)
    assert "没有权限" not in text
    assert "2026-11-01 至 2026-11-26" in text and "2 条反馈，5 台" in text
    assert "B2411-07：3 台" in text and "AP300 外观：3 台" in text
    assert "质量反馈列表" not in text            # no queue for management to open


async def test_typed_keep_and_confirm_words_are_the_buttons() -> None:
    """"就用这个" under "问题描述：… 点“使用此描述”" keeps the words said first, and "确认" under the summary submits it
    (was: '就用这个' stored as the description, '请点“确认提交”或“取消”')."""
    w, _ = await _world()
    await w.say("100", "AP300 这批有三台外壳裂了")          # 外观 and 3 units taken from the words
    await w.say("100", "B2411-07")
    photos = await w.say("100", "就用这个")
    assert "照片" in texts(photos)
    summary = await w.press("100", payload("qf.done"))
    assert "描述：AP300 这批有三台外壳裂了" in texts(summary)
    created = await w.say("100", "好的 确认")
    assert "质量反馈已提交：QF-20261126-0001" in texts(created)
    feedback = await w.uow.quality.get_by(number="QF-20261126-0001")
    assert feedback is not None and feedback.description == "AP300 这批有三台外壳裂了"
    await w.say("100", "确认")                                       # typed again: no second report
    assert await w.uow.quality.count() == 1


@pytest.mark.parametrize("said", ["批号是B2411-07", "批次：B2411-07", "生产批号为 B2411-07", "lot no. B2411-07",
                                  "B2411-07"])
async def test_the_batch_is_kept_without_the_words_saying_what_it_is(said: str) -> None:
    """(was: "批号是B2411-07" stored as the batch, a batch of its own in the per-batch counts)"""
    w, _ = await _world()
    await w.say("100", "AP300 这批有质量问题，外壳划痕明显")
    await w.say("100", said)
    await w.press("100", payload("qf.cat", 0))
    await w.say("100", "3")
    await w.press("100", payload("qf.keep"))
    summary = await w.press("100", payload("qf.done"))
    assert "批次：B2411-07\n" in texts(summary) or "Batch: B2411-07\n" in texts(summary)   # English typed: English


async def test_the_opening_words_answer_the_batch_kind_and_count_they_give() -> None:
    w, _ = await _world()
    asked = await w.say("100", "AP300 到了三台噪音特别大，生产批号B2411-07")
    assert "问题描述" in texts(asked)                  # batch, 噪音 and 3 units taken from the words
    await w.press("100", payload("qf.keep"))
    summary = texts(await w.press("100", payload("qf.done")))
    assert "批次：B2411-07" in summary and "类别：噪音" in summary and "数量：3" in summary


@pytest.mark.parametrize("said", ["AP300 这批到了5台 有3台开机噪音特别大 批号B2411-07",
                                  "AP300 收到5台 其中3台噪音很大，批号B2411-07"])
async def test_the_units_that_arrived_are_not_the_units_with_the_defect(said: str) -> None:
    """QA s28 #9: "这批到了5台 有3台开机噪音特别大" was filed with 5 units (quality saw "噪音 5 台"); the units that
    arrived are left out: 3."""
    w, _ = await _world()
    await w.say("100", said)
    await w.press("100", payload("qf.keep"))
    summary = texts(await w.press("100", payload("qf.done")))
    assert "批次：B2411-07" in summary and "类别：噪音" in summary and "数量：3\n" in summary


async def test_words_naming_two_kinds_of_defect_ask_which() -> None:
    w, _ = await _world()
    await w.say("100", "AP300 五台到货就不工作，外壳还有裂纹")
    asked = await w.press("100", payload("qf.skip"))
    assert buttons(asked)["外观"] == payload("qf.cat", 0)      # 功能 and 外观 both said: the dealer picks
    desc = await w.press("100", payload("qf.cat", 1))
    assert "问题描述" in texts(desc)                             # the count (五台) was said


async def test_a_sentence_typed_at_the_batch_question_is_kept_as_the_description_not_taken_as_the_batch() -> None:
    w, _ = await _world()
    await w.say("100", "/quality")
    await w.press("100", payload("qf.sku", "AP300"))
    refused = await w.say("100", "外壳裂了好几道，而且插电以后完全不转，客户已经退了两台")
    assert "不像批次号" in texts(refused) and "跳过" in str(buttons(refused))
    await w.say("100", "B2411-07")
    await w.press("100", payload("qf.cat", 0))
    desc = await w.say("100", "2")
    assert "外壳裂了好几道" in texts(desc)                        # offered at the description step
    await w.press("100", payload("qf.keep"))
    summary = texts(await w.press("100", payload("qf.done")))
    assert "批次：B2411-07" in summary and "外壳裂了好几道" in summary


async def test_goods_short_or_damaged_on_arrival_go_to_the_shipped_orders_receipt_never_into_an_order() -> None:
    """"12月3号那单货今天到了，AP300少了2台，有一台外箱压坏了" (was: two more AP300 added to the dealer's submitted order
    through its change, or to the open cart): the shipped order's receipt is offered, nothing is ordered."""
    from core.orders import OrderStatus

    w, dealer_id = await _world()
    dealer = await w.uow.dealers.get(dealer_id)
    assert dealer is not None
    await w.prepay(dealer)
    shipped = await w.order(dealer, [("AP300", 10)], to="shipped")
    submitted = await w.order(dealer, [("DH20", 3)])
    said = "那单货今天到了，AP300少了2台，有一台外箱压坏了"
    offered = await w.say("100", said)
    assert "登记收货问题" in texts(offered) and "修改订单" not in texts(offered)
    issue = await w.press("100", buttons(offered)[f"📦 {shipped.number} 登记少货/破损"])
    assert shipped.number in texts(issue) and "AP300）少货 ×2" in texts(issue) and "AP300）破损 ×1" in texts(issue)
    assert "✅ 确认登记并转订单台" in buttons(issue)                 # the lines read from the words: one tap records them
    after = await w.uow.orders.get_by(number=submitted.number)
    assert after is not None and after.version == submitted.version and after.status == OrderStatus.SUBMITTED
    await w.press("100", buttons(issue)["📄 查看订单"])                 # another screen: the words offered afresh
    as_quality = await w.say("100", said)
    form = await w.press("100", buttons(as_quality)["⚠️ 作为质量反馈提交"])
    assert "质量反馈" in texts(form)
    await w.press("100", payload("qf.cancel"))
    await w.say("100", "DH20 来3台")                                   # a cart open: the words add nothing to it
    kept = texts(await w.say("100", "昨天到的货，AP300少了2台"))
    assert "AP300 ×2" not in kept and "已加入" not in kept and "购物车会保留" in kept


async def test_the_keep_buttons_label_typed_keeps_the_words_said_first() -> None:
    """"使用此描述" typed at the description step (was: stored as the description itself)."""
    w, _ = await _world()
    await w.say("100", "AP300 这批有三台外壳裂了")
    await w.say("100", "B2411-07")
    await w.say("100", "使用此描述")
    summary = texts(await w.press("100", payload("qf.done")))
    assert "描述：AP300 这批有三台外壳裂了" in summary and "使用此描述" not in summary


@pytest.mark.parametrize(("said", "count"), [("五六个吧", 6), ("大概三四台", 4), ("5到6个", 6), ("差不多10台左右", 10)])
async def test_a_rough_count_is_read_as_ordering_reads_it(said: str, count: int) -> None:
    """QA s25 #22: "五六个吧" at the count answered "请输入一个正整数" (ordering reads it: the larger)."""
    w, _ = await _world()
    await w.press("100", payload("qf.new"))
    await w.press("100", payload("qf.sku", "AP300"))
    await w.press("100", payload("qf.skip"))
    await w.press("100", payload("qf.cat", 1))
    shown = texts(await w.say("100", said))
    assert "正整数" not in shown
    stored = await w.uow.dialogs.get_by(channel=w.channel, chat_id="100")
    assert stored is not None and stored.data.get("count") == count


@pytest.mark.parametrize("typed", ["5台", "5", "五台"])
async def test_a_count_typed_at_the_category_question_is_the_count_and_the_kind_is_asked_again(typed: str) -> None:
    """QA s26 #17: "5台" at "问题属于哪一类？" was stored as the category (类别：其他（5台）). A count is no kind of
    defect: it is kept as the count and the kinds are offered again."""
    w, _ = await _world()
    await w.say("100", "AP300 这批有质量问题，好几台都一样")
    await w.say("100", "B2026-11-A")
    again = await w.say("100", typed)
    assert "已记下数量：5 台" in texts(again) and "问题属于哪一类" in texts(again), texts(again)
    assert buttons(again)["功能"] == payload("qf.cat", 1)
    desc = await w.press("100", payload("qf.cat", 1))
    assert "问题描述" in texts(desc)                     # the count is not asked again
    await w.press("100", payload("qf.keep"))
    summary = texts(await w.press("100", payload("qf.done")))
    assert "类别：功能" in summary and "数量：5" in summary and "5台）" not in summary
