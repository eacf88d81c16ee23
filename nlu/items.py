"""Order lines in a message as edits: add, set, remove, replace, scale; and what could not be placed.

Works on normalized text (``nlu.normalize``) with product mentions from ``nlu.products`` (including
codes that name no product, ``Strength.UNKNOWN``) and with dates and order numbers already blanked
out (their digits are not quantities). Rules, in order:

- a quantity right after a product ("AP300 20台", "AP300来二十台", "AP300 x20", "滤网也来五箱") belongs to
  it; otherwise one right before it ("5台AP500", "两箱滤网", "20 AP300", "4 boxes of FL-WP400");
- that line *sets* the quantity when a correction word says so ("AP300 改成10台", "改成5台AP500",
  "AP300 10台就行", "make it 25 AP300"), else it *adds* ("AP300再来15台");
- "各": "AP300和AP500各10台" gives each product of the clause without a quantity that quantity;
- negation next to a product removes it ("不要AP300了", "净化器的不要了", "AP300去掉", "drop the AP500");
  a clause that is only a negation ("不要了") removes what the clause before it added;
- "X换成Y" replaces X by Y (Y's quantity when written, else X's);
- a quantity with no product of its own sets the quantity of the product before it ("AP300 20台 改成30台",
  "二十台，不对，二十五台") or, with none in the message, of the line the chat is talking about
  ("改成10台": ``sku`` None); with "再/more" it adds ("need 2 more");
- "数量翻倍 / 减半 / double it" scales every line (or the product named with it);
- a quantity next to a word that is no product ("XY123 五台", "空净来5台"), or a generic word naming
  several products ("滤网5箱"), is never dropped and never given to another product: it is reported in
  ``unresolved`` with its quantity and the candidates;
- a quantity that is not a whole number ("1.5k", "2.5台") is reported in ``rejected``, a negative one
  ("-5台") in ``negative``: never rounded, never read as positive.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from nlu.numbers import QUANTITY, Quantity, parse_quantity
from nlu.product_words import named_back
from nlu.products import Mention, Strength
from nlu.scaled_lines import scale
from nlu.schema import CartEdit, EditOp, Unresolved

_CLAUSE = re.compile(r"(?:[,;!?\n，。；！？]|\.(?!\d))+|\s+/\s+|\s+(?:then|and then|also|plus)\s+|然后|还有|另外|以及")
_VERBS = (r"来|嚟|要|嘅|卖咗|订|拿|配|补|整|搞|上|发|给我|给|畀我|畀|俾我|俾|同我|帮我|落|我|再|还|也|加|个|先|的|共计|一共|总共|共|x|\*|:|×|,|的话|卖了|卖出|卖掉|"
          r"出了|出|走了|卖|零售了?|成交了?|装了|装|sold|-|就|只|吧|啊|呢|了|那个|这个|安排|备|进|买|add|get|need|want|order|"
          r"another|more|of|the|please|qty|quantity|号|码")
_CLOSING = re.compile(r"(?:就|一共|总共|共|都)?(?:是)?这[两三四五六七八九十几]?(?:个|样|种|些|几样)(?:了|吧|啊|哈)?[\s,，。.!！]*$")
REFERRING_WORDS = frozenset({"it", "them", "those", "these", "that", "this", "that one", "this one", "这个", "那个",
                             "这款", "那款", "它", "它们", "这种", "那种"})
"""Words that name the product just talked about ("need 4 of them" after "any DH20 left?"), when one was."""
_SET_WORDS = (r"改成|改为|实际是|其实是|应该是|也要|也是|是|变成|改到|调成|调到|加到|减到|补到|凑到|提到|降到|换成|换为|改|只要|只订|只来|就要|就来|总共要|一共要|make it|\bmake\b|change it to|"
              r"change to|instead|only|just|actually|correction|\bto\b")
_LESS_WORDS = r"减少|减去|减掉|少要|少来|少订|少拿|减|少"       # not 少发 / 少了: goods short on delivery
_RIGHT_GAP = re.compile(rf"^(?:\s|{_SET_WORDS}|{_VERBS}|{_LESS_WORDS})*$")
_LEFT_GAP = re.compile(r"^(?:\s|of|the|x|\*|more|extra|additional|new|的|cases?|boxes|box|cartons?|ctns?|cs|pcs|"
                       r"packs?|units?|bottles?|cans?|bags?|sets?|pieces?|rolls?|buckets?|pails?|drums?|sheets?|tins?)*$")
_SET_BEFORE = re.compile(rf"(?:{_SET_WORDS})\s*(?:{_VERBS}|\s)*$")
_SET_AFTER = re.compile(r"^\s*(?:就行|就好|就够|就可以|就ok|足够|够了|即可|就这么多|for now|is enough|will do)")
_ADD_BEFORE = re.compile(r"(?:再来|再加|再要|再补|再拿|再配|再整|再订|还要|加|多来|多要|再给我来个?|再)\s*$")
_ADD_AFTER = re.compile(r"^\s*(?:more|extra|additional)\b")
_CORRECTED_BEFORE = re.compile(r"(?:哦不对|哦不是|不对|错了|写错了?|搞错了?|说错了?|弄错了?|打错了?|哦不|不不|等下|等一下|等等|"
                               r"算了(?=\s*(?:改|换|要|还是|$))|\b(?:sorry|i mean|i meant|no wait|oops)\b)"
                               r"[\s,，.!！]*(?:是|要|应该是|应该要|换成|改成|改为|改|换|还是)?\s*"
                               r"(?:\b(?:i mean|i meant|make it|it'?s|the|a|an)\b\s*)*$")
# a line named by its place: the first ("前面那个", "第一个", "the first one") or the last ("后面那个", "the last one")
_LINE_REF = re.compile(r"(?P<first>前面(?:那个|的|那行)?|上面(?:那个|的)?|第一(?:个|行|项)?|头一个|\bthe first(?: one)?\b)|"
                       r"(?P<last>后面(?:那个|的|那行)?|下面(?:那个|的)?|最后(?:一个|那个)?|\bthe last(?: one)?\b)")
_PLACE_AFTER = re.compile(rf"\s*(?:the\s+)?(?:{_LINE_REF.pattern})")
_CORRECTION = re.compile(r"不对|错了|搞错|说错|\b(?:sorry|no wait|wait)\b")
_NEGATION = re.compile(r"不要了?|别要|别(?!的|[整搞弄发写拿送]?错|忘|漏|急|催)|去掉|删掉|删了|删除|拿掉|取消|不用了?|砍掉|减掉|不订了?|\b(?:remove|drop|delete|"
                       r"no more|don't want|do not want|without|cancel|scrap|skip)(?![a-z])")     # "32 cancel掉"
_NEG_GAP = re.compile(r"^(?:\s|的|了|吧|啊|呢|都|也|就|先|那行|这行|那条|这条|那个|这个|那款|这款|那项|这项|的话|the|line)*$")
_REPLACE_GAP = re.compile(r"^\s*(?:都|全|全部|就)?\s*(?:换成|换为|改成|改为|替换成|变成|换|改|->|=>|→|"
                          r"(?:change|switch|swap)?(?: it| them)?\s*(?:to|for|with))\s*"
                          r"(?:要|来|the|a)?\s*$")
_REPLACE_START = re.compile(r"^\s*(?:换成|换为|改成|改为|换|改|替换成|变成|instead)")
_OLD_NUMBER = re.compile(r"instead of|rather than|\bnot\b|而不是|不是")
_ENGLISH_GAP = re.compile(r"(?:\s+(?:of\s+)?[a-z]{2,12}){1,3}\s+")
# "3号 4号 5号 全部20包", "9mm 12mm 都来10张", "两个都来三支": 都 / 全部 right before a count is one count for each
# (not "一共都20包": a total)
_EACH = re.compile(r"各|\beach\b|每样|每种|每款|每个(?:尺寸|颜色|色|码数?|型号|规格|size)|(?:一样|一码|每个|全部|全都|(?<![共计])都)"
                   r"(?=\s?(?:来|要|拿|配|补|订|整|是|卖了|卖|出了|出)?\s?(?:\d|[一二两三四五六七八九十]))")
# "两个都来三支": how many lines were said before 都, not a count
_HOW_MANY_BEFORE_EACH = re.compile(r"\s?(?:全部|全都|都)\s?(?:来|要|拿|配|补|订|整|是|卖了|卖|出了|出)?\s?(?:\d|[一二两三四五六七八九十])")
_LISTED_BEFORE_EACH = re.compile(r"\s*各\s*(?:来|要|拿|配|补|订|卖了)?\s*(?:\d|[一二两三四五六七八九十])")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
# a word glued after a count with its unit, naming what is counted ("10条皮带", "10个伟星的三通"; not "5台就行", "3箱吧")
_COUNTED_WORD = re.compile(r"(?![就了吧啊哈呢的左右先再也还和跟及各每一共总送发到给要来订够都即可行好不别改换吗么嘛哦呀是没算呗喔哟啦过上下起以多这])"
                           r"[\u4e00-\u9fff]{2,8}")
_EN_STOP = frozenset({"of", "the", "a", "an", "pls", "please", "more", "extra", "additional", "new", "and", "also",
                      "for", "to", "me", "us", "today", "tomorrow", "asap", "thanks", "thx", "pcs", "units"})
#: how far before and after a quantity no product took its words are read
_NEAR = 200
_PRICE_BEFORE = re.compile(r"(?:\bprice|\bcost|价格?|价钱|单价|[¥￥$]|\brmb)\D{0,12}$")
_PER = r"(?:个|只|台|套|箱|包|袋|瓶|桶|盒|支|条|件|卷|把|口|块|张|双|对|罐|根|片|米|斤|公斤|kg|pc|pcs|unit|box|case)"
_PRICE_SPAN = re.compile(
    rf"(?:按|单价|价格|价钱|报价|@|[¥￥])\s*\d+(?:\.\d+)?\s*(?:元|块钱?\d?|rmb)?(?:\s*(?:一|每|/)\s*{_PER})?"
    rf"|(?<![a-z\d.])(?<![a-z]\s)\d+(?:\.\d+)?(?:\s*(?:元|块钱?|rmb|yuan)\s*)?(?:一|每|/)\s*{_PER}(?![\u4e00-\u9fff]?[\d])"
    rf"|(?<![\d.])\d+(?:\.\d+)?\s*(?:元|块钱?)?\d?\s*的价"
    rf"|\$\s*\d+(?:\.\d+)?(?:\s*(?:/|each|per|a)\s*[a-z]*)?"
    rf"|(?<![\d.])(?<![x×*])(?<![x×*]\s)\d+(?:\.\d+)?\s*(?:each|apiece|per\s+[a-z]+)\b")     # "x3 each" is a count
_PRICE_AFTER = re.compile(r"\s*(?:元|块钱|块|rmb|yuan|\$)")
_FILLER = re.compile(rf"(?:{_VERBS}|{_SET_WORDS}|我想|我们|你们|帮我|麻烦|请|下单|订货|要货|然后|最好|再给我|"
                     rf"\b(?:i|we|want|need|order|buy|please|and)\b|[\s\"'()\[\]~])+")


@dataclass
class ItemResult:
    items: dict[str, int] = field(default_factory=dict)        # sku -> qty: the message applied to an empty order
    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)           # product-like words naming no one product
    rejected: list[str] = field(default_factory=list)          # quantities that are not whole numbers
    negative: list[str] = field(default_factory=list)          # quantities written negative
    edits: list[CartEdit] = field(default_factory=list)
    unresolved: list[Unresolved] = field(default_factory=list)
    # counts set on the line before although a word of their own stood before them (``_unread_word``): named back
    # by ``name_back_unread`` unless the message is read again as a whole (``nlu.series_lines``)
    doubtful: list[tuple[CartEdit, int, Unresolved]] = field(default_factory=list)


def name_back_unread(result: ItemResult) -> None:
    """Each doubtful count (``ItemResult.doubtful``) named back with its word: its set undone, the line keeping the
    count said for it before."""
    for edit, before, unread in result.doubtful:
        if edit not in result.edits:
            continue          # read again (``read_again`` replaced the edits)
        result.edits.remove(edit)
        if edit.sku is not None:
            result.items[edit.sku] = before
        result.unresolved.append(unread)
        if unread.word not in result.unknown:
            result.unknown.append(unread.word)
    result.doubtful = []


def _clauses(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class _Lines:
    """The message's edits, and what they do to an empty order (the ``items`` of the labelled sets)."""

    def __init__(self, result: ItemResult) -> None:
        self.r = result
        self.last: str | None = None          # the product the message talked about last

    def add(self, sku: str, qty: int, unit: str = "") -> None:
        self.r.edits.append(CartEdit(op=EditOp.ADD, sku=sku, qty=qty, unit=unit))
        self.r.items[sku] = self.r.items.get(sku, 0) + qty
        self.last = sku

    def set(self, sku: str | None, qty: int, unit: str = "") -> None:
        sku = sku or self.last
        self.r.edits.append(CartEdit(op=EditOp.SET, sku=sku, qty=qty, unit=unit))
        if sku is not None:
            self.r.items[sku] = qty
            self.last = sku

    def less(self, sku: str, qty: int, unit: str = "") -> None:
        """"5号减30", "AP300少要5台": fewer on a line (of an empty order: nothing)."""
        self.r.edits.append(CartEdit(op=EditOp.SUBTRACT, sku=sku, qty=qty, unit=unit))
        if sku in self.r.items:
            left = self.r.items[sku] - qty
            if left > 0:
                self.r.items[sku] = left
            else:
                del self.r.items[sku]
        self.last = sku

    def add_to_last(self, qty: int, unit: str = "") -> None:
        if self.last is None:      # "再加一箱": the line the chat talks about, in boxes
            self.r.edits.append(CartEdit(op=EditOp.ADD, sku=None, qty=qty, unit=unit))
        else:
            self.add(self.last, qty, unit)

    def remove(self, skus: tuple[str, ...]) -> int | None:
        taken = None
        for sku in skus:
            self.r.edits.append(CartEdit(op=EditOp.REMOVE, sku=sku))
            if sku in self.r.items:
                taken = self.r.items.pop(sku)
            if sku not in self.r.removed:
                self.r.removed.append(sku)
        return taken

    def replace(self, old: str, new: str, qty: int | None) -> None:
        self.r.edits.append(CartEdit(op=EditOp.REPLACE, sku=old, to_sku=new, qty=qty))
        had = self.r.items.pop(old, None)
        if old not in self.r.removed:
            self.r.removed.append(old)
        if qty is not None or had is not None:
            self.r.items[new] = qty if qty is not None else had or 0
        self.last = new


