"""Follow-up after scale-up (DESIGN §4, §5): the schedule, benefit owners and harvest decisions.

The schedule is created when a scale-up decision is recorded (the process service calls
`create_schedule`); the management group may change it per pilot. Statuses and the three
amounts per benefit (potential, realised, harvested) come from `portfolio.domain.follow_up`.

The reading functions take the pilots to look at as a subquery of pilot ids (None: every
pilot), so a page reads a fixed number of queries however many pilots there are, and return
plain rows. Every change is audited; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, contains_eager, joinedload

from portfolio.domain import follow_up as rules
from portfolio.domain import portfolio as portfolio_rules
from portfolio.domain.follow_up import Benefit, BenefitInput, FollowUpState, FollowUpStatus, HarvestKind
from portfolio.domain.process import DecisionOutcome, RolloutStatus
from portfolio.models import (
    AuditEntry,
    BenefitOwner,
    Decision,
    EffectGoal,
    FollowUp,
    HarvestDecision,
    ImplementationPlan,
    Indicator,
    Measurement,
    MeasurementPhase,
    Pilot,
    RolloutUnit,
    Unit,
    User,
    utcnow,
)

from . import audit, concurrency

FOLLOW_UP_FIELDS = ("due_on", "decision_id")


def _read(session: Session, statement):
    """Plain rows of a column query, run on the session's connection without the ORM's row handling
    (pending changes are flushed first, as a session query would)."""
    session.flush()
    return session.connection().execute(statement)


def _scaled_up_ids() -> Select:
    """The ids of pilots with a scale-up decision: the pilots that are followed up."""
    return select(Decision.pilot_id).where(Decision.outcome == DecisionOutcome.SCALE_UP)


def _restrict(statement: Select, column, pilot_ids: Select | None) -> Select:
    statement = statement.where(column.in_(_scaled_up_ids()))
    return statement if pilot_ids is None else statement.where(column.in_(pilot_ids))


# ------------------------------------------------------------------------------------------------
# The schedule
# ------------------------------------------------------------------------------------------------


def create_schedule(session: Session, pilot: Pilot, decision: Decision, actor: User | None) -> list[FollowUp]:
    """The default follow-up schedule after a scale-up decision: 6, 12 and 24 months after it."""
    rows = [
        FollowUp(pilot_id=pilot.id, decision_id=decision.id, due_on=due_on,
                 created_by_id=actor.id if actor is not None else None)
        for due_on in rules.default_schedule(decision.decided_on)
    ]
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(session, actor, "create", "follow_up", row.id, pilot_id=pilot.id,
                     after=audit.snapshot(row, FOLLOW_UP_FIELDS))
    return rows


@dataclass(frozen=True)
class PilotRef:
    """The few facts about a pilot a list row shows and links with."""

    id: int
    code: str
    title: str


@dataclass(frozen=True)
class Schedule:
    """A pilot's follow-ups with their statuses."""

    pilot: PilotRef
    decided_on: dt.date | None  # the scale-up decision's date
    states: list[FollowUpState]


