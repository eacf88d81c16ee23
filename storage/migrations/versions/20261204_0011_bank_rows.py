"""Bank statement import (issue 14)

- ``bank_rows``: every incoming row of an imported bank file, keyed by its row key (unique across files,
  so the same row is booked once), with its status (booked, unmatched, assigned, ignored), the dealer,
  the ledger entry and how it was matched.
- ``dealers.payer_accounts``: the dealer's known bank account numbers (comma separated digits), used to
  match a bank row by the payer's account.

Revision ID: 0011_bank_rows
Revises: 0001
Create Date: 2026-12-04 18:25:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0011_bank_rows'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payer_accounts', sa.Text(), server_default='', nullable=False))

    op.create_table('bank_rows',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=300), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('paid_on', sa.Date(), nullable=False),
    sa.Column('payer', sa.String(length=200), nullable=False),
    sa.Column('amount', storage.types.Money(), nullable=False),
    sa.Column('reference', sa.String(length=200), nullable=False),
    sa.Column('account', sa.String(length=64), nullable=False),
    sa.Column('status', storage.types.StrEnumType(length=16), nullable=False),
    sa.Column('dealer_id', sa.BigInteger(), nullable=True),
    sa.Column('entry_id', sa.BigInteger(), nullable=True),
    sa.Column('match_reason', sa.String(length=32), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.Column('imported_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_bank_rows_dealer_id_dealers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_rows')),
    sa.UniqueConstraint('key', name=op.f('uq_bank_rows_key'))
    )
    with op.batch_alter_table('bank_rows', schema=None) as batch_op:
        batch_op.create_index('ix_bank_rows_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bank_rows', schema=None) as batch_op:
        batch_op.drop_index('ix_bank_rows_status')
    op.drop_table('bank_rows')
    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.drop_column('payer_accounts')