def extract_items(text: str, mentions: list[Mention]) -> ItemResult:
    """``text``: normalized, dates and order numbers blanked; ``mentions``: products found in it."""
    result = ItemResult()
    # "…矿泉水550的50箱 嗯对就这三个": how many lines were said, not a count of the last one
    text = _CLOSING.sub(lambda c: " " * len(c.group(0)), text)
    # "1号 2号 3号 分别是 30 40 50": after 分别 numbers are counts, never a size read in them ("30 40" of 30x40cm)
    mentions = [m for m in mentions if not (_SPACED_DIGITS.fullmatch(m.word) and _EACH_BEFORE.search(text, 0, m.start))]
    quantities = _quantities(text, mentions)
    clauses = _clauses(text)

    def clause_of(pos: int) -> int:
        return next((n for n, (a, b) in enumerate(clauses) if a <= pos < b), -1)

    used: set[int] = set()                          # indexes of quantities taken
    qty_of: dict[int, int] = {}                     # mention index -> quantity index
    negated: set[int] = set()
    for neg in _NEGATION.finditer(text):
        if _PLACE_AFTER.match(text, neg.end()):
            continue      # "drop the first one": the line named by its place (``_removed_by_place``)
        # "火腿肠不要了 辣条加到15箱": a negation right after a product takes that one, not the next
        ahead = [i for i, m in enumerate(mentions) if m.end <= neg.start() and _NEG_GAP.match(text[m.end:neg.start()])]
        after = [i for i, m in enumerate(mentions) if m.start >= neg.end() and _NEG_GAP.match(text[neg.end():m.start])]
        # "原来的纯奶15箱不要了": the count between the product and the negation is that line's
        counted = [i for i, m in enumerate(mentions) if m.end <= neg.start()
                   and _NEG_GAP.match(QUANTITY.sub("", text[m.end:neg.start()]))]
        negated.update(ahead or after or counted[-1:])
    # X换成Y: the pairs, and the old product is not negated by the replace word
    replaced_by: dict[int, int] = {}
    for i in range(len(mentions) - 1):
        a, b = mentions[i], mentions[i + 1]
        gap = text[a.end:b.start]
        bare_gap = QUANTITY.sub("", gap)
        if _REPLACE_GAP.match(bare_gap) and a.sku and b.sku and a.sku != b.sku \
                and not (re.search(r"(?:\d|[一二两三四五六七八九十])\s+$", gap) and _OWN_COUNT.match(text, b.end)):
            # (not "8号改成40 7号20": a count after the change word and one after the next product, two lines)
            replaced_by[i] = i + 1
            # "4口 10台 换成8口的 6台": the count before the change word is the old line's (the new one's when it has none)
            if (olds := [k for k, q in enumerate(quantities) if a.end <= q.start and q.end <= b.start]):
                qty_of[i] = olds[-1]
                used.update(olds)
    _respective(text, mentions, quantities, qty_of, used)
    # "透明胶带 45 48 60 72 各2箱": a bare number listed right before 各 and its count is one more size of the list
    # (one the catalogue lacks), never the count of the line before it
    used.update(k for k, q in enumerate(quantities) if not q.unit and _LISTED_BEFORE_EACH.match(text, q.end))
    used.update(k for k, q in enumerate(quantities) if q.unit == "个" and q.value in range(2, 10)
                and _HOW_MANY_BEFORE_EACH.match(text, q.end))
    # "10个地漏 5支美缝": when the first product of the message has its quantity written right before it, the
    # message is written quantity-first, and that binding goes first
    if _quantity_first(text, mentions, quantities):
        for i, m in enumerate(mentions):
            prev = mentions[i - 1].end if i else 0
            for k in reversed(range(len(quantities))):
                q = quantities[k]
                if k in used or q.start < prev or q.end > m.start:
                    continue
                if (_attached(text, q, m) or _english_lead(text, q, m)) and _LEFT_GAP.match(text[q.end:m.start]) \
                        and i not in negated:
                    qty_of[i] = k
                    used.add(k)
                break
    # quantities: right, then left
    for i, m in enumerate(mentions):
        if i in negated or i in replaced_by or i in qty_of:
            continue
        nxt = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        for k, q in enumerate(quantities):
            if k not in used and m.end <= q.start <= nxt and _RIGHT_GAP.match(text[m.end:q.start]) \
                    and clause_of(q.start) in (clause_of(m.start), clause_of(m.end - 1) + 1) \
                    and not _CLAUSE.search(text[m.end:q.start].replace(",", "")) \
                    and not _OLD_NUMBER.search(text[m.end:q.start]):
                qty_of[i] = k
                used.add(k)
                break
    for i, m in enumerate(mentions):
        if i in negated or i in qty_of:
            continue
        prev = mentions[i - 1].end if i else 0
        for k in reversed(range(len(quantities))):
            q = quantities[k]
            if k in used or not prev <= q.start or q.end > m.start:
                continue
            gap = text[q.end:m.start]
            if (_LEFT_GAP.match(gap) and (q.unit or not _is_cjk(gap + text[q.start:q.end]) or _attached(text, q, m))) \
                    or (q.unit and _ENGLISH_GAP.fullmatch(gap)):     # "5 boxes fully synthetic 5W-30"
                qty_of[i] = k
                used.add(k)
            break
    # 各 / each
    for each in _EACH.finditer(text):
        c = clause_of(each.start())
        shared = next((k for k, x in enumerate(quantities) if k not in used and x.start >= each.end()
                       and _RIGHT_GAP.match(text[each.end():x.start])), None)
        before_each = each.start()
        if shared is None and each.group(0) == "each":
            # "41/42/43 3 pairs each": the count just before "each" is every line's of the clause before it
            shared = next((k for k, x in enumerate(quantities) if x.end <= each.start()
                           and re.fullmatch(r"\s*(?:pairs?|pcs|sets?|boxes|cases|units|prs)?\s*", text[x.end:each.start()])),
                          None)
            before_each = quantities[shared].start if shared is not None else before_each
        if shared is None:
            continue
        used.add(shared)
        mine = [i for i, m in enumerate(mentions) if clause_of(m.start) == c and m.start < before_each]
        if not mine and c > 0 and re.fullmatch(r"\s*", text[clauses[c][0]:quantities[shared].start]):
            c -= 1        # "titan 28 and 32, 4 each": the clause before the count is the list
        for i, m in enumerate(mentions):
            if clause_of(m.start) == c and i not in qty_of and i not in negated and m.start < before_each:
                qty_of[i] = shared
    _listed_sizes_share(text, mentions, quantities, qty_of, negated)
    # a clause that is only a negation drops what the clause before it added
    mention_clauses = {clause_of(m.start) for m in mentions}
    for neg in _NEGATION.finditer(text):
        c = clause_of(neg.start())
        if c > 0 and c not in mention_clauses:
            for i, m in enumerate(mentions):
                if clause_of(m.start) == c - 1:
                    negated.add(i)

    lines = _Lines(result)
    events: list[tuple[int, int, str, int]] = [(m.start, 1, "m", i) for i, m in enumerate(mentions)]
    events += [(q.start, 0, "q", k) for k, q in enumerate(quantities) if k not in used]
    events.sort()
    pending_old: str | None = None           # a product removed just before ("不要X了，换成Y")
    handled: set[int] = set()                # the new product of "X换成Y", done with X
    worded: set[int] = set()                 # numbers read as the size of the line after them, not counts
    for n, (_pos, _, kind, idx) in enumerate(events):
        if kind == "q":
            coming = events[n + 1] if n + 1 < len(events) else None
            if coming is not None and coming[2] == "q" and _size_of_next(text, quantities, idx, coming[3], mentions, lines):
                worded.add(idx)
                continue
            had, edits, doubtful = result.items.get(lines.last or ""), len(result.edits), len(result.doubtful)
            _loose_quantity(text, quantities[idx], clause_of, clauses, mentions, lines,
                            [x for k, x in enumerate(quantities) if k not in worded])
            size = quantities[idx - 1] if idx - 1 in worded else None
            if size is not None and had is not None and len(result.edits) == edits + 1 \
                    and len(result.doubtful) == doubtful and result.edits[-1].op == EditOp.SET:
                # the count of the size said before it, set on the line before: named back with that size
                said = _FILLER.sub(" ", text[size.start:quantities[idx].start]).strip().upper()[:24]
                result.doubtful.append((result.edits[-1], had, Unresolved(word=said, qty=quantities[idx].value,
                                                                          unit=quantities[idx].unit or "")))
            continue
        m = mentions[idx]
        if idx in handled:
            continue
        if idx in negated:
            if m.skus:
                lines.remove(m.skus)
                pending_old = m.sku
            continue
        bound = qty_of.get(idx)
        line_qty = quantities[bound] if bound is not None else None
        before = text[clauses[clause_of(m.start)][0] if clause_of(m.start) >= 0 else 0:m.start]
        if m.sku is None:                    # a generic word or a code that is no product
            if line_qty is not None or m.strength == Strength.CATEGORY:
                _unresolved(result, m, line_qty, sets=line_qty is not None and line_qty.usable
                            and _is_set(text, m, line_qty, before),
                            less=line_qty is not None and _is_less(text, m, line_qty))
            continue
        if idx in replaced_by:
            new = mentions[replaced_by[idx]]
            nk = qty_of.get(replaced_by[idx], qty_of.get(idx))
            nq = quantities[nk] if nk is not None else None
            if nq is not None and not nq.usable:
                _refused(result, nq)
            lines.replace(m.sku, new.sku or "", nq.value if nq is not None and nq.usable else None)
            qty_of.pop(replaced_by[idx], None)
            handled.add(replaced_by[idx])
            continue
        if line_qty is None:
            if pending_old is not None and (_REPLACE_START.match(before) or _SET_BEFORE.search(before)):
                lines.replace(pending_old, m.sku, None)
                pending_old = None
            elif lines.last is not None and lines.last != m.sku and lines.last in result.items \
                    and _CORRECTED_BEFORE.search(text[:m.start]):
                lines.replace(lines.last, m.sku, None)     # "白胶布50卷 不对是黑的": that line, another product
            elif lines.last is None and not result.items and _CORRECTED_BEFORE.search(text[:m.start]):
                # "不对 是800的" typed after a cart: the line the chat talks about becomes this product
                result.edits.append(CartEdit(op=EditOp.REPLACE, sku=None, to_sku=m.sku))
                lines.last = m.sku
            else:
                lines.last = m.sku
            continue
        if not line_qty.usable:
            _refused(result, line_qty)
            continue
        assert line_qty.value is not None
        if pending_old is not None and _REPLACE_START.match(before):
            lines.replace(pending_old, m.sku, line_qty.value)
            pending_old = None
        elif lines.last is not None and lines.last != m.sku and lines.last in result.items \
                and _CORRECTED_BEFORE.search(text[:m.start]):
            lines.replace(lines.last, m.sku, line_qty.value)     # "柠檬茶6提，哦不对，是1L的那个，6箱"
        elif _is_less(text, m, line_qty):
            lines.less(m.sku, line_qty.value, line_qty.unit)
        elif _is_set(text, m, line_qty, before):
            lines.set(m.sku, line_qty.value, line_qty.unit)
        else:
            lines.add(m.sku, line_qty.value, line_qty.unit)
    _removed_by_place(text, mentions, lines)
    scale(text, mentions, clause_of, lines)
    for u in result.unresolved:
        if u.word not in result.unknown:
            result.unknown.append(u.word)
    return result


