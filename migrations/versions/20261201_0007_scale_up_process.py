"""The scale-up process: step texts on pilots, kinds of transitions, implementation plans, decisions

Revision ID: 0007_scale_up_process
Revises: 0006_paper_versions
Create Date: 2026-12-01 13:10:00

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_scale_up_process'
down_revision: str | None = '0006_paper_versions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRANSITION_KIND = sa.Enum('move', 'complete_step', 'reopen_step', 'decision', name='transitionkind',
                          native_enum=False, create_constraint=True, length=32)


def upgrade() -> None:
    # New columns get a server default so that existing rows are valid (and SQLite can add
    # them without rebuilding the table); the application always writes them itself.
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_comment', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('results_summary', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('lessons_learned', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('revisit_on', sa.Date(), nullable=True))

    with op.batch_alter_table('phase_transitions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', TRANSITION_KIND, nullable=False, server_default='move'))

    # Name what the recorded history already holds: a step forward inside the scale-up process
    # was a completion, a step back a reopening, and a move from step 3 to step 4 a decision.
    transitions = sa.table(
        'phase_transitions', sa.column('from_phase', sa.String), sa.column('to_phase', sa.String),
        sa.column('from_step', sa.Integer), sa.column('to_step', sa.Integer), sa.column('kind', sa.String),
    )
    within_scale_up = (transitions.c.from_phase == 'scale_up') & (transitions.c.to_phase == 'scale_up')
    connection = op.get_bind()
    connection.execute(transitions.update().where(
        within_scale_up & (transitions.c.to_step == transitions.c.from_step + 1) & (transitions.c.to_step <= 3)
    ).values(kind='complete_step'))
    connection.execute(transitions.update().where(
        within_scale_up & (transitions.c.to_step == transitions.c.from_step - 1)
    ).values(kind='reopen_step'))
    connection.execute(transitions.update().where(
        (transitions.c.from_phase == 'scale_up') & (transitions.c.from_step == 3) & (transitions.c.to_step == 4)
    ).values(kind='decision'))

    op.create_table('implementation_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('target_groups', sa.Text(), nullable=False),
    sa.Column('children_use_solution', sa.Boolean(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_implementation_plans_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_implementation_plans')),
    sa.UniqueConstraint('pilot_id', name=op.f('uq_implementation_plans_pilot_id'))
    )
    op.create_table('lifecycle_owners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('responsibility', sa.Enum('procure', 'manage', 'support', 'decommission', name='responsibility', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('level', sa.Enum('school', 'administration', 'city', name='ownerlevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('owner', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['implementation_plans.id'], name=op.f('fk_lifecycle_owners_plan_id_implementation_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_lifecycle_owners')),
    sa.UniqueConstraint('plan_id', 'responsibility', name='uq_lifecycle_owners_plan_id_responsibility')
    )
    with op.batch_alter_table('lifecycle_owners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lifecycle_owners_plan_id'), ['plan_id'], unique=False)

    op.create_table('milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['implementation_plans.id'], name=op.f('fk_milestones_plan_id_implementation_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones'))
    )
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestones_plan_id'), ['plan_id'], unique=False)

    op.create_table('risks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('mitigation', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['implementation_plans.id'], name=op.f('fk_risks_plan_id_implementation_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risks'))
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_plan_id'), ['plan_id'], unique=False)

    op.create_table('rollout_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'started', 'in_use', name='rolloutstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('planned_start', sa.Date(), nullable=True),
    sa.Column('in_use_from', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['implementation_plans.id'], name=op.f('fk_rollout_units_plan_id_implementation_plans'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_rollout_units_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollout_units')),
    sa.UniqueConstraint('plan_id', 'unit_id', name='uq_rollout_units_plan_id_unit_id')
    )
    with op.batch_alter_table('rollout_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rollout_units_plan_id'), ['plan_id'], unique=False)

    op.create_table('school_checkpoints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('checkpoint', sa.Enum('data_protection', 'child_impact', 'accessibility', name='checkpoint', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('status', sa.Enum('done', 'not_needed', 'planned', name='checkpointstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('done_on', sa.Date(), nullable=True),
    sa.Column('not_needed_reason', sa.Text(), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['implementation_plans.id'], name=op.f('fk_school_checkpoints_plan_id_implementation_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_school_checkpoints')),
    sa.UniqueConstraint('plan_id', 'checkpoint', name='uq_school_checkpoints_plan_id_checkpoint')
    )
    with op.batch_alter_table('school_checkpoints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_school_checkpoints_plan_id'), ['plan_id'], unique=False)

    op.create_table('decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('scale_up', 'continue_testing', 'stop', 'park', name='decisionoutcome', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('decision_text', sa.Text(), nullable=False),
    sa.Column('decision_maker', sa.String(length=200), nullable=False),
    sa.Column('presenter', sa.String(length=200), nullable=False),
    sa.Column('body', sa.String(length=200), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('case_number', sa.String(length=50), nullable=False),
    sa.Column('delegation_reference', sa.String(length=200), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('new_test_end', sa.Date(), nullable=True),
    sa.Column('revisit_on', sa.Date(), nullable=True),
    sa.Column('lessons_learned', sa.Text(), nullable=False),
    sa.Column('step_before', sa.Integer(), nullable=False),
    sa.Column('paper_version_id', sa.Integer(), nullable=False),
    sa.Column('archived_paper_version_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome != 'continue_testing' OR new_test_end IS NOT NULL", name=op.f('ck_decisions_continue_testing_has_end_date')),
    sa.CheckConstraint("outcome != 'park' OR revisit_on IS NOT NULL", name=op.f('ck_decisions_park_has_revisit_date')),
    sa.ForeignKeyConstraint(['archived_paper_version_id'], ['paper_versions.id'], name=op.f('fk_decisions_archived_paper_version_id_paper_versions')),
    sa.ForeignKeyConstraint(['paper_version_id'], ['paper_versions.id'], name=op.f('fk_decisions_paper_version_id_paper_versions')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_decisions_pilot_id_pilots')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_decisions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decisions')),
    sa.UniqueConstraint('archived_paper_version_id', name=op.f('uq_decisions_archived_paper_version_id')),
    sa.UniqueConstraint('paper_version_id', name=op.f('uq_decisions_paper_version_id'))
    )
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decisions_decided_on'), ['decided_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_decisions_pilot_id'), ['pilot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decisions_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_decisions_decided_on'))
    op.drop_table('decisions')
    for table in ('school_checkpoints', 'rollout_units', 'risks', 'milestones', 'lifecycle_owners'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_plan_id'))
        op.drop_table(table)
    op.drop_table('implementation_plans')

    with op.batch_alter_table('phase_transitions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_phase_transitions_transitionkind'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_column('revisit_on')
        batch_op.drop_column('lessons_learned')
        batch_op.drop_column('results_summary')
        batch_op.drop_column('review_comment')
