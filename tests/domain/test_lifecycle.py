"""The pilot lifecycle's rules: which manual moves are allowed, what step a pilot keeps, and when
its decision basis becomes read-only."""

from __future__ import annotations

import datetime as dt

import pytest

from portfolio.domain.lifecycle import (
    Phase,
    Step,
    TransitionError,
    allowed_moves,
    check_move,
    check_move_details,
    check_test_started,
    step_after_move,
)

REACHED = Step.RESULTS_SUMMARISED


@pytest.mark.parametrize("target", [Phase.PARKED, Phase.CLOSED])
def test_parking_or_closing_keeps_the_stage_reached(target):
    assert step_after_move(Phase.SCALE_UP, target, REACHED) == REACHED


def test_a_parked_pilot_taken_up_again_resumes_its_scale_up_step():
    assert step_after_move(Phase.PARKED, Phase.SCALE_UP, REACHED) == REACHED


@pytest.mark.parametrize(
    ("current", "target"),
    [(Phase.SCALE_UP, Phase.TEST), (Phase.PARKED, Phase.TEST), (Phase.PARKED, Phase.IDEA),
     (Phase.TEST, Phase.SCALE_UP)],
)
def test_going_back_or_entering_scale_up_from_test_starts_the_steps_afresh(current, target):
    assert step_after_move(current, target, REACHED) == Step.NONE


def test_stored_values_are_understood_as_phases():
    assert step_after_move("parked", "scale_up", REACHED) == REACHED


def test_moves_are_offered_in_lifecycle_order_and_stopping_needs_a_reason():
    assert allowed_moves(Phase.TEST) == [Phase.SCALE_UP, Phase.CLOSED, Phase.PARKED]
    assert allowed_moves(Phase.CLOSED) == []
    with pytest.raises(TransitionError, match="reason_required"):
        check_move(Phase.TEST, Phase.PARKED, comment="  ")
    with pytest.raises(TransitionError, match="not_allowed"):
        check_move(Phase.IDEA, Phase.IMPLEMENTATION, comment="")



def test_the_scale_up_process_needs_a_test_that_has_started():
    today = dt.date(2026, 12, 1)
    for test_start in (None, dt.date(2026, 12, 2)):
        with pytest.raises(TransitionError, match="test_not_started"):
            check_test_started(Phase.SCALE_UP, test_start, today)
    check_test_started(Phase.SCALE_UP, today, today)
    check_test_started(Phase.PARKED, None, today)  # other moves do not ask


TODAY = dt.date(2026, 12, 1)


@pytest.mark.parametrize(("target", "revisit_on", "lessons", "refusal"), [
    (Phase.PARKED, None, "", "revisit_required"),
    (Phase.PARKED, TODAY, "", "revisit_not_after_move"),
    (Phase.PARKED, TODAY + dt.timedelta(days=1), "", None),
    (Phase.CLOSED, None, "  ", "lessons_required"),
    (Phase.CLOSED, None, "Mät före testet.", None),
    (Phase.TEST, None, "", None),
])
def test_parking_takes_a_later_date_to_revisit_and_closing_takes_the_lessons(target, revisit_on, lessons, refusal):
    if refusal is None:
        check_move_details(target, revisit_on=revisit_on, lessons_learned=lessons, today=TODAY)
    else:
        with pytest.raises(TransitionError, match=refusal):
            check_move_details(target, revisit_on=revisit_on, lessons_learned=lessons, today=TODAY)
