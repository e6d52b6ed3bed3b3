"""Property-based tests for portfolio.domain.economics (DESIGN §5).

These check invariants a finance controller relies on, for any valid input: the tables add
up, sunk costs stay sunk, a higher cost always lowers the NPV, and so on.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portfolio.domain.economics import (
    DECIMAL_CONTEXT,
    MAX_HORIZON_YEARS,
    BenefitClass,
    CostCategory,
    CostInput,
    CostKind,
    CostPhase,
    Direction,
    Evaluation,
    IndicatorInput,
    Parameters,
    SensitivityFactors,
    evaluate,
    expected_annual_value,
    improvement,
    npv,
    realisation,
    realised_annual_value,
)

D = Decimal

# Fast and quiet: no example database written into the shared working tree.
PROPERTY_SETTINGS = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def decimals(low: str, high: str, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals from low to high with the given number of places.

    Built from integers (scaled by 10^-places) because that is several times faster to
    generate than ``st.decimals`` and shrinks towards round figures just as well.
    """
    scale = 10**places
    return st.integers(
        min_value=int(D(low) * scale), max_value=int(D(high) * scale)
    ).map(lambda n: D(n).scaleb(-places))


money = decimals("0", "10000000", 2)
measured = decimals("-100000", "100000", 2)
years = st.integers(min_value=2015, max_value=2045)


@st.composite
def indicator_lists(draw: st.DrawFn) -> list[IndicatorInput]:
    count = draw(st.integers(min_value=0, max_value=5))
    result = []
    for i in range(count):
        result.append(
            IndicatorInput(
                key=str(i),
                name=f"Indicator {i}",
                unit="st",
                direction=draw(st.sampled_from(Direction)),
                baseline=draw(measured),
                target=draw(measured),
                latest=draw(st.none() | measured),
                value_per_unit=draw(decimals("0", "5000", 2) | st.none()),
                annual_volume=draw(decimals("0", "100000", 0) | st.none()),
                benefit_class=draw(st.sampled_from(BenefitClass)),
            )
        )
    return result


@st.composite
def cost_items(draw: st.DrawFn, phases: tuple[CostPhase, ...] = tuple(CostPhase)) -> CostInput:
    kind = draw(st.sampled_from(CostKind))
    first = draw(years)
    last = None
    if draw(st.booleans()):
        last = first + draw(st.integers(min_value=0, max_value=15))
    return CostInput(
        category=draw(st.sampled_from(CostCategory)),
        kind=kind,
        phase=draw(st.sampled_from(phases)),
        first_year=first,
        last_year=last,
        amount=draw(money),
    )


cost_lists = st.lists(cost_items(), max_size=6)
factors = decimals("0", "2", 2)


@st.composite
def parameters(draw: st.DrawFn, rate: st.SearchStrategy[Decimal] | None = None) -> Parameters:
    return Parameters(
        first_year=draw(st.integers(min_value=2018, max_value=2035)),
        horizon_years=draw(
            st.integers(min_value=1, max_value=12)
            | st.integers(min_value=1, max_value=MAX_HORIZON_YEARS)
        ),
        discount_rate=draw(rate if rate is not None else decimals("-0.99", "1", 4)),
        ramp_up=tuple(draw(st.lists(decimals("0", "1.5", 2), max_size=6))),
        sensitivity=SensitivityFactors(
            benefits_low=draw(factors),
            benefits_high=draw(factors),
            costs_low=draw(factors),
            costs_high=draw(factors),
            # expected factors stay at their default of 1
        ),
    )


def exact_sum(values: list[Decimal]) -> Decimal:
    """Sum in the module's own context, so the comparison is digit for digit."""
    with localcontext(DECIMAL_CONTEXT):
        return sum(values, D(0))


