"""Rebate settlements per target, credit limit changes and temporary credit

- ``rebate_settlements``: ``target_key`` (period|metric|product group: a contract may have several targets
  in one period, each settled on its own), ``product_group``, ``metric``, and ``accrued_amount`` (what the
  target had earned in all when proposed; ``amount`` is what the settlement pays, net of earlier ones).
  Existing rows get the key of the first target of their period in their contract (the one the old
  per-period check settled) and ``accrued_amount = amount``.
- ``dealers``: ``temporary_credit`` and ``temporary_credit_until`` (the extra credit and its last day).
- ``credit_changes``: requests to change a dealer's credit limit or grant temporary credit, decided by
  someone else than the requester.

Follows 0005, which created rebate_settlements.

Revision ID: 0013_rebates_credit
Revises: 0005_contracts
Create Date: 2026-12-04 17:00:00

"""
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import storage.types

# revision identifiers, used by Alembic.
revision: str = '0013_rebates_credit'
down_revision: str | None = '0005_contracts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _first_target_key(targets: Any, period: str) -> tuple[str, str | None, str]:
    if isinstance(targets, str):
        targets = json.loads(targets)
    for t in targets or []:
        if str(t.get("period", "")).upper() == period.upper():
            metric = str(t.get("metric") or "amount")
            group = t.get("product_group") or None
            return f"{t['period']}|{metric}|{group or '*'}", group, metric
    return f"{period}|amount|*", None, "amount"


def upgrade() -> None:
    with op.batch_alter_table('rebate_settlements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_key', sa.String(length=64), server_default='', nullable=False))
        batch_op.add_column(sa.Column('product_group', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('metric', storage.types.StrEnumType(length=16), server_default='amount',
                                      nullable=False))
        batch_op.add_column(sa.Column('accrued_amount', storage.types.Money(), server_default='0', nullable=False))
        batch_op.create_index('ix_rebate_settlements_target', ['dealer_id', 'contract_number', 'target_key'],
                              unique=False)

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT s.id, s.period, c.targets FROM rebate_settlements s JOIN contracts c ON c.id = s.contract_id")).all()
    for row_id, period, targets in rows:
        key, group, metric = _first_target_key(targets, period)
        bind.execute(sa.text("UPDATE rebate_settlements SET target_key = :k, product_group = :g, metric = :m, "
                             "accrued_amount = amount WHERE id = :i"),
                     {"k": key, "g": group, "m": metric, "i": row_id})

    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('temporary_credit', storage.types.Money(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('temporary_credit_until', sa.Date(), nullable=True))

    op.create_table('credit_changes',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('dealer_id', sa.BigInteger(), nullable=False),
    sa.Column('kind', storage.types.StrEnumType(length=16), nullable=False),
    sa.Column('amount', storage.types.Money(), nullable=False),
    sa.Column('until', sa.Date(), nullable=True),
    sa.Column('previous_limit', storage.types.Money(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', storage.types.StrEnumType(length=16), nullable=False),
    sa.Column('requested_by', sa.String(length=200), nullable=False),
    sa.Column('decided_by', sa.String(length=200), nullable=True),
    sa.Column('decided_at', storage.types.UTCDateTime(), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['dealer_id'], ['dealers.id'], name=op.f('fk_credit_changes_dealer_id_dealers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_changes')),
    sa.UniqueConstraint('number', name=op.f('uq_credit_changes_number'))
    )
    with op.batch_alter_table('credit_changes', schema=None) as batch_op:
        batch_op.create_index('ix_credit_changes_dealer', ['dealer_id'], unique=False)
        batch_op.create_index('ix_credit_changes_status', ['status'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('credit_changes', schema=None) as batch_op:
        batch_op.drop_index('ix_credit_changes_status')
        batch_op.drop_index('ix_credit_changes_dealer')
    op.drop_table('credit_changes')
    with op.batch_alter_table('dealers', schema=None) as batch_op:
        batch_op.drop_column('temporary_credit_until')
        batch_op.drop_column('temporary_credit')
    with op.batch_alter_table('rebate_settlements', schema=None) as batch_op:
        batch_op.drop_index('ix_rebate_settlements_target')
        batch_op.drop_column('accrued_amount')
        batch_op.drop_column('metric')
        batch_op.drop_column('product_group')
        batch_op.drop_column('target_key')
