"""Several requests in one message: "我要AP300 10台，DH20有没有货？另外上次那单发货了没", "备注：卸货要叉车，另外滤网有货吗",
"订10台AP800，另外DH50还有货吗".

The message is cut at the words that join requests ("另外", "顺便", "对了", "by the way", "also") and at the ends of
its clauses (a question mark, a comma, a full stop); each piece is classified on its own. Pieces in a row that ask the
same thing, and pieces too weak to be a request of their own (a greeting, words the classifier only guesses at), are
one request with their neighbours. Two requests or more, each clear, each different from the one before it: the
message is those requests in the order written (``request_parts``), else it is one request (None).

Cut at clause ends only, a piece must be a question or an order of its own (not "12月20号前送到" after the lines it
dates): the next request is only looked for where the words say one begins, or where a clause asks something.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from nlu.schema import CartEdit, EditOp, Intent

# the words that begin another request; "?" ends one
SECOND_REQUEST = re.compile(r"[,，;；。.!！?？\s]*(?:另外|顺便|还有个?事|还有就是|再问一?下|还想问一?下|对了|\bby the way\b|"
                            r"\bbtw\b|\balso\b|\band also\b|\bplus\b)[,，:：\s]*")
_CLAUSE_END = re.compile(r"(?<=[?？])\s*|[，,;；。!！]+\s*")
# a clause that asks (its request stands on its own after a comma: "DH20有没有货")
_ASKS = re.compile(r"[?？]|[吗嘛么呢没]\s*$|有没有|有无|是否|了没有?|多少|(?<!好)几[台个天单件号]|什么时候|哪|怎么|咋|\b(?:any|is|are|do|does|did|when|how|what|where)\b",
                   re.IGNORECASE)
# a piece that orders a count of something ("来10台AP300"): a request of its own after a comma too
_COUNTED = re.compile(r"(?:(?<![a-z0-9-])\d+|[一二两三四五六七八九十]+)\s*(?:[台个箱件套只瓶包盒袋桶卷张双条把支片]|"
                      r"\b(?:pcs|units?|boxes|cases|sets)\b)", re.IGNORECASE)
# what is asked, after which an order of a count is another request ("…有货吗，来10台")
_ASKED = frozenset({Intent.QUERY_STOCK, Intent.PRICE_QUERY, Intent.ORDER_STATUS, Intent.TICKET_STATUS,
                    Intent.CONTRACT_QUERY, Intent.SALES_QUERY, Intent.CANCEL_ORDER})
# a clause that goes on with the one before it ("但是", "不过", "but"): the same request
_GOES_ON = re.compile(r"\s*(?:但是?|不过|可是|只是|就是|然而|\bbut\b|\bthough\b)", re.IGNORECASE)
CLEAR = 0.45
WEAK = frozenset({Intent.CHITCHAT_OTHER, Intent.GREETING, Intent.HELP, Intent.CANCEL, Intent.FAQ})
MAX_PIECES = 8          # a long chatty message is read whole (its requests are told apart by the cart's own reading)

Classify = Callable[[str], tuple[Intent, float]]


@dataclass
class _Part:
    start: int
    end: int
    intent: Intent
    confidence: float
    cued: bool              # begun by a joining word ("另外") or after a question mark, not only by a comma

    @property
    def weak(self) -> bool:
        return self.intent in WEAK or self.confidence < CLEAR


def request_parts(text: str, classify: Classify) -> list[tuple[str, Intent, float]] | None:
    """The requests of ``text`` in the order written, each its own words, intent and confidence (see the module
    docstring), or None when the message is one request. ``classify``: the parser's intent of a piece of text."""
    pieces = _pieces(text)
    if len(pieces) < 2 or len(pieces) > MAX_PIECES:
        return None
    groups: list[_Part] = []
    for start, end, cued in pieces:
        intent, confidence = classify(text[start:end])
        part = _Part(start, end, intent, confidence, cued)
        if groups and (part.weak or groups[-1].weak or part.intent == groups[-1].intent
                       or not cued and not _own_request(text[start:end], part.intent, groups[-1].intent,
                                                        text[groups[-1].start:groups[-1].end])):
            last = groups[-1]
            if last.weak and not part.weak:
                last.intent, last.confidence = part.intent, part.confidence
            last.end = end
            continue
        groups.append(part)
    if len(groups) < 2:
        return None
    out: list[tuple[str, Intent, float]] = []
    for g in groups:
        said = text[g.start:g.end].strip(" ,，;；。.!！")
        intent, confidence = classify(said) if said != text[g.start:g.end] else (g.intent, g.confidence)
        if intent in WEAK or confidence < CLEAR or out and out[-1][1] == intent:
            return None
        out.append((said, intent, confidence))
    return out