_SPACED_DIGITS = re.compile(r"\d+(?:\s+\d+)+")
_OWN_COUNT = re.compile(r"\s?(?:\d|[一二两三四五六七八九十])")
_EACH_BEFORE = re.compile(r"(?:分别|各自|respectively)\s*(?:是|为|卖了|卖|要|来)?\s*$")
# between the products of a list, between its counts
_LIST_SEP = re.compile(r"\s*(?:[、,/，]|和|跟|\band\b)?\s*")
# between a list of products and the list of their counts: "分别(是)", "respectively", a sales or order verb
_RESPECTIVE = re.compile(r"\s*(?:(?P<each>分别|各自|respectively)\s*)?(?:是|为|卖了|卖|出了|走了|要|来|订)?\s*(?:[:：]\s*)?")


def _respective(text: str, mentions: list[Mention], quantities: list[Quantity], qty_of: dict[int, int],
                used: set[int]) -> None:
    """"锅盖 28 30 32 分别卖了10 12 8个", "青韵盘 7寸 8寸 10寸 卖了 12 20 6": a list of products, then as many
    counts, the first count the first product's (with 分别 or a verb between the lists; without either only when
    nothing else is written after the counts)."""
    def listed(a: int, b: int) -> bool:
        return _LIST_SEP.fullmatch(text[a:b]) is not None

    i = 0
    while i < len(mentions):
        j = i
        while j + 1 < len(mentions) and mentions[j + 1].sku and listed(mentions[j].end, mentions[j + 1].start):
            j += 1
        run = mentions[i:j + 1]
        i = j + 1
        if len(run) < 2 or not all(m.sku for m in run):
            continue
        gap = _RESPECTIVE.match(text, run[-1].end)
        assert gap is not None                   # every part of it is optional
        after = [k for k, q in enumerate(quantities) if q.start >= gap.end() and k not in used]
        counts = after[:len(run)]
        if len(counts) < len(run) or quantities[counts[0]].start != gap.end():
            continue
        last = quantities[counts[-1]]
        if not all(listed(quantities[a].end, quantities[b].start) for a, b in zip(counts, counts[1:], strict=False)):
            continue
        if len(after) > len(run) and listed(last.end, quantities[after[len(run)]].start):
            continue                             # more counts than products: not one each
        if gap.group("each") or gap.end() > run[-1].end + 1 or not re.search(r"\d", text[last.end:]):
            for n, k in zip(range(j + 1 - len(run), j + 1), counts, strict=True):
                qty_of[n] = k
                used.add(k)


