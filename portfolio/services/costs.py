"""Finance's use cases: cost items, valuation of indicators, economics parameters, sign-off.

Every change here is audited and tells the process (`services.process`) that finance's figures
changed, which clears the sign-off ("Ekonomi granskad") in the same transaction. Whether the
pilot is decided on, and so read-only, is the process's answer too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portfolio.domain.cost_import import AMOUNT_PLACES, CostValues, ParsedImport, check_cost, fingerprint, normalise_note
from portfolio.domain.economics import MAX_HORIZON_YEARS, BenefitClass, CostInput, Evaluation, Parameters, evaluate
from portfolio.domain import limits
from portfolio.models import CostItem, EffectGoal, Indicator, Pilot, User

from . import audit, concurrency, process
from .settings import parameters_for

COST_FIELDS = ("category", "kind", "phase", "first_year", "last_year", "amount", "note")
VALUATION_FIELDS = ("value_per_unit", "annual_volume", "benefit_class")
PARAMETER_FIELDS = ("first_year", "discount_rate", "horizon_years", "ramp_up", "sensitivity")
SENSITIVITY_KEYS = ("benefits_low", "benefits_expected", "benefits_high", "costs_low", "costs_expected", "costs_high")
#: The valuation's ranges (domain.limits): ten and fourteen digits before the decimal sign.
MAX_VALUE_PER_UNIT = limits.PRICE_PER_UNIT.maximum
MAX_ANNUAL_VOLUME = limits.VOLUME.maximum
VALUATION_PLACES = limits.PRICE_PER_UNIT.places


class CostsError(ValueError):
    """A change finance may not make; `code` says why (the web layer words it)."""

    def __init__(self, code: str, **detail):
        super().__init__(code)
        self.code = code
        self.detail = detail


class EconomicsLocked(CostsError, process.DecisionBasisLocked):
    """The pilot has been decided on: its decision basis is read-only."""

    def __init__(self):
        CostsError.__init__(self, "locked")


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def get_cost(session: Session, pilot: Pilot, cost_id: int) -> CostItem | None:
    """A cost item of this pilot, or None (also when it belongs to another pilot)."""
    cost = session.get(CostItem, cost_id)
    return cost if cost is not None and cost.pilot_id == pilot.id else None


def get_indicator(session: Session, pilot: Pilot, indicator_id: int) -> Indicator | None:
    """An indicator of one of this pilot's effect goals, or None."""
    return session.scalar(
        select(Indicator)
        .join(EffectGoal, Indicator.effect_goal_id == EffectGoal.id)
        .where(Indicator.id == indicator_id, EffectGoal.pilot_id == pilot.id)
        .options(joinedload(Indicator.effect_goal))
    )


def list_costs(session: Session, pilot: Pilot) -> list[CostItem]:
    """The pilot's cost items in a stable order, with who entered them."""
    return list(session.scalars(
        select(CostItem)
        .where(CostItem.pilot_id == pilot.id)
        .order_by(CostItem.first_year, CostItem.id)
        .options(joinedload(CostItem.entered_by))
    ))


def list_indicators(session: Session, pilot: Pilot) -> list[Indicator]:
    """Every indicator of the pilot, goal by goal, with its goal loaded."""
    return list(session.scalars(
        select(Indicator)
        .join(EffectGoal, Indicator.effect_goal_id == EffectGoal.id)
        .where(EffectGoal.pilot_id == pilot.id)
        .order_by(EffectGoal.position, EffectGoal.id, Indicator.position, Indicator.id)
        .options(joinedload(Indicator.effect_goal))
    ))


def values_of(cost: CostItem) -> CostValues:
    """A stored cost item as checked values (for export and for comparing with an import)."""
    return CostValues(category=cost.category, kind=cost.kind, phase=cost.phase, first_year=cost.first_year,
                      last_year=cost.last_year, amount=Decimal(cost.amount), note=cost.note or "")


