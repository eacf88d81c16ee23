"""English replacements inside one message: "swap the latte for americano, 10 cases", "chunsheng 330 swap cans for
bottles, 10 cases", "swap the grey for 3 white", and the lines said count first after a product taken out
("scrap the yellow strap, 6 bundles of blue instead").

A swap names the product given up and its replacement by the words that tell them apart; each word must name one
product (a sibling of the other: ``nlu.sibling_words``), else the message is left to the plain reading; a new
word that is a code no product has ("swap the DH20 for DH30") is named back, the old line kept. The count
is the one said (before the new word or after it), else the old line's (a replace without a count).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from nlu.items import ItemResult
from nlu.numbers import QUANTITY, parse_quantity
from nlu.product_words import TIMES, UNKNOWN_CODE, Mention
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Unresolved
from nlu.sibling_words import names_word, sibling_named
from nlu.variants import VariantTable

_SWAP_VERB = r"\b(?:swap|switch|replace|exchange|change)\b"
# "swap the latte for americano, 10 cases", "replace the grey with 3 white"
_SWAP = re.compile(rf"^\s*(?:pls\s+|please\s+)?{_SWAP_VERB}\s+(?:the\s+)?(?P<old>[a-z0-9][a-z0-9. ]*?)\s+"
                   rf"(?:for|with|to)\s+(?P<rest>.+)$")
# "chunsheng 330 swap cans for bottles, 10 cases": the product said first, the words telling old and new after it
_SAID_THEN_SWAP = re.compile(rf"(?P<said>[a-z0-9. ]*?)\s*{_SWAP_VERB}\s+(?:the\s+)?(?P<old>[a-z][a-z0-9.]*)\s+(?:for|with|to)\s+(?P<rest>.+)$")
# the new word with its count before or after it: "3 white", "americano, 10 cases", "bottles x 10"
_NEW = re.compile(r"^(?P<word>[a-z][a-z0-9. ]*?)(?:\s+(?:ones?|instead))*\s*[,，]?\s*(?:x\s*)?$")
# a line said count first: "6 bundles of blue instead", "add 8 pairs of latex ones instead", "make it 10 pu"
_COUNT_FIRST = re.compile(r"[\s,，;；.]*(?:\b(?:add|and|then|make it|make|get|give me|take)\b\s*)?")
_COUNTED_WORD = re.compile(r"\s*(?:of\s+)?(?:the\s+)?(?P<word>[a-z][a-z0-9.]*(?:\s(?!instead\b)[a-z][a-z0-9.]*)?)"
                           r"(?:\s+ones?)?(?:\s+instead)?(?=[\s,，;；.]|$)")


@dataclass(frozen=True)
class CountedWord:
    """A line said count first: its word (where it is), its count and unit, and where the line ends."""

    word: str
    start: int
    end: int
    qty: int
    unit: str
    line_end: int


def count_first_line(text: str, pos: int) -> CountedWord | None:
    """The line at ``pos`` said count first ("6 bundles of blue instead"), or None."""
    lead = _COUNT_FIRST.match(text, pos)
    if lead is None or (q := QUANTITY.match(text, lead.end())) is None:
        return None
    quantity = parse_quantity(q)
    if not quantity.usable or quantity.value is None:
        return None
    if (w := _COUNTED_WORD.match(text, q.end())) is None:
        return None
    return CountedWord(singular(w.group("word")), w.start("word"), w.end("word"), quantity.value,
                       q.group("unit") or "", w.end())


def english_swap(text: str, mentions: Sequence[Mention], table: VariantTable,
                 entries: Mapping[str, CatalogueEntry]) -> ItemResult | None:
    """"swap A for [N] B [N]" read as A replaced by B (see the module docstring), or None."""
    first = mentions[0] if mentions else None
    if first is not None and first.start == 0 and len(first.skus) > 1 \
            and (said := _SAID_THEN_SWAP.match(text, first.end)) is not None:
        old = _one_named(f"{said.group('said')} {said.group('old')}", first.skus, entries)
        rest, rest_at = said.group("rest"), said.start("rest")
    elif (swap := _SWAP.match(text)) is not None and not any(m.start < swap.start("rest") for m in mentions
                                                             if m.sku is None and m.skus):
        old = _product_named(swap.group("old"), swap.start("old"), swap.end("old"), mentions, entries)
        rest, rest_at = swap.group("rest"), swap.start("rest")
    else:
        return None
    if old is None:
        return None
    new_said = _new_line(rest)
    if new_said is None:
        return None
    word, qty = new_said
    new = sibling_named(old, word, table, entries)
    if new is None:
        if UNKNOWN_CODE.fullmatch(word) and not TIMES.fullmatch(word) \
                and not any(m.start >= rest_at and (m.sku or m.skus) for m in mentions):
            # "swap the DH20 for DH30" with no DH30: named back to pick the replacement, the DH20 line kept
            return ItemResult(unresolved=[Unresolved(word=word, qty=qty, replaces=old)])
        return None
    result = ItemResult(removed=[old], edits=[CartEdit(op=EditOp.REPLACE, sku=old, to_sku=new, qty=qty)])
    if qty is not None:
        result.items[new] = qty
    return result


def singular(word: str) -> str:
    """An English word of a variant as a catalogue writes it: "bottles" -> "bottle", "cans" -> "can"."""
    words = [w[:-1] if len(w) > 3 and w.isalpha() and w.endswith("s") and not w.endswith("ss") else w
             for w in word.split()]
    return " ".join(words)


def _new_line(rest: str) -> tuple[str, int | None] | None:
    """The new word and its count (None: the old line's) of what follows "for / with"."""
    qty = None
    lead = QUANTITY.match(rest.strip())
    body = rest.strip()
    if lead is not None and parse_quantity(lead).usable:
        qty = parse_quantity(lead).value
        body = body[lead.end():].strip()
        body = re.sub(r"^(?:of\s+)?(?:the\s+)?", "", body)
    else:
        tail = None
        for found in QUANTITY.finditer(body):
            tail = found
        if tail is not None and not body[tail.end():].strip(" .!") and tail.start() > 0 \
                and parse_quantity(tail).usable:
            qty = parse_quantity(tail).value
            body = body[:tail.start()]
    if (new := _NEW.match(body.strip())) is None:
        return None
    return singular(new.group("word").strip()), qty


def _product_named(word: str, start: int, end: int, mentions: Sequence[Mention],
                   entries: Mapping[str, CatalogueEntry]) -> str | None:
    """The one product a mention within ``word`` names, else the one product whose name or aliases say it."""
    over = [m for m in mentions if m.start < end and start < m.end]
    if over:
        return over[0].sku if len(over) == 1 else None
    return _one_named(word, tuple(entries), entries)


def _one_named(word: str, skus: Sequence[str], entries: Mapping[str, CatalogueEntry]) -> str | None:
    spelled = singular(word.strip())
    if not spelled:
        return None
    named = [s for s in skus if all(names_word(entries[s], part) for part in spelled.split())]
    return named[0] if len(named) == 1 else None
