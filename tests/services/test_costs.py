"""Finance's use cases: every change is audited and clears the sign-off; imports are idempotent."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portfolio.domain.cost_import import CostValues
from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, CostItem
from portfolio.services import costs, process
from portfolio.services.settings import parameters_for
from tests import factories

LICENCE = CostValues(CostCategory.LICENCE, CostKind.RECURRING, CostPhase.OPERATION, 2027, None, Decimal("12000"),
                     "Licens")
TRAINING = CostValues(CostCategory.TRAINING, CostKind.ONE_OFF, CostPhase.IMPLEMENTATION, 2027, None,
                      Decimal("5000.50"), "")


@pytest.fixture
def finance(db):
    return factories.make_user(db, roles=[Role.FINANCE])


@pytest.fixture
def pilot(db):
    return factories.make_pilot(db)


def actions(db, pilot) -> list[str]:
    return list(db.scalars(select(AuditEntry.action).where(AuditEntry.pilot_id == pilot.id).order_by(AuditEntry.id)))


def signed(db, pilot, finance):
    if not costs.list_costs(db, pilot):
        factories.make_cost(db, pilot, amount="1")
    process.sign_off(db, pilot, finance)
    assert pilot.finance_signed_off_at is not None
    return pilot


def test_adding_a_cost_records_who_entered_it_and_audits_it(db, pilot, finance):
    cost = costs.add_cost(db, pilot, TRAINING, finance)
    assert cost.entered_by_id == finance.id
    assert cost.amount == Decimal("5000.50")
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "cost_item_created"))
    assert entry.after["amount"] == "5000.50" and entry.entity_id == cost.id and entry.actor_id == finance.id


def test_every_change_clears_the_sign_off_in_the_same_transaction(db, pilot, finance):
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, goal)

    signed(db, pilot, finance)
    cost = costs.add_cost(db, pilot, LICENCE, finance)
    assert pilot.finance_signed_off_at is None and pilot.finance_signed_off_by_id is None

    signed(db, pilot, finance)
    costs.update_cost(db, pilot, cost, dataclasses.replace(LICENCE, amount=Decimal("13000")), finance)
    assert pilot.finance_signed_off_at is None

    signed(db, pilot, finance)
    costs.set_valuation(db, pilot, indicator, value_per_unit=Decimal("5"), annual_volume=Decimal("1000"),
                        benefit_class=BenefitClass.REALLOCATION, actor=finance)
    assert pilot.finance_signed_off_at is None

    signed(db, pilot, finance)
    costs.set_parameters(db, pilot, costs.ParameterOverrides(horizon_years=7), finance)
    assert pilot.finance_signed_off_at is None

    signed(db, pilot, finance)
    costs.delete_cost(db, pilot, cost, finance)
    assert pilot.finance_signed_off_at is None

    cleared = [entry for entry in db.scalars(select(AuditEntry).where(AuditEntry.action == "finance_signoff_cleared"))]
    assert [entry.after["reason"] for entry in cleared] == [
        "cost_item_created", "cost_item_updated", "valuation_updated", "economics_parameters_updated",
        "cost_item_deleted"]


def test_saving_without_a_change_keeps_the_sign_off_and_writes_nothing(db, pilot, finance):
    cost = costs.add_cost(db, pilot, LICENCE, finance)
    signed(db, pilot, finance)
    before = actions(db, pilot)
    assert costs.update_cost(db, pilot, cost, LICENCE, finance) is False
    assert costs.set_parameters(db, pilot, costs.ParameterOverrides(), finance) is False
    assert pilot.finance_signed_off_at is not None
    assert actions(db, pilot) == before


def test_sign_off_needs_costs_and_complete_valuations(db, pilot, finance):
    with pytest.raises(process.SignOffRefused) as caught:
        process.sign_off(db, pilot, finance)
    assert caught.value.code == "no_costs"
    factories.make_cost(db, pilot, amount="100")
    goal = factories.make_effect_goal(db, pilot)
    factories.make_indicator(db, goal, name="Frånvaro", benefit_class=BenefitClass.FINANCIAL, value_per_unit=None)
    with pytest.raises(process.SignOffRefused) as caught:
        process.sign_off(db, pilot, finance)
    assert caught.value.code == "valuation_incomplete" and caught.value.detail["names"] == "Frånvaro"


def test_sign_off_and_withdrawal_are_audited(db, pilot, finance):
    signed(db, pilot, finance)
    assert pilot.finance_signed_off_by_id == finance.id
    process.withdraw_sign_off(db, pilot, finance)
    assert pilot.finance_signed_off_at is None
    assert actions(db, pilot)[-2:] == ["finance_signed_off", "finance_signoff_withdrawn"]


def test_valuation_with_a_money_class_needs_both_numbers(db, pilot, finance):
    indicator = factories.make_indicator(db, factories.make_effect_goal(db, pilot))
    with pytest.raises(costs.CostsError) as caught:
        costs.set_valuation(db, pilot, indicator, value_per_unit=Decimal("5"), annual_volume=None,
                            benefit_class=BenefitClass.FINANCIAL, actor=finance)
    assert (caught.value.code, caught.value.detail["field"]) == ("required_for_class", "annual_volume")
    assert costs.set_valuation(db, pilot, indicator, value_per_unit=None, annual_volume=None,
                               benefit_class=BenefitClass.UNVALUED, actor=finance) is False  # already so
    assert costs.set_valuation(db, pilot, indicator, value_per_unit=Decimal("2.5"), annual_volume=Decimal("190"),
                               benefit_class=BenefitClass.FINANCIAL, actor=finance) is True
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "valuation_updated"))
    assert entry.before == {"annual_volume": None, "benefit_class": "unvalued", "value_per_unit": None}
    assert entry.after == {"annual_volume": "190", "benefit_class": "financial", "value_per_unit": "2.5"}


def test_parameters_are_stored_as_ratios_and_read_by_the_calculation(db, pilot, finance):
    overrides = costs.ParameterOverrides(
        first_year=2028, discount_rate=Decimal("0.035"), horizon_years=8,
        ramp_up=(Decimal("0.5"), Decimal("1")), sensitivity={"benefits_low": Decimal("0.4")},
    )
    assert costs.set_parameters(db, pilot, overrides, finance) is True
    assert pilot.ramp_up == ["0.5", "1"] and pilot.sensitivity == {"benefits_low": "0.4"}
    params = parameters_for(db, pilot)
    assert (params.first_year, params.horizon_years, params.discount_rate) == (2028, 8, Decimal("0.035"))
    assert params.ramp_up == (Decimal("0.5"), Decimal("1"))
    assert params.sensitivity.benefits_low == Decimal("0.4")
    assert params.sensitivity.benefits_high == Decimal("1.2")  # the default, kept
    assert costs.set_parameters(db, pilot, overrides, finance) is False
    costs.set_parameters(db, pilot, costs.ParameterOverrides(), finance)
    assert (pilot.first_year, pilot.discount_rate, pilot.ramp_up, pilot.sensitivity) == (None, None, None, None)


def test_parameters_the_calculation_cannot_use_are_refused_and_leave_the_pilot_as_it_was(db, pilot, finance):
    with pytest.raises(costs.CostsError):
        costs.set_parameters(db, pilot, costs.ParameterOverrides(horizon_years=500), finance)
    with pytest.raises(costs.CostsError):
        costs.set_parameters(db, pilot, costs.ParameterOverrides(discount_rate=Decimal("3")), finance)
    assert pilot.horizon_years is None and pilot.discount_rate is None


def count_costs(db, pilot) -> int:
    return db.scalar(select(func.count(CostItem.id)).where(CostItem.pilot_id == pilot.id))


def test_importing_the_same_rows_twice_adds_nothing_the_second_time(db, pilot, finance):
    rows = [LICENCE, TRAINING, TRAINING]  # two identical rows are two costs
    first = costs.import_costs(db, pilot, rows, finance, source="kostnader.xlsx")
    assert (len(first.added), first.skipped) == (3, 0)
    again = costs.import_costs(db, pilot, rows, finance, source="kostnader.xlsx")
    assert (len(again.added), again.skipped) == (0, 3)
    assert count_costs(db, pilot) == 3
    summary = db.scalars(select(AuditEntry).where(AuditEntry.action == "costs_imported")).all()
    assert [(entry.after["added"], entry.after["skipped"]) for entry in summary] == [(3, 0), (0, 3)]
    assert actions(db, pilot).count("cost_item_imported") == 3


def test_an_import_matches_items_entered_by_hand(db, pilot, finance):
    factories.make_cost(db, pilot, amount="12000.00", category=CostCategory.LICENCE, kind=CostKind.RECURRING,
                        phase=CostPhase.OPERATION, first_year=2027, note="Licens")
    result = costs.import_costs(db, pilot, [LICENCE, TRAINING], finance)
    assert (len(result.added), result.skipped) == (1, 1)


def test_an_import_with_one_bad_row_imports_nothing(db, pilot, finance):
    bad = CostValues(CostCategory.LICENCE, CostKind.ONE_OFF, CostPhase.TEST, 2027, 2029, Decimal("1"), "")
    with pytest.raises(costs.CostsError) as caught:
        costs.import_costs(db, pilot, [LICENCE, bad], finance)
    assert caught.value.detail["row"] == 2
    assert count_costs(db, pilot) == 0


def test_import_clears_the_sign_off_only_when_it_adds_something(db, pilot, finance):
    costs.import_costs(db, pilot, [LICENCE], finance)
    signed(db, pilot, finance)
    costs.import_costs(db, pilot, [LICENCE], finance)
    assert pilot.finance_signed_off_at is not None
    costs.import_costs(db, pilot, [TRAINING], finance)
    assert pilot.finance_signed_off_at is None


def test_a_decided_pilot_is_read_only(db, finance):
    pilot = factories.make_pilot(db, phase=Phase.IMPLEMENTATION, step=Step.DECIDED)
    cost = factories.make_cost(db, pilot, amount="10")
    for attempt in (
        lambda: costs.add_cost(db, pilot, LICENCE, finance),
        lambda: costs.update_cost(db, pilot, cost, TRAINING, finance),
        lambda: costs.delete_cost(db, pilot, cost, finance),
        lambda: costs.set_parameters(db, pilot, costs.ParameterOverrides(horizon_years=3), finance),
        lambda: costs.import_costs(db, pilot, [LICENCE], finance),
        lambda: process.sign_off(db, pilot, finance),
    ):
        with pytest.raises(process.DecisionBasisLocked):
            attempt()
    assert count_costs(db, pilot) == 1


def test_costs_overview_totals_come_from_the_calculation(db, pilot, finance):
    pilot.first_year = 2027
    factories.make_cost(db, pilot, amount="1000", phase=CostPhase.TEST, first_year=2026)
    factories.make_cost(db, pilot, amount="500", kind=CostKind.RECURRING, phase=CostPhase.OPERATION,
                        first_year=2028, last_year=2029)
    overview = costs.costs_overview(db, pilot)
    assert overview.evaluation.spent_to_date == Decimal("1000")
    assert overview.evaluation.costs_by_year == [0, 500, 500, 0, 0]
    assert overview.evaluation.cash.total_costs == Decimal("1000")
