"""The four-step scale-up process (DESIGN §3): gate rules, step moves, the decision and the lock.

This module is the one owner of a pilot's process state. It answers, from a plain snapshot of a
pilot (no database, no web): which gate rules are still missing for each step, whether a step
may be completed or reopened, what a decision does to the pilot, whether the decision basis is
read-only, and whether a change clears finance's sign-off. The services apply the answers.

The gate rules are a table (`GATE_RULES`): each rule has a stable code (the web layer words it
for the user, in the user's language), the step whose completion needs it, a predicate over the
snapshot and where it is fixed (a route target the web layer turns into a link).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from .initiatives import InitiativeKind, has_scale_up_steps
from .lifecycle import Phase, Step


class TransitionKind(StrEnum):
    """What kind of move a recorded transition is."""

    MOVE = "move"  # moved by hand (or registered)
    COMPLETE_STEP = "complete_step"
    REOPEN_STEP = "reopen_step"
    DECISION = "decision"


class DecisionOutcome(StrEnum):
    """What the management group decided in step 4."""

    SCALE_UP = "scale_up"
    CONTINUE_TESTING = "continue_testing"  # with a new end date of the test
    STOP = "stop"  # with lessons learned
    PARK = "park"  # with a date to revisit


class RolloutStatus(StrEnum):
    """How far the roll-out to one unit has come."""

    PLANNED = "planned"
    STARTED = "started"
    IN_USE = "in_use"


class Responsibility(StrEnum):
    """The lifecycle responsibilities for a solution in operation (DESIGN §4, §9)."""

    PROCURE = "procure"  # anskaffar
    MANAGE = "manage"  # förvaltar
    SUPPORT = "support"  # ger support
    DECOMMISSION = "decommission"  # avvecklar


class OwnerLevel(StrEnum):
    """The level that holds a lifecycle responsibility."""

    SCHOOL = "school"
    ADMINISTRATION = "administration"
    CITY = "city"


class Checkpoint(StrEnum):
    """The checks a school pilot needs answered before the decision."""

    DATA_PROTECTION = "data_protection"  # data protection impact assessment (konsekvensbedömning)
    CHILD_IMPACT = "child_impact"  # barnkonsekvensanalys, where children use the solution
    ACCESSIBILITY = "accessibility"  # accessibility of the solution


class CheckpointStatus(StrEnum):
    """How a checkpoint is answered."""

    DONE = "done"
    NOT_NEEDED = "not_needed"  # with a reason
    PLANNED = "planned"  # with a date


# ------------------------------------------------------------------------------------------------
# The snapshot: plain values about a pilot, all the rules need
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorFacts:
    """What the gates need to know about one indicator."""

    name: str
    unit: str = ""
    direction: str | None = None
    measurement_method: str = ""
    data_source: str = ""
    has_baseline: bool = False  # value and date
    has_target: bool = False  # value and date
    test_measurements: int = 0
    benefit_class: str = "unvalued"
    has_valuation: bool = False  # SEK per unit or annual volume entered


@dataclass(frozen=True)
class GoalFacts:
    """An effect goal and its indicators."""

    statement: str
    indicators: tuple[IndicatorFacts, ...] = ()


@dataclass(frozen=True)
class PlanFacts:
    """What the gates need to know about the implementation plan."""

    target_groups: str = ""
    rollout_units: int = 0
    milestones: int = 0
    responsibilities: frozenset[Responsibility] = frozenset()  # those with a level and a named owner
    children_use_solution: bool | None = None
    answered_checkpoints: frozenset[Checkpoint] = frozenset()


@dataclass(frozen=True)
class PaperFacts:
    """The newest decision paper, as the paper service sees it."""

    exists: bool = False
    out_of_date: bool = False
    is_draft: bool = True
    is_decision_copy: bool = False  # the archived copy of an earlier decision


@dataclass(frozen=True)
class PilotSnapshot:
    """A pilot's process state as plain values: what every rule below is evaluated over."""

    phase: Phase
    step: int
    goals: tuple[GoalFacts, ...] = ()
    kind: InitiativeKind = InitiativeKind.INNOVATION
    review_comment: str = ""
    results_summary: str = ""
    lessons_learned: str = ""
    cost_items: int = 0
    finance_signed_off: bool = False
    plan: PlanFacts = field(default_factory=PlanFacts)
    paper: PaperFacts = field(default_factory=PaperFacts)

    @property
    def indicators(self) -> tuple[IndicatorFacts, ...]:
        """Every indicator of every goal."""
        return tuple(indicator for goal in self.goals for indicator in goal.indicators)


