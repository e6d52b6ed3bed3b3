"""Effect-harvesting calculations (DESIGN §5): benefits, costs, NPV, payback, BCR.

This module is the single source of every money figure shown on a page or printed in a
decision paper. It is pure: standard library only, no I/O, no database, no web.

Conventions
-----------
* All money and measured values are :class:`decimal.Decimal` (SEK excluding VAT at the price
  level of the first year). ``float`` is refused, because binary floating point cannot hold
  öre amounts exactly and would make two renderings of the same paper disagree.
* Nothing is rounded here. Rounding happens once, at display. Arithmetic runs in
  :data:`DECIMAL_CONTEXT` (60 significant digits), so sums and products of realistic inputs are
  exact; only the genuinely non-terminating quotients (discounting, realisation ratios) are cut
  at the 60th digit, far below the öre.
* Years are indexed ``k = 0 … H-1``; year 0 is the calendar year ``Parameters.first_year``, the
  first year of implementation.
* Every validation failure raises :class:`ValueError` with a message naming the field, so a
  caller can catch one exception type and never sees a ``ZeroDivisionError`` or
  ``decimal.InvalidOperation`` from inside a formula.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar, overload

__all__ = [
    "DECIMAL_CONTEXT",
    "MAX_HORIZON_YEARS",
    "SENSITIVITY_CASES",
    "BenefitClass",
    "ClassBenefits",
    "CostCategory",
    "CostInput",
    "CostKind",
    "CostPhase",
    "Direction",
    "Evaluation",
    "IndicatorInput",
    "IndicatorResult",
    "Parameters",
    "SensitivityCase",
    "SensitivityFactors",
    "View",
    "YearRow",
    "benefit_cost_ratio",
    "cost_in_year",
    "discount_factor",
    "evaluate",
    "expected_annual_value",
    "improvement",
    "npv",
    "payback_year",
    "present_value",
    "ramp_factor",
    "realisation",
    "realised_annual_value",
]

#: Arithmetic context for every calculation here. It is built explicitly rather than copied
#: from the caller's current context so that results never depend on what a caller (or a
#: library) did to ``decimal.getcontext()``.
DECIMAL_CONTEXT = decimal.Context(
    prec=60,
    rounding=decimal.ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

#: Upper bound on the horizon. Appraisals of school IT run 3-10 years; 50 is a generous sanity
#: limit that still stops a typo (500) from producing a meaningless 500-row table.
MAX_HORIZON_YEARS = 50

#: The sensitivity cases, in display order.
SENSITIVITY_CASES = ("low", "expected", "high")

_ZERO = Decimal(0)
_ONE = Decimal(1)


def _ctx() -> AbstractContextManager[decimal.Context]:
    return decimal.localcontext(DECIMAL_CONTEXT)


# --------------------------------------------------------------------------------------------
# Enumerations
# --------------------------------------------------------------------------------------------


class Direction(StrEnum):
    """Which way an indicator should move."""

    HIGHER_IS_BETTER = "higher_is_better"
    LOWER_IS_BETTER = "lower_is_better"


class BenefitClass(StrEnum):
    """How a benefit is realised (DESIGN §4)."""

    FINANCIAL = "financial"  # finansiell nytta: a budget line can actually be reduced
    REALLOCATION = "reallocation"  # omfördelningsnytta: freed capacity, not cash
    UNVALUED = "unvalued"  # ej värderad: shown beside the money, never dropped


class CostKind(StrEnum):
    ONE_OFF = "one_off"
    RECURRING = "recurring"


class CostPhase(StrEnum):
    TEST = "test"
    IMPLEMENTATION = "implementation"
    OPERATION = "operation"


class CostCategory(StrEnum):
    PERSONNEL = "personnel"
    LICENCE = "licence"
    HARDWARE = "hardware"
    SERVICES = "services"
    TRAINING = "training"
    SUPPORT = "support"  # "support and management" (stöd och förvaltning)
    OTHER = "other"


#: Phases whose costs belong to the forward cash flow. Test costs are sunk (DESIGN §5).
_FORWARD_PHASES = frozenset({CostPhase.IMPLEMENTATION, CostPhase.OPERATION})

#: Benefit classes that carry money, in display order.
_VALUED_CLASSES = (BenefitClass.FINANCIAL, BenefitClass.REALLOCATION)


# --------------------------------------------------------------------------------------------
# Input validation helpers
# --------------------------------------------------------------------------------------------


def _as_decimal(value: object, what: str) -> Decimal:
    """Return ``value`` as a finite Decimal, accepting Decimal or int; refuse everything else."""
    # bool is an int subclass; True as an amount is always a bug.
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise ValueError(
            f"{what} must be a Decimal (or int), not {type(value).__name__}: {value!r}"
        )
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"{what} must be a finite number, not {value!r}")
    return result


def _as_optional_decimal(value: object, what: str) -> Decimal | None:
    return None if value is None else _as_decimal(value, what)


def _non_negative(value: Decimal | None, what: str) -> None:
    if value is not None and value < 0:
        raise ValueError(f"{what} must be zero or more, not {value}")


def _as_int(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} must be an int, not {type(value).__name__}: {value!r}")
    return value


_E = TypeVar("_E", bound=StrEnum)


def _as_enum(enum_type: type[_E], value: object, what: str) -> _E:
    try:
        return enum_type(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum_type)
        raise ValueError(f"{what} must be one of {allowed}; got {value!r}") from None


def _check_rate(rate: object) -> Decimal:
    """Validate a discount rate for the pure functions (only the > -1 rule matters there)."""
    rate = _as_decimal(rate, "discount rate")
    # (1 + i) must be positive: at i = -1 every discount factor divides by zero.
    if rate <= -1:
        raise ValueError(f"discount rate must be greater than -1, not {rate}")
    return rate


def _set(obj: object, name: str, value: object) -> None:
    # Normalising fields of a frozen dataclass in __post_init__ is the documented idiom.
    object.__setattr__(obj, name, value)


# --------------------------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorInput:
    """One indicator (mått) with its valuation, as recorded in the effect-harvesting tool.

    Ints are accepted for the numeric fields and normalised to Decimal; floats are refused.
    ``value_per_unit`` and ``annual_volume`` must be zero or more: a dis-benefit is expressed by
    the improvement turning out negative, not by a negative price.
    """

    key: str  # stable identifier chosen by the caller (e.g. the indicator id as str)
    name: str
    unit: str
    direction: Direction
    baseline: Decimal
    target: Decimal
    latest: Decimal | None  # latest test measurement, None if none yet
    value_per_unit: Decimal | None  # SEK per unit of improvement
    annual_volume: Decimal | None  # annual volume at full scale
    benefit_class: BenefitClass

    def __post_init__(self) -> None:
        if not isinstance(self.key, str) or not self.key:
            raise ValueError(f"indicator key must be a non-empty str, not {self.key!r}")
        where = f"indicator {self.key!r}"
        for name in ("name", "unit"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{where}: {name} must be a str")
        _set(self, "direction", _as_enum(Direction, self.direction, f"{where}: direction"))
        _set(
            self,
            "benefit_class",
            _as_enum(BenefitClass, self.benefit_class, f"{where}: benefit_class"),
        )
        _set(self, "baseline", _as_decimal(self.baseline, f"{where}: baseline"))
        _set(self, "target", _as_decimal(self.target, f"{where}: target"))
        _set(self, "latest", _as_optional_decimal(self.latest, f"{where}: latest"))
        for name in ("value_per_unit", "annual_volume"):
            value = _as_optional_decimal(getattr(self, name), f"{where}: {name}")
            _non_negative(value, f"{where}: {name}")
            _set(self, name, value)


@dataclass(frozen=True)
class CostInput:
    """One cost item (finance), SEK excluding VAT.

    ``amount`` is the total for a one-off item and the amount *per year* for a recurring one.
    ``last_year`` applies to recurring items only (None = to the end of the horizon); on a
    one-off item it is ignored, so a stale value left in a form never changes the result.
    """

    category: CostCategory
    kind: CostKind
    phase: CostPhase
    first_year: int
    last_year: int | None  # recurring only; None = to the end of the horizon
    amount: Decimal  # SEK excl. VAT, >= 0 (per year for recurring)

    def __post_init__(self) -> None:
        _set(self, "category", _as_enum(CostCategory, self.category, "cost category"))
        _set(self, "kind", _as_enum(CostKind, self.kind, "cost kind"))
        _set(self, "phase", _as_enum(CostPhase, self.phase, "cost phase"))
        _as_int(self.first_year, "cost first_year")
        if self.last_year is not None:
            _as_int(self.last_year, "cost last_year")
            if self.kind is CostKind.RECURRING and self.last_year < self.first_year:
                raise ValueError(
                    f"cost last_year ({self.last_year}) must not be before "
                    f"first_year ({self.first_year})"
                )
        amount = _as_decimal(self.amount, "cost amount")
        _non_negative(amount, "cost amount")
        _set(self, "amount", amount)


@dataclass(frozen=True)
class SensitivityFactors:
    """Multipliers on benefits and costs for the low / expected / high cases (DESIGN §5)."""

    benefits_low: Decimal = Decimal("0.5")
    benefits_expected: Decimal = Decimal("1")
    benefits_high: Decimal = Decimal("1.2")
    costs_low: Decimal = Decimal("1.2")
    costs_expected: Decimal = Decimal("1")
    costs_high: Decimal = Decimal("0.9")

    def __post_init__(self) -> None:
        for name in (
            "benefits_low",
            "benefits_expected",
            "benefits_high",
            "costs_low",
            "costs_expected",
            "costs_high",
        ):
            value = _as_decimal(getattr(self, name), f"sensitivity {name}")
            _non_negative(value, f"sensitivity {name}")
            _set(self, name, value)

    def factors(self, case: str) -> tuple[Decimal, Decimal]:
        """Return ``(benefits_factor, costs_factor)`` for ``case`` ("low", "expected", "high")."""
        if case not in SENSITIVITY_CASES:
            raise ValueError(f"sensitivity case must be one of {SENSITIVITY_CASES}, not {case!r}")
        return getattr(self, f"benefits_{case}"), getattr(self, f"costs_{case}")


@dataclass(frozen=True)
class Parameters:
    """Appraisal parameters: horizon, discount rate, ramp-up and sensitivity factors.

    Validated on construction (ValueError): ``horizon_years`` from 1 to
    :data:`MAX_HORIZON_YEARS`; ``discount_rate`` a fraction greater than -1 and at most 1
    (0.03 means 3 %; the upper bound catches "3" typed for 3 %); ramp-up factors zero or more.
    """

    first_year: int  # calendar year of year 0 = first year of implementation
    horizon_years: int = 5  # H >= 1
    discount_rate: Decimal = Decimal("0.03")
    ramp_up: tuple[Decimal, ...] = ()  # factor per year k; years past the tuple use 1
    sensitivity: SensitivityFactors = SensitivityFactors()

    def __post_init__(self) -> None:
        _as_int(self.first_year, "first_year")
        _as_int(self.horizon_years, "horizon_years")
        if not 1 <= self.horizon_years <= MAX_HORIZON_YEARS:
            raise ValueError(
                f"horizon_years must be from 1 to {MAX_HORIZON_YEARS}, not {self.horizon_years}"
            )
        rate = _check_rate(self.discount_rate)
        if rate > 1:
            raise ValueError(
                f"discount_rate must be a fraction (0.03 for 3 %) of at most 1, not {rate}"
            )
        _set(self, "discount_rate", rate)
        if isinstance(self.ramp_up, (str, bytes)) or not isinstance(self.ramp_up, Iterable):
            raise ValueError("ramp_up must be a sequence of Decimal factors")
        ramp = tuple(
            _as_decimal(factor, f"ramp_up[{k}]") for k, factor in enumerate(self.ramp_up)
        )
        for k, factor in enumerate(ramp):
            _non_negative(factor, f"ramp_up[{k}]")
        _set(self, "ramp_up", ramp)  # a list would make the frozen dataclass unhashable
        if not isinstance(self.sensitivity, SensitivityFactors):
            raise ValueError("sensitivity must be a SensitivityFactors")

    @property
    def years(self) -> list[int]:
        """Calendar years of the horizon, year 0 first."""
        return list(range(self.first_year, self.first_year + self.horizon_years))


# --------------------------------------------------------------------------------------------
# Pure formulas (DESIGN §5)
# --------------------------------------------------------------------------------------------


@overload
def improvement(direction: Direction | str, baseline: Decimal, latest: Decimal) -> Decimal: ...
@overload
def improvement(direction: Direction | str, baseline: Decimal, latest: None) -> None: ...
def improvement(
    direction: Direction | str, baseline: Decimal, latest: Decimal | None
) -> Decimal | None:
    """Improvement Δ from baseline to the latest measurement, positive when things got better.

    ``Δ = a − b`` where higher is better, ``Δ = b − a`` where lower is better. None when there
    is no measurement yet. A negative Δ is a dis-benefit.
    """
    if latest is None:
        return None
    direction = _as_enum(Direction, direction, "direction")
    with _ctx():
        if direction is Direction.HIGHER_IS_BETTER:
            return latest - baseline
        return baseline - latest


def realisation(
    direction: Direction | str, baseline: Decimal, target: Decimal, latest: Decimal | None
) -> Decimal | None:
    """Realisation ``r = Δ / |t − b|`` as a ratio (Decimal("0.8") is 80 %).

    May exceed 1 (target beaten) or be negative (went the wrong way). None when there is no
    measurement or when target equals baseline (the ratio is undefined, not zero).
    """
    delta = improvement(direction, baseline, latest)
    if delta is None:
        return None
    with _ctx():
        span = abs(target - baseline)
        if span == 0:
            return None
        return delta / span


def expected_annual_value(
    baseline: Decimal, target: Decimal, value_per_unit: Decimal, annual_volume: Decimal
) -> Decimal:
    """Expected annual value at target: ``|t − b| × SEK per unit × annual volume``."""
    with _ctx():
        return abs(target - baseline) * value_per_unit * annual_volume


def realised_annual_value(
    direction: Direction | str,
    baseline: Decimal,
    latest: Decimal,
    value_per_unit: Decimal,
    annual_volume: Decimal,
) -> Decimal:
    """Realised annual value at the latest measurement: ``Δ × SEK per unit × annual volume``.

    Negative when the effect went the wrong way: that dis-benefit counts against the benefits.
    """
    delta = improvement(direction, baseline, latest)
    with _ctx():
        return delta * value_per_unit * annual_volume


def ramp_factor(ramp_up: Sequence[Decimal], k: int) -> Decimal:
    """Ramp-up factor for year ``k``: ``ramp_up[k]``, or 1 for years past the sequence."""
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"year index k must be an int >= 0, not {k!r}")
    return ramp_up[k] if k < len(ramp_up) else _ONE


def discount_factor(rate: Decimal, k: int) -> Decimal:
    """Discount factor ``1 / (1 + i)^k`` for year ``k`` (shown in the year table)."""
    return present_value(_ONE, rate, k)


def present_value(amount: Decimal, rate: Decimal, k: int) -> Decimal:
    """Present value of ``amount`` in year ``k``: ``amount / (1 + i)^k``."""
    rate = _check_rate(rate)
    if isinstance(k, bool) or not isinstance(k, int) or k < 0:
        raise ValueError(f"year index k must be an int >= 0, not {k!r}")
    with _ctx():
        return amount / _growth(rate, k)


def _growth(rate: Decimal, k: int) -> Decimal:
    # (1 + i)^k. Every discounting in this module divides by this one expression, so that
    # npv() and the sum of a view's present values agree digit for digit. Dividing by the
    # power (rather than multiplying by a rounded factor) keeps a rate of 0 exact.
    return (_ONE + rate) ** k


def _discounted_sum(values: Iterable[Decimal], growth: Sequence[Decimal]) -> Decimal:
    total = _ZERO
    for value, power in zip(values, growth, strict=True):
        total += value / power
    return total


def npv(nets: Iterable[Decimal], rate: Decimal) -> Decimal:
    """Net present value ``Σ N_k / (1 + i)^k`` of the yearly nets, ``k = 0, 1, …``."""
    rate = _check_rate(rate)
    nets = list(nets)
    with _ctx():
        return _discounted_sum(nets, [_growth(rate, k) for k in range(len(nets))])


def payback_year(nets: Iterable[Decimal], first_year: int) -> int | None:
    """Calendar year of the first ``k`` whose cumulative undiscounted net is ``>= 0``.

    None when that never happens within the given years; "no payback within the horizon" is a
    valid answer, not an error.
    """
    cumulative = _ZERO
    with _ctx():
        for k, net in enumerate(nets):
            cumulative += net
            if cumulative >= 0:
                return first_year + k
    return None


def _payback_once_started(
    costs: Sequence[Decimal], benefits: Sequence[Decimal], nets: Sequence[Decimal], years: Sequence[int]
) -> int | None:
    """Payback counted from the first year in which anything happens.

    Leading years with neither costs nor benefits would otherwise "pay back" at once (a
    cumulative net of 0 is >= 0) although the investment is still to come; with nothing in
    any year there is nothing to pay back, and no payback year.
    """
    start = next((k for k, (cost, benefit) in enumerate(zip(costs, benefits, strict=True))
                  if cost or benefit), None)
    if start is None:
        return None
    return payback_year(nets[start:], years[start])


def benefit_cost_ratio(pv_benefits: Decimal, pv_costs: Decimal) -> Decimal | None:
    """Benefit-cost ratio ``PV(B) / PV(C)``; None when there are no costs (PV(C) = 0)."""
    if pv_costs == 0:
        return None
    with _ctx():
        return pv_benefits / pv_costs


def cost_in_year(cost: CostInput, year: int) -> Decimal:
    """The amount ``cost`` puts in calendar ``year`` (zero if it does not fall in that year).

    One-off: its amount in its first year. Recurring: its amount in every year from its first
    to its last year (no last year: every year from the first on).
    """
    if cost.kind is CostKind.ONE_OFF:
        return cost.amount if year == cost.first_year else _ZERO
    if year < cost.first_year or (cost.last_year is not None and year > cost.last_year):
        return _ZERO
    return cost.amount


def _spent(cost: CostInput) -> Decimal:
    """Total of a test-phase item: one-off its amount, recurring amount × years first..last.

    A recurring test cost without a last year counts as one year: the test is over, and
    counting it "to the end of the horizon" would invent spending that never happened.
    """
    if cost.kind is CostKind.ONE_OFF or cost.last_year is None:
        return cost.amount
    with _ctx():
        return cost.amount * (cost.last_year - cost.first_year + 1)


def _before_horizon(cost: CostInput, first_year: int) -> Decimal:
    """The part of a forward (implementation/operation) item dated before year 0."""
    if cost.first_year >= first_year:
        return _ZERO
    if cost.kind is CostKind.ONE_OFF:
        return cost.amount
    last = first_year - 1 if cost.last_year is None else min(cost.last_year, first_year - 1)
    with _ctx():
        return cost.amount * (last - cost.first_year + 1)


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorResult:
    """An indicator with everything derived from it."""

    indicator: IndicatorInput
    improvement: Decimal | None  # Δ; None without a measurement
    realisation: Decimal | None  # ratio; None without a measurement or when t == b
    is_valued: bool  # money class AND value_per_unit AND annual_volume set
    expected_annual_value: Decimal | None  # at target; None when not valued
    realised_annual_value: Decimal | None  # at latest; None when not valued or no latest
    annual_value_used: Decimal | None  # realised if measured else expected; None if not valued
    is_estimate: bool  # valued but not measured yet, so the expected value was used

    @property
    def key(self) -> str:
        return self.indicator.key

    @property
    def name(self) -> str:
        return self.indicator.name

    @property
    def unit(self) -> str:
        return self.indicator.unit

    @property
    def benefit_class(self) -> BenefitClass:
        return self.indicator.benefit_class

    @property
    def valuation_incomplete(self) -> bool:
        """True when the class says money but SEK per unit or annual volume is missing.

        Such an indicator is listed among the unvalued ones; this flag lets a page say why.
        """
        return self.indicator.benefit_class is not BenefitClass.UNVALUED and not self.is_valued


@dataclass(frozen=True)
class YearRow:
    """One year of a view's cash flow."""

    year: int  # calendar year
    costs: Decimal  # C_k
    benefits: Decimal  # B_k
    net: Decimal  # N_k = B_k − C_k
    cumulative_net: Decimal  # Σ N_0..N_k, undiscounted
    discount_factor: Decimal  # 1 / (1 + i)^k
    present_value: Decimal  # N_k / (1 + i)^k


