"""Request and response bodies of the REST API (``*Public`` out, ``*Upsert`` / commands in).

Money crosses the wire as a string with two decimals (``"123.40"``), never a JSON float.
Money may come in as a string or an integer; a JSON number with at most two decimals is accepted
through its shortest text form (``123.4`` -> ``Decimal("123.4")``), so no float arithmetic happens.
"""

from __future__ import annotations

import datetime as dt
import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StrictBool,
    WithJsonSchema,
    field_validator,
)

from core.errors import ValidationFailed
from core.money import money
from core.products import DEFAULT_LINE_CAP_PACKS, LINE_QTY_CEILING
from core.sellout import CustomerType

T = TypeVar("T")

MONEY_PATTERN = r"^-?\d{1,15}(\.\d{1,2})?$"
MONEY_LIMIT = Decimal(10) ** 15
NUMBER_LIMIT = Decimal(10) ** 12
"""Amounts stay below this (15 integer digits): more is a typo, and beyond 28 digits Decimal fails."""


def _parse_money(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("money must be a string like \"123.40\"")
    json_number = isinstance(value, int | float)
    if isinstance(value, float):
        value = repr(value)         # shortest text that round-trips: what the client wrote
    if isinstance(value, Decimal | int | str):
        text = str(value).strip()
        try:
            parsed = Decimal(text)
        except ArithmeticError as exc:
            raise ValueError(f"bad amount {text!r}") from exc
        if not parsed.is_finite():
            raise ValueError(f"bad amount {text!r}")
        # schemathesis: 34-digit prices reached the use case; JSON numbers are documented up to 1e12
        if abs(parsed) >= MONEY_LIMIT or (json_number and abs(parsed) > NUMBER_LIMIT):
            raise ValueError(f"amount too large: {text!r}")
        exponent = parsed.as_tuple().exponent
        if isinstance(exponent, int) and exponent < -2:
            raise ValueError(f"at most 2 decimals: {text!r}")
        try:
            return money(parsed)
        except ValidationFailed as exc:
            raise ValueError(exc.message("en")) from exc
    raise ValueError("money must be a string like \"123.40\"")


MAX_QTY = 1_000_000_000
"""Upper bound of quantities on the wire: fits a 32-bit INTEGER column on every database."""


def _json_int(value: Any) -> Any:
    """A JSON integer (``3`` or ``3.0``), never ``true`` or ``"3"``, as the schema says ``integer``."""
    if isinstance(value, bool | str):
        raise ValueError("must be an integer")
    return value


JsonInt = Annotated[int, BeforeValidator(_json_int)]


def _format_money(value: Decimal) -> str:
    return f"{money(value):.2f}"


Money = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    PlainSerializer(_format_money, return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["123.40"]}, mode="serialization"),
    # what _parse_money takes, documented as such (schemathesis: a JSON number was accepted yet undocumented)
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": MONEY_PATTERN}, {"type": "number", "multipleOf": 0.01,
                                                                                   "minimum": -1e12, "maximum": 1e12}],
                    "examples": ["123.40"]}, mode="validation"),
]
"""CNY with two decimals; a string on the wire."""


def _not_negative(value: Decimal) -> Decimal:
    if value < 0:
        raise ValueError("must not be negative")
    return value


Price = Annotated[
    Decimal,
    BeforeValidator(_parse_money),
    AfterValidator(_not_negative),
    PlainSerializer(_format_money, return_type=str),
    WithJsonSchema({"type": "string", "pattern": MONEY_PATTERN, "examples": ["123.40"]}, mode="serialization"),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^\d{1,15}(\.\d{1,2})?$"},
                              {"type": "number", "multipleOf": 0.01, "minimum": 0,
                               "maximum": 1e12}],
                    "examples": ["123.40"]}, mode="validation"),
]
"""Money that may not be negative (a list price)."""

