"""Where an after-sales repair is: tickets.address (personal data, encrypted like the customer's name and phone)

A dealer's "地址是浦东新区张江路88号" had no field and went into the fault's description. NULL on the tickets filed
before (read as '').
Follows 0001 (which made the table).

Revision ID: 0020_ticket_address
Revises: 0001
Create Date: 2026-12-07 00:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0020_ticket_address'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', storage.types.EncryptedString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets', schema=None) as batch_op:
        batch_op.drop_column('address')
