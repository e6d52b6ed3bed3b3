"""The page "Effektmål och resultat" and the forms behind it, as the innovation leader and others use them."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portfolio.domain.economics import BenefitClass, Direction
from portfolio.domain.lifecycle import Phase, Step
from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, EffectGoal, Indicator, Measurement, MeasurementPhase
from portfolio.services.audit import SECURITY_ACTIONS

from tests.web.html import error_for
from tests.conftest import count_queries, login
from tests.factories import make_effect_goal, make_indicator, make_measurement, make_pilot, make_user

NBSP = "\u00a0"


@pytest.fixture
def leader(people):
    return people[Role.INNOVATION_LEADER]


@pytest.fixture
def pilot(db, leader):
    pilot = make_pilot(db, leader=leader)
    db.commit()
    return pilot


@pytest.fixture
def data(db, pilot, leader):
    """One goal with one indicator (baseline 60, target 40, lower is better) and one measurement."""
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal)
    measurement = make_measurement(db, indicator, value="55", measured_on=dt.date(2026, 3, 1),
                                   recorded_by_id=leader.id)
    db.commit()
    return goal, indicator, measurement


def page(response) -> str:
    return response.get_data(as_text=True)


def state(db):
    """Everything a change route could change, read from the database."""
    db.expire_all()
    return (
        db.execute(select(EffectGoal.id, EffectGoal.statement, EffectGoal.category)).all(),
        db.execute(select(Indicator.id, Indicator.name, Indicator.target_value)).all(),
        db.execute(select(Measurement.id, Measurement.value, Measurement.measured_on)).all(),
        db.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.not_in(SECURITY_ACTIONS))),
    )


def audit_actions(db, entity):
    return db.execute(
        select(AuditEntry.action, AuditEntry.actor_id).where(AuditEntry.entity == entity).order_by(AuditEntry.id)
    ).all()


GOAL_FORM = {"statement": "Färre minuter på rutinfrågor i hallen", "category": "resource_efficiency",
             "beneficiary": "Pedagoger i förskolan"}
INDICATOR_FORM = {
    "name": "Minuter per dag",
    "unit": "minuter",
    "direction": "lower_is_better",
    "measurement_method": "Tidsloggning",
    "data_source": "Loggar",
    "frequency": "Per termin",
    "baseline_value": "1 234,5",
    "baseline_date": "2026-01-15",
    "target_value": "1 000",
    "target_date": "2026-12-15",
}
MEASUREMENT_FORM = {"measured_on": "2026-06-01", "value": "45,5", "phase": "test", "comment": "Efter sex veckor"}


def change_routes(pilot, goal, indicator, measurement):
    """Every route that changes effect data, with a valid form for it."""
    base = f"/pilots/{pilot.code}/effects"
    return [
        (f"{base}/goals/new", GOAL_FORM),
        (f"{base}/goals/{goal.id}/edit", GOAL_FORM),
        (f"{base}/goals/{goal.id}/delete", {}),
        (f"{base}/goals/{goal.id}/indicators/new", INDICATOR_FORM),
        (f"{base}/indicators/{indicator.id}/edit", INDICATOR_FORM),
        (f"{base}/indicators/{indicator.id}/delete", {}),
        (f"{base}/indicators/{indicator.id}/measurements/new", MEASUREMENT_FORM),
        (f"{base}/measurements/{measurement.id}/edit", MEASUREMENT_FORM),
        (f"{base}/measurements/{measurement.id}/delete", {}),
    ]


# -- the page ------------------------------------------------------------------------------


def test_page_shows_baseline_target_latest_and_realisation(client, db, pilot, data, login_as):
    _, indicator, _ = data
    make_measurement(db, indicator, value="45", measured_on=dt.date(2026, 6, 1))
    db.commit()
    login_as(Role.VIEWER)

    response = client.get(f"/pilots/{pilot.code}/effects")
    html = page(response)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Effektmål och resultat</h1>' in html
    assert "Färre minuter på rutinfrågor" in html and "Resurseffektivitet" in html
    assert "Lägre är bättre" in html and "Tidsloggning två veckor" in html and "Pedagogernas loggar" in html
    assert "60 minuter (2026-01-15)" in html
    assert "40 minuter (senast 2026-12-15)" in html
    assert "45 minuter (2026-06-01, test)" in html
    assert re.search(r"<strong>75[ \u00a0\u202f]%</strong>", html)


def test_chart_is_an_accessible_svg_with_baseline_target_and_a_table_of_the_numbers(client, db, pilot, data,
                                                                                     login_as):
    _, indicator, _ = data
    make_measurement(db, indicator, value="45", measured_on=dt.date(2026, 6, 1))
    db.commit()
    login_as(Role.VIEWER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))

    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert 'role="img"' in svg
    assert all(f'id="{ident}"' in svg for ident in labelled_by)
    assert "<title" in svg and "Utgångsvärde: 60 minuter. Målvärde: 40 minuter." in svg
    assert "2 mätvärden från 2026-03-01 till 2026-06-01; senaste 45 minuter." in svg
    assert "<polyline" in svg and svg.count("<circle") == 2
    assert 'stroke-dasharray="8 5"' in svg and 'stroke-dasharray="2 4"' in svg  # baseline and target
    assert "style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)  # strict CSP
    assert '<th scope="row" class="govuk-table__header app-nowrap">2026-03-01</th>' in html and '<td class="govuk-table__cell govuk-table__cell--numeric">45</td>' in html


def test_no_measurements_gives_a_chart_that_says_so(client, db, pilot, login_as):
    make_indicator(db, make_effect_goal(db, pilot))
    db.commit()
    login_as(Role.VIEWER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))
    assert "Inga mätvärden ännu" in html and "<polyline" not in html
    assert "Beräknas när det finns ett mätvärde." in html


def test_valuation_is_shown_read_only(client, db, pilot, login_as):
    indicator = make_indicator(db, make_effect_goal(db, pilot), value_per_unit=Decimal("5.5"),
                               annual_volume=Decimal("12000"), benefit_class=BenefitClass.REALLOCATION)
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))
    assert "Omfördelningsnytta" in html and f"5,50{NBSP}kr per enhet (minuter)" in html and f"12{NBSP}000" in html
    response = client.get(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/edit")
    assert response.status_code == 200
    assert 'name="value_per_unit"' not in page(response) and 'name="benefit_class"' not in page(response)


def test_readers_see_no_buttons_to_change_anything(client, pilot, data, login_as):
    for role in (Role.VIEWER, Role.FINANCE, Role.MANAGEMENT):
        login_as(role)
        html = page(client.get(f"/pilots/{pilot.code}/effects"))
        assert "Lägg till effektmål" not in html and "/edit" not in html and "/delete" not in html


def test_the_leader_sees_the_buttons(client, pilot, data, login_as):
    login_as(Role.INNOVATION_LEADER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))
    assert "Lägg till effektmål" in html and "Lägg till mätvärde" in html and "Ta bort måttet" in html


def test_an_empty_pilot_invites_the_leader_to_start(client, pilot, login_as):
    login_as(Role.INNOVATION_LEADER)
    assert "Piloten har inga effektmål ännu." in page(client.get(f"/pilots/{pilot.code}/effects"))


def test_unknown_pilot_is_404_and_anonymous_visitors_are_sent_to_login(client, pilot, login_as):
    assert client.get(f"/pilots/{pilot.code}/effects").status_code == 302
    login_as(Role.VIEWER)
    assert client.get("/pilots/INN-1999-999/effects").status_code == 404


def test_page_runs_a_fixed_number_of_queries(app, client, db, pilot, leader, login_as):
    def arrange(goals, indicators, measurements):
        for _ in range(goals):
            goal = make_effect_goal(db, pilot)
            for _ in range(indicators):
                indicator = make_indicator(db, goal)
                for n in range(measurements):
                    make_measurement(db, indicator, value=str(50 + n), measured_on=dt.date(2026, 1 + n, 1),
                                     recorded_by_id=make_user(db).id)
        db.commit()

    page = f"/pilots/{pilot.code}/effects"

    def queries():
        with count_queries(app) as statements:
            assert client.get(page).status_code == 200
        return len(statements)

    login_as(Role.VIEWER)
    arrange(1, 1, 1)
    small = queries()
    arrange(3, 3, 4)
    assert queries() == small


# -- the leader's changes ------------------------------------------------------------------


def test_leader_creates_a_goal_an_indicator_and_measurements(client, db, pilot, leader, login_as):
    login_as(Role.INNOVATION_LEADER)
    base = f"/pilots/{pilot.code}/effects"

    response = client.post(f"{base}/goals/new", data=GOAL_FORM)
    goal = db.scalar(select(EffectGoal))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"{base}#goal-{goal.id}")
    assert (goal.pilot_id, goal.statement, goal.beneficiary) == (pilot.id, GOAL_FORM["statement"],
                                                                 "Pedagoger i förskolan")

    response = client.post(f"{base}/goals/{goal.id}/indicators/new", data=INDICATOR_FORM)
    indicator = db.scalar(select(Indicator))
    assert response.status_code == 302
    assert indicator.effect_goal_id == goal.id and indicator.direction is Direction.LOWER_IS_BETTER
    assert (indicator.baseline_value, indicator.target_value) == (Decimal("1234.5"), Decimal("1000"))
    assert indicator.target_date == dt.date(2026, 12, 15)

    for measured_on, value in (("2026-03-01", "1 200"), ("2026-06-01", "1 117,25")):
        response = client.post(f"{base}/indicators/{indicator.id}/measurements/new",
                               data=MEASUREMENT_FORM | {"measured_on": measured_on, "value": value})
        assert response.status_code == 302
    values = db.execute(select(Measurement.value, Measurement.recorded_by_id).order_by(Measurement.measured_on)).all()
    assert values == [(Decimal("1200"), leader.id), (Decimal("1117.25"), leader.id)]

    html = page(client.get(base))
    assert f"1{NBSP}117,25 minuter (2026-06-01, test)" in html
    assert re.search(r"<strong>50[ \u00a0\u202f]%</strong>", html)  # (1234,5 − 1117,25) / (1234,5 − 1000)
    assert audit_actions(db, "effect_goal") == [("create", leader.id)]
    assert audit_actions(db, "indicator") == [("create", leader.id)]
    assert audit_actions(db, "measurement") == [("create", leader.id)] * 2


def test_bad_goal_keeps_the_input_shows_the_error_and_saves_nothing(client, db, pilot, login_as):
    login_as(Role.INNOVATION_LEADER)
    response = client.post(f"/pilots/{pilot.code}/effects/goals/new",
                           data=GOAL_FORM | {"statement": "   ", "beneficiary": "Rektorer"})
    html = page(response)
    assert response.status_code == 422
    assert "Beskriv effektmålet." in html and 'aria-invalid="true"' in html
    assert 'value="Rektorer"' in html
    assert state(db)[0] == [] and state(db)[3] == 0


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("baseline_value", "sextio", "Ange ett tal, till exempel 1 234,50."),
        ("target_value", "2 000", "Lägre är bättre: målvärdet ska vara lägre än utgångsvärdet."),
        ("target_value", "1234,5", "Målvärdet måste skilja sig från utgångsvärdet."),
        ("target_date", "2025-12-31", "Måldatum ska vara efter datumet för utgångsvärdet."),
        ("baseline_date", "15/1 2026", "Datum för utgångsvärdet måste vara ett riktigt datum"),
        ("name", "", "Ange vad som mäts."),
        ("direction", "", "Välj om högre eller lägre värden är bättre."),
    ],
)
def test_bad_indicator_keeps_the_input_shows_the_error_next_to_the_field_and_saves_nothing(
        client, db, pilot, data, login_as, field, typed, message):
    goal, _, _ = data
    before = state(db)
    login_as(Role.INNOVATION_LEADER)
    response = client.post(f"/pilots/{pilot.code}/effects/goals/{goal.id}/indicators/new",
                           data=INDICATOR_FORM | {field: typed})
    html = page(response)
    assert response.status_code == 422
    assert message in error_for(html, field)
    assert re.search(rf'aria-describedby="[^"]*\b{field}-error"', html)
    if typed:  # what was typed is shown again (a date in the date input's year, month and day boxes)
        is_date = field.endswith("_date") and re.fullmatch(r"\d+-\d+-\d+", typed)
        assert all(f'value="{part}"' in html for part in (typed.split("-") if is_date else [typed]))
    assert "Tidsloggning</textarea>" in html  # the rest of the input is kept too
    assert state(db) == before


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("value", "45 minuter", "Ange ett tal"),
        ("value", "", "Ange det uppmätta värdet."),
        ("measured_on", "2026-13-01", "Mätdatum måste vara ett riktigt datum"),
        ("measured_on", "", "Ange datum för mätningen."),
    ],
)
def test_bad_measurement_keeps_the_input_and_saves_nothing(client, db, pilot, data, login_as, field, typed, message):
    _, indicator, _ = data
    before = state(db)
    login_as(Role.INNOVATION_LEADER)
    response = client.post(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new",
                           data=MEASUREMENT_FORM | {field: typed})
    html = page(response)
    assert response.status_code == 422
    assert message in error_for(html, field)
    assert "Efter sex veckor</textarea>" in html
    assert state(db) == before


def test_negative_measurements_are_accepted(client, db, pilot, data, login_as):
    _, indicator, _ = data
    login_as(Role.INNOVATION_LEADER)
    client.post(f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new",
                data=MEASUREMENT_FORM | {"value": "-12,5"})
    assert db.scalar(select(Measurement.value).order_by(Measurement.id.desc()).limit(1)) == Decimal("-12.5")


def test_edit_forms_show_the_current_values_the_swedish_way(client, pilot, data, login_as):
    goal, indicator, measurement = data
    login_as(Role.INNOVATION_LEADER)
    base = f"/pilots/{pilot.code}/effects"
    assert "Färre minuter på rutinfrågor</textarea>" in page(client.get(f"{base}/goals/{goal.id}/edit"))
    html = page(client.get(f"{base}/indicators/{indicator.id}/edit"))
    assert 'value="60"' in html
    assert re.search(r'id="baseline_date-year" name="baseline_date-year" type="text" inputmode="numeric" value="2026"', html)
    assert 'id="baseline_date-day" name="baseline_date-day" type="text" inputmode="numeric" value="15"' in html
    assert '<option selected value="lower_is_better">' in html
    html = page(client.get(f"{base}/measurements/{measurement.id}/edit"))
    assert 'value="55"' in html and 'name="measured_on-month" type="text" inputmode="numeric" value="3"' in html


def test_leader_edits_goal_indicator_and_measurement(client, db, pilot, leader, data, login_as):
    goal, indicator, measurement = data
    login_as(Role.INNOVATION_LEADER)
    base = f"/pilots/{pilot.code}/effects"
    assert client.post(f"{base}/goals/{goal.id}/edit", data=GOAL_FORM | {"category": "quality"}).status_code == 302
    assert client.post(f"{base}/indicators/{indicator.id}/edit", data=INDICATOR_FORM).status_code == 302
    response = client.post(f"{base}/measurements/{measurement.id}/edit",
                           data=MEASUREMENT_FORM | {"phase": "follow_up"})
    assert response.headers["Location"].endswith(f"#indicator-{indicator.id}")
    assert goal.category == "quality" and indicator.name == "Minuter per dag"
    assert (measurement.value, measurement.phase) == (Decimal("45.5"), MeasurementPhase.FOLLOW_UP)
    for entity in ("effect_goal", "indicator", "measurement"):
        assert audit_actions(db, entity) == [("update", leader.id)]


def test_deleting_a_goal_asks_first_and_says_what_goes_with_it(client, db, pilot, leader, data, login_as):
    goal, indicator, _ = data
    make_measurement(db, indicator, value="50", measured_on=dt.date(2026, 6, 1))
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    url = f"/pilots/{pilot.code}/effects/goals/{goal.id}/delete"

    html = page(client.get(url))
    assert "Är du säker?" in html
    assert "tillsammans med dess 1 mått och 2 mätvärden" in html
    assert state(db)[0] != []  # looking is not deleting

    response = client.post(url)
    assert response.status_code == 302
    assert state(db)[:3] == ([], [], [])
    assert audit_actions(db, "effect_goal") == [("delete", leader.id)]
    assert len(audit_actions(db, "measurement")) == 2


def test_deleting_an_indicator_and_a_measurement_ask_first(client, db, pilot, data, login_as):
    goal, indicator, measurement = data
    other = make_indicator(db, goal, name="Nöjdhet")
    lone = make_measurement(db, other, value="3")
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    base = f"/pilots/{pilot.code}/effects"

    html = page(client.get(f"{base}/indicators/{indicator.id}/delete"))
    assert "Är du säker?" in html and "dess 1 mätvärde och" in html
    html = page(client.get(f"{base}/measurements/{lone.id}/delete"))
    assert "Är du säker?" in html and "Nöjdhet: mätning 2026-06-01" in html

    client.post(f"{base}/indicators/{indicator.id}/delete")
    client.post(f"{base}/measurements/{lone.id}/delete")
    _, indicators, measurements, _ = state(db)
    assert [row.name for row in indicators] == ["Nöjdhet"] and measurements == []


def test_delete_needs_a_csrf_token(csrf_app, people):
    from portfolio.db import get_session

    db = get_session()
    leader = people[Role.INNOVATION_LEADER]
    pilot = make_pilot(db, leader=leader)
    goal = make_effect_goal(db, pilot)
    db.commit()
    client = csrf_app.test_client()
    html = page(client.get("/login"))
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    client.post("/login", data={"email": leader.email, "password": "a long test password 2026", "csrf_token": token})
    url = f"/pilots/{pilot.code}/effects/goals/{goal.id}/delete"
    assert 'name="csrf_token"' in page(client.get(url))
    assert client.post(url).status_code == 400
    assert state(db)[0] != []


# -- who may change what -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.VIEWER, Role.FINANCE, Role.MANAGEMENT, Role.ADMIN, "other leader"])
def test_only_the_pilots_leader_may_change_effects(client, db, pilot, data, people, role):
    user = make_user(db, roles=[Role.INNOVATION_LEADER]) if role == "other leader" else people[role]
    db.commit()
    login(client, user)
    before = state(db)
    for url, form in change_routes(pilot, *data):
        assert client.get(url).status_code == 403, url
        assert client.post(url, data=form).status_code == 403, url
    assert state(db) == before


def test_ids_from_another_pilot_are_not_found(client, db, pilot, data, leader, login_as):
    other_pilot = make_pilot(db, leader=leader)
    other = make_effect_goal(db, other_pilot)
    other_indicator = make_indicator(db, other)
    other_measurement = make_measurement(db, other_indicator, value="1")
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    before = state(db)
    # The leader leads both pilots, but the ids must belong to the pilot in the URL.
    for url, form in change_routes(pilot, other, other_indicator, other_measurement)[1:]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, data=form).status_code == 404, url
    assert state(db) == before


# -- after the decision (DESIGN §3) ----------------------------------------------------------

LOCKED = "Piloten är beslutad. Underlaget kan inte ändras; rättelser görs genom ett nytt beslut."
FOLLOW_UP_FORM = MEASUREMENT_FORM | {"measured_on": "2026-09-01", "value": "42", "phase": "follow_up"}


@pytest.fixture
def decided(db, leader):
    """A decided pilot (in implementation) with a goal, an indicator, a test and a follow-up measurement."""
    pilot = make_pilot(db, phase=Phase.IMPLEMENTATION, step=Step.DECIDED, leader=leader)
    goal = make_effect_goal(db, pilot)
    indicator = make_indicator(db, goal)
    test = make_measurement(db, indicator, value="50", measured_on=dt.date(2026, 6, 1), recorded_by_id=leader.id)
    follow_up = make_measurement(db, indicator, value="45", measured_on=dt.date(2026, 8, 1),
                                 phase=MeasurementPhase.FOLLOW_UP, recorded_by_id=leader.id)
    db.commit()
    return pilot, goal, indicator, test, follow_up


def flashed_on_effects_page(response, pilot) -> bool:
    """Whether a followed redirect ended on the effects page showing the locked message."""
    return response.request.path == f"/pilots/{pilot.code}/effects" and LOCKED in page(response)


def test_on_a_decided_pilot_the_leader_cannot_change_goals_indicators_or_test_measurements(
        client, db, decided, login_as):
    pilot, goal, indicator, test, _ = decided
    login_as(Role.INNOVATION_LEADER)
    before = state(db)
    routes = [(url, form) for url, form in change_routes(pilot, goal, indicator, test)
              if not url.endswith("/measurements/new")]  # a new measurement may be a follow-up: below
    assert len(routes) == 8
    for url, form in routes:
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 200 and flashed_on_effects_page(response, pilot), url
        response = client.post(url, data=form, follow_redirects=True)
        assert response.status_code == 200 and flashed_on_effects_page(response, pilot), url
    assert state(db) == before


def test_a_new_measurement_on_a_decided_pilot_can_only_be_a_follow_up(client, db, decided, login_as):
    pilot, _, indicator, _, _ = decided
    login_as(Role.INNOVATION_LEADER)
    url = f"/pilots/{pilot.code}/effects/indicators/{indicator.id}/measurements/new"
    html = page(client.get(url))
    assert 'value="follow_up"' in html and 'value="test"' not in html
    assert "mätvärden registreras nu som uppföljning" in html
    before = state(db)

    response = client.post(url, data=MEASUREMENT_FORM)  # phase "test", typed by hand
    assert response.status_code == 422
    assert 'Välj uppföljning: piloten är beslutad' in error_for(page(response), 'phase')
    assert "Efter sex veckor</textarea>" in page(response)
    assert state(db) == before


def test_follow_up_measurements_of_a_decided_pilot_are_added_corrected_and_deleted(
        client, db, decided, leader, login_as):
    pilot, _, indicator, test, follow_up = decided
    login_as(Role.INNOVATION_LEADER)
    base = f"/pilots/{pilot.code}/effects"

    response = client.post(f"{base}/indicators/{indicator.id}/measurements/new", data=FOLLOW_UP_FORM)
    assert response.status_code == 302
    added = db.scalar(select(Measurement).where(Measurement.measured_on == dt.date(2026, 9, 1)))
    assert (added.value, added.phase, added.recorded_by_id) == (Decimal("42"), MeasurementPhase.FOLLOW_UP, leader.id)

    assert "Ändra mätvärde" in page(client.get(f"{base}/measurements/{follow_up.id}/edit"))
    response = client.post(f"{base}/measurements/{follow_up.id}/edit",
                           data=FOLLOW_UP_FORM | {"measured_on": "2026-08-01", "value": "44"})
    assert response.status_code == 302
    # ... but a follow-up measurement cannot become a test one
    assert client.post(f"{base}/measurements/{follow_up.id}/edit", data=MEASUREMENT_FORM).status_code == 422

    assert "Är du säker?" in page(client.get(f"{base}/measurements/{added.id}/delete"))
    assert client.post(f"{base}/measurements/{added.id}/delete").status_code == 302

    _, _, measurements, _ = state(db)
    assert measurements == [(test.id, Decimal("50"), dt.date(2026, 6, 1)),
                            (follow_up.id, Decimal("44"), dt.date(2026, 8, 1))]
    assert audit_actions(db, "measurement") == [("create", leader.id), ("update", leader.id), ("delete", leader.id)]


def test_a_decided_pilots_page_says_why_and_offers_only_follow_up(client, decided, login_as):
    pilot, goal, indicator, test, follow_up = decided
    login_as(Role.INNOVATION_LEADER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))
    assert f'<div class="govuk-inset-text">{LOCKED} Mätvärden från uppföljningen kan fortfarande' in html
    for hidden in ("Lägg till effektmål", "Lägg till mått", "Ändra effektmålet", "Ta bort effektmålet",
                   "Ändra måttet", "Ta bort måttet", f"/measurements/{test.id}/", f"/goals/{goal.id}/",
                   f"/indicators/{indicator.id}/edit", f"/indicators/{indicator.id}/delete"):
        assert hidden not in html, hidden
    assert "Del av beslutsunderlaget" in html
    assert "Lägg till uppföljningsmätvärde" in html
    assert f"/measurements/{follow_up.id}/edit" in html and f"/measurements/{follow_up.id}/delete" in html

    login_as(Role.VIEWER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))
    assert LOCKED in html and "Mätvärden från uppföljningen" not in html and "/edit" not in html


def test_a_pilot_closed_during_the_test_is_not_locked(client, db, leader, login_as):
    pilot = make_pilot(db, phase=Phase.CLOSED, step=Step.NONE, leader=leader)
    goal = make_effect_goal(db, pilot)
    db.commit()
    login_as(Role.INNOVATION_LEADER)
    html = page(client.get(f"/pilots/{pilot.code}/effects"))
    assert LOCKED not in html and "Ändra effektmålet" in html and "Lägg till effektmål" in html
    response = client.post(f"/pilots/{pilot.code}/effects/goals/{goal.id}/edit", data=GOAL_FORM)
    assert response.status_code == 302
    assert state(db)[0] == [(goal.id, GOAL_FORM["statement"], "resource_efficiency")]
