"""A management group meeting arranged for tests: the people, pilots ready for a decision, papers as
small real PDFs (so the pack can be put together without rendering a paper a second each)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from portfolio.domain.roles import Role
from portfolio.services import meetings, papers
from tests import factories
from tests.process_scenario import pilot_in_scale_up, take_steps


def blank_pdf(pages: int, marker: str = "") -> bytes:
    """A real PDF of `pages` blank A4 pages (what a stand-in paper needs to be merged into a pack)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.fixture
def paper_pages(monkeypatch):
    """Papers stored without rendering, as real PDFs: the n-th paper generated in a test has n + 1 pages."""
    counter = {"n": 0}

    def fake(context):
        counter["n"] += 1
        return blank_pdf(counter["n"] + 1, context.fingerprint)

    monkeypatch.setattr(papers, "render_pdf", fake)
    return counter


@pytest.fixture
def board(db):
    """The management group: two members, a secretary (an innovation leader) and an absent member."""
    people = {
        "anna": factories.make_user(db, roles=[Role.MANAGEMENT], name="Anna Andersson"),
        "bertil": factories.make_user(db, roles=[Role.MANAGEMENT], name="Bertil Berg"),
        "cecilia": factories.make_user(db, roles=[Role.INNOVATION_LEADER], name="Cecilia Ceder"),
        "david": factories.make_user(db, roles=[Role.FINANCE], name="David Dahl"),
    }
    db.flush()
    return people


def ready_pilot(db, leader, title: str):
    """A pilot with step 3 complete and its final paper current: a Beslut suggestion."""
    pilot = pilot_in_scale_up(db, leader)
    pilot.title = title
    db.flush()
    take_steps(db, pilot, leader, to=3)
    return pilot


def meeting_of(db, board):
    return factories.make_meeting(db, secretary=board["cecilia"],
                                  participants=[board["anna"], board["bertil"], board["david"]])


def reload(db, meeting):
    db.flush()
    db.expire_all()
    return meetings.get_meeting(db, meeting.id)
