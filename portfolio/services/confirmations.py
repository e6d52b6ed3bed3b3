"""Single-use confirmations for two-step actions (preview → confirm, review → decide).

A two-step action shows a page first and acts on the second request. Two clicks (or two tabs,
or two people) can send that second request twice at the same moment; the action must happen
once. How to use it:

    token = confirmations.new_token()          # step 1: put it in the confirm form (hidden
                                                #   field, or inside a signed payload)
    ...
    confirmations.consume(session, "cost_import", token, user=actor, pilot=pilot)   # step 2,
    ...do the action in the same transaction...  # first thing, before any other write
    session.commit()                           # (the view commits once)

`consume` inserts a row into used_confirmations, whose (purpose, token hash) pair is unique.
The second of two simultaneous confirmations waits for the first transaction (PostgreSQL: the
unique index; SQLite: the write lock) and then fails with AlreadyConfirmed, so exactly one of
them acts. If the first one fails and rolls back, its token is not used up: the user may try
again. After AlreadyConfirmed the session must be rolled back (the web layer does that).
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from portfolio.models import Pilot, UsedConfirmation, User

#: Longest purpose name (the column's length).
MAX_PURPOSE_LENGTH = 50


class AlreadyConfirmed(Exception):
    """This confirmation has been used already (by another request, perhaps at the same time)."""


def new_token() -> str:
    """A fresh random confirmation token for one two-step action."""
    return secrets.token_urlsafe(24)


def token_hash(token: str) -> str:
    """The stored form of a token: its SHA-256."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def consume(session: Session, purpose: str, token: str, *, user: User | None = None,
            pilot: Pilot | None = None) -> None:
    """Use up `token` for `purpose`; raise AlreadyConfirmed if it has been used.

    Flushes at once, so the unique constraint decides here, before the action writes anything.
    """
    if not token or len(purpose) > MAX_PURPOSE_LENGTH:
        raise AlreadyConfirmed()
    session.add(UsedConfirmation(purpose=purpose, token_hash=token_hash(token),
                                 user_id=user.id if user is not None else None,
                                 pilot_id=pilot.id if pilot is not None else None))
    try:
        session.flush()
    except IntegrityError as error:
        raise AlreadyConfirmed() from error


def is_used(session: Session, purpose: str, token: str) -> bool:
    """Whether `token` has been used for `purpose` (to word a page; `consume` decides)."""
    return session.scalar(select(UsedConfirmation.id).where(
        UsedConfirmation.purpose == purpose, UsedConfirmation.token_hash == token_hash(token))) is not None
