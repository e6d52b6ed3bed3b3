"""The portfolio overview (DESIGN §1, §5): the management group's start page, and its exports.

Every figure is computed by the domain per pilot and stored (`services.figures`, refreshed in the
transaction of any change to what it is computed from); the overview sums and counts the stored
figures of the pilots that match the filters in SQL, and reads only bounded rows: the first rows
of each list that needs attention with its length, and the pilots on the chart. A fixed number of
queries however many pilots there are, and no work per pilot in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, String, case, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from portfolio.domain import portfolio as rules
from portfolio.domain.follow_up import DUE_SOON_DAYS, BenefitTotals, FollowUpStatus
from portfolio.domain.lifecycle import Origin, Phase, Step
from portfolio.domain.portfolio import BubbleChart, PilotFigures, Totals
from portfolio.models import (
    BenefitFigure,
    FollowUpFigure,
    Goal,
    GoalFramework,
    ImplementationPlan,
    Indicator,
    PaperVersion,
    Pilot,
    PilotFigure,
    RolloutUnit,
    Unit,
    User,
)

from . import figures, follow_up, pilots

_ZERO = Decimal(0)
#: How far ahead a follow-up is listed as coming up.
FOLLOW_UP_LOOKAHEAD = dt.timedelta(days=DUE_SOON_DAYS)
#: How many pilots the bubble chart shows (the largest by cost); the rest are in the pilot list.
CHART_PILOTS = 30


def _read(session: Session, statement):
    """Plain rows of a column query, run on the session's connection without the ORM's row handling
    (pending changes are flushed first, as a session query would)."""
    session.flush()
    return session.connection().execute(statement)


# ------------------------------------------------------------------------------------------------
# Filters
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverviewFilters:
    """The overview's filters; None means "any". `year` is the year the pilot was registered in
    (the year in its code)."""

    unit_id: int | None = None
    goal_id: int | None = None
    origin: Origin | None = None
    phase: Phase | None = None
    leader_id: int | None = None
    year: int | None = None

    @property
    def narrowing(self) -> bool:
        """Whether any filter leaves pilots out."""
        return any(value is not None for value in self.query_args().values())

    def query_args(self) -> dict[str, str]:
        """The filters as URL query arguments (the same names the pilot list reads)."""
        values = dict(unit=self.unit_id, goal=self.goal_id, origin=self.origin, phase=self.phase,
                      leader=self.leader_id, year=self.year)
        return {name: str(value) for name, value in values.items() if value is not None}

    def conditions(self) -> list:
        """The filters as SQL conditions on pilots: the pilot list's own."""
        return pilots.filter_conditions(pilots.PilotFilters(
            phase=self.phase, unit_id=self.unit_id, origin=self.origin, goal_id=self.goal_id,
            leader_id=self.leader_id, year=self.year))

    def pilot_ids(self) -> Select:
        """A subquery of the ids of the pilots that match."""
        return select(Pilot.id).where(*self.conditions())


@dataclass(frozen=True)
class FilterOptions:
    """What each filter offers."""

    units: list[tuple[int, str]]
    goals: list[tuple[int, str]]  # "framework: goal"
    leaders: list[tuple[int, str]]
    years: list[int]


def filter_options(session: Session) -> FilterOptions:
    """Every unit and goal, the innovation leaders and the years pilots were registered in."""
    units = [(row.id, row.name) for row in _read(session, select(Unit.id, Unit.name).order_by(Unit.name))]
    goals = [(row.id, f"{row.framework}: {row.name}") for row in _read(session,
        select(Goal.id, Goal.name, GoalFramework.name.label("framework")).join(GoalFramework)
        .order_by(GoalFramework.position, GoalFramework.name, Goal.position, Goal.name))]
    leaders, years = pilots.leader_and_year_options(session)
    return FilterOptions(units, goals, leaders, years)


