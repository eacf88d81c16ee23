"""Low-confidence messages that would start something that writes are asked back first."""

from __future__ import annotations

from datetime import date

from core.users import Role
from nlu.schema import CatalogueEntry, Intent, OrderItem, ParseResult, Slots
from tests.chat import ChatWorld, buttons, texts


class StubParser:
    def __init__(self, result: ParseResult) -> None:
        self.result = result

    async def parse(self, text: str, *, catalogue: list[CatalogueEntry], today: date,
                    dealer_aliases: dict[str, str] | None = None) -> ParseResult:
        return self.result


async def _world(result: ParseResult) -> ChatWorld:
    w = ChatWorld()
    await w.catalogue()
    dealer = await w.dealer()
    await w.user("100", Role.DEALER_OWNER, dealer)
    w.service.deps.parser = StubParser(result)
    return w


async def test_unsure_order_is_asked_back_and_yes_continues_with_the_parsed_items() -> None:
    unsure = ParseResult(intent=Intent.PLACE_ORDER, confidence=0.35,
                         slots=Slots(items=[OrderItem(sku="AP300", qty=2)]))
    w = await _world(unsure)
    replies = await w.say("100", "那个300的弄两个吧")
    assert "您是想下单吗" in texts(replies)
    assert await w.uow.orders.count() == 0
    yes = buttons(replies)["是的"]
    after = await w.press("100", yes)
    assert "AP300" in texts(after)          # the cart with the parsed item
    assert "您是想下单吗" not in texts(after)


async def test_unsure_order_no_shows_the_menu_and_forgets_the_guess() -> None:
    w = await _world(ParseResult(intent=Intent.AFTER_SALES, confidence=0.3))
    replies = await w.say("100", "嗯嗯")
    no = buttons(replies)["不是，打开菜单"]
    await w.press("100", no)
    # the stale "yes" no longer acts
    assert "按钮已失效" in texts(await w.press("100", buttons(replies)["是的"]))


async def test_confident_order_goes_straight_to_the_cart() -> None:
    sure = ParseResult(intent=Intent.PLACE_ORDER, confidence=0.95,
                       slots=Slots(items=[OrderItem(sku="AP300", qty=2)]))
    w = await _world(sure)
    replies = await w.say("100", "AP300 两台")
    assert "您是想" not in texts(replies)
    assert "AP300" in texts(replies)


async def test_order_words_without_items_explain_how_to_order_without_asking() -> None:
    w = await _world(ParseResult(intent=Intent.PLACE_ORDER, confidence=0.3))
    replies = await w.say("100", "我要下单")
    assert "您是想" not in texts(replies)


async def test_unsure_read_only_question_is_answered_without_asking() -> None:
    w = await _world(ParseResult(intent=Intent.QUERY_STOCK, confidence=0.3, slots=Slots(product="AP300")))
    replies = await w.say("100", "300还有没")
    assert "您是想" not in texts(replies)
