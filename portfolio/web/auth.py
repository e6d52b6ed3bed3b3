"""Login and logout, and how Flask-Login finds the user of a request."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from portfolio.db import get_session
from portfolio.models import User
from portfolio.services import tokens, users

from .access import authenticated, public

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The logged-in user of a browser session, if still active and the session not ended.

    The session holds "<user id>:<session token>"; a token rotated by logout, a new password
    or deactivation no longer matches, so a copied cookie stops working.
    """
    user_id, _sep, token = session_id.partition(":")
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    """API clients authenticate with `Authorization: Bearer <token>`."""
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    return tokens.user_for_token(get_session(), header.removeprefix("Bearer ").strip())


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(_l("E-postadress"), validators=[InputRequired(_l("Ange din e-postadress.")), Length(max=254)])
    password = PasswordField(_l("Lösenord"), validators=[InputRequired(_l("Ange ditt lösenord.")), Length(max=256)])


def _safe_next(target: str | None) -> str:
    """Only redirect to a path on this site after login."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()
        and not urlsplit(target).netloc
    ):
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form; on success start a new session and go where the user was heading."""
    form = LoginForm()
    if form.validate_on_submit():
        db = get_session()
        user = users.authenticate(db, form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Fel e-postadress eller lösenord."))
        else:
            locale = session.get("locale")
            session.clear()  # a new session on login: no fixation
            if locale and not user.locale:
                users.set_locale(db, user, locale)
            db.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    """End the session, and every other session of the user (a copied cookie stops working)."""
    db = get_session()
    users.end_sessions(db, current_user)
    db.commit()
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    return redirect(url_for("auth.login"))
