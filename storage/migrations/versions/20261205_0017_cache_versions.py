"""Cache versions: one counter per kind of read-mostly data a process keeps a copy of

cache_versions(name, version): 'actors' counts changes to chat identities, users and dealer aliases; a change
bumps it in its own transaction and each chat update reads it with the dialog, so a process's copy of who is
speaking (and of a dealer's own product words) is used only while it is current.
Follows 0001.

Revision ID: 0017_cache_versions
Revises: 0001
Create Date: 2026-12-05 00:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0017_cache_versions'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        'cache_versions',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('version', sa.BigInteger(), server_default='0', nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_cache_versions')),
    )
    op.bulk_insert(table, [{'name': 'actors', 'version': 0}])


def downgrade() -> None:
    op.drop_table('cache_versions')
