"""Follow-up after scale-up: the schedule's statuses and the three amounts of a benefit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portfolio.domain.follow_up import (
    BenefitInput,
    FollowUpStatus,
    HarvestRefused,
    ScheduleError,
    add_months,
    benefit,
    check_harvest,
    check_schedule,
    default_schedule,
    follow_up_states,
    totals,
)

DECIDED = dt.date(2026, 1, 31)


def test_the_default_schedule_is_6_12_and_24_months_after_the_decision_clamped_to_the_month():
    assert default_schedule(DECIDED) == [dt.date(2026, 7, 31), dt.date(2027, 1, 31), dt.date(2028, 1, 31)]
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def _statuses(measurements, today, indicators=("a", "b")):
    states = follow_up_states(default_schedule(DECIDED), decided_on=DECIDED, measurements=measurements,
                              indicators=indicators, today=today)
    return [state.status for state in states]


def test_a_follow_up_is_done_when_every_indicator_is_measured_in_its_window():
    # Both indicators measured near the 6-month date; one of them near 12 months.
    measurements = {"a": [dt.date(2026, 8, 10), dt.date(2027, 1, 20)], "b": [dt.date(2026, 7, 25)]}
    today = dt.date(2027, 2, 15)
    assert _statuses(measurements, today) == [FollowUpStatus.DONE, FollowUpStatus.OVERDUE, FollowUpStatus.PLANNED]
    # The second indicator measured late still completes the 12-month follow-up.
    measurements["b"].append(dt.date(2027, 3, 1))
    assert _statuses(measurements, today)[1] is FollowUpStatus.DONE


def test_due_soon_is_due_later_is_planned_and_a_measurement_counts_for_the_nearest_date_only():
    # Measured at ten months: nearer 12 than 6, so the 6-month follow-up stays undone.
    measurements = {"a": [dt.date(2026, 11, 30)]}
    statuses = _statuses(measurements, dt.date(2026, 12, 15), indicators=("a",))
    assert statuses == [FollowUpStatus.OVERDUE, FollowUpStatus.DONE, FollowUpStatus.PLANNED]
    assert _statuses({}, dt.date(2026, 6, 20))[0] is FollowUpStatus.DUE
    assert _statuses({}, dt.date(2026, 3, 1))[0] is FollowUpStatus.PLANNED
    # Without indicators nothing can be measured: never done.
    assert _statuses({}, dt.date(2029, 1, 1), indicators=()) == [FollowUpStatus.OVERDUE] * 3


def test_a_schedule_needs_dates_after_the_decision_none_twice():
    assert check_schedule([dt.date(2027, 1, 1), dt.date(2026, 6, 1)], decided_on=DECIDED) == [
        dt.date(2026, 6, 1), dt.date(2027, 1, 1)]
    for dates, code in (([], "empty"), ([dt.date(2026, 6, 1)] * 2, "duplicate"), ([DECIDED], "before_decision")):
        with pytest.raises(ScheduleError, match=code):
            check_schedule(dates, decided_on=DECIDED)


def _benefit(latest, harvested="0", benefit_class="financial", **changes):
    values = dict(key=1, direction="lower_is_better", baseline=Decimal(60), target=Decimal(40),
                  value_per_unit=Decimal("10"), annual_volume=Decimal("1000"), benefit_class=benefit_class,
                  latest_follow_up=None if latest is None else Decimal(latest), harvested=Decimal(harvested))
    values.update(changes)
    return benefit(BenefitInput(**values))


def test_potential_realised_and_harvested_with_the_gap_shown():
    item = _benefit("45", harvested="50000")
    assert (item.potential, item.realised, item.harvested, item.gap) == (200000, 150000, 50000, 100000)
    assert item.realisation == Decimal("0.75")
    assert _benefit(None).realised is None and _benefit(None).gap is None
    unvalued = _benefit("45", benefit_class="unvalued")
    assert not unvalued.is_valued and unvalued.potential is None
    # Worse than the baseline: a negative realised value, shown as it is.
    assert _benefit("70").realised == -100000


def test_totals_sum_per_class_and_count_the_unvalued_beside_the_money():
    items = [_benefit("45", "50000"), _benefit("40", benefit_class="reallocation"), _benefit(None),
             _benefit("45", benefit_class="unvalued")]
    result = totals(items)
    assert result.by_class == {"financial": (400000, 150000, 50000), "reallocation": (200000, 200000, 0)}
    assert (result.potential, result.realised, result.harvested, result.gap) == (600000, 350000, 50000, 300000)
    assert (result.valued, result.measured, result.unvalued) == (3, 2, 1)


def test_a_harvest_may_not_exceed_what_is_realised():
    item = _benefit("45", harvested="100000")
    check_harvest(item, Decimal("50000"))  # exactly what is left
    with pytest.raises(HarvestRefused) as refused:
        check_harvest(item, Decimal("50000.01"))
    assert refused.value.code == "exceeds_realised" and refused.value.available == 50000
    for bad, code in ((_benefit(None), "not_measured"), (_benefit("45", benefit_class="unvalued"), "not_valued"),
                      (_benefit("70"), "nothing_realised")):
        with pytest.raises(HarvestRefused, match=code):
            check_harvest(bad, Decimal(1))
    with pytest.raises(HarvestRefused, match="not_positive"):
        check_harvest(item, Decimal(0))
