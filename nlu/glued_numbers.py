"""``nlu.product_lines``: a number glued to the words of one product that the product does not have ("128黑色拉手"
when the one called 黑色拉手 is the 192 one) names no product: the dealer is asked, never given the other number's."""

from __future__ import annotations

import re

from nlu.numbers import QUANTITY
from nlu.product_words import Mention, Strength
from nlu.schema import CatalogueEntry

# a number glued to a product's words: before them ("128黑色拉手", "bv16平方红", "2格饭盒"), or after them with the
# line's count still to come ("黑啤330 4箱", "先玉1225 来20袋", "米黄60的")
_NUMBER_BEFORE = re.compile(r"(?<![^\s,，;；:：/])[a-z]{0,3}(?P<n>\d{1,5}(?:\.\d+)?)的?$")
_NUMBER_AFTER = re.compile(r"的?(?P<n>\d{1,5}(?:\.\d+)?)(?![\d.a-z/*×])(?=\s?的|\s?(?:来|要|卖了|卖)?\s?\d)")


class GluedNumbers:
    """A mixin of ``nlu.product_lines._ProductLines`` (the labels and entries are built in ``nlu.product_keys``)."""

    _labels: dict[str, str]
    entries: dict[str, CatalogueEntry]

    def _other_numbers(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"128黑色拉手 100个" when the one product called 黑色拉手 is the 192 one: a number glued to the words of one
        product that its name, code and aliases do not have names no product (the dealer is asked, with the products
        of its kind that have the number as suggestions), never the product of the other number."""
        out = []
        for n, m in enumerate(mentions):
            # the product's own words, no number or size in them, two characters at least ("黑色拉手", "黑啤")
            sku = m.sku if len(m.word) >= 2 and not re.search(r"\d", m.word) else None
            prev = mentions[n - 1].end if n else 0
            nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
            before = _NUMBER_BEFORE.search(text, prev, m.start) if sku is not None else None
            if before is not None and (q := QUANTITY.match(text, before.start("n"))) is not None and q.end() > m.start:
                before = None           # "5包子": a count with its unit
            after = _NUMBER_AFTER.match(text, m.end, nxt) if sku is not None else None
            numbers = [x for x in (before, after) if x is not None
                       and not re.search(rf"(?<![\d.]){re.escape(x.group('n'))}(?![\d])", self._labels[str(sku)])]
            if not numbers:
                out.append(m)
                continue
            start = before.start() if before in numbers else m.start
            end = after.end("n") if after in numbers else m.end
            kind = self.entries[str(sku)].category
            said = [rf"(?<![\d.]){re.escape(x.group('n'))}(?![\d])" for x in numbers]
            near = tuple(s for s, e in self.entries.items()
                         if e.category == kind and all(re.search(p, self._labels[s]) for p in said)) or (str(sku),)
            own = [s for s in near if s != sku and m.word in self._labels[s]]
            if len(own) == 1:           # "300马桶" of 300的马桶 when the 马桶 said alone is another: that one
                out.append(Mention(start, end, (own[0],), Strength.NAME, text[start:end]))
            else:
                out.append(Mention(start, end, (), Strength.UNKNOWN, text[start:end], near=near))
        return out
