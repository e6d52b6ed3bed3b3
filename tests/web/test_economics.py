"""The effect-harvesting page (Effekthemtagning) as a reader sees it, and its agreement with the API."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser

import pytest

from portfolio.domain.economics import BenefitClass, Direction
from portfolio.domain.roles import Role
from portfolio.i18n import money, number, percent

from tests.conftest import count_queries
from tests.economics_scenario import laiban
from tests.factories import make_cost, make_effect_goal, make_indicator, make_measurement, make_pilot

D = Decimal
_SPACE = re.compile(r"[ \t\r\n]+")  # not str.split(): that would also eat the no-break spaces


def squash(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


@pytest.fixture
def sv(app):
    """Swedish formatting outside a request, to write the expected text of the page."""
    with app.test_request_context():
        yield


class PageReader(HTMLParser):
    """Collects the text of table rows (by table id) and of elements marked `data-figure`."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.figures: dict[str, list[str]] = {}
        self._table: str | None = None
        self._cell: list[str] | None = None
        self._figure: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id"):
            self._table = attrs["id"]
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self.tables[self._table].append([])
        elif tag in ("td", "th") and self._table:
            self._cell = []
        if "data-figure" in attrs:
            self._figure = (attrs["data-figure"], [])

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._table and self._cell is not None:
            self.tables[self._table][-1].append(squash("".join(self._cell)))
            self._cell = None
        elif tag == "table":
            self._table = None
        if self._figure and tag in ("td", "span"):
            name, parts = self._figure
            self.figures.setdefault(name, []).append(squash("".join(parts)))
            self._figure = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)
        if self._figure is not None:
            self._figure[1].append(data)


def read(html: str) -> PageReader:
    reader = PageReader()
    reader.feed(html)
    return reader


def page_of(client, pilot):
    response = client.get(f"/pilots/{pilot.code}/economics")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def kr(value: str | None) -> str:
    """How the page writes an amount the API gives to the öre."""
    return money(D(value)) if value is not None else ""


def test_page_shows_each_goal_with_baseline_target_latest_and_realisation(client, db, login_as, sv):
    scenario = laiban(db)
    login_as(Role.VIEWER)
    html = page_of(client, scenario.pilot)
    assert '<h1 class="govuk-heading-l">Nyttokalkyl: Laiban i förskolan</h1>' in html
    assert "Färre minuter på rutinfrågor i tamburen" in html and "Nöjdare pedagoger" in html
    row = re.search(r"Minuter per dag på rutinfrågor.*?</tr>", html, re.S).group(0)
    cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">(.*?)</td>', row, re.S)
    assert cells[0] == "60" and cells[1] == "40"
    assert cells[2].startswith("44") and "2026-06-01" in cells[2]
    assert cells[3].strip() == percent(D("0.8"))
    assert "Saknar målvärde" in html  # the incomplete indicator is listed, not valued
    assert "Inte mätt än" in html


def test_page_and_api_show_the_same_figures(client, db, login_as, sv):
    scenario = laiban(db)
    login_as(Role.MANAGEMENT)
    data = client.get(f"/api/v1/pilots/{scenario.pilot.code}/economics").get_json()
    page = read(page_of(client, scenario.pilot))
    views = data["views"]
    assert page.figures["npv"] == [kr(views["cash"]["npv"]), kr(views["full"]["npv"])]
    assert page.figures["payback"] == ["ingen inom horisonten", "2028"]
    assert page.figures["bcr"] == [number(D(views[v]["bcr"]), 2) for v in ("cash", "full")]
    assert page.figures["spent-to-date"] == [kr(data["spent_to_date"])] == ["25\u00a0000\u00a0kr"]
    for benefit_class in ("financial", "reallocation"):
        assert page.figures[f"annual-{benefit_class}"] == [
            kr(data["benefits_by_class"][benefit_class]["annual_value"])]
    for name in ("cash", "full"):
        rows = page.tables[f"years-{name}"]
        body = rows[1:-1]  # between the header row and the total row
        assert [row[:5] for row in body] == [
            [str(y["year"]), kr(y["costs"]), kr(y["benefits"]), kr(y["net"]), kr(y["cumulative_net"])]
            for y in views[name]["years"]
        ]
        assert rows[-1][-1] == kr(views[name]["npv"])
    for case in ("low", "expected", "high"):
        for view in ("cash", "full"):
            assert page.figures[f"sensitivity-{case}-{view}"] == [kr(data["sensitivity"][case]["npv"][view])]


def test_estimates_are_marked_and_explained(client, db, login_as):
    scenario = laiban(db)
    login_as(Role.VIEWER)
    html = page_of(client, scenario.pilot)
    assert 'id="estimate-note"' in html
    row = re.search(r'<th scope="row" class="govuk-table__header">Licenser i det gamla systemet.*?</tr>', html.split("Värderad nytta")[1], re.S)
    assert "Uppskattning" in row.group(0)
    measured = re.search(r'<th scope="row" class="govuk-table__header">Minuter per dag.*?</tr>', html.split("Värderad nytta")[1], re.S)
    assert "Uppskattning" not in measured.group(0)


