"""Login and logout, and how Flask-Login finds the user of a request."""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user, login_user, logout_user
from wtforms import EmailField, PasswordField
from wtforms.validators import InputRequired, Length

from portfolio.db import get_session
from portfolio.models import User
from portfolio.models import utcnow
from portfolio.services import audit, login_protection, tokens, users

from . import sso
from .access import authenticated, public
from .security import client_address, start_session_clock, wait_message
from .forms import CheckedForm, row_id

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
    user = get_session().get(User, row_id(user_id)) if row_id(user_id) else None
    if user is None or not user.active or not hmac.compare_digest(user.session_token, token):
        return None
    return user


@login_manager.request_loader
def load_user_from_token(req) -> User | None:
    """API clients authenticate with `Authorization: Bearer <token>`, for `/api/` only.

    A token never opens an HTML page (the admin pages included): there it is ignored and the
    request is anonymous.
    """
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer ") or not req.path.startswith("/api/"):
        return None
    return tokens.user_for_token(get_session(), header.removeprefix("Bearer ").strip())


class LoginForm(CheckedForm):
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
    return url_for("main.index")  # the start page suits the role (main.index)


def typed_email(email: str) -> str:
    """The e-mail as typed, for the audit log: never a password typed in the wrong field, never a line break."""
    email = email.strip()[:254]
    return email if "@" in email and email.isprintable() and " " not in email else "–"


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    """Show the login form; on success start a new session and go where the user was heading.

    Failed attempts are counted per account and per address in the database; past a few, the
    next attempt is refused (429, with when to try again) before the password is even checked.
    The message is the same whether the e-mail exists or not.
    """
    form = LoginForm()
    if not sso.local_passwords():
        # Single sign-on only: no password form, and a posted password is never checked.
        if request.method == "POST":
            abort(403)
        return render_template("auth/login.html", form=form)
    if not form.validate_on_submit():
        return render_template("auth/login.html", form=form), 200 if not form.errors else 422
    db = get_session()
    address, email = client_address(), form.email.data
    refusal = login_protection.refusal(db, email, address)
    if refusal is not None:
        audit.record_event(db, None, "login_refused", "sign_in", address=address,
                           details={"email": typed_email(email), "retry_at": refusal.retry_at})
        db.commit()
        form.password.errors.append(wait_message(refusal))
        seconds = str(refusal.seconds_left(utcnow()))
        return render_template("auth/login.html", form=form), 429, {"Retry-After": seconds}
    result = users.check_credentials(db, email, form.password.data)
    if result.user is None:
        login_protection.record_failure(db, email, address)
        known, details = result.known_user, {"email": typed_email(email), "reason": result.problem}
        if known is None:
            audit.record_event(db, None, "login_unknown_email", "sign_in", address=address, details=details)
        else:
            audit.record_event(db, None, "login_failed", "user", known.id, address=address, details=details)
        db.commit()
        form.password.errors.append(_("Fel e-postadress eller lösenord."))
        refusal = login_protection.refusal(db, email, address)
        if refusal is not None:
            form.password.errors.append(wait_message(refusal))
        return render_template("auth/login.html", form=form), 422
    user = result.user
    login_protection.record_success(db, email)
    audit.record_event(db, user, "login_succeeded", "user", user.id, address=address)
    locale = session.get("locale")
    session.clear()  # a new session on login: no fixation
    if locale and not user.locale:
        users.set_locale(db, user, locale)
    db.commit()
    login_user(user)
    start_session_clock()
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
@authenticated
def logout():
    """End the session, and every other session of the user (a copied cookie stops working).

    After a single sign-on the browser goes on to the provider's end_session_endpoint (when it
    has one), which ends the provider's session and sends the browser back to the login page.
    """
    db = get_session()
    users.end_sessions(db, current_user)
    audit.record_event(db, current_user, "logout", "user", current_user.id, address=client_address())
    db.commit()
    via_provider = sso.SIGNED_IN_AT in session
    logout_user()
    session.clear()
    flash(_("Du är utloggad."), "success")
    # Signed in at the identity provider: end that session too, if the provider offers it.
    return redirect((via_provider and sso.end_session_url()) or url_for("auth.login"))
