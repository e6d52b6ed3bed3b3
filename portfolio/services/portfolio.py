"""The portfolio overview (DESIGN §1, §5): the management group's start page, and its exports.

Everything the overview shows is read for all the pilots that match the filters at once: a
fixed number of queries however many pilots there are (each restricted by the same subquery
of pilot ids), plain rows only, and every figure computed by the domain
(`portfolio.domain.portfolio`, `portfolio.domain.follow_up`, `portfolio.domain.process`) in one
pass. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, String, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from portfolio.domain import follow_up as follow_up_rules
from portfolio.domain import portfolio as rules
from portfolio.domain import process as process_rules
from portfolio.domain.follow_up import BenefitTotals, FollowUpStatus
from portfolio.domain.lifecycle import Origin, Phase, Step
from portfolio.domain.portfolio import BubbleChart, PilotFigures, Totals
from portfolio.domain.process import Checkpoint, DecisionOutcome, Responsibility
from portfolio.domain.roles import Role
from portfolio.models import (
    AuditEntry,
    CostItem,
    Decision,
    EffectGoal,
    Goal,
    GoalFramework,
    ImplementationPlan,
    Indicator,
    LifecycleOwner,
    Measurement,
    MeasurementPhase,
    Milestone,
    PaperVersion,
    Pilot,
    RolloutUnit,
    SchoolCheckpoint,
    Unit,
    User,
    UserRole,
    pilot_goals,
)

from . import follow_up, pilots
from .settings import default_first_year, get_settings, ramp_up_from_json

_ZERO = Decimal(0)
#: How far ahead a follow-up is listed as coming up.
FOLLOW_UP_LOOKAHEAD = dt.timedelta(days=follow_up_rules.DUE_SOON_DAYS)
#: How many pilots the bubble chart shows (the largest by cost); the rest are in the pilot list.
CHART_PILOTS = 30
#: The audit log's entities whose changes do not change a decision paper's data.
_NOT_IN_PAPER = ("paper_version", "decision", "follow_up", "benefit_owner", "harvest_decision")


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

    @property
    def count(self) -> int:
        return sum(len(self[kind]) for kind in ATTENTION_KINDS)

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


def _parameters(row, settings) -> rules.Horizon:
    first_year = row.first_year or default_first_year(row)
    rate = row.discount_rate if row.discount_rate is not None else settings.discount_rate
    ramp = ramp_up_from_json(row.ramp_up if row.ramp_up is not None else settings.ramp_up)
    return rules.horizon(first_year, row.horizon_years or settings.horizon_years, Decimal(rate), ramp)


def _latest_measurements(session: Session, ids: Select) -> dict[tuple[int, str], tuple[Decimal, dt.date]]:
    """The latest (value, date) per (indicator, phase) of the pilots' indicators: one windowed query."""
    rank = func.row_number().over(
        partition_by=(Measurement.indicator_id, Measurement.phase),
        order_by=(Measurement.measured_on.desc(), Measurement.id.desc()),
    ).label("rank")
    ranked = (
        select(Measurement.indicator_id, Measurement.phase, Measurement.value, Measurement.measured_on, rank)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(EffectGoal.pilot_id.in_(ids))
        .subquery()
    )
    rows = _read(session, select(ranked.c.indicator_id, type_coerce(ranked.c.phase, String), ranked.c.value,
                                 ranked.c.measured_on).where(ranked.c.rank == 1))
    return {(indicator_id, phase): (value, measured_on) for indicator_id, phase, value, measured_on in rows}


def _text(column):
    """Whether a text column holds more than blanks, as SQL (the rules only ask that)."""
    return func.coalesce(func.length(func.trim(column)), 0) > 0


