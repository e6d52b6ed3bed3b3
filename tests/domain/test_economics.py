"""Worked examples and unit tests for portfolio.domain.economics (DESIGN §5).

The three worked cases below were computed by hand (and cross-checked with exact fractions);
the arithmetic is written out in comments so a finance controller can follow every figure.
Money is compared to the öre: ``q(x)`` quantizes to 0.01 SEK, as the display layer will.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from portfolio.domain.economics import (
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
    View,
    benefit_cost_ratio,
    cost_in_year,
    discount_factor,
    evaluate,
    expected_annual_value,
    improvement,
    npv,
    payback_year,
    present_value,
    ramp_factor,
    realisation,
    realised_annual_value,
)

D = Decimal
HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER
FIN = BenefitClass.FINANCIAL
REALLOC = BenefitClass.REALLOCATION
UNVALUED = BenefitClass.UNVALUED
ONE_OFF = CostKind.ONE_OFF
RECURRING = CostKind.RECURRING
TEST = CostPhase.TEST
IMPL = CostPhase.IMPLEMENTATION
OPER = CostPhase.OPERATION


def AS_ANY(value: object) -> Any:  # noqa: N802 - reads as a marker in the call it wraps
    """Pass a deliberately wrong-typed value past the type checker."""
    return value


def q(value: Decimal) -> Decimal:
    """To the öre, as displayed."""
    return value.quantize(D("0.01"))


def q4(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(D("0.0001"))


def indicator(
    key: str,
    direction: Direction,
    baseline: str,
    target: str,
    latest: str | None,
    value_per_unit: str | None,
    annual_volume: str | None,
    benefit_class: BenefitClass,
    *,
    name: str | None = None,
    unit: str = "st",
) -> IndicatorInput:
    return IndicatorInput(
        key=key,
        name=name or f"Indicator {key}",
        unit=unit,
        direction=direction,
        baseline=D(baseline),
        target=D(target),
        latest=None if latest is None else D(latest),
        value_per_unit=None if value_per_unit is None else D(value_per_unit),
        annual_volume=None if annual_volume is None else D(annual_volume),
        benefit_class=benefit_class,
    )


def cost(
    category: CostCategory,
    kind: CostKind,
    phase: CostPhase,
    first_year: int,
    last_year: int | None,
    amount: str,
) -> CostInput:
    return CostInput(category, kind, phase, first_year, last_year, D(amount))


def rows(view: View) -> list[tuple[int, Decimal, Decimal, Decimal, Decimal, Decimal]]:
    """A view's year table to the öre: (year, costs, benefits, net, cumulative, PV)."""
    return [
        (r.year, q(r.costs), q(r.benefits), q(r.net), q(r.cumulative_net), q(r.present_value))
        for r in view.years
    ]


# ============================================================================================
# Worked case (a): payback never reached in the cash view; the full view pays back in 2027.
# ============================================================================================
#
# Horizon 2025-2029 (H = 5), discount rate 3 %.
#
# Indicators
#   1. "Minuter per ärende" (financial), lower is better: b = 100, t = 60, a = 80,
#      10 SEK per minute, 400 cases a year.
#        Δ = b − a = 100 − 80 = 20;  r = 20 / |60 − 100| = 20 / 40 = 0.5 (50 %)
#        expected = 40 × 10 × 400 = 160 000;  realised = 20 × 10 × 400 = 80 000 (used)
#   2. "Timmar schemaläggning per vecka" (reallocation), lower is better: b = 30, t = 20,
#      no measurement yet; 450 SEK/hour, 40 weeks a year.
#        expected = |20 − 30| × 450 × 40 = 180 000 (used, marked as an estimate)
#   3. "Nöjdhet vårdnadshavare" (unvalued): listed beside the money, never in it.
#
# Costs
#   test, licence, one-off 2024:          80 000            -> spent to date
#   test, services, recurring 2023-2024:  15 000 × 2 = 30 000 -> spent to date
#   implementation, hardware, one-off 2025: 500 000
#   operation, licence, recurring 2025-(end): 60 000 a year
#   spent to date = 80 000 + 30 000 = 110 000 (not in the forward cash flow)
#   C = [500 000 + 60 000, 60 000, 60 000, 60 000, 60 000] = [560 000, 60 000 × 4]
#
# Discount factors 1/1.03^k: 1, 0.9708737864, 0.9425959091, 0.9151416594, 0.8884870479
#
# Cash view (financial only): B = 80 000 every year
#   N   = [-480 000, 20 000, 20 000, 20 000, 20 000]
#   cum = [-480 000, -460 000, -440 000, -420 000, -400 000]  -> never >= 0: payback None
#   PV  = [-480 000, 19 417.48, 18 851.92, 18 302.83, 17 769.74]
#   NPV = -480 000 + 74 341.968056 = -405 658.03
#   PV(C) = 560 000 + 60 000 × (0.9708737864 + 0.9425959091 + 0.9151416594 + 0.8884870479)
#         = 560 000 + 60 000 × 3.7170984028 = 783 025.90
#   PV(B) = 80 000 × 4.7170984028 = 377 367.87;   BCR = 377 367.87 / 783 025.90 = 0.4819
#
# Full view (financial + reallocation): B = 80 000 + 180 000 = 260 000 every year
#   N   = [-300 000, 200 000, 200 000, 200 000, 200 000]
#   cum = [-300 000, -100 000, 100 000, 300 000, 500 000]     -> payback 2027 (k = 2)
#   PV  = [-300 000, 194 174.76, 188 519.18, 183 028.33, 177 697.41]
#   NPV = -300 000 + 200 000 × 3.7170984028 = 443 419.68
#   PV(B) = 260 000 × 4.7170984028 = 1 226 445.58;   BCR = 1 226 445.58 / 783 025.90 = 1.5663
#
# Sensitivity (costs × 1.2 / benefits × 0.5 in "low"; costs × 0.9 / benefits × 1.2 in "high")
#   low cash:  B = 40 000, C = [672 000, 72 000 × 4]; N = [-632 000, -32 000 × 4]
#              NPV = -632 000 − 32 000 × 3.7170984028 = -750 947.15; BCR 0.2008
#   low full:  B = 130 000; N = [-542 000, 58 000 × 4]
#              NPV = -542 000 + 58 000 × 3.7170984028 = -326 408.29; BCR 0.6526
#   high full: B = 312 000, C = [504 000, 54 000 × 4]; N = [-192 000, 258 000 × 4]
#              NPV = -192 000 + 258 000 × 3.7170984028 = 767 011.39; BCR 2.0884


