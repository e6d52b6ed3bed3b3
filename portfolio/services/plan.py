"""The implementation plan (DESIGN §4): target groups, roll-out units, timeline, risks, lifecycle
owners and the school checkpoints. Written by the pilot's innovation leader; read-only once the
pilot is decided on (the process says so). Every change is audited; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.domain.process import Checkpoint, CheckpointStatus, OwnerLevel, Responsibility, RolloutStatus
from portfolio.models import (
    ImplementationPlan,
    LifecycleOwner,
    Milestone,
    Pilot,
    Risk,
    RolloutUnit,
    SchoolCheckpoint,
    Unit,
    User,
)

from . import audit, process


class PlanInputError(ValueError):
    """Input the plan refuses: `field` names the form field, `code` says why."""

    def __init__(self, field: str, code: str):
        super().__init__(field, code)
        self.field = field
        self.code = code


def plan_of(session: Session, pilot: Pilot) -> ImplementationPlan | None:
    """The pilot's plan with all its parts, or None before anything is written in it."""
    return process.get_plan(session, pilot)


def _plan(session: Session, pilot: Pilot) -> ImplementationPlan:
    """The pilot's plan, started (empty) on the first change."""
    process.check_open(pilot)
    plan = session.scalar(select(ImplementationPlan).where(ImplementationPlan.pilot_id == pilot.id))
    if plan is None:
        plan = ImplementationPlan(pilot_id=pilot.id, target_groups="", children_use_solution=None)
        session.add(plan)
        session.flush()
    return plan


def _log(session: Session, actor: User, action: str, entity: str, entity_id: int, pilot: Pilot, *,
         before: dict[str, Any] | None = None, after: dict[str, Any] | None = None) -> None:
    session.flush()
    if action == "update":
        audit.record_update(session, actor, entity, entity_id, before or {}, after or {}, pilot_id=pilot.id)
    else:
        audit.record(session, actor, action, entity, entity_id, pilot_id=pilot.id, before=before, after=after)


BASIC_FIELDS = ("target_groups", "children_use_solution")


def save_basics(session: Session, pilot: Pilot, *, target_groups: str, children_use_solution: bool | None,
                actor: User) -> None:
    """The target groups at full scale, and whether children use the solution."""
    plan = _plan(session, pilot)
    before = audit.snapshot(plan, BASIC_FIELDS)
    plan.target_groups, plan.children_use_solution = target_groups.strip(), children_use_solution
    _log(session, actor, "update", "implementation_plan", plan.id, pilot, before=before,
         after=audit.snapshot(plan, BASIC_FIELDS))


ROLLOUT_FIELDS = ("unit_id", "status", "planned_start", "in_use_from")


def set_rollout_unit(session: Session, pilot: Pilot, *, unit_id: int, status: RolloutStatus,
                     planned_start: dt.date | None, in_use_from: dt.date | None, actor: User) -> RolloutUnit:
    """Add a unit to roll out to, or change its status and dates if it is already in the plan."""
    plan = _plan(session, pilot)
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise PlanInputError("unit", "unknown_unit")
    status = RolloutStatus(status)
    if status is RolloutStatus.IN_USE and in_use_from is None:
        raise PlanInputError("in_use_from", "required")
    if planned_start and in_use_from and in_use_from < planned_start:
        raise PlanInputError("in_use_from", "before_start")
    row = session.scalar(select(RolloutUnit).where(RolloutUnit.plan_id == plan.id, RolloutUnit.unit_id == unit.id))
    if row is None:
        row = RolloutUnit(plan_id=plan.id, unit_id=unit.id, status=status, planned_start=planned_start,
                          in_use_from=in_use_from)
        session.add(row)
        session.flush()
        _log(session, actor, "create", "rollout_unit", row.id, pilot, after=audit.snapshot(row, ROLLOUT_FIELDS))
        return row
    before = audit.snapshot(row, ROLLOUT_FIELDS)
    row.status, row.planned_start, row.in_use_from = status, planned_start, in_use_from
    _log(session, actor, "update", "rollout_unit", row.id, pilot, before=before,
         after=audit.snapshot(row, ROLLOUT_FIELDS))
    return row


def add_milestone(session: Session, pilot: Pilot, *, due_on: dt.date, title: str, actor: User) -> Milestone:
    """Add a dated milestone to the timeline."""
    plan = _plan(session, pilot)
    if not title.strip():
        raise PlanInputError("title", "required")
    milestone = Milestone(plan_id=plan.id, due_on=due_on, title=title.strip())
    session.add(milestone)
    session.flush()
    _log(session, actor, "create", "milestone", milestone.id, pilot,
         after=audit.snapshot(milestone, MILESTONE_FIELDS))
    return milestone


def add_risk(session: Session, pilot: Pilot, *, description: str, mitigation: str, actor: User) -> Risk:
    """Add a risk with its mitigation."""
    plan = _plan(session, pilot)
    if not description.strip():
        raise PlanInputError("description", "required")
    risk = Risk(plan_id=plan.id, description=description.strip(), mitigation=mitigation.strip())
    session.add(risk)
    session.flush()
    _log(session, actor, "create", "risk", risk.id, pilot, after=audit.snapshot(risk, RISK_FIELDS))
    return risk


