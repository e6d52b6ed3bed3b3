"""In a real browser, with axe-core on every page on the way: a principal (viewer) raises a
challenge, an innovation leader takes it and starts a pilot from it and finds its data carried
over; the solution register shows a scaled-up pilot's owners per level and the AI in use; the open
portfolio needs no login."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portfolio.domain.initiatives import InitiativeKind
from portfolio.domain.process import OwnerLevel, Responsibility
from portfolio.domain.roles import Role
from portfolio.domain.solutions import AiRiskClass
from portfolio.services import openness
from tests import factories

from .pages import assert_accessible, log_in, visit

pytestmark = pytest.mark.browser


def submit(page, button: str, *, where: str, status: int = 200) -> None:
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    assert navigation.value is not None and navigation.value.status == status, where
    assert_accessible(page, where)


def test_a_principal_raises_a_challenge_and_a_leader_starts_a_pilot_from_it(new_page, db, people):
    unit = factories.make_unit(db, name="Förskoleområde Söder")
    db.commit()

    principal = new_page()
    log_in(principal, people[Role.VIEWER])
    visit(principal, "/challenges")
    principal.get_by_role("link", name="Anmäl ett behov eller en utmaning").click()
    assert_accessible(principal, "the challenge form")
    principal.get_by_label("Rubrik").fill("Inskolningen tar mycket tid")
    principal.get_by_label("Beskriv behovet eller utmaningen").fill("Samma information ges om och om igen.")
    principal.get_by_label("Enhet").select_option(label="Förskoleområde Söder")
    principal.get_by_label("Vilka berörs?").fill("Pedagoger i förskolan, nya vårdnadshavare")
    principal.get_by_label("Vad kostar det i dag?").fill("kanske mycket")
    submit(principal, "Anmäl", where="the challenge form with an error", status=422)
    expect(principal.locator("#cost_today-error")).to_contain_text("Ange ett tal, till exempel 1 234,50.")
    expect(principal.get_by_label("Vad kostar det i dag?")).to_have_value("kanske mycket")
    principal.get_by_label("Vad kostar det i dag?").fill("180 000")
    submit(principal, "Anmäl", where="the challenge's page")
    expect(principal.get_by_text("Idébärare saknas").first).to_be_visible()

    leader = new_page()
    log_in(leader, people[Role.INNOVATION_LEADER])
    visit(leader, "/challenges?status=open")
    leader.get_by_role("link", name="Inskolningen tar mycket tid").click()
    assert_accessible(leader, "the challenge's page for the leader")
    submit(leader, "Ta utmaningen", where="the challenge after taking it")
    submit(leader, "Starta pilot", where="the new pilot's page")
    expect(leader.get_by_role("heading", level=1)).to_contain_text("Inskolningen tar mycket tid")
    expect(leader.get_by_text("Samma information ges om och om igen.")).to_be_visible()
    expect(leader.get_by_text("Pedagoger i förskolan, nya vårdnadshavare")).to_be_visible()
    expect(leader.get_by_text(unit.name)).to_be_visible()
    expect(leader.get_by_role("link", name=re.compile("startad från utmaningen"))).to_be_visible()


def test_the_solution_register_and_the_open_portfolio(new_page, db, people):
    pilot = factories.make_pilot(db, leader=people[Role.INNOVATION_LEADER], title="Laiban")
    factories.make_solution(db, name="Laiban", pilot_id=pilot.id, uses_ai=True, ai_risk_class=AiRiskClass.LIMITED,
                            owners={(Responsibility.PROCURE, OwnerLevel.ADMINISTRATION): "Upphandlingsenheten",
                                    (Responsibility.MANAGE, OwnerLevel.ADMINISTRATION): "IT-enheten",
                                    (Responsibility.SUPPORT, OwnerLevel.SCHOOL): "Förskolans IT-ombud",
                                    (Responsibility.DECOMMISSION, OwnerLevel.ADMINISTRATION): "IT-enheten"})
    factories.make_solution(db, name="Skolplattformen")
    factories.make_pilot(db, leader=people[Role.INNOVATION_LEADER], title="Förskoleappen",
                         kind=InitiativeKind.DIGITALISATION)  # the same target group and time as Laiban
    openness.set_publication(db, pilot, openness.default_fields(), people[Role.ADMIN])
    db.commit()

    manager = new_page()
    log_in(manager, people[Role.MANAGEMENT])
    visit(manager, "/solutions")
    expect(manager.get_by_text("Ger support: Förskolans IT-ombud")).to_be_visible()
    expect(manager.get_by_text("ingen ägare för anskaffar")).to_be_visible()
    manager.get_by_role("link", name="Laiban", exact=True).first.click()
    assert_accessible(manager, "a solution's page")
    expect(manager.get_by_role("cell", name="Upphandlingsenheten")).to_be_visible()
    visit(manager, "/solutions/new")

    visit(manager, "/overlaps")
    expect(manager.get_by_text("Delad målgrupp: förskolebarn")).to_be_visible()
    visit(manager, f"/pilots/{pilot.code}")
    expect(manager.get_by_role("heading", name="Överlappar med andra initiativ")).to_be_visible()

    admin = new_page()
    log_in(admin, people[Role.ADMIN])
    visit(admin, "/admin/open-portfolio")

    public = new_page()
    visit(public, "/oppen-portfolj")
    expect(public.get_by_role("heading", name=re.compile("Laiban"))).to_be_visible()