# ------------------------------------------------------------------------------------------------
# The gate rules: a table
# ------------------------------------------------------------------------------------------------

#: Route targets where a missing item is fixed; the web layer makes links of them.
FIX_EFFECTS = "effects.index"
FIX_COSTS = "costs.index"
FIX_PLAN = "plan.show"
FIX_PAPER = "papers.index"
FIX_STEP = "pilots.show"  # written in the step's own form on the pilot page


@dataclass(frozen=True)
class GateRule:
    """One requirement for completing a step.

    `lacking` returns the names of what lacks it (indicator names, goal statements), or a
    single "" when the pilot as a whole lacks it, or nothing when the rule holds.
    `on_completion` rules are met by the form that completes the step (e.g. the review comment).
    """

    code: str
    step: Step
    fix: str
    lacking: Callable[[PilotSnapshot], tuple[str, ...]]
    on_completion: bool = False


def _unless(condition: bool) -> tuple[str, ...]:
    return () if condition else ("",)


def _indicators_without(test: Callable[[IndicatorFacts], bool]) -> Callable[[PilotSnapshot], tuple[str, ...]]:
    return lambda s: tuple(indicator.name for indicator in s.indicators if not test(indicator))


def _plan_has(test: Callable[[PlanFacts], bool]) -> Callable[[PilotSnapshot], tuple[str, ...]]:
    return lambda s: _unless(test(s.plan))


def _owner_rule(responsibility: Responsibility) -> GateRule:
    return GateRule(
        f"owner_{responsibility.value}_missing", Step.DECISION_BASIS_READY, FIX_PLAN,
        _plan_has(lambda plan: responsibility in plan.responsibilities),
    )


def _checkpoint_needed(snapshot: PilotSnapshot, checkpoint: Checkpoint) -> bool:
    # A child impact assessment is needed where children use the solution (and until that is said).
    return checkpoint is not Checkpoint.CHILD_IMPACT or snapshot.plan.children_use_solution is not False


def _checkpoint_rule(checkpoint: Checkpoint) -> GateRule:
    return GateRule(
        f"checkpoint_{checkpoint.value}_missing", Step.DECISION_BASIS_READY, FIX_PLAN,
        lambda s: _unless(not _checkpoint_needed(s, checkpoint) or checkpoint in s.plan.answered_checkpoints),
    )


def _paper_is_final(snapshot: PilotSnapshot) -> bool:
    """Whether the newest paper is a final one to decide on (or, once decided, was decided on).

    A decision archives a copy of the final paper it was taken on, which is then the newest paper:
    before a decision that copy is an earlier decision's and not a paper to decide on; after the
    decision (step 4 completed) it is the record that the decision was taken on a final paper.
    """
    paper = snapshot.paper
    decided = int(snapshot.step) >= Step.DECIDED
    return paper.exists and not paper.is_draft and (not paper.is_decision_copy or decided)


def _valued_without_class(indicator: IndicatorFacts) -> bool:
    return not (indicator.has_valuation and indicator.benefit_class == "unvalued")


