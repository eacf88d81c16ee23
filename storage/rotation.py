"""Finishing a key rotation: re-encrypt every stored personal-data value with the current first key.

Rotation, step by step: generate a key (``dms keygen``), put it *first* in ``DMS_DATA_ENCRYPTION_KEYS``
and keep the old ones (everything stays readable, new writes use the new key), run
:func:`reencrypt_personal_data`, then drop the old keys. The phone blind index does not change as long
as the key it is derived from (the last one) stays configured or is passed as ``index_key`` (see
``storage.encryption.configure_encryption``).

Covered: every :class:`~storage.types.EncryptedString` column and every
:class:`~storage.types.EncryptedJSON` column (the outbox params); plain JSON text still in an EncryptedJSON
column (rows migrated without keys) is encrypted on the way.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Text, bindparam, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.encryption import encrypt, reencrypt
from storage.orm import metadata
from storage.types import EncryptedJSON, EncryptedString, is_fernet_token


def _rewritten(value: str | None, column_type: object) -> str | None:
    if value is None:
        return None
    if isinstance(column_type, EncryptedJSON) and not is_fernet_token(value):
        return encrypt(value)           # plain JSON left by a migration that ran without keys
    return reencrypt(value)


async def reencrypt_personal_data(session_factory: async_sessionmaker[AsyncSession]) -> int:
    """Re-encrypt all encrypted columns in one transaction; returns how many values were rewritten."""
    rewritten = 0
    async with session_factory() as session:
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, EncryptedString | EncryptedJSON)]
            if not columns:
                continue
            # read and write the tokens as plain text: the column type would decrypt / encrypt again
            raw = select(table.c.id, *(type_coerce(c, Text).label(c.key) for c in columns))
            params: list[dict[str, Any]] = []
            for row in (await session.execute(raw)).mappings():
                values = {c.key: _rewritten(row[c.key], c.type) for c in columns}
                rewritten += sum(v is not None for v in values.values())
                params.append({"row_id": row["id"], **{f"new_{k}": v for k, v in values.items()}})
            if params:
                stmt = (update(table).where(table.c.id == bindparam("row_id"))
                        .values({c.key: type_coerce(bindparam(f"new_{c.key}"), Text) for c in columns}))
                await session.execute(stmt, params)
        await session.commit()
    return rewritten
