"""The process service: steps completed and reopened, the decision recorded, the state it leaves."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.process import DecisionOutcome, ProcessError, TransitionKind
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, Decision, Goal, GoalFramework, PaperVersion, PhaseTransition
from portfolio.services import costs, effects, papers, plan, process
from tests import factories
from tests.process_scenario import decision_data, fast_papers, pilot_in_scale_up, take_steps  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_papers")


@pytest.fixture
def leader(db):
    return factories.make_user(db, roles=[Role.INNOVATION_LEADER])


@pytest.fixture
def manager(db):
    return factories.make_user(db, roles=[Role.MANAGEMENT])


@pytest.fixture
def pilot(db, leader):
    return pilot_in_scale_up(db, leader)


def _transitions(db, pilot):
    return db.scalars(select(PhaseTransition).where(PhaseTransition.pilot_id == pilot.id).order_by(PhaseTransition.id)).all()


def test_a_pilot_whose_data_is_complete_goes_through_steps_1_to_3(db, pilot, leader):
    take_steps(db, pilot, leader, to=3)

    assert (pilot.phase, pilot.step) == (Phase.SCALE_UP, Step.DECISION_BASIS_READY)
    assert pilot.review_comment == "Effektmålet är granskat med rektorerna."
    assert pilot.lessons_learned == "Introducera verktyget en förskola i taget."
    kinds = [(t.kind, t.from_step, t.to_step) for t in _transitions(db, pilot)]
    assert kinds == [(TransitionKind.COMPLETE_STEP, 0, 1), (TransitionKind.COMPLETE_STEP, 1, 2),
                     (TransitionKind.COMPLETE_STEP, 2, 3)]
    # Completing step 3 generated the final paper, current with the data: the decision can name it.
    latest = papers.latest(db, pilot)
    assert latest.number == 2 and not latest.is_draft and not papers.is_out_of_date(db, pilot, latest)
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.pilot_id == pilot.id)).all()
    assert actions.count("complete_step") == 3


def test_step_1_needs_the_review_comment_and_says_what_else_is_missing(db, pilot, leader):
    with pytest.raises(ProcessError) as refused:
        process.complete_step(db, pilot, 1, leader, review_comment="  ")
    assert [check.code for check in refused.value.missing] == ["review_comment_missing"]
    assert pilot.step == 0 and _transitions(db, pilot) == []


def test_a_step_cannot_be_skipped(db, pilot, leader):
    with pytest.raises(ProcessError, match="out_of_order"):
        process.complete_step(db, pilot, 2, leader, results_summary="x", lessons_learned="y")


def test_step_3_needs_a_paper_made_from_the_data_as_it_stands(db, pilot, leader):
    take_steps(db, pilot, leader, to=2)
    with pytest.raises(ProcessError) as refused:
        process.complete_step(db, pilot, 3, leader)
    assert [c.code for c in refused.value.missing] == ["paper_not_current"]
    papers.generate(db, pilot, leader)
    process.finance_figures_changed(db, pilot, leader, "cost_item_created")  # the figures changed
    with pytest.raises(ProcessError) as refused:
        process.complete_step(db, pilot, 3, leader)
    assert "finance_sign_off_missing" in [c.code for c in refused.value.missing]


def test_reopening_needs_a_comment_and_undoes_the_later_steps(db, pilot, leader):
    take_steps(db, pilot, leader, to=2)
    with pytest.raises(ProcessError, match="comment_required"):
        process.reopen_step(db, pilot, 1, " ", leader)
    process.reopen_step(db, pilot, 1, "Indikatorn behöver en ny baslinje.", leader)
    assert pilot.step == 0
    last = _transitions(db, pilot)[-1]
    assert (last.kind, last.from_step, last.to_step, last.comment) == (
        TransitionKind.REOPEN_STEP, 2, 0, "Indikatorn behöver en ny baslinje.")


def test_a_scale_up_decision_moves_the_pilot_archives_the_paper_and_locks_the_basis(db, pilot, leader, manager):
    take_steps(db, pilot, leader, to=3)
    decided_on_version = papers.latest(db, pilot)

    decision = process.record_decision(db, pilot, decision_data(db, pilot), manager)

    assert (pilot.phase, pilot.step) == (Phase.IMPLEMENTATION, Step.DECIDED)
    assert decision.paper_version_id == decided_on_version.id
    archived = db.get(PaperVersion, decision.archived_paper_version_id)
    assert archived.is_decision_copy and archived.number == decided_on_version.number + 1
    assert _transitions(db, pilot)[-1].kind is TransitionKind.DECISION
    assert process.is_locked(pilot)
    # Read-only after the decision: the basis, the plan, the steps and a second decision.
    with pytest.raises(process.DecisionBasisLocked):
        costs.add_cost(db, pilot, costs.values_of(db.scalars(select(costs.CostItem)).first()), leader)
    with pytest.raises(process.DecisionBasisLocked):
        effects.create_effect_goal(db, pilot, statement="Nytt", category="quality", beneficiary="", actor=leader)
    with pytest.raises(process.DecisionBasisLocked):
        plan.add_risk(db, pilot, description="Ny risk", mitigation="", actor=leader)
    with pytest.raises(process.DecisionBasisLocked):
        process.sign_off(db, pilot, leader)
    with pytest.raises(ProcessError, match="not_in_scale_up"):
        process.reopen_step(db, pilot, 3, "Ändra", leader)
    with pytest.raises(ProcessError, match="not_in_scale_up"):
        process.record_decision(db, pilot, decision_data(db, pilot), manager)
    assert db.scalar(select(func.count()).select_from(Decision)) == 1


@pytest.mark.parametrize(("outcome", "phase", "step", "locked"), [
    (DecisionOutcome.CONTINUE_TESTING, Phase.TEST, Step.NONE, False),
    (DecisionOutcome.STOP, Phase.CLOSED, Step.DECIDED, True),
    (DecisionOutcome.PARK, Phase.PARKED, Step.DECISION_BASIS_READY, False),
])
def test_the_other_outcomes_move_the_pilot(db, pilot, leader, manager, outcome, phase, step, locked):
    take_steps(db, pilot, leader, to=3)
    decision = process.record_decision(db, pilot, decision_data(db, pilot, outcome), manager)
    assert (pilot.phase, pilot.step, process.is_locked(pilot)) == (phase, step, locked)
    if outcome is DecisionOutcome.CONTINUE_TESTING:
        assert pilot.test_end == dt.date(2027, 6, 30)
    if outcome is DecisionOutcome.PARK:
        assert pilot.revisit_on == dt.date(2027, 9, 1)
    if outcome is DecisionOutcome.STOP:
        assert decision.lessons_learned == "Tekniken var inte mogen."


def test_a_decision_needs_step_3_and_the_newest_final_paper(db, pilot, leader, manager):
    take_steps(db, pilot, leader, to=2)
    papers.generate(db, pilot, leader)
    with pytest.raises(ProcessError, match="out_of_order"):
        process.record_decision(db, pilot, decision_data(db, pilot), manager)
    process.complete_step(db, pilot, 3, leader)
    older = decision_data(db, pilot, paper_version_id=papers.latest(db, pilot).id - 1)
    with pytest.raises(process.DecisionInputError) as refused:
        process.record_decision(db, pilot, older, manager)
    assert refused.value.field == "paper_version_id"
    with pytest.raises(process.DecisionInputError) as refused:
        process.record_decision(db, pilot, decision_data(db, pilot, DecisionOutcome.PARK, revisit_on=None), manager)
    assert (refused.value.field, refused.value.code) == ("revisit_on", "required")
    assert pilot.step == Step.DECISION_BASIS_READY


def test_a_change_after_step_3_stops_the_decision_until_the_paper_is_made_again(db, pilot, leader, manager):
    take_steps(db, pilot, leader, to=3)
    pilot.title = "Nytt namn"  # the paper shows the title: it is out of date now
    with pytest.raises(ProcessError) as refused:
        process.record_decision(db, pilot, decision_data(db, pilot), manager)
    assert [c.code for c in refused.value.missing] == ["paper_not_current"]
    papers.generate(db, pilot, leader)
    process.record_decision(db, pilot, decision_data(db, pilot), manager)


def test_decisions_cannot_be_changed_or_deleted(db, pilot, leader, manager):
    take_steps(db, pilot, leader, to=3)
    decision = process.record_decision(db, pilot, decision_data(db, pilot), manager)
    db.commit()
    decision.decision_text = "Något annat"
    with pytest.raises(RuntimeError, match="append-only"):
        db.flush()
    db.rollback()
    db.delete(decision)
    with pytest.raises(RuntimeError, match="ever deleted"):
        db.flush()
    db.rollback()


def test_the_status_lists_each_step_with_what_is_missing(db, leader):
    bare = factories.make_pilot(db, leader=leader, phase=Phase.SCALE_UP)
    state = process.status(db, bare)
    assert [s.state.value for s in state.steps] == ["current", "not_started", "not_started", "not_started"]
    assert [c.code for c in state.steps[0].missing] == ["effect_goal_missing", "review_comment_missing"]
    assert not state.steps[0].can_complete


def test_the_paper_stays_current_whatever_order_the_strategic_goals_are_loaded_in(db, pilot, leader):
    framework_a = GoalFramework(name="Verksamhetsplan", position=1, active=True,
                                goals=[Goal(name="Mål A", position=1, active=True)])
    framework_b = GoalFramework(name="Nämndens mål", position=2, active=True,
                                goals=[Goal(name="Mål B", position=1, active=True)])
    db.add_all([framework_a, framework_b])
    db.flush()
    pilot.goals = [framework_b.goals[0], framework_a.goals[0]]
    version = papers.generate(db, pilot, leader)
    pilot.goals = [framework_a.goals[0], framework_b.goals[0]]  # as another request may load them
    assert not papers.is_out_of_date(db, pilot, version)