def schedules(session: Session, *, pilot_ids: Select | None = None, today: dt.date | None = None,
              indicators: dict[int, list[int]] | None = None) -> list[Schedule]:
    """The follow-up schedules of the scaled-up pilots (those in `pilot_ids`), with statuses.

    Four queries whatever the number of pilots: the follow-ups with their pilots, the scale-up
    decisions' dates, the indicators (unless the caller has them: `indicators`, the indicator ids
    by pilot id) and the follow-up measurements' dates.
    """
    today = today or dt.date.today()
    rows = _read(session,
        _restrict(select(FollowUp.pilot_id, FollowUp.due_on, Pilot.code, Pilot.title)
                  .join(Pilot, Pilot.id == FollowUp.pilot_id), FollowUp.pilot_id, pilot_ids)
    ).all()
    decided = dict(_read(session,
        _restrict(select(Decision.pilot_id, func.max(Decision.decided_on))
                  .where(Decision.outcome == DecisionOutcome.SCALE_UP).group_by(Decision.pilot_id),
                  Decision.pilot_id, pilot_ids)
    ).all())
    if indicators is None:
        indicators = defaultdict(list)
        for indicator_id, pilot_id in _read(session,
            _restrict(select(Indicator.id, EffectGoal.pilot_id)
                      .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id), EffectGoal.pilot_id, pilot_ids)
        ):
            indicators[pilot_id].append(indicator_id)
    measured: dict[int, list[dt.date]] = defaultdict(list)
    for indicator_id, measured_on in _read(session,
        _restrict(select(Measurement.indicator_id, Measurement.measured_on)
                  .join(Indicator, Indicator.id == Measurement.indicator_id)
                  .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
                  .where(Measurement.phase == MeasurementPhase.FOLLOW_UP), EffectGoal.pilot_id, pilot_ids)
    ):
        measured[indicator_id].append(measured_on)

    by_pilot: dict[int, tuple[PilotRef, list[dt.date]]] = {}
    for pilot_id, due_on, code, title in rows:
        by_pilot.setdefault(pilot_id, (PilotRef(pilot_id, code, title), []))[1].append(due_on)
    result = [
        Schedule(ref, decided.get(pilot_id), rules.follow_up_states(
            dates, decided_on=decided.get(pilot_id), measurements=measured,
            indicators=indicators.get(pilot_id, ()), today=today))
        for pilot_id, (ref, dates) in by_pilot.items()
    ]
    return sorted(result, key=lambda schedule: schedule.pilot.code)


@dataclass(frozen=True)
class DueFollowUp:
    """A follow-up that is not done and falls due before a given date: a row of a list."""

    pilot_id: int
    pilot_code: str
    pilot_title: str
    due_on: dt.date
    status: FollowUpStatus  # planned, due or overdue (as of today)
    measured: int  # indicators measured in the follow-up's window so far
    indicators: int


def due_follow_ups(session: Session, *, before: dt.date, pilot_ids: Select | None = None,
                   today: dt.date | None = None, indicators: dict[int, list[int]] | None = None,
                   ) -> list[DueFollowUp]:
    """Follow-ups not yet done whose due date is before `before`, earliest first (overdue ones too)."""
    return sorted(
        (DueFollowUp(s.pilot.id, s.pilot.code, s.pilot.title, state.due_on, state.status, state.measured,
                     state.indicators)
         for s in schedules(session, pilot_ids=pilot_ids, today=today, indicators=indicators)
         for state in s.states if state.status is not FollowUpStatus.DONE and state.due_on < before),
        key=lambda row: (row.due_on, row.pilot_code),
    )


# ------------------------------------------------------------------------------------------------
# Benefits: potential, realised, harvested
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BenefitRow:
    """One indicator of a scaled-up pilot with its three amounts (SEK a year)."""

    pilot: PilotRef
    indicator_id: int
    indicator_name: str
    unit: str
    effect_goal_id: int
    benefit: Benefit
    latest_follow_up_on: dt.date | None


def _latest_follow_up(session: Session, pilot_ids: Select | None) -> dict[int, tuple[Decimal, dt.date]]:
    rank = func.row_number().over(
        partition_by=Measurement.indicator_id, order_by=(Measurement.measured_on.desc(), Measurement.id.desc()),
    ).label("rank")
    ranked = _restrict(
        select(Measurement.id, rank)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(Measurement.phase == MeasurementPhase.FOLLOW_UP), EffectGoal.pilot_id, pilot_ids,
    ).subquery()
    rows = _read(session,
        select(Measurement.indicator_id, Measurement.value, Measurement.measured_on)
        .join(ranked, ranked.c.id == Measurement.id).where(ranked.c.rank == 1)
    )
    return {indicator_id: (value, measured_on) for indicator_id, value, measured_on in rows}


def harvested_by_indicator(session: Session, pilot_ids: Select | None = None) -> dict[int, Decimal]:
    """The sum of the harvest decisions' amounts per indicator."""
    return {
        indicator_id: Decimal(total)
        for indicator_id, total in _read(session,
            _restrict(select(HarvestDecision.indicator_id, func.sum(HarvestDecision.amount))
                      .group_by(HarvestDecision.indicator_id), HarvestDecision.pilot_id, pilot_ids)
        )
    }


