"""Each pilot's figures, stored (`models.figures`) so the portfolio overview and the pilot list sum,
count, sort and page them in SQL instead of computing every pilot on every request (DESIGN §1, §5).

This module is their single owner. The figures are computed by the domain, exactly as each pilot's
own pages compute them (`portfolio.domain.portfolio`, `portfolio.domain.follow_up`,
`portfolio.domain.process`, the paper service's fingerprint), for many pilots at once in a fixed
number of queries, and stored in the same transaction as the change they follow:

* every flush notes the pilots whose inputs it changed (costs, effect goals, indicators,
  measurements, decisions, follow-ups, harvests, papers, the plan and its parts, the pilot itself;
  the names of units, leaders and strategic goals shown in a paper; the settings: every pilot);
* :func:`refresh_pending` computes and stores the noted pilots' figures. It runs before every
  commit (a session event) and before the overview and the pilot list read the figures, so a
  stale row is never shown, whichever service made the change;
* a pilot without a row (added by a bulk insert, or from before the tables existed), or whose
  figures rest on the current year (no first year and no end of test) computed in another year,
  is computed when the figures are read.

:func:`stale_pilots` recomputes and compares: the tests hold the stored rows to it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal

from sqlalchemy import Select, String, delete, event, func, insert, inspect, select, type_coerce, union_all
from sqlalchemy.orm import Session

from portfolio.domain import follow_up as follow_up_rules
from portfolio.domain import limits
from portfolio.domain import portfolio as rules
from portfolio.domain import process as process_rules
from portfolio.domain.follow_up import FollowUpStatus
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.process import Checkpoint, DecisionOutcome, Responsibility
from portfolio.models import (
    AppSettings,
    BenefitFigure,
    CostItem,
    Decision,
    EffectGoal,
    FollowUp,
    FollowUpFigure,
    Goal,
    GoalFramework,
    HarvestDecision,
    ImplementationPlan,
    Indicator,
    LifecycleOwner,
    Measurement,
    MeasurementPhase,
    Milestone,
    PaperVersion,
    Pilot,
    PilotFigure,
    RolloutUnit,
    SchoolCheckpoint,
    Unit,
    User,
    pilot_goals,
)
from portfolio.models.process import Risk

from .settings import default_first_year, get_settings, ramp_up_from_json

_ZERO = Decimal(0)
_PENDING = "figures_pending"  # session.info: what the flushes changed, until refreshed
_EVERYTHING = "everything"
_CENT = Decimal("0.01")
_RATIO = Decimal(1).scaleb(-limits.FIGURE_RATIO.places)
_LARGEST = Decimal(10) ** (limits.FIGURE.digits - limits.FIGURE.places)
MONEY_COLUMNS = ("spent_to_date", "planned_costs", "total_cost", "expected_financial", "expected_reallocation",
                 "realised_financial", "realised_reallocation", "used_financial", "used_reallocation", "npv_cash",
                 "npv_full")


def _read(session: Session, statement):
    session.flush()
    return session.connection().execute(statement)


# ------------------------------------------------------------------------------------------------
# Noting what changed
# ------------------------------------------------------------------------------------------------

# What each kind of changed object refers to: ("pilot" | "goal" | "indicator" | "plan" | ..., id).
_BY_PILOT = (Pilot, CostItem, EffectGoal, Decision, HarvestDecision, FollowUp, PaperVersion, ImplementationPlan)
_BY_PLAN = (RolloutUnit, Milestone, Risk, LifecycleOwner, SchoolCheckpoint)
# Names a paper shows: a change elsewhere on these rows (a sign-in time, say) changes no figure.
_NAMED = {Unit: ("unit", ("name",)), User: ("user", ("name",)),
          Goal: ("strategic_goal", ("name", "position", "framework_id")),
          GoalFramework: ("framework", ("name", "position"))}


def _changed(obj, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _refs(obj, new_or_deleted: bool) -> tuple[str, int | None] | None:
    if isinstance(obj, Pilot):
        return "pilot", obj.id
    if isinstance(obj, _BY_PILOT):
        return "pilot", obj.pilot_id
    if isinstance(obj, Indicator):
        return "goal", obj.effect_goal_id
    if isinstance(obj, Measurement):
        return "indicator", obj.indicator_id
    if isinstance(obj, _BY_PLAN):
        return "plan", obj.plan_id
    if isinstance(obj, AppSettings):
        return _EVERYTHING, None
    for model, (kind, names) in _NAMED.items():
        if isinstance(obj, model) and not new_or_deleted and _changed(obj, names):
            return kind, obj.id
    return None


@event.listens_for(Session, "after_flush")
def _note_changes(session: Session, _context) -> None:
    pending = session.info.setdefault(_PENDING, set())
    for objects, new_or_deleted in ((session.new, True), (session.deleted, True), (session.dirty, False)):
        for obj in objects:
            if not new_or_deleted and not session.is_modified(obj, include_collections=True):
                continue
            ref = _refs(obj, new_or_deleted)
            if ref is not None:
                pending.add(ref)


@event.listens_for(Session, "before_commit")
def _refresh_before_commit(session: Session) -> None:
    refresh_pending(session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction) -> None:
    """The notes end with the transaction (a savepoint's rollback keeps them: refreshing a pilot whose
    change was undone only recomputes what is stored)."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def note_everything(session: Session) -> None:
    """Have every pilot's figures refreshed (after a bulk change the flushes do not see)."""
    session.info.setdefault(_PENDING, set()).add((_EVERYTHING, None))


