"""Security as a user or an attacker meets it, with CSRF protection on as in production."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from urllib.parse import quote, urljoin, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from portfolio.db import get_session as request_session
from portfolio.domain.roles import Role
from portfolio.models import Pilot, Unit
from portfolio.services import org, tokens
from portfolio.services import users as users_service
from portfolio.web.access import public
from tests import factories
from tests.conftest import POSTGRES_URL, login, make_test_app
from tests.web.routes import build_world, change_routes, csrf_token, path_for, routes, security_events, snapshot

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
    # ... but each refusal is in the security log, with who, where from and what was asked.
    refused = security_events(db, "csrf_failed")
    assert len(refused) == len(answers)
    assert {entry.actor_id for entry in refused} == {everyone.id}
    assert all(entry.after["address"] == "127.0.0.1" and entry.after["method"] == "POST" for entry in refused)


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
    assert response.get_json() == {"status": "unavailable", "database": "unreachable"}


# --- headers, server name, body limits, downloads ---------------------------------------------

HARDENING_HEADERS = {
    "Permissions-Policy": "camera=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _production_app(database_url, **overrides):
    return make_test_app(database_url, ENVIRONMENT="production", **overrides)


def test_new_headers_on_every_answer_and_hsts_only_in_production(browser, people, database_url):
    answers = {"login page": browser.get("/login"), "error page": browser.get("/does-not-exist")}
    log_in(browser, people[Role.VIEWER])
    answers |= {"page": browser.get("/pilots"), "forbidden": browser.get("/admin/users")}
    for name, response in answers.items():
        for header, part in HARDENING_HEADERS.items():
            assert part in response.headers[header], (name, header)
        assert "base-uri 'none'" in response.headers["Content-Security-Policy"], name
        assert "Strict-Transport-Security" not in response.headers, name  # plain HTTP in development

    production = _production_app(database_url, WTF_CSRF_ENABLED=True)
    try:
        response = production.test_client().get("/login", base_url="https://localhost")
    finally:
        production.extensions["portfolio_db"].engine.dispose()
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    (cookie,) = [value for value in response.headers.getlist("Set-Cookie") if "session=" in value]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie and "HttpOnly" in cookie


def test_production_refuses_to_start_in_debug_mode(database_url):
    with pytest.raises(RuntimeError, match="Debug mode must be off"):
        _production_app(database_url, DEBUG=True)


def test_in_production_the_server_header_tells_no_versions(database_url):
    """Production runs under gunicorn (README), which names itself without a version; the app adds
    nothing. (Werkzeug's development server always tells its versions: it is not for production.)"""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = os.environ | {"PORTFOLIO_ENVIRONMENT": "production", "PORTFOLIO_SECRET_KEY": "s" * 40,
                                "PORTFOLIO_DATABASE_URL": database_url}
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable))
    process = subprocess.Popen([gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "portfolio:create_app()"],
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    headers = response.headers
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not answer")
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert headers.get_all("Server") == ["gunicorn"]
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")


MARKER = "STORT-FORMULAR-"


def _multipart(fields: dict[str, str]) -> tuple[bytes, str]:
    boundary = "----grans"
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    return ("".join(parts) + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize("kind", ["urlencoded", "multipart"])
def test_a_5_mb_form_body_is_refused_unread_and_never_echoed(client, people, kind):
    filler = MARKER * (400_000 // len(MARKER))  # each field under the per-field limit
    fields = {"email": filler, "password": "x", **{f"extra{n}": filler for n in range(12)}}
    if kind == "multipart":
        body, content_type = _multipart(fields)
    else:
        body, content_type = "&".join(f"{k}={v}" for k, v in fields.items()).encode(), \
            "application/x-www-form-urlencoded"
    assert len(body) > 5_000_000
    response = client.post("/login", data=body, content_type=content_type)
    html = response.get_data(as_text=True)
    assert response.status_code == 413
    assert MARKER not in html and len(html) < 20_000
    assert "Formuläret är för stort för att tas emot. Inget sparades." in html


def test_an_ordinary_long_form_is_still_accepted(client, login_as):
    login_as(Role.INNOVATION_LEADER)
    response = client.post("/pilots/new", data={"title": "Lång beskrivning", "origin": "idea_driven",
                                                "description": "å" * 4000})
    assert response.status_code == 302


def test_downloads_are_never_cached(client, db, login_as):
    login_as(Role.VIEWER)
    pilot = factories.make_pilot(db)
    factories.make_cost(db, pilot, amount="1000")
    db.commit()
    response = client.get(f"/pilots/{pilot.code}/costs/export.xlsx")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers and "Last-Modified" not in response.headers


# --- session timeouts ---------------------------------------------------------------------------


def _age_session(client, **seconds_ago):
    with client.session_transaction() as stored:
        for key, ago in seconds_ago.items():
            stored[f"_{key}_at"] = int(time.time()) - ago


def test_an_idle_session_ends_after_30_minutes(client, db, people):
    login(client, people[Role.VIEWER])
    _age_session(client, seen=29 * 60)
    assert client.get("/pilots").status_code == 200  # still active: and the request counts as activity
    _age_session(client, started=60 * 60)
    assert client.get("/pilots").status_code == 200
    _age_session(client, seen=30 * 60 + 1)
    response = client.get("/pilots")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert "sessionen har gått ut" in client.get("/login").get_data(as_text=True)
    (expired,) = security_events(db, "session_expired")
    assert expired.actor_id == people[Role.VIEWER].id and expired.after["reason"] == "idle"


def test_an_active_session_still_ends_10_hours_after_sign_in(client, db, people):
    login(client, people[Role.VIEWER])
    _age_session(client, started=10 * 3600 - 60, seen=10)
    assert client.get("/pilots").status_code == 200
    _age_session(client, started=10 * 3600 + 1, seen=10)
    assert client.get("/pilots").status_code == 302
    assert security_events(db, "session_expired")[0].after["reason"] == "absolute"


def test_the_timeouts_are_settable(database_url, db, people):
    short = make_test_app(database_url, SESSION_IDLE_TIMEOUT_MINUTES=1, SESSION_ABSOLUTE_TIMEOUT_HOURS=2)
    try:
        client = short.test_client()
        login(client, people[Role.VIEWER])
        _age_session(client, seen=61)
        assert client.get("/pilots").status_code == 302
        assert short.config["PERMANENT_SESSION_LIFETIME"].total_seconds() == 2 * 3600
    finally:
        short.extensions["portfolio_db"].engine.dispose()


# --- re-authentication before role changes ------------------------------------------------------


def test_changing_roles_asks_for_the_admins_password_again(client, db, people):
    admin, viewer = people[Role.ADMIN], people[Role.VIEWER]
    login(client, admin)
    form = {"name": viewer.name, "email": viewer.email, "roles": ["viewer", "admin"], "active": "y"}
    for password, message in ((None, "Ange ditt lösenord för att bekräfta."), ("gissat lösenord", "Fel lösenord.")):
        data = form | ({"current_password": password} if password else {})
        response = client.post(f"/admin/users/{viewer.id}/edit", data=data)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
    db.expire_all()
    assert Role.ADMIN not in db.get(type(viewer), viewer.id).roles
    assert client.post(f"/admin/users/{viewer.id}/edit",
                       data=form | {"current_password": factories.PASSWORD}).status_code == 302
    db.expire_all()
    assert Role.ADMIN in db.get(type(viewer), viewer.id).roles


# --- the rest of the ASVS checklist that tests can show ------------------------------------------


def test_a_forced_error_shows_a_generic_page_and_commits_nothing(database_url, db):
    failing = make_test_app(database_url, PROPAGATE_EXCEPTIONS=False)

    @failing.route("/boom")
    @public
    def boom():
        org.create_unit(request_session(), name="Halvfärdig enhet", level="school", actor=None)
        raise RuntimeError("SELECT secret FROM config -- stack detail")

    try:
        response = failing.test_client().get("/boom")
    finally:
        failing.extensions["portfolio_db"].engine.dispose()
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and "Något gick fel hos oss." in html
    assert "Traceback" not in html and "SELECT" not in html and "RuntimeError" not in html
    db.rollback()
    assert db.scalar(select(Unit).where(Unit.name == "Halvfärdig enhet")) is None


@pytest.mark.parametrize("secret", [None, "för-kort"])
def test_production_refuses_a_missing_or_short_secret_key(database_url, secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        _production_app(database_url, SECRET_KEY=secret)


def test_no_page_changes_the_database_on_get(app, db):
    everyone = factories.make_user(db, roles=list(Role), name="Alla roller")
    world = build_world(db, everyone, [everyone])
    client = app.test_client()
    login(client, everyone)
    before = snapshot(db)
    statuses = {path_for(rule, world, everyone): client.get(path_for(rule, world, everyone)).status_code
                for rule, method in routes(app) if method == "GET" and not rule.rule.startswith("/api/")}
    assert len(statuses) > 30 and all(status < 500 for status in statuses.values()), statuses
    assert snapshot(db) == before


def test_line_breaks_typed_into_the_email_never_reach_the_log(client, db):
    client.post("/login", data={"email": "x@example.org\r\nadmin ok", "password": "fel lösenord här"})
    (entry,) = security_events(db, "login_unknown_email")
    assert entry.after["email"] == "–"


def test_passwords_are_stored_with_argon2id(db):
    user = factories.make_user(db)
    users_service.set_password(db, user, "ett helt nytt långt lösenord", actor=None)
    assert user.password_hash.startswith("$argon2id$")


def test_no_sql_or_template_is_built_from_strings():
    from portfolio import ROOT

    banned = re.compile(r"text\(\s*f[\"']|render_template_string|Markup\(|\.format\([^)]*\)\s*\)?\s*#\s*sql")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for path in sorted((ROOT / "portfolio").rglob("*.py"))
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if banned.search(line)]
    assert not offenders, offenders


def test_cost_imports_are_rate_limited_per_user(database_url, db, people):
    limited = make_test_app(database_url, RATE_LIMITS={"cost_import": (2, 600)})
    pilot = factories.make_pilot(db)
    second_finance = factories.make_user(db, roles=[Role.FINANCE])
    db.commit()

    def upload(client):
        boundary, body = encode_multipart({"file": FileStorage(io.BytesIO(b"kategori;typ\n"), filename="k.csv")})
        return client.post(f"/pilots/{pilot.code}/costs/import", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")

    try:
        finance, other = limited.test_client(), limited.test_client()
        login(finance, people[Role.FINANCE])
        login(other, second_finance)
        assert [upload(finance).status_code for _ in range(2)] == [422, 422]
        refused = upload(finance)
        assert refused.status_code == 429 and "för många gånger på kort tid" in refused.get_data(as_text=True)
        assert int(refused.headers["Retry-After"]) <= 600
        assert upload(other).status_code == 422  # counted per user
    finally:
        limited.extensions["portfolio_db"].engine.dispose()
    (event,) = security_events(db, "rate_limited")
    assert event.actor_id == people[Role.FINANCE].id


def test_paper_generation_is_rate_limited_per_user(database_url, db, people, monkeypatch):
    from portfolio.services import papers as papers_service

    monkeypatch.setattr(papers_service, "render_pdf", lambda *args, **kwargs: b"%PDF-1.7 test")
    limited = make_test_app(database_url, RATE_LIMITS={"paper": (2, 600)})
    pilot = factories.make_pilot(db, leader=people[Role.INNOVATION_LEADER])
    db.commit()
    try:
        leader = limited.test_client()
        login(leader, people[Role.INNOVATION_LEADER])
        assert [leader.post(f"/pilots/{pilot.code}/papers").status_code for _ in range(2)] == [303, 303]
        refused = leader.post(f"/pilots/{pilot.code}/papers")
        assert refused.status_code == 429 and "för många gånger på kort tid" in refused.get_data(as_text=True)
    finally:
        limited.extensions["portfolio_db"].engine.dispose()
    (event,) = security_events(db, "rate_limited")
    assert event.actor_id == people[Role.INNOVATION_LEADER].id


def test_confirming_the_password_gives_a_new_session_token(server, browser, db, people):
    log_in(browser, people[Role.VIEWER])
    page = browser.get("/account").get_data(as_text=True)
    token = csrf_token(page)
    cookie_before = browser.get_cookie("session").value
    created = browser.post("/account/tokens", data={"name": "Power BI", "days": "90", "csrf_token": token,
                                                    "current_password": factories.PASSWORD})
    assert created.status_code == 201  # the token is shown once
    assert browser.get_cookie("session").value != cookie_before
    # The form token of the session before the confirmation no longer works.
    assert browser.post("/logout", data={"csrf_token": token}).status_code == 400
    assert is_logged_in(browser)


def test_a_refused_api_request_is_logged_at_once(app, db):
    nobody = factories.make_user(db, roles=[])
    pilot = factories.make_pilot(db)
    _token, raw = tokens.create_token(db, nobody, "Utan roller", actor=nobody)
    db.commit()
    started = time.monotonic()
    refused = app.test_client().get(f"/api/v1/pilots/{pilot.code}/economics",
                                    headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 403 and time.monotonic() - started < 5  # no wait for a database lock
    (event,) = security_events(db, "access_denied")
    assert event.actor_id == nobody.id and event.after["path"] == f"/api/v1/pilots/{pilot.code}/economics"


def test_extra_fields_in_a_post_change_nothing_they_do_not_name(client, db, people):
    """Field-level access: only the form's declared fields reach the model (ASVS 8.2.3)."""
    leader, other = people[Role.INNOVATION_LEADER], people[Role.VIEWER]
    pilot = factories.make_pilot(db, leader=leader, title="Före")
    db.commit()
    login(client, leader)
    response = client.post(f"/pilots/{pilot.code}/edit", data={
        "title": "Efter", "origin": "idea_driven",
        "phase": "closed", "step": "4", "innovation_leader_id": str(other.id), "code": "INN-0000-001",
        "finance_signed_off_by_id": str(leader.id), "created_at": "2000-01-01"})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.expire_all()
    changed = db.get(Pilot, pilot.id)
    assert changed.title == "Efter"
    assert (changed.phase, changed.step, changed.innovation_leader_id, changed.code) == (
        pilot.phase, pilot.step, leader.id, pilot.code)
    assert changed.finance_signed_off_by_id is None
