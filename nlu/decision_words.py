"""An approver's decision on an order in everyday words, and an order named by the end of its number alone.

``nlu.staff_commands.parse_staff_command`` asks here before its own stricter shapes; nothing here acts (the
handler shows the same confirm card ✅ 通过 leads to, so the credit checks and 超额度通过 stay where they are).

- "0002没啥问题 批了吧", "尾号0003的通过", "这单可以 发吧", "0002 ok": an approval of the order whose number ends
  so (no number end: the order just shown). "Fine" words alone ("可以", "没问题", "ok") decide nothing: they need
  an order named (its number end, "这单") or a verb of approving ("批", "通过") beside them;
- "0004先别批 价格不对", "这单不行 金额太大", "0002不通过": a rejection, the words after it the reason;
- "0002", "看下0002", "尾号0002的单", "12", "20261206-0002": an order named and nothing else (``order_named``; a
  number of up to four digits is the end of an order's number, as the desk reads it aloud: "12" is …-0012).

Whatever else is said (a dealer's name, a product, a question: "0001可以发货吗", "AP300 0001没问题") is not a
decision: None, and the other readers go on.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class OrderDecision:
    approve: bool                 # False: rejected
    tail: str | None = None       # the last four digits said ("0002"); None: the order just shown
    reason: str | None = None     # a rejection's words ("价格不对")


@dataclass(frozen=True)
class OrderNamed:
    tail: str | None = None       # "0002": the last four digits
    number: str | None = None     # "20261206-0002" typed without its SO-: "SO-20261206-0002"


_TAIL = re.compile(r"(?:尾号|单号尾号|订单尾号)?(?:是|为)?\s*(?<![\d\-A-Za-z])(\d{4})(?!\d)(?:号)?")
# the order itself, and the words around a decision that add nothing to it
_THIS = (r"这一?单|那一?单|这张单?|这个单子?|这笔单?|这个|那个|此单|该单|订单|单子|这单子|号单|的单子?|它|他们?家?")
_FILLER = (r"我看了?|看了|看过了?|我觉得|感觉|应该|基本|都|也|就|先|还是|给他们?|给它|给|帮我|让它|一下|"
           r"吧|了|啊|呀|呗|哈|的|嗯|额|那|这|\b(?:this|one|order|it|please|just)\b")
# approving verbs: enough alone ("批了吧" under an order's card; "超额度通过": the over-limit approval's own words)
_APPROVE_VERB = (r"超(?:额度|额|信用额度|信用|限)(?:通过|批准|放行|批了?)|批了|批准|批一下|批掉|给批|批吧|批|审批通过|审核通过|通过|同意|审过|过审|审核过|放行|过了|过吧|"
                 r"\b(?:approve[ds]?|approve it|go ahead)\b")
# "fine" words: an approval only with an order named or a verb beside them
_FINE = (r"没(?:啥|什么|有|大|多大)?(?:问题|毛病)|问题不大|都?(?:可以|行|没事|ok)的?|"
         r"\b(?:ok|okay|fine|lgtm|looks good|good)\b|好的?|发吧|可以发|能发")
# rejecting words, strongest first (the first found splits the reason off)
_REJECT = (r"(?:先|暂时?|还是)?(?:别|不要|不能|不用|不许|暂不|先不|不)(?:批|通过|审批|审过|给过|过)(?:了|吧|它|掉)*|"
           r"驳回|打回去?|退回去?|拒绝|拒了|不同意|不行|不可以|不能发|(?<![没])有问题|"
           r"\b(?:reject(?:ed)?|decline[d]?|don'?t approve|do not approve|not approved?)\b")
_QUESTION = re.compile(r"[?？吗嘛]|(?<![什怎这那多])么|行不行|批不批|过不过|哪些|哪个|哪张|多少|几[个单张笔]|什么时候|怎么|为什么|有没有|是不是|是否|能不能|可不可以|"
                       r"\b(?:which|how|what|why|can|could|should)\b", re.IGNORECASE)
_REASON_LEAD = re.compile(r"^(?:[\s,，。:：;；、.!！-]|原因是?|理由是?|因为|由于|because|reason)+", re.IGNORECASE)
_GAP = re.compile(r"[\s,，。.!！~～:：;；、]+")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _only(words: str, *vocab: str) -> bool:
    """Are ``words`` nothing but the vocabulary's words and gaps?"""
    left = words
    for pattern in vocab:
        left = re.sub(pattern, " ", left, flags=re.IGNORECASE)
    return not _GAP.sub("", left)