def _resolve(session: Session, refs: set[tuple[str, int | None]]) -> set[int] | None:
    """The pilots the noted changes touch (None: all of them)."""
    if any(kind == _EVERYTHING for kind, _id in refs):
        return None
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, key in refs:
        if key is not None:
            by_kind[kind].add(key)
    pilots = set(by_kind.pop("pilot", ()))
    lookups = dict(
        goal=lambda ids: select(EffectGoal.pilot_id).where(EffectGoal.id.in_(ids)),
        indicator=lambda ids: select(EffectGoal.pilot_id).join(Indicator, Indicator.effect_goal_id == EffectGoal.id)
        .where(Indicator.id.in_(ids)),
        plan=lambda ids: select(ImplementationPlan.pilot_id).where(ImplementationPlan.id.in_(ids)),
        unit=lambda ids: select(Pilot.id).where(Pilot.unit_id.in_(ids)).union(
            select(ImplementationPlan.pilot_id).join(RolloutUnit, RolloutUnit.plan_id == ImplementationPlan.id)
            .where(RolloutUnit.unit_id.in_(ids))),
        user=lambda ids: select(Pilot.id).where(Pilot.innovation_leader_id.in_(ids)
                                                   | Pilot.finance_signed_off_by_id.in_(ids)),
        strategic_goal=lambda ids: select(pilot_goals.c.pilot_id).where(pilot_goals.c.goal_id.in_(ids)),
        framework=lambda ids: select(pilot_goals.c.pilot_id).join(Goal, Goal.id == pilot_goals.c.goal_id)
        .where(Goal.framework_id.in_(ids)),
    )
    for kind, ids in by_kind.items():
        pilots.update(_read(session, lookups[kind](sorted(ids))).scalars())
    return pilots


def refresh_pending(session: Session) -> None:
    """Compute and store the figures of the pilots the flushes since the last refresh changed."""
    for _round in range(5):  # a refresh flushes; what that flush notes is refreshed next round
        session.flush()
        refs = session.info.pop(_PENDING, None)
        if not refs:
            return
        pilots = _resolve(session, refs)
        if pilots is None:
            refresh(session, None)
        elif pilots:
            refresh(session, select(Pilot.id).where(Pilot.id.in_(sorted(pilots))))


