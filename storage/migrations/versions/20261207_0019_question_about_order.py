"""A question handed to staff about one order: staff_questions.about_order

A change a dealer asks for once its order was approved ("📝 请订单台处理") goes to the order desk, who answer it
(``core.services.faq``); '' for every other question.
Follows 0002_nlu (which made the table).

Revision ID: 0019_question_about_order
Revises: 0002_nlu
Create Date: 2026-12-07 00:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0019_question_about_order'
down_revision: str | None = '0002_nlu'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('staff_questions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('about_order', sa.String(length=40), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('staff_questions', schema=None) as batch_op:
        batch_op.drop_column('about_order')
