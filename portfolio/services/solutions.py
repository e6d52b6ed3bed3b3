"""The solution register (DESIGN §9): solutions in operation (förvaltningsobjekt).

A scale-up decision turns a pilot into a solution carrying its implementation plan's lifecycle
owners and AI use (:func:`create_from_pilot`, called by the process service in the decision's
transaction); tools that never were pilots are entered by hand. Every change writes an audit
entry and flushes; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from portfolio.domain.process import OwnerLevel, Responsibility, RolloutStatus
from portfolio.domain.solutions import (
    AI_RISK_ORDER,
    AiRiskClass,
    SolutionError,
    check_ai,
    check_decommission,
    contract_ends_soon,
    missing_responsibilities,
)
from portfolio.models import ImplementationPlan, Pilot, Solution, SolutionOwner, Unit, User, utcnow

from . import audit

FIELDS = ("name", "description", "pilot_id", "system_owner", "contract_end", "yearly_cost", "uses_ai",
          "ai_risk_class", "ai_use")


@dataclass(frozen=True)
class SolutionData:
    """What is entered about a solution by hand."""

    name: str
    description: str = ""
    system_owner: str = ""
    contract_end: dt.date | None = None
    yearly_cost: Decimal | None = None
    uses_ai: bool = False
    ai_risk_class: AiRiskClass | None = None
    ai_use: str = ""
    unit_ids: frozenset[int] = field(default_factory=frozenset)
    owners: dict[tuple[Responsibility, OwnerLevel], str] = field(default_factory=dict)


def _snapshot(solution: Solution) -> dict:
    return audit.snapshot(solution, FIELDS) | {
        "unit_ids": sorted(unit.id for unit in solution.units),
        "owners": sorted(f"{o.responsibility.value}/{o.level.value}: {o.owner}" for o in solution.owners),
    }


def create_from_pilot(session: Session, pilot: Pilot, actor: User) -> Solution:
    """The solution a scale-up decision creates from the pilot's implementation plan.

    Idempotent: a pilot becomes one solution (a unique constraint holds it), so calling this
    again returns the existing one unchanged.
    """
    existing = session.scalar(select(Solution).where(Solution.pilot_id == pilot.id))
    if existing is not None:
        return existing
    plan = session.scalar(
        select(ImplementationPlan).where(ImplementationPlan.pilot_id == pilot.id)
        .options(selectinload(ImplementationPlan.lifecycle_owners), selectinload(ImplementationPlan.rollout_units))
    )
    solution = Solution(name=pilot.title, description=pilot.description or "", pilot_id=pilot.id,
                        created_by_id=actor.id)
    if plan is not None:
        solution.uses_ai = bool(plan.uses_ai)
        solution.ai_risk_class = plan.ai_risk_class if plan.uses_ai else None
        solution.owners = [
            SolutionOwner(responsibility=o.responsibility, level=o.level, owner=o.owner)
            for o in plan.lifecycle_owners if o.owner.strip()
        ]
        in_use = [r.unit_id for r in plan.rollout_units if r.status is RolloutStatus.IN_USE]
        if in_use:
            solution.units = list(session.scalars(select(Unit).where(Unit.id.in_(in_use))))
    try:
        with session.begin_nested():
            session.add(solution)
            session.flush()
    except IntegrityError:
        # Made by a concurrent request in the meantime: that one stands.
        return session.scalar(select(Solution).where(Solution.pilot_id == pilot.id))
    audit.record(session, actor, "create_from_pilot", "solution", solution.id, pilot_id=pilot.id,
                 after=_snapshot(solution))
    return solution


def create_solution(session: Session, data: SolutionData, actor: User) -> Solution:
    """Enter a solution by hand (a tool that never was a pilot). Raises SolutionError."""
    name = data.name.strip()
    if not name:
        raise SolutionError("name", "required")
    check_ai(data.uses_ai, data.ai_risk_class)
    if data.yearly_cost is not None and data.yearly_cost < 0:
        raise SolutionError("yearly_cost", "negative")
    units = list(session.scalars(select(Unit).where(Unit.id.in_(data.unit_ids)))) if data.unit_ids else []
    if len(units) != len(data.unit_ids):
        raise SolutionError("units", "unknown_unit")
    solution = Solution(
        name=name, description=data.description.strip(), system_owner=data.system_owner.strip(),
        contract_end=data.contract_end, yearly_cost=data.yearly_cost, uses_ai=data.uses_ai,
        ai_risk_class=data.ai_risk_class if data.uses_ai else None, ai_use=data.ai_use.strip() if data.uses_ai else "",
        created_by_id=actor.id, units=units,
        owners=[
            SolutionOwner(responsibility=role, level=level, owner=owner.strip())
            for (role, level), owner in sorted(data.owners.items()) if owner.strip()
        ],
    )
    session.add(solution)
    session.flush()
    audit.record(session, actor, "create", "solution", solution.id, after=_snapshot(solution))
    return solution


def decommission(session: Session, solution: Solution, decommissioned_on: dt.date | None, reason: str,
                 actor: User) -> None:
    """Decommission the solution (date and reason); it stays in the register with its history."""
    check_decommission(decommissioned_on, reason, already=solution.decommissioned_on is not None)
    before = audit.snapshot(solution, ("decommissioned_on", "decommission_reason"))
    # Once: a conditional update, so two people decommissioning at the same moment get one record.
    claimed = session.execute(
        update(Solution).where(Solution.id == solution.id, Solution.decommissioned_on.is_(None))
        .values(decommissioned_on=decommissioned_on, decommission_reason=reason.strip(), updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise SolutionError("decommissioned_on", "already")
    solution.decommissioned_on = decommissioned_on
    solution.decommission_reason = reason.strip()
    session.flush()
    audit.record(session, actor, "decommission", "solution", solution.id, pilot_id=solution.pilot_id,
                 before=before, after=audit.snapshot(solution, ("decommissioned_on", "decommission_reason")))


def get_solution(session: Session, solution_id: int) -> Solution | None:
    """One solution with its owners, units and pilot."""
    return session.scalar(
        select(Solution).where(Solution.id == solution_id)
        .options(selectinload(Solution.owners), selectinload(Solution.units), joinedload(Solution.pilot))
    )


def solution_of_pilot(session: Session, pilot: Pilot) -> Solution | None:
    """The solution a scaled-up pilot became, if any."""
    return session.scalar(select(Solution).where(Solution.pilot_id == pilot.id))


@dataclass(frozen=True)
class RegisterLine:
    """One solution as the register shows it."""

    solution: Solution
    owners: dict[tuple[Responsibility, OwnerLevel], str]
    missing: tuple[Responsibility, ...]
    contract_ending: bool

    @property
    def active(self) -> bool:
        return self.solution.decommissioned_on is None


@dataclass(frozen=True)
class Register:
    """The whole register: solutions in operation, decommissioned ones, and AI in use by class."""

    active: list[RegisterLine]
    decommissioned: list[RegisterLine]
    ai_by_class: dict[AiRiskClass, list[Solution]]

    @property
    def flagged(self) -> list[RegisterLine]:
        return [line for line in self.active if line.missing or line.contract_ending]


def register(session: Session, *, today: dt.date) -> Register:
    """Every solution with its owners per level and its flags, in three queries."""
    solutions = list(session.scalars(
        select(Solution).options(selectinload(Solution.owners), selectinload(Solution.units), joinedload(Solution.pilot))
        .order_by(Solution.name, Solution.id)
    ))
    active, gone = [], []
    ai: dict[AiRiskClass, list[Solution]] = defaultdict(list)
    for solution in solutions:
        owners = {(o.responsibility, o.level): o.owner for o in solution.owners}
        line = RegisterLine(
            solution=solution, owners=owners,
            missing=missing_responsibilities(role for role, _level in owners),
            contract_ending=contract_ends_soon(solution.contract_end, today),
        )
        (active if solution.decommissioned_on is None else gone).append(line)
        if solution.decommissioned_on is None and solution.uses_ai and solution.ai_risk_class is not None:
            ai[solution.ai_risk_class].append(solution)
    return Register(active, gone, {risk: ai[risk] for risk in AI_RISK_ORDER})


def list_solutions(session: Session, *, page: int = 1, per_page: int = 50):
    """Solutions by name, one page (for the API)."""
    from .paging import paginate

    statement = (select(Solution).options(selectinload(Solution.owners), selectinload(Solution.units),
                                          joinedload(Solution.pilot)).order_by(Solution.name, Solution.id))
    return paginate(session, statement, page, per_page)
