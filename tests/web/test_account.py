"""Mitt konto: the user's details and their personal API tokens (create once, list, revoke)."""

from __future__ import annotations

import re

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
    response = client.post("/account/tokens", data={"name": "Power BI"})
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