def benefits(session: Session, *, pilot_ids: Select | None = None) -> list[BenefitRow]:
    """Every indicator of the scaled-up pilots (those in `pilot_ids`) with potential, realised and
    harvested: three queries whatever the number of pilots."""
    latest = _latest_follow_up(session, pilot_ids)
    harvested = harvested_by_indicator(session, pilot_ids)
    rows = _read(session,
        _restrict(
            select(Indicator.id, Indicator.name, Indicator.unit, Indicator.direction, Indicator.baseline_value,
                   Indicator.target_value, Indicator.value_per_unit, Indicator.annual_volume,
                   Indicator.benefit_class, EffectGoal.id, Pilot.id, Pilot.code, Pilot.title)
            .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
            .join(Pilot, Pilot.id == EffectGoal.pilot_id)
            .order_by(Pilot.code, EffectGoal.position, EffectGoal.id, Indicator.position, Indicator.id),
            Pilot.id, pilot_ids,
        )
    ).all()
    result = []
    for (indicator_id, name, unit, direction, baseline, target, per_unit, volume, benefit_class, goal_id,
         pilot_id, code, title) in rows:
        value, measured_on = latest.get(indicator_id, (None, None))
        item = rules.benefit(BenefitInput(
            key=indicator_id, direction=str(direction), baseline=baseline, target=target,
            value_per_unit=per_unit, annual_volume=volume, benefit_class=str(benefit_class),
            latest_follow_up=value, harvested=harvested.get(indicator_id, Decimal(0)),
        ))
        result.append(BenefitRow(PilotRef(pilot_id, code, title), indicator_id, name, unit or "", goal_id, item,
                                 measured_on))
    return result


@dataclass(frozen=True)
class UnharvestedBenefit:
    """A benefit realised but not (fully) harvested: a row of a list."""

    pilot_id: int
    pilot_code: str
    pilot_title: str
    indicator_id: int
    indicator_name: str
    benefit_class: str
    realised: Decimal  # SEK a year, at the latest follow-up measurement
    harvested: Decimal  # SEK a year, covered by harvest decisions
    gap: Decimal  # realised − harvested, above zero


def unharvested_benefits(session: Session, *, pilot_ids: Select | None = None) -> list[UnharvestedBenefit]:
    """Benefits whose realised value exceeds what harvest decisions cover, largest gap first."""
    rows = [
        UnharvestedBenefit(row.pilot.id, row.pilot.code, row.pilot.title, row.indicator_id, row.indicator_name,
                           row.benefit.benefit_class, row.benefit.realised, row.benefit.harvested, row.benefit.gap)
        for row in benefits(session, pilot_ids=pilot_ids)
        if row.benefit.gap is not None and row.benefit.gap > 0
    ]
    return sorted(rows, key=lambda row: (-row.gap, row.pilot_code, row.indicator_id))


def benefits_of_pilot(session: Session, pilot: Pilot) -> list[BenefitRow]:
    """One scaled-up pilot's benefits (empty for a pilot that was never scaled up)."""
    return benefits(session, pilot_ids=select(Pilot.id).where(Pilot.id == pilot.id))


def schedule_of(session: Session, pilot: Pilot, *, today: dt.date | None = None) -> Schedule | None:
    """One pilot's follow-up schedule with statuses, or None when it has none."""
    found = schedules(session, pilot_ids=select(Pilot.id).where(Pilot.id == pilot.id), today=today)
    return found[0] if found else None


def is_scaled_up(session: Session, pilot: Pilot) -> bool:
    """Whether the pilot has a scale-up decision, so that it is followed up."""
    return session.scalar(_scaled_up_ids().where(Decision.pilot_id == pilot.id).limit(1)) is not None


class FollowUpInputError(ValueError):
    """Input the follow-up refuses: `field` names the form field, `code` says why, `detail` adds facts."""

    def __init__(self, field: str, code: str, **detail):
        super().__init__(field, code)
        self.field = field
        self.code = code
        self.detail = detail


def _check_scaled_up(session: Session, pilot: Pilot) -> None:
    if not is_scaled_up(session, pilot):
        raise FollowUpInputError("pilot", "not_scaled_up")


def schedule_version(session: Session, pilot: Pilot) -> int:
    """The version of the pilot's follow-up schedule, for its edit form: one more than the id of the
    audit log's latest entry about the pilot's follow-up dates (every change of them writes one in
    its transaction, and the log is append-only, so the number only grows); 1 before any."""
    latest = session.scalar(select(func.max(AuditEntry.id)).where(
        AuditEntry.entity == "follow_up", AuditEntry.pilot_id == pilot.id))
    return (latest or 0) + 1


