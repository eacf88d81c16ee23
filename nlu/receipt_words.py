"""A dealer's words about the goods of a shipped order: all of it came ("全部收到", "货齐了"), or some is short or
damaged ("WP600少了2台 还有一台ap500外箱压坏了", "少的两台WP600啥时候补发").

- ``all_received_said``: everything came and nothing is wrong ("全部收到", "都收到了", "货齐了", "收到了没问题"), as
  the ✅ 全部收到 button says; "收到了" alone does not say *all* (it is asked once), "收到了吗" is a question;
- ``issue_clauses``: the message cut into the parts that each say one thing ("WP600少了2台" / "一台ap500外箱压坏了"),
  each with its kind (``SHORT`` or ``DAMAGED``, "" for neither: "货到了"); the chat reads the product and count of
  each part with the parser, so every line of the claim keeps what was said of it;
- ``shortage_said``: the words speak of goods missing or damaged from a delivery, or their re-shipment ("少的两台",
  "补发", "压坏了"): a claim against the delivered order, never a change of it or a new order.
"""

from __future__ import annotations

import re

from nlu.normalize import normalize

SHORT = "short"
DAMAGED = "damaged"

_END = " .!?~,。！？~～"
_LEAD_SYMBOLS = re.compile(r"^[^\w\u4e00-\u9fff]+")     # "✅ 全部收到" pasted: the button's label

# all of it came: an "all" or "nothing wrong" word with the receipt ("收到了" alone is not all)
_ALL_RECEIVED = re.compile(
    r"(?:(?:好的?|嗯|对|是的|ok)[,， ]*)?(?:货|东西)?(?:已经|已)?(?:全部|全都|都|全)(?:已经|已)?(?:收到|到齐|收齐|到了|签收)(?:了|啦)?"
    r"(?:[,， ]*(?:没问题|没有问题|没毛病|完好|都好|都好的|没有破损|无破损|没坏))?(?:的|了|啦)?"
    r"|(?:货|东西)?(?:已经|都)?(?:到齐|收齐|齐)(?:了|啦)(?:[,， ]*(?:没问题|没有问题|完好))?"
    r"|(?:货|东西)?(?:已经|已)?(?:收到|签收)(?:了|啦)?[,， ]*(?:没问题|没有问题|没毛病|完好无损|完好|都好|没有破损|无破损|"
    r"都没问题|一切正常|都对)(?:的|了|啦)?"
    r"|(?:all )?(?:received|arrived)(?: all| everything)?(?:,? (?:all )?(?:fine|ok|good))?|got (?:it|them|everything) all|"
    r"all (?:here|in|fine|good)", re.IGNORECASE)


def _said(text: str) -> str:
    return _LEAD_SYMBOLS.sub("", normalize(text)).strip(_END)


def all_received_said(text: str) -> bool:
    """"全部收到", "都收到了", "货齐了", "收到了没问题": all of the order came, undamaged (what ✅ 全部收到 says)."""
    return bool(_ALL_RECEIVED.fullmatch(_said(text)))


# goods short: "少了", "少2台", "差两台", "缺一箱", "没到", "漏发", "少的两台"
_SHORT = re.compile(r"少了|少发|少给|少送|漏发|漏了|缺了?|缺少|短少|差了?\s*[\d一二两三四五六七八九十几]|少\s*[\d一二两三四五六七八九十几]|"
                    r"少的|没到|未到|没收到|没发|没有到|补发|missing|short", re.IGNORECASE)
# goods damaged: "压坏了", "外箱破了", "摔坏", "碎了", "凹进去", "划花了"
_DAMAGED = re.compile(r"压坏|压扁|压破|压烂|压变形|破损|破了|摔坏|磕坏|磕碰|撞坏|碰坏|坏了|碎了|裂了|凹|变形|划花|划伤|刮花|"
                      r"(?:外箱|包装|箱子|纸箱).{0,3}(?:破|坏|烂|湿)|damaged|broken|crushed|dent", re.IGNORECASE)
# where one thing said ends and the next begins: punctuation, and the words that join two findings
_CUT = re.compile(r"[,，。；;！!？?、\n]+|(?:还有|另外|另|以及|并且|而且|同时|然后|再就是|再有|also|and)(?=\s*\S)",
                  re.IGNORECASE)


def _kind(part: str) -> str:
    short, damaged = _SHORT.search(part), _DAMAGED.search(part)
    if short and damaged:
        return SHORT if short.start() < damaged.start() else DAMAGED
    return SHORT if short else DAMAGED if damaged else ""


def issue_clauses(text: str) -> list[tuple[str, str]]:
    """The parts of a receipt problem, each with its kind (``SHORT``, ``DAMAGED`` or ""), in the order written; a
    part saying both ("WP600少2台 AP500压坏1台", no word between) is cut once more at its spaces."""
    out: list[tuple[str, str]] = []
    for part in _CUT.split(normalize(text)):
        part = part.strip()
        if not part:
            continue
        if _SHORT.search(part) and _DAMAGED.search(part) and " " in part:
            out += [(p, _kind(p)) for p in part.split() if p]
        else:
            out.append((part, _kind(part)))
    return out


def shortage_said(text: str) -> bool:
    """Words of goods short or damaged on delivery, or of their re-shipment ("少的两台WP600啥时候补发")."""
    plain = normalize(text)
    return bool(_SHORT.search(plain) or _DAMAGED.search(plain))


# the order desk asking for the receipt claims waiting: "收货异常", "少货的单", "有哪些收货问题", "receipt claims"
RECEIPT_CLAIMS_ASKED = (r"^\W*(?:有哪些|有什么|有没有|还有|查一?下|看一?下|看看|列一?下|列出)?\s*"
                        r"(?:收货(?:异常|问题|投诉)|(?:少货|缺货|破损|货损)(?:的|了的)?(?:订单|单子|单|问题)|"
                        r"(?:少货|破损)(?:和|或|/|、)(?:少货|破损)(?:的)?(?:订单|单子|单)?|"
                        r"(?:open |all |list )?(?:receipt|delivery) (?:claims?|problems?|issues?|exceptions?))"
                        r"\s*(?:有哪些|有什么|有几个|有几单|列表|清单|的单|的订单)?\s*(?:吗|呢|呀|啊)?\W*$")
