"""The shapes ``nlu.product_lines`` reads order lines by: a size glued to a product word, a count changed or added
right after it, a count written before a product, where a sentence ends."""

from __future__ import annotations

import re

# between a kind word and the words of one of its products: "hoses, 60 of the 40cm ones", "juice, the 300ml"
THE_ONES = re.compile(r"[a-z]{0,2}[\s,，]*(?:\d+\s*(?:pcs|pieces|units|cases|boxes)?\s*)?[\s,，]*(?:of\s+)?(?:the|those|these)\s+")
# a number written on a word ("热水管40", "pipe 40"), not after 的 (where a count may stand: "20的50")
_GLUED_NUMBER = re.compile(r"(?<=[\u4e00-\u9fffa-z])(?<![的嘅])\s?(\d+(?:\.\d+)?)(?![\d.])")
# a number right after a product word and before its count: the size that line is of ("热水管40 10根")
# ("校服180也要10套", "银管 40 x 5": a verb of ordering or an x between them)
_SIZE_THEN_COUNT = re.compile(r"\s?\d+(?:\.\d+)?(?![\d.])(?=(?:\s?的\s?|\s|\s?的?(?:也|都|再|还)?(?:要|来|拿|订|卖了)\s?|\s?[x×*]\s?)"
                              r"(?:\d|[一二两三四五六七八九十]))")
_COUNTED_GAP = re.compile(r"\d+\s?(?:[个台箱件套支盒包片组条瓶桶袋卷只根块张双对罐提把副饼]|pcs|sets?|boxes|rolls)[\s,，、;；]*\Z")
# the same, or a count written with x ("银管 20 x 10, 银管 40 x 5")
_LINE_ENDED = re.compile(rf"{_COUNTED_GAP.pattern}|[x×*]\s?\d+[\s,，、;；]*\Z")
# more of a line, right after its product word: "再加一打", "再来5箱"
_ADDED_COUNT = re.compile(r"\s?的?\s?(?:再加|再来|再要|再补|多来|多要|加)\s*(?:\d|[一两二三四五六七八九十])")
# a count changed right after a product word: "改成15", "加到20", "change to 12"
CHANGED_COUNT = re.compile(r"\s?的?\s?(?:改成|改为|改到|加到|减到|调成|调到|变成|改|\b(?:change|make it|up|down)(?: it)?(?: to)?\b)\s*\d")


# ("7号20": after 号 a number is the line's count, glued)
_BARE_SIZE = re.compile(r"(?<![\d.a-z])(\d{1,4}(?:\.\d{1,2})?)\s?(号|mm|cm|ml|kg|丝|米|升|寸|公斤|毫升|毫米|公分|l)"
                        r"(?:(?<=号)(?![a-z])|(?![a-z\d]))")
# a count with its unit written just before a product ("3个S", "20袋1.5kg")
_COUNT_BEFORE = re.compile(r"(?<![\d.])(?:\d{1,4}|[一二两三四五六七八九十]{1,3})\s?[个袋包箱条双件套台只盒瓶桶罐卷根块张顶口]\s?$")


# the end of a sentence: a kind word said before it leads no size after it
_LIST_BREAK = re.compile(r"[。！？!?；;\n]")


def code_part(sku: str) -> str:
    """A SKU without the maker's prefix and dashes, as dealers write its letters ("JC-MS28W" -> "ms28w")."""
    head, _, rest = sku.lower().partition("-")
    return (rest or head).replace("-", "")
