"""Kostnader och värdering as finance and everyone else meets it: cost items, valuation,
parameters, sign-off and spreadsheets."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portfolio.domain.economics import BenefitClass, CostCategory, CostKind, CostPhase
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, CostItem, Pilot
from portfolio.services import spreadsheets
from portfolio.services.audit import SECURITY_ACTIONS

from tests.web.html import error_for, field_block
from tests.conftest import count_queries
from tests.factories import make_cost, make_effect_goal, make_indicator, make_pilot, make_user

NBSP = "\u00a0"
CSV_HEADER = "Kategori;Typ;Fas;Första år;Sista år;Belopp (kr exkl. moms);Notering"


def text(response) -> str:
    return response.get_data(as_text=True)




def costs_of(db, pilot) -> list[CostItem]:
    db.expire_all()
    return list(db.scalars(select(CostItem).where(CostItem.pilot_id == pilot.id).order_by(CostItem.id)))


def fresh(db, pilot) -> Pilot:
    db.expire_all()
    return db.get(Pilot, pilot.id)


@pytest.fixture
def pilot(db, people):
    made = make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    db.commit()
    return made


def url(pilot, rest: str = "") -> str:
    return f"/pilots/{pilot.code}/costs{rest}"


GOOD_COST = {"category": "licence", "kind": "recurring", "phase": "operation", "first_year": "2027",
             "last_year": "2029", "amount": "1 234,50", "note": "Licens för 20 förskolor"}


# --------------------------------------------------------------------------------------------
# Cost items
# --------------------------------------------------------------------------------------------


def test_finance_adds_a_cost_typed_the_swedish_way(client, db, pilot, login_as):
    finance = login_as(Role.FINANCE)
    response = client.post(url(pilot, "/new"), data=GOOD_COST)
    assert response.status_code == 302 and response.headers["Location"] == url(pilot)
    (cost,) = costs_of(db, pilot)
    assert (cost.category, cost.kind, cost.phase, cost.first_year, cost.last_year, cost.amount, cost.entered_by_id) \
        == (CostCategory.LICENCE, CostKind.RECURRING, CostPhase.OPERATION, 2027, 2029, Decimal("1234.50"), finance.id)
    page = text(client.get(url(pilot)))
    assert "Kostnader och värdering" in page and "Kostnaden är tillagd." in page
    assert f"1{NBSP}235{NBSP}kr" in page and f"1{NBSP}234,50" not in page and "Licens för 20 förskolor" in page and finance.name in page


@pytest.mark.parametrize("amount, message", [
    ("-5", "Värdet får inte vara negativt."),
    ("tusen", "Ange ett tal, till exempel 1 234,50."),
    ("12,345", "Ange högst två decimaler"),
    ("", "Ange ett belopp"),
])
def test_a_bad_amount_is_refused_next_to_the_field_with_the_input_kept(client, db, pilot, login_as, amount, message):
    login_as(Role.FINANCE)
    response = client.post(url(pilot, "/new"), data=GOOD_COST | {"amount": amount})
    assert response.status_code == 422
    block = field_block(text(response), "amount")
    assert message in block and 'aria-invalid="true"' in block
    assert f'value="{amount}"' in block
    assert 'value="Licens för 20 förskolor"' in text(response) or "Licens för 20 förskolor" in text(response)
    assert costs_of(db, pilot) == []


@pytest.mark.parametrize("changes, field, message", [
    ({"kind": "one_off", "last_year": "2029"}, "last_year", "En engångskostnad har inget sista år"),
    ({"first_year": "2028", "last_year": "2027"}, "last_year", "Sista året får inte vara före det första"),
    ({"first_year": "nästa år"}, "first_year", "Ange ett årtal"),
    ({"category": ""}, "category", "Välj en kategori."),
    ({"kind": ""}, "kind", "Välj om kostnaden är engångs eller återkommande."),
])
def test_cost_rules_are_explained_next_to_the_field(client, db, pilot, login_as, changes, field, message):
    login_as(Role.FINANCE)
    response = client.post(url(pilot, "/new"), data=GOOD_COST | changes)
    assert response.status_code == 422
    assert message in field_block(text(response), field if field != "kind" else "kind-0")
    assert costs_of(db, pilot) == []


def test_the_note_field_warns_against_pupil_data(client, pilot, login_as):
    login_as(Role.FINANCE)
    assert "Skriv inga personuppgifter om elever." in field_block(text(client.get(url(pilot, "/new"))), "note")


def test_finance_edits_and_then_deletes_after_confirming(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    cost = make_cost(db, pilot, amount="100", note="Gammal")
    db.commit()
    form = text(client.get(url(pilot, f"/{cost.id}/edit")))
    assert 'value="100,00"' in form and "Gammal" in form
    response = client.post(url(pilot, f"/{cost.id}/edit"), data=GOOD_COST | {"amount": "250", "note": "Ny"})
    assert response.status_code == 302
    (changed,) = costs_of(db, pilot)
    assert (changed.amount, changed.note, changed.kind) == (Decimal("250.00"), "Ny", CostKind.RECURRING)

    confirm = text(client.get(url(pilot, f"/{cost.id}/delete")))
    assert "Är du säker?" in confirm and "Ja, ta bort kostnaden" in confirm
    assert costs_of(db, pilot) != []
    assert client.post(url(pilot, f"/{cost.id}/delete")).status_code == 302
    assert costs_of(db, pilot) == []
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "cost_item_deleted")).before["note"] == "Ny"


def test_a_cost_of_another_pilot_is_not_found(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    other = make_pilot(db)
    cost = make_cost(db, other, amount="5")
    db.commit()
    assert client.get(url(pilot, f"/{cost.id}/edit")).status_code == 404
    assert client.post(url(pilot, f"/{cost.id}/delete")).status_code == 404
    assert client.get("/pilots/INN-1999-999/costs").status_code == 404
    assert len(costs_of(db, other)) == 1


# --------------------------------------------------------------------------------------------
# Who may do what
# --------------------------------------------------------------------------------------------


def change_requests(pilot, cost, indicator):
    return [
        ("get", url(pilot, "/new"), None),
        ("post", url(pilot, "/new"), GOOD_COST),
        ("get", url(pilot, f"/{cost.id}/edit"), None),
        ("post", url(pilot, f"/{cost.id}/edit"), GOOD_COST),
        ("get", url(pilot, f"/{cost.id}/delete"), None),
        ("post", url(pilot, f"/{cost.id}/delete"), {}),
        ("get", url(pilot, f"/indicators/{indicator.id}/valuation"), None),
        ("post", url(pilot, f"/indicators/{indicator.id}/valuation"),
         {"benefit_class": "financial", "value_per_unit": "5", "annual_volume": "10"}),
        ("get", url(pilot, "/parameters"), None),
        ("post", url(pilot, "/parameters"), {"horizon_years": "9"}),
        ("post", url(pilot, "/signoff"), {}),
        ("post", url(pilot, "/signoff/withdraw"), {}),
        ("get", url(pilot, "/import"), None),
        ("post", url(pilot, "/import"), {"file": (io.BytesIO(f"{CSV_HEADER}\nlicens;engångskostnad;test;2027;;5;\n"
                                                              .encode()), "k.csv")}),
        ("post", url(pilot, "/import/confirm"), {"token": "x"}),
    ]


@pytest.mark.parametrize("role", [Role.INNOVATION_LEADER, Role.VIEWER, Role.MANAGEMENT, Role.ADMIN])
def test_only_finance_changes_costs_valuation_and_parameters(client, db, pilot, people, login_as, role):
    cost = make_cost(db, pilot, amount="100")
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    pilot.finance_signed_off_by_id = people[Role.FINANCE].id
    pilot.finance_signed_off_at = pilot.created_at
    db.commit()
    changes = select(func.count(AuditEntry.id)).where(AuditEntry.action.not_in(SECURITY_ACTIONS))
    audit_before = db.scalar(changes)
    login_as(role)  # the innovation leader is this pilot's own leader
    for method, address, data in change_requests(pilot, cost, indicator):
        response = getattr(client, method)(address, data=data)
        assert response.status_code == 403, (method, address)
    (unchanged,) = costs_of(db, pilot)
    assert unchanged.amount == Decimal("100.00")
    pilot = fresh(db, pilot)
    assert pilot.horizon_years is None and pilot.finance_signed_off_at is not None
    assert db.get(type(indicator), indicator.id).benefit_class is BenefitClass.UNVALUED
    assert db.scalar(changes) == audit_before


def test_everyone_reads_the_page_but_only_finance_sees_the_buttons(client, db, pilot, login_as):
    make_cost(db, pilot, amount="100")
    make_indicator(db, make_effect_goal(db, pilot), name="Minuter i tamburen")
    db.commit()
    login_as(Role.VIEWER)
    page = text(client.get(url(pilot)))
    assert "Minuter i tamburen" in page and f"100{NBSP}kr" in page
    assert "Lägg till kostnad" not in page and "Värdera" not in page and "Markera ekonomin som granskad" not in page
    assert client.get(url(pilot, "/export.xlsx")).status_code == 200
    login_as(Role.FINANCE)
    page = text(client.get(url(pilot)))
    assert "Lägg till kostnad" in page and "Värdera" in page and "Markera ekonomin som granskad" in page


# --------------------------------------------------------------------------------------------
# Sign-off
# --------------------------------------------------------------------------------------------


def test_sign_off_shows_who_and_when_and_any_change_clears_it(client, db, pilot, login_as):
    finance = login_as(Role.FINANCE)
    make_cost(db, pilot, amount="100")
    db.commit()
    assert "Ekonomin är inte granskad" in text(client.get(url(pilot)))
    client.post(url(pilot, "/signoff"))
    page = text(client.get(url(pilot)))
    assert f"Granskad av {finance.name}" in page and "Ta tillbaka granskningen" in page
    assert fresh(db, pilot).finance_signed_off_by_id == finance.id

    client.post(url(pilot, "/new"), data=GOOD_COST)
    assert fresh(db, pilot).finance_signed_off_at is None
    assert "Ekonomin är inte granskad" in text(client.get(url(pilot)))

    client.post(url(pilot, "/signoff"))
    client.post(url(pilot, "/parameters"), data={"discount_rate": "4"})
    assert fresh(db, pilot).finance_signed_off_at is None

    client.post(url(pilot, "/signoff"))
    client.post(url(pilot, "/signoff/withdraw"))
    assert fresh(db, pilot).finance_signed_off_at is None
    assert "Granskningen är tillbakatagen." in text(client.get(url(pilot)))


def test_sign_off_without_costs_explains_why(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    response = client.post(url(pilot, "/signoff"), follow_redirects=True)
    assert "Lägg till minst en kostnad innan ekonomin markeras som granskad." in text(response)
    assert fresh(db, pilot).finance_signed_off_at is None


# --------------------------------------------------------------------------------------------
# Valuation
# --------------------------------------------------------------------------------------------


def test_valuation_explains_each_benefit_class(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    page = text(client.get(url(pilot, f"/indicators/{indicator.id}/valuation")))
    for words in ("Finansiell nytta", "en budgetpost kan faktiskt minskas", "Omfördelningsnytta",
                  "frigjord tid", "Ej värderad", "tappas aldrig bort"):
        assert words in page


def test_a_money_class_needs_both_numbers_next_to_the_fields(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    address = url(pilot, f"/indicators/{indicator.id}/valuation")
    response = client.post(address, data={"benefit_class": "financial", "value_per_unit": "2,50",
                                          "annual_volume": ""})
    assert response.status_code == 422
    page = text(response)
    assert "Krävs för finansiell nytta och omfördelningsnytta." in field_block(page, "annual_volume")
    assert 'value="2,50"' in field_block(page, "value_per_unit")
    assert client.post(address, data={"benefit_class": "reallocation", "value_per_unit": "-1",
                                      "annual_volume": "5"}).status_code == 422
    response = client.post(address, data={"benefit_class": "reallocation", "value_per_unit": "2,50",
                                          "annual_volume": "1 900"})
    assert response.status_code == 302
    saved = db.get(type(indicator), indicator.id)
    assert (saved.benefit_class, saved.value_per_unit, saved.annual_volume) == (
        BenefitClass.REALLOCATION, Decimal("2.5"), Decimal("1900"))
    page = text(client.get(url(pilot)))
    assert "Omfördelningsnytta" in page and f"2,50{NBSP}kr" in page and f"1{NBSP}900" in page


def test_an_indicator_of_another_pilot_cannot_be_valued_here(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    foreign = make_indicator(db, make_effect_goal(db, make_pilot(db)))
    db.commit()
    assert client.get(url(pilot, f"/indicators/{foreign.id}/valuation")).status_code == 404


# --------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------


def test_parameters_accept_swedish_per_cent_and_show_the_defaults(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    page = text(client.get(url(pilot, "/parameters")))
    assert "Tomt = standardvärdet 3" in page and "Tomt = 2027, året efter att testet slutar." in page
    response = client.post(url(pilot, "/parameters"), data={
        "first_year": "2028", "discount_rate": "3,5", "horizon_years": "7", "ramp_up": "50; 100",
        "benefits_low": "40", "costs_high": "85,5"})
    assert response.status_code == 302
    saved = fresh(db, pilot)
    assert (saved.first_year, saved.discount_rate, saved.horizon_years) == (2028, Decimal("0.035"), 7)
    assert saved.ramp_up == ["0.5", "1"]
    assert saved.sensitivity == {"benefits_low": "0.4", "costs_high": "0.855"}
    form = text(client.get(url(pilot, "/parameters")))
    assert 'value="3,5"' in form and 'value="50; 100"' in form and 'value="85,5"' in form
    page = text(client.get(url(pilot)))
    assert f"3,5{NBSP}%" in page and "7 år" in page


@pytest.mark.parametrize("data, field, message", [
    ({"discount_rate": "tre"}, "discount_rate", "Ange ett tal"),
    ({"discount_rate": "150"}, "discount_rate", "Ange högst 100"),
    ({"horizon_years": "0"}, "horizon_years", "Ange ett värde mellan 1 och 50."),
    ({"ramp_up": "50, 100"}, "ramp_up", "Separera värdena med semikolon"),
    ({"ramp_up": "50,125"}, "ramp_up", "Ange högst två decimaler."),
    ({"ramp_up": "hälften"}, "ramp_up", "Ange procenttal separerade med semikolon"),
    ({"ramp_up": "50; 120"}, "ramp_up", "Varje värde måste vara mellan 0 och 100"),
    ({"benefits_low": "-10"}, "benefits_low", "Värdet får inte vara negativt."),
])
def test_bad_parameters_are_explained_and_nothing_is_stored(client, db, pilot, login_as, data, field, message):
    login_as(Role.FINANCE)
    response = client.post(url(pilot, "/parameters"), data=data)
    assert response.status_code == 422
    assert message in field_block(text(response), field)
    saved = fresh(db, pilot)
    assert (saved.discount_rate, saved.horizon_years, saved.ramp_up, saved.sensitivity) == (None, None, None, None)


# --------------------------------------------------------------------------------------------
# Spreadsheets
# --------------------------------------------------------------------------------------------


def upload(client, pilot, data: bytes, filename: str):
    # Encoded here rather than by the test client, which spools large bodies to a temporary
    # file that it never closes (a ResourceWarning, an error in this suite).
    boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(data), filename=filename)})
    return client.post(url(pilot, "/import"), data=body, content_type=f"multipart/form-data; boundary={boundary}")


def confirm_token(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert match, "no confirm form"
    return match.group(1)


def test_export_then_import_into_another_pilot_gives_the_same_costs(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    make_cost(db, pilot, amount="1234.50", note="=1+1 ska inte räknas")
    make_cost(db, pilot, amount="200", kind=CostKind.RECURRING, phase=CostPhase.OPERATION, last_year=2030,
              category=CostCategory.SUPPORT)
    other = make_pilot(db)
    db.commit()
    download = client.get(url(pilot, "/export.xlsx"))
    assert download.status_code == 200
    assert download.mimetype == spreadsheets.XLSX_MIMETYPE
    assert f"kostnader-{pilot.code}.xlsx" in download.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(download.data))["Kostnader"]
    assert sheet["G2"].value == "'=1+1 ska inte räknas"

    preview = upload(client, other, download.data, "kostnader.xlsx")
    assert preview.status_code == 200
    page = text(preview)
    assert "2 nya kostnader importeras." in page and "=1+1 ska inte räknas" in page
    response = client.post(url(other, "/import/confirm"), data={"token": confirm_token(page)})
    assert response.status_code == 302
    assert "2 kostnader importerades." in text(client.get(url(other)))
    key = lambda c: (c.category, c.kind, c.phase, c.first_year, c.last_year, c.amount, c.note)  # noqa: E731
    assert [key(c) for c in costs_of(db, other)] == [key(c) for c in costs_of(db, pilot)]


def test_importing_the_same_file_twice_adds_nothing_and_says_so(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    data = f"{CSV_HEADER}\nlicens;engångskostnad;införande;2027;;1 000;\nutbildning;engångskostnad;test;2026;;500;\n"
    page = text(upload(client, pilot, data.encode(), "k.csv"))
    client.post(url(pilot, "/import/confirm"), data={"token": confirm_token(page)})
    assert len(costs_of(db, pilot)) == 2
    again = text(upload(client, pilot, data.encode(), "k.csv"))
    assert "2 rader finns redan och hoppas över." in again and "Finns redan, hoppas över" in again
    assert 'name="token"' not in again
    assert len(costs_of(db, pilot)) == 2


def test_csv_in_windows_1252_with_decimal_commas(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    data = (f"{CSV_HEADER}\r\nHårdvara;Engångskostnad;Införande;2027;;12 345,67;Surfplattor åt förskolan\r\n"
            .encode("cp1252"))
    page = text(upload(client, pilot, data, "kostnader.csv"))
    client.post(url(pilot, "/import/confirm"), data={"token": confirm_token(page)})
    (cost,) = costs_of(db, pilot)
    assert (cost.category, cost.amount, cost.note) == (CostCategory.HARDWARE, Decimal("12345.67"),
                                                       "Surfplattor åt förskolan")


def test_preview_lists_every_error_and_nothing_is_imported(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    data = (f"{CSV_HEADER}\nlicens;engångskostnad;införande;2027;;1 000;\n"
            "licens;engångskostnad;införande;2027;;-5;\nmöbler;engångskostnad;drift;2027;2028;5;\n")
    response = upload(client, pilot, data.encode(), "fel.csv")
    assert response.status_code == 422
    page = text(response)
    assert "Rad 3, Belopp (kr exkl. moms): Värdet får inte vara negativt." in page
    assert "Rad 4, Kategori: Okänd kategori." in page
    assert "Rad 4, Sista år: En engångskostnad har inget sista år." in page
    assert "Ingenting importeras förrän alla rader är rätt." in page
    assert 'name="token"' not in page
    assert costs_of(db, pilot) == []


def test_a_tampered_or_foreign_confirmation_is_refused(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    other = make_pilot(db)
    db.commit()
    page = text(upload(client, pilot, f"{CSV_HEADER}\nlicens;engångskostnad;test;2027;;5;\n".encode(), "k.csv"))
    token = confirm_token(page)
    tampered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = client.post(url(pilot, "/import/confirm"), data={"token": tampered}, follow_redirects=True)
    assert "Förhandsgranskningen har gått ut eller är ogiltig." in text(response)
    client.post(url(other, "/import/confirm"), data={"token": token})
    assert costs_of(db, pilot) == [] and costs_of(db, other) == []


def test_a_confirmation_is_checked_again_against_todays_costs(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    data = f"{CSV_HEADER}\nlicens;engångskostnad;test;2027;;5;\n".encode()
    token = confirm_token(text(upload(client, pilot, data, "k.csv")))
    client.post(url(pilot, "/import/confirm"), data={"token": token})
    client.post(url(pilot, "/import/confirm"), data={"token": token})  # the same preview confirmed twice
    assert len(costs_of(db, pilot)) == 1


@pytest.mark.parametrize("filename, data, message", [
    ("stor.csv", b"x" * (1024 * 1024 + 10), "Filen är för stor. Den får vara högst 1 MB."),
    ("trasig.xlsx", b"PK\x03\x04 inte alls en arbetsbok", "Filen kunde inte läsas."),
    ("bild.png", b"\x89PNG\r\n", "Välj en fil av typen .xlsx (Excel) eller .csv."),
    ("tom.csv", b"\n\n", "Filen är tom"),
    ("fel.csv", b"Namn;Pris\nx;1\n", "Kolumner saknas i rubrikraden: Kategori, Typ, Fas"),
])
def test_unreadable_files_are_explained_never_a_server_error(client, db, pilot, login_as, filename, data, message):
    login_as(Role.FINANCE)
    response = upload(client, pilot, data, filename)
    assert response.status_code == 422
    assert message in field_block(text(response), "file")
    assert costs_of(db, pilot) == []


def test_a_file_over_the_app_limit_gets_the_too_large_page(client, pilot, login_as):
    login_as(Role.FINANCE)
    response = upload(client, pilot, b"x" * (6 * 1024 * 1024), "enorm.csv")
    assert response.status_code == 413
    assert "Filen är för stor." in text(response)


def test_the_empty_export_is_a_template(client, pilot, login_as):
    login_as(Role.VIEWER)
    page = text(client.get(url(pilot)))
    assert "Ladda ner Excelmall" in page
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url(pilot, "/export.xlsx")).data))
    assert workbook.sheetnames == ["Kostnader", "Instruktioner"]


# --------------------------------------------------------------------------------------------
# A decided pilot, and performance
# --------------------------------------------------------------------------------------------


def test_a_decided_pilot_cannot_be_changed(client, db, login_as):
    login_as(Role.FINANCE)
    pilot = make_pilot(db, phase=Phase.IMPLEMENTATION, step=Step.DECIDED)
    db.commit()
    response = client.post(url(pilot, "/new"), data=GOOD_COST, follow_redirects=True)
    assert "Piloten är beslutad." in text(response)
    assert costs_of(db, pilot) == []
    assert "Lägg till kostnad" not in text(client.get(url(pilot)))


def test_the_page_runs_the_same_number_of_queries_however_much_data(app, client, db, people, login_as):
    login_as(Role.FINANCE)

    def arrange(n: int) -> Pilot:
        pilot = make_pilot(db)
        enterers = [make_user(db, roles=[Role.FINANCE]) for _ in range(min(n, 5))]
        for i in range(n):
            cost = make_cost(db, pilot, amount=str(100 + i), first_year=2027 + i % 3)
            cost.entered_by_id = enterers[i % len(enterers)].id
        for g in range(max(1, n // 5)):
            goal = make_effect_goal(db, pilot)
            for _ in range(3):
                make_indicator(db, goal)
        pilot.finance_signed_off_by_id = people[Role.FINANCE].id
        pilot.finance_signed_off_at = pilot.created_at
        db.commit()
        return pilot

    small, large = arrange(1), arrange(30)
    counts = []
    for page_url in (url(small), url(large)):  # built outside the count: reading pilot.code may query
        with count_queries(app) as statements:
            assert client.get(page_url).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 10, counts