OWNER_FIELDS = ("responsibility", "level", "owner")


def set_owner(session: Session, pilot: Pilot, *, responsibility: Responsibility, level: OwnerLevel, owner: str,
              actor: User) -> LifecycleOwner:
    """Name who holds one lifecycle responsibility, and at which level."""
    plan = _plan(session, pilot)
    if not owner.strip():
        raise PlanInputError("owner", "required")
    responsibility = Responsibility(responsibility)
    row = session.scalar(select(LifecycleOwner).where(LifecycleOwner.plan_id == plan.id,
                                                      LifecycleOwner.responsibility == responsibility))
    if row is None:
        row = LifecycleOwner(plan_id=plan.id, responsibility=responsibility, level=OwnerLevel(level),
                             owner=owner.strip())
        session.add(row)
        session.flush()
        _log(session, actor, "create", "lifecycle_owner", row.id, pilot, after=audit.snapshot(row, OWNER_FIELDS))
        return row
    before = audit.snapshot(row, OWNER_FIELDS)
    row.level, row.owner = OwnerLevel(level), owner.strip()
    _log(session, actor, "update", "lifecycle_owner", row.id, pilot, before=before,
         after=audit.snapshot(row, OWNER_FIELDS))
    return row


CHECKPOINT_FIELDS = ("checkpoint", "status", "done_on", "not_needed_reason", "planned_on")


def set_checkpoint(session: Session, pilot: Pilot, *, checkpoint: Checkpoint, status: CheckpointStatus,
                   done_on: dt.date | None = None, not_needed_reason: str = "", planned_on: dt.date | None = None,
                   actor: User) -> SchoolCheckpoint:
    """Answer a school checkpoint: done (with a date), not needed (with a reason) or planned (with a date)."""
    plan = _plan(session, pilot)
    checkpoint, status = Checkpoint(checkpoint), CheckpointStatus(status)
    if status is CheckpointStatus.NOT_NEEDED and not not_needed_reason.strip():
        raise PlanInputError("not_needed_reason", "required")
    if status is CheckpointStatus.PLANNED and planned_on is None:
        raise PlanInputError("planned_on", "required")
    values = {
        "status": status,
        "done_on": done_on if status is CheckpointStatus.DONE else None,
        "not_needed_reason": not_needed_reason.strip() if status is CheckpointStatus.NOT_NEEDED else "",
        "planned_on": planned_on if status is CheckpointStatus.PLANNED else None,
    }
    row = session.scalar(select(SchoolCheckpoint).where(SchoolCheckpoint.plan_id == plan.id,
                                                        SchoolCheckpoint.checkpoint == checkpoint))
    if row is None:
        row = SchoolCheckpoint(plan_id=plan.id, checkpoint=checkpoint, **values)
        session.add(row)
        session.flush()
        _log(session, actor, "create", "school_checkpoint", row.id, pilot,
             after=audit.snapshot(row, CHECKPOINT_FIELDS))
        return row
    before = audit.snapshot(row, CHECKPOINT_FIELDS)
    for name, value in values.items():
        setattr(row, name, value)
    _log(session, actor, "update", "school_checkpoint", row.id, pilot, before=before,
         after=audit.snapshot(row, CHECKPOINT_FIELDS))
    return row


_PARTS = dict(rollout_unit=RolloutUnit, milestone=Milestone, risk=Risk)
MILESTONE_FIELDS = ("due_on", "title")
RISK_FIELDS = ("description", "mitigation")


def part_of(session: Session, pilot: Pilot, kind: str, part_id: int):
    """A roll-out unit, milestone or risk of this pilot's plan, or None."""
    model = _PARTS[kind]
    return session.scalar(
        select(model).join(ImplementationPlan, ImplementationPlan.id == model.plan_id)
        .where(model.id == part_id, ImplementationPlan.pilot_id == pilot.id)
    )


def _remove(session: Session, pilot: Pilot, entity: str, part, fields: tuple[str, ...], actor: User) -> None:
    process.check_open(pilot)
    audit.record(session, actor, "delete", entity, part.id, pilot_id=pilot.id, before=audit.snapshot(part, fields))
    session.delete(part)
    session.flush()


def remove_rollout_unit(session: Session, pilot: Pilot, part: RolloutUnit, actor: User) -> None:
    """Take a unit out of the roll-out."""
    _remove(session, pilot, "rollout_unit", part, ROLLOUT_FIELDS, actor)


def remove_milestone(session: Session, pilot: Pilot, part: Milestone, actor: User) -> None:
    """Take a milestone off the timeline."""
    _remove(session, pilot, "milestone", part, MILESTONE_FIELDS, actor)


def remove_risk(session: Session, pilot: Pilot, part: Risk, actor: User) -> None:
    """Take a risk out of the plan."""
    _remove(session, pilot, "risk", part, RISK_FIELDS, actor)