def _own_request(piece: str, intent: Intent, before: Intent, said_before: str) -> bool:
    """Whether a piece after a comma (no joining word, no question mark before it) is a request of its own: a question
    with words of its own ("DH20有没有货", not "any update"), or an order of a count after a question ("DH20有货吗，
    来10台AP300"; after a sales report or a fault its counts are the report's)."""
    if _GOES_ON.match(piece):
        return False        # "SO-… 收到了，但是少了一台": what the clause before said, not another request
    if _ASKS.search(piece):
        return intent in _ASKED and (len(re.findall(r"[\u4e00-\u9fff]", piece)) >= 4
                                     or len(re.findall(r"[a-z0-9]+", piece, re.I)) >= 3)
    # the clause before must ask: "AP300 32台 单价1999，DH20 6台 每台1699" is one list with prices, not a price asked
    return intent == Intent.PLACE_ORDER and before in _ASKED and _ASKS.search(said_before) is not None \
        and _COUNTED.search(piece) is not None


def _pieces(text: str) -> list[tuple[int, int, bool]]:
    """``text`` cut at joining words and clause ends: (start, end, begun by a joining word) of each piece with words."""
    cuts: list[tuple[int, int, bool]] = [(m.start(), m.end(), True) for m in SECOND_REQUEST.finditer(text)
                                         if m.end() > m.start() and m.start() >= 2]
    for m in _CLAUSE_END.finditer(text):
        if not any(a <= m.start() < b or a < m.end() <= b for a, b, _ in cuts):
            cuts.append((m.start(), m.end(), text[m.start() - 1:m.start()] in ("?", "？")))   # a question ends
    out: list[tuple[int, int, bool]] = []
    pos, cued = 0, False
    for a, b, joined in sorted(cuts):
        if a < pos:
            continue
        if re.search(r"\w", text[pos:a]):
            out.append((pos, a, cued))
            cued = joined
        else:
            cued = cued or joined
        pos = b
    if re.search(r"\w", text[pos:]):
        out.append((pos, len(text), cued))
    return [(a, b, c) for a, b, c in out if len(text[a:b].strip()) >= 2] if out else []


# an order placed again ("再下一次", "重新下单", "再提交一次"), or the rest of it kept ("其他不变")
_AGAIN = re.compile(r"再下(?:一|个)?(?:次|单|遍)|重新(?:下|提交|订)(?:一|个)?(?:次|单|遍)?|重下(?:一|个)?(?:次|单)?|再提交(?:一)?(?:次|遍)?|"
                    r"\b(?:re-?order|re-?submit|order (?:it )?again|place (?:it )?again)\b", re.IGNORECASE)
_REST_KEPT = re.compile(r"(?:其他|其它|别的|其余|剩下的)(?:的)?(?:都)?(?:不变|照旧|一样|照原样)|\b(?:rest|everything else) (?:the same|unchanged)\b",
                        re.IGNORECASE)


def changed_copy(text: str, edits: list[CartEdit]) -> bool:
    """"那就把WP400换成WP600 其他不变 再下一次" (after the order was rejected): an order placed again with its lines
    changed, not a new order of the changed lines only."""
    changes = any(e.op != EditOp.ADD for e in edits)
    return bool(edits) and _AGAIN.search(text) is not None and (changes or _REST_KEPT.search(text) is not None)
