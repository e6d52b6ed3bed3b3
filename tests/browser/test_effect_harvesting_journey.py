"""The effect-harvesting tool in a real browser, with axe-core on every page on the way.

One pilot, three people: the innovation leader sets an effect goal, an indicator and test
measurements; finance adds costs (by hand and from a Swedish Excel CSV), values the indicator,
sets parameters and signs off; the economics page then shows the same figures as the JSON API.
Each person is refused the other's forms, and a viewer sees everything but can change nothing.
"""

from __future__ import annotations

import io
import re
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from playwright.sync_api import expect

from portfolio.domain.economics import CostCategory
from portfolio.domain.roles import Role
from tests import factories

from .pages import assert_accessible, fill_date, log_in, visit

pytestmark = pytest.mark.browser

GOAL = "Färre minuter på rutinfrågor i förskolans hall"
INDICATOR = "Minuter per dag på rutinfrågor"
REFUSED = "Du har inte behörighet att göra detta."

# Swedish Excel's "CSV (semikolonavgränsad)": Windows-1252, ";" and a decimal comma; Excel groups
# thousands with a no-break space.
CSV_ROWS = (
    "Kategori;Typ;Fas;Första år;Sista år;Belopp (kr exkl. moms);Notering\r\n"
    "Hårdvara;Engångskostnad;Införande;2027;;12\u00a0500,00;Surfplattor till hallen\r\n"
    "Stöd och förvaltning;Återkommande per år;Drift;2028;2031;3\u00a0000,50;Support från leverantören\r\n"
)

# Words that only appear on buttons and links that change something.
EDIT_WORDS = re.compile(r"Lägg till|Ändra|Ta bort|Värdera|Importera|Markera|Granska igen|Ta tillbaka")


def kronor(text: str) -> int:
    """A whole-krona amount as the pages show it (`−1 234 567 kr`, no-break spaces) as an int."""
    cleaned = text.replace("kr", "").replace("\u2212", "-")
    return int(re.sub(r"[\s\u00a0\u202f]", "", cleaned))


