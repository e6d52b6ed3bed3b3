"""Login throttling kept in the database: failures per account and per address, delays and locks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio.domain.login_protection import ACCOUNT, ADDRESS, POLICIES, is_forgotten, locks_now, next_attempt_at
from portfolio.models import LoginThrottle, User, utcnow

from . import audit
from .users import normalise_email

THROTTLE_FIELDS = ("scope", "key", "failures", "locked_until")


@dataclass(frozen=True)
class Refusal:
    """An attempt refused before the password is checked: when to try again, and whether it is a lock."""

    retry_at: dt.datetime
    locked: bool

    def seconds_left(self, now: dt.datetime) -> int:
        """Whole seconds until `retry_at`, at least 1."""
        return max(1, int((self.retry_at - now).total_seconds() + 0.999))


def _keys(email: str, address: str | None) -> list[tuple[str, str]]:
    keys = [(ACCOUNT, normalise_email(email)[:254])]
    if address:
        keys.append((ADDRESS, address[:254]))
    return keys


def _rows(session: Session, keys: list[tuple[str, str]]) -> list[LoginThrottle]:
    conditions = [(LoginThrottle.scope == scope) & (LoginThrottle.key == key) for scope, key in keys]
    return list(session.scalars(select(LoginThrottle).where(or_(*conditions))))


def refusal(session: Session, email: str, address: str | None, *, now: dt.datetime | None = None) -> Refusal | None:
    """Why an attempt for `email` from `address` must wait, or None when it may go ahead."""
    now = now or utcnow()
    worst: Refusal | None = None
    for row in _rows(session, _keys(email, address)):
        retry_at = next_attempt_at(row.failures, row.last_failure_at, row.locked_until, now, POLICIES[row.scope])
        if retry_at is not None and (worst is None or retry_at > worst.retry_at):
            worst = Refusal(retry_at, locked=row.locked_until is not None and row.locked_until > now)
    return worst


def _row_for(session: Session, scope: str, key: str, now: dt.datetime) -> LoginThrottle:
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key))
    if row is not None:
        return row
    try:
        with session.begin_nested():  # another process may insert the same key at the same time
            row = LoginThrottle(scope=scope, key=key, failures=0, first_failure_at=now, last_failure_at=now)
            session.add(row)
    except IntegrityError:
        row = session.scalar(select(LoginThrottle).where(LoginThrottle.scope == scope, LoginThrottle.key == key))
    return row


def record_failure(
    session: Session, email: str, address: str | None, *, actor: User | None = None, now: dt.datetime | None = None
) -> list[LoginThrottle]:
    """Count a failed attempt for the account and the address; returns the rows this failure locked.

    The count is raised in the database (`failures = failures + 1`), so that failures from
    several server processes at once all count. A lock is written to the audit log.
    """
    now = now or utcnow()
    locked = []
    for scope, key in _keys(email, address):
        policy = POLICIES[scope]
        row = _row_for(session, scope, key, now)
        expired_lock = row.locked_until is not None and row.locked_until <= now
        if expired_lock or (row.locked_until is None and is_forgotten(row.last_failure_at, now, policy)):
            row.failures, row.first_failure_at, row.locked_until = 0, now, None
            session.flush()
        session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.id == row.id)
            .values(failures=LoginThrottle.failures + 1, last_failure_at=now)
            .execution_options(synchronize_session=False)
        )
        session.refresh(row)
        if row.locked_until is None and locks_now(row.failures, policy):
            row.locked_until = now + policy.lock_duration
            session.flush()
            audit.record(session, actor, "login_locked", "login_throttle", row.id,
                         after=audit.snapshot(row, THROTTLE_FIELDS))
            locked.append(row)
    session.flush()
    return locked


def record_success(session: Session, email: str) -> None:
    """A successful sign-in clears the account's count (the address keeps its own until it ages out)."""
    row = session.scalar(
        select(LoginThrottle).where(LoginThrottle.scope == ACCOUNT, LoginThrottle.key == normalise_email(email))
    )
    if row is not None and (row.locked_until is None or row.locked_until <= utcnow()):
        session.delete(row)
        session.flush()


def current_throttles(session: Session, *, now: dt.datetime | None = None) -> list[LoginThrottle]:
    """Accounts and addresses that are locked or must wait now, locks first, then by last failure."""
    now = now or utcnow()
    rows = session.scalars(select(LoginThrottle).order_by(LoginThrottle.last_failure_at.desc()))
    waiting = [
        row for row in rows
        if next_attempt_at(row.failures, row.last_failure_at, row.locked_until, now, POLICIES[row.scope]) is not None
    ]
    return sorted(waiting, key=lambda row: row.locked_until is None or row.locked_until <= now)


def get_throttle(session: Session, throttle_id: int) -> LoginThrottle | None:
    """One throttle row by id."""
    return session.get(LoginThrottle, throttle_id)


def lift(session: Session, throttle: LoginThrottle, actor: User | None) -> None:
    """Lift a lock or delay at once (the admin's decision), written to the audit log."""
    before = audit.snapshot(throttle, THROTTLE_FIELDS)
    session.delete(throttle)
    session.flush()
    audit.record(session, actor, "login_unlocked", "login_throttle", throttle.id, before=before)


__all__ = ["ACCOUNT", "ADDRESS", "Refusal", "current_throttles", "get_throttle", "lift", "record_failure",
           "record_success", "refusal"]
