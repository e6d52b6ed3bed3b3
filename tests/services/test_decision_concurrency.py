"""Two management group members recording the same decision at the same moment get one decision.

Real threads with their own sessions and connections, on the suite's database (SQLite or
PostgreSQL): the pilot's state is claimed with a conditional update and the paper version
carries one decision only.
"""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select

from portfolio.db import get_db
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.process import ProcessError
from portfolio.domain.roles import Role
from portfolio.models import Decision, PhaseTransition, Pilot, User
from portfolio.services import papers, process
from tests import factories
from tests.process_scenario import FAKE_PDF, decision_data, pilot_in_scale_up, take_steps


def test_two_simultaneous_decisions_give_exactly_one(app, db, monkeypatch):
    leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER])
    managers = [factories.make_user(db, roles=[Role.MANAGEMENT]) for _ in range(2)]

    def slow_render(context):
        time.sleep(0.3)  # rendering takes a while: the two submissions overlap
        return FAKE_PDF + context.fingerprint.encode()

    monkeypatch.setattr(papers, "render_pdf", slow_render)
    pilot = pilot_in_scale_up(db, leader)
    take_steps(db, pilot, leader, to=3)
    db.commit()
    pilot_id, paper_id = pilot.id, papers.latest(db, pilot).id
    manager_ids = [m.id for m in managers]

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(manager_id: int) -> None:
        with app.app_context():
            session = get_db().sessions()
            try:
                pilot = session.get(Pilot, pilot_id)
                data = decision_data(session, pilot, paper_version_id=paper_id)
                actor = session.get(User, manager_id)
                barrier.wait(timeout=10)
                process.record_decision(session, pilot, data, actor)
                session.commit()
                outcomes.append("recorded")
            except (process.DecisionConflict, ProcessError) as refused:
                session.rollback()
                outcomes.append(f"refused: {type(refused).__name__}")
            finally:
                session.close()

    threads = [threading.Thread(target=submit, args=(manager_id,)) for manager_id in manager_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes)[0] == "recorded" and len(outcomes) == 2
    assert outcomes.count("recorded") == 1, outcomes
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Decision).where(Decision.pilot_id == pilot_id)) == 1
    decisions = db.scalar(select(func.count()).select_from(PhaseTransition).where(
        PhaseTransition.pilot_id == pilot_id, PhaseTransition.kind == "decision"))
    assert decisions == 1
    pilot = db.get(Pilot, pilot_id)
    assert (pilot.phase, pilot.step) == (Phase.IMPLEMENTATION, Step.DECIDED)
