"""What the app's coded values are called on screen: one place for the Swedish names.

Phases, steps, origins, roles, unit levels, goal categories, directions, measurement phases,
benefit classes, cost categories, kinds and phases, sensitivity cases and the two economics
views. The msgids are Swedish and translated at render time (lazy), so a module-level dict is
safe. Forms build their choices from these dicts, views and services read them, and templates
use the filters that :func:`init_app` registers (``{{ pilot.phase | phase_label }}``), so every
area shows the same words.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext as _l

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.domain.lifecycle import Origin, Phase, Step
from portfolio.domain.process import Checkpoint, CheckpointStatus, DecisionOutcome, OwnerLevel, Responsibility, RolloutStatus
from portfolio.domain.roles import Role
from portfolio.models import GoalCategory, MeasurementPhase, UnitLevel

# --- pilots --------------------------------------------------------------------------------------

PHASE_LABELS = {
    Phase.IDEA: _l("Idé"),
    Phase.TEST: _l("Test"),
    Phase.SCALE_UP: _l("Uppskalningsprocess"),
    Phase.IMPLEMENTATION: _l("Implementering och uppföljning"),
    Phase.CLOSED: _l("Avslutad"),
    Phase.PARKED: _l("Parkerad"),
}

# A step counts the scale-up steps completed (domain.lifecycle.Step), so the label says "klart".
STEP_LABELS = {
    Step.NONE: _l("Inget steg klart"),
    Step.EFFECT_GOAL_REVIEWED: _l("Steg 1 klart: effektmålet översett"),
    Step.RESULTS_SUMMARISED: _l("Steg 2 klart: resultaten sammanfattade"),
    Step.DECISION_BASIS_READY: _l("Steg 3 klart: beslutsunderlaget framtaget"),
    Step.DECIDED: _l("Steg 4 klart: beslut fattat"),
}

ORIGIN_LABELS = {
    Origin.IDEA_DRIVEN: _l("Idédriven"),
    Origin.CHALLENGE_DRIVEN: _l("Utmaningsdriven"),
    Origin.OPPORTUNITY_DRIVEN: _l("Möjlighetsdriven"),
}

# The button text of a manual move, by target phase.
MOVE_LABELS = {
    Phase.IDEA: _l("Tillbaka till idé"),
    Phase.TEST: _l("Till test"),
    Phase.SCALE_UP: _l("Till uppskalningsprocessen"),
    Phase.IMPLEMENTATION: _l("Till implementering"),
    Phase.CLOSED: _l("Avsluta piloten"),
    Phase.PARKED: _l("Parkera piloten"),
}

# --- people and organisation ---------------------------------------------------------------------

ROLE_LABELS = {
    Role.INNOVATION_LEADER: _l("Innovationsledare"),
    Role.FINANCE: _l("Ekonomi"),
    Role.MANAGEMENT: _l("Ledningsgrupp"),
    Role.VIEWER: _l("Läsare"),
    Role.ADMIN: _l("Administratör"),
}

LEVEL_LABELS = {
    UnitLevel.SCHOOL: _l("Skola"),
    UnitLevel.AREA: _l("Område"),
    UnitLevel.ADMINISTRATION: _l("Förvaltning"),
    UnitLevel.CITY: _l("Stad"),
}

# --- effects -------------------------------------------------------------------------------------

GOAL_CATEGORY_LABELS = {
    GoalCategory.RESOURCE_EFFICIENCY: _l("Resurseffektivitet"),
    GoalCategory.QUALITY: _l("Kvalitet"),
    GoalCategory.BOTH: _l("Båda (resurseffektivitet och kvalitet)"),
}

DIRECTION_LABELS = {
    Direction.HIGHER_IS_BETTER: _l("Högre är bättre"),
    Direction.LOWER_IS_BETTER: _l("Lägre är bättre"),
}

MEASUREMENT_PHASE_LABELS = {
    MeasurementPhase.TEST: _l("Test"),
    MeasurementPhase.FOLLOW_UP: _l("Uppföljning"),
}

BENEFIT_CLASS_LABELS = {
    BenefitClass.FINANCIAL: _l("Finansiell nytta"),
    BenefitClass.REALLOCATION: _l("Omfördelningsnytta"),
    BenefitClass.UNVALUED: _l("Ej värderad"),
}

# What each class means: the valuation form's help and the economics page's caption.
BENEFIT_CLASS_HELP = {
    BenefitClass.FINANCIAL: _l("Frigör pengar: en budgetpost kan faktiskt minskas, till exempel en licens som sägs "
                               "upp eller färre inhyrda timmar."),
    BenefitClass.REALLOCATION: _l("Värderas i kronor men blir frigjord tid eller kapacitet, inte pengar: personalen "
                                  "kan göra annat arbete. Syns i fullvärdesvyn men inte i kassavyn."),
    BenefitClass.UNVALUED: _l("Värderas inte i pengar, till exempel kvalitet eller delaktighet. Visas bredvid "
                              "kalkylen och tappas aldrig bort."),
}

# --- costs and economics -------------------------------------------------------------------------

# The spreadsheet uses the same words (domain.cost_import), so an exported file reads like the page.
COST_CATEGORY_LABELS = {
    CostCategory.PERSONNEL: _l("Personal"),
    CostCategory.LICENCE: _l("Licens"),
    CostCategory.HARDWARE: _l("Hårdvara"),
    CostCategory.SERVICES: _l("Tjänster"),
    CostCategory.TRAINING: _l("Utbildning"),
    CostCategory.SUPPORT: _l("Stöd och förvaltning"),
    CostCategory.OTHER: _l("Övrigt"),
}

COST_KIND_LABELS = {
    CostKind.ONE_OFF: _l("Engångskostnad"),
    CostKind.RECURRING: _l("Återkommande per år"),
}

COST_PHASE_LABELS = {
    CostPhase.TEST: _l("Test"),
    CostPhase.IMPLEMENTATION: _l("Införande"),
    CostPhase.OPERATION: _l("Drift"),
}

# domain.economics.SENSITIVITY_CASES
SENSITIVITY_CASE_LABELS = {"low": _l("Låg"), "expected": _l("Förväntad"), "high": _l("Hög")}

# The two views of an Evaluation (Evaluation.views).
VIEW_LABELS = {"cash": _l("Kassaflödesvy"), "full": _l("Fullt värde")}

VIEW_HELP = {
    "cash": _l("Endast finansiell nytta: det som budgeten faktiskt kommer att se."),
    "full": _l("Finansiell nytta och omfördelningsnytta."),
}

# --- the scale-up process: implementation plan and decision --------------------------------------

ROLLOUT_STATUS_LABELS = {
    RolloutStatus.PLANNED: _l("Planerad"),
    RolloutStatus.STARTED: _l("Påbörjad"),
    RolloutStatus.IN_USE: _l("I bruk"),
}

RESPONSIBILITY_LABELS = {
    Responsibility.PROCURE: _l("Anskaffar"),
    Responsibility.MANAGE: _l("Förvaltar"),
    Responsibility.SUPPORT: _l("Ger support"),
    Responsibility.DECOMMISSION: _l("Avvecklar"),
}

OWNER_LEVEL_LABELS = {
    OwnerLevel.SCHOOL: _l("Skolnivå"),
    OwnerLevel.ADMINISTRATION: _l("Förvaltningsnivå"),
    OwnerLevel.CITY: _l("Stadsnivå"),
}

CHECKPOINT_LABELS = {
    Checkpoint.DATA_PROTECTION: _l("Konsekvensbedömning avseende dataskydd"),
    Checkpoint.CHILD_IMPACT: _l("Barnkonsekvensanalys"),
    Checkpoint.ACCESSIBILITY: _l("Tillgänglighet"),
}

CHECKPOINT_STATUS_LABELS = {
    CheckpointStatus.DONE: _l("Klar"),
    CheckpointStatus.NOT_NEEDED: _l("Behövs inte"),
    CheckpointStatus.PLANNED: _l("Planerad"),
}

DECISION_OUTCOME_LABELS = {
    DecisionOutcome.SCALE_UP: _l("Skala upp"),
    DecisionOutcome.CONTINUE_TESTING: _l("Fortsätt testa"),
    DecisionOutcome.STOP: _l("Avsluta"),
    DecisionOutcome.PARK: _l("Parkera"),
}

# --- template filters ----------------------------------------------------------------------------


def _labeller(labels: Mapping[Any, Any], kind: Callable[[Any], Any], doc: str) -> Callable[[Any], str]:
    """A function from a value (an enum member or its stored value) to its words; empty for None."""

    def label(value: Any) -> str:
        return "" if value is None else str(labels[kind(value)])

    label.__doc__ = doc
    return label


phase_label = _labeller(PHASE_LABELS, Phase, "The phase's name, e.g. Uppskalningsprocess.")
step_label = _labeller(STEP_LABELS, Step, "The scale-up step reached, e.g. Steg 1 klart: effektmålet översett.")
origin_label = _labeller(ORIGIN_LABELS, Origin, "What started the pilot, e.g. Utmaningsdriven.")
role_label = _labeller(ROLE_LABELS, Role, "A role's name, e.g. Innovationsledare.")
level_label = _labeller(LEVEL_LABELS, UnitLevel, "A unit level's name, e.g. Skola.")
goal_category_label = _labeller(GOAL_CATEGORY_LABELS, GoalCategory, "An effect goal's category, e.g. Kvalitet.")
direction_label = _labeller(DIRECTION_LABELS, Direction, "Which way is better, e.g. Lägre är bättre.")
measurement_phase_label = _labeller(MEASUREMENT_PHASE_LABELS, MeasurementPhase,
                                    "When a value was measured, e.g. Uppföljning.")
benefit_class_label = _labeller(BENEFIT_CLASS_LABELS, BenefitClass, "A benefit class, e.g. Finansiell nytta.")
benefit_class_help = _labeller(BENEFIT_CLASS_HELP, BenefitClass, "What a benefit class means, in a sentence.")
cost_category_label = _labeller(COST_CATEGORY_LABELS, CostCategory, "A cost category, e.g. Licens.")
cost_kind_label = _labeller(COST_KIND_LABELS, CostKind, "One-off or recurring, e.g. Engångskostnad.")
cost_phase_label = _labeller(COST_PHASE_LABELS, CostPhase, "A cost's phase, e.g. Drift.")
sensitivity_case_label = _labeller(SENSITIVITY_CASE_LABELS, str, "A sensitivity case, e.g. Förväntad.")
view_label = _labeller(VIEW_LABELS, str, "An economics view, e.g. Kassaflödesvy.")
view_help = _labeller(VIEW_HELP, str, "What an economics view counts, in a sentence.")
rollout_status_label = _labeller(ROLLOUT_STATUS_LABELS, RolloutStatus, "A roll-out unit's status, e.g. I bruk.")
responsibility_label = _labeller(RESPONSIBILITY_LABELS, Responsibility, "A lifecycle task, e.g. Förvaltar.")
owner_level_label = _labeller(OWNER_LEVEL_LABELS, OwnerLevel, "The level of a lifecycle owner, e.g. Stadsnivå.")
checkpoint_label = _labeller(CHECKPOINT_LABELS, Checkpoint, "A school checkpoint, e.g. Barnkonsekvensanalys.")
checkpoint_status_label = _labeller(CHECKPOINT_STATUS_LABELS, CheckpointStatus, "A checkpoint's status, e.g. Klar.")
decision_outcome_label = _labeller(DECISION_OUTCOME_LABELS, DecisionOutcome, "A decision's outcome, e.g. Skala upp.")

FILTERS = {
    "phase_label": phase_label,
    "step_label": step_label,
    "origin_label": origin_label,
    "role_label": role_label,
    "level_label": level_label,
    "goal_category_label": goal_category_label,
    "direction_label": direction_label,
    "measurement_phase_label": measurement_phase_label,
    "benefit_class_label": benefit_class_label,
    "benefit_class_help": benefit_class_help,
    "cost_category_label": cost_category_label,
    "cost_kind_label": cost_kind_label,
    "cost_phase_label": cost_phase_label,
    "sensitivity_case_label": sensitivity_case_label,
    "view_label": view_label,
    "view_help": view_help,
    "rollout_status_label": rollout_status_label,
    "responsibility_label": responsibility_label,
    "owner_level_label": owner_level_label,
    "checkpoint_label": checkpoint_label,
    "checkpoint_status_label": checkpoint_status_label,
    "decision_outcome_label": decision_outcome_label,
}


def init_app(app: Flask) -> None:
    """Register every label function above as a Jinja filter of the same name."""
    app.jinja_env.filters.update(FILTERS)