def cost_input(cost: CostItem) -> CostInput:
    """A stored cost item as the economics calculation takes it."""
    return CostInput(category=cost.category, kind=cost.kind, phase=cost.phase, first_year=cost.first_year,
                     last_year=cost.last_year, amount=Decimal(cost.amount))


@dataclass(frozen=True)
class CostsOverview:
    """Everything the costs page shows, loaded in a fixed number of queries."""

    pilot: Pilot
    costs: list[CostItem]
    indicators: list[Indicator]
    parameters: Parameters
    evaluation: Evaluation  # costs only: spent to date and the forward costs per year
    locked: bool


def costs_overview(session: Session, pilot: Pilot) -> CostsOverview:
    """The pilot's cost items with their totals from the calculation, and its indicators."""
    costs = list_costs(session, pilot)
    parameters = parameters_for(session, pilot)
    return CostsOverview(
        pilot=pilot,
        costs=costs,
        indicators=list_indicators(session, pilot),
        parameters=parameters,
        evaluation=evaluate([], [cost_input(cost) for cost in costs], parameters),
        locked=is_locked(pilot),
    )


def is_locked(pilot: Pilot) -> bool:
    """Whether the pilot has been decided on, which makes its economics read-only (the process decides)."""
    return process.is_locked(pilot)


def _check_open(pilot: Pilot) -> None:
    if is_locked(pilot):
        raise EconomicsLocked()


def _open(session: Session, pilot: Pilot) -> int:
    """Refuse changes to a decided pilot; serialise this change on the pilot row (it holds the
    row until commit) and return the basis_version the pilot had before it."""
    before = concurrency.lock_pilot(session, pilot)
    _check_open(pilot)  # as it stands under the lock: a decision taken meanwhile is seen
    return before


# --------------------------------------------------------------------------------------------
# Cost items
# --------------------------------------------------------------------------------------------


def _check_values(values: CostValues) -> None:
    problems = check_cost(values.kind, values.first_year, values.last_year, values.amount, values.note)
    if problems:
        field, code = problems[0]
        raise CostsError(code, field=field)


def _apply(cost: CostItem, values: CostValues) -> None:
    cost.category = values.category
    cost.kind = values.kind
    cost.phase = values.phase
    cost.first_year = values.first_year
    cost.last_year = values.last_year
    cost.amount = values.amount.quantize(Decimal(1).scaleb(-AMOUNT_PLACES))
    cost.note = normalise_note(values.note)


def add_cost(session: Session, pilot: Pilot, values: CostValues, actor: User) -> CostItem:
    """Add a cost item to the pilot, entered by `actor`."""
    _open(session, pilot)
    _check_values(values)
    cost = CostItem(pilot_id=pilot.id, entered_by_id=actor.id)
    _apply(cost, values)
    session.add(cost)
    session.flush()
    audit.record(session, actor, "cost_item_created", "cost_item", cost.id, pilot_id=pilot.id,
                 after=audit.snapshot(cost, COST_FIELDS))
    process.finance_figures_changed(session, pilot, actor, "cost_item_created")
    session.flush()
    return cost


def update_cost(session: Session, pilot: Pilot, cost: CostItem, values: CostValues, actor: User, *,
                version: int | None = None) -> bool:
    """Change a cost item; True when anything changed (an unchanged save changes nothing).

    `version`: the cost item's version the form was made from (StaleEdit when it changed since).
    """
    _open(session, pilot)
    concurrency.expect_version(session, cost, version)
    _check_values(values)
    before = audit.snapshot(cost, COST_FIELDS)
    _apply(cost, values)
    after = audit.snapshot(cost, COST_FIELDS)
    if after == before:
        return False
    audit.record(session, actor, "cost_item_updated", "cost_item", cost.id, pilot_id=pilot.id,
                 before=before, after=after)
    process.finance_figures_changed(session, pilot, actor, "cost_item_updated")
    session.flush()
    return True


