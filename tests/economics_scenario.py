"""A realistic pilot for the economics tests (page, API, service), arranged with the factories.

Numbers are chosen so that öre matter (12,3456 kr per unit, 36 000,50 kr a year) and so that
every rule of DESIGN §5 is exercised: a measured and an unmeasured (estimated) benefit, a
reallocation and a financial class, an unvalued and an incomplete indicator, test costs
(sunk), a cost dated before year 0, one-off and recurring costs, and a ramp-up.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.models import MeasurementPhase, Pilot

from .factories import make_cost, make_effect_goal, make_indicator, make_measurement, make_pilot


@dataclass
class Scenario:
    pilot: Pilot
    ids: dict[str, int]


def laiban(db, *, leader=None, extra_goals: int = 0) -> Scenario:
    """The digital preschool assistant: first year 2027 (test ends 2026), ramp-up 50 % in 2027."""
    pilot = make_pilot(db, leader=leader, title="Laiban i förskolan", ramp_up=["0.5"])
    goal = make_effect_goal(db, pilot, statement="Färre minuter på rutinfrågor i tamburen")
    minutes = make_indicator(
        db, goal, name="Minuter per dag på rutinfrågor", unit="minuter", direction=Direction.LOWER_IS_BETTER,
        baseline_value=Decimal(60), target_value=Decimal(40), value_per_unit=Decimal("7.5"),
        annual_volume=Decimal(1200), benefit_class=BenefitClass.REALLOCATION,
    )
    make_measurement(db, minutes, value="55", measured_on=dt.date(2026, 3, 1))
    make_measurement(db, minutes, value="45", measured_on=dt.date(2026, 6, 1))
    # Same day, recorded later: this is the latest.
    make_measurement(db, minutes, value="44", measured_on=dt.date(2026, 6, 1))
    # Earlier date recorded afterwards, and a follow-up after scale-up: neither counts.
    make_measurement(db, minutes, value="59", measured_on=dt.date(2026, 2, 1))
    make_measurement(db, minutes, value="30", measured_on=dt.date(2027, 3, 1), phase=MeasurementPhase.FOLLOW_UP)
    licences = make_indicator(
        db, goal, name="Licenser i det gamla systemet", unit="st", direction=Direction.LOWER_IS_BETTER,
        baseline_value=Decimal(100), target_value=Decimal(0), value_per_unit=Decimal("12.3456"),
        annual_volume=Decimal("10.5"), benefit_class=BenefitClass.FINANCIAL,
    )
    quality = make_effect_goal(db, pilot, statement="Nöjdare pedagoger", position=1)
    satisfaction = make_indicator(
        db, quality, name="Nöjdhet bland pedagoger", unit="skala 1–5", direction=Direction.HIGHER_IS_BETTER,
        baseline_value=Decimal("3.1"), target_value=Decimal("4.0"),
    )
    make_measurement(db, satisfaction, value="3.6")
    unfinished = make_indicator(db, quality, name="Andel barn som använder Laiban", unit="%",
                                direction=Direction.HIGHER_IS_BETTER, target_value=None,
                                benefit_class=BenefitClass.FINANCIAL, value_per_unit=Decimal(1),
                                annual_volume=Decimal(1))
    make_cost(db, pilot, amount="25000", category=CostCategory.LICENCE, phase=CostPhase.TEST, first_year=2026)
    make_cost(db, pilot, amount="5000", category=CostCategory.SERVICES, phase=CostPhase.IMPLEMENTATION,
              first_year=2026)
    make_cost(db, pilot, amount="80000", category=CostCategory.HARDWARE, first_year=2027)
    make_cost(db, pilot, amount="36000.50", category=CostCategory.LICENCE, kind=CostKind.RECURRING,
              phase=CostPhase.OPERATION, first_year=2027)
    make_cost(db, pilot, amount="12345.67", category=CostCategory.TRAINING, first_year=2028)
    for n in range(extra_goals):
        more = make_effect_goal(db, pilot, statement=f"Effektmål {n}", position=10 + n)
        for m in range(3):
            indicator = make_indicator(
                db, more, name=f"Mått {n}.{m}", value_per_unit=Decimal(2), annual_volume=Decimal(100),
                benefit_class=BenefitClass.FINANCIAL if m % 2 else BenefitClass.REALLOCATION,
            )
            for day in range(1, 4):
                make_measurement(db, indicator, value=str(50 - day), measured_on=dt.date(2026, 5, day))
        make_cost(db, pilot, amount="1000", category=CostCategory.SUPPORT, kind=CostKind.RECURRING,
                  phase=CostPhase.OPERATION, first_year=2028, last_year=2029)
        make_cost(db, pilot, amount="700", phase=CostPhase.TEST, first_year=2026)
    db.commit()
    return Scenario(pilot, {"minutes": minutes.id, "licences": licences.id, "satisfaction": satisfaction.id,
                            "unfinished": unfinished.id})
