"""Operations: a JSON log line per request with a request id (and nothing secret in it), and the
health check telling whether the database answers and its migrations are at head."""

from __future__ import annotations

import json

from portfolio import migrate
from portfolio.domain.roles import Role
from tests import factories
from tests.conftest import login, make_test_app


def _log_lines(capsys) -> list[dict]:
    return [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]


def test_every_request_is_logged_as_one_json_line_with_its_id(client, people, capsys):
    capsys.readouterr()
    response = client.get("/login")
    [line] = _log_lines(capsys)
    assert response.headers["X-Request-ID"] == line["request_id"] and len(line["request_id"]) == 32
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/login", 200, None)
    assert line["time"].endswith("Z") and line["duration_ms"] >= 0
    user = people[Role.VIEWER]
    login(client, user)
    client.get("/pilots")
    assert _log_lines(capsys)[-1]["user_id"] == user.id


def test_a_sane_incoming_request_id_is_kept_and_any_other_replaced(client, capsys):
    assert client.get("/login", headers={"X-Request-ID": "proxy-4f2a.17"}).headers["X-Request-ID"] == "proxy-4f2a.17"
    for bad in ("two words", "x" * 200, "<script>", "id\u00e5"):
        answer = client.get("/login", headers={"X-Request-ID": bad}).headers["X-Request-ID"]
        assert answer != bad and len(answer) == 32


def test_the_log_holds_no_password_token_or_query_string(client, people, capsys):
    capsys.readouterr()
    user = people[Role.VIEWER]
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    client.get("/login/sso/callback?code=secret-code-123&state=secret-state-456")
    client.get("/api/pilots", headers={"Authorization": "Bearer secret-token-789"})
    client.get("/pilots?q=searched-words")
    log = capsys.readouterr().err
    for secret in (factories.PASSWORD, "secret-code-123", "secret-state-456", "secret-token-789", "searched-words",
                   user.email):
        assert secret not in log
    assert '"path": "/login/sso/callback"' in log


def test_healthz_reports_pending_migrations_with_503(database_url):
    app = make_test_app(database_url)
    assert app.test_client().get("/healthz").get_json()["migrations"] == "current"
    migrate.downgrade(database_url, "-1")
    response = app.test_client().get("/healthz")
    app.extensions["portfolio_db"].engine.dispose()
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable", "database": "ok", "migrations": "pending"}
