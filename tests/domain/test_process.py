"""The scale-up process's rules (DESIGN §3): every gate rule, every refused move, the decision's effect."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.process import (
    GATE_RULES,
    Checkpoint,
    DecisionDetails,
    DecisionOutcome,
    GoalFacts,
    IndicatorFacts,
    PaperFacts,
    PilotSnapshot,
    PlanFacts,
    ProcessError,
    Responsibility,
    StepState,
    after_decision,
    check_complete,
    check_decide,
    check_decision_details,
    check_reopen,
    checks,
    decision_basis_locked,
    finance_change_clears_sign_off,
    indicator_change_clears_sign_off,
    indicator_removal_clears_sign_off,
    missing,
    step_after_reopen,
    step_statuses,
)

COMPLETE_INDICATOR = IndicatorFacts(
    name="Minuter per dag", unit="minuter", direction="lower_is_better", measurement_method="Tidsloggning",
    data_source="Loggbok", has_baseline=True, has_target=True, test_measurements=2,
    benefit_class="reallocation", has_valuation=True,
)
COMPLETE_PLAN = PlanFacts(
    target_groups="Pedagoger i förskolan", rollout_units=3, milestones=2,
    responsibilities=frozenset(Responsibility), children_use_solution=True,
    answered_checkpoints=frozenset(Checkpoint),
)


def ready(**changes) -> PilotSnapshot:
    """A pilot at step 3 of the scale-up process for which every rule holds; `changes` break one."""
    snapshot = PilotSnapshot(
        phase=Phase.SCALE_UP, step=Step.DECISION_BASIS_READY,
        goals=(GoalFacts("Färre minuter i tamburen", (COMPLETE_INDICATOR,)),),
        review_comment="Granskat med rektorerna.", results_summary="Målet nåddes.", lessons_learned="Börja i liten skala.",
        cost_items=4, finance_signed_off=True, plan=COMPLETE_PLAN,
        paper=PaperFacts(exists=True, out_of_date=False, is_draft=False),
    )
    return replace(snapshot, **changes)


def with_indicator(**changes) -> PilotSnapshot:
    return ready(goals=(GoalFacts("Färre minuter i tamburen", (replace(COMPLETE_INDICATOR, **changes),)),))


def with_plan(**changes) -> PilotSnapshot:
    return ready(plan=replace(COMPLETE_PLAN, **changes))


# (rule code, a snapshot breaking only that rule, what the rule names as lacking it)
BROKEN = [
    ("effect_goal_missing", ready(goals=()), ("",)),
    ("goal_without_indicator", ready(goals=(GoalFacts("Färre minuter i tamburen", (COMPLETE_INDICATOR,)),
                                            GoalFacts("Nöjdare vårdnadshavare"))), ("Nöjdare vårdnadshavare",)),
    ("indicator_unit_missing", with_indicator(unit=" "), ("Minuter per dag",)),
    ("indicator_direction_missing", with_indicator(direction=None), ("Minuter per dag",)),
    ("indicator_method_missing", with_indicator(measurement_method=""), ("Minuter per dag",)),
    ("indicator_source_missing", with_indicator(data_source=""), ("Minuter per dag",)),
    ("indicator_baseline_missing", with_indicator(has_baseline=False), ("Minuter per dag",)),
    ("indicator_target_missing", with_indicator(has_target=False), ("Minuter per dag",)),
    ("review_comment_missing", ready(review_comment="  "), ("",)),
    ("indicator_without_test_measurement", with_indicator(test_measurements=0), ("Minuter per dag",)),
    ("results_summary_missing", ready(results_summary=""), ("",)),
    ("lessons_learned_missing", ready(lessons_learned=""), ("",)),
    ("cost_data_missing", ready(cost_items=0), ("",)),
    ("finance_sign_off_missing", ready(finance_signed_off=False), ("",)),
    ("benefit_class_missing", with_indicator(benefit_class="unvalued"), ("Minuter per dag",)),
    ("plan_target_groups_missing", with_plan(target_groups=""), ("",)),
    ("plan_rollout_units_missing", with_plan(rollout_units=0), ("",)),
    ("plan_timeline_missing", with_plan(milestones=0), ("",)),
    *[(f"owner_{r.value}_missing", with_plan(responsibilities=frozenset(Responsibility) - {r}), ("",))
      for r in Responsibility],
    ("children_use_unanswered", with_plan(children_use_solution=None,
                                          answered_checkpoints=frozenset(Checkpoint)), ("",)),
    *[(f"checkpoint_{c.value}_missing", with_plan(answered_checkpoints=frozenset(Checkpoint) - {c}), ("",))
      for c in Checkpoint],
    ("paper_not_current", ready(paper=PaperFacts(exists=True, out_of_date=True, is_draft=False)), ("",)),
    ("paper_not_final", ready(paper=PaperFacts(exists=True, out_of_date=False, is_draft=True)), ("",)),
]
ARCHIVED_COPY = PaperFacts(exists=True, out_of_date=False, is_draft=False, is_decision_copy=True)


def test_every_gate_rule_has_a_row_in_the_table_below():
    assert sorted(code for code, _snapshot, _lacking in BROKEN) == sorted(rule.code for rule in GATE_RULES)


def test_codes_are_unique_and_every_rule_says_where_it_is_fixed():
    codes = [rule.code for rule in GATE_RULES]
    assert len(codes) == len(set(codes))
    assert all(rule.fix for rule in GATE_RULES)


def test_nothing_is_missing_for_a_complete_decision_basis():
    assert missing(ready(), Step.DECIDED) == ()


@pytest.mark.parametrize(("code", "snapshot", "lacking"), BROKEN, ids=[row[0] for row in BROKEN])
def test_a_broken_rule_is_the_only_thing_missing_and_names_what_lacks_it(code, snapshot, lacking):
    rule = next(rule for rule in GATE_RULES if rule.code == code)
    # Missing for its own step (and so for every later step), not for the steps before it.
    found = missing(snapshot, rule.step)
    assert [(check.code, check.lacking) for check in found] == [(code, lacking)]
    assert [check.code for check in missing(snapshot, Step.DECIDED)] == [code]
    assert all(check.code != code for check in missing(snapshot, rule.step - 1)) if rule.step > 1 else True


def test_a_paper_that_does_not_exist_is_neither_current_nor_final():
    codes = [check.code for check in missing(ready(paper=PaperFacts()), Step.DECIDED)]
    assert codes == ["paper_not_current", "paper_not_final"]


def test_the_archived_copy_of_an_earlier_decision_is_not_a_paper_to_decide_on():
    assert [check.code for check in missing(ready(paper=ARCHIVED_COPY), Step.DECIDED)] == ["paper_not_final"]


def test_after_the_decision_its_archived_copy_shows_that_the_decision_was_taken_on_a_final_paper():
    decided = ready(phase=Phase.IMPLEMENTATION, step=Step.DECIDED, paper=ARCHIVED_COPY)
    assert [(check.code, check.ok) for check in checks(decided, Step.DECIDED)] == [("paper_not_final", True)]
    parked = ready(phase=Phase.PARKED, step=Step.DECISION_BASIS_READY, paper=ARCHIVED_COPY)  # back later: a new paper
    assert [check.code for check in checks(parked, Step.DECIDED) if not check.ok] == ["paper_not_final"]


def test_child_impact_assessment_is_not_needed_where_children_do_not_use_the_solution():
    snapshot = with_plan(children_use_solution=False, answered_checkpoints=frozenset(Checkpoint) - {Checkpoint.CHILD_IMPACT})
    assert missing(snapshot, Step.DECISION_BASIS_READY) == ()


def test_an_unvalued_indicator_needs_no_benefit_class():
    assert missing(with_indicator(benefit_class="unvalued", has_valuation=False), Step.DECIDED) == ()


def test_every_goal_and_indicator_lacking_something_is_named():
    other = replace(COMPLETE_INDICATOR, name="Antal frågor", unit="")
    snapshot = ready(goals=(GoalFacts("Mål A", (replace(COMPLETE_INDICATOR, unit=""), other)),))
    [check] = missing(snapshot, Step.EFFECT_GOAL_REVIEWED)
    assert check.lacking == ("Minuter per dag", "Antal frågor")


# --- moves -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("step", [1, 2, 3])
def test_a_step_completes_when_it_is_next_and_nothing_is_missing(step):
    check_complete(ready(step=step - 1), step)


@pytest.mark.parametrize(("snapshot", "step", "code"), [
    (ready(step=0), 2, "out_of_order"),
    (ready(step=0), 3, "out_of_order"),
    (ready(step=1), 1, "already_completed"),
    (ready(step=3), 3, "already_completed"),
    (ready(step=0, phase=Phase.TEST), 1, "not_in_scale_up"),
    (ready(step=2, phase=Phase.PARKED), 3, "not_in_scale_up"),
    (ready(step=0), 4, "not_a_step"),
    (ready(step=0), 0, "not_a_step"),
    (ready(step=0, review_comment=""), 1, "missing"),
    (ready(step=2, finance_signed_off=False), 3, "missing"),
    (ready(step=1, goals=()), 2, "missing"),  # an earlier step's rule that no longer holds
])
def test_refused_completions(snapshot, step, code):
    with pytest.raises(ProcessError) as refused:
        check_complete(snapshot, step)
    assert refused.value.code == code
    assert bool(refused.value.missing) == (code == "missing")


@pytest.mark.parametrize(("snapshot", "step", "comment", "code"), [
    (ready(step=1), 2, "Fel", "not_completed"),
    (ready(step=2), 2, " ", "comment_required"),
    (ready(step=4, phase=Phase.IMPLEMENTATION), 3, "Fel", "not_in_scale_up"),
    (ready(step=3, phase=Phase.PARKED), 3, "Fel", "not_in_scale_up"),
    (ready(step=3), 4, "Fel", "not_a_step"),
])
def test_refused_reopenings(snapshot, step, comment, code):
    with pytest.raises(ProcessError) as refused:
        check_reopen(snapshot, step, comment)
    assert refused.value.code == code


def test_reopening_a_step_undoes_it_and_the_steps_after_it():
    check_reopen(ready(step=3), 1, "Effektmålet måste ses över igen.")
    assert step_after_reopen(1) == 0
    assert step_after_reopen(3) == 2


@pytest.mark.parametrize(("snapshot", "code"), [
    (ready(step=2), "out_of_order"),
    (ready(step=4, phase=Phase.IMPLEMENTATION), "not_in_scale_up"),
    (ready(step=3, phase=Phase.PARKED), "not_in_scale_up"),
    (ready(paper=PaperFacts(exists=True, out_of_date=False, is_draft=True)), "missing"),
    (ready(paper=PaperFacts(exists=True, out_of_date=True, is_draft=False)), "missing"),
    (ready(finance_signed_off=False), "missing"),
])
def test_refused_decisions(snapshot, code):
    with pytest.raises(ProcessError) as refused:
        check_decide(snapshot)
    assert refused.value.code == code


def test_a_decision_may_be_recorded_on_a_complete_basis():
    check_decide(ready())


@pytest.mark.parametrize(("outcome", "phase", "step"), [
    (DecisionOutcome.SCALE_UP, Phase.IMPLEMENTATION, Step.DECIDED),
    (DecisionOutcome.CONTINUE_TESTING, Phase.TEST, Step.NONE),
    (DecisionOutcome.STOP, Phase.CLOSED, Step.DECIDED),
    (DecisionOutcome.PARK, Phase.PARKED, Step.DECISION_BASIS_READY),
])
def test_the_outcome_moves_the_pilot(outcome, phase, step):
    assert after_decision(outcome) == (phase, step)


@pytest.mark.parametrize(("outcome", "locked"), [
    (DecisionOutcome.SCALE_UP, True), (DecisionOutcome.STOP, True),
    (DecisionOutcome.CONTINUE_TESTING, False), (DecisionOutcome.PARK, False),
])
def test_the_decision_basis_is_read_only_after_a_decision_to_scale_up_or_stop(outcome, locked):
    assert decision_basis_locked(*after_decision(outcome)) is locked


@pytest.mark.parametrize(("phase", "step"), [
    (Phase.SCALE_UP, 3), (Phase.CLOSED, 0), (Phase.CLOSED, 3), (Phase.PARKED, 3), (Phase.TEST, 0), (Phase.IDEA, 0),
])
def test_nothing_is_locked_before_a_decision(phase, step):
    assert not decision_basis_locked(phase, step)


def test_the_lock_reads_stored_values():
    assert decision_basis_locked("implementation", 4)
    assert not decision_basis_locked("closed", 0)


DECIDED_ON = dt.date(2026, 12, 8)


@pytest.mark.parametrize(("details", "problems"), [
    (DecisionDetails(DecisionOutcome.SCALE_UP), []),
    (DecisionDetails(DecisionOutcome.CONTINUE_TESTING), [("new_test_end", "required")]),
    (DecisionDetails(DecisionOutcome.CONTINUE_TESTING, new_test_end=DECIDED_ON), [("new_test_end", "not_after_decision")]),
    (DecisionDetails(DecisionOutcome.CONTINUE_TESTING, new_test_end=dt.date(2027, 6, 30)), []),
    (DecisionDetails(DecisionOutcome.PARK), [("revisit_on", "required")]),
    (DecisionDetails(DecisionOutcome.PARK, revisit_on=dt.date(2026, 1, 1)), [("revisit_on", "not_after_decision")]),
    (DecisionDetails(DecisionOutcome.PARK, revisit_on=dt.date(2027, 9, 1)), []),
    (DecisionDetails(DecisionOutcome.STOP, lessons_learned=" "), [("lessons_learned", "required")]),
    (DecisionDetails(DecisionOutcome.STOP, lessons_learned="Tekniken var inte mogen."), []),
])
def test_each_outcome_asks_for_its_own_fields(details, problems):
    assert check_decision_details(details, decided_on=DECIDED_ON) == problems


# --- the page's view of the steps ---------------------------------------------------------------


def test_the_page_shows_completed_steps_the_current_one_and_those_not_started():
    statuses = step_statuses(ready(step=1, results_summary="", lessons_learned=""))
    assert [s.state for s in statuses] == [StepState.COMPLETED, StepState.CURRENT, StepState.NOT_STARTED,
                                           StepState.NOT_STARTED]
    # Step 2's own texts are written in its completion form: they do not disable the button.
    assert [s.can_complete for s in statuses] == [False, True, False, False]
    assert [s.can_reopen for s in statuses] == [True, False, False, False]
    assert [c.code for c in statuses[1].missing] == ["results_summary_missing", "lessons_learned_missing"]


def test_the_button_is_disabled_while_something_outside_the_form_is_missing():
    statuses = step_statuses(ready(step=2, finance_signed_off=False))
    assert statuses[2].state is StepState.CURRENT and not statuses[2].can_complete


def test_nothing_can_be_completed_or_reopened_after_the_decision():
    statuses = step_statuses(ready(step=4, phase=Phase.IMPLEMENTATION))
    assert all(s.state is StepState.COMPLETED for s in statuses)
    assert not any(s.can_complete or s.can_reopen for s in statuses)


def test_outside_the_scale_up_process_no_step_is_current():
    statuses = step_statuses(ready(step=0, phase=Phase.TEST))
    assert all(s.state is StepState.NOT_STARTED and not s.can_complete for s in statuses)


# --- finance's sign-off -------------------------------------------------------------------------


@pytest.mark.parametrize(("benefit_class", "fields", "clears"), [
    ("reallocation", {"baseline_value"}, True),
    ("financial", {"direction", "name"}, True),
    ("financial", {"target_value"}, True),
    ("financial", {"name", "measurement_method"}, False),
    ("unvalued", {"baseline_value"}, False),
])
def test_changing_what_a_valued_indicator_rests_on_clears_the_sign_off(benefit_class, fields, clears):
    assert indicator_change_clears_sign_off(benefit_class, fields) is clears


def test_removing_a_valued_indicator_clears_the_sign_off_and_an_unvalued_one_does_not():
    assert indicator_removal_clears_sign_off(["unvalued", "financial"])
    assert not indicator_removal_clears_sign_off(["unvalued"])
    assert not indicator_removal_clears_sign_off([])


@pytest.mark.parametrize("change", ["cost_item_created", "valuation_updated", "costs_imported"])
def test_every_change_to_finance_figures_clears_the_sign_off(change):
    assert finance_change_clears_sign_off(change)


def test_a_digitalisation_initiative_has_no_scale_up_steps():
    from portfolio.domain.initiatives import InitiativeKind
    from portfolio.domain.lifecycle import Phase as P
    from portfolio.domain.process import PilotSnapshot, ProcessError, check_complete, check_decide, step_statuses

    state = PilotSnapshot(phase=P.SCALE_UP, step=0, kind=InitiativeKind.DIGITALISATION)
    for check in (lambda: check_complete(state, 1), lambda: check_decide(state)):
        try:
            check()
        except ProcessError as error:
            assert error.code == "no_steps_for_kind"
        else:
            raise AssertionError("a digitalisation initiative completed a step")
    assert not any(status.can_complete for status in step_statuses(state))