Text = Annotated[str, Field(pattern=r"\S")]
"""Text with at least one visible character (the use cases strip and refuse blank values)."""


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: object) -> object:
    """Only ``YYYY-MM-DD`` text (or a date): pydantic alone would read ``0`` as 1970-01-01 (found by schemathesis
    in a query and in a body), which the schema (``type: string, format: date``) does not allow."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value.strip()):
        raise ValueError("must be a date YYYY-MM-DD")
    return value


IsoDay = Annotated[dt.date, BeforeValidator(_iso_day)]
"""A day in a query or a body, exactly as its schema says."""


class ErrorBody(BaseModel):
    error: str = Field(description="stable machine code, e.g. not_found, invalid_transition")
    message: str = Field(description="human message, zh-CN unless Accept-Language prefers en")
    message_en: str = Field(description="the same message in English")
    detail: list[dict[str, Any]] | None = Field(default=None, description="validation errors only: one per field")


class Page(BaseModel, Generic[T]):
    """The list envelope used by every collection endpoint."""

    items: list[T]
    total: int = Field(description="number of matching items without limit/offset")
    limit: int
    offset: int


# --- dealers -----------------------------------------------------------------------------

class DealerPublic(BaseModel):
    """A dealer as ERP/CRM see it: company facts only, never contacts or other personal data."""

    code: str = Field(examples=["D0001"])
    name: str
    tier: str = Field(examples=["A"])
    region: str = Field(examples=["华东"])
    province: str
    city: str
    status: str = Field(examples=["active"])
    parent: str | None = Field(default=None, description="code of the parent dealer (multi-level channel)")


# --- products ----------------------------------------------------------------------------

class ProductPublic(BaseModel):
    sku: str = Field(examples=["AP300"])
    name: str
    category: str
    unit: str = Field(examples=["台"])
    list_price: Money
    aliases: list[str] = []
    pack_size: int
    moq: int
    active: bool
    max_line_qty: int | None = Field(default=None, description="the product's own per-line maximum; null: default")
    line_limit: int = Field(description="most units one order line may hold: max_line_qty, else pack_size x "
                                        f"{DEFAULT_LINE_CAP_PACKS} up to {LINE_QTY_CEILING}")


class ProductUpsert(BaseModel):
    """Create or replace the product with the SKU of the URL."""

    model_config = ConfigDict(extra="forbid")

    # limits as the catalogue use case checks them after stripping (schemathesis: 17..20-char units refused)
    name: Text = Field(min_length=1, max_length=200)
    category: Text = Field(min_length=1, max_length=64)
    unit: Text = Field(min_length=1, max_length=16)
    list_price: Price
    aliases: list[str] = []
    # strict: pydantic would otherwise take 0 for False and "1" for 1 (found by schemathesis)
    # bounded: a 64-bit moq overflowed the INTEGER column into a 500 (found by schemathesis)
    pack_size: JsonInt = Field(default=1, ge=1, le=MAX_QTY)
    moq: JsonInt = Field(default=1, ge=1, le=LINE_QTY_CEILING)     # above it no order line could hold it
    active: StrictBool = True
    # the bounds before the validator: after it pydantic writes them as unknown "ge"/"le" keywords
    max_line_qty: Annotated[int, Field(ge=1, le=LINE_QTY_CEILING), BeforeValidator(_json_int)] | None = Field(
        default=None, description="most units on one order line (not below moq); null or absent: the default")


# --- stock -------------------------------------------------------------------------------

class StockPublic(BaseModel):
    """Stock of one SKU in one maker warehouse."""

    warehouse: str = Field(description="warehouse code")
    sku: str
    on_hand: int
    reserved: int
    available: int
    updated_at: datetime | None = None


class StockSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    on_hand: JsonInt = Field(ge=0, le=MAX_QTY, description="counted quantity on hand (replaces the current figure)")


class DealerStockPublic(BaseModel):
    """What a dealer last reported to hold of one SKU."""

    dealer: str
    sku: str
    qty: int
    reported_at: datetime | None = None


# --- orders ------------------------------------------------------------------------------

class OrderLinePublic(BaseModel):
    sku: str
    name: str = ""
    qty: int
    unit_price: Money
    discount: Money = Decimal("0.00")
    free_qty: int = 0
    amount: Money


class OrderPublic(BaseModel):
    number: str = Field(examples=["SO-20261126-0007"])
    dealer: str = Field(description="dealer code")
    status: str = Field(examples=["submitted"])
    lines: list[OrderLinePublic]
    total: Money
    created_at: datetime | None = None
    updated_at: datetime | None = None
    requested_delivery: date | None = None
    carrier: str | None = None
    tracking_no: str | None = None
    reject_reason: str | None = None


class OrderLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f]+$", examples=["AP300"])
    qty: JsonInt = Field(ge=1, le=LINE_QTY_CEILING, examples=[10])


class OrderCreate(BaseModel):
    """An order for a dealer, priced and checked exactly as the chat's confirm does (``core.services.orders``)."""

    model_config = ConfigDict(extra="forbid")

    dealer: str = Field(min_length=1, max_length=32, pattern=r"^[^\x00-\x1f\x7f]+$", description="dealer code",
                        examples=["D0001"])
    lines: list[OrderLineCreate] = Field(min_length=1, max_length=200)
    delivery_date: IsoDay | None = Field(default=None, description="requested delivery day, after today and "
                                                                      "within 180 days")
    note: str = Field(default="", max_length=500)