def case_a_inputs() -> tuple[list[IndicatorInput], list[CostInput], Parameters]:
    indicators = [
        indicator("1", LOWER, "100", "60", "80", "10", "400", FIN, name="Minuter per ärende"),
        indicator("2", LOWER, "30", "20", None, "450", "40", REALLOC, name="Timmar schema"),
        indicator("3", HIGHER, "3.1", "3.6", "3.4", None, None, UNVALUED, name="Nöjdhet"),
    ]
    costs = [
        cost(CostCategory.LICENCE, ONE_OFF, TEST, 2024, None, "80000"),
        cost(CostCategory.SERVICES, RECURRING, TEST, 2023, 2024, "15000"),
        cost(CostCategory.HARDWARE, ONE_OFF, IMPL, 2025, None, "500000"),
        cost(CostCategory.LICENCE, RECURRING, OPER, 2025, None, "60000"),
    ]
    return indicators, costs, Parameters(first_year=2025)


@pytest.fixture
def case_a() -> Evaluation:
    return evaluate(*case_a_inputs())


def test_case_a_structure_and_costs(case_a: Evaluation) -> None:
    assert case_a.first_year == 2025
    assert case_a.years == [2025, 2026, 2027, 2028, 2029]
    assert case_a.spent_to_date == D("110000")
    assert case_a.costs_by_year == [D("560000")] + [D("60000")] * 4
    assert case_a.costs_by_category[CostCategory.HARDWARE] == [D("500000")] + [D(0)] * 4
    assert case_a.costs_by_category[CostCategory.LICENCE] == [D("60000")] * 5
    # Test-phase services never reach the forward table, even in their category row.
    assert case_a.costs_by_category[CostCategory.SERVICES] == [D(0)] * 5
    assert set(case_a.costs_by_category) == set(CostCategory)
    assert case_a.costs_before_horizon == 0


def test_case_a_indicators(case_a: Evaluation) -> None:
    first, second, third = case_a.indicators
    assert first.improvement == D("20")
    assert first.realisation == D("0.5")
    assert first.expected_annual_value == D("160000")
    assert first.realised_annual_value == D("80000")
    assert first.annual_value_used == D("80000")
    assert first.is_valued and not first.is_estimate

    assert second.improvement is None and second.realisation is None
    assert second.expected_annual_value == D("180000")
    assert second.realised_annual_value is None
    assert second.annual_value_used == D("180000")
    assert second.is_valued and second.is_estimate

    assert not third.is_valued and not third.is_estimate
    assert third.annual_value_used is None and third.expected_annual_value is None
    assert third.realisation == D("0.6")  # (3.4 − 3.1) / 0.5: measured, just not in money
    assert [r.key for r in case_a.unvalued] == ["3"]
    assert not third.valuation_incomplete  # unvalued by choice, not by a missing figure


def test_case_a_cash_view_never_pays_back(case_a: Evaluation) -> None:
    cash = case_a.cash
    assert cash.name == "cash"
    assert rows(cash) == [
        (2025, D("560000.00"), D("80000.00"), D("-480000.00"), D("-480000.00"), D("-480000.00")),
        (2026, D("60000.00"), D("80000.00"), D("20000.00"), D("-460000.00"), D("19417.48")),
        (2027, D("60000.00"), D("80000.00"), D("20000.00"), D("-440000.00"), D("18851.92")),
        (2028, D("60000.00"), D("80000.00"), D("20000.00"), D("-420000.00"), D("18302.83")),
        (2029, D("60000.00"), D("80000.00"), D("20000.00"), D("-400000.00"), D("17769.74")),
    ]
    assert [r.discount_factor.quantize(D("1e-10")) for r in cash.years] == [
        D("1.0000000000"),
        D("0.9708737864"),
        D("0.9425959091"),
        D("0.9151416594"),
        D("0.8884870479"),
    ]
    assert cash.total_costs == D("800000")
    assert cash.total_benefits == D("400000")
    assert cash.total_net == D("-400000")
    assert q(cash.pv_costs) == D("783025.90")
    assert q(cash.pv_benefits) == D("377367.87")
    assert q(cash.npv) == D("-405658.03")
    assert q4(cash.bcr) == D("0.4819")
    assert cash.payback_year is None
    assert not cash.is_estimate  # the only financial indicator is measured


