"""The pilot register's use cases: codes, phases, history, audit, search (services.pilots)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portfolio.domain.lifecycle import Origin, Phase, Step, TransitionError
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, Goal, GoalFramework, PhaseTransition, Pilot
from portfolio.services import pilots
from portfolio.services.pilots import PilotData, PilotFilters, PilotInputError

from tests.factories import make_pilot, make_unit, make_user

TODAY = dt.date(2026, 3, 10)


def make_goal(session, name="Digitalt först", framework="Digitaliseringsstrategin", *, active=True,
              framework_active=True) -> Goal:
    found = session.scalar(select(GoalFramework).where(GoalFramework.name == framework))
    if found is None:
        found = GoalFramework(name=framework, active=framework_active)
        session.add(found)
    goal = Goal(framework=found, name=name, active=active)
    session.add(goal)
    session.flush()
    return goal


def data(**fields) -> PilotData:
    values = dict(title="Laiban i förskolan", origin=Origin.IDEA_DRIVEN, need="Tid för rutinfrågor")
    values.update(fields)
    return PilotData(**values)


def audit_entries(session, action=None) -> list[AuditEntry]:
    statement = select(AuditEntry).order_by(AuditEntry.id)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return list(session.scalars(statement))


@pytest.fixture
def leader(db):
    return make_user(db, roles=[Role.INNOVATION_LEADER], name="Lea Ledare")


# --- create ---------------------------------------------------------------------------------------


def test_creator_becomes_leader_and_first_code_of_the_year_is_001(db, leader):
    pilot = pilots.create_pilot(db, data(), leader, today=TODAY)
    assert pilot.code == "INN-2026-001"
    assert pilot.innovation_leader_id == leader.id
    assert pilot.phase is Phase.IDEA and pilot.step == Step.NONE


def test_codes_count_on_from_the_highest_number_of_the_same_year(db, leader):
    make_pilot(db, code="INN-2026-007")
    make_pilot(db, code="INN-2026-003")
    make_pilot(db, code="INN-2025-041")
    assert pilots.create_pilot(db, data(), leader, today=TODAY).code == "INN-2026-008"
    assert pilots.create_pilot(db, data(), leader, today=TODAY).code == "INN-2026-009"
    assert pilots.create_pilot(db, data(), leader, today=dt.date(2027, 1, 1)).code == "INN-2027-001"


def test_a_year_with_more_than_999_pilots_keeps_counting(db, leader):
    make_pilot(db, code="INN-2026-999")
    assert pilots.create_pilot(db, data(), leader, today=TODAY).code == "INN-2026-1000"
    assert pilots.create_pilot(db, data(), leader, today=TODAY).code == "INN-2026-1001"


def test_a_code_taken_at_the_same_moment_is_skipped(db, leader, monkeypatch):
    make_pilot(db, code="INN-2026-001")
    real_next_code = pilots.next_code
    calls = []

    def stale_next_code(session, year):
        # The first answer is what a concurrent request saw before the other pilot was saved.
        calls.append(year)
        return "INN-2026-001" if len(calls) == 1 else real_next_code(session, year)

    monkeypatch.setattr(pilots, "next_code", stale_next_code)
    pilot = pilots.create_pilot(db, data(), leader, today=TODAY)
    db.commit()
    assert pilot.code == "INN-2026-002"
    assert len(calls) == 2
    assert db.scalar(select(func.count(Pilot.id))) == 2
    assert len(audit_entries(db, "create")) == 1


def test_a_pilot_with_a_test_start_begins_in_test_and_the_first_phase_is_recorded(db, leader):
    pilot = pilots.create_pilot(db, data(test_start=dt.date(2026, 4, 1), test_end=dt.date(2026, 12, 1)), leader,
                                today=TODAY)
    db.commit()
    assert pilot.phase is Phase.TEST
    [transition] = db.scalars(select(PhaseTransition).where(PhaseTransition.pilot_id == pilot.id)).all()
    assert transition.from_phase is None and transition.to_phase is Phase.TEST
    assert transition.actor_id == leader.id


def test_create_writes_an_audit_entry_with_what_was_registered(db, leader):
    unit = make_unit(db, name="Förskolan Solen")
    goal = make_goal(db)
    pilot = pilots.create_pilot(db, data(unit_id=unit.id, goal_ids=frozenset({goal.id})), leader, today=TODAY)
    [entry] = audit_entries(db, "create")
    assert (entry.entity, entry.entity_id, entry.pilot_id, entry.actor_id) == ("pilot", pilot.id, pilot.id, leader.id)
    assert entry.after["code"] == "INN-2026-001"
    assert entry.after["title"] == "Laiban i förskolan"
    assert entry.after["unit_id"] == unit.id and entry.after["goal_ids"] == [goal.id]
    assert entry.after["innovation_leader_id"] == leader.id


def test_pilot_and_audit_entry_live_and_die_in_one_transaction(db, leader):
    pilots.create_pilot(db, data(), leader, today=TODAY)
    db.rollback()  # what happens when the request fails after the service ran
    assert db.scalar(select(func.count(Pilot.id))) == 0
    assert db.scalar(select(func.count(PhaseTransition.id))) == 0
    assert audit_entries(db) == []


def test_text_is_trimmed(db, leader):
    pilot = pilots.create_pilot(db, data(title="  Laiban  ", idea_bearer=" Förskolan Solen "), leader, today=TODAY)
    assert pilot.title == "Laiban" and pilot.idea_bearer == "Förskolan Solen"


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"title": "   "}, "title", "required"),
        ({"test_start": dt.date(2026, 5, 1), "test_end": dt.date(2026, 4, 30)}, "test_end", "end_before_start"),
        ({"unit_id": 9999}, "unit", "unknown_unit"),
        ({"goal_ids": frozenset({9999})}, "goals", "unknown_goal"),
    ],
)
def test_refused_input_saves_nothing(db, leader, fields, field, reason):
    with pytest.raises(PilotInputError) as refused:
        pilots.create_pilot(db, data(**fields), leader, today=TODAY)
    assert (refused.value.field, refused.value.reason) == (field, reason)
    assert db.scalar(select(func.count(Pilot.id))) == 0
    assert audit_entries(db) == []


def test_retired_units_and_goals_are_not_offered_to_new_pilots(db, leader):
    retired_unit = make_unit(db)
    retired_unit.active = False
    retired_goal = make_goal(db, "Gammalt mål", active=False)
    goal_of_retired_framework = make_goal(db, "Mål", framework="Gammal plan", framework_active=False)
    with pytest.raises(PilotInputError):
        pilots.create_pilot(db, data(unit_id=retired_unit.id), leader, today=TODAY)
    for goal in (retired_goal, goal_of_retired_framework):
        with pytest.raises(PilotInputError):
            pilots.create_pilot(db, data(goal_ids=frozenset({goal.id})), leader, today=TODAY)
    units, goals = pilots.form_options(db)
    assert retired_unit not in units
    assert retired_goal not in goals and goal_of_retired_framework not in goals


# --- update ---------------------------------------------------------------------------------------


def test_update_audits_only_the_changed_fields(db, leader):
    goal = make_goal(db)
    pilot = pilots.create_pilot(db, data(), leader, today=TODAY)
    changed = pilots.update_pilot(db, pilot, data(title="Laiban 2", goal_ids=frozenset({goal.id})), leader)
    assert changed
    [entry] = audit_entries(db, "update")
    assert entry.before == {"title": "Laiban i förskolan", "goal_ids": []}
    assert entry.after == {"title": "Laiban 2", "goal_ids": [goal.id]}
    assert [g.id for g in pilot.goals] == [goal.id]


def test_an_edit_that_changes_nothing_writes_no_audit_entry(db, leader):
    pilot = pilots.create_pilot(db, data(), leader, today=TODAY)
    assert pilots.update_pilot(db, pilot, data(title=" Laiban i förskolan "), leader) is False
    assert audit_entries(db, "update") == []


def test_an_edit_keeps_a_unit_and_goal_that_were_retired_since(db, leader):
    unit = make_unit(db)
    goal = make_goal(db)
    pilot = pilots.create_pilot(db, data(unit_id=unit.id, goal_ids=frozenset({goal.id})), leader, today=TODAY)
    unit.active = goal.active = False
    db.flush()
    units, goals = pilots.form_options(db, pilot)
    assert unit in units and goal in goals
    assert pilots.update_pilot(db, pilot, data(title="Nytt namn", unit_id=unit.id, goal_ids=frozenset({goal.id})),
                               leader)
    assert pilot.unit_id == unit.id and pilot.goals == [goal]


def test_goal_only_edit_counts_as_a_change(db, leader):
    goal = make_goal(db)
    pilot = pilots.create_pilot(db, data(), leader, today=TODAY)
    pilot.updated_at = dt.datetime(2020, 1, 1)
    db.commit()
    assert pilots.update_pilot(db, pilot, data(goal_ids=frozenset({goal.id})), leader)
    assert pilot.updated_at > dt.datetime(2020, 1, 1)  # "last changed" in the register moves
    assert audit_entries(db, "update")[0].after == {"goal_ids": [goal.id]}


# --- phase moves ----------------------------------------------------------------------------------


def test_parking_needs_a_reason_and_is_recorded_with_it(db, leader):
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    with pytest.raises(TransitionError, match="reason_required"):
        pilots.move_phase(db, pilot, Phase.PARKED, "   ", leader)
    assert pilot.phase is Phase.TEST
    with pytest.raises(TransitionError, match="revisit_required"):
        pilots.move_phase(db, pilot, Phase.PARKED, "Ingen budget i år", leader)
    with pytest.raises(TransitionError, match="revisit_not_after_move"):
        pilots.move_phase(db, pilot, Phase.PARKED, "Ingen budget i år", leader, revisit_on=pilots.local_today())
    assert pilot.phase is Phase.TEST and pilot.revisit_on is None
    revisit = pilots.local_today() + dt.timedelta(days=45)
    transition = pilots.move_phase(db, pilot, Phase.PARKED, "Ingen budget i år; tas upp igen 2027-01", leader,
                                   revisit_on=revisit)
    db.commit()
    assert pilot.phase is Phase.PARKED and pilot.revisit_on == revisit
    assert (transition.from_phase, transition.to_phase) == (Phase.TEST, Phase.PARKED)
    assert transition.comment == "Ingen budget i år; tas upp igen 2027-01"
    assert transition.actor_id == leader.id
    [entry] = audit_entries(db, "move_phase")
    assert entry.before == {"phase": "test", "revisit_on": None, "comment": None}
    assert entry.after == {"phase": "parked", "revisit_on": revisit.isoformat(),
                           "comment": "Ingen budget i år; tas upp igen 2027-01"}


def test_closing_keeps_the_lessons_learned(db, leader):
    pilot = make_pilot(db, leader=leader, phase=Phase.TEST)
    with pytest.raises(TransitionError, match="lessons_required"):
        pilots.move_phase(db, pilot, Phase.CLOSED, "Leverantören lade ned tjänsten", leader, lessons_learned="  ")
    assert pilot.phase is Phase.TEST
    pilots.move_phase(db, pilot, Phase.CLOSED, "Leverantören lade ned tjänsten", leader,
                      lessons_learned="Avtala om export av data från början.")
    assert pilot.phase is Phase.CLOSED
    assert pilot.lessons_learned == "Avtala om export av data från början."
    [entry] = audit_entries(db, "move_phase")
    assert entry.after["lessons_learned"] == "Avtala om export av data från början."


def test_a_move_the_lifecycle_does_not_allow_is_refused(db, leader):
    pilot = make_pilot(db, leader=leader, phase=Phase.IDEA)
    with pytest.raises(TransitionError, match="not_allowed"):
        pilots.move_phase(db, pilot, Phase.IMPLEMENTATION, "", leader)
    closed = make_pilot(db, leader=leader, phase=Phase.CLOSED)
    with pytest.raises(TransitionError):
        pilots.move_phase(db, closed, Phase.TEST, "Ett nytt försök", leader)
    assert db.scalar(select(func.count(PhaseTransition.id))) == 0
    assert audit_entries(db) == []


def test_a_parked_pilot_resumes_the_scale_up_step_it_reached(db, leader):
    pilot = make_pilot(db, leader=leader, phase=Phase.SCALE_UP, step=Step.RESULTS_SUMMARISED)
    pilots.move_phase(db, pilot, Phase.PARKED, "Väntar på upphandling", leader,
                      revisit_on=pilots.local_today() + dt.timedelta(days=30))
    assert pilot.step == Step.RESULTS_SUMMARISED  # the stage reached is kept
    pilots.move_phase(db, pilot, Phase.SCALE_UP, "", leader)
    assert (pilot.phase, pilot.step) == (Phase.SCALE_UP, Step.RESULTS_SUMMARISED)
    pilots.move_phase(db, pilot, Phase.TEST, "Testa vidare", leader)
    assert (pilot.phase, pilot.step) == (Phase.TEST, Step.NONE)
    assert [(t.from_step, t.to_step) for t in pilot.transitions] == [(2, 2), (2, 2), (2, 0)]


# --- reassign ------------------------------------------------------------------------------------


def test_admin_reassigns_to_another_active_innovation_leader(db, leader):
    admin = make_user(db, roles=[Role.ADMIN])
    other = make_user(db, roles=[Role.INNOVATION_LEADER])
    pilot = make_pilot(db, leader=leader)
    assert pilots.reassign_leader(db, pilot, other.id, admin)
    assert pilot.innovation_leader_id == other.id
    [entry] = audit_entries(db, "reassign_leader")
    assert entry.actor_id == admin.id
    assert (entry.before, entry.after) == ({"innovation_leader_id": leader.id}, {"innovation_leader_id": other.id})
    assert pilots.reassign_leader(db, pilot, other.id, admin) is False  # already theirs: nothing to log
    assert len(audit_entries(db, "reassign_leader")) == 1


def test_only_active_innovation_leaders_can_be_made_responsible(db, leader):
    admin = make_user(db, roles=[Role.ADMIN])
    viewer = make_user(db, roles=[Role.VIEWER])
    gone = make_user(db, roles=[Role.INNOVATION_LEADER], active=False)
    pilot = make_pilot(db, leader=leader)
    for user_id in (viewer.id, gone.id, 9999):
        with pytest.raises(pilots.NotAnInnovationLeaderError):
            pilots.reassign_leader(db, pilot, user_id, admin)
    assert pilot.innovation_leader_id == leader.id
    assert pilots.innovation_leaders(db) == [leader]


# --- the register ---------------------------------------------------------------------------------


def codes(page) -> list[str]:
    return [pilot.code for pilot in page.items]


def test_search_looks_in_code_title_need_description_and_idea_bearer(db):
    make_pilot(db, code="INN-2026-001", title="Laiban", need="", description="", idea_bearer="")
    make_pilot(db, code="INN-2026-002", title="AI-stöd", need="Lärare lägger tid på LAIBAN-frågor", description="",
               idea_bearer="")
    make_pilot(db, code="INN-2026-003", title="Närvaro", need="", description="Ersätter laiban", idea_bearer="")
    make_pilot(db, code="INN-2026-004", title="Skolskjuts", need="", description="", idea_bearer="Laibanskolan")
    make_pilot(db, code="INN-2026-005", title="Annat", need="", description="", idea_bearer="")
    assert codes(pilots.list_pilots(db, PilotFilters(text="laiban"))) == [
        "INN-2026-001", "INN-2026-002", "INN-2026-003", "INN-2026-004"
    ]
    assert codes(pilots.list_pilots(db, PilotFilters(text="2026-005"))) == ["INN-2026-005"]
    # every word must match somewhere
    assert codes(pilots.list_pilots(db, PilotFilters(text="laiban ersätter"))) == ["INN-2026-003"]


def test_search_treats_wildcards_as_plain_characters(db):
    make_pilot(db, code="INN-2026-001", title="100% digitalt")
    make_pilot(db, code="INN-2026-002", title="1000 digitala")
    assert codes(pilots.list_pilots(db, PilotFilters(text="100%"))) == ["INN-2026-001"]
    assert codes(pilots.list_pilots(db, PilotFilters(text="_"))) == []


def test_filters_by_phase_unit_origin_and_goal(db):
    unit = make_unit(db)
    goal = make_goal(db)
    match = make_pilot(db, phase=Phase.SCALE_UP, unit=unit, origin=Origin.CHALLENGE_DRIVEN)
    match.goals = [goal]
    make_pilot(db, phase=Phase.TEST, unit=unit, origin=Origin.CHALLENGE_DRIVEN).goals = [goal]
    make_pilot(db, phase=Phase.SCALE_UP, origin=Origin.CHALLENGE_DRIVEN).goals = [goal]
    make_pilot(db, phase=Phase.SCALE_UP, unit=unit, origin=Origin.IDEA_DRIVEN).goals = [goal]
    make_pilot(db, phase=Phase.SCALE_UP, unit=unit, origin=Origin.CHALLENGE_DRIVEN)
    db.flush()
    page = pilots.list_pilots(db, PilotFilters(phase=Phase.SCALE_UP, unit_id=unit.id,
                                               origin=Origin.CHALLENGE_DRIVEN, goal_id=goal.id))
    assert codes(page) == [match.code] and page.total == 1
    assert pilots.list_pilots(db, PilotFilters(goal_id=goal.id)).total == 4


def test_sorting_by_phase_follows_the_lifecycle_then_the_step(db):
    make_pilot(db, code="INN-2026-001", phase=Phase.PARKED)
    make_pilot(db, code="INN-2026-002", phase=Phase.SCALE_UP, step=2)
    make_pilot(db, code="INN-2026-003", phase=Phase.IDEA)
    make_pilot(db, code="INN-2026-004", phase=Phase.SCALE_UP, step=1)
    make_pilot(db, code="INN-2026-005", phase=Phase.TEST)
    assert codes(pilots.list_pilots(db, PilotFilters(sort="phase"))) == [
        "INN-2026-003", "INN-2026-005", "INN-2026-004", "INN-2026-002", "INN-2026-001"
    ]
    assert codes(pilots.list_pilots(db, PilotFilters(sort="phase", descending=True)))[0] == "INN-2026-001"


def test_sorting_by_unit_puts_pilots_without_a_unit_last_either_way(db):
    make_pilot(db, code="INN-2026-001")
    make_pilot(db, code="INN-2026-002", unit=make_unit(db, name="Björkskolan"))
    make_pilot(db, code="INN-2026-003", unit=make_unit(db, name="Askskolan"))
    assert codes(pilots.list_pilots(db, PilotFilters(sort="unit"))) == ["INN-2026-003", "INN-2026-002", "INN-2026-001"]
    assert codes(pilots.list_pilots(db, PilotFilters(sort="unit", descending=True))) == [
        "INN-2026-002", "INN-2026-003", "INN-2026-001"
    ]


def test_sorting_by_title_code_and_last_change(db):
    make_pilot(db, code="INN-2026-001", title="Bravo", updated_at=dt.datetime(2026, 2, 1))
    make_pilot(db, code="INN-2026-002", title="Alfa", updated_at=dt.datetime(2026, 3, 1))
    make_pilot(db, code="INN-2026-003", title="Charlie", updated_at=dt.datetime(2026, 1, 1))
    assert codes(pilots.list_pilots(db, PilotFilters(sort="title"))) == ["INN-2026-002", "INN-2026-001", "INN-2026-003"]
    assert codes(pilots.list_pilots(db, PilotFilters(sort="code", descending=True))) == [
        "INN-2026-003", "INN-2026-002", "INN-2026-001"
    ]
    assert codes(pilots.list_pilots(db, PilotFilters(sort="updated", descending=True))) == [
        "INN-2026-002", "INN-2026-001", "INN-2026-003"
    ]


def test_pages_split_the_hits_and_an_out_of_range_page_shows_the_last(db):
    for n in range(1, 8):
        make_pilot(db, code=f"INN-2026-{n:03d}")
    first = pilots.list_pilots(db, PilotFilters(), page=1, per_page=3)
    assert (first.total, first.pages, first.number, codes(first)) == (7, 3, 1, ["INN-2026-001", "INN-2026-002",
                                                                               "INN-2026-003"])
    last = pilots.list_pilots(db, PilotFilters(), page=99, per_page=3)
    assert (last.number, codes(last)) == (3, ["INN-2026-007"])
    assert pilots.list_pilots(db, PilotFilters(), page=-4, per_page=3).number == 1
    empty = pilots.list_pilots(db, PilotFilters(text="finns inte"), per_page=3)
    assert (empty.total, empty.pages, empty.items) == (0, 1, [])