def ensure(session: Session) -> None:
    """Refresh what is pending, compute the pilots that have no figures yet and those whose first year
    was taken from a date in a year gone by: before reading the figures."""
    refresh_pending(session)
    # Two plain conditions, not one anti-join with a condition on the figures: the database plans
    # these well even before it has statistics of freshly filled tables.
    missing = union_all(
        select(Pilot.id).where(~select(PilotFigure.pilot_id).where(PilotFigure.pilot_id == Pilot.id).exists()),
        select(PilotFigure.pilot_id).where(PilotFigure.first_year_from_today != dt.date.today().year + 1))
    if _read(session, select(missing.subquery().c[0]).limit(1)).first() is not None:
        refresh(session, missing)
        session.info.pop(_PENDING, None)


# ------------------------------------------------------------------------------------------------
# Computing
# ------------------------------------------------------------------------------------------------


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


def _money(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_EVEN)


def compute(session: Session, ids: Select) -> tuple[list[dict], list[dict], list[dict]]:
    """The rows of `pilot_figures`, `benefit_figures` and `follow_up_figures` for the pilots in `ids`,
    computed now by the domain: a fixed number of queries, then one pass (and a paper fingerprint
    per pilot in the scale-up process that has a paper)."""
    from . import follow_up  # noqa: PLC0415 - follow_up's own imports reach back here

    settings = get_settings(session)
    pilot_rows = _read(session,
        select(Pilot.id, Pilot.code, Pilot.phase, Pilot.step, Pilot.test_end, Pilot.first_year, Pilot.horizon_years,
               Pilot.discount_rate, Pilot.ramp_up, Pilot.finance_signed_off_at)
        .where(Pilot.id.in_(ids)).order_by(Pilot.id)
    ).all()
    latest = _latest_measurements(session, ids)
    scaled_up = set(_read(session, select(Decision.pilot_id).where(
        Decision.outcome == DecisionOutcome.SCALE_UP, Decision.pilot_id.in_(ids))).scalars())
    harvested = follow_up.harvested_by_indicator(session, ids)
    indicators: dict[int, list[tuple]] = defaultdict(list)
    indicator_ids: dict[int, list[int]] = defaultdict(list)
    benefit_rows: list[dict] = []
    nothing = (None, None)
    for (indicator_id, pilot_id, benefit_class, direction, baseline, target, per_unit, volume) in _read(session,
        select(Indicator.id, EffectGoal.pilot_id, type_coerce(Indicator.benefit_class, String),
               type_coerce(Indicator.direction, String), Indicator.baseline_value, Indicator.target_value,
               Indicator.value_per_unit, Indicator.annual_volume)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id).where(EffectGoal.pilot_id.in_(ids))
    ):
        test = latest.get((indicator_id, "test"), nothing)[0]
        follow_value = latest.get((indicator_id, "follow_up"), nothing)[0]
        indicators[pilot_id].append((benefit_class, direction, baseline, target, per_unit, volume, test,
                                     follow_value))
        indicator_ids[pilot_id].append(indicator_id)
        if pilot_id in scaled_up:
            benefit = follow_up_rules.benefit(follow_up_rules.BenefitInput(
                indicator_id, direction, baseline, target, per_unit, volume, benefit_class, follow_value,
                harvested.get(indicator_id, _ZERO)))
            benefit_rows.append(dict(
                indicator_id=indicator_id, pilot_id=pilot_id, benefit_class=benefit.benefit_class,
                valued=benefit.is_valued, measured=benefit.realised is not None,
                potential=benefit.potential or _ZERO, realised=benefit.realised or _ZERO,
                harvested=benefit.harvested, gap=benefit.gap))
    costs: dict[int, list[tuple]] = defaultdict(list)
    for pilot_id, kind, phase, first_year, last_year, amount in _read(session,
        select(CostItem.pilot_id, type_coerce(CostItem.kind, String), type_coerce(CostItem.phase, String),
               CostItem.first_year, CostItem.last_year, CostItem.amount).where(CostItem.pilot_id.in_(ids))
    ):
        costs[pilot_id].append((kind, phase, first_year, last_year, amount))

    rows: list[dict] = []
    spans: dict[tuple, rules.Horizon] = {}
    for row in pilot_rows:
        key = (row.first_year, row.horizon_years, row.discount_rate, tuple(row.ramp_up or ()) if row.ramp_up
               is not None else None, row.test_end.year if row.test_end else None)
        span = spans.get(key)
        if span is None:
            span = spans[key] = _parameters(row, settings)
        figures = rules.pilot_figures(indicators.get(row.id, ()), costs.get(row.id, ()), span,
                                      follow_up_realisation=row.phase is Phase.IMPLEMENTATION)
        money = dict(
            spent_to_date=figures.spent_to_date, planned_costs=figures.planned_costs, total_cost=figures.total_cost,
            expected_financial=figures.expected[rules.FINANCIAL],
            expected_reallocation=figures.expected[rules.REALLOCATION],
            realised_financial=figures.realised[rules.FINANCIAL],
            realised_reallocation=figures.realised[rules.REALLOCATION],
            used_financial=figures.used[rules.FINANCIAL], used_reallocation=figures.used[rules.REALLOCATION],
            npv_cash=figures.npv_cash, npv_full=figures.npv_full)
        too_large = any(abs(value) >= _LARGEST for value in money.values())
        rows.append(dict(
            pilot_id=row.id, too_large=too_large, has_figures=figures.has_figures, is_estimate=figures.is_estimate,
            **{name: _ZERO if too_large else _money(value) for name, value in money.items()},
            realisation=None if figures.realisation is None or abs(figures.realisation) >= 10 ** 6
            else figures.realisation.quantize(_RATIO, rounding=ROUND_HALF_EVEN),
            realisation_phase=figures.realisation_phase, unvalued=figures.unvalued,
            missing_step=None, missing_codes="", paper_fingerprint=None,
            first_year_from_today=None if row.first_year or row.test_end else span.first_year))
    for row in benefit_rows:
        if any(abs(row[name] or _ZERO) >= _LARGEST for name in ("potential", "realised", "harvested", "gap")):
            row.update(potential=_ZERO, realised=_ZERO, gap=None, valued=False)
        for name in ("potential", "realised", "harvested", "gap"):
            if row[name] is not None:
                row[name] = _money(row[name])

    follow_up_rows = [
        dict(pilot_id=schedule.pilot.id, due_on=state.due_on, measured=state.measured, indicators=state.indicators,
             done=state.status is FollowUpStatus.DONE)
        for schedule in follow_up.schedules(session, pilot_ids=ids, today=dt.date.today(), indicators=indicator_ids)
        for state in schedule.states
    ]
    in_process = [row for row in pilot_rows if row.phase is Phase.SCALE_UP]
    if in_process:
        by_id = {row["pilot_id"]: row for row in rows}
        for pilot_id, (step, codes, fingerprint) in _process_checks(session, ids, in_process).items():
            by_id[pilot_id].update(missing_step=step, missing_codes=",".join(codes), paper_fingerprint=fingerprint)
    return rows, benefit_rows, follow_up_rows


