"""Effect goals, their indicators and measurements: reading them for a page, and changing them.

Only the content an innovation leader owns is changed here (DESIGN §2). The valuation of an
indicator (SEK per unit, annual volume, benefit class) belongs to finance and is never touched.
Every change writes an audit entry; nothing here commits.

After the decision the decision basis is read-only (DESIGN §3): effect goals, indicators and
test measurements of a decided pilot cannot change (corrections go through a new decision), but
follow-up measurements can, because that is how benefits realisation is followed after scale-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portfolio.domain.charts import LineChart, line_chart_geometry
from portfolio.domain.economics import Direction, realisation
from portfolio.models import EffectGoal, GoalCategory, Indicator, Measurement, MeasurementPhase, Pilot, User

from . import audit, concurrency, process

GOAL_FIELDS = ("statement", "category", "beneficiary")
INDICATOR_FIELDS = (
    "name",
    "unit",
    "direction",
    "measurement_method",
    "data_source",
    "frequency",
    "baseline_value",
    "baseline_date",
    "target_value",
    "target_date",
)
MEASUREMENT_FIELDS = ("measured_on", "value", "phase", "comment")
#: What finance keeps on an indicator; written to the log when an indicator is deleted.
VALUATION_FIELDS = ("value_per_unit", "annual_volume", "benefit_class")


#: The pilot has been decided on: this part of its decision basis is read-only.
DecisionBasisLocked = process.DecisionBasisLocked


# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------


def pilot_by_code(session: Session, code: str) -> Pilot | None:
    """The pilot with this code (e.g. INN-2024-007), if any."""
    return session.scalar(select(Pilot).where(Pilot.code == code))


def goal_in_pilot(session: Session, pilot: Pilot, goal_id: int) -> EffectGoal | None:
    """The effect goal with this id, only if it belongs to `pilot`."""
    return session.scalar(select(EffectGoal).where(EffectGoal.id == goal_id, EffectGoal.pilot_id == pilot.id))


def indicator_in_pilot(session: Session, pilot: Pilot, indicator_id: int) -> Indicator | None:
    """The indicator with this id, only if its goal belongs to `pilot`."""
    return session.scalar(
        select(Indicator)
        .join(Indicator.effect_goal)
        .where(Indicator.id == indicator_id, EffectGoal.pilot_id == pilot.id)
        .options(selectinload(Indicator.measurements))
    )


def measurement_in_pilot(session: Session, pilot: Pilot, measurement_id: int) -> Measurement | None:
    """The measurement with this id, only if its indicator's goal belongs to `pilot`."""
    return session.scalar(
        select(Measurement)
        .join(Measurement.indicator)
        .join(Indicator.effect_goal)
        .where(Measurement.id == measurement_id, EffectGoal.pilot_id == pilot.id)
    )


@dataclass(frozen=True)
class IndicatorSummary:
    """An indicator as the effects page shows it: its series, latest result and realisation."""

    indicator: Indicator
    measurements: list[Measurement]
    latest: Measurement | None
    realisation: Decimal | None  # a ratio (0.75 is 75 %); None if it cannot be computed
    chart: LineChart


@dataclass(frozen=True)
class GoalSummary:
    """An effect goal with its indicators, and how much would go with it if it were deleted."""

    goal: EffectGoal
    indicators: list[IndicatorSummary]

    @property
    def measurement_count(self) -> int:
        """All measurements of all the goal's indicators."""
        return sum(len(item.measurements) for item in self.indicators)


def latest_measurement(measurements: list[Measurement]) -> Measurement | None:
    """The most recent measurement (by date; the last recorded wins a tie), or None."""
    return max(measurements, key=lambda m: (m.measured_on, m.id or 0), default=None)


