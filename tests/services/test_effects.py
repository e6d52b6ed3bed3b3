"""Effects service: changes are logged, valuation is left to finance, results come from the domain."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portfolio.domain.economics import BenefitClass, Direction
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, EffectGoal, GoalCategory, Indicator, Measurement, MeasurementPhase
from portfolio.services import effects

from tests.factories import make_effect_goal, make_indicator, make_measurement, make_pilot, make_user


@pytest.fixture
def leader(db):
    return make_user(db, roles=[Role.INNOVATION_LEADER])


@pytest.fixture
def pilot(db, leader):
    return make_pilot(db, leader=leader)


def entries(db, entity):
    return db.scalars(select(AuditEntry).where(AuditEntry.entity == entity).order_by(AuditEntry.id)).all()


def count(db, model):
    return db.scalar(select(func.count()).select_from(model))


INDICATOR = dict(
    name="Minuter per dag på rutinfrågor",
    unit="minuter",
    direction=Direction.LOWER_IS_BETTER,
    measurement_method="Tidsloggning",
    data_source="Loggar",
    frequency="Per termin",
    baseline_value=Decimal("60"),
    baseline_date=dt.date(2026, 1, 15),
    target_value=Decimal("40"),
    target_date=dt.date(2026, 12, 15),
)


def test_goals_are_added_after_each_other_and_logged(db, pilot, leader):
    first = effects.create_effect_goal(db, pilot, statement=" Färre minuter ", category=GoalCategory.QUALITY,
                                       beneficiary="Pedagoger", actor=leader)
    second = effects.create_effect_goal(db, pilot, statement="Nöjdare vårdnadshavare", category=GoalCategory.BOTH,
                                        beneficiary="", actor=leader)
    assert first.statement == "Färre minuter"
    assert second.position > first.position
    (created, _) = entries(db, "effect_goal")
    assert (created.action, created.actor_id, created.pilot_id, created.entity_id) == ("create", leader.id, pilot.id,
                                                                                       first.id)
    assert created.after == {"statement": "Färre minuter", "category": "quality", "beneficiary": "Pedagoger"}


def test_update_logs_only_what_changed_and_an_unchanged_save_logs_nothing(db, pilot, leader):
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal)
    db.commit()
    db.expire_all()  # as a new request would see it: numbers come back as 60.0000

    as_stored = {name: getattr(indicator, name) for name in effects.INDICATOR_FIELDS}
    effects.update_indicator(db, indicator, actor=leader, **as_stored | {"baseline_value": Decimal("60")})
    assert entries(db, "indicator") == []

    effects.update_indicator(db, indicator, actor=leader, **as_stored | {"target_value": Decimal("35")})
    (entry,) = entries(db, "indicator")
    assert entry.action == "update"
    assert entry.before["target_value"] == "40" and entry.after["target_value"] == "35"
    assert "baseline_value" not in entry.after


def test_an_indicator_is_created_unvalued_and_its_valuation_survives_edits(db, pilot, leader):
    goal = make_effect_goal(db, pilot)
    indicator = effects.create_indicator(db, goal, actor=leader, **INDICATOR)
    assert indicator.benefit_class is BenefitClass.UNVALUED and indicator.value_per_unit is None

    indicator.value_per_unit, indicator.annual_volume = Decimal("5.5"), Decimal("12000")  # finance's work
    indicator.benefit_class = BenefitClass.REALLOCATION
    effects.update_indicator(db, indicator, actor=leader, **INDICATOR | {"name": "Nytt namn"})
    db.commit()
    db.expire_all()
    assert (indicator.name, indicator.value_per_unit, indicator.benefit_class) == (
        "Nytt namn", Decimal("5.5"), BenefitClass.REALLOCATION)


def test_the_leader_cannot_set_the_valuation_through_this_service(db, pilot, leader):
    goal = make_effect_goal(db, pilot)
    with pytest.raises(ValueError, match="value_per_unit"):
        effects.create_indicator(db, goal, actor=leader, **INDICATOR, value_per_unit=Decimal(100))


def test_measurements_are_recorded_by_the_actor(db, pilot, leader):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    measurement = effects.create_measurement(db, indicator, measured_on=dt.date(2026, 6, 1), value=Decimal("-2.5"),
                                             phase=MeasurementPhase.TEST, comment=" Efter 6 veckor ", actor=leader)
    assert measurement.recorded_by_id == leader.id and measurement.comment == "Efter 6 veckor"
    (entry,) = entries(db, "measurement")
    assert entry.after["value"] == "-2.5" and entry.after["recorded_by_id"] == leader.id


def test_a_correction_keeps_who_recorded_it_and_logs_the_editor(db, pilot, leader):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    measurement = make_measurement(db, indicator, value="45", recorded_by_id=leader.id)
    colleague = make_user(db, roles=[Role.INNOVATION_LEADER])
    effects.update_measurement(db, measurement, measured_on=measurement.measured_on, value=Decimal("46"),
                               phase=MeasurementPhase.FOLLOW_UP, comment="", actor=colleague)
    assert measurement.recorded_by_id == leader.id
    (entry,) = entries(db, "measurement")
    assert entry.actor_id == colleague.id
    assert entry.before == {"value": "45", "phase": "test"} and entry.after == {"value": "46", "phase": "follow_up"}


def test_deleting_a_goal_deletes_its_indicators_and_measurements_and_logs_each(db, pilot, leader):
    goal = make_effect_goal(db, pilot)
    kept = make_indicator(db, make_effect_goal(db, pilot))
    make_measurement(db, kept, value="50")
    for _ in range(2):
        indicator = make_indicator(db, goal)
        make_measurement(db, indicator, value="55")
        make_measurement(db, indicator, value="50", measured_on=dt.date(2026, 9, 1))
    db.commit()

    effects.delete_effect_goal(db, goal, actor=leader)
    db.commit()

    assert (count(db, EffectGoal), count(db, Indicator), count(db, Measurement)) == (1, 1, 1)
    assert [e.action for e in entries(db, "effect_goal")] == ["delete"]
    assert len(entries(db, "indicator")) == 2 and len(entries(db, "measurement")) == 4
    assert all(e.pilot_id == pilot.id and e.actor_id == leader.id for e in entries(db, "measurement"))


def test_deleting_an_indicator_and_a_measurement(db, pilot, leader):
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal)
    other = make_indicator(db, goal)
    make_measurement(db, indicator, value="50")
    lone = make_measurement(db, other, value="50")
    db.commit()

    effects.delete_indicator(db, indicator, actor=leader)
    effects.delete_measurement(db, lone, actor=leader)
    db.commit()

    assert (count(db, Indicator), count(db, Measurement)) == (1, 0)
    assert [e.before["name"] for e in entries(db, "indicator")] == [indicator.name]


def test_objects_are_found_only_within_their_pilot(db, pilot, leader):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    measurement = make_measurement(db, indicator, value="1")
    elsewhere = make_pilot(db, leader=leader)
    assert effects.goal_in_pilot(db, elsewhere, indicator.effect_goal_id) is None
    assert effects.indicator_in_pilot(db, elsewhere, indicator.id) is None
    assert effects.measurement_in_pilot(db, elsewhere, measurement.id) is None
    assert effects.measurement_in_pilot(db, pilot, measurement.id) is measurement


def test_summary_uses_the_latest_measurement_by_date_and_the_domain_realisation(db, pilot):
    indicator = make_indicator(db, make_effect_goal(db, pilot))  # baseline 60, target 40, lower is better
    make_measurement(db, indicator, value="45", measured_on=dt.date(2026, 9, 1))
    make_measurement(db, indicator, value="55", measured_on=dt.date(2026, 3, 1))  # entered later, older
    db.commit()

    (goal,) = effects.effects_of_pilot(db, pilot)
    (summary,) = goal.indicators
    assert summary.latest.value == Decimal("45")
    assert summary.realisation == Decimal("0.75")
    assert [m.value for m in summary.measurements] == [Decimal("55"), Decimal("45")]
    assert summary.chart.latest.value == Decimal("45") and summary.chart.baseline.value == Decimal("60")
    assert goal.measurement_count == 2


@pytest.mark.parametrize(
    ("fields", "values"),
    [
        ({}, []),  # nothing measured yet
        ({"target_value": Decimal("60")}, ["45"]),  # target equals baseline: undefined, not zero
        ({"baseline_value": None}, ["45"]),
    ],
)
def test_realisation_is_left_empty_when_it_cannot_be_computed(db, pilot, fields, values):
    indicator = make_indicator(db, make_effect_goal(db, pilot), **fields)
    for value in values:
        make_measurement(db, indicator, value=value)
    db.commit()
    (goal,) = effects.effects_of_pilot(db, pilot)
    assert goal.indicators[0].realisation is None


def test_realisation_can_be_negative_or_beyond_target(db, pilot):
    worse = make_indicator(db, make_effect_goal(db, pilot))
    make_measurement(db, worse, value="70")
    better = make_indicator(db, make_effect_goal(db, pilot), direction=Direction.HIGHER_IS_BETTER,
                            baseline_value=Decimal(10), target_value=Decimal(20))
    make_measurement(db, better, value="25", phase=MeasurementPhase.FOLLOW_UP)
    db.commit()
    first, second = effects.effects_of_pilot(db, pilot)
    assert first.indicators[0].realisation == Decimal("-0.5")
    assert second.indicators[0].realisation == Decimal("1.5")


def _signed_off_pilot_with_indicator(db, leader, benefit_class):
    finance = make_user(db, roles=[Role.FINANCE])
    pilot = make_pilot(db, leader=leader, finance_signed_off_by_id=finance.id,
                       finance_signed_off_at=dt.datetime(2026, 11, 1, 9, 0))
    indicator = make_indicator(db, make_effect_goal(db, pilot), benefit_class=benefit_class,
                               value_per_unit=Decimal("9.20"), annual_volume=Decimal("1000"))
    return pilot, indicator


def test_moving_the_target_of_a_valued_indicator_clears_the_finance_sign_off(db, leader):
    pilot, indicator = _signed_off_pilot_with_indicator(db, leader, BenefitClass.REALLOCATION)
    effects.update_indicator(db, indicator, actor=leader, **(INDICATOR | {"target_value": Decimal("30")}))
    assert pilot.finance_signed_off_at is None and pilot.finance_signed_off_by_id is None
    assert entries(db, "pilot")[-1].action == "finance_signoff_cleared"


def test_rewording_a_valued_indicator_keeps_the_sign_off(db, leader):
    pilot, indicator = _signed_off_pilot_with_indicator(db, leader, BenefitClass.FINANCIAL)
    effects.update_indicator(db, indicator, actor=leader,
                             **(INDICATOR | {"name": "Minuter per dag", "baseline_value": Decimal("60"),
                                             "target_value": Decimal("40")}))
    assert pilot.finance_signed_off_at is not None


def test_changing_an_unvalued_indicator_keeps_the_sign_off(db, leader):
    pilot, indicator = _signed_off_pilot_with_indicator(db, leader, BenefitClass.UNVALUED)
    effects.update_indicator(db, indicator, actor=leader, **(INDICATOR | {"target_value": Decimal("30")}))
    assert pilot.finance_signed_off_at is not None


def test_deleting_a_valued_indicator_clears_the_sign_off(db, leader):
    pilot, indicator = _signed_off_pilot_with_indicator(db, leader, BenefitClass.FINANCIAL)
    effects.delete_indicator(db, indicator, actor=leader)
    assert pilot.finance_signed_off_at is None


# -- after the decision (DESIGN §3) ----------------------------------------------------------


def _decided_pilot(db, leader, **fields):
    """A pilot decided on (or as given by `fields`) with a goal, an indicator, a test and a follow-up value."""
    pilot = make_pilot(db, leader=leader, **({"phase": Phase.IMPLEMENTATION, "step": Step.DECIDED} | fields))
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal)
    test = make_measurement(db, indicator, value="50", phase=MeasurementPhase.TEST)
    follow_up = make_measurement(db, indicator, value="45", phase=MeasurementPhase.FOLLOW_UP,
                                 measured_on=dt.date(2027, 6, 1))
    db.commit()
    return pilot, goal, indicator, test, follow_up


def _rows(db):
    db.expire_all()
    return (
        db.execute(select(EffectGoal.id, EffectGoal.statement)).all(),
        db.execute(select(Indicator.id, Indicator.name, Indicator.target_value)).all(),
        db.execute(select(Measurement.id, Measurement.value, Measurement.phase)).all(),
        count(db, AuditEntry),
    )


MEASURED = dict(measured_on=dt.date(2027, 9, 1), value=Decimal("42"), comment="")


def test_the_decision_basis_of_a_decided_pilot_cannot_change(db, leader):
    pilot, goal, indicator, test, follow_up = _decided_pilot(db, leader)
    before = _rows(db)
    goal_values = dict(statement="Något annat", category=GoalCategory.QUALITY, beneficiary="")
    for attempt in (
        lambda: effects.create_effect_goal(db, pilot, actor=leader, **goal_values),
        lambda: effects.update_effect_goal(db, goal, actor=leader, **goal_values),
        lambda: effects.delete_effect_goal(db, goal, actor=leader),
        lambda: effects.create_indicator(db, goal, actor=leader, **INDICATOR),
        lambda: effects.update_indicator(db, indicator, actor=leader, **(INDICATOR | {"target_value": Decimal(1)})),
        lambda: effects.delete_indicator(db, indicator, actor=leader),
        lambda: effects.create_measurement(db, indicator, phase=MeasurementPhase.TEST, actor=leader, **MEASURED),
        lambda: effects.update_measurement(db, test, phase=MeasurementPhase.TEST, actor=leader, **MEASURED),
        lambda: effects.update_measurement(db, test, phase=MeasurementPhase.FOLLOW_UP, actor=leader, **MEASURED),
        lambda: effects.update_measurement(db, follow_up, phase=MeasurementPhase.TEST, actor=leader, **MEASURED),
        lambda: effects.delete_measurement(db, test, actor=leader),
    ):
        with pytest.raises(effects.DecisionBasisLocked):
            attempt()
    assert _rows(db) == before


def test_follow_up_measurements_of_a_decided_pilot_are_recorded_corrected_and_deleted(db, leader):
    _, _, indicator, test, follow_up = _decided_pilot(db, leader)
    added = effects.create_measurement(db, indicator, phase=MeasurementPhase.FOLLOW_UP, actor=leader, **MEASURED)
    effects.update_measurement(db, follow_up, phase=MeasurementPhase.FOLLOW_UP, actor=leader,
                               **(MEASURED | {"value": Decimal("41")}))
    effects.delete_measurement(db, added, actor=leader)
    db.commit()
    assert _rows(db)[2] == [(test.id, Decimal("50"), MeasurementPhase.TEST),
                            (follow_up.id, Decimal("41"), MeasurementPhase.FOLLOW_UP)]
    assert [e.action for e in entries(db, "measurement")] == ["create", "update", "delete"]


@pytest.mark.parametrize(
    ("phase", "step"),
    [(Phase.CLOSED, Step.NONE), (Phase.SCALE_UP, Step.DECISION_BASIS_READY)],
    ids=["closed during the test", "not yet decided"],
)
def test_a_pilot_that_was_never_decided_on_stays_open(db, leader, phase, step):
    pilot, goal, indicator, test, _ = _decided_pilot(db, leader, phase=phase, step=step)
    assert not effects.is_locked(pilot)
    effects.update_effect_goal(db, goal, statement="Nytt mål", category=GoalCategory.QUALITY, beneficiary="",
                               actor=leader)
    effects.update_measurement(db, test, phase=MeasurementPhase.TEST, actor=leader, **MEASURED)
    effects.delete_indicator(db, indicator, actor=leader)
    assert count(db, Indicator) == 0