# a size said alone ("2号", "3.5", "40码", "8寸"): one variant of the product the message is about
_SIZE_WORD = re.compile(r"\d{1,4}(?:\.\d{1,2})?\s?(?:号|码|寸|mm|cm|ml|l|kg|g|m|米|升|丝|分)?")
_SIZE_AFTER_WORD = re.compile(rf"(?<=[\u4e00-\u9fff\s])(?:{_SIZE_WORD.pattern})$")
_SIZES_LISTED = re.compile(r"\s*(?:[、,，/]|和|跟)?\s*")
_PLAIN_COUNT_GAP = re.compile(r"\s*(?:的|来|要|都)?\s*")     # not "8号改成40": a change of one line


def _listed_sizes_share(text: str, mentions: list[Mention], quantities: list[Quantity], qty_of: dict[int, int],
                        negated: set[int]) -> None:
    """"星标 2号 3号 二十支": sizes listed without a count right before a size with one: that count is each one's
    (the way dealers write one count for several sizes, 各 or not). Only sizes said alone, each one product."""
    def bare(i: int) -> bool:
        m = mentions[i]
        return m.sku is not None and i not in negated and _SIZE_WORD.fullmatch(m.word.strip()) is not None

    for k, m in enumerate(mentions):
        if k not in qty_of or not bare(k) or quantities[qty_of[k]].start < m.end \
                or not _PLAIN_COUNT_GAP.fullmatch(text[m.end:quantities[qty_of[k]].start]):
            continue
        i = k
        while i > 0 and i - 1 not in qty_of and _SIZES_LISTED.fullmatch(text[mentions[i - 1].end:mentions[i].start]):
            if not bare(i - 1):
                # "鬃毛刷 1寸 2寸 十把": the first size of the list said with its product's word
                before = mentions[i - 1]
                if before.sku is not None and i - 1 not in negated \
                        and _SIZE_AFTER_WORD.search(before.word.strip()) is not None:
                    i -= 1
                break
            i -= 1
        run = {mentions[j].sku for j in range(i, k + 1)}
        if i == k or len(run) != k + 1 - i \
                or any(x.sku in run for j, x in enumerate(mentions) if not i <= j <= k):
            continue          # (a size said again elsewhere, "三通50的50": a misreading, not a list)
        for j in range(i, k):
            qty_of[j] = qty_of[k]


