"""Calendar subscription addresses; a benefit owner is a chosen user

Revision ID: 0013_meeting_followups
Revises: 0012_pilot_figures
Create Date: 2026-12-01 16:00:00

- `calendar_tokens`: the SHA-256 of each user's secret calendar feed address (at most one live);
- `benefit_owners.user_id`: the user who owns an effect goal's benefits (reminders go to them);
  `name` becomes their role or title. Existing owners were free text: a text that names exactly one
  active user, by e-mail address or full name (as whole words, any case), gets that user, and the
  text is kept as the title unless it was only the name or address; any other text is kept as it
  was, with no user, for the pilot's leader or the management group to choose one.

House rules for migrations:
- one small change per revision; it must downgrade and upgrade again (tests check this);
- SQLite runs in batch mode: alter tables with `op.batch_alter_table`;
- data migrations use SQL against the schema as it is at this revision, never today's models.
"""
from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013_meeting_followups'
down_revision: str | None = '0012_pilot_figures'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _names(text: str, value: str) -> bool:
    """Whether `text` holds `value` as whole words, ignoring case."""
    value = value.strip()
    return bool(value) and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", text, re.IGNORECASE) is not None


def _match_owners(connection) -> None:
    users = connection.execute(sa.text("SELECT id, name, email FROM users WHERE active")).all()
    owners = connection.execute(sa.text("SELECT id, name FROM benefit_owners WHERE user_id IS NULL")).all()
    for owner_id, text in owners:
        found = {user_id: (name, email) for user_id, name, email in users
                 if _names(text, email) or _names(text, name)}
        if len(found) != 1:
            continue  # nobody or several: keep the text, leave the user empty
        (user_id, (name, email)), = found.items()
        title = "" if text.strip().lower() in (name.strip().lower(), email.strip().lower()) else text
        connection.execute(sa.text("UPDATE benefit_owners SET user_id = :user, name = :title WHERE id = :id"),
                           {"user": user_id, "title": title, "id": owner_id})


def upgrade() -> None:
    op.create_table('calendar_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_calendar_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_tokens_token_hash'))
    )
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_tokens_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('benefit_owners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_benefit_owners_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_benefit_owners_user_id_users'), 'users', ['user_id'], ['id'])
    _match_owners(op.get_bind())


def downgrade() -> None:
    # Before users could be chosen the owner was only text: an owner with a user and no title keeps
    # the user's name, one with both keeps "title (name)" cut to the column's 200 characters.
    connection = op.get_bind()
    rows = connection.execute(sa.text(
        "SELECT benefit_owners.id, benefit_owners.name, users.name FROM benefit_owners "
        "JOIN users ON users.id = benefit_owners.user_id")).all()
    for owner_id, title, name in rows:
        text = name if not title.strip() else title if _names(title, name) else f"{title} ({name})"
        connection.execute(sa.text("UPDATE benefit_owners SET name = :text WHERE id = :id"),
                           {"text": text[:200], "id": owner_id})
    with op.batch_alter_table('benefit_owners', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_benefit_owners_user_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_benefit_owners_user_id'))
        batch_op.drop_column('user_id')
    with op.batch_alter_table('calendar_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_tokens_user_id'))
    op.drop_table('calendar_tokens')