def test_case_a_full_view_pays_back_in_2027(case_a: Evaluation) -> None:
    full = case_a.full
    assert full.name == "full"
    assert rows(full) == [
        (2025, D("560000.00"), D("260000.00"), D("-300000.00"), D("-300000.00"), D("-300000.00")),
        (2026, D("60000.00"), D("260000.00"), D("200000.00"), D("-100000.00"), D("194174.76")),
        (2027, D("60000.00"), D("260000.00"), D("200000.00"), D("100000.00"), D("188519.18")),
        (2028, D("60000.00"), D("260000.00"), D("200000.00"), D("300000.00"), D("183028.33")),
        (2029, D("60000.00"), D("260000.00"), D("200000.00"), D("500000.00"), D("177697.41")),
    ]
    assert q(full.pv_costs) == q(case_a.cash.pv_costs)  # costs identical in both views
    assert q(full.pv_benefits) == D("1226445.58")
    assert q(full.npv) == D("443419.68")
    assert q4(full.bcr) == D("1.5663")
    assert full.payback_year == 2027
    assert full.is_estimate  # the reallocation benefit is unmeasured
    assert case_a.is_estimate
    assert case_a.views == {"cash": case_a.cash, "full": full}


def test_case_a_benefits_by_class(case_a: Evaluation) -> None:
    financial = case_a.benefits_by_class[FIN]
    reallocation = case_a.benefits_by_class[REALLOC]
    assert set(case_a.benefits_by_class) == {FIN, REALLOC}
    assert financial.annual_value == D("80000")
    assert financial.by_year == [D("80000")] * 5
    assert financial.total == D("400000")
    assert not financial.is_estimate
    assert reallocation.annual_value == D("180000")
    assert reallocation.by_year == [D("180000")] * 5
    assert reallocation.is_estimate


def test_case_a_sensitivity(case_a: Evaluation) -> None:
    sens = case_a.sensitivity
    assert list(sens) == ["low", "expected", "high"]
    assert (sens["low"].benefits_factor, sens["low"].costs_factor) == (D("0.5"), D("1.2"))
    assert (sens["high"].benefits_factor, sens["high"].costs_factor) == (D("1.2"), D("0.9"))
    assert q(sens["low"].cash.npv) == D("-750947.15")
    assert q4(sens["low"].cash.bcr) == D("0.2008")
    assert q(sens["low"].full.npv) == D("-326408.29")
    assert q4(sens["low"].full.bcr) == D("0.6526")
    assert q(sens["high"].full.npv) == D("767011.39")
    assert q4(sens["high"].full.bcr) == D("2.0884")
    assert sens["expected"].cash.npv == case_a.cash.npv
    assert sens["expected"].full.npv == case_a.full.npv
    assert sens["expected"].full.bcr == case_a.full.bcr


def test_case_a_spent_to_date_is_left_out_of_the_forward_flow() -> None:
    indicators, costs, params = case_a_inputs()
    with_test = evaluate(indicators, costs, params)
    without_test = evaluate(indicators, [c for c in costs if c.phase is not TEST], params)
    assert without_test.spent_to_date == 0
    assert with_test.spent_to_date == D("110000")
    # Sunk costs change nothing that looks forward.
    assert with_test.views == without_test.views
    assert with_test.costs_by_year == without_test.costs_by_year
    assert with_test.sensitivity == without_test.sensitivity