# ------------------------------------------------------------------------------------------------
# The overview
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PilotLine:
    """One pilot as the overview and its exports list it."""

    id: int
    code: str
    title: str
    phase: Phase
    step: int
    unit: str
    leader: str
    figures: PilotFigures
    rollout: tuple[int, int, int]  # units in use, started, all


@dataclass(frozen=True)
class MissingItems:
    """A pilot in the scale-up process whose current step still lacks something."""

    pilot: PilotLine
    step: int  # the step to complete next
    codes: tuple[str, ...]  # the gate rules that are not met (the web layer words them)


#: The attention lists, in the order the overview shows them.
ATTENTION_KINDS = ("awaiting_decision", "follow_ups", "unharvested", "missing_items", "papers_out_of_date",
                   "tests_past_end", "revisit_passed")


@dataclass
class Attention:
    """The lists that need attention, each of plain rows."""

    missing_items: list[MissingItems] = field(default_factory=list)
    tests_past_end: list[tuple[PilotLine, dt.date]] = field(default_factory=list)
    papers_out_of_date: list[tuple[PilotLine, int]] = field(default_factory=list)  # the paper's number
    awaiting_decision: list[PilotLine] = field(default_factory=list)
    follow_ups: list[follow_up.DueFollowUp] = field(default_factory=list)
    unharvested: list[follow_up.UnharvestedBenefit] = field(default_factory=list)
    revisit_passed: list[tuple[PilotLine, dt.date]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)  # each list's length (its rows may be the first few)

    @property
    def count(self) -> int:
        return sum(self.counts.get(kind, 0) for kind in ATTENTION_KINDS)

    def __getitem__(self, kind: str) -> list:
        """One list by its name (one of ATTENTION_KINDS)."""
        if kind not in ATTENTION_KINDS:
            raise KeyError(kind)
        return getattr(self, kind)


@dataclass(frozen=True)
class Overview:
    """Everything the overview page (and its exports) show."""

    filters: OverviewFilters
    today: dt.date
    pilots: list[PilotLine]
    by_phase: list[tuple[Phase, int, int]]  # phase, step (within scale-up; else 0), number of pilots
    totals: Totals
    benefits: BenefitTotals  # potential, realised and harvested of the scaled-up pilots
    rollout: tuple[int, int, int]  # units in use, started, all (scaled-up pilots)
    chart: BubbleChart | None
    chart_pilots: list[PilotLine]  # the pilots on the chart, in the data table's order
    attention: Attention

    @property
    def by_code(self) -> dict[str, PilotLine]:
        return {line.code: line for line in self.pilots}


_LEADER = aliased(User)


def _line_columns() -> tuple:
    """The columns a PilotLine is built from: the pilot, its unit and leader, its stored figures."""
    return (Pilot.id, Pilot.code, Pilot.title, Pilot.phase, Pilot.step, Unit.name.label("unit"),
            _LEADER.name.label("leader"), *[getattr(PilotFigure, name) for name in (
                "too_large", "has_figures", "is_estimate", *figures.MONEY_COLUMNS, "realisation",
                "realisation_phase", "unvalued")])


def _lines(filters: OverviewFilters, *columns) -> Select:
    return (select(*_line_columns(), *columns)
            .join(PilotFigure, PilotFigure.pilot_id == Pilot.id)
            .outerjoin(Unit, Unit.id == Pilot.unit_id).outerjoin(_LEADER, _LEADER.id == Pilot.innovation_leader_id)
            .where(*filters.conditions()))


