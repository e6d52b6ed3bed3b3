"""Single sign-on against a real OpenID provider (the certified `oidc-provider` on Node.js, started on
127.0.0.1): a good sign-in creates the user, bad ID tokens and replayed answers are refused and logged,
roles follow the provider's groups, local passwords can be switched off, and signing out ends the
provider's session too."""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from sqlalchemy import select

from portfolio.domain.roles import Role
from portfolio.models import AuditEntry, SsoIdentity, User, UserRole
from tests import factories
from tests.conftest import login, make_test_app
from tests.oidc import provider as oidc
from tests.oidc.graph import GraphStub

TENANT = "9188040d-6c67-4c5b-b112-36a304b66dad"
FINANCE_GROUP = "5f2e6c1a-0d5b-4a53-9a0e-3c8f1b2d4e6f"


@pytest.fixture(scope="module")
def idp():
    provider = oidc.start()
    yield provider
    provider.stop()


@pytest.fixture
def sso_app(database_url, idp):
    application = make_test_app(database_url, **idp.app_config())
    with application.app_context():
        yield application
    application.extensions["portfolio_db"].engine.dispose()


@pytest.fixture
def browser(sso_app):
    return sso_app.test_client()


def entra_claims(**overrides) -> dict:
    """Claims as Microsoft Entra ID sends them: oid, preferred_username (no email claim), groups, tid."""
    return {
        "sub": "pairwise-" + uuid.uuid4().hex,
        "oid": str(uuid.uuid4()),
        "tid": TENANT,
        "preferred_username": "Karin.Berg@Kommun.example",
        "name": "Karin Berg",
        "groups": [],
    } | overrides


def _users(db):
    return list(db.scalars(select(User)))


