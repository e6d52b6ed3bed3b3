"""Foundation: users and roles, units, goal frameworks, pilots, transitions, audit log

Revision ID: 0001_foundation
Revises: 
Create Date: 2026-11-22 13:50:02.079094

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

from decimal import Decimal

import sqlalchemy as sa
from alembic import op


revision: str = '0001_foundation'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('app_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('discount_rate', sa.Numeric(precision=6, scale=4), nullable=False),
    sa.Column('horizon_years', sa.Integer(), nullable=False),
    sa.Column('ramp_up', sa.JSON(), nullable=False),
    sa.Column('sensitivity', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_app_settings'))
    )
    op.create_table('goal_frameworks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_frameworks')),
    sa.UniqueConstraint('name', name=op.f('uq_goal_frameworks_name'))
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Enum('school', 'area', 'administration', 'city', name='unitlevel', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_units')),
    sa.UniqueConstraint('name', name=op.f('uq_units_name'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email'))
    )
    op.create_table('audit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('entity', sa.String(length=60), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('pilot_id', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_audit_entries_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('goals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('framework_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['framework_id'], ['goal_frameworks.id'], name=op.f('fk_goals_framework_id_goal_frameworks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goals')),
    sa.UniqueConstraint('framework_id', 'name', name='uq_goals_framework_id_name')
    )
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goals_framework_id'), ['framework_id'], unique=False)
    op.create_table('pilots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('need', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('idea_bearer', sa.String(length=200), nullable=False),
    sa.Column('innovation_leader_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('origin', sa.Enum('idea_driven', 'challenge_driven', 'opportunity_driven', name='origin', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('target_groups', sa.Text(), nullable=False),
    sa.Column('test_start', sa.Date(), nullable=True),
    sa.Column('test_end', sa.Date(), nullable=True),
    sa.Column('phase', sa.Enum('idea', 'test', 'scale_up', 'implementation', 'closed', 'parked', name='phase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('step', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['innovation_leader_id'], ['users.id'], name=op.f('fk_pilots_innovation_leader_id_users')),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_pilots_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pilots')),
    sa.UniqueConstraint('code', name=op.f('uq_pilots_code'))
    )
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilots_innovation_leader_id'), ['innovation_leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pilots_phase'), ['phase'], unique=False)
        batch_op.create_index(batch_op.f('ix_pilots_unit_id'), ['unit_id'], unique=False)
    op.create_table('user_roles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('innovation_leader', 'finance', 'management', 'viewer', 'admin', name='role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_roles_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'role', name=op.f('pk_user_roles'))
    )
    op.create_table('phase_transitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('from_phase', sa.Enum('idea', 'test', 'scale_up', 'implementation', 'closed', 'parked', name='from_phase', native_enum=False, create_constraint=True, length=32), nullable=True),
    sa.Column('to_phase', sa.Enum('idea', 'test', 'scale_up', 'implementation', 'closed', 'parked', name='to_phase', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('from_step', sa.Integer(), nullable=False),
    sa.Column('to_step', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_phase_transitions_actor_id_users')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_phase_transitions_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_phase_transitions'))
    )
    with op.batch_alter_table('phase_transitions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phase_transitions_pilot_id'), ['pilot_id'], unique=False)
    op.create_table('pilot_goals',
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goals.id'], name=op.f('fk_pilot_goals_goal_id_goals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_pilot_goals_pilot_id_pilots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pilot_id', 'goal_id', name=op.f('pk_pilot_goals'))
    )

    # Reference data every installation starts with (plain SQL: never today's models).
    settings = sa.table(
        "app_settings",
        sa.column("id", sa.Integer), sa.column("organisation_name", sa.String), sa.column("discount_rate", sa.Numeric),
        sa.column("horizon_years", sa.Integer), sa.column("ramp_up", sa.JSON), sa.column("sensitivity", sa.JSON),
    )
    op.bulk_insert(settings, [{
        "id": 1, "organisation_name": "Skol- och fritidsförvaltningen", "discount_rate": Decimal("0.0300"),
        "horizon_years": 5, "ramp_up": [],
        "sensitivity": {"benefits_low": "0.5", "benefits_expected": "1", "benefits_high": "1.2",
                        "costs_low": "1.2", "costs_expected": "1", "costs_high": "0.9"},
    }])
    frameworks = sa.table(
        "goal_frameworks", sa.column("id", sa.Integer), sa.column("name", sa.String),
        sa.column("position", sa.Integer), sa.column("active", sa.Boolean),
    )
    op.bulk_insert(frameworks, [
        {"id": 1, "name": "Digitaliseringsstrategin", "position": 1, "active": True},
    ])
    goals = sa.table(
        "goals", sa.column("id", sa.Integer), sa.column("framework_id", sa.Integer), sa.column("name", sa.String),
        sa.column("position", sa.Integer), sa.column("active", sa.Boolean),
    )
    op.bulk_insert(goals, [
        {"id": 1, "framework_id": 1, "name": "Barn och elevers adekvata digitala kompetens", "position": 1, "active": True},
        {"id": 2, "framework_id": 1, "name": "Likvärdigt och användarvänligt ekosystem", "position": 2, "active": True},
        {"id": 3, "framework_id": 1, "name": "Barn och elever är möjliggörare av den innovativa och smarta staden",
         "position": 3, "active": True},
    ])
    if op.get_bind().dialect.name == "postgresql":
        # Explicit ids do not advance PostgreSQL's sequences; move them past the seeded rows.
        for table in ("app_settings", "goal_frameworks", "goals"):
            op.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")


def downgrade() -> None:
    op.drop_table('pilot_goals')
    with op.batch_alter_table('phase_transitions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phase_transitions_pilot_id'))
    op.drop_table('phase_transitions')
    op.drop_table('user_roles')
    with op.batch_alter_table('pilots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilots_unit_id'))
        batch_op.drop_index(batch_op.f('ix_pilots_phase'))
        batch_op.drop_index(batch_op.f('ix_pilots_innovation_leader_id'))
    op.drop_table('pilots')
    with op.batch_alter_table('goals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goals_framework_id'))
    op.drop_table('goals')
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entries_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_actor_id'))
    op.drop_table('audit_entries')
    op.drop_table('users')
    op.drop_table('units')
    op.drop_table('goal_frameworks')
    op.drop_table('app_settings')
