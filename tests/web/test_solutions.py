"""The solution register: a scale-up decision makes a solution with its plan's owners; entered by hand;
flags; AI in use by class; decommissioning keeps the history."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from portfolio.domain.process import DecisionOutcome, OwnerLevel, Responsibility
from portfolio.domain.roles import Role
from portfolio.domain.solutions import AiRiskClass
from portfolio.models import AuditEntry, Solution
from portfolio.services import plan, process, solutions
from tests import factories
from tests.process_scenario import decision_data, fast_papers, pilot_in_scale_up, take_steps  # noqa: F401

pytestmark = pytest.mark.usefixtures("fast_papers")


def _decided(db, leader, manager, outcome=DecisionOutcome.SCALE_UP):
    pilot = pilot_in_scale_up(db, leader)
    plan.save_basics(db, pilot, target_groups="Pedagoger i förskolan", children_use_solution=True, uses_ai=True,
                     ai_risk_class=AiRiskClass.LIMITED, actor=leader)
    take_steps(db, pilot, leader, to=3)
    process.record_decision(db, pilot, decision_data(db, pilot, outcome), manager)
    db.commit()
    return pilot


def test_a_scale_up_decision_makes_the_pilot_a_solution_with_its_plans_owners_once(db, people):
    leader, manager = people[Role.INNOVATION_LEADER], people[Role.MANAGEMENT]
    pilot = _decided(db, leader, manager)
    solution = db.scalar(select(Solution).where(Solution.pilot_id == pilot.id))
    owners = {(o.responsibility, o.level): o.owner for o in solution.owners}
    planned = {(o.responsibility, o.level): o.owner for o in process.get_plan(db, pilot).lifecycle_owners}
    assert owners == planned and {role for role, _level in owners} == set(Responsibility)
    assert (solution.name, solution.uses_ai, solution.ai_risk_class) == (pilot.title, True, AiRiskClass.LIMITED)
    # Idempotent: asking again returns the same solution and writes nothing.
    audit_before = db.scalar(select(func.count()).select_from(AuditEntry))
    assert solutions.create_from_pilot(db, pilot, manager).id == solution.id
    assert db.scalar(select(func.count()).select_from(Solution)) == 1
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


def test_other_outcomes_make_no_solution(db, people):
    _decided(db, people[Role.INNOVATION_LEADER], people[Role.MANAGEMENT], DecisionOutcome.STOP)
    assert db.scalar(select(func.count()).select_from(Solution)) == 0


def test_the_register_shows_owners_per_level_flags_and_ai_by_class(client, db, people, login_as):
    today = dt.date.today()
    factories.make_solution(db, name="Skolplattformen", contract_end=today + dt.timedelta(days=90))
    factories.make_solution(db, name="Matteappen", uses_ai=True, ai_risk_class=AiRiskClass.HIGH, owners={
        (role, OwnerLevel.SCHOOL): "Rektor" for role in Responsibility})
    db.commit()
    login_as(Role.VIEWER)
    page = client.get("/solutions").get_data(as_text=True)
    assert "Skolplattformen</a>: ingen ägare för anskaffar, ger support, avvecklar" in page
    assert "Skolplattformen</a>: avtalet löper ut" in page
    assert "Matteappen</a>: ingen ägare" not in page
    assert "Förvaltar: IT-enheten" in page  # the administration level's column
    high = page.index("Hög risk")
    assert page.index("Matteappen", high) < page.index("Begränsad risk", high)


def test_management_enters_a_solution_by_hand_and_decommissions_it(client, db, people, login_as):
    unit = factories.make_unit(db)
    db.commit()
    login_as(Role.VIEWER)
    assert client.get("/solutions/new").status_code == 403
    login_as(Role.MANAGEMENT)
    refused = client.post("/solutions/new", data={"name": "Talsyntes", "uses_ai": "yes"})
    assert refused.status_code == 422 and "Välj riskklass när lösningen använder AI." in refused.get_data(as_text=True)
    response = client.post("/solutions/new", data={
        "name": "Talsyntes", "uses_ai": "yes", "ai_risk_class": "minimal", "yearly_cost": "310 000",
        "units": [str(unit.id)], "owner_manage_administration": "IT-enheten", "owner_support_school": "Biblioteket",
    })
    assert response.status_code == 302
    solution = db.scalar(select(Solution))
    assert {(o.responsibility, o.level) for o in solution.owners} == {
        (Responsibility.MANAGE, OwnerLevel.ADMINISTRATION), (Responsibility.SUPPORT, OwnerLevel.SCHOOL)}
    assert client.post(f"/solutions/{solution.id}/decommission",
                       data={"decommissioned_on": "2026-12-01", "reason": ""}).status_code == 422
    assert client.post(f"/solutions/{solution.id}/decommission",
                       data={"decommissioned_on": "2026-12-01", "reason": "Ersatt"}).status_code == 302
    db.refresh(solution)
    assert (solution.decommissioned_on, solution.decommission_reason) == (dt.date(2026, 12, 1), "Ersatt")
    page = client.get("/solutions").get_data(as_text=True)
    assert "Avvecklade lösningar" in page and "avvecklad 2026-12-01" in page
    assert client.post(f"/solutions/{solution.id}/decommission",
                       data={"decommissioned_on": "2026-12-02", "reason": "Igen"}).status_code == 409
