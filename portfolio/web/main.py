"""The start page, the language switch and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from wtforms import HiddenField, SelectField

from portfolio import migrate
from portfolio.db import get_session
from portfolio.domain.roles import Role
from portfolio.services import users

from .access import public
from .auth import _safe_next
from .forms import CheckedForm, choices

bp = Blueprint("main", __name__)


class LanguageForm(CheckedForm):
    """The language switch in the page header."""

    language = SelectField(choices=choices([("sv", "Svenska"), ("en", "English")]))
    next = HiddenField()


@bp.route("/")
@public
def index():
    """The start page: the portfolio overview for the management group (what needs a decision, what
    is late, what is realised and harvested), the pilot register for everyone else (and the login
    page for anonymous users)."""
    if current_user.is_authenticated and Role.MANAGEMENT in current_user.roles:
        return redirect(url_for("overview.index"))
    return redirect(url_for("pilots.index"))


@bp.route("/language", methods=["POST"])
@public
def set_language():
    """Switch language; remembered on the user (and in the session before login)."""
    form = LanguageForm()
    if form.validate_on_submit() and form.language.data in current_app.config["LANGUAGES"]:
        session["locale"] = form.language.data
        if current_user.is_authenticated:
            db = get_session()
            users.set_locale(db, current_user, form.language.data)
            db.commit()
    return redirect(_safe_next(form.next.data))


@bp.route("/healthz")
@public
def healthz():
    """200 when the database answers and its schema is at the newest migration, 503 otherwise.

    For load balancers and monitoring: {"status": "ok", "database": "ok", "migrations": "current"};
    "unreachable" or "pending" (a `db upgrade` is due) say what is wrong. Nothing more is told.
    """
    try:
        revisions = set(get_session().scalars(text("SELECT version_num FROM alembic_version")))
    except SQLAlchemyError:
        return jsonify({"status": "unavailable", "database": "unreachable"}), 503
    if revisions != {migrate.head_revision()}:
        return jsonify({"status": "unavailable", "database": "ok", "migrations": "pending"}), 503
    return jsonify({"status": "ok", "database": "ok", "migrations": "current"})
