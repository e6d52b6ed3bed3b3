"""Optimistic concurrency: a save from a stale form is refused, never merged silently.

How every edit works (DESIGN §7, STYLE 13):

1. The model mixes in `portfolio.models.base.Versioned`: a `version` column that SQLAlchemy
   raises with every UPDATE and checks in its WHERE clause.
2. The edit form (`portfolio.web.forms.VersionedForm`) carries the version it was opened with
   in a hidden field.
3. The service calls `expect_version(session, obj, version)` before changing anything: it
   reads the row again and raises `StaleEdit` when someone saved in between.
4. Two saves that pass step 3 at the same moment are decided by the database: the second
   UPDATE ... WHERE version = n finds no row and SQLAlchemy raises StaleDataError, which the
   web layer (`portfolio.web.concurrency.save`) treats exactly like StaleEdit.

Changes to a pilot's decision basis (costs, valuation, parameters, goals, indicators,
measurements) and finance's sign-off are serialised on the pilot row by `lock_pilot`, which
also raises the pilot's `basis_version`; a sign-off names the basis_version finance looked at.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.exc import StaleDataError

from portfolio.models import Pilot


class StaleEdit(Exception):
    """The form was made from an older version of the row than the one stored now."""

    def __init__(self, obj: Any = None):
        super().__init__("stale edit")
        self.obj = obj


#: What a save from a stale form raises: our own check, or SQLAlchemy's at the UPDATE.
STALE_ERRORS = (StaleEdit, StaleDataError)


def expect_version(session: Session, obj: Any, version: int | None) -> None:
    """Raise StaleEdit unless `obj` is still at `version` (None: the caller has no version).

    Reads the row again first, so a change saved since the page loaded is seen. Call before
    changing any attribute of `obj` (the refresh would discard them).
    """
    if version is None:
        return
    session.refresh(obj)
    if obj.version != version:
        raise StaleEdit(obj)


def lock_pilot(session: Session, pilot: Pilot) -> int:
    """Serialise a change to the pilot's decision basis; return the basis_version it had.

    One UPDATE raises pilots.basis_version: it waits for any other transaction holding the row
    (PostgreSQL row lock, SQLite write lock) and afterwards holds it until commit. The pilot's
    sign-off fields are read again under the lock, so a sign-off given meanwhile is seen (and
    cleared by the caller), and a sign-off waiting behind this change sees the new version.
    Pending changes to `pilot` are kept. Only the first call in a transaction raises the counter.
    """
    info = session.info.setdefault("locked_pilots", {})
    if pilot.id in info:
        return info[pilot.id]
    row = session.execute(
        update(Pilot)
        .where(Pilot.id == pilot.id)
        .values(basis_version=Pilot.basis_version + 1)
        .returning(Pilot.basis_version, Pilot.version, Pilot.finance_signed_off_by_id, Pilot.finance_signed_off_at,
                   Pilot.phase, Pilot.step)
        .execution_options(synchronize_session=False)
    ).one()
    for name in ("basis_version", "version", "finance_signed_off_by_id", "finance_signed_off_at", "phase", "step"):
        set_committed_value(pilot, name, getattr(row, name))
    info[pilot.id] = row.basis_version - 1
    return info[pilot.id]


@event.listens_for(Session, "after_transaction_end")
def _forget_locks(session: Session, transaction) -> None:
    """A lock ends with its transaction: the next transaction locks (and counts) again."""
    if transaction.parent is None:
        session.info.pop("locked_pilots", None)
