"""A batch problem reported the way dealers type it: the batch number is no count of units (was: "这批DH20有好几台
外壳裂了，批号2411" filed with 数量：2411)."""

from __future__ import annotations

from core.users import Role
from nlu.quality_counts import units_reported
from tests.chat import ChatWorld, buttons, texts


def test_the_batch_number_is_no_count() -> None:
    assert units_reported("这批DH20有好几台外壳裂了，批号2411", 2411) is None
    assert units_reported("DH20批号B2411-07有5台外壳开裂", 2411) == 5
    assert units_reported("DH20 坏了3", 3) == 3


async def test_a_batch_problem_asks_how_many_units_instead_of_taking_the_batch() -> None:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer(name="上海华信电器有限公司")
    await w.user("100", Role.DEALER_OWNER, dealer)
    replies = await w.say("100", "这批DH20有好几台外壳裂了，批号2411")
    for _ in range(6):
        shown = texts(replies)
        if "有多少台" in shown or "请确认质量反馈" in shown:
            break
        replies = await w.press("100", next(iter(buttons(replies).values())))
    assert "数量：2411" not in texts(replies) and "有多少台" in texts(replies)
    stored = await w.uow.dialogs.get_by(channel="telegram", chat_id="100")
    assert stored is not None and stored.data.get("batch") == "2411" and "count" not in stored.data
