"""The audit log is append-only in the database itself: even SQL that bypasses the ORM cannot change it."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import DBAPIError

from portfolio.models import AuditEntry
from portfolio.services import audit
from tests import factories


@pytest.fixture
def entry_id(db):
    user = factories.make_user(db)
    entry = audit.record(db, user, "create", "user", user.id, after={"name": user.name})
    db.commit()
    return entry.id


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(action="delete"),
    delete(AuditEntry),
    text("UPDATE audit_entries SET after = NULL"),
    text("DELETE FROM audit_entries"),
], ids=["bulk update", "bulk delete", "SQL update", "SQL delete"])
def test_audit_rows_cannot_be_changed_or_deleted(db, entry_id, statement):
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(statement)
    db.rollback()
    entry = db.get(AuditEntry, entry_id)
    assert entry.action == "create" and entry.after is not None


def test_truncate_is_refused_on_postgresql(db, entry_id):
    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    with pytest.raises(DBAPIError, match="append-only"):
        db.execute(text("TRUNCATE audit_entries"))
    db.rollback()
    assert db.scalar(select(func.count(AuditEntry.id))) == 1


def test_new_entries_can_still_be_added(db, entry_id):
    audit.record(db, None, "seed_demo", "demo", None)
    db.commit()
    assert db.scalar(select(func.count(AuditEntry.id))) == 2
