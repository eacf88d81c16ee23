"""A dealer's stock alert in words: set, compute from the forecast, list or remove a threshold.

    "DH20 低于5台提醒我"            set the reorder point of DH20 to 5
    "AP300 安全库存 10"             set the safety stock (and the reorder point at least to it)
    "AP300 上限 50" / "max 50"       the maximum a refill goes up to
    "alert me when AP500 below 3"   the reorder point, in English
    "AP300 按销量自动设置提醒"        from the forecast (days of cover x daily sell-out), "备货45天" for the cover
    "我的库存提醒" / "my stock alerts"                         list
    "取消 DH20 的库存提醒" / "stop alerts for AP500"            remove

:func:`parse_threshold` reads only the shape; ``product`` is the words naming the product, resolved against
the catalogue by the caller (``nlu.products.find_product``). A message of no such shape is None, so the
order parser sees every other message exactly as before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from nlu.numbers import parse_int

Action = Literal["set", "forecast", "list", "remove"]

_NUM = r"(\d{1,6}|[零〇一二两三四五六七八九十百千万]{1,8})"
_UNIT = r"(?:台|个|件|只|箱|套|包|卷|盒|块|瓶|袋|桶|支|条|张|units?|pcs|pieces?)?"
_SET_WORD = r"(?:设为|设成|设置为|设置成|设置|设定为|设|改为|改成|调到|调成|调为|定为|是|为|到|=|:|：|to|at|of|is)?"

# the field words, longest first (补货点 before 下限 ...); each sets one field
_FIELDS: tuple[tuple[str, str], ...] = (
    ("安全库存", "safety"), ("safety stock", "safety"), ("safety", "safety"),
    ("再订货点", "reorder_point"), ("订货点", "reorder_point"), ("补货点", "reorder_point"),
    ("预警线", "reorder_point"), ("预警值", "reorder_point"), ("提醒线", "reorder_point"),
    ("库存下限", "reorder_point"), ("下限", "reorder_point"), ("最低库存", "reorder_point"),
    ("reorder point", "reorder_point"), ("reorder level", "reorder_point"), ("minimum", "reorder_point"),
    ("min", "reorder_point"),
    ("库存上限", "maximum"), ("最高库存", "maximum"), ("最大库存", "maximum"), ("上限", "maximum"),
    ("maximum", "maximum"), ("max", "maximum"),
)
_FIELD_WORD = "|".join(re.escape(w) for w, _ in _FIELDS)
_FIELD_OF = {w: f for w, f in _FIELDS}
_FIELD_VALUE = re.compile(rf"(?:的)?\s*({_FIELD_WORD})\s*{_SET_WORD}\s*{_NUM}\s*{_UNIT}", re.IGNORECASE)

_ALERT = r"(?:提醒|通知|告诉|预警|报警|提示)"
_BELOW = r"(?:低于|少于|小于|不足|不到|跌破|到了?|剩下?|剩余|只剩|≤|<=|<)"

_ZH_BELOW = re.compile(
    rf"^(?:请|帮我|麻烦)?(?:在|当)?(?P<p>.+?)\s*(?:的)?\s*(?:库存)?\s*{_BELOW}\s*{_NUM}\s*{_UNIT}\s*"
    rf"(?:以下|及以下)?\s*(?:的?时候|时)?\s*(?:就|请|要)?\s*{_ALERT}", re.IGNORECASE)
_ZH_ALERT_FIRST = re.compile(
    rf"^(?:请|帮我)?{_ALERT}我?\s*[:：,，]?\s*(?:当)?(?P<p>.+?)\s*(?:的)?\s*(?:库存)?\s*{_BELOW}\s*{_NUM}\s*{_UNIT}",
    re.IGNORECASE)
_EN_BELOW = re.compile(
    rf"^(?:please\s+)?(?:alert|remind|notify|tell|warn|ping)\s+me\s+(?:when|if|once|whenever)\s+(?:the\s+)?"
    rf"(?:stock\s+(?:of|for)\s+)?(?P<p>.+?)\s+(?:stock\s+)?(?:is\s+|gets\s+|goes\s+|falls\s+|drops\s+|runs\s+)?"
    rf"(?:at\s+or\s+below|below|under|less\s+than|lower\s+than|down\s+to|to)\s+{_NUM}\s*{_UNIT}\s*$", re.IGNORECASE)
_EN_SET = re.compile(
    rf"^(?:please\s+)?set\s+(?:the\s+|my\s+)?(?P<f>safety\s+stock|reorder\s+point|reorder\s+level|minimum|maximum)"
    rf"\s+(?:for|of)\s+(?P<p>.+?)\s+(?:to|=|at|:)\s*{_NUM}\s*{_UNIT}\s*$", re.IGNORECASE)

_COVER = re.compile(rf"(?:备货|覆盖|够卖|保持|cover(?:ing)?|for)\s*{_NUM}\s*(?:天|days?)", re.IGNORECASE)
_ZH_FORECAST = re.compile(
    r"^(?:请|帮我)?(?:把)?(?P<p>.+?)\s*(?:的)?\s*(?:库存)?\s*(?:(?:按|根据|用|照)(?:销量|预测|销售|历史销量|销售预测)"
    r"(?:预测)?\s*(?:来)?\s*(?:自动)?|自动)\s*(?:来)?(?:设置?|算|计算|定|生成|设定)(?:一下)?\s*(?:库存)?(?:提醒|预警|补货点|安全库存|阈值|下限)?",
    re.IGNORECASE)
_EN_FORECAST = re.compile(
    r"^(?:please\s+)?(?:set|compute|calculate|work\s+out)\s+(?:the\s+|my\s+)?(?:(?:alert|threshold|reorder\s+point)s?"
    r"\s+(?:for|of)\s+(?P<p1>.+?)|(?P<p2>.+?)\s+(?:alert|threshold|reorder\s+point)s?)\s+"
    r"(?:from|by|using|with)\s+(?:the\s+)?(?:forecast|sales|sell-?out)", re.IGNORECASE)

_ZH_LIST = re.compile(
    r"^(?:查看?|看看?|看一下|列出|显示)?\s*(?:我的|我设的|我设置的|已设的|已设置的)?\s*(?:库存)?\s*"
    r"(?:提醒|预警|补货点|安全库存|阈值)(?:设置)?\s*(?:列表|清单|有哪些|都有哪些|有什么)?\s*[?？。!！]?$")
_ZH_LIST_Q = re.compile(r"^我?(?:设了|设置了|都设了)(?:哪些|什么)(?:库存)?(?:提醒|预警|补货点)[?？]?$")
_EN_LIST = re.compile(
    r"^(?:show|list|view|see)?\s*(?:me\s+)?(?:my\s+)?(?:stock\s+)?(?:alerts|thresholds|reorder\s+points)\s*[?.!]?$",
    re.IGNORECASE)

_ZH_REMOVE = re.compile(
    rf"^(?:请|帮我)?(?:取消|删除|删掉|去掉|关闭|关掉|撤销|移除)(?:掉)?\s*(?P<p>.+?)\s*(?:的)?\s*(?:库存)?\s*"
    rf"(?:{_ALERT}|补货点|安全库存|阈值)(?:设置)?\s*[。!！]?$")
_ZH_REMOVE_AFTER = re.compile(
    rf"^(?P<p>.+?)\s*(?:的)?\s*(?:库存)?\s*(?:{_ALERT}|补货点|安全库存|阈值)\s*(?:取消|删除|删掉|去掉|关掉|不要了|不用了)"
    rf"(?:吧|掉)?\s*[。!！]?$")
_ZH_NO_MORE = re.compile(rf"^(?:不用|不要|别)(?:再)?{_ALERT}(?:我)?\s*(?P<p>.+?)(?:的库存)?了?\s*[。!！]?$")
_EN_REMOVE = re.compile(
    r"^(?:please\s+)?(?:stop|remove|delete|cancel|turn\s+off|drop|clear)\s+(?:the\s+|my\s+)?"
    r"(?:(?:stock\s+)?(?:alerts?|reminders?|thresholds?|alerting(?:\s+me)?)\s+(?:for|on|about)\s+(?P<p1>.+?)"
    r"|(?P<p2>.+?)\s+(?:stock\s+)?(?:alerts?|reminders?|thresholds?)|alerting\s+(?:me\s+)?(?:about\s+)?(?P<p3>.+?))"
    r"\s*[.!]?$", re.IGNORECASE)

_FILLER = re.compile(r"^(?:请|帮我|麻烦|给我|把|将|当|在|我的|my|the|for)\s*|\s*(?:的|库存|stock)$", re.IGNORECASE)
MAX_PRODUCT_WORDS = 40


@dataclass(frozen=True)
class ThresholdRequest:
    action: Action
    product: str = ""                    # the words naming the product (not resolved here)
    reorder_point: int | None = None
    safety: int | None = None
    maximum: int | None = None
    cover_days: int | None = None


def _product(words: str | None) -> str:
    text = (words or "").strip(" ,，:：、")
    for _ in range(3):
        text = _FILLER.sub("", text).strip(" ,，:：、")
    return text if 0 < len(text) <= MAX_PRODUCT_WORDS else ""


def _number(text: str) -> int | None:
    return parse_int(text)


def _fields(rest: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in _FIELD_VALUE.finditer(rest):
        value = _number(m.group(2))
        if value is not None:
            out.setdefault(_FIELD_OF.get(m.group(1).lower(), _FIELD_OF.get(m.group(1), "")), value)
    out.pop("", None)
    return out


def _set(product: str, fields: dict[str, int]) -> ThresholdRequest | None:
    if not product or not fields:
        return None
    return ThresholdRequest("set", product, reorder_point=fields.get("reorder_point"), safety=fields.get("safety"),
                            maximum=fields.get("maximum"))


def parse_threshold(text: str) -> ThresholdRequest | None:
    """The threshold request ``text`` makes, or None when it is not about a stock alert."""
    text = " ".join(text.strip().split())
    if not text or len(text) > 120:
        return None
    if _ZH_LIST.match(text) or _ZH_LIST_Q.match(text) or _EN_LIST.match(text):
        return ThresholdRequest("list")
    for shape in (_ZH_REMOVE, _ZH_REMOVE_AFTER, _ZH_NO_MORE):
        m = shape.match(text)
        if m and (product := _product(m.group("p"))):
            return ThresholdRequest("remove", product)
    m = _EN_REMOVE.match(text)
    if m and (product := _product(m.group("p1") or m.group("p2") or m.group("p3"))):
        return ThresholdRequest("remove", product)
    cover = _COVER.search(text)
    cover_days = _number(cover.group(1)) if cover else None
    m = _EN_FORECAST.match(text)
    if m and (product := _product(m.group("p1") or m.group("p2"))):
        return ThresholdRequest("forecast", product, cover_days=cover_days)
    m = _ZH_FORECAST.match(_COVER.sub("", text).strip())
    if m and (product := _product(m.group("p"))):
        return ThresholdRequest("forecast", product, cover_days=cover_days)
    for shape in (_ZH_BELOW, _ZH_ALERT_FIRST, _EN_BELOW):
        m = shape.match(text)
        if m and (product := _product(m.group("p"))):
            value = _number(m.group(2))
            if value is not None:
                rest = text[m.end():]
                return _set(product, {"reorder_point": value, **{k: v for k, v in _fields(rest).items()
                                                                  if k != "reorder_point"}})
    m = _EN_SET.match(text)
    if m:
        value = _number(m.group(3))
        field = _FIELD_OF.get(" ".join(m.group("f").lower().split()), "")
        if value is not None and field:
            return _set(_product(m.group("p")), {field: value})
    first = _FIELD_VALUE.search(text)
    if first is None:
        return None
    tail = text[first.end():]
    leftover = _FIELD_VALUE.sub("", tail).strip(" ,，、;；。.!！")
    if leftover:          # "AP300 安全库存 10 再来20台": something else is asked too; not ours
        return None
    return _set(_product(text[:first.start()]), _fields(text[first.start():]))