@dataclass(frozen=True)
class View:
    """The cash flow and key figures of one view ("cash" or "full")."""

    name: str
    years: list[YearRow]
    total_costs: Decimal  # Σ C_k
    total_benefits: Decimal  # Σ B_k
    total_net: Decimal  # Σ N_k
    pv_costs: Decimal  # Σ C_k / (1 + i)^k
    pv_benefits: Decimal  # Σ B_k / (1 + i)^k
    npv: Decimal  # Σ N_k / (1 + i)^k, equal to the sum of the rows' present values
    bcr: Decimal | None  # PV(B) / PV(C); None when PV(C) == 0
    payback_year: int | None  # None: not within the horizon
    is_estimate: bool  # some benefit in this view rests on an expected (unmeasured) value


@dataclass(frozen=True)
class ClassBenefits:
    """The benefits of one money class (financial or reallocation)."""

    benefit_class: BenefitClass
    annual_value: Decimal  # Σ annual_value_used of the class, before ramp-up
    by_year: list[Decimal]  # annual_value × ramp factor, per year k
    total: Decimal  # Σ by_year
    is_estimate: bool


@dataclass(frozen=True)
class SensitivityCase:
    """One sensitivity case: benefits × benefits_factor, costs × costs_factor, both views."""

    name: str  # "low", "expected" or "high"
    benefits_factor: Decimal
    costs_factor: Decimal
    cash: View
    full: View

    @property
    def views(self) -> dict[str, View]:
        return {"cash": self.cash, "full": self.full}


