"""Which paper version is current: the fingerprint of the data, and what the pilot page says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portfolio.domain.roles import Role
from portfolio.domain.economics import Direction
from portfolio.models import Indicator, MeasurementPhase
from portfolio.services import papers, plan
from tests import factories


@pytest.fixture
def pilot_with_paper(db, people):
    pilot = factories.make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, goal)
    factories.make_measurement(db, indicator, value="50")
    version = factories.make_paper_version(db, pilot, data_fingerprint=papers.fingerprint(db, pilot))
    db.commit()
    return pilot, indicator, version


def _panel(client, pilot) -> str:
    page = client.get(f"/pilots/{pilot.code}").get_data(as_text=True)
    return page[page.index('id="papers"'):]


def test_the_pilot_page_says_when_the_newest_paper_is_out_of_date_with_the_data(client, db, login_as,
                                                                                pilot_with_paper):
    pilot, indicator, version = pilot_with_paper
    login_as(Role.VIEWER)
    panel = _panel(client, pilot)
    assert "Version 1 bygger på pilotens uppgifter som de ser ut nu." in panel
    assert version.sha256[:12] in panel and f"/pilots/{pilot.code}/papers/1.pdf" in panel
    assert "Skapa beslutsunderlag (PDF)" not in panel  # a viewer may not generate

    # A follow-up measurement is not part of the decision basis: the paper stays current.
    factories.make_measurement(db, indicator, value="40", measured_on=dt.date(2027, 5, 1),
                               phase=MeasurementPhase.FOLLOW_UP)
    db.commit()
    assert not papers.is_out_of_date(db, pilot, version)

    indicator.target_value = Decimal("75")
    db.commit()
    assert papers.is_out_of_date(db, pilot, version)
    assert "Version 1 är inaktuell" in _panel(client, pilot)


@pytest.mark.parametrize("change", ["new test measurement", "results summary", "cost", "organisation"])
def test_any_change_to_what_the_paper_shows_changes_the_fingerprint(db, pilot_with_paper, change):
    pilot, indicator, version = pilot_with_paper
    if change == "new test measurement":
        factories.make_measurement(db, indicator, value="55", measured_on=dt.date(2026, 6, 2))
    elif change == "results summary":
        pilot.results_summary = "Tydliga resultat."
    elif change == "cost":
        factories.make_cost(db, pilot, amount="1000")
    else:
        from portfolio.services.settings import get_settings
        get_settings(db).organisation_name = "Utbildningsförvaltningen"
    db.flush()
    assert papers.fingerprint(db, pilot) != version.data_fingerprint


def test_the_generate_button_is_offered_to_those_who_may_generate(client, db, login_as, pilot_with_paper):
    pilot, _indicator, _version = pilot_with_paper
    for role, offered in [(Role.INNOVATION_LEADER, True), (Role.FINANCE, True), (Role.MANAGEMENT, True),
                          (Role.ADMIN, True), (Role.VIEWER, False)]:
        login_as(role)
        assert ("Skapa beslutsunderlag (PDF)" in _panel(client, pilot)) is offered, role



def test_the_fingerprint_reads_the_data_as_stored_not_as_objects_in_memory_hold_it(db, people):
    """A collection appended to in memory keeps its append order, and one loaded before a row was
    added by its foreign key misses that row; the fingerprint must not depend on either."""
    leader = people[Role.INNOVATION_LEADER]
    pilot = factories.make_pilot(db, leader=leader)
    goal = factories.make_effect_goal(db, pilot)
    plan.save_basics(db, pilot, target_groups="Lärare", children_use_solution=False, actor=leader)
    plan.add_milestone(db, pilot, due_on=dt.date(2027, 9, 1), title="Alla skolor", actor=leader)
    papers.fingerprint(db, pilot)  # loads the plan's and the goal's collections into this session
    plan.add_milestone(db, pilot, due_on=dt.date(2027, 3, 1), title="Första skolan", actor=leader)
    goal.indicators.extend([Indicator(name="Andra måttet", direction=Direction.LOWER_IS_BETTER, position=2),
                            Indicator(name="Första måttet", direction=Direction.LOWER_IS_BETTER, position=1)])
    in_this_session = papers.fingerprint(db, pilot)
    db.commit()
    db.expire_all()  # as the next request sees it
    assert papers.fingerprint(db, pilot) == in_this_session
