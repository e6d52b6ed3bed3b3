"""Effect harvesting: effect goals, indicators, measurements, cost items, API tokens, pilot economics

Revision ID: 0002_effect_harvesting
Revises: 0001_foundation
Create Date: 2026-11-22 13:50:02.079094

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002_effect_harvesting'
down_revision: str | None = '0001_foundation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('first_year', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('discount_rate', sa.Numeric(precision=6, scale=4), nullable=True))
        batch_op.add_column(sa.Column('horizon_years', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ramp_up', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('sensitivity', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('finance_signed_off_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('finance_signed_off_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_pilots_finance_signed_off_by_id_users'), 'users', ['finance_signed_off_by_id'], ['id'])

    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)
    op.create_table('cost_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.Enum('personnel', 'licence', 'hardware', 'services', 'training', 'support', 'other', name='costcategory', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('kind', sa.Enum('one_off', 'recurring', name='costkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('phase', sa.Enum('test', 'implementation', 'operation', name='costphase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('first_year', sa.Integer(), nullable=False),
    sa.Column('last_year', sa.Integer(), nullable=True),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_cost_items_amount_not_negative')),
    sa.CheckConstraint('last_year IS NULL OR last_year >= first_year', name=op.f('ck_cost_items_last_year_after_first')),
    sa.ForeignKeyConstraint(['entered_by_id'], ['users.id'], name=op.f('fk_cost_items_entered_by_id_users')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_cost_items_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_items'))
    )
    with op.batch_alter_table('cost_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_items_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('effect_goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('category', sa.Enum('resource_efficiency', 'quality', 'both', name='goalcategory', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('beneficiary', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_effect_goals_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_effect_goals'))
    )
    with op.batch_alter_table('effect_goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_effect_goals_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effect_goal_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=50), nullable=False),
    sa.Column('direction', sa.Enum('higher_is_better', 'lower_is_better', name='direction', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('measurement_method', sa.Text(), nullable=False),
    sa.Column('data_source', sa.String(length=200), nullable=False),
    sa.Column('frequency', sa.String(length=100), nullable=False),
    sa.Column('baseline_value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('baseline_date', sa.Date(), nullable=True),
    sa.Column('target_value', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('value_per_unit', sa.Numeric(precision=14, scale=4), nullable=True),
    sa.Column('annual_volume', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('benefit_class', sa.Enum('financial', 'reallocation', 'unvalued', name='benefitclass', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.CheckConstraint('annual_volume IS NULL OR annual_volume >= 0', name=op.f('ck_indicators_annual_volume_not_negative')),
    sa.CheckConstraint('value_per_unit IS NULL OR value_per_unit >= 0', name=op.f('ck_indicators_value_per_unit_not_negative')),
    sa.ForeignKeyConstraint(['effect_goal_id'], ['effect_goals.id'], name=op.f('fk_indicators_effect_goal_id_effect_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators'))
    )
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicators_effect_goal_id'), ['effect_goal_id'], unique=False)
    op.create_table('measurements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('measured_on', sa.Date(), nullable=False),
    sa.Column('value', sa.Numeric(precision=18, scale=4), nullable=False),
    sa.Column('phase', sa.Enum('test', 'follow_up', name='measurementphase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_measurements_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_measurements_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measurements'))
    )
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measurements_indicator_id'), ['indicator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('measurements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measurements_indicator_id'))
    op.drop_table('measurements')
    with op.batch_alter_table('indicators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicators_effect_goal_id'))
    op.drop_table('indicators')
    with op.batch_alter_table('effect_goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_effect_goals_pilot_id'))
    op.drop_table('effect_goals')
    with op.batch_alter_table('cost_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_items_pilot_id'))
    op.drop_table('cost_items')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))
    op.drop_table('api_tokens')
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_pilots_finance_signed_off_by_id_users'), type_='foreignkey')
        batch_op.drop_column('finance_signed_off_at')
        batch_op.drop_column('finance_signed_off_by_id')
        batch_op.drop_column('sensitivity')
        batch_op.drop_column('ramp_up')
        batch_op.drop_column('horizon_years')
        batch_op.drop_column('discount_rate')
        batch_op.drop_column('first_year')