def _process_checks(session: Session, ids: Select, in_process) -> dict[int, tuple[int | None, tuple[str, ...],
                                                                                  str | None]]:
    """Per pilot in the scale-up process: (the step it completes next, the gate rules that step does
    not meet, the fingerprint of its paper data when it has a paper). The gate rules run over
    snapshots built from a fixed number of queries."""
    from . import papers  # noqa: PLC0415 - papers imports the services that import this one

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
    newest = (select(PaperVersion.pilot_id, func.max(PaperVersion.id).label("paper_id"))
              .where(PaperVersion.pilot_id.in_(scale_up_ids)).group_by(PaperVersion.pilot_id).subquery())
    papers_of = {row.pilot_id: row for row in _read(session,
        select(PaperVersion.pilot_id, PaperVersion.data_fingerprint, PaperVersion.is_draft,
               PaperVersion.is_decision_copy).join(newest, newest.c.paper_id == PaperVersion.id))}

    result = {}
    for row in in_process:
        paper = papers_of.get(row.id)
        fingerprint = None
        if paper is not None:
            fingerprint = papers.fingerprint(session, session.get(Pilot, row.id))
        if row.step >= Step.DECISION_BASIS_READY:
            result[row.id] = (None, (), fingerprint)
            continue
        plan = plans.get(row.id)
        plan_facts = process_rules.PlanFacts() if plan is None else process_rules.PlanFacts(
            target_groups="x" if plan.groups else "", rollout_units=unit_counts.get(plan.id, 0),
            milestones=milestone_counts.get(plan.id, 0), responsibilities=frozenset(owners.get(plan.id, ())),
            children_use_solution=plan.children_use_solution,
            answered_checkpoints=frozenset(checkpoints.get(plan.id, ())))
        paper_facts = process_rules.PaperFacts() if paper is None else process_rules.PaperFacts(
            exists=True, out_of_date=fingerprint != paper.data_fingerprint, is_draft=bool(paper.is_draft),
            is_decision_copy=bool(paper.is_decision_copy))
        text = texts.get(row.id)
        snapshot = process_rules.PilotSnapshot(
            phase=row.phase, step=row.step,
            goals=tuple(process_rules.GoalFacts(statement, tuple(indicator_facts.get(goal_id, ())))
                        for goal_id, statement in goals.get(row.id, ())),
            review_comment="x" if text and text.review else "", results_summary="x" if text and text.summary else "",
            lessons_learned="x" if text and text.lessons else "", cost_items=cost_counts.get(row.id, 0),
            finance_signed_off=row.finance_signed_off_at is not None, plan=plan_facts, paper=paper_facts,
        )
        lacking = tuple(check.code for check in process_rules.missing(snapshot, row.step + 1)
                        if not check.on_completion)
        result[row.id] = (row.step + 1 if lacking else None, lacking, fingerprint)
    return result


