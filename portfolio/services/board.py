"""What goes to the board and into the calendar: the report of delegation decisions (anmälan av
delegationsbeslut, kommunallagen 6 kap. 40 §, 7 kap. 8 §), the year wheel (årshjul) and the
meetings' calendar feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.meetings import CalendarEvent, DecisionKind, ics_calendar
from portfolio.models import Decision, Meeting, Pilot, User, utcnow
from portfolio.papers.documents import render_document

from . import audit, follow_up
from .settings import get_settings


# ------------------------------------------------------------------------------------------------
# Delegation decisions reported to the board
# ------------------------------------------------------------------------------------------------


def delegation_decisions(session: Session, start: dt.date, end: dt.date) -> list[Decision]:
    """Exactly the decisions taken under delegation from `start` to `end` (both included), by date."""
    return list(session.scalars(
        select(Decision).where(Decision.kind == DecisionKind.DELEGATION, Decision.decided_on >= start,
                               Decision.decided_on <= end)
        .options(joinedload(Decision.pilot), joinedload(Decision.reported_by))
        .order_by(Decision.decided_on, Decision.id)
    ))


def mark_reported(session: Session, start: dt.date, end: dt.date, actor: User) -> int:
    """Record that the period's delegation decisions were reported to the board (those not already)."""
    now = utcnow()
    count = 0
    for decision in delegation_decisions(session, start, end):
        if decision.reported_at is not None:
            continue
        decision.reported_at, decision.reported_by_id = now, actor.id
        session.flush()
        audit.record(session, actor, "report_to_board", "decision", decision.id, pilot_id=decision.pilot_id,
                     before={"reported_at": None}, after={"reported_at": now})
        count += 1
    return count


def _row(decision: Decision) -> dict:
    return dict(
        decided_on=decision.decided_on, case_number=decision.case_number, text=decision.decision_text,
        pilot=f"{decision.pilot.code} {decision.pilot.title}", maker=decision.decision_maker,
        delegation=decision.delegation_reference, body=decision.body, reported_at=decision.reported_at,
    )


def report_pdf(session: Session, start: dt.date, end: dt.date, language: str) -> bytes:
    """The report as PDF/A: one row per delegation decision of the period."""
    rows = [_row(d) for d in delegation_decisions(session, start, end)]
    return render_document("meetings/pdf_delegation.html", language, rows=rows, start=start, end=end,
                           organisation=get_settings(session).organisation_name)


def _cell(value) -> str:
    """A CSV cell a spreadsheet never runs as a formula."""
    text = "" if value is None else value.isoformat() if isinstance(value, dt.date) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def report_csv(session: Session, start: dt.date, end: dt.date, headings: list[str]) -> str:
    """The report as CSV (semicolons, as Swedish spreadsheets read it)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headings)
    for decision in delegation_decisions(session, start, end):
        row = _row(decision)
        writer.writerow([_cell(row[key]) for key in ("decided_on", "case_number", "text", "pilot", "maker",
                                                     "delegation", "body")]
                        + [_cell(row["reported_at"].date() if row["reported_at"] else "")])
    return out.getvalue()


# ------------------------------------------------------------------------------------------------
# The year wheel
# ------------------------------------------------------------------------------------------------


@dataclass
class Month:
    number: int
    meetings: list[Meeting] = field(default_factory=list)
    follow_ups: list[tuple[dt.date, str]] = field(default_factory=list)  # (due, what)
    papers: list[tuple[dt.date, str]] = field(default_factory=list)  # (expected, pilot)

    @property
    def count(self) -> int:
        return len(self.meetings) + len(self.follow_ups) + len(self.papers)


def year_wheel(session: Session, year: int) -> list[Month]:
    """Month by month: the meetings, the follow-ups due and the decision papers expected."""
    months = [Month(n) for n in range(1, 13)]
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    for meeting in session.scalars(select(Meeting).where(Meeting.date >= first, Meeting.date <= last)
                                   .order_by(Meeting.date, Meeting.start_time)):
        months[meeting.date.month - 1].meetings.append(meeting)
    for due, what in _follow_ups_due(session, first, last):
        months[due.month - 1].follow_ups.append((due, what))
    # A paper is expected when a pilot's test ends (from then on the scale-up process works towards it),
    # or, in the process, by the test end date or today; pilots already at step 3 wait for the meeting.
    for pilot in session.scalars(select(Pilot).where(Pilot.phase.in_([Phase.TEST, Phase.SCALE_UP]))
                                 .order_by(Pilot.code)):
        if pilot.phase == Phase.SCALE_UP and int(pilot.step) >= Step.DECISION_BASIS_READY:
            continue
        expected = pilot.test_end
        if expected is not None and first <= expected <= last:
            months[expected.month - 1].papers.append((expected, f"{pilot.code} {pilot.title}"))
    return months


def _follow_ups_due(session: Session, first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Follow-ups not yet done that fall due in the period (from the follow-up of scaled-up pilots)."""
    return [(row.due_on, f"{row.pilot_code} {row.pilot_title}")
            for row in follow_up.due_follow_ups(session, before=last + dt.timedelta(days=1)) if row.due_on >= first]


# ------------------------------------------------------------------------------------------------
# The calendar feed
# ------------------------------------------------------------------------------------------------


def calendar(session: Session, url_for_meeting) -> str:
    """Every meeting as an iCalendar feed (times converted from local time to UTC)."""
    zone = ZoneInfo(current_app.config["BABEL_DEFAULT_TIMEZONE"])
    events = []
    for meeting in session.scalars(select(Meeting).order_by(Meeting.date, Meeting.start_time)):
        def utc(time: dt.time) -> dt.datetime:
            local = dt.datetime.combine(meeting.date, time, tzinfo=zone)
            return local.astimezone(dt.UTC).replace(tzinfo=None)

        url = url_for_meeting(meeting)
        events.append(CalendarEvent(
            uid=f"meeting-{meeting.id}@innovationsportfoljen", start=utc(meeting.start_time),
            end=utc(meeting.end_time), summary=meeting.title, location=meeting.place,
            description=url, url=url, stamp=meeting.updated_at or meeting.created_at,
        ))
    return ics_calendar(events, name=get_settings(session).organisation_name)
