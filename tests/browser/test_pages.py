"""Every page of the app in Chromium at 320 and 1,366 px: axe-core finds nothing, no page scrolls
sideways at 320 px, and no table is cut at 1,366 px (see pages.assert_accessible)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase
from portfolio.domain.lifecycle import Phase
from portfolio.domain.roles import Role
from portfolio.models import Goal, GoalFramework, MeasurementPhase, SsoGroupRole, UserRole
from portfolio.services import audit
from tests import factories

from .pages import log_in, log_out, visit

pytestmark = pytest.mark.browser

# A note as people paste them: one long unbroken word.
LONG_NOTE = "https://leverantor.example.org/avtal/" + "licensvillkor-" * 20 + "bilaga.pdf"


def _laiban(db, leader, finance):
    """A pilot in the scale-up process with goals, measurements of both kinds, costs and a sign-off."""
    pilot = factories.make_pilot(db, leader=leader, title="Laiban – digital assistent för barnen i förskolan",
                                 phase=Phase.SCALE_UP, step=3, test_start=dt.date(2025, 8, 21),
                                 test_end=dt.date(2026, 6, 14))
    goal = factories.make_effect_goal(db, pilot)
    minutes = factories.make_indicator(db, goal, value_per_unit=Decimal("6.5"), annual_volume=Decimal("9950"),
                                       benefit_class=BenefitClass.REALLOCATION)
    prints = factories.make_indicator(db, goal, name="Utskrivna bildstöd per månad", unit="ark",
                                      baseline_value=Decimal("20"), target_value=Decimal("5"),
                                      value_per_unit=Decimal("4"), annual_volume=Decimal("1617"),
                                      benefit_class=BenefitClass.FINANCIAL)
    for indicator, test_value, follow_up in ((minutes, "45", "38"), (prints, "11", "9")):
        factories.make_measurement(db, indicator, value=test_value, measured_on=dt.date(2026, 5, 20))
        factories.make_measurement(db, indicator, value=follow_up, measured_on=dt.date(2026, 10, 12),
                                   phase=MeasurementPhase.FOLLOW_UP)
    factories.make_cost(db, pilot, amount="64680", category=CostCategory.LICENCE, kind=CostKind.RECURRING,
                        phase=CostPhase.OPERATION, first_year=2027, last_year=2031, note=LONG_NOTE)
    factories.make_cost(db, pilot, amount="1250000", category=CostCategory.HARDWARE, first_year=2027)
    factories.make_cost(db, pilot, amount="57600", category=CostCategory.TRAINING, phase=CostPhase.TEST,
                        first_year=2026)
    pilot.finance_signed_off_by_id = finance.id
    pilot.finance_signed_off_at = dt.datetime(2026, 11, 18, 14, 0)
    audit.record(db, finance, "finance_signed_off", "pilot", pilot.id, pilot_id=pilot.id,
                 after={"finance_signed_off_by_id": finance.id, "finance_signed_off_at": "2026-11-18T14:00:00"})
    return pilot, minutes


def test_every_page_passes_axe_at_320_and_1366_px_without_sideways_scrolling(page, db, people):
    leader, finance = people[Role.INNOVATION_LEADER], people[Role.FINANCE]
    pilot, indicator = _laiban(db, leader, finance)
    factories.make_pilot(db, leader=leader, title="Sensorer för inomhusklimat", phase=Phase.IDEA)
    unit = factories.make_unit(db, name="Förskoleområde Norr")
    framework = GoalFramework(name="Nämndens mål")
    # A long goal name in the register's filter: the filters must still fit a phone.
    db.add(Goal(framework=framework, name="Verksamheten ska bedrivas kostnadseffektivt inom given budgetram"))
    # Someone holding roles through the identity provider's groups, shown as such to the admin.
    from_groups = factories.make_user(db, name="Karin Berg", roles=[Role.VIEWER])
    group = "5f2e6c1a-0d5b-4a53-9a0e-3c8f1b2d4e6f"
    db.add(SsoGroupRole(group_id=group, role=Role.FINANCE, description="Ekonomienheten"))
    from_groups.role_rows.append(UserRole(role=Role.FINANCE, from_group=True, groups=[group]))
    db.commit()
    code = pilot.code

    log_in(page, people[Role.ADMIN])
    for path in ("/pilots", "/pilots?sort=npv&order=desc", "/pilots?q=laiban&phase=scale_up", f"/pilots/{code}",
                 f"/pilots/{code}/effects",
                 f"/pilots/{code}/costs", f"/pilots/{code}/economics", "/admin/users", "/admin/users/new",
                 "/admin/units", f"/admin/units/{unit.id}/edit", "/admin/goals", "/admin/goals/new",
                 "/admin/settings", "/admin/audit", "/account", f"/admin/users/{from_groups.id}/edit",
                 "/pilots/INN-0000-000"):
        if path.endswith("000"):
            assert page.goto(path).status == 404
            continue
        visit(page, path)
    log_out(page)

    log_in(page, leader)
    for path in ("/pilots/new", f"/pilots/{code}/edit", f"/pilots/{code}/effects/goals/new",
                 f"/pilots/{code}/effects/indicators/{indicator.id}/measurements/new"):
        visit(page, path)
    log_out(page)

    log_in(page, finance)
    visit(page, f"/pilots/{code}/costs")
    # The long note wraps: the row's links stay on screen.
    edit = page.get_by_role("link", name="Ändra Licens 2027")
    expect(edit).to_be_visible()
    box = edit.bounding_box()
    assert box is not None and box["x"] + box["width"] <= page.viewport_size["width"]
    edit.click()
    visit(page, page.url)
    for path in (f"/pilots/{code}/costs/new", f"/pilots/{code}/costs/parameters", f"/pilots/{code}/costs/import",
                 f"/pilots/{code}/costs/indicators/{indicator.id}/valuation"):
        visit(page, path)
