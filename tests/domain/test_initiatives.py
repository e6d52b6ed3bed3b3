"""Challenges' moves and overlapping initiatives (DESIGN §9), as pure rules."""

from __future__ import annotations

import datetime as dt

import pytest

from portfolio.domain.initiatives import (
    ChallengeError,
    ChallengeStatus,
    InitiativeKind,
    InitiativeRow,
    check_close,
    check_start_pilot,
    check_take,
    find_overlaps,
    target_group_set,
)

D = dt.date
INNOVATION, DIGITAL = InitiativeKind.INNOVATION, InitiativeKind.DIGITALISATION


def row(id, start="2025-01-01", end="2025-12-31", *, kind=INNOVATION, unit=None, goals=(), groups="", active=True):
    return InitiativeRow(id=id, kind=kind, start=D.fromisoformat(start) if start else None,
                         end=D.fromisoformat(end) if end else None, unit_id=unit, goal_ids=frozenset(goals),
                         target_groups=target_group_set(groups), active=active)


def test_target_groups_compare_without_case_and_spacing():
    assert target_group_set("Pedagoger i förskolan,  vårdnadshavare;Barn\n") == {
        "pedagoger i förskolan", "vårdnadshavare", "barn"}


def test_a_shared_target_group_in_the_same_period_is_an_overlap_naming_what_is_shared():
    [overlap] = find_overlaps([
        row(1, groups="Barn 3–5 år, Pedagoger i förskolan"),
        row(2, "2025-06-01", None, kind=DIGITAL, groups="pedagoger i förskolan, vårdnadshavare"),
    ])
    assert overlap.pair == (1, 2)
    assert overlap.shared_target_groups == ("pedagoger i förskolan",)
    assert overlap.mixed_kinds


@pytest.mark.parametrize("second", [
    row(2, "2026-01-01", "2026-06-30", unit=7),  # after the first has ended
    row(2, None, None, unit=7),  # not started
    row(2, unit=7, active=False),  # closed or parked
    row(2, unit=8, goals=(3,), groups="Elever"),  # shares nothing
])
def test_no_overlap_without_both_something_shared_and_time_together(second):
    assert find_overlaps([row(1, unit=7, goals=(4,), groups="Lärare"), second]) == []


def test_a_unit_or_a_strategic_goal_alone_is_enough_and_each_pair_is_found_once():
    overlaps = find_overlaps([row(3, unit=7, goals=(1,)), row(1, unit=7, goals=(1,)), row(2, goals=(1,))])
    assert [o.pair for o in overlaps] == [(1, 2), (1, 3), (2, 3)]
    assert next(o for o in overlaps if o.pair == (1, 3)).shared_unit_id == 7


def test_an_initiative_without_an_end_runs_on():
    assert find_overlaps([row(1, "2020-01-01", None, unit=1), row(2, "2030-01-01", "2030-02-01", unit=1)])


def test_challenge_moves():
    check_take(ChallengeStatus.OPEN)
    check_start_pilot(ChallengeStatus.TAKEN)
    check_close(ChallengeStatus.OPEN, "Löses på annat sätt")
    for refused, code in ((lambda: check_take(ChallengeStatus.TAKEN), "not_open"),
                          (lambda: check_start_pilot(ChallengeStatus.PILOT_STARTED), "not_startable"),
                          (lambda: check_close(ChallengeStatus.CLOSED, "x"), "not_closable"),
                          (lambda: check_close(ChallengeStatus.TAKEN, "  "), "reason_required")):
        with pytest.raises(ChallengeError) as error:
            refused()
        assert error.value.code == code


def test_the_overlaps_of_one_initiative_are_those_of_all_that_involve_it():
    rows = [row(1, unit=7, goals=(1,)), row(2, goals=(1,)), row(3, unit=7), row(4, groups="Elever")]
    assert find_overlaps(rows, involving=3) == [o for o in find_overlaps(rows) if 3 in o.pair]
    assert [o.pair for o in find_overlaps(rows, involving=3)] == [(1, 3)]
