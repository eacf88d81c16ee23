"""One generic SQLAlchemy repository for every aggregate (implements ``core.ports.AbstractRepository``).

Filters follow the syntax documented in ``core.ports``: ``field=value``, ``field__in``, ``__gte``,
``__lte``, ``__gt``, ``__lt``, ``__ne``, ``__contains`` (case-insensitive substring). ``None`` compares
as SQL ``IS NULL``; ``__ne`` keeps NULL rows (as Python's ``!=`` does in the fake). Results are ordered
by ``order_by`` (default ``id``) with NULLs last ascending / first descending, then by ``id``, so pages
are stable and the order matches ``tests.fakes.FakeRepository``.

``add`` and ``delete`` flush at once so ids are set and constraint violations surface where the fake
would have them; a violation ends the unit of work (see ``storage.uow``).

Locking: ``get(..., for_update=True)`` / ``get_by(..., for_update=True)`` emit ``SELECT ... FOR UPDATE``
on PostgreSQL and re-read the row even if the session already holds it. SQLite has no row locks; there
the repository first takes the database write lock (a no-op UPDATE) so the read and the later write
happen under one lock, which serializes concurrent reservations just the same.
"""

from __future__ import annotations

import builtins
import functools
import operator
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import (
    Column,
    ColumnElement,
    String,
    Table,
    bindparam,
    cast,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from core.ports import AbstractRepository
from storage.orm import TABLES
from storage.types import EncryptedJSON, EncryptedString, JSONValue

T = TypeVar("T")

_LIKE_ESCAPE = "\\"
_COMPARISONS = {"gte": operator.ge, "lte": operator.le, "gt": operator.gt, "lt": operator.lt}


def _like_pattern(value: Any) -> str:
    raw = str(value)
    for ch in (_LIKE_ESCAPE, "%", "_"):
        raw = raw.replace(ch, _LIKE_ESCAPE + ch)
    return f"%{raw}%"


#: a filter shape: (name__op, value is None) per filter, in the order given
Shape = tuple[tuple[str, bool], ...]
_STATEMENTS: dict[tuple[Any, ...], Any] = {}
_MAX_STATEMENTS = 4096


def _shape(filters: dict[str, Any]) -> tuple[Shape, dict[str, Any]]:
    """The shape of ``filters`` and the parameters that fill it (``in``: a list; ``contains``: the LIKE pattern)."""
    shape: list[tuple[str, bool]] = []
    params: dict[str, Any] = {}
    for n, (key, value) in enumerate(filters.items()):
        shape.append((key, value is None))
        if value is None:
            continue
        op = key.partition("__")[2]
        params[f"f{n}"] = list(value) if op == "in" else _like_pattern(value) if op == "contains" else value
    return tuple(shape), params


@functools.cache
def _one_row_options(cls: type) -> tuple[Any, ...]:
    """Loader options for reading ONE object: its child collections joined into the same statement (the mapping
    loads them ``selectin``, one statement per collection, which suits lists of many objects)."""
    return tuple(joinedload(getattr(cls, r.key)) for r in sa_inspect(cls).relationships if r.uselist)


class SqlAlchemyRepository(AbstractRepository[T], Generic[T]):
    def __init__(self, session: AsyncSession, cls: type[T], *, flush: Any = None) -> None:
        self.session = session
        self.cls = cls
        self.table: Table = TABLES[cls]
        # the unit of work passes its flush so errors are translated in one place
        self._flush = flush or session.flush

    # --- writes ---------------------------------------------------------------------------------------

    async def add(self, obj: T) -> T:
        self.session.add(obj)
        await self._flush()
        return obj

    async def add_all(self, objs: Sequence[T]) -> builtins.list[T]:
        """One flush for all: SQLAlchemy sends one INSERT for the lot (``insertmanyvalues``, ids RETURNING)."""
        self.session.add_all(objs)
        await self._flush()
        return builtins.list(objs)

    async def delete(self, obj: T) -> None:
        await self.session.delete(obj)
        await self._flush()

    async def delete_where(self, **filters: Any) -> int:
        if not filters:
            raise ValueError("delete_where needs at least one filter")
        stmt = delete(self.table).where(*self._conditions(filters)).execution_options(synchronize_session=False)
        result = await self.session.execute(stmt)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def update_where(self, values: dict[str, Any], **filters: Any) -> int:
        stmt, params = self.update_statement(values, **filters)
        result = await self.session.execute(stmt, params)
        return int(result.rowcount or 0)  # type: ignore[attr-defined]

    def update_statement(self, values: dict[str, Any], **filters: Any) -> tuple[Any, dict[str, Any]]:
        """``update_where``'s statement (built once per shape and columns) and its parameters."""
        if not filters:
            raise ValueError("update_where needs at least one filter")
        shape, params = _shape(filters)
        names = tuple(values)
        stmt = self._statement(("update_where", shape, names), lambda: self._update_statement(shape, names))
        params.update({f"v_{name}": value for name, value in values.items()})
        return stmt, params

    def _update_statement(self, shape: Shape, names: tuple[str, ...]) -> Any:
        """Built once per shape and set of columns, like the reads (a dialog written back at every message built
        its UPDATE afresh each time); the new values are bound parameters ``v_<column>``."""
        columns = {name: self._column(name) for name in names}
        return (update(self.table).where(*self._shaped(shape))
                .values({column: bindparam(f"v_{name}", type_=column.type) for name, column in columns.items()})
                .execution_options(synchronize_session=False))

    # --- reads ----------------------------------------------------------------------------------------

    async def get(self, id: int, *, for_update: bool = False) -> T | None:
        if for_update:
            return await self.get_by(for_update=True, id=id)
        return await self.session.get(self.cls, id, options=_one_row_options(self.cls))

    async def get_by(self, *, for_update: bool = False, **filters: Any) -> T | None:
        shape, params = _shape(filters)
        stmt = self._statement(("get_by", shape, for_update), lambda: self._get_by_statement(shape, for_update))
        if for_update:
            await self._lock_sqlite()
        found = (await self.session.scalars(stmt, params)).unique().all()
        if len(found) > 1:
            raise LookupError(f"more than one {self.cls.__name__} matches {filters}")
        return found[0] if found else None

    def _get_by_statement(self, shape: Shape, for_update: bool) -> Any:
        stmt = select(self.cls).where(*self._shaped(shape)).order_by(self.table.c.id)
        joined = _one_row_options(self.cls)
        # one object with its child collections in one statement (joined); LIMIT 2 (enough to see a second match)
        # only where nothing is joined: a LIMIT would have to wrap the joined query in a subquery
        stmt = stmt.options(*joined) if joined else stmt.limit(2)
        if for_update:
            # OF the aggregate's table: PostgreSQL locks no row on the nullable side of an outer join
            stmt = stmt.with_for_update(of=self.table).execution_options(populate_existing=True)
        return stmt

    async def list(
        self,
        *,
        order_by: str | None = None,
        desc: bool = False,
        limit: int | None = None,
        offset: int = 0,
        **filters: Any,
    ) -> builtins.list[T]:
        shape, params = _shape(filters)
        stmt = self._statement(("list", shape, order_by, desc, limit, offset),
                               lambda: self._list_statement(shape, order_by, desc, limit, offset))
        return builtins.list((await self.session.scalars(stmt, params)).all())

    def _list_statement(self, shape: Shape, order_by: str | None, desc: bool, limit: int | None, offset: int) -> Any:
        column = self._column(order_by or "id")
        order = column.desc().nulls_first() if desc else column.asc().nulls_last()
        stmt = select(self.cls).where(*self._shaped(shape)).order_by(order)
        if column.key != "id":
            stmt = stmt.order_by(self.table.c.id.desc() if desc else self.table.c.id.asc())
        if offset:
            stmt = stmt.offset(offset)
        if limit is not None:
            stmt = stmt.limit(limit)
        return stmt

    async def count(self, **filters: Any) -> int:
        shape, params = _shape(filters)
        stmt = self._statement(("count", shape), lambda: select(func.count()).select_from(self.table)
                               .where(*self._shaped(shape)))
        return int((await self.session.execute(stmt, params)).scalar_one())

    def _statement(self, key: tuple[Any, ...], build: Any) -> Any:
        """The statement of this read's shape, built once per process: building a select and its conditions
        again for every read cost more CPU than running it (a profile of confirming an order: 17%). The
        values go in as bound parameters; a shape is the filter names, which values are None, the order and
        the paging."""
        full = (self.cls, *key)
        stmt = _STATEMENTS.get(full)
        if stmt is None:
            if len(_STATEMENTS) >= _MAX_STATEMENTS:
                _STATEMENTS.clear()
            stmt = _STATEMENTS[full] = build()
        return stmt

    # --- filter syntax --------------------------------------------------------------------------------

    def _column(self, name: str) -> Column[Any]:
        column = self.table.c.get(name)
        if column is None or name == "phone_hash":
            raise ValueError(f"{self.cls.__name__} has no column {name!r} to filter or sort on")
        return column

    def _shaped(self, shape: Shape) -> builtins.list[ColumnElement[bool]]:
        """The conditions of a filter shape (``_shape``), each value a bound parameter ``f<n>``."""
        conditions: builtins.list[ColumnElement[bool]] = []
        for n, (key, is_none) in enumerate(shape):
            name, _, op = key.partition("__")
            column = self._column(name)
            if isinstance(column.type, EncryptedString | EncryptedJSON) and not (op in ("", "ne") and is_none):
                raise ValueError(f"{name} is encrypted and cannot be searched")
            if is_none:
                conditions.append(self._condition(column, op, None))
            elif op == "in":
                conditions.append(column.in_(bindparam(f"f{n}", type_=column.type, expanding=True)))
            elif op == "contains":
                target: Any = cast(column, String) if isinstance(column.type, JSONValue) else column
                conditions.append(target.ilike(bindparam(f"f{n}", type_=String()), escape=_LIKE_ESCAPE))
            else:
                conditions.append(self._condition(column, op, bindparam(f"f{n}", type_=column.type)))
        return conditions

    def _conditions(self, filters: dict[str, Any]) -> builtins.list[ColumnElement[bool]]:
        conditions: builtins.list[ColumnElement[bool]] = []
        for key, value in filters.items():
            name, _, op = key.partition("__")
            column = self._column(name)
            if isinstance(column.type, EncryptedString | EncryptedJSON) and not (op in ("", "ne") and value is None):
                # ciphertexts are randomised: SQL cannot compare them (contacts: find_contact_by_phone)
                raise ValueError(f"{name} is encrypted and cannot be searched")
            conditions.append(self._condition(column, op, value))
        return conditions

    @staticmethod
    def _condition(column: Column[Any], op: str, value: Any) -> ColumnElement[bool]:
        if op == "":
            return column.is_(None) if value is None else column == value
        if op == "ne":
            if value is None:
                return column.is_not(None)
            return or_(column != value, column.is_(None)) if column.nullable else column != value
        if op == "in":
            return column.in_(list(value))
        if op in _COMPARISONS:
            compared: ColumnElement[bool] = _COMPARISONS[op](column, value)
            return compared
        if op == "contains":
            target: Any = cast(column, String) if isinstance(column.type, JSONValue) else column
            matched: ColumnElement[bool] = target.ilike(_like_pattern(value), escape=_LIKE_ESCAPE)
            return matched
        raise ValueError(f"unknown filter operator __{op}")

    async def _lock_sqlite(self) -> None:
        bind = self.session.get_bind()
        if bind.dialect.name == "sqlite":
            # any write statement makes SQLite take the database write lock for the rest of the
            # transaction; this one changes nothing
            await self.session.execute(text("UPDATE sequences SET value = value WHERE 1 = 0"))
