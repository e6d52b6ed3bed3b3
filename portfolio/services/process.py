"""The scale-up process applied (DESIGN §3, §7): the one service that changes a pilot's process state.

It reads a pilot into the plain snapshot the domain rules take (`portfolio.domain.process`),
and applies what they allow: completing and reopening steps 1–3, recording the decision (step 4),
finance's sign-off and its clearing. The costs, effects, plan and paper areas ask it whether the
decision basis is locked. Every change writes a transition (append-only) and an audit entry;
nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from portfolio.domain import process as rules
from portfolio.domain.economics import BenefitClass
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.process import (
    DecisionDetails,
    DecisionOutcome,
    PilotSnapshot,
    ProcessError,
    StepStatus,
    TransitionKind,
)
from portfolio.models import (
    CostItem,
    Decision,
    EffectGoal,
    ImplementationPlan,
    Indicator,
    Measurement,
    MeasurementPhase,
    PaperVersion,
    PhaseTransition,
    Pilot,
    User,
    utcnow,
)

from . import audit, concurrency, papers
from .paging import Page, paginate

SIGN_OFF_FIELDS = ("finance_signed_off_by_id", "finance_signed_off_at")


class DecisionBasisLocked(ValueError):
    """The pilot has been decided on: its decision basis is read-only."""

    code = "locked"

    def __init__(self, *args):
        super().__init__(*(args or ("locked",)))


class DecisionConflict(ValueError):
    """Someone else recorded a decision (or moved the pilot) at the same moment."""


# ------------------------------------------------------------------------------------------------
# Reading: the snapshot and the page's status
# ------------------------------------------------------------------------------------------------


def get_plan(session: Session, pilot: Pilot) -> ImplementationPlan | None:
    """The pilot's implementation plan with all its parts, or None before one is started."""
    return session.scalar(
        select(ImplementationPlan)
        .where(ImplementationPlan.pilot_id == pilot.id)
        .options(
            selectinload(ImplementationPlan.rollout_units),
            selectinload(ImplementationPlan.milestones),
            selectinload(ImplementationPlan.risks),
            selectinload(ImplementationPlan.lifecycle_owners),
            selectinload(ImplementationPlan.checkpoints),
        )
    )


def plan_facts(plan: ImplementationPlan | None) -> rules.PlanFacts:
    """An implementation plan as the gate rules see it."""
    if plan is None:
        return rules.PlanFacts()
    return rules.PlanFacts(
        target_groups=plan.target_groups or "",
        rollout_units=len(plan.rollout_units),
        milestones=len(plan.milestones),
        responsibilities=frozenset(o.responsibility for o in plan.lifecycle_owners if o.owner.strip()),
        children_use_solution=plan.children_use_solution,
        answered_checkpoints=frozenset(c.checkpoint for c in plan.checkpoints),
    )


def paper_facts(session: Session, pilot: Pilot, latest: PaperVersion | None) -> rules.PaperFacts:
    """The newest paper as the gate rules see it (rendering nothing: only its data fingerprint)."""
    if latest is None:
        return rules.PaperFacts()
    return rules.PaperFacts(
        exists=True,
        out_of_date=papers.is_out_of_date(session, pilot, latest),
        is_draft=latest.is_draft,
        is_decision_copy=latest.is_decision_copy,
    )