def summarise_indicator(indicator: Indicator, *, width: int = 640, height: int = 320) -> IndicatorSummary:
    """Latest result, realisation (DESIGN §5) and chart of an indicator with loaded measurements.

    The latest result is the latest measurement of any phase: after scale-up, follow-up
    measurements are the result. Realisation is None without a measurement, without a
    baseline or target, or when the target equals the baseline.
    """
    measurements = sorted(indicator.measurements, key=lambda m: (m.measured_on, m.id or 0))
    latest = latest_measurement(measurements)
    ratio = None
    if latest is not None and indicator.baseline_value is not None and indicator.target_value is not None:
        ratio = realisation(indicator.direction, indicator.baseline_value, indicator.target_value, latest.value)
    chart = line_chart_geometry(
        [(m.measured_on, m.value) for m in measurements],
        indicator.baseline_value,
        indicator.target_value,
        width,
        height,
        start=indicator.baseline_date,
        end=indicator.target_date,
    )
    return IndicatorSummary(indicator, measurements, latest, ratio, chart)


def effects_of_pilot(session: Session, pilot: Pilot) -> list[GoalSummary]:
    """Every effect goal of `pilot` with indicators, measurements and who recorded them.

    A fixed number of queries however many goals, indicators and measurements there are.
    """
    goals = session.scalars(
        select(EffectGoal)
        .where(EffectGoal.pilot_id == pilot.id)
        .order_by(EffectGoal.position, EffectGoal.id)
        .options(
            selectinload(EffectGoal.indicators)
            .selectinload(Indicator.measurements)
            .selectinload(Measurement.recorded_by)
        )
    ).all()
    return [GoalSummary(goal, [summarise_indicator(ind) for ind in goal.indicators]) for goal in goals]


# ------------------------------------------------------------------------------------------
# The lock after the decision
# ------------------------------------------------------------------------------------------


def is_locked(pilot: Pilot) -> bool:
    """Whether the pilot has been decided on: its goals, indicators and test measurements are fixed
    (the process decides)."""
    return process.is_locked(pilot)


def check_open(pilot: Pilot) -> None:
    """Raise DecisionBasisLocked unless the pilot's effect goals and indicators may still change."""
    if is_locked(pilot):
        raise DecisionBasisLocked()


def check_measurement_open(pilot: Pilot, *phases: MeasurementPhase) -> None:
    """Raise DecisionBasisLocked if a measurement in any of `phases` may no longer be recorded,
    changed or deleted: after the decision only follow-up measurements may."""
    if is_locked(pilot) and any(MeasurementPhase(phase) is not MeasurementPhase.FOLLOW_UP for phase in phases):
        raise DecisionBasisLocked()


# ------------------------------------------------------------------------------------------
# Changing
# ------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    # The database hands back 60.0000 for a stored 60: compare and log the number, not its scale.
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return audit.jsonable(value)


def _snapshot(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: _plain(getattr(obj, name)) for name in fields}


def _next_position(session: Session, column, *where) -> int:
    return session.scalar(select(func.coalesce(func.max(column), -1) + 1).where(*where))


def create_effect_goal(
    session: Session, pilot: Pilot, *, statement: str, category: GoalCategory, beneficiary: str, actor: User
) -> EffectGoal:
    """Add an effect goal to `pilot`, after its existing goals."""
    check_open(pilot)
    concurrency.lock_pilot(session, pilot)
    goal = EffectGoal(
        pilot_id=pilot.id,
        statement=statement.strip(),
        category=GoalCategory(category),
        beneficiary=beneficiary.strip(),
        position=_next_position(session, EffectGoal.position, EffectGoal.pilot_id == pilot.id),
    )
    session.add(goal)
    session.flush()
    audit.record(session, actor, "create", "effect_goal", goal.id, pilot_id=pilot.id,
                 after=_snapshot(goal, GOAL_FIELDS))
    return goal


def update_effect_goal(
    session: Session, goal: EffectGoal, *, statement: str, category: GoalCategory, beneficiary: str, actor: User,
    version: int | None = None,
) -> None:
    """Change an effect goal's statement, category and beneficiary (StaleEdit if `version` is old)."""
    check_open(goal.pilot)
    concurrency.lock_pilot(session, goal.pilot)
    concurrency.expect_version(session, goal, version)
    before = _snapshot(goal, GOAL_FIELDS)
    goal.statement, goal.category, goal.beneficiary = statement.strip(), GoalCategory(category), beneficiary.strip()
    _record_update(session, actor, "effect_goal", goal.id, goal.pilot_id, before, _snapshot(goal, GOAL_FIELDS))


