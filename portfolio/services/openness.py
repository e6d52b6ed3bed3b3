"""The open portfolio (DESIGN §9): the admin chooses which fields of which initiatives are public.

What is public is built here, from the chosen fields only, for both the public page and the
public API; a field not chosen is never read into the result.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portfolio.domain.openness import DEFAULT_PUBLIC_FIELDS, PublicField, public_fields
from portfolio.models import EffectGoal, Pilot, PublicInitiative, User

from . import audit, economics


def settings(session: Session) -> list[tuple[Pilot, PublicInitiative | None]]:
    """Every initiative by code, with its publication (None: not public)."""
    published = {row.pilot_id: row for row in session.scalars(select(PublicInitiative))}
    return [(pilot, published.get(pilot.id)) for pilot in session.scalars(select(Pilot).order_by(Pilot.code))]


def publication_of(session: Session, pilot: Pilot) -> PublicInitiative | None:
    return session.scalar(select(PublicInitiative).where(PublicInitiative.pilot_id == pilot.id))


def set_publication(session: Session, pilot: Pilot, fields: list[str] | None, actor: User) -> None:
    """Publish the initiative with these fields (None: unpublish). Unknown field names are dropped."""
    row = publication_of(session, pilot)
    before = {"public": row is not None, "fields": list(row.fields) if row else []}
    if fields is None:
        if row is not None:
            session.delete(row)
    else:
        chosen = [f.value for f in public_fields(fields)]
        if row is None:
            row = PublicInitiative(pilot_id=pilot.id, fields=chosen)
            session.add(row)
        else:
            row.fields = chosen
    session.flush()
    after = {"public": fields is not None, "fields": [f.value for f in public_fields(fields)] if fields is not None else []}
    audit.record_update(session, actor, "public_initiative", pilot.id, before, after, pilot_id=pilot.id)


def default_fields() -> list[str]:
    """The fields ticked when the admin publishes an initiative for the first time."""
    return [f.value for f in PublicField if f in DEFAULT_PUBLIC_FIELDS]


def _value(session: Session, pilot: Pilot, name: PublicField) -> Any:
    if name is PublicField.TITLE:
        return pilot.title
    if name is PublicField.UNIT:
        return pilot.unit.name if pilot.unit else None
    if name is PublicField.KIND:
        return pilot.kind.value
    if name is PublicField.STATUS:
        return pilot.phase.value
    if name is PublicField.CHALLENGE:
        return pilot.need or None
    if name is PublicField.DESCRIPTION:
        return pilot.description or None
    if name is PublicField.TARGET_GROUPS:
        return pilot.target_groups or None
    if name is PublicField.TEST_PERIOD:
        return {"start": pilot.test_start.isoformat() if pilot.test_start else None,
                "end": pilot.test_end.isoformat() if pilot.test_end else None}
    if name is PublicField.IMPACT_GOALS:
        goals = session.scalars(select(EffectGoal).where(EffectGoal.pilot_id == pilot.id)
                                .order_by(EffectGoal.position, EffectGoal.id))
        return [{"statement": goal.statement, "category": goal.category.value} for goal in goals]
    if name is PublicField.STAGE_REACHED:
        return int(pilot.step)
    if name is PublicField.RESULTS:
        return pilot.results_summary or None
    if name is PublicField.LESSONS:
        return pilot.lessons_learned or None
    if name in (PublicField.FUNDS_GRANTED, PublicField.FUNDS_USED):
        evaluation = economics.evaluate_pilot(session, pilot)
        amount = evaluation.views["full"].total_costs if name is PublicField.FUNDS_GRANTED else evaluation.spent_to_date
        return amount
    raise AssertionError(name)  # pragma: no cover - every PublicField is handled above


def public_initiatives(session: Session) -> list[dict[str, Any]]:
    """Every public initiative as {"code": ..., field: value} with only its chosen fields, by code.

    The code is the public identifier of an initiative; nothing else is added.
    """
    rows = session.scalars(
        select(PublicInitiative).join(PublicInitiative.pilot)
        .options(joinedload(PublicInitiative.pilot).joinedload(Pilot.unit))
        .order_by(Pilot.code)
    ).all()
    return [
        {"code": row.pilot.code, **{f.value: _value(session, row.pilot, f) for f in public_fields(row.fields)}}
        for row in rows
    ]