class OrderCheckPublic(BaseModel):
    """One check of the order (the chat's 检查结果): ``ok`` false and ``blocking`` true refuses an order."""

    code: str = Field(examples=["moq"])
    ok: bool
    blocking: bool
    sku: str | None = None
    message: str
    message_en: str


class OrderPromotionPublic(BaseModel):
    code: str
    name: str
    discount: Money
    free_units: int = 0


class OrderCreated(OrderPublic):
    """The order as submitted, with the checks and promotions of its pricing and why it waits for approval."""

    checks: list[OrderCheckPublic]
    promotions: list[OrderPromotionPublic]
    approval_reasons: list[str] = Field(description="empty: no extra approval needed (e.g. credit_shortfall)")
    on_behalf: bool = Field(description="placed by the maker's key for the dealer (代客下单)")


OrderAction = Literal["approve", "reject", "allocate", "ship", "receive", "close", "cancel"]


class OrderStatusChange(BaseModel):
    """One step of the order state machine. ``ship`` needs carrier and tracking_no; ``reject`` a reason."""

    model_config = ConfigDict(extra="forbid")

    action: OrderAction
    reason: str | None = Field(default=None, max_length=500)
    carrier: str | None = Field(default=None, max_length=100)
    tracking_no: str | None = Field(default=None, max_length=100)
    over_limit: bool = Field(default=False, description="approve: book what the dealer's funds do not cover on "
                             "credit past its limit (else 422 over_credit_limit, nothing written)")


# --- sell-out ----------------------------------------------------------------------------

class SellOutRow(BaseModel):
    """One line of what a dealer sold to its customers.

    The types are what spreadsheets produce (dates as ``YYYY-MM-DD`` / ``YYYY/MM/DD``, quantities and
    amounts as numbers or strings) and are checked exactly: a value of another JSON type (a number for the
    SKU, ``true`` for the quantity) refuses the whole batch with 422. The values are then checked row by
    row by the sell-out use case: a bad row is reported in ``errors`` and the good rows are still stored.
    """

    model_config = ConfigDict(extra="forbid")

    dealer: str = Field(min_length=1, description="dealer code", examples=["D0001"])
    date: dt.date | str = Field(description="sale date, YYYY-MM-DD, not in the future", examples=["2026-11-20"])
    sku: str = Field(min_length=1, examples=["AP300"])
    qty: int | str = Field(description="units sold, > 0", examples=[2])
    amount: str | int = Field(description="CNY as a string with at most 2 decimals", examples=["3998.00"])
    province: str = Field(default="", description="empty: the dealer's province", examples=["浙江"])
    city: str = Field(default="", description="empty: the dealer's city", examples=["杭州"])
    customer_type: str = Field(default=CustomerType.RETAIL.value,
                               description="retail | project | online | subdealer (or 零售/工程/电商/分销)")

    @field_validator("date", "qty", "amount", mode="before")
    @classmethod
    def _exact_json_type(cls, value: object) -> object:
        """No coercion the schema does not show: ``true`` is not the integer 1, a number is not a date."""
        if isinstance(value, bool):
            raise ValueError("a boolean is not allowed here")
        return value

    @field_validator("date", mode="before")
    @classmethod
    def _date_is_text(cls, value: object) -> object:
        if not isinstance(value, str | dt.date):
            raise ValueError("a date as text, YYYY-MM-DD")
        return value


class SellOutLinePublic(BaseModel):
    dealer: str
    date: dt.date
    sku: str
    qty: int
    amount: Money
    province: str
    city: str
    customer_type: str
    reported_at: datetime | None = None


class SellOutRowError(BaseModel):
    row: int = Field(description="0-based index of the row in the request")
    error: str = Field(description="reason, zh-CN unless Accept-Language prefers en")
    error_en: str = Field(description="the same reason in English")


class SellOutResult(BaseModel):
    accepted: int
    errors: list[SellOutRowError]
