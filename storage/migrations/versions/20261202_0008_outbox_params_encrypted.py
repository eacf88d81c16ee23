"""outbox params encrypted at rest: ``outbox_messages.params`` JSON -> TEXT holding a Fernet token

The params hold customer names, phones, descriptions and whole chat replies (``storage.types.EncryptedJSON``).
Follows 0003_outbox (it changes that table), not 0001 like the revisions that add tables of their own:
with ``depends_on`` instead, 0003_outbox would stay a head of the graph that alembic_version never lists.

Existing rows are encrypted here with the configured keys (``storage.encryption``: ``dms run`` and
``dms migrate`` install them before migrating). Run without keys (the bare ``alembic`` command line), the
rows stay plain JSON text: the column type still reads them, and the next write of a value or
``dms keys rotate`` encrypts them. Downgrade decrypts back to JSON and needs the keys when any row is
encrypted.

Revision ID: 0008_outbox_encrypted
Revises: 0003_outbox
Create Date: 2026-12-02 07:00:00

"""
import logging
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

import storage.types
from storage import encryption

# revision identifiers, used by Alembic.
revision: str = '0008_outbox_encrypted'
down_revision: str | None = '0003_outbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger("alembic.runtime.migration")

CHUNK = 1000
_outbox = sa.table('outbox_messages', sa.column('id', sa.BigInteger()), sa.column('params', sa.Text()))


def _rewrite_params(change: Callable[[str], str | None]) -> int:
    """Rewrite every row's params text through ``change`` (None: leave the row), by id in chunks."""
    bind = op.get_bind()
    last_id, rewritten = None, 0
    while True:
        query = sa.select(_outbox.c.id, _outbox.c.params).order_by(_outbox.c.id).limit(CHUNK)
        if last_id is not None:
            query = query.where(_outbox.c.id > last_id)
        rows = bind.execute(query).all()
        if not rows:
            return rewritten
        last_id = rows[-1].id
        changed = [{'row_id': r.id, 'new_params': new} for r in rows
                   if r.params is not None and (new := change(r.params)) is not None]
        if changed:
            bind.execute(sa.update(_outbox).where(_outbox.c.id == sa.bindparam('row_id'))
                         .values(params=sa.bindparam('new_params')), changed)
            rewritten += len(changed)


def _encrypted(text: str) -> str | None:
    return None if storage.types.is_fernet_token(text) else encryption.encrypt(text)


def _decrypted(text: str) -> str | None:
    if not storage.types.is_fernet_token(text):
        return None
    if not encryption.is_configured():
        raise RuntimeError("outbox_messages.params is encrypted: configure DATA_ENCRYPTION_KEYS (run the downgrade "
                           "from code after storage.encryption.configure_encryption) to turn it back into JSON")
    return encryption.decrypt(text)


def upgrade() -> None:
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('params', existing_type=storage.types.JSONValue(), type_=sa.Text(),
                              existing_nullable=False, postgresql_using='params::text')
    if encryption.is_configured():
        _rewrite_params(_encrypted)
    else:
        log.warning("outbox_messages.params: no encryption keys configured, existing rows stay plain JSON until "
                    "they are written again or `dms keys rotate` runs")


def downgrade() -> None:
    _rewrite_params(_decrypted)
    if op.get_bind().dialect.name == 'sqlite':
        # alter_column would copy the rows through CAST(params AS JSON): NUMERIC affinity on SQLite, every
        # object would become 0. Recreate the table with the column declared JSON: values copied as they are.
        with op.batch_alter_table('outbox_messages', schema=None, recreate='always',
                                  reflect_args=(sa.Column('params', storage.types.JSONValue(), nullable=False),)):
            pass
        return
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.alter_column('params', existing_type=sa.Text(), type_=storage.types.JSONValue(),
                              existing_nullable=False, postgresql_using='params::json')