def _events(db, action):
    return list(db.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_login_page_offers_the_provider(browser):
    page = browser.get("/login").get_data(as_text=True)
    assert "Logga in med Testkommunens konto" in page
    assert 'name="password"' in page  # local passwords stay unless switched off


def test_first_sign_in_creates_the_user_from_the_claims_and_the_next_finds_them(browser, idp, db):
    claims = entra_claims()
    response = browser.get(idp.sign_in(browser, claims))
    assert response.status_code == 302 and response.headers["Location"] == "/"  # the start page
    # Signed in, with no role until the admin gives one or a mapped group does.
    assert browser.get("/pilots").status_code == 403
    assert browser.get("/account").status_code == 200
    user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
    assert user.name == "Karin Berg" and user.roles == frozenset() and not user.has_password
    link = db.scalar(select(SsoIdentity).where(SsoIdentity.user_id == user.id))
    assert (link.issuer, link.subject, link.tenant) == (idp.issuer, claims["oid"], TENANT)
    success = _events(db, "login_succeeded")
    assert [e.entity_id for e in success] == [user.id] and success[0].after["via"] == "sso"
    # Renamed at the provider, same person (issuer + oid): the same user, no new account.
    browser.post("/logout")
    browser.get(idp.sign_in(browser, claims | {"name": "Karin Berg-Ek", "preferred_username": "kb@kommun.example"}))
    assert len(_users(db)) == 1


@pytest.mark.parametrize("tamper", ["aud", "exp", "sig"], ids=["wrong audience", "expired", "bad signature"])
def test_a_bad_id_token_is_refused_and_logged(browser, idp, db, tamper):
    callback = idp.sign_in(browser, entra_claims(), tamper=tamper)
    response = browser.get(callback)
    assert response.status_code == 401
    assert "Inloggningen kunde inte bekräftas" in response.get_data(as_text=True)
    assert _users(db) == []
    assert browser.get("/pilots").status_code == 302  # not signed in
    [event] = _events(db, "sso_login_failed")
    assert event.after["reason"]


def test_a_replayed_answer_is_refused(browser, idp, db, sso_app):
    callback = idp.sign_in(browser, entra_claims())
    assert browser.get(callback).status_code == 302
    browser.post("/logout")
    # The same answer again, in the same browser and in another one: the state was used up.
    assert browser.get(callback).status_code == 401
    assert sso_app.test_client().get(callback).status_code == 401
    assert len(_events(db, "sso_login_failed")) == 2
    assert len(_events(db, "login_succeeded")) == 1


def test_roles_follow_the_mapped_groups_at_each_sign_in(browser, idp, db, people, sso_app):
    admin = people[Role.ADMIN]
    admin_client = sso_app.test_client()
    login(admin_client, admin)
    page = admin_client.post("/admin/sso-groups", data={
        "group_id": FINANCE_GROUP, "role": "finance", "description": "Ekonomienheten",
        "current_password": factories.PASSWORD})
    assert page.status_code == 302
    assert FINANCE_GROUP in admin_client.get("/admin/sso-groups").get_data(as_text=True)

    claims = entra_claims(groups=[FINANCE_GROUP, str(uuid.uuid4())])
    browser.get(idp.sign_in(browser, claims))
    user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
    assert user.roles == {Role.FINANCE}
    assert browser.get(f"/admin/users").status_code == 403
    # The admin also makes her a viewer by hand: that role is not the group's to take away.
    user.role_rows.append(UserRole(role=Role.VIEWER))
    db.commit()
    browser.post("/logout")

    browser.get(idp.sign_in(browser, claims | {"groups": []}))  # removed from the group at the provider
    db.expire_all()
    assert user.roles == {Role.VIEWER}
    role_changes = [e for e in _events(db, "update") if e.entity == "user" and e.entity_id == user.id]
    assert role_changes[-1].before == {"roles": ["finance", "viewer"], "role_groups": {"finance": [FINANCE_GROUP]}}
    assert role_changes[-1].after == {"roles": ["viewer"], "role_groups": {}}


def test_local_passwords_can_be_switched_off(database_url, idp, people):
    application = make_test_app(database_url, **idp.app_config(OIDC_LOCAL_PASSWORDS=False))
    with application.app_context():
        client = application.test_client()
        page = client.get("/login").get_data(as_text=True)
        assert "Logga in med Testkommunens konto" in page and 'name="password"' not in page
        user = people[Role.VIEWER]
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 403
        assert client.get("/pilots").status_code == 302
    application.extensions["portfolio_db"].engine.dispose()


def test_signing_out_ends_the_providers_session_too(browser, idp):
    browser.get(idp.sign_in(browser, entra_claims()))
    response = browser.post("/logout")
    target = urlsplit(response.headers["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{idp.issuer}/session/end"
    query = parse_qs(target.query)
    assert query["client_id"] == [oidc.CLIENT_ID] and query["post_logout_redirect_uri"] == [oidc.POST_LOGOUT_URI]
    assert requests.get(response.headers["Location"], timeout=5).status_code == 200  # the provider accepts it
    assert browser.get("/pilots").status_code == 302


def test_a_sso_user_confirms_a_sensitive_action_by_a_recent_provider_sign_in(browser, idp, db, sso_app):
    claims = entra_claims()
    browser.get(idp.sign_in(browser, claims))
    user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
    user.role_rows.append(UserRole(role=Role.ADMIN))
    db.commit()
    data = {"group_id": FINANCE_GROUP, "role": "finance"}
    assert browser.post("/admin/sso-groups", data=data).status_code == 302  # signed in moments ago
    sso_app.config["OIDC_REAUTHENTICATION_MINUTES"] = 0
    page = browser.post("/admin/sso-groups", data=data | {"group_id": "another"})
    assert page.status_code == 422 and "Logga in på nytt med Testkommunens konto" in page.get_data(as_text=True)


def test_a_deactivated_user_and_a_taken_address_cannot_sign_in(browser, idp, db, people):
    claims = entra_claims()
    browser.get(idp.sign_in(browser, claims))
    browser.post("/logout")
    user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
    user.active = False
    db.commit()
    response = browser.get(idp.sign_in(browser, claims))
    assert response.status_code == 403 and browser.get("/account").status_code == 302
    # Someone else at the provider claiming a local user's address, unverified: not linked to that account.
    local = people[Role.ADMIN]
    response = browser.get(idp.sign_in(browser, entra_claims(email=local.email, email_verified=False)))
    assert response.status_code == 403 and db.scalar(select(SsoIdentity).where(SsoIdentity.user_id == local.id)) is None
    assert [e.after["reason"] for e in _events(db, "sso_login_failed")] == ["inactive", "email_taken"]


def test_the_first_admin_made_on_the_command_line_signs_in_through_the_provider(database_url, idp, people, db):
    """With local passwords off, `users create` makes the first admin; their first single sign-on
    (same e-mail at the provider) links to that account and its roles."""
    application = make_test_app(database_url, **idp.app_config(OIDC_LOCAL_PASSWORDS=False))
    with application.app_context():
        client = application.test_client()
        admin = people[Role.ADMIN]
        client.get(idp.sign_in(client, entra_claims(preferred_username=admin.email.upper())))
        assert client.get("/admin/sso-groups").status_code == 200
    application.extensions["portfolio_db"].engine.dispose()
    assert db.scalar(select(SsoIdentity.user_id)) == admin.id


def test_a_user_who_signs_in_only_through_the_provider_has_no_password_to_change(browser, idp):
    browser.get(idp.sign_in(browser, entra_claims()))
    account = browser.get("/account").get_data(as_text=True)
    assert "/account/password" not in account
    assert "Du loggar in med Testkommunens konto och har inget lösenord här" in account
    new_password = {"password": "a new long password", "confirm": "a new long password"}
    for response in (browser.get("/account/password"), browser.post("/account/password", data=new_password)):
        assert response.status_code == 403
        page = response.get_data(as_text=True)
        assert "har inget lösenord här" in page and 'name="password"' not in page


def test_with_local_passwords_off_nobody_changes_a_password_here(database_url, idp, people, db):
    admin = people[Role.ADMIN]
    password_hash = admin.password_hash
    application = make_test_app(database_url, **idp.app_config(OIDC_LOCAL_PASSWORDS=False))
    with application.app_context():
        client = application.test_client()
        client.get(idp.sign_in(client, entra_claims(preferred_username=admin.email)))
        assert "/account/password" not in client.get("/account").get_data(as_text=True)
        response = client.post("/account/password", data={
            "current_password": factories.PASSWORD, "password": "a new long password", "confirm": "a new long password"})
        assert response.status_code == 403
        assert "Lösenord används inte här: alla loggar in med Testkommunens konto" in response.get_data(as_text=True)
    application.extensions["portfolio_db"].engine.dispose()
    db.expire_all()
    assert db.get(User, admin.id).password_hash == password_hash


def test_a_local_user_still_changes_their_password_when_sso_is_on(sso_app, people):
    client = sso_app.test_client()
    login(client, people[Role.VIEWER])
    assert "/account/password" in client.get("/account").get_data(as_text=True)
    assert client.get("/account/password").status_code == 200


@pytest.fixture
def graph():
    stub = GraphStub()
    yield stub
    stub.stop()


def overage_claims(**overrides) -> dict:
    """Entra's claims for a person in too many groups: no `groups`, a pointer to where they are."""
    claims = entra_claims(**overrides)
    del claims["groups"]
    return claims | {
        "_claim_names": {"groups": "src1"},
        "_claim_sources": {"src1": {
            "endpoint": f"https://graph.windows.net/{TENANT}/users/{claims['oid']}/getMemberObjects"}},
    }


def _map_finance_group(db, admin):
    from portfolio.services import sso as sso_service

    sso_service.add_mapping(db, FINANCE_GROUP, Role.FINANCE, "Ekonomienheten", admin)
    db.commit()


def test_groups_left_out_of_the_token_are_read_from_microsoft_graph(database_url, idp, graph, db, people):
    _map_finance_group(db, people[Role.ADMIN])
    graph.groups = [str(uuid.uuid4()) for _ in range(250)] + [FINANCE_GROUP]
    application = make_test_app(database_url, **idp.app_config(OIDC_GRAPH_URL=graph.url))
    with application.app_context():
        client = application.test_client()
        response = client.get(idp.sign_in(client, overage_claims()))
        assert response.status_code == 302
        assert client.get("/pilots").status_code == 200  # finance may see the pilots
    application.extensions["portfolio_db"].engine.dispose()
    [asked] = graph.requests
    assert asked["path"] == "/v1.0/me/getMemberObjects" and asked["authorization"].startswith("Bearer ")
    assert len(asked["authorization"]) > len("Bearer ") + 10  # the sign-in's access token
    user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
    assert user.roles == {Role.FINANCE}
    [signed_in] = _events(db, "login_succeeded")[-1:]
    assert signed_in.after["groups_lookup"] == "graph"


@pytest.mark.parametrize("failure", ["denied", "malformed", "unreachable"])
def test_when_graph_cannot_be_read_no_role_comes_from_a_group(database_url, idp, graph, db, people, caplog, failure):
    _map_finance_group(db, people[Role.ADMIN])
    graph.groups = [FINANCE_GROUP]
    url = graph.url
    if failure == "denied":
        graph.status = 403  # the app registration lacks GroupMember.Read.All
    elif failure == "malformed":
        graph.groups = {"id": FINANCE_GROUP}  # not a list of ids
    else:
        graph.stop()
    # She held finance through the group before; with the groups unknown she does not keep it.
    application = make_test_app(database_url, **idp.app_config(OIDC_GRAPH_URL=url))
    with application.app_context():
        client = application.test_client()
        client.get(idp.sign_in(client, entra_claims(groups=[FINANCE_GROUP])))
        user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
        assert user.roles == {Role.FINANCE}
        user.role_rows.append(UserRole(role=Role.VIEWER))  # given by the admin
        db.commit()
        client.post("/logout")
        with caplog.at_level("WARNING"):
            response = client.get(idp.sign_in(client, overage_claims(oid=db.scalar(select(SsoIdentity.subject)))))
        assert response.status_code == 302  # signed in, with the admin's roles only
        page = client.get("/account").get_data(as_text=True)
        assert "Dina grupper hos Testkommunens konto kunde inte läsas" in page
    application.extensions["portfolio_db"].engine.dispose()
    db.expire_all()
    assert user.roles == {Role.VIEWER}
    assert any("could not be read from Microsoft Graph" in record.getMessage() for record in caplog.records)
    assert _events(db, "login_succeeded")[-1].after["groups_lookup"] == "failed"


def test_the_admin_sees_which_roles_come_from_which_group(browser, idp, db, people, sso_app):
    from portfolio.services import sso as sso_service

    admin = people[Role.ADMIN]
    sso_service.add_mapping(db, FINANCE_GROUP, Role.FINANCE, "Ekonomienheten", admin)
    sso_service.add_mapping(db, "g-ledning", Role.MANAGEMENT, "", admin)
    sso_service.add_mapping(db, "g-ledning-2", Role.MANAGEMENT, "Ledningsgruppen", admin)
    db.commit()
    browser.get(idp.sign_in(browser, entra_claims(groups=[FINANCE_GROUP, "g-ledning", "g-ledning-2"])))
    user = db.scalar(select(User).where(User.email == "karin.berg@kommun.example"))
    user.role_rows.append(UserRole(role=Role.VIEWER))  # given by the admin
    db.commit()
    admin_client = sso_app.test_client()
    login(admin_client, admin)

    listing = admin_client.get("/admin/users").get_data(as_text=True)
    row = listing[listing.index("Karin Berg"):]
    row = row[:row.index("</tr>")]
    assert "Ekonomi <span class=\"app-muted\">(från grupp Ekonomienheten)</span>" in row
    assert "(från grupperna g-ledning, Ledningsgruppen)" in row
    assert "Ledningsgruppen)</span>, Läsare" in row  # the admin's role, not marked
    page = admin_client.get(f"/admin/users/{user.id}/edit").get_data(as_text=True)
    assert "Roller från grupper hos Testkommunens konto" in page and "från grupp Ekonomienheten" in page
    # The checkboxes are the admin's roles only: saving the form keeps the group roles as they are.
    checked = {re.search(r'value="(\w+)"', tag).group(1) for tag in re.findall(r'<input[^>]*name="roles"[^>]*>', page)
               if " checked" in tag}
    assert checked == {"viewer"}
    response = admin_client.post(f"/admin/users/{user.id}/edit", data={
        "name": user.name, "email": user.email, "active": "y", "roles": ["viewer", "management"],
        "version": user.version, "current_password": factories.PASSWORD})
    assert response.status_code == 302
    db.expire_all()
    sources = {row.role: (row.from_group, row.groups) for row in user.role_rows}
    assert sources == {Role.FINANCE: (True, [FINANCE_GROUP]), Role.VIEWER: (False, None),
                       Role.MANAGEMENT: (False, None)}  # now the admin's too: it stays if the group goes
