"""The management group's meetings (DESIGN §8): agenda order, the minutes' corrections, calendar text.

Pure rules, no database: how agenda items are numbered (through the meeting, grouped under
Beslut, Information and Dialog), what changed between two versions of the minutes, a decision's
body ("Ledningsgruppen 2026-12-08, punkt 2"), and the iCalendar text of the meetings (RFC 5545:
escaped values, lines folded at 75 octets, CRLF).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class ItemKind(StrEnum):
    """What an agenda item is for; the agenda and the minutes group items in this order."""

    DECISION = "decision"  # Beslut
    INFORMATION = "information"  # Information
    DIALOGUE = "dialogue"  # Dialog


KIND_ORDER = {kind: n for n, kind in enumerate(ItemKind)}


class MeetingStatus(StrEnum):
    """Where a meeting's minutes stand."""

    PLANNED = "planned"  # the agenda and the minutes may be written
    LOCKED = "locked"  # the minutes are locked: edits are refused
    CORRECTING = "correcting"  # locked once, opened for a correction (the next lock is a new version)


class DecisionKind(StrEnum):
    """Whether a decision is taken under the board's delegation or is plain execution."""

    DELEGATION = "delegation"  # delegationsbeslut: reported to the board (KL 6 kap. 40 §, 7 kap. 8 §)
    EXECUTION = "execution"  # verkställighet


class MeetingError(ValueError):
    """A move the meeting's state forbids; `code` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def ordered(items: Iterable, kind=lambda item: item.kind, position=lambda item: item.position) -> list:
    """Items in agenda order: by kind (Beslut, Information, Dialog), then by position."""
    return sorted(items, key=lambda item: (KIND_ORDER[ItemKind(kind(item))], position(item)))


def numbers(items: Sequence) -> dict[int, int]:
    """The number of each item (by its id), counted through the meeting in agenda order."""
    return {item.id: n for n, item in enumerate(ordered(items), start=1)}


def decision_body(body: str, date: dt.date, number: int) -> str:
    """Where a decision was taken, as it is written: "Ledningsgruppen 2026-12-08, punkt 2"."""
    return f"{body} {date.isoformat()}, punkt {number}"


def check_editable(status: MeetingStatus | str) -> None:
    """Raise MeetingError unless the minutes (attendance, notes, agenda) may change."""
    if MeetingStatus(status) is MeetingStatus.LOCKED:
        raise MeetingError("locked")


# --- corrections -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One difference between two versions of the minutes: what, before and after."""

    what: str  # "attendance" or "item"
    label: str  # a person's name or the item's number and title
    before: str
    after: str


def minutes_changes(before: dict, after: dict) -> list[Change]:
    """What changed from one locked version of the minutes to the next.

    Each version is a plain snapshot: ``{"present": [names], "absent": [names],
    "items": {"<number>. <title>": "<note>"}}``.
    """
    changes: list[Change] = []
    was_present, now_present = set(before.get("present", [])), set(after.get("present", []))
    for name in sorted(was_present ^ now_present):
        changes.append(Change("attendance", name, "present" if name in was_present else "absent",
                              "present" if name in now_present else "absent"))
    old_items, new_items = before.get("items", {}), after.get("items", {})
    for label in [*old_items, *(key for key in new_items if key not in old_items)]:
        old, new = old_items.get(label, ""), new_items.get(label, "")
        if old != new:
            changes.append(Change("item", label, old, new))
    return changes


# --- iCalendar (RFC 5545) ----------------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """A TEXT value escaped as RFC 5545 §3.3.11 says: backslash, semicolon, comma, newline."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def ics_fold(line: str) -> str:
    """A content line folded so that no line exceeds 75 octets (RFC 5545 §3.1), never inside a character."""
    out, current = [], b""
    limit = 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            out.append(current.decode("utf-8"))
            current = b" "  # a continuation line starts with one space, which counts
            limit = 75
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


@dataclass(frozen=True)
class CalendarEvent:
    """A meeting as the calendar feed shows it; times in UTC (no VTIMEZONE needed)."""

    uid: str
    start: dt.datetime
    end: dt.datetime
    summary: str
    location: str
    description: str
    url: str
    stamp: dt.datetime  # UTC


def ics_calendar(events: Iterable[CalendarEvent], *, name: str) -> str:
    """An iCalendar text of `events` (VCALENDAR with one VEVENT each), CRLF line endings."""

    def utc(value: dt.datetime) -> str:
        return value.strftime("%Y%m%dT%H%M%SZ")

    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Innovationsportfoljen//Moten//SV", "CALSCALE:GREGORIAN",
             "METHOD:PUBLISH", f"X-WR-CALNAME:{ics_escape(name)}"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{utc(event.stamp)}",
            f"DTSTART:{utc(event.start)}",
            f"DTEND:{utc(event.end)}",
            f"SUMMARY:{ics_escape(event.summary)}",
            f"LOCATION:{ics_escape(event.location)}",
            f"DESCRIPTION:{ics_escape(event.description)}",
            f"URL:{event.url}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


# --- the year wheel ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WheelSegment:
    """One month of the year wheel: the ring segment's SVG path and where its label goes."""

    month: int
    path: str
    label_x: float
    label_y: float


def wheel_segments(*, centre: float = 160, outer: float = 150, inner: float = 70) -> list[WheelSegment]:
    """Twelve ring segments, January at the top, clockwise (SVG coordinates, y down)."""
    import math

    def point(radius: float, angle: float) -> tuple[float, float]:
        return (round(centre + radius * math.sin(angle), 2), round(centre - radius * math.cos(angle), 2))

    segments = []
    for month in range(1, 13):
        a0, a1 = math.radians((month - 1) * 30 + 0.8), math.radians(month * 30 - 0.8)
        (x0, y0), (x1, y1) = point(outer, a0), point(outer, a1)
        (x2, y2), (x3, y3) = point(inner, a1), point(inner, a0)
        path = (f"M {x0} {y0} A {outer} {outer} 0 0 1 {x1} {y1} L {x2} {y2} "
                f"A {inner} {inner} 0 0 0 {x3} {y3} Z")
        lx, ly = point((outer + inner) / 2, (a0 + a1) / 2)
        segments.append(WheelSegment(month, path, lx, ly))
    return segments