def check_totals(evaluation: Evaluation) -> None:
    horizon = evaluation.parameters.horizon_years
    assert len(evaluation.years) == horizon
    assert len(evaluation.costs_by_year) == horizon
    for by_year in evaluation.costs_by_category.values():
        assert len(by_year) == horizon
    # C_k is the sum of its categories.
    for k in range(horizon):
        assert evaluation.costs_by_year[k] == exact_sum(
            [by_year[k] for by_year in evaluation.costs_by_category.values()]
        )
    financial = evaluation.benefits_by_class[BenefitClass.FINANCIAL]
    reallocation = evaluation.benefits_by_class[BenefitClass.REALLOCATION]
    for view in (evaluation.cash, evaluation.full):
        assert [r.year for r in view.years] == evaluation.years
        assert [r.costs for r in view.years] == evaluation.costs_by_year  # same in both views
        assert view.total_costs == exact_sum(evaluation.costs_by_year)
        assert view.total_costs == exact_sum([r.costs for r in view.years])
        assert view.total_benefits == exact_sum([r.benefits for r in view.years])
        assert view.total_net == exact_sum([r.net for r in view.years])
        assert view.total_net == view.total_benefits - view.total_costs
        assert view.npv == exact_sum([r.present_value for r in view.years])
        assert view.npv == npv([r.net for r in view.years], evaluation.parameters.discount_rate)
        cumulative = D(0)
        for row in view.years:
            assert row.net == row.benefits - row.costs
            cumulative += row.net
            assert row.cumulative_net == cumulative
        assert (view.bcr is None) == (view.pv_costs == 0)
        if view.years:  # year 0 is not discounted
            assert view.years[0].discount_factor == 1
            assert view.years[0].present_value == view.years[0].net
    assert [r.benefits for r in evaluation.cash.years] == financial.by_year
    assert [r.benefits for r in evaluation.full.years] == [
        f + r for f, r in zip(financial.by_year, reallocation.by_year, strict=True)
    ]
    assert evaluation.full.total_benefits == financial.total + reallocation.total
    # Every indicator is either in the money or listed beside it; none is dropped.
    valued = [r for r in evaluation.indicators if r.is_valued]
    assert len(valued) + len(evaluation.unvalued) == len(evaluation.indicators)


def check_payback(evaluation: Evaluation) -> None:
    """The payback year is the first year, from the first year with any cost or benefit, whose
    cumulative net is >= 0; None if there is none (or nothing happens at all)."""
    for view in (evaluation.cash, evaluation.full):
        cumulative = [r.cumulative_net for r in view.years]
        active = [k for k, r in enumerate(view.years) if r.costs or r.benefits]
        if not active:
            assert view.payback_year is None
            continue
        start = active[0]  # before it every cumulative net is 0
        if view.payback_year is None:
            assert all(c < 0 for c in cumulative[start:])
        else:
            k = view.payback_year - evaluation.first_year
            assert k >= start
            assert cumulative[k] >= 0
            assert all(c < 0 for c in cumulative[start:k])


def check_expected_case_is_the_base_case(evaluation: Evaluation) -> None:
    expected = evaluation.sensitivity["expected"]
    assert (expected.benefits_factor, expected.costs_factor) == (D(1), D(1))
    for name in ("cash", "full"):
        assert expected.views[name].npv == evaluation.views[name].npv
        assert expected.views[name].bcr == evaluation.views[name].bcr
        assert expected.views[name].payback_year == evaluation.views[name].payback_year


def check_full_view_against_cash_view(evaluation: Evaluation) -> None:
    if evaluation.parameters.discount_rate < 0:
        return
    # With a rate >= 0 (and <= 1) every discount factor is positive, so the full view's NPV
    # exceeds the cash view's exactly when the reallocation benefits are positive.
    reallocation = evaluation.benefits_by_class[BenefitClass.REALLOCATION]
    if all(b >= 0 for b in reallocation.by_year):
        assert evaluation.full.npv >= evaluation.cash.npv
    if all(b <= 0 for b in reallocation.by_year):
        assert evaluation.full.npv <= evaluation.cash.npv


# One test, several invariants: generating inputs is the expensive part, so each generated
# case is checked for everything at once. The helpers above name what failed.
@settings(PROPERTY_SETTINGS, max_examples=100)
@given(indicator_lists(), cost_lists, parameters())
def test_any_valid_input_evaluates_consistently(
    indicators: list[IndicatorInput], costs: list[CostInput], params: Parameters
) -> None:
    evaluation = evaluate(indicators, costs, params)
    check_totals(evaluation)
    check_payback(evaluation)
    check_expected_case_is_the_base_case(evaluation)
    check_full_view_against_cash_view(evaluation)


