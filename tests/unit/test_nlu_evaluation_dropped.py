"""``dms nlu eval`` and ``bench/parser.py`` count the messages read as some of their order lines, not all, with
nothing named back: the line the dealer loses without a word. A reading that names a word back, reads nothing at all
(the chat says it did not understand) or puts another product in is no silent drop."""

from __future__ import annotations

from datetime import date

from nlu.evaluation import evaluate, read_set
from nlu.schema import CatalogueEntry, Intent, OrderItem, ParseResult, Slots, Unresolved

CATALOGUE = [CatalogueEntry(sku=s, name=s, aliases=[], unit="个") for s in ("A", "B", "C")]
LINE = '{"text": "%s", "intent": "place_order", "slots": {"items": [{"sku": "A", "qty": 2}, {"sku": "B", "qty": 3}]}}'


class Canned:
    """A parser that reads each message as the test says."""

    def __init__(self, readings: dict[str, Slots]) -> None:
        self.readings = readings

    async def parse(self, text: str, **_: object) -> ParseResult:
        return ParseResult(intent=Intent.PLACE_ORDER, confidence=1.0, slots=self.readings[text])


async def test_a_line_dropped_with_nothing_named_back_is_counted_and_the_others_are_not() -> None:
    readings = {
        "short": Slots(items=[OrderItem(sku="A", qty=2)]),
        "short but asked": Slots(items=[OrderItem(sku="A", qty=2)], unresolved=[Unresolved(word="B款", qty=3)]),
        "nothing read": Slots(),
        "another product": Slots(items=[OrderItem(sku="A", qty=2), OrderItem(sku="C", qty=3)]),
        "whole": Slots(items=[OrderItem(sku="A", qty=2), OrderItem(sku="B", qty=3)]),
    }
    rows = read_set([LINE % text for text in readings])
    report = await evaluate(Canned(readings), rows, CATALOGUE, date(2026, 12, 6))  # type: ignore[arg-type]
    assert (report.dropped, report.lined) == (1, 5)
    assert "order lines dropped without a word: 20.0% (1/5" in "\n".join(report.lines())