# ============================================================================================
# Worked case (b): a dis-benefit. A reallocation indicator got worse and counts against.
# ============================================================================================
#
# Horizon 2026-2028 (H = 3), discount rate 3.5 % (the Green Book's rate).
#
# Indicators
#   A. "Utskrivna sidor (tusental)" (financial), lower is better: b = 500, t = 300, a = 350,
#      100 SEK per thousand pages, volume 10.
#        Δ = 500 − 350 = 150;  r = 150 / 200 = 0.75
#        expected = 200 × 100 × 10 = 200 000;  realised = 150 × 100 × 10 = 150 000 (used)
#   B. "Administrationsminuter per lärare och vecka" (reallocation), lower is better:
#      b = 60, t = 45, a = 70 (it went up!), 5 SEK per minute, 2 000 teacher-weeks.
#        Δ = 60 − 70 = −10;  r = −10 / 15 = −0.6667 (−66.7 %)
#        expected = 15 × 5 × 2 000 = 150 000;  realised = −10 × 5 × 2 000 = −100 000 (used)
#   C. "Upplevd trygghet" (class unvalued, but with a stray price): stays unvalued.
#   D. "Kopiatorservice" (financial, but no annual volume yet): cannot be valued, so it is
#      listed among the unvalued with valuation_incomplete, never silently priced at zero.
#
# Costs
#   test, personnel, recurring 2025-(no last year): 30 000 -> counts one year: 30 000
#   test, licence, recurring 2024-2025: 12 000 × 2 = 24 000
#   spent to date = 54 000
#   implementation, training, one-off 2026: 40 000
#   operation, licence, recurring 2026-2027: 25 000 a year (stops before 2028)
#   operation, support, recurring 2024-(end): 10 000 a year; 2024 and 2025 lie before the
#      horizon (20 000 reported as costs_before_horizon), 2026-2028 are in it
#   implementation, hardware, one-off 2030: after the horizon, not counted
#   C = [40 000 + 25 000 + 10 000, 25 000 + 10 000, 10 000] = [75 000, 35 000, 10 000]
#
# Discount factors 1/1.035^k: 1, 0.9661835749, 0.9335107004
#
# Cash view: B = 150 000 a year
#   N = [75 000, 115 000, 140 000]; cum = [75 000, 190 000, 330 000] -> payback 2026
#   PV = [75 000, 111 111.11, 130 691.50]; NPV = 316 802.61
#   PV(C) = 75 000 + 35 000 × 0.9661835749 + 10 000 × 0.9335107004 = 118 151.53
#   PV(B) = 150 000 × 2.8996942753 = 434 954.14; BCR = 3.6813
#
# Full view: B = 150 000 − 100 000 = 50 000 a year (the dis-benefit eats two thirds)
#   N = [−25 000, 15 000, 40 000]; cum = [−25 000, −10 000, 30 000] -> payback 2028
#   PV = [−25 000, 14 492.75, 37 340.43]; NPV = 26 833.18
#   PV(B) = 50 000 × 2.8996942753 = 144 984.71; BCR = 144 984.71 / 118 151.53 = 1.2271


@pytest.fixture
def case_b() -> Evaluation:
    indicators = [
        indicator("A", LOWER, "500", "300", "350", "100", "10", FIN),
        indicator("B", LOWER, "60", "45", "70", "5", "2000", REALLOC),
        indicator("C", HIGHER, "3.2", "3.8", "3.5", "1000", "1", UNVALUED),
        indicator("D", LOWER, "12", "6", None, "800", None, FIN),
    ]
    costs = [
        cost(CostCategory.PERSONNEL, RECURRING, TEST, 2025, None, "30000"),
        cost(CostCategory.LICENCE, RECURRING, TEST, 2024, 2025, "12000"),
        cost(CostCategory.TRAINING, ONE_OFF, IMPL, 2026, None, "40000"),
        cost(CostCategory.LICENCE, RECURRING, OPER, 2026, 2027, "25000"),
        cost(CostCategory.SUPPORT, RECURRING, OPER, 2024, None, "10000"),
        cost(CostCategory.HARDWARE, ONE_OFF, IMPL, 2030, None, "90000"),
    ]
    params = Parameters(first_year=2026, horizon_years=3, discount_rate=D("0.035"))
    return evaluate(indicators, costs, params)


def test_case_b_dis_benefit_indicator(case_b: Evaluation) -> None:
    a, b, c, d = case_b.indicators
    assert a.realisation == D("0.75") and a.annual_value_used == D("150000")
    assert b.improvement == D("-10")
    assert q4(b.realisation) == D("-0.6667")
    assert b.expected_annual_value == D("150000")
    assert b.realised_annual_value == D("-100000")
    assert b.annual_value_used == D("-100000")  # realised, not expected, despite being worse
    assert not b.is_estimate
    assert [r.key for r in case_b.unvalued] == ["C", "D"]
    assert not c.valuation_incomplete and d.valuation_incomplete
    assert not case_b.is_estimate  # D is not valued, so it cannot make the result an estimate


def test_case_b_costs(case_b: Evaluation) -> None:
    assert case_b.spent_to_date == D("54000")
    assert case_b.costs_by_year == [D("75000"), D("35000"), D("10000")]
    assert case_b.costs_by_category[CostCategory.TRAINING] == [D("40000"), D(0), D(0)]
    assert case_b.costs_by_category[CostCategory.LICENCE] == [D("25000"), D("25000"), D(0)]
    assert case_b.costs_by_category[CostCategory.SUPPORT] == [D("10000")] * 3
    assert case_b.costs_by_category[CostCategory.HARDWARE] == [D(0)] * 3
    assert case_b.costs_by_category[CostCategory.PERSONNEL] == [D(0)] * 3
    assert case_b.costs_before_horizon == D("20000")


def test_case_b_cash_view(case_b: Evaluation) -> None:
    cash = case_b.cash
    assert rows(cash) == [
        (2026, D("75000.00"), D("150000.00"), D("75000.00"), D("75000.00"), D("75000.00")),
        (2027, D("35000.00"), D("150000.00"), D("115000.00"), D("190000.00"), D("111111.11")),
        (2028, D("10000.00"), D("150000.00"), D("140000.00"), D("330000.00"), D("130691.50")),
    ]
    assert q(cash.pv_costs) == D("118151.53")
    assert q(cash.pv_benefits) == D("434954.14")
    assert q(cash.npv) == D("316802.61")
    assert q4(cash.bcr) == D("3.6813")
    assert cash.payback_year == 2026