# ------------------------------------------------------------------------------------------------
# Storing
# ------------------------------------------------------------------------------------------------


def refresh(session: Session, ids: Select | None) -> int:
    """Compute and store the figures of the pilots in `ids` (None: every pilot); how many."""
    ids = select(Pilot.id) if ids is None else ids
    # Two transactions refreshing one pilot take turns (PostgreSQL row locks, in id order; SQLite has
    # one writer at a time anyway): the second computes from what the first committed, and never
    # inserts a row the first has inserted meanwhile.
    _read(session, select(Pilot.id).where(Pilot.id.in_(ids)).order_by(Pilot.id).with_for_update()).all()
    rows, benefit_rows, follow_up_rows = compute(session, ids)
    chosen = [row["pilot_id"] for row in rows]
    connection = session.connection()
    for model in (PilotFigure, BenefitFigure, FollowUpFigure):
        connection.execute(delete(model).where(model.pilot_id.in_(ids)))
    for model, values in ((PilotFigure, rows), (BenefitFigure, benefit_rows), (FollowUpFigure, follow_up_rows)):
        if values:
            connection.execute(insert(model), values)
    return len(chosen)


def stale_pilots(session: Session) -> list[int]:
    """The pilots whose stored figures differ from the domain's computation now (empty: none)."""
    refresh_pending(session)
    ids = select(Pilot.id)
    rows, benefit_rows, follow_up_rows = compute(session, ids)
    stale: set[int] = set()

    def stored(model, key) -> dict:
        columns = [column.key for column in model.__table__.columns if column.key != "id"]
        return {key(row): {name: getattr(row, name) for name in columns}
                for row in _read(session, select(*[getattr(model, name) for name in columns]))}

    pilots = stored(PilotFigure, lambda row: row.pilot_id)
    for row in rows:
        if pilots.pop(row["pilot_id"], None) != row:
            stale.add(row["pilot_id"])
    stale.update(pilots)
    benefits = stored(BenefitFigure, lambda row: row.indicator_id)
    for row in benefit_rows:
        if benefits.pop(row["indicator_id"], None) != row:
            stale.add(row["pilot_id"])
    stale.update(row["pilot_id"] for row in benefits.values())
    follow_ups = stored(FollowUpFigure, lambda row: (row.pilot_id, row.due_on))
    for row in follow_up_rows:
        if follow_ups.pop((row["pilot_id"], row["due_on"]), None) != row:
            stale.add(row["pilot_id"])
    stale.update(row["pilot_id"] for row in follow_ups.values())
    return sorted(stale)
