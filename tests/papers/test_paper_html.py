"""What the paper says in its HTML (before WeasyPrint): draft or final, the decision filled in.

Rendering the HTML alone takes milliseconds, so the paper's wording is tested here and the PDF
itself only in test_paper_pdf.
"""

from __future__ import annotations

import datetime as dt
import re

from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.process import DecisionOutcome
from portfolio.domain.roles import Role
from portfolio.models import Decision
from portfolio.papers import render_html
from portfolio.services import papers
from tests import factories
from tests.economics_scenario import laiban
from tests.web.test_economics import page_of, read


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_paper_is_a_draft_until_step_3_is_complete(db):
    pilot = factories.make_pilot(db, phase=Phase.SCALE_UP, step=Step.RESULTS_SUMMARISED)
    draft = papers.build_context(db, pilot, number=1, language="sv")
    assert draft.is_draft and "UTKAST" in _text(render_html(draft))

    pilot.step = Step.DECISION_BASIS_READY
    db.flush()
    final = papers.build_context(db, pilot, number=2, language="sv")
    assert not final.is_draft and "UTKAST" not in _text(render_html(final))
    # Completing step 3 changes what the paper is, so the draft is out of date: decide on a final one.
    assert final.fingerprint != draft.fingerprint


def test_the_archived_copy_has_the_decision_filled_in(db):
    pilot = factories.make_pilot(db, title="Laiban", phase=Phase.SCALE_UP, step=Step.DECISION_BASIS_READY)
    blank = _text(render_html(papers.build_context(db, pilot, number=1, language="sv")))
    assert "Fylls i när beslutet fattas Beslutsfattare Datum Diarienummer" in blank
    assert "Diarienummer fylls i vid beslutet" in blank

    decision = Decision(
        outcome=DecisionOutcome.SCALE_UP, decision_text="Förvaltningschefen beslutar att Laiban införs.",
        decision_maker="Anna Andersson, förvaltningschef", presenter="Ida Innovationsledare",
        body="Ledningsgruppen 2026-12-08, punkt 1", decided_on=dt.date(2026, 12, 8), case_number="SFF 2026/123",
        delegation_reference="Delegationsordningen 1.4", conditions="Uppföljning efter ett år.",
    )
    archived = papers.build_context(db, pilot, number=2, language="sv", decision=decision)
    text = _text(render_html(archived))
    assert "Diarienummer SFF 2026/123" in text  # the header
    assert "Beslut 2026-12-08: Förvaltningschefen beslutar att Laiban införs." in text  # page 1
    step4 = text[text.index("Steg 4: Beslut"):]
    for expected in ("Utfall Skala upp", "Beslutsfattare Anna Andersson, förvaltningschef",
                     "Föredragande Ida Innovationsledare", "Organ eller möte Ledningsgruppen 2026-12-08, punkt 1",
                     "Datum 2026-12-08", "Diarienummer SFF 2026/123", "Delegation Delegationsordningen 1.4",
                     "Villkor Uppföljning efter ett år."):
        assert expected in step4, expected
    assert "Förslag till beslut" not in step4
    assert archived.fingerprint == papers.fingerprint(db, pilot)  # the decision is not data the paper is made of


def test_the_paper_shows_the_sensitivity_table_of_the_economics_page(client, db, login_as):
    """One table, drawn by one macro: the same cases, factors and present values on the page and in the
    paper the decision is taken on."""
    scenario = laiban(db)
    db.commit()
    login_as(Role.MANAGEMENT)
    on_page = read(page_of(client, scenario.pilot)).tables["sensitivity"]
    with client.application.test_request_context():
        in_paper = read(render_html(papers.build_context(db, scenario.pilot, number=1, language="sv")))
    assert in_paper.tables["sensitivity"] == on_page
    assert on_page[0] == ["Fall", "Nytta", "Kostnader", "Nuvärde, kassaflödesvy", "Nuvärde, fullt värde"]
    assert [row[0] for row in on_page[1:]] == ["Låg", "Förväntad", "Hög"]
    assert all(row[3].endswith("kr") and row[4].endswith("kr") for row in on_page[1:])
