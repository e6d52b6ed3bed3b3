"""Every coded value has one Swedish name, and templates reach it through a filter."""

from __future__ import annotations

import pytest

from portfolio.domain.economics import SENSITIVITY_CASES, BenefitClass, CostCategory, CostKind, CostPhase, Direction
from portfolio.domain.lifecycle import Origin, Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import GoalCategory, MeasurementPhase, UnitLevel
from portfolio.web import labels

NAMED = [
    (labels.PHASE_LABELS, list(Phase)),
    (labels.STEP_LABELS, list(Step)),
    (labels.ORIGIN_LABELS, list(Origin)),
    (labels.MOVE_LABELS, list(Phase)),
    (labels.ROLE_LABELS, list(Role)),
    (labels.LEVEL_LABELS, list(UnitLevel)),
    (labels.GOAL_CATEGORY_LABELS, list(GoalCategory)),
    (labels.DIRECTION_LABELS, list(Direction)),
    (labels.MEASUREMENT_PHASE_LABELS, list(MeasurementPhase)),
    (labels.BENEFIT_CLASS_LABELS, list(BenefitClass)),
    (labels.BENEFIT_CLASS_HELP, list(BenefitClass)),
    (labels.COST_CATEGORY_LABELS, list(CostCategory)),
    (labels.COST_KIND_LABELS, list(CostKind)),
    (labels.COST_PHASE_LABELS, list(CostPhase)),
    (labels.SENSITIVITY_CASE_LABELS, list(SENSITIVITY_CASES)),
    (labels.VIEW_LABELS, ["cash", "full"]),
]


@pytest.mark.parametrize(("names", "values"), NAMED)
def test_every_value_has_a_name_and_no_two_values_share_one(app, names, values):
    assert list(names) == values
    with app.test_request_context():
        words = [str(word) for word in names.values()]
    assert all(words) and len(set(words)) == len(words)


def test_templates_name_a_value_stored_as_text_or_as_enum(app):
    render = app.jinja_env.from_string(
        "{{ 'scale_up' | phase_label }}|{{ phase | phase_label }}|{{ none | phase_label }}|"
        "{{ 'low' | sensitivity_case_label }}"
    ).render
    with app.test_request_context():
        assert render(phase=Phase.PARKED) == "Uppskalningsprocess|Parkerad||Låg"