def whole_kronor(api_amount: str) -> int:
    """An API amount ("1234.50") rounded to whole kronor as people round money."""
    return int(Decimal(api_amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def expect_refused(page, path: str) -> None:
    """Opening `path` gives the 403 page, which is accessible too."""
    response = page.goto(path)
    assert response is not None and response.status == 403, f"{path} answered {response.status if response else '-'}"
    expect(page.get_by_role("heading", level=1)).to_have_text(REFUSED)
    assert_accessible(page, f"the 403 page for {path}")


def submit(page, button: str, *, status: int = 200, where: str) -> None:
    """Press a submit button, wait for the page it leads to (after any redirect), check its
    status (422 for a form shown again with errors) and its accessibility."""
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    assert navigation.value is not None and navigation.value.status == status, (where, navigation.value)
    assert_accessible(page, where)


def fact(scope, term: str):
    """The <dd> that follows the first <dt> `term` in `scope` (a page or a section of it)."""
    term_element = scope.locator("dt", has_text=re.compile(rf"^{re.escape(term)}( \(.*\))?$")).first
    return term_element.locator("xpath=following-sibling::dd[1]")


def test_leader_and_finance_harvest_the_effects_of_a_pilot(new_page, db, people, tmp_path):
    leader, finance, viewer = people[Role.INNOVATION_LEADER], people[Role.FINANCE], people[Role.VIEWER]
    pilot = factories.make_pilot(db, leader=leader, title="Digital hämtlista i förskolan")
    db.commit()
    code = pilot.code

    _leader_sets_goal_indicator_and_measurements(new_page(), leader, code)
    finance_page = new_page()
    _finance_enters_costs_and_valuation(finance_page, finance, code, tmp_path)
    _finance_reads_the_economics(finance_page, code)
    _viewer_reads_everything_and_changes_nothing(new_page(), viewer, code)


def _leader_sets_goal_indicator_and_measurements(page, leader, code: str) -> None:
    log_in(page, leader)
    visit(page, f"/pilots/{code}")
    page.get_by_role("link", name="Effektmål och resultat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Effektmål och resultat")
    expect(page.get_by_text("Piloten har inga effektmål ännu.")).to_be_visible()
    assert_accessible(page, "the empty effects page")

    page.get_by_role("link", name="Lägg till effektmål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt effektmål")
    assert_accessible(page, "the new effect goal form")
    page.get_by_label(re.compile(r"^Effektmål( \(valfritt\))?$")).fill(GOAL)
    page.get_by_label("Kategori").select_option(label="Resurseffektivitet")
    page.get_by_label("Vem har nytta av förändringen").fill("Pedagoger")
    submit(page, "Spara", where="the effects page with the new goal")
    expect(page.get_by_role("heading", level=2, name=re.compile(GOAL))).to_be_visible()

    page.get_by_role("link", name="Lägg till mått för effektmål 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt mått")
    assert_accessible(page, "the new indicator form")
    page.get_by_label("Namn på måttet").fill(INDICATOR)
    page.get_by_label(re.compile(r"^Enhet( \(valfritt\))?$")).fill("minuter")
    page.get_by_label("Riktning").select_option(label="Lägre är bättre")
    page.get_by_label("Mätmetod").fill("Tidsloggning under två veckor")
    page.get_by_label("Datakälla").fill("Pedagogernas loggar")
    page.get_by_label("Mätfrekvens").fill("Per termin")
    page.get_by_label(re.compile(r"^Utgångsvärde( \(valfritt\))?$")).fill("60,5")
    fill_date(page, "Datum för utgångsvärdet", "2026-01-15")
    target = page.get_by_label(re.compile(r"^Målvärde( \(valfritt\))?$"))
    target.fill("70")  # the wrong way for "lower is better"
    fill_date(page, "Datum då målet ska vara nått", "2026-12-15")
    submit(page, "Spara", status=422, where="the indicator form with an error")
    expect(target).to_have_attribute("aria-invalid", "true")
    expect(target).to_have_accessible_description(re.compile("målvärdet ska vara lägre än utgångsvärdet"))
    expect(page.get_by_label(re.compile(r"^Utgångsvärde( \(valfritt\))?$"))).to_have_value("60,5")
    expect(page.get_by_label("Mätmetod")).to_have_value("Tidsloggning under två veckor")
    target.fill("40,5")
    submit(page, "Spara", where="the effects page with the new indicator")
    indicator = page.locator("section.indicator", has=page.get_by_role("heading", level=3, name=INDICATOR))
    expect(indicator).to_contain_text("60,5 minuter (2026-01-15)")
    expect(indicator).to_contain_text("40,5 minuter (senast 2026-12-15)")

    # The third value is a typing mistake, deleted below.
    for day, value in (("2026-03-02", "55,5"), ("2026-05-04", "50,5"), ("2026-05-05", "5,5")):
        indicator.get_by_role("link", name=f"Lägg till mätvärde för {INDICATOR}").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Nytt mätvärde")
        assert_accessible(page, "the new measurement form")
        fill_date(page, "Mätdatum", day)
        page.get_by_label(re.compile(r"^Värde( \(valfritt\))?$")).fill(value)
        page.get_by_label("Fas").select_option(label="Test")
        submit(page, "Spara", where=f"the effects page after the measurement {value}")

    # 5,5 was meant to be 50,5: delete it after the confirmation.
    page.get_by_role("link", name="Ta bort mätvärdet från 2026-05-05").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort mätvärdet?")
    expect(page.get_by_text("Är du säker?")).to_be_visible()
    assert_accessible(page, "the confirmation to delete a measurement")
    submit(page, "Ja, ta bort", where="the effects page after deleting a measurement")

    rows = indicator.get_by_role("table", name=f"Mätvärden för {INDICATOR}").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("2026-03-02")
    expect(rows.nth(1)).to_contain_text("50,5")
    expect(indicator.get_by_role("img", name=re.compile(f"^Mätvärden för {INDICATOR}"))).to_be_visible()
    expect(indicator.locator("svg[role=img] circle")).to_have_count(2)
    # (60,5 − 50,5) / (60,5 − 40,5) of the way from baseline to target.
    expect(fact(indicator, "Senaste mätvärde")).to_contain_text("50,5 minuter (2026-05-04, test)")
    expect(indicator.locator("dt", has_text="Realiseringsgrad")).to_contain_text("(senaste testmätning)")
    expect(fact(indicator, "Realiseringsgrad")).to_contain_text("50 % av förändringen")

    # Costs and valuation are finance's: the leader is refused the forms.
    expect_refused(page, f"/pilots/{code}/costs/new")
    expect_refused(page, f"/pilots/{code}/costs/parameters")


def _finance_enters_costs_and_valuation(page, finance, code: str, tmp_path) -> None:
    log_in(page, finance)
    visit(page, f"/pilots/{code}")
    page.get_by_role("link", name="Kostnader och värdering", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kostnader och värdering")
    expect(page.get_by_text("Inga kostnader är inlagda ännu.")).to_be_visible()
    expect(page.get_by_role("link", name="Ladda ner Excelmall")).to_be_visible()
    assert_accessible(page, "the empty costs page")

    # A cost item: a negative amount first, which is refused next to the field and kept.
    page.get_by_role("link", name="Lägg till kostnad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lägg till kostnad")
    assert_accessible(page, "the new cost form")
    page.get_by_label("Kategori").select_option(label="Licens")
    page.get_by_label("Fas").select_option(label="Drift")
    page.get_by_label("Återkommande per år").check()
    page.get_by_label("Första år").fill("2027")
    amount = page.get_by_label("Belopp (kr exkl. moms)")
    amount.fill("-5")
    page.get_by_label("Notering").fill("Licens för appen")
    submit(page, "Spara", status=422, where="the cost form with a negative amount")
    expect(amount).to_have_value("-5")
    expect(amount).to_have_attribute("aria-invalid", "true")
    expect(amount).to_have_accessible_description(re.compile("Värdet får inte vara negativt."))
    expect(page.locator(".govuk-form-group", has=amount).get_by_text("Värdet får inte vara negativt.")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link", name="Värdet får inte vara negativt.")).to_have_attribute("href", "#amount")
    expect(page.get_by_label("Kategori")).to_have_value(CostCategory.LICENCE.value)
    expect(page.get_by_label("Återkommande per år")).to_be_checked()
    expect(page.get_by_label("Notering")).to_have_value("Licens för appen")
    amount.fill("1 234,50")
    submit(page, "Spara", where="the costs page with one cost")
    expect(page.get_by_text("Kostnaden är tillagd.")).to_be_visible()
    costs = page.get_by_role("table", name=re.compile("^Kostnadsposter"))
    expect(costs.locator("tbody tr")).to_have_count(1)
    expect(costs.locator("tbody tr").first).to_contain_text("1 235 kr")  # whole kronor in a list

    # A confirmation page, then changing one's mind.
    costs.get_by_role("link", name="Ta bort Licens 2027").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ta bort kostnad")
    assert_accessible(page, "the confirmation to delete a cost")
    page.get_by_role("link", name="Nej, gå tillbaka").click()
    expect(costs.locator("tbody tr")).to_have_count(1)

    # The valuation of the leader's indicator.
    page.get_by_role("link", name=f"Värdera {INDICATOR}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Värdera måttet {INDICATOR}")
    assert_accessible(page, "the valuation form")
    page.get_by_label("Omfördelningsnytta").check()
    page.get_by_label("Kronor per enhets förbättring").fill("6,5")
    page.get_by_label("Årlig volym vid full skala").fill("4 000")
    submit(page, "Spara värderingen", where="the costs page after the valuation")
    valuation = page.get_by_role("row", name=re.compile(INDICATOR))
    expect(valuation).to_contain_text("6,50 kr")
    expect(valuation).to_contain_text("4 000")
    expect(valuation).to_contain_text("Omfördelningsnytta")

    page.get_by_role("link", name="Ändra kalkylparametrar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kalkylparametrar")
    assert_accessible(page, "the parameters form")
    page.get_by_label("Kalkylränta (%)").fill("3,5")
    page.get_by_label("Kalkylperiod (antal år)").fill("5")
    submit(page, "Spara parametrarna", where="the costs page after the parameters")
    expect(fact(page, "Kalkylränta")).to_have_text("3,5 %")
    expect(fact(page, "Kalkylperiod")).to_have_text("5 år")

    # The cost items as Excel.
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner som Excel").click()
    assert download.value.suggested_filename == f"kostnader-{code}.xlsx"
    with open(download.value.path(), "rb") as file:
        sheet = openpyxl.load_workbook(io.BytesIO(file.read())).worksheets[0]
    assert [cell.value for cell in sheet[2]][:6] == ["licens", "återkommande per år", "drift", 2027, None, 1234.5]

    # A spreadsheet from Swedish Excel: previewed, confirmed, and a second upload adds nothing.
    csv_file = tmp_path / "kostnader.csv"
    csv_file.write_bytes(CSV_ROWS.encode("cp1252"))
    for upload in (1, 2):
        page.get_by_role("link", name="Importera från kalkylark").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Importera kostnader")
        assert_accessible(page, "the import form")
        page.get_by_label("Fil (.xlsx eller .csv)").set_input_files(csv_file)
        submit(page, "Ladda upp och förhandsgranska", status=200, where=f"the import preview (upload {upload})")
        expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsgranska import")
        preview = page.get_by_role("table", name="Raderna i filen").locator("tbody tr")
        expect(preview).to_have_count(2)
        expect(preview.nth(0)).to_contain_text("Hårdvara")
        expect(preview.nth(0)).to_contain_text("12 500,00 kr")
        expect(preview.nth(1)).to_contain_text("Stöd och förvaltning")
        expect(preview.nth(1)).to_contain_text("3 000,50 kr")
        if upload == 1:
            expect(page.get_by_text("2 nya kostnader importeras.")).to_be_visible()
            expect(preview.get_by_text("Ny", exact=True)).to_have_count(2)
            submit(page, "Importera 2 kostnader", where="the costs page after the import")
            expect(page.get_by_text("2 kostnader importerades.")).to_be_visible()
            expect(costs.locator("tbody tr")).to_have_count(3)
            expect(costs).to_contain_text("Surfplattor till hallen")
            expect(costs).to_contain_text("Support från leverantören")
        else:
            expect(page.get_by_text("2 rader finns redan och hoppas över.")).to_be_visible()
            expect(page.get_by_text("importeras.")).to_have_count(0)  # no "0 nya kostnader importeras."
            expect(page.get_by_text("Alla rader finns redan. Det finns inget nytt att importera.")).to_be_visible()
            expect(page.get_by_role("button", name=re.compile("^Importera"))).to_have_count(0)
            page.get_by_role("link", name="Tillbaka till kostnader och värdering").last.click()
            expect(costs.locator("tbody tr")).to_have_count(3)
            assert_accessible(page, "the costs page after the second upload")

    expect(page.get_by_text("Inte granskad", exact=True)).to_be_visible()
    submit(page, "Markera ekonomin som granskad", where="the costs page after the sign-off")
    signed = page.locator("section", has=page.get_by_role("heading", name="Ekonomins granskning"))
    expect(signed.get_by_text("Granskad", exact=True)).to_be_visible()
    when = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}"
    expect(signed).to_contain_text(re.compile(f"Granskad av {re.escape(finance.name)} {when}"))

    # Effect goals are the leader's: finance is refused the forms.
    expect_refused(page, f"/pilots/{code}/effects/goals/new")


def _finance_reads_the_economics(page, code: str) -> None:
    visit(page, f"/pilots/{code}")
    page.get_by_role("link", name="Nyttokalkyl", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Nyttokalkyl")
    assert_accessible(page, "the economics page")

    response = page.request.get(f"/api/v1/pilots/{code}/economics")
    assert response.ok, response.status
    api = response.json()
    assert api["finance_sign_off"]["signed_off"] is True
    assert api["years"] == [2027, 2028, 2029, 2030, 2031]

    figures = page.get_by_role("table", name=re.compile("^Nyckeltal för kalkylperioden 2027–2031"))
    headers = [text.strip() for text in figures.locator("thead th").all_inner_texts()]
    assert headers == ["Nyckeltal", "Kassaflödesvy", "Fullt värde"], headers
    npv = figures.get_by_role("row", name=re.compile(r"^Nuvärde \(NPV\)")).locator("td")
    shown = {"cash": kronor(npv.nth(0).inner_text()), "full": kronor(npv.nth(1).inner_text())}
    assert shown == {view: whole_kronor(api["views"][view]["npv"]) for view in ("cash", "full")}
    # Only reallocation is valued: the budget sees the costs alone, the full view the freed time too.
    assert shown["cash"] < 0 < shown["full"]

    # 10 minutes better × 6,50 kr × 4 000 a year, from the latest test measurement.
    expect(page.locator("[data-figure=annual-reallocation]")).to_have_text("260 000 kr")
    assert api["benefits_by_class"]["reallocation"]["annual_value"] == "260000.00"

    for view, label in (("cash", "Kassaflödesvy"), ("full", "Fullt värde")):
        table = page.get_by_role("table", name=re.compile(f"^{label}"))
        rows = table.locator("tbody tr")
        expect(rows).to_have_count(len(api["years"]))
        for index, year in enumerate(api["views"][view]["years"]):
            cells = rows.nth(index).locator("th, td").all_inner_texts()
            assert cells[0] == str(year["year"])
            assert [kronor(text) for text in cells[1:]] == [
                whole_kronor(year[key]) for key in ("costs", "benefits", "net", "cumulative_net", "present_value")
            ], (view, year)
        expect(table.locator("tfoot td").last).to_have_text(npv.nth(0 if view == "cash" else 1).inner_text())

    chart = page.get_by_role("img", name=re.compile("^Kostnader och nytta per år"))
    expect(chart).to_be_visible()
    expect(chart.locator("rect title").first).to_be_attached()
    expect(page.get_by_text("Ekonomi granskad", exact=True)).to_be_visible()


def _viewer_reads_everything_and_changes_nothing(page, viewer, code: str) -> None:
    log_in(page, viewer)
    for path, heading in ((f"/pilots/{code}/effects", "Effektmål och resultat"),
                          (f"/pilots/{code}/costs", "Kostnader och värdering"),
                          (f"/pilots/{code}/economics", "Nyttokalkyl")):
        visit(page, path)
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        main = page.get_by_role("main")
        expect(main.get_by_role("button")).to_have_count(0)
        expect(main.get_by_role("link", name=EDIT_WORDS)).to_have_count(0)
    expect(page.get_by_role("img", name=re.compile("^Kostnader och nytta per år"))).to_be_visible()
    visit(page, f"/pilots/{code}/effects")
    expect(page.get_by_role("img", name=re.compile(f"^Mätvärden för {INDICATOR}"))).to_be_visible()
    expect(fact(page, "Realiseringsgrad")).to_contain_text("50 % av förändringen")
    expect_refused(page, f"/pilots/{code}/effects/goals/new")
    expect_refused(page, f"/pilots/{code}/costs/new")
