"""Challenges, digitalisation initiatives, overlap coordination, the solution register, AI use and the open portfolio

Revision ID: 0010_solutions
Revises: 0009_meetings
Create Date: 2026-12-01 13:45:00

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010_solutions'
down_revision: str | None = '0009_meetings'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('affected', sa.Text(), nullable=False),
    sa.Column('frequency', sa.Text(), nullable=False),
    sa.Column('cost_today', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('status', sa.Enum('open', 'taken', 'pilot_started', 'closed', name='challengestatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('raised_by_id', sa.Integer(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('taken_by_id', sa.Integer(), nullable=True),
    sa.Column('taken_at', sa.DateTime(), nullable=True),
    sa.Column('pilot_id', sa.Integer(), nullable=True),
    sa.Column('close_reason', sa.Text(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_challenges_pilot_id_pilots')),
    sa.ForeignKeyConstraint(['raised_by_id'], ['users.id'], name=op.f('fk_challenges_raised_by_id_users')),
    sa.ForeignKeyConstraint(['taken_by_id'], ['users.id'], name=op.f('fk_challenges_taken_by_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_challenges_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_challenges')),
    sa.UniqueConstraint('pilot_id', name=op.f('uq_challenges_pilot_id'))
    )
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenges_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_challenges_unit_id'), ['unit_id'], unique=False)

    op.create_table('overlap_coordinations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('first_pilot_id', sa.Integer(), nullable=False),
    sa.Column('second_pilot_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('coordinated_by_id', sa.Integer(), nullable=False),
    sa.Column('coordinated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('first_pilot_id < second_pilot_id', name=op.f('ck_overlap_coordinations_ordered_pair')),
    sa.ForeignKeyConstraint(['coordinated_by_id'], ['users.id'], name=op.f('fk_overlap_coordinations_coordinated_by_id_users')),
    sa.ForeignKeyConstraint(['first_pilot_id'], ['pilots.id'], name=op.f('fk_overlap_coordinations_first_pilot_id_pilots')),
    sa.ForeignKeyConstraint(['second_pilot_id'], ['pilots.id'], name=op.f('fk_overlap_coordinations_second_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_overlap_coordinations')),
    sa.UniqueConstraint('first_pilot_id', 'second_pilot_id', name='uq_overlap_coordinations_pair')
    )
    with op.batch_alter_table('overlap_coordinations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_overlap_coordinations_first_pilot_id'), ['first_pilot_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_overlap_coordinations_second_pilot_id'), ['second_pilot_id'], unique=False)

    op.create_table('public_initiatives',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_public_initiatives_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_public_initiatives')),
    sa.UniqueConstraint('pilot_id', name=op.f('uq_public_initiatives_pilot_id'))
    )
    op.create_table('solutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=True),
    sa.Column('system_owner', sa.Text(), nullable=False),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('yearly_cost', sa.Numeric(precision=14, scale=2), nullable=True),
    sa.Column('uses_ai', sa.Boolean(), nullable=False),
    sa.Column('ai_risk_class', sa.Enum('prohibited', 'high', 'limited', 'minimal', name='airiskclass', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('ai_use', sa.Text(), nullable=False),
    sa.Column('decommissioned_on', sa.Date(), nullable=True),
    sa.Column('decommission_reason', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('uses_ai OR ai_risk_class IS NULL', name=op.f('ck_solutions_risk_class_needs_ai')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_solutions_created_by_id_users')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_solutions_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solutions')),
    sa.UniqueConstraint('pilot_id', name=op.f('uq_solutions_pilot_id'))
    )
    op.create_table('challenge_goals',
    sa.Column('challenge_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['challenge_id'], ['challenges.id'], name=op.f('fk_challenge_goals_challenge_id_challenges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_challenge_goals_goal_id_goals'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('challenge_id', 'goal_id', name=op.f('pk_challenge_goals'))
    )
    op.create_table('solution_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('responsibility', sa.Enum('procure', 'manage', 'support', 'decommission', name='responsibility', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('level', sa.Enum('school', 'administration', 'city', name='ownerlevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], name=op.f('fk_solution_owners_solution_id_solutions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_solution_owners')),
    sa.UniqueConstraint('solution_id', 'responsibility', 'level', name='uq_solution_owners_role_level')
    )
    with op.batch_alter_table('solution_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_solution_owners_solution_id'), ['solution_id'], unique=False)

    op.create_table('solution_units',
    sa.Column('solution_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['solution_id'], ['solutions.id'], name=op.f('fk_solution_units_solution_id_solutions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_solution_units_unit_id_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('solution_id', 'unit_id', name=op.f('pk_solution_units'))
    )
    with op.batch_alter_table('implementation_plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uses_ai', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('ai_risk_class', sa.Enum('prohibited', 'high', 'limited', 'minimal', name='airiskclass', native_enum=False, create_constraint=True, length=32), nullable=True))

    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('innovation', 'digitalisation', name='initiativekind', native_enum=False, create_constraint=True, length=32), nullable=False, server_default='innovation'))
        batch_op.create_index(batch_op.f('ix_pilots_kind'), ['kind'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilots_kind'))
        batch_op.drop_constraint(batch_op.f('ck_pilots_initiativekind'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('implementation_plans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_implementation_plans_airiskclass'), type_='check')
        batch_op.drop_column('ai_risk_class')
        batch_op.drop_column('uses_ai')

    op.drop_table('solution_units')
    with op.batch_alter_table('solution_owners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_solution_owners_solution_id'))

    op.drop_table('solution_owners')
    op.drop_table('challenge_goals')
    op.drop_table('solutions')
    op.drop_table('public_initiatives')
    with op.batch_alter_table('overlap_coordinations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_overlap_coordinations_second_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_overlap_coordinations_first_pilot_id'))

    op.drop_table('overlap_coordinations')
    with op.batch_alter_table('challenges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenges_unit_id'))
        batch_op.drop_index(batch_op.f('ix_challenges_status'))

    op.drop_table('challenges')
