"""Configuration: defaults, then instance/config.py, then PORTFOLIO_* environment variables."""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path

from flask import Flask

DEFAULTS: dict[str, object] = {
    "ENVIRONMENT": "development",  # "production" refuses to start without a real secret key
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: SQLite in the instance folder
    "BABEL_DEFAULT_LOCALE": "sv",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
    "LANGUAGES": ["sv", "en"],
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "REMEMBER_COOKIE_HTTPONLY": True,
    # Sign-out after this long without a request, and this long after sign-in whatever happens.
    "SESSION_IDLE_TIMEOUT_MINUTES": 30,
    "SESSION_ABSOLUTE_TIMEOUT_HOURS": 10,
    "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,  # uploads (spreadsheets) are small
    "MAX_FORM_BODY_LENGTH": 256 * 1024,  # every other request body; larger ones are refused unread
    "MAX_FORM_MEMORY_SIZE": 256 * 1024,  # one form field, in memory
    # How many reverse proxies in front of the app set X-Forwarded-For/-Proto (0: none trusted).
    # Login throttling per address needs the client's real address.
    "PROXY_FIX_X_FOR": 0,
    # Costly actions per user: (how many, in how many seconds).
    "RATE_LIMITS": {"cost_import": (30, 600), "paper": (20, 600),
                    # The public calendar feed: fetches per address (60 in 10 minutes), and per client
                    # address the fetches with an unknown or revoked address (20 in 10 minutes).
                    "calendar_feed": (60, 600), "calendar_feed_unknown": (20, 600)},
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "PAGE_SIZE": 25,
    # Single sign-on with OpenID Connect (off unless a client id and an issuer or discovery URL are set).
    "OIDC_ISSUER": None,  # e.g. https://login.microsoftonline.com/<tenant id>/v2.0
    "OIDC_DISCOVERY_URL": None,  # default: <issuer>/.well-known/openid-configuration
    "OIDC_CLIENT_ID": None,
    "OIDC_CLIENT_SECRET": None,
    "OIDC_SCOPES": "openid email profile",
    "OIDC_GROUPS_CLAIM": "groups",
    # Microsoft Entra ID's groups overage (a person in too many groups for the token): the groups are
    # read from Microsoft Graph with the sign-in's access token (needs GroupMember.Read.All).
    "OIDC_GRAPH_URL": "https://graph.microsoft.com/v1.0",
    "OIDC_PROVIDER_NAME": "kommunens konto",  # the button says "Logga in med <name>"
    "OIDC_LOCAL_PASSWORDS": True,  # False: only single sign-on (the password form is gone)
    # A sensitive action by a user without a password needs a provider sign-in this recent.
    "OIDC_REAUTHENTICATION_MINUTES": 10,
    "DEFAULT_ORGANISATION_NAME": "Skol- och fritidsförvaltningen",
}

SQLITE_FILENAME = "portfolio.sqlite3"


def load_config(app: Flask, test_config: dict | None) -> None:
    """Fill app.config from defaults, the instance folder, the environment and `test_config`."""
    app.config.from_mapping(DEFAULTS)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PORTFOLIO")
    else:
        app.config.from_mapping(test_config)
    if not app.config["DATABASE_URL"]:
        app.config["DATABASE_URL"] = default_database_url(app.instance_path)
    # The cookie's own lifetime is the absolute timeout; the idle one is checked on every request.
    app.config["PERMANENT_SESSION_LIFETIME"] = dt.timedelta(hours=float(app.config["SESSION_ABSOLUTE_TIMEOUT_HOURS"]))
    if app.config["ENVIRONMENT"] == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        # __Host-: only ever set over HTTPS, for this host and path / (no subdomain can overwrite it).
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["SESSION_COOKIE_DOMAIN"] = None
        app.config["SESSION_COOKIE_PATH"] = "/"
        if app.debug or app.config.get("DEBUG"):
            raise RuntimeError("Debug mode must be off in production (unset FLASK_DEBUG and PORTFOLIO_DEBUG).")
    if not app.config["OIDC_DISCOVERY_URL"] and app.config["OIDC_ISSUER"]:
        app.config["OIDC_DISCOVERY_URL"] = str(app.config["OIDC_ISSUER"]).rstrip("/") + "/.well-known/openid-configuration"
    if not app.config["OIDC_LOCAL_PASSWORDS"] and not sso_configured(app):
        raise RuntimeError("PORTFOLIO_OIDC_LOCAL_PASSWORDS is off but single sign-on is not configured "
                           "(set PORTFOLIO_OIDC_ISSUER and PORTFOLIO_OIDC_CLIENT_ID): nobody could sign in.")
    _ensure_secret_key(app)


def sso_configured(app: Flask) -> bool:
    """Whether single sign-on with OpenID Connect is set up."""
    return bool(app.config["OIDC_DISCOVERY_URL"] and app.config["OIDC_CLIENT_ID"])


def default_database_url(instance_path: str) -> str:
    """The embedded SQLite database in the instance folder."""
    return f"sqlite:///{Path(instance_path) / SQLITE_FILENAME}"


def database_url_from_environment() -> str:
    """The database URL as the app would see it, for tools that run without an app (Alembic)."""
    url = os.environ.get("PORTFOLIO_DATABASE_URL")
    if url:
        return url
    instance = Path(__file__).resolve().parent.parent / "instance"
    return default_database_url(str(instance))


def _ensure_secret_key(app: Flask) -> None:
    if app.config["SECRET_KEY"]:
        if app.config["ENVIRONMENT"] == "production" and len(str(app.config["SECRET_KEY"])) < 32:
            raise RuntimeError("PORTFOLIO_SECRET_KEY must be at least 32 characters in production.")
        return
    if app.config["ENVIRONMENT"] == "production":
        raise RuntimeError("Set PORTFOLIO_SECRET_KEY (or SECRET_KEY in instance/config.py) in production.")
    # Development: a random key kept in the instance folder, so sessions survive restarts
    # and no key is ever committed.
    key_file = Path(app.instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
