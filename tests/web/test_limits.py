"""Numbers at and beyond the ranges of domain.limits, blank and space-only input, huge ids,
control characters: a message or a 404, never a 500, and nothing rounded silently."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import select, text

from portfolio.domain import limits
from portfolio.domain.economics import BenefitClass
from portfolio.domain.roles import Role
from portfolio.models import AppSettings, CostItem, Goal, GoalFramework, Indicator, Measurement, Unit, User
from portfolio.services import tokens

from tests.factories import make_cost, make_effect_goal, make_indicator, make_measurement, make_pilot

BIGGEST = limits.MEASURED.maximum


@pytest.fixture
def pilot(db, people):
    made = make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    db.commit()
    return made


def pages_of(pilot) -> list[str]:
    return [f"/pilots/{pilot.code}", f"/pilots/{pilot.code}/effects", f"/pilots/{pilot.code}/costs",
            f"/pilots/{pilot.code}/economics", f"/pilots/{pilot.code}/costs/export.xlsx"]


def test_the_largest_numbers_the_limits_accept_are_stored_exactly_and_every_page_shows_them(
        client, db, pilot, login_as, people):
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal, baseline_value=BIGGEST, target_value=-BIGGEST,
                               value_per_unit=limits.PRICE_PER_UNIT.maximum, annual_volume=limits.VOLUME.maximum,
                               benefit_class=BenefitClass.FINANCIAL)
    make_measurement(db, indicator, value=Decimal("12345678901234.5678"))
    make_cost(db, pilot, amount=limits.MONEY.maximum)
    db.commit()
    login_as(Role.FINANCE)
    for page in pages_of(pilot) + [f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/edit",
                                   f"/pilots/{pilot.code}/costs/indicators/{indicator.id}/valuation"]:
        assert client.get(page).status_code in (200, 403), page
    _token, raw = tokens.create_token(db, people[Role.FINANCE], "Rapport", actor=people[Role.FINANCE])
    db.commit()
    for path in ("/api/v1/pilots", f"/api/v1/pilots/{pilot.code}/economics"):
        assert client.get(path, headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    db.expire_all()
    assert db.scalar(select(Measurement.value)) == Decimal("12345678901234.5678")  # not …5684
    assert db.get(Indicator, indicator.id).baseline_value == BIGGEST


@pytest.mark.parametrize("typed, message", [
    ("1e24", "Ange ett tal"),
    ("1" * 310, "Ange ett tal"),
    ("100000000000000", "Ange ett värde mellan"),
    ("0,123456789", "Ange högst fyra decimaler."),
    (" ", "Ange det uppmätta värdet."),
    ("NaN", "Ange ett tal"),
    ("Infinity", "Ange ett tal"),
])
def test_a_measurement_beyond_the_limits_is_a_message_and_nothing_is_stored(client, db, pilot, login_as, typed,
                                                                            message):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    response = client.post(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new",
                           data={"measured_on": "2026-05-01", "value": typed, "phase": "test"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(Measurement.id)) is None


def test_typed_numbers_come_back_exactly(client, db, pilot, login_as):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    for typed in ("12345678901234,5678", "0,1235", "-0,0001"):
        assert client.post(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new",
                           data={"measured_on": "2026-05-01", "value": typed, "phase": "test"}).status_code == 302
    db.expire_all()
    assert sorted(db.scalars(select(Measurement.value))) == [Decimal("-0.0001"), Decimal("0.1235"),
                                                             Decimal("12345678901234.5678")]


def test_an_indicator_target_of_1e24_is_refused_next_to_the_field(client, db, pilot, login_as):
    indicator = make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    response = client.post(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/edit",
                           data={"name": "Minuter", "direction": "lower_is_better", "baseline_value": "60",
                                 "target_value": "1000000000000000000000000"})
    assert response.status_code == 422
    assert "Ange ett tal" in response.get_data(as_text=True) or "Ange ett värde mellan" in response.get_data(
        as_text=True)
    assert client.get(f"/pilots/{pilot.code}/effects").status_code == 200


def test_a_damaged_value_already_in_the_database_does_not_take_pages_down(client, db, pilot, login_as):
    """A value written before the limits (SQLite: a huge scaled integer) still shows."""
    indicator = make_indicator(db, make_effect_goal(db, pilot), benefit_class=BenefitClass.FINANCIAL,
                               value_per_unit=Decimal(1), annual_volume=Decimal(1))
    make_measurement(db, indicator, value=Decimal(1))
    make_cost(db, pilot, amount=Decimal(1))
    db.commit()
    sqlite = db.bind.dialect.name == "sqlite"
    huge = "9223372036854775807" if sqlite else "99999999999999.9999"
    price = huge if sqlite else "9999999999.9999"  # PostgreSQL: the columns' own largest values
    db.execute(text(f"UPDATE indicators SET target_value = {huge}, value_per_unit = {price}, "
                    f"annual_volume = {huge}"))
    db.execute(text(f"UPDATE measurements SET value = {huge}"))
    db.commit()
    login_as(Role.FINANCE)
    for page in pages_of(pilot):
        assert client.get(page).status_code == 200, page


def test_control_characters_in_any_text_never_break_the_excel_export(client, db, pilot, login_as):
    nul = "\x00" if db.bind.dialect.name == "sqlite" else ""  # PostgreSQL cannot store a NUL at all
    pilot.title = f"Pilot{nul} med\x07 klocka\x1b"
    make_cost(db, pilot, amount="100", note=f"Not\x01 med\x0b{nul} tecken")
    db.commit()
    login_as(Role.FINANCE)
    response = client.get(f"/pilots/{pilot.code}/costs/export.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    notes = [row[6] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert notes == ["Not med tecken"]


def test_control_characters_are_refused_where_they_are_typed(client, db, pilot, login_as):
    login_as(Role.FINANCE)
    response = client.post(f"/pilots/{pilot.code}/costs/new",
                           data={"category": "licence", "kind": "one_off", "phase": "test", "first_year": "2026",
                                 "amount": "5", "note": "Klocka\x07"})
    assert response.status_code == 422
    assert "osynliga styrtecken" in response.get_data(as_text=True)
    assert db.scalar(select(CostItem.id)) is None


def test_a_spreadsheet_declaring_a_million_rows_is_refused_cheaply(client, db, pilot, login_as):
    import time

    from tests.web.test_costs import upload

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Kategori", "Typ", "Fas", "Första år", "Sista år", "Belopp (kr exkl. moms)", "Notering"])
    sheet.cell(row=1_048_576, column=1, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert len(buffer.getvalue()) < 10_000
    login_as(Role.FINANCE)
    started = time.process_time()
    response = upload(client, pilot, buffer.getvalue(), "kostnader.xlsx")
    assert time.process_time() - started < 0.5
    assert response.status_code == 422
    assert "fler än 1000 rader" in response.get_data(as_text=True) or "fler än 1 000 rader" in response.get_data(
        as_text=True)


@pytest.mark.parametrize("path", [
    "/admin/audit?pilot_id=99999999999999999999",
    "/admin/audit?pilot_id=%C2%B2",
    "/admin/users/99999999999999999999/edit",
    "/admin/goals/99999999999999999999/edit",
])
def test_huge_integers_in_urls_are_a_message_or_a_404(client, login_as, path):
    login_as(Role.ADMIN)
    assert client.get(path).status_code in (404, 422)


def test_huge_positions_and_horizons_are_a_message(client, db, login_as):
    login_as(Role.ADMIN)
    framework = db.scalar(select(GoalFramework))
    nines = "9" * 400
    response = client.post(f"/admin/goals/{framework.id}/edit", data={"name": framework.name, "position": nines})
    assert response.status_code == 422 and "Ange ett heltal från 0 till 10 000." in response.get_data(as_text=True)
    settings_form = {"organisation_name": "Förvaltningen", "discount_rate": "3", "horizon_years": nines,
                     "benefits_low": "80", "benefits_expected": "100", "benefits_high": "120",
                     "costs_low": "120", "costs_expected": "100", "costs_high": "90"}
    response = client.post("/admin/settings", data=settings_form)
    assert response.status_code == 422


@pytest.mark.parametrize("field", ["organisation_name", "discount_rate", "benefits_low"])
def test_blank_settings_are_a_field_error(client, db, login_as, field):
    login_as(Role.ADMIN)
    before = db.scalar(select(AppSettings.version))
    form = {"organisation_name": "Förvaltningen", "discount_rate": "3", "horizon_years": "5",
            "benefits_low": "80", "benefits_expected": "100", "benefits_high": "120",
            "costs_low": "120", "costs_expected": "100", "costs_high": "90"}
    response = client.post("/admin/settings", data=form | {field: " "})
    assert response.status_code == 422
    assert re.search(rf'id="{field}-error"', response.get_data(as_text=True))
    db.expire_all()
    assert db.scalar(select(AppSettings.version)) == before


@pytest.mark.parametrize("path, data, model", [
    ("/admin/units/new", {"name": "   ", "level": "school"}, Unit),
    ("/admin/goals/new", {"name": " \t "}, GoalFramework),
    ("/admin/users/new", {"name": "  ", "email": "ny@example.org", "roles": ["viewer"],
                          "password": "en lång och ovanlig mening", "confirm": "en lång och ovanlig mening"}, User),
])
def test_names_of_only_spaces_are_refused(client, db, login_as, path, data, model):
    login_as(Role.ADMIN)
    count = len(db.scalars(select(model)).all())
    response = client.post(path, data=data)
    assert response.status_code == 422
    db.expire_all()
    assert len(db.scalars(select(model)).all()) == count


def test_a_goal_name_of_only_spaces_is_refused(client, db, login_as):
    login_as(Role.ADMIN)
    framework = db.scalar(select(GoalFramework))
    count = len(db.scalars(select(Goal)).all())
    assert client.post(f"/admin/goals/{framework.id}/goals/new", data={"name": "    "}).status_code == 422
    db.expire_all()
    assert len(db.scalars(select(Goal)).all()) == count


def test_every_form_of_the_app_refuses_control_characters(app):
    """Every form derives from CheckedForm: a NUL in any text field is a message next to it (on
    PostgreSQL it could not even be stored), not a server error."""
    from flask_wtf import FlaskForm

    from portfolio.web.forms import CheckedForm

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    forms = {cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("portfolio.")}
    assert len(forms) > 10
    assert not sorted(cls.__qualname__ for cls in forms if not issubclass(cls, CheckedForm)), \
        "derive these forms from portfolio.web.forms.CheckedForm"


def test_a_nul_in_a_sign_in_or_a_token_name_is_a_message(client, db, login_as):
    response = client.post("/login", data={"email": "a\x00@example.org", "password": "x"})
    assert response.status_code == 422 and "osynliga styrtecken" in response.get_data(as_text=True)
    login_as(Role.VIEWER)
    response = client.post("/account/tokens", data={"name": "Rapport\x00"})
    assert response.status_code == 422 and "osynliga styrtecken" in response.get_data(as_text=True)


@pytest.mark.parametrize("digits", ["²", "١٢٣", "½", "99999999999"])
def test_ids_in_other_digits_or_beyond_a_row_id_are_refused_not_a_server_error(
        client, pilot, login_as, people, digits):
    """`"²".isdigit()` is true but `int("²")` fails: such ids are treated as no id at all."""
    login_as(Role.INNOVATION_LEADER)
    removed = client.post(f"/pilots/{pilot.code}/plan/remove", data={"kind": "milestone", "part_id": digits})
    assert removed.status_code == 302
    reopened = client.post(f"/pilots/{pilot.code}/process/reopen", data={"step": digits, "reason": "x"})
    assert reopened.status_code < 500
