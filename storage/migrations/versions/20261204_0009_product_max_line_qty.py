"""products.max_line_qty: the most units of a product one order line may hold

NULL (every existing product) means the default of ``core.products.line_limit``: pack size x 1000, at most
99,999. Follows 0001, which created the products table, like the other revisions that change only its tables.

Revision ID: 0009_product_max_line_qty
Revises: 0001
Create Date: 2026-12-04 14:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0009_product_max_line_qty'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('max_line_qty', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('max_line_qty')
