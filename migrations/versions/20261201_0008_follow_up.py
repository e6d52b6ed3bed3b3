"""Follow-up after scale-up: the follow-up schedule, benefit owners and harvest decisions

Revision ID: 0008_follow_up
Revises: 0007_scale_up_process
Create Date: 2026-12-01 13:50:00

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008_follow_up'
down_revision: str | None = '0007_scale_up_process'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_follow_ups_created_by_id_users')),
    sa.ForeignKeyConstraint(['decision_id'], ['decisions.id'], name=op.f('fk_follow_ups_decision_id_decisions')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_follow_ups_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups')),
    sa.UniqueConstraint('pilot_id', 'due_on', name='uq_follow_ups_pilot_id_due_on')
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_pilot_id'), ['pilot_id'], unique=False)

    op.create_table('benefit_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('effect_goal_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.ForeignKeyConstraint(['effect_goal_id'], ['effect_goals.id'], name=op.f('fk_benefit_owners_effect_goal_id_effect_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_benefit_owners_unit_id_units')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_benefit_owners_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_owners')),
    sa.UniqueConstraint('effect_goal_id', name=op.f('uq_benefit_owners_effect_goal_id'))
    )

    op.create_table('harvest_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('budget_reduction', 'hours_redeployed', name='harvestkind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('amount', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('budget_line', sa.String(length=200), nullable=False),
    sa.Column('budget_year', sa.Integer(), nullable=True),
    sa.Column('hours', sa.Numeric(precision=18, scale=4), nullable=True),
    sa.Column('redeployed_to', sa.Text(), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount > 0', name=op.f('ck_harvest_decisions_amount_positive')),
    sa.CheckConstraint("kind != 'budget_reduction' OR (budget_line != '' AND budget_year IS NOT NULL)", name=op.f('ck_harvest_decisions_budget_reduction_names_line_and_year')),
    sa.CheckConstraint("kind != 'hours_redeployed' OR (hours IS NOT NULL AND hours > 0 AND redeployed_to != '')", name=op.f('ck_harvest_decisions_hours_redeployed_names_hours_and_work')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_harvest_decisions_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_harvest_decisions_pilot_id_pilots')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_harvest_decisions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_harvest_decisions'))
    )
    with op.batch_alter_table('harvest_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_harvest_decisions_indicator_id'), ['indicator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_harvest_decisions_pilot_id'), ['pilot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('harvest_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_harvest_decisions_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_harvest_decisions_indicator_id'))
    op.drop_table('harvest_decisions')
    op.drop_table('benefit_owners')
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_ups_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_follow_ups_due_on'))
    op.drop_table('follow_ups')
