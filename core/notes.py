"""Notes the system itself writes on records (an order's events and hold, the ledger entries of its refunds and
overdraft, a material allocation), stored once in Chinese, the records' language, and shown in the reader's.

A note is one or more parts joined by "；"; a part is a system phrase, a system phrase with what a person typed
after "：" ("驳回：价格不对"), or only what a person typed, which is shown as it was written.
"""

from __future__ import annotations

import re

PARTS_SEPARATOR = "；"

# system phrase (as stored) -> English
SYSTEM_NOTES: dict[str, str] = {
    "上级经销商已审批": "approved by the parent dealer",
    "上级经销商驳回": "rejected by the parent dealer",
    "上级驳回": "rejected by the parent dealer",
    "驳回": "rejected",
    "取消": "cancelled",
    "暂停合作": "suspended",
    "库存不足，转生产": "short in stock",
    "超额度审批（信用透支）": "approved over the limit (overdraft)",
    "审批时扣款（提交后到账）": "charged at approval (paid in since submission)",
    "审批时扣款（信用额度）": "charged at approval (credit)",
    "回款冲抵信用欠款": "payment applied to credit used",
    "部分收货": "partial",
    "有破损": "damaged",
    "经销商原话": "the dealer's words",
    "按规则分配": "allocated by rule",
    "改单": "changed by the dealer",
}


def system_note(phrase: str, typed: str = "") -> str:
    """The stored note: a system phrase (a key of SYSTEM_NOTES), with what a person typed after it."""
    if phrase not in SYSTEM_NOTES:
        raise KeyError(f"not a system note: {phrase!r}")
    return f"{phrase}：{typed.strip()}" if typed.strip() else phrase


# a line of a receipt with exceptions ("WP600 少货 ×2", "AP500 破损"; core.services.receipts.receipt_issue_text)
RECEIPT_ISSUE_WORDS: dict[str, str] = {"少货": "missing", "破损": "damaged"}
_ISSUE_LINE = re.compile(r"(\S+) (少货|破损)(?: ×(\d+))?")


def note_text(note: str, lang: str) -> str:
    """A stored note in the reader's language: the system's phrases translated, what a person typed as it is."""
    if not note or not lang.lower().startswith("en"):
        return note
    shown = []
    for part in note.split(PARTS_SEPARATOR):
        phrase, colon, typed = part.partition("：")
        if phrase in SYSTEM_NOTES:
            shown.append(SYSTEM_NOTES[phrase] + (f": {typed}" if colon else ""))
        elif line := _ISSUE_LINE.fullmatch(part):
            sku, what, qty = line.groups()
            shown.append(f"{sku} {RECEIPT_ISSUE_WORDS[what]}" + (f" x{qty}" if qty else ""))
        else:
            shown.append(part)
    return "; ".join(shown)