def overview(session: Session, filters: OverviewFilters, *, today: dt.date | None = None) -> Overview:
    """The overview of the pilots matching `filters`, in a fixed number of queries."""
    today = today or dt.date.today()
    ids = filters.pilot_ids()
    settings = get_settings(session)
    leader = aliased(User)
    pilot_rows = _read(session,
        select(Pilot.id, Pilot.code, Pilot.title, Pilot.phase, Pilot.step, Pilot.test_end, Pilot.revisit_on,
               Pilot.first_year, Pilot.horizon_years, Pilot.discount_rate, Pilot.ramp_up,
               Pilot.finance_signed_off_at, Unit.name.label("unit"), leader.name.label("leader"))
        .outerjoin(Unit, Unit.id == Pilot.unit_id).outerjoin(leader, leader.id == Pilot.innovation_leader_id)
        .where(*filters.conditions()).order_by(Pilot.code)
    ).all()
    by_id_code = {row.id: row.code for row in pilot_rows}
    by_id_title = {row.id: row.title for row in pilot_rows}

    latest = _latest_measurements(session, ids)
    scaled_up = set(_read(session, select(Decision.pilot_id).where(
        Decision.outcome == DecisionOutcome.SCALE_UP, Decision.pilot_id.in_(ids))).scalars())
    harvested = follow_up.harvested_by_indicator(session, ids)
    indicators: dict[int, list[tuple]] = defaultdict(list)
    indicator_ids: dict[int, list[int]] = defaultdict(list)
    refs: dict[int, follow_up.PilotRef] = {}
    benefit_rows: list[follow_up.BenefitRow] = []
    nothing = (None, None)
    for (indicator_id, pilot_id, benefit_class, direction, baseline, target, per_unit, volume, name, unit,
         goal_id) in _read(session,
        select(Indicator.id, EffectGoal.pilot_id, type_coerce(Indicator.benefit_class, String),
               type_coerce(Indicator.direction, String), Indicator.baseline_value, Indicator.target_value,
               Indicator.value_per_unit, Indicator.annual_volume, Indicator.name, Indicator.unit, EffectGoal.id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id).where(EffectGoal.pilot_id.in_(ids))
    ):  # in no particular order: every use sums or sorts
        test = latest.get((indicator_id, "test"), nothing)[0]
        follow_value, follow_on = latest.get((indicator_id, "follow_up"), nothing)
        indicators[pilot_id].append((benefit_class, direction, baseline, target, per_unit, volume, test,
                                     follow_value))
        indicator_ids[pilot_id].append(indicator_id)
        if pilot_id in scaled_up:
            ref = refs.get(pilot_id)
            if ref is None:
                ref = refs[pilot_id] = follow_up.PilotRef(pilot_id, by_id_code[pilot_id], by_id_title[pilot_id])
            benefit = follow_up_rules.benefit(follow_up_rules.BenefitInput(
                indicator_id, direction, baseline, target, per_unit, volume, benefit_class, follow_value,
                harvested.get(indicator_id, _ZERO)))
            benefit_rows.append(follow_up.BenefitRow(ref, indicator_id, name, unit or "", goal_id, benefit,
                                                     follow_on))
    costs: dict[int, list[tuple]] = defaultdict(list)
    for pilot_id, kind, phase, first_year, last_year, amount in _read(session,
        select(CostItem.pilot_id, type_coerce(CostItem.kind, String), type_coerce(CostItem.phase, String),
               CostItem.first_year, CostItem.last_year, CostItem.amount).where(CostItem.pilot_id.in_(ids))
    ):
        costs[pilot_id].append((kind, phase, first_year, last_year, amount))
    rollouts: dict[int, list[str]] = defaultdict(list)
    for pilot_id, status, count in _read(session,
        select(ImplementationPlan.pilot_id, type_coerce(RolloutUnit.status, String), func.count())
        .join(RolloutUnit, RolloutUnit.plan_id == ImplementationPlan.id)
        .where(ImplementationPlan.pilot_id.in_(ids)).group_by(ImplementationPlan.pilot_id, RolloutUnit.status)
    ):
        rollouts[pilot_id].extend([status] * count)

    lines: list[PilotLine] = []
    phase_counts: dict[tuple[Phase, int], int] = defaultdict(int)
    rollout_total = [0, 0, 0]
    spans: dict[tuple, rules.Horizon] = {}
    no_rollout = (0, 0, 0)
    for row in pilot_rows:
        pilot_id, phase, step = row.id, row.phase, row.step
        key = (row.first_year, row.horizon_years, row.discount_rate, tuple(row.ramp_up or ()) if row.ramp_up
               is not None else None, row.test_end.year if row.test_end else None)
        span = spans.get(key)
        if span is None:
            span = spans[key] = _parameters(row, settings)
        scaled_up = phase is Phase.IMPLEMENTATION
        figures = rules.pilot_figures(indicators.get(pilot_id, ()), costs.get(pilot_id, ()), span,
                                      follow_up_realisation=scaled_up)
        progress = rules.rollout_progress(rollouts.get(pilot_id, ())) if scaled_up else no_rollout
        if scaled_up:
            rollout_total[0] += progress[0]
            rollout_total[1] += progress[1]
            rollout_total[2] += progress[2]
        lines.append(PilotLine(pilot_id, row.code, row.title, phase, step, row.unit or "", row.leader or "",
                               figures, progress))
        phase_counts[(phase, step if phase is Phase.SCALE_UP else 0)] += 1
    by_phase = sorted(((phase, step, count) for (phase, step), count in phase_counts.items()),
                      key=lambda item: (list(Phase).index(item[0]), item[1]))

    charted = sorted((line for line in lines if line.figures.has_figures and line.figures.realisation is not None),
                     key=lambda line: (-line.figures.total_cost, line.code))[:CHART_PILOTS]
    chart = rules.bubble_chart([(line.code, line.title, line.figures.npv_full, line.figures.realisation,
                                 line.figures.total_cost) for line in charted])
    attention = _attention(session, ids, lines, pilot_rows, benefit_rows, indicator_ids, today)
    return Overview(
        filters=filters, today=today, pilots=lines, by_phase=by_phase,
        totals=rules.sum_figures(line.figures for line in lines),
        benefits=follow_up_rules.totals(row.benefit for row in benefit_rows),
        rollout=(rollout_total[0], rollout_total[1], rollout_total[2]),
        chart=chart, chart_pilots=charted, attention=attention,
    )


