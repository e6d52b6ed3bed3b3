"""Follow-up after scale-up (DESIGN §4, §5): the schedule, benefit owners and harvest decisions.

The schedule is created when a scale-up decision is recorded (the process service calls
`create_schedule`); the management group may change it per pilot. Statuses and the three
amounts per benefit (potential, realised, harvested) come from `portfolio.domain.follow_up`.
Every change is audited; nothing here commits.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from portfolio.domain import follow_up as rules
from portfolio.models import Decision, FollowUp, Pilot, User

from . import audit

FOLLOW_UP_FIELDS = ("due_on", "decision_id")


def create_schedule(session: Session, pilot: Pilot, decision: Decision, actor: User | None) -> list[FollowUp]:
    """The default follow-up schedule after a scale-up decision: 6, 12 and 24 months after it."""
    rows = [
        FollowUp(pilot_id=pilot.id, decision_id=decision.id, due_on=due_on,
                 created_by_id=actor.id if actor is not None else None)
        for due_on in rules.default_schedule(decision.decided_on)
    ]
    session.add_all(rows)
    session.flush()
    for row in rows:
        audit.record(session, actor, "create", "follow_up", row.id, pilot_id=pilot.id,
                     after=audit.snapshot(row, FOLLOW_UP_FIELDS))
    return rows