@PROPERTY_SETTINGS
@given(
    indicator_lists(),
    cost_lists,
    parameters(),
    st.data(),
    st.sampled_from([CostPhase.IMPLEMENTATION, CostPhase.OPERATION]),
    st.sampled_from(CostKind),
    decimals("0.01", "1000000", 2),
)
def test_npv_falls_strictly_when_a_forward_cost_in_the_horizon_rises(
    indicators: list[IndicatorInput],
    costs: list[CostInput],
    params: Parameters,
    data: st.DataObject,
    phase: CostPhase,
    kind: CostKind,
    extra: Decimal,
) -> None:
    year = data.draw(st.sampled_from(params.years), label="year")
    before = evaluate(indicators, costs, params)
    added = CostInput(CostCategory.OTHER, kind, phase, year, None, extra)
    after = evaluate(indicators, [*costs, added], params)
    for name in ("cash", "full"):
        assert after.views[name].npv < before.views[name].npv
        assert after.views[name].total_costs > before.views[name].total_costs
        assert after.views[name].pv_costs > before.views[name].pv_costs
        # The benefits do not move.
        assert after.views[name].pv_benefits == before.views[name].pv_benefits


@PROPERTY_SETTINGS
@given(
    indicator_lists(),
    cost_lists,
    parameters(rate=st.just(D("0"))),
)
def test_at_rate_zero_npv_is_the_undiscounted_sum(
    indicators: list[IndicatorInput], costs: list[CostInput], params: Parameters
) -> None:
    evaluation = evaluate(indicators, costs, params)
    for view in (evaluation.cash, evaluation.full):
        assert view.npv == view.total_net
        assert view.pv_costs == view.total_costs
        assert view.pv_benefits == view.total_benefits
        assert all(r.discount_factor == 1 for r in view.years)


@PROPERTY_SETTINGS
@given(
    indicator_lists(),
    cost_lists,
    parameters(),
    st.lists(cost_items(phases=(CostPhase.TEST,)), min_size=1, max_size=4),
)
def test_test_phase_costs_are_sunk(
    indicators: list[IndicatorInput],
    costs: list[CostInput],
    params: Parameters,
    test_costs: list[CostInput],
) -> None:
    before = evaluate(indicators, costs, params)
    after = evaluate(indicators, [*test_costs, *costs], params)
    assert after.views == before.views
    assert after.sensitivity == before.sensitivity
    assert after.costs_by_year == before.costs_by_year
    assert after.spent_to_date >= before.spent_to_date


@PROPERTY_SETTINGS
@given(indicator_lists(), cost_lists, parameters())
def test_input_order_does_not_matter(
    indicators: list[IndicatorInput], costs: list[CostInput], params: Parameters
) -> None:
    forward = evaluate(indicators, costs, params)
    backward = evaluate(indicators[::-1], costs[::-1], params)
    assert backward.views == forward.views
    assert backward.costs_by_category == forward.costs_by_category
    assert backward.spent_to_date == forward.spent_to_date


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(
    st.sampled_from(Direction),
    measured,
    measured,
    measured,
    decimals("0", "5000", 2),
    decimals("0", "100000", 0),
)
def test_indicator_formulas_agree_with_each_other(
    direction: Direction,
    baseline: Decimal,
    target: Decimal,
    latest: Decimal,
    value_per_unit: Decimal,
    annual_volume: Decimal,
) -> None:
    delta = improvement(direction, baseline, latest)
    other = (
        Direction.LOWER_IS_BETTER
        if direction is Direction.HIGHER_IS_BETTER
        else Direction.HIGHER_IS_BETTER
    )
    # Turning the direction round turns the improvement round.
    assert improvement(other, baseline, latest) == -delta
    # Moving towards "better" is a positive improvement.
    moved_up = latest > baseline
    if latest != baseline:
        assert (delta > 0) == (moved_up == (direction is Direction.HIGHER_IS_BETTER))
    realised = realised_annual_value(direction, baseline, latest, value_per_unit, annual_volume)
    assert realised == delta * value_per_unit * annual_volume  # a dis-benefit stays negative
    expected = expected_annual_value(baseline, target, value_per_unit, annual_volume)
    assert expected >= 0
    ratio = realisation(direction, baseline, target, latest)
    if target == baseline:
        assert ratio is None
    else:
        assert ratio is not None
        assert abs(ratio * abs(target - baseline) - delta) < D("1e-40")
        # Reaching a target that lies on the "better" side is 100 %; one set on the worse
        # side (a target that accepts deterioration) reads as -100 %.
        target_is_better = (target > baseline) == (direction is Direction.HIGHER_IS_BETTER)
        assert realisation(direction, baseline, target, target) == (
            D(1) if target_is_better else D(-1)
        )
