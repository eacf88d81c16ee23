"""A dealer's photo sent first, outside any form (with words under it, or none): it reaches the staff who handle the
ticket or the quality report (was: the help shown, the photo and its words lost)."""

from __future__ import annotations

from core.users import Role
from handlers.messages import InboundKind
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts


async def _world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("900", Role.AFTER_SALES, username="li.aftersales")
    await w.user("901", Role.QUALITY, username="zhao.quality")
    return w


async def _finish_ticket(w: ChatWorld, replies: list) -> None:  # type: ignore[type-arg]
    for _ in range(8):
        shown = buttons(replies)
        if "✅ 确认提交" in shown:
            await w.press("100", shown["✅ 确认提交"])
            return
        if "✔ 使用此描述" in shown:
            replies = await w.press("100", shown["✔ 使用此描述"])
        elif "✅ 完成" in shown:
            replies = await w.press("100", shown["✅ 完成"])
        elif "普通（48 小时）" in shown:
            replies = await w.press("100", shown["普通（48 小时）"])
        else:
            replies = await w.press("100", payload("as.skip"))
    raise AssertionError(texts(replies))


async def test_a_photo_with_the_problem_under_it_starts_the_repair_and_reaches_after_sales() -> None:
    w = await _world()
    replies = await w.send(w._inbound("100", InboundKind.PHOTO, file_refs=("ph-1",), text="客户家除湿机不出水了"))
    assert "可用命令" not in texts(replies) and "1 张照片" in texts(replies)
    w.forget_pushes()
    await _finish_ticket(w, replies)
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and ticket.photos == ["ph-1"] and "不出水" in ticket.description
    pushed = await w.all_pushed()
    assert any(p.chat_id == "900" for p in pushed)


async def test_a_photo_alone_is_kept_and_asked_what_it_is_for() -> None:
    w = await _world()
    asked = await w.photo("100", "ph-2")
    assert "可用命令" not in texts(asked)
    started = await w.press("100", buttons(asked)["🛠 售后报修"])
    assert "1 张照片" in texts(started)
    await w.press("100", payload("as.sku", "DH20"))
    replies = await w.press("100", payload("as.skip"))
    for _ in range(3):
        replies = await w.press("100", payload("as.skip"))
    replies = await w.say("100", "开机没反应")
    await _finish_ticket(w, replies)
    ticket = await w.uow.tickets.get_by(number="AS-20261126-0001")
    assert ticket is not None and ticket.photos == ["ph-2"]


async def test_a_photo_alone_may_go_to_a_quality_report() -> None:
    w = await _world()
    asked = await w.photo("100", "ph-3")
    started = await w.press("100", buttons(asked)["⚠️ 质量反馈"])
    assert "1 张照片" in texts(started)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.state.startswith("qf.") and stored.data["photos"] == ["ph-3"]


async def test_with_text_recognition_a_photo_of_a_broken_machine_is_not_read_as_an_order_list() -> None:
    """Where the order-list reader runs (production): a photo with no order line in it was answered
    "图片里没有找到订货清单" and lost; now it is asked what it is for, and a caption of a repair goes straight there."""
    w = await _world()

    async def nothing_read(data: bytes) -> list:  # type: ignore[type-arg]
        return []

    w.service.deps.read_image_text = nothing_read
    asked = await w.photo_of("100", b"\xff\xd8\xff\xe0 a broken fan")
    assert "没有找到订货清单" not in texts(asked) and "🛠 售后报修" in buttons(asked)
