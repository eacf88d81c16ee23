"""reports: covering indexes for period aggregates of sell-out lines, orders and order lines

Independent of the other revisions branching from 0001; ``storage.migrate.upgrade`` goes to all heads.
On PostgreSQL the indexes INCLUDE the summed columns, so ``storage.reports`` reads a period's slice by an
index-only scan; on SQLite they are plain indexes on the key columns. Built with a plain CREATE INDEX
(the tables are locked for writes while it runs: minutes on a table of millions of lines).

Revision ID: 0004_reports
Revises: 0001
Create Date: 2026-11-27 01:00:00

"""
from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004_reports'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('sellout_lines', schema=None) as batch_op:
        batch_op.create_index('ix_sellout_lines_sold_on_cover', ['sold_on', 'dealer_id', 'sku'], unique=False,
                              postgresql_include=['qty', 'amount', 'province', 'city'])
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.create_index('ix_orders_created_at_cover', ['created_at', 'status'], unique=False,
                              postgresql_include=['id', 'dealer_id', 'total'])
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.create_index('ix_order_lines_order_id_cover', ['order_id', 'sku'], unique=False,
                              postgresql_include=['qty', 'free_qty', 'unit_price', 'discount'])


def downgrade() -> None:
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_order_lines_order_id_cover')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_index('ix_orders_created_at_cover')
    with op.batch_alter_table('sellout_lines', schema=None) as batch_op:
        batch_op.drop_index('ix_sellout_lines_sold_on_cover')