def _quantity_first(text: str, mentions: list[Mention], quantities: list[Quantity]) -> bool:
    first = next((m for m in mentions if m.skus or m.strength == Strength.UNKNOWN), None)
    if first is None:
        return False
    return any(q.end <= first.start and _LEFT_GAP.match(text[q.end:first.start])
               and (_attached(text, q, first) or _english_lead(text, q, first)) for q in quantities)


# what an English list puts before "<count> <product>": the start, a separator, a verb of ordering or selling
_EN_LEAD = re.compile(r"(?:^|[,:;+&/]|\b(?:and|order|reorder|need|sold|add|send|pls|please|get|want|book|ship|"
                      r"sales|sell-?out|report|today|week|wk)\b)\s*$")


def _english_lead(text: str, q: Quantity, m: Mention) -> bool:
    """"30 ec3 185/65r15, 20 ec3 185/60r15", "today's sales: 2 AP12, 6 WB-22": in English a bare count is written
    before its product, at the start of a list item."""
    return q.value is not None and not _is_cjk(text[q.start:m.end]) and not q.raw.isalpha() \
        and bool(_EN_LEAD.search(text, max(0, q.start - 40), q.start))


def _attached(text: str, q: Quantity, m: Mention) -> bool:
    """A quantity written to go with the product after it: with a unit ("10个地漏"), with x ("10x 6-QW-45"),
    or a Chinese number glued to a code ("俩L3-500")."""
    gap = text[q.end:m.start]
    return bool(q.unit) or bool(re.fullmatch(r"\s*[x*×]\s*", gap)) or (
        gap == "" and _is_cjk(text[q.start:q.end]) and m.word[:1].isascii())


# between a product and its count: that many fewer ("5号减30", "AP300少要5台", "三层5号少30个"; "减到" sets)
_LESS = re.compile(rf"\s*(?:{_LESS_WORDS})\s*")


def _is_less(text: str, m: Mention, q: Quantity) -> bool:
    return q.start >= m.end and bool(_LESS.fullmatch(text[m.end:q.start]))


