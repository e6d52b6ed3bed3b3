"""Audit log entries, written in the same transaction as the change they describe."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from portfolio.models import AuditEntry, User


#: The actions of security events (record_event): what the app saw, not a change anyone made.
SECURITY_ACTIONS = frozenset({
    "login_succeeded", "login_failed", "login_unknown_email", "login_refused", "logout", "session_expired",
    "access_denied", "csrf_failed", "reauthentication_failed", "login_locked", "rate_limited",
    "sso_login_failed",
})


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: Decimals as strings (exact), dates and times in ISO form, enums by value."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): jsonable(item) for key, item in value.items()}
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of `obj` as a JSON-safe dict, for the before/after of an entry."""
    return {name: jsonable(getattr(obj, name)) for name in fields}


def record(
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    pilot_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add an audit entry; only the fields that changed are kept when both sides are given."""
    if before is not None and after is not None:
        changed = {key for key in set(before) | set(after) if before.get(key) != after.get(key)}
        before = {key: before.get(key) for key in sorted(changed)}
        after = {key: after.get(key) for key in sorted(changed)}
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action,
        entity=entity,
        entity_id=entity_id,
        pilot_id=pilot_id,
        before=jsonable(before) if before is not None else None,
        after=jsonable(after) if after is not None else None,
    )
    session.add(entry)
    return entry


def record_event(
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: int | None = None,
    *,
    address: str | None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """A security event (a sign-in, a refused request, a lock): who, what, when, from which address.

    The details name the e-mail typed, the path asked for and the like; never a password or token.
    """
    return record(session, actor, action, entity, entity_id, after={"address": address} | (details or {}))


def record_update(
    session: Session,
    actor: User | None,
    entity: str,
    entity_id: int,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    pilot_id: int | None = None,
) -> bool:
    """An "update" entry with the fields that changed; none when nothing did (True when written).

    Saving an unchanged form is not a change worth logging.
    """
    if before == after:
        return False
    record(session, actor, "update", entity, entity_id, pilot_id=pilot_id, before=before, after=after)
    return True