def test_when_everything_is_measured_nothing_is_called_an_estimate(client, db, login_as):
    pilot = make_pilot(db)
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal, benefit_class=BenefitClass.FINANCIAL, value_per_unit=D(10),
                               annual_volume=D(100))
    make_measurement(db, indicator, value="50")
    make_cost(db, pilot, amount="1000")
    db.commit()
    login_as(Role.VIEWER)
    html = page_of(client, pilot)
    assert "Uppskattning" not in html


def test_unvalued_effects_are_listed_beside_the_money(client, db, login_as, sv):
    scenario = laiban(db)
    login_as(Role.VIEWER)
    html = page_of(client, scenario.pilot)
    section = html.split('id="unvalued-heading"')[1].split("</section>")[0]
    assert "Nöjdhet bland pedagoger" in section and percent(D("0.5") / D("0.9")) in section
    assert "Andel barn som använder Laiban" in section


def test_a_dis_benefit_counts_against_the_benefits_and_shows_below_zero(client, db, login_as):
    pilot = make_pilot(db)
    goal = make_effect_goal(db, pilot)
    # More time spent, not less: the improvement is negative and so is its value.
    worse = make_indicator(db, goal, name="Minuter på inloggning", direction=Direction.LOWER_IS_BETTER,
                           baseline_value=D(10), target_value=D(5), value_per_unit=D(5), annual_volume=D(100),
                           benefit_class=BenefitClass.FINANCIAL)
    make_measurement(db, worse, value="12")
    make_cost(db, pilot, amount="500")
    db.commit()
    login_as(Role.VIEWER)
    page = read(page_of(client, pilot))
    assert page.tables["years-cash"][1][:4] == ["2027", "500\u00a0kr", "\u22121\u00a0000\u00a0kr", "\u22121\u00a0500\u00a0kr"]
    assert page.figures["payback"] == ["ingen inom horisonten", "ingen inom horisonten"]


def test_the_chart_is_an_accessible_svg_without_style_attributes(client, db, login_as):
    scenario = laiban(db)
    login_as(Role.VIEWER)
    html = page_of(client, scenario.pilot)
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert 'aria-labelledby="costs-benefits-chart-title costs-benefits-chart-desc"' in svg
    assert svg.count("<rect ") >= 3 * 5  # a bar per series and year (none of them zero here)
    assert "2027, Kostnader: 116\u00a0001\u00a0kr" in svg
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_bcr_without_costs_is_a_dash(client, db, login_as):
    pilot = make_pilot(db)
    goal = make_effect_goal(db, pilot)
    make_indicator(db, goal, benefit_class=BenefitClass.REALLOCATION, value_per_unit=D(1), annual_volume=D(10))
    db.commit()
    login_as(Role.VIEWER)
    page = read(page_of(client, pilot))
    assert [value.startswith("–") for value in page.figures["bcr"]] == [True, True]


def test_parameters_are_shown_and_finance_gets_a_link_to_change_them(client, db, login_as, sv):
    scenario = laiban(db)
    login_as(Role.FINANCE)
    html = page_of(client, scenario.pilot)
    section = html.split('id="parameters-heading"')[1].split("</section>")[0]
    assert '<dd class="govuk-summary-list__value">2027</dd>' in section and "5 år (2027–2031)" in section and percent(D("0.03"), 1) in section
    assert f"2027: {percent(D('0.5'))}" in section and f"2028: {percent(D(1))}" in section
    assert f'href="/pilots/{scenario.pilot.code}/costs"' in section
    assert "Ändra kostnader, värdering och kalkylförutsättningar" in section
    login_as(Role.VIEWER)
    assert "Ändra kostnader" not in page_of(client, scenario.pilot)


def test_finance_sign_off_status_is_shown(client, db, login_as, people):
    scenario = laiban(db)
    login_as(Role.VIEWER)
    assert "Ekonomi har inte granskat kalkylen ännu" in page_of(client, scenario.pilot)
    scenario.pilot.finance_signed_off_by = people[Role.FINANCE]
    scenario.pilot.finance_signed_off_at = dt.datetime(2026, 11, 2, 9, 30)
    db.commit()
    html = page_of(client, scenario.pilot)
    assert "Ekonomi granskad" in html and people[Role.FINANCE].name in html


def test_a_pilot_with_no_data_gets_a_sensible_page(client, db, login_as):
    pilot = make_pilot(db)
    db.commit()
    login_as(Role.VIEWER)
    html = page_of(client, pilot)
    assert "Piloten har inga effektmål ännu." in html
    assert "Det finns ännu inget att räkna på" in html
    assert "<svg" not in html and "Återbetalningsår" not in html
    assert "Kalkylförutsättningar" in html


def test_unknown_pilot_is_not_found(client, people, login_as):
    login_as(Role.VIEWER)
    assert client.get("/pilots/INN-1999-999/economics").status_code == 404


def test_the_page_runs_a_fixed_number_of_queries(app, client, db, login_as):
    small = laiban(db).pilot
    large = laiban(db, extra_goals=8).pilot
    login_as(Role.FINANCE)
    counts = []
    for page in (f"/pilots/{small.code}/economics", f"/pilots/{large.code}/economics"):
        with count_queries(app) as statements:
            assert client.get(page).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