def delete_effect_goal(session: Session, goal: EffectGoal, *, actor: User) -> None:
    """Delete an effect goal together with its indicators and their measurements.

    Each deleted row gets its own audit entry, so the log still tells what was measured.
    """
    check_open(goal.pilot)
    concurrency.lock_pilot(session, goal.pilot)
    indicators = session.scalars(
        select(Indicator).where(Indicator.effect_goal_id == goal.id).options(selectinload(Indicator.measurements))
    ).all()
    for indicator in indicators:
        _log_indicator_deletion(session, indicator, goal.pilot_id, actor)
    process.indicators_removed(session, goal.pilot, actor, [indicator.benefit_class for indicator in indicators])
    audit.record(session, actor, "delete", "effect_goal", goal.id, pilot_id=goal.pilot_id,
                 before=_snapshot(goal, GOAL_FIELDS))
    session.delete(goal)  # the relationship cascades to indicators and measurements
    session.flush()


def _indicator_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(INDICATOR_FIELDS)
    if unknown:
        # The valuation is finance's: refuse rather than silently drop it.
        raise ValueError(f"not an indicator field the innovation leader keeps: {sorted(unknown)}")
    cleaned = dict(values)
    cleaned["direction"] = Direction(cleaned["direction"])
    for name in ("name", "unit", "measurement_method", "data_source", "frequency"):
        cleaned[name] = (cleaned.get(name) or "").strip()
    return cleaned


def create_indicator(session: Session, goal: EffectGoal, *, actor: User, **values: Any) -> Indicator:
    """Add an indicator to `goal`; `values` are the INDICATOR_FIELDS (name and direction needed).

    The valuation starts empty ("ej värderad") for finance to fill in.
    """
    check_open(goal.pilot)
    concurrency.lock_pilot(session, goal.pilot)
    indicator = Indicator(
        effect_goal_id=goal.id,
        position=_next_position(session, Indicator.position, Indicator.effect_goal_id == goal.id),
        **_indicator_values(values),
    )
    session.add(indicator)
    session.flush()
    audit.record(session, actor, "create", "indicator", indicator.id, pilot_id=goal.pilot_id,
                 after=_snapshot(indicator, INDICATOR_FIELDS) | {"effect_goal_id": goal.id})
    return indicator


def update_indicator(session: Session, indicator: Indicator, *, actor: User, version: int | None = None,
                     **values: Any) -> None:
    """Change an indicator's description, baseline and target (never its valuation).

    StaleEdit if `version` is not the indicator's version any more. A change to the baseline or
    target of a valued indicator clears finance's sign-off, also one given a moment ago: the
    pilot row is locked first, so the sign-off is read as it stands at commit.
    """
    check_open(indicator.effect_goal.pilot)
    concurrency.lock_pilot(session, indicator.effect_goal.pilot)
    concurrency.expect_version(session, indicator, version)
    before = _snapshot(indicator, INDICATOR_FIELDS)
    for name, value in _indicator_values(values).items():
        setattr(indicator, name, value)
    after = _snapshot(indicator, INDICATOR_FIELDS)
    _record_update(session, actor, "indicator", indicator.id, indicator.effect_goal.pilot_id, before, after)
    changed = {name for name in before if before[name] != after[name]}
    process.indicator_changed(session, indicator.effect_goal.pilot, actor, indicator.benefit_class, changed)


def delete_indicator(session: Session, indicator: Indicator, *, actor: User) -> None:
    """Delete an indicator and its measurements (an audit entry for each)."""
    check_open(indicator.effect_goal.pilot)
    concurrency.lock_pilot(session, indicator.effect_goal.pilot)
    _log_indicator_deletion(session, indicator, indicator.effect_goal.pilot_id, actor)
    process.indicators_removed(session, indicator.effect_goal.pilot, actor, [indicator.benefit_class])
    session.delete(indicator)
    session.flush()


