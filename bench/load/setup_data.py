"""Arrange the load test's data: the demo portfolio plus one account per simulated person.

Usage: python setup_data.py ACCOUNTS_FILE LEADERS FINANCE MANAGEMENT VIEWERS
(the database from PORTFOLIO_DATABASE_URL, migrated). Each innovation leader gets a pilot of their
own in the test phase, with an effect goal and an indicator, to record measurements on. Writes the
accounts (e-mail, role, and for leaders their pilot code and indicator id) as JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from decimal import Decimal

from sqlalchemy import select

from portfolio import create_app, demo
from portfolio.db import get_session
from portfolio.domain.economics import BenefitClass, Direction
from portfolio.domain.lifecycle import Origin, Phase
from portfolio.domain.roles import Role
from portfolio.models import EffectGoal, GoalCategory, Indicator, PaperVersion, Pilot, User, UserRole
from portfolio.services import users

PASSWORD = "load-test-password-2026"


def main() -> None:
    target, *counts = sys.argv[1:]
    leaders, finance, management, viewers = (int(n) for n in counts)
    app = create_app()
    with app.app_context():
        db = get_session()
        demo.seed(db)
        password_hash = users.hash_password(PASSWORD)  # the production hasher, once for every account
        accounts = []
        plan = [(Role.INNOVATION_LEADER, leaders), (Role.FINANCE, finance), (Role.MANAGEMENT, management),
                (Role.VIEWER, viewers)]
        for role, count in plan:
            for n in range(1, count + 1):
                user = User(email=f"{role.value.replace('_', '-')}-{n}@load.example", name=f"{role.value} {n}",
                            password_hash=password_hash, active=True)
                user.role_rows = [UserRole(role=role)]
                db.add(user)
                db.flush()
                account = {"email": user.email, "role": role.value}
                if role is Role.INNOVATION_LEADER:
                    pilot = Pilot(code=f"LOAD-2026-{n:03d}", title=f"Lasttestets pilot {n}", need="Ett behov",
                                  description="Skapad för lasttestet", idea_bearer="Lasttest",
                                  origin=Origin.IDEA_DRIVEN, target_groups="Pedagoger",
                                  test_start=dt.date(2026, 1, 15), test_end=dt.date(2026, 12, 15),
                                  phase=Phase.TEST, step=0, innovation_leader_id=user.id)
                    db.add(pilot)
                    db.flush()
                    goal = EffectGoal(pilot_id=pilot.id, statement="Mindre tid på rutinfrågor",
                                      category=GoalCategory.RESOURCE_EFFICIENCY, beneficiary="Pedagoger")
                    db.add(goal)
                    db.flush()
                    indicator = Indicator(
                        effect_goal_id=goal.id, name="Minuter per dag", unit="minuter",
                        direction=Direction.LOWER_IS_BETTER, measurement_method="Tidslogg", data_source="Loggar",
                        frequency="Per vecka", baseline_value=Decimal("60"), baseline_date=dt.date(2026, 1, 15),
                        target_value=Decimal("40"), target_date=dt.date(2026, 12, 15),
                        benefit_class=BenefitClass.UNVALUED)
                    db.add(indicator)
                    db.flush()
                    account |= {"pilot": pilot.code, "indicator": indicator.id}
                accounts.append(account)
        db.commit()
        with_papers = sorted(set(db.scalars(select(Pilot.code).join(PaperVersion, PaperVersion.pilot_id == Pilot.id))))
        demo_pilots = sorted(code for code in db.scalars(select(Pilot.code)) if not code.startswith("LOAD-"))
    with open(target, "w", encoding="utf-8") as file:
        json.dump({"password": PASSWORD, "accounts": accounts, "pilots": demo_pilots, "paper_pilots": with_papers},
                  file)
    print(f"{len(accounts)} load-test accounts, {leaders} pilots of their own; {len(with_papers)} demo pilots with papers")


if __name__ == "__main__":
    main()
