"""Column types that keep the domain's promises on both SQLite and PostgreSQL.

- :class:`Money` / :class:`ExactDecimal`: ``NUMERIC(p, s)`` on PostgreSQL; on SQLite (no decimal type)
  a scaled ``BIGINT`` (cents for money) so sums stay exact. Always returns ``Decimal`` with ``s`` places;
  floats are refused.
- :class:`UTCDateTime`: stores UTC, returns timezone-aware UTC datetimes (SQLite would lose the zone);
  naive datetimes are refused.
- :class:`EncryptedString`: Fernet-encrypted text (see ``storage.encryption``).
- :class:`StrEnumType`: an enum stored as its string value, returned as the enum member.
- :class:`JSONValue`: lists/dicts of value objects stored as JSON and rebuilt as the annotated Python
  types (``list[SalesTarget]`` comes back as ``SalesTarget`` objects with ``Decimal`` values).
- :class:`EncryptedJSON`: a :class:`JSONValue` whose JSON text is Fernet-encrypted (TEXT column).

Raw SQL (``text()``) bypasses these types: on SQLite a money column then reads as integer cents.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Numeric, String, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from storage import encryption


class ExactDecimal(TypeDecorator[Decimal]):
    """Exact decimal with ``scale`` places: NUMERIC on PostgreSQL, scaled BIGINT on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 16, scale: int = 2) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision = precision
        self.scale = scale
        self._quantum = Decimal(1).scaleb(-scale)
        self._factor = Decimal(10) ** scale

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def _quantize(self, value: Any) -> Decimal:
        if isinstance(value, float):
            raise TypeError("decimal columns refuse floats: use Decimal (core.money.money())")
        return Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        exact = self._quantize(value)
        if dialect.name == "sqlite":
            return int(exact * self._factor)
        return exact

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            if isinstance(value, float):  # AVG() and friends on the integer column
                value = Decimal(repr(value))
            return (Decimal(value) / self._factor).quantize(self._quantum, rounding=ROUND_HALF_UP)
        return self._quantize(value if not isinstance(value, float) else repr(value))

    @property
    def python_type(self) -> type[Decimal]:
        return Decimal


class Money(ExactDecimal):
    """CNY amount: NUMERIC(16, 2) on PostgreSQL, integer cents on SQLite; always Decimal with 2 places."""

    cache_ok = True

    def __init__(self) -> None:
        super().__init__(precision=16, scale=2)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetime stored in UTC (``timestamptz`` on PostgreSQL, naive UTC text on SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime, got {type(value).__name__}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime refused: times must be timezone-aware (core.clock.Clock)")
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # raw SQLite text, e.g. from a func.max() without a type
        moment: datetime = datetime.fromisoformat(value) if isinstance(value, str) else value
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)

    @property
    def python_type(self) -> type[datetime]:
        return datetime


class EncryptedString(TypeDecorator[str]):
    """Personal data, Fernet-encrypted at rest. Not searchable: use a blind-index column for lookups."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encryption.encrypt(str(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return encryption.decrypt(value)

    @property
    def python_type(self) -> type[str]:
        return str


class StrEnumType(TypeDecorator[Any]):
    """An enum stored as its value in a VARCHAR; returned as the enum member.

    Binding accepts the member or its string value, so ``repo.list(status="submitted")`` and
    ``repo.list(status=OrderStatus.SUBMITTED)`` are the same query. ``enum_class=None`` (as rendered in
    migrations) is a plain string.
    """

    impl = String(32)
    cache_ok = True

    def __init__(self, enum_class: type[Enum] | None = None, length: int = 32) -> None:
        super().__init__(length)
        self.enum_class = enum_class
        self.length = length

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        if self.enum_class is None:
            return str(value.value if isinstance(value, Enum) else value)
        member = value if isinstance(value, self.enum_class) else self.enum_class(value)
        return str(member.value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None or self.enum_class is None:
            return value
        return self.enum_class(value)

    @property
    def python_type(self) -> type[Any]:
        return self.enum_class or str


# --- JSON value objects --------------------------------------------------------------------------------


def to_json(value: Any) -> Any:
    """Dataclasses, Decimal, dates, enums, tuples/sets -> plain JSON data (Decimal as an exact string)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [to_json(v) for v in value]
    if isinstance(value, float):
        return value
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(data: Any, hint: Any) -> Any:
    """Rebuild ``data`` (plain JSON) as ``hint`` (``list[SalesTarget]``, ``dict[str, Any]``, ``Decimal`` ...)."""
    if data is None or hint is Any:
        return data
    origin = typing.get_origin(hint)
    if origin is list:
        (item,) = typing.get_args(hint) or (Any,)
        return [from_json(v, item) for v in data]
    if origin is dict:
        _, item = typing.get_args(hint) or (str, Any)
        return {k: from_json(v, item) for k, v in data.items()}
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        return from_json(data, options[0]) if len(options) == 1 else data
    if isinstance(hint, type):
        if dataclasses.is_dataclass(hint):
            hints = _hints(hint)
            kwargs = {f.name: from_json(data[f.name], hints[f.name])
                      for f in dataclasses.fields(hint) if f.name in data}
            return hint(**kwargs)
        if issubclass(hint, Enum):
            return hint(data)
        if hint is Decimal:
            return Decimal(str(data))
        if hint is datetime:
            return datetime.fromisoformat(data)
        if hint is date:
            return date.fromisoformat(data)
    return data


class JSONValue(TypeDecorator[Any]):
    """JSON column holding ``value_type`` (e.g. ``list[SalesTarget]``), converted both ways.

    In-place changes (``order.approval_reasons.append(...)``) are detected at flush by ``storage.orm``,
    which compares each loaded JSON attribute with a snapshot taken when the row was loaded.
    """

    impl: type[TypeEngine[Any]] = JSON          # EncryptedJSON stores TEXT
    cache_ok = True

    def __init__(self, value_type: Any = Any) -> None:
        super().__init__()
        self.value_type = value_type

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else to_json(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else from_json(value, self.value_type)


FERNET_PREFIX = "gAAAAA"
"""How every Fernet token starts (version byte 0x80 + a 64-bit timestamp, base64url): JSON text never does."""


def is_fernet_token(value: str) -> bool:
    return value.startswith(FERNET_PREFIX)


def dumps_json(data: Any) -> str:
    """The JSON text JSONValue columns get from the engine (``storage.engine``): Chinese kept, compact."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class EncryptedJSON(JSONValue):
    """A :class:`JSONValue` encrypted at rest: converted as JSONValue does, serialised, Fernet-encrypted,
    stored as TEXT (outbox params hold names, phones and whole chat replies).

    Reads also accept plain JSON text (a row from before the column was encrypted: migration 0008 leaves
    rows as they were when it ran without keys); the next write of the value, or ``dms keys rotate``,
    encrypts it. Being a JSONValue, in-place changes are detected like those of the plain JSON columns.
    Not searchable.
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else encryption.encrypt(dumps_json(to_json(value)))

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            value = json.loads(encryption.decrypt(value) if is_fernet_token(value) else value)
        return from_json(value, self.value_type)