def delete_cost(session: Session, pilot: Pilot, cost: CostItem, actor: User) -> None:
    """Delete a cost item (the audit entry keeps what it was)."""
    _open(session, pilot)
    audit.record(session, actor, "cost_item_deleted", "cost_item", cost.id, pilot_id=pilot.id,
                 before=audit.snapshot(cost, COST_FIELDS))
    session.delete(cost)
    process.finance_figures_changed(session, pilot, actor, "cost_item_deleted")
    session.flush()


# --------------------------------------------------------------------------------------------
# Valuation
# --------------------------------------------------------------------------------------------


#: domain.limits' problem codes as the valuation words them.
_VALUATION_CODES = dict([("too_small", "negative"), ("not_finite", "too_large")])


def valuation_problems(benefit_class: BenefitClass, value_per_unit: Decimal | None,
                       annual_volume: Decimal | None) -> list[tuple[str, str]]:
    """(field, code) pairs wrong with a valuation: a money class needs both numbers."""
    problems: list[tuple[str, str]] = []
    for name, value, limit in (("value_per_unit", value_per_unit, limits.PRICE_PER_UNIT),
                               ("annual_volume", annual_volume, limits.VOLUME)):
        if value is None:
            if benefit_class is not BenefitClass.UNVALUED:
                problems.append((name, "required_for_class"))
            continue
        problem = limit.problem(value)
        if problem is not None:
            problems.append((name, _VALUATION_CODES.get(problem, problem)))
    return problems


def set_valuation(session: Session, pilot: Pilot, indicator: Indicator, *, value_per_unit: Decimal | None,
                  annual_volume: Decimal | None, benefit_class: BenefitClass, actor: User,
                  version: int | None = None) -> bool:
    """Set an indicator's valuation (SEK per unit, annual volume, benefit class); True if changed."""
    _open(session, pilot)
    concurrency.expect_version(session, indicator, version)
    benefit_class = BenefitClass(benefit_class)
    problems = valuation_problems(benefit_class, value_per_unit, annual_volume)
    if problems:
        field, code = problems[0]
        raise CostsError(code, field=field)
    before = audit.snapshot(indicator, VALUATION_FIELDS)
    after = {"value_per_unit": audit.jsonable(value_per_unit), "annual_volume": audit.jsonable(annual_volume),
             "benefit_class": benefit_class.value}
    if _same_numbers(before, after):
        return False
    indicator.value_per_unit = value_per_unit
    indicator.annual_volume = annual_volume
    indicator.benefit_class = benefit_class
    audit.record(session, actor, "valuation_updated", "indicator", indicator.id, pilot_id=pilot.id,
                 before=before, after=after)
    process.finance_figures_changed(session, pilot, actor, "valuation_updated")
    session.flush()
    return True


def _same_numbers(before: dict, after: dict) -> bool:
    """Compare snapshots by value: 12.5000 stored equals 12.5 typed."""
    def canon(value):
        if value is None or not isinstance(value, str):
            return value
        try:
            return Decimal(value).normalize()
        except ArithmeticError:
            return value
    return {k: canon(v) for k, v in before.items()} == {k: canon(v) for k, v in after.items()}


# --------------------------------------------------------------------------------------------
# Economics parameters
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParameterOverrides:
    """A pilot's own economics parameters; None (or a missing key) = the admin's default.

    Ratios, not per cent: a discount rate of 3,5 % is Decimal("0.035").
    """

    first_year: int | None = None
    discount_rate: Decimal | None = None
    horizon_years: int | None = None
    ramp_up: tuple[Decimal, ...] | None = None
    sensitivity: dict[str, Decimal] | None = None


