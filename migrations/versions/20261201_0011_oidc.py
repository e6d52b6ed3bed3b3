"""Single sign-on with OpenID Connect: identities, group-to-role mappings, roles held through a group

Revision ID: 0011_oidc
Revises: 0010_solutions
Create Date: 2026-12-01 14:00:00

- `sso_identities`: a person at an OpenID provider (issuer + subject) linked to a user;
- `sso_group_roles`: members of a provider group hold a role (edited by the admin);
- `user_roles.from_group`: the role is held through a group and follows it at every sign-in
  (existing roles were given by the admin: false).

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011_oidc'
down_revision: str | None = '0010_solutions'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ROLES = ('innovation_leader', 'finance', 'management', 'viewer', 'admin')


def upgrade() -> None:
    op.create_table('sso_identities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=500), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=False),
    sa.Column('tenant', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_sso_identities_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_identities')),
    sa.UniqueConstraint('issuer', 'subject', name='uq_sso_identities_issuer_subject')
    )
    with op.batch_alter_table('sso_identities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_identities_user_id'), ['user_id'], unique=False)
    op.create_table('sso_group_roles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum(*ROLES, name='sso_group_role', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('description', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_group_roles')),
    sa.UniqueConstraint('group_id', 'role', name='uq_sso_group_roles_group_id_role')
    )
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('from_group', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_column('from_group')
    op.drop_table('sso_group_roles')
    with op.batch_alter_table('sso_identities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_identities_user_id'))
    op.drop_table('sso_identities')
