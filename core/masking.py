"""How personal data is shown where it does not have to be read in full: chat replies, pushes, audit lines.

One set of rules for every screen (chat flows, notification templates, imports, audit snapshots, the admin):

- a phone keeps its first 3 and last 4 digits: ``138****8000`` (landlines alike: ``021****4567``);
- an ID number (居民身份证号) keeps its first 3 and last 4 characters: ``110***********4514``;
- a person's name keeps the surname: ``张*``, ``张**``, ``欧阳**``; a polite suffix stays (``王先生``,
  ``李*女士``), it names no one; Latin names keep each word's initial (``J*** S****``);
- free text (a ticket description, a comment) gets mainland mobiles and ID numbers inside it masked.

The full value is shown only through the audited reveal (``core.services.privacy.reveal_personal_data``)
or in the owner's own data export. Logs have their own, stricter masking (``bot/logging.py``).
"""

from __future__ import annotations

import re

# Mainland mobile: 11 digits starting 13-19, not part of a longer number.
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
# Resident ID number: 6-digit area, birth date 19xx/20xx-MM-DD, 3-digit sequence, check digit or X. The date
# shape keeps enterprise credit codes (also 18 characters) and order numbers out.
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{3})\d{3}(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
                        r"(\d{3}[0-9Xx])(?![0-9A-Za-z])")

# Two-character surnames common enough to keep whole (欧阳娜娜 -> 欧阳**).
COMPOUND_SURNAMES = frozenset({
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "夏侯", "轩辕", "令狐",
    "钟离", "宇文", "司徒", "西门", "独孤", "南宫", "端木", "百里", "呼延", "澹台", "万俟", "闻人", "赫连",
})
# Polite forms of address after a surname; they identify nobody, so they stay readable.
HONORIFICS = ("先生", "女士", "小姐", "太太", "师傅", "老师", "阿姨", "大爷", "经理", "老板", "总")


def mask_phone(phone: str | None) -> str:
    """``138****8000``: the first 3 and last 4 digits (enough for the owner to recognise the number)."""
    if not phone:
        return ""
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 13 and digits.startswith("86") and digits[2] == "1":
        digits = digits[2:]                  # +86 138 0013 8000: the country code is not the number
    if len(digits) < 8:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_id_number(number: str | None) -> str:
    """``110***********4514``: the first 3 and last 4 characters, one star for each character hidden."""
    if not number:
        return ""
    text = "".join(number.split())
    if len(text) < 8:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 7) + text[-4:]


def _mask_word(word: str) -> str:
    return word[:1] + "*" * (len(word) - 1)


def mask_name(name: str | None) -> str:
    """The surname only: ``张*``, ``张**``, ``欧阳**``; ``王先生`` stays, ``张三先生`` -> ``张*先生``."""
    if not name:
        return ""
    text = name.strip()
    if not text:
        return ""
    if text.isascii():
        return " ".join(_mask_word(w) for w in text.split())
    suffix = next((h for h in HONORIFICS if text.endswith(h) and len(text) > len(h)), "")
    core = text[:len(text) - len(suffix)] if suffix else text
    keep = 2 if core[:2] in COMPOUND_SURNAMES and len(core) > 2 else 1
    return core[:keep] + "*" * (len(core) - keep) + suffix


def mask_text(text: str | None) -> str:
    """Free text with mainland mobiles and ID numbers inside it masked (the rest untouched)."""
    if not text:
        return ""
    text = _ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    return _MOBILE.sub(r"\1****\2", text)


__all__ = ["COMPOUND_SURNAMES", "HONORIFICS", "mask_id_number", "mask_name", "mask_phone", "mask_text"]
