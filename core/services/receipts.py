"""A receipt with exceptions: the lines of goods short or damaged on delivery (which product, how many), checked
against the order and written on its receipt (``core.services.orders.confirm_receipt``)."""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import ValidationFailed
from core.notes import system_note
from core.orders import Order

SHORT_GOODS = "short"
DAMAGED_GOODS = "damaged"
MAX_RECEIPT_WORDS = 300


@dataclass(frozen=True)
class ReceiptIssue:
    """One line of a receipt with exceptions: ``sku`` of the order short (``kind`` SHORT_GOODS) or damaged
    (DAMAGED_GOODS), ``qty`` units when said (None: not said)."""

    sku: str
    kind: str
    qty: int | None = None


def receipt_issue_text(issue: ReceiptIssue) -> str:
    """"WP600 少货 ×2", "AP500 破损 ×1", "AP500 破损" (no count said): as stored on the receipt and told the desk."""
    what = "少货" if issue.kind == SHORT_GOODS else "破损"      # translated by core.notes.note_text (RECEIPT_ISSUE_WORDS)
    return f"{issue.sku} {what}" + (f" ×{issue.qty}" if issue.qty else "")


def checked_issues(order: Order, issues: tuple[ReceiptIssue, ...]) -> list[ReceiptIssue]:
    """The lines of a receipt with exceptions, each of a product of the order and no more units than it holds."""
    held: dict[str, int] = {}
    for line in order.lines:
        held[line.sku] = held.get(line.sku, 0) + line.qty + line.free_qty
    out: list[ReceiptIssue] = []
    for issue in issues:
        if issue.kind not in (SHORT_GOODS, DAMAGED_GOODS):
            raise ValidationFailed(reason="kind")
        if issue.sku not in held:
            raise ValidationFailed(zh=f"订单 {order.number} 里没有 {issue.sku}",
                                   en=f"Order {order.number} has no {issue.sku}", reason=issue.sku)
        if issue.qty is not None and not 0 < issue.qty <= held[issue.sku]:
            raise ValidationFailed(zh=f"{issue.sku} 这单只发了 {held[issue.sku]}，少货/破损数量须在 1–{held[issue.sku]} 之间",
                                   en=f"{issue.sku}: {held[issue.sku]} were shipped; the count must be "
                                      f"1–{held[issue.sku]}", reason=issue.sku)
        out.append(issue)
    return out


def receipt_note(order: Order, partial: bool, damaged: bool, said: str, issues: tuple[ReceiptIssue, ...]) -> str:
    """The note on the receipt: "部分收货；有破损；WP600 少货 ×2；AP500 破损 ×1；经销商原话：…" (the flags from the
    buttons or the lines, each line, the dealer's words as written); received whole: '' (or the words alone)."""
    checked = checked_issues(order, issues)
    flags = []
    if partial or any(i.kind == SHORT_GOODS for i in checked):
        flags.append(system_note("部分收货"))
    if damaged or any(i.kind == DAMAGED_GOODS for i in checked):
        flags.append(system_note("有破损"))
    words = said.strip()[:MAX_RECEIPT_WORDS]
    kept = [system_note("经销商原话", words)] if words and flags else [words] if words else []
    return "；".join(flags + [receipt_issue_text(i) for i in checked] + kept)
