"""The open portfolio: only what the admin made public, without a login, as a page and as JSON."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portfolio import demo
from portfolio.domain.openness import PublicField, public_fields
from portfolio.domain.roles import Role
from portfolio.models import CostItem, Pilot, PublicInitiative
from portfolio.services import openness
from tests import factories
from tests.process_scenario import fast_papers  # noqa: F401


@pytest.fixture
def seeded(db, fast_papers):
    demo.seed(db)
    db.commit()


def _texts(value) -> list[str]:
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return [str(value)] if value not in (None, "") else []


def _private_values(db) -> dict[str, list[str]]:
    """For the demo data: every value that must not be public, by where it comes from."""
    published = {row.pilot_id: row for row in db.scalars(select(PublicInitiative))}
    private: dict[str, list[str]] = {}
    for pilot in db.scalars(select(Pilot)):
        row = published.get(pilot.id)
        # Never public: who had the idea and who leads, and anything of a pilot that is not published.
        private[f"{pilot.code} idea_bearer"] = [pilot.idea_bearer]
        if pilot.innovation_leader:
            private[f"{pilot.code} leader"] = [pilot.innovation_leader.name, pilot.innovation_leader.email]
        private[f"{pilot.code} cost notes"] = [cost.note for cost in db.scalars(
            select(CostItem).where(CostItem.pilot_id == pilot.id))]
        if row is None:
            private[f"{pilot.code} title"] = [pilot.title]
            continue
        chosen = set(public_fields(row.fields))
        fields = {PublicField.CHALLENGE: pilot.need, PublicField.DESCRIPTION: pilot.description,
                  PublicField.TARGET_GROUPS: pilot.target_groups, PublicField.RESULTS: pilot.results_summary,
                  PublicField.LESSONS: pilot.lessons_learned}
        for name, value in fields.items():
            if name not in chosen:
                private[f"{pilot.code} {name.value}"] = [value]
    return {where: [v for v in values if v and len(v) >= 8] for where, values in private.items()}


def test_no_public_response_holds_a_field_the_admin_did_not_make_public(app, db, seeded):
    anonymous = app.test_client()
    page = anonymous.get("/oppen-portfolj")
    api = anonymous.get("/api/v1/public/initiatives")
    assert page.status_code == api.status_code == 200
    html, payload = page.get_data(as_text=True), api.get_json()
    published = db.scalars(select(PublicInitiative)).all()
    assert len(payload["initiatives"]) == len(published) == 3
    assert "Laiban – digital assistent för barnen i förskolan" in html
    json_text = json.dumps(payload, ensure_ascii=False)
    leaks = [(where, value) for where, values in _private_values(db).items() for value in values
             if value in html or value in json_text]
    assert not leaks, leaks
    for item in payload["initiatives"]:
        row = next(r for r in published if r.pilot.code == item["code"])
        assert set(item) == {"code", *row.fields}
    signing = next(item for item in payload["initiatives"] if "funds_granted" in item)
    assert signing["status"] == "implementation" and signing["funds_granted"].endswith(".00")
    assert {"impact_goals", "stage_reached", "lessons", "challenge"} <= set(signing)


def test_the_admin_chooses_which_fields_of_which_initiatives_are_public(client, db, people, login_as):
    pilot = factories.make_pilot(db, leader=people[Role.INNOVATION_LEADER], title="Robotgräsklippare",
                                 description="En hemlig beskrivning av testet")
    db.commit()
    anonymous = client.application.test_client()
    assert "Robotgräsklippare" not in anonymous.get("/oppen-portfolj").get_data(as_text=True)
    login_as(Role.INNOVATION_LEADER)
    assert client.post(f"/admin/open-portfolio/{pilot.code}", data={}).status_code == 403
    login_as(Role.ADMIN)
    assert "Publicera i den öppna portföljen" in client.get("/admin/open-portfolio").get_data(as_text=True)
    prefix = f"p{pilot.id}-"
    # A field that is not in the list (the idea-bearer is personal) is refused, and nothing is published.
    client.post(f"/admin/open-portfolio/{pilot.code}", data={
        prefix + "public": "y", prefix + "fields": ["title", "idea_bearer"]})
    assert openness.public_initiatives(db) == []
    response = client.post(f"/admin/open-portfolio/{pilot.code}", data={
        prefix + "public": "y", prefix + "fields": ["title", "status", "lessons"]})
    assert response.status_code == 302
    assert openness.public_initiatives(db) == [
        {"code": pilot.code, "title": "Robotgräsklippare", "status": "test", "lessons": None}]
    page = anonymous.get("/oppen-portfolj").get_data(as_text=True)
    assert "Robotgräsklippare" in page and "En hemlig beskrivning" not in page and "Idébärare" not in page
    client.post(f"/admin/open-portfolio/{pilot.code}", data={prefix + "fields": ["title"]})  # unticked: withdrawn
    assert anonymous.get("/api/v1/public/initiatives").get_json() == {"initiatives": []}
