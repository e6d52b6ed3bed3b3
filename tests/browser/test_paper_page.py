"""The decision paper's own page in Chromium: generate from it, see the version, download it; axe-core
checks the page before and after."""

from __future__ import annotations

import pytest

from portfolio.domain.roles import Role
from tests import factories

from .pages import assert_accessible, log_in, visit

pytestmark = pytest.mark.browser


def test_the_leader_generates_and_downloads_a_paper_from_the_papers_page(page, db, people):
    leader = people[Role.INNOVATION_LEADER]
    pilot = factories.make_pilot(db, leader=leader, title="Digital närvaro")
    db.commit()
    log_in(page, leader)
    visit(page, f"/pilots/{pilot.code}/papers")
    page.get_by_role("button", name="Skapa beslutsunderlag (PDF)").click()
    page.wait_for_url(f"**/pilots/{pilot.code}/papers")
    assert_accessible(page, "the papers page after generating")
    assert page.get_by_text("Beslutsunderlaget version 1 är skapat.").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ned version 1 (PDF").click()
    assert download.value.suggested_filename == f"{pilot.code}-beslutsunderlag-v1.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
