"""The portfolio overview page and its exports, as the management group uses them."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
from sqlalchemy import select

from portfolio import demo
from portfolio.domain.roles import Role
from portfolio.models import Pilot
from tests import factories
from tests.conftest import login
from tests.process_scenario import fast_papers  # noqa: F401


@pytest.fixture
def seeded(db, fast_papers):
    demo.seed(db)
    db.commit()
    return db


def _manager(db):
    return db.scalars(select(demo.User).where(demo.User.email == "ledning@example.org")).one()


def test_the_management_group_lands_on_the_overview_after_signing_in(client, people):
    response = client.post("/login", data={"email": people[Role.MANAGEMENT].email, "password": factories.PASSWORD})
    assert response.headers["Location"].endswith("/")
    assert client.get("/").headers["Location"].endswith("/portfolio")
    client.post("/logout")
    login(client, people[Role.VIEWER])
    assert client.get("/").headers["Location"].endswith("/pilots")


def test_the_overview_shows_what_needs_a_decision_and_links_every_figure_to_its_pilots(client, seeded):
    login(client, _manager(seeded), demo.PASSWORD)
    html = client.get("/portfolio").get_data(as_text=True)
    laiban = seeded.scalars(select(Pilot).where(Pilot.title.startswith("Laiban"))).one()
    assert "Att hantera" in html and "Realiserad nytta som inte är hemtagen" in html
    assert f'href="/pilots/{laiban.code}/follow-up#benefits"' in html
    assert "<svg" in html and f'href="/pilots/{laiban.code}"' in html  # a bubble links to its pilot
    assert 'href="/pilots?phase=implementation"' in html  # the figure's pilots, in the pilot list


def test_a_filter_applies_to_every_figure_and_stays_in_the_links(client, seeded):
    login(client, _manager(seeded), demo.PASSWORD)
    html = client.get("/portfolio?origin=challenge_driven").get_data(as_text=True)
    challenge = seeded.scalars(select(Pilot.code).where(Pilot.origin == "challenge_driven")).all()
    others = seeded.scalars(select(Pilot.code).where(Pilot.origin != "challenge_driven")).all()
    assert all(f'/pilots/{code}"' not in html for code in others)
    assert f"{len(challenge)} piloter matchar filtren" in html
    assert 'href="/pilots?origin=challenge_driven&amp;phase=implementation"' in html
    assert 'href="/portfolio/export.xlsx?origin=challenge_driven"' in html
    # An unknown value is reported beside its filter and leaves the filter off.
    html = client.get("/portfolio?phase=nonsense").get_data(as_text=True)
    total = seeded.query(Pilot).count()
    assert f"{total} piloter i portföljen" in html and 'aria-invalid="true"' in html


def test_the_exports_have_the_pages_figures_escaped_and_are_not_cached(client, seeded):
    laiban = seeded.scalars(select(Pilot).where(Pilot.title.startswith("Laiban"))).one()
    laiban.title = "=HYPERLINK(\"http://example.org\") Laiban"
    seeded.commit()
    login(client, _manager(seeded), demo.PASSWORD)
    page = client.get("/portfolio").get_data(as_text=True)

    response = client.get("/portfolio/export.xlsx")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    pilots = list(workbook["Piloter"].iter_rows(values_only=True))
    row = next(r for r in pilots if r[0] == laiban.code)
    assert row[1].startswith("'=HYPERLINK")
    total = pilots[-1]
    assert total[0] == "Totalt"
    # The same figure as the page: NPV, full value view, in whole kronor.
    npv_full = f"{int(total[13]):,}".replace(",", "\u00a0").replace("-", "\u2212")
    assert npv_full in page

    response = client.get("/portfolio/export.csv?phase=implementation")
    assert response.headers["Cache-Control"] == "no-store" and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    codes = [r[0] for r in rows[1:-1]]
    assert laiban.code in codes and rows[-1][0] == "Totalt"
    assert next(r for r in rows if r[0] == laiban.code)[1].startswith("'=")
    assert all(re.fullmatch(r"-?\d+", r[6]) for r in rows[1:])  # whole kronor, no thousands separators


def test_the_pilots_behind_a_figure_are_the_pilot_list_filtered_the_same_way(client, seeded):
    login(client, _manager(seeded), demo.PASSWORD)
    html = client.get("/portfolio?year=2024").get_data(as_text=True)
    links = re.findall(r'href="(/pilots\?[^"]*phase=[^"]*)">(\d+)</a>', html)
    assert links
    for href, count in links:
        listed = client.get(href.replace("&amp;", "&")).get_data(as_text=True)
        assert f"{count} pilot" in listed, href
        assert "year=2024" in href


def test_each_list_shows_its_first_rows_and_its_length_and_links_to_the_whole_list(client, seeded):
    from portfolio import demo_generated
    from portfolio.services import portfolio
    from portfolio.services.portfolio import OverviewFilters
    from portfolio.web.overview import ATTENTION_LIMIT

    demo_generated.generate(seeded, 60, seed=3)
    seeded.commit()
    whole = portfolio.overview(seeded, OverviewFilters()).attention
    kind = next(kind for kind in ("follow_ups", "unharvested", "tests_past_end", "awaiting_decision")
                if len(whole[kind]) > ATTENTION_LIMIT)
    total = len(whole[kind])
    assert whole.counts[kind] == total
    login(client, _manager(seeded), demo.PASSWORD)
    html = client.get("/portfolio").get_data(as_text=True)
    link = f'href="/portfolio/attention/{kind}"'
    assert link in html and f"Visa hela listan ({total} rader)" in html
    assert f'<span class="govuk-tag' in html and f">{total}</span>" in html  # the heading counts them all
    # The page lists the first rows only; the whole list has them all, in the same order.
    first = portfolio.overview(seeded, OverviewFilters(), limit=ATTENTION_LIMIT, with_pilots=False).attention
    assert first[kind] == whole[kind][:ATTENTION_LIMIT] and first.counts[kind] == total
    full = client.get(f"/portfolio/attention/{kind}").get_data(as_text=True)
    assert "Visa hela listan" not in full
