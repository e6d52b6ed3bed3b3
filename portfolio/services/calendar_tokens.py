"""Calendar subscriptions: a personal, secret feed address for the management group's meetings.

Outlook and Google Calendar fetch a subscribed calendar without signing in, so the address carries
a random secret (256 bits). Only its SHA-256 is stored; it is shown once, when it is made. A user
has at most one live address: a new one revokes the old. The feed answers only while the token is
live, its user active and allowed to see the meetings (any role: DESIGN §2's READ); a user whose
roles are taken away or who is deactivated gets nothing, and deactivation revokes the address.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portfolio.domain.roles import Permission, can
from portfolio.models import CalendarToken, User, utcnow

from . import audit, board

TOKEN_PREFIX = "ipc_"
#: How stale `last_used_at` may get before a fetch writes it again (calendar programs poll often).
LAST_USED_RESOLUTION = dt.timedelta(hours=1)


def hash_token(raw: str) -> str:
    """The stored form of a secret: a fast hash is right for long random values."""
    return hashlib.sha256(raw.encode()).hexdigest()


def live_token(session: Session, user: User) -> CalendarToken | None:
    """The user's unrevoked calendar address, if they have one."""
    return session.scalar(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                      CalendarToken.revoked_at.is_(None))
                          .order_by(CalendarToken.id.desc()).limit(1))


def may_subscribe(user: User) -> bool:
    """Whether `user` may have (and use) a calendar address: active and allowed to see the meetings."""
    return bool(user.active) and can(user.roles, Permission.READ)


def issue(session: Session, user: User, actor: User) -> tuple[CalendarToken, str]:
    """A new calendar address for `user` (revoking any earlier one); returns the row and the secret,
    which is never stored. Refuses a user who may not see the meetings (PermissionError)."""
    if not may_subscribe(user):
        raise PermissionError("the user may not see the meetings")
    revoke(session, user, actor)
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = CalendarToken(user_id=user.id, token_hash=hash_token(raw), created_at=utcnow())
    session.add(token)
    session.flush()
    audit.record(session, actor, "create", "calendar_token", token.id, after={"user_id": user.id})
    return token, raw


def revoke(session: Session, user: User, actor: User | None) -> bool:
    """Revoke the user's calendar address (its feed answers 404 from now on); False when there was none."""
    revoked = False
    for token in session.scalars(select(CalendarToken).where(CalendarToken.user_id == user.id,
                                                             CalendarToken.revoked_at.is_(None))):
        token.revoked_at = utcnow()
        session.flush()
        audit.record(session, actor, "revoke", "calendar_token", token.id, before={"revoked": False},
                     after={"revoked": True})
        revoked = True
    return revoked


def lookup(session: Session, raw: str) -> CalendarToken | None:
    """The live calendar address holding `raw`, if its user may still see the meetings; else None.
    Reads only (a caller may count the fetch in another transaction before anything is written)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    wanted = hash_token(raw)
    token = session.scalar(select(CalendarToken).options(joinedload(CalendarToken.user))
                           .where(CalendarToken.token_hash == wanted))
    # The row is found by the hash's index; the comparison that decides is made in constant time.
    if token is None or not hmac.compare_digest(token.token_hash, wanted) or token.revoked_at is not None:
        return None
    return token if may_subscribe(token.user) else None


def feed(session: Session, token: CalendarToken, url_for_meeting, *, now: dt.datetime | None = None) -> str:
    """The meetings as iCalendar text for a live address from :func:`lookup`; records (flushes, never
    commits) when the address was last used, at most once an hour. Not audited: a use, not a change."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        token.last_used_at = now
        session.flush()
    return board.calendar(session, url_for_meeting)
