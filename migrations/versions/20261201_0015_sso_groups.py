"""The provider groups a role is held through, so the admin sees where each role comes from

Revision ID: 0015_sso_groups
Revises: 0013_meeting_followups
Create Date: 2026-12-01 16:00:00

- `user_roles.groups`: for a role held through the provider's groups (`from_group`), the ids of the
  mapped groups that give it, as of the user's last sign-in (a JSON list); null for a role the admin
  gave. Existing group roles get null until their user signs in again.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015_sso_groups'
down_revision: str | None = '0013_meeting_followups'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('groups', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user_roles', schema=None) as batch_op:
        batch_op.drop_column('groups')
