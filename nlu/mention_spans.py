"""The mentions of a message being rewritten, kept by position (``nlu.products`` reads series and variants over
them): which overlap a span, replacing some by another, and whether one is still there."""

from __future__ import annotations

from bisect import bisect_left, insort

from nlu.product_words import Mention


class Spans:
    """The mentions being rewritten, by position: which overlap a span (a look near it, not a pass over all),
    replace some by another, and whether one is still there (by identity)."""

    def __init__(self, mentions: list[Mention]) -> None:
        self._items = sorted(mentions, key=lambda m: m.start)
        self._longest = max((m.end - m.start for m in mentions), default=0)

    def __contains__(self, m: object) -> bool:
        return any(x is m for x in self.over(m.start, m.end)) if isinstance(m, Mention) else False

    def over(self, a: int, b: int) -> list[Mention]:
        i = bisect_left(self._items, a - self._longest, key=lambda m: m.start)
        out = []
        while i < len(self._items) and self._items[i].start < max(b, a + 1):
            m = self._items[i]
            if m.start < max(b, a + 1) and a < m.end or (m.start == m.end == a):
                out.append(m)
            i += 1
        return out

    def replace(self, gone: list[Mention], new: Mention | None) -> None:
        ids = {id(m) for m in gone}
        self._items = [m for m in self._items if id(m) not in ids] if ids else self._items
        if new is not None:
            insort(self._items, new, key=lambda m: m.start)
            self._longest = max(self._longest, new.end - new.start)

    def sorted(self) -> list[Mention]:
        return list(self._items)
