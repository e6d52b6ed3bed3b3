"""The pilot register (DESIGN §3, §4): find, create, edit, move between phases, reassign.

Every change writes an audit entry in the same transaction and flushes; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload, selectinload

from portfolio.domain.initiatives import InitiativeKind, has_scale_up_steps
from portfolio.domain.lifecycle import (
    Origin,
    Phase,
    Step,
    check_move,
    check_move_details,
    check_test_started,
    format_code,
    step_after_move,
)
from portfolio.domain.roles import Role
from portfolio.models import Goal, GoalFramework, PhaseTransition, Pilot, PilotFigure, Unit, User, UserRole, utcnow

from . import audit, concurrency, economics, figures
from .paging import Page, paginate

# The administration's own calendar decides which year a new code belongs to.
LOCAL_TIMEZONE = ZoneInfo("Europe/Stockholm")
EDITABLE_FIELDS = (
    "title", "need", "description", "idea_bearer", "unit_id", "origin", "kind", "target_groups", "test_start",
    "test_end",
)
#: Sorted by the economics of every matching pilot (computed, not stored): see `register`.
FIGURE_SORT_KEYS = ("npv", "realisation", "signoff")
SORT_KEYS = ("code", "title", "phase", "unit", "updated", *FIGURE_SORT_KEYS)
_CODE_ATTEMPTS = 5


class PilotInputError(ValueError):
    """Input the register refuses: `field` names the form field, `reason` says why."""

    def __init__(self, field: str, reason: str):
        super().__init__(field, reason)
        self.field = field
        self.reason = reason


class NotAnInnovationLeaderError(ValueError):
    """The chosen user is not an active innovation leader."""


@dataclass(frozen=True)
class PilotData:
    """What a user types about a pilot (the code, leader and phase are the register's)."""

    title: str
    origin: Origin
    need: str = ""
    description: str = ""
    idea_bearer: str = ""
    unit_id: int | None = None
    target_groups: str = ""
    goal_ids: frozenset[int] = field(default_factory=frozenset)
    test_start: dt.date | None = None
    test_end: dt.date | None = None
    kind: InitiativeKind = InitiativeKind.INNOVATION


@dataclass(frozen=True)
class PilotFilters:
    """Search and sort of the register; None means "any"."""

    text: str = ""
    phase: Phase | None = None
    unit_id: int | None = None
    origin: Origin | None = None
    goal_id: int | None = None
    leader_id: int | None = None
    year: int | None = None  # the year the pilot was registered in (the year in its code)
    step: int | None = None  # the scale-up step reached
    kind: InitiativeKind | None = None
    sort: str = "code"
    descending: bool = False

    @property
    def narrowing(self) -> bool:
        """Whether any search or filter leaves pilots out."""
        return bool(self.text.strip()) or any(
            value is not None
            for value in (self.phase, self.unit_id, self.origin, self.goal_id, self.leader_id, self.year, self.step,
                          self.kind)
        )


# --- reading -------------------------------------------------------------------------------------


def _escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _conditions(filters: PilotFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    # Every word must occur somewhere, so "laiban förskola" narrows rather than widens.
    for term in filters.text.split():
        pattern = f"%{_escape_like(term)}%"
        conditions.append(or_(*(
            column.ilike(pattern, escape="\\")
            for column in (Pilot.code, Pilot.title, Pilot.need, Pilot.description, Pilot.idea_bearer)
        )))
    if filters.phase is not None:
        conditions.append(Pilot.phase == filters.phase)
    if filters.unit_id is not None:
        conditions.append(Pilot.unit_id == filters.unit_id)
    if filters.origin is not None:
        conditions.append(Pilot.origin == filters.origin)
    if filters.goal_id is not None:
        conditions.append(Pilot.goals.any(Goal.id == filters.goal_id))
    if filters.leader_id is not None:
        conditions.append(Pilot.innovation_leader_id == filters.leader_id)
    if filters.year is not None:
        conditions.append(Pilot.code.startswith(format_code(filters.year, 0).removesuffix("000"), autoescape=True))
    if filters.step is not None:
        conditions.append(Pilot.step == filters.step)
    if filters.kind is not None:
        conditions.append(Pilot.kind == filters.kind)
    return conditions


def filter_conditions(filters: PilotFilters) -> list[ColumnElement[bool]]:
    """The filters as SQL conditions on pilots (the portfolio overview filters with the same)."""
    return _conditions(filters)


def _ordering(filters: PilotFilters) -> list:
    def direction(column):
        return column.desc() if filters.descending else column.asc()

    if filters.sort == "title":
        keys = [direction(Pilot.title)]
    elif filters.sort == "phase":
        # Lifecycle order, not alphabetical: idea, test, scale-up (by step), ...
        lifecycle = case(*[(Pilot.phase == phase, index) for index, phase in enumerate(Phase)], else_=len(Phase))
        keys = [direction(lifecycle), direction(Pilot.step)]
    elif filters.sort == "unit":
        # Pilots without a unit last in both directions (SQLite and PostgreSQL disagree on NULLs).
        keys = [Unit.name.is_(None), direction(Unit.name)]
    elif filters.sort == "updated":
        keys = [direction(Pilot.updated_at)]
    else:
        return [direction(Pilot.code)]  # unique: a stable order on its own
    return [*keys, Pilot.code.asc()]  # a stable order for equal keys, so pages never overlap


def list_pilots(session: Session, filters: PilotFilters, *, page: int = 1, per_page: int = 25,
                within: Select | None = None) -> Page[Pilot]:
    """One page of the pilots matching `filters` (and among the ids `within` selects, when given),
    with unit and leader loaded.

    Runs a fixed number of queries however many pilots there are: a count, the page, and
    the leaders' roles. An out-of-range page number shows the nearest page.
    """
    statement = (
        select(Pilot)
        .outerjoin(Pilot.unit)
        .options(contains_eager(Pilot.unit), joinedload(Pilot.innovation_leader))
        .where(*_conditions(filters))
        .order_by(*_ordering(filters))
    )
    if within is not None:
        statement = statement.where(Pilot.id.in_(within))
    return paginate(session, statement, page, per_page)


def register(
    session: Session, filters: PilotFilters, *, page: int = 1, per_page: int = 25
) -> tuple[Page[Pilot], dict[int, economics.PilotFigures]]:
    """One page of the register with each pilot's NPV, realisation and sign-off.

    Sorted by a figure, the pilots are sorted in SQL on their stored figures (services.figures,
    refreshed first if anything changed); either way only the page's pilots are evaluated, in a
    fixed number of queries however many pilots. Pilots without the figure come last in both
    directions.
    """
    if filters.sort not in FIGURE_SORT_KEYS:
        result = list_pilots(session, filters, page=page, per_page=per_page)
        return result, economics.register_figures(session, result.items)
    figures.ensure(session)

    def direction(column):
        return column.desc() if filters.descending else column.asc()

    if filters.sort == "npv":
        keys = [PilotFigure.has_figures.is_(False), direction(PilotFigure.npv_full)]
    elif filters.sort == "realisation":
        keys = [PilotFigure.realisation.is_(None), direction(PilotFigure.realisation)]
    else:
        keys = [direction(Pilot.finance_signed_off_at.is_not(None))]
    statement = (
        select(Pilot)
        .outerjoin(Pilot.unit)
        .join(PilotFigure, PilotFigure.pilot_id == Pilot.id)
        .options(contains_eager(Pilot.unit), joinedload(Pilot.innovation_leader))
        .where(*_conditions(filters))
        .order_by(*keys, Pilot.code.asc())
    )
    result = paginate(session, statement, page, per_page)
    return result, economics.register_figures(session, result.items)


def get_pilot(session: Session, code: str) -> Pilot | None:
    """The pilot with this code, with everything its page shows loaded (unit, leader, goals, history)."""
    statement = (
        select(Pilot)
        .where(Pilot.code == code)
        .options(
            joinedload(Pilot.unit),
            joinedload(Pilot.innovation_leader),
            selectinload(Pilot.goals).joinedload(Goal.framework),
            selectinload(Pilot.transitions).joinedload(PhaseTransition.actor),
        )
    )
    return session.scalar(statement)


def filter_options(session: Session) -> tuple[list[Unit], list[Goal]]:
    """Every unit and goal a pilot may refer to (inactive ones too: old pilots still point at them)."""
    units = list(session.scalars(select(Unit).order_by(Unit.name)))
    goals = list(session.scalars(
        select(Goal).join(Goal.framework).options(contains_eager(Goal.framework))
        .order_by(GoalFramework.position, GoalFramework.name, Goal.position, Goal.name)
    ))
    return units, goals


def leader_and_year_options(session: Session) -> tuple[list[tuple[int, str]], list[int]]:
    """The people who lead (or may lead) pilots, by name, and the years pilots were registered in,
    newest first: what the leader and year filters offer."""
    leaders = [(row.id, row.name) for row in session.execute(
        select(User.id, User.name).where(
            User.id.in_(select(UserRole.user_id).where(UserRole.role == Role.INNOVATION_LEADER))
            | User.id.in_(select(Pilot.innovation_leader_id))
        ).order_by(User.name))]
    prefix = format_code(0, 0).split("-")[0] + "-"  # "INN-": the year follows it
    years = sorted({int(year) for year in session.scalars(
        select(func.substr(Pilot.code, len(prefix) + 1, 4)).where(Pilot.code.startswith(prefix)).distinct())
        if year and year.isdigit()}, reverse=True)
    return leaders, years


def form_options(session: Session, pilot: Pilot | None = None) -> tuple[list[Unit], list[Goal]]:
    """The units and goals a pilot form offers: the active ones, plus whatever the pilot already has."""
    kept_goal_ids = [goal.id for goal in pilot.goals] if pilot is not None else []
    unit_condition = Unit.active
    if pilot is not None and pilot.unit_id is not None:
        unit_condition = or_(Unit.active, Unit.id == pilot.unit_id)
    units = list(session.scalars(select(Unit).where(unit_condition).order_by(Unit.name)))
    goal_condition = Goal.active & GoalFramework.active
    if kept_goal_ids:
        goal_condition = or_(goal_condition, Goal.id.in_(kept_goal_ids))
    goals = list(session.scalars(
        select(Goal).join(Goal.framework).options(contains_eager(Goal.framework)).where(goal_condition)
        .order_by(GoalFramework.position, GoalFramework.name, Goal.position, Goal.name)
    ))
    return units, goals


def innovation_leaders(session: Session) -> list[User]:
    """Active users holding the innovation leader role, by name: who may be responsible for a pilot."""
    return list(session.scalars(
        select(User).join(UserRole).where(User.active, UserRole.role == Role.INNOVATION_LEADER).order_by(User.name)
    ))


# --- changing ------------------------------------------------------------------------------------


def _snapshot(pilot: Pilot, fields: tuple[str, ...] = EDITABLE_FIELDS) -> dict:
    return audit.snapshot(pilot, fields) | {"goal_ids": sorted(goal.id for goal in pilot.goals)}


def _checked(session: Session, data: PilotData, pilot: Pilot | None = None) -> tuple[PilotData, list[Goal]]:
    """`data` with text trimmed, after checking dates, unit and goals; and the goals it names.

    Inactive units and goals are refused unless the pilot already has them, so an edit never
    silently drops what an admin has since retired.
    """
    data = PilotData(
        title=data.title.strip(), origin=Origin(data.origin), need=data.need.strip(),
        description=data.description.strip(), idea_bearer=data.idea_bearer.strip(), unit_id=data.unit_id,
        target_groups=data.target_groups.strip(), goal_ids=frozenset(data.goal_ids),
        test_start=data.test_start, test_end=data.test_end, kind=InitiativeKind(data.kind),
    )
    if not data.title:
        raise PilotInputError("title", "required")
    if pilot is not None and pilot.kind != data.kind and (pilot.phase == Phase.SCALE_UP or pilot.step > Step.NONE):
        raise PilotInputError("kind", "kind_in_process")
    if data.test_start and data.test_end and data.test_end < data.test_start:
        raise PilotInputError("test_end", "end_before_start")
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or not (unit.active or (pilot is not None and pilot.unit_id == unit.id)):
            raise PilotInputError("unit", "unknown_unit")
    goals: list[Goal] = []
    if data.goal_ids:
        kept = {goal.id for goal in pilot.goals} if pilot is not None else set()
        goals = list(session.scalars(
            select(Goal).join(Goal.framework).options(contains_eager(Goal.framework))
            .where(Goal.id.in_(data.goal_ids))
            .order_by(GoalFramework.position, Goal.position, Goal.id)
        ))
        usable = [goal for goal in goals if (goal.active and goal.framework.active) or goal.id in kept]
        if len(usable) != len(data.goal_ids):
            raise PilotInputError("goals", "unknown_goal")
    return data, goals


def local_today() -> dt.date:
    """Today's date in the administration's time zone."""
    return dt.datetime.now(LOCAL_TIMEZONE).date()


def next_code(session: Session, year: int) -> str:
    """The next free code of `year`: one more than the highest number used that year."""
    prefix = format_code(year, 0).removesuffix("000")
    numbers = [
        int(code.removeprefix(prefix))
        for code in session.scalars(select(Pilot.code).where(Pilot.code.startswith(prefix, autoescape=True)))
        if code.removeprefix(prefix).isdigit()
    ]
    return format_code(year, max(numbers, default=0) + 1)


def create_pilot(session: Session, data: PilotData, actor: User, *, today: dt.date | None = None) -> Pilot:
    """Register a new pilot with `actor` as its responsible innovation leader.

    The code is the next number of the year (INN-2026-001, ...). A pilot with a test start
    date begins in the test phase, otherwise as an idea; that first phase is recorded as a
    transition from nothing. Raises PilotInputError for input the register refuses.
    """
    data, goals = _checked(session, data)
    today = today or local_today()
    phase = Phase.TEST if data.test_start is not None else Phase.IDEA
    pilot = Pilot(
        title=data.title, need=data.need, description=data.description, idea_bearer=data.idea_bearer,
        unit_id=data.unit_id, origin=data.origin, kind=data.kind, target_groups=data.target_groups,
        test_start=data.test_start, test_end=data.test_end, innovation_leader_id=actor.id,
        phase=phase, step=Step.NONE, goals=goals,
    )
    for attempt in range(_CODE_ATTEMPTS):
        pilot.code = next_code(session, today.year)
        # Two people saving at the same moment may pick the same number: the unique
        # constraint refuses the second, which then tries the next number.
        try:
            with session.begin_nested():
                session.add(pilot)
                session.flush()
            break
        except IntegrityError:
            if attempt == _CODE_ATTEMPTS - 1:
                raise
    session.add(PhaseTransition(
        pilot=pilot, from_phase=None, to_phase=phase, from_step=Step.NONE, to_step=Step.NONE, actor_id=actor.id,
    ))
    session.flush()
    after = _snapshot(pilot, ("code", *EDITABLE_FIELDS, "innovation_leader_id", "phase", "step"))
    audit.record(session, actor, "create", "pilot", pilot.id, pilot_id=pilot.id, after=after)
    return pilot


def update_pilot(session: Session, pilot: Pilot, data: PilotData, actor: User, *, version: int | None = None) -> bool:
    """Change what users type about a pilot; False (and no audit entry) when nothing changed.

    The audit entry keeps the before and after of the changed fields only. StaleEdit when
    `version` (the pilot's version the form was made from) is not the stored one any more.
    """
    concurrency.expect_version(session, pilot, version)
    data, goals = _checked(session, data, pilot)
    before = _snapshot(pilot)
    for name in EDITABLE_FIELDS:
        setattr(pilot, name, getattr(data, name))
    if {goal.id for goal in pilot.goals} != data.goal_ids:
        pilot.goals = goals
    after = _snapshot(pilot)
    if before == after:
        return False
    pilot.updated_at = utcnow()  # also when only the goals changed, which touches no pilot column
    session.flush()
    audit.record(session, actor, "update", "pilot", pilot.id, pilot_id=pilot.id, before=before, after=after)
    return True


def move_phase(session: Session, pilot: Pilot, target: Phase, comment: str, actor: User, *,
               revisit_on: dt.date | None = None, lessons_learned: str = "",
               at: dt.datetime | None = None, version: int | None = None) -> PhaseTransition:
    """Move a pilot by hand to `target` and record the transition (append-only) and an audit entry.

    Parking takes the date to revisit the pilot, closing its lessons learned (DESIGN §3); both are
    kept on the pilot. `at` dates the move (the demo's history); by default it is now.

    Raises StaleEdit when `version` (the pilot's version the move was chosen on) is not the
    pilot's version any more, and domain.lifecycle.TransitionError for a move the lifecycle
    refuses, e.g. parking without a reason or without a date to revisit.
    """
    concurrency.expect_version(session, pilot, version)
    target = Phase(target)
    comment = comment.strip()
    lessons_learned = (lessons_learned or "").strip()
    today = (at if at.tzinfo else at.replace(tzinfo=dt.UTC)).astimezone(LOCAL_TIMEZONE).date() if at else local_today()
    # A pilot not yet flushed has no kind yet: the column default (an innovation pilot) applies.
    kind = pilot.kind or InitiativeKind.INNOVATION
    check_move(pilot.phase, target, comment=comment, scale_up_steps=has_scale_up_steps(kind))
    check_test_started(target, pilot.test_start, today)
    check_move_details(target, revisit_on=revisit_on, lessons_learned=lessons_learned, today=today)
    fields = ("phase", "step", "revisit_on", "lessons_learned")
    before = audit.snapshot(pilot, fields)
    transition = PhaseTransition(
        pilot=pilot, from_phase=pilot.phase, to_phase=target, from_step=pilot.step,
        to_step=step_after_move(pilot.phase, target, pilot.step), actor_id=actor.id, comment=comment,
    )
    if at is not None:
        transition.at = at
    pilot.phase, pilot.step = target, transition.to_step
    if target is Phase.PARKED:
        pilot.revisit_on = revisit_on
    if target is Phase.CLOSED:
        pilot.lessons_learned = lessons_learned
    session.add(transition)
    session.flush()
    audit.record(
        session, actor, "move_phase", "pilot", pilot.id, pilot_id=pilot.id,
        before=before | {"comment": None}, after=audit.snapshot(pilot, fields) | {"comment": comment},
    )
    return transition


def reassign_leader(session: Session, pilot: Pilot, leader_id: int, actor: User, *,
                    version: int | None = None) -> bool:
    """Make another active innovation leader responsible for the pilot; False when it is already theirs.

    Raises NotAnInnovationLeaderError when the user is unknown, inactive or lacks the role, and
    StaleEdit when `version` is not the pilot's version any more.
    """
    concurrency.expect_version(session, pilot, version)
    leader = session.scalar(
        select(User).join(UserRole)
        .where(User.id == leader_id, User.active, UserRole.role == Role.INNOVATION_LEADER)
    )
    if leader is None:
        raise NotAnInnovationLeaderError(leader_id)
    if pilot.innovation_leader_id == leader.id:
        return False
    before = {"innovation_leader_id": pilot.innovation_leader_id}
    pilot.innovation_leader_id = leader.id
    pilot.innovation_leader = leader
    session.flush()
    audit.record(
        session, actor, "reassign_leader", "pilot", pilot.id, pilot_id=pilot.id,
        before=before, after={"innovation_leader_id": leader.id},
    )
    return True
