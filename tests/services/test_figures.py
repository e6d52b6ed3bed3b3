"""The stored figures (services.figures) follow every change to what they are computed from, in the
same transaction, so the overview and the pilot list never show a stale figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from portfolio import demo
from portfolio.domain.economics import CostKind, CostPhase
from portfolio.domain.follow_up import HarvestKind
from portfolio.domain.lifecycle import Phase
from portfolio.domain.process import RolloutStatus
from portfolio.models import (
    AppSettings,
    BenefitFigure,
    CostItem,
    EffectGoal,
    FollowUp,
    FollowUpFigure,
    HarvestDecision,
    ImplementationPlan,
    Indicator,
    Measurement,
    MeasurementPhase,
    Pilot,
    PilotFigure,
    RolloutUnit,
    Unit,
)
from portfolio.services import economics, figures, portfolio
from portfolio.services.portfolio import OverviewFilters
from tests import factories
from tests.process_scenario import fast_papers  # noqa: F401

LAIBAN = "INN-2023-001"  # scaled up, in implementation: follow-ups, harvests, roll-out
PRESENCE = "INN-2024-003"  # in the scale-up process, step 3, with decision papers


@pytest.fixture
def seeded(db, fast_papers):
    demo.seed(db)
    db.commit()
    assert figures.stale_pilots(db) == []
    return db


def _pilot(db, code: str) -> Pilot:
    return db.scalars(select(Pilot).where(Pilot.code == code)).one()


def _indicator(db, pilot: Pilot) -> Indicator:
    return db.scalars(select(Indicator).join(EffectGoal).where(
        EffectGoal.pilot_id == pilot.id, Indicator.value_per_unit.is_not(None)).order_by(Indicator.id)).first()


def _stored(db, pilot: Pilot) -> tuple:
    """Everything stored about the pilot."""
    db.expire_all()
    row = db.get(PilotFigure, pilot.id)
    columns = [column.key for column in PilotFigure.__table__.columns]
    return (
        tuple(getattr(row, name) for name in columns),
        tuple(tuple(r) for r in db.execute(
            select(BenefitFigure.indicator_id, BenefitFigure.realised, BenefitFigure.harvested, BenefitFigure.gap)
            .where(BenefitFigure.pilot_id == pilot.id).order_by(BenefitFigure.indicator_id))),
        tuple(tuple(r) for r in db.execute(
            select(FollowUpFigure.due_on, FollowUpFigure.measured, FollowUpFigure.done)
            .where(FollowUpFigure.pilot_id == pilot.id).order_by(FollowUpFigure.due_on))),
    )


def add_cost(db, pilot):
    factories.make_cost(db, pilot, amount=Decimal("125000"), phase=CostPhase.IMPLEMENTATION, first_year=2027)


def change_cost(db, pilot):
    cost = db.scalars(select(CostItem).where(CostItem.pilot_id == pilot.id).order_by(CostItem.id)).first()
    cost.amount += Decimal(1000)


def delete_cost(db, pilot):
    db.delete(db.scalars(select(CostItem).where(CostItem.pilot_id == pilot.id).order_by(CostItem.id)).first())


def change_valuation(db, pilot):
    _indicator(db, pilot).value_per_unit *= 2


def change_target(db, pilot):
    indicator = _indicator(db, pilot)
    indicator.target_value = indicator.baseline_value


def add_test_measurement(db, pilot):
    indicator = _indicator(db, pilot)
    factories.make_measurement(db, indicator, value=str(indicator.target_value), measured_on=dt.date(2026, 11, 30))


def add_follow_up_measurement(db, pilot):
    indicator = _indicator(db, pilot)
    factories.make_measurement(db, indicator, value=str(indicator.target_value), measured_on=dt.date(2026, 11, 30),
                               phase=MeasurementPhase.FOLLOW_UP)


def delete_measurement(db, pilot):
    db.delete(db.scalars(select(Measurement).where(Measurement.indicator_id == _indicator(db, pilot).id)
                         .order_by(Measurement.measured_on.desc())).first())


def delete_indicator(db, pilot):
    indicator = _indicator(db, pilot)
    for measurement in db.scalars(select(Measurement).where(Measurement.indicator_id == indicator.id)):
        db.delete(measurement)
    db.flush()
    db.delete(indicator)


def harvest(db, pilot):
    row = db.scalars(select(BenefitFigure).where(BenefitFigure.pilot_id == pilot.id, BenefitFigure.gap > 0)).first()
    db.add(HarvestDecision(pilot_id=pilot.id, indicator_id=row.indicator_id, kind=HarvestKind.BUDGET_REDUCTION,
                           amount=Decimal(1000), budget_line="Förbrukning", budget_year=2027, owner="Chef",
                           decided_on=dt.date(2026, 11, 30), recorded_by_id=pilot.innovation_leader_id))


def move_follow_up(db, pilot):
    db.scalars(select(FollowUp).where(FollowUp.pilot_id == pilot.id).order_by(FollowUp.due_on)).first().due_on -= \
        dt.timedelta(days=200)


def change_horizon(db, pilot):
    pilot.horizon_years = 3


def change_phase(db, pilot):
    pilot.phase = Phase.PARKED


def add_rollout_unit(db, pilot):
    plan = db.scalars(select(ImplementationPlan).where(ImplementationPlan.pilot_id == pilot.id)).one()
    db.add(RolloutUnit(plan_id=plan.id, unit_id=factories.make_unit(db).id, status=RolloutStatus.PLANNED))


def sign_off_cleared(db, pilot):
    pilot.finance_signed_off_at = None
    pilot.finance_signed_off_by_id = None


def rename_unit(db, pilot):
    db.get(Unit, pilot.unit_id).name += " (ny)"


def rename_rollout_unit(db, pilot):
    plan = db.scalars(select(ImplementationPlan).where(ImplementationPlan.pilot_id == pilot.id)).one()
    unit_id = db.scalars(select(RolloutUnit.unit_id).where(RolloutUnit.plan_id == plan.id,
                                                           RolloutUnit.unit_id != pilot.unit_id)).first()
    db.get(Unit, unit_id).name += " (ny)"


def rename_leader(db, pilot):
    pilot.innovation_leader.name += " Andersson"


def change_review_comment(db, pilot):
    pilot.review_comment = "Granskat på nytt."


CHANGES = [
    (add_cost, LAIBAN), (change_cost, LAIBAN), (delete_cost, LAIBAN), (change_valuation, LAIBAN),
    (change_target, LAIBAN), (add_test_measurement, PRESENCE), (add_follow_up_measurement, LAIBAN),
    (delete_measurement, LAIBAN), (delete_indicator, PRESENCE), (harvest, LAIBAN), (move_follow_up, LAIBAN),
    (change_horizon, LAIBAN), (change_phase, LAIBAN), (add_rollout_unit, PRESENCE), (sign_off_cleared, PRESENCE),
    (rename_unit, PRESENCE), (rename_rollout_unit, PRESENCE), (rename_leader, PRESENCE),
    (change_review_comment, PRESENCE),
]


@pytest.mark.parametrize(("change", "code"), CHANGES, ids=[change.__name__ for change, _code in CHANGES])
def test_each_kind_of_change_refreshes_the_stored_figures_in_its_transaction(seeded, change, code):
    db = seeded
    pilot = _pilot(db, code)
    before = _stored(db, pilot)
    change(db, pilot)
    db.commit()
    after = _stored(db, pilot)
    assert after != before  # the change moved something stored...
    assert figures.stale_pilots(db) == []  # ...and every stored row is the domain's computation now


def test_the_overview_shows_a_change_before_it_is_committed(seeded):
    """Reading in the transaction that made a change (a service, then the page) sees it."""
    db = seeded
    laiban = _pilot(db, LAIBAN)
    before = portfolio.overview(db, OverviewFilters(), today=dt.date(2026, 12, 1)).totals.spent_to_date
    factories.make_cost(db, laiban, amount=Decimal("1000"), phase=CostPhase.TEST, first_year=2026)
    after = portfolio.overview(db, OverviewFilters(), today=dt.date(2026, 12, 1)).totals.spent_to_date
    assert after == before + 1000


def test_a_settings_change_refreshes_every_pilot(seeded):
    db = seeded
    before = {row.pilot_id: row.npv_full for row in db.scalars(select(PilotFigure))}
    db.get(AppSettings, 1).discount_rate = Decimal("0.07")
    db.commit()
    after = {row.pilot_id: row.npv_full for row in db.scalars(select(PilotFigure))}
    assert sum(1 for pilot_id, npv in after.items() if npv != before[pilot_id]) > 3
    assert figures.stale_pilots(db) == []
    # The pilot's own economics page agrees with the stored NPV.
    laiban = _pilot(db, LAIBAN)
    own = economics.load_economics(db, laiban).evaluation.full.npv
    assert abs(db.get(PilotFigure, laiban.id).npv_full - own) < Decimal("0.01")


def test_the_check_sees_a_change_made_behind_the_sessions_back(seeded):
    """stale_pilots can fail: a bulk UPDATE passes the session's change notes by."""
    db = seeded
    laiban = _pilot(db, LAIBAN)
    db.execute(update(CostItem).where(CostItem.pilot_id == laiban.id).values(amount=CostItem.amount + 1)
               .execution_options(synchronize_session=False))
    assert figures.stale_pilots(db) == [laiban.id]
    figures.note_everything(db)
    db.commit()
    assert figures.stale_pilots(db) == []