def change_schedule(session: Session, pilot: Pilot, due_dates: list[dt.date], actor: User, *,
                    version: int | None = None) -> list[FollowUp]:
    """Replace the pilot's follow-up dates (management group): dates kept stay, others are added or removed.

    `version`: the schedule_version the form was made from; a schedule changed since then raises
    StaleEdit (checked after claiming the pilot row, so of two saves at once the second waits and
    then sees the first).
    """
    _check_scaled_up(session, pilot)
    session.execute(update(Pilot).where(Pilot.id == pilot.id).values(updated_at=utcnow())
                    .execution_options(synchronize_session=False))
    if version is not None and schedule_version(session, pilot) != version:
        raise concurrency.StaleEdit(pilot)
    decided_on = session.scalar(
        select(func.max(Decision.decided_on)).where(Decision.pilot_id == pilot.id,
                                                    Decision.outcome == DecisionOutcome.SCALE_UP))
    try:
        wanted = rules.check_schedule(due_dates, decided_on=decided_on)
    except rules.ScheduleError as error:
        raise FollowUpInputError("due_dates", error.code, decided_on=decided_on) from error
    current = {row.due_on: row for row in session.scalars(select(FollowUp).where(FollowUp.pilot_id == pilot.id))}
    for due_on, row in current.items():
        if due_on not in wanted:
            audit.record(session, actor, "delete", "follow_up", row.id, pilot_id=pilot.id,
                         before=audit.snapshot(row, FOLLOW_UP_FIELDS))
            session.delete(row)
    session.flush()
    added = [FollowUp(pilot_id=pilot.id, due_on=due_on, created_by_id=actor.id) for due_on in wanted
             if due_on not in current]
    session.add_all(added)
    session.flush()
    for row in added:
        audit.record(session, actor, "create", "follow_up", row.id, pilot_id=pilot.id,
                     after=audit.snapshot(row, FOLLOW_UP_FIELDS))
    return list(session.scalars(select(FollowUp).where(FollowUp.pilot_id == pilot.id).order_by(FollowUp.due_on)))


# ------------------------------------------------------------------------------------------------
# Benefit owners
# ------------------------------------------------------------------------------------------------

OWNER_FIELDS = ("effect_goal_id", "user_id", "name", "unit_id")


def benefit_owners(session: Session, pilot: Pilot) -> dict[int, BenefitOwner]:
    """The benefit owner of each of the pilot's effect goals that has one, by effect goal id."""
    rows = session.scalars(
        select(BenefitOwner).join(EffectGoal, EffectGoal.id == BenefitOwner.effect_goal_id)
        .where(EffectGoal.pilot_id == pilot.id)
        .options(joinedload(BenefitOwner.unit), joinedload(BenefitOwner.user))
    )
    return {row.effect_goal_id: row for row in rows}


def owner_candidates(session: Session) -> list[User]:
    """The users a benefit owner is chosen from: every active user, by name."""
    return list(session.scalars(select(User).where(User.active.is_(True)).order_by(User.name, User.id)))


