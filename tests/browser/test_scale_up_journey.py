"""The four-step scale-up process in a real browser, with axe-core on every page on the way.

The innovation leader completes steps 1 and 2, writes the implementation plan, finance signs
off, the leader generates the paper and completes step 3; the paper is downloaded; a management
group member records the decision, asked for the password again; the decision is in the register
with its archived paper.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from portfolio.domain.economics import BenefitClass
from portfolio.domain.lifecycle import Phase
from portfolio.domain.roles import Role
from tests import factories

from .pages import assert_accessible, fill_date, log_in, visit

pytestmark = pytest.mark.browser


def submit(page, button: str, *, status: int = 200, where: str) -> None:
    """Press a submit button, wait for the resulting page, check its status and accessibility."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    assert navigation.value is not None and navigation.value.status == status, (where, navigation.value.status)
    assert_accessible(page, where)


def plan_form(page, section: str):
    """The form in one section of the plan page."""
    return page.locator(f"#plan-{section} form").last


def test_a_pilot_goes_through_the_four_steps_to_a_recorded_decision(new_page, db, people):
    leader, finance, manager = people[Role.INNOVATION_LEADER], people[Role.FINANCE], people[Role.MANAGEMENT]
    unit = factories.make_unit(db, name="Förskolan Solrosen")
    pilot = factories.make_pilot(db, leader=leader, unit=unit, phase=Phase.SCALE_UP, title="Laiban i hallen: förskoleverksamhetsutvecklingsplattformen")  # a long word at 320 px
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, goal, value_per_unit=Decimal("9.20"), annual_volume=Decimal("20000"),
                                         benefit_class=BenefitClass.REALLOCATION)
    factories.make_measurement(db, indicator, value="45")
    factories.make_cost(db, pilot, amount="120000")
    db.commit()
    show = f"/pilots/{pilot.code}"

    # The leader: steps 1 and 2.
    lead = new_page()
    log_in(lead, leader)
    visit(lead, show)
    expect(lead.get_by_role("heading", name=re.compile("Steg 1"))).to_be_visible()
    lead.get_by_label("Kommentar om granskningen av effektmålet").fill("Granskat med förskolecheferna.")
    submit(lead, "Slutför steg 1", where="the pilot page after step 1")
    lead.get_by_label("Sammanfattning av resultaten").fill("Elva minuter mindre per avdelning och dag.")
    lead.get_by_label("Lärdomar", exact=True).fill("Laiban ska stå i hallen.")
    submit(lead, "Slutför steg 2", where="the pilot page after step 2")
    expect(lead.get_by_role("button", name="Slutför steg 3")).to_be_disabled()

    # The implementation plan, reached from the checklist's link.
    lead.get_by_role("link", name="Implementeringsplan: målgrupper").click()
    lead.wait_for_url(re.compile("/plan"))
    assert_accessible(lead, "the plan page")
    form = plan_form(lead, "basics")
    form.get_by_label("Målgrupper").fill("Barn och pedagoger i förskolan")
    form.get_by_label("Nej").check()
    submit(lead, "Spara", where="the plan after the target groups")
    form = plan_form(lead, "unit")
    form.get_by_label("Enhet", exact=True).select_option(label="Förskolan Solrosen")
    fill_date(form, "Planerad start", "2027-08-16")
    submit(lead, "Lägg till eller uppdatera enhet", where="the plan after a unit")
    form = plan_form(lead, "milestone")
    fill_date(form, "Datum", "2027-08-16")
    form.get_by_label("Milstolpe").fill("Alla förskolor i området börjar")
    submit(lead, "Lägg till milstolpe", where="the plan after a milestone")
    for responsibility in ("Anskaffar", "Förvaltar", "Ger support", "Avvecklar"):
        form = plan_form(lead, "owner")
        form.get_by_label("Ansvar", exact=True).select_option(label=responsibility)
        form.get_by_label("Nivå").select_option(label="Förvaltningsnivå")
        form.get_by_label("Ansvarig").fill("IT-enheten")
        submit(lead, "Spara ansvar", where=f"the plan after the owner who {responsibility.lower()}")
    for checkpoint in ("Konsekvensbedömning avseende dataskydd", "Tillgänglighet"):
        form = plan_form(lead, "checkpoint")
        form.get_by_label("Kontrollpunkt").select_option(label=checkpoint)
        form.get_by_label("Klar", exact=True).check()
        fill_date(form, "Klar datum", "2026-11-02")
        submit(lead, "Spara kontrollpunkt", where=f"the plan after the checkpoint {checkpoint}")

    # Finance signs off.
    fin = new_page()
    log_in(fin, finance)
    visit(fin, f"{show}/costs")
    submit(fin, "Markera ekonomin som granskad", where="the costs page after the sign-off")

    # The leader generates the paper and completes step 3 (which makes the final version).
    visit(lead, show)
    submit(lead, "Skapa beslutsunderlag (PDF)", where="after generating the paper")
    visit(lead, show)
    expect(lead.get_by_role("button", name="Slutför steg 3")).to_be_enabled()
    submit(lead, "Slutför steg 3", where="the pilot page after step 3")
    with lead.expect_download() as download:
        lead.get_by_role("link", name=re.compile("Ladda ned version 2")).click()
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The management group decides; the password is asked for again.
    boss = new_page()
    log_in(boss, manager)
    visit(boss, show)
    boss.get_by_role("button", name="Registrera beslut").click()  # a link styled as GOV.UK's button
    boss.wait_for_url(re.compile("/decision"))
    assert_accessible(boss, "the decision form")
    boss.get_by_label("Skala upp").check()
    boss.get_by_label("Beslutstext").fill("Förvaltningsdirektören beslutar att Laiban införs i förskolan.")
    boss.get_by_label("Beslutsfattare").fill("Karin Berg, förvaltningsdirektör")
    boss.get_by_label("Föredragande").fill("Ida Innovationsledare")
    boss.get_by_label("Organ eller möte").fill("Ledningsgruppen 2026-12-08, punkt 1")
    fill_date(boss, "Beslutsdatum", "2026-12-08")
    boss.get_by_label("Diarienummer").fill("SFF 2026/321")
    boss.get_by_label("Ditt lösenord").fill("inte mitt lösenord")
    submit(boss, "Registrera beslutet", status=422, where="the decision form with a wrong password")
    expect(boss.get_by_text("Fel lösenord. Ange lösenordet du loggar in med.").first).to_be_visible()
    boss.get_by_label("Ditt lösenord").fill(factories.PASSWORD)
    submit(boss, "Registrera beslutet", where="the pilot page after the decision")
    expect(boss.get_by_text("Beslutet är registrerat (SFF 2026/321).")).to_be_visible()

    # The register lists it, with the archived paper.
    boss.get_by_role("link", name="Beslut", exact=True).click()
    boss.wait_for_url(re.compile("/decisions"))
    assert_accessible(boss, "the decisions register")
    row = boss.get_by_role("row").filter(has_text="SFF 2026/321")
    expect(row).to_contain_text("Skala upp")
    with boss.expect_download() as archived:
        row.get_by_role("link", name=re.compile("Arkiverat underlag")).click()
    with open(archived.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
