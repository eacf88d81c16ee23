"""The end customer and the address written in English into a repair request (QA s28 #13): "my customer AP500 shows
E3 error, customer Mr Chen 13800001111, address 88 Zhangjiang Rd Shanghai. not urgent". ``nlu.repair_contact`` reads
the Chinese forms; this module the English ones, only what is written plainly:

- a name after a title (Mr, Mrs, Ms, Miss, Dr: "Mr Chen", kept with its title), or after "customer (name) is",
  "customer:", "name:", "named" when it is written with capitals ("customer Li Na");
- an address after "address" / "addr" / "located at" / "lives at" up to the end of its sentence (or a phone, or
  a comma before another label), or shaped like one ("88 Zhangjiang Rd, Pudong": a house number, the street's
  name and a street word); it has a digit or a street word in it ("address later" is none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TITLE = r"(?:Mr|Mrs|Ms|Miss|Mx|Dr|Madam|Mdm)"
_WORD = r"[A-Z][a-z]+"
# capitalised words that are no name ("customer The…", "name: Not sure")
_NOT_NAMES = frozenset({"The", "This", "That", "He", "She", "It", "His", "Her", "They", "Their", "Not", "No", "None",
                        "Unknown", "Says", "Said", "Has", "Have", "Is", "Was", "Wants", "Complains", "Reports",
                        "Address", "Phone", "Tel", "Mobile", "Name", "Please", "Pls", "Thanks"})
_TITLED = re.compile(rf"\b({_TITLE}\.?\s+{_WORD}(?:\s+{_WORD})?)\b")
_LABELED_NAME = re.compile(r"\b(?i:(?:customer|client|end user|user)(?:'s)?(?:\s+name)?(?:\s+is|\s*:)?|name\s*(?:is|:)|"
                           rf"named)\s+({_WORD}(?:\s+{_WORD})?)\b")
_STREET = r"(?:Rd|Road|St|Street|Ave|Avenue|Lu|Lane|Ln|Blvd|Boulevard|Hwy|Highway|Dr|Drive|Way|Jie)"
_PLACE = re.compile(rf"\d|\b(?:{_STREET}|District|Building|Bldg|Room|Rm|Apt|Unit|Floor|Block|Estate|Garden|Tower|"
                    r"Village|Town|City|Plaza|Mansion)\b", re.IGNORECASE)
_PHONE = r"(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}"
_NEXT_LABEL = r"(?:phone|tel|mobile|cell|call|contact|customer|client|name|not urgent|urgent|no rush|please|pls|thanks)"
_LABELED_ADDRESS = re.compile(
    r"\b(?:(?:customer'?s?\s+|visit\s+|home\s+|the\s+)?(?:address|addr\.?)(?:\s+is)?\s*[:：]?|located at|lives at|"
    r"lives in)\s+"
    rf"(.{{4,120}}?)(?=\s*(?:[.;。；]\s|[.;。；]?\s*$|,\s*{_NEXT_LABEL}\b|\s+{_NEXT_LABEL}\b|[\s,]*(?<!\d){_PHONE}(?!\d)))",
    re.IGNORECASE)
_SHAPED_ADDRESS = re.compile(
    rf"\b(\d+[A-Za-z]?(?:-\d+)?,?\s+(?:{_WORD}\s+){{1,3}}{_STREET}\b\.?(?:,?\s+(?!{_TITLE}\b){_WORD}){{0,3}})")
_PHONE_LABEL = re.compile(rf"\b(?:phone|tel|mobile|cell)(?:\s+(?:no\.?|number))?(?:\s+is)?\s*[:：]?\s*(?={_PHONE})",
                          re.IGNORECASE)


@dataclass(frozen=True)
class EnglishContact:
    """The name and address read, and ``rest``: the text with them (and their labels) taken out."""

    name: str | None
    address: str | None
    rest: str


def _cut(text: str, start: int, end: int) -> str:
    return f"{text[:start]} {text[end:]}"


def english_contact(text: str) -> EnglishContact:
    """"…, customer Mr Chen 13800001111, address 88 Zhangjiang Rd Shanghai. not urgent" -> Mr Chen, 88 Zhangjiang Rd
    Shanghai; the rest keeps the problem, the phone and "not urgent"."""
    rest, address = text, None
    m = _LABELED_ADDRESS.search(rest)
    if m is not None and _PLACE.search(m.group(1)):
        address = m.group(1).strip(" ,")
        rest = _cut(rest, m.start(), m.end())
    elif (shaped := _SHAPED_ADDRESS.search(rest)) is not None:
        address = shaped.group(1).strip(" ,.")
        start = shaped.start()
        lead = re.search(r"\b(?:at|in)\s+$", rest[:start], re.IGNORECASE)
        rest = _cut(rest, lead.start() if lead else start, shaped.end())
    name = None
    titled = _TITLED.search(rest)
    if titled is not None:
        name = re.sub(r"\s+", " ", re.sub(r"^(\w+)\.", r"\1", titled.group(1)))      # "Mr. Chen" -> "Mr Chen"
        label = re.search(r"\b(?:customer|client|end user|user)(?:'s)?(?:\s+name)?(?:\s+is|\s*:)?\s+$",
                          rest[:titled.start()], re.IGNORECASE)
        rest = _cut(rest, label.start() if label else titled.start(), titled.end())
    else:
        for labeled in _LABELED_NAME.finditer(rest):
            words = labeled.group(1).split()
            if words[0] in _NOT_NAMES:
                continue
            kept = [w for w in words if w not in _NOT_NAMES][:2]
            name = " ".join(kept)
            rest = _cut(rest, labeled.start(), labeled.start(1) + len(labeled.group(1)))
            break
    rest = _PHONE_LABEL.sub(" ", rest)
    return EnglishContact(name=name, address=address, rest=rest)
