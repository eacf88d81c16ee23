"""Dealer hierarchy and suspension: a parent dealer's settings, an order's parent approval and hold

dealers.sub_accounts_visible: the parent's contract lets it read its sub-dealers' money accounts (default off).
dealers.approves_sub_orders: a sub-dealer's new order waits for the parent's approval (default off).
orders.parent_approval: NULL (none needed), 'pending', 'approved'.
orders.held_reason: the order is held for review while its dealer is suspended (SUSPENSION_OPEN_ORDERS=hold).
Follows 0001, which created both tables.

Revision ID: 0016_hierarchy
Revises: 0001
Create Date: 2026-12-05 00:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0016_hierarchy'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sub_accounts_visible', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('approves_sub_orders', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_approval', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('held_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('held_reason')
        batch_op.drop_column('parent_approval')
    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.drop_column('approves_sub_orders')
        batch_op.drop_column('sub_accounts_visible')
