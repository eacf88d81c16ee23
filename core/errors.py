"""Domain errors. Every error carries a user-facing message in zh-CN and en.

Tree::

    DomainError
    ├── NotFound                 a thing does not exist (or the actor may not know it exists)
    ├── PermissionDenied         the actor may not do this
    ├── ValidationFailed         input is malformed (bad USCC, negative quantity, bad file row)
    │   ├── IdempotencyKeyReused an API Idempotency-Key sent again with a different request
    │   └── NotWholePacks        pieces or dozens of a product sold by the box that make no whole box
    ├── InvalidTransition        a state machine refuses the move (cancel a shipped order)
    ├── Conflict                 duplicate key, concurrent decision already taken
    │   ├── IdempotencyKeyInUse  the request holding this Idempotency-Key has not finished
    │   └── StockBelowReserved   on hand set or adjusted below what orders have reserved
    └── BusinessRuleViolation    a rule of the trade says no
        ├── CreditExceeded       order total above available credit / prepayment
        │   └── OverCreditLimit  approving would take credit past the limit and "approve over limit" was not said
        ├── BelowMinimumOrder    quantity below the product's MOQ
        ├── QuantityOutOfRange   a line's quantity below 1 or above the product's per-line maximum
        ├── SkuNotAllowed        dealer may not buy this SKU
        ├── InsufficientStock    not enough available stock to reserve
        └── DealerNotActive      dealer suspended/terminated or required documents missing
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of all domain errors.

    ``zh`` and ``en`` are templates formatted with ``params``; ``code`` is stable for APIs.
    """

    code = "domain_error"
    zh = "操作失败"
    en = "The operation failed"

    def __init__(self, zh: str | None = None, en: str | None = None, **params: Any) -> None:
        if zh is not None:
            self.zh = zh
        if en is not None:
            self.en = en
        self.params = params
        super().__init__(self.message("en"))

    def message(self, lang: str = "zh") -> str:
        template = self.en if lang.lower().startswith("en") else self.zh
        try:
            return template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return template


class NotFound(DomainError):
    code = "not_found"
    zh = "未找到：{what}"
    en = "Not found: {what}"


class PermissionDenied(DomainError):
    code = "permission_denied"
    zh = "您没有权限执行此操作"
    en = "You are not allowed to do this"


class ValidationFailed(DomainError):
    code = "validation_failed"
    zh = "输入有误：{reason}"
    en = "Invalid input: {reason}"

    @classmethod
    def because(cls, zh: str, en: str) -> ValidationFailed:
        """Invalid input, the reason worded once per language (each reader sees one):
        ``ValidationFailed.because("订单没有商品", "the order has no items")``. ``params["reason"]`` is the English."""
        return cls(zh="输入有误：" + _literal(zh), en="Invalid input: " + _literal(en), reason=en)


def _literal(text: str) -> str:
    """``text`` as a template that formats to itself (it may quote what was typed, braces included)."""
    return text.replace("{", "{{").replace("}", "}}")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    zh = "当前状态“{current}”不能执行“{action}”"
    en = "Cannot {action} while the status is {current}"


class Conflict(DomainError):
    code = "conflict"
    zh = "操作冲突：{reason}"
    en = "Conflict: {reason}"


class IdempotencyKeyReused(ValidationFailed):
    code = "idempotency_key_reused"
    zh = "幂等键 {key} 已用于另一个请求（接口或请求内容不同）；新的请求请使用新的 Idempotency-Key"
    en = "The Idempotency-Key {key} was already used for a different request (endpoint or body); use a new key"


class IdempotencyKeyInUse(Conflict):
    code = "idempotency_key_in_use"
    zh = "使用幂等键 {key} 的请求仍在处理中，请稍后重试"
    en = "A request with the Idempotency-Key {key} is still being processed; retry later"


class StockBelowReserved(Conflict):
    """A valid quantity that clashes with the state of the stock row: orders hold more than it. A conflict
    (409), not bad input: the same request succeeds once the reservations are shipped or released."""

    code = "stock_below_reserved"
    zh = "{sku}：在库数 {on_hand} 不能低于已被订单预留的 {reserved}（规则：在库数 ≥ 已预留）"
    en = "{sku}: on hand {on_hand} cannot be below the {reserved} reserved by orders (rule: on hand >= reserved)"


class NotWholePacks(ValidationFailed):
    code = "not_whole_packs"
    zh = "{name} 按{unit}销售（每{unit} {pack_size} 件），{written} 不是整{unit}"
    en = "{name} is sold by the {unit} of {pack_size}; {written} is not a whole number of them"


class BusinessRuleViolation(DomainError):
    code = "business_rule"
    zh = "不符合业务规则：{reason}"
    en = "Not allowed by business rules: {reason}"


class CreditExceeded(BusinessRuleViolation):
    code = "credit_exceeded"
    zh = "订单金额 ¥{total} 超出可用额度 ¥{available}"
    en = "Order total CNY {total} exceeds the available funds CNY {available}"


class OverCreditLimit(CreditExceeded):
    """Approving would book ``overdraft`` on credit past the dealer's limit; the approver has to say so."""

    code = "over_credit_limit"
    zh = "订单 {number} 超出可用资金 ¥{overdraft}：通过将使信用额度透支 ¥{overdraft}，请确认“超额度通过”"
    en = ("Order {number} is CNY {overdraft} above the available funds: approving overdraws credit by "
          "CNY {overdraft}; confirm \"approve over limit\"")


class BelowMinimumOrder(BusinessRuleViolation):
    code = "below_moq"
    zh = "{sku} 起订量为 {moq}，当前 {qty}"
    en = "{sku} has a minimum order quantity of {moq}; you ordered {qty}"


class QuantityOutOfRange(BusinessRuleViolation):
    """``params``: ``sku``, ``qty`` and ``limit`` (``core.products.line_limit``) of the first refused line."""

    code = "qty_out_of_range"
    zh = "{sku} 数量须在 1 到 {limit} 之间，当前 {qty}"
    en = "{sku}: the quantity must be 1 to {limit}, you ordered {qty}"


class SkuNotAllowed(BusinessRuleViolation):
    code = "sku_not_allowed"
    zh = "您的经销协议不包含产品 {sku}"
    en = "Product {sku} is not in your dealer agreement"


class InsufficientStock(BusinessRuleViolation):
    code = "insufficient_stock"
    zh = "{sku} 库存不足：可用 {available}，需要 {qty}"
    en = "Not enough {sku} in stock: {available} available, {qty} needed"


class DealerNotActive(BusinessRuleViolation):
    code = "dealer_not_active"
    zh = "经销商当前不能下单：{reason}"
    en = "The dealer cannot order now: {reason}"
