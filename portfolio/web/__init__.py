"""The web layer: one blueprint per area, access rules, error pages and security headers."""

from __future__ import annotations

import logging

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy.exc import DataError

from portfolio.db import get_session

from . import (
    access, account, admin, admin_sso, api, auth, board, challenges, converters, costs, economics, effects, follow_up,
    labels, main, meetings, openness, overlaps, overview, papers, pilots, plan, process, request_log, security, solutions,
    sso,
)

csrf = CSRFProtect()
log = logging.getLogger(__name__)

BLUEPRINTS = (
    main.bp, auth.bp, pilots.bp, effects.bp, costs.bp, economics.bp, papers.bp, plan.bp, process.bp, admin.bp,
    account.bp, api.bp, meetings.bp, board.bp, overview.bp, follow_up.bp, challenges.bp, overlaps.bp, solutions.bp,
    openness.bp, sso.bp,
)

# Strict: no inline scripts or styles anywhere, so injected markup cannot run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
# No page needs the camera, microphone, location, payment or sensors.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=()"
)
HSTS = "max-age=31536000; includeSubDomains"  # one year, production (HTTPS) only


def init_app(app: Flask) -> None:
    """Register blueprints, login, CSRF, access enforcement, error pages and headers."""
    app.before_request(security.limit_request_body)  # first: before CSRF reads the form
    request_log.init_app(app)  # its clock starts before everything else
    converters.init_app(app)
    csrf.init_app(app)
    auth.login_manager.init_app(app)
    sso.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)  # the API is read with bearer tokens, never with cookies
    app.before_request(security.enforce_session_timeouts)
    app.before_request(access.enforce_access)
    labels.init_app(app)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(
        user_can=access.user_can, user_can_edit_pilot=access.user_can_edit_pilot, LanguageForm=main.LanguageForm,
        sso_enabled=sso.enabled, sso_provider_name=sso.provider_name, local_passwords=sso.local_passwords,
        has_endpoint=_has_endpoint,
    )
    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(DataError, _data_error)


def _has_endpoint(name: str) -> bool:
    """For templates: whether the app has this route (a link to a part not installed is left out)."""
    return name in current_app.view_functions


_MESSAGES = {
    400: _l("Förfrågan kunde inte tolkas."),
    403: _l("Du har inte behörighet att göra detta."),
    404: _l("Sidan finns inte."),
    405: _l("Den här åtgärden stöds inte på sidan."),
    413: _l("Formuläret är för stort för att tas emot. Inget sparades."),
    500: _l("Något gick fel hos oss. Försök igen om en stund."),
}


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if code == 403:
        security.log_event("access_denied", "request", actor=security.actor_or_none(),
                           details={"method": request.method, "path": request.path[:500]})
    message = _MESSAGES.get(code, _MESSAGES[500])
    if code == 413 and security.is_upload_view():
        message = _l("Filen är för stor. En fil får vara högst 5 MB.")
    if request.path.startswith("/api/"):
        # Keep the headers the error carries (a 405's Allow), answer in JSON.
        headers = {key: value for key, value in getattr(error, "get_headers", lambda: [])() if key == "Allow"}
        return {"error": str(message)}, code, headers
    # Nothing of the request is shown back: a refused body is never read, let alone echoed.
    return render_template("errors/error.html", code=code, message=str(message)), code


def _data_error(error):
    """A value the database refuses (a NUL in a text, a number beyond its column) that no form
    caught: nothing is saved, the user is told, and the log says where to add the check."""
    log.warning("The database refused a value no form checked: %s", error.orig)
    get_session().rollback()
    message = _("Ett värde kunde inte sparas: det innehåller ett otillåtet tecken eller är för stort. Inget sparades.")
    return render_template("errors/error.html", code=400, message=message), 400


def _csrf_error(error):
    security.log_event("csrf_failed", "request", actor=security.actor_or_none(),
                       details={"method": request.method, "path": request.path[:500]})
    message = _("Formuläret hade gått ut. Ladda om sidan och försök igen.")
    return render_template("errors/error.html", code=400, message=message), 400


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if current_app.config["ENVIRONMENT"] == "production":
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # No Server header from the app: gunicorn (production) names itself without a version.
    if request.endpoint != "static":
        # Every page and download (exports too: send_file would say no-cache) stays out of caches.
        response.headers["Cache-Control"] = "no-store"
        response.headers.pop("ETag", None)
        response.headers.pop("Last-Modified", None)
    return response
