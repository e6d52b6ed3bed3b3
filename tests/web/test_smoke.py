"""The basics a new user meets first: login, logout, health check."""

from portfolio.domain.roles import Role

from tests.conftest import login


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/pilots")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_login_page_is_swedish_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv" ' in page
    assert "Logga in" in page and "Lösenord" in page


def test_wrong_password_keeps_email_and_says_why(client, people):
    response = client.post("/login", data={"email": people[Role.VIEWER].email, "password": "not the password"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Fel e-postadress eller lösenord." in page
    assert people[Role.VIEWER].email in page


def test_login_and_logout(client, people):
    login(client, people[Role.VIEWER])
    assert client.get("/pilots").status_code == 200
    client.post("/logout")
    assert client.get("/pilots").status_code == 302


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "migrations": "current"}