def snapshot(session: Session, pilot: Pilot, *, latest_paper: PaperVersion | None = None,
             with_paper: bool = True) -> PilotSnapshot:
    """The pilot's process state as plain values, read in a fixed number of queries."""
    goals = session.scalars(
        select(EffectGoal)
        .where(EffectGoal.pilot_id == pilot.id)
        .order_by(EffectGoal.position, EffectGoal.id)
        .options(selectinload(EffectGoal.indicators))
    ).all()
    indicator_ids = [indicator.id for goal in goals for indicator in goal.indicators]
    test_counts = dict(session.execute(
        select(Measurement.indicator_id, func.count())
        .where(Measurement.indicator_id.in_(indicator_ids), Measurement.phase == MeasurementPhase.TEST)
        .group_by(Measurement.indicator_id)
    ).all()) if indicator_ids else {}
    cost_items = session.scalar(select(func.count()).select_from(CostItem).where(CostItem.pilot_id == pilot.id))
    if with_paper and latest_paper is None:
        latest_paper = papers.latest(session, pilot)
    return PilotSnapshot(
        phase=Phase(pilot.phase),
        step=int(pilot.step),
        goals=tuple(
            rules.GoalFacts(goal.statement, tuple(_indicator_facts(i, test_counts.get(i.id, 0)) for i in goal.indicators))
            for goal in goals
        ),
        review_comment=pilot.review_comment or "",
        results_summary=pilot.results_summary or "",
        lessons_learned=pilot.lessons_learned or "",
        cost_items=cost_items or 0,
        finance_signed_off=pilot.finance_signed_off_at is not None,
        plan=plan_facts(get_plan(session, pilot)),
        paper=paper_facts(session, pilot, latest_paper) if with_paper else rules.PaperFacts(),
    )


def _indicator_facts(indicator: Indicator, test_measurements: int) -> rules.IndicatorFacts:
    return rules.IndicatorFacts(
        name=indicator.name,
        unit=indicator.unit or "",
        direction=indicator.direction.value if indicator.direction else None,
        measurement_method=indicator.measurement_method or "",
        data_source=indicator.data_source or "",
        has_baseline=indicator.baseline_value is not None and indicator.baseline_date is not None,
        has_target=indicator.target_value is not None and indicator.target_date is not None,
        test_measurements=test_measurements,
        benefit_class=BenefitClass(indicator.benefit_class).value,
        has_valuation=indicator.value_per_unit is not None or indicator.annual_volume is not None,
    )


@dataclass(frozen=True)
class ProcessStatus:
    """Where a pilot stands in the scale-up process, for its page."""

    pilot: Pilot
    snapshot: PilotSnapshot
    steps: tuple[StepStatus, ...]
    latest_paper: PaperVersion | None
    decisions: list[Decision]
    locked: bool

    @property
    def current(self) -> StepStatus | None:
        """The step to complete next, if the pilot is in the scale-up process."""
        return next((s for s in self.steps if s.state is rules.StepState.CURRENT), None)


def status(session: Session, pilot: Pilot) -> ProcessStatus:
    """The four steps with their checklists, the newest paper and the decisions taken."""
    latest = papers.latest(session, pilot)
    state = snapshot(session, pilot, latest_paper=latest)
    return ProcessStatus(
        pilot=pilot,
        snapshot=state,
        steps=rules.step_statuses(state),
        latest_paper=latest,
        decisions=decisions_of(session, pilot),
        locked=is_locked(pilot),
    )


def decisions_of(session: Session, pilot: Pilot) -> list[Decision]:
    """The decisions taken on the pilot, newest first."""
    return list(session.scalars(
        select(Decision).where(Decision.pilot_id == pilot.id)
        .options(joinedload(Decision.archived_paper_version))
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    ))


def list_decisions(session: Session, *, outcome: DecisionOutcome | None = None, year: int | None = None,
                   page: int = 1, per_page: int = 25) -> Page[Decision]:
    """The decisions register: every decision, newest first, with its pilot and archived paper."""
    statement = select(Decision).options(
        joinedload(Decision.pilot), joinedload(Decision.archived_paper_version), joinedload(Decision.paper_version),
    )
    if outcome is not None:
        statement = statement.where(Decision.outcome == outcome)
    if year is not None:
        statement = statement.where(Decision.decided_on >= dt.date(year, 1, 1), Decision.decided_on <= dt.date(year, 12, 31))
    statement = statement.order_by(Decision.decided_on.desc(), Decision.id.desc())
    return paginate(session, statement, page, per_page)


# ------------------------------------------------------------------------------------------------
# The lock
# ------------------------------------------------------------------------------------------------


def is_locked(pilot: Pilot) -> bool:
    """Whether the pilot's decision basis is read-only (it has been decided on)."""
    return rules.decision_basis_locked(pilot.phase, pilot.step)


def check_open(pilot: Pilot) -> None:
    """Raise DecisionBasisLocked unless the pilot's decision basis may still change."""
    if is_locked(pilot):
        raise DecisionBasisLocked()


