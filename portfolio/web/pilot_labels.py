"""What a pilot's phase, step and origin are called on screen (Swedish msgids, translated at render time).

Registered as template filters by the pilots blueprint (`phase_label`, `step_label`,
`origin_label`), so every area shows the same words.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from portfolio.domain.lifecycle import Origin, Phase, Step

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


def phase_label(phase: Phase | str | None) -> str:
    """The phase's name, e.g. "Uppskalningsprocess"; empty for None."""
    return "" if phase is None else str(PHASE_LABELS[Phase(phase)])


def step_label(step: Step | int | None) -> str:
    """The scale-up step reached, e.g. "Steg 1 klart: effektmålet översett"."""
    return "" if step is None else str(STEP_LABELS[Step(step)])


def origin_label(origin: Origin | str | None) -> str:
    """What started the pilot, e.g. "Utmaningsdriven"."""
    return "" if origin is None else str(ORIGIN_LABELS[Origin(origin)])
