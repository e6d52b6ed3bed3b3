"""Factories that arrange test data directly with the models (not through the code under test)."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from decimal import Decimal

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.roles import Role
from portfolio.models import (
    CostItem,
    EffectGoal,
    GoalCategory,
    Indicator,
    Measurement,
    MeasurementPhase,
    PaperVersion,
    Pilot,
    Unit,
    UnitLevel,
    User,
    UserRole,
)

PASSWORD = "a long test password 2026"
PASSWORD_HASH = ""  # set once per session by conftest, with cheap Argon2 parameters
_seq = itertools.count(1)


def make_user(session, *, roles=(Role.VIEWER,), email=None, name=None, active=True) -> User:
    n = next(_seq)
    user = User(
        email=email or f"user{n}@example.org",
        name=name or f"Användare {n}",
        password_hash=PASSWORD_HASH,
        active=active,
    )
    user.role_rows = [UserRole(role=Role(role)) for role in roles]
    session.add(user)
    session.flush()
    return user


def make_unit(session, *, name=None, level=UnitLevel.SCHOOL) -> Unit:
    unit = Unit(name=name or f"Förskolan {next(_seq)}", level=level, active=True)
    session.add(unit)
    session.flush()
    return unit


def make_pilot(session, *, leader=None, unit=None, phase=Phase.TEST, **fields) -> Pilot:
    n = next(_seq)
    values = dict(
        code=f"INN-2026-{n:03d}",
        title=f"Pilot {n}",
        need="Ett behov",
        description="En beskrivning",
        idea_bearer="Idébärare",
        origin=Origin.IDEA_DRIVEN,
        target_groups="Förskolebarn",
        test_start=dt.date(2026, 1, 15),
        test_end=dt.date(2026, 12, 15),
        phase=phase,
        step=0,
    )
    values.update(fields)
    pilot = Pilot(innovation_leader_id=leader.id if leader else None, unit_id=unit.id if unit else None, **values)
    session.add(pilot)
    session.flush()
    return pilot


def make_effect_goal(session, pilot, **fields) -> EffectGoal:
    values = dict(statement="Färre minuter på rutinfrågor", category=GoalCategory.RESOURCE_EFFICIENCY,
                  beneficiary="Pedagoger")
    values.update(fields)
    goal = EffectGoal(pilot_id=pilot.id, **values)
    session.add(goal)
    session.flush()
    return goal


def make_indicator(session, goal, **fields) -> Indicator:
    values = dict(
        name="Minuter per dag på rutinfrågor",
        unit="minuter",
        direction=Direction.LOWER_IS_BETTER,
        measurement_method="Tidsloggning två veckor",
        data_source="Pedagogernas loggar",
        frequency="Per termin",
        baseline_value=Decimal("60"),
        baseline_date=dt.date(2026, 1, 15),
        target_value=Decimal("40"),
        target_date=dt.date(2026, 12, 15),
        value_per_unit=None,
        annual_volume=None,
        benefit_class=BenefitClass.UNVALUED,
    )
    values.update(fields)
    indicator = Indicator(effect_goal_id=goal.id, **values)
    session.add(indicator)
    session.flush()
    return indicator


def make_measurement(session, indicator, *, value, measured_on=dt.date(2026, 6, 1), phase=MeasurementPhase.TEST,
                     **fields) -> Measurement:
    measurement = Measurement(indicator_id=indicator.id, value=Decimal(value), measured_on=measured_on, phase=phase,
                              **fields)
    session.add(measurement)
    session.flush()
    return measurement


def make_cost(session, pilot, *, amount, category=CostCategory.LICENCE, kind=CostKind.ONE_OFF,
              phase=CostPhase.IMPLEMENTATION, first_year=2027, last_year=None, note="") -> CostItem:
    cost = CostItem(pilot_id=pilot.id, amount=Decimal(amount), category=category, kind=kind, phase=phase,
                    first_year=first_year, last_year=last_year, note=note)
    session.add(cost)
    session.flush()
    return cost


def make_paper_version(session, pilot, *, number=1, pdf=b"%PDF-1.7 stand-in bytes", is_draft=True,
                       data_fingerprint="0" * 64, created_by=None) -> PaperVersion:
    """A stored paper version with stand-in bytes (rendering a real paper takes a second)."""
    version = PaperVersion(pilot_id=pilot.id, number=number, is_draft=is_draft, is_decision_copy=False,
                           sha256=hashlib.sha256(pdf).hexdigest(), data_fingerprint=data_fingerprint,
                           language="sv", size=len(pdf), pdf=pdf,
                           created_by_id=created_by.id if created_by is not None else None)
    session.add(version)
    session.flush()
    return version
