"""Mitt konto: the user's details and their personal API tokens (create once, list, revoke)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from portfolio.domain.roles import Role
from portfolio.models import ApiToken, AuditEntry
from portfolio.services import tokens

from tests.conftest import login
from tests.factories import PASSWORD, make_user

RAW = re.compile(r"ipf_[A-Za-z0-9_-]{20,}")


def api_status(app, raw: str) -> int:
    return app.test_client().get("/api/v1/pilots", headers={"Authorization": f"Bearer {raw}"}).status_code


def test_account_page_shows_name_email_and_roles(client, db):
    user = make_user(db, roles=[Role.FINANCE, Role.VIEWER], name="Eva Ekonom", email="eva@example.org")
    db.commit()
    login(client, user)
    response = client.get("/account")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">Mitt konto</h1>' in html
    assert "Eva Ekonom" in html and "eva@example.org" in html
    assert "Ekonomi, Läsare" in html
    assert "Du har inga API-nycklar." in html


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert client.post("/account/tokens", data={"name": "x"}).status_code == 302


def test_a_new_token_is_shown_once_and_works(app, client, db, login_as):
    user = login_as(Role.VIEWER)
    response = client.post("/account/tokens", data={"name": "Power BI", "current_password": PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 201
    assert "Kopiera nyckeln nu." in html
    raw = RAW.search(html).group(0)
    assert response.headers["Cache-Control"] == "no-store"
    # Only the hash is kept: the raw token never appears again.
    listing = client.get("/account").get_data(as_text=True)
    assert "Power BI" in listing and raw not in listing and "Aldrig" in listing
    stored = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert stored.token_hash == tokens.hash_token(raw) and raw not in stored.token_hash
    assert api_status(app, raw) == 200
    assert "Aldrig" not in client.get("/account").get_data(as_text=True)  # last used is now shown


def test_a_token_needs_a_name(client, db, login_as):
    login_as(Role.VIEWER)
    response = client.post("/account/tokens", data={"name": "   "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Ge nyckeln ett namn." in html and 'aria-invalid="true"' in html
    too_long = client.post("/account/tokens", data={"name": "x" * 101})
    assert too_long.status_code == 422 and "x" * 101 in too_long.get_data(as_text=True)
    assert db.scalar(select(ApiToken.id)) is None


def test_revoking_asks_first_then_stops_the_token(app, client, db, login_as):
    user = login_as(Role.MANAGEMENT)
    token, raw = tokens.create_token(db, user, "Skript", actor=user)
    db.commit()
    confirm = client.get(f"/account/tokens/{token.id}/revoke")
    assert confirm.status_code == 200
    assert "Är du säker?" in confirm.get_data(as_text=True) and "Skript" in confirm.get_data(as_text=True)
    assert token.revoked_at is None and api_status(app, raw) == 200
    done = client.post(f"/account/tokens/{token.id}/revoke", follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "är återkallad" in html and "Återkallad" in html
    assert api_status(app, raw) == 401
    audit = db.scalars(select(AuditEntry.action).where(AuditEntry.entity == "api_token")).all()
    assert audit == ["create", "revoke"]


def test_nobody_can_revoke_someone_elses_token(client, db, login_as):
    other = make_user(db, roles=[Role.VIEWER])
    token, _raw = tokens.create_token(db, other, "Annans", actor=other)
    db.commit()
    login_as(Role.ADMIN)
    assert client.get(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert client.get("/account/tokens/999999/revoke").status_code == 404
    assert db.get(ApiToken, token.id).revoked_at is None
    assert "Annans" not in client.get("/account").get_data(as_text=True)


def test_forms_on_the_account_page_need_the_csrf_token(csrf_app, db):
    user = make_user(db, roles=[Role.VIEWER])
    token, _raw = tokens.create_token(db, user, "Skript", actor=user)
    db.commit()
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    client.post("/login", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf.group(1)})
    assert client.post("/account/tokens", data={"name": "Utan skydd"}).status_code == 400
    assert client.post(f"/account/tokens/{token.id}/revoke").status_code == 400
    html = client.get("/account").get_data(as_text=True)
    assert 'name="csrf_token"' in html


# --- API tokens: scope, lifetime, end --------------------------------------------------------


def test_a_token_opens_only_the_api_never_an_html_page(app, db, people):
    admin = people[Role.ADMIN]
    _token, raw = tokens.create_token(db, admin, "Skript", actor=admin)
    db.commit()
    browser = app.test_client()
    assert browser.get("/api/v1/pilots", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    for path in ("/pilots", "/account", "/admin/users", "/admin/audit", "/admin/login-locks"):
        response = browser.get(path, headers={"Authorization": f"Bearer {raw}"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), path
    refused = browser.post("/admin/units/new", data={"name": "Via nyckel", "level": "school"},
                           headers={"Authorization": f"Bearer {raw}"})
    assert refused.status_code == 302


def test_the_lifetime_is_chosen_at_creation_and_shown(client, db, login_as):
    user = login_as(Role.VIEWER)
    page = client.get("/account").get_data(as_text=True)
    assert '<option selected value="90">90 dagar</option>' in page
    response = client.post("/account/tokens", data={"name": "Kort", "days": "7", "current_password": PASSWORD})
    assert response.status_code == 201
    stored = db.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert dt.timedelta(days=6, hours=23) < stored.expires_at - stored.created_at <= dt.timedelta(days=7)
    assert client.post("/account/tokens", data={"name": "För länge", "days": "10000",
                                                "current_password": PASSWORD}).status_code == 422
    assert "Giltig till" in client.get("/account").get_data(as_text=True)


def test_an_expired_token_stops_working_and_says_so(app, client, db, login_as):
    user = login_as(Role.VIEWER)
    token, raw = tokens.create_token(db, user, "Gammal", actor=user, days=7)
    db.commit()
    assert api_status(app, raw) == 200
    db.get(ApiToken, token.id).expires_at = dt.datetime(2020, 1, 1)
    db.commit()
    assert api_status(app, raw) == 401
    assert "Utgången" in client.get("/account").get_data(as_text=True)


def test_the_default_lifetime_is_90_days_also_on_the_command_line(runner, db):
    user = make_user(db, roles=[Role.VIEWER], email="skript@example.org")
    db.commit()
    assert runner.invoke(args=["tokens", "create", user.email]).exit_code == 0
    assert runner.invoke(args=["tokens", "create", user.email, "--days", "30"]).exit_code == 0
    assert runner.invoke(args=["tokens", "create", user.email, "--days", "0"]).exit_code != 0
    db.expire_all()
    lifetimes = [(t.expires_at - t.created_at).days for t in db.scalars(select(ApiToken).order_by(ApiToken.id))]
    assert lifetimes in ([90, 30], [89, 29])


@pytest.mark.parametrize("how", ["password reset", "deactivation"])
def test_a_password_reset_or_deactivation_ends_the_users_tokens(app, client, db, people, how):
    user = people[Role.VIEWER]
    _token, raw = tokens.create_token(db, user, "Power BI", actor=user)
    db.commit()
    assert api_status(app, raw) == 200
    login(client, people[Role.ADMIN])
    if how == "password reset":
        response = client.post(f"/admin/users/{user.id}/password", data={
            "password": "ett helt nytt långt lösenord", "confirm": "ett helt nytt långt lösenord",
            "current_password": PASSWORD})
    else:
        response = client.post(f"/admin/users/{user.id}/edit", data={
            "name": user.name, "email": user.email, "roles": ["viewer"], "current_password": PASSWORD})
    assert response.status_code == 302
    assert api_status(app, raw) == 401
    revoked = db.scalars(select(AuditEntry).where(AuditEntry.entity == "api_token", AuditEntry.action == "revoke"))
    assert [entry.actor_id for entry in revoked] == [people[Role.ADMIN].id]


# --- re-authentication ------------------------------------------------------------------------


def test_creating_a_token_asks_for_the_password_again(client, db, login_as):
    user = login_as(Role.VIEWER)
    missing = client.post("/account/tokens", data={"name": "Power BI"})
    assert missing.status_code == 422 and "Ange ditt lösenord för att bekräfta." in missing.get_data(as_text=True)
    wrong = client.post("/account/tokens", data={"name": "Power BI", "current_password": "inte mitt lösenord"})
    html = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "Fel lösenord." in html and "inte mitt lösenord" not in html
    assert db.scalar(select(ApiToken.id)) is None
    (event,) = db.scalars(select(AuditEntry).where(AuditEntry.action == "reauthentication_failed"))
    assert event.actor_id == user.id and event.after == {"address": "127.0.0.1", "path": "/account/tokens"}


def test_guessing_through_the_confirmation_field_is_throttled(client, db, login_as):
    login_as(Role.VIEWER)
    for _ in range(3):
        client.post("/account/tokens", data={"name": "x", "current_password": "gissning nummer ett"})
    blocked = client.post("/account/tokens", data={"name": "x", "current_password": PASSWORD})
    assert blocked.status_code == 422 and "För många misslyckade försök" in blocked.get_data(as_text=True)
    assert db.scalar(select(ApiToken.id)) is None


# --- the user's own password ------------------------------------------------------------------


def test_a_user_changes_their_own_password_and_other_sessions_end(app, client, db, people):
    user = people[Role.VIEWER]
    login(client, user)
    other_device = app.test_client()
    login(other_device, user)
    page = client.get("/account/password").get_data(as_text=True)
    assert "Nuvarande lösenord" in page and "Upprepa lösenordet" in page
    assert 'href="/account/password"' in client.get("/account").get_data(as_text=True)

    wrong = client.post("/account/password", data={"current_password": "fel", "password": "mitt nya långa lösenord",
                                                   "confirm": "mitt nya långa lösenord"})
    assert wrong.status_code == 422 and "Fel lösenord." in wrong.get_data(as_text=True)
    common = client.post("/account/password", data={"current_password": PASSWORD, "password": "1qaz2wsx3edc",
                                                    "confirm": "1qaz2wsx3edc"})
    assert common.status_code == 422 and "för vanligt" in common.get_data(as_text=True)
    done = client.post("/account/password", data={"current_password": PASSWORD, "password": "mitt nya långa lösenord",
                                                  "confirm": "mitt nya långa lösenord"}, follow_redirects=True)
    assert "Ditt lösenord är bytt." in done.get_data(as_text=True)
    assert client.get("/account").status_code == 200  # this session goes on
    assert other_device.get("/account").status_code == 302  # the other one has ended
    client.post("/logout")
    assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 422
    login(client, user, "mitt nya långa lösenord")
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "change_own_password"))
    assert entry.actor_id == user.id and entry.entity_id == user.id
