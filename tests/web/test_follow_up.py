"""The follow-up page and the roll-out tracker of a scaled-up pilot."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from portfolio.domain.economics import BenefitClass
from portfolio.domain.process import RolloutStatus
from portfolio.domain.roles import Role
from portfolio.models import (
    AuditEntry,
    BenefitOwner,
    FollowUp,
    HarvestDecision,
    ImplementationPlan,
    Measurement,
    MeasurementPhase,
    RolloutUnit,
)
from tests import factories
from tests.conftest import login
from tests.web.routes import csrf_token


@pytest.fixture
def scaled_up(db, people):
    """A scaled-up pilot led by the leader: one valued indicator, a follow-up measurement, three units."""
    leader, manager = people[Role.INNOVATION_LEADER], people[Role.MANAGEMENT]
    pilot = factories.make_pilot(db, leader=leader)
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, goal, value_per_unit=Decimal(10), annual_volume=Decimal(1000),
                                         benefit_class=BenefitClass.FINANCIAL)
    factories.make_measurement(db, indicator, value="50")
    decision = factories.make_decision(db, pilot, recorded_by=manager, decided_on=dt.date(2026, 6, 1))
    factories.make_follow_ups(db, pilot, decision, [dt.date(2026, 12, 1), dt.date(2027, 6, 1)])
    factories.make_measurement(db, indicator, value="45", measured_on=dt.date(2026, 11, 20),
                               phase=MeasurementPhase.FOLLOW_UP)
    plan = ImplementationPlan(pilot_id=pilot.id, target_groups="Pedagoger", children_use_solution=False)
    plan.rollout_units = [RolloutUnit(unit_id=factories.make_unit(db).id, status=RolloutStatus.IN_USE,
                                      in_use_from=dt.date(2026, 8, 1)),
                          *(RolloutUnit(unit_id=factories.make_unit(db).id, status=RolloutStatus.PLANNED)
                            for _ in range(2))]
    db.add(plan)
    db.commit()
    return pilot, goal, indicator


HARVEST = {"harvest-indicator": "", "harvest-kind": "budget_reduction", "harvest-amount": "100 000",
           "harvest-budget_line": "Förskolans förbrukningsmaterial", "harvest-budget_year": "2027",
           "harvest-owner": "Förskolechef Norr", "harvest-decided_on": "2026-12-08"}


def test_everyone_reads_the_schedule_statuses_and_the_three_amounts(client, login_as, scaled_up):
    pilot, _goal, _indicator = scaled_up
    login_as(Role.VIEWER)
    html = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert "2026-12-01" in html and "Klar" in html  # measured in its window
    assert "200\u00a0000\u00a0kr" in html and "150\u00a0000\u00a0kr" in html  # potential, realised
    assert "Registrera ett hemtagningsbeslut" not in html and "Ändra uppföljningsplanen" not in html
    assert "1 av 3 enheter i bruk" in html
    pilot_page = client.get(f"/pilots/{pilot.code}").get_data(as_text=True)
    assert f'href="/pilots/{pilot.code}/follow-up"' in pilot_page and f'href="/pilots/{pilot.code}/rollout"' in pilot_page


def test_a_pilot_never_scaled_up_has_no_follow_up(client, login_as, db):
    pilot = factories.make_pilot(db)
    db.commit()
    login_as(Role.VIEWER)
    assert client.get(f"/pilots/{pilot.code}/follow-up").status_code == 404


def test_the_management_group_records_a_harvest_decision_up_to_what_is_realised(client, login_as, db, scaled_up):
    pilot, _goal, indicator = scaled_up
    login_as(Role.MANAGEMENT)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    form = HARVEST | {"harvest-indicator": str(indicator.id), "csrf_token": csrf_token(page),
                      "harvest-amount": "150 000,01"}
    response = client.post(f"/pilots/{pilot.code}/follow-up/harvests", data=form)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "högst 150\u00a0000\u00a0kr per år" in html and 'value="150 000,01"' in html
    assert db.scalars(select(HarvestDecision)).all() == []

    response = client.post(f"/pilots/{pilot.code}/follow-up/harvests", data=form | {"harvest-amount": "100 000"})
    assert response.status_code == 302
    [harvest] = db.scalars(select(HarvestDecision)).all()
    assert (harvest.amount, harvest.budget_line, harvest.budget_year) == (100000, "Förskolans förbrukningsmaterial",
                                                                          2027)
    html = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert "Budgeten minskas" in html and "50\u00a0000\u00a0kr" in html  # the gap still shown


def test_the_management_group_changes_the_schedule(client, login_as, db, scaled_up):
    pilot, _goal, _indicator = scaled_up
    login_as(Role.MANAGEMENT)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "schedule-due_dates": "2026-12-01\n2028-06-01"}
    assert client.post(f"/pilots/{pilot.code}/follow-up/schedule", data=data).status_code == 302
    html = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert "2028-06-01" in html and "2027-06-01" not in html
    response = client.post(f"/pilots/{pilot.code}/follow-up/schedule",
                           data=data | {"schedule-due_dates": "2026-05-01\nsnart"})
    assert response.status_code == 422 and "snart går inte att läsa" in response.get_data(as_text=True)


def test_two_people_changing_the_schedule_at_once_cannot_lose_a_change(client, login_as, db, scaled_up):
    pilot, _goal, _indicator = scaled_up
    login_as(Role.MANAGEMENT)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    version = re.search(r'name="schedule-version"[^>]*value="(\d+)"', page).group(1)
    first = {"csrf_token": csrf_token(page), "schedule-version": version,
             "schedule-due_dates": "2026-12-01\n2028-06-01"}
    assert client.post(f"/pilots/{pilot.code}/follow-up/schedule", data=first).status_code == 302
    # The second person opened the form before the first saved: refused, with the stored dates shown.
    second = first | {"schedule-due_dates": "2026-12-01\n2027-09-01"}
    response = client.post(f"/pilots/{pilot.code}/follow-up/schedule", data=second)
    html = response.get_data(as_text=True)
    assert response.status_code == 409 and "Någon annan har ändrat detta" in html
    assert "2028-06-01" in html and "2027-09-01" in html  # what is stored beside what they wrote
    stored = db.scalars(select(FollowUp.due_on).where(FollowUp.pilot_id == pilot.id).order_by(FollowUp.due_on)).all()
    assert stored == [dt.date(2026, 12, 1), dt.date(2028, 6, 1)]
    # Saving again from the refused form is a deliberate choice, and works.
    newer = re.search(r'name="schedule-version"[^>]*value="(\d+)"', html).group(1)
    assert newer != version
    response = client.post(f"/pilots/{pilot.code}/follow-up/schedule", data=second | {"schedule-version": newer})
    assert response.status_code == 302
    stored = db.scalars(select(FollowUp.due_on).where(FollowUp.pilot_id == pilot.id).order_by(FollowUp.due_on)).all()
    assert stored == [dt.date(2026, 12, 1), dt.date(2027, 9, 1)]


def test_a_follow_up_measurement_from_the_follow_up_page_comes_back_to_it(client, login_as, db, scaled_up):
    pilot, _goal, indicator = scaled_up
    login_as(Role.INNOVATION_LEADER)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    link = f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new?back=follow-up"
    assert link.replace("&", "&amp;") in page
    form_page = client.get(link).get_data(as_text=True)
    response = client.post(link, data={"csrf_token": csrf_token(form_page), "measured_on": "2026-11-30",
                                       "value": "41", "phase": "follow_up", "comment": ""})
    assert response.headers["Location"].startswith(f"/pilots/{pilot.code}/follow-up")
    assert db.scalars(select(Measurement.value).where(Measurement.measured_on == dt.date(2026, 11, 30))).one() == 41


def test_the_leader_updates_the_roll_out_after_the_decision_and_others_may_not(client, login_as, db, scaled_up):
    pilot, _goal, _indicator = scaled_up
    row = db.scalars(select(RolloutUnit).where(RolloutUnit.status == RolloutStatus.PLANNED)).first()
    login_as(Role.INNOVATION_LEADER)
    page = client.get(f"/pilots/{pilot.code}/rollout").get_data(as_text=True)
    assert "1 av 3 enheter i bruk" in page
    prefix = f"unit-{row.id}-"
    data = {"csrf_token": csrf_token(page), prefix + "status": "in_use", prefix + "planned_start": "2026-09-01",
            prefix + "in_use_from": ""}
    response = client.post(f"/pilots/{pilot.code}/rollout/{row.id}", data=data)
    assert response.status_code == 422 and "Fyll i fältet" in response.get_data(as_text=True)
    response = client.post(f"/pilots/{pilot.code}/rollout/{row.id}", data=data | {prefix + "in_use_from": "2026-10-01"})
    assert response.status_code == 302
    assert "2 av 3 enheter i bruk" in client.get(f"/pilots/{pilot.code}/rollout").get_data(as_text=True)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "rollout_unit")).one()
    assert entry.after == {"in_use_from": "2026-10-01", "planned_start": "2026-09-01", "status": "in_use"}

    login_as(Role.MANAGEMENT)
    assert client.post(f"/pilots/{pilot.code}/rollout/{row.id}", data=data).status_code == 403


def _owner_form(page: str, goal, **fields) -> dict:
    prefix = f"owner-{goal.id}-"
    version = re.search(rf'name="{prefix}version"[^>]*value="([^"]*)"', page)
    return {"csrf_token": csrf_token(page), prefix + "version": version.group(1) if version else "",
            **{prefix + key: value for key, value in fields.items()}}


def test_the_management_group_chooses_the_benefit_owner_among_active_users_with_a_title(
        client, login_as, db, people, scaled_up):
    pilot, goal, _indicator = scaled_up
    rektor = factories.make_user(db, roles=[Role.VIEWER], name="Rut Rektor", email="rut@example.org")
    gone = factories.make_user(db, roles=[Role.VIEWER], name="Gösta Gången")
    gone.active = False
    db.commit()
    manager = login_as(Role.MANAGEMENT)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert f'<option value="{rektor.id}">Rut Rektor (rut@example.org)</option>' in page
    assert "Gösta Gången" not in page  # only active users are offered

    # No user chosen: a message by the field, the title typed kept.
    response = client.post(f"/pilots/{pilot.code}/follow-up/owners/{goal.id}",
                           data=_owner_form(page, goal, user="", name="rektor, Förskoleområde Norr"))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "Välj nyttoägaren." in html and 'value="rektor, Förskoleområde Norr"' in html

    response = client.post(f"/pilots/{pilot.code}/follow-up/owners/{goal.id}",
                           data=_owner_form(page, goal, user=str(rektor.id), name="rektor, Förskoleområde Norr"))
    assert response.status_code == 302
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert "<strong>Rut Rektor</strong>, rektor, Förskoleområde Norr" in page
    owner = db.scalars(select(BenefitOwner)).one()
    assert (owner.user_id, owner.name, owner.updated_by_id) == (rektor.id, "rektor, Förskoleområde Norr", manager.id)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "benefit_owner")).one()
    assert entry.actor_id == manager.id and entry.after["user_id"] == rektor.id

    # The form carries its version: a save made from the page before that one is refused (409).
    stale = _owner_form(page, goal, user=str(manager.id), name="")
    stale[f"owner-{goal.id}-version"] = "0"
    response = client.post(f"/pilots/{pilot.code}/follow-up/owners/{goal.id}", data=stale)
    assert response.status_code == 409
    assert db.scalars(select(BenefitOwner.user_id)).one() == rektor.id
    # A form made when the goal had no owner does not overwrite the owner named since (409).
    response = client.post(f"/pilots/{pilot.code}/follow-up/owners/{goal.id}",
                           data=stale | {f"owner-{goal.id}-version": ""})
    assert response.status_code == 409 and db.scalars(select(BenefitOwner.user_id)).one() == rektor.id
    # A deactivated user cannot be chosen by posting their id.
    response = client.post(f"/pilots/{pilot.code}/follow-up/owners/{goal.id}",
                           data=_owner_form(page, goal, user=str(gone.id), name=""))
    assert response.status_code == 422 and db.scalars(select(BenefitOwner.user_id)).one() == rektor.id


def test_who_may_name_benefit_owners_the_group_the_admin_and_the_pilots_own_leader(
        client, login_as, db, people, scaled_up):
    pilot, goal, _indicator = scaled_up
    other_leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Annan ledare")
    db.commit()
    path = f"/pilots/{pilot.code}/follow-up/owners/{goal.id}"
    for role, allowed in ((Role.ADMIN, True), (Role.INNOVATION_LEADER, True), (Role.FINANCE, False),
                          (Role.VIEWER, False)):
        login_as(role)
        page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
        assert ("Ange nyttoägare" in page) is allowed, role
        data = {"csrf_token": csrf_token(page), f"owner-{goal.id}-user": str(people[Role.VIEWER].id),
                f"owner-{goal.id}-version": db.scalar(select(BenefitOwner.version)) or ""}
        assert client.post(path, data=data).status_code == (302 if allowed else 403), role
    client.post("/logout")
    login(client, other_leader)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert "Ange nyttoägare" not in page
    assert client.post(path, data={"csrf_token": csrf_token(page), f"owner-{goal.id}-user": str(other_leader.id)}
                       ).status_code == 403
    assert db.scalars(select(BenefitOwner.user_id)).one() == people[Role.VIEWER].id


def test_an_owner_named_in_text_before_users_were_chosen_shows_that_no_reminder_reaches_anyone(
        client, login_as, db, scaled_up):
    pilot, goal, _indicator = scaled_up
    db.add(BenefitOwner(effect_goal_id=goal.id, name="Förskolechef Norr"))
    db.commit()
    login_as(Role.MANAGEMENT)
    page = client.get(f"/pilots/{pilot.code}/follow-up").get_data(as_text=True)
    assert "<strong>Förskolechef Norr</strong>" in page and "Ingen användare vald: påminnelser når ingen" in page
    assert 'value="Förskolechef Norr"' in page  # the text is offered as the title, the user left to choose
