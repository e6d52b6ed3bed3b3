"""A pilot's effect-harvesting economics: load its data once, map it to the domain, evaluate.

This is the single source of the figures on the economics page, in the JSON API and (later) in
the decision paper: each of them calls :func:`load_economics` (or :func:`evaluate_pilot`) and
only formats what comes back. The calculation itself is :func:`portfolio.domain.economics.evaluate`.

Loading runs a fixed number of queries however many goals, indicators, measurements and cost
items the pilot has: goals, their indicators, the latest test measurement per indicator (one
windowed query), the cost items and the settings row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portfolio.domain.economics import (
    BenefitClass,
    CostCategory,
    CostInput,
    CostPhase,
    Evaluation,
    IndicatorInput,
    IndicatorResult,
    evaluate,
    mean_realisation,
    ramp_factor,
    realisation,
)
from portfolio.domain.lifecycle import Phase
from portfolio.models import CostItem, EffectGoal, Indicator, Measurement, MeasurementPhase, Pilot

from .settings import get_settings, parameters_for

#: The order cost items are listed in: when they fall due, then by phase and category.
_PHASE_ORDER = {phase: n for n, phase in enumerate(CostPhase)}


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator as the page lists it under its effect goal.

    ``result`` is None when the indicator lacks a baseline or a target value (``missing`` names
    which): such an indicator cannot be evaluated and is listed as incomplete, not valued.
    """

    indicator: Indicator
    latest: Measurement | None  # latest test-phase measurement (by date, then id)
    result: IndicatorResult | None
    missing: tuple[str, ...]  # "baseline" and/or "target"

    @property
    def is_complete(self) -> bool:
        return self.result is not None


@dataclass(frozen=True)
class GoalLines:
    """An effect goal with its indicators, in their recorded order."""

    goal: EffectGoal
    lines: list[IndicatorLine]


@dataclass(frozen=True)
class PilotEconomics:
    """Everything the economics page, the API and the decision paper need about one pilot."""

    pilot: Pilot
    goals: list[GoalLines]
    costs: list[CostItem]  # every cost item, test phase included
    evaluation: Evaluation

    @property
    def lines(self) -> list[IndicatorLine]:
        """All indicators of all goals, in page order."""
        return [line for goal in self.goals for line in goal.lines]

    @property
    def incomplete(self) -> list[IndicatorLine]:
        """Indicators left out of the calculation because baseline or target is missing."""
        return [line for line in self.lines if not line.is_complete]

    def valued(self, benefit_class: BenefitClass) -> list[IndicatorResult]:
        """The indicators valued in money in `benefit_class`, in page order."""
        return [r for r in self.evaluation.indicators if r.is_valued and r.benefit_class is benefit_class]

    @property
    def has_figures(self) -> bool:
        """Whether there is anything to calculate: a forward cost or a benefit valued in money.

        Without either, every figure is zero and "payback in year 0" would mislead, so the page
        says what is missing instead of showing an empty appraisal.
        """
        return any(c.phase is not CostPhase.TEST for c in self.costs) or any(
            r.is_valued for r in self.evaluation.indicators
        )

    @property
    def ramp_up_by_year(self) -> list[tuple[int, Decimal]]:
        """(calendar year, ramp-up factor) for every year of the horizon."""
        params = self.evaluation.parameters
        return [(year, ramp_factor(params.ramp_up, k)) for k, year in enumerate(self.evaluation.years)]

    @property
    def cost_categories_in_use(self) -> list[tuple[CostCategory, list[Decimal]]]:
        """Forward costs per category and year, only for categories with a cost in the horizon."""
        return [
            (category, values)
            for category, values in self.evaluation.costs_by_category.items()
            if any(values)
        ]


def pilot_by_code(session: Session, code: str) -> Pilot | None:
    """The pilot with this code (and who signed its economics off), or None."""
    return session.scalar(
        select(Pilot).options(joinedload(Pilot.finance_signed_off_by)).where(Pilot.code == code)
    )