def _is_set(text: str, m: Mention, q: Quantity, before: str) -> bool:
    if q.start >= m.end:        # "AP300 改成10台", "AP300 10台就行", "哦不 AP300要8台"
        between = text[m.end:q.start]
        return bool(re.search(_SET_WORDS, between) or _SET_BEFORE.search(before) or _SET_AFTER.match(text[q.end:])
                    or _CORRECTED_BEFORE.search(before))
    # "改成5台AP500"
    lead = text[:q.start]
    return bool(_SET_BEFORE.search(lead[-12:]) or _SET_AFTER.match(text[m.end:]))


def _loose_quantity(text: str, q: Quantity, clause_of, clauses: list[tuple[int, int]],  # type: ignore[no-untyped-def]
                    mentions: list[Mention], lines: _Lines, quantities: Sequence[Quantity] = ()) -> None:
    """A quantity no product took: a correction of the line before, an addition, or a word that is no product."""
    result = lines.r
    before = text[max(0, q.start - 12):q.start]
    if before.endswith(("instead of ", "instead of", "not ", "而不是")):
        return             # "make it 25 AP300 instead of 20": 20 is the old number
    if not q.usable:
        _refused(result, q)
        return
    assert q.value is not None
    if len(result.items) >= 2 and q.value == sum(result.items.values()) and _TOTAL_BEFORE.search(before):
        return             # "3号 300 5号 200 8号 100 共600条": the lines' total, no count of the last one
    if not q.unit and (_PRICE_BEFORE.search(text, max(0, q.start - 40), q.start) or _PRICE_AFTER.match(text, q.end)):
        return             # "is the price still 789?", "单价 120": money, not a count
    c = clause_of(q.start)
    a, b = clauses[c] if c >= 0 else (0, len(text))
    # the words around it within _NEAR characters: a pasted list of a thousand numbers costs in proportion to them
    lo = max(a, q.start - _NEAR)
    head, tail = text[lo:q.start], text[q.end:min(b, q.end + _NEAR)]
    if not q.unit and head[-1:] and _is_cjk(head[-1]) and QUANTITY.search(tail) and \
            any(x.group("unit") for x in QUANTITY.finditer(tail)):
        return             # "空净300 来5台": 300 is part of the word, 5台 the quantity
    previous = text[clauses[c - 1][0]:clauses[c - 1][1]] if c > 0 else ""
    if q.unit and (said := _COUNTED_WORD.match(text, q.end)) and not any(q.end <= m.start < said.end() for m in mentions):
        result.unresolved.append(Unresolved(word=said.group(0)[:24], qty=q.value))
        return             # "雪峰黑L 5件 再要10条皮带": the count of a word that is no product, never more of the line before
    if _ADD_BEFORE.search(head) or _ADD_AFTER.match(tail):
        lines.add_to_last(q.value, q.unit or "")
        return
    if _ANOTHER_BARE.search(text, max(0, a - 4), a) and not q.unit and not (head + tail).strip() \
            and any(e.unit and e.op == EditOp.ADD for e in result.edits):
        # "曜光550 40块 580 20块 还有620": another line started, a number said alone with no count after counted lines
        result.unresolved.append(Unresolved(word=q.raw.strip()[:24]))
        return
    # "64二铵20袋 硅钙镁肥10袋": after a product and its count, a word of its own (3+ characters, no product)
    counted = [lo + x.end() for x in QUANTITY.finditer(head) if x.group("unit")]
    if counted and not any(m.start >= counted[-1] and m.end <= q.start for m in mentions):
        runs = [r for r in _CJK_RUN.findall(_FILLER.sub(" ", text[counted[-1]:q.start])) if len(r) >= 3]
        seg = text[counted[-1]:q.start]
        if runs and not _CORRECTION.search(seg) and not re.search(_SET_WORDS, seg) and "不" not in seg:
            result.unresolved.append(Unresolved(word=runs[-1][:24], qty=q.value))
            return
    word = _FILLER.sub(" ", head).split()
    if _SET_BEFORE.search(head) or _SET_AFTER.match(tail) or _CORRECTION.search(head + " " + previous):
        written = list(result.items)
        if len(written) >= 2 and (ref := _LINE_REF.search(head)):
            # "18W白光20只 3寸筒灯20个 前面那个改40": the line named by its place in the message
            lines.set(written[0] if ref.group("first") else written[-1], q.value)
            return
        lines.set(None, q.value, q.unit or "")
        return
    if word and not word[-1].isdigit() and len(word[-1]) >= 2 and not any(m.start >= a and m.end <= q.start
                                                                          for m in mentions):
        result.unresolved.append(Unresolved(word=word[-1][:24], qty=q.value))
        return
    # "青龙白5L 10桶 灰的5桶" with no grey one found: a word of its own before a second count is another line,
    # never a new count for the line before it
    seg = text[counted[-1]:q.start] if counted else ""
    said = re.match(r"[\s,，、]*([\u4e00-\u9fff]{1,4}|[a-z]{2,10})\s?的(?!话)", seg)
    same_unit = said is not None and [x.group("unit") for x in QUANTITY.finditer(head) if x.group("unit")][-1:] == [q.unit] \
        and not any(m.end > counted[-1] and m.start < q.start for m in mentions)
    if same_unit and said is not None and not _CORRECTION.search(seg) and not re.search(_SET_WORDS, seg) \
            and not re.search(r"不|是|算了|还", seg):
        result.unresolved.append(Unresolved(word=said.group(1)[:24], qty=q.value))
        return
    after = [w for w in re.findall(r"[a-z][a-z'-]*|\d+", re.sub(r"^\s*[x*×](?![a-z])", " ", tail)) if w not in _EN_STOP]
    if after and _EN_LEAD.search(text, max(0, q.start - 40), q.start) and not _is_cjk(tail) and after[0].isalpha() and len(after[0]) >= 2 \
            and not any(m.start >= q.end and m.end <= b for m in mentions):
        # "2 internal TPMS kits": an English list item whose words name no product: never another line's count
        result.unresolved.append(Unresolved(word=" ".join(after[:3])[:24], qty=q.value))
        return
    if not q.unit and lines.last is None and not re.fullmatch(r"\s*", head + tail):
        return      # a bare number in other text ("3楼", "等2天") is no quantity
    unread = _unread_word(text, q, a, mentions, quantities, lines)
    had = result.items.get(lines.last or "")
    lines.set(None, q.value, q.unit or "")
    if unread is not None and had is not None:
        result.doubtful.append((result.edits[-1], had, Unresolved(word=unread, qty=q.value, unit=q.unit or "")))