@dataclass(frozen=True)
class Evaluation:
    """Everything the pilot page and the decision paper show about the economics."""

    parameters: Parameters
    first_year: int
    years: list[int]  # first_year .. first_year + H − 1
    indicators: list[IndicatorResult]  # all indicators, in input order
    unvalued: list[IndicatorResult]  # those not valued in money, listed beside the money
    spent_to_date: Decimal  # test-phase costs: sunk, outside the forward cash flow
    costs_by_year: list[Decimal]  # forward cost C_k per year k
    costs_by_category: dict[CostCategory, list[Decimal]]  # every category, per year k
    costs_before_horizon: Decimal  # implementation/operation costs dated before year 0: left out
    benefits_by_class: dict[BenefitClass, ClassBenefits]  # FINANCIAL and REALLOCATION
    cash: View  # financial benefits only: what the budget will see
    full: View  # financial + reallocation benefits
    is_estimate: bool  # some valued indicator used its expected value
    sensitivity: dict[str, SensitivityCase]  # "low", "expected", "high"

    @property
    def views(self) -> dict[str, View]:
        """The two views by name: ``{"cash": …, "full": …}``."""
        return {"cash": self.cash, "full": self.full}


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def _indicator_result(indicator: IndicatorInput) -> IndicatorResult:
    ind = indicator
    delta = improvement(ind.direction, ind.baseline, ind.latest)
    ratio = realisation(ind.direction, ind.baseline, ind.target, ind.latest)
    is_valued = False
    expected = realised = used = None
    if (
        ind.benefit_class is not BenefitClass.UNVALUED
        and ind.value_per_unit is not None
        and ind.annual_volume is not None
    ):
        is_valued = True
        expected = expected_annual_value(
            ind.baseline, ind.target, ind.value_per_unit, ind.annual_volume
        )
        if ind.latest is not None:
            realised = realised_annual_value(
                ind.direction, ind.baseline, ind.latest, ind.value_per_unit, ind.annual_volume
            )
        used = expected if realised is None else realised
    return IndicatorResult(
        indicator=ind,
        improvement=delta,
        realisation=ratio,
        is_valued=is_valued,
        expected_annual_value=expected,
        realised_annual_value=realised,
        annual_value_used=used,
        is_estimate=is_valued and ind.latest is None,
    )