def _line(row, rollout: tuple[int, int, int] = (0, 0, 0)) -> PilotLine:
    figures_ = PilotFigures(
        spent_to_date=row.spent_to_date, planned_costs=row.planned_costs,
        expected={rules.FINANCIAL: row.expected_financial, rules.REALLOCATION: row.expected_reallocation},
        realised={rules.FINANCIAL: row.realised_financial, rules.REALLOCATION: row.realised_reallocation},
        used={rules.FINANCIAL: row.used_financial, rules.REALLOCATION: row.used_reallocation},
        npv_cash=row.npv_cash, npv_full=row.npv_full, is_estimate=row.is_estimate, has_figures=row.has_figures,
        realisation=row.realisation, realisation_phase=row.realisation_phase, unvalued=row.unvalued,
        total_cost=row.total_cost)
    return PilotLine(row.id, row.code, row.title, row.phase, row.step, row.unit or "", row.leader or "", figures_,
                     rollout)


def _limited(session: Session, statement: Select, limit: int | None) -> tuple[list, int]:
    """The rows of `statement` (at most `limit`) and how many there are in all: one query."""
    rows = _read(session, statement.add_columns(func.count().over().label("_total"))
                 .limit(limit)).all()
    return rows, (rows[0]._total if rows else 0)


def _sum(column, condition=None):
    """SUM of a stored figure in SQL, as a Decimal (0 for no rows)."""
    value = column if condition is None else case((condition, column), else_=0)
    return type_coerce(func.coalesce(func.sum(value), 0), column.type)


def overview(session: Session, filters: OverviewFilters, *, today: dt.date | None = None,
             limit: int | None = None, with_pilots: bool = True) -> Overview:
    """The overview of the pilots matching `filters`, in a fixed number of queries.

    The figures are the pilots' stored ones (services.figures, refreshed first if anything
    changed), summed and counted in SQL; only bounded rows come back: each attention list's first
    `limit` rows (None: all) with its length, and the chart's pilots. `with_pilots`: also every
    matching pilot's line (the exports list them).
    """
    today = today or dt.date.today()
    figures.ensure(session)
    ids = filters.pilot_ids()
    settled = PilotFigure.has_figures & ~PilotFigure.too_large
    sums = _read(session,
        select(func.count(Pilot.id).label("pilots"),
               *[_sum(getattr(PilotFigure, name)).label(name) for name in (
                   "spent_to_date", "planned_costs", "expected_financial", "expected_reallocation",
                   "realised_financial", "realised_reallocation")],
               _sum(PilotFigure.npv_cash, settled).label("npv_cash"),
               _sum(PilotFigure.npv_full, settled).label("npv_full"),
               func.count(case((PilotFigure.has_figures, 1))).label("with_figures"),
               func.count(case((PilotFigure.has_figures & PilotFigure.is_estimate, 1))).label("estimates"),
               func.coalesce(func.sum(PilotFigure.unvalued), 0).label("unvalued"),
               func.count(case((PilotFigure.too_large, 1))).label("too_large"))
        .join(PilotFigure, PilotFigure.pilot_id == Pilot.id).where(*filters.conditions())
    ).one()
    totals = Totals(
        pilots=sums.pilots, spent_to_date=sums.spent_to_date, planned_costs=sums.planned_costs,
        expected={rules.FINANCIAL: sums.expected_financial, rules.REALLOCATION: sums.expected_reallocation},
        realised={rules.FINANCIAL: sums.realised_financial, rules.REALLOCATION: sums.realised_reallocation},
        npv_cash=sums.npv_cash, npv_full=sums.npv_full, with_figures=sums.with_figures, estimates=sums.estimates,
        unvalued=int(sums.unvalued), too_large=sums.too_large)

    phase_counts = _read(session,
        select(Pilot.phase, Pilot.step, func.count()).where(*filters.conditions()).group_by(Pilot.phase, Pilot.step)
    ).all()
    by_phase_counts: dict[tuple[Phase, int], int] = defaultdict(int)
    for phase, step, count in phase_counts:
        by_phase_counts[(phase, step if phase is Phase.SCALE_UP else 0)] += count
    by_phase = sorted(((phase, step, count) for (phase, step), count in by_phase_counts.items()),
                      key=lambda item: (list(Phase).index(item[0]), item[1]))

    benefit_sums = _read(session,
        select(BenefitFigure.benefit_class, BenefitFigure.valued, _sum(BenefitFigure.potential).label("potential"),
               _sum(BenefitFigure.realised).label("realised"), _sum(BenefitFigure.harvested).label("harvested"),
               func.count().label("benefits"), func.count(case((BenefitFigure.measured, 1))).label("measured"))
        .where(BenefitFigure.pilot_id.in_(ids)).group_by(BenefitFigure.benefit_class, BenefitFigure.valued)
    ).all()
    benefits = _benefit_totals(benefit_sums)

    rollout_counts = dict(_read(session,
        select(type_coerce(RolloutUnit.status, String), func.count())
        .join(ImplementationPlan, ImplementationPlan.id == RolloutUnit.plan_id)
        .join(Pilot, Pilot.id == ImplementationPlan.pilot_id)
        .where(*filters.conditions(), Pilot.phase == Phase.IMPLEMENTATION).group_by(RolloutUnit.status)
    ).all())
    rollout = (rollout_counts.get("in_use", 0), rollout_counts.get("started", 0), sum(rollout_counts.values()))

    charted = [_line(row) for row in _read(session,
        _lines(filters).where(PilotFigure.has_figures, PilotFigure.realisation.is_not(None), ~PilotFigure.too_large)
        .order_by(PilotFigure.total_cost.desc(), Pilot.code).limit(CHART_PILOTS))]
    chart = rules.bubble_chart([(line.code, line.title, line.figures.npv_full, line.figures.realisation,
                                 line.figures.total_cost) for line in charted])

    lines: list[PilotLine] = []
    if with_pilots:
        progress: dict[int, list[str]] = defaultdict(list)
        for pilot_id, status, count in _read(session,
            select(ImplementationPlan.pilot_id, type_coerce(RolloutUnit.status, String), func.count())
            .join(RolloutUnit, RolloutUnit.plan_id == ImplementationPlan.id)
            .join(Pilot, Pilot.id == ImplementationPlan.pilot_id)
            .where(*filters.conditions(), Pilot.phase == Phase.IMPLEMENTATION)
            .group_by(ImplementationPlan.pilot_id, RolloutUnit.status)
        ):
            progress[pilot_id].extend([status] * count)
        lines = [_line(row, rules.rollout_progress(progress.get(row.id, ())))
                 for row in _read(session, _lines(filters).order_by(Pilot.code))]
    return Overview(
        filters=filters, today=today, pilots=lines, by_phase=by_phase, totals=totals, benefits=benefits,
        rollout=rollout, chart=chart, chart_pilots=charted, attention=_attention(session, filters, today, limit),
    )


