"""Fixtures: a migrated database per test (SQLite by default, PostgreSQL when
PORTFOLIO_TEST_DATABASE_URL names a server), the app, clients and logins per role."""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
from collections.abc import Iterator

import argon2
import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from flask import g, has_app_context
from flask.testing import FlaskClient

from portfolio import create_app, migrate
from portfolio.db import get_db, get_session
from portfolio.domain.roles import Role
from portfolio.services import users as users_service

from . import factories

# e.g. postgresql+psycopg://app@127.0.0.1:5433/postgres (any database the user may connect to)
POSTGRES_URL = os.environ.get("PORTFOLIO_TEST_DATABASE_URL")
TEMPLATE_DB = "portfolio_test_template"
_counter = itertools.count()


def pytest_report_header(config):
    return f"database: {'PostgreSQL ' + make_url(POSTGRES_URL).render_as_string() if POSTGRES_URL else 'SQLite'}"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing():
    """Argon2 at its cheapest in tests: the same code path, a fraction of the time."""
    original = users_service._hasher
    users_service._hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)
    factories.PASSWORD_HASH = users_service._hasher.hash(factories.PASSWORD)
    yield
    users_service._hasher = original


def _postgres_admin_engine():
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


@pytest.fixture(scope="session")
def database_template(tmp_path_factory) -> str:
    """A database migrated to head once per run; each test gets a copy."""
    if POSTGRES_URL:
        admin = _postgres_admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{TEMPLATE_DB}"'))
        url = make_url(POSTGRES_URL).set(database=TEMPLATE_DB).render_as_string(hide_password=False)
        migrate.upgrade(url)
        yield url
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        migrate.upgrade(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def database_url(database_template, tmp_path) -> Iterator[str]:
    """A fresh database at the newest migration, for this test only."""
    if POSTGRES_URL:
        name = f"portfolio_test_{os.getpid()}_{next(_counter)}"
        admin = _postgres_admin_engine()
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE_DB}"'))
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(database_template, path)
        yield f"sqlite:///{path}"


class IsolatedClient(FlaskClient):
    """A test client whose every request runs in its own app context, as in production.

    Without this, requests would reuse the test's app context: its `g`, and so its database
    session, the CSRF token and Flask-Login's cached user, hiding N+1 queries, stale sessions
    and logout bugs. The test's own session is committed before each request (so arranged
    data is visible) and expired afterwards (so the test reads what the request wrote).
    """

    def open(self, *args, **kwargs):
        outer = g.get("db_session") if has_app_context() else None
        if outer is not None:
            outer.commit()
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if outer is not None:
            outer.expire_all()
        return response


def make_test_app(database_url: str, **overrides):
    """An app on the test database; CSRF is off unless a test turns it on."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "SERVER_NAME": None,
    }
    config.update(overrides)
    application = create_app(config)
    application.test_client_class = IsolatedClient
    return application


@pytest.fixture
def app(database_url):
    """The app on a fresh test database, with an app context pushed."""
    application = make_test_app(database_url)
    with application.app_context():
        yield application
    get_db_engine = application.extensions["portfolio_db"].engine
    get_db_engine.dispose()


@pytest.fixture
def csrf_app(database_url):
    """The app with CSRF protection switched on, as in production."""
    application = make_test_app(database_url, WTF_CSRF_ENABLED=True)
    with application.app_context():
        yield application
    application.extensions["portfolio_db"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def db(app):
    """The session tests arrange data with; commit to make it visible to requests."""
    return get_session()


@pytest.fixture
def people(db) -> dict[Role, object]:
    """One active user per role (committed); the password is factories.PASSWORD."""
    created = {role: factories.make_user(db, roles=[role]) for role in Role}
    db.commit()
    return created


def login(client, user, password: str | None = None):
    """Log `user` in through the login form and return the response."""
    response = client.post("/login", data={"email": user.email, "password": password or factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def login_as(client, people):
    """`login_as(Role.FINANCE)` logs the client in as that role's user and returns the user."""

    def _login(role: Role):
        client.post("/logout")
        login(client, people[role])
        return people[role]

    return _login


@contextlib.contextmanager
def count_queries(app) -> Iterator[list[str]]:
    """Collect the SQL statements the app's engine runs inside the block."""
    statements: list[str] = []
    engine = get_db().engine if app is None else app.extensions["portfolio_db"].engine

    def _record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", _record)


__all__ = ["count_queries", "get_session", "login", "make_test_app"]
