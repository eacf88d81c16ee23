"""The readings run last over a message's mentions, for catalogues built of families (a series and its variants:
sizes, colours, specs, packs): each a module of its own, here in the order ``ProductIndex.find`` applies them, with
the tables they read from the catalogue built once per index.

- ``nlu.cross_specs``: "护套线 2x1.5 5卷 2x2.5 3卷", "rvv 3x2.5 100米的3卷 50米的4盘"
- ``nlu.english_sizes``: "elbow 20 三包", "hot pipe 20 40 pcs, 25 20 pcs"
- ``nlu.shared_sizes``: "20的弯头 三通 直接 各两包"
- ``nlu.kind_sizes``: "冷水管二十 三十根", "50 PPR管 5根"
- ``nlu.pack_counts``: "24盒的那个纯奶整6箱"
- ``nlu.numbered_words``: "悦白 1 gang 2 way 12个"
- ``nlu.overlaps``: the weaker of two readings that cannot both be right
- ``nlu.alias_owners``: "雪岭200g" of the line whose aliases alone say 雪岭
"""

from __future__ import annotations

from functools import cached_property

from nlu.alias_owners import AliasOwners, alias_owners_of, with_alias_owners
from nlu.cross_specs import CrossSpecs, cross_specs_of, with_cross_specs
from nlu.english_sizes import with_english_sizes
from nlu.kind_sizes import with_kind_sizes
from nlu.numbered_words import NumberedWords, numbered_words_of, with_numbered_words
from nlu.overlaps import without_overlaps
from nlu.pack_counts import PackCounts, pack_counts_of, with_pack_counts
from nlu.product_words import Mention, Strength
from nlu.schema import CatalogueEntry
from nlu.shared_sizes import with_shared_sizes


class FamilyReadings:
    """Mixed into ``ProductIndex``: ``entries`` and ``_compact_exact`` are its catalogue and exact keys."""

    entries: dict[str, CatalogueEntry]
    _compact_exact: dict[str, tuple[Strength, tuple[str, ...]]]

    def _family_readings(self, text: str, mentions: list[Mention]) -> list[Mention]:
        mentions = with_cross_specs(text, mentions, self.cross_specs)
        mentions = with_english_sizes(text, mentions, self._compact_exact)
        mentions = with_shared_sizes(text, mentions, self._compact_exact)
        mentions = with_kind_sizes(text, mentions, self._compact_exact)
        mentions = with_pack_counts(text, mentions, self.pack_counts)
        mentions = without_overlaps(text, with_numbered_words(text, mentions, self.numbered_words))
        return with_alias_owners(text, mentions, self.alias_owners)

    @cached_property
    def cross_specs(self) -> CrossSpecs:
        """The catalogue's cross specs ("2x1.5", "3x6+1x4"), read once."""
        return cross_specs_of(self.entries.values())

    @cached_property
    def pack_counts(self) -> PackCounts:
        """The pack counts of the families sold in packs of several sizes."""
        return pack_counts_of(self.entries.values())

    @cached_property
    def alias_owners(self) -> AliasOwners:
        """The aliases of each product's line, for the words only one line's aliases use."""
        return alias_owners_of(self.entries.values())

    @cached_property
    def numbered_words(self) -> NumberedWords:
        """The attributes the aliases write "1-gang", "5-hole"."""
        return numbered_words_of(self.entries.values())
