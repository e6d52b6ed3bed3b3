"""Integrity: version counters, used confirmations, exact decimals on SQLite

Revision ID: 0004_integrity
Revises: 0003_user_session_token
Create Date: 2026-12-01 13:20:00

- every edited table gets a `version` counter (optimistic concurrency), starting at 1;
- pilots get `basis_version`, raised by every change to the decision basis;
- `used_confirmations` keeps the hashes of used confirmation tokens (unique per purpose);
- SQLite only: decimal columns change from REAL-affine binary floats to scaled integers
  (1234.5 kr is stored as 123450), which SQLite keeps exactly. PostgreSQL keeps NUMERIC, so
  nothing changes there. Values are rounded to the column's decimals once, here; a value too
  large for a 64-bit integer (only possible in a damaged database) becomes the largest one.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_integrity'
down_revision: str | None = '0003_user_session_token'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VERSIONED_TABLES = ('pilots', 'app_settings', 'cost_items', 'effect_goals', 'indicators', 'measurements',
                    'units', 'goal_frameworks', 'goals', 'users')

#: (table, column, decimals) of every exact decimal column.
DECIMAL_COLUMNS = (
    ('cost_items', 'amount', 2),
    ('indicators', 'baseline_value', 4),
    ('indicators', 'target_value', 4),
    ('indicators', 'value_per_unit', 4),
    ('indicators', 'annual_volume', 4),
    ('measurements', 'value', 4),
    ('pilots', 'discount_rate', 4),
    ('app_settings', 'discount_rate', 4),
)


def _scale(factor_sql: str) -> None:
    for table, column, places in DECIMAL_COLUMNS:
        op.execute(sa.text(factor_sql.format(table=table, column=column, factor=10 ** places)))


def upgrade() -> None:
    for table in VERSIONED_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('basis_version', sa.Integer(), server_default='1', nullable=False))
    op.create_table(
        'used_confirmations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=50), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('pilot_id', sa.Integer(), nullable=True),
        sa.Column('used_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_used_confirmations_pilot_id_pilots'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_used_confirmations_user_id_users'),
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_used_confirmations')),
        sa.UniqueConstraint('purpose', 'token_hash', name='uq_used_confirmations_purpose_token_hash'),
    )
    with op.batch_alter_table('used_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_used_confirmations_pilot_id'), ['pilot_id'], unique=False)
    if op.get_bind().dialect.name == 'sqlite':
        _scale('UPDATE {table} SET {column} = CAST(ROUND({column} * {factor}) AS INTEGER) '
               'WHERE {column} IS NOT NULL')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        _scale('UPDATE {table} SET {column} = {column} / {factor}.0 WHERE {column} IS NOT NULL')
    with op.batch_alter_table('used_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_used_confirmations_pilot_id'))
    op.drop_table('used_confirmations')
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_column('basis_version')
    for table in reversed(VERSIONED_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
