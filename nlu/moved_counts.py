"""A count written before a series word, the size or variant that names the product written after it.

"要 20盒蓝盾中号 10盒大号", "卖了5台守望 8路": the count before "蓝盾" / "守望" goes with a word naming several
products, and the size that narrows it to one comes after. Read the same way as the count written last
("蓝盾中号 20盒 大号 10盒"): ``counts_put_after`` moves each such count to the end of its phrase (up to the next
separator, the next product's own count, or the end). The caller keeps that reading only when it reads more
lines and keeps every line the plain reading had (``better_lines``), so a count that was right where it stood
is never moved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.product_words import Mention

_UNITS = (r"台|个|盒|箱|包|袋|件|条|卷|托|支|瓶|桶|套|副|张|根|块|片|罐|只|把|米|斤|"
          r"pcs|pc|units?|boxes|box|bags?|rolls?|sets?|pallets?|cases?|ctns?|cartons?|bottles?|packs?")
# a count (with its unit) right before a product word: "20盒", "5台", "3托", "10 boxes of"
_LEAD = re.compile(rf"(?<![A-Za-z0-9.\-/*×])(\d+|[一二两俩仨三四五六七八九十百]+)\s*(?:{_UNITS})?\s*(?:of\s+(?:the\s+)?)?$")
# what stands before a count that starts a line: the start, a separator, a verb of ordering or selling
_STARTS = re.compile(r"(?:^|[,;，；、。\n+&:：]|\b(?:and|sold|moved|order|need|add|want|get|pls|please|sales)|"
                     r"卖了|卖出|走了|要|来|订|拿|整|再|还有|然后)\s*$")
# where a phrase ends: a separator or a word starting another line
_END = re.compile(r"\s*(?:[,;，；、。\n+&]|\band\b|然后|还有|再来|再要|再)")


def counts_put_after(text: str, mentions: Sequence[Mention]) -> str | None:
    """``text`` with the count before each word naming several products moved after that word's phrase; None
    when there is none to move."""
    found = [m for m in mentions if len(m.skus) > 1]
    if not found:
        return None
    moves: list[tuple[int, int, int]] = []       # (count start, product start, phrase end)
    for m in found:
        lead = _LEAD.search(text, 0, m.start)
        if lead is None or not lead.group(0).strip() or any(o.start < m.start < o.end for o in mentions):
            continue
        if not _STARTS.search(text, 0, lead.start()):
            continue        # "Q1 粉色 3台 白色": the count of the words before it
        if moves and lead.start() < moves[-1][2]:
            continue
        end = len(text)
        if (sep := _END.search(text, m.end)) is not None:
            end = sep.start()
        for o in mentions:
            if o.start >= m.end and o.start < end:
                nxt = _LEAD.search(text, m.end, o.start)
                if nxt is not None and nxt.group(0).strip():
                    end = nxt.start()
                break
        phrase = text[m.start:end].rstrip()
        moves.append((lead.start(), m.start, m.start + len(phrase)))
    if not moves:
        return None
    out, at = [], 0
    for start, product, end in moves:
        count = text[start:product].strip()
        out.append(text[at:start] + text[product:end] + " " + count + " ")
        at = end
    out.append(text[at:])
    return "".join(out)


def better_lines(plain: dict[str, int], moved: dict[str, int]) -> bool:
    """The moved reading reads more lines and keeps every line of the plain one with its count."""
    return len(moved) > len(plain) and all(moved.get(sku) == qty for sku, qty in plain.items())


# a count with its unit, then the size that names the line: "3托550", "10盒大号", "来50卷小号"
_COUNT_SIZE = re.compile(rf"(?<![A-Za-z0-9.\-/*×])(\d+|[一二两俩仨三四五六七八九十百]+)\s*(?:{_UNITS})\s*"
                         r"(\d+(?:\.\d+)?(?:[a-z]{1,3}|号|寸|度|升)?|[特加]?[大中小]号)(?=$|[\s,;，；、。])")


def sizes_put_first(text: str, mentions: Sequence[Mention]) -> str | None:
    """``text`` with each counted size written before its count ("曜光 3托550 2托580" -> "曜光 550 3托 580 2托")
    where the count starts a line (after a separator, a verb, or a word naming several products); None when
    there is none."""
    out, at, moved = [], 0, False
    for hit in _COUNT_SIZE.finditer(text):
        before = text[:hit.start()]
        glued = hit.end(1) <= hit.start(2) and not text[hit.start(2) - 1].isspace()
        after_series = any((len(m.skus) > 1 or glued) and not before[m.end:].strip()
                           for m in mentions if m.end <= hit.start())
        if not (_STARTS.search(before) or after_series or re.search(r"\d\s*(?:[^\W\d_]{1,2})?\s+$", before)
                and moved):
            continue
        if any(m.start < hit.start(2) and hit.start() < m.end and len(m.skus) == 1 for m in mentions):
            continue        # a product's own name ("3号箱")
        size = hit.group(2)
        out.append(text[at:hit.start()] + size + " " + text[hit.start():hit.start(2)].strip() + " ")
        at, moved = hit.end(), True
    if not moved:
        return None
    out.append(text[at:])
    return "".join(out)
