"""Beyond the single pilot (DESIGN §9): challenges, the two kinds of initiative, and overlaps.

Pure rules over plain values: no database, no web.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations


class InitiativeKind(StrEnum):
    """Innovation and digitalisation live in one register (DESIGN §9)."""

    INNOVATION = "innovation"  # an innovation pilot: goes through the four scale-up steps
    DIGITALISATION = "digitalisation"  # same record, goals and costs, but no scale-up steps


def has_scale_up_steps(kind: InitiativeKind | str) -> bool:
    """Whether an initiative of this kind goes through the four-step scale-up process."""
    return InitiativeKind(kind) is InitiativeKind.INNOVATION


class ChallengeStatus(StrEnum):
    """Where a need or challenge stands."""

    OPEN = "open"  # idébärare saknas: nobody has taken it yet
    TAKEN = "taken"  # an innovation leader has taken it
    PILOT_STARTED = "pilot_started"  # a pilot answers it
    CLOSED = "closed"  # closed with a reason


class ChallengeError(ValueError):
    """A move of a challenge the rules refuse; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def check_take(status: ChallengeStatus | str) -> None:
    """Only a challenge still without an idea-bearer can be taken."""
    if ChallengeStatus(status) is not ChallengeStatus.OPEN:
        raise ChallengeError("not_open")


def check_start_pilot(status: ChallengeStatus | str) -> None:
    """A pilot is started from an open or taken challenge, once."""
    if ChallengeStatus(status) not in (ChallengeStatus.OPEN, ChallengeStatus.TAKEN):
        raise ChallengeError("not_startable")


def check_close(status: ChallengeStatus | str, reason: str) -> None:
    """An open or taken challenge is closed with a reason; one answered by a pilot stays answered."""
    if ChallengeStatus(status) not in (ChallengeStatus.OPEN, ChallengeStatus.TAKEN):
        raise ChallengeError("not_closable")
    if not reason.strip():
        raise ChallengeError("reason_required")


# ------------------------------------------------------------------------------------------------
# Overlaps
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InitiativeRow:
    """What the overlap rule needs about one initiative (one plain row, no lazy loading)."""

    id: int
    kind: InitiativeKind
    start: dt.date | None
    end: dt.date | None
    unit_id: int | None = None
    goal_ids: frozenset[int] = frozenset()
    target_groups: frozenset[str] = frozenset()  # normalised, see `target_group_set`
    active: bool = True  # closed and parked initiatives compete for nothing


@dataclass(frozen=True)
class Overlap:
    """Two initiatives that share something and overlap in time; `first.id < second.id`."""

    first_id: int
    second_id: int
    shared_target_groups: tuple[str, ...]
    shared_unit_id: int | None
    shared_goal_ids: tuple[int, ...]
    mixed_kinds: bool  # an innovation pilot beside a digitalisation initiative

    @property
    def pair(self) -> tuple[int, int]:
        return (self.first_id, self.second_id)


def target_group_set(text: str) -> frozenset[str]:
    """Target groups written as free text ("Förskollärare, vårdnadshavare") as a comparable set.

    Separated by commas, semicolons or new lines; compared without case or surrounding space.
    """
    parts = text.replace(";", ",").replace("\n", ",").split(",")
    return frozenset(part.strip().casefold() for part in parts if part.strip())


def _in_time_together(a: InitiativeRow, b: InitiativeRow) -> bool:
    # An initiative without a start has not begun; without an end it runs on.
    if a.start is None or b.start is None:
        return False
    a_end = a.end or dt.date.max
    b_end = b.end or dt.date.max
    return a.start <= b_end and b.start <= a_end


def find_overlaps(rows: Iterable[InitiativeRow], *, involving: int | None = None) -> list[Overlap]:
    """Every pair of active initiatives that share a target group, a unit or a strategic goal and
    overlap in time, in one pass over the rows (only the pairs with `involving`, when given).

    Candidate pairs come from an index of what each row has (so initiatives sharing nothing are
    never compared); each candidate is then checked for time. Ordered by the pair's ids.
    """
    rows = [row for row in rows if row.active and row.start is not None]
    by_id = {row.id: row for row in rows}
    index: dict[tuple[str, object], list[int]] = defaultdict(list)
    for row in rows:
        for group in row.target_groups:
            index[("group", group)].append(row.id)
        if row.unit_id is not None:
            index[("unit", row.unit_id)].append(row.id)
        for goal_id in row.goal_ids:
            index[("goal", goal_id)].append(row.id)
    candidates: set[tuple[int, int]] = set()
    for ids in index.values():
        if involving is None:
            candidates.update(combinations(sorted(ids), 2))
        elif involving in ids:
            candidates.update(ordered_pair(involving, other) for other in ids if other != involving)
    overlaps = []
    for first_id, second_id in sorted(candidates):
        a, b = by_id[first_id], by_id[second_id]
        if not _in_time_together(a, b):
            continue
        overlaps.append(Overlap(
            first_id=first_id,
            second_id=second_id,
            shared_target_groups=tuple(sorted(a.target_groups & b.target_groups)),
            shared_unit_id=a.unit_id if a.unit_id is not None and a.unit_id == b.unit_id else None,
            shared_goal_ids=tuple(sorted(a.goal_ids & b.goal_ids)),
            mixed_kinds=a.kind != b.kind,
        ))
    return overlaps


def ordered_pair(a: int, b: int) -> tuple[int, int]:
    """A pair of initiative ids in the order overlaps and coordination marks store them."""
    return (a, b) if a < b else (b, a)
