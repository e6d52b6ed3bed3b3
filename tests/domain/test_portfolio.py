"""The overview's figures: the same as each pilot's own evaluation, summed in one pass; the bubble chart."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, localcontext

from hypothesis import given

from portfolio.domain.economics import DECIMAL_CONTEXT, BenefitClass, CostPhase, evaluate
from portfolio.domain.portfolio import (
    bubble_chart,
    horizon,
    pilot_figures,
    revisit_passed,
    rollout_progress,
    sum_figures,
    past_test_end,
)
from tests.domain.test_economics_properties import PROPERTY_SETTINGS, cost_lists, indicator_lists, parameters

CENT = Decimal("0.01")


def _same(ours: Decimal, theirs: Decimal) -> bool:
    """Equal to the öre, or (for the astronomic NPVs of a rate near −100 %) to 40 significant digits:
    the two sum the same terms in a different order."""
    with localcontext(DECIMAL_CONTEXT):
        return abs(ours - theirs) <= max(CENT, abs(theirs) * Decimal("1e-40"))


def _rows(indicators, costs):
    return (
        [(str(i.benefit_class), str(i.direction), i.baseline, i.target, i.value_per_unit, i.annual_volume, i.latest,
          None) for i in indicators],
        [(str(c.kind), str(c.phase), c.first_year, c.last_year, c.amount) for c in costs],
    )


@PROPERTY_SETTINGS
@given(indicator_lists(), cost_lists, parameters())
def test_a_pilots_overview_figures_are_its_economics_pages_figures(indicators, costs, params):
    evaluation = evaluate(indicators, costs, params)
    indicator_rows, cost_rows = _rows(indicators, costs)
    span = horizon(params.first_year, params.horizon_years, params.discount_rate, params.ramp_up)
    figures = pilot_figures(indicator_rows, cost_rows, span)

    assert figures.spent_to_date == evaluation.spent_to_date
    assert figures.planned_costs == evaluation.cash.total_costs
    assert _same(figures.npv_cash, evaluation.cash.npv) and _same(figures.npv_full, evaluation.full.npv)
    for benefit_class in (BenefitClass.FINANCIAL, BenefitClass.REALLOCATION):
        valued = [r for r in evaluation.indicators if r.is_valued and r.benefit_class is benefit_class]
        assert figures.used[benefit_class.value] == evaluation.benefits_by_class[benefit_class].annual_value
        assert figures.expected[benefit_class.value] == sum((r.expected_annual_value for r in valued), Decimal(0))
        assert figures.realised[benefit_class.value] == sum(
            (r.realised_annual_value for r in valued if r.realised_annual_value is not None), Decimal(0))
    assert figures.is_estimate == evaluation.is_estimate
    assert figures.unvalued == len(evaluation.unvalued)
    has_figures = any(c.phase is not CostPhase.TEST for c in costs) or any(r.is_valued for r in evaluation.indicators)
    assert figures.has_figures == has_figures


def test_the_totals_are_the_sums_and_npv_counts_only_pilots_with_figures():
    span = horizon(2027, 5, Decimal("0.03"), ())
    one = pilot_figures([("financial", "lower_is_better", Decimal(60), Decimal(40), Decimal(10), Decimal(1000),
                          Decimal(45), Decimal(42))], [("one_off", "implementation", 2027, None, Decimal(50000))], span,
                        follow_up_realisation=True)
    empty = pilot_figures([], [("one_off", "test", 2026, None, Decimal(1000))], span)
    totals = sum_figures([one, empty])
    assert (totals.pilots, totals.with_figures, totals.spent_to_date, totals.planned_costs) == (2, 1, 1000, 50000)
    assert totals.expected_cash == totals.expected_full == 200000 and totals.realised_cash == 150000
    assert totals.npv_full == one.npv_full
    assert one.realisation == Decimal("0.9") and one.realisation_phase == "follow_up"


def test_the_bubble_chart_places_pilots_by_realisation_and_npv_sized_by_cost():
    chart = bubble_chart([("a", "A", Decimal(1_000_000), Decimal("0.5"), Decimal(400)),
                          ("b", "B", Decimal(-200_000), Decimal("1.2"), Decimal(100))])
    big, small = chart.bubbles  # the largest first, so the small one is drawn on top
    assert (big.key, small.key) == ("a", "b")
    assert big.r == 2 * small.r
    assert big.x < small.x and big.y < small.y  # higher NPV is further up
    assert chart.zero_y is not None and chart.target_x is not None
    assert chart.x_ticks[0].value <= 0 and chart.x_ticks[-1].value >= Decimal("1.2")
    assert bubble_chart([]) is None


def test_attention_rules():
    today = dt.date(2027, 3, 1)
    assert past_test_end("test", dt.date(2027, 2, 28), today) and not past_test_end("test", today, today)
    assert not past_test_end("scale_up", dt.date(2020, 1, 1), today)
    assert revisit_passed("parked", today, today) and not revisit_passed("parked", dt.date(2027, 3, 2), today)
    assert rollout_progress(["in_use", "in_use", "started", "planned"]) == (2, 1, 4)
