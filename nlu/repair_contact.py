"""Where the repair is and whom to call, written into a repair request: "除湿机不出水了，地址是浦东新区张江路88号 电话
13800138000 王师傅". The address, the end customer's phone and name belong in their own fields of the ticket
(personal data, kept encrypted), not in the description of the fault; what is left is the problem.

Only what is written plainly: an address after 地址/住址 (a run with a place word in it: 路, 号, 小区, 栋...) or one
shaped like an address (a street or estate followed by a house number: "张江路88号", "万科城3栋1201"); the phone and
name as ``nlu.customer_words`` reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.customer_words import customer_in_text
from nlu.english_contact import english_contact

_RUN = r"[\u4e00-\u9fff0-9A-Za-z#\-－()（）]"
_STOP = r"(?=$|[\s，,。；;、!！?？]|电话|手机|联系|客户)"
_LABELED = re.compile(r"(?:上门|安装|送货|维修|客户|用户|详细)?(?:地址|住址)\s*(?:是|在|为)?\s*[:：]?\s*"
                      rf"({_RUN}{{4,60}}?){_STOP}")
_UNIT = r"(?:号楼|号院|号|弄|栋|幢|座|单元|室|楼|层)"
_UNLABELED = re.compile(
    r"(?:住在|家住|家在|人在|住)?"
    r"((?:[\u4e00-\u9fff]{2,7}?(?:省|市|区|县|镇|乡|街道))*"
    r"[\u4e00-\u9fff]{1,8}?(?:路|街|大道|巷|胡同|村|小区|花园|公寓|大厦|广场|苑|城|园)"
    rf"[0-9０-９一二三四五六七八九十百]+{_UNIT}(?:[0-9A-Za-z\-#]+{_UNIT}?){{0,4}})")
# an address is a place: one of these in it ("地址我晚点发你" is none)
_PLACE_WORD = re.compile(r"省|市|区|县|镇|乡|路|街|巷|弄|村|小区|号|栋|幢|楼|室|单元|大厦|花园|苑|广场|园")
_NOT_A_PLACE = re.compile(r"^(?:我|你|他|她|不|没|还|晚|等|稍|回头|忘)")
# words before the address that are no part of it ("客户家住…", "户家住…"): cut up to the last of them
_LEAD = re.compile(r"^.*?(?:住在|家住|家在|人在|地址是|地址|住|在|是)|^(?:客户|用户|顾客|业主)家?")
_TRAILING_NAME = re.compile(r"[\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|阿姨|师傅|大哥|大姐|大妈|大爷|大叔|大婶|奶奶|爷爷)$")
_MOBILE = re.compile(r"(?:(?:客户|用户|联系)?(?:电话|手机号?|联系方式|号码)(?:是|为)?\s*[:：]?\s*)?"
                     r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)")
_CALLED = re.compile(r"(?:客户|顾客|用户|业主|联系人)[:：]?\s*([\u4e00-\u9fff]{1,2}(?:先生|女士|小姐|阿姨|师傅|大哥|大姐|"
                     r"大妈|大爷|大叔|大婶|奶奶|爷爷|阿婆|婆婆)|"
                     r"[\u4e00-\u9fff](?:姐|哥|总|叔|老师)(?![\u4e00-\u9fff]))")
_NAME_LABEL = r"(?:(?:客户|顾客|用户|业主|联系人)(?:姓名|名字)?(?:是|叫|姓)?[:：]?\s*|(?:姓名|名字)?(?:是|叫|姓)[:：]?\s*)?"
_DANGLING = re.compile(r"(?:联系人|联系电话|电话|手机|地址|客户)[:：]?(?=[\s，,。；;、]|$)")
_SEPARATORS = "，,。；;、:： \t\n"


@dataclass(frozen=True)
class RepairContact:
    """The end customer's name, phone and address written in a repair request, and the problem: the words left."""

    name: str | None
    phone: str | None
    address: str | None
    problem: str


def _address_span(text: str) -> tuple[str, int, int] | None:
    """(address, start, end of the words to take out with it) or None."""
    for m in _LABELED.finditer(text):
        found = _TRAILING_NAME.sub("", m.group(1))
        if _PLACE_WORD.search(found) and not _NOT_A_PLACE.match(found):
            return found, m.start(), m.start(1) + len(found)
    plain = _UNLABELED.search(text)
    if plain is None:
        return None
    found = plain.group(1)
    first_place = _PLACE_WORD.search(found)
    head = found[:first_place.start()] if first_place else ""
    if (lead := _LEAD.match(head)) is not None:
        found = found[lead.end():]
    return found, plain.start(), plain.end()


def address_in_text(text: str) -> str | None:
    """The address written in ``text`` ("地址是浦东新区张江路88号 电话…" -> "浦东新区张江路88号"), else None."""
    span = _address_span(text)
    return span[0] if span else None


def split_contact(text: str) -> RepairContact:
    """"除湿机不出水了，地址是浦东新区张江路88号 电话13800138000 王师傅" -> name 王师傅, phone 13800138000, address
    浦东新区张江路88号, problem 除湿机不出水了."""
    rest, address = text, None
    if (span := _address_span(text)) is not None:
        address, start, end = span
        rest = f"{text[:start]} {text[end:]}"
    english = english_contact(rest)         # "customer Mr Chen …, address 88 Zhangjiang Rd" (QA s28 #13)
    if english.name or english.address:
        rest = english.rest
        address = address or english.address
    name, phone = customer_in_text(rest)
    name = name or english.name
    rest = _MOBILE.sub(" ", rest)
    called = _CALLED.search(rest)
    if name is None and called is not None:
        name = called.group(1)
    if name:
        rest = re.sub(_NAME_LABEL + re.escape(name), " ", rest, count=1)
    rest = _DANGLING.sub(" ", rest)
    parts = [p.strip(_SEPARATORS) for p in re.split(r"\s+", rest)]
    problem = " ".join(p for p in parts if p)
    problem = re.sub(r"([，,。；;、])[，,。；;、\s]+", r"\1", problem).strip(_SEPARATORS)
    if english.name or english.address:     # "after 2 weeks , . not urgent": the commas the cut-out parts left
        problem = re.sub(r"([.,;])[.,;]+", r"\1", re.sub(r"\s+(?=[.,;!?])", "", problem)).strip(_SEPARATORS + ".")
    return RepairContact(name=name, phone=phone, address=address, problem=problem)
