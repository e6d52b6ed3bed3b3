"""Overlapping initiatives: flagged on both pages and in the list, marked coordinated with a note."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from portfolio.domain.initiatives import InitiativeKind
from portfolio.domain.roles import Role
from portfolio.models import OverlapCoordination, Pilot
from portfolio.services import overlaps
from tests import factories
from tests.conftest import count_queries


def _pair(db, leader):
    laiban = factories.make_pilot(db, leader=leader, title="Laiban", target_groups="Pedagoger i förskolan, barn",
                                  test_start=dt.date(2025, 1, 1), test_end=dt.date(2025, 12, 31))
    app_ = factories.make_pilot(db, leader=leader, title="Förskoleappen", kind=InitiativeKind.DIGITALISATION,
                                target_groups="vårdnadshavare; pedagoger i förskolan",
                                test_start=dt.date(2025, 6, 1), test_end=None)
    factories.make_pilot(db, leader=leader, title="Annat", target_groups="Elever",
                         test_start=dt.date(2025, 1, 1), test_end=dt.date(2025, 12, 31))
    db.commit()
    return laiban, app_


def test_an_overlap_is_flagged_on_both_pages_until_marked_coordinated_then_marked(client, db, people, login_as):
    laiban, app_ = _pair(db, people[Role.INNOVATION_LEADER])
    login_as(Role.VIEWER)
    for pilot, other in ((laiban, app_), (app_, laiban)):
        page = client.get(f"/pilots/{pilot.code}").get_data(as_text=True)
        assert "Överlappar med andra initiativ" in page and f"{other.code}: {other.title}" in page
        assert "Delad målgrupp: pedagoger i förskolan" in page and "Ej samordnat" in page
    listing = client.get("/overlaps").get_data(as_text=True)
    assert listing.count("govuk-summary-card__title\"") == 1 and "Digitaliseringsinsats" in listing
    assert client.post("/overlaps/coordinate", data={"first": laiban.id, "second": app_.id, "note": "x"}).status_code == 403

    login_as(Role.INNOVATION_LEADER)
    refused = client.post("/overlaps/coordinate", data={"first": laiban.id, "second": app_.id, "note": ""})
    assert refused.status_code == 422
    response = client.post("/overlaps/coordinate", data={
        "first": app_.id, "second": laiban.id, "note": "Samma introduktion för pedagogerna."})
    assert response.status_code == 302
    mark = db.scalar(select(OverlapCoordination))
    assert (mark.first_pilot_id, mark.second_pilot_id) == tuple(sorted((laiban.id, app_.id)))
    page = client.get(f"/pilots/{app_.code}").get_data(as_text=True)
    assert "Samordnat" in page and "Samma introduktion för pedagogerna." in page and "Ej samordnat" not in page
    again = client.post("/overlaps/coordinate", data={"first": laiban.id, "second": app_.id, "note": "Igen"})
    assert again.status_code == 409


def test_a_pair_that_does_not_overlap_cannot_be_marked(client, db, people, login_as):
    laiban, _app = _pair(db, people[Role.INNOVATION_LEADER])
    other = db.scalar(select(Pilot).where(Pilot.title == "Annat"))
    login_as(Role.INNOVATION_LEADER)
    response = client.post("/overlaps/coordinate", data={"first": laiban.id, "second": other.id, "note": "x"})
    assert response.status_code == 409 and db.scalar(select(OverlapCoordination)) is None


def test_overlaps_are_found_in_a_fixed_number_of_queries(app, db, people):
    leader = people[Role.INNOVATION_LEADER]
    for n in range(40):
        factories.make_pilot(db, leader=leader, target_groups=f"Grupp {n % 5}", test_start=dt.date(2025, 1, 1))
    db.commit()
    with count_queries(app) as statements:
        found = overlaps.all_overlaps(db)
    assert len(found) == 5 * 28  # 8 initiatives per group: 28 pairs each
    assert len(statements) <= 4
