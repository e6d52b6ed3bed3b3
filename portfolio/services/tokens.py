"""Personal API tokens: created once, shown once, stored as SHA-256 hashes."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portfolio.models import ApiToken, User, utcnow

from . import audit

TOKEN_PREFIX = "ipf_"

#: How stale `last_used_at` may get before a use writes it again. Without this every API call
#: would write a row; the account page shows the time to the minute anyway.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(raw: str) -> str:
    """The stored form of a token. A fast hash is right here: tokens are long and random."""
    return hashlib.sha256(raw.encode()).hexdigest()


#: The lifetimes a user can choose for a new token, in days; every token ends.
LIFETIME_CHOICES = (7, 30, 90, 180, 365)
DEFAULT_LIFETIME_DAYS = 90


def create_token(
    session: Session, user: User, name: str, actor: User | None, *, days: int = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days; returns the row and the raw token, which is never stored."""
    if not 1 <= days <= max(LIFETIME_CHOICES):
        raise ValueError(f"a token lives 1 to {max(LIFETIME_CHOICES)} days, not {days}")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    token = ApiToken(user_id=user.id, name=name.strip() or "API", token_hash=hash_token(raw),
                     created_at=now, expires_at=now + dt.timedelta(days=days))
    session.add(token)
    session.flush()
    audit.record(session, actor, "create", "api_token", token.id,
                 after={"user_id": user.id, "name": token.name, "expires_at": token.expires_at})
    return token, raw


def revoke_all(session: Session, user: User, actor: User | None) -> int:
    """Revoke every live token of `user` (a new password, a deactivated account); returns how many."""
    live = session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)))
    count = 0
    for token in live:
        revoke_token(session, token, actor)
        count += 1
    return count


def revoke_token(session: Session, token: ApiToken, actor: User | None) -> None:
    """Revoke a token; it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, actor, "revoke", "api_token", token.id, before={"revoked": False}, after={"revoked": True})


def user_for_token(session: Session, raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user owning an unrevoked, unexpired token, or None; records when the token was used.

    `last_used_at` is set (and flushed, not committed) when it is empty or older than
    :data:`LAST_USED_RESOLUTION`. It is not audited: it records use, not a change anyone made.
    """
    token = session.scalar(
        select(ApiToken)
        .options(joinedload(ApiToken.user))
        .where(ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None))
    )
    now = now or utcnow()
    if token is None or not token.user.active or token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return token.user


def tokens_of(session: Session, user: User) -> list[ApiToken]:
    """The user's tokens, revoked ones included, newest first."""
    return list(
        session.scalars(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def token_of(session: Session, user: User, token_id: int) -> ApiToken | None:
    """The token `token_id` if it belongs to `user`; None otherwise (someone else's is not found)."""
    return session.scalar(select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id))
