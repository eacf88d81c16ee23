"""statements: per-account sections, confirmation deadline, reminder, finance's answer to a dispute

``accounts`` holds, per money account, the opening balance, every entry of the month with its running
balance and the closing balance (``core.statements.account_sections``); ``due_on`` is the business day
by which the dealer confirms or disputes (``confirm_days`` after issue), ``reminded_at`` the one reminder
before it; ``dispute_lines`` the lines the dealer named; ``answer`` / ``answered_by`` / ``answered_at``
finance's reply. Existing rows get empty sections and no deadline (they are never auto-confirmed).
(dealer_id, period) becomes unique.
Follows 0001, which created the statements table.

Revision ID: 0012_statements
Revises: 0001
Create Date: 2026-12-04 17:10:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0012_statements'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accounts', storage.types.JSONValue(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('confirm_days', sa.Integer(), nullable=False, server_default='10'))
        batch_op.add_column(sa.Column('sent_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('reminded_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('dispute_lines', storage.types.JSONValue(), nullable=False,
                                      server_default='[]'))
        batch_op.add_column(sa.Column('answer', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('answered_by', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('answered_at', storage.types.UTCDateTime(), nullable=True))
        batch_op.create_index('ix_statements_status_due', ['status', 'due_on'], unique=False)
        # one statement per dealer and month: the scheduled check and a person issuing at the same moment
        # cannot both insert one
        batch_op.drop_index('ix_statements_dealer_period')
        batch_op.create_index('ix_statements_dealer_period', ['dealer_id', 'period'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('statements', schema=None) as batch_op:
        batch_op.drop_index('ix_statements_status_due')
        batch_op.drop_index('ix_statements_dealer_period')
        batch_op.create_index('ix_statements_dealer_period', ['dealer_id', 'period'], unique=False)
        for column in ('answered_at', 'answered_by', 'answer', 'dispute_lines', 'reminded_at', 'sent_at',
                       'confirm_days', 'due_on', 'accounts'):
            batch_op.drop_column(column)