def decision_said(text: str, *, order_named: bool = False) -> OrderDecision | None:
    """"0002没啥问题 批了吧" -> approve the order ending 0002; "0004先别批 价格不对" -> reject it, "价格不对" the
    reason; "这单可以 发吧" -> approve the order just shown. None: no decision, or more than one order said.
    ``order_named``: the order's whole number was typed with the words (they are what is left of the message)."""
    text = _clean(text)
    if not text or len(text) > 200 or _QUESTION.search(text):
        return None
    if (first := _rejected_first(text, order_named=order_named)) is not None:
        return first
    tails = [m.group(1) for m in _TAIL.finditer(text)]
    if len(tails) > 1 or re.search(r"[A-Za-z]{1,4}-?\d|\d{5,}", text) or (tails and order_named):
        return None                          # two orders, a product code, a whole number: not these words
    tail = tails[0] if tails else None
    if tail is not None and not _only(text[:_TAIL.search(text).start()], _THIS, _FILLER):   # type: ignore[union-attr]
        return None                          # "德润6048那单驳回": a dealer and an amount (staff_commands reads those)
    words = _TAIL.sub(" ", text)
    rejected = re.search(_REJECT, words, re.IGNORECASE)
    if rejected is not None:
        before, after = words[:rejected.start()], re.sub(_REJECT, " ", words[rejected.end():], flags=re.IGNORECASE)
        if not _only(before, _THIS, _FILLER):
            return None                      # "合肥新锐那单不批": a dealer's words before it (staff_commands reads those)
        return OrderDecision(False, tail, _reason(after))
    if not _only(words, _APPROVE_VERB, _FINE, _THIS, _FILLER):
        return None
    verb = re.search(_APPROVE_VERB, words, re.IGNORECASE) is not None
    fine = re.search(_FINE, words, re.IGNORECASE) is not None
    this = re.search(_THIS, words) is not None
    if not (verb or fine) or (not verb and not (tail or this or order_named)):
        return None                          # "可以", "没问题", "好的" alone: an answer to something else
    return OrderDecision(True, tail)


def _rejected_first(text: str, *, order_named: bool) -> OrderDecision | None:
    """"0005先别批 WP400这个月停产了 让他换WP600": the order (its number end, or "这单") and the rejecting words first,
    the reason after them whatever it names (a product, another number: QA s28 #20; was: no decision, the words
    refused as a dealer's own action). None when anything else comes before the rejecting words."""
    rejected = re.search(_REJECT, text, re.IGNORECASE)
    if rejected is None:
        return None
    head = text[:rejected.start()]
    tails = [m.group(1) for m in _TAIL.finditer(head)]
    if len(tails) > 1 or (tails and order_named) or not _only(_TAIL.sub(" ", head), _THIS, _FILLER):
        return None
    if not tails and not order_named and re.search(_THIS, head) is None:
        return None                          # "先别批": the order just shown, read by the stricter shapes below
    after = re.sub(_REJECT, " ", text[rejected.end():], flags=re.IGNORECASE)
    return OrderDecision(False, tails[0] if tails else None, _reason(after))


def _reason(words: str) -> str | None:
    words = _REASON_LEAD.sub("", words.strip()).strip(" ,，。;；:：")
    words = re.sub(rf"^(?:{_THIS}|了|吧|掉|一下)+", "", words).strip(" ,，。;；:：")
    words = _REASON_LEAD.sub("", words).strip()
    return words[:200] if len(words) >= 2 else None


# "0002", "看下0002", "尾号0002的单", "0002那单", "20261206-0002", "202612060002": an order named, nothing else
_NAMED = re.compile(r"^(?:看一?下|看看|查一?下|查查|打开|open|show)?\s*(?:订单|单号)?\s*(?:尾号(?:是|为)?)?\s*"
                    r"(?:(?P<day>20\d{6})\s*[-_ ]?\s*(?=\d{4}))?(?P<tail>\d{1,4})\s*(?:号)?\s*(?:的?(?:订单|单子?)|那单|这单|那张|号单)?"
                    r"\s*(?:呢|看看|看一?下)?$", re.IGNORECASE)


def order_named(text: str) -> OrderNamed | None:
    """An order named alone by the end of its number ("0002", "尾号0002的单") or by its number without "SO-"."""
    m = _NAMED.match(_clean(text))
    if m is None:
        return None
    if m.group("day"):
        return OrderNamed(number=f"SO-{m.group('day')}-{m.group('tail')}")
    return OrderNamed(tail=m.group("tail").zfill(4))        # "12": the order numbered 0012 (that day's twelfth)


# "这单发货 顺丰 SF998877", "这单发了 德邦 DP123456", "发货 顺丰 SF998877": the order just shown shipped (the carrier
# and the waybill number read by ``nlu.staff_commands``, as with a number typed)
_THIS_SHIPPED = re.compile(r"^(?P<this>这一?单|这张单?|这个单子?|这笔单?|此单|该单)?\s*(?:可以|已经?|已)?\s*(?:发货|发了|发出|ship(?:ped)?)"
                           r"(?:了|吧|啦)?\s*(?P<rest>.*)$", re.IGNORECASE)


def this_shipped(text: str) -> str | None:
    """"这单发货 顺丰 SF998877" -> "顺丰 SF998877": the words after it (the carrier, the waybill number) when the order
    just shown is said to ship ("这单" said, or a waybill number typed with it); None otherwise."""
    m = _THIS_SHIPPED.match(_clean(text))
    if m is None or _QUESTION.search(text):
        return None
    rest = m.group("rest").strip(" ,，。:：")
    if not m.group("this") and not re.search(r"[A-Za-z]{0,4}\d[A-Za-z0-9-]{5,40}", rest):
        return None
    return rest
