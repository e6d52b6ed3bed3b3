"""Security as a user or an attacker meets it, with CSRF protection on as in production."""

from __future__ import annotations

from urllib.parse import quote, urljoin, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from portfolio.domain.roles import Role
from portfolio.models import Pilot
from portfolio.services import users as users_service
from tests import factories
from tests.conftest import POSTGRES_URL, make_test_app
from tests.web.routes import build_world, change_routes, csrf_token, path_for, snapshot

EVIL_TARGETS = [
    "//evil.example",
    "//evil.example/pilots",
    "https://evil.example/",
    "http:evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
]
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def server(csrf_app):
    """The app with CSRF protection on, as in production."""
    return csrf_app


@pytest.fixture
def browser(server):
    """A client that keeps its cookies, like a browser."""
    return server.test_client()


def log_in(client, user, next_url: str | None = None):
    """Log in through the form, with the CSRF token the login page hands out."""
    path = "/login" + (f"?next={quote(next_url, safe='')}" if next_url is not None else "")
    token = csrf_token(client.get(path).get_data(as_text=True))
    return client.post(path, data={"email": user.email, "password": factories.PASSWORD, "csrf_token": token})


def is_logged_in(client) -> bool:
    response = client.get("/pilots")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def assert_stays_on_this_site(location: str) -> None:
    """A browser following `location` stays here: a path, no scheme or host, nothing a browser would
    rewrite into one (a backslash or a control character; percent-encoded they are harmless)."""
    assert location.startswith("/") and not location.startswith("//"), location
    assert "\\" not in location and location.isprintable(), location
    assert urlsplit(urljoin("http://localhost/", location)).netloc == "localhost", location


def session_of(server, client) -> dict:
    """The decoded session cookie (empty when there is none)."""
    cookie = client.get_cookie("session")
    if cookie is None or not cookie.value:
        return {}
    return dict(server.session_interface.get_signing_serializer(server).loads(cookie.value))


# --- CSRF ---------------------------------------------------------------------------------------


def test_login_without_csrf_token_is_refused(browser, people):
    user = people[Role.VIEWER]
    response = browser.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert not is_logged_in(browser)


def test_logout_without_csrf_token_is_refused(browser, people):
    assert log_in(browser, people[Role.VIEWER]).status_code == 302
    assert browser.post("/logout").status_code == 400
    assert is_logged_in(browser)


def test_language_switch_without_csrf_token_is_refused(browser, db, people):
    user = people[Role.VIEWER]
    log_in(browser, user)
    assert browser.post("/language", data={"language": "en", "next": "/pilots"}).status_code == 400
    assert '<html lang="sv" ' in browser.get("/pilots").get_data(as_text=True)
    db.refresh(user)
    assert user.locale is None


def test_change_routes_without_csrf_token_are_refused_and_change_nothing(app, browser, db):
    """One user holding every role and leading the pilot: only the missing token stops the POSTs."""
    everyone = factories.make_user(db, roles=list(Role), name="Alla roller")
    world = build_world(db, everyone, [everyone])
    log_in(browser, everyone)
    before = snapshot(db)

    answers = {}
    for rule, method in change_routes(app):
        path = path_for(rule, world, everyone)
        answers[f"{method} {path}"] = browser.open(
            path, method=method, data={"title": "Ändrad", "amount": "1", "comment": "x", "confirm": "y"}
        ).status_code

    assert answers, "no change routes found"
    wrong = {route: status for route, status in answers.items() if status not in (400, 401)}
    assert not wrong, f"POST without a CSRF token was not refused: {wrong}"
    assert snapshot(db) == before