def test_pilots_without_figures_get_them_when_the_figures_are_read(seeded):
    db = seeded
    db.execute(PilotFigure.__table__.delete())
    db.commit()
    result = portfolio.overview(db, OverviewFilters(), today=dt.date(2026, 12, 1), with_pilots=False)
    assert result.totals.pilots == db.query(Pilot).count() and result.totals.npv_full != 0
    assert figures.stale_pilots(db) == []


def test_absurd_valuations_are_stored_as_too_large_and_left_out_of_the_sums(seeded):
    db = seeded
    laiban = _pilot(db, LAIBAN)
    before = portfolio.overview(db, OverviewFilters(), today=dt.date(2026, 12, 1), with_pilots=False).totals
    laiban_npv = db.get(PilotFigure, laiban.id).npv_full
    indicator = _indicator(db, laiban)
    indicator.value_per_unit, indicator.annual_volume = Decimal("9999999999"), Decimal("99999999999999")
    db.commit()
    assert db.get(PilotFigure, laiban.id).too_large and figures.stale_pilots(db) == []
    after = portfolio.overview(db, OverviewFilters(), today=dt.date(2026, 12, 1), with_pilots=False).totals
    assert after.too_large == 1 and after.pilots == before.pilots
    assert after.npv_full == before.npv_full - laiban_npv