# between a size said on its own and the count after it: the size's own word glued to it ("12寸", "3hp", "410细瓶"),
# then a space, x, 的, a verb of ordering or selling ("10公斤20", "160 十副", "3hp x1", "9pc x 4", "30x3")
_SIZE_THEN_COUNT = re.compile(r"(?P<word>[a-z]{1,3}|(?![的来要拿补卖])[\u4e00-\u9fff]{1,3}?)?(?:\s|的|[x×*]|来|要|拿|补|卖了|卖)*")


def _size_of_next(text: str, quantities: Sequence[Quantity], k: int, nxt: int, mentions: Sequence[Mention],
                  lines: _Lines) -> bool:
    """"随停8公斤的来30 10公斤20", "蓝盾 156 二十副 160 十副", "comp 1hp x2 3hp x1": after a line with its count, a
    number said on its own with another count right after it is the size of the next line, never a count set on the
    line before (which then loses its count, and the next line is dropped without a word)."""
    q, then = quantities[k], quantities[nxt]
    if lines.last is None or lines.last not in lines.r.items or not q.usable or not then.usable or not q.unit:
        return False      # a bare number between two counts ("4条 16 2条") may be a count said again: as before
    gap = _SIZE_THEN_COUNT.fullmatch(text, q.end, then.start)
    if gap is None or (q.unit and gap.group("word")) or (gap.group("word") or "") in _WORD_NUMBERS:
        return False
    if q.start and (text[q.start - 1].isalnum() or text[q.start - 1] in ".-/"):
        return False      # a number glued to the word before it ("C68", "1.5"): read with it
    counted = max([0, *(x.end for x in quantities if x.end <= q.start)])
    if any(counted <= m.end <= q.start for m in mentions):
        return False      # a word before it that the mention search read ("cat5e 305 4 box"): its own line
    seg = text[counted:q.start]
    return not (_CORRECTION.search(seg) or _AMENDED.search(seg) or re.search(_SET_WORDS, seg) or "不" in seg
                or _ADD_BEFORE.search(seg))


_TOTAL_BEFORE = re.compile(r"(?:共计|一共|总共|合计|共|\btotal(?: of)?)\s*(?:是|卖了|要)?\s*$")
# what starts another line of a list ("还有620"): a number after it, alone, is no new count of the line before
_ANOTHER_BARE = re.compile(r"(?:还有|另外|以及|\b(?:also|plus)\s)\s*$")
# a count said again for the same line in other words ("算了来十五对", "实际13桶", "凑25套", "should be 8")
_AMENDED = re.compile(r"算了|实际|具体|其实|凑|按|合计|共|总|多|少|加|减|更正|纠正|订正|修正|更改|重新|"
                      r"\b(?:no|nope|should|oops|actually|total|make|mean|meant|rather|instead|correction|typo|update|"
                      r"change|then|or)\b")
# what a word between two counts may be without naming anything: a sound of speech
_INTERJECTION = re.compile(r"[哦噢喔嗯啊呃额哎唉吧呢呀哈嘛咯啦嘞哇诶欸]+|那个|这个|那|这|\b(?:oh|um|uh|er|hmm|ok|okay|so)\b")


# a size said on its own between two counts: a number with its unit or a short word glued ("45", "3hp", "12寸",
# "410细瓶"), or a short code ("d6", "c68")
_SIZE_ALONE = re.compile(r"[a-z]{0,3}\d+(?:\.\d+)?(?:[a-z]{1,3}|[\u4e00-\u9fff]{1,3})?")


def _unread_word(text: str, q: Quantity, clause_start: int, mentions: list[Mention], quantities: Sequence[Quantity],
                 lines: _Lines) -> str | None:
    """The word a loose count was written after, when it cannot be the line before's count again: that line already
    has its count in this message, and a word of its own, no product found in it, stands between the two counts
    ("520 K*2 C*2": C is no count of K; "黑3 青3" with no cyan found). Such a count is named back with its word,
    never set on the line before without a word saying so ("改成", "不对"): a set there drops the line it was."""
    if lines.last is None or lines.last not in lines.r.items:
        return None
    ends = [x.end for x in quantities if x.end <= q.start] + [m.end for m in mentions if m.end <= q.start]
    start = max([clause_start, *ends])
    seg = text[start:q.start]
    if start and text[start - 1].isdigit() and seg[:1].isascii() and seg[:1].isalnum():
        return None       # "102H", "12pk": the letters of the number before, no word of their own
    if not seg.strip() or _CORRECTION.search(seg) or _AMENDED.search(seg) or re.search(_SET_WORDS, seg) or "不" in seg:
        return None
    word = _INTERJECTION.sub(" ", _FILLER.sub(" ", seg)).strip(" ,，、;；。.:：!！?？-")
    # a variant's word: one or two characters, or a short English word ("青", "金色", "C", "cyan"), nothing longer;
    # or a size said on its own ("45的", "3hp", "12寸", "160", "410细瓶", "d6"): another line of the list
    alone = _SIZE_ALONE.fullmatch(word) is not None and (start == clause_start or seg[:1] in " ,，、;；")
    # or English words after "and" ("t-mould 30 and end cap 20"): another item of the list
    listed = re.fullmatch(r"\s*(?:and|plus|&)\s+([a-z]{2,12}(?: [a-z]{2,12}){0,2})\s*", seg)
    if listed is not None and not set(listed.group(1).split()) & _EN_STOP:
        return listed.group(1).upper()[:24]
    if not (re.fullmatch(r"[\u4e00-\u9fff]{1,2}|[a-z]{1,6}", word) or alone) or "装" in word \
            or re.fullmatch(r"[a-z]{2,}s", word):
        return None       # "10片装 3盒", "3 tins 5": the pack or the unit of the count before, no variant's word
    if re.fullmatch(r"[a-z]+", word) and (whole := re.search(rf"[a-z]*{word}", seg)) is not None:
        word = whole.group(0)       # "XXS", not the "S" left when the x of "x2" is taken out
    return (word.upper() if re.fullmatch(r"[a-z\d\s-]{1,8}", word) else word)[:24]


def _removed_by_place(text: str, mentions: list[Mention], lines: _Lines) -> None:
    """"金冠5w30小桶8 金冠5w40小桶8 最后那个不要了", "drop the first one": a line of this message named by its place (with no
    product between the place and the negation) is taken out."""
    for neg in _NEGATION.finditer(text):
        ref = next((r for r in _LINE_REF.finditer(text, max(0, neg.start() - 12), min(len(text), neg.end() + 16))
                    if _NEG_GAP.match(text[r.end():neg.start()]) or _NEG_GAP.match(text[neg.end():r.start()])), None)
        written = list(lines.r.items)
        if ref is None or len(written) < 2 or any(min(ref.start(), neg.start()) <= m.start < max(ref.end(), neg.end())
                                                  for m in mentions):
            continue
        lines.remove((written[0] if ref.group("first") else written[-1],))


