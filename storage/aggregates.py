"""A new aggregate (a root and its child collections: an order with its lines and events) written past the ORM's
flush: one INSERT per table, ids RETURNING.

The ORM's add and flush (the unit-of-work sort, the flush hooks that walk every loaded object, a statement per
table through the session) cost about three times the statements themselves on a confirm (``bench/update_profile.py``:
``repository.add`` was a sixth of a cart + confirm). The objects then get their ids and are attached to the
session as if loaded (persistent, nothing pending, their JSON values remembered), so what follows in the unit
sees them as after a flush: a later change is an UPDATE with the version check.

Only for classes no flush hook has to see: not a cached kind (``storage.orm._bump_cache_versions``), not one with
an insert event (``Contact``'s phone index).
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Table, bindparam, insert
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import make_transient_to_detached

from storage.orm import snapshot_json

#: sends a statement with its parameters in the unit's transaction and gives its rows
WriteRows = Callable[[Any, dict[str, Any]], Awaitable[list[Any]]]

#: (column, attribute) pairs of a table's columns but its id
Columns = tuple[tuple[str, str], ...]
#: per child collection: (the collection's attribute, the child's table, its columns, the key to the root's id as
#: column and as attribute)
Children = tuple[tuple[str, Table, Columns, str, str], ...]


@functools.cache
def rows_insert(table: Table, count: int) -> Any:
    """``count`` rows of ``table`` in one INSERT, ids RETURNING; the values are bound parameters ``<column>_<n>``
    (built once per table and count, so the driver compiles it once)."""
    columns = [c for c in table.columns if c.name != "id"]
    rows = [{c: bindparam(f"{c.name}_{n}", type_=c.type) for c in columns} for n in range(count)]
    return insert(table).values(rows).returning(table.c.id)


@functools.cache
def shape(cls: type) -> tuple[Table, Columns, Children]:
    """The root's table and columns, and its child collections (read from the mapping once per class)."""
    mapper = sa_inspect(cls)

    def columns(m: Any, table: Table) -> Columns:
        return tuple((c.name, m.get_property_by_column(c).key) for c in table.columns if c.name != "id")

    children = []
    for rel in mapper.relationships:
        if not rel.uselist:
            continue
        ((_, remote),) = rel.local_remote_pairs
        child = rel.mapper
        children.append((rel.key, child.local_table, columns(child, child.local_table), remote.name,
                         child.get_property_by_column(remote).key))
    return mapper.local_table, columns(mapper, mapper.local_table), tuple(children)


async def insert_new(session: AsyncSession, obj: Any, write_rows: WriteRows) -> None:
    """Insert ``obj`` and its child collections (nothing of it in the database yet), then attach them to
    ``session`` as loaded. The caller flushed what was pending before (the writes before it go first)."""
    table, columns, children = shape(type(obj))
    if "version" in table.c and getattr(obj, "version", None) is None:
        obj.version = 1                 # as the ORM's version counter starts
    values = {f"{column}_0": getattr(obj, key) for column, key in columns}
    (obj.id,) = (await write_rows(rows_insert(table, 1), values))[0]
    for attribute, child_table, child_columns, _, parent_key in children:
        items = getattr(obj, attribute)
        if not items:
            continue
        for item in items:
            setattr(item, parent_key, obj.id)
        values = {f"{column}_{n}": getattr(item, key) for n, item in enumerate(items) for column, key in child_columns}
        # one INSERT's rows draw their ids from the sequence in the order of its VALUES
        ids = sorted(row[0] for row in await write_rows(rows_insert(child_table, len(items)), values))
        for item, id_ in zip(items, ids, strict=True):
            item.id = id_
            make_transient_to_detached(item)
    make_transient_to_detached(obj)
    session.add(obj)                    # persistent, its children by cascade, nothing to flush
    snapshot_json(obj)
