"""A kind word that names the one part made for another model, said with a different model: "WP600要8台 滤芯来3箱"
when the only product called 滤芯 is the "WP400 RO膜滤芯". The dealer wants a filter for the WP600 (maybe one the
catalogue does not have), not the WP400's: the word is not read as that part but as a word of the parts of its kind
(every product of the part's category made for a model), so the chat asks which one instead of guessing.

A part is a product whose name carries another product's model code ("AP300 HEPA 复合滤网" of the AP300). The word
stays the part when the message names the part's own model too ("WP400 5台 滤芯3箱"), names no other model, or
when the part has no other part of its kind to be asked among.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nlu.normalize import normalize
from nlu.product_words import MODEL, Mention, Strength
from nlu.schema import CartEdit, CatalogueEntry, EditOp, Unresolved


def part_hosts(entries: Mapping[str, CatalogueEntry]) -> dict[str, str]:
    """SKU of each part -> SKU of the model its name carries (the first other product's code in it)."""
    by_code = {normalize(sku).replace(" ", ""): sku for sku in entries}
    hosts: dict[str, str] = {}
    for sku, e in entries.items():
        for m in MODEL.finditer(normalize(e.name)):
            host = by_code.get(m.group(0).replace(" ", ""))
            if host is not None and host != sku:
                hosts[sku] = host
                break
    return hosts


def parts_of_other_models(mentions: Sequence[Mention], entries: Mapping[str, CatalogueEntry],
                          hosts: Mapping[str, str]) -> list[Mention]:
    """``mentions`` with each kind word read as one part of another model than the one said ("滤芯" of the WP400's
    filter beside "WP600") widened to the parts of that kind."""
    out = list(mentions)
    named = {m.sku for m in mentions if m.sku is not None and m.strength >= Strength.NAME}
    for n, m in enumerate(mentions):
        part = m.sku
        if m.strength != Strength.CATEGORY or part is None or part not in hosts or hosts[part] in named:
            continue
        if not any(sku not in hosts and sku != hosts[part] for sku in named):
            continue            # no other model said: the one part called so is the one meant
        kind = entries[part].category
        kin = tuple(sorted(sku for sku in hosts if entries[sku].category == kind))
        if len(kin) >= 2:
            out[n] = Mention(m.start, m.end, kin, Strength.CATEGORY, m.word, m.near)
    return out


def parts_asked(edits: list[CartEdit], lines: dict[str, int], unresolved: list[Unresolved],
                mentions: Sequence[Mention], hosts: Mapping[str, str]) -> None:
    """A line another reading of the message made of one part its word was widened from (``nlu.code_lines`` reads
    "wp" + "滤芯" as the "WP400滤芯" alias) is asked too: the part's model is not said, so the word stays a question.
    ``edits``, ``lines``, ``unresolved``: those of an ``nlu.items.ItemResult``, changed in place."""
    named = {m.sku for m in mentions if m.sku is not None and m.strength >= Strength.NAME}
    for m in mentions:
        if m.strength != Strength.CATEGORY or len(m.skus) < 2 or not all(sku in hosts for sku in m.skus):
            continue
        line = next((e for e in edits if e.op == EditOp.ADD and e.sku in m.skus and e.sku not in named
                     and hosts[e.sku] not in named and e.qty), None)
        if line is None or line.sku is None:
            continue
        edits.remove(line)
        lines.pop(line.sku, None)
        unresolved.append(Unresolved(word=m.word[:24], qty=line.qty, candidates=list(m.skus), generic=True,
                                           unit=line.unit))