def _view(
    name: str,
    years: Sequence[int],
    costs: Sequence[Decimal],
    benefits: Sequence[Decimal],
    growth: Sequence[Decimal],
    is_estimate: bool,
) -> View:
    """Build one view from its yearly costs and benefits; ``growth[k]`` is ``(1 + i)^k``."""
    rows: list[YearRow] = []
    cumulative = _ZERO
    with _ctx():
        nets = [b - c for b, c in zip(benefits, costs, strict=True)]
        for year, cost, benefit, net, power in zip(
            years, costs, benefits, nets, growth, strict=True
        ):
            cumulative += net
            rows.append(
                YearRow(
                    year=year,
                    costs=cost,
                    benefits=benefit,
                    net=net,
                    cumulative_net=cumulative,
                    discount_factor=_ONE / power,
                    present_value=net / power,
                )
            )
        pv_costs = _discounted_sum(costs, growth)
        pv_benefits = _discounted_sum(benefits, growth)
        return View(
            name=name,
            years=rows,
            total_costs=sum(costs, _ZERO),
            total_benefits=sum(benefits, _ZERO),
            total_net=sum(nets, _ZERO),
            pv_costs=pv_costs,
            pv_benefits=pv_benefits,
            # Same divisions, same order as the rows: npv is the sum of their present values
            # and equals npv(nets, rate).
            npv=_discounted_sum(nets, growth),
            bcr=benefit_cost_ratio(pv_benefits, pv_costs),
            payback_year=_payback_once_started(costs, benefits, nets, years),
            is_estimate=is_estimate,
        )