def test_case_b_full_view_carries_the_dis_benefit(case_b: Evaluation) -> None:
    full = case_b.full
    assert case_b.benefits_by_class[REALLOC].by_year == [D("-100000")] * 3
    assert rows(full) == [
        (2026, D("75000.00"), D("50000.00"), D("-25000.00"), D("-25000.00"), D("-25000.00")),
        (2027, D("35000.00"), D("50000.00"), D("15000.00"), D("-10000.00"), D("14492.75")),
        (2028, D("10000.00"), D("50000.00"), D("40000.00"), D("30000.00"), D("37340.43")),
    ]
    assert full.total_benefits == D("150000")
    assert q(full.pv_benefits) == D("144984.71")
    assert q(full.npv) == D("26833.18")
    assert q4(full.bcr) == D("1.2271")
    assert full.payback_year == 2028
    # The dis-benefit makes the full view worse than the cash view.
    assert full.npv < case_b.cash.npv


# ============================================================================================
# Worked case (c): ramp-up (50 % in year 0, 75 % in year 1, full from year 2).
# ============================================================================================
#
# Horizon 2025-2028 (H = 4), discount rate 3 %, ramp_up = (0.5, 0.75).
#
# Indicator "Digitalt hanterade ansökningar (hundratal)" (financial), higher is better:
#   b = 10, t = 20, a = 22 (beat the target), 1 000 SEK per unit, volume 10.
#   Δ = 22 − 10 = 12;  r = 12 / 10 = 1.2 (120 %)
#   expected = 10 × 1 000 × 10 = 100 000;  realised = 12 × 1 000 × 10 = 120 000 (used)
#
# Costs: implementation, personnel, one-off 2025: 100 000; operation, licence, recurring
#   2025-(end): 20 000 a year.  C = [120 000, 20 000, 20 000, 20 000]
#
# B_k = 120 000 × ramp: [× 0.5, × 0.75, × 1, × 1] = [60 000, 90 000, 120 000, 120 000]
# N   = [−60 000, 70 000, 100 000, 100 000]
# cum = [−60 000, 10 000, 110 000, 210 000] -> payback 2026
#   (without the ramp-up it would be 2025: cum_0 = 120 000 − 120 000 = 0 >= 0)
# PV  = [−60 000, 67 961.17, 94 259.59, 91 514.17]; NPV = 193 734.92
# PV(C) = 120 000 + 20 000 × (0.9708737864 + 0.9425959091 + 0.9151416594) = 176 572.23
# PV(B) = 60 000 + 90 000 × 0.9708737864 + 120 000 × (0.9425959091 + 0.9151416594)
#       = 60 000 + 87 378.64 + 222 928.51 = 370 307.15;  BCR = 2.0972
#
# Sensitivity:
#   low (B × 0.5, C × 1.2): B = [30 000, 45 000, 60 000, 60 000], C = [144 000, 24 000 × 3]
#        N = [−114 000, 21 000, 36 000, 36 000]; cum ends at −21 000 -> no payback
#        NPV = −114 000 + 20 388.35 + 33 933.45 + 32 945.10 = −26 733.10; BCR 0.8738
#   high (B × 1.2, C × 0.9): B = [72 000, 108 000, 144 000, 144 000], C = [108 000, 18 000 × 3]
#        N = [−36 000, 90 000, 126 000, 126 000] -> payback 2026
#        NPV = −36 000 + 87 378.64 + 118 767.08 + 115 307.85 = 285 453.57; BCR 2.7963


def case_c_inputs(ramp_up: tuple[Decimal, ...]) -> tuple[list, list, Parameters]:
    indicators = [indicator("1", HIGHER, "10", "20", "22", "1000", "10", FIN)]
    costs = [
        cost(CostCategory.PERSONNEL, ONE_OFF, IMPL, 2025, None, "100000"),
        cost(CostCategory.LICENCE, RECURRING, OPER, 2025, None, "20000"),
    ]
    params = Parameters(first_year=2025, horizon_years=4, ramp_up=ramp_up)
    return indicators, costs, params


@pytest.fixture
def case_c() -> Evaluation:
    return evaluate(*case_c_inputs((D("0.5"), D("0.75"))))


def test_case_c_ramp_up(case_c: Evaluation) -> None:
    (result,) = case_c.indicators
    assert result.realisation == D("1.2")
    assert result.annual_value_used == D("120000")
    financial = case_c.benefits_by_class[FIN]
    assert financial.annual_value == D("120000")  # before ramp-up
    assert financial.by_year == [D("60000"), D("90000"), D("120000"), D("120000")]
    assert case_c.benefits_by_class[REALLOC].by_year == [D(0)] * 4

    for view in (case_c.cash, case_c.full):  # no reallocation benefit: the views agree
        assert rows(view) == [
            (2025, D("120000.00"), D("60000.00"), D("-60000.00"), D("-60000.00"), D("-60000.00")),
            (2026, D("20000.00"), D("90000.00"), D("70000.00"), D("10000.00"), D("67961.17")),
            (2027, D("20000.00"), D("120000.00"), D("100000.00"), D("110000.00"), D("94259.59")),
            (2028, D("20000.00"), D("120000.00"), D("100000.00"), D("210000.00"), D("91514.17")),
        ]
        assert q(view.pv_costs) == D("176572.23")
        assert q(view.pv_benefits) == D("370307.15")
        assert q(view.npv) == D("193734.92")
        assert q4(view.bcr) == D("2.0972")
        assert view.payback_year == 2026


