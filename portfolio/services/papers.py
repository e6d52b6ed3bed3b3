"""Decision papers (DESIGN §6): gather a pilot's data, render the paper, store every version.

:func:`paper_data` loads the pilot once into the plain values of
:class:`portfolio.papers.PaperData` (economics from :mod:`.economics`, the same figures as the
page and the API); :func:`fingerprint` is the SHA-256 of that data, so a paper made from
different data has a different fingerprint. :func:`generate` renders a PDF from it, stores the
bytes unchanged with their SHA-256 and writes an audit entry; the caller commits.

The paper is a draft (every page says UTKAST) until step 3 of the scale-up process is complete.
Whether it is final is part of the fingerprinted data, so completing (or reopening) step 3 makes
an earlier paper out of date: the paper decided on is one generated after step 3.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context
from flask_babel import get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from portfolio.domain.lifecycle import Step
from portfolio.domain.process import Checkpoint, Responsibility
from portfolio.models import (
    Decision,
    EffectGoal,
    Goal,
    ImplementationPlan,
    Indicator,
    Measurement,
    MeasurementPhase,
    PaperVersion,
    Pilot,
    RolloutUnit,
    User,
)
from portfolio.papers import context as paper_context
from portfolio.papers import render_pdf
from portfolio.papers.context import DecisionFields, PaperContext, PaperData

from . import audit
from .economics import load_economics
from .settings import get_settings

AUDIT_FIELDS = ("number", "is_draft", "is_decision_copy", "sha256", "data_fingerprint", "language")


def _test_measurements(session: Session, pilot: Pilot) -> dict[int, list[Measurement]]:
    """Every test-phase measurement of the pilot's indicators, oldest first, by indicator id."""
    rows = session.scalars(
        select(Measurement)
        .join(Indicator, Indicator.id == Measurement.indicator_id)
        .join(EffectGoal, EffectGoal.id == Indicator.effect_goal_id)
        .where(EffectGoal.pilot_id == pilot.id, Measurement.phase == MeasurementPhase.TEST)
        .order_by(Measurement.measured_on, Measurement.id)
    )
    by_indicator: dict[int, list[Measurement]] = {}
    for measurement in rows:
        by_indicator.setdefault(measurement.indicator_id, []).append(measurement)
    return by_indicator


def _measurement(m: Measurement | None) -> paper_context.MeasurementFacts | None:
    return None if m is None else paper_context.MeasurementFacts(measured_on=m.measured_on, value=m.value)


def _plan_facts(session: Session, pilot: Pilot) -> paper_context.PlanFacts | None:
    """The pilot's implementation plan with its parts, or None when it has none yet."""
    plan = session.scalar(
        select(ImplementationPlan)
        .where(ImplementationPlan.pilot_id == pilot.id)
        .options(
            selectinload(ImplementationPlan.rollout_units).joinedload(RolloutUnit.unit),
            selectinload(ImplementationPlan.milestones),
            selectinload(ImplementationPlan.risks),
            selectinload(ImplementationPlan.lifecycle_owners),
            selectinload(ImplementationPlan.checkpoints),
        )
        .execution_options(populate_existing=True)
    )
    if plan is None:
        return None
    responsibility_order = {value: n for n, value in enumerate(Responsibility)}
    checkpoint_order = {value: n for n, value in enumerate(Checkpoint)}
    return paper_context.PlanFacts(
        target_groups=plan.target_groups or "",
        children_use_solution=plan.children_use_solution,
        units=tuple(
            paper_context.PlanUnit(name=u.unit.name, status=u.status.value, planned_start=u.planned_start,
                                   in_use_from=u.in_use_from)
            for u in plan.rollout_units
        ),
        milestones=tuple(paper_context.PlanMilestone(due_on=m.due_on, title=m.title) for m in plan.milestones),
        risks=tuple(paper_context.PlanRisk(description=r.description, mitigation=r.mitigation or "")
                    for r in plan.risks),
        owners=tuple(
            paper_context.PlanOwner(responsibility=o.responsibility.value, level=o.level.value, owner=o.owner)
            for o in sorted(plan.lifecycle_owners, key=lambda o: responsibility_order[o.responsibility])
        ),
        checkpoints=tuple(
            paper_context.PlanCheckpoint(checkpoint=c.checkpoint.value, status=c.status.value, done_on=c.done_on,
                                         not_needed_reason=c.not_needed_reason or "", planned_on=c.planned_on)
            for c in sorted(plan.checkpoints, key=lambda c: checkpoint_order[c.checkpoint])
        ),
    )


