"""What one chat update computes, counted (issue 18: the CPU per update): work a stock query need not repeat."""

from __future__ import annotations

from collections import Counter

import pytest

from core.users import Role
from nlu import normalize as normalize_module
from tests.chat import ChatWorld, texts

DEALER_CHAT = "100"


async def world() -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer()
    await w.user(DEALER_CHAT, Role.DEALER_OWNER, dealer)
    return w


async def test_a_message_is_normalized_once_for_the_hooks_and_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hooks tried before the parser (a reopened ticket, an order number, a transfer, a reply) and the parser
    each normalized the same text: five times per stock query."""
    w = await world()
    seen: Counter[str] = Counter()
    real = normalize_module._normalize

    def counted(text: str) -> str:
        seen[text] += 1
        return real(text)

    monkeypatch.setattr(normalize_module, "_normalize", counted)
    assert "AP300" in texts(await w.say(DEALER_CHAT, "AP300 有货吗"))
    assert seen["AP300 有货吗"] == 1, seen
    await w.say(DEALER_CHAT, "AP300 有货吗")       # the next message is normalized afresh: nothing kept between them
    assert seen["AP300 有货吗"] == 2


def test_outside_a_message_nothing_is_kept() -> None:
    assert normalize_module._MEMO.get() is None
    with normalize_module.one_message():
        assert normalize_module.normalize("ＡＰ３００") == "ap300"
        assert normalize_module._MEMO.get() == {"ＡＰ３００": "ap300"}
    assert normalize_module._MEMO.get() is None


async def test_the_menu_labels_are_built_once_per_language_and_role() -> None:
    """A short message ("今日待办" typed is that button) built the person's whole main menu, every label translated
    and normalized, to compare: now once per process for each language, kind of person and role."""
    w = await world()
    other = await w.dealer(name="杭州海川商贸")
    await w.user("200", Role.DEALER_OWNER, other)
    built: list[str] = []
    sources = w.service.router.label_sources

    def counted(ctx):  # type: ignore[no-untyped-def]
        built.append(ctx.lang)
        return [b for source in sources for b in source(ctx)]

    w.service.router.label_sources = [counted]
    for chat in (DEALER_CHAT, "200", DEALER_CHAT):
        await w.say(chat, "AP300 有货吗")
    assert built == ["zh-CN"]
    assert "订单" in texts(await w.say("200", "我的订单"))       # a label typed is still its button
    await w.say(DEALER_CHAT, "/lang en")
    await w.say(DEALER_CHAT, "AP300 in stock?")
    assert len(built) == 2 and built[1].startswith("en")
