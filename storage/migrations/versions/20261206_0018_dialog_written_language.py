"""The language a chat last wrote in: dialog_states.written_language

A message that tells no language ("hi", "ok", a code, a button) is answered in the chat's language, the one its
last clear message was written in (``handlers.service``); '' for the chats before it.
Follows 0001.

Revision ID: 0018_dialog_written_language
Revises: 0001
Create Date: 2026-12-06 00:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0018_dialog_written_language'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('dialog_states', schema=None) as batch_op:
        batch_op.add_column(sa.Column('written_language', sa.String(length=16), server_default='', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('dialog_states', schema=None) as batch_op:
        batch_op.drop_column('written_language')