def _unresolved(result: ItemResult, m: Mention, q: Quantity | None, *, sets: bool = False,
                less: bool = False) -> None:
    if q is not None and not q.usable:
        _refused(result, q)
        return
    word = m.word.upper() if m.strength == Strength.UNKNOWN and not m.near else named_back(m.word)
    result.unresolved.append(Unresolved(word=word[:24], qty=q.value if q is not None else None,
                                        candidates=list(m.skus or m.near), generic=m.strength == Strength.CATEGORY,
                                        sets=sets and not less, less=less, unit=q.unit or "" if q is not None else ""))


def _refused(result: ItemResult, q: Quantity) -> None:
    (result.negative if q.negative else result.rejected).append(q.raw)


_WORD_NUMBERS = frozenset("一二两俩三四五六七八九半万千百十")     # "说一下", "到二店", "三楼": no unit, a word


def _is_cjk(s: str) -> bool:
    return bool(re.search(r"[\u4e00-\u9fff]", s))


# a count with its unit right before a number said with 的 ("来100根 50的"): that number is the size
_COUNTED_BEFORE = re.compile(rf"(?:{QUANTITY.pattern})[\s,，]*(?:要|是|的是)?[\s]*$")


_NOT_THIS = re.compile(r"(?:不是|而不是|并不是|\bnot)\s?\Z")
_PER_UNIT = re.compile(r"(?:多少钱|什么价钱?|啥价钱?|几块钱?|多钱|价格|价钱|单价|多少)\s?\Z")


def _count_for_each(text: str, price: re.Match[str], mentions: list[Mention]) -> bool:
    """"titan 28 and 32, 4 each": after a list of products, with no other count after it, "4 each" is every one's
    count (not the "65 each" of a price, which one product and a count of its own come with)."""
    return re.fullmatch(r"\d+\s*each", price.group(0)) is not None and not re.search(r"\d", text[price.end():]) \
        and sum(1 for m in mentions if m.skus and m.end <= price.start()) >= 2


PRODUCT_SPAN = "\ue000"     # a product's characters, where only the count after it is looked for


_CN_DIGITS_ONLY = re.compile(r"[零〇一二三四五六七八九]{4,}")


def _quantities(text: str, mentions: list[Mention]) -> list[Quantity]:
    taken = [(m.start, m.end) for m in mentions]
    # "43一双" after "疾风黑白42 两双": 43 is a product (a size said on its own), "一双" its count, no price
    prices = [(p.start(), p.end()) for p in _PRICE_SPAN.finditer(text)
              if not any(a <= p.start() < b for a, b in taken) and not _count_for_each(text, p, mentions)]
    out = []
    # "暖窝 s2 m3 l2": a count glued to the size letter of a product said before it (a code's digits never are:
    # a product word that ends in a letter and has digits glued after it is read with them, "ap300")
    # "暖窝 s 3 m 5 l 2": 5 before the size letter l is a count, not 5 litres
    # "步步 m red 4 l black 4": 4 before the words of a product that start with a size letter is a count
    # "-45小桶 x30 -25小桶 30x": a grade written with its minus sign starts the product, so the count before it is
    # no range "30 -25"
    glued = [(m.start, m.end) for m in mentions if m.end <= len(text) and (
        m.skus and text[m.end - 1].isalpha() and text[m.end - 1].isascii() and text[m.end:m.end + 1].isdigit()
        or text[m.start].isascii() and text[m.start].isalpha() or m.skus and text[m.start] in "-−")]
    looked = text
    for a, b in glued:
        looked = looked[:a] + PRODUCT_SPAN * (b - a) + looked[b:]
    for m in QUANTITY.finditer(looked):
        if any(a <= m.start() < b for a, b in prices):
            continue        # "按38一个的价", "300一包", "128一箱的那个": a price, not a count
        if any(a < m.end() and m.start() < b for a, b in taken):
            unit_at = m.start("unit") if m.group("unit") else -1
            # "蓝盾一六七三副": the product's size read digit by digit, then the count of the unit after it
            end = max(b for a, b in taken if a < m.end() and m.start() < b)
            if unit_at > end and _CN_DIGITS_ONLY.fullmatch(text, m.start(), unit_at) \
                    and (rest := QUANTITY.match(text, end)) is not None and rest.end() == m.end():
                out.append(parse_quantity(rest))
                continue
            if unit_at < 0 or any(a < unit_at and m.start() < b for a, b in taken):
                continue
            # "龙骨*200 副龙骨*300": the unit read after a number is the first character of the next product
            trimmed = QUANTITY.match(text, m.start(), unit_at)
            if trimmed is None or trimmed.group("unit"):
                continue
            m = trimmed
        if not m.group("unit") and m.group("num") in _WORD_NUMBERS and _is_cjk(text[m.end("num"):m.end("num") + 1]):
            continue        # "说一下", "一起", "两个人": a word, not a quantity ("十 香草 十": a count, then a word)
        if _NOT_THIS.search(text, max(0, m.start() - 6), m.start()):
            continue        # "5号是150 不是100": the count it is not
        if _PER_UNIT.search(text, max(0, m.start() - 6), m.start()):
            continue        # "多少钱一个", "什么价一卷": the unit a price is asked for, not a count
        if not m.group("unit") and text[max(0, m.start() - 1):m.start()] in ("周", "期", "拜"):
            continue        # "下周一", "星期三", "礼拜六": a day
        if m.group("num") == "one" and re.search(r"\bthe\s+(?:\S+\s+){0,3}$", text[:m.start()]):
            continue        # "the 34cm one", "the black one": which, not how many
        if not m.group("unit") and m.group("num").isdigit() and re.match(r"\s?的", text[m.end():]) and (
                len(m.group("num")) >= 3 or _COUNTED_BEFORE.search(text, max(0, m.start() - 12), m.start())):
            continue        # "配两个800的", "软管来100根 50的": a model or size said with 的, not a count
        if not m.group("unit") and m.group("num").isdigit() and len(m.group("num")) >= 3 and _is_cjk(text[m.end():m.end() + 1]) \
                and any(x.skus and x.end <= m.start() and m.group("num") in re.findall(r"\d+", x.word) for x in mentions):
            continue        # "402白10箱 402粉红5箱": the series' code said again before a word, not a count
        if not m.group("unit") and len(m.group("num")) >= 7 and m.group("num").isdigit():
            continue        # a phone number, an account: no count is written that way without a unit
        out.append(parse_quantity(m))
    return out