def test_a_savepoint_rolled_back_leaves_the_transactions_other_changes_to_be_refreshed(seeded):
    db = seeded
    laiban = _pilot(db, LAIBAN)
    add_cost(db, laiban)  # noted at the flush below
    db.flush()
    with db.begin_nested() as savepoint:
        change_horizon(db, laiban)
        db.flush()
        savepoint.rollback()
    db.commit()
    assert figures.stale_pilots(db) == []


def test_figures_resting_on_the_current_year_are_computed_again_in_a_new_year(seeded):
    """A pilot with no first year and no end of test starts its cash flow next year, whichever year
    that is: figures computed last year are computed again when read."""
    db = seeded
    pilot = factories.make_pilot(db, test_end=None, code="INN-2026-901")
    factories.make_cost(db, pilot, amount=Decimal("5000"), phase=CostPhase.OPERATION, kind=CostKind.RECURRING,
                        first_year=2020)
    db.commit()
    stored = db.get(PilotFigure, pilot.id)
    assert stored.first_year_from_today == dt.date.today().year + 1
    # As if computed a year ago (with last year's figures):
    db.execute(update(PilotFigure).where(PilotFigure.pilot_id == pilot.id).values(
        first_year_from_today=dt.date.today().year, planned_costs=Decimal(1)))
    db.commit()
    assert figures.stale_pilots(db) == [pilot.id]
    portfolio.overview(db, OverviewFilters(), with_pilots=False)
    assert figures.stale_pilots(db) == []
