"""The admin area as an administrator uses it: users, units, goals, settings and the audit log."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from portfolio.domain.roles import Role
from portfolio.models import AppSettings, AuditEntry, Goal, GoalFramework, Unit, User, UnitLevel
from portfolio.services import audit
from portfolio.services.audit import SECURITY_ACTIONS
from tests import factories
from tests.factories import PASSWORD
from tests.web.html import error_for
from tests.conftest import count_queries, get_session, login

NBSP = "\u00a0"


@pytest.fixture
def admin(login_as):
    return login_as(Role.ADMIN)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _entries(db, entity=None, action=None) -> list[AuditEntry]:
    db.expire_all()
    statement = select(AuditEntry).order_by(AuditEntry.id)
    if action not in SECURITY_ACTIONS:  # changes only, unless a security event is asked for
        statement = statement.where(AuditEntry.action.not_in(SECURITY_ACTIONS))
    if entity:
        statement = statement.where(AuditEntry.entity == entity)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return list(db.scalars(statement))


def _error_after(page: str, field_id: str) -> str:
    """The error message rendered for a field (the macro links it by id)."""
    return error_for(page, field_id)


# Access --------------------------------------------------------------------------------------

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/units", "/admin/units/new", "/admin/goals",
               "/admin/goals/new", "/admin/goals/1/edit", "/admin/goals/1/goals/new", "/admin/goals/1/goals/1/edit",
               "/admin/settings", "/admin/audit"]


def test_every_admin_page_opens_for_an_admin_with_one_heading_and_the_sub_navigation(client, admin, people):
    user_id = people[Role.VIEWER].id
    for path in [*ADMIN_PAGES, f"/admin/users/{user_id}/edit", f"/admin/users/{user_id}/password"]:
        response = client.get(path)
        page = _html(response)
        assert response.status_code == 200, path
        assert page.count("<h1") == 1, path
        assert '<nav class="app-subnav" aria-label="Administration">' in page, path
        for label in ("Användare", "Enheter", "Mål", "Inställningar", "Logg"):
            assert f">{label}<" in page, (path, label)


def test_the_sub_navigation_marks_the_current_section(client, admin):
    page = _html(client.get("/admin/units"))
    assert '<a class="govuk-link" href="/admin/units" aria-current="page"><strong>Enheter</strong></a>' in page
    assert '<a class="govuk-link" href="/admin/users">Användare</a>' in page
    page = _html(client.get("/admin/goals/1/goals/new"))
    assert '<a class="govuk-link" href="/admin/goals" aria-current="true"><strong>Mål</strong></a>' in page


def test_the_header_links_admins_to_the_admin_area(client, admin):
    page = _html(client.get("/admin/settings"))
    assert re.search(r'<a class="govuk-service-navigation__link" href="/admin/users" aria-current="true">\s*'
                     r'<strong class="govuk-service-navigation__active-fallback">Administration</strong>', page)
    assert client.get("/admin/").headers["Location"].endswith("/admin/users")


@pytest.mark.parametrize("role", [Role.INNOVATION_LEADER, Role.FINANCE, Role.MANAGEMENT, Role.VIEWER])
def test_other_roles_are_refused_and_change_nothing(client, db, login_as, people, role):
    user = login_as(role)
    target = people[Role.VIEWER]
    for path in ADMIN_PAGES:
        assert client.get(path).status_code == 403, path
    posts = {
        "/admin/users/new": {"name": "Inkräktare", "email": "x@example.se", "roles": "admin",
                             "password": "ett långt lösenord här", "confirm": "ett långt lösenord här"},
        f"/admin/users/{user.id}/edit": {"name": user.name, "email": user.email, "roles": ["viewer", "admin"],
                                         "active": "y"},
        f"/admin/users/{target.id}/password": {"password": "ett långt lösenord här",
                                               "confirm": "ett långt lösenord här"},
        "/admin/units/new": {"name": "Ny enhet", "level": "school"},
        "/admin/goals/new": {"name": "Ny målram"},
        "/admin/goals/1/goals/new": {"name": "Nytt mål"},
        "/admin/goals/1/goals/1/edit": {"name": "Ändrat", "position": "1"},
        "/admin/settings": {"organisation_name": "Kapat", "discount_rate": "10", "horizon_years": "3"},
    }
    for path, data in posts.items():
        assert client.post(path, data=data).status_code == 403, path
    assert db.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action.not_in(SECURITY_ACTIONS))) == 0
    # Every refusal is a security event: who, what, from where.
    denied = _entries(db, action="access_denied")
    assert len(denied) == len(ADMIN_PAGES) + len(posts)
    assert {entry.actor_id for entry in denied} == {user.id}
    assert {(entry.after["method"], entry.after["path"]) for entry in denied} >= {("POST", "/admin/settings")}
    assert Role.ADMIN not in db.get(User, user.id).roles
    assert db.scalar(select(func.count(Unit.id))) == 0
    assert db.get(AppSettings, 1).organisation_name == "Skol- och fritidsförvaltningen"


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/admin/users")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


# Users ---------------------------------------------------------------------------------------


def test_user_list_shows_names_emails_swedish_roles_and_status(client, db, admin):
    factories.make_user(db, name="Åsa Ek", email="asa@example.se", roles=[Role.FINANCE, Role.MANAGEMENT],
                        active=False)
    db.commit()
    page = _html(client.get("/admin/users"))
    row = page[page.index("Åsa Ek"):]
    row = row[: row.index("</tr>")]
    assert "asa@example.se" in row
    assert "Ekonomi, Ledningsgrupp" in row
    assert "Inaktiv" in row
    for label in ("Innovationsledare", "Läsare", "Administratör"):
        assert label in page


def test_user_list_is_paginated(client, db, admin):
    for n in range(30):
        factories.make_user(db, name=f"Zeta {n:02d}")
    db.commit()  # 5 people + 30 = 35 users, 25 a page
    first = _html(client.get("/admin/users"))
    second = _html(client.get("/admin/users?page=2"))
    assert "Zeta 29" not in first and "Zeta 29" in second
    assert 'href="/admin/users?page=2"' in first
    assert client.get("/admin/users?page=99").status_code == 200
    assert client.get("/admin/users?page=nonsense").status_code == 200


def test_user_list_runs_the_same_queries_for_few_and_many_users(client, db, admin, app):
    with count_queries(app) as few:
        assert client.get("/admin/users").status_code == 200
    for _ in range(20):
        factories.make_user(db, roles=[Role.VIEWER, Role.FINANCE])
    db.commit()
    with count_queries(app) as many:
        assert client.get("/admin/users").status_code == 200
    assert len(few) == len(many)


def test_admin_creates_a_user_who_can_log_in(client, db, admin, app):
    response = client.post("/admin/users/new", data={"current_password": PASSWORD, 
        "name": "Maja Lind", "email": "Maja.Lind@Example.se", "roles": ["innovation_leader", "viewer"],
        "password": "kaffe och kanelbullar varje dag", "confirm": "kaffe och kanelbullar varje dag",
    })
    assert response.status_code == 302 and response.headers["Location"].endswith("/admin/users")
    assert "Användaren Maja Lind är skapad." in _html(client.get("/admin/users"))

    user = db.scalar(select(User).where(User.email == "maja.lind@example.se"))
    assert user.roles == {Role.INNOVATION_LEADER, Role.VIEWER}
    [entry] = _entries(db, "user", "create")
    assert entry.actor_id == admin.id
    assert user.password_hash not in repr((entry.before, entry.after)) and "password" not in repr(entry.after)

    other = app.test_client()
    login(other, user, "kaffe och kanelbullar varje dag")


def test_a_taken_email_is_reported_next_to_the_field_and_the_input_kept(client, db, admin, people):
    taken = people[Role.FINANCE].email
    response = client.post("/admin/users/new", data={"current_password": PASSWORD, 
        "name": "Dubbel Person", "email": taken.upper(), "roles": ["viewer"],
        "password": "en lång och ovanlig fras", "confirm": "en lång och ovanlig fras",
    })
    page = _html(response)
    assert response.status_code == 422
    assert _error_after(page, "email") == "Det finns redan en användare med den här e-postadressen."
    assert 'value="Dubbel Person"' in page and 'aria-invalid="true"' in page
    assert 'value="viewer" checked' in page or re.search(r'checked[^>]*value="viewer"', page)
    assert _entries(db, "user") == []


@pytest.mark.parametrize(("password", "message"), [
    ("kort123", "Lösenordet måste ha minst 12 tecken."),
    ("Password1234", "Lösenordet är för vanligt och lätt att gissa."),
    ("x" * 300, "Lösenordet får ha högst 256 tecken."),
])
def test_a_refused_password_says_why_in_swedish(client, db, admin, password, message):
    response = client.post("/admin/users/new", data={"current_password": PASSWORD, 
        "name": "Ny Person", "email": "ny@example.se", "roles": ["viewer"], "password": password, "confirm": password,
    })
    assert response.status_code == 422
    assert _error_after(_html(response), "password").startswith(message)
    assert db.scalar(select(User).where(User.email == "ny@example.se")) is None


def test_a_new_user_needs_a_name_an_email_of_the_right_shape_and_a_role(client, db, admin):
    response = client.post("/admin/users/new", data={"current_password": PASSWORD, "name": "", "email": "inte-en-adress",
                                                     "password": "x", "confirm": "y"})
    page = _html(response)
    assert response.status_code == 422
    assert _error_after(page, "name") == "Ange ett namn."
    assert _error_after(page, "email").startswith("Ange en e-postadress")
    assert _error_after(page, "roles") == "Välj minst en roll."
    assert _error_after(page, "confirm") == "Lösenorden är inte lika."
    assert 'value="inte-en-adress"' in page


def test_admin_changes_roles_and_deactivates_another_user_with_an_audit_entry(client, db, admin, people, app):
    user = people[Role.VIEWER]
    response = client.post(f"/admin/users/{user.id}/edit", data={"current_password": PASSWORD, 
        "name": "Ny Namn", "email": user.email, "roles": ["management"],  # active left unticked
    })
    assert response.status_code == 302

    user = db.get(User, user.id)
    assert user.name == "Ny Namn" and user.roles == {Role.MANAGEMENT} and not user.active
    [entry] = _entries(db, "user", "update")
    assert entry.before["roles"] == ["viewer"] and entry.after["roles"] == ["management"]
    assert entry.before["active"] is True and entry.after["active"] is False
    # A deactivated account can no longer log in.
    refused = app.test_client().post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert refused.status_code == 422


def test_the_edit_form_shows_the_users_current_values(client, db, admin, people):
    user = people[Role.FINANCE]
    page = _html(client.get(f"/admin/users/{user.id}/edit"))
    assert f'value="{user.email}"' in page and f'value="{user.name}"' in page
    assert re.search(r'<input checked class="govuk-checkboxes__input" id="roles-\d" name="roles" type="checkbox" value="finance">', page)
    assert re.search(r'<input[^>]*checked[^>]*id="active"', page)


def test_an_admin_cannot_deactivate_themselves(client, db, admin):
    response = client.post(f"/admin/users/{admin.id}/edit", data={"current_password": PASSWORD, 
        "name": admin.name, "email": admin.email, "roles": ["admin"],
    })
    assert response.status_code == 422
    assert _error_after(_html(response), "active") == "Du kan inte inaktivera ditt eget konto."
    assert db.get(User, admin.id).active and _entries(db, "user") == []
    assert client.get("/admin/users").status_code == 200  # still logged in, still admin


def test_an_admin_cannot_remove_their_own_admin_role(client, db, admin):
    response = client.post(f"/admin/users/{admin.id}/edit", data={"current_password": PASSWORD, 
        "name": admin.name, "email": admin.email, "roles": ["viewer"], "active": "y",
    })
    assert response.status_code == 422
    assert _error_after(_html(response), "roles") == "Du kan inte ta bort din egen administratörsroll."
    assert db.get(User, admin.id).roles == {Role.ADMIN}
    assert client.get("/admin/users").status_code == 200


def test_editing_to_a_taken_email_is_refused(client, db, admin, people):
    user, other = people[Role.VIEWER], people[Role.FINANCE]
    response = client.post(f"/admin/users/{user.id}/edit", data={"current_password": PASSWORD, 
        "name": user.name, "email": other.email, "roles": ["viewer"], "active": "y",
    })
    assert response.status_code == 422
    assert _error_after(_html(response), "email") == "Det finns redan en användare med den här e-postadressen."
    assert f'value="{other.email}"' in _html(response)


def test_admin_sets_a_new_password(client, db, admin, people, app):
    user = people[Role.VIEWER]
    response = client.post(f"/admin/users/{user.id}/password", data={"current_password": PASSWORD, 
        "password": "sommarlov vid havet 2026", "confirm": "sommarlov vid havet 2026",
    })
    assert response.status_code == 302
    [entry] = _entries(db, "user", "set_password")
    assert entry.entity_id == user.id and entry.before is None and entry.after is None
    login(app.test_client(), user, "sommarlov vid havet 2026")


def test_a_too_short_new_password_is_refused(client, db, admin, people):
    user = people[Role.VIEWER]
    response = client.post(f"/admin/users/{user.id}/password", data={"current_password": PASSWORD, "password": "kort", "confirm": "kort"})
    assert response.status_code == 422
    assert _error_after(_html(response), "password") == "Lösenordet måste ha minst 12 tecken."
    assert _entries(db, "user") == []


def test_an_unknown_user_is_not_found(client, admin):
    assert client.get("/admin/users/9999/edit").status_code == 404
    assert client.get("/admin/users/9999/password").status_code == 404


# Units ---------------------------------------------------------------------------------------


def test_admin_adds_and_lists_a_unit(client, db, admin):
    response = client.post("/admin/units/new", data={"name": "Förskolan Lärkan", "level": "school"})
    assert response.status_code == 302
    page = _html(client.get("/admin/units"))
    assert "Enheten Förskolan Lärkan är skapad." in page
    row = page[page.index("<th scope=\"row\" class=\"govuk-table__header\">Förskolan Lärkan"):]
    assert "Skola" in row[: row.index("</tr>")]
    [entry] = _entries(db, "unit", "create")
    assert entry.after == {"name": "Förskolan Lärkan", "level": "school", "active": True}


def test_a_unit_name_in_use_is_reported_and_the_input_kept(client, db, admin):
    factories.make_unit(db, name="Östra skolan")
    db.commit()
    response = client.post("/admin/units/new", data={"name": "östra skolan", "level": "area"})
    page = _html(response)
    assert response.status_code == 422
    assert _error_after(page, "name") == "Namnet används redan. Välj ett annat namn."
    assert 'value="östra skolan"' in page and '<option selected value="area">' in page


def test_admin_deactivates_a_used_unit_which_is_kept(client, db, admin):
    unit = factories.make_unit(db, name="Västra området", level=UnitLevel.AREA)
    pilot = factories.make_pilot(db, unit=unit)
    db.commit()
    page = _html(client.get("/admin/units"))
    row = page[page.index("Västra området"):]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in row[: row.index("</tr>")]  # one pilot uses it

    response = client.post(f"/admin/units/{unit.id}/edit", data={"name": "Västra området", "level": "area"})
    assert response.status_code == 302
    assert db.get(Unit, unit.id).active is False
    assert db.get(type(pilot), pilot.id).unit_id == unit.id
    [entry] = _entries(db, "unit", "update")
    assert entry.before == {"active": True} and entry.after == {"active": False}
    assert "Inaktiv" in _html(client.get("/admin/units"))


def test_unit_levels_are_offered_in_swedish(client, admin):
    page = _html(client.get("/admin/units/new"))
    for value, label in (("school", "Skola"), ("area", "Område"), ("administration", "Förvaltning"),
                         ("city", "Stad")):
        assert f'value="{value}">{label}</option>' in page


def test_an_unknown_unit_is_not_found(client, admin):
    assert client.get("/admin/units/9999/edit").status_code == 404


# Goal frameworks and goals -------------------------------------------------------------------


def test_the_goals_page_lists_the_seeded_digitalisation_strategy(client, admin):
    page = _html(client.get("/admin/goals"))
    assert "Digitaliseringsstrategin" in page
    assert "Barn och elevers adekvata digitala kompetens" in page
    assert "Likvärdigt och användarvänligt ekosystem" in page
    assert "Barn och elever är möjliggörare av den innovativa och smarta staden" in page


def test_admin_adds_a_framework_and_a_goal(client, db, admin):
    response = client.post("/admin/goals/new", data={"name": "Verksamhetsplan 2026"})
    assert response.status_code == 302
    framework = db.scalar(select(GoalFramework).where(GoalFramework.name == "Verksamhetsplan 2026"))
    assert response.headers["Location"].endswith(f"/admin/goals#framework-{framework.id}")

    response = client.post(f"/admin/goals/{framework.id}/goals/new", data={"name": "Ökad måluppfyllelse"})
    assert response.status_code == 302
    page = _html(client.get("/admin/goals"))
    assert "Verksamhetsplan 2026" in page and "Ökad måluppfyllelse" in page
    assert [e.entity for e in _entries(db)] == ["goal_framework", "goal"]


def test_admin_renames_reorders_and_deactivates_a_goal(client, db, admin):
    response = client.post("/admin/goals/1/goals/2/edit", data={"name": "Ett likvärdigt ekosystem", "position": "9"})
    assert response.status_code == 302
    goal = db.get(Goal, 2)
    assert (goal.name, goal.position, goal.active) == ("Ett likvärdigt ekosystem", 9, False)
    [entry] = _entries(db, "goal", "update")
    assert entry.before == {"name": "Likvärdigt och användarvänligt ekosystem", "position": 2, "active": True}
    assert "Inaktivt" in _html(client.get("/admin/goals"))


def test_admin_deactivates_a_framework(client, db, admin):
    response = client.post("/admin/goals/1/edit", data={"name": "Digitaliseringsstrategin", "position": "1"})
    assert response.status_code == 302
    assert db.get(GoalFramework, 1).active is False


def test_goal_form_errors_keep_the_input(client, db, admin):
    response = client.post("/admin/goals/1/goals/1/edit", data={"name": "Likvärdigt och användarvänligt ekosystem",
                                                                "position": "först", "active": "y"})
    page = _html(response)
    assert response.status_code == 422
    assert _error_after(page, "position")  # "först" is not a number
    assert 'value="först"' in page
    assert db.get(Goal, 1).name == "Barn och elevers adekvata digitala kompetens"


def test_a_duplicate_goal_name_is_reported_next_to_the_field(client, db, admin):
    response = client.post("/admin/goals/1/goals/new", data={"name": "likvärdigt och användarvänligt ekosystem"})
    assert response.status_code == 422
    assert _error_after(_html(response), "name") == "Målramen har redan ett mål med det namnet."


def test_a_duplicate_framework_name_is_reported_next_to_the_field(client, admin):
    response = client.post("/admin/goals/new", data={"name": "Digitaliseringsstrategin"})
    assert response.status_code == 422
    assert _error_after(_html(response), "name") == "Namnet används redan. Välj ett annat namn."


def test_a_goal_is_only_reached_through_its_own_framework(client, db, admin):
    other = GoalFramework(name="Nämndens mål", position=2, active=True)
    db.add(other)
    db.commit()
    assert client.get(f"/admin/goals/{other.id}/goals/1/edit").status_code == 404
    assert client.get("/admin/goals/999/edit").status_code == 404
    assert client.get("/admin/goals/999/goals/new").status_code == 404


# Settings ------------------------------------------------------------------------------------


def test_settings_are_shown_as_swedish_percentages(client, db, admin):
    current = db.get(AppSettings, 1)
    current.discount_rate = Decimal("0.035")
    current.ramp_up = ["0.5", "0.75"]
    db.commit()
    page = _html(client.get("/admin/settings"))
    assert 'name="discount_rate"' in page and re.search(r'id="discount_rate"[^>]*value="3,5"', page)
    assert re.search(r'id="ramp_up"[^>]*value="50; 75"', page)
    assert re.search(r'id="horizon_years"[^>]*value="5"', page)
    assert re.search(r'id="benefits_low"[^>]*value="50"', page)
    assert re.search(r'id="costs_low"[^>]*value="120"', page)


SETTINGS_FORM = {
    "organisation_name": "Skol- och fritidsförvaltningen", "discount_rate": "3,5", "horizon_years": "10",
    "ramp_up": "50; 100", "benefits_low": "40", "benefits_expected": "100", "benefits_high": "125,5",
    "costs_low": "130", "costs_expected": "100", "costs_high": "90",
}


def test_admin_saves_settings_as_fractions(client, db, admin):
    response = client.post("/admin/settings", data=SETTINGS_FORM)
    assert response.status_code == 302
    current = db.get(AppSettings, 1)
    assert current.discount_rate == Decimal("0.035")
    assert current.horizon_years == 10
    assert current.ramp_up == ["0.5", "1"]
    assert current.sensitivity == {"benefits_low": "0.4", "benefits_expected": "1", "benefits_high": "1.255",
                                   "costs_low": "1.3", "costs_expected": "1", "costs_high": "0.9"}
    [entry] = _entries(db, "settings")
    assert entry.actor_id == admin.id
    assert entry.before["discount_rate"] == "0.03" and entry.after["discount_rate"] == "0.035"
    assert "Inställningarna är sparade." in _html(client.get("/admin/settings"))


def test_an_empty_ramp_up_means_full_benefit_from_the_first_year(client, db, admin):
    db.get(AppSettings, 1).ramp_up = ["0.5"]
    db.commit()
    assert client.post("/admin/settings", data=SETTINGS_FORM | {"ramp_up": ""}).status_code == 302
    assert db.get(AppSettings, 1).ramp_up == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("discount_rate", "25", "Kalkylräntan kan vara högst 20 %."),
    ("discount_rate", "tre", "Ange ett tal, till exempel 1 234,50."),
    ("discount_rate", "-1", "Värdet får inte vara negativt."),
    ("discount_rate", "3,125", "Ange högst två decimaler."),
    ("horizon_years", "31", "Ange ett antal år från 1 till 30."),
    ("horizon_years", "0", "Ange ett antal år från 1 till 30."),
    ("ramp_up", "50; halv", "Ange procenttal separerade med semikolon, till exempel 50; 100."),
    ("ramp_up", "50; 120", "Varje värde måste vara mellan 0 och 100 %."),
    ("benefits_low", "", "Ange procent, till exempel 3,5."),
    ("benefits_expected", "130", "För nyttor ska lågt utfall vara högst förväntat och förväntat högst högt."),
    ("costs_high", "110", "För kostnader är lågt utfall det dyraste"),
    ("organisation_name", "", "Ange organisationens namn."),
])
def test_settings_errors_are_shown_next_to_the_field_and_nothing_is_saved(client, db, admin, field, value, message):
    response = client.post("/admin/settings", data=SETTINGS_FORM | {field: value})
    page = _html(response)
    assert response.status_code == 422
    # An inconsistent order of the cases is reported on the expected case.
    error_field = {"costs_high": "costs_expected"}.get(field, field)
    assert _error_after(page, error_field).startswith(message)
    if value:
        assert f'value="{value}"' in page  # the input is kept
    assert 'value="125,5"' in page  # and so are the other fields
    assert db.get(AppSettings, 1).discount_rate == Decimal("0.03")
    assert _entries(db, "settings") == []


def test_a_horizon_that_is_not_a_whole_number_is_refused_once(client, admin):
    page = _html(client.post("/admin/settings", data=SETTINGS_FORM | {"horizon_years": "5,5"}))
    assert _error_after(page, "horizon_years")
    assert "Ange ett antal år" not in _error_after(page, "horizon_years")


# Audit log -----------------------------------------------------------------------------------


def _log(db, actor, n, *, entity="unit", pilot_id=None):
    for i in range(n):
        audit.record(db, actor, "update", entity, i + 1, pilot_id=pilot_id, before={"name": f"Före {i}"},
                     after={"name": f"Efter {i}"})
    db.commit()


def test_the_audit_log_shows_who_when_what_and_before_and_after_newest_first(client, db, admin):
    client.post("/admin/units/new", data={"name": "Förskolan Ugglan", "level": "school"})
    unit = db.scalar(select(Unit).where(Unit.name == "Förskolan Ugglan"))
    client.post(f"/admin/units/{unit.id}/edit", data={"name": "Förskolan Uven", "level": "school", "active": "y"})

    page = _html(client.get("/admin/audit"))
    assert page.index("Ändrad") < page.index("Skapad")  # newest first
    assert "Namn: Förskolan Ugglan → Förskolan Uven" in page
    assert admin.name in page and "Enhet" in page
    assert re.search(r'<td class="govuk-table__cell app-nowrap">\d{4}-\d\d-\d\d \d\d:\d\d</td>', page)


def test_the_audit_log_never_shows_a_password_hash(client, db, admin, people):
    user = people[Role.VIEWER]
    client.post(f"/admin/users/{user.id}/password", data={"current_password": PASSWORD, "password": "sommarlov vid havet 2026",
                                                          "confirm": "sommarlov vid havet 2026"})
    page = _html(client.get("/admin/audit"))
    assert "Nytt lösenord" in page
    assert db.get(User, user.id).password_hash not in page and "$argon2" not in page


def test_the_audit_log_filters_by_entity_and_by_pilot(client, db, admin):
    pilot = factories.make_pilot(db)
    _log(db, admin, 2, entity="unit")
    _log(db, admin, 3, entity="pilot", pilot_id=pilot.id)

    by_entity = _html(client.get("/admin/audit?entity=unit"))
    assert by_entity.count("Namn: Före") == 2
    assert '<option selected value="unit">Enhet</option>' in by_entity

    by_pilot = _html(client.get(f"/admin/audit?pilot_id={pilot.id}"))
    assert by_pilot.count("Namn: Före") == 3 and pilot.code in by_pilot
    by_code = _html(client.get(f"/admin/audit?pilot_id={pilot.code.lower()}"))
    assert by_code.count("Namn: Före") == 3


def test_an_unknown_pilot_code_in_the_filter_is_explained(client, db, admin):
    _log(db, admin, 1)
    response = client.get("/admin/audit?pilot_id=INN-1999-999")
    assert response.status_code == 422
    assert _error_after(_html(response), "pilot_id") == "Det finns ingen pilot med koden INN-1999-999."


def test_the_audit_log_is_paginated_and_keeps_the_filter(client, db, admin):
    _log(db, admin, 60, entity="unit")
    first = _html(client.get("/admin/audit?entity=unit"))
    assert first.count("Namn: Före") == 50
    assert 'href="/admin/audit?entity=unit&amp;page=2"' in first
    assert _html(client.get("/admin/audit?entity=unit&page=2")).count("Namn: Före") == 10


def test_the_audit_list_runs_the_same_queries_for_few_and_many_entries(client, db, admin, app):
    pilot = factories.make_pilot(db)
    other_actor = factories.make_user(db, roles=[Role.FINANCE])
    _log(db, admin, 2, entity="pilot", pilot_id=pilot.id)
    with count_queries(app) as few:
        assert client.get("/admin/audit").status_code == 200
    more_pilots = [factories.make_pilot(db) for _ in range(5)]
    for extra in more_pilots:
        _log(db, other_actor, 8, entity="cost_item", pilot_id=extra.id)
    with count_queries(app) as many:
        assert client.get("/admin/audit").status_code == 200
    assert len(few) == len(many)


def test_settings_changes_read_as_percentages_in_the_log(client, db, admin):
    client.post("/admin/settings", data=SETTINGS_FORM)
    page = _html(client.get("/admin/audit"))
    assert f"Kalkylränta: 3{NBSP}% → 3,5{NBSP}%" in page
    assert f"Upptrappning: – → 50{NBSP}%; 100{NBSP}%" in page
    assert f"Nyttor, lågt utfall: 50{NBSP}% → 40{NBSP}%" in page
    assert "Nyttor, förväntat utfall" not in page  # unchanged factors are not listed
    assert "Roller" not in page


def test_admin_forms_are_protected_against_cross_site_requests(csrf_app):
    session = get_session()
    user = factories.make_user(session, roles=[Role.ADMIN])
    session.commit()
    user_id, email = user.id, user.email
    client = csrf_app.test_client()

    def token(path):
        match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', _html(client.get(path)))
        assert match, path
        return match.group(1)

    client.post("/login", data={"email": email, "password": factories.PASSWORD, "csrf_token": token("/login")})
    for path in ("/admin/users/new", f"/admin/users/{user_id}/edit", f"/admin/users/{user_id}/password",
                 "/admin/units/new", "/admin/goals/new", "/admin/goals/1/edit", "/admin/goals/1/goals/new",
                 "/admin/goals/1/goals/1/edit", "/admin/settings"):
        token(path)

    refused = client.post("/admin/units/new", data={"name": "Utan nyckel", "level": "school"})
    assert refused.status_code == 400
    accepted = client.post("/admin/units/new", data={"name": "Med nyckel", "level": "school",
                                                     "csrf_token": token("/admin/units/new")})
    assert accepted.status_code == 302
    assert [unit.name for unit in session.scalars(select(Unit))] == ["Med nyckel"]
