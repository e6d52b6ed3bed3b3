"""The demo data (`flask --app portfolio seed-demo`): what someone trying the tool meets first."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portfolio import demo
from portfolio.domain.economics import BenefitClass, CostInput, IndicatorInput, evaluate
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import (
    AuditEntry,
    CostItem,
    EffectGoal,
    GoalFramework,
    Indicator,
    MeasurementPhase,
    Pilot,
    User,
)
from portfolio.services import papers, process, settings
from tests.process_scenario import fast_papers  # noqa: F401

DEMO_ROLES = {
    "innovation@example.org": Role.INNOVATION_LEADER,
    "ekonomi@example.org": Role.FINANCE,
    "ledning@example.org": Role.MANAGEMENT,
    "lasare@example.org": Role.VIEWER,
    "admin@example.org": Role.ADMIN,
}


@pytest.fixture
def seeded(db, fast_papers):
    demo.seed(db)
    db.commit()
    return db


def _pilot(db, title_start: str) -> Pilot:
    return db.scalars(select(Pilot).where(Pilot.title.startswith(title_start))).one()


def _evaluation(db, pilot: Pilot):
    """The pilot's economics as the pages compute them: latest test measurement per indicator."""
    indicators = db.scalars(
        select(Indicator).join(EffectGoal).where(EffectGoal.pilot_id == pilot.id).order_by(Indicator.id)
    ).all()
    inputs = []
    for ind in indicators:
        tests = [m for m in ind.measurements if m.phase is MeasurementPhase.TEST]
        inputs.append(IndicatorInput(
            key=str(ind.id), name=ind.name, unit=ind.unit, direction=ind.direction,
            baseline=ind.baseline_value, target=ind.target_value,
            latest=tests[-1].value if tests else None,
            value_per_unit=ind.value_per_unit, annual_volume=ind.annual_volume, benefit_class=ind.benefit_class,
        ))
    costs = [
        CostInput(category=c.category, kind=c.kind, phase=c.phase, first_year=c.first_year,
                  last_year=c.last_year, amount=c.amount)
        for c in db.scalars(select(CostItem).where(CostItem.pilot_id == pilot.id))
    ]
    return evaluate(inputs, costs, settings.parameters_for(db, pilot))


def test_each_demo_account_has_its_role_and_logs_in_with_the_demo_password(seeded, client):
    for email, role in DEMO_ROLES.items():
        user = seeded.scalars(select(User).where(User.email == email)).one()
        assert user.roles == {role}
        response = client.post("/login", data={"email": email, "password": "portfolio-demo"})
        assert response.status_code == 302, email
        client.post("/logout")
    assert {email for email, _label in demo.ACCOUNTS} == set(DEMO_ROLES) | {"innovation2@example.org"}


def test_a_second_innovation_leader_owns_other_pilots(seeded):
    leaders = {
        email for (email,) in seeded.execute(
            select(User.email).join(Pilot, Pilot.innovation_leader_id == User.id).distinct()
        )
    }
    assert leaders == {"innovation@example.org", "innovation2@example.org"}


def test_about_ten_pilots_in_every_phase_with_codes_and_a_recorded_history(seeded):
    pilots = seeded.scalars(select(Pilot)).all()
    assert 9 <= len(pilots) <= 14
    assert {p.phase for p in pilots} == set(Phase)
    assert {p.step for p in pilots if p.phase is Phase.SCALE_UP} == {1, 2, 3}
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for pilot in pilots:
        assert re.fullmatch(r"INN-\d{4}-\d{3}", pilot.code)
        assert pilot.code[4:8] == str(pilot.created_at.year)
        history = pilot.transitions
        assert history[0].from_phase is None
        assert (history[-1].to_phase, history[-1].to_step) == (pilot.phase, pilot.step)
        assert all(t.at < now for t in history)
        assert [t.at for t in history] == sorted(t.at for t in history)
    closed = next(p for p in pilots if p.phase is Phase.CLOSED)
    assert "Lärdomar" in closed.transitions[-1].comment
    past_test = [p for p in pilots if p.phase in (Phase.SCALE_UP, Phase.IMPLEMENTATION)]
    assert past_test and all(p.first_year is not None for p in past_test)


def test_laiban_is_implemented_and_its_full_value_dwarfs_its_cash_value(seeded):
    laiban = _pilot(seeded, "Laiban")
    assert (laiban.phase, laiban.step) == (Phase.IMPLEMENTATION, Step.DECIDED)
    assert laiban.finance_signed_off_by.email == "ekonomi@example.org"
    evaluation = _evaluation(seeded, laiban)
    assert evaluation.cash.npv < 0 < evaluation.full.npv
    assert evaluation.full.npv - evaluation.cash.npv > Decimal("10000000")
    assert not evaluation.is_estimate
    assert evaluation.benefits_by_class[BenefitClass.FINANCIAL].annual_value > 0
    assert [r.name for r in evaluation.unvalued] == [
        "Andel barn 4–5 år som klär på sig inför utevistelse med högst en påminnelse"
    ]
    follow_ups = [m for goal in seeded.scalars(select(EffectGoal).where(EffectGoal.pilot_id == laiban.id))
                  for ind in goal.indicators for m in ind.measurements if m.phase is MeasurementPhase.FOLLOW_UP]
    assert follow_ups