def _attention(session: Session, ids: Select, lines: list[PilotLine], pilot_rows,
               benefit_rows: list[follow_up.BenefitRow], indicator_ids: dict[int, list[int]],
               today: dt.date) -> Attention:
    attention = Attention()
    by_id = {line.id: line for line in lines}
    for row in pilot_rows:
        line = by_id[row.id]
        if rules.past_test_end(str(row.phase), row.test_end, today):
            attention.tests_past_end.append((line, row.test_end))
        if rules.revisit_passed(str(row.phase), row.revisit_on, today):
            attention.revisit_passed.append((line, row.revisit_on))
        if line.phase is Phase.SCALE_UP and line.step == Step.DECISION_BASIS_READY:
            attention.awaiting_decision.append(line)
    attention.follow_ups = follow_up.due_follow_ups(session, before=today + FOLLOW_UP_LOOKAHEAD, pilot_ids=ids,
                                                    today=today, indicators=indicator_ids)
    attention.unharvested = sorted(
        (follow_up.UnharvestedBenefit(row.pilot.id, row.pilot.code, row.pilot.title, row.indicator_id,
                                      row.indicator_name, row.benefit.benefit_class, row.benefit.realised,
                                      row.benefit.harvested, row.benefit.gap)
         for row in benefit_rows if row.benefit.gap is not None and row.benefit.gap > 0),
        key=lambda row: (-row.gap, row.pilot_code, row.indicator_id))
    in_process = [line for line in lines if line.phase is Phase.SCALE_UP]
    if in_process:
        _process_attention(session, ids, in_process, pilot_rows, attention)
    return attention


