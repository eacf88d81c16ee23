"""The dealers' stock and days of cover asked for in words (``handlers.flows.dealer_stock``): "经销商库存",
"华东 DH20 经销商还能卖几天", "channel stock". The handler routes on the shape here and takes the words naming a
product from the function; it reads no words itself."""

from __future__ import annotations

import re

DEALER_STOCK_ASKED = (r"(?:经销商|渠道|下游|代理商|分销商|各家|门店)[^，,。？?]{0,6}?(?:库存|存货|备货|可售天数|覆盖天数|库存天数)"
                      r"|(?:经销商|渠道|下游|代理商).{0,8}(?:还能|能|够|可以)卖(?:几|多少)天"
                      r"|库存覆盖|可售天数|覆盖天数|库存天数|dealers?'?\s*stock|channel\s+stock|days\s+of\s+cover|stock\s+cover")
_SHAPE = re.compile(DEALER_STOCK_ASKED, re.IGNORECASE)
_FILLER = re.compile(r"那边|这边|手上|手里|还有|现在|目前|[的看查一下看看各个所有全部情况怎么样如何多少呢吗在家？?，,。！!\s]"
                     r"|\b(?:show|me|the|all|of|for|in)\b",
                     re.IGNORECASE)


def filter_words(text: str, region: str | None = None) -> str:
    """The words of a dealer-stock question left to name a product ("华东 DH20 经销商库存" -> "DH20"): the
    question's own words, the region said and fillers dropped."""
    rest = _SHAPE.sub(" ", text)
    if region:
        rest = rest.replace(region, " ")
    return _FILLER.sub(" ", rest).strip()


#: "D0005的库存", "看下D0005库存还有多少": one dealer's stock asked for by its code (QA: was "没有找到“D0005”" and
#: our products offered)
DEALER_CODE_STOCK_ASKED = (r"^\s*(?:查一?下|看一?下|看看|问一?下)?\s*[Dd]\d{4,6}\s*(?:那边|这家|那家)?\s*的?\s*"
                           r"(?:库存|存货|备货)(?:情况|还有多少|有多少|多少)?(?:啊|呢|吗)?\s*[?？。]?$")
_CODE = re.compile(r"[Dd]\d{4,6}")


def dealer_code_stock_asked(text: str) -> str | None:
    """The dealer code whose stock is asked for ("D0005的库存" -> "D0005"), else None."""
    if not re.match(DEALER_CODE_STOCK_ASKED, text):
        return None
    m = _CODE.search(text)
    return m.group(0).upper() if m else None