def evaluate(
    indicators: Sequence[IndicatorInput], costs: Sequence[CostInput], params: Parameters
) -> Evaluation:
    """Evaluate a pilot's effect harvesting over the horizon (DESIGN §5).

    Raises ValueError when an argument is not of the expected type or two indicators share a
    key. Field-level checks already ran when the inputs and ``params`` were constructed.
    """
    if not isinstance(params, Parameters):
        raise ValueError(f"params must be a Parameters, not {type(params).__name__}")
    indicators = list(indicators)
    costs = list(costs)
    seen: set[str] = set()
    for ind in indicators:
        if not isinstance(ind, IndicatorInput):
            raise ValueError(f"indicators must be IndicatorInput, not {type(ind).__name__}")
        if ind.key in seen:
            raise ValueError(f"two indicators share the key {ind.key!r}")
        seen.add(ind.key)
    for cost in costs:
        if not isinstance(cost, CostInput):
            raise ValueError(f"costs must be CostInput, not {type(cost).__name__}")

    years = params.years

    with _ctx():
        results = [_indicator_result(ind) for ind in indicators]
        growth = [_growth(params.discount_rate, k) for k in range(params.horizon_years)]

        # Costs: test phase is sunk; implementation and operation make the forward flow.
        spent_to_date = sum((_spent(c) for c in costs if c.phase is CostPhase.TEST), _ZERO)
        forward = [c for c in costs if c.phase in _FORWARD_PHASES]
        costs_by_category = {
            category: [
                sum((cost_in_year(c, y) for c in forward if c.category is category), _ZERO)
                for y in years
            ]
            for category in CostCategory
        }
        costs_by_year = [sum((cost_in_year(c, y) for c in forward), _ZERO) for y in years]
        costs_before_horizon = sum(
            (_before_horizon(c, params.first_year) for c in forward), _ZERO
        )

        # Benefits per money class: B_k = Σ value_used × ramp_factor(k).
        benefits_by_class: dict[BenefitClass, ClassBenefits] = {}
        for benefit_class in _VALUED_CLASSES:
            members = [r for r in results if r.is_valued and r.benefit_class is benefit_class]
            values = [v for r in members if (v := r.annual_value_used) is not None]
            by_year = [
                sum((v * ramp_factor(params.ramp_up, k) for v in values), _ZERO)
                for k in range(params.horizon_years)
            ]
            benefits_by_class[benefit_class] = ClassBenefits(
                benefit_class=benefit_class,
                annual_value=sum(values, _ZERO),
                by_year=by_year,
                total=sum(by_year, _ZERO),
                is_estimate=any(r.is_estimate for r in members),
            )
        financial = benefits_by_class[BenefitClass.FINANCIAL]
        reallocation = benefits_by_class[BenefitClass.REALLOCATION]
        cash_benefits = financial.by_year
        full_benefits = [
            f + r for f, r in zip(financial.by_year, reallocation.by_year, strict=True)
        ]
        cash_estimate = financial.is_estimate
        full_estimate = financial.is_estimate or reallocation.is_estimate

        def views_for(benefits_factor: Decimal, costs_factor: Decimal) -> tuple[View, View]:
            scaled_costs = [c * costs_factor for c in costs_by_year]
            return (
                _view(
                    "cash",
                    years,
                    scaled_costs,
                    [b * benefits_factor for b in cash_benefits],
                    growth,
                    cash_estimate,
                ),
                _view(
                    "full",
                    years,
                    scaled_costs,
                    [b * benefits_factor for b in full_benefits],
                    growth,
                    full_estimate,
                ),
            )

        cash = _view("cash", years, costs_by_year, cash_benefits, growth, cash_estimate)
        full = _view("full", years, costs_by_year, full_benefits, growth, full_estimate)

        sensitivity: dict[str, SensitivityCase] = {}
        for case in SENSITIVITY_CASES:
            b_factor, c_factor = params.sensitivity.factors(case)
            case_cash, case_full = views_for(b_factor, c_factor)
            sensitivity[case] = SensitivityCase(
                name=case,
                benefits_factor=b_factor,
                costs_factor=c_factor,
                cash=case_cash,
                full=case_full,
            )

    return Evaluation(
        parameters=params,
        first_year=params.first_year,
        years=years,
        indicators=results,
        unvalued=[r for r in results if not r.is_valued],
        spent_to_date=spent_to_date,
        costs_by_year=costs_by_year,
        costs_by_category=costs_by_category,
        costs_before_horizon=costs_before_horizon,
        benefits_by_class=benefits_by_class,
        cash=cash,
        full=full,
        is_estimate=full_estimate,  # the full view holds every valued indicator
        sensitivity=sensitivity,
    )


def mean_realisation(ratios: Iterable[Decimal | None]) -> Decimal | None:
    """The mean realisation of a pilot's indicators that have one; None when none has.

    Used where a list shows one figure per pilot (the register): each indicator counts once,
    whatever its unit, so the figure reads as "on average this far towards the targets".
    """
    defined = [ratio for ratio in ratios if ratio is not None]
    if not defined:
        return None
    with _ctx():
        return sum(defined, _ZERO) / len(defined)
