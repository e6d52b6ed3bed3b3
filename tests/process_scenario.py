"""A pilot arranged for the scale-up process: everything a gate asks for, ready for each step.

The data is arranged directly (factories); the steps are taken through the process service,
as a user's clicks take them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from portfolio.domain.economics import BenefitClass
from portfolio.domain.lifecycle import Phase
from portfolio.domain.process import (
    Checkpoint,
    CheckpointStatus,
    DecisionOutcome,
    OwnerLevel,
    Responsibility,
    RolloutStatus,
)
from portfolio.models import utcnow
from portfolio.services import papers, plan, process
from tests import factories

FAKE_PDF = b"%PDF-1.7\n% a stand-in for the rendered paper\n%%EOF\n"


@pytest.fixture
def fast_papers(monkeypatch):
    """Papers stored without rendering (WeasyPrint takes a second a paper): for process tests."""
    monkeypatch.setattr(papers, "render_pdf", lambda context: FAKE_PDF + context.fingerprint.encode())


def pilot_in_scale_up(db, leader, *, unit=None):
    """A pilot in the scale-up process, step 0, whose data meets every gate rule but the paper's."""
    unit = unit or factories.make_unit(db)
    pilot = factories.make_pilot(db, leader=leader, unit=unit, phase=Phase.SCALE_UP)
    goal = factories.make_effect_goal(db, pilot)
    indicator = factories.make_indicator(
        db, goal, value_per_unit=Decimal("9.20"), annual_volume=Decimal("20000"),
        benefit_class=BenefitClass.REALLOCATION,
    )
    factories.make_measurement(db, indicator, value="45")
    factories.make_cost(db, pilot, amount="120000")
    pilot.finance_signed_off_at = utcnow()
    plan.save_basics(db, pilot, target_groups="Pedagoger i förskolan", children_use_solution=True, actor=leader)
    plan.set_rollout_unit(db, pilot, unit_id=unit.id, status=RolloutStatus.PLANNED,
                          planned_start=dt.date(2027, 8, 1), in_use_from=None, actor=leader)
    plan.add_milestone(db, pilot, due_on=dt.date(2027, 8, 15), title="Utbildning av pedagoger", actor=leader)
    for responsibility in Responsibility:
        plan.set_owner(db, pilot, responsibility=responsibility, level=OwnerLevel.ADMINISTRATION,
                       owner="IT-enheten", actor=leader)
    for checkpoint in Checkpoint:
        plan.set_checkpoint(db, pilot, checkpoint=checkpoint, status=CheckpointStatus.DONE,
                            done_on=dt.date(2026, 11, 1), actor=leader)
    db.flush()
    return pilot


def take_steps(db, pilot, leader, *, to: int) -> None:
    """Complete steps 1 … `to` (a draft paper is generated before step 3, as its gate asks)."""
    if to >= 1:
        process.complete_step(db, pilot, 1, leader, review_comment="Effektmålet är granskat med rektorerna.")
    if to >= 2:
        process.complete_step(db, pilot, 2, leader, results_summary="Tiden minskade med en fjärdedel.",
                              lessons_learned="Introducera verktyget en förskola i taget.")
    if to >= 3:
        papers.generate(db, pilot, leader)
        process.complete_step(db, pilot, 3, leader)


def decision_data(db, pilot, outcome=DecisionOutcome.SCALE_UP, **changes) -> process.DecisionData:
    """A complete decision on the pilot's newest paper."""
    values = dict(
        outcome=outcome,
        decision_text="Förvaltningschefen beslutar att lösningen införs i samtliga förskolor.",
        decision_maker="Anna Andersson, förvaltningschef",
        presenter="Ida Innovationsledare",
        body="Ledningsgruppen 2026-12-08, punkt 1",
        decided_on=dt.date(2026, 12, 8),
        case_number="SFF 2026/123",
        delegation_reference="Delegationsordningen punkt 1.4",
        conditions="",
        paper_version_id=papers.latest(db, pilot).id,
        new_test_end=dt.date(2027, 6, 30) if outcome is DecisionOutcome.CONTINUE_TESTING else None,
        revisit_on=dt.date(2027, 9, 1) if outcome is DecisionOutcome.PARK else None,
        lessons_learned="Tekniken var inte mogen." if outcome is DecisionOutcome.STOP else "",
    )
    values.update(changes)
    return process.DecisionData(**values)
