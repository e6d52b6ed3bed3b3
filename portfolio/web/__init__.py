"""The web layer: one blueprint per area, access rules, error pages and security headers."""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError, CSRFProtect

from . import (
    access, account, admin, api, auth, challenges, costs, economics, effects, labels, main, openness, overlaps, papers,
    pilots, plan, process, solutions,
)

csrf = CSRFProtect()

BLUEPRINTS = (
    main.bp, auth.bp, pilots.bp, effects.bp, costs.bp, economics.bp, papers.bp, plan.bp, process.bp, admin.bp,
    account.bp, api.bp, challenges.bp, overlaps.bp, solutions.bp, openness.bp,
)

# Strict: no inline scripts or styles anywhere, so injected markup cannot run.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app: Flask) -> None:
    """Register blueprints, login, CSRF, access enforcement, error pages and headers."""
    csrf.init_app(app)
    auth.login_manager.init_app(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    csrf.exempt(api.bp)  # the API is read with bearer tokens, never with cookies
    app.before_request(access.enforce_access)
    labels.init_app(app)
    app.after_request(_security_headers)
    app.jinja_env.globals.update(
        user_can=access.user_can, user_can_edit_pilot=access.user_can_edit_pilot, LanguageForm=main.LanguageForm,
        has_endpoint=_has_endpoint,
    )
    for code in (400, 403, 404, 405, 413, 500):
        app.register_error_handler(code, _error_page)
    app.register_error_handler(CSRFError, _csrf_error)


def _has_endpoint(name: str) -> bool:
    """For templates: whether the app has this route (a link to a part not installed is left out)."""
    return name in current_app.view_functions


_MESSAGES = {
    400: _l("Förfrågan kunde inte tolkas."),
    403: _l("Du har inte behörighet att göra detta."),
    404: _l("Sidan finns inte."),
    405: _l("Den här åtgärden stöds inte på sidan."),
    413: _l("Filen är för stor."),
    500: _l("Något gick fel hos oss. Försök igen om en stund."),
}


def _error_page(error):
    code = getattr(error, "code", 500) or 500
    if request.path.startswith("/api/"):
        # Keep the headers the error carries (a 405's Allow), answer in JSON.
        headers = {key: value for key, value in getattr(error, "get_headers", lambda: [])() if key == "Allow"}
        return {"error": str(_MESSAGES.get(code, _MESSAGES[500]))}, code, headers
    return render_template("errors/error.html", code=code, message=str(_MESSAGES.get(code, _MESSAGES[500]))), code


def _csrf_error(error):
    message = _("Formuläret hade gått ut. Ladda om sidan och försök igen.")
    return render_template("errors/error.html", code=400, message=message), 400


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        response.headers.setdefault("Cache-Control", "no-store")
    return response
