"""Overlapping initiatives (DESIGN §9): found by the domain over plain rows, marked coordinated here.

Reading runs a fixed number of queries however many initiatives there are: the initiatives'
columns, their strategic goals, and the coordination marks.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload

from portfolio.domain.initiatives import InitiativeKind, InitiativeRow, Overlap, find_overlaps, ordered_pair, target_group_set
from portfolio.domain.lifecycle import Phase
from portfolio.models import OverlapCoordination, Pilot, Unit, User, pilot_goals

from . import audit

INACTIVE_PHASES = (Phase.CLOSED, Phase.PARKED)


class CoordinationError(ValueError):
    """A coordination mark refused: `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class InitiativeRef:
    """What a flag shows of an initiative."""

    id: int
    code: str
    title: str
    kind: InitiativeKind


@dataclass(frozen=True)
class FlaggedOverlap:
    """An overlap with both initiatives named and, if marked, the coordination."""

    overlap: Overlap
    first: InitiativeRef
    second: InitiativeRef
    shared_unit: str | None
    coordination: OverlapCoordination | None

    @property
    def coordinated(self) -> bool:
        return self.coordination is not None

    def other(self, pilot_id: int) -> InitiativeRef:
        """The initiative of the pair that is not `pilot_id`."""
        return self.second if self.first.id == pilot_id else self.first


def _rows(session: Session) -> tuple[list[InitiativeRow], dict[int, InitiativeRef]]:
    records = session.execute(select(
        Pilot.id, Pilot.code, Pilot.title, Pilot.kind, Pilot.phase, Pilot.unit_id, Pilot.target_groups,
        Pilot.test_start, Pilot.test_end,
    )).all()
    goals: dict[int, set[int]] = defaultdict(set)
    for pilot_id, goal_id in session.execute(select(pilot_goals.c.pilot_id, pilot_goals.c.goal_id)):
        goals[pilot_id].add(goal_id)
    rows, refs = [], {}
    for record in records:
        # An initiative being implemented runs on past its test: it still takes the same people's time.
        end = None if record.phase == Phase.IMPLEMENTATION else record.test_end
        rows.append(InitiativeRow(
            id=record.id, kind=InitiativeKind(record.kind), start=record.test_start, end=end,
            unit_id=record.unit_id, goal_ids=frozenset(goals[record.id]),
            target_groups=target_group_set(record.target_groups or ""), active=record.phase not in INACTIVE_PHASES,
        ))
        refs[record.id] = InitiativeRef(record.id, record.code, record.title, InitiativeKind(record.kind))
    return rows, refs


def all_overlaps(session: Session, *, involving: int | None = None) -> list[FlaggedOverlap]:
    """Every overlapping pair (those of one initiative, with `involving`), uncoordinated first."""
    rows, refs = _rows(session)
    overlaps = find_overlaps(rows, involving=involving)
    marks = {
        (mark.first_pilot_id, mark.second_pilot_id): mark
        for mark in session.scalars(select(OverlapCoordination).options(joinedload(OverlapCoordination.coordinated_by)))
    }
    unit_ids = {overlap.shared_unit_id for overlap in overlaps if overlap.shared_unit_id is not None}
    # Asked even when no unit is shared, so a page runs the same queries whatever the portfolio holds.
    units = dict(session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    flagged = [
        FlaggedOverlap(overlap, refs[overlap.first_id], refs[overlap.second_id],
                       units.get(overlap.shared_unit_id), marks.get(overlap.pair))
        for overlap in overlaps
    ]
    return sorted(flagged, key=lambda f: (f.coordinated, f.first.code, f.second.code))


def overlaps_of(session: Session, pilot: Pilot) -> list[FlaggedOverlap]:
    """The overlaps one initiative is part of (for its page)."""
    return all_overlaps(session, involving=pilot.id)


def count_uncoordinated(session: Session) -> int:
    """How many overlapping pairs nobody has marked coordinated yet (for the overview)."""
    return sum(1 for f in all_overlaps(session) if not f.coordinated)


def mark_coordinated(session: Session, first_id: int, second_id: int, note: str, actor: User) -> OverlapCoordination:
    """Mark an overlapping pair as coordinated, with a note; the flag stays, marked.

    Refused when the pair does not overlap (now), when the note is empty, or when it is already marked.
    """
    note = note.strip()
    if not note:
        raise CoordinationError("note_required")
    pair = ordered_pair(first_id, second_id)
    if not any(f.overlap.pair == pair for f in all_overlaps(session)):
        raise CoordinationError("not_overlapping")
    mark = OverlapCoordination(first_pilot_id=pair[0], second_pilot_id=pair[1], note=note, coordinated_by_id=actor.id)
    try:
        with session.begin_nested():
            session.add(mark)
            session.flush()
    except IntegrityError as error:
        raise CoordinationError("already_coordinated") from error
    after = {"first_pilot_id": pair[0], "second_pilot_id": pair[1], "note": note}
    audit.record(session, actor, "create", "overlap_coordination", mark.id, pilot_id=pair[0], after=after)
    return mark