GATE_RULES: tuple[GateRule, ...] = (
    # Step 1: the effect goal reviewed.
    GateRule("effect_goal_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS, lambda s: _unless(bool(s.goals))),
    GateRule("goal_without_indicator", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             lambda s: tuple(goal.statement for goal in s.goals if not goal.indicators)),
    GateRule("indicator_unit_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             _indicators_without(lambda i: bool(i.unit.strip()))),
    GateRule("indicator_direction_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             _indicators_without(lambda i: i.direction is not None)),
    GateRule("indicator_method_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             _indicators_without(lambda i: bool(i.measurement_method.strip()))),
    GateRule("indicator_source_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             _indicators_without(lambda i: bool(i.data_source.strip()))),
    GateRule("indicator_baseline_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             _indicators_without(lambda i: i.has_baseline)),
    GateRule("indicator_target_missing", Step.EFFECT_GOAL_REVIEWED, FIX_EFFECTS,
             _indicators_without(lambda i: i.has_target)),
    GateRule("review_comment_missing", Step.EFFECT_GOAL_REVIEWED, FIX_STEP,
             lambda s: _unless(bool(s.review_comment.strip())), on_completion=True),
    # Step 2: the results of the test summarised.
    GateRule("indicator_without_test_measurement", Step.RESULTS_SUMMARISED, FIX_EFFECTS,
             _indicators_without(lambda i: i.test_measurements > 0)),
    GateRule("results_summary_missing", Step.RESULTS_SUMMARISED, FIX_STEP,
             lambda s: _unless(bool(s.results_summary.strip())), on_completion=True),
    GateRule("lessons_learned_missing", Step.RESULTS_SUMMARISED, FIX_STEP,
             lambda s: _unless(bool(s.lessons_learned.strip())), on_completion=True),
    # Step 3: the decision basis ready.
    GateRule("cost_data_missing", Step.DECISION_BASIS_READY, FIX_COSTS, lambda s: _unless(s.cost_items > 0)),
    GateRule("finance_sign_off_missing", Step.DECISION_BASIS_READY, FIX_COSTS,
             lambda s: _unless(s.finance_signed_off)),
    GateRule("benefit_class_missing", Step.DECISION_BASIS_READY, FIX_COSTS,
             _indicators_without(_valued_without_class)),
    GateRule("plan_target_groups_missing", Step.DECISION_BASIS_READY, FIX_PLAN,
             _plan_has(lambda plan: bool(plan.target_groups.strip()))),
    GateRule("plan_rollout_units_missing", Step.DECISION_BASIS_READY, FIX_PLAN,
             _plan_has(lambda plan: plan.rollout_units > 0)),
    GateRule("plan_timeline_missing", Step.DECISION_BASIS_READY, FIX_PLAN,
             _plan_has(lambda plan: plan.milestones > 0)),
    *(_owner_rule(responsibility) for responsibility in Responsibility),
    GateRule("children_use_unanswered", Step.DECISION_BASIS_READY, FIX_PLAN,
             _plan_has(lambda plan: plan.children_use_solution is not None)),
    *(_checkpoint_rule(checkpoint) for checkpoint in Checkpoint),
    GateRule("paper_not_current", Step.DECISION_BASIS_READY, FIX_PAPER,
             lambda s: _unless(s.paper.exists and not s.paper.out_of_date)),
    # Step 4: the decision is taken on a final paper (made after step 3) as the data stands now
    # (whether it is current is step 3's rule, checked again).
    GateRule("paper_not_final", Step.DECIDED, FIX_PAPER, lambda s: _unless(_paper_is_final(s))),
)


@dataclass(frozen=True)
class Check:
    """One gate rule evaluated: whether it holds, and if not, what lacks it and where that is fixed."""

    code: str
    fix: str
    lacking: tuple[str, ...]
    on_completion: bool = False

    @property
    def ok(self) -> bool:
        """Whether the rule holds."""
        return not self.lacking


def checks(snapshot: PilotSnapshot, step: int) -> tuple[Check, ...]:
    """Every rule of `step`, evaluated over the snapshot, in the table's order."""
    return tuple(
        Check(rule.code, rule.fix, tuple(rule.lacking(snapshot)), rule.on_completion)
        for rule in GATE_RULES if rule.step == step
    )


def missing(snapshot: PilotSnapshot, step: int) -> tuple[Check, ...]:
    """What is still missing before `step` can be completed: its own rules and those of the steps
    before it (data may have changed since they were completed)."""
    return tuple(check for earlier in range(1, int(step) + 1) for check in checks(snapshot, earlier) if not check.ok)


# ------------------------------------------------------------------------------------------------
# Moves: complete, reopen, decide
# ------------------------------------------------------------------------------------------------

STEPS = (Step.EFFECT_GOAL_REVIEWED, Step.RESULTS_SUMMARISED, Step.DECISION_BASIS_READY, Step.DECIDED)


class ProcessError(ValueError):
    """A process move the rules refuse; `code` says why, `missing` lists unmet gate rules."""

    def __init__(self, code: str, missing: tuple[Check, ...] = ()):
        super().__init__(code)
        self.code = code
        self.missing = missing


def check_has_steps(snapshot: PilotSnapshot) -> None:
    """Raise ProcessError for a digitalisation initiative: it has no scale-up steps (DESIGN §9)."""
    if not has_scale_up_steps(snapshot.kind):
        raise ProcessError("no_steps_for_kind")


def check_complete(snapshot: PilotSnapshot, step: int) -> None:
    """Raise ProcessError unless `step` (1–3) may be completed now.

    Steps complete in order, only in the scale-up phase, only for an innovation pilot, and only
    when nothing is missing. Step 4 is the decision (see `check_decide`).
    """
    check_has_steps(snapshot)
    if step not in (Step.EFFECT_GOAL_REVIEWED, Step.RESULTS_SUMMARISED, Step.DECISION_BASIS_READY):
        raise ProcessError("not_a_step")
    if Phase(snapshot.phase) is not Phase.SCALE_UP:
        raise ProcessError("not_in_scale_up")
    if snapshot.step != step - 1:
        raise ProcessError("already_completed" if snapshot.step >= step else "out_of_order")
    lacking = missing(snapshot, step)
    if lacking:
        raise ProcessError("missing", lacking)


def check_reopen(snapshot: PilotSnapshot, step: int, comment: str) -> None:
    """Raise ProcessError unless completed `step` may be reopened (with a comment), before the decision."""
    check_has_steps(snapshot)
    if step not in (Step.EFFECT_GOAL_REVIEWED, Step.RESULTS_SUMMARISED, Step.DECISION_BASIS_READY):
        raise ProcessError("not_a_step")
    if Phase(snapshot.phase) is not Phase.SCALE_UP:
        raise ProcessError("not_in_scale_up")
    if snapshot.step < step:
        raise ProcessError("not_completed")
    if not comment.strip():
        raise ProcessError("comment_required")


def step_after_reopen(step: int) -> int:
    """Reopening a step undoes it and every step after it."""
    return int(step) - 1


def check_decide(snapshot: PilotSnapshot) -> None:
    """Raise ProcessError unless a decision may be recorded now: step 3 complete, nothing missing."""
    check_has_steps(snapshot)
    if Phase(snapshot.phase) is not Phase.SCALE_UP:
        raise ProcessError("not_in_scale_up")
    if snapshot.step != Step.DECISION_BASIS_READY:
        raise ProcessError("already_decided" if snapshot.step >= Step.DECIDED else "out_of_order")
    lacking = missing(snapshot, Step.DECIDED)
    if lacking:
        raise ProcessError("missing", lacking)


@dataclass(frozen=True)
class DecisionDetails:
    """The outcome-specific parts of a decision."""

    outcome: DecisionOutcome
    new_test_end: dt.date | None = None
    revisit_on: dt.date | None = None
    lessons_learned: str = ""


def check_decision_details(details: DecisionDetails, *, decided_on: dt.date) -> list[tuple[str, str]]:
    """The (field, code) problems of the outcome's own fields; empty when they are complete."""
    problems: list[tuple[str, str]] = []
    outcome = DecisionOutcome(details.outcome)
    if outcome is DecisionOutcome.CONTINUE_TESTING:
        if details.new_test_end is None:
            problems.append(("new_test_end", "required"))
        elif details.new_test_end <= decided_on:
            problems.append(("new_test_end", "not_after_decision"))
    if outcome is DecisionOutcome.PARK:
        if details.revisit_on is None:
            problems.append(("revisit_on", "required"))
        elif details.revisit_on <= decided_on:
            problems.append(("revisit_on", "not_after_decision"))
    if outcome is DecisionOutcome.STOP and not details.lessons_learned.strip():
        problems.append(("lessons_learned", "required"))
    return problems


def after_decision(outcome: DecisionOutcome) -> tuple[Phase, int]:
    """Where a decision moves the pilot: phase and step.

    Scale up → implementation; continue testing → back to test, the steps to be taken afresh;
    stop → closed, keeping the stage it reached (the decision) and its lessons; park → parked at
    step 3, so that a pilot taken up again can be decided on a new paper.
    """
    return {
        DecisionOutcome.SCALE_UP: (Phase.IMPLEMENTATION, Step.DECIDED),
        DecisionOutcome.CONTINUE_TESTING: (Phase.TEST, Step.NONE),
        DecisionOutcome.STOP: (Phase.CLOSED, Step.DECIDED),
        DecisionOutcome.PARK: (Phase.PARKED, Step.DECISION_BASIS_READY),
    }[DecisionOutcome(outcome)]


# ------------------------------------------------------------------------------------------------
# Status for the page
# ------------------------------------------------------------------------------------------------


class StepState(StrEnum):
    """Where one step stands."""

    COMPLETED = "completed"
    CURRENT = "current"  # the next step to complete
    NOT_STARTED = "not_started"  # a later step, or the process has not begun


@dataclass(frozen=True)
class StepStatus:
    """One step as the pilot page shows it."""

    step: Step
    state: StepState
    checks: tuple[Check, ...]
    can_complete: bool
    can_reopen: bool

    @property
    def missing(self) -> tuple[Check, ...]:
        """The step's own rules that do not hold."""
        return tuple(check for check in self.checks if not check.ok)


def step_statuses(snapshot: PilotSnapshot) -> tuple[StepStatus, ...]:
    """The four steps with their checklists, what can be completed and what can be reopened.

    A step's button is enabled only when nothing outside its completion form is missing (for it
    and the steps before it); the completion form supplies the rest.
    """
    in_process = Phase(snapshot.phase) is Phase.SCALE_UP and has_scale_up_steps(snapshot.kind)
    statuses = []
    for step in STEPS:
        if snapshot.step >= step:
            state = StepState.COMPLETED
        elif in_process and snapshot.step == step - 1:
            state = StepState.CURRENT
        else:
            state = StepState.NOT_STARTED
        blocking = [check for check in missing(snapshot, step) if not (check.on_completion and check_step(check) == step)]
        statuses.append(StepStatus(
            step=step,
            state=state,
            checks=checks(snapshot, step),
            can_complete=state is StepState.CURRENT and not blocking,
            can_reopen=in_process and state is StepState.COMPLETED and step != Step.DECIDED,
        ))
    return tuple(statuses)


_RULE_STEPS = {rule.code: rule.step for rule in GATE_RULES}


def check_step(check: Check) -> Step:
    """The step a check belongs to."""
    return _RULE_STEPS[check.code]


# ------------------------------------------------------------------------------------------------
# The lock after the decision, and finance's sign-off
# ------------------------------------------------------------------------------------------------


def decision_basis_locked(phase: Phase, step: int) -> bool:
    """Whether the pilot's decision basis is read-only: it has been decided on (DESIGN §3).

    A pilot decided to scale up is in implementation (or closed after it); a pilot stopped by a
    decision is closed at the decision. Corrections then go through a new decision. A pilot
    closed or parked before the decision was never decided on, so nothing is locked; nor after
    a decision to continue testing, which starts the steps afresh.
    """
    return int(step) >= Step.DECIDED and Phase(phase) in (Phase.IMPLEMENTATION, Phase.CLOSED)


#: What finance's valuation of an indicator rests on: changing any of these changes the money.
VALUED_BASIS_FIELDS = ("direction", "baseline_value", "target_value")


def indicator_change_clears_sign_off(benefit_class: str, changed_fields: set[str] | frozenset[str]) -> bool:
    """Whether changing these fields of an indicator voids finance's sign-off: only for a valued
    indicator, and only when what its value rests on changed."""
    return benefit_class != "unvalued" and bool(set(changed_fields) & set(VALUED_BASIS_FIELDS))


def indicator_removal_clears_sign_off(benefit_classes: list[str] | tuple[str, ...]) -> bool:
    """Whether deleting indicators of these classes voids finance's sign-off (any valued one does)."""
    return any(benefit_class != "unvalued" for benefit_class in benefit_classes)


def finance_change_clears_sign_off(change: str) -> bool:  # noqa: ARG001 - every change counts
    """Every change to costs, valuation or the economics parameters voids the sign-off: it covers
    the figures as they were when it was given."""
    return True
