"""Generated pilots for trying the portfolio at scale (`flask --app portfolio seed-demo --pilots N`).

Next to the hand-written demo, this adds N realistic pilots in every phase: strategic goals,
effect goals, indicators with baselines, targets and valuations, test and follow-up measurements,
costs, decisions with their paper versions, follow-up schedules, roll-outs and harvest decisions.
It writes with bulk inserts (a few statements per table, whatever N is) and renders no paper: a
decided generated pilot's paper versions hold one small stand-in PDF that says it is generated.
The same seed gives the same pilots. One audit entry records what was generated.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from portfolio.domain import follow_up as follow_up_rules
from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.domain.follow_up import HarvestKind
from portfolio.domain.lifecycle import Origin, Phase, Step, format_code
from portfolio.domain.process import DecisionOutcome, RolloutStatus, TransitionKind
from portfolio.domain.roles import Role
from portfolio.models import (
    CostItem,
    Decision,
    EffectGoal,
    FollowUp,
    Goal,
    GoalCategory,
    HarvestDecision,
    ImplementationPlan,
    Indicator,
    Measurement,
    MeasurementPhase,
    PaperVersion,
    PhaseTransition,
    Pilot,
    RolloutUnit,
    Unit,
    User,
    UserRole,
    pilot_goals,
    utcnow,
)
from portfolio.services import audit, figures

#: A one-page PDF saying the paper is a stand-in: generated pilots get no rendered paper.
STAND_IN_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 62>>stream\nBT /F1 18 Tf 72 760 Td (Genererad exempelpilot: inget underlag) Tj ET\n"
    b"endstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_SUBJECTS = (
    ("Digital närvaroregistrering", "förskolan"), ("Chattbot för vårdnadshavare", "grundskolan"),
    ("AI-stöd för bedömning", "gymnasiet"), ("Schemaläggning med optimering", "grundskolan"),
    ("Sensorer för inomhusklimat", "förskolan"), ("Digitala läromedel i matematik", "grundskolan"),
    ("Talsyntes för elever med läsnedsättning", "grundskolan"), ("Robot för disk i skolköket", "skolmåltider"),
    ("Digital vikarieförmedling", "förskolan"), ("Bokningssystem för idrottshallar", "fritid"),
    ("Självscanning av läromedel", "skolbiblioteket"), ("Energistyrning i skolbyggnader", "lokaler"),
    ("Digital ansökan till fritidshem", "fritidshemmet"), ("Språkstöd med översättningsapp", "förskolan"),
)
_INDICATORS = (
    # name, unit, direction, baseline, target, SEK per unit, annual volume, class
    ("Minuter per dag på administration per medarbetare", "minuter", Direction.LOWER_IS_BETTER, 45, 30,
     "9.20", 40000, BenefitClass.REALLOCATION),
    ("Utskrivna sidor per månad", "sidor", Direction.LOWER_IS_BETTER, 4000, 2500, "0.40", 12, BenefitClass.FINANCIAL),
    ("Licenser för ersatta system", "licenser", Direction.LOWER_IS_BETTER, 40, 10, "1400", 1, BenefitClass.FINANCIAL),
    ("Andel elever som når målen", "procent", Direction.HIGHER_IS_BETTER, 72, 80, None, None, BenefitClass.UNVALUED),
    ("Nöjdhet bland vårdnadshavare", "index", Direction.HIGHER_IS_BETTER, 62, 75, None, None, BenefitClass.UNVALUED),
    ("Timmar per vecka på manuell planering", "timmar", Direction.LOWER_IS_BETTER, 20, 8, "550", 40,
     BenefitClass.REALLOCATION),
    ("Energiförbrukning per år", "MWh", Direction.LOWER_IS_BETTER, 900, 780, "1100", 1, BenefitClass.FINANCIAL),
)
#: How the generated pilots spread over the phases (weights), and the steps within scale-up.
_PHASES = ((Phase.IDEA, 12), (Phase.TEST, 25), (Phase.SCALE_UP, 15), (Phase.IMPLEMENTATION, 28), (Phase.CLOSED, 10),
           (Phase.PARKED, 10))
_YEARS = tuple(range(2019, 2027))


def _ids(session: Session, model, rows: list[dict]) -> list[int]:
    """Insert `rows` in one bulk statement and return their new ids in the same order."""
    if not rows:
        return []
    return list(session.scalars(insert(model).returning(model.id, sort_by_parameter_order=True), rows))


def _insert(session: Session, target, rows: list[dict]) -> None:
    if rows:
        session.execute(insert(target), rows)


def generate(session: Session, count: int, *, seed: int = 2026, today: dt.date | None = None) -> Counter:
    """Add `count` generated pilots (flushes, never commits) and return how many rows of each kind."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    now = utcnow()
    leaders = list(session.scalars(select(User.id).join(UserRole).where(UserRole.role == Role.INNOVATION_LEADER)
                                   .order_by(User.id)))
    managers = list(session.scalars(select(User.id).join(UserRole).where(UserRole.role == Role.MANAGEMENT)
                                    .order_by(User.id)))
    units = list(session.execute(select(Unit.id, Unit.level).where(Unit.active).order_by(Unit.id)))
    goals = list(session.scalars(select(Goal.id).where(Goal.active).order_by(Goal.id)))
    if not leaders or not managers or not units:
        raise ValueError("Load the demo first: generated pilots need innovation leaders, a manager and units.")
    schools = [unit_id for unit_id, level in units if level == "school"] or [unit_id for unit_id, _ in units]
    numbers = {year: _highest_number(session, year) for year in _YEARS}
    counts: Counter = Counter()

    # Pilots
    specs = []
    for _n in range(count):
        year = rng.choice(_YEARS)
        numbers[year] += 1
        phase = rng.choices([p for p, _w in _PHASES], [w for _p, w in _PHASES])[0]
        subject, area = rng.choice(_SUBJECTS)
        test_start = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
        test_end = test_start + dt.timedelta(days=rng.randint(120, 400))
        step = {Phase.SCALE_UP: rng.randint(0, 3), Phase.IMPLEMENTATION: Step.DECIDED,
                Phase.CLOSED: Step.DECIDED, Phase.PARKED: Step.DECISION_BASIS_READY}.get(phase, 0)
        decided_on = min(test_end + dt.timedelta(days=rng.randint(30, 120)), today - dt.timedelta(days=30))
        specs.append({
            "year": year, "phase": phase, "step": int(step), "decided_on": decided_on,
            "row": {
                "code": format_code(year, numbers[year]), "title": f"{subject} i {area} ({numbers[year]})",
                "need": f"Behovet i {area}: mycket tid går till sådant som kan göras enklare.",
                "description": f"{subject}: en genererad exempelpilot för att pröva portföljen i stor skala.",
                "idea_bearer": "Genererad", "innovation_leader_id": rng.choice(leaders),
                "unit_id": rng.choice(units)[0], "origin": rng.choice(list(Origin)), "target_groups": area.capitalize(),
                "test_start": test_start if phase is not Phase.IDEA else None,
                "test_end": test_end if phase is not Phase.IDEA else None, "phase": phase, "step": int(step),
                "created_at": now, "updated_at": now,
                "review_comment": "Effektmålen översedda." if step >= 1 else "",
                "results_summary": "Resultaten sammanfattade." if step >= 2 else "",
                "lessons_learned": "Lärdomar från testet." if step >= 2 else "",
                "revisit_on": decided_on + dt.timedelta(days=rng.randint(60, 500)) if phase is Phase.PARKED else None,
                "finance_signed_off_by_id": None, "finance_signed_off_at": now if step >= 3 else None,
            },
        })
    pilot_ids = _ids(session, Pilot, [spec["row"] for spec in specs])
    counts["pilots"] = len(pilot_ids)
    _insert(session, pilot_goals, [
        {"pilot_id": pilot_id, "goal_id": goal_id}
        for pilot_id in pilot_ids for goal_id in rng.sample(goals, k=min(len(goals), rng.randint(1, 3)))
    ])
    _insert(session, PhaseTransition, [
        {"pilot_id": pilot_id, "from_phase": None, "to_phase": spec["phase"], "from_step": 0, "to_step": spec["step"],
         "kind": TransitionKind.MOVE, "actor_id": spec["row"]["innovation_leader_id"],
         "comment": "Genererad exempelpilot.", "at": now}
        for pilot_id, spec in zip(pilot_ids, specs, strict=True)
    ])

    # Effect goals and indicators
    goal_rows, goal_owner = [], []
    for pilot_id, spec in zip(pilot_ids, specs, strict=True):
        for position in range(1, rng.randint(1, 3) + 1):
            goal_rows.append({"pilot_id": pilot_id, "statement": "Mindre tid på rutinuppgifter och bättre kvalitet",
                              "category": rng.choice(list(GoalCategory)), "beneficiary": "Personal",
                              "position": position, "created_at": now})
            goal_owner.append((pilot_id, spec))
    goal_ids = _ids(session, EffectGoal, goal_rows)
    counts["effect_goals"] = len(goal_ids)
    indicator_rows, indicator_owner = [], []
    for goal_id, (pilot_id, spec) in zip(goal_ids, goal_owner, strict=True):
        for position in range(1, rng.randint(1, 2) + 1):
            name, unit, direction, baseline, target, per_unit, volume, benefit_class = rng.choice(_INDICATORS)
            scale = Decimal(rng.randint(5, 30)) / 10
            indicator_rows.append({
                "effect_goal_id": goal_id, "name": name, "unit": unit, "direction": direction,
                "measurement_method": "Mätning enligt mätplanen.", "data_source": "Verksamhetssystemet",
                "frequency": "Per termin", "baseline_value": Decimal(baseline),
                "baseline_date": spec["row"]["test_start"] or dt.date(spec["year"], 1, 15),
                "target_value": Decimal(target), "target_date": spec["row"]["test_end"] or dt.date(spec["year"], 12, 15),
                "position": position, "created_at": now,
                "value_per_unit": Decimal(per_unit) if per_unit else None,
                "annual_volume": (Decimal(volume) * scale).quantize(Decimal(1)) if volume else None,
                "benefit_class": benefit_class,
            })
            indicator_owner.append((pilot_id, spec))
    indicator_ids = _ids(session, Indicator, indicator_rows)
    counts["indicators"] = len(indicator_ids)

    # Measurements: from the test for every pilot past the idea, follow-up after a scale-up
    measurement_rows = []
    latest_follow_up: dict[int, Decimal] = {}
    for indicator_id, row, (_pilot_id, spec) in zip(indicator_ids, indicator_rows, indicator_owner, strict=True):
        if spec["phase"] is Phase.IDEA:
            continue
        baseline, target = row["baseline_value"], row["target_value"]
        progress = Decimal(rng.randint(-10, 110)) / 100
        for k in range(rng.randint(1, 3)):
            value = baseline + (target - baseline) * progress * (k + 1) / 3
            measured_on = spec["row"]["test_start"] + dt.timedelta(days=60 * (k + 1))
            measurement_rows.append({"indicator_id": indicator_id, "measured_on": min(measured_on, today),
                                     "value": value.quantize(Decimal("0.01")), "phase": MeasurementPhase.TEST,
                                     "comment": "", "created_at": now})
        if spec["phase"] is Phase.IMPLEMENTATION:
            for k, months in enumerate((6, 12, 24)):
                measured_on = follow_up_rules.add_months(spec["decided_on"], months)
                if measured_on > today or rng.random() < 0.2:
                    continue
                value = baseline + (target - baseline) * min(progress + Decimal("0.1") * k, Decimal("1.2"))
                value = value.quantize(Decimal("0.01"))
                measurement_rows.append({"indicator_id": indicator_id, "measured_on": measured_on, "value": value,
                                         "phase": MeasurementPhase.FOLLOW_UP, "comment": "", "created_at": now})
                latest_follow_up[indicator_id] = value
    _insert(session, Measurement, measurement_rows)
    counts["measurements"] = len(measurement_rows)

    # Costs
    cost_rows = []
    for pilot_id, spec in zip(pilot_ids, specs, strict=True):
        year = spec["year"]
        cost_rows.append({"pilot_id": pilot_id, "category": CostCategory.PERSONNEL, "kind": CostKind.ONE_OFF,
                          "phase": CostPhase.TEST, "first_year": year, "last_year": None,
                          "amount": Decimal(rng.randint(5, 40) * 10000), "note": "Projektledning i testet",
                          "created_at": now, "updated_at": now})
        if spec["phase"] is Phase.IDEA:
            continue
        first = spec["decided_on"].year + 1
        cost_rows += [
            {"pilot_id": pilot_id, "category": CostCategory.HARDWARE, "kind": CostKind.ONE_OFF,
             "phase": CostPhase.IMPLEMENTATION, "first_year": first, "last_year": None,
             "amount": Decimal(rng.randint(10, 90) * 10000), "note": "Utrustning", "created_at": now,
             "updated_at": now},
            {"pilot_id": pilot_id, "category": CostCategory.LICENCE, "kind": CostKind.RECURRING,
             "phase": CostPhase.OPERATION, "first_year": first, "last_year": None,
             "amount": Decimal(rng.randint(2, 30) * 10000), "note": "Licens per år", "created_at": now,
             "updated_at": now},
        ]
    _insert(session, CostItem, cost_rows)
    counts["cost_items"] = len(cost_rows)

    # Papers, decisions, follow-ups, roll-outs and harvests for the decided pilots
    sha = hashlib.sha256(STAND_IN_PDF).hexdigest()
    outcomes = {Phase.IMPLEMENTATION: DecisionOutcome.SCALE_UP, Phase.CLOSED: DecisionOutcome.STOP,
                Phase.PARKED: DecisionOutcome.PARK}
    decided = [(pilot_id, spec) for pilot_id, spec in zip(pilot_ids, specs, strict=True)
               if spec["phase"] in outcomes or (spec["phase"] is Phase.SCALE_UP and spec["step"] >= 2)]
    paper_ids = _ids(session, PaperVersion, [
        {"pilot_id": pilot_id, "number": 1, "is_draft": spec["phase"] is Phase.SCALE_UP and spec["step"] < 3,
         "is_decision_copy": False, "sha256": sha, "data_fingerprint": "0" * 64, "language": "sv",
         "size": len(STAND_IN_PDF), "pdf": STAND_IN_PDF, "created_by_id": spec["row"]["innovation_leader_id"],
         "created_at": now}
        for pilot_id, spec in decided
    ])
    counts["paper_versions"] = len(paper_ids)
    decision_rows, decision_owner = [], []
    for paper_id, (pilot_id, spec) in zip(paper_ids, decided, strict=True):
        outcome = outcomes.get(spec["phase"])
        if outcome is None:
            continue
        decision_rows.append({
            "pilot_id": pilot_id, "outcome": outcome, "decision_text": "Förvaltningschefen beslutar enligt förslaget.",
            "decision_maker": "Förvaltningschefen", "presenter": "Innovationsledaren",
            "body": f"Ledningsgruppen {spec['decided_on'].isoformat()}", "decided_on": spec["decided_on"],
            "case_number": f"SFF {spec['decided_on'].year}/{pilot_id}", "delegation_reference": "", "conditions": "",
            "new_test_end": None, "revisit_on": spec["row"]["revisit_on"],
            "lessons_learned": "Lösningen passade inte verksamheten." if outcome is DecisionOutcome.STOP else "",
            "step_before": 3, "paper_version_id": paper_id, "archived_paper_version_id": None,
            "recorded_by_id": rng.choice(managers), "recorded_at": now,
        })
        decision_owner.append((pilot_id, spec))
    decision_ids = _ids(session, Decision, decision_rows)
    counts["decisions"] = len(decision_ids)

    follow_up_rows, plans = [], []
    scaled = [(decision_id, pilot_id, spec) for decision_id, (pilot_id, spec) in
              zip(decision_ids, decision_owner, strict=True) if spec["phase"] is Phase.IMPLEMENTATION]
    for decision_id, pilot_id, spec in scaled:
        follow_up_rows += [{"pilot_id": pilot_id, "decision_id": decision_id, "due_on": due_on, "created_at": now,
                            "version": 1} for due_on in follow_up_rules.default_schedule(spec["decided_on"])]
        plans.append({"pilot_id": pilot_id, "target_groups": spec["row"]["target_groups"],
                      "children_use_solution": rng.random() < 0.5, "updated_at": now})
    _insert(session, FollowUp, follow_up_rows)
    counts["follow_ups"] = len(follow_up_rows)
    plan_ids = _ids(session, ImplementationPlan, plans)
    rollout_rows = []
    for plan_id in plan_ids:
        chosen = rng.sample(schools, k=min(len(schools), rng.randint(2, 8)))
        for unit_id in chosen:
            status = rng.choices(list(RolloutStatus), [1, 1, 3])[0]
            start = today - dt.timedelta(days=rng.randint(0, 700))
            rollout_rows.append({"plan_id": plan_id, "unit_id": unit_id, "status": status, "planned_start": start,
                                 "in_use_from": start + dt.timedelta(days=14) if status is RolloutStatus.IN_USE
                                 else None})
    _insert(session, RolloutUnit, rollout_rows)
    counts["rollout_units"] = len(rollout_rows)

    harvest_rows = []
    scaled_ids = {pilot_id for _d, pilot_id, _s in scaled}
    for indicator_id, row, (pilot_id, spec) in zip(indicator_ids, indicator_rows, indicator_owner, strict=True):
        if pilot_id not in scaled_ids or indicator_id not in latest_follow_up or rng.random() < 0.4:
            continue
        benefit = follow_up_rules.benefit(follow_up_rules.BenefitInput(
            key=indicator_id, direction=str(row["direction"]), baseline=row["baseline_value"],
            target=row["target_value"], value_per_unit=row["value_per_unit"], annual_volume=row["annual_volume"],
            benefit_class=str(row["benefit_class"]), latest_follow_up=latest_follow_up[indicator_id]))
        if benefit.realised is None or benefit.realised < 100:
            continue
        amount = (benefit.realised * Decimal(rng.randint(30, 90)) / 100).quantize(Decimal(1))
        budget = benefit.benefit_class == "financial"
        harvest_rows.append({
            "pilot_id": pilot_id, "indicator_id": indicator_id,
            "kind": HarvestKind.BUDGET_REDUCTION if budget else HarvestKind.HOURS_REDEPLOYED, "amount": amount,
            "budget_line": "Verksamhetens budget" if budget else "", "budget_year": spec["decided_on"].year + 1
            if budget else None, "hours": None if budget else (amount / 550).quantize(Decimal(1)) or Decimal(1),
            "redeployed_to": "" if budget else "Undervisning och barngrupp", "owner": "Enhetschef",
            "decided_on": min(spec["decided_on"] + dt.timedelta(days=400), today), "note": "",
            "recorded_by_id": rng.choice(managers), "recorded_at": now,
        })
    _insert(session, HarvestDecision, harvest_rows)
    counts["harvest_decisions"] = len(harvest_rows)
    session.flush()
    figures.ensure(session)  # the bulk inserts pass the session's change notes by
    audit.record(session, None, "seed_demo", "demo", None, after={"generated": dict(sorted(counts.items()))})
    session.flush()
    return counts


def _highest_number(session: Session, year: int) -> int:
    prefix = format_code(year, 0)[:-3]
    codes: Sequence[str] = session.scalars(select(Pilot.code).where(Pilot.code.startswith(prefix))).all()
    return max((int(code[len(prefix):]) for code in codes if code[len(prefix):].isdigit()), default=0)