def _ratio_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def set_parameters(session: Session, pilot: Pilot, overrides: ParameterOverrides, actor: User, *,
                   version: int | None = None) -> bool:
    """Store the pilot's economics parameters; True when anything changed.

    The combined parameters (these overrides over the defaults) must make a valid calculation,
    else CostsError("invalid_parameters").
    """
    _open(session, pilot)
    concurrency.expect_version(session, pilot, version)
    if overrides.horizon_years is not None and not 1 <= overrides.horizon_years <= MAX_HORIZON_YEARS:
        raise CostsError("invalid_parameters", field="horizon_years")
    before = audit.snapshot(pilot, PARAMETER_FIELDS)
    sensitivity = {key: _ratio_text(value) for key, value in (overrides.sensitivity or {}).items()
                   if key in SENSITIVITY_KEYS and value is not None}
    new = {
        "first_year": overrides.first_year,
        "discount_rate": overrides.discount_rate,
        "horizon_years": overrides.horizon_years,
        "ramp_up": [_ratio_text(value) for value in overrides.ramp_up] if overrides.ramp_up else None,
        "sensitivity": sensitivity or None,
    }
    after = audit.jsonable(new)
    if _same_numbers(before, after):
        return False
    # Check the combination before touching the pilot: the calculation must accept it.
    try:
        parameters_for(session, SimpleNamespace(**new, test_end=pilot.test_end))  # type: ignore[arg-type]
    except ValueError:
        raise CostsError("invalid_parameters") from None
    for name, value in new.items():
        setattr(pilot, name, value)
    audit.record(session, actor, "economics_parameters_updated", "pilot", pilot.id, pilot_id=pilot.id,
                 before=before, after=after)
    process.finance_figures_changed(session, pilot, actor, "economics_parameters_updated")
    session.flush()
    return True


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def mark_duplicates(session: Session, pilot: Pilot, parsed: ParsedImport) -> ParsedImport:
    """Mark the rows that already exist as cost items of the pilot (they will be skipped).

    Counted, not just matched: a file with two identical licence rows adds both the first
    time and nothing the second.
    """
    existing = Counter(fingerprint(values_of(cost)) for cost in list_costs(session, pilot))
    for row in parsed.rows:
        if row.values is None:
            continue
        key = fingerprint(row.values)
        row.duplicate = existing[key] > 0
        if row.duplicate:
            existing[key] -= 1
    return parsed


@dataclass(frozen=True)
class ImportResult:
    """What an import did."""

    added: list[CostItem]
    skipped: int


def import_costs(session: Session, pilot: Pilot, rows: Sequence[CostValues], actor: User, *,
                 source: str = "") -> ImportResult:
    """Add imported cost items, skipping those identical to an existing item: all or nothing.

    Every row is checked again here (the caller may hold values from an earlier request);
    one bad row refuses the whole import with CostsError("invalid_row", row=index).
    """
    _open(session, pilot)
    for index, values in enumerate(rows, start=1):
        if check_cost(values.kind, values.first_year, values.last_year, values.amount, values.note):
            raise CostsError("invalid_row", row=index)
    existing = Counter(fingerprint(values_of(cost)) for cost in list_costs(session, pilot))
    added: list[CostItem] = []
    skipped = 0
    for values in rows:
        key = fingerprint(values)
        if existing[key] > 0:
            existing[key] -= 1
            skipped += 1
            continue
        cost = CostItem(pilot_id=pilot.id, entered_by_id=actor.id)
        _apply(cost, values)
        session.add(cost)
        added.append(cost)
    session.flush()
    for cost in added:
        audit.record(session, actor, "cost_item_imported", "cost_item", cost.id, pilot_id=pilot.id,
                     after=audit.snapshot(cost, COST_FIELDS))
    audit.record(session, actor, "costs_imported", "pilot", pilot.id, pilot_id=pilot.id,
                 after={"source": source[:200], "added": len(added), "skipped": skipped,
                        "cost_item_ids": [cost.id for cost in added]})
    if added:
        process.finance_figures_changed(session, pilot, actor, "costs_imported")
    session.flush()
    return ImportResult(added=added, skipped=skipped)