def test_forms_work_with_the_token_from_the_page(browser, db, people):
    leader = people[Role.INNOVATION_LEADER]
    response = log_in(browser, leader)
    assert response.status_code == 302
    assert is_logged_in(browser)

    token = csrf_token(browser.get("/pilots/new").get_data(as_text=True))
    response = browser.post("/pilots/new", data={"title": "Digital hämtlista", "origin": "idea_driven",
                                                 "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    db.rollback()
    assert db.scalar(select(Pilot).where(Pilot.title == "Digital hämtlista")).innovation_leader_id == leader.id

    token = csrf_token(browser.get("/pilots").get_data(as_text=True))
    assert browser.post("/language", data={"language": "en", "next": "/pilots", "csrf_token": token}).status_code == 302
    assert '<html lang="en" ' in browser.get("/pilots").get_data(as_text=True)

    token = csrf_token(browser.get("/pilots").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    assert not is_logged_in(browser)


# --- sessions -----------------------------------------------------------------------------------


def test_login_starts_a_new_session_and_logout_clears_it(server, browser, people):
    user = people[Role.VIEWER]
    login_page = browser.get("/login").get_data(as_text=True)
    token_before_login = csrf_token(login_page)
    cookie_before_login = browser.get_cookie("session").value

    response = browser.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                            "csrf_token": token_before_login})
    assert response.status_code == 302
    assert browser.get_cookie("session").value != cookie_before_login
    assert session_of(server, browser).get("_user_id", "").partition(":")[0] == str(user.id)
    # Nothing of the session before login survives it: not even its CSRF secret.
    assert browser.post("/logout", data={"csrf_token": token_before_login}).status_code == 400

    token = csrf_token(browser.get("/pilots").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302
    after = session_of(server, browser)
    assert "_user_id" not in after and "csrf_token" not in after
    assert not is_logged_in(browser)


def test_a_cookie_copied_before_logout_no_longer_works_after_it(server, browser, people):
    log_in(browser, people[Role.VIEWER])
    stolen = browser.get_cookie("session").value
    token = csrf_token(browser.get("/pilots").get_data(as_text=True))
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 302

    thief = server.test_client()
    thief.set_cookie("session", stolen)
    assert not is_logged_in(thief)


def test_a_new_password_ends_the_sessions_opened_with_the_old_one(server, browser, db, people):
    from portfolio.services import users

    user = people[Role.VIEWER]
    log_in(browser, user)
    assert is_logged_in(browser)
    users.set_password(db, db.merge(user), "ett helt nytt långt lösenord", actor=people[Role.ADMIN])
    db.commit()
    assert not is_logged_in(browser)


def test_session_cookie_is_http_only_and_same_site(browser, people):
    log_in(browser, people[Role.VIEWER])
    cookie = browser.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"


def test_login_never_redirects_to_another_site(server, people):
    for target in EVIL_TARGETS:
        response = log_in(server.test_client(), people[Role.VIEWER], next_url=target)
        assert response.status_code == 302, target
        assert_stays_on_this_site(response.headers["Location"])


def test_login_goes_back_to_the_page_asked_for(browser, people):
    response = log_in(browser, people[Role.VIEWER], next_url="/pilots?q=tid")
    assert response.headers["Location"] == "/pilots?q=tid"


def test_language_switch_never_redirects_to_another_site(browser):
    token = csrf_token(browser.get("/login").get_data(as_text=True))
    for target in EVIL_TARGETS:
        response = browser.post("/language", data={"language": "en", "next": target, "csrf_token": token})
        assert response.status_code == 302, target
        assert_stays_on_this_site(response.headers["Location"])


# --- headers and escaping -----------------------------------------------------------------------


def test_security_headers_are_on_every_answer(browser, people):
    answers = {"login page": browser.get("/login")}
    log_in(browser, people[Role.VIEWER])
    answers |= {"page": browser.get("/pilots"), "error page": browser.get("/does-not-exist"),
                "health check": browser.get("/healthz")}
    for name, response in answers.items():
        csp = response.headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, name
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, name
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, name
        assert response.headers["X-Frame-Options"] == "DENY", name
        assert response.headers["X-Content-Type-Options"] == "nosniff", name


def test_user_text_is_escaped(browser, db, people):
    leader = factories.make_user(db, roles=[Role.INNOVATION_LEADER], name=f"Eva {SCRIPT}")
    pilot = factories.make_pilot(db, leader=leader, title=SCRIPT, description=SCRIPT, need=SCRIPT)
    db.commit()
    log_in(browser, leader)

    pages = {
        "list": browser.get("/pilots"),
        "search": browser.get("/pilots", query_string={"q": SCRIPT}),
        "pilot": browser.get(f"/pilots/{pilot.code}"),
    }
    for name, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert SCRIPT not in html, name
        assert ESCAPED_SCRIPT in html, name


# --- accounts -----------------------------------------------------------------------------------


def test_deactivated_user_cannot_log_in(browser, db):
    user = factories.make_user(db, roles=[Role.ADMIN], active=False)
    db.commit()
    response = log_in(browser, user)
    assert response.status_code == 422
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)
    assert not is_logged_in(browser)


def test_deactivated_user_is_logged_out_on_the_next_request(browser, db):
    user = factories.make_user(db, roles=[Role.ADMIN])
    db.commit()
    assert log_in(browser, user).status_code == 302
    assert is_logged_in(browser)

    user.active = False
    db.commit()

    response = browser.get("/admin/users")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


@pytest.mark.parametrize(
    ("password", "accepted", "message"),
    [
        ("elva-tecken", False, "at least 12 characters"),  # 11 characters
        ("tolv-tecken!", True, None),  # 12 characters
        ("password1234", False, "too common"),
        ("Lösenord1234", False, "too common"),
        ("aaaaaaaaaaaaaaaa", False, "too common"),
    ],
)
def test_password_policy_when_creating_an_admin(runner, db, password, accepted, message):
    email = "ny.admin@example.org"
    result = runner.invoke(
        args=["users", "create", "--email", email, "--name", "Ny Admin", "--role", "admin"],
        input=f"{password}\n{password}\n",
    )
    db.rollback()
    created = users_service.get_by_email(db, email)
    if accepted:
        assert result.exit_code == 0, result.output
        assert created is not None and created.roles == {Role.ADMIN}
        assert users_service.authenticate(db, email, password) is not None
    else:
        assert result.exit_code != 0
        assert message in result.output
        assert created is None


# --- health -------------------------------------------------------------------------------------


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    if POSTGRES_URL:
        url = make_url(POSTGRES_URL).set(database="portfolio_no_such_database").render_as_string(hide_password=False)
    else:
        url = f"sqlite:///{tmp_path / 'no-such-directory' / 'portfolio.sqlite3'}"
    unreachable = make_test_app(url)
    try:
        response = unreachable.test_client().get("/healthz")
    finally:
        unreachable.extensions["portfolio_db"].engine.dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}
