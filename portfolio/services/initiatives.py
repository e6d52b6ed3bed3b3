"""An initiative read whole, for the API: goals, indicators and their latest measurements.

A fixed number of queries however many goals and indicators: the pilot, its goals with their
indicators, and the latest measurement per indicator and phase.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from portfolio.models import Challenge, EffectGoal, Measurement, MeasurementPhase, Pilot, Solution

from . import pilots


@dataclass(frozen=True)
class InitiativeDetail:
    pilot: Pilot
    goals: list[EffectGoal]
    latest: dict[tuple[int, MeasurementPhase], Measurement]  # (indicator id, phase) -> newest measurement
    challenge_id: int | None
    solution_id: int | None


def load_detail(session: Session, code: str) -> InitiativeDetail | None:
    """The initiative with this code and everything the API's detail shows, or None."""
    pilot = pilots.get_pilot(session, code)
    if pilot is None:
        return None
    goals = list(session.scalars(
        select(EffectGoal).where(EffectGoal.pilot_id == pilot.id).order_by(EffectGoal.position, EffectGoal.id)
        .options(selectinload(EffectGoal.indicators))
    ))
    indicator_ids = [indicator.id for goal in goals for indicator in goal.indicators]
    latest: dict[tuple[int, MeasurementPhase], Measurement] = {}
    if indicator_ids:
        newest = (
            select(Measurement.id, func.row_number().over(
                partition_by=(Measurement.indicator_id, Measurement.phase),
                order_by=(Measurement.measured_on.desc(), Measurement.id.desc()),
            ).label("rank"))
            .where(Measurement.indicator_id.in_(indicator_ids))
            .subquery()
        )
        for measurement in session.scalars(
            select(Measurement).join(newest, newest.c.id == Measurement.id).where(newest.c.rank == 1)
        ):
            latest[(measurement.indicator_id, measurement.phase)] = measurement
    challenge_id = session.scalar(select(Challenge.id).where(Challenge.pilot_id == pilot.id))
    solution_id = session.scalar(select(Solution.id).where(Solution.pilot_id == pilot.id))
    return InitiativeDetail(pilot, goals, latest, challenge_id, solution_id)


__all__ = ["InitiativeDetail", "load_detail"]
