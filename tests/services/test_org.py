"""Units, goal frameworks and goals: unique names, deactivation instead of deletion, audit entries,
and the settings the admin keeps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from portfolio.domain.economics import SensitivityFactors
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, GoalFramework, UnitLevel
from portfolio.services import org
from portfolio.services import settings as settings_service
from tests import factories


@pytest.fixture
def admin(db):
    return factories.make_user(db, roles=[Role.ADMIN])


def _entries(db, entity):
    return list(db.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)))


def test_create_and_update_a_unit_with_audit_entries(db, admin):
    unit = org.create_unit(db, name="  Förskolan   Lärkan ", level=UnitLevel.SCHOOL, actor=admin)
    assert unit.name == "Förskolan Lärkan" and unit.active

    org.update_unit(db, unit, name="Förskolan Lärkan", level=UnitLevel.AREA, active=False, actor=admin)

    created, updated = _entries(db, "unit")
    assert created.after == {"name": "Förskolan Lärkan", "level": "school", "active": True}
    assert updated.before == {"level": "school", "active": True}
    assert updated.after == {"level": "area", "active": False}
    assert unit not in org.active_units(db) and unit in org.list_units(db)


@pytest.mark.parametrize("taken", ["Östra skolan", "östra skolan", "ÖSTRA SKOLAN", "ostra skolan "])
def test_unit_names_are_unique(db, admin, taken):
    factories.make_unit(db, name="Östra skolan" if taken != "ostra skolan " else "Ostra skolan")
    with pytest.raises(org.DuplicateNameError):
        org.create_unit(db, name=taken, level=UnitLevel.SCHOOL, actor=admin)


def test_renaming_a_unit_to_its_own_name_is_fine_but_not_to_anothers(db, admin):
    first = factories.make_unit(db, name="Alfa")
    factories.make_unit(db, name="Beta")
    org.update_unit(db, first, name="Alfa", level=UnitLevel.SCHOOL, active=True, actor=admin)
    with pytest.raises(org.DuplicateNameError):
        org.update_unit(db, first, name="beta", level=UnitLevel.SCHOOL, active=True, actor=admin)
    assert first.name == "Alfa"


def test_unit_usage_counts_pilots_in_one_query(db):
    used, unused = factories.make_unit(db), factories.make_unit(db)
    factories.make_pilot(db, unit=used)
    factories.make_pilot(db, unit=used)
    assert org.unit_usage(db) == {used.id: 2}
    assert unused.id not in org.unit_usage(db)


def test_the_seeded_framework_lists_its_three_goal_areas(db):
    [framework] = org.list_frameworks(db)
    assert framework.name == "Digitaliseringsstrategin"
    assert len(framework.goals) == 3


def test_a_new_framework_and_its_goals_go_last(db, admin):
    framework = org.create_framework(db, name="Verksamhetsplan 2026", actor=admin)
    first = org.create_goal(db, framework, name="Ökad måluppfyllelse", actor=admin)
    second = org.create_goal(db, framework, name="Fler behöriga lärare", actor=admin)

    assert framework.position == 2  # after the seeded digitalisation strategy
    assert (first.position, second.position) == (1, 2)
    assert [f.name for f in org.list_frameworks(db)] == ["Digitaliseringsstrategin", "Verksamhetsplan 2026"]
    assert _entries(db, "goal")[0].after == {"name": "Ökad måluppfyllelse", "position": 1, "active": True,
                                             "framework_id": framework.id}


def test_goal_names_are_unique_within_a_framework_only(db, admin):
    plan = org.create_framework(db, name="Verksamhetsplan", actor=admin)
    board = org.create_framework(db, name="Nämndens mål", actor=admin)
    org.create_goal(db, plan, name="Trygg skola", actor=admin)
    org.create_goal(db, board, name="Trygg skola", actor=admin)  # another framework: fine
    with pytest.raises(org.DuplicateNameError):
        org.create_goal(db, plan, name="trygg skola", actor=admin)


def test_framework_names_are_unique(db, admin):
    with pytest.raises(org.DuplicateNameError):
        org.create_framework(db, name="digitaliseringsstrategin", actor=admin)


def test_deactivated_goals_and_frameworks_are_not_offered(db, admin):
    framework = db.get(GoalFramework, 1)
    goal = framework.goals[0]
    org.update_goal(db, goal, name=goal.name, position=goal.position, active=False, actor=admin)
    [(offered, goals)] = org.active_frameworks(db)
    assert offered is framework and goal not in goals and len(goals) == 2

    org.update_framework(db, framework, name=framework.name, position=1, active=False, actor=admin)
    assert org.active_frameworks(db) == []
    assert _entries(db, "goal_framework")[-1].after == {"active": False}


def test_update_settings_stores_fractions_as_decimal_strings_and_logs_the_change(db, admin):
    current = settings_service.get_settings(db)
    settings_service.update_settings(
        db, current, organisation_name="Skol- och fritidsförvaltningen Väst", discount_rate=Decimal("0.035"),
        horizon_years=10, ramp_up=(Decimal("0.5"), Decimal("1.00")),
        sensitivity=SensitivityFactors(benefits_low=Decimal("0.40"), benefits_high=Decimal("1.5")), actor=admin,
    )
    db.commit()
    db.expire_all()

    current = settings_service.get_settings(db)
    assert current.discount_rate == Decimal("0.035") and current.horizon_years == 10
    assert current.ramp_up == ["0.5", "1"]
    assert current.sensitivity == {"benefits_low": "0.4", "benefits_expected": "1", "benefits_high": "1.5",
                                   "costs_low": "1.2", "costs_expected": "1", "costs_high": "0.9"}
    [entry] = _entries(db, "settings")
    assert entry.before["discount_rate"] == "0.03" and entry.after["discount_rate"] == "0.035"
    assert "organisation_name" in entry.after and "sensitivity" in entry.after


def test_pilots_without_their_own_parameters_follow_the_new_defaults(db, admin):
    pilot = factories.make_pilot(db)
    settings_service.update_settings(
        db, settings_service.get_settings(db), organisation_name="Förvaltningen", discount_rate=Decimal("0.035"),
        horizon_years=7, ramp_up=(Decimal("0.5"),), sensitivity=SensitivityFactors(), actor=admin,
    )
    parameters = settings_service.parameters_for(db, pilot)
    assert parameters.discount_rate == Decimal("0.035") and parameters.horizon_years == 7
    assert parameters.ramp_up == (Decimal("0.5"),)


@pytest.mark.parametrize(("field", "value"), [("discount_rate", Decimal("0.25")), ("discount_rate", Decimal("-0.01")),
                                              ("horizon_years", 0), ("horizon_years", 31),
                                              ("ramp_up", (Decimal("1.5"),))])
def test_update_settings_refuses_values_out_of_range(db, admin, field, value):
    values = dict(organisation_name="Förvaltningen", discount_rate=Decimal("0.03"), horizon_years=5, ramp_up=(),
                  sensitivity=SensitivityFactors())
    values[field] = value
    with pytest.raises(ValueError):
        settings_service.update_settings(db, settings_service.get_settings(db), **values, actor=admin)
    assert _entries(db, "settings") == []


def test_saving_unchanged_settings_writes_no_entry(db, admin):
    current = settings_service.get_settings(db)
    settings_service.update_settings(
        db, current, organisation_name=current.organisation_name, discount_rate=Decimal("0.03"), horizon_years=5,
        ramp_up=(), sensitivity=SensitivityFactors(), actor=admin,
    )
    assert _entries(db, "settings") == []
