"""Meeting rules: numbering through the meeting by kind, a decision's body, corrections, calendar text."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from portfolio.domain.meetings import (
    CalendarEvent,
    Change,
    ItemKind,
    MeetingError,
    check_editable,
    decision_body,
    ics_calendar,
    ics_escape,
    ics_fold,
    minutes_changes,
    numbers,
    wheel_segments,
)


def test_items_are_numbered_through_the_meeting_beslut_then_information_then_dialog():
    items = [SimpleNamespace(id=1, kind=ItemKind.DIALOGUE, position=1),
             SimpleNamespace(id=2, kind=ItemKind.INFORMATION, position=2),
             SimpleNamespace(id=3, kind=ItemKind.DECISION, position=3),
             SimpleNamespace(id=4, kind=ItemKind.DECISION, position=0)]
    assert numbers(items) == {4: 1, 3: 2, 2: 3, 1: 4}
    assert decision_body("Ledningsgruppen", dt.date(2026, 12, 8), 2) == "Ledningsgruppen 2026-12-08, punkt 2"


def test_locked_minutes_are_not_editable_but_minutes_being_corrected_are():
    check_editable("planned")
    check_editable("correcting")
    with pytest.raises(MeetingError):
        check_editable("locked")


def test_a_correction_lists_attendance_and_notes_that_changed():
    before = {"present": ["Anna", "Bertil"], "absent": ["David"], "items": {"1. Laiban": "Beslut.", "2. Dialog": ""}}
    after = {"present": ["Anna", "Bertil", "David"], "absent": [], "items": {"1. Laiban": "Beslut.",
                                                                              "2. Dialog": "Sammanställs."}}
    assert minutes_changes(before, after) == [Change("attendance", "David", "absent", "present"),
                                              Change("item", "2. Dialog", "", "Sammanställs.")]
    assert minutes_changes(after, after) == []


def test_calendar_text_is_escaped_and_folded_at_75_octets_without_splitting_a_character():
    assert ics_escape("Jupiter, plan 3; rum\\A\nB") == "Jupiter\\, plan 3\\; rum\\\\A\\nB"
    line = "SUMMARY:" + "Ledningsgruppen åäö " * 10
    folded = ics_fold(line)
    parts = folded.split("\r\n")
    assert all(len(part.encode("utf-8")) <= 75 for part in parts)
    assert all(part.startswith(" ") for part in parts[1:])
    assert "".join(part[1:] if n else part for n, part in enumerate(parts)) == line
    event = CalendarEvent("m-1@x", dt.datetime(2026, 12, 8, 12), dt.datetime(2026, 12, 8, 15), "Ledningsgruppen",
                          "Jupiter", "", "https://x/meetings/1", dt.datetime(2026, 12, 1, 9))
    text = ics_calendar([event], name="Skol- och fritidsförvaltningen")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "DTSTART:20261208T120000Z\r\n" in text and "DTSTAMP:20261201T090000Z\r\n" in text


def test_the_wheel_has_twelve_segments_january_at_the_top():
    segments = wheel_segments()
    assert [s.month for s in segments] == list(range(1, 13))
    january, july = segments[0], segments[6]
    assert january.label_y < 160 < july.label_y and january.label_x > 160 > july.label_x