def set_benefit_owner(session: Session, pilot: Pilot, effect_goal: EffectGoal, *, user_id: int | None, title: str,
                      unit_id: int | None, actor: User, version: int | None = None,
                      expect_new: bool = False) -> BenefitOwner:
    """Name the user in the line organisation who owns an effect goal's benefits, with their role or
    title as free text (optional), after the decision: the follow-up is not part of the decision
    basis. Who may is the web layer's check (`roles.can_assign_benefit_owner`). `version` is the
    owner row's version the form was made from: a change saved since is refused (StaleEdit), and so
    is, with `expect_new`, a form made when the goal had no owner once someone has named one."""
    if effect_goal.pilot_id != pilot.id:
        raise FollowUpInputError("effect_goal", "unknown")
    if user_id is None:
        raise FollowUpInputError("user", "required_user")
    owner = session.get(User, user_id)
    if owner is None or not owner.active:
        raise FollowUpInputError("user", "unknown_user")
    if unit_id is not None and session.get(Unit, unit_id) is None:
        raise FollowUpInputError("unit", "unknown_unit")
    title = title.strip()
    row = session.scalar(select(BenefitOwner).where(BenefitOwner.effect_goal_id == effect_goal.id))
    if row is None:
        row = BenefitOwner(effect_goal_id=effect_goal.id, user_id=owner.id, name=title, unit_id=unit_id,
                           updated_by_id=actor.id)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError as error:  # named by someone else at the same moment (one owner per goal)
            raise concurrency.StaleEdit() from error
        audit.record(session, actor, "create", "benefit_owner", row.id, pilot_id=pilot.id,
                     after=audit.snapshot(row, OWNER_FIELDS))
        return row
    if expect_new:
        raise concurrency.StaleEdit(row)
    concurrency.expect_version(session, row, version)
    before = audit.snapshot(row, OWNER_FIELDS)
    row.user_id, row.name, row.unit_id, row.updated_by_id = owner.id, title, unit_id, actor.id
    session.flush()
    audit.record_update(session, actor, "benefit_owner", row.id, before, audit.snapshot(row, OWNER_FIELDS),
                        pilot_id=pilot.id)
    return row


def benefit_owner_users(session: Session, pilot_ids: list[int]) -> dict[int, list[User]]:
    """The active users named benefit owner of each pilot's effect goals, by pilot id (one query)."""
    found: dict[int, list[User]] = defaultdict(list)
    if not pilot_ids:
        return found
    rows = session.execute(
        select(EffectGoal.pilot_id, User).join(BenefitOwner, BenefitOwner.effect_goal_id == EffectGoal.id)
        .join(User, User.id == BenefitOwner.user_id)
        .where(EffectGoal.pilot_id.in_(pilot_ids), User.active.is_(True)).order_by(User.name, User.id)
    )
    for pilot_id, user in rows:
        if all(other.id != user.id for other in found[pilot_id]):
            found[pilot_id].append(user)
    return found


# ------------------------------------------------------------------------------------------------
# Harvest decisions
# ------------------------------------------------------------------------------------------------

HARVEST_FIELDS = ("indicator_id", "kind", "amount", "budget_line", "budget_year", "hours", "redeployed_to",
                  "owner", "decided_on", "note")


@dataclass(frozen=True)
class HarvestData:
    """What the management group member records."""

    indicator_id: int
    kind: HarvestKind
    amount: Decimal  # SEK a year taken home
    owner: str
    decided_on: dt.date
    budget_line: str = ""
    budget_year: int | None = None
    hours: Decimal | None = None
    redeployed_to: str = ""
    note: str = ""


def harvests_of(session: Session, pilot: Pilot) -> list[HarvestDecision]:
    """The pilot's harvest decisions, newest first, with their indicators and who recorded them."""
    return list(session.scalars(
        select(HarvestDecision).where(HarvestDecision.pilot_id == pilot.id)
        .options(joinedload(HarvestDecision.indicator), joinedload(HarvestDecision.recorded_by))
        .order_by(HarvestDecision.decided_on.desc(), HarvestDecision.id.desc())
    ))


