"""Money: CNY as Decimal with 2 places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from core.errors import ValidationFailed

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money(value: Decimal | int | str) -> Decimal:
    """Parse and round to cents (half up). Floats are refused: they are not money."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError) as exc:
        raise ValidationFailed.because(f"金额格式错误：{value!r}", f"bad amount: {value!r}") from exc


def fmt_cny(value: Decimal) -> str:
    """¥12,345.60"""
    return f"¥{money(value):,.2f}"
