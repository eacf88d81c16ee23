"""``nlu.products``, second layer: words around a mention that pick some of its products (sizes, variants, "the
same in 500ml", corrections "不对 是黑的"), written before or after it in the line."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cached_property

from nlu.english_variants import is_colour
from nlu.glossary import MODIFIERS
from nlu.glued_numbers import GluedNumbers
from nlu.line_patterns import (
    _ADDED_COUNT,
    _COUNT_BEFORE,
    _COUNTED_GAP,
    _GLUED_NUMBER,
    _LINE_ENDED,
    _LIST_BREAK,
    _SIZE_THEN_COUNT,
    CHANGED_COUNT,
    THE_ONES,
    code_part,
)
from nlu.normalize import normalize
from nlu.numbers import QUANTITY
from nlu.product_keys import _ProductKeys
from nlu.product_words import (
    BARE_NUMBER,
    BIG_SMALL_AFTER,
    BIG_SMALL_BEFORE,
    CJK,
    CORRECTED,
    JOINED,
    NUMBER_LIST,
    SWAPPED,
    TELLING_LEAD,
    TELLING_STOP,
    VARIANT_FILLER,
    VARIANT_SIZE,
    VARIANT_TOKEN,
    Mention,
    Strength,
    compact,
    measure_of,
    named_back,
    size_said,
    spec_variants,
    told_by,
)
from nlu.variants import VariantTable, counted_after, size_key, size_kind


class _ProductLines(GluedNumbers, _ProductKeys):
    """Mentions told apart by the words of their line (``ProductIndex`` builds on it)."""

    @cached_property
    def variant_table(self) -> VariantTable:
        return VariantTable(list(self.entries.values()))

    @cached_property
    def _by_size(self) -> dict[str, tuple[str, ...]]:
        """Each size of the catalogue's series ("5" of 5号, "48mm", "2丝") and the products that come in it."""
        out: dict[str, set[str]] = {}
        table = self.variant_table
        for skus in table.members.values():
            for sku in skus:
                for v in table.variants[sku]:
                    if v[:1].isdigit():
                        out.setdefault(v, set()).add(sku)
        return {v: tuple(sorted(skus)) for v, skus in out.items()}

    def _paired_sizes(self, text: str, said: list[re.Match[str]]) -> list[Mention]:
        """"8丝 7号 80包", "12丝 7号 30包": two sizes of different kinds said together name the one product that comes
        in both (a thickness and a number of one zip bag)."""
        out: list[Mention] = []
        for t, u in zip(said, said[1:], strict=False):
            both = set(self._by_size.get(size_key(t.group(1), t.group(2)), ())) \
                & set(self._by_size.get(size_key(u.group(1), u.group(2)), ()))
            if (not out or out[-1].end <= t.start()) and re.fullmatch(r"[\s的]{0,2}", text[t.end():u.start()]) \
                    and len(both) == 1 and size_kind(t.group(1), t.group(2)) != size_kind(u.group(1), u.group(2)):
                out.append(Mention(t.start(), u.end(), tuple(both), Strength.NAME, text[t.start():u.end()]))
        return out

    def _descriptors(self, text: str, base: set[str], *, numbers: bool = True) -> list[tuple[int, int, set[str]]]:
        """Words of ``text`` that pick some (not all) of ``base``: sizes, S/M/L, Chinese words (the longest piece
        of each run that narrows), as (start, end, products)."""
        out = []
        for n in BARE_NUMBER.finditer(text) if numbers else ():
            hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(n.group(0))}(?![\d])", self._labels[s])}
            if hit and hit != base:           # "炒锅32的": the number some of the names have
                out.append((n.start(), n.end(), hit))
        for m in VARIANT_TOKEN.finditer(text):
            word = m.group(0)
            if CJK.fullmatch(word):
                best = None
                for size in range(len(word), 0, -1):
                    for i in range(len(word) - size + 1):
                        piece = word[i:i + size]
                        if piece in TELLING_STOP or piece in VARIANT_FILLER:
                            continue
                        hit = self._narrow(base, piece)
                        if hit and i and self.another_word(word[i - 1:i + 1], hit):
                            continue          # "家用": its "用" is not the "用" of 商用
                        if hit and hit != base:
                            best = (m.start() + i, m.start() + i + size, hit)
                            break
                    if best:
                        break
                if best:
                    out.append(best)
                continue
            hit = self._narrow(base, word)
            if not hit and re.fullmatch(r"[a-z]{3,}", word):      # "blue", "warm": the Chinese words they stand for
                # the first of its Chinese words that narrows ("single": 单开 before 单)
                hit = next((h for w in MODIFIERS.get(word, ()) if (h := self._narrow(base, w)) and h != base), set())
            if not hit and (number := re.match(r"\d+(?:\.\d+)?(?=\s?[a-z\u4e00-\u9fff])", word)):
                # "2.5mm" for a wire named 2.5平方: the number of the size, when its unit is written otherwise
                hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(number.group(0))}(?![\d])", self._labels[s])}
            if hit and hit != base:
                out.append((m.start(), m.end(), hit))
        return out

    def _group_variants(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"狗罐头 牛肉味的来5箱 鸡肉的来3箱", "猫抓板大的6个 小的12个", "牵引绳S10 M15 L5", "豆腐砂 6L的30包 10L的15包": a word
        of several products, then one line per variant, each named by the words that tell the products apart
        (a size said once before the lines holds for every line)."""
        out = list(mentions)
        for n, head in enumerate(mentions):
            if len(head.skus) >= 2:
                out = self._variant_group(text, mentions, out, n, set(head.skus), 0)
                continue
            # "狗罐头 牛肉味的来5箱 鸡肉的来3箱": the first line named the kind; "青龙白5L 10桶 灰的5桶": when the
            # narrowest kind (the white ones) has no line, a wider one (青龙) may
            for family in self._families(head):
                before = out
                out = self._variant_group(text, mentions, out, n, family, 1)
                if out is not before:
                    break
        return sorted(out, key=lambda x: x.start)

    def _variant_group(self, text: str, mentions: list[Mention], out: list[Mention], n: int, base: set[str],
                       first: int) -> list[Mention]:
        """``_group_variants`` for one head and one kind: ``out`` with the variant lines made (a new list), or
        ``out`` itself when none were."""
        head = mentions[n]
        end = head.end
        nxt = mentions[n + 1] if n + 1 < len(mentions) else None
        if first == 0:          # "小包薯片：原味4 番茄4": words before the kind word hold for every line
            words, at = self._line_words(text, mentions[n - 1].end if n else 0, head.start, forward=False)
            told = self._words_telling(words, at, base, text)
            narrowed = set(base)
            for _, _, hit in told:
                narrowed &= hit
            if told and len(narrowed) >= 2:
                base = narrowed
        if first == 0 and nxt is not None and nxt.start - end <= 1 and len(base & set(nxt.skus)) >= 2:
            base, end = base & set(nxt.skus), nxt.end          # "2L饮水机": a size and a word, still several
        # the lines end at a word of other products ("原味" of 原味薯片 and 原味瓜子 is still a line of 薯片)
        limit = next((m.start for m in mentions[n + 1:] if m.start >= end and m.skus and (
            m.sku or not set(m.skus) & base)), len(text))
        tail = text[end:limit]
        counts = [q for q in QUANTITY.finditer(tail) if q.group("unit") or re.match(r"\s?[,，;；、]|\s*$", tail[q.end():])]
        made, _ = self._variant_lines(text, head, base, end, tail, counts, first)
        if len(made) < 2 - first:
            # "原味4 番茄4 黄瓜2 烧烤6", "原味5无糖5 大瓶3": bare counts, taken only when every line names one
            loose = [q for q in QUANTITY.finditer(tail) if not re.match(r"\s?\d", tail[q.end():])]
            made, whole = self._variant_lines(text, head, base, end, tail, loose, first)
            if not whole:
                return out
        if len(made) >= 2 - first:
            drop = set() if first else {id(head), id(nxt) if nxt is not None and end == nxt.end else 0}
            out = [m for m in out if id(m) not in drop and not any(m.start < x.end and x.start < m.end for x in made)]
            return out + made
        return out

    def _variant_lines(self, text: str, head: Mention, base: set[str], end: int, tail: str,
                       counts: list[re.Match[str]], first: int) -> tuple[list[Mention], bool]:
        """The variant lines of ``_group_variants``: one mention per count whose words pick one product of
        ``base``, and whether every count had such words."""
        made: list[Mention] = []
        whole = len(counts) > first
        start, carry = (counts[0].end(), set(base)) if first and counts else (0, set(base))
        for q in counts[first:]:
            # "枪灰恒温花洒 2套哦不 3套": the words of a correction tell no product ("不" of 不锈钢)
            said = CORRECTED.sub(lambda c: " " * len(c.group(0)), tail[start:q.start()])
            found = self._descriptors(said, base)
            picked = set(base)
            for _, _, hit in found:
                picked &= hit
            if len(picked) > 1:
                picked &= carry
            if found and len(picked) > 1 and first and head.sku is not None and picked != base \
                    and not self._size_none_has(said, found, picked):
                # "烧烤小包15箱 大包10箱": the big one of that flavour (another line is another product)
                alike = self._most_alike(head.sku, picked - {head.sku})
                picked = {alike} if alike else picked
            if first and picked == {head.sku}:
                picked = set()              # "lemon water 25 and grapefruit water 25": a line is another product
            if found and len(picked) == 1:
                a, b = end + start + found[0][0], end + start + found[-1][1]
                made.append(Mention(a, b, tuple(picked), Strength.NAME, text[a:b]))
            else:
                whole = False
                if found and not made:
                    carry = picked or carry         # "狗粮10kg的 幼犬的…": the size holds for the lines after it
            start = q.end()
        return made, whole

    def _size_none_has(self, said: str, found: list[tuple[int, int, set[str]]], picked: set[str]) -> bool:
        """"热水管20 30根，热水管40 10根" (no 40 in the catalogue): a number of the line's own, outside the words that
        picked its products, that none of them has is a size the catalogue lacks; the line is not the nearest one."""
        for n in _GLUED_NUMBER.finditer(said):
            if any(a <= n.start(1) < b for a, b, _ in found):
                continue
            if not any(re.search(rf"(?<![\d.]){re.escape(n.group(1))}(?![\d])", self._labels[s]) for s in picked):
                return True
        return False

    def _described(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"牵引绳要M号的，10根", "猫粮要幼猫的 10袋", "成猫的10公斤来5袋", "暖光的球泡 20个": a word of several products
        and, on its line (before it, or after it up to its count), words that tell those products apart: the
        products all those words leave; one product is that product. "磨牙棒 牛肉的鸡肉的各15包": words that each
        leave a different one product name one line each."""
        out: list[Mention] = []
        skip: set[int] = set()
        for n, m in enumerate(mentions):
            if n in skip:
                continue
            base = set(m.skus)
            nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
            if len(base) < 2:
                out.append(m)
                out += self._also(text, m, nxt)
                continue
            last = out[-1] if out else None
            later = mentions[n + 1] if n + 1 < len(mentions) else None
            ones = set(later.skus) & base if later is not None else set()
            if later is not None and len(ones) == 1 and THE_ONES.fullmatch(text, m.end, later.start):
                # "hoses, 60 of the 40cm ones", "20 shower hoses, the 2m ones": the kind word is that product
                out.append(Mention(m.start, m.end, tuple(ones), Strength.NAME, m.word))
                continue
            if (later is not None and later.sku in base and JOINED.fullmatch(text[m.end:later.start])) or (
                    last is not None and last.sku in base and JOINED.fullmatch(text[last.end:m.start])):
                continue             # "bulb 9w warm": the word of the kind is read with the one product next to it
            if last is not None and len(last.skus) > 1 and not (last.word in self.partly_english and is_colour(m.word)) \
                    and JOINED.fullmatch(text[last.end:m.start]) \
                    and 0 < len(set(last.skus) & base) and (len(set(last.skus) & base) < min(len(base), len(last.skus))
                                                            or (text[last.end:m.start] == "" and set(last.skus) != base)):
                # "白色的乳胶漆 18升": two words of several products, read together; "饭伴饭盒" (the series and its
                # kind, glued): the series' products
                out.pop()
                base = set(last.skus) & base
                m = Mention(last.start, m.end, tuple(sorted(base)),
                            Strength.NAME if len(base) == 1 else m.strength, text[last.start:m.end])
                if len(base) == 1:
                    out.append(m)
                    continue
            prev = out[-1].end if out else 0
            after, after_at = self._line_words(text, m.end, nxt, forward=True, base=base)
            before, before_at = self._line_words(text, prev, m.start, forward=False)
            found = self._words_telling(before, before_at, base, text) + self._words_telling(after, after_at, base, text)
            if m.word in self.partly_english and any(is_colour(text[a:b]) for a, b, _ in found):
                out.append(m)        # "bathroom lock black": "lock" names only the locks with English aliases
                continue
            singles = [f for f in found if len(f[2]) == 1]
            if len(singles) >= 2 and len({next(iter(f[2])) for f in singles}) == len(singles) \
                    and all(f[0] >= m.end for f in singles):
                out += [Mention(a, b, tuple(hit), Strength.NAME, text[a:b]) for a, b, hit in singles]
                continue
            picked = set(base)
            for _, _, hit in found:
                if picked & hit:
                    picked &= hit
            listed = NUMBER_LIST.search(text, m.end, min(nxt, m.end + 20))
            if listed is not None and listed.start() - m.end <= 4 and len(picked) > 1:
                lines = [(n.start(), n.end(), {s for s in picked if re.search(rf"(?<![\d.]){n.group(0)}(?!\d)",
                                                                            self._labels[s])})
                         for n in re.finditer(r"\d{1,4}", listed.group(0))]
                if all(len(hit) == 1 for _, _, hit in lines) and len({next(iter(h)) for _, _, h in lines}) == len(lines):
                    out += [Mention(listed.start() + a, listed.start() + b, tuple(hit), Strength.NAME,
                                    text[listed.start() + a:listed.start() + b]) for a, b, hit in lines]
                    continue
            if len(picked) > 1:        # "狗粮10kg的 幼犬的来5包 成犬的3包": a size said before holds for the lines after
                for size in reversed(VARIANT_SIZE.findall(text, 0, m.start)):
                    held = self._narrow(picked, size.replace(" ", ""))
                    if len(held) == 1:
                        picked = held
                        break
            if len(picked) > 1:        # "成犬粮来8包 要20kg的", "豆腐猫砂20包，10L的": the telling words after the count
                after_count = self._after_count(text, m.end, nxt, picked)
                later = mentions[n + 1] if n + 1 < len(mentions) else None
                if after_count is None and later is not None and len(picked & set(later.skus)) == 1 \
                        and self._after_count(text, m.end, len(text), picked) is not None:
                    after_count = picked & set(later.skus)
                    skip.add(n + 1)      # "20kg" there tells this line's product, it is no line of its own
                if after_count is not None:
                    picked = after_count
            later = mentions[n + 1] if n + 1 < len(mentions) else None
            if len(picked) > 1 and not VARIANT_SIZE.fullmatch(m.word.strip()) and not (
                    later is not None and later.start - m.end <= 8 and picked & set(later.skus)):
                # "猫罐 金枪鱼的4箱，鸡肉的6箱": a word of several products on the line after a line of one product
                picked = self._of_the_line_before(text, out, m, nxt, picked)
            if 1 < len(picked) <= 4:
                plain = self._plain(" ".join([m.word, *(text[a:b] for a, b, _ in found)]), picked)
                picked = {plain} if plain else picked
            if picked == base:
                out.append(m)
                continue
            start, end = min([m.start, *(f[0] for f in found)]), max([m.end, *(f[1] for f in found)])
            out.append(Mention(start, end, tuple(sorted(picked)), Strength.NAME if len(picked) == 1 else m.strength,
                               text[start:end]))
        return out

    def _plain(self, said: str, picked: set[str]) -> str | None:
        """Of ``picked``, the plain one when every other is it with something more ("五孔 灰": 五孔插座 灰色, not
        五孔USB插座 灰色 or 带开关五孔插座): what its name has beyond the words said and its kind, each other's has
        too, and more; None when there is no such one or they are of several kinds."""
        def words(s: str) -> set[str]:
            return set(re.findall(r"[a-z]+|\d+(?:\.\d+)?|[\u4e00-\u9fff]", normalize(s)))

        if len({self.entries[s].category for s in picked}) > 1:
            return None          # "600x600灰": 抛釉砖 and 仿古地砖 are two kinds, neither is the plain one
        told = words(said)
        rest = {s: words(self.entries[s].name) - told - words(self.entries[s].category) for s in picked}
        plain = [s for s in picked if all(rest[s] < rest[o] for o in picked if o != s)]
        return plain[0] if len(plain) == 1 else None

    def _after_count(self, text: str, start: int, nxt: int, picked: set[str]) -> set[str] | None:
        """The one product of ``picked`` that words right after the line's count tell ("来8包 要20kg的"): the words
        up to the next product or clause end, with no other count among them; None when they tell none."""
        line = text[start:min(nxt, start + 24)]
        counts = list(QUANTITY.finditer(line))
        usable = [q for q in counts if q.group("unit")]
        if len(usable) != 1:
            return None
        tail_at = start + usable[0].end()
        tail = text[tail_at:min(nxt, tail_at + 10)]
        tail = re.split(r"[。；;！!？?\n]|还有|另外|然后|再来|再要", tail)[0]
        if re.match(r"\s*[,，]\s*[a-z]{1,2}\d(?![a-z0-9.])\s*\S", tail):
            return None           # "ck4 4L 10 pails, ci4 4L 10": a grade after the comma starts the next line
        if not tail.strip(" ,，") or QUANTITY.search(tail.replace("的", "")) and not VARIANT_SIZE.search(tail) \
                and not re.match(r"[\s,，]*(?:要|是)?\d{2,4}(?:\.\d+)?\s?的", tail):      # "来20箱 500的"
            return None
        found = self._words_telling(tail, tail_at, picked, text)
        if not found:
            return None
        kept = set(picked)
        for _, _, hit in found:
            if kept & hit:
                kept &= hit
        return kept if len(kept) == 1 else None

    def _continued(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"云朵1.5 蓝色 4套 粉色 4套": a word of several products after a counted line of one product (known only once
        the line's words were joined) names the product of that kind most like it (``_of_the_line_before``)."""
        out: list[Mention] = []
        for n, m in enumerate(mentions):
            if m.sku is None and len(m.skus) >= 2 and any(x.sku for x in out):
                nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
                picked = self._of_the_line_before(text, out, m, nxt, set(m.skus))
                last = next(x for x in reversed(out) if x.sku)
                size = _SIZE_THEN_COUNT.match(text, m.end)
                if size and len(picked) > 1 and _LINE_ENDED.search(text, last.end, m.start) \
                        and self._size_none_has(text[m.start:size.end()], [(0, m.end - m.start, set())], picked):
                    # "热水管20 30根，热水管40 10根" with no 40: named back, its count not the line before's
                    out.append(Mention(m.start, size.end(), (), Strength.UNKNOWN,
                                       named_back(text[m.start:size.end()]), near=tuple(sorted(picked))))
                    continue
                if len(picked) > 1 and last.sku is not None and _COUNTED_GAP.search(text, last.end, m.start) \
                        and any(picked <= group for group in self._kinds_of(last.sku)):
                    # "粉色" of three sizes after 云朵1.5 蓝色 4套: the one of that kind most like the line before
                    alike = self._most_alike(last.sku, picked)
                    picked = {alike} if alike else picked
                if len(picked) == 1:
                    m = Mention(m.start, m.end, tuple(picked), Strength.NAME, m.word)
            out.append(m)
        return out

    def _of_the_line_before(self, text: str, before: list[Mention], m: Mention, nxt: int,
                            picked: set[str]) -> set[str]:
        """The products of ``picked`` of the same kind as the last one product named before (its line ended with
        a count), when that leaves one other product; of several, the one that shares most of its other words."""
        last = next((x for x in reversed(before) if x.sku), None)
        if last is not None and last.sku in picked and CHANGED_COUNT.match(text, m.end):
            return {last.sku}       # "冰红茶500的10箱 冰红茶改成15": the line before, its count changed
        named = {x.sku for x in before if x.sku} & picked
        if len(named) == 1 and (CHANGED_COUNT.match(text, m.end) or _ADDED_COUNT.match(text, m.end)):
            return named            # "赤霞珠750 一打 霞多丽750一打 赤霞珠再加一打": the one line of the message it names
        if last is None or last.sku is None or last.sku in picked:      # "猫砂" after 豆腐砂10L: the wider word
            return picked
        gap = text[last.end:m.start]
        line = text[m.end:nxt]
        if not (QUANTITY.search(gap) or re.search(r"不要|删|去掉|换成|改成|换", gap)
                or re.fullmatch(r"[\s的和跟与及、,，]*", gap)) or not re.search(r"各|\d|[一二两三四五六七八九十]", line[:12]):
            return picked        # the line before has ended, and this word has a count of its own
        kind = picked & (self._family(last) | {last.sku})
        if not kind or kind == picked:
            # "猫罐 金枪鱼的4箱，鸡肉的6箱": the smallest word of several products the last one shares that leaves one
            for group in self._kinds_of(last.sku):
                if len(picked & group) == 1:
                    return picked & group
            chosen = self._lead_and_word(before, m.word, picked)
            return {chosen} if chosen is not None else picked
        chosen = self._most_alike(last.sku, kind) or self._lead_and_word(before, m.word, kind)
        return {chosen} if chosen is not None else picked

    def _lead_and_word(self, before: list[Mention], word: str, kind: set[str]) -> str | None:
        """"悦白五孔120个 单控80 双开双控40" (单控 of 一开 and of 双开 alike to it): the one product of ``kind`` whose
        exact words are the leading words of a line before and this word ("悦白单控", "悦白双开双控")."""
        for x in reversed(before):
            for k in range(len(x.word) - 1, 0, -1) if x.sku else ():
                hit = self._compact_exact.get(compact(x.word[:k] + word))
                if hit is not None and len(hit[1]) == 1 and hit[1][0] in kind:
                    return hit[1][0]
        return None

    def _corrected(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"白胶布50卷 不对是黑的", "圆吸顶灯大的8套 哦不 小的", "6平方红色4卷 搞错了 是4平方的": after a product's
        line, a correction word and words that tell another product of its kind apart (no product named) name
        that product: the one the words leave that shares most of the first one's other words."""
        out = list(mentions)
        # "change 3in downlight white to warm": the product between the verb and "to" changed for another
        changed = [t for t in re.finditer(r"\b(?:to|for|with)\b\s*(?:the\s+|a\s+)?", text)
                   if re.search(r"\b(?:change|switch|swap|replace)\b", text[max(0, t.start() - 40):t.start()])]
        marks = sorted([*CORRECTED.finditer(text), *SWAPPED.finditer(text), *changed], key=lambda c: c.start())
        for c in marks:
            before = [m for m in out if m.end <= c.start() and m.sku]
            if not before:
                continue
            anchor = before[-1]
            if c.re is not CORRECTED:    # "白桃气泡水换成青柠的 8箱", "change stainless floor drain to brass"
                if len(text[anchor.end:c.start()].strip(" 的")) > 0:
                    continue
            elif not QUANTITY.search(text, anchor.end, c.start()):
                continue                  # "64二铵颜色不对": no line was said, nothing to correct
            said = next((m for m in out if c.end() <= m.start < c.end() + 2), None)
            if said is not None:          # "双开金色20个 写错了 是灰色": a word of several products, of the kind
                if len(said.skus) > 1 and anchor.sku in said.skus and QUANTITY.match(text, said.end) is None \
                        and QUANTITY.search(text, said.end, said.end + 4):
                    # "5W暖光20 不对5W要30": the count of the line corrected, said with fewer words
                    out = [m for m in out if m is not said] + [
                        Mention(said.start, said.end, (anchor.sku or "",), Strength.NAME, said.word)]
                elif len(said.skus) > 1 and anchor.sku not in said.skus:
                    for group in self._kinds_of(anchor.sku or ""):
                        others = (set(said.skus) & group) - {anchor.sku or ""}
                        chosen = self._most_alike(anchor.sku or "", others) if others else None
                        if chosen is not None:
                            out = [m for m in out if m is not said] + [
                                Mention(said.start, said.end, (chosen,), Strength.NAME, said.word)]
                            break
                continue
            nxt = next((m.start for m in out if m.start >= c.end()), len(text))
            groups = self._kinds_of(anchor.sku or "")
            # "不对 要350的": a number of some of its kind's names said with 的 is the size, not a count
            sized = re.match(r"[\s要是]*\d+(?:\.\d+)?\s?的", text[c.end():]) is not None
            words, at = self._line_words(text, c.end(), min(nxt, c.end() + 10), forward=True,
                                         base=set().union(*groups) if sized else None)
            for group in groups:
                found = self._words_telling(words, at, group)
                picked = set(group)
                for _, _, hit in found:
                    picked &= hit
                if not found or not picked or anchor.sku in picked:
                    continue
                chosen = self._most_alike(anchor.sku or "", picked)
                if chosen is not None:
                    a, b = found[0][0], found[-1][1]
                    out.append(Mention(a, b, (chosen,), Strength.NAME, text[a:b]))
                    break
        return sorted(out, key=lambda x: x.start)

    def _also(self, text: str, m: Mention, nxt: int) -> list[Mention]:
        """"羊毛刷 S的M的各10把": after one product, words joined to it by 和/的…各 that each name another product
        of its kind name those too."""
        family = self._family(m)
        if not family:
            return []
        words, at = self._line_words(text, m.end, nxt, forward=True)
        if not re.search(r"各|和|跟|、|及", text[m.end:min(nxt, m.end + 14)]):
            return []
        told = [(a, b, hit) for a, b, hit in self._words_telling(words, at, family) if len(hit) == 1 and m.sku not in hit]
        # "10" and "10号" both tell the 10号 one: the longer wording only
        return [Mention(a, b, tuple(hit), Strength.NAME, text[a:b]) for a, b, hit in told
                if not any(x <= a and b <= y and (x, y) != (a, b) for x, y, _ in told)]

    def _words_telling(self, words: str, at: int, base: set[str], text: str | None = None) -> list[tuple[int, int, set[str]]]:
        """``_descriptors`` of each piece of ``words`` between particles ("牛肉的鸡肉的": 牛肉, 鸡肉), placed at ``at``
        (bare numbers read in ``text``, the whole message, when given: what follows them tells a size from a count)."""
        out = []
        for n in BARE_NUMBER.finditer(text if text is not None else words, at if text is not None else 0):
            a, b = (n.start(), n.end()) if text is not None else (n.start() + at, n.end() + at)
            if b > at + len(words):
                break
            hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(n.group(0))}(?![\d])", self._labels[s])}
            if hit and hit != base:
                out.append((a, b, hit))
        for size in VARIANT_SIZE.finditer(words):          # "4 inch": a size written with a space
            hit = self._narrow(base, size.group(0)) if " " in size.group(0) else set()
            if hit and hit != base:
                out.append((size.start() + at, size.end() + at, hit))
        for piece in re.finditer(r"[^的和跟与及、/\s要来拿配补整搞]+", words):
            whole = re.sub(r"[号码款型色味装]$", "", re.sub(r"[^\u4e00-\u9fff]", "", piece.group(0)))
            # one Chinese character tells products apart only said on its own ("白的"), not inside a word ("外包装")
            out += [(a + at + piece.start(), b + at + piece.start(), hit)
                    for a, b, hit in self._descriptors(piece.group(0), base, numbers=False)
                    if b - a > 1 or not CJK.match(piece.group(0)[a:b]) or len(whole) == 1]
        return out

    def _line_words(self, text: str, start: int, end: int, *, forward: bool,
                    base: set[str] | None = None) -> tuple[str, int]:
        """The words next to a product on its line, as (words, where they begin): after it up to its count (a
        number that is no size; "炒锅32的不粘 20口": a bare number of some of ``base``'s names before another
        count is a size too) or the next product, at most 14 characters; before it back to the last count,
        product or clause, at most 8."""
        if forward:
            reach = 24 if re.search(r"[a-z]{3,}", text[start:start + 14]) else 14     # "32 stainless 6口": longer words
            window = text[start:min(end, start + reach)]
            sizes = [(s.start(), s.end()) for s in VARIANT_SIZE.finditer(window)]
            counts = [q for q in QUANTITY.finditer(window) if not any(a <= q.start() < b for a, b in sizes)]
            # "5.5的" / "32的": a number of some names that cannot be a count (a fraction, or said with 的) is a size
            while counts and base and not counts[0].group("unit") and self._numbered(base, counts[0]) and (
                    len(counts) > 1 or "." in counts[0].group("num") or window[counts[0].end():].startswith("的")
                    or CJK.match(window[counts[0].end():counts[0].end() + 1])
                    and window[counts[0].end()] not in TELLING_STOP):        # "炒锅32不粘还有吗"
                counts.pop(0)
            count = counts[0].start() if counts else len(window)
            window = window[:count]
            stop = re.search(r"[。；;！!？?\n]|(?:还有|另外|然后|再来|再要)", window)
            return (window[:stop.start()] if stop else window), start
        # English words are longer: "single gang switch" needs more than "白色的开关"
        begin = max(start, end - (18 if re.search(r"[a-z]{3,}\s*$", text[max(start, end - 18):end]) else 8))
        window = text[begin:end]
        cut = max((x.end() for x in (*re.finditer(r"[,，。；;！!？?、\n]", window), *QUANTITY.finditer(window))),
                  default=0)
        return window[cut:], begin + cut

    def _numbered(self, base: set[str], q: re.Match[str]) -> bool:
        """Some but not all of ``base`` have the bare number ``q`` in their names ("32" of 32cm)."""
        digits = q.group(0).strip()
        bare = BARE_NUMBER.match(q.string, q.start())
        if not re.fullmatch(r"\d+(?:\.\d+)?", digits) or bare is None or bare.group(0) != digits:
            return False
        hit = {s for s in base if re.search(rf"(?<![\d.]){re.escape(digits)}(?![\d])", self._labels[s])}
        return bool(hit) and hit != base

    def _absorbed(self, text: str, m: Mention) -> Mention:
        """"20寸无骨30支": Chinese words right after a product that its own name has (无骨 of 净视无骨雨刮器) belong to
        the product's words, so the count after them is its count."""
        sku = m.sku
        if sku is None or m.strength == Strength.UNKNOWN:
            return m
        start = m.start
        # "200 pcs 86 back boxes": a number between a count and the product, that the product's name has (86型)
        lead = re.search(r"(?<![\d.])\d+\s?(?:pcs|pc|units?|boxes|box|sets?|cases?|cs|ctns?|个|只|套|盒|箱)\s?"
                         r"(\d{1,5})\s?$", text[:m.start])
        if lead is not None and re.search(rf"(?<!\d){lead.group(1)}(?!\d)", self._labels[sku]):
            start = lead.start(1)
        end = m.end
        while end < len(text) and end - m.end < 6 and CJK.match(text[end]) and text[end] not in TELLING_STOP \
                and text[m.end:end + 1] in self._labels[sku]:
            end += 1
        if end - m.end < 2:          # one character alone ("20寸的", "AP300来") is no word of the name
            end = m.end
        if (start, end) == (m.start, m.end):
            return m
        return Mention(start, end, m.skus, m.strength, text[start:end], m.near)

    def _size_units(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"直筒深蓝 28腰2条 30腰5条": a size's own mark, as the product's name writes it after the number (28腰, 41码),
        belongs to the mention, so the count after it is its count (a unit of measure, 丝 or 米, is read as a size)."""
        out = []
        for m in mentions:
            size = re.search(r"\d+$", text[m.start:m.end])
            ch = text[m.end:m.end + 1]
            if m.sku is not None and size is not None and CJK.match(ch) and ch not in TELLING_STOP and not size_kind("1", ch) \
                    and size.group(0) + ch in self._labels[m.sku]:
                m = Mention(m.start, m.end + 1, m.skus, m.strength, text[m.start:m.end + 1], m.near)
            out.append(m)
        return out

    def _modified(self, text: str, m: Mention) -> Mention:
        """"black pens", "rear brake pads", "the summer washer fluid": an English colour, position or size word
        next to a word of several products keeps those whose names have it."""
        if len(m.skus) < 2:
            return m
        start, end, skus = m.start, m.end, set(m.skus)
        before = re.search(r"([a-z]+)\s$", text[:start])
        after = re.match(r"\s([a-z]+)(?![a-z])", text[end:])
        for found, at_start in ((before, True), (after, False)):
            words = MODIFIERS.get(found.group(1)) if found is not None else None
            if found is None or words is None or (m.word in self.partly_english and is_colour(found.group(1))):
                continue        # "lock black": "lock" is only the locks with English aliases, not every black lock
            narrowed = {s for s in skus if any(w in self._labels[s] for w in words)}
            if narrowed and narrowed != skus:
                skus = narrowed
                if at_start:
                    start = found.start(1)
                else:
                    end += found.end(1)
        if skus == set(m.skus):
            return m
        return Mention(start, end, tuple(sorted(skus)), Strength.NAME if len(skus) == 1 else m.strength,
                       text[start:end])

    def _told_apart(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"哈弗H6后片", "朗逸那个前刹车片": a word of several products followed by a character that only one of them
        has in its name or aliases (后 of 后轮) is that one; a generic word right after it is read with it."""
        out: list[Mention] = []
        n = 0
        while n < len(mentions):
            m = mentions[n]
            n += 1
            if len(m.skus) < 2:
                out.append(m)
                continue
            chosen = None
            for i in range(m.end, min(len(text), m.end + 4)):
                ch = text[i]
                if not CJK.match(ch) or ch in TELLING_STOP:
                    break
                owners = [s for s in m.skus if ch in self._labels[s]]
                if len(owners) == 1:
                    chosen = (i + 1, owners[0])
                    break
            if chosen is None:
                out.append(m)
                continue
            end, sku = chosen
            start = m.start
            if out and sku in out[-1].skus and len(out[-1].skus) > 1 and m.start - out[-1].end <= 1:
                start = out.pop().start                     # "哈弗|H6后片"
            while n < len(mentions) and mentions[n].start <= end and sku in mentions[n].skus:
                end = max(end, mentions[n].end)             # "朗逸那个前|刹车片"
                n += 1
            out.append(Mention(start, end, (sku,), Strength.NAME, text[start:end]))
        return out

    def _in_series(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"金冠5w40小桶8", "银盾5w40小桶8 5w40大桶2": a word of several products (a grade that two series come in) said
        after a series (its word, or a product of it, earlier in the message) names the products of that series,
        when the series has some; then 大/小 choose among those. A series word right before it is read with it."""
        table = self.variant_table
        out: list[Mention] = []
        series: str | None = None
        for m in mentions:
            sized = self._big_or_small(text, m)
            if len(m.skus) > 1 and series is not None:
                mine = tuple(s for s in m.skus if table.series.get(s) == series)
                if mine and len(mine) < len(m.skus):
                    start = m.start
                    lead = out[-1] if out else None
                    if lead is not None and lead.sku is None and set(mine) < set(lead.skus) \
                            and re.fullmatch(r"[\s的]?", text[lead.end:m.start]):
                        start = lead.start
                    narrowed = Mention(start, m.end, mine, m.strength, text[start:m.end])
                    picked = self._big_or_small(text, narrowed)
                    if picked is not narrowed and picked.sku is not None:   # the series and 大/小 name one product
                        if start != m.start:
                            out.pop()
                        sized = picked
            m = sized
            series = (table.series_of(m.skus) if m.skus else None) or series
            out.append(m)
        return out

    def _big_or_small(self, text: str, m: Mention) -> Mention:
        """"嘧菌酯小瓶的", "大袋的尿素": a word of several products of one kind in several sizes, said with 大 or 小,
        is the biggest or the smallest of them (when their sizes are written in one measure)."""
        if len(m.skus) < 2:
            return m           # (returned as it came when nothing is picked: ``_in_series`` asks by identity)
        after = BIG_SMALL_AFTER.match(text, m.end)
        before = BIG_SMALL_BEFORE.search(text, 0, m.start)
        said = after or before
        if said is None:
            return m
        # "小桶" of oils sold in 1 L bottles and 4/18 L pails: the smallest pail, not the bottle (the unit said picks
        # the products sold in it, when some are and some are not)
        skus = tuple(s for s in m.skus if self.entries[s].unit == said.group("unit")) or m.skus
        # "重卡王ci4 大桶" when the catalogue's aliases call the 18 L "大桶" and the 200 L "铁桶": the one so called
        called = self.variant_table.called(skus, said.group("bs") + said.group("unit"))
        skus = called if len(called) == 1 else skus
        sizes: dict[str, tuple[str, Decimal]] = {}
        for sku in skus:
            size = measure_of(self.entries[sku].name)
            if size is None:
                return m
            sizes[sku] = size
        if len({unit for unit, _ in sizes.values()}) != 1:
            return m
        pick = max if said.group("bs") == "大" else min
        best = pick(sizes.values(), key=lambda s: s[1])
        chosen = [sku for sku, size in sizes.items() if size == best]
        if len(chosen) != 1:
            return m
        start, end = (m.start, after.end()) if after is not None else (said.start(), m.end)
        return Mention(start, end, (chosen[0],), Strength.NAME, text[start:end])

    def _other_sizes(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"草甘膦200ml的来3箱" when the one 草甘膦 is 1L: a size written with a product that the product does not
        have names no product (the dealer is asked, with the product as a suggestion), never the other size."""
        out = []
        for n, m in enumerate(mentions):
            sku = m.sku
            if sku is None:
                out.append(m)
                continue
            nxt = mentions[n + 1].start if n + 1 < len(mentions) else len(text)
            prev = mentions[n - 1].end if n else 0
            after = size_said(text, m.end, nxt, self.entries[sku].unit)
            before = size_said(text, prev, m.start, self.entries[sku].unit, before=True)
            sizes = [x.group("size") for x in (after, before) if x is not None
                     and not re.fullmatch(rf"[\d.]+\s({'|'.join(self._size_letters) or '-'})", x.group("size"))]
            label = re.sub(r"\s", "", self._labels[sku])
            if any(not any(re.sub(r"\s", "", v) in label for v in spec_variants(size)) for size in sizes):
                start = before.start("size") if before is not None else m.start
                end = after.end("size") if after is not None else m.end
                out.append(Mention(start, end, (), Strength.UNKNOWN, text[start:end], near=(sku,)))
            else:
                out.append(m)
        return out

    def _narrowed(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """A word of several products with a count, told apart by what is around it: the letters of one of their
        codes written before it ("ms wok 28" of MS28W and TJ28; "fd salmon" of FDS100 and a salmon cat food), or the
        series of the product of the line before ("warmgo 750 black 12 and 8 green": the green of that series)."""
        table = self.variant_table
        out: list[Mention] = []
        last: str | None = None
        kind: Mention | None = None          # a word of several products that led the sizes after it
        for m in mentions:
            lead = out[-1] if out else None
            if m.sku is not None and lead is not None and lead.sku is None and m.sku in lead.skus \
                    and _COUNT_BEFORE.fullmatch(text[lead.end:m.start].lstrip()) is not None:
                out.pop()            # "牧风幼犬 20袋1.5kg": the kind word led the line counted before its size
                lead = out[-1] if out else None
            if kind is not None and (m.sku is not None and m.sku not in kind.skus
                                     or _LIST_BREAK.search(text, kind.end, m.start)):
                kind = None
            if m.sku is None and len(m.skus) > 1 and lead is not None and lead.sku is None and len(lead.skus) > 1 \
                    and re.fullmatch(r"子?[\s的]{0,2}", text[lead.end:m.start]) and len(set(lead.skus) & set(m.skus)) == 1:
                # "8丝袋 7号 8号各50包", "8丝袋子 7号": the 7号 of the kind just said, which only led its lines
                m = Mention(m.start, m.end, tuple(set(lead.skus) & set(m.skus)), Strength.NAME, m.word)
                out.pop()
                kind = lead
            elif m.sku is None and len(m.skus) > 1 and kind is not None and len(set(kind.skus) & set(m.skus)) == 1:
                # "8丝袋 5号 7号 8号 各20包 8号不要": the 8号 of that kind too, wherever the list says it
                m = Mention(m.start, m.end, tuple(set(kind.skus) & set(m.skus)), Strength.NAME, m.word)
            if m.sku is None and 1 < len(m.skus) <= 12 and (counted_after(text, m.end)
                                                            or re.search(r"(?<![\d.])\d{1,4}\s?$", text[:m.start])):
                pick: tuple[str, ...] = ()
                start = m.start
                code = re.search(r"(?<![a-z0-9])([a-z]{2,4})\s?$", text[:m.start])
                if code is not None and not (out and out[-1].end > code.start()):
                    coded = tuple(s for s in m.skus if code_part(s).startswith(code.group(1)))
                    if len(coded) == 1:
                        pick, start = coded, code.start()
                written = TELLING_LEAD.search(text, out[-1].end if out else 0, m.start)
                if not pick and written is not None:
                    # "r134 5kg 4瓶": a code or grade written right before it that only some of them have
                    owned = tuple(s for s in m.skus if told_by(written.group(1), self._labels[s]))
                    pick, start = (owned, written.start(1)) if len(owned) == 1 else ((), m.start)
                    if not owned and re.search(r"[a-z]", written.group(1)) \
                            and not any(told_by(written.group(1), label) for label in self._labels.values()):
                        # "l3 15kg" when no product has an l3: named back with its size, not another one's line
                        out.append(Mention(written.start(1), m.end, (), Strength.UNKNOWN,
                                           named_back(text[written.start(1):m.end]), near=m.skus))
                        continue
                if not pick and last is not None and table.series.get(last) is not None \
                        and not (written is not None and not told_by(written.group(1), self._labels[last])):
                    # (not "ep2 1kg 12 and l3 15kg 3": a code the line before lacks starts another line)
                    pick = tuple(s for s in m.skus if table.series.get(s) == table.series[last])
                    pick = pick if len(pick) == 1 else ()
                if pick:
                    m = Mention(start, m.end, pick, Strength.NAME, text[start:m.end])
            if m.sku is not None:
                last = m.sku
            out.append(m)
        return out

    def _other_series(self, text: str, mentions: list[Mention]) -> list[Mention]:
        """"银盾0w20小桶" when 银盾 has no 0W-20 (金冠 has): a series word glued before the words of one product of another
        series names a product the series does not have; the dealer is asked (the wording named back, that product
        suggested), never given the other series' product."""
        table = self.variant_table
        out: list[Mention] = []
        for m in mentions:
            lead = out[-1] if out else None
            series = table.series_of(lead.skus) if lead is not None and lead.sku is None and lead.skus else None
            other = table.series.get(m.sku) if m.sku is not None else None
            if lead is not None and series is not None and m.sku is not None and text[lead.end:m.start] == "" \
                    and other not in (None, series) and other in table.words \
                    and sum(b - a for a, b, _ in table.runs(text, str(other), m.start, m.end)) \
                    >= len(re.sub(r"[\s的]", "", m.word)):
                out[-1] = Mention(lead.start, m.end, (), Strength.UNKNOWN, text[lead.start:m.end], near=(m.sku,))
                continue
            out.append(m)
        return out
