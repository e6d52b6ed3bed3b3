"""Every follow-up of the scaled-up pilots as one list: its pilot, due date, status and the
follow-up measurements that count for it (the API's `/follow-ups`).

Statuses are not stored (see `portfolio.domain.follow_up`): the list is built from the schedules
with their statuses and then filtered and paged, so it reads a fixed number of queries however
many pilots and follow-ups there are: the schedules' four and one for the measurements of the
follow-ups on the page.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from portfolio.domain.follow_up import FollowUpState, FollowUpStatus
from portfolio.models import EffectGoal, Indicator, Measurement, MeasurementPhase, Pilot

from .follow_up import PilotRef, schedules
from .paging import Page


@dataclass(frozen=True)
class FollowUpMeasurement:
    """A follow-up measurement taken within a follow-up's window."""

    indicator_id: int
    indicator_name: str
    unit: str
    measured_on: dt.date
    value: Decimal


@dataclass(frozen=True)
class FollowUpItem:
    """One follow-up of a scaled-up pilot, with its status and the measurements recorded for it."""

    pilot: PilotRef
    decided_on: dt.date | None  # the scale-up decision's date
    state: FollowUpState
    measurements: list[FollowUpMeasurement]


def list_follow_ups(session: Session, *, status: FollowUpStatus | None = None, pilot_code: str | None = None,
                    page: int = 1, per_page: int = 25, today: dt.date | None = None) -> Page[FollowUpItem]:
    """One page of the follow-ups, earliest due first (then by pilot code), optionally only those
    with `status` (as of `today`) or of the pilot with `pilot_code`. Out-of-range pages are clamped."""
    pilot_ids = select(Pilot.id).where(Pilot.code == pilot_code) if pilot_code is not None else None
    rows = sorted(
        ((schedule, state) for schedule in schedules(session, pilot_ids=pilot_ids, today=today)
         for state in schedule.states if status is None or state.status is status),
        key=lambda row: (row[1].due_on, row[0].pilot.code),
    )
    total = len(rows)
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    shown = rows[(number - 1) * per_page:number * per_page]
    measured = _follow_up_measurements(session, {schedule.pilot.id for schedule, _state in shown})
    items = [
        FollowUpItem(schedule.pilot, schedule.decided_on, state, [
            m for m in measured.get(schedule.pilot.id, [])
            if (state.window_start is None or m.measured_on >= state.window_start)
            and (state.window_end is None or m.measured_on <= state.window_end)
        ])
        for schedule, state in shown
    ]
    return Page(items=items, number=number, pages=pages, total=total, per_page=per_page)


def _follow_up_measurements(session: Session, pilot_ids: set[int]) -> dict[int, list[FollowUpMeasurement]]:
    """The follow-up measurements of the pilots' indicators by pilot id, by date: one query."""
    if not pilot_ids:
        return {}
    rows = session.execute(
        select(EffectGoal.pilot_id, Indicator.id, Indicator.name, Indicator.unit, Measurement.measured_on,
               Measurement.value)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(Measurement.phase == MeasurementPhase.FOLLOW_UP, EffectGoal.pilot_id.in_(sorted(pilot_ids)))
        .order_by(Measurement.measured_on, EffectGoal.position, EffectGoal.id, Indicator.position, Indicator.id,
                  Measurement.id)
    )
    result: dict[int, list[FollowUpMeasurement]] = defaultdict(list)
    for pilot_id, indicator_id, name, unit, measured_on, value in rows:
        result[pilot_id].append(FollowUpMeasurement(indicator_id, name, unit or "", measured_on, value))
    return result
