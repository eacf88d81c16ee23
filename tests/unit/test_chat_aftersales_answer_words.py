"""The dealer answers after-sales' question with a photo, then with words (the way it is done: the photo of the
nameplate, then "铭牌在背面，出风口里面有灰"): the words reach the ticket too (was: the main menu, the words lost)."""

from __future__ import annotations

from core.users import Role
from handlers.router import payload
from tests.chat import ChatWorld, buttons, texts


async def test_words_after_the_photo_answer_are_offered_to_the_ticket() -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    await w.user("900", Role.AFTER_SALES, username="li.aftersales")
    replies = await w.say("100", "客户家的除湿机不出水")
    for _ in range(8):
        shown = buttons(replies)
        if "✅ 确认提交" in shown:
            await w.press("100", shown["✅ 确认提交"])
            break
        key = next((k for k in ("✔ 使用此描述", "✅ 完成", "普通（48 小时）") if k in shown), None)
        replies = await w.press("100", shown[key] if key else payload("as.skip"))
    number = "AS-20261126-0001"
    await w.press("900", payload("staff.ticket.accept", number))
    await w.press("900", payload("staff.ticket.info", number))
    await w.say("900", "麻烦拍一下机身铭牌，再说下出风口的情况")

    offered = await w.photo("100", "ph-nameplate")
    await w.press("100", buttons(offered)["📎 补充到工单"])
    words = await w.say("100", "铭牌在背面，出风口里面有灰")
    assert "这是对工单" in texts(words) and "出风口里面有灰" in texts(words)
    await w.press("100", buttons(words)["✍️ 作为回复发送"])
    ticket = await w.uow.tickets.get_by(number=number)
    assert ticket is not None and ticket.comments[-1].text == "铭牌在背面，出风口里面有灰"
    assert ticket.photos == ["ph-nameplate"]
