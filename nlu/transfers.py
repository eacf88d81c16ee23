"""Transfers (调拨) and stock sharing in words.

    "从杭州仓调 20 台 AP300 到上海仓" / "move 20 AP300 from WH-SH to WH-TJ"    move: ``source`` -> ``destination``
    "我多了 10 台 DH20 想调给别人" / "DH20 退回厂家 5台" / "I have 10 extra DH20"   surplus (``to_maker`` for a return)
    "申请调拨 DH20 5台" / "哪里有DH20可以调" / "transfer DH20"                    ask: find shared stock nearby
    "我的调拨" / "调拨进度" / "DB-20261205-0001" / "my transfers"                status (``number`` when typed)
    "共享库存" / "我的库存给同区域经销商看" / "share my stock" / "停止共享"           share (what to share, or off)

:func:`parse_transfer` reads only the shape; the product is resolved by the caller against the catalogue with
``nlu.products.find_product`` (``product_text`` is the words that name it) and the two ends against the
warehouses and dealers it may see. A message of no such shape is None: the order parser then reads it as
before, so the parser's figures (bench/parser.py) do not move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from nlu.normalize import normalize
from nlu.numbers import QUANTITY, parse_quantity

Kind = Literal["move", "surplus", "ask", "status", "share"]


@dataclass(frozen=True)
class ShareWish:
    off: bool = False                    # stop sharing altogether
    region: bool = False                 # 同区域
    network: bool = False                # 同上级 / 下级 / 同体系
    maker: bool = False                  # 厂家
    show_name: bool | None = None        # None: as it was
    show: bool = False                   # only show the current choices ("共享设置")


@dataclass(frozen=True)
class TransferText:
    kind: Kind
    product_text: str = ""               # the words naming the product ("" when none)
    qty: int | None = None
    source: str = ""                     # move: the words naming each end ("杭州仓", "wh-sh", "d0001")
    destination: str = ""
    to_maker: bool = False               # surplus: a return to the maker rather than to another dealer
    number: str = ""                     # status: a typed DB- number
    share: ShareWish = field(default_factory=ShareWish)


_NUMBER = re.compile(r"\bdb-\d{8}-\d{4}\b")
_MOVE_ZH = re.compile(r"^(?:请|帮我|麻烦|帮忙)?\s*(?:从|由)\s*(?P<src>[^\s,，]{1,20}?)\s*(?:调拨|调|转|移|拨)\s*"
                      r"(?P<rest>.+?)\s*(?:回到|调回|到|至|去|给|进|回)\s*(?P<dst>[^\s,，]{1,20}?)\s*(?:去|吧|一下)?[。.!！]?$")
_MOVE_ZH_SHORT = re.compile(r"^(?:请|帮我|麻烦|帮忙)?\s*(?:把|将)?\s*(?P<src>[^\s,，]{1,12}?(?:仓库|仓))\s*(?:的)?\s*"
                            r"(?P<rest>.+?)\s*(?:调拨|调|转|移)\s*(?:到|至|去|给)\s*(?P<dst>[^\s,，]{1,20}?)\s*[。.!！]?$")
_MOVE_EN = re.compile(r"^(?:please\s+)?(?:move|transfer|ship)\s+(?P<rest>.+?)\s+from\s+(?P<src>.+?)\s+to\s+"
                      r"(?P<dst>.+?)[.!]?$")
_SURPLUS = re.compile(r"多了|多出|多余|富余|积压|压货|卖不完|用不完|调给别人|调给别的|调出去|转给别人|匀给|匀出|"
                      r"转让|(?:想|要|可以)调出|(?:退回|退给|退还|还给|退回给)(?:厂家|厂里|公司|总部|仓库)|退厂|"
                      r"\bextra\b|\bsurplus\b|\boverstock|too many|\bspare\b|return .* to (?:the )?maker")
_TO_MAKER = re.compile(r"(?:退回|退给|退还|还给|退回给)(?:厂家|厂里|公司|总部|仓库)|退厂|退回去|退回来|to (?:the )?maker|"
                       r"send (?:it|them) back|return (?:it|them)")
_ASK = re.compile(r"调拨|调货|调一些|调几|调点|调些|匀(?:一些|几|点)|\btransfer\b|"
                  r"(?<![单价])调\s*[\d一二两三四五六七八九十]+\s*(?:台|个|件|箱|套|只|支|盒)|"
                  r"(?:附近|哪里|哪儿|谁)(?:还)?有.{0,12}(?:可以|能)调|"
                  r"\b(?:who|anyone|any dealer|which dealer)\b.{0,12}\b(?:has|have|got)\b|nearby stock")
_STATUS = re.compile(r"^(?:查看?|看看?|我的|查询)?\s*(?:我的)?\s*调拨(?:单|申请|记录|进度|状态|情况)?"
                     r"(?:到哪了|怎么样了|呢|列表|有哪些)?\s*[?？。]?$|^(?:my\s+)?transfers?(?:\s+status)?\s*[?.]?$")
_SHARE = re.compile(r"共享|分享|[给让].{0,8}(?:看|查)|公开.{0,4}库存|\bshare\b|\bsharing\b")
_SHARE_SETTINGS = re.compile(r"^(?:查看?|看看?|我的)?\s*(?:库存)?\s*(?:共享|分享)\s*(?:设置|情况|状态|了吗|了没)\s*[?？]?$|"
                             r"^(?:my\s+)?(?:stock\s+)?sharing(?:\s+settings)?\s*[?]?$")
_SHARE_OFF = re.compile(r"(?:停止|取消|关闭|不再|不想|不要|别)\s*(?:共享|分享|给别人看|公开)|不共享|stop sharing|"
                        r"(?:不想|不要|别|不)\s*(?:让|给)\s*(?:别人|其他人|其他经销商|别的经销商|同行)\s*(?:看|查|知道)|"
                        r"unshare|don't share|do not share|no sharing")
_STOCK = re.compile(r"库存|存货|货|stock|inventory")
_NAME_ON = re.compile(r"(?:显示|公开|带上|写上|露出)(?:我的?|我们的?|公司)?(?:名字|名称|店名|公司名)|show (?:my )?name")
_NAME_OFF = re.compile(r"(?:不显示|隐藏|不要显示|不公开|匿名)(?:我的?|我们的?|公司)?(?:名字|名称|店名|公司名)?|"
                       r"anonymous|hide (?:my )?name|without (?:my )?name")
_SHARE_NOISE = re.compile(r"同区域|同地区|同一区域|区域|地区|同城|附近|周边|上级|下级|同体系|体系|一级|二级|兄弟|经销商|"
                          r"厂家|厂里|总部|别人|大家|全部|所有|产品|给|看|查|\b(?:my|all|with|of|and|for|in|region|nearby|network|"
                          r"parent|dealers?|maker|manufacturer|the|stock|products?)\b")
_FILLER = re.compile(r"退回去|退回来|我们?|咱们?|这边|手上|手里|店里|库里|仓里|还|有|了|想|要|能|可以|把|将|的|台|个|吧|呢|吗|啊|"
                     r"调给别人|调给别的经销商|调给别的|调出去|调拨|调货|调|转给别人|给别人|申请|帮我|请|麻烦|一下|"
                     r"附近|哪里|哪儿|谁|多了|多出|多余|富余|积压|卖不完|用不完|退回厂家|退给厂家|退回|厂家|"
                     r"\bi\b|\bhave\b|\bextra\b|\bsurplus\b|\bspare\b|\btransfer\b|\bplease\b|\breturn\b|\bto\b|"
                     r"\bsend\b|\bthem\b|\bit\b|\bback\b|\bwho\b|\banyone\b|\bhas\b|\bgot\b|\bnearby\b|"
                     r"\bwhich\b|\bany\b|\bdealers?\b|退回去|退回来|退掉|回去|"
                     r"\bthe\b|\bmaker\b|[,，。.!！?？:：]")


def _quantity(text: str) -> tuple[int | None, str]:
    """The first usable count in ``text`` and the text without it."""
    for m in QUANTITY.finditer(text):
        q = parse_quantity(m)
        if q.usable:
            return q.value, (text[:m.start()] + " " + text[m.end():]).strip()
    return None, text


def _product_words(text: str) -> str:
    return " ".join(_FILLER.sub(" ", text).split())


def parse_transfer(raw: str) -> TransferText | None:
    text = normalize(raw)
    if not text or len(text) > 120:
        return None
    for shape in (_MOVE_ZH, _MOVE_ZH_SHORT, _MOVE_EN):
        m = shape.match(text)
        if m is not None:
            qty, rest = _quantity(m.group("rest"))
            if qty is not None:
                return TransferText("move", _product_words(rest), qty, m.group("src").strip(),
                                    m.group("dst").strip())
    if (number := _NUMBER.search(text)) is not None and ("调拨" in text or len(text) <= len(number.group(0)) + 6):
        return TransferText("status", number=number.group(0).upper())
    if _STATUS.match(text):
        return TransferText("status")
    if _SHARE_SETTINGS.match(text):
        return TransferText("share", share=ShareWish(show=True))
    if _SHARE.search(text) and (_STOCK.search(text) or _SHARE_OFF.search(text)) and "调" not in text:
        words = _SHARE_NOISE.sub(" ", _NAME_ON.sub(" ", _NAME_OFF.sub(" ", _SHARE_OFF.sub(" ", text))))
        return TransferText("share", _product_words(_STOCK.sub(" ", _SHARE.sub(" ", words))), share=_share_wish(text))
    if _SURPLUS.search(text):
        qty, rest = _quantity(text)
        words = _product_words(rest)
        if words and (qty is not None or _TO_MAKER.search(text) or "多余" in text):
            return TransferText("surplus", words, qty, to_maker=bool(_TO_MAKER.search(text)))
        return None
    if _ASK.search(text):
        qty, rest = _quantity(text)
        return TransferText("ask", _product_words(rest), qty)
    return None


def _share_wish(text: str) -> ShareWish:
    if _SHARE_OFF.search(text):
        return ShareWish(off=True)
    region = bool(re.search(r"同区域|同地区|同一区域|区域|地区|同城|附近|周边|region|nearby", text))
    network = bool(re.search(r"上级|下级|同体系|体系|一级|二级|兄弟|network|parent|sub-?dealer", text))
    maker = bool(re.search(r"厂家|厂里|总部|maker|manufacturer", text))
    if not (region or network or maker):
        region = maker = True                # "共享库存" alone: the maker and the dealers of the region
    show: bool | None = None
    if _NAME_OFF.search(text):
        show = False
    elif _NAME_ON.search(text):
        show = True
    return ShareWish(region=region, network=network, maker=maker, show_name=show)