def _log_indicator_deletion(session: Session, indicator: Indicator, pilot_id: int, actor: User) -> None:
    for measurement in indicator.measurements:
        audit.record(session, actor, "delete", "measurement", measurement.id, pilot_id=pilot_id,
                     before=_measurement_snapshot(measurement))
    audit.record(session, actor, "delete", "indicator", indicator.id, pilot_id=pilot_id,
                 before=_snapshot(indicator, INDICATOR_FIELDS + VALUATION_FIELDS)
                 | {"effect_goal_id": indicator.effect_goal_id})


def _measurement_snapshot(measurement: Measurement) -> dict[str, Any]:
    return _snapshot(measurement, MEASUREMENT_FIELDS) | {
        "indicator_id": measurement.indicator_id,
        "recorded_by_id": measurement.recorded_by_id,
    }


def create_measurement(
    session: Session,
    indicator: Indicator,
    *,
    measured_on: dt.date,
    value: Decimal,
    phase: MeasurementPhase,
    comment: str,
    actor: User,
) -> Measurement:
    """Record a measured value of `indicator`, recorded by `actor` (only follow-up once decided)."""
    check_measurement_open(indicator.effect_goal.pilot, phase)
    concurrency.lock_pilot(session, indicator.effect_goal.pilot)
    measurement = Measurement(
        indicator_id=indicator.id,
        measured_on=measured_on,
        value=value,
        phase=MeasurementPhase(phase),
        comment=comment.strip(),
        recorded_by_id=actor.id,
    )
    session.add(measurement)
    session.flush()
    audit.record(session, actor, "create", "measurement", measurement.id, pilot_id=indicator.effect_goal.pilot_id,
                 after=_measurement_snapshot(measurement))
    return measurement


def update_measurement(
    session: Session,
    measurement: Measurement,
    *,
    measured_on: dt.date,
    value: Decimal,
    phase: MeasurementPhase,
    comment: str,
    actor: User,
    version: int | None = None,
) -> None:
    """Correct a measurement. It stays recorded by whoever recorded it; the log names the editor.

    Once the pilot is decided, a follow-up measurement can be corrected but not made a test one.
    StaleEdit if `version` is not the measurement's version any more.
    """
    check_measurement_open(measurement.indicator.effect_goal.pilot, measurement.phase, phase)
    concurrency.lock_pilot(session, measurement.indicator.effect_goal.pilot)
    concurrency.expect_version(session, measurement, version)
    check_measurement_open(measurement.indicator.effect_goal.pilot, measurement.phase, phase)
    before = _snapshot(measurement, MEASUREMENT_FIELDS)
    measurement.measured_on, measurement.value = measured_on, value
    measurement.phase, measurement.comment = MeasurementPhase(phase), comment.strip()
    _record_update(session, actor, "measurement", measurement.id, measurement.indicator.effect_goal.pilot_id,
                   before, _snapshot(measurement, MEASUREMENT_FIELDS))


def delete_measurement(session: Session, measurement: Measurement, *, actor: User) -> None:
    """Delete a measurement (once the pilot is decided, only a follow-up one)."""
    check_measurement_open(measurement.indicator.effect_goal.pilot, measurement.phase)
    concurrency.lock_pilot(session, measurement.indicator.effect_goal.pilot)
    audit.record(session, actor, "delete", "measurement", measurement.id,
                 pilot_id=measurement.indicator.effect_goal.pilot_id, before=_measurement_snapshot(measurement))
    session.delete(measurement)
    session.flush()


def _record_update(
    session: Session, actor: User, entity: str, entity_id: int, pilot_id: int,
    before: dict[str, Any], after: dict[str, Any],
) -> None:
    session.flush()
    audit.record_update(session, actor, entity, entity_id, before, after, pilot_id=pilot_id)