def test_case_c_without_ramp_up_pays_back_in_year_zero() -> None:
    evaluation = evaluate(*case_c_inputs(()))
    assert evaluation.cash.years[0].cumulative_net == 0
    assert evaluation.cash.payback_year == 2025  # ">= 0" includes exactly break-even


def test_case_c_sensitivity(case_c: Evaluation) -> None:
    low, expected, high = (case_c.sensitivity[name] for name in ("low", "expected", "high"))
    assert [q(r.net) for r in low.cash.years] == [
        D("-114000.00"),
        D("21000.00"),
        D("36000.00"),
        D("36000.00"),
    ]
    assert q(low.cash.npv) == q(low.full.npv) == D("-26733.10")
    assert q4(low.cash.bcr) == D("0.8738")
    assert low.cash.payback_year is None
    assert expected.cash.npv == case_c.cash.npv
    assert q(high.cash.npv) == D("285453.57")
    assert q4(high.full.bcr) == D("2.7963")
    assert high.cash.payback_year == 2026


def test_custom_sensitivity_factors_are_used() -> None:
    indicators, costs, _ = case_c_inputs(())
    factors = SensitivityFactors(benefits_low=D("0"), costs_low=D("2"))
    params = Parameters(first_year=2025, horizon_years=4, sensitivity=factors)
    low = evaluate(indicators, costs, params).sensitivity["low"]
    assert (low.benefits_factor, low.costs_factor) == (D("0"), D("2"))
    assert low.cash.total_benefits == 0
    assert low.cash.total_costs == 2 * D("180000")


# ============================================================================================
# The pure formulas
# ============================================================================================


@pytest.mark.parametrize(
    ("direction", "baseline", "latest", "expected"),
    [
        (HIGHER, "10", "14", "4"),
        (HIGHER, "10", "7", "-3"),
        (LOWER, "10", "7", "3"),
        (LOWER, "10", "14", "-4"),
        (LOWER, "-2.5", "-4", "1.5"),
    ],
)
def test_improvement(direction: Direction, baseline: str, latest: str, expected: str) -> None:
    assert improvement(direction, D(baseline), D(latest)) == D(expected)


def test_improvement_without_measurement_is_none() -> None:
    assert improvement(HIGHER, D("1"), None) is None


def test_improvement_accepts_the_enum_value_string() -> None:
    assert improvement("lower_is_better", D("10"), D("7")) == D("3")
    with pytest.raises(ValueError, match="direction"):
        improvement("sideways", D("10"), D("7"))


@pytest.mark.parametrize(
    ("direction", "baseline", "target", "latest", "expected"),
    [
        (HIGHER, "0", "10", "8", "0.8"),
        (LOWER, "100", "60", "80", "0.5"),
        (HIGHER, "0", "10", "13", "1.3"),  # beyond target
        (HIGHER, "10", "20", "5", "-0.5"),  # wrong way
        (HIGHER, "10", "5", "7", "-0.6"),  # target on the "wrong" side: Δ still by direction
        (HIGHER, "5", "5", "5", None),  # t == b: undefined, not zero
        (HIGHER, "5", "5", "7", None),
        (HIGHER, "0", "10", None, None),
    ],
)
def test_realisation(
    direction: Direction, baseline: str, target: str, latest: str | None, expected: str | None
) -> None:
    result = realisation(direction, D(baseline), D(target), None if latest is None else D(latest))
    assert result == (None if expected is None else D(expected))


def test_realisation_is_not_rounded() -> None:
    third = realisation(HIGHER, D("0"), D("3"), D("1"))
    assert third is not None
    assert q4(third) == D("0.3333")
    assert third != D("0.3333")
    assert abs(third * 3 - 1) < D("1e-50")


def test_annual_values() -> None:
    assert expected_annual_value(D("100"), D("60"), D("10"), D("400")) == D("160000")
    assert expected_annual_value(D("60"), D("100"), D("10"), D("400")) == D("160000")
    assert realised_annual_value(LOWER, D("100"), D("80"), D("10"), D("400")) == D("80000")
    assert realised_annual_value(LOWER, D("100"), D("120"), D("10"), D("400")) == D("-80000")
    # Öre survive: 0.5 units × 12.34 SEK × 3 = 18.51
    assert realised_annual_value(HIGHER, D("1"), D("1.5"), D("12.34"), D("3")) == D("18.51")


def test_ramp_factor() -> None:
    ramp = (D("0.5"), D("0.8"))
    assert [ramp_factor(ramp, k) for k in range(4)] == [D("0.5"), D("0.8"), D(1), D(1)]
    assert ramp_factor((), 0) == 1
    with pytest.raises(ValueError):
        ramp_factor(ramp, -1)


def test_npv_and_discounting() -> None:
    assert npv([], D("0.03")) == 0
    assert npv([D("-100"), D("103")], D("0.03")) == 0
    assert npv([D("-100"), D("50"), D("50")], D("0")) == 0
    assert q(npv([D("0"), D("0"), D("1060.9")], D("0.03"))) == D("1000.00")
    assert discount_factor(D("0.25"), 2) == D("0.64")
    assert present_value(D("125"), D("0.25"), 1) == D("100")
    with pytest.raises(ValueError, match="greater than -1"):
        npv([D("1"), D("1")], D("-1"))