def _latest_measurements(
    session: Session, pilot_ids: list[int], phases: tuple[MeasurementPhase, ...]
) -> dict[tuple[int, MeasurementPhase], Measurement]:
    """The latest measurement of every indicator of these pilots in each of `phases`, by
    (indicator id, phase).

    "Latest" is by measurement date, then by id (two measurements on one day: the one recorded
    last). One windowed query however many pilots, portable to SQLite and PostgreSQL.
    """
    rank = (
        func.row_number()
        .over(
            partition_by=(Measurement.indicator_id, Measurement.phase),
            order_by=(Measurement.measured_on.desc(), Measurement.id.desc()),
        )
        .label("rank")
    )
    ranked = (
        select(Measurement.id, rank)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(EffectGoal.pilot_id.in_(pilot_ids), Measurement.phase.in_(phases))
        .subquery()
    )
    rows = session.scalars(
        select(Measurement).join(ranked, ranked.c.id == Measurement.id).where(ranked.c.rank == 1)
    )
    return {(m.indicator_id, m.phase): m for m in rows}


def _latest_test_measurements(session: Session, pilot: Pilot) -> dict[int, Measurement]:
    """The latest test-phase measurement of every indicator of `pilot`, by indicator id."""
    latest = _latest_measurements(session, [pilot.id], (MeasurementPhase.TEST,))
    return {indicator_id: m for (indicator_id, _phase), m in latest.items()}


def _indicator_input(indicator: Indicator, latest: Measurement | None) -> IndicatorInput:
    return IndicatorInput(
        key=str(indicator.id),
        name=indicator.name,
        unit=indicator.unit or "",
        direction=indicator.direction,
        baseline=indicator.baseline_value,
        target=indicator.target_value,
        latest=latest.value if latest is not None else None,
        value_per_unit=indicator.value_per_unit,
        annual_volume=indicator.annual_volume,
        benefit_class=indicator.benefit_class,
    )


def _cost_input(cost: CostItem) -> CostInput:
    return CostInput(
        category=cost.category,
        kind=cost.kind,
        phase=cost.phase,
        first_year=cost.first_year,
        last_year=cost.last_year,
        amount=cost.amount,
    )


def _missing(indicator: Indicator) -> tuple[str, ...]:
    return tuple(
        name
        for name, value in (("baseline", indicator.baseline_value), ("target", indicator.target_value))
        if value is None
    )


def load_economics(session: Session, pilot: Pilot) -> PilotEconomics:
    """Load `pilot`'s goals, indicators, latest test measurements and costs, and evaluate them.

    Indicators without a baseline or a target are kept (as incomplete lines) but left out of
    the calculation. Parameters come from :func:`services.settings.parameters_for`.
    """
    goals = session.scalars(
        select(EffectGoal)
        .options(selectinload(EffectGoal.indicators))
        .where(EffectGoal.pilot_id == pilot.id)
        .order_by(EffectGoal.position, EffectGoal.id)
    ).all()
    latest = _latest_test_measurements(session, pilot)
    costs = sorted(
        session.scalars(select(CostItem).where(CostItem.pilot_id == pilot.id)).all(),
        key=lambda c: (c.first_year, _PHASE_ORDER[c.phase], c.category.value, c.id),
    )
    params = parameters_for(session, pilot)

    inputs: list[IndicatorInput] = []
    for goal in goals:
        for indicator in goal.indicators:
            if not _missing(indicator):
                inputs.append(_indicator_input(indicator, latest.get(indicator.id)))
    evaluation = evaluate(inputs, [_cost_input(c) for c in costs], params)

    results = {r.key: r for r in evaluation.indicators}
    goal_lines = [
        GoalLines(
            goal=goal,
            lines=[
                IndicatorLine(
                    indicator=indicator,
                    latest=latest.get(indicator.id),
                    result=results.get(str(indicator.id)),
                    missing=_missing(indicator),
                )
                for indicator in goal.indicators
            ],
        )
        for goal in goals
    ]
    return PilotEconomics(pilot=pilot, goals=goal_lines, costs=costs, evaluation=evaluation)


