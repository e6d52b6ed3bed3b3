"""Organisational units, goal frameworks and their goals: the lists the admin keeps.

Nothing here is deleted: pilots refer to units and goals, so a unit or goal that is no longer
used is deactivated (kept for history, no longer offered for new choices).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from portfolio.models import Goal, GoalFramework, Pilot, Unit, UnitLevel, User

from . import audit, concurrency

UNIT_FIELDS = ("name", "level", "active")
FRAMEWORK_FIELDS = ("name", "position", "active")
GOAL_FIELDS = ("name", "position", "active")


class DuplicateNameError(ValueError):
    """Another unit, framework or goal (in the same framework) already has this name."""


def _name_taken(session: Session, model, name: str, exclude_id: int | None, *where: ColumnElement[bool]) -> bool:
    # Compared in Python with casefold(): SQLite's lower() folds only ASCII, so "Östra skolan" and
    # "östra skolan" would slip past a SQL comparison there. The lists are short (units, goals).
    key = name.casefold()
    rows = session.execute(select(model.id, model.name).where(*where))
    return any(other_name.casefold() == key and other_id != exclude_id for other_id, other_name in rows)


def _clean(name: str) -> str:
    """A name as stored: inner runs of spaces made one, trimmed; a name of only spaces is refused."""
    cleaned = " ".join((name or "").split())
    if not cleaned:
        raise ValueError("a name cannot be blank")
    return cleaned


# Units ---------------------------------------------------------------------------------------


def list_units(session: Session) -> list[Unit]:
    """Every unit, active and inactive, by name."""
    return list(session.scalars(select(Unit).order_by(Unit.name, Unit.id)))


def active_units(session: Session) -> list[Unit]:
    """The units that may be chosen for a pilot, by name."""
    return list(session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.name, Unit.id)))


def unit_usage(session: Session) -> dict[int, int]:
    """How many pilots each unit has (units without pilots are left out): one query."""
    rows = session.execute(
        select(Pilot.unit_id, func.count(Pilot.id)).where(Pilot.unit_id.is_not(None)).group_by(Pilot.unit_id)
    )
    return {unit_id: count for unit_id, count in rows}


def _check_unit_name(session: Session, name: str, unit_id: int | None) -> None:
    if _name_taken(session, Unit, name, unit_id):
        raise DuplicateNameError(name)


def create_unit(session: Session, *, name: str, level: UnitLevel, actor: User | None) -> Unit:
    """Add an active unit. Raises DuplicateNameError when the name is taken."""
    name = _clean(name)
    _check_unit_name(session, name, None)
    unit = Unit(name=name, level=UnitLevel(level), active=True)
    session.add(unit)
    session.flush()
    audit.record(session, actor, "create", "unit", unit.id, after=audit.snapshot(unit, UNIT_FIELDS))
    return unit


def update_unit(session: Session, unit: Unit, *, name: str, level: UnitLevel, active: bool, actor: User | None,
                version: int | None = None) -> None:
    """Rename, re-level, deactivate or reactivate a unit. Raises DuplicateNameError."""
    concurrency.expect_version(session, unit, version)
    name = _clean(name)
    _check_unit_name(session, name, unit.id)
    before = audit.snapshot(unit, UNIT_FIELDS)
    unit.name, unit.level, unit.active = name, UnitLevel(level), active
    session.flush()
    audit.record_update(session, actor, "unit", unit.id, before, audit.snapshot(unit, UNIT_FIELDS))


# Goal frameworks and goals -------------------------------------------------------------------


def list_frameworks(session: Session) -> list[GoalFramework]:
    """Every framework with its goals, in their set order (two queries)."""
    statement = (
        select(GoalFramework)
        .options(selectinload(GoalFramework.goals))
        .order_by(GoalFramework.position, GoalFramework.name, GoalFramework.id)
    )
    return list(session.scalars(statement))


def active_frameworks(session: Session) -> list[tuple[GoalFramework, list[Goal]]]:
    """The active frameworks with their active goals, for choosing the goals a pilot serves."""
    return [
        (framework, [goal for goal in framework.goals if goal.active])
        for framework in list_frameworks(session)
        if framework.active
    ]


def _check_framework_name(session: Session, name: str, framework_id: int | None) -> None:
    if _name_taken(session, GoalFramework, name, framework_id):
        raise DuplicateNameError(name)


def create_framework(session: Session, *, name: str, actor: User | None) -> GoalFramework:
    """Add an active framework, placed last. Raises DuplicateNameError."""
    name = _clean(name)
    _check_framework_name(session, name, None)
    last = session.scalar(select(func.max(GoalFramework.position))) or 0
    framework = GoalFramework(name=name, position=last + 1, active=True)
    session.add(framework)
    session.flush()
    audit.record(
        session, actor, "create", "goal_framework", framework.id, after=audit.snapshot(framework, FRAMEWORK_FIELDS)
    )
    return framework


def update_framework(
    session: Session, framework: GoalFramework, *, name: str, position: int, active: bool, actor: User | None,
    version: int | None = None,
) -> None:
    """Rename, reorder, deactivate or reactivate a framework. Raises DuplicateNameError."""
    concurrency.expect_version(session, framework, version)
    name = _clean(name)
    _check_framework_name(session, name, framework.id)
    before = audit.snapshot(framework, FRAMEWORK_FIELDS)
    framework.name, framework.position, framework.active = name, position, active
    session.flush()
    audit.record_update(session, actor, "goal_framework", framework.id, before,
                        audit.snapshot(framework, FRAMEWORK_FIELDS))


def _check_goal_name(session: Session, framework_id: int, name: str, goal_id: int | None) -> None:
    if _name_taken(session, Goal, name, goal_id, Goal.framework_id == framework_id):
        raise DuplicateNameError(name)


def create_goal(session: Session, framework: GoalFramework, *, name: str, actor: User | None) -> Goal:
    """Add an active goal at the end of a framework. Raises DuplicateNameError within the framework."""
    name = _clean(name)
    _check_goal_name(session, framework.id, name, None)
    last = session.scalar(select(func.max(Goal.position)).where(Goal.framework_id == framework.id)) or 0
    goal = Goal(framework_id=framework.id, name=name, position=last + 1, active=True)
    session.add(goal)
    session.flush()
    after = audit.snapshot(goal, GOAL_FIELDS) | {"framework_id": framework.id}
    audit.record(session, actor, "create", "goal", goal.id, after=after)
    return goal


def update_goal(session: Session, goal: Goal, *, name: str, position: int, active: bool, actor: User | None,
                version: int | None = None) -> None:
    """Rename, reorder, deactivate or reactivate a goal. Raises DuplicateNameError."""
    concurrency.expect_version(session, goal, version)
    name = _clean(name)
    _check_goal_name(session, goal.framework_id, name, goal.id)
    before = audit.snapshot(goal, GOAL_FIELDS)
    goal.name, goal.position, goal.active = name, position, active
    session.flush()
    audit.record_update(session, actor, "goal", goal.id, before, audit.snapshot(goal, GOAL_FIELDS))
