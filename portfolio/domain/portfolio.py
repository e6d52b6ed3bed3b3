"""The portfolio overview's figures (DESIGN §1, §5): many pilots, one pass over plain rows.

The overview shows, for every pilot that matches its filters, the same figures the pilot's own
economics page shows (spent to date, planned costs, expected and realised benefits per class,
NPV in the cash and the full value view) and sums them. Evaluating each pilot with
:func:`portfolio.domain.economics.evaluate` would compute year tables and sensitivity cases the
overview never shows, thousands of times; this module computes only the figures shown, with the
same formulas, from plain tuples, and the tests hold it to `evaluate`'s results.

The identity used for the NPV: with ``B_k = v × ramp(k)`` for each annual value ``v``,
``NPV = Σ_k (B_k − C_k) / (1 + i)^k = Σ v × A − Σ_k C_k / (1 + i)^k`` where
``A = Σ_k ramp(k) / (1 + i)^k`` depends on the parameters only (so it is computed once per set
of parameters, not per pilot). Pure: standard library only.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from .charts import nice_ticks
from .economics import DECIMAL_CONTEXT
from .follow_up import DUE_SOON_DAYS, FollowUpStatus

_ZERO = Decimal(0)
_ONE = Decimal(1)
FINANCIAL = "financial"
REALLOCATION = "reallocation"
_MONEY = (FINANCIAL, REALLOCATION)


@dataclass(frozen=True)
class Horizon:
    """The years of a forward cash flow and the discounting that goes with them."""

    first_year: int
    years: tuple[int, ...]
    growth: tuple[Decimal, ...]  # (1 + i)^k
    annuity: Decimal  # Σ ramp(k) / (1 + i)^k: the present value of 1 kr a year of benefits
    ramp_total: Decimal  # Σ ramp(k): the undiscounted total of 1 kr a year of benefits


@lru_cache(maxsize=256)
def horizon(first_year: int, horizon_years: int, rate: Decimal, ramp_up: tuple[Decimal, ...]) -> Horizon:
    """The horizon for these parameters (cached: most pilots share the admin's defaults)."""
    with decimal.localcontext(DECIMAL_CONTEXT):
        growth = tuple((_ONE + rate) ** k for k in range(horizon_years))
        ramps = [ramp_up[k] if k < len(ramp_up) else _ONE for k in range(horizon_years)]
        annuity = _ZERO
        for ramp, power in zip(ramps, growth, strict=True):
            annuity += ramp / power
        return Horizon(first_year, tuple(range(first_year, first_year + horizon_years)), growth, annuity,
                       sum(ramps, _ZERO))


# A pilot's rows, as plain tuples (the service builds them straight from query rows):
#   indicator: (benefit_class, direction, baseline, target, value_per_unit, annual_volume,
#               latest_test, latest_follow_up)
#   cost:      (kind, phase, first_year, last_year, amount)
IndicatorRow = tuple[str, str, Decimal | None, Decimal | None, Decimal | None, Decimal | None, Decimal | None,
                     Decimal | None]
CostRow = tuple[str, str, int, int | None, Decimal]


@dataclass(frozen=True)
class PilotFigures:
    """One pilot's figures as its economics page shows them (annual values in SEK a year)."""

    spent_to_date: Decimal  # test-phase costs (sunk)
    planned_costs: Decimal  # Σ C_k over the horizon (implementation and operation)
    expected: dict[str, Decimal]  # per money class: annual value at target
    realised: dict[str, Decimal]  # per money class: annual value at the latest test measurement
    used: dict[str, Decimal]  # per money class: realised where measured, else expected
    npv_cash: Decimal
    npv_full: Decimal
    is_estimate: bool  # some valued indicator has no test measurement: its expected value was used
    has_figures: bool  # a forward cost or a benefit valued in money: something to calculate
    realisation: Decimal | None  # mean realisation of the indicators, as the pilot list shows it
    realisation_phase: str | None  # "follow_up" or "test": which measurement the mean rests on
    unvalued: int  # indicators not valued in money
    total_cost: Decimal  # spent to date and planned: what the pilot costs all told (the bubble's size)


def _improvement(direction: str, baseline: Decimal, value: Decimal) -> Decimal:
    return value - baseline if direction == "higher_is_better" else baseline - value


def _mean_realisation(indicators: Sequence[IndicatorRow], position: int) -> Decimal | None:
    ratios = []
    for row in indicators:
        baseline, target, value = row[2], row[3], row[position]
        if value is None or baseline is None or target is None or target == baseline:
            continue
        ratios.append(_improvement(row[1], baseline, value) / abs(target - baseline))
    return sum(ratios, _ZERO) / len(ratios) if ratios else None


def pilot_figures(indicators: Sequence[IndicatorRow], costs: Sequence[CostRow], span: Horizon, *,
                  follow_up_realisation: bool = False) -> PilotFigures:
    """The figures of one pilot. `follow_up_realisation`: the pilot is scaled up, so its mean
    realisation rests on the latest follow-up measurements where it has any."""
    with decimal.localcontext(DECIMAL_CONTEXT):
        spent = planned = pv_costs = _ZERO
        forward = False
        first, final = span.first_year, span.years[-1]
        for kind, phase, first_year, last_year, amount in costs:
            if phase == "test":
                if kind == "one_off" or last_year is None:
                    spent += amount
                else:
                    spent += amount * (last_year - first_year + 1)
                continue
            forward = True
            if kind == "one_off":
                if first <= first_year <= final:
                    planned += amount
                    pv_costs += amount / span.growth[first_year - first]
                continue
            end = final if last_year is None else min(last_year, final)
            for year in range(max(first_year, first), end + 1):
                planned += amount
                pv_costs += amount / span.growth[year - first]
        expected = {FINANCIAL: _ZERO, REALLOCATION: _ZERO}
        realised = {FINANCIAL: _ZERO, REALLOCATION: _ZERO}
        used = {FINANCIAL: _ZERO, REALLOCATION: _ZERO}
        estimate = valued_any = False
        unvalued = 0
        complete = []
        for row in indicators:
            benefit_class, direction, baseline, target, per_unit, volume, latest, _follow = row
            if baseline is None or target is None:
                unvalued += 1
                continue
            complete.append(row)
            if benefit_class not in _MONEY or per_unit is None or volume is None:
                unvalued += 1
                continue
            valued_any = True
            value_at_target = abs(target - baseline) * per_unit * volume
            expected[benefit_class] += value_at_target
            if latest is None:
                estimate = True
                used[benefit_class] += value_at_target
            else:
                value = _improvement(direction, baseline, latest) * per_unit * volume
                realised[benefit_class] += value
                used[benefit_class] += value
        npv_cash = used[FINANCIAL] * span.annuity - pv_costs
        npv_full = (used[FINANCIAL] + used[REALLOCATION]) * span.annuity - pv_costs
        # As the pilot list has it: a scaled-up pilot's realisation rests on its follow-up
        # measurements once it has any, else on the test's.
        position = 7 if follow_up_realisation and any(row[7] is not None for row in complete) else 6
        ratio = _mean_realisation(complete, position)
        phase = None if ratio is None else ("follow_up" if position == 7 else "test")
        total = spent + planned
    return PilotFigures(spent, planned, expected, realised, used, npv_cash, npv_full, estimate,
                        forward or valued_any, ratio, phase, unvalued, total)


# ------------------------------------------------------------------------------------------------
# Summing the portfolio
# ------------------------------------------------------------------------------------------------


@dataclass
class Totals:
    """The overview's sums over the pilots that match the filters."""

    pilots: int = 0
    spent_to_date: Decimal = _ZERO
    planned_costs: Decimal = _ZERO
    expected: dict[str, Decimal] = field(default_factory=lambda: {FINANCIAL: _ZERO, REALLOCATION: _ZERO})
    realised: dict[str, Decimal] = field(default_factory=lambda: {FINANCIAL: _ZERO, REALLOCATION: _ZERO})
    npv_cash: Decimal = _ZERO
    npv_full: Decimal = _ZERO
    with_figures: int = 0  # pilots with something to calculate (their NPV is in the sums)
    estimates: int = 0  # pilots whose NPV rests on an expected value somewhere
    unvalued: int = 0  # indicators not valued in money, beside the money
    too_large: int = 0  # pilots whose figures are too large to store and sum (absurd valuations)

    @property
    def expected_cash(self) -> Decimal:
        return self.expected[FINANCIAL]

    @property
    def expected_full(self) -> Decimal:
        return self.expected[FINANCIAL] + self.expected[REALLOCATION]

    @property
    def realised_cash(self) -> Decimal:
        return self.realised[FINANCIAL]

    @property
    def realised_full(self) -> Decimal:
        return self.realised[FINANCIAL] + self.realised[REALLOCATION]


def sum_figures(figures: Iterable[PilotFigures]) -> Totals:
    """Sum the pilots' figures in one pass."""
    totals = Totals()
    with decimal.localcontext(DECIMAL_CONTEXT):
        _add_all(totals, figures)
    return totals


def _add_all(totals: Totals, figures: Iterable[PilotFigures]) -> None:
    for item in figures:
        totals.pilots += 1
        totals.spent_to_date += item.spent_to_date
        totals.planned_costs += item.planned_costs
        for name in _MONEY:
            totals.expected[name] += item.expected[name]
            totals.realised[name] += item.realised[name]
        totals.unvalued += item.unvalued
        if item.has_figures:
            totals.with_figures += 1
            totals.npv_cash += item.npv_cash
            totals.npv_full += item.npv_full
            totals.estimates += item.is_estimate


# ------------------------------------------------------------------------------------------------
# The bubble chart: NPV (full value view) against realisation, bubble area by cost
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bubble:
    """One pilot on the chart, in SVG user units."""

    key: object
    label: str
    x: float
    y: float
    r: float
    npv: Decimal
    realisation: Decimal
    cost: Decimal


@dataclass(frozen=True)
class Tick:
    value: Decimal
    position: float


@dataclass(frozen=True)
class BubbleChart:
    """The chart's geometry: bubbles, axes and ticks (rendered by templates/macros/bubble_chart.html)."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    bubbles: tuple[Bubble, ...]
    x_ticks: tuple[Tick, ...]  # realisation (ratios: 0.5 is 50 %)
    y_ticks: tuple[Tick, ...]  # NPV in SEK
    zero_y: float | None  # where NPV 0 runs, when it is inside the range
    target_x: float | None  # where 100 % realisation runs, when it is inside the range


def bubble_chart(points: Sequence[tuple[object, str, Decimal, Decimal, Decimal]], *, width: int = 640,
                 height: int = 400) -> BubbleChart | None:
    """Lay out (key, label, npv, realisation, cost) points; None when there are none.

    The x axis runs over the realisations (always showing 0 % and 100 %), the y axis over the
    NPVs (always showing 0). A bubble's area is proportional to its cost, the largest 24 units
    across; a pilot without cost still gets a dot that can be seen and clicked.
    """
    if not points:
        return None
    left, right, top, bottom = 96, 24, 16, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    ratios = [p[3] for p in points]
    npvs = [p[2] for p in points]
    x_values = nice_ticks(min([*ratios, _ZERO]), max([*ratios, _ONE]), 5)
    y_values = nice_ticks(min([*npvs, _ZERO]), max([*npvs, _ZERO]), 5)
    x_low, x_high, y_low, y_high = x_values[0], x_values[-1], y_values[0], y_values[-1]
    largest = max((p[4] for p in points), default=_ZERO)

    def x_of(value: Decimal) -> float:
        return round(left + float((value - x_low) / (x_high - x_low)) * plot_w, 2)

    def y_of(value: Decimal) -> float:
        return round(top + plot_h - float((value - y_low) / (y_high - y_low)) * plot_h, 2)

    bubbles = []
    for key, label, npv, ratio, cost in points:
        radius = 12 * (float(cost / largest) ** 0.5) if largest > 0 else 4.0
        bubbles.append(Bubble(key, label, x_of(ratio), y_of(npv), round(max(radius, 4.0), 2), npv, ratio, cost))
    # Largest first, so small bubbles are drawn on top and stay clickable.
    bubbles.sort(key=lambda b: -b.cost)
    return BubbleChart(
        width, height, left, right, top, bottom, tuple(bubbles),
        tuple(Tick(v, x_of(v)) for v in x_values), tuple(Tick(v, y_of(v)) for v in y_values),
        y_of(_ZERO) if y_low <= 0 <= y_high else None, x_of(_ONE) if x_low <= 1 <= x_high else None,
    )


# ------------------------------------------------------------------------------------------------
# Attention
# ------------------------------------------------------------------------------------------------


def past_test_end(phase: str, test_end: dt.date | None, today: dt.date) -> bool:
    """A pilot still in test after its planned end of test."""
    return phase == "test" and test_end is not None and test_end < today


def revisit_passed(phase: str, revisit_on: dt.date | None, today: dt.date) -> bool:
    """A parked pilot whose date to look at it again has come."""
    return phase == "parked" and revisit_on is not None and revisit_on <= today


def rollout_progress(statuses: Iterable[str]) -> tuple[int, int, int]:
    """(in use, started, all) of a roll-out's units."""
    in_use = started = total = 0
    for status in statuses:
        total += 1
        if status == "in_use":
            in_use += 1
        elif status == "started":
            started += 1
    return in_use, started, total


def follow_up_status(due_on: dt.date, today: dt.date) -> FollowUpStatus:
    """The status of a follow-up that is not done (its indicators are not all measured): overdue once
    its date has passed, due within DUE_SOON_DAYS before it, planned before that (as
    :func:`portfolio.domain.follow_up.follow_up_states` has it)."""
    if due_on < today:
        return FollowUpStatus.OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return FollowUpStatus.DUE
    return FollowUpStatus.PLANNED
