"""stock_thresholds.safety and .source: a dealer's safety stock and who set a threshold

``low`` stays the reorder point (an alert at or below it) and ``high`` the maximum to refill up to; ``safety``
is the safety stock (NULL: none given), ``source`` says who set the row: ``staff`` (the back office, every
existing row), ``dealer`` (the dealer in chat, for its own stock) or ``forecast`` (days of cover x daily
sell-out). Follows 0001, which created the table.

Revision ID: 0015_dealer_thresholds
Revises: 0001
Create Date: 2026-12-05 00:15:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0015_dealer_thresholds'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('stock_thresholds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safety', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=16), nullable=False, server_default='staff'))


def downgrade() -> None:
    with op.batch_alter_table('stock_thresholds', schema=None) as batch_op:
        batch_op.drop_column('source')
        batch_op.drop_column('safety')
