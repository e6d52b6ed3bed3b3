"""Needs and challenges: a viewer raises one, a leader takes it, starts a pilot from it or closes it."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from portfolio.domain.initiatives import ChallengeStatus, InitiativeKind
from portfolio.domain.lifecycle import Origin
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, Challenge, Goal, GoalFramework, Pilot
from portfolio.services import challenges
from tests import factories


def _goal(db):
    framework = GoalFramework(name="Verksamhetsplan 2026", position=9, active=True)
    framework.goals = [Goal(name="En likvärdig förskola", position=1, active=True)]
    db.add(framework)
    db.flush()
    return framework.goals[0]


def test_a_viewer_raises_a_challenge_and_a_leader_starts_a_pilot_with_its_data_carried_over(
        client, db, people, login_as):
    unit = factories.make_unit(db, name="Förskoleområde Söder")
    goal = _goal(db)
    db.commit()

    login_as(Role.VIEWER)
    form = client.get("/challenges/new")
    assert form.status_code == 200 and "Skriv inga personuppgifter om elever" in form.get_data(as_text=True)
    response = client.post("/challenges/new", data={
        "title": "Inskolningen tar mycket tid", "description": "Samma information ges om och om igen.",
        "unit": str(unit.id), "affected": "Pedagoger i förskolan, nya vårdnadshavare", "frequency": "Varje augusti",
        "cost_today": "180 000", "goals": [str(goal.id)],
    })
    assert response.status_code == 302
    challenge = db.scalar(select(Challenge))
    assert (challenge.status, challenge.cost_today, challenge.raised_by_id) == (
        ChallengeStatus.OPEN, Decimal("180000"), people[Role.VIEWER].id)
    backlog = client.get("/challenges?status=open").get_data(as_text=True)
    assert "Inskolningen tar mycket tid" in backlog and "Idébärare saknas" in backlog
    assert "Starta pilot" not in client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert client.post(f"/challenges/{challenge.id}/start-pilot").status_code == 403

    leader = login_as(Role.INNOVATION_LEADER)
    assert client.post(f"/challenges/{challenge.id}/take").status_code == 302
    response = client.post(f"/challenges/{challenge.id}/start-pilot", data={"kind": "innovation"})
    pilot = db.scalar(select(Pilot))
    assert response.headers["Location"] == f"/pilots/{pilot.code}"
    assert (pilot.title, pilot.unit_id, pilot.origin, pilot.kind, pilot.innovation_leader_id) == (
        "Inskolningen tar mycket tid", unit.id, Origin.CHALLENGE_DRIVEN, InitiativeKind.INNOVATION, leader.id)
    assert pilot.need.startswith("Samma information ges om och om igen.")
    assert pilot.target_groups == "Pedagoger i förskolan, nya vårdnadshavare"
    assert [g.id for g in pilot.goals] == [goal.id]
    page = client.get(f"/pilots/{pilot.code}").get_data(as_text=True)
    assert f'href="/challenges/{challenge.id}"' in page  # the link back
    db.refresh(challenge)
    assert (challenge.status, challenge.pilot_id) == (ChallengeStatus.PILOT_STARTED, pilot.id)
    assert f'href="/pilots/{pilot.code}"' in client.get(f"/challenges/{challenge.id}").get_data(as_text=True)
    assert {e.action for e in db.scalars(select(AuditEntry).where(AuditEntry.entity == "challenge"))} == {
        "create", "take", "start_pilot"}
    # Answered once: a second start is refused and creates nothing.
    assert client.post(f"/challenges/{challenge.id}/start-pilot", data={"kind": "innovation"}).status_code == 409
    assert len(db.scalars(select(Pilot)).all()) == 1


def test_a_challenge_is_closed_with_a_reason(client, db, people, login_as):
    challenge = factories.make_challenge(db, raised_by=people[Role.VIEWER])
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    refused = client.post(f"/challenges/{challenge.id}/close", data={"reason": "  "})
    assert refused.status_code == 422 and "Skriv varför utmaningen stängs." in refused.get_data(as_text=True)
    assert client.post(f"/challenges/{challenge.id}/close", data={"reason": "Löses av ekonomisystemet"}).status_code == 302
    db.refresh(challenge)
    assert (challenge.status, challenge.close_reason) == (ChallengeStatus.CLOSED, "Löses av ekonomisystemet")


def test_bad_input_is_kept_with_a_message_next_to_the_field(client, db, login_as):
    login_as(Role.VIEWER)
    response = client.post("/challenges/new", data={"title": "", "description": "Något", "cost_today": "mycket"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ange en rubrik." in page and "Ange ett tal" in page and 'value="mycket"' in page
    assert db.scalar(select(Challenge)) is None


def test_the_backlog_pages_and_the_overview_count(client, db, people, login_as, app):
    for n in range(30):
        factories.make_challenge(db, raised_by=people[Role.VIEWER], title=f"Behov {n:02d}")
    factories.make_challenge(db, raised_by=people[Role.VIEWER], status=ChallengeStatus.CLOSED, title="Stängt")
    db.commit()
    login_as(Role.VIEWER)
    first = client.get("/challenges").get_data(as_text=True)
    assert "31 utmaningar" in first and "sida 1 av 2" in first
    assert challenges.count_by_status(db) == {
        ChallengeStatus.OPEN: 30, ChallengeStatus.TAKEN: 0, ChallengeStatus.PILOT_STARTED: 0, ChallengeStatus.CLOSED: 1}
    assert "Stängt" in client.get("/challenges?status=closed").get_data(as_text=True)
    assert "Stängt" not in client.get("/challenges?status=open").get_data(as_text=True)
