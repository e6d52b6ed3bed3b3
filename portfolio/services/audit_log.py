"""Reading the audit log (writing it is `audit.record`): newest first, filtered, one page at a time."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portfolio.models import AuditEntry, Pilot, Unit, User

from .paging import Page, paginate


def list_entries(
    session: Session, *, entity: str | None = None, pilot_id: int | None = None, page: int = 1, per_page: int = 50
) -> Page[AuditEntry]:
    """One page of entries, newest first, with who made them (a fixed number of queries)."""
    statement = select(AuditEntry).options(joinedload(AuditEntry.actor)).order_by(
        AuditEntry.at.desc(), AuditEntry.id.desc()
    )
    if entity:
        statement = statement.where(AuditEntry.entity == entity)
    if pilot_id is not None:
        statement = statement.where(AuditEntry.pilot_id == pilot_id)
    return paginate(session, statement, page, per_page)


def logged_entities(session: Session) -> list[str]:
    """The kinds of object the log has entries for, for the filter."""
    return list(session.scalars(select(AuditEntry.entity).distinct().order_by(AuditEntry.entity)))


def pilot_codes(session: Session, pilot_ids: Iterable[int | None]) -> dict[int, str]:
    """The codes of the pilots named by entries (pilots are never deleted, but the log does not rely on it)."""
    ids = sorted({pilot_id for pilot_id in pilot_ids if pilot_id is not None})
    return {pilot_id: code for pilot_id, code in session.execute(select(Pilot.id, Pilot.code).where(Pilot.id.in_(ids)))}


def names_of(session: Session, user_ids: Iterable[int], unit_ids: Iterable[int]) -> tuple[dict[int, str], dict[int, str]]:
    """The names of these users and units by id (two queries, however many entries name them)."""
    user_ids, unit_ids = sorted(set(user_ids)), sorted(set(unit_ids))
    people = {row.id: row.name for row in session.execute(select(User.id, User.name).where(User.id.in_(user_ids)))}
    units = {row.id: row.name for row in session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids)))}
    return people, units


def pilot_id_for_code(session: Session, code: str) -> int | None:
    """The id of the pilot with this code (case-insensitive, e.g. inn-2024-007), if any."""
    return session.scalar(select(Pilot.id).where(Pilot.code == code.strip().upper()))