def evaluate_pilot(session: Session, pilot: Pilot) -> Evaluation:
    """The economic evaluation of `pilot` (DESIGN §5): the figures every page and paper show."""
    return load_economics(session, pilot).evaluation


# --- the register's figures: many pilots at once ------------------------------------------------


@dataclass(frozen=True)
class PilotFigures:
    """What the pilot register shows about one pilot's economics and results.

    ``npv`` is the full value view's net present value (None when there is nothing to calculate:
    no forward cost and no benefit valued in money). ``realisation`` is the mean realisation of
    the indicators, from the measurement ``realisation_phase`` names: the latest follow-up
    measurement once the pilot is in implementation and has one, else the latest test
    measurement, so the figure always says which it is.
    """

    npv: Decimal | None
    is_estimate: bool
    realisation: Decimal | None
    realisation_phase: MeasurementPhase | None
    signed_off: bool



def register_figures(session: Session, pilots: list[Pilot]) -> dict[int, PilotFigures]:
    """NPV (full value view), realisation and sign-off of many pilots, by pilot id.

    A fixed number of queries however many pilots, goals, indicators, measurements and costs:
    the indicators, the latest measurements per phase, the cost items and the settings row.
    Every figure comes from the domain's calculation, as on each pilot's own page.
    """
    ids = [pilot.id for pilot in pilots]
    if not ids:
        return {}
    indicators: dict[int, list[Indicator]] = {pilot_id: [] for pilot_id in ids}
    for indicator, pilot_id in session.execute(
        select(Indicator, EffectGoal.pilot_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(EffectGoal.pilot_id.in_(ids))
        .order_by(EffectGoal.position, EffectGoal.id, Indicator.id)
    ):
        indicators[pilot_id].append(indicator)
    latest = _latest_measurements(session, ids, (MeasurementPhase.TEST, MeasurementPhase.FOLLOW_UP))
    # Held for the loop: the session's identity map keeps only what is referenced, and every
    # pilot's parameters read this one row.
    settings = get_settings(session)
    costs: dict[int, list[CostItem]] = {pilot_id: [] for pilot_id in ids}
    for cost in session.scalars(select(CostItem).where(CostItem.pilot_id.in_(ids)).order_by(CostItem.id)):
        costs[cost.pilot_id].append(cost)

    figures: dict[int, PilotFigures] = {}
    for pilot in pilots:
        complete = [ind for ind in indicators[pilot.id] if not _missing(ind)]
        inputs = [_indicator_input(ind, latest.get((ind.id, MeasurementPhase.TEST))) for ind in complete]
        evaluation = evaluate(inputs, [_cost_input(c) for c in costs[pilot.id]], parameters_for(session, pilot))
        has_figures = any(c.phase is not CostPhase.TEST for c in costs[pilot.id]) or any(
            r.is_valued for r in evaluation.indicators
        )
        phase = MeasurementPhase.TEST
        if pilot.phase == Phase.IMPLEMENTATION and any(
            (ind.id, MeasurementPhase.FOLLOW_UP) in latest for ind in complete
        ):
            phase = MeasurementPhase.FOLLOW_UP
        ratios = [
            realisation(ind.direction, ind.baseline_value, ind.target_value, latest[(ind.id, phase)].value)
            for ind in complete if (ind.id, phase) in latest
        ]
        mean = mean_realisation(ratios)
        figures[pilot.id] = PilotFigures(
            npv=evaluation.views["full"].npv if has_figures else None,
            is_estimate=has_figures and evaluation.views["full"].is_estimate,
            realisation=mean,
            realisation_phase=phase if mean is not None else None,
            signed_off=pilot.finance_signed_off_at is not None,
        )
    del settings
    return figures