def test_payback_is_not_claimed_before_anything_happens() -> None:
    # Year 0 (2027) has nothing; year 1 an investment of 100; years 2-4 a benefit of 40 each.
    # Cumulative: 0, -100, -60, -20, +20: payback 2031, not 2027.
    costs = [CostInput(CostCategory.LICENCE, CostKind.ONE_OFF, CostPhase.IMPLEMENTATION, 2028, None, D("100"))]
    indicator = IndicatorInput("1", "Kronor", "kr", Direction.HIGHER_IS_BETTER, D("0"), D("40"), None, D("1"),
                               D("1"), BenefitClass.FINANCIAL)
    params = Parameters(first_year=2027, horizon_years=5, ramp_up=(D("0"), D("0"), D("1")))
    assert evaluate([indicator], costs, params).cash.payback_year == 2031
    # With nothing at all, there is nothing to pay back.
    assert evaluate([], [], Parameters(first_year=2027)).cash.payback_year is None


def test_payback_year() -> None:
    assert payback_year([D("-10"), D("5"), D("5")], 2030) == 2032
    assert payback_year([D("-10"), D("5"), D("4.99")], 2030) is None
    assert payback_year([D("0")], 2030) == 2030
    assert payback_year([], 2030) is None
    # The first year the cumulative net reaches zero, even if it dips again afterwards.
    assert payback_year([D("-1"), D("2"), D("-5")], 2030) == 2031


def test_benefit_cost_ratio() -> None:
    assert benefit_cost_ratio(D("300"), D("200")) == D("1.5")
    assert benefit_cost_ratio(D("300"), D("0")) is None
    assert benefit_cost_ratio(D("-50"), D("100")) == D("-0.5")


def test_cost_in_year() -> None:
    one_off = cost(CostCategory.OTHER, ONE_OFF, IMPL, 2026, None, "7")
    bounded = cost(CostCategory.OTHER, RECURRING, OPER, 2026, 2027, "5")
    open_ended = cost(CostCategory.OTHER, RECURRING, OPER, 2026, None, "3")
    assert [cost_in_year(one_off, y) for y in (2025, 2026, 2027)] == [0, 7, 0]
    assert [cost_in_year(bounded, y) for y in (2025, 2026, 2027, 2028)] == [0, 5, 5, 0]
    assert [cost_in_year(open_ended, y) for y in (2025, 2026, 2090)] == [0, 3, 3]


def test_one_off_ignores_a_stray_last_year() -> None:
    item = cost(CostCategory.OTHER, ONE_OFF, IMPL, 2026, 2024, "7")
    assert [cost_in_year(item, y) for y in (2024, 2025, 2026, 2027)] == [0, 0, 7, 0]


# ============================================================================================
# Edge cases a controller would notice
# ============================================================================================


def test_no_costs_gives_no_bcr_and_no_error() -> None:
    evaluation = evaluate(
        [indicator("1", HIGHER, "0", "10", "5", "100", "1", FIN)], [], Parameters(2025, 3)
    )
    assert evaluation.cash.pv_costs == 0
    assert evaluation.cash.bcr is None
    # B = 5 × 100 × 1 = 500 a year; NPV = 500 + 500 / 1.03 + 500 / 1.0609
    #     = 500 + 485.436893 + 471.297955 = 1 456.73
    assert q(evaluation.cash.npv) == D("1456.73")
    assert evaluation.cash.payback_year == 2025


def test_nothing_at_all() -> None:
    evaluation = evaluate([], [], Parameters(2025, 1))
    assert evaluation.years == [2025]
    assert evaluation.cash.npv == 0 and evaluation.full.npv == 0
    assert evaluation.cash.bcr is None
    assert evaluation.indicators == [] and evaluation.unvalued == []
    assert not evaluation.is_estimate


def test_estimate_in_cash_view_when_financial_indicator_unmeasured() -> None:
    evaluation = evaluate(
        [indicator("1", HIGHER, "0", "10", None, "100", "1", FIN)], [], Parameters(2025, 2)
    )
    assert evaluation.cash.is_estimate and evaluation.full.is_estimate
    assert evaluation.is_estimate
    assert evaluation.cash.total_benefits == D("2000")  # expected value 10 × 100 × 1, twice


def test_costs_outside_the_horizon_are_clipped() -> None:
    costs = [
        cost(CostCategory.LICENCE, RECURRING, OPER, 2020, 2030, "1000"),  # 11 years, 3 in view
        cost(CostCategory.HARDWARE, ONE_OFF, IMPL, 2024, None, "500"),  # before year 0
        cost(CostCategory.HARDWARE, ONE_OFF, IMPL, 2028, None, "700"),  # after the horizon
    ]
    evaluation = evaluate([], costs, Parameters(2025, 3, D(0)))
    assert evaluation.costs_by_year == [D("1000")] * 3
    assert evaluation.costs_before_horizon == D("1000") * 5 + D("500")
    assert evaluation.cash.total_costs == D("3000")


