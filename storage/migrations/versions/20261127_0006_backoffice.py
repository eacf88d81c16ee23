"""backoffice: marketing material requests record who dispatched them and when

Stock now leaves the warehouse at dispatch, not at approval (``core.services.materials``).
Independent of the other revisions branching from 0001; ``storage.migrate.upgrade`` goes to all heads.

Revision ID: 0006_backoffice
Revises: 0001
Create Date: 2026-11-27 03:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0006_backoffice'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('material_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispatched_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('dispatched_at', storage.types.UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('material_requests', schema=None) as batch_op:
        batch_op.drop_column('dispatched_at')
        batch_op.drop_column('dispatched_by')