def _process_facts(session: Session, pilot: Pilot) -> paper_context.ProcessFacts:
    """What the scale-up steps recorded: review comment, results summary, lessons, the plan."""
    return paper_context.ProcessFacts(
        review_comment=pilot.review_comment or "",
        results_summary=pilot.results_summary or "",
        lessons=pilot.lessons_learned or "",
        plan=_plan_facts(session, pilot),
    )


def paper_data(session: Session, pilot: Pilot) -> PaperData:
    """The pilot's data as the paper shows it: plain values only, the economics evaluated once.

    The data is read as the database has it (flushed, collections loaded afresh in their defined
    order), never as objects built earlier in this session happen to hold it: a collection
    appended to in memory keeps its append order, and the fingerprint of the same data must be
    the same in every session.
    """
    session.flush()
    pilot = session.scalar(
        select(Pilot)
        .where(Pilot.id == pilot.id)
        .options(
            joinedload(Pilot.unit),
            joinedload(Pilot.innovation_leader),
            joinedload(Pilot.finance_signed_off_by),
            selectinload(Pilot.goals).joinedload(Goal.framework),
        )
        .execution_options(populate_existing=True)
    )
    # Refresh the effect goals' indicator collections, which the economics then reads.
    session.scalars(
        select(EffectGoal)
        .options(selectinload(EffectGoal.indicators))
        .where(EffectGoal.pilot_id == pilot.id)
        .execution_options(populate_existing=True)
    ).all()
    economics = load_economics(session, pilot)
    measurements = _test_measurements(session, pilot)
    goals = []
    for goal_lines in economics.goals:
        indicators = []
        for line in goal_lines.lines:
            ind = line.indicator
            indicators.append(
                paper_context.IndicatorFacts(
                    name=ind.name,
                    unit=ind.unit or "",
                    direction=ind.direction.value,
                    measurement_method=ind.measurement_method or "",
                    data_source=ind.data_source or "",
                    frequency=ind.frequency or "",
                    baseline_value=ind.baseline_value,
                    baseline_date=ind.baseline_date,
                    target_value=ind.target_value,
                    target_date=ind.target_date,
                    benefit_class=ind.benefit_class.value,
                    value_per_unit=ind.value_per_unit,
                    annual_volume=ind.annual_volume,
                    measurements=tuple(_measurement(m) for m in measurements.get(ind.id, [])),
                    latest=_measurement(line.latest),
                    realisation=line.result.realisation if line.result is not None else None,
                    missing=line.missing,
                )
            )
        goal = goal_lines.goal
        goals.append(
            paper_context.GoalFacts(
                statement=goal.statement,
                category=goal.category.value,
                beneficiary=goal.beneficiary or "",
                indicators=tuple(indicators),
            )
        )
    facts = paper_context.PilotFacts(
        code=pilot.code,
        title=pilot.title,
        need=pilot.need or "",
        description=pilot.description or "",
        idea_bearer=pilot.idea_bearer or "",
        innovation_leader=pilot.innovation_leader.name if pilot.innovation_leader else "",
        unit=pilot.unit.name if pilot.unit else "",
        origin=pilot.origin.value,
        target_groups=pilot.target_groups or "",
        test_start=pilot.test_start,
        test_end=pilot.test_end,
        # Sorted here: the loaded collection keeps whatever order it was built in, and the
        # fingerprint must not depend on it.
        strategic_goals=tuple((goal.framework.name, goal.name) for goal in sorted(
            pilot.goals, key=lambda g: (g.framework.position, g.framework.name, g.position, g.name))),
    )
    signed_off = pilot.finance_signed_off_at
    return PaperData(
        organisation=get_settings(session).organisation_name,
        pilot=facts,
        goals=tuple(goals),
        evaluation=economics.evaluation,
        has_figures=economics.has_figures,
        finance_signed_off_on=signed_off.date() if signed_off else None,
        finance_signed_off_by=pilot.finance_signed_off_by.name if signed_off and pilot.finance_signed_off_by else "",
        process=_process_facts(session, pilot),
        final=int(pilot.step) >= Step.DECISION_BASIS_READY,
    )


