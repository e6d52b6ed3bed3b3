"""The management group's overview and the follow-up after scale-up in a real browser, with axe-core
on every page visited: the overview with a filter, a follow-up measurement, a roll-out update and a
harvest decision."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portfolio.domain.economics import BenefitClass
from portfolio.domain.lifecycle import Origin
from portfolio.domain.process import RolloutStatus
from portfolio.domain.roles import Role
from portfolio.models import HarvestDecision, ImplementationPlan, MeasurementPhase, RolloutUnit
from tests import factories

from .pages import assert_accessible, fill_date, log_in, visit

pytestmark = pytest.mark.browser


def submit(page, button: str, *, where: str, status: int = 200) -> None:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    assert navigation.value is not None and navigation.value.status == status, (where, navigation.value.status)
    assert_accessible(page, where)


@pytest.fixture
def portfolio(db, people):
    leader, manager = people[Role.INNOVATION_LEADER], people[Role.MANAGEMENT]
    laiban = factories.make_pilot(db, leader=leader, title="Laiban i hallen", origin=Origin.CHALLENGE_DRIVEN)
    goal = factories.make_effect_goal(db, laiban)
    indicator = factories.make_indicator(db, goal, value_per_unit=Decimal("10"), annual_volume=Decimal("1000"),
                                         benefit_class=BenefitClass.FINANCIAL)
    factories.make_measurement(db, indicator, value="48")
    factories.make_cost(db, laiban, amount="120000")
    today = dt.date.today()
    decision = factories.make_decision(db, laiban, recorded_by=manager, decided_on=today - dt.timedelta(days=200))
    factories.make_follow_ups(db, laiban, decision, [today - dt.timedelta(days=20), today + dt.timedelta(days=160)])
    plan = ImplementationPlan(pilot_id=laiban.id, target_groups="Förskolan", children_use_solution=True)
    plan.rollout_units = [
        RolloutUnit(unit_id=factories.make_unit(db, name="Förskolan Solrosen").id, status=RolloutStatus.IN_USE,
                    in_use_from=today - dt.timedelta(days=90)),
        RolloutUnit(unit_id=factories.make_unit(db, name="Förskolan Ekorren").id, status=RolloutStatus.STARTED),
    ]
    db.add(plan)
    other = factories.make_pilot(db, leader=leader, title="Robotgräsklippare", origin=Origin.IDEA_DRIVEN)
    factories.make_cost(db, other, amount="50000")
    db.commit()
    return laiban, other, indicator


def test_the_overview_with_a_filter_then_the_follow_up_of_a_scaled_up_pilot(new_page, db, people, portfolio):
    laiban, other, indicator = portfolio
    leader, manager = people[Role.INNOVATION_LEADER], people[Role.MANAGEMENT]

    # The management group lands on the overview; a filter narrows every list and is kept in the URL.
    lead_group = new_page()
    log_in(lead_group, manager)
    expect(lead_group).to_have_url(re.compile(r"/portfolio$"))
    expect(lead_group.get_by_role("heading", name="Portföljöversikt")).to_be_visible()
    expect(lead_group.get_by_text("Uppföljningar som är försenade eller snart ska göras")).to_be_visible()
    lead_group.get_by_text("Filtrera översikten").click()
    lead_group.get_by_label("Ursprung").select_option("challenge_driven")
    submit(lead_group, "Filtrera", where="the overview filtered by origin")
    expect(lead_group).to_have_url(re.compile(r"origin=challenge_driven"))
    expect(lead_group.get_by_text("1 pilot matchar filtren.")).to_be_visible()
    expect(lead_group.get_by_role("link", name=other.code)).to_have_count(0)

    # The leader records a follow-up measurement from the follow-up page.
    lead = new_page()
    log_in(lead, leader)
    visit(lead, f"/pilots/{laiban.code}/follow-up")
    expect(lead.get_by_text("Försenad")).to_be_visible()
    lead.get_by_role("link", name=re.compile("Registrera uppföljningsmätning")).click()
    assert_accessible(lead, "the measurement form for a follow-up")
    fill_date(lead, "Mätdatum", (dt.date.today() - dt.timedelta(days=10)).isoformat())
    lead.get_by_label("Värde").fill("45")
    submit(lead, "Spara", where="the follow-up page after a measurement")
    expect(lead).to_have_url(re.compile(rf"/pilots/{laiban.code}/follow-up"))
    expect(lead.get_by_text("Klar", exact=True)).to_be_visible()

    # ... and brings the roll-out up to date.
    visit(lead, f"/pilots/{laiban.code}/rollout")
    expect(lead.get_by_text("1 av 2 enheter i bruk")).to_be_visible()
    form = lead.locator("form", has=lead.get_by_text("Förskolan Ekorren", exact=True))
    form.get_by_label("Status").select_option("in_use")
    fill_date(form, "I bruk från", dt.date.today().isoformat())
    with lead.expect_navigation():
        form.get_by_role("button").click()
    assert_accessible(lead, "the roll-out after an update")
    expect(lead.get_by_text("2 av 2 enheter i bruk")).to_be_visible()

    # The management group records a harvest decision on what is now realised.
    visit(lead_group, f"/pilots/{laiban.code}/follow-up")
    lead_group.get_by_text("Registrera ett hemtagningsbeslut").click()
    lead_group.get_by_label("Nytta", exact=True).select_option(str(indicator.id))
    lead_group.get_by_label("Budgeten minskas").check()
    lead_group.get_by_label("Belopp per år (kr)").fill("200 000")
    lead_group.get_by_label("Budgetpost").fill("Förbrukningsmaterial")
    lead_group.get_by_label("Från budgetår").fill(str(dt.date.today().year + 1))
    lead_group.get_by_label("Ansvarig").fill("Förskolechef Norr")
    fill_date(lead_group, "Beslutsdatum", dt.date.today().isoformat())
    submit(lead_group, "Registrera hemtagningsbeslutet", where="the harvest form refused", status=422)
    expect(lead_group.locator("#harvest-amount-error")).to_contain_text("högst 150\u00a0000\u00a0kr per år")
    lead_group.get_by_label("Belopp per år (kr)").fill("100 000")
    submit(lead_group, "Registrera hemtagningsbeslutet", where="the follow-up page after a harvest decision")
    expect(lead_group.get_by_role("cell", name="Förskolechef Norr")).to_be_visible()
    assert db.scalars(select(HarvestDecision.amount)).all() == [100000]

    # Back on the overview: realised, harvested and the gap.
    visit(lead_group, "/portfolio")
    expect(lead_group.get_by_role("heading", name=re.compile("Realiserad nytta som inte är hemtagen"))).to_be_visible()
    expect(lead_group.get_by_role("cell", name="50\u00a0000\u00a0kr", exact=True).first).to_be_visible()  # 150 000 − 100 000
