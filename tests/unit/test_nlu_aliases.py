"""A dealer's own words: picking a suggested product for an unknown word teaches it, for that dealer only."""

from __future__ import annotations

from datetime import date

import pytest

from core.errors import NotFound, PermissionDenied, ValidationFailed
from core.services.aliases import LearnAlias, learn_alias
from core.users import Role
from handlers.router import payload
from nlu.offline import OfflineParser
from nlu.schema import CatalogueEntry
from tests.chat import ChatWorld, buttons, texts
from tests.factories import dealer_user, staff

CATALOGUE = [CatalogueEntry(sku="AP300", name="空气净化器AP300", aliases=["净化器300"]),
             CatalogueEntry(sku="DH20", name="除湿机DH20", aliases=["除湿机"])]


async def test_picking_a_suggestion_teaches_the_word_to_that_dealer_only() -> None:
    w = ChatWorld()
    await w.catalogue()
    mine, other = await w.dealer(), await w.dealer()
    await w.prepay(mine)
    await w.user("100", Role.DEALER_OWNER, mine)
    await w.user("200", Role.DEALER_OWNER, other)
    replies = await w.say("100", "空净300 来5台")
    assert "没有找到" in texts(replies)
    choice = next(p for label, p in buttons(replies).items() if "AP300" in label)
    added = await w.press("100", choice)
    assert "AP300" in texts(added)
    learned = w.uow.dealer_aliases.rows
    assert [(a.dealer_id, a.word, a.sku) for a in learned] == [(mine.id, "空净300", "AP300")]
    assert any(a.action == "alias.learn" for a in w.uow.audit.rows)
    # from now on the word is understood for this dealer ...
    await w.say("100", "/cancel")
    again = await w.say("100", "空净300 来8台")
    assert "已加入：空气净化器AP300 ×8台" in texts(again)
    # ... and only for this dealer
    assert "没有找到" in texts(await w.say("200", "空净300 来8台"))


async def test_parser_reads_the_alias_library() -> None:
    parser = OfflineParser()
    today = date(2026, 11, 26)
    plain = parser.parse_sync("小白机 来3台", catalogue=CATALOGUE, today=today)
    assert plain.slots.items == [] and "小白机" in plain.slots.unknown_words
    taught = parser.parse_sync("小白机 来3台", catalogue=CATALOGUE, today=today, dealer_aliases={"小白机": "DH20"})
    assert [(i.sku, i.qty) for i in taught.slots.items] == [("DH20", 3)]
    # an alias of a product that is not in the catalogue is ignored
    gone = parser.parse_sync("旧款 来3台", catalogue=CATALOGUE, today=today, dealer_aliases={"旧款": "XX1"})
    assert gone.slots.items == []


async def test_learning_is_checked() -> None:
    w = ChatWorld()
    await w.catalogue()
    mine, other = await w.dealer(), await w.dealer()
    owner = dealer_user(mine.id)  # type: ignore[arg-type]
    with pytest.raises(NotFound):      # another dealer's library: nothing leaks
        await learn_alias(w.uow, owner, LearnAlias(dealer_id=other.id, word="小白", sku="AP300"), w.clock)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed):
        await learn_alias(w.uow, owner, LearnAlias(dealer_id=mine.id, word="5", sku="AP300"), w.clock)  # type: ignore[arg-type]
    with pytest.raises(NotFound):
        await learn_alias(w.uow, owner, LearnAlias(dealer_id=mine.id, word="小白", sku="NOPE"), w.clock)  # type: ignore[arg-type]
    with pytest.raises(PermissionDenied):
        await learn_alias(w.uow, staff(Role.FINANCE), LearnAlias(dealer_id=mine.id, word="小白", sku="AP300"), w.clock)  # type: ignore[arg-type]
    first = await learn_alias(w.uow, owner, LearnAlias(dealer_id=mine.id, word=" 小 白 ", sku="AP300"), w.clock)  # type: ignore[arg-type]
    assert first is not None and first.word == "小白"
    assert await learn_alias(w.uow, owner, LearnAlias(dealer_id=mine.id, word="小白", sku="AP300"), w.clock) is None  # type: ignore[arg-type]
    moved = await learn_alias(w.uow, owner, LearnAlias(dealer_id=mine.id, word="小白", sku="DH20"), w.clock)  # type: ignore[arg-type]
    assert moved is not None and moved.sku == "DH20" and len(w.uow.dealer_aliases.rows) == 1


async def test_a_forged_pick_teaches_nothing() -> None:
    w = ChatWorld()
    await w.catalogue()
    mine = await w.dealer()
    await w.prepay(mine)
    await w.user("100", Role.DEALER_OWNER, mine)
    await w.press("100", payload("order.add", "AP300", 5))   # no suggestion was shown
    assert w.uow.dealer_aliases.rows == []
