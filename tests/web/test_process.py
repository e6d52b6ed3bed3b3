"""The scale-up process on the pilot page, the decision form and the decisions register."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import Decision
from portfolio.services import papers, process
from tests.conftest import login
from tests.factories import PASSWORD, make_pilot
from tests.process_scenario import decision_data, fast_papers, pilot_in_scale_up, take_steps  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_papers")


@pytest.fixture
def leader(people):
    return people[Role.INNOVATION_LEADER]


@pytest.fixture
def manager(people):
    return people[Role.MANAGEMENT]


def _decision_form(db, pilot, **changes):
    form = {
        "outcome": "scale_up", "decision_text": "Förvaltningschefen beslutar att lösningen införs.",
        "decision_maker": "Anna Andersson", "presenter": "Ida Innovationsledare",
        "body": "Ledningsgruppen 2026-12-08, punkt 1", "decided_on": "2026-12-08", "case_number": "SFF 2026/123",
        "kind": "delegation", "delegation_reference": "Punkt 1.4", "conditions": "", "paper_version_id": str(papers.latest(db, pilot).id),
        "password": PASSWORD,
    }
    form.update(changes)
    return form


def test_the_pilot_page_lists_what_is_missing_with_links_and_disables_the_button(client, db, leader):
    pilot = make_pilot(db, leader=leader, phase=Phase.SCALE_UP)
    db.commit()
    login(client, leader)
    page = client.get(f"/pilots/{pilot.code}").get_data(as_text=True)
    assert "Uppskalningsprocessen" in page and "govuk-task-list" in page
    assert "Lägg till minst ett effektmål." in page
    assert f'href="/pilots/{pilot.code}/effects"' in page
    assert 'disabled aria-disabled="true"' in page


def test_the_leader_completes_step_1_with_a_review_comment(client, db, leader):
    pilot = pilot_in_scale_up(db, leader)
    db.commit()
    login(client, leader)

    refused = client.post(f"/pilots/{pilot.code}/process/complete", data={"step": "1", "review_comment": " "})
    assert refused.status_code == 422
    assert "Skriv en kommentar om granskningen av effektmålet." in refused.get_data(as_text=True)

    done = client.post(f"/pilots/{pilot.code}/process/complete",
                       data={"step": "1", "review_comment": "Granskat med rektorerna."})
    assert done.status_code == 302
    db.refresh(pilot)
    assert pilot.step == Step.EFFECT_GOAL_REVIEWED and pilot.review_comment == "Granskat med rektorerna."
    assert "Granskat med rektorerna." in client.get(f"/pilots/{pilot.code}").get_data(as_text=True)


def test_a_step_with_something_missing_is_refused_with_409_and_the_list(client, db, leader):
    pilot = make_pilot(db, leader=leader, phase=Phase.SCALE_UP)
    db.commit()
    login(client, leader)
    response = client.post(f"/pilots/{pilot.code}/process/complete", data={"step": "1", "review_comment": "Ok"})
    assert response.status_code == 409
    assert "Lägg till minst ett effektmål." in response.get_data(as_text=True)
    db.refresh(pilot)
    assert pilot.step == 0


@pytest.mark.parametrize("data", [{"step": "3"}, {"step": "x"}, {"step": "9"}])
def test_out_of_order_or_nonsense_steps_are_refused_without_a_500(client, db, leader, data):
    pilot = pilot_in_scale_up(db, leader)
    db.commit()
    login(client, leader)
    assert client.post(f"/pilots/{pilot.code}/process/complete", data=data).status_code in (409, 422)


def test_only_the_pilots_leader_moves_it_through_the_steps(client, db, leader, people):
    pilot = pilot_in_scale_up(db, leader)
    db.commit()
    login(client, people[Role.FINANCE])
    assert client.post(f"/pilots/{pilot.code}/process/complete",
                       data={"step": "1", "review_comment": "x"}).status_code == 403


def test_a_completed_step_is_reopened_with_a_comment(client, db, leader):
    pilot = pilot_in_scale_up(db, leader)
    take_steps(db, pilot, leader, to=2)
    db.commit()
    login(client, leader)
    assert client.post(f"/pilots/{pilot.code}/process/reopen", data={"step": "2", "comment": ""}).status_code == 422
    assert client.post(f"/pilots/{pilot.code}/process/reopen",
                       data={"step": "2", "comment": "Nya mätvärden"}).status_code == 302
    db.refresh(pilot)
    assert pilot.step == Step.EFFECT_GOAL_REVIEWED


def test_the_management_group_decides_with_the_password_and_the_decision_is_in_the_register(client, db, leader,
                                                                                             manager):
    pilot = pilot_in_scale_up(db, leader)
    take_steps(db, pilot, leader, to=3)
    db.commit()
    login(client, manager)
    page = client.get(f"/pilots/{pilot.code}/decision")
    assert page.status_code == 200 and 'name="password"' in page.get_data(as_text=True)

    wrong = client.post(f"/pilots/{pilot.code}/decision", data=_decision_form(db, pilot, password="fel lösenord"))
    assert wrong.status_code == 422 and "Fel lösenord. Ange lösenordet du loggar in med." in wrong.get_data(as_text=True)
    missing = client.post(f"/pilots/{pilot.code}/decision", data=_decision_form(db, pilot, outcome="park"))
    assert missing.status_code == 422 and "Ange när piloten ska tas upp igen." in missing.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Decision)) == 0

    done = client.post(f"/pilots/{pilot.code}/decision", data=_decision_form(db, pilot))
    assert done.status_code == 302
    db.refresh(pilot)
    assert (pilot.phase, pilot.step) == (Phase.IMPLEMENTATION, Step.DECIDED)

    again = client.post(f"/pilots/{pilot.code}/decision", data=_decision_form(db, pilot))
    assert again.status_code == 409

    register = client.get("/decisions").get_data(as_text=True)
    assert pilot.code in register and "SFF 2026/123" in register and "Skala upp" in register
    assert pilot.code not in client.get("/decisions?outcome=stop").get_data(as_text=True)
    assert pilot.code not in client.get("/decisions?year=2025").get_data(as_text=True)
    assert pilot.code in client.get("/decisions?year=2026&outcome=scale_up").get_data(as_text=True)
    assert client.get("/decisions?year=abc&outcome=nonsense").status_code == 200


def test_a_stale_paper_version_is_refused_with_409(client, db, leader, manager):
    pilot = pilot_in_scale_up(db, leader)
    take_steps(db, pilot, leader, to=3)
    db.commit()
    stale = _decision_form(db, pilot, paper_version_id=str(papers.latest(db, pilot).id - 1))
    login(client, manager)
    assert client.post(f"/pilots/{pilot.code}/decision", data=stale).status_code == 409


def test_the_leader_writes_the_plan_and_it_is_read_only_after_the_decision(client, db, leader, manager, people):
    pilot = make_pilot(db, leader=leader, phase=Phase.SCALE_UP)
    db.commit()
    login(client, leader)
    assert client.post(f"/pilots/{pilot.code}/plan/basics",
                       data={"basics-target_groups": "Pedagoger", "basics-children_use_solution": "yes"}).status_code == 302
    assert client.post(f"/pilots/{pilot.code}/plan/milestones", data={"milestone-due_on": "2027-08-15", "milestone-title": ""}).status_code == 422
    assert client.post(f"/pilots/{pilot.code}/plan/milestones",
                       data={"milestone-due_on": "2027-08-15", "milestone-title": "Utbildning"}).status_code == 302
    assert client.post(f"/pilots/{pilot.code}/plan/checkpoints",
                       data={"checkpoint-checkpoint": "accessibility", "checkpoint-status": "not_needed"}).status_code == 422
    assert client.post(f"/pilots/{pilot.code}/plan/owners",
                       data={"owner-responsibility": "manage", "owner-level": "city", "owner-owner": "Stadens IT"}).status_code == 302
    page = client.get(f"/pilots/{pilot.code}/plan").get_data(as_text=True)
    assert "Utbildning" in page and "Stadens IT" in page and "Pedagoger" in page

    decided = pilot_in_scale_up(db, leader)
    take_steps(db, decided, leader, to=3)
    process.record_decision(db, decided, decision_data(db, decided), manager)
    db.commit()
    response = client.post(f"/pilots/{decided.code}/plan/risks", data={"risk-description": "Ny risk"})
    assert response.status_code == 302
    assert "kan inte längre ändras" in client.get(response.location).get_data(as_text=True)
    assert 'action="/pilots/%s/plan/risks"' % decided.code not in client.get(f"/pilots/{decided.code}/plan").get_data(as_text=True)


def test_after_the_decision_step_4_lists_its_requirement_as_met(client, db, leader, manager):
    """The decision archives a copy of the paper, which is then the newest one: step 4's checklist still
    says that the decision was taken on a final paper, rather than asking for a new one."""
    pilot = pilot_in_scale_up(db, leader)
    take_steps(db, pilot, leader, to=3)
    process.record_decision(db, pilot, decision_data(db, pilot), manager)
    db.commit()
    assert papers.latest(db, pilot).is_decision_copy
    login(client, leader)
    page = client.get(f"/pilots/{pilot.code}").get_data(as_text=True)
    step_4 = page[page.index('id="step-4"'):]
    checklist = step_4[step_4.index('aria-label="Krav för steg 4"'):step_4.index("</ul>")]
    assert "Beslutsunderlaget är slutligt (inte ett utkast)" in checklist
    assert "Saknas" not in checklist and "Klart" in checklist
    assert "Saknas" not in page[page.index('id="step-1"'):page.index('id="step-4"')]
