"""A channel manager asking about one dealer's documents by its name ("嘉禾的资质快过期了吗") is answered for that
dealer only (was: every dealer's documents coming due)."""

from __future__ import annotations

from datetime import timedelta

from core.users import Role
from tests.chat import ChatWorld, texts
from tests.factories import make_document

MANAGER = "950"


async def _world() -> tuple[ChatWorld, str, str]:
    w = ChatWorld()
    jiahe = await w.dealer(name="杭州嘉禾家电有限公司")
    other = await w.dealer(name="南京宏达商贸有限公司")
    await w.user(MANAGER, Role.CHANNEL_MANAGER, username="cm")
    assert jiahe.id is not None and other.id is not None
    today = w.clock.today()
    await w.uow.qualifications.add(make_document(jiahe.id, expires_on=today + timedelta(days=12)))
    await w.uow.qualifications.add(make_document(other.id, expires_on=today - timedelta(days=3)))
    await w.uow.commit()
    return w, jiahe.code, other.code


async def test_a_dealer_named_in_the_question_is_answered_alone() -> None:
    w, jiahe, other = await _world()
    said = texts(await w.say(MANAGER, "嘉禾的资质快过期了吗"))
    assert jiahe in said and "（12 天）" in said, said
    assert other not in said, f"another dealer's documents listed: {said}"
    assert "杭州嘉禾家电有限公司" in said


async def test_a_dealer_with_nothing_due_is_told_so_and_the_general_question_lists_all() -> None:
    w, jiahe, other = await _world()
    said = texts(await w.say(MANAGER, "宏达的授权书要到期了吗"))          # past its date, but 过期 was not asked
    assert "南京宏达商贸有限公司" in said and jiahe not in said and "没有" in said, said
    everyone = texts(await w.say(MANAGER, "过期的资质有哪些"))
    assert jiahe in everyone and other in everyone
    assert jiahe in texts(await w.say(MANAGER, "哪些经销商的资质快到期了"))


async def test_a_name_that_fits_no_dealer_says_so() -> None:
    w, jiahe, _ = await _world()
    said = texts(await w.say(MANAGER, "金鼎的资质快到期了吗"))
    assert "金鼎" in said and "没有找到" in said, said
