"""Needs and challenges (DESIGN §9): raised by anyone signed in, taken by an innovation leader,
answered by a pilot or closed with a reason.

Every change writes an audit entry in the same transaction and flushes; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from portfolio.domain.initiatives import (
    ChallengeError,
    ChallengeStatus,
    InitiativeKind,
    check_close,
    check_start_pilot,
    check_take,
)
from portfolio.domain.lifecycle import Origin
from portfolio.models import Challenge, Goal, Pilot, Unit, User, utcnow

from . import audit, pilots
from .paging import Page, paginate

FIELDS = ("title", "description", "unit_id", "affected", "frequency", "cost_today")


class ChallengeInputError(ValueError):
    """Input refused: `field` names the form field, `reason` says why."""

    def __init__(self, field: str, reason: str):
        super().__init__(field, reason)
        self.field = field
        self.reason = reason


@dataclass(frozen=True)
class ChallengeData:
    """What the person raising a challenge writes."""

    title: str
    description: str = ""
    unit_id: int | None = None
    affected: str = ""
    frequency: str = ""
    cost_today: Decimal | None = None
    goal_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class ChallengeFilters:
    """The backlog's filters; None means any."""

    text: str = ""
    status: ChallengeStatus | None = None
    unit_id: int | None = None
    goal_id: int | None = None


def _snapshot(challenge: Challenge) -> dict:
    return audit.snapshot(challenge, (*FIELDS, "status")) | {"goal_ids": sorted(goal.id for goal in challenge.goals)}


def raise_challenge(session: Session, data: ChallengeData, actor: User) -> Challenge:
    """Record a need or challenge; it waits with "idébärare saknas" until a leader takes it."""
    title = data.title.strip()
    if not title:
        raise ChallengeInputError("title", "required")
    if data.cost_today is not None and data.cost_today < 0:
        raise ChallengeInputError("cost_today", "negative")
    if data.unit_id is not None:
        unit = session.get(Unit, data.unit_id)
        if unit is None or not unit.active:
            raise ChallengeInputError("unit", "unknown_unit")
    goals = list(session.scalars(select(Goal).where(Goal.id.in_(data.goal_ids)))) if data.goal_ids else []
    if len(goals) != len(data.goal_ids) or any(not goal.active for goal in goals):
        raise ChallengeInputError("goals", "unknown_goal")
    challenge = Challenge(
        title=title, description=data.description.strip(), unit_id=data.unit_id, affected=data.affected.strip(),
        frequency=data.frequency.strip(), cost_today=data.cost_today, status=ChallengeStatus.OPEN,
        raised_by_id=actor.id, goals=goals,
    )
    session.add(challenge)
    session.flush()
    audit.record(session, actor, "create", "challenge", challenge.id, after=_snapshot(challenge))
    return challenge


def get_challenge(session: Session, challenge_id: int) -> Challenge | None:
    """The challenge with everything its page shows."""
    return session.scalar(
        select(Challenge).where(Challenge.id == challenge_id).options(
            joinedload(Challenge.unit), joinedload(Challenge.raised_by), joinedload(Challenge.taken_by),
            joinedload(Challenge.pilot), selectinload(Challenge.goals).joinedload(Goal.framework),
        )
    )


def challenge_of_pilot(session: Session, pilot: Pilot) -> Challenge | None:
    """The challenge a pilot was started from, if any (the link back)."""
    return session.scalar(select(Challenge).where(Challenge.pilot_id == pilot.id))


def list_challenges(session: Session, filters: ChallengeFilters, *, page: int = 1, per_page: int = 25) -> Page[Challenge]:
    """The backlog: newest first, filtered, one page, a fixed number of queries."""
    statement = select(Challenge).options(joinedload(Challenge.unit), joinedload(Challenge.pilot))
    for term in filters.text.split():
        pattern = f"%{pilots._escape_like(term)}%"
        statement = statement.where(Challenge.title.ilike(pattern, escape="\\")
                                    | Challenge.description.ilike(pattern, escape="\\"))
    if filters.status is not None:
        statement = statement.where(Challenge.status == filters.status)
    if filters.unit_id is not None:
        statement = statement.where(Challenge.unit_id == filters.unit_id)
    if filters.goal_id is not None:
        statement = statement.where(Challenge.goals.any(Goal.id == filters.goal_id))
    statement = statement.order_by(Challenge.raised_at.desc(), Challenge.id.desc())
    return paginate(session, statement, page, per_page)