def _benefit_totals(rows) -> BenefitTotals:
    """The potential, realised and harvested sums per class (summed in SQL) as the domain's totals."""
    by_class = {name: (_ZERO, _ZERO, _ZERO) for name in ("financial", "reallocation")}
    valued = measured = unvalued = 0
    for row in rows:
        if not row.valued:
            unvalued += row.benefits
            continue
        valued += row.benefits
        measured += row.measured
        by_class[row.benefit_class] = (row.potential, row.realised, row.harvested)
    return BenefitTotals(
        potential=sum((row[0] for row in by_class.values()), _ZERO),
        realised=sum((row[1] for row in by_class.values()), _ZERO),
        harvested=sum((row[2] for row in by_class.values()), _ZERO),
        by_class=by_class, valued=valued, measured=measured, unvalued=unvalued)


def _attention(session: Session, filters: OverviewFilters, today: dt.date, limit: int | None) -> Attention:
    """Each list's first `limit` rows (None: all) and its length, each in one query."""
    attention = Attention()
    counts = attention.counts
    rows, counts["awaiting_decision"] = _limited(session, _lines(filters).where(
        Pilot.phase == Phase.SCALE_UP, Pilot.step == Step.DECISION_BASIS_READY).order_by(Pilot.code), limit)
    attention.awaiting_decision = [_line(row) for row in rows]
    rows, counts["tests_past_end"] = _limited(session, _lines(filters, Pilot.test_end).where(
        Pilot.phase == Phase.TEST, Pilot.test_end < today).order_by(Pilot.code), limit)
    attention.tests_past_end = [(_line(row), row.test_end) for row in rows]
    rows, counts["revisit_passed"] = _limited(session, _lines(filters, Pilot.revisit_on).where(
        Pilot.phase == Phase.PARKED, Pilot.revisit_on <= today).order_by(Pilot.code), limit)
    attention.revisit_passed = [(_line(row), row.revisit_on) for row in rows]
    rows, counts["missing_items"] = _limited(session, _lines(
        filters, PilotFigure.missing_step, PilotFigure.missing_codes).where(
        Pilot.phase == Phase.SCALE_UP, PilotFigure.missing_codes != "").order_by(Pilot.code), limit)
    attention.missing_items = [MissingItems(_line(row), row.missing_step, tuple(row.missing_codes.split(",")))
                               for row in rows]
    newest = (select(PaperVersion.pilot_id, func.max(PaperVersion.id).label("paper_id"))
              .where(PaperVersion.pilot_id.in_(filters.pilot_ids().where(Pilot.phase == Phase.SCALE_UP)))
              .group_by(PaperVersion.pilot_id).subquery())
    rows, counts["papers_out_of_date"] = _limited(session, _lines(filters, PaperVersion.number)
        .join(newest, newest.c.pilot_id == Pilot.id).join(PaperVersion, PaperVersion.id == newest.c.paper_id)
        .where(Pilot.phase == Phase.SCALE_UP, PilotFigure.paper_fingerprint.is_not(None),
               PilotFigure.paper_fingerprint != PaperVersion.data_fingerprint).order_by(Pilot.code), limit)
    attention.papers_out_of_date = [(_line(row), row.number) for row in rows]
    rows, counts["follow_ups"] = _limited(session,
        select(FollowUpFigure.pilot_id, Pilot.code, Pilot.title, FollowUpFigure.due_on, FollowUpFigure.measured,
               FollowUpFigure.indicators).join(Pilot, Pilot.id == FollowUpFigure.pilot_id)
        .where(*filters.conditions(), ~FollowUpFigure.done, FollowUpFigure.due_on < today + FOLLOW_UP_LOOKAHEAD)
        .order_by(FollowUpFigure.due_on, Pilot.code), limit)
    attention.follow_ups = [
        follow_up.DueFollowUp(row.pilot_id, row.code, row.title, row.due_on, rules.follow_up_status(row.due_on, today),
                              row.measured, row.indicators) for row in rows]
    rows, counts["unharvested"] = _limited(session,
        select(BenefitFigure.pilot_id, Pilot.code, Pilot.title, BenefitFigure.indicator_id, Indicator.name,
               BenefitFigure.benefit_class, BenefitFigure.realised, BenefitFigure.harvested, BenefitFigure.gap)
        .join(Pilot, Pilot.id == BenefitFigure.pilot_id).join(Indicator, Indicator.id == BenefitFigure.indicator_id)
        .where(*filters.conditions(), BenefitFigure.gap > 0)
        .order_by(BenefitFigure.gap.desc(), Pilot.code, BenefitFigure.indicator_id), limit)
    attention.unharvested = [
        follow_up.UnharvestedBenefit(row.pilot_id, row.code, row.title, row.indicator_id, row.name,
                                     row.benefit_class, row.realised, row.harvested, row.gap) for row in rows]
    return attention


def follow_up_status_counts(overview: Overview) -> dict[FollowUpStatus, int]:
    """How many of the listed follow-ups are due and overdue."""
    counts: dict[FollowUpStatus, int] = defaultdict(int)
    for row in overview.attention.follow_ups:
        counts[row.status] += 1
    return counts
