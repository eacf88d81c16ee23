"""Transfers as a request / approval state machine, and dealers' stock sharing

- ``transfers``: ``requested_by_dealer_id`` (the dealer that asked; NULL: maker staff or an ERP key),
  ``needs_maker_approval``, ``note``, ``approved_by``/``approved_at``, ``shipped_at``, ``received_at``,
  ``closed_by``/``close_reason`` (cancelled or refused), ``updated_at``; indexes by each end. The old
  ``draft`` status becomes ``requested``.
- ``stock_sharing``: per dealer, what of its reported stock it shows (the maker, dealers of its region, of
  its network; all products or chosen ``skus``; its name) and the maker's rule ``transfer_approval``
  (dealer -> dealer transfers wait for the channel manager; on by default).

Follows 0001, which created the transfers table.

Revision ID: 0014_transfers_sharing
Revises: 0001
Create Date: 2026-12-05 00:14:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0014_transfers_sharing'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('requested_by_dealer_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('needs_maker_approval', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('note', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('approved_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('shipped_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('received_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('close_reason', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('updated_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_transfers_from', ['from_scope', 'from_id', 'status'], unique=False)
        batch_op.create_index('ix_transfers_to', ['to_scope', 'to_id', 'status'], unique=False)
    op.execute("UPDATE transfers SET status = 'requested' WHERE status = 'draft'")

    op.create_table('stock_sharing',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('dealer_id', sa.BigInteger(), nullable=False),
    sa.Column('with_maker', sa.Boolean(), nullable=False),
    sa.Column('with_region', sa.Boolean(), nullable=False),
    sa.Column('with_network', sa.Boolean(), nullable=False),
    sa.Column('show_name', sa.Boolean(), nullable=False),
    sa.Column('skus', storage.types.JSONValue(), nullable=False),
    sa.Column('transfer_approval', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('updated_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('updated_by', sa.String(length=200), server_default='', nullable=False),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_stock_sharing_dealer_id_dealers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_sharing')),
    sa.UniqueConstraint('dealer_id', name=op.f('uq_stock_sharing_dealer_id'))
    )


def downgrade() -> None:
    op.drop_table('stock_sharing')
    op.execute("UPDATE transfers SET status = 'draft' WHERE status = 'requested'")
    with op.batch_alter_table('transfers', schema=None) as batch_op:
        batch_op.drop_index('ix_transfers_to')
        batch_op.drop_index('ix_transfers_from')
        for column in ('updated_at', 'close_reason', 'closed_by', 'received_at', 'shipped_at', 'approved_at',
                       'approved_by', 'note', 'needs_maker_approval', 'requested_by_dealer_id'):
            batch_op.drop_column(column)
