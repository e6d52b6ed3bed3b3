"""Users: a session token, rotated to end every session of a user

Revision ID: 0003_user_session_token
Revises: 0002_effect_harvesting
Create Date: 2026-11-22 14:20:00

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

import secrets
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_user_session_token'
down_revision: str | None = '0002_effect_harvesting'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sa.String(length=32), nullable=True))
    # Every existing user gets their own random token (sessions from before the upgrade end).
    connection = op.get_bind()
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(
            users.update().where(users.c.id == user_id).values(session_token=secrets.token_hex(16))
        )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.alter_column('session_token', existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_token')