def _process_attention(session: Session, ids: Select, in_process: list[PilotLine], pilot_rows,
                       attention: Attention) -> None:
    """Steps with missing items and papers out of date, for the pilots in the scale-up process.

    The gate rules run over snapshots built from a fixed number of queries. Whether a paper is
    out of date is read from the audit log (a change to the pilot's data recorded after the paper
    was made), not by rebuilding every paper's data as the pilot page does: that reading is exact
    except that a change undone again still counts.
    """
    scale_up_ids = select(Pilot.id).where(Pilot.id.in_(ids), Pilot.phase == Phase.SCALE_UP)
    texts = {row.id: row for row in _read(session,
        select(Pilot.id, _text(Pilot.review_comment).label("review"), _text(Pilot.results_summary).label("summary"),
               _text(Pilot.lessons_learned).label("lessons")).where(Pilot.id.in_(scale_up_ids)))}
    goals: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for goal_id, pilot_id, statement in _read(session,
        select(EffectGoal.id, EffectGoal.pilot_id, EffectGoal.statement).where(EffectGoal.pilot_id.in_(scale_up_ids))
        .order_by(EffectGoal.position, EffectGoal.id)
    ):
        goals[pilot_id].append((goal_id, statement))
    test_counts = dict(_read(session,
        select(Measurement.indicator_id, func.count()).join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(EffectGoal.pilot_id.in_(scale_up_ids), Measurement.phase == MeasurementPhase.TEST)
        .group_by(Measurement.indicator_id)
    ).all())
    indicator_facts: dict[int, list[process_rules.IndicatorFacts]] = defaultdict(list)
    for row in _read(session,
        select(Indicator.id, Indicator.effect_goal_id, Indicator.name, Indicator.unit, Indicator.direction,
               _text(Indicator.measurement_method).label("method"), _text(Indicator.data_source).label("source"),
               ((Indicator.baseline_value.is_not(None)) & (Indicator.baseline_date.is_not(None))).label("baseline"),
               ((Indicator.target_value.is_not(None)) & (Indicator.target_date.is_not(None))).label("target"),
               Indicator.benefit_class,
               ((Indicator.value_per_unit.is_not(None)) | (Indicator.annual_volume.is_not(None))).label("valued"))
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id).where(EffectGoal.pilot_id.in_(scale_up_ids))
        .order_by(Indicator.position, Indicator.id)
    ):
        indicator_facts[row.effect_goal_id].append(process_rules.IndicatorFacts(
            name=row.name, unit=row.unit or "", direction=str(row.direction) if row.direction else None,
            measurement_method="x" if row.method else "", data_source="x" if row.source else "",
            has_baseline=bool(row.baseline), has_target=bool(row.target),
            test_measurements=test_counts.get(row.id, 0), benefit_class=str(row.benefit_class),
            has_valuation=bool(row.valued)))
    cost_counts = dict(_read(session,
        select(CostItem.pilot_id, func.count()).where(CostItem.pilot_id.in_(scale_up_ids)).group_by(CostItem.pilot_id)
    ).all())
    plans = {row.pilot_id: row for row in _read(session,
        select(ImplementationPlan.id, ImplementationPlan.pilot_id, _text(ImplementationPlan.target_groups)
               .label("groups"), ImplementationPlan.children_use_solution)
        .where(ImplementationPlan.pilot_id.in_(scale_up_ids)))}
    plan_ids = select(ImplementationPlan.id).where(ImplementationPlan.pilot_id.in_(scale_up_ids))
    unit_counts = dict(_read(session, select(RolloutUnit.plan_id, func.count()).where(
        RolloutUnit.plan_id.in_(plan_ids)).group_by(RolloutUnit.plan_id)).all())
    milestone_counts = dict(_read(session, select(Milestone.plan_id, func.count()).where(
        Milestone.plan_id.in_(plan_ids)).group_by(Milestone.plan_id)).all())
    owners: dict[int, set[Responsibility]] = defaultdict(set)
    for plan_id, responsibility in _read(session,
        select(LifecycleOwner.plan_id, LifecycleOwner.responsibility)
        .where(LifecycleOwner.plan_id.in_(plan_ids), _text(LifecycleOwner.owner))
    ):
        owners[plan_id].add(Responsibility(responsibility))
    checkpoints: dict[int, set[Checkpoint]] = defaultdict(set)
    for plan_id, checkpoint in _read(session,
        select(SchoolCheckpoint.plan_id, SchoolCheckpoint.checkpoint).where(SchoolCheckpoint.plan_id.in_(plan_ids))
    ):
        checkpoints[plan_id].add(Checkpoint(checkpoint))
    papers = _latest_papers(session, scale_up_ids)

    signed = {row.id: row.finance_signed_off_at is not None for row in pilot_rows}
    for line in in_process:
        plan = plans.get(line.id)
        plan_facts = process_rules.PlanFacts() if plan is None else process_rules.PlanFacts(
            target_groups="x" if plan.groups else "", rollout_units=unit_counts.get(plan.id, 0),
            milestones=milestone_counts.get(plan.id, 0), responsibilities=frozenset(owners.get(plan.id, ())),
            children_use_solution=plan.children_use_solution,
            answered_checkpoints=frozenset(checkpoints.get(plan.id, ())))
        paper = papers.get(line.id)
        paper_facts = process_rules.PaperFacts() if paper is None else process_rules.PaperFacts(
            exists=True, out_of_date=paper[1], is_draft=paper[2], is_decision_copy=paper[3])
        text = texts.get(line.id)
        snapshot = process_rules.PilotSnapshot(
            phase=line.phase, step=line.step,
            goals=tuple(process_rules.GoalFacts(statement, tuple(indicator_facts.get(goal_id, ())))
                        for goal_id, statement in goals.get(line.id, ())),
            review_comment="x" if text and text.review else "", results_summary="x" if text and text.summary else "",
            lessons_learned="x" if text and text.lessons else "", cost_items=cost_counts.get(line.id, 0),
            finance_signed_off=signed.get(line.id, False), plan=plan_facts, paper=paper_facts,
        )
        if line.step < Step.DECISION_BASIS_READY:
            lacking = tuple(check.code for check in process_rules.missing(snapshot, line.step + 1)
                            if not check.on_completion)
            if lacking:
                attention.missing_items.append(MissingItems(line, line.step + 1, lacking))
        if paper is not None and paper[1]:
            attention.papers_out_of_date.append((line, paper[0]))


