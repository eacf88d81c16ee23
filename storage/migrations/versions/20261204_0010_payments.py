"""Payments, refunds, adjustments and reversals (issue 14)

- ``ledger_entries``: ``method`` (bank_transfer, acceptance_bill, cash), ``paid_on``, ``attachment`` (the
  receipt scan's file-store key), ``reverses_id`` (a reversal's original; unique: an entry is reversed at
  most once), ``source`` (where the entry came from, e.g. ``api:<Idempotency-Key>``, ``bank:<row>``;
  unique, NULL for entries without one, so the same payment is never booked twice), ``approved_by``.
- ``finance_requests``: refunds and adjustments above the approval threshold, waiting for a second person.

Follows 0001, which created ledger_entries.

Revision ID: 0010_payments
Revises: 0001
Create Date: 2026-12-04 17:45:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0010_payments'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('method', sa.String(length=32), server_default='', nullable=False))
        batch_op.add_column(sa.Column('paid_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('attachment', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('reverses_id', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('approved_by', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_ledger_entries_source', ['source'], unique=True)
        batch_op.create_index('ix_ledger_entries_reverses', ['reverses_id'], unique=True)

    op.create_table('finance_requests',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('dealer_id', sa.BigInteger(), nullable=False),
    sa.Column('account', storage.types.StrEnumType(length=32), nullable=False),
    sa.Column('amount', storage.types.Money(), nullable=False),
    sa.Column('kind', storage.types.StrEnumType(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('reference', sa.String(length=64), nullable=False),
    sa.Column('attachment', sa.String(length=300), nullable=False),
    sa.Column('status', storage.types.StrEnumType(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('entry_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_finance_requests_dealer_id_dealers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_requests')),
    sa.UniqueConstraint('number', name=op.f('uq_finance_requests_number'))
    )
    with op.batch_alter_table('finance_requests', schema=None) as batch_op:
        batch_op.create_index('ix_finance_requests_dealer', ['dealer_id'], unique=False)
        batch_op.create_index('ix_finance_requests_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('finance_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_finance_requests_status')
        batch_op.drop_index('ix_finance_requests_dealer')
    op.drop_table('finance_requests')
    with op.batch_alter_table('ledger_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_ledger_entries_reverses')
        batch_op.drop_index('ix_ledger_entries_source')
        batch_op.drop_column('approved_by')
        batch_op.drop_column('source')
        batch_op.drop_column('reverses_id')
        batch_op.drop_column('attachment')
        batch_op.drop_column('paid_on')
        batch_op.drop_column('method')
