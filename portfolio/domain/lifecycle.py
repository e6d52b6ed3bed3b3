"""The life of a pilot (DESIGN §3): phases, the four scale-up steps and allowed moves."""

from __future__ import annotations

import datetime as dt
from enum import IntEnum, StrEnum


class Phase(StrEnum):
    """Where a pilot is in its life."""

    IDEA = "idea"
    TEST = "test"
    SCALE_UP = "scale_up"  # in the four-step scale-up process
    IMPLEMENTATION = "implementation"  # decided to scale up: roll-out and follow-up
    CLOSED = "closed"  # stopped; keeps the stage it reached and its lessons
    PARKED = "parked"  # "not now": kept with a reason and a date to revisit


class Step(IntEnum):
    """Steps completed in the scale-up process; NONE before or outside it."""

    NONE = 0
    EFFECT_GOAL_REVIEWED = 1
    RESULTS_SUMMARISED = 2
    DECISION_BASIS_READY = 3
    DECIDED = 4


class Origin(StrEnum):
    """What started the pilot."""

    IDEA_DRIVEN = "idea_driven"
    CHALLENGE_DRIVEN = "challenge_driven"
    OPPORTUNITY_DRIVEN = "opportunity_driven"


# Moves a user may make by hand; the scale-up steps and the decision have their own
# rules (gates) and are not listed here.
_MANUAL_MOVES: dict[Phase, frozenset[Phase]] = {
    Phase.IDEA: frozenset({Phase.TEST, Phase.PARKED, Phase.CLOSED}),
    Phase.TEST: frozenset({Phase.SCALE_UP, Phase.PARKED, Phase.CLOSED}),
    Phase.SCALE_UP: frozenset({Phase.TEST, Phase.PARKED}),
    Phase.IMPLEMENTATION: frozenset({Phase.CLOSED}),
    Phase.CLOSED: frozenset(),
    Phase.PARKED: frozenset({Phase.IDEA, Phase.TEST, Phase.SCALE_UP, Phase.CLOSED}),
}


def allowed_moves(phase: Phase) -> list[Phase]:
    """The phases a pilot in `phase` may be moved to by hand, in lifecycle order."""
    order = list(Phase)
    return sorted(_MANUAL_MOVES[Phase(phase)], key=order.index)


class TransitionError(ValueError):
    """A move that the lifecycle does not allow."""


def check_move(current: Phase, target: Phase, *, comment: str) -> None:
    """Raise TransitionError unless `current` → `target` is allowed with this comment.

    Parking and closing need a reason: the portfolio keeps why a pilot stopped.
    """
    if Phase(target) not in _MANUAL_MOVES[Phase(current)]:
        raise TransitionError("not_allowed")
    if Phase(target) in (Phase.PARKED, Phase.CLOSED) and not comment.strip():
        raise TransitionError("reason_required")


def step_after_move(current: Phase, target: Phase, step: int) -> int:
    """The scale-up step a pilot keeps after a manual move.

    Parking and closing keep the stage reached (a stopped pilot keeps it, DESIGN §3), and
    a parked pilot taken up again in the scale-up process resumes there; going back to idea
    or test, or entering scale-up from test, starts the steps afresh.
    """
    current, target = Phase(current), Phase(target)
    if target in (Phase.PARKED, Phase.CLOSED):
        return step
    if target is Phase.SCALE_UP and current is Phase.PARKED:
        return step
    return Step.NONE


def format_code(year: int, number: int) -> str:
    """A pilot's code, e.g. INN-2024-007."""
    return f"INN-{year}-{number:03d}"


def check_test_started(target: Phase, test_start: dt.date | None, today: dt.date) -> None:
    """Raise TransitionError("test_not_started") for a move into the scale-up process before the
    test has begun: the process summarises a test's results, so there must have been a test."""
    if Phase(target) is Phase.SCALE_UP and (test_start is None or test_start > today):
        raise TransitionError("test_not_started")


def check_move_details(target: Phase, *, revisit_on: dt.date | None, lessons_learned: str,
                       today: dt.date) -> None:
    """Raise TransitionError unless a move to parked or closed carries what DESIGN §3 keeps:
    a parked pilot has a date to revisit it, after the day it is parked; a stopped pilot keeps
    its lessons learned."""
    target = Phase(target)
    if target is Phase.PARKED:
        if revisit_on is None:
            raise TransitionError("revisit_required")
        if revisit_on <= today:
            raise TransitionError("revisit_not_after_move")
    if target is Phase.CLOSED and not lessons_learned.strip():
        raise TransitionError("lessons_required")
