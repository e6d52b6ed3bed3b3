"""Personal API tokens: created once, shown once, stored as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.models import ApiToken, User, utcnow

from . import audit

TOKEN_PREFIX = "ipf_"


def hash_token(raw: str) -> str:
    """The stored form of a token. A fast hash is right here: tokens are long and random."""
    return hashlib.sha256(raw.encode()).hexdigest()


def create_token(session: Session, user: User, name: str, actor: User | None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the raw token, which is never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip() or "API", token_hash=hash_token(raw))
    session.add(token)
    session.flush()
    audit.record(session, actor, "create", "api_token", token.id, after={"user_id": user.id, "name": token.name})
    return token, raw


def revoke_token(session: Session, token: ApiToken, actor: User | None) -> None:
    """Revoke a token; it stops working at once."""
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, actor, "revoke", "api_token", token.id, before={"revoked": False}, after={"revoked": True})


def user_for_token(session: Session, raw: str) -> User | None:
    """The active user owning an unrevoked token, or None."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == hash_token(raw), ApiToken.revoked_at.is_(None))
    )
    if token is None or not token.user.active:
        return None
    return token.user