# ------------------------------------------------------------------------------------------------
# Steps 1–3
# ------------------------------------------------------------------------------------------------


def _transition(session: Session, pilot: Pilot, actor: User | None, kind: TransitionKind, *, to_phase: Phase,
                to_step: int, comment: str = "", at: dt.datetime | None = None) -> PhaseTransition:
    transition = PhaseTransition(
        pilot=pilot, from_phase=pilot.phase, to_phase=to_phase, from_step=pilot.step, to_step=to_step,
        actor_id=actor.id if actor is not None else None, comment=comment, kind=kind,
    )
    if at is not None:
        transition.at = at
    pilot.phase, pilot.step = to_phase, to_step
    session.add(transition)
    return transition


def complete_step(session: Session, pilot: Pilot, step: int, actor: User, *, review_comment: str | None = None,
                  results_summary: str | None = None, lessons_learned: str | None = None,
                  at: dt.datetime | None = None) -> PhaseTransition:
    """Complete step 1, 2 or 3 of the scale-up process, in order, when nothing is missing.

    Step 1 takes the review comment, step 2 the results summary and lessons learned. Completing
    step 3 makes the paper final (no longer a draft), so the final version is generated here, in
    the same transaction: the decision names it. Raises ProcessError (with what is missing).
    """
    texts = {
        "review_comment": review_comment, "results_summary": results_summary, "lessons_learned": lessons_learned,
    }
    given = {name: value.strip() for name, value in texts.items() if value is not None}
    state = snapshot(session, pilot, with_paper=int(step) == Step.DECISION_BASIS_READY)
    rules.check_complete(replace(state, **given), step)
    before = {"phase": pilot.phase, "step": pilot.step} | {name: getattr(pilot, name) for name in given}
    for name, value in given.items():
        setattr(pilot, name, value)
    comment = given.get("review_comment", "")
    transition = _transition(session, pilot, actor, TransitionKind.COMPLETE_STEP, to_phase=pilot.phase,
                             to_step=int(step), comment=comment, at=at)
    pilot.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "complete_step", "pilot", pilot.id, pilot_id=pilot.id, before=before,
                 after={"phase": pilot.phase, "step": pilot.step} | given)
    if int(step) == Step.DECISION_BASIS_READY:
        papers.generate(session, pilot, actor)
    return transition


def reopen_step(session: Session, pilot: Pilot, step: int, comment: str, actor: User) -> PhaseTransition:
    """Reopen a completed step (and every step after it), with a comment, before the decision."""
    comment = comment.strip()
    rules.check_reopen(snapshot(session, pilot, with_paper=False), step, comment)
    before = {"phase": pilot.phase, "step": pilot.step, "comment": None}
    transition = _transition(session, pilot, actor, TransitionKind.REOPEN_STEP, to_phase=pilot.phase,
                             to_step=rules.step_after_reopen(step), comment=comment)
    pilot.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "reopen_step", "pilot", pilot.id, pilot_id=pilot.id, before=before,
                 after={"phase": pilot.phase, "step": pilot.step, "comment": comment})
    return transition


# ------------------------------------------------------------------------------------------------
# Step 4: the decision
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionData:
    """What the management group member records."""

    outcome: DecisionOutcome
    decision_text: str
    decision_maker: str
    presenter: str
    body: str
    decided_on: dt.date
    case_number: str
    paper_version_id: int  # the version shown in the form: must still be the newest
    delegation_reference: str = ""
    conditions: str = ""
    new_test_end: dt.date | None = None
    revisit_on: dt.date | None = None
    lessons_learned: str = ""


class DecisionInputError(ValueError):
    """A field of the decision the rules refuse: `field` names it, `code` says why."""

    def __init__(self, field: str, code: str):
        super().__init__(field, code)
        self.field = field
        self.code = code


DECISION_FIELDS = (
    "outcome", "decision_text", "decision_maker", "presenter", "body", "decided_on", "case_number",
    "delegation_reference", "conditions", "new_test_end", "revisit_on", "lessons_learned", "paper_version_id",
)


