"""Stored pilot figures: each pilot's economics, benefits and follow-ups as the domain computes them

Revision ID: 0012_pilot_figures
Revises: 0011_oidc
Create Date: 2026-12-01 16:00:00

- `pilot_figures`: one row per pilot (NPV, costs, benefits per class, realisation, the checks of
  its next scale-up step, the fingerprint of its paper data), so the overview sums in SQL;
- `benefit_figures`: potential, realised and harvested per indicator of a scaled-up pilot;
- `follow_up_figures`: per follow-up, how many indicators are measured in its window.
Derived data only: the tables start empty and the app fills in the pilots that have no row
(services.figures), so no data migration is needed.

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012_pilot_figures'
down_revision: str | None = '0011_oidc'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('follow_up_figures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('measured', sa.Integer(), nullable=False),
    sa.Column('indicators', sa.Integer(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_follow_up_figures_pilot_id_pilots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_figures')),
    sa.UniqueConstraint('pilot_id', 'due_on', name='uq_follow_up_figures_pilot_id_due_on')
    )
    with op.batch_alter_table('follow_up_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_up_figures_due_on'), ['due_on'], unique=False)

    op.create_table('pilot_figures',
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('too_large', sa.Boolean(), nullable=False),
    sa.Column('has_figures', sa.Boolean(), nullable=False),
    sa.Column('is_estimate', sa.Boolean(), nullable=False),
    sa.Column('spent_to_date', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('planned_costs', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('total_cost', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('expected_financial', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('expected_reallocation', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('realised_financial', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('realised_reallocation', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('used_financial', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('used_reallocation', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('npv_cash', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('npv_full', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('realisation', sa.Numeric(precision=12, scale=6), nullable=True),
    sa.Column('realisation_phase', sa.String(length=16), nullable=True),
    sa.Column('unvalued', sa.Integer(), nullable=False),
    sa.Column('missing_step', sa.Integer(), nullable=True),
    sa.Column('missing_codes', sa.String(length=1000), nullable=False),
    sa.Column('paper_fingerprint', sa.String(length=64), nullable=True),
    sa.Column('first_year_from_today', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_pilot_figures_pilot_id_pilots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('pilot_id', name=op.f('pk_pilot_figures'))
    )
    with op.batch_alter_table('pilot_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pilot_figures_total_cost'), ['total_cost'], unique=False)

    op.create_table('benefit_figures',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('benefit_class', sa.String(length=32), nullable=False),
    sa.Column('valued', sa.Boolean(), nullable=False),
    sa.Column('measured', sa.Boolean(), nullable=False),
    sa.Column('potential', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('realised', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('harvested', sa.Numeric(precision=18, scale=2), nullable=False),
    sa.Column('gap', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_benefit_figures_indicator_id_indicators'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_benefit_figures_pilot_id_pilots'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('indicator_id', name=op.f('pk_benefit_figures'))
    )
    with op.batch_alter_table('benefit_figures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_figures_gap'), ['gap'], unique=False)
        batch_op.create_index(batch_op.f('ix_benefit_figures_pilot_id'), ['pilot_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('benefit_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_figures_pilot_id'))
        batch_op.drop_index(batch_op.f('ix_benefit_figures_gap'))

    op.drop_table('benefit_figures')
    with op.batch_alter_table('pilot_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pilot_figures_total_cost'))

    op.drop_table('pilot_figures')
    with op.batch_alter_table('follow_up_figures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_follow_up_figures_due_on'))

    op.drop_table('follow_up_figures')