def count_by_status(session: Session) -> dict[ChallengeStatus, int]:
    """How many challenges there are in each status (every status present, zero included).

    For the portfolio overview: `count_by_status(session)[ChallengeStatus.OPEN]` is the number of
    challenges still waiting for an idea-bearer.
    """
    counts = dict(session.execute(select(Challenge.status, func.count()).group_by(Challenge.status)).all())
    return {status: counts.get(status, 0) for status in ChallengeStatus}


def _claim(session: Session, challenge: Challenge, allowed: tuple[ChallengeStatus, ...], code: str,
           status: ChallengeStatus) -> None:
    """Move the challenge to `status` only if it still stands in `allowed`: two leaders pressing
    at the same moment get one move (a conditional update, which waits for the other transaction
    and then finds the status changed); the other gets ChallengeError(`code`)."""
    claimed = session.execute(
        update(Challenge).where(Challenge.id == challenge.id, Challenge.status.in_(allowed))
        .values(status=status).execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise ChallengeError(code)
    challenge.status = status


def take(session: Session, challenge: Challenge, actor: User) -> None:
    """An innovation leader takes the challenge: it has an idea-bearer now."""
    check_take(challenge.status)
    before = _snapshot(challenge) | {"taken_by_id": challenge.taken_by_id}
    _claim(session, challenge, (ChallengeStatus.OPEN,), "not_open", ChallengeStatus.TAKEN)
    challenge.taken_by_id = actor.id
    challenge.taken_at = utcnow()
    session.flush()
    audit.record(session, actor, "take", "challenge", challenge.id, before=before,
                 after=_snapshot(challenge) | {"taken_by_id": actor.id})


def start_pilot(session: Session, challenge: Challenge, actor: User, *, kind: InitiativeKind = InitiativeKind.INNOVATION,
                today: dt.date | None = None) -> Pilot:
    """Start a pilot (or digitalisation initiative) from the challenge, its data carried over.

    The pilot is challenge-driven, led by `actor`; its title, need, unit, target groups (who is
    affected) and strategic goals come from the challenge, which then links to it.
    """
    check_start_pilot(challenge.status)
    before = _snapshot(challenge) | {"pilot_id": None}
    _claim(session, challenge, (ChallengeStatus.OPEN, ChallengeStatus.TAKEN), "not_startable",
           ChallengeStatus.PILOT_STARTED)
    need = challenge.description
    if challenge.frequency:
        need = f"{need}\n\n{challenge.frequency}".strip()
    data = pilots.PilotData(
        title=challenge.title, origin=Origin.CHALLENGE_DRIVEN, need=need, unit_id=challenge.unit_id,
        target_groups=challenge.affected, goal_ids=frozenset(goal.id for goal in challenge.goals),
        kind=InitiativeKind(kind),
    )
    pilot = pilots.create_pilot(session, data, actor, today=today)
    if challenge.taken_by_id is None:
        challenge.taken_by_id, challenge.taken_at = actor.id, utcnow()
    challenge.pilot_id = pilot.id
    session.flush()
    audit.record(session, actor, "start_pilot", "challenge", challenge.id, pilot_id=pilot.id, before=before,
                 after=_snapshot(challenge) | {"pilot_id": pilot.id})
    return pilot


def close(session: Session, challenge: Challenge, reason: str, actor: User) -> None:
    """Close the challenge with a reason (kept in the backlog, marked closed)."""
    reason = reason.strip()
    check_close(challenge.status, reason)
    before = _snapshot(challenge) | {"close_reason": challenge.close_reason}
    _claim(session, challenge, (ChallengeStatus.OPEN, ChallengeStatus.TAKEN), "not_closable", ChallengeStatus.CLOSED)
    challenge.close_reason = reason
    challenge.closed_at = utcnow()
    session.flush()
    audit.record(session, actor, "close", "challenge", challenge.id, before=before,
                 after=_snapshot(challenge) | {"close_reason": reason})


__all__ = [
    "ChallengeData", "ChallengeError", "ChallengeFilters", "ChallengeInputError", "challenge_of_pilot", "close",
    "count_by_status", "get_challenge", "list_challenges", "raise_challenge", "start_pilot", "take",
]