def _latest_papers(session: Session, pilot_ids: Select) -> dict[int, tuple[int, bool, bool, bool]]:
    """Per pilot: (number, out of date, draft, decision copy) of its newest paper."""
    newest = (select(PaperVersion.pilot_id, func.max(PaperVersion.id).label("paper_id"))
              .where(PaperVersion.pilot_id.in_(pilot_ids)).group_by(PaperVersion.pilot_id).subquery())
    made = (select(AuditEntry.entity_id, func.max(AuditEntry.id).label("entry_id"))
            .where(AuditEntry.entity == "paper_version", AuditEntry.pilot_id.in_(pilot_ids))
            .group_by(AuditEntry.entity_id).subquery())
    changed = (select(AuditEntry.pilot_id, func.max(AuditEntry.id).label("entry_id"))
               .where(AuditEntry.pilot_id.in_(pilot_ids), AuditEntry.entity.not_in(_NOT_IN_PAPER))
               .group_by(AuditEntry.pilot_id).subquery())
    rows = _read(session,
        select(PaperVersion.pilot_id, PaperVersion.number, PaperVersion.is_draft, PaperVersion.is_decision_copy,
               made.c.entry_id, changed.c.entry_id)
        .join(newest, newest.c.paper_id == PaperVersion.id)
        .outerjoin(made, made.c.entity_id == PaperVersion.id)
        .outerjoin(changed, changed.c.pilot_id == PaperVersion.pilot_id)
    )
    return {
        pilot_id: (number, made_at is not None and changed_at is not None and changed_at > made_at, bool(draft),
                   bool(copy))
        for pilot_id, number, draft, copy, made_at, changed_at in rows
    }


def follow_up_status_counts(overview: Overview) -> dict[FollowUpStatus, int]:
    """How many of the listed follow-ups are due and overdue."""
    counts: dict[FollowUpStatus, int] = defaultdict(int)
    for row in overview.attention.follow_ups:
        counts[row.status] += 1
    return counts