def test_duplicate_indicator_keys_are_refused() -> None:
    ind = indicator("1", HIGHER, "0", "1", None, None, None, UNVALUED)
    with pytest.raises(ValueError, match="share the key"):
        evaluate([ind, ind], [], Parameters(2025))


def test_evaluate_accepts_tuples_and_generators() -> None:
    ind = indicator("1", HIGHER, "0", "1", "1", "1", "1", FIN)
    a = evaluate((ind,), (), Parameters(2025))
    b = evaluate(iter([ind]), iter([]), Parameters(2025))
    assert a == b


# ============================================================================================
# Validation at the boundary: clear ValueErrors, never ZeroDivisionError
# ============================================================================================


@pytest.mark.parametrize("horizon", [0, -1, MAX_HORIZON_YEARS + 1])
def test_horizon_out_of_range(horizon: int) -> None:
    with pytest.raises(ValueError, match="horizon_years"):
        Parameters(first_year=2025, horizon_years=horizon)


def test_horizon_limits_accepted() -> None:
    assert len(evaluate([], [], Parameters(2025, 1)).years) == 1
    assert len(evaluate([], [], Parameters(2025, MAX_HORIZON_YEARS)).years) == MAX_HORIZON_YEARS


@pytest.mark.parametrize("rate", [D("-1"), D("-1.5"), D("1.01"), D("3"), D("NaN"), D("Infinity")])
def test_discount_rate_out_of_range(rate: Decimal) -> None:
    with pytest.raises(ValueError, match="discount"):
        Parameters(first_year=2025, discount_rate=rate)


def test_rate_limits_and_ints_accepted() -> None:
    assert Parameters(2025, discount_rate=D("-0.99")).discount_rate == D("-0.99")
    assert Parameters(2025, discount_rate=1).discount_rate == D(1)
    assert isinstance(Parameters(2025, discount_rate=0).discount_rate, Decimal)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"discount_rate": 0.03},
        {"horizon_years": 5.0},
        {"horizon_years": True},
        {"first_year": "2025"},
        {"ramp_up": (0.5,)},
        {"ramp_up": (D("-0.1"),)},
        {"ramp_up": "0.5"},
        {"sensitivity": {"benefits_low": D("0.5")}},
    ],
)
def test_bad_parameters(kwargs: dict[str, object]) -> None:
    arguments: dict[str, object] = {"first_year": 2025, **kwargs}
    with pytest.raises(ValueError):
        Parameters(**arguments)  # type: ignore[arg-type]


def test_ramp_up_list_is_normalised_to_a_tuple() -> None:
    params = Parameters(2025, ramp_up=[D("0.5"), 1])  # type: ignore[arg-type]
    assert params.ramp_up == (D("0.5"), D(1))
    hash(params)  # frozen and hashable


def test_float_money_is_refused_with_a_clear_message() -> None:
    with pytest.raises(ValueError, match="cost amount must be a Decimal"):
        CostInput(CostCategory.OTHER, ONE_OFF, IMPL, 2025, None, AS_ANY(100.0))
    with pytest.raises(ValueError, match="baseline must be a Decimal"):
        IndicatorInput("k", "n", "u", HIGHER, AS_ANY(1.5), D(2), None, None, None, FIN)


@pytest.mark.parametrize(
    "build",
    [
        lambda: cost(CostCategory.OTHER, ONE_OFF, IMPL, 2025, None, "-1"),
        lambda: cost(CostCategory.OTHER, RECURRING, OPER, 2025, 2024, "1"),
        lambda: CostInput(AS_ANY("rent"), ONE_OFF, IMPL, 2025, None, D(1)),
        lambda: CostInput(CostCategory.OTHER, ONE_OFF, IMPL, AS_ANY(2025.0), None, D(1)),
        lambda: indicator("k", HIGHER, "0", "1", None, "-5", "1", FIN),
        lambda: indicator("k", HIGHER, "0", "1", None, "5", "-1", FIN),
        lambda: indicator("", HIGHER, "0", "1", None, None, None, FIN),
        lambda: indicator("k", HIGHER, "0", "1", "NaN", None, None, FIN),
        lambda: IndicatorInput("k", "n", "u", AS_ANY("up"), D(0), D(1), None, None, None, FIN),
        lambda: SensitivityFactors(costs_high=D("-0.1")),
    ],
)
def test_bad_inputs(build: object) -> None:
    with pytest.raises(ValueError):
        build()  # type: ignore[operator]


def test_string_enum_values_are_normalised() -> None:
    item = CostInput("licence", "recurring", "operation", 2025, None, 10)  # type: ignore[arg-type]
    assert item.category is CostCategory.LICENCE and item.kind is RECURRING
    assert item.amount == D(10) and isinstance(item.amount, Decimal)


def test_evaluate_refuses_wrong_argument_types() -> None:
    with pytest.raises(ValueError, match="params"):
        evaluate([], [], 2025)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="costs"):
        evaluate([], [{"amount": 1}], Parameters(2025))  # type: ignore[list-item]
    with pytest.raises(ValueError, match="indicators"):
        evaluate(["x"], [], Parameters(2025))  # type: ignore[list-item]


def test_unknown_sensitivity_case() -> None:
    with pytest.raises(ValueError, match="sensitivity case"):
        SensitivityFactors().factors("worst")