def test_the_portfolio_shows_a_dis_benefit_an_estimate_and_pilots_without_sign_off(seeded):
    chatbot = _pilot(seeded, "Chattbot")
    assert any(r.realised_annual_value is not None and r.realised_annual_value < 0
               for r in _evaluation(seeded, chatbot).indicators)
    booking = _pilot(seeded, "Gemensamt bokningssystem")
    assert _evaluation(seeded, booking).is_estimate
    signed = seeded.scalars(select(Pilot).where(Pilot.finance_signed_off_at.is_not(None))).all()
    assert 0 < len(signed) < seeded.scalar(select(func.count(Pilot.id)))


def test_existing_goal_framework_is_reused_and_two_are_added(seeded):
    names = seeded.scalars(select(GoalFramework.name)).all()
    assert sorted(names) == sorted(["Digitaliseringsstrategin", "Verksamhetsplan 2026", "Nämndens mål"])
    strategy = seeded.scalars(select(GoalFramework).where(GoalFramework.name == "Digitaliseringsstrategin")).one()
    assert [g.id for g in strategy.goals] == [1, 2, 3]
    assert any(goal.id == 1 for goal in _pilot(seeded, "Laiban").goals)


def test_the_seed_is_summarised_in_the_audit_log(seeded):
    entry = seeded.scalars(select(AuditEntry).where(AuditEntry.action == "seed_demo")).one()
    assert entry.actor_id is None
    assert entry.after["pilots"] == seeded.scalar(select(func.count(Pilot.id)))


def test_seeding_again_is_refused_and_changes_nothing(seeded):
    pilots = seeded.scalar(select(func.count(Pilot.id)))
    with pytest.raises(ValueError, match="already loaded"):
        demo.seed(seeded)
    seeded.rollback()
    assert seeded.scalar(select(func.count(Pilot.id))) == pilots


def test_cli_if_empty_seeds_only_once(runner, db):
    first = runner.invoke(args=["seed-demo", "--if-empty"])
    assert first.exit_code == 0, first.output
    assert "Demo data loaded." in first.output and "innovation@example.org" in first.output
    pilots = db.scalar(select(func.count(Pilot.id)))
    second = runner.invoke(args=["seed-demo", "--if-empty"])
    assert second.exit_code == 0, second.output
    assert "not loaded" in second.output
    assert db.scalar(select(func.count(Pilot.id))) == pilots
    assert db.scalar(select(func.count(User.id))) == len(demo.ACCOUNTS)


def test_laiban_went_through_all_four_steps_to_a_scale_up_decision_with_its_archived_paper(seeded):
    laiban = _pilot(seeded, "Laiban")
    assert (laiban.phase, laiban.step) == (Phase.IMPLEMENTATION, Step.DECIDED)
    kinds = [(t.kind.value, t.to_step) for t in laiban.transitions]
    assert kinds[-4:] == [("complete_step", 1), ("complete_step", 2), ("complete_step", 3), ("decision", 4)]
    assert laiban.review_comment and laiban.results_summary and laiban.lessons_learned
    [decision] = process.decisions_of(seeded, laiban)
    assert decision.outcome.value == "scale_up" and decision.case_number == "SFF 2024/1187"
    assert decision.decided_on == dt.date(2024, 12, 10) and "beslutar att" in decision.decision_text
    decided_on, archived = decision.paper_version, decision.archived_paper_version
    assert not decided_on.is_draft and archived.is_decision_copy and archived.number == decided_on.number + 1
    assert [v.number for v in papers.versions(seeded, laiban)] == [3, 2, 1]  # draft, final, archived copy
    assert process.is_locked(laiban)


def test_other_pilots_wait_at_steps_1_2_and_3_one_is_stopped_with_lessons_and_one_parked(seeded):
    waiting = sorted(p.step for p in seeded.scalars(select(Pilot).where(Pilot.phase == Phase.SCALE_UP)))
    assert waiting == [1, 2, 3]
    for title, reached in (("Digital närvaro", 3), ("AI-stöd", 2), ("Digital mätning av matsvinn", 1)):
        assert _pilot(seeded, title).step == reached
    attendance = _pilot(seeded, "Digital närvaro")
    state = process.status(seeded, attendance)
    assert state.current.step == Step.DECIDED and state.current.missing == ()  # ready for the decision
    stopped = _pilot(seeded, "Robotgräsklippare")
    assert stopped.phase is Phase.CLOSED and "idrottsplatser" in stopped.lessons_learned
    parked = _pilot(seeded, "VR-simulator")
    assert parked.phase is Phase.PARKED and parked.revisit_on == dt.date(2027, 1, 15)
    register = process.list_decisions(seeded)
    assert register.total == 2 and {d.pilot.title.split()[0] for d in register.items} == {"Laiban", "Digital"}