def record_decision(session: Session, pilot: Pilot, data: DecisionData, actor: User,
                    *, at: dt.datetime | None = None) -> Decision:
    """Record the decision on `pilot` (step 4), move the pilot, and archive the paper with it.

    Refused (ProcessError) unless step 3 is complete and nothing is missing, and
    (DecisionInputError) when the outcome's own fields are incomplete or the paper shown is no
    longer the newest. Two submissions at the same moment give one decision: the pilot's state
    is claimed with a conditional update (which waits for the other transaction and then finds
    the state changed), and the paper version can carry one decision only (a unique constraint);
    the loser gets DecisionConflict.
    """
    outcome = DecisionOutcome(data.outcome)
    latest = papers.latest(session, pilot)
    rules.check_decide(snapshot(session, pilot, latest_paper=latest))
    if latest is None or latest.id != data.paper_version_id:
        raise DecisionInputError("paper_version_id", "not_newest")
    details = DecisionDetails(outcome, data.new_test_end, data.revisit_on, data.lessons_learned)
    for field, code in rules.check_decision_details(details, decided_on=data.decided_on):
        raise DecisionInputError(field, code)

    # Claim the step: the first write of the transaction, so it waits for a concurrent decision.
    claimed = session.execute(
        update(Pilot)
        .where(Pilot.id == pilot.id, Pilot.phase == Phase.SCALE_UP, Pilot.step == Step.DECISION_BASIS_READY)
        .values(updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise DecisionConflict()
    decision = Decision(
        pilot_id=pilot.id, outcome=outcome, decision_text=data.decision_text.strip(),
        decision_maker=data.decision_maker.strip(), presenter=data.presenter.strip(), body=data.body.strip(),
        decided_on=data.decided_on, case_number=data.case_number.strip(),
        delegation_reference=data.delegation_reference.strip(), conditions=data.conditions.strip(),
        new_test_end=data.new_test_end if outcome is DecisionOutcome.CONTINUE_TESTING else None,
        revisit_on=data.revisit_on if outcome is DecisionOutcome.PARK else None,
        lessons_learned=data.lessons_learned.strip() if outcome is DecisionOutcome.STOP else "",
        step_before=int(pilot.step), paper_version_id=latest.id, recorded_by_id=actor.id,
    )
    if at is not None:
        decision.recorded_at = at
    try:
        with session.begin_nested():
            session.add(decision)
            session.flush()
    except IntegrityError as error:
        raise DecisionConflict() from error

    # The archived copy is made while the pilot still stands at step 3 (a final paper), then the
    # outcome moves the pilot.
    archived = papers.generate(session, pilot, actor, decision=decision)
    decision.archived_paper_version_id = archived.id
    before = audit.snapshot(pilot, ("phase", "step", "test_end", "revisit_on"))
    to_phase, to_step = rules.after_decision(outcome)
    if outcome is DecisionOutcome.CONTINUE_TESTING:
        pilot.test_end = data.new_test_end
    if outcome is DecisionOutcome.PARK:
        pilot.revisit_on = data.revisit_on
    _transition(session, pilot, actor, TransitionKind.DECISION, to_phase=to_phase, to_step=to_step,
                comment=decision.decision_text, at=at)
    pilot.updated_at = utcnow()
    session.flush()
    audit.record(session, actor, "create", "decision", decision.id, pilot_id=pilot.id,
                 after=audit.snapshot(decision, DECISION_FIELDS) | {"archived_paper_version_id": archived.id})
    audit.record(session, actor, "record_decision", "pilot", pilot.id, pilot_id=pilot.id, before=before,
                 after=audit.snapshot(pilot, ("phase", "step", "test_end", "revisit_on")))
    return decision


# ------------------------------------------------------------------------------------------------
# Finance's sign-off ("Ekonomi granskad")
# ------------------------------------------------------------------------------------------------


class SignOffRefused(ValueError):
    """Finance may not sign off yet; `code` says why, `detail` names what."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


def sign_off(session: Session, pilot: Pilot, actor: User, *, at: dt.datetime | None = None,
             basis_version: int | None = None) -> None:
    """Record that finance has reviewed the pilot's costs and valuation.

    Refused without any cost item, and while an indicator's valuation is incomplete (a money
    class without SEK per unit or annual volume); refused on a decided pilot (DecisionBasisLocked).
    `basis_version` is the pilot's basis_version on the page finance reviewed: if the decision
    basis changed since, StaleEdit (review again). The pilot row is locked first, so a change
    racing with the sign-off either comes before it (and the sign-off is refused) or after it
    (and clears it, with a "cleared" audit entry).
    """
    seen = concurrency.lock_pilot(session, pilot)
    check_open(pilot)  # as it stands under the lock: a decision taken meanwhile is seen
    if basis_version is not None and basis_version != seen:
        raise concurrency.StaleEdit(pilot)
    if session.scalar(select(CostItem.id).where(CostItem.pilot_id == pilot.id).limit(1)) is None:
        raise SignOffRefused("no_costs")
    incomplete = session.scalars(
        select(Indicator.name)
        .join(EffectGoal, Indicator.effect_goal_id == EffectGoal.id)
        .where(EffectGoal.pilot_id == pilot.id, Indicator.benefit_class != BenefitClass.UNVALUED,
               (Indicator.value_per_unit.is_(None)) | (Indicator.annual_volume.is_(None)))
        .order_by(EffectGoal.position, EffectGoal.id, Indicator.position, Indicator.id)
    ).all()
    if incomplete:
        raise SignOffRefused("valuation_incomplete", names=", ".join(incomplete))
    before = audit.snapshot(pilot, SIGN_OFF_FIELDS)
    pilot.finance_signed_off_by = actor
    pilot.finance_signed_off_by_id = actor.id
    pilot.finance_signed_off_at = at or utcnow()
    audit.record(session, actor, "finance_signed_off", "pilot", pilot.id, pilot_id=pilot.id, before=before,
                 after=audit.snapshot(pilot, SIGN_OFF_FIELDS))
    session.flush()


def withdraw_sign_off(session: Session, pilot: Pilot, actor: User) -> None:
    """Take back finance's sign-off (nothing happens when there is none)."""
    concurrency.lock_pilot(session, pilot)
    check_open(pilot)
    if pilot.finance_signed_off_at is None:
        return
    _clear(session, pilot, actor, "finance_signoff_withdrawn", reason="withdrawn")
    session.flush()


def finance_figures_changed(session: Session, pilot: Pilot, actor: User | None, change: str) -> bool:
    """Finance's figures of the pilot changed (`change` names how): clear the sign-off if the
    rules say so. True when a sign-off was cleared."""
    return rules.finance_change_clears_sign_off(change) and _clear_if_signed(session, pilot, actor, change)


def indicator_changed(session: Session, pilot: Pilot, actor: User | None, benefit_class: str,
                      changed_fields: set[str]) -> bool:
    """An indicator's description changed: clear the sign-off if the money rests on what changed."""
    return rules.indicator_change_clears_sign_off(benefit_class, changed_fields) and _clear_if_signed(
        session, pilot, actor, "valued_indicator_changed")


def indicators_removed(session: Session, pilot: Pilot, actor: User | None, benefit_classes: list[str]) -> bool:
    """Indicators are being deleted: clear the sign-off if any of them was valued."""
    return rules.indicator_removal_clears_sign_off(benefit_classes) and _clear_if_signed(
        session, pilot, actor, "valued_indicator_deleted")


def _clear_if_signed(session: Session, pilot: Pilot, actor: User | None, reason: str) -> bool:
    concurrency.lock_pilot(session, pilot)  # read the sign-off under the lock: one given meanwhile is seen
    if pilot.finance_signed_off_at is None and pilot.finance_signed_off_by_id is None:
        return False
    _clear(session, pilot, actor, "finance_signoff_cleared", reason=reason)
    return True


def _clear(session: Session, pilot: Pilot, actor: User | None, action: str, *, reason: str) -> None:
    before = audit.snapshot(pilot, SIGN_OFF_FIELDS)
    pilot.finance_signed_off_by = None
    pilot.finance_signed_off_by_id = None
    pilot.finance_signed_off_at = None
    audit.record(session, actor, action, "pilot", pilot.id, pilot_id=pilot.id, before=before,
                 after={"finance_signed_off_by_id": None, "finance_signed_off_at": None, "reason": reason})
