"""Decision papers: every generated PDF version, stored unchanged with its SHA-256

Revision ID: 0006_paper_versions
Revises: 0005_login_protection
Create Date: 2026-12-01 13:00:00

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_paper_versions'
down_revision: str | None = '0005_login_protection'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('paper_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pilot_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('is_draft', sa.Boolean(), nullable=False),
    sa.Column('is_decision_copy', sa.Boolean(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=10), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_paper_versions_created_by_id_users')),
    sa.ForeignKeyConstraint(['pilot_id'], ['pilots.id'], name=op.f('fk_paper_versions_pilot_id_pilots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_paper_versions')),
    sa.UniqueConstraint('pilot_id', 'number', name='uq_paper_versions_pilot_id_number')
    )
    with op.batch_alter_table('paper_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_paper_versions_pilot_id'), ['pilot_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('paper_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_paper_versions_pilot_id'))
    op.drop_table('paper_versions')
