"""The follow-up service: schedules with statuses, benefits after scale-up, harvest decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from portfolio.domain.economics import BenefitClass
from portfolio.domain.follow_up import FollowUpStatus, HarvestKind
from portfolio.domain.process import DecisionOutcome
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, HarvestDecision, MeasurementPhase, Pilot
from portfolio.services import follow_up
from tests import factories

DECIDED = dt.date(2026, 6, 1)
TODAY = dt.date(2027, 1, 10)


@pytest.fixture
def manager(db):
    return factories.make_user(db, roles=[Role.MANAGEMENT])


def scaled_up(db, manager, *, value_per_unit="10", follow_up_values=("45",), title="Laiban"):
    """A scaled-up pilot with one valued indicator (baseline 60, target 40 minutes, lower is better)."""
    pilot = factories.make_pilot(db, title=title)
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(db, goal, value_per_unit=Decimal(value_per_unit),
                                         annual_volume=Decimal("1000"), benefit_class=BenefitClass.FINANCIAL)
    factories.make_measurement(db, indicator, value="50")  # the test's: not the follow-up's
    decision = factories.make_decision(db, pilot, recorded_by=manager, decided_on=DECIDED)
    factories.make_follow_ups(db, pilot, decision, [dt.date(2026, 12, 1), dt.date(2027, 6, 1), dt.date(2028, 6, 1)])
    for value in follow_up_values:
        factories.make_measurement(db, indicator, value=value, measured_on=dt.date(2026, 12, 5),
                                   phase=MeasurementPhase.FOLLOW_UP)
    return pilot, indicator


def harvest(indicator, amount, **changes):
    values = dict(indicator_id=indicator.id, kind=HarvestKind.BUDGET_REDUCTION, amount=Decimal(amount),
                  owner="Förskolechef Anna Berg", decided_on=dt.date(2027, 1, 5), budget_line="Förskolans personal",
                  budget_year=2027)
    values.update(changes)
    return follow_up.HarvestData(**values)


def test_due_follow_ups_lists_what_is_not_done_before_a_date_as_plain_rows(db, manager):
    pilot, _ = scaled_up(db, manager)
    other, _ = scaled_up(db, manager, follow_up_values=(), title="Närvaro")
    rows = follow_up.due_follow_ups(db, before=dt.date(2027, 7, 1), today=TODAY)
    assert [(r.pilot_code, r.due_on, r.status) for r in rows] == [
        (other.code, dt.date(2026, 12, 1), FollowUpStatus.OVERDUE),
        (pilot.code, dt.date(2027, 6, 1), FollowUpStatus.PLANNED),
        (other.code, dt.date(2027, 6, 1), FollowUpStatus.PLANNED),
    ]
    assert rows[0].pilot_title == "Närvaro" and (rows[0].measured, rows[0].indicators) == (0, 1)
    # Limited to some pilots: a subquery of their ids.
    only = follow_up.due_follow_ups(db, before=dt.date(2027, 7, 1), today=TODAY,
                                    pilot_ids=select(Pilot.id).where(Pilot.id == pilot.id))
    assert [r.pilot_code for r in only] == [pilot.code]


def test_a_harvest_is_recorded_up_to_what_is_realised_and_the_rest_is_listed_as_unharvested(db, manager):
    pilot, indicator = scaled_up(db, manager)  # realised: (60 − 45) × 10 kr × 1 000 = 150 000 kr a year
    follow_up.record_harvest(db, pilot, harvest(indicator, "100000"), manager)
    [row] = follow_up.unharvested_benefits(db)
    assert (row.pilot_code, row.indicator_name, row.realised, row.harvested, row.gap) == (
        pilot.code, indicator.name, Decimal(150000), Decimal(100000), Decimal(50000))

    with pytest.raises(follow_up.FollowUpInputError) as refused:
        follow_up.record_harvest(db, pilot, harvest(indicator, "50000.01"), manager)
    assert (refused.value.field, refused.value.code, refused.value.detail["available"]) == (
        "amount", "exceeds_realised", Decimal(50000))

    follow_up.record_harvest(db, pilot, harvest(indicator, "50000", kind=HarvestKind.HOURS_REDEPLOYED, hours=Decimal(
        "120"), redeployed_to="Språkutveckling i barngrupp", budget_line="", budget_year=None), manager)
    assert follow_up.unharvested_benefits(db) == []
    [row] = follow_up.benefits_of_pilot(db, pilot)
    assert (row.benefit.potential, row.benefit.realised, row.benefit.harvested) == (200000, 150000, 150000)
    audit = db.scalars(select(AuditEntry).where(AuditEntry.entity == "harvest_decision")).all()
    assert [Decimal(entry.after["amount"]) for entry in audit] == [100000, 50000]


def test_a_harvest_needs_its_fields_and_a_scaled_up_pilot_with_a_follow_up_measurement(db, manager):
    pilot, indicator = scaled_up(db, manager, follow_up_values=())
    cases = [
        (harvest(indicator, "1"), "amount", "not_measured"),
        (harvest(indicator, "1", budget_line=" "), "budget_line", "required"),
        (harvest(indicator, "1", kind=HarvestKind.HOURS_REDEPLOYED, redeployed_to="x"), "hours", "required"),
        (harvest(indicator, "1", owner=""), "owner", "required"),
    ]
    for data, field, code in cases:
        with pytest.raises(follow_up.FollowUpInputError) as refused:
            follow_up.record_harvest(db, pilot, data, manager)
        assert (refused.value.field, refused.value.code) == (field, code)
    never = factories.make_pilot(db)
    with pytest.raises(follow_up.FollowUpInputError, match="not_scaled_up"):
        follow_up.record_harvest(db, never, harvest(indicator, "1"), manager)
    assert db.scalars(select(HarvestDecision)).all() == []


def test_harvest_decisions_are_kept_as_decided(db, manager):
    pilot, indicator = scaled_up(db, manager)
    row = follow_up.record_harvest(db, pilot, harvest(indicator, "1000"), manager)
    row.amount = Decimal(2000)
    with pytest.raises(RuntimeError, match="append-only"):
        db.flush()


def test_the_management_group_changes_a_schedule(db, manager):
    pilot, _ = scaled_up(db, manager)
    follow_up.change_schedule(db, pilot, [dt.date(2026, 12, 1), dt.date(2027, 9, 1)], manager)
    schedule = follow_up.schedule_of(db, pilot, today=TODAY)
    assert [(s.due_on, s.status) for s in schedule.states] == [
        (dt.date(2026, 12, 1), FollowUpStatus.DONE), (dt.date(2027, 9, 1), FollowUpStatus.PLANNED)]
    with pytest.raises(follow_up.FollowUpInputError, match="before_decision"):
        follow_up.change_schedule(db, pilot, [DECIDED], manager)
    actions = [(e.action, e.after or e.before) for e in db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "follow_up").order_by(AuditEntry.id))]
    assert actions == [("delete", {"due_on": "2027-06-01", "decision_id": actions[0][1]["decision_id"]}),
                       ("delete", {"due_on": "2028-06-01", "decision_id": actions[0][1]["decision_id"]}),
                       ("create", {"due_on": "2027-09-01", "decision_id": None})]


def test_other_decisions_start_no_follow_up(db, manager):
    pilot = factories.make_pilot(db)
    factories.make_decision(db, pilot, recorded_by=manager, outcome=DecisionOutcome.PARK)
    assert follow_up.schedule_of(db, pilot) is None and follow_up.benefits_of_pilot(db, pilot) == []
