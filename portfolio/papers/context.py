"""The plain values a decision paper is made from: strings, numbers, dates and domain results.

Everything here is a frozen dataclass of ``str``, ``Decimal``, ``int``, ``bool``, ``date`` or a
result of the pure domain calculation (:class:`~portfolio.domain.economics.Evaluation`), so the
template cannot reach the database, and :meth:`PaperData.canonical` can serialise it: its
SHA-256 is the paper's *data fingerprint*. Coded values (phase, direction, benefit class...)
stay codes; the template puts them into words in the reader's language, so the fingerprint of
the same data is the same in Swedish and English.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from portfolio.domain.economics import CostCategory, Evaluation


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        # The number, not its scale: 50 and 50.0000 (as a NUMERIC column returns it) are the same.
        text = format(value.normalize(), "f")
        return "0" if text == "-0" else text
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(_jsonable(key)): _jsonable(item) for key, item in value.items()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"not a plain value: {type(value).__name__}")


@dataclass(frozen=True)
class PilotFacts:
    """Background: the need, the pilot, who carries it and the strategic goals it serves."""

    code: str
    title: str
    need: str
    description: str
    idea_bearer: str
    innovation_leader: str
    unit: str
    origin: str  # lifecycle.Origin value
    target_groups: str
    test_start: dt.date | None
    test_end: dt.date | None
    strategic_goals: tuple[tuple[str, str], ...]  # (framework, goal)


@dataclass(frozen=True)
class MeasurementFacts:
    """One test-phase measurement of an indicator."""

    measured_on: dt.date
    value: Decimal


@dataclass(frozen=True)
class IndicatorFacts:
    """An indicator with its method, baseline, target, test measurements and valuation."""

    name: str
    unit: str
    direction: str  # economics.Direction value
    measurement_method: str
    data_source: str
    frequency: str
    baseline_value: Decimal | None
    baseline_date: dt.date | None
    target_value: Decimal | None
    target_date: dt.date | None
    benefit_class: str  # economics.BenefitClass value
    value_per_unit: Decimal | None
    annual_volume: Decimal | None
    measurements: tuple[MeasurementFacts, ...]  # test phase, oldest first
    latest: MeasurementFacts | None  # the latest test measurement (by date, then as recorded)
    realisation: Decimal | None  # from the economics; None without a measurement or when t = b
    missing: tuple[str, ...]  # "baseline" and/or "target": left out of the calculation


@dataclass(frozen=True)
class GoalFacts:
    """An effect goal with its indicators."""

    statement: str
    category: str  # GoalCategory value
    beneficiary: str
    indicators: tuple[IndicatorFacts, ...]


@dataclass(frozen=True)
class PlanUnit:
    name: str
    status: str  # process.RolloutStatus value
    planned_start: dt.date | None
    in_use_from: dt.date | None


@dataclass(frozen=True)
class PlanOwner:
    responsibility: str  # process.Responsibility value: procure, manage, support, decommission
    level: str  # process.OwnerLevel value: school, administration, city
    owner: str


@dataclass(frozen=True)
class PlanMilestone:
    due_on: dt.date
    title: str


@dataclass(frozen=True)
class PlanRisk:
    description: str
    mitigation: str


@dataclass(frozen=True)
class PlanCheckpoint:
    checkpoint: str  # process.Checkpoint value
    status: str  # process.CheckpointStatus value
    done_on: dt.date | None
    not_needed_reason: str
    planned_on: dt.date | None


@dataclass(frozen=True)
class PlanFacts:
    """The implementation plan (DESIGN §4)."""

    target_groups: str = ""
    children_use_solution: bool | None = None
    units: tuple[PlanUnit, ...] = ()
    milestones: tuple[PlanMilestone, ...] = ()
    risks: tuple[PlanRisk, ...] = ()
    owners: tuple[PlanOwner, ...] = ()
    checkpoints: tuple[PlanCheckpoint, ...] = ()


@dataclass(frozen=True)
class ProcessFacts:
    """What the scale-up steps recorded: None where a step has not written it yet."""

    review_comment: str = ""
    results_summary: str = ""
    lessons: str = ""
    plan: PlanFacts | None = None


@dataclass(frozen=True)
class PaperData:
    """Everything the paper says about the pilot: fingerprinted, independent of language."""

    organisation: str
    pilot: PilotFacts
    goals: tuple[GoalFacts, ...]
    evaluation: Evaluation
    has_figures: bool
    finance_signed_off_on: dt.date | None
    finance_signed_off_by: str
    process: ProcessFacts
    final: bool  # step 3 is complete: the paper is no longer a draft

    @property
    def cost_categories_in_use(self) -> list[tuple[CostCategory, list[Decimal]]]:
        """Forward costs per category and year, only for categories with a cost in the horizon."""
        return [(category, values) for category, values in self.evaluation.costs_by_category.items() if any(values)]

    @property
    def incomplete_indicators(self) -> list[IndicatorFacts]:
        """Indicators left out of the calculation because a baseline or target is missing."""
        return [indicator for goal in self.goals for indicator in goal.indicators if indicator.missing]

    def canonical(self) -> bytes:
        """The data as canonical JSON (sorted keys, exact decimals): what the fingerprint hashes."""
        return json.dumps(_jsonable(self), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`canonical`."""
        return hashlib.sha256(self.canonical()).hexdigest()


@dataclass(frozen=True)
class DecisionFields:
    """The recorded decision, filled in on the archived copy of the paper."""

    outcome: str = ""
    text: str = ""
    decision_maker: str = ""
    presenter: str = ""
    body: str = ""
    decided_on: dt.date | None = None
    case_number: str = ""
    delegation: str = ""
    conditions: str = ""


@dataclass(frozen=True)
class PaperContext:
    """One version of the paper: the data plus what belongs to this version only."""

    data: PaperData
    version: int
    generated_on: dt.date
    fingerprint: str
    language: str
    is_draft: bool
    decision: DecisionFields | None = None
    case_number: str = ""

    @property
    def short_fingerprint(self) -> str:
        return self.fingerprint[:12]