def fingerprint(session: Session, pilot: Pilot) -> str:
    """SHA-256 (hex) of the data a paper of `pilot` would be made from now."""
    return paper_data(session, pilot).fingerprint()


def _decision_fields(decision: Decision) -> DecisionFields:
    """The recorded decision as the plain values of the archived copy."""
    return DecisionFields(
        outcome=decision.outcome.value,
        text=decision.decision_text,
        decision_maker=decision.decision_maker,
        presenter=decision.presenter,
        body=decision.body,
        decided_on=decision.decided_on,
        case_number=decision.case_number,
        delegation=decision.delegation_reference,
        conditions=decision.conditions,
    )


def _language(actor: User | None) -> str:
    """The language of the person generating: the one they use now (in a request), else their own."""
    languages = current_app.config["LANGUAGES"]
    if has_request_context():
        current = str(get_locale())[:2]
        if current in languages:
            return current
    if actor is not None and actor.locale in languages:
        return actor.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _today() -> dt.date:
    return dt.datetime.now(ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])).date()


def next_number(session: Session, pilot: Pilot) -> int:
    """The number the next version of `pilot`'s paper gets: one more than the newest."""
    current = session.scalar(select(func.max(PaperVersion.number)).where(PaperVersion.pilot_id == pilot.id))
    return (current or 0) + 1


def build_context(session: Session, pilot: Pilot, *, number: int, language: str,
                  decision: Decision | None = None) -> PaperContext:
    """The context of the next version of `pilot`'s paper (also used by the benchmark)."""
    data = paper_data(session, pilot)
    fields = _decision_fields(decision) if decision is not None else None
    return PaperContext(
        data=data,
        version=number,
        generated_on=_today(),
        fingerprint=data.fingerprint(),
        language=language,
        is_draft=not data.final,
        decision=fields,
        case_number=fields.case_number if fields else "",
    )


def generate(session: Session, pilot: Pilot, actor: User | None, *, decision: Decision | None = None) -> PaperVersion:
    """Render `pilot`'s paper from its data as it stands, store it as the next version, audit it.

    With `decision` (the recorded decision), the version is the archived copy with the decision
    fields filled in. The PDF is stored byte for byte as rendered, with its SHA-256.
    """
    number = next_number(session, pilot)
    context = build_context(session, pilot, number=number, language=_language(actor), decision=decision)
    pdf = render_pdf(context)
    version = PaperVersion(
        pilot_id=pilot.id,
        number=number,
        is_draft=context.is_draft,
        is_decision_copy=decision is not None,
        sha256=hashlib.sha256(pdf).hexdigest(),
        data_fingerprint=context.fingerprint,
        language=context.language,
        size=len(pdf),
        pdf=pdf,
        created_by_id=actor.id if actor is not None else None,
    )
    session.add(version)
    session.flush()
    audit.record(session, actor, "generate", "paper_version", version.id, pilot_id=pilot.id,
                 after=audit.snapshot(version, AUDIT_FIELDS))
    return version


def latest(session: Session, pilot: Pilot) -> PaperVersion | None:
    """The newest version of `pilot`'s paper, or None."""
    return session.scalar(
        select(PaperVersion).where(PaperVersion.pilot_id == pilot.id).order_by(PaperVersion.number.desc()).limit(1)
    )


def versions(session: Session, pilot: Pilot) -> list[PaperVersion]:
    """Every version of `pilot`'s paper, newest first, with who made it (the PDF bytes not loaded)."""
    return list(
        session.scalars(
            select(PaperVersion)
            .options(joinedload(PaperVersion.created_by))
            .where(PaperVersion.pilot_id == pilot.id)
            .order_by(PaperVersion.number.desc())
        )
    )


def get_version(session: Session, pilot: Pilot, number: int) -> PaperVersion | None:
    """Version `number` of `pilot`'s paper, or None."""
    return session.scalar(
        select(PaperVersion).where(PaperVersion.pilot_id == pilot.id, PaperVersion.number == number)
    )


def is_out_of_date(session: Session, pilot: Pilot, version: PaperVersion) -> bool:
    """Whether `pilot`'s data has changed since `version` was made (its fingerprint differs)."""
    return fingerprint(session, pilot) != version.data_fingerprint