def record_harvest(session: Session, pilot: Pilot, data: HarvestData, actor: User) -> HarvestDecision:
    """Record a harvest decision (hemtagningsbeslut) on one of the pilot's realised benefits.

    Refused (FollowUpInputError, with the field and why) when the pilot was not scaled up, the
    benefit is not the pilot's or not valued, nothing is realised yet, or the harvests together
    would exceed what is realised (`detail["available"]` says how much may still be harvested).
    """
    _check_scaled_up(session, pilot)
    kind = HarvestKind(data.kind)
    if kind is HarvestKind.BUDGET_REDUCTION:
        if not data.budget_line.strip():
            raise FollowUpInputError("budget_line", "required")
        if data.budget_year is None:
            raise FollowUpInputError("budget_year", "required")
    else:
        if data.hours is None or data.hours <= 0:
            raise FollowUpInputError("hours", "required")
        if not data.redeployed_to.strip():
            raise FollowUpInputError("redeployed_to", "required")
    if not data.owner.strip():
        raise FollowUpInputError("owner", "required")
    # Serialise harvests of one pilot: two at once must not both fit under what is realised.
    session.execute(update(Pilot).where(Pilot.id == pilot.id).values(updated_at=utcnow())
                    .execution_options(synchronize_session=False))
    row = next((row for row in benefits_of_pilot(session, pilot) if row.indicator_id == data.indicator_id), None)
    if row is None:
        raise FollowUpInputError("indicator_id", "unknown")
    try:
        rules.check_harvest(row.benefit, data.amount)
    except rules.HarvestRefused as refusal:
        raise FollowUpInputError("amount", refusal.code, available=refusal.available,
                                 realised=row.benefit.realised, harvested=row.benefit.harvested) from refusal
    harvest = HarvestDecision(
        pilot_id=pilot.id, indicator_id=data.indicator_id, kind=kind, amount=data.amount,
        budget_line=data.budget_line.strip() if kind is HarvestKind.BUDGET_REDUCTION else "",
        budget_year=data.budget_year if kind is HarvestKind.BUDGET_REDUCTION else None,
        hours=data.hours if kind is HarvestKind.HOURS_REDEPLOYED else None,
        redeployed_to=data.redeployed_to.strip() if kind is HarvestKind.HOURS_REDEPLOYED else "",
        owner=data.owner.strip(), decided_on=data.decided_on, note=data.note.strip(), recorded_by_id=actor.id,
    )
    session.add(harvest)
    session.flush()
    audit.record(session, actor, "create", "harvest_decision", harvest.id, pilot_id=pilot.id,
                 after=audit.snapshot(harvest, HARVEST_FIELDS))
    return harvest


# ------------------------------------------------------------------------------------------------
# The roll-out tracker
# ------------------------------------------------------------------------------------------------

ROLLOUT_FIELDS = ("unit_id", "status", "planned_start", "in_use_from")


def rollout_of(session: Session, pilot: Pilot) -> list[RolloutUnit]:
    """The units of the pilot's implementation plan with their status and dates, by unit name."""
    return list(session.scalars(
        select(RolloutUnit).join(ImplementationPlan, ImplementationPlan.id == RolloutUnit.plan_id)
        .join(Unit, Unit.id == RolloutUnit.unit_id)
        .where(ImplementationPlan.pilot_id == pilot.id).options(contains_eager(RolloutUnit.unit))
        .order_by(Unit.name)
    ))


def rollout_unit_of(session: Session, pilot: Pilot, rollout_unit_id: int) -> RolloutUnit | None:
    """One unit of the pilot's roll-out, or None when the id is not the pilot's."""
    return session.scalar(
        select(RolloutUnit).join(ImplementationPlan, ImplementationPlan.id == RolloutUnit.plan_id)
        .where(RolloutUnit.id == rollout_unit_id, ImplementationPlan.pilot_id == pilot.id)
    )


def update_rollout(session: Session, pilot: Pilot, row: RolloutUnit, *, status: RolloutStatus,
                   planned_start: dt.date | None, in_use_from: dt.date | None, actor: User) -> RolloutUnit:
    """Record how far the roll-out to one unit has come (the pilot's leader, after the decision too:
    the roll-out is follow-up, not decision basis)."""
    _check_scaled_up(session, pilot)
    status = RolloutStatus(status)
    if status is RolloutStatus.IN_USE and in_use_from is None:
        raise FollowUpInputError("in_use_from", "required")
    if status is not RolloutStatus.IN_USE:
        in_use_from = None
    if planned_start and in_use_from and in_use_from < planned_start:
        raise FollowUpInputError("in_use_from", "before_start")
    before = audit.snapshot(row, ROLLOUT_FIELDS)
    row.status, row.planned_start, row.in_use_from = status, planned_start, in_use_from
    session.flush()
    audit.record_update(session, actor, "rollout_unit", row.id, before, audit.snapshot(row, ROLLOUT_FIELDS),
                        pilot_id=pilot.id)
    return row


def rollout_progress(rows: list[RolloutUnit]) -> tuple[int, int, int]:
    """(in use, started, all) of a roll-out's units."""
    return portfolio_rules.rollout_progress(str(row.status) for row in rows)


def totals_of(rows: list[BenefitRow]) -> rules.BenefitTotals:
    """Potential, realised and harvested of the given benefits, in total and per class."""
    return rules.totals(row.benefit for row in rows)
